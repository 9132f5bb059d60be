//! # Gather-scatter (collector-distributor hub)
//!
//! **What it detects.** A hub account that receives from at least `min_senders` distinct
//! senders and then pays at least `min_recipients` distinct recipients, with at least
//! `min_parties` counterparties in all, inside `window_days`. Only payments made after the
//! first counted receipt count as distribution. With `new_parties_only`, counterparties the
//! hub already dealt with before the window do not count.
//!
//! **Why it matters for terrorist financing.** Hawala-like hubs and front businesses
//! collect from many donors and redistribute to many beneficiaries, netting flows so
//! that no donor is linked to a recipient (FATF 2015, MVTS/hawala; FATF 2018).
//!
//! **Example.** `H` receives from 7 new senders on 7-14 March and pays 7 new recipients on
//! 16-25 March: `gather_scatter`, score 55 + 14 = 69.
//!
//! **Parameters** (`[gather_scatter]`): `window_days`, `min_senders`, `min_recipients`,
//! `min_parties`, `new_parties_only`, `base_score`, `per_extra_party`, `max_party_points`.

use serde_json::json;

use super::fan_in::round2;
use super::{Ctx, Finding, Parties, extra_points, fmt_days, part};
use crate::alert::Typology;
use crate::rules::days;
use crate::state::AcctId;

/// Evaluates the hub pattern for `hub` at the current event time.
pub fn detect(ctx: &Ctx<'_>, hub: AcctId) -> Option<Finding> {
    let r = &ctx.rules.gather_scatter;
    if !r.enabled {
        return None;
    }
    let acc = ctx.store.account(hub)?;
    if acc.ins.len() < r.min_senders || acc.outs.len() < r.min_recipients {
        return None;
    }
    let now = ctx.now();
    let from = now - days(r.window_days);
    let mut senders = Parties::default();
    let mut first_in = i64::MAX;
    for (s, e) in ctx.store.ins_since(hub, from) {
        if e.from == hub || (r.new_parties_only && e.pair_first_in < from) {
            continue;
        }
        senders.add(e.from, s);
        first_in = first_in.min(e.ts);
    }
    senders.list.reverse(); // oldest first
    if senders.len() < r.min_senders {
        return None;
    }
    let mut recipients = Parties::default();
    for (s, e) in ctx.store.outs_since(hub, first_in) {
        if e.to == hub || (r.new_parties_only && e.pair_first_out < from) {
            continue;
        }
        // A recipient that also sent to the hub is netting, not distribution.
        if senders.accounts().any(|a| a == e.to) {
            continue;
        }
        recipients.add(e.to, s);
    }
    recipients.list.reverse();
    let (ns, nr) = (senders.len(), recipients.len());
    if nr < r.min_recipients || ns + nr < r.min_parties {
        return None;
    }
    let mut edges: Vec<_> = senders.edges().chain(recipients.edges()).collect();
    edges.sort_unstable();
    let sum = |p: &Parties| -> f64 {
        p.edges()
            .filter_map(|s| ctx.store.edge(s))
            .map(|e| e.amount)
            .sum()
    };
    let (gathered, scattered) = (sum(&senders), sum(&recipients));
    let mut accounts = vec![hub];
    accounts.extend(senders.accounts());
    accounts.extend(recipients.accounts());
    let name = ctx.store.name(hub);
    Some(Finding {
        typology: Typology::GatherScatter,
        key: vec![hub],
        tag: "",
        accounts,
        edges,
        parts: vec![
            part("gather_scatter.hub", r.base_score),
            part(
                "gather_scatter.extra_parties",
                extra_points(
                    ns + nr - r.min_parties,
                    r.per_extra_party,
                    r.max_party_points,
                ),
            ),
        ],
        summary: format!(
            "{name} gathered {gathered:.2} from {ns} senders and scattered {scattered:.2} to {nr} recipients within {} days (thresholds {}/{}/{})",
            fmt_days(r.window_days),
            r.min_senders,
            r.min_recipients,
            r.min_parties
        ),
        facts: json!({
            "hub": name, "senders": ns, "recipients": nr, "min_senders": r.min_senders,
            "min_recipients": r.min_recipients, "min_parties": r.min_parties, "window_days": r.window_days,
            "new_parties_only": r.new_parties_only,
            "gathered_amount": round2(gathered), "scattered_amount": round2(scattered),
        }),
        paths: Vec::new(),
        window: (first_in.min(now), now),
    })
}
