//! # Fan-in / collector
//!
//! **What it detects.** One account receiving from many *distinct, new* senders inside a
//! window: a burst (`short_min_senders` within `short_window_days`) or a campaign
//! (`long_min_senders` within `long_window_days`). The score rises with the number of
//! senders and again when the collected money leaves soon after it arrives.
//!
//! **Why it matters for terrorist financing.** Online fundraising and crowdfunding for
//! terrorist causes collect many small donations into one account (FATF 2023, *Crowdfunding
//! for Terrorism Financing*: "account receives a conspicuously large volume of transfers",
//! "promoter withdraws funds immediately after each donation"). Counting only senders that
//! are new to the collector keeps regular payers (salaries, rent, family support) out.
//!
//! **Example.** Account `C` receives 250-900 USD from 12 accounts it never dealt with
//! between 3 and 20 March, and sends 80 % of it on within 3 days: `fan_in`, score
//! 55 + 8 (4 senders over the minimum) + 15 (rapid withdrawal) = 78.
//!
//! **Parameters** (`[fan_in]`): `short_window_days`, `short_min_senders`,
//! `long_window_days`, `long_min_senders`, `new_senders_only`, `withdrawal_days`,
//! `withdrawal_min_share`, `base_score`, `per_extra_sender`, `max_sender_points`,
//! `withdrawal_points`.

use serde_json::json;

use super::{Ctx, Finding, Parties, extra_points, fmt_days, part};
use crate::alert::Typology;
use crate::rules::days;
use crate::state::AcctId;

/// Evaluates the collector pattern for account `collector` at the current event time.
pub fn detect(ctx: &Ctx<'_>, collector: AcctId) -> Option<Finding> {
    let r = &ctx.rules.fan_in;
    if !r.enabled {
        return None;
    }
    let now = ctx.now();
    let acc = ctx.store.account(collector)?;
    // Cheap precondition: not enough incoming edges in the longest window at all.
    let min_any = r.short_min_senders.min(r.long_min_senders);
    if acc.ins.len() < min_any {
        return None;
    }
    let mut best: Option<(&str, f64, usize, Parties, i64)> = None;
    for (label, window, min) in [
        ("long", r.long_window_days, r.long_min_senders),
        ("short", r.short_window_days, r.short_min_senders),
    ] {
        let from = now - days(window);
        let mut senders = Parties::default();
        let mut first_ts = now;
        for (s, e) in ctx.store.ins_since(collector, from) {
            if e.from == collector || (r.new_senders_only && e.pair_first_in < from) {
                continue;
            }
            senders.add(e.from, s);
            first_ts = first_ts.min(e.ts);
        }
        senders.list.reverse(); // oldest first
        if senders.len() >= min {
            // The long window is tried first: when it fires it covers the short one.
            best = Some((label, window, min, senders, first_ts));
            break;
        }
    }
    let (label, window, min, senders, first_ts) = best?;
    let n = senders.len();
    let mut edges: Vec<_> = senders.edges().collect();
    edges.sort_unstable();
    let collected: f64 = edges
        .iter()
        .filter_map(|&s| ctx.store.edge(s))
        .map(|e| e.amount)
        .sum();
    // Money leaving the collector since the first counted donation.
    let out_from = first_ts;
    let withdrawn: f64 = ctx
        .store
        .outs_since(collector, out_from)
        .filter(|(_, e)| e.ts <= now + days(r.withdrawal_days))
        .map(|(_, e)| e.amount)
        .sum();
    let share = if collected > 0.0 {
        withdrawn / collected
    } else {
        0.0
    };
    let mut parts = vec![
        part(format!("fan_in.{label}_window"), r.base_score),
        part(
            "fan_in.extra_senders",
            extra_points(n - min, r.per_extra_sender, r.max_sender_points),
        ),
    ];
    let rapid = share >= r.withdrawal_min_share && withdrawn > 0.0;
    if rapid {
        parts.push(part("fan_in.rapid_withdrawal", r.withdrawal_points));
    }
    let mut accounts = vec![collector];
    accounts.extend(senders.accounts());
    let name = ctx.store.name(collector);
    Some(Finding {
        typology: Typology::FanIn,
        key: vec![collector],
        tag: "",
        accounts,
        edges,
        parts,
        summary: format!(
            "{name} received {collected:.2} from {n} distinct {}senders within {} days (threshold {min}){}",
            if r.new_senders_only { "new " } else { "" },
            fmt_days(window),
            if rapid {
                format!("; {:.0}% of it left again", share * 100.0)
            } else {
                String::new()
            }
        ),
        facts: json!({
            "collector": name,
            "window": label,
            "window_days": window,
            "distinct_senders": n,
            "min_senders": min,
            "new_senders_only": r.new_senders_only,
            "collected_amount": round2(collected),
            "withdrawn_amount": round2(withdrawn),
            "withdrawn_share": round2(share),
            "withdrawal_min_share": r.withdrawal_min_share,
        }),
        paths: Vec::new(),
        window: (first_ts, now),
    })
}

pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
