//! The picture of an alert: its accounts and the money flows between them, drawn as a
//! self-contained SVG on the server so the pattern is seen, not read (alert page, case report).
//!
//! Public API (stable; the case report calls it):
//! ```text
//! pub fn alert_graph(alert: &serde_json::Value, txs: &[store::StoredTransaction]) -> AlertGraph;
//! pub fn alert_svg(alert: &serde_json::Value, txs: &[store::StoredTransaction]) -> String;
//! ```
//! `alert` is the alert JSON as the monitoring engine writes it (`StoredAlert::body`: it reads
//! `alert_id`, `typology`, `score`, `accounts` (key account first), `explanation.paths` and,
//! for `listed_counterparty`, `explanation.facts.account`); `txs` are the alert's transactions
//! (`Store::alert_transactions`). Transactions between accounts outside the alert are ignored.
//!
//! Layout (deterministic: same input, same bytes; no randomness, no hash-map order):
//! - flows are summed per (from, to) pair: amount, count, currency;
//! - cycles (`typology = cycle`, or an explanation path that returns to its start) are drawn on
//!   a circle in path order, key account at the top;
//! - everything else in layers by longest path from the money's sources (senders left,
//!   receivers right: fan-in, fan-out, scatter-gather, gather-scatter and pass-through read
//!   left to right), the key account's layer centred and the key account highlighted;
//! - at most [`MAX_NODES`] accounts are drawn (the key accounts first, then the counterparties
//!   that moved the most money); the rest are summarised as "and N more accounts".
//!
//! Hand-written rather than a graph-layout crate: the layouts needed are two simple, fixed
//! shapes, and a dependency (graphviz bindings, layout engines) would bring system libraries
//! or nondeterministic force layouts.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use store::StoredTransaction;
use utoipa::ToSchema;

/// Most accounts drawn in one picture.
pub const MAX_NODES: usize = 41;
const WIDTH: f64 = 960.0;
const ROW: f64 = 34.0;
const MARGIN: f64 = 60.0;
const R_NODE: f64 = 11.0;
const R_KEY: f64 = 18.0;

/// An account in the alert graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GraphNode {
    pub id: String,
    /// `key` for the account the alert is about, `member` for the other accounts.
    pub role: String,
    /// True when the account's holder matched a watchlist entry in this alert.
    pub listed: bool,
}

/// Money moved from one account to another within the alert, summed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    pub amount: f64,
    pub count: u64,
    /// Currency of the transfers (`mixed` when they differ).
    pub currency: String,
}

/// Accounts and summed flows of an alert (the `graph` of `GET /v1/alerts/{id}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct AlertGraph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

