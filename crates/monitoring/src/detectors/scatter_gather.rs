//! # Scatter-gather (two hops)
//!
//! **What it detects.** One origin paying several intermediaries, each of which pays the
//! same beneficiary afterwards, all inside `window_days`: origin -> {m1..mk} -> beneficiary
//! with k ≥ `min_intermediaries`. Evaluated at the beneficiary when a transfer arrives.
//!
//! **Why it matters for terrorist financing.** Splitting a transfer over mules or
//! hawala-style intermediaries and re-assembling it at the destination hides the link
//! between the financier and the cell; it is the classic layering step before funds
//! reach a conflict zone (FATF 2015, hawala and MVTS abuse).
//!
//! **Example.** `O` pays `M1`, `M2`, `M3`, `M4` on 16-18 April; they pay `B` on 22-24 April:
//! `scatter_gather` with paths O->Mi->B, score 60 + 4 = 64.
//!
//! **Parameters** (`[scatter_gather]`): `window_days`, `min_intermediaries`, `base_score`,
//! `per_extra_intermediary`, `max_intermediary_points`.

use serde_json::json;

use super::fan_in::round2;
use super::{Ctx, Finding, extra_points, fmt_days, part};
use crate::alert::Typology;
use crate::rules::days;
use crate::state::{AcctId, Seq};

/// Bound on edges visited per evaluation, so a hub beneficiary cannot make one
/// transaction expensive.
const MAX_VISITS: usize = 4096;

/// origin -> [(intermediary, first-hop edge, second-hop edge)]
type ByOrigin = Vec<(AcctId, Vec<(AcctId, Seq, Seq)>)>;

/// Evaluates the pattern with `bene` as the gathering account.
pub fn detect(ctx: &Ctx<'_>, bene: AcctId) -> Option<Finding> {
    let r = &ctx.rules.scatter_gather;
    if !r.enabled {
        return None;
    }
    let acc = ctx.store.account(bene)?;
    if acc.ins.len() < r.min_intermediaries {
        return None;
    }
    let now = ctx.now();
    let from = now - days(r.window_days);
    // origin -> [(intermediary, first-hop edge, second-hop edge)]
    let mut by_origin: ByOrigin = Vec::new();
    let mut visits = 0usize;
    let mut mids_seen: Vec<AcctId> = Vec::new();
    for (s2, e2) in ctx.store.ins_since(bene, from) {
        let mid = e2.from;
        if mid == bene || mids_seen.contains(&mid) {
            continue;
        }
        mids_seen.push(mid);
        for (s1, e1) in ctx.store.ins_since(mid, from) {
            visits += 1;
            if visits > MAX_VISITS {
                break;
            }
            let origin = e1.from;
            if origin == bene || origin == mid || e1.ts > e2.ts {
                continue;
            }
            match by_origin.iter_mut().find(|(o, _)| *o == origin) {
                Some((_, v)) => {
                    if !v.iter().any(|(m, _, _)| *m == mid) {
                        v.push((mid, s1, s2));
                    }
                }
                None => by_origin.push((origin, vec![(mid, s1, s2)])),
            }
        }
    }
    let (origin, mids) = by_origin
        .into_iter()
        .max_by_key(|(o, v)| (v.len(), std::cmp::Reverse(*o)))?;
    let k = mids.len();
    if k < r.min_intermediaries {
        return None;
    }
    let mut edges = Vec::new();
    let mut accounts = vec![origin, bene];
    let mut paths = Vec::new();
    let (mut out_sum, mut in_sum, mut first) = (0.0, 0.0, now);
    for &(m, s1, s2) in &mids {
        edges.push(s1);
        edges.push(s2);
        accounts.push(m);
        paths.push(vec![origin, m, bene]);
        if let (Some(e1), Some(e2)) = (ctx.store.edge(s1), ctx.store.edge(s2)) {
            out_sum += e1.amount;
            in_sum += e2.amount;
            first = first.min(e1.ts);
        }
    }
    edges.sort_unstable();
    edges.dedup();
    let (on, bn) = (ctx.store.name(origin), ctx.store.name(bene));
    Some(Finding {
        typology: Typology::ScatterGather,
        key: vec![origin, bene],
        tag: "",
        accounts,
        edges,
        parts: vec![
            part("scatter_gather.intermediaries", r.base_score),
            part(
                "scatter_gather.extra_intermediaries",
                extra_points(
                    k - r.min_intermediaries,
                    r.per_extra_intermediary,
                    r.max_intermediary_points,
                ),
            ),
        ],
        summary: format!(
            "{on} paid {out_sum:.2} to {k} intermediaries who paid {in_sum:.2} on to {bn} within {} days (threshold {})",
            fmt_days(r.window_days),
            r.min_intermediaries
        ),
        facts: json!({
            "origin": on, "beneficiary": bn, "intermediaries": k, "min_intermediaries": r.min_intermediaries,
            "window_days": r.window_days, "scattered_amount": round2(out_sum), "gathered_amount": round2(in_sum),
        }),
        paths,
        window: (first, now),
    })
}
