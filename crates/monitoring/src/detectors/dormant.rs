//! # Dormant-account reactivation ("sleeper")
//!
//! **What it detects.** An account silent for at least `min_silence_days` that, within
//! `activity_window_days` of waking, makes at least `min_tx` transfers or moves at least
//! `min_volume_multiple` times its pre-dormancy average amount (and at least `min_volume`).
//!
//! **Why it matters for terrorist financing.** Sleeper cells and facilitators keep accounts
//! quiet until funds are needed for an operation or travel; a long-quiet account suddenly
//! moving money is a standard FATF/Egmont TF indicator.
//!
//! **Example.** `Z` last moved money on 2 January; on 15 May it receives 3,000 and makes
//! four transfers abroad within 3 days: `dormant`, silence 133 days, score 55.
//!
//! **Parameters** (`[dormant]`): `min_silence_days`, `activity_window_days`, `min_tx`,
//! `min_volume_multiple`, `min_volume`, `base_score`, `per_extra_tx`, `max_extra_points`.

use serde_json::json;

use super::fan_in::round2;
use super::{Ctx, Finding, extra_points, fmt_days, part};
use crate::alert::Typology;
use crate::rules::days;
use crate::state::AcctId;

/// Evaluates reactivation for `acct`, which woke at `woke_at` after `silence` seconds with
/// an average amount of `avg_before` before.
pub fn detect(
    ctx: &Ctx<'_>,
    acct: AcctId,
    woke_at: i64,
    silence: i64,
    avg_before: f64,
) -> Option<Finding> {
    let r = &ctx.rules.dormant;
    if !r.enabled {
        return None;
    }
    let now = ctx.now();
    if now - woke_at > days(r.activity_window_days) {
        return None;
    }
    let mut edges: Vec<_> = ctx
        .store
        .ins_since(acct, woke_at)
        .chain(ctx.store.outs_since(acct, woke_at))
        .collect();
    edges.sort_unstable_by_key(|(s, _)| *s);
    edges.dedup_by_key(|(s, _)| *s);
    let n = edges.len();
    let volume: f64 = edges.iter().map(|(_, e)| e.amount).sum();
    let by_count = n >= r.min_tx.max(1);
    let by_volume = avg_before > 0.0 && volume >= r.min_volume_multiple * avg_before;
    if !(by_count || by_volume) || volume < r.min_volume {
        return None;
    }
    let mut accounts = vec![acct];
    for (_, e) in &edges {
        for a in [e.from, e.to] {
            if !accounts.contains(&a) {
                accounts.push(a);
            }
        }
    }
    let name = ctx.store.name(acct);
    let silence_days = silence as f64 / 86_400.0;
    Some(Finding {
        typology: Typology::Dormant,
        key: vec![acct],
        tag: "",
        accounts,
        edges: edges.iter().map(|(s, _)| *s).collect(),
        parts: vec![
            part("dormant.reactivated", r.base_score),
            part(
                "dormant.extra_tx",
                extra_points(
                    n.saturating_sub(r.min_tx),
                    r.per_extra_tx,
                    r.max_extra_points,
                ),
            ),
        ],
        summary: format!(
            "{name} was silent for {silence_days:.0} days (threshold {}) and then moved {volume:.2} in {n} transfers within {} days",
            fmt_days(r.min_silence_days),
            fmt_days(r.activity_window_days)
        ),
        facts: json!({
            "account": name, "silence_days": round2(silence_days), "min_silence_days": r.min_silence_days,
            "tx_after_waking": n, "min_tx": r.min_tx, "volume_after_waking": round2(volume),
            "average_amount_before": round2(avg_before), "min_volume_multiple": r.min_volume_multiple,
            "min_volume": r.min_volume, "activity_window_days": r.activity_window_days,
        }),
        paths: Vec::new(),
        window: (woke_at, now),
    })
}
