//! # Cycles (round-tripping)
//!
//! **What it detects.** A directed cycle of `min_hops`..`max_hops` transfers through
//! distinct accounts, closed by the current transfer, with every leg inside `window_days`.
//! With `time_respecting = true` each leg must follow the previous one in time (up to
//! `order_slack_days`), i.e. the money itself can have travelled the loop; with `false`
//! the legs may settle in any order inside the window (batch settlement, day-resolution
//! exports, and launderers who pre-fund the return leg all break strict order).
//! The search visits at most `max_search_edges` edges per transaction.
//!
//! **Why it matters for terrorist financing.** Round-tripping through several accounts
//! (often across borders and via front companies or hawaladars settling with each other)
//! manufactures a legitimate-looking origin for funds and settles hawala balances.
//!
//! **Example.** A->B on 5 March, B->C on 12 March, C->A on 20 March: a 3-hop `cycle`, path
//! A->B->C->A, score 65.
//!
//! **Parameters** (`[cycle]`): `min_hops`, `max_hops`, `window_days`, `time_respecting`,
//! `order_slack_days`, `max_search_edges`, `base_score`, `per_extra_hop`.

use serde_json::json;

use super::fan_in::round2;
use super::{Ctx, Finding, fmt_days, part};
use crate::alert::Typology;
use crate::rules::days;
use crate::state::{AcctId, Seq};
use rustc_hash::FxHashMap;

/// Most accounts the backward pre-pass may label (bounds its cost at hubs).
const MAX_BACKWARD_NODES: usize = 4096;

/// Result of a search: the cycle (edges in path order) and whether the budget ran out.
#[derive(Debug)]
pub struct Search {
    /// Edges of the cycle found, starting with the current transfer.
    pub cycle: Option<Vec<Seq>>,
    /// The edge budget was exhausted before the search completed.
    pub truncated: bool,
}

struct Dfs<'c, 'a> {
    ctx: &'c Ctx<'a>,
    target: AcctId,
    from: i64,
    max_edges_left: usize,
    slack: i64,
    strict: bool,
    path_nodes: Vec<AcctId>,
    path_edges: Vec<Seq>,
    visits: usize,
    budget: usize,
    /// Shortest distance (in legs, inside the window) from an account to the target,
    /// for every account within `back_depth` legs of it.
    back: FxHashMap<AcctId, u8>,
    /// Depth up to which `back` is complete; deeper accounts are not pruned.
    back_depth: usize,
}

impl Dfs<'_, '_> {
    /// Depth-first from `node`, last leg time `last_ts`; true when the target was reached.
    fn go(&mut self, node: AcctId, last_ts: i64, left: usize) -> bool {
        if left == 0 {
            return false;
        }
        let store = self.ctx.store;
        let Some(acc) = store.account(node) else {
            return false;
        };
        for &s in acc.outs.iter().rev() {
            let Some(e) = store.edge(s) else { break };
            if e.ts < self.from {
                break;
            }
            if s == self.ctx.seq {
                continue;
            }
            self.visits += 1;
            if self.visits > self.budget {
                return false;
            }
            if self.strict && e.ts + self.slack < last_ts {
                continue;
            }
            if e.to == self.target {
                // Closing the loop: the path ends at the target, which then sends the
                // current transfer. In strict mode that transfer must come after this leg.
                if self.path_edges.len() + 2 >= self.ctx.rules.cycle.min_hops
                    && (!self.strict || self.ctx.edge.ts + self.slack >= e.ts)
                {
                    self.path_edges.push(s);
                    return true;
                }
                continue;
            }
            if self.path_nodes.contains(&e.to) || left <= 1 {
                continue;
            }
            // Meet in the middle: with `left - 1` legs remaining from e.to, skip accounts
            // the backward pass proved cannot reach the target in that many legs.
            let rem = left - 1;
            if rem <= self.back_depth && self.back.get(&e.to).is_none_or(|&d| d as usize > rem) {
                continue;
            }
            self.path_nodes.push(e.to);
            self.path_edges.push(s);
            if self.go(e.to, e.ts, left - 1) {
                return true;
            }
            self.path_nodes.pop();
            self.path_edges.pop();
        }
        false
    }
}

