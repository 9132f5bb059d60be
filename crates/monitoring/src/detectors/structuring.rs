//! # Structuring (smurfing below a reporting threshold)
//!
//! **What it detects.** Repeated transfers whose amounts sit just under the reporting
//! threshold of their currency (in `[threshold × (1 - margin), threshold)`): at least
//! `min_count` of them sent by one originator, or received by one beneficiary, inside
//! `window_days`. Extra points when together they exceed the threshold.
//!
//! **Why it matters for terrorist financing.** Financiers and cells split sums to stay
//! under cash and wire reporting thresholds (FATF 2015 *Emerging TF Risks*: small
//! structured transfers via MVTS to agents near conflict zones).
//!
//! **Example.** With a 10,000 USD threshold and a 10 % margin, `S` sends 9,500, 9,800 and
//! 9,200 on three days of one week: `structuring`, score 55 + 10 (aggregate over threshold) = 65.
//!
//! **Parameters** (`[structuring]`): `thresholds` (per currency, `DEFAULT`), `margin`,
//! `window_days`, `min_count`, `base_score`, `per_extra`, `max_extra_points`,
//! `aggregate_over_threshold_points`.

use serde_json::json;

use super::fan_in::round2;
use super::{Ctx, Finding, extra_points, fmt_days, part};
use crate::alert::Typology;
use crate::rules::days;
use crate::state::{AcctId, Seq};

/// True when `amount` is just under the threshold for `currency`.
pub fn is_near_threshold(
    rules: &crate::rules::StructuringRules,
    amount: f64,
    currency: &str,
) -> bool {
    match rules.threshold(currency) {
        Some(t) if t > 0.0 => amount < t && amount >= t * (1.0 - rules.margin),
        _ => false,
    }
}

/// Evaluates the pattern for `acct` on the side `outgoing` (originator) or incoming.
pub fn detect(ctx: &Ctx<'_>, acct: AcctId, outgoing: bool) -> Option<Finding> {
    let r = &ctx.rules.structuring;
    if !r.enabled || !ctx.edge.near_threshold {
        return None;
    }
    let now = ctx.now();
    let from = now - days(r.window_days);
    let it: Box<dyn Iterator<Item = (Seq, &crate::state::Edge)>> = if outgoing {
        Box::new(ctx.store.outs_since(acct, from))
    } else {
        Box::new(ctx.store.ins_since(acct, from))
    };
    let mut edges = Vec::new();
    let mut accounts = vec![acct];
    let (mut total, mut first) = (0.0, now);
    let mut amounts = Vec::new();
    for (s, e) in it {
        if !e.near_threshold || e.currency != ctx.edge.currency {
            continue;
        }
        edges.push(s);
        total += e.amount;
        first = first.min(e.ts);
        amounts.push(round2(e.amount));
        let cp = if outgoing { e.to } else { e.from };
        if !accounts.contains(&cp) {
            accounts.push(cp);
        }
    }
    let n = edges.len();
    if n < r.min_count.max(1) {
        return None;
    }
    edges.sort_unstable();
    amounts.reverse();
    let currency = ctx
        .store
        .currencies
        .get(ctx.edge.currency as usize)
        .map(|c| &**c)
        .unwrap_or("");
    let threshold = r.threshold(currency).unwrap_or(0.0);
    let mut parts = vec![
        part("structuring.just_under_threshold", r.base_score),
        part(
            "structuring.extra",
            extra_points(n - r.min_count.max(1), r.per_extra, r.max_extra_points),
        ),
    ];
    if total >= threshold {
        parts.push(part(
            "structuring.aggregate_over_threshold",
            r.aggregate_over_threshold_points,
        ));
    }
    let name = ctx.store.name(acct);
    let side = if outgoing { "sent" } else { "received" };
    Some(Finding {
        typology: Typology::Structuring,
        key: vec![acct],
        tag: if outgoing { "out" } else { "in" },
        accounts,
        edges,
        parts,
        summary: format!(
            "{name} {side} {n} transfers just under the {threshold:.0} {currency} threshold within {} days, {total:.2} in total (threshold {} transfers)",
            fmt_days(r.window_days),
            r.min_count
        ),
        facts: json!({
            "account": name, "side": side, "count": n, "min_count": r.min_count, "amounts": amounts,
            "total": round2(total), "reporting_threshold": threshold, "currency": currency, "margin": r.margin,
            "window_days": r.window_days,
        }),
        paths: Vec::new(),
        window: (first, now),
    })
}
