//! # Listed counterparty
//!
//! **What it detects.** A transfer whose originator or beneficiary *name* matches a
//! watchlist entry (UN 1267/ISIL-AQ, OFAC SDN, EU, UK... whatever the [`NameScreener`]
//! was built over). Names are screened once and cached per (name, country).
//! The alert scores `base_score + match_weight × match score`; every other alert involving
//! the listed account gains `involvement_points`.
//!
//! **Why it matters for terrorist financing.** Making funds available to a designated
//! person or entity is itself the offence (UNSCR 1267/1373, asset-freeze regimes); FATF
//! asks that both parties of a transfer be screened.
//!
//! **Example.** A transfer from `Ahmad Khalil` to `Abu Mohammed al-Julani` (fuzzy match to
//! a UN-listed name, score 0.92): `listed_counterparty`, score 60 + 40 × 0.92 = 96.8.
//!
//! **Parameters** (`[listed_counterparty]`): `base_score`, `match_weight`,
//! `involvement_points`; the screener's own threshold decides what is a match.
//!
//! [`NameScreener`]: crate::NameScreener

use serde_json::json;

use super::{Ctx, Finding, part};
use crate::alert::Typology;
use crate::screen::ListedMatch;
use crate::state::AcctId;

/// Builds the finding for a transfer where `acct`'s holder matched `m` (`role` is
/// `originator` or `beneficiary`).
pub fn finding(
    ctx: &Ctx<'_>,
    acct: AcctId,
    role: &str,
    holder: &str,
    m: &ListedMatch,
) -> Option<Finding> {
    let r = &ctx.rules.listed_counterparty;
    if !r.enabled {
        return None;
    }
    let other = if ctx.edge.from == acct {
        ctx.edge.to
    } else {
        ctx.edge.from
    };
    let name = ctx.store.name(acct);
    Some(Finding {
        typology: Typology::ListedCounterparty,
        key: vec![acct],
        tag: "",
        accounts: vec![acct, other],
        edges: vec![ctx.seq],
        parts: vec![
            part("listed_counterparty.match", r.base_score),
            part(
                format!("listed_counterparty.{}", m.source),
                r.match_weight * m.score.clamp(0.0, 1.0),
            ),
        ],
        summary: format!(
            "{role} {holder:?} (account {name}) matches listed entity {:?} ({}, {}) with score {:.2}",
            m.listed_name, m.entity_id, m.source, m.score
        ),
        facts: json!({
            "account": name, "role": role, "holder_name": holder, "entity_id": m.entity_id,
            "listed_name": m.listed_name, "source": m.source, "match_score": m.score,
        }),
        paths: Vec::new(),
        window: (ctx.now(), ctx.now()),
    })
}