/// Searches for a cycle closed by the current transfer.
pub fn search(ctx: &Ctx<'_>) -> Search {
    let r = &ctx.rules.cycle;
    let e = ctx.edge;
    if !r.enabled || e.from == e.to {
        return Search {
            cycle: None,
            truncated: false,
        };
    }
    // The current transfer is u->v; look for v -> ... -> u in the window.
    let from = e.ts - days(r.window_days);
    let legs = r.max_hops.saturating_sub(1);
    // Quick rejects: u received nothing, or v sent nothing else, inside the window.
    let has_in = ctx.store.ins_since(e.from, from).any(|(s, _)| s != ctx.seq);
    let has_out = ctx.store.outs_since(e.to, from).any(|(s, _)| s != ctx.seq);
    if !has_in || !has_out {
        return Search {
            cycle: None,
            truncated: false,
        };
    }
    let (back, back_depth) = backward(ctx, e.from, from, legs / 2);
    let mut dfs = Dfs {
        ctx,
        target: e.from,
        from,
        max_edges_left: legs,
        slack: days(r.order_slack_days),
        strict: r.time_respecting,
        path_nodes: vec![e.from, e.to],
        path_edges: Vec::new(),
        visits: 0,
        budget: r.max_search_edges.max(1),
        back,
        back_depth,
    };
    // In strict mode the first leg after v may not precede... nothing (v's first leg is the
    // earliest of the loop); so start with the window start as the last leg time.
    let start_ts = if r.time_respecting { i64::MIN / 2 } else { 0 };
    let found = dfs.go(e.to, start_ts, dfs.max_edges_left);
    let truncated = dfs.visits > dfs.budget;
    if !found {
        return Search {
            cycle: None,
            truncated,
        };
    }
    let mut edges = vec![ctx.seq];
    edges.extend(dfs.path_edges);
    Search {
        cycle: Some(edges),
        truncated,
    }
}

/// Breadth-first over incoming edges from `target`: the shortest number of legs from each
/// nearby account to `target` inside the window. Returns the map and the depth up to which
/// it is complete (less than `depth` when the node cap stopped it).
fn backward(
    ctx: &Ctx<'_>,
    target: AcctId,
    from: i64,
    depth: usize,
) -> (FxHashMap<AcctId, u8>, usize) {
    let mut dist: FxHashMap<AcctId, u8> = FxHashMap::default();
    dist.insert(target, 0);
    let mut frontier = vec![target];
    let mut complete = 0;
    for d in 1..=depth {
        let mut next = Vec::new();
        for &x in &frontier {
            for (s, e) in ctx.store.ins_since(x, from) {
                if s == ctx.seq {
                    continue;
                }
                if let std::collections::hash_map::Entry::Vacant(v) = dist.entry(e.from) {
                    v.insert(d as u8);
                    next.push(e.from);
                }
            }
            if dist.len() > MAX_BACKWARD_NODES {
                return (dist, complete);
            }
        }
        complete = d;
        if next.is_empty() {
            // Nothing further upstream: the map is complete at any depth.
            return (dist, usize::MAX);
        }
        frontier = next;
    }
    (dist, complete)
}

/// Builds the finding for a cycle found by [`search`].
pub fn finding(ctx: &Ctx<'_>, cycle: &[Seq]) -> Option<Finding> {
    let r = &ctx.rules.cycle;
    let legs: Vec<_> = cycle
        .iter()
        .filter_map(|&s| ctx.store.edge(s).map(|e| (s, e)))
        .collect();
    if legs.len() != cycle.len() || legs.is_empty() {
        return None;
    }
    let nodes: Vec<AcctId> = legs.iter().map(|(_, e)| e.from).collect();
    // Canonical rotation: start at the smallest external id, so the same loop found from a
    // different closing leg gets the same key.
    let start =
        (0..nodes.len()).min_by(|&a, &b| ctx.store.name(nodes[a]).cmp(ctx.store.name(nodes[b])))?;
    let key: Vec<AcctId> = nodes[start..]
        .iter()
        .chain(nodes[..start].iter())
        .copied()
        .collect();
    let mut path = key.clone();
    path.push(key[0]);
    let hops = legs.len();
    let first = legs.iter().map(|(_, e)| e.ts).min().unwrap_or(ctx.now());
    let amounts: Vec<f64> = legs.iter().map(|(_, e)| round2(e.amount)).collect();
    let mut edges: Vec<Seq> = cycle.to_vec();
    edges.sort_unstable();
    let names: Vec<&str> = path.iter().map(|&a| ctx.store.name(a)).collect();
    Some(Finding {
        typology: Typology::Cycle,
        key: key.clone(),
        tag: "",
        accounts: key,
        edges,
        parts: vec![
            part("cycle.closed", r.base_score),
            part(
                "cycle.extra_hops",
                (hops.saturating_sub(r.min_hops)) as f64 * r.per_extra_hop,
            ),
        ],
        summary: format!(
            "money returned to its start through {hops} transfers within {} days: {}",
            fmt_days(r.window_days),
            names.join(" -> ")
        ),
        facts: json!({
            "hops": hops, "min_hops": r.min_hops, "max_hops": r.max_hops, "window_days": r.window_days,
            "time_respecting": r.time_respecting, "leg_amounts": amounts,
            "span_days": (ctx.now() - first) as f64 / 86400.0,
        }),
        paths: vec![path],
        window: (first, ctx.now()),
    })
}