fn str_list(v: Option<&serde_json::Value>) -> Vec<String> {
    v.and_then(|x| x.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn paths(alert: &serde_json::Value) -> Vec<Vec<String>> {
    alert
        .pointer("/explanation/paths")
        .and_then(|p| p.as_array())
        .map(|ps| ps.iter().map(|p| str_list(Some(p))).collect())
        .unwrap_or_default()
}

fn key_account(alert: &serde_json::Value) -> Option<String> {
    str_list(alert.get("accounts")).into_iter().next()
}

fn listed_accounts(alert: &serde_json::Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if alert.get("typology").and_then(|t| t.as_str()) == Some("listed_counterparty")
        && let Some(a) = alert
            .pointer("/explanation/facts/account")
            .and_then(|a| a.as_str())
    {
        out.insert(a.to_string());
    }
    out
}

/// The alert's accounts and its flows summed per (from, to). Nodes: the alert's accounts in
/// its order (key first), then any other account its transactions touch; edges sorted by
/// (from, to).
pub fn alert_graph(alert: &serde_json::Value, txs: &[StoredTransaction]) -> AlertGraph {
    let key = key_account(alert);
    let listed = listed_accounts(alert);
    let mut order: Vec<String> = str_list(alert.get("accounts"));
    let mut seen: BTreeSet<String> = order.iter().cloned().collect();
    let mut flows: BTreeMap<(String, String), GraphEdge> = BTreeMap::new();
    for t in txs {
        for a in [&t.orig_acct, &t.bene_acct] {
            if seen.insert(a.clone()) {
                order.push(a.clone());
            }
        }
        let e = flows
            .entry((t.orig_acct.clone(), t.bene_acct.clone()))
            .or_insert_with(|| GraphEdge {
                from: t.orig_acct.clone(),
                to: t.bene_acct.clone(),
                amount: 0.0,
                count: 0,
                currency: t.currency.clone(),
            });
        e.amount += t.amount;
        e.count += 1;
        if e.currency != t.currency {
            e.currency = "mixed".into();
        }
    }
    let nodes = order
        .into_iter()
        .map(|id| GraphNode {
            role: if Some(&id) == key.as_ref() {
                "key".into()
            } else {
                "member".into()
            },
            listed: listed.contains(&id),
            id,
        })
        .collect();
    let edges = flows
        .into_values()
        .map(|mut e| {
            e.amount = (e.amount * 100.0).round() / 100.0;
            e
        })
        .collect();
    AlertGraph { nodes, edges }
}

/// Escapes text for SVG/XML content and attribute values.
/// The point at `t` on the quadratic Bézier curve `a`–`b`–`c` (one coordinate).
fn lerp2(a: f64, b: f64, c: f64, t: f64) -> f64 {
    let u = 1.0 - t;
    u * u * a + 2.0 * u * t * b + t * t * c
}

/// Escapes text for XML/HTML content and attribute values; control characters (not allowed
/// in XML 1.0) become U+FFFD so a hostile account id cannot break the SVG.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// `12,345.60`: amounts as an analyst reads them.
fn money(v: f64) -> String {
    let cents = (v * 100.0).round() as i64;
    let (whole, frac) = (cents.abs() / 100, cents.abs() % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{grouped}.{frac:02}")
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Picks the accounts to draw: key accounts (the alert's own list, in order, up to a
/// third of the budget), then the rest by money moved, descending (ties by id).
fn select(graph: &AlertGraph, alert: &serde_json::Value) -> (Vec<String>, usize) {
    let mut volume: BTreeMap<&str, f64> = BTreeMap::new();
    for e in &graph.edges {
        *volume.entry(&e.from).or_default() += e.amount;
        *volume.entry(&e.to).or_default() += e.amount;
    }
    let mut chosen: Vec<String> = Vec::new();
    let key = key_account(alert);
    if let Some(k) = &key {
        chosen.push(k.clone());
    }
    // Path accounts (cycle members, intermediaries) matter more than volume.
    for p in paths(alert) {
        for a in p {
            if chosen.len() < MAX_NODES / 2 && !chosen.contains(&a) {
                chosen.push(a);
            }
        }
    }
    let mut rest: Vec<&GraphNode> = graph
        .nodes
        .iter()
        .filter(|n| !chosen.contains(&n.id))
        .collect();
    rest.sort_by(|a, b| {
        let va = volume.get(a.id.as_str()).copied().unwrap_or(0.0);
        let vb = volume.get(b.id.as_str()).copied().unwrap_or(0.0);
        b.listed
            .cmp(&a.listed)
            .then(vb.total_cmp(&va))
            .then(a.id.cmp(&b.id))
    });
    let total = graph.nodes.len().max(chosen.len());
    for n in rest {
        if chosen.len() >= MAX_NODES {
            break;
        }
        chosen.push(n.id.clone());
    }
    let hidden = total.saturating_sub(chosen.len());
    (chosen, hidden)
}

fn is_cycle(alert: &serde_json::Value) -> Option<Vec<String>> {
    let typ = alert.get("typology").and_then(|t| t.as_str()).unwrap_or("");
    let ps = paths(alert);
    let closed = ps
        .iter()
        .find(|p| p.len() >= 3 && p.first() == p.last())
        .cloned();
    match (typ, closed) {
        (_, Some(mut p)) => {
            p.pop();
            Some(p)
        }
        ("cycle", None) => ps
            .into_iter()
            .next()
            .or_else(|| Some(str_list(alert.get("accounts")))),
        _ => None,
    }
}

/// Longest-path layering from the sources; edges that close a loop (found by a DFS in id
/// order) are ignored for layering so it always terminates.
fn layers(nodes: &[String], edges: &[&GraphEdge]) -> BTreeMap<String, usize> {
    let idx: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for e in edges {
        if let (Some(&a), Some(&b)) = (idx.get(e.from.as_str()), idx.get(e.to.as_str()))
            && a != b
        {
            succ[a].push(b);
        }
    }
    for s in &mut succ {
        s.sort_unstable();
        s.dedup();
    }
    // Iterative DFS: drop back edges, record a topological order.
    let mut state = vec![0u8; nodes.len()]; // 0 new, 1 on stack, 2 done
    let mut topo: Vec<usize> = Vec::new();
    let mut dag: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for start in 0..nodes.len() {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (v, ref mut i)) = stack.last_mut() {
            if *i < succ[v].len() {
                let w = succ[v][*i];
                *i += 1;
                match state[w] {
                    0 => {
                        dag[v].push(w);
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    2 => dag[v].push(w),
                    _ => {} // back edge: closes a loop
                }
            } else {
                state[v] = 2;
                topo.push(v);
                stack.pop();
            }
        }
    }
    topo.reverse();
    let mut layer = vec![0usize; nodes.len()];
    for &v in &topo {
        for &w in &dag[v] {
            layer[w] = layer[w].max(layer[v] + 1);
        }
    }
    nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), layer[i]))
        .collect()
}

/// The alert as a self-contained SVG document (no scripts, no external references).
pub fn alert_svg(alert: &serde_json::Value, txs: &[StoredTransaction]) -> String {
    let graph = alert_graph(alert, txs);
    let (chosen, hidden) = select(&graph, alert);
    let shown: BTreeSet<&str> = chosen.iter().map(String::as_str).collect();
    let edges: Vec<&GraphEdge> = graph
        .edges
        .iter()
        .filter(|e| shown.contains(e.from.as_str()) && shown.contains(e.to.as_str()))
        .collect();
    let hidden_edges = graph.edges.len() - edges.len();
    let key = key_account(alert);
    let listed = listed_accounts(alert);

    let mut pos: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let height;
    if let Some(cycle) = is_cycle(alert) {
        let mut ring: Vec<String> = cycle
            .into_iter()
            .filter(|a| shown.contains(a.as_str()))
            .collect();
        for a in &chosen {
            if !ring.contains(a) {
                ring.push(a.clone());
            }
        }
        // Key account at the top.
        if let Some(k) = &key
            && let Some(i) = ring.iter().position(|a| a == k)
        {
            ring.rotate_left(i);
        }
        let n = ring.len().max(1) as f64;
        let radius = (60.0 + 16.0 * n).min(300.0);
        height = 2.0 * radius + 2.0 * MARGIN + 40.0;
        let (cx, cy) = (WIDTH / 2.0, MARGIN + 20.0 + radius);
        for (i, a) in ring.iter().enumerate() {
            let t = std::f64::consts::TAU * i as f64 / n - std::f64::consts::FRAC_PI_2;
            pos.insert(a.clone(), (cx + radius * t.cos(), cy + radius * t.sin()));
        }
    } else {
        let lay = layers(&chosen, &edges);
        let key_layer = key.as_ref().and_then(|k| lay.get(k)).copied().unwrap_or(0);
        let max_layer = lay.values().copied().max().unwrap_or(0);
        let mut columns: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for a in &chosen {
            columns
                .entry(lay.get(a).copied().unwrap_or(0))
                .or_default()
                .push(a.clone());
        }
        let mut volume: BTreeMap<&str, f64> = BTreeMap::new();
        for e in &edges {
            *volume.entry(&e.from).or_default() += e.amount;
            *volume.entry(&e.to).or_default() += e.amount;
        }
        for col in columns.values_mut() {
            col.sort_by(|a, b| {
                let ka = Some(a) == key.as_ref();
                let kb = Some(b) == key.as_ref();
                let va = volume.get(a.as_str()).copied().unwrap_or(0.0);
                let vb = volume.get(b.as_str()).copied().unwrap_or(0.0);
                kb.cmp(&ka).then(vb.total_cmp(&va)).then(a.cmp(b))
            });
        }
        let tallest = columns.values().map(Vec::len).max().unwrap_or(1).max(1);
        height = tallest as f64 * ROW + 2.0 * MARGIN + 40.0;
        let mid_y = MARGIN + 20.0 + tallest as f64 * ROW / 2.0;
        // Key layer centred: layers left of it share the left half, right of it the right.
        let x_of = |l: usize| -> f64 {
            let centre = WIDTH / 2.0;
            let half = centre - MARGIN - 60.0;
            if l < key_layer {
                centre - half * (key_layer - l) as f64 / key_layer as f64
            } else if l > key_layer {
                centre + half * (l - key_layer) as f64 / (max_layer - key_layer) as f64
            } else {
                centre
            }
        };
        for (l, col) in &columns {
            let n = col.len() as f64;
            // Key first, others alternating above and below it, so it stays in the middle.
            for (i, a) in col.iter().enumerate() {
                let slot = if i == 0 {
                    0.0
                } else if i % 2 == 1 {
                    -(i.div_ceil(2) as f64)
                } else {
                    (i / 2) as f64
                };
                let y = if n <= 1.0 { mid_y } else { mid_y + slot * ROW };
                pos.insert(a.clone(), (x_of(*l), y));
            }
        }
    }

    let typology = alert
        .get("typology")
        .and_then(|t| t.as_str())
        .unwrap_or("alert");
    let alert_id = alert.get("alert_id").and_then(|t| t.as_str()).unwrap_or("");
    let score = alert.get("score").and_then(|s| s.as_f64()).unwrap_or(0.0);
    let max_amount = edges.iter().map(|e| e.amount).fold(0.0_f64, f64::max);
    let pairs: BTreeSet<(&str, &str)> = edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();

    let mut s = String::with_capacity(4096 + 400 * edges.len());
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="g-title g-desc" font-family="system-ui, sans-serif" font-size="11">"##,
        w = WIDTH,
        h = height.round()
    );
    let _ = write!(
        s,
        r##"<title id="g-title">{} alert {} (score {:.0}/100)</title><desc id="g-desc">{} accounts, {} flows{}. Arrows point from payer to payee; labels give the summed amount and the number of transfers.</desc>"##,
        escape(typology),
        escape(alert_id),
        score,
        graph.nodes.len(),
        graph.edges.len(),
        key.as_ref()
            .map(|k| format!("; key account {}", escape(k)))
            .unwrap_or_default()
    );
    s.push_str(r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>"##);
    let _ = write!(
        s,
        r##"<rect width="100%" height="100%" fill="#fff"/><text x="{MARGIN}" y="28" font-size="14" font-weight="bold">{} · {} · score {:.0}/100</text>"##,
        escape(typology),
        escape(&short(key.as_deref().unwrap_or(""), 40)),
        score
    );

    s.push_str(r#"<g class="edges">"#);
    for e in &edges {
        let (Some(&(x1, y1)), Some(&(x2, y2))) = (pos.get(&e.from), pos.get(&e.to)) else {
            continue;
        };
        let r_to = if Some(&e.to) == key.as_ref() {
            R_KEY
        } else {
            R_NODE
        };
        let r_from = if Some(&e.from) == key.as_ref() {
            R_KEY
        } else {
            R_NODE
        };
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let (ux, uy) = (dx / len, dy / len);
        // Bend both directions of a two-way flow apart so neither hides the other.
        let bend = if pairs.contains(&(e.to.as_str(), e.from.as_str())) {
            24.0
        } else {
            0.0
        };
        let (sx, sy) = (x1 + ux * r_from, y1 + uy * r_from);
        let (ex, ey) = (x2 - ux * (r_to + 2.0), y2 - uy * (r_to + 2.0));
        let (mx, my) = ((sx + ex) / 2.0 - uy * bend, (sy + ey) / 2.0 + ux * bend);
        let width = if max_amount > 0.0 {
            1.0 + 3.0 * (e.amount / max_amount)
        } else {
            1.0
        };
        // Edges converge on the key account (fan-in) or spread from it (fan-out): put the
        // label at the far end, where neighbouring edges are furthest apart, so the amounts
        // of a 40-sender fan-in do not print over each other.
        let t = if Some(&e.to) == key.as_ref() {
            0.2
        } else if Some(&e.from) == key.as_ref() {
            0.8
        } else {
            0.5
        };
        let label = format!(
            "{} {}{}",
            money(e.amount),
            e.currency,
            if e.count > 1 {
                format!(" ×{}", e.count)
            } else {
                String::new()
            }
        );
        let _ = write!(
            s,
            r##"<g class="edge"><title>{} → {}: {} transfer{}, {} {}</title><path d="M{sx:.1},{sy:.1} Q{mx:.1},{my:.1} {ex:.1},{ey:.1}" fill="none" stroke="#777" stroke-width="{width:.2}" marker-end="url(#arrow)"/><text x="{lx:.1}" y="{ly:.1}" text-anchor="middle" fill="#333" paint-order="stroke" stroke="#fff" stroke-width="3">{}</text></g>"##,
            escape(&e.from),
            escape(&e.to),
            e.count,
            if e.count == 1 { "" } else { "s" },
            money(e.amount),
            escape(&e.currency),
            escape(&label),
            lx = lerp2(sx, mx, ex, t),
            ly = lerp2(sy, my, ey, t) - 3.0,
        );
    }
    s.push_str("</g><g class=\"nodes\">");
    let mut in_sum: BTreeMap<&str, (f64, u64)> = BTreeMap::new();
    let mut out_sum: BTreeMap<&str, (f64, u64)> = BTreeMap::new();
    for e in &graph.edges {
        let i = in_sum.entry(&e.to).or_default();
        i.0 += e.amount;
        i.1 += e.count;
        let o = out_sum.entry(&e.from).or_default();
        o.0 += e.amount;
        o.1 += e.count;
    }
    for a in &chosen {
        let Some(&(x, y)) = pos.get(a) else { continue };
        let is_key = Some(a) == key.as_ref();
        let is_listed = listed.contains(a);
        let r = if is_key { R_KEY } else { R_NODE };
        let (fill, stroke) = match (is_key, is_listed) {
            (_, true) => ("#fde2e1", "#b3261e"),
            (true, false) => ("#ffe8a3", "#8a5a00"),
            (false, false) => ("#e8eef7", "#46618a"),
        };
        let (ia, ic) = in_sum.get(a.as_str()).copied().unwrap_or_default();
        let (oa, oc) = out_sum.get(a.as_str()).copied().unwrap_or_default();
        let role = match (is_key, is_listed) {
            (true, true) => " (key account, listed)",
            (true, false) => " (key account)",
            (false, true) => " (listed)",
            _ => "",
        };
        let label_y = if is_key { y + r + 14.0 } else { y + r + 12.0 };
        let _ = write!(
            s,
            r##"<g class="node{}"><title>{}{}: received {} in {} transfer{}, sent {} in {} transfer{}</title><circle cx="{x:.1}" cy="{y:.1}" r="{r}" fill="{fill}" stroke="{stroke}" stroke-width="{}"/><text x="{x:.1}" y="{label_y:.1}" text-anchor="middle" font-weight="{}" paint-order="stroke" stroke="#fff" stroke-width="3">{}</text></g>"##,
            if is_key { " key" } else { "" },
            escape(a),
            role,
            money(ia),
            ic,
            if ic == 1 { "" } else { "s" },
            money(oa),
            oc,
            if oc == 1 { "" } else { "s" },
            if is_key || is_listed { "3" } else { "1.5" },
            if is_key { "bold" } else { "normal" },
            escape(&short(a, 22)),
        );
    }
    s.push_str("</g>");
    if hidden > 0 || hidden_edges > 0 {
        let _ = write!(
            s,
            r##"<text x="{MARGIN}" y="{:.0}" fill="#555">and {} more account{} ({} flow{} not drawn)</text>"##,
            height - 16.0,
            hidden,
            if hidden == 1 { "" } else { "s" },
            hidden_edges,
            if hidden_edges == 1 { "" } else { "s" }
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn tx(id: &str, from: &str, to: &str, amount: f64, day: i64) -> StoredTransaction {
        StoredTransaction {
            tx_id: id.into(),
            timestamp: DateTime::from_timestamp(1_709_251_200 + day * 86_400, 0)
                .unwrap_or_default(),
            orig_acct: from.into(),
            bene_acct: to.into(),
            amount,
            currency: "USD".into(),
            body: serde_json::Value::Null,
        }
    }

    fn fan_in() -> (serde_json::Value, Vec<StoredTransaction>) {
        let alert = serde_json::json!({
            "alert_id": "a1", "typology": "fan_in", "score": 72.0,
            "accounts": ["COLLECT", "D1", "D2", "D3"],
            "explanation": {"paths": []}
        });
        let txs = vec![
            tx("t1", "D1", "COLLECT", 100.0, 0),
            tx("t2", "D2", "COLLECT", 250.5, 1),
            tx("t3", "D3", "COLLECT", 300.0, 1),
            tx("t4", "D1", "COLLECT", 50.0, 2),
            tx("t5", "COLLECT", "OUT<&>", 600.0, 3),
        ];
        (alert, txs)
    }

    #[test]
    fn flows_are_summed_per_pair_and_the_key_account_is_marked() {
        let (alert, txs) = fan_in();
        let g = alert_graph(&alert, &txs);
        assert_eq!(g.nodes[0].id, "COLLECT");
        assert_eq!(g.nodes[0].role, "key");
        assert!(g.nodes[1..].iter().all(|n| n.role == "member"));
        let d1 = g
            .edges
            .iter()
            .find(|e| e.from == "D1")
            .expect("D1 -> COLLECT");
        assert_eq!((d1.amount, d1.count), (150.0, 2));
        assert_eq!(g.edges.len(), 4);
    }

    #[test]
    fn senders_are_left_of_the_key_and_receivers_right() {
        let (alert, txs) = fan_in();
        let svg = alert_svg(&alert, &txs);
        let x_of = |label: &str| -> f64 {
            let at = svg.find(&format!(">{label}</text>")).expect("label");
            let head = &svg[..at];
            let xs = head.rfind("<text x=\"").expect("text x");
            head[xs + 9..]
                .split('"')
                .next()
                .and_then(|v| v.parse().ok())
                .expect("x")
        };
        assert!(x_of("D1") < x_of("COLLECT"));
        assert!(x_of("COLLECT") < x_of("OUT&lt;&amp;&gt;"));
        assert_eq!(x_of("COLLECT"), WIDTH / 2.0);
    }

    #[test]
    fn svg_is_deterministic_escaped_and_titled() {
        let (alert, txs) = fan_in();
        let a = alert_svg(&alert, &txs);
        assert_eq!(a, alert_svg(&alert, &txs));
        assert!(a.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(a.contains("OUT&lt;&amp;&gt;"));
        assert!(!a.contains("OUT<&>"));
        assert_eq!(
            a.matches("<title>").count(),
            5 + 4,
            "one title per node and edge"
        );
        assert!(a.contains("marker-end=\"url(#arrow)\""));
        insta::assert_snapshot!("fan_in_svg", a);
    }

    #[test]
    fn big_alerts_are_bounded_and_say_how_many_are_hidden() {
        let mut accounts = vec!["HUB".to_string()];
        let mut txs = Vec::new();
        for i in 0..120 {
            let s = format!("S{i:03}");
            txs.push(tx(&format!("t{i}"), &s, "HUB", 100.0 + i as f64, 0));
            accounts.push(s);
        }
        let alert = serde_json::json!({"alert_id": "big", "typology": "fan_in", "score": 90,
            "accounts": accounts});
        let svg = alert_svg(&alert, &txs);
        assert_eq!(svg.matches("<circle").count(), MAX_NODES);
        assert!(
            svg.contains("and 80 more accounts"),
            "{}",
            &svg[svg.len() - 300..]
        );
        // The biggest senders are the ones drawn.
        assert!(svg.contains(">S119<") && !svg.contains(">S000<"));
    }

    #[test]
    fn cycles_are_drawn_on_a_circle_with_the_key_on_top() {
        let alert = serde_json::json!({"alert_id": "c", "typology": "cycle", "score": 80,
            "accounts": ["A", "B", "C"],
            "explanation": {"paths": [["A", "B", "C", "A"]]}});
        let txs = vec![
            tx("1", "A", "B", 500.0, 0),
            tx("2", "B", "C", 490.0, 1),
            tx("3", "C", "A", 480.0, 2),
        ];
        let svg = alert_svg(&alert, &txs);
        let cy = |label: &str| -> f64 {
            let at = svg.find(&format!("<title>{label}")).expect("node");
            let c = svg[at..].find("cy=\"").expect("cy") + at + 4;
            svg[c..]
                .split('"')
                .next()
                .and_then(|v| v.parse().ok())
                .expect("y")
        };
        assert!(cy("A (key") < cy("B:") && cy("A (key") < cy("C:"));
        // Layering a cycle must terminate and draw every edge.
        assert_eq!(svg.matches("<g class=\"edge\">").count(), 3);
    }

    #[test]
    fn money_is_grouped_with_two_decimals() {
        assert_eq!(money(1234567.891), "1,234,567.89");
        assert_eq!(money(0.5), "0.50");
        assert_eq!(money(999.999), "1,000.00");
    }
}
