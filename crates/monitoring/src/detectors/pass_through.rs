//! # Pass-through / rapid movement
//!
//! **What it detects.** An account that repeatedly receives money and sends a similar sum
//! on to someone else within days: each *leg* is an incoming transfer followed within
//! `max_delay_days` by an outgoing transfer to a different counterparty whose amount is
//! within `amount_tolerance` of it (both at least `min_amount`). `min_legs` legs inside
//! `window_days` raise the pattern.
//!
//! **Why it matters for terrorist financing.** Pass-through (mule, "transit") accounts
//! put distance between donors and the cell; the balance never rests, so the account
//! holds nothing to freeze (FATF 2018; Egmont Group TF indicators: "funds withdrawn or
//! transferred shortly after being deposited").
//!
//! **Example.** `M` receives 4,800 from `A` on 2 May and sends 4,750 to `B` on 3 May; then
//! 5,200 in from `C` on 9 May and 5,150 out to `B` on 10 May: two legs, `pass_through`,
//! score 50.
//!
//! **Parameters** (`[pass_through]`): `max_delay_days`, `amount_tolerance`, `min_amount`,
//! `min_legs`, `window_days`, `base_score`, `per_extra_leg`, `max_leg_points`.

use serde_json::json;

use super::fan_in::round2;
use super::{Ctx, Finding, extra_points, fmt_days, part};
use crate::alert::Typology;
use crate::rules::days;
use crate::state::Seq;

/// If the current transaction is the outgoing half of a leg, returns the matching incoming
/// edge (the closest in amount among recent ones).
pub fn find_leg(ctx: &Ctx<'_>) -> Option<Seq> {
    let r = &ctx.rules.pass_through;
    let e = ctx.edge;
    if !r.enabled || e.amount < r.min_amount {
        return None;
    }
    let from = e.ts - days(r.max_delay_days);
    let mut best: Option<(f64, Seq)> = None;
    for (s, inc) in ctx.store.ins_since(e.from, from) {
        if s == ctx.seq
            || inc.from == e.to
            || inc.amount < r.min_amount
            || inc.currency != e.currency
        {
            continue;
        }
        let diff = (e.amount - inc.amount).abs() / inc.amount;
        if diff <= r.amount_tolerance && best.is_none_or(|(d, _)| diff < d) {
            best = Some((diff, s));
        }
    }
    best.map(|(_, s)| s)
}

/// Evaluates the pattern over the legs recorded for the payer (current one included).
pub fn detect(ctx: &Ctx<'_>, legs: &[(i64, Seq, Seq)]) -> Option<Finding> {
    let r = &ctx.rules.pass_through;
    let now = ctx.now();
    let from = now - days(r.window_days);
    let recent: Vec<_> = legs.iter().filter(|l| l.0 >= from).collect();
    if recent.len() < r.min_legs.max(1) {
        return None;
    }
    let acct = ctx.edge.from;
    let name = ctx.store.name(acct);
    let mut edges = Vec::new();
    let mut accounts = vec![acct];
    let mut paths = Vec::new();
    let (mut total_in, mut total_out, mut first) = (0.0, 0.0, now);
    let mut legs_json = Vec::new();
    for &&(_, i, o) in &recent {
        let (Some(ei), Some(eo)) = (ctx.store.edge(i), ctx.store.edge(o)) else {
            continue;
        };
        edges.push(i);
        edges.push(o);
        total_in += ei.amount;
        total_out += eo.amount;
        first = first.min(ei.ts);
        for a in [ei.from, eo.to] {
            if !accounts.contains(&a) {
                accounts.push(a);
            }
        }
        paths.push(vec![ei.from, acct, eo.to]);
        legs_json.push(json!({
            "in_tx": &*ei.tx, "in_amount": round2(ei.amount), "out_tx": &*eo.tx, "out_amount": round2(eo.amount),
            "delay_hours": (eo.ts - ei.ts) as f64 / 3600.0,
        }));
    }
    edges.sort_unstable();
    edges.dedup();
    let n = legs_json.len();
    if n < r.min_legs.max(1) {
        return None;
    }
    Some(Finding {
        typology: Typology::PassThrough,
        key: vec![acct],
        tag: "",
        accounts,
        edges,
        parts: vec![
            part("pass_through.legs", r.base_score),
            part(
                "pass_through.extra_legs",
                extra_points(n - r.min_legs.max(1), r.per_extra_leg, r.max_leg_points),
            ),
        ],
        summary: format!(
            "{name} passed on {total_out:.2} of {total_in:.2} received in {n} legs, each out within {} days and {:.0}% of the amount in (threshold {} legs in {} days)",
            fmt_days(r.max_delay_days),
            r.amount_tolerance * 100.0,
            r.min_legs,
            fmt_days(r.window_days)
        ),
        facts: json!({
            "account": name, "legs": legs_json, "min_legs": r.min_legs, "window_days": r.window_days,
            "max_delay_days": r.max_delay_days, "amount_tolerance": r.amount_tolerance, "min_amount": r.min_amount,
            "total_in": round2(total_in), "total_out": round2(total_out),
        }),
        paths,
        window: (first, now),
    })
}
