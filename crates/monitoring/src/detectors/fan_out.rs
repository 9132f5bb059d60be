//! # Fan-out / dispersal
//!
//! **What it detects.** One account paying many *distinct, new* recipients inside a window:
//! `short_min_recipients` within `short_window_days`, or `long_min_recipients` within
//! `long_window_days`. Recipients paid more than `max_repeat_per_recipient` times in the
//! window are regular payees and do not count.
//!
//! **Why it matters for terrorist financing.** Collected funds are dispersed to cells,
//! fighters' families and facilitators in many small transfers, often through money
//! mules, so that no single transfer stands out (FATF 2015 *Emerging TF Risks*; FATF 2018
//! ISIL/AQ monitoring report).
//!
//! **Example.** Account `D` pays 14 accounts it never paid before between 5 and 16 February:
//! `fan_out`, score 55 + 14 (7 recipients over the minimum) = 69.
//!
//! **Parameters** (`[fan_out]`): `short_window_days`, `short_min_recipients`,
//! `long_window_days`, `long_min_recipients`, `new_recipients_only`,
//! `max_repeat_per_recipient`, `base_score`, `per_extra_recipient`, `max_recipient_points`.

use serde_json::json;

use super::fan_in::round2;
use super::{Ctx, Finding, Parties, extra_points, fmt_days, part};
use crate::alert::Typology;
use crate::rules::days;
use crate::state::AcctId;

/// Evaluates the dispersal pattern for account `payer` at the current event time.
pub fn detect(ctx: &Ctx<'_>, payer: AcctId) -> Option<Finding> {
    let r = &ctx.rules.fan_out;
    if !r.enabled {
        return None;
    }
    let now = ctx.now();
    let acc = ctx.store.account(payer)?;
    if acc.outs.len() < r.short_min_recipients.min(r.long_min_recipients) {
        return None;
    }
    let mut hit = None;
    for (label, window, min) in [
        ("long", r.long_window_days, r.long_min_recipients),
        ("short", r.short_window_days, r.short_min_recipients),
    ] {
        let from = now - days(window);
        let mut all = Parties::default();
        let mut first_ts = now;
        for (s, e) in ctx.store.outs_since(payer, from) {
            if e.to == payer || (r.new_recipients_only && e.pair_first_out < from) {
                continue;
            }
            all.add(e.to, s);
            first_ts = first_ts.min(e.ts);
        }
        let mut recipients = Parties::default();
        for (a, v) in all.list.into_iter().rev() {
            if v.len() <= r.max_repeat_per_recipient.max(1) {
                recipients.list.push((a, v));
            }
        }
        if recipients.len() >= min {
            hit = Some((label, window, min, recipients, first_ts));
            break;
        }
    }
    let (label, window, min, recipients, first_ts) = hit?;
    let n = recipients.len();
    let mut edges: Vec<_> = recipients.edges().collect();
    edges.sort_unstable();
    let paid: f64 = edges
        .iter()
        .filter_map(|&s| ctx.store.edge(s))
        .map(|e| e.amount)
        .sum();
    let mut accounts = vec![payer];
    accounts.extend(recipients.accounts());
    let name = ctx.store.name(payer);
    Some(Finding {
        typology: Typology::FanOut,
        key: vec![payer],
        tag: "",
        accounts,
        edges,
        parts: vec![
            part(format!("fan_out.{label}_window"), r.base_score),
            part(
                "fan_out.extra_recipients",
                extra_points(n - min, r.per_extra_recipient, r.max_recipient_points),
            ),
        ],
        summary: format!(
            "{name} paid {paid:.2} to {n} distinct {}recipients within {} days (threshold {min})",
            if r.new_recipients_only { "new " } else { "" },
            fmt_days(window)
        ),
        facts: json!({
            "payer": name,
            "window": label,
            "window_days": window,
            "distinct_recipients": n,
            "min_recipients": min,
            "new_recipients_only": r.new_recipients_only,
            "max_repeat_per_recipient": r.max_repeat_per_recipient,
            "paid_amount": round2(paid),
        }),
        paths: Vec::new(),
        window: (first_ts, now),
    })
}
