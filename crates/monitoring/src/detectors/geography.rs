//! # High-risk geography
//!
//! **What it detects.** A customer account that, inside `window_days`, makes or receives at
//! least `min_tx` transfers whose counterparty is in a listed jurisdiction, or at least
//! `min_total` in amount. Each jurisdiction has a weight (points); the alert scores
//! `base_score` + the highest weight involved. Independently, the engine adds the highest
//! weight to *every* alert whose transfers touch a listed jurisdiction, so a fan-out to
//! Syria outranks the same fan-out at home.
//!
//! **Why it matters for terrorist financing.** Funds for ISIL, AQ affiliates, al-Shabaab
//! and Boko Haram/ISWAP move to conflict zones and, more often, to their neighbours used as
//! transit and cash-out points (FATF 2015/2018: transfers "to high-risk jurisdictions or
//! their neighbours", e.g. Syria, Iraq, Turkey; the Lake Chad basin: Nigeria, Niger, Chad,
//! Cameroon).
//!
//! **Example.** `G` (country DE) sends 1,900 to `X` in SY and 2,400 to `Y` in TR within a
//! week: `high_risk_geography`, score 40 + 40 (SY) = 80.
//!
//! **Parameters** (`[geography]`): `window_days`, `min_tx`, `min_total`, `base_score`,
//! `countries` (ISO alpha-2 -> points; 0 removes a default).

use serde_json::json;

use super::fan_in::round2;
use super::{Ctx, Finding, fmt_days, part};
use crate::alert::Typology;
use crate::rules::days;
use crate::state::AcctId;

/// Evaluates the pattern for the customer account `acct` (the party of the current
/// transfer that is not itself in a listed jurisdiction).
pub fn detect(ctx: &Ctx<'_>, acct: AcctId) -> Option<Finding> {
    let r = &ctx.rules.geography;
    if !r.enabled || ctx.edge.geo <= 0.0 {
        return None;
    }
    let now = ctx.now();
    let from = now - days(r.window_days);
    let mut edges: Vec<_> = ctx
        .store
        .outs_since(acct, from)
        .chain(ctx.store.ins_since(acct, from))
        .filter(|(_, e)| e.geo > 0.0)
        .collect();
    edges.sort_unstable_by_key(|(s, _)| *s);
    edges.dedup_by_key(|(s, _)| *s);
    let n = edges.len();
    let total: f64 = edges.iter().map(|(_, e)| e.amount).sum();
    if n < r.min_tx.max(1) && total < r.min_total {
        return None;
    }
    let mut accounts = vec![acct];
    let mut countries: Vec<(String, f64)> = Vec::new();
    let mut max_w = 0.0f64;
    let mut first = now;
    for (_, e) in &edges {
        first = first.min(e.ts);
        let cp = if e.from == acct { e.to } else { e.from };
        if !accounts.contains(&cp) {
            accounts.push(cp);
        }
        for a in [e.from, e.to] {
            if let Some(c) = ctx.store.account(a).and_then(|x| x.country.as_deref()) {
                let w = r.weight(c);
                if w > 0.0 && !countries.iter().any(|(k, _)| k == c) {
                    countries.push((c.to_string(), w));
                    max_w = max_w.max(w);
                }
            }
        }
    }
    countries.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let name = ctx.store.name(acct);
    let top = countries.first().map(|c| c.0.clone()).unwrap_or_default();
    Some(Finding {
        typology: Typology::HighRiskGeography,
        key: vec![acct],
        tag: "",
        accounts,
        edges: edges.iter().map(|(s, _)| *s).collect(),
        parts: vec![
            part("geography.exposure", r.base_score),
            part(format!("geography.{top}"), max_w),
        ],
        summary: format!(
            "{name} made or received {n} transfers ({total:.2}) involving high-risk jurisdictions {} within {} days (thresholds {} transfers or {:.0})",
            countries
                .iter()
                .map(|c| c.0.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            fmt_days(r.window_days),
            r.min_tx,
            r.min_total
        ),
        facts: json!({
            "account": name, "transfers": n, "total": round2(total), "min_tx": r.min_tx, "min_total": r.min_total,
            "countries": countries.iter().map(|(c, w)| json!({"country": c, "weight": w})).collect::<Vec<_>>(),
            "window_days": r.window_days,
        }),
        paths: Vec::new(),
        window: (first, now),
    })
}
