//! The streaming engine: orders transactions by event time, updates account state, runs
//! the detectors, merges findings into alerts and scores them.
//!
//! One transaction at a time (`process`), incrementally; `finish` flushes at the end of a
//! batch. Alerts are raised (`status: open`) on the transaction that completes a pattern,
//! absorb later transactions of the same pattern, and are closed (`status: closed`, final)
//! once `alert_idle_close_days` of event time pass without new evidence, or at `finish`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::Rejected;
use crate::alert::{Alert, AlertStatus, Decision, Explanation, ScorePart, Typology, alert_id};
use crate::detectors::{self, Ctx, Finding};
use crate::rules::{Rules, days};
use crate::screen::{ListedMatch, NameScreener};
use crate::state::{AcctId, Edge, Seq, Store};
use crate::tx::{Transaction, format_timestamp};

/// Counters describing a run; printed by the CLI as the summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Transactions accepted and applied.
    pub processed: u64,
    /// Transactions rejected because a field was invalid.
    pub rejected_invalid: u64,
    /// Transactions rejected because they arrived later than the out-of-order tolerance.
    pub rejected_late: u64,
    /// Transactions that arrived out of order but within tolerance (re-ordered).
    pub reordered: u64,
    /// Distinct accounts seen.
    pub accounts: u64,
    /// Edges currently held in windows.
    pub edges_in_window: u64,
    /// Most edges ever held at once (the memory high-water mark of the windows).
    pub peak_edges_in_window: u64,
    /// Per-account edges dropped by `max_edges_per_account`.
    pub truncated_edges: u64,
    /// Cycle searches stopped by `max_search_edges`.
    pub cycle_searches_truncated: u64,
    /// Detector findings (before merging into alerts).
    pub findings: u64,
    /// Alerts raised (score ≥ review threshold), by typology.
    pub alerts_by_typology: std::collections::BTreeMap<String, u64>,
    /// Names screened (cache misses) and cache hits.
    pub names_screened: u64,
    /// See `names_screened`.
    pub name_cache_hits: u64,
}

#[derive(Debug)]
struct Pending {
    ts: i64,
    arrival: u64,
    tx: Transaction,
}
impl PartialEq for Pending {
    fn eq(&self, o: &Self) -> bool {
        (self.ts, self.arrival) == (o.ts, o.arrival)
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Pending {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.ts, self.arrival).cmp(&(o.ts, o.arrival))
    }
}

type EpisodeKey = (Typology, &'static str, Vec<AcctId>);

#[derive(Debug)]
struct Episode {
    alert_id: String,
    accounts: Vec<AcctId>,
    txs: Vec<(i64, Seq, Box<str>)>,
    seen: FxHashSet<Seq>,
    parts: Vec<ScorePart>,
    score: f64,
    summary: String,
    facts: serde_json::Value,
    paths: Vec<Vec<AcctId>>,
    window: (i64, i64),
    last_evidence: i64,
    revision: u32,
    raised: bool,
}

/// Most paths kept per alert (a fan-out to 500 mules does not need 500 paths to explain).
const MAX_PATHS: usize = 32;
/// Most rejected records kept with their reason (all are counted).
const MAX_REJECTIONS_KEPT: usize = 10_000;

/// The monitoring engine. `Send`, so a server can keep one per member behind a mutex.
pub struct Engine {
    rules: Rules,
    store: Store,
    screener: Option<Arc<dyn NameScreener>>,
    name_cache: FxHashMap<Box<str>, Option<ListedMatch>>,
    pending: BinaryHeap<Reverse<Pending>>,
    arrival: u64,
    max_seen: i64,
    watermark: i64,
    episodes: FxHashMap<EpisodeKey, Episode>,
    expiry: BinaryHeap<Reverse<(i64, EpisodeKey)>>,
    stats: Stats,
    rejections: Vec<Rejected>,
    window_secs: i64,
    idle_secs: i64,
    emit_updates: bool,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// A new engine with the given rules and no watchlist screening.
    pub fn new(rules: Rules) -> Engine {
        let window_secs = rules.max_window_secs();
        let idle_secs = days(rules.engine.alert_idle_close_days);
        Engine {
            rules,
            store: Store::default(),
            screener: None,
            name_cache: FxHashMap::default(),
            pending: BinaryHeap::new(),
            arrival: 0,
            max_seen: i64::MIN,
            watermark: i64::MIN,
            episodes: FxHashMap::default(),
            expiry: BinaryHeap::new(),
            stats: Stats::default(),
            rejections: Vec::new(),
            window_secs,
            idle_secs,
            emit_updates: false,
        }
    }

    /// Adds watchlist screening of party names (the listed-counterparty detector).
    pub fn with_screener(mut self, screener: Arc<dyn NameScreener>) -> Engine {
        self.screener = Some(screener);
        self
    }

    /// Replaces or removes the screener between transactions (a server after a watchlist
    /// reload, or a request that asks for no screening) and forgets cached screening
    /// results, so later names are screened against the new lists.
    pub fn set_screener(&mut self, screener: Option<Arc<dyn NameScreener>>) {
        self.screener = screener;
        self.name_cache.clear();
    }

    /// Also emit an alert (status `open`, next revision) each time a raised alert grows or
    /// its score changes, not only when it is raised and when it closes. A live service
    /// wants this (the analyst sees the alert as it stands); a batch run does not need it.
    pub fn with_updates(mut self, on: bool) -> Engine {
        self.emit_updates = on;
        self
    }

    /// Transactions held back to re-order late arrivals (applied once later event time
    /// passes them by more than the out-of-order tolerance, or at [`Engine::finish`]).
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }

    /// The rules in force.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Run counters.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Rejected transactions with their reasons (the first 10,000; all are counted in
    /// [`Stats`]).
    pub fn rejections(&self) -> &[Rejected] {
        &self.rejections
    }

    /// Feeds one transaction; returns the alerts it raised or closed. Rejected
    /// transactions are counted and kept in [`Engine::rejections`].
    pub fn process(&mut self, tx: Transaction) -> Vec<Alert> {
        let mut out = Vec::new();
        if let Err(r) = self.process_into(tx, &mut out)
            && self.rejections.len() < MAX_REJECTIONS_KEPT
        {
            self.rejections.push(r);
        }
        out
    }

    /// Like [`Engine::process`] but appends alerts to `out` and returns the rejection
    /// instead of storing it (for callers that report per request, e.g. an HTTP API).
    pub fn process_into(&mut self, tx: Transaction, out: &mut Vec<Alert>) -> Result<(), Rejected> {
        if let Err(reason) = tx.validate() {
            self.stats.rejected_invalid += 1;
            return Err(Rejected {
                record: format!("transaction {:?}", tx.id),
                reason,
            });
        }
        if tx.timestamp < self.watermark {
            self.stats.rejected_late += 1;
            return Err(Rejected {
                record: format!("transaction {:?}", tx.id),
                reason: format!(
                    "late: event time {} is before {} (already processed) by more than the out-of-order tolerance of {} days",
                    format_timestamp(tx.timestamp),
                    format_timestamp(self.watermark),
                    self.rules.engine.out_of_order_tolerance_days
                ),
            });
        }
        if tx.timestamp < self.max_seen {
            self.stats.reordered += 1;
        }
        self.max_seen = self.max_seen.max(tx.timestamp);
        let tol = days(self.rules.engine.out_of_order_tolerance_days);
        if tol == 0 && self.pending.is_empty() {
            self.watermark = tx.timestamp;
            self.apply(tx, out);
            return Ok(());
        }
        self.arrival += 1;
        self.pending.push(Reverse(Pending {
            ts: tx.timestamp,
            arrival: self.arrival,
            tx,
        }));
        let release_upto = self.max_seen.saturating_sub(tol);
        while self.pending.peek().is_some_and(|p| p.0.ts <= release_upto) {
            if let Some(Reverse(p)) = self.pending.pop() {
                self.watermark = p.ts;
                self.apply(p.tx, out);
            }
        }
        Ok(())
    }

    /// Ends the batch: processes held transactions and closes every open alert. Returns
    /// the closed alerts (and any raised by the held transactions), in a deterministic order.
    pub fn finish(&mut self) -> Vec<Alert> {
        let mut out = Vec::new();
        while let Some(Reverse(p)) = self.pending.pop() {
            self.watermark = p.ts;
            self.apply(p.tx, &mut out);
        }
        let mut keys: Vec<EpisodeKey> = self.episodes.keys().cloned().collect();
        keys.sort_by(|a, b| {
            let ea = &self.episodes[a];
            let eb = &self.episodes[b];
            (ea.window.0, &ea.alert_id).cmp(&(eb.window.0, &eb.alert_id))
        });
        for k in keys {
            self.close(&k, &mut out);
        }
        self.expiry.clear();
        out
    }

    fn apply(&mut self, tx: Transaction, out: &mut Vec<Alert>) {
        let now = tx.timestamp;
        self.close_expired(now, out);
        self.store.evict_before(now - self.window_secs);

        let r = &self.rules;
        let from = self.store.intern(&tx.originator.account);
        let to = self.store.intern(&tx.beneficiary.account);
        let currency = self.store.currency(&tx.currency);
        let memory = days(r.engine.counterparty_memory_days);
        let cap = r.engine.max_counterparties_per_account;
        let silence = days(r.dormant.min_silence_days);
        let wake_window = days(r.dormant.activity_window_days);
        let mut geo = 0.0f64;
        let (mut pair_first_in, mut pair_first_out) = (now, now);
        for (a, party, cp) in [(from, &tx.originator, to), (to, &tx.beneficiary, from)] {
            let Some(acc) = self.store.accounts.get_mut(a as usize) else {
                continue;
            };
            if let Some(c) = party.country.as_deref() {
                let c = c.trim().to_ascii_uppercase();
                geo = geo.max(r.geography.weight(&c));
                if acc.country.as_deref() != Some(c.as_str()) {
                    acc.country = Some(c.into());
                }
            }
            if let Some((w, _, _)) = acc.woke
                && now - w > wake_window
            {
                acc.woke = None;
            }
            if acc.last_ts != i64::MIN && acc.n_tx > 0 && now - acc.last_ts >= silence && a != cp {
                acc.woke = Some((now, now - acc.last_ts, acc.sum_amount / acc.n_tx as f64));
            }
            if acc.first_ts == i64::MIN {
                acc.first_ts = now;
            }
            acc.last_ts = now;
            acc.n_tx += 1;
            acc.sum_amount += tx.amount;
            if a != cp {
                let first = acc.touch(cp, now, memory, cap);
                if a == to {
                    pair_first_in = first;
                } else {
                    pair_first_out = first;
                }
            }
        }
        let near_threshold = r.structuring.enabled
            && detectors::structuring::is_near_threshold(&r.structuring, tx.amount, &tx.currency);
        let edge = Edge {
            ts: now,
            from,
            to,
            amount: tx.amount,
            tx: tx.id.as_str().into(),
            pair_first_in,
            pair_first_out,
            geo: geo as f32,
            currency,
            near_threshold,
        };
        let seq = self.store.push(edge, r.engine.max_edges_per_account);
        self.stats.processed += 1;
        self.stats.accounts = self.store.accounts.len() as u64;
        self.stats.edges_in_window = self.store.edges.len() as u64;
        self.stats.peak_edges_in_window = self
            .stats
            .peak_edges_in_window
            .max(self.stats.edges_in_window);
        self.stats.truncated_edges = self.store.truncated_edges;

        // Listed counterparty screening (cached per name and country).
        let mut listed: Vec<(AcctId, &'static str, String, ListedMatch)> = Vec::new();
        if self.screener.is_some() && self.rules.listed_counterparty.enabled {
            for (a, party, role) in [
                (from, &tx.originator, "originator"),
                (to, &tx.beneficiary, "beneficiary"),
            ] {
                let Some(name) = party.name.as_deref().filter(|n| !n.trim().is_empty()) else {
                    continue;
                };
                if let Some(m) = self.screen_cached(name, party.country.as_deref()) {
                    if let Some(acc) = self.store.accounts.get_mut(a as usize) {
                        acc.listed = Some(acc.listed.unwrap_or(0.0).max(m.score as f32));
                    }
                    listed.push((a, role, name.to_string(), m));
                }
            }
        }

        // Pass-through leg bookkeeping needs a mutable account; do it before the
        // read-only detector pass.
        let mut legs = Vec::new();
        if self.rules.pass_through.enabled {
            let leg = {
                let Some(edge) = self.store.edge(seq) else {
                    return;
                };
                let ctx = Ctx {
                    rules: &self.rules,
                    store: &self.store,
                    seq,
                    edge,
                };
                detectors::pass_through::find_leg(&ctx)
            };
            if let Some(in_seq) = leg {
                let keep_from = now - days(self.rules.pass_through.window_days);
                if let Some(acc) = self.store.accounts.get_mut(from as usize) {
                    acc.legs.retain(|l| l.0 >= keep_from);
                    acc.legs.push((now, in_seq, seq));
                    legs = acc.legs.clone();
                }
            }
        }

        let mut findings: Vec<Finding> = Vec::new();
        let cycle_truncated;
        {
            let Some(edge) = self.store.edge(seq) else {
                return;
            };
            let ctx = Ctx {
                rules: &self.rules,
                store: &self.store,
                seq,
                edge,
            };
            findings.extend(detectors::fan_in::detect(&ctx, to));
            if self
                .episodes
                .contains_key(&(Typology::FanIn, "", vec![from]))
            {
                // Money leaving an open collector: re-evaluate for the withdrawal bonus.
                findings.extend(detectors::fan_in::detect(&ctx, from));
            }
            findings.extend(detectors::fan_out::detect(&ctx, from));
            if !legs.is_empty() {
                findings.extend(detectors::pass_through::detect(&ctx, &legs));
            }
            findings.extend(detectors::scatter_gather::detect(&ctx, to));
            findings.extend(detectors::gather_scatter::detect(&ctx, from));
            findings.extend(detectors::gather_scatter::detect(&ctx, to));
            let search = detectors::cycle::search(&ctx);
            cycle_truncated = search.truncated;
            if let Some(c) = search.cycle {
                findings.extend(detectors::cycle::finding(&ctx, &c));
            }
            if edge.near_threshold {
                findings.extend(detectors::structuring::detect(&ctx, from, true));
                findings.extend(detectors::structuring::detect(&ctx, to, false));
            }
            for a in [from, to] {
                if let Some((w, sil, avg)) = self.store.account(a).and_then(|x| x.woke) {
                    findings.extend(detectors::dormant::detect(&ctx, a, w, sil, avg));
                }
            }
            if edge.geo > 0.0 {
                let w = |a: AcctId| {
                    self.store
                        .account(a)
                        .and_then(|x| x.country.as_deref())
                        .map(|c| self.rules.geography.weight(c))
                        .unwrap_or(0.0)
                };
                let customer = if w(from) <= 0.0 || w(to) > 0.0 {
                    from
                } else {
                    to
                };
                findings.extend(detectors::geography::detect(&ctx, customer));
            }
            for (a, role, name, m) in &listed {
                findings.extend(detectors::listed_counterparty::finding(
                    &ctx, *a, role, name, m,
                ));
            }
        }
        if cycle_truncated {
            self.stats.cycle_searches_truncated += 1;
        }
        for f in findings {
            self.stats.findings += 1;
            self.merge(f, now, out);
        }
    }

    fn screen_cached(&mut self, name: &str, country: Option<&str>) -> Option<ListedMatch> {
        let key: Box<str> = match country {
            Some(c) => format!("{name}\u{1f}{c}").into(),
            None => name.into(),
        };
        if let Some(hit) = self.name_cache.get(&key) {
            self.stats.name_cache_hits += 1;
            return hit.clone();
        }
        let screener = self.screener.as_ref()?;
        self.stats.names_screened += 1;
        let res = screener.screen(name, country);
        let cap = self.rules.engine.name_cache_size;
        if cap > 0 {
            if self.name_cache.len() >= cap {
                // Bounded memory: start over rather than track recency per name.
                self.name_cache.clear();
            }
            self.name_cache.insert(key, res.clone());
        }
        res
    }

    /// Geography and listed-involvement points for a finding's transactions and accounts.
    fn context_points(&self, f: &Finding) -> Vec<ScorePart> {
        let mut parts = Vec::new();
        if f.typology != Typology::HighRiskGeography && self.rules.geography.enabled {
            let mut best: Option<(&str, f64)> = None;
            for &s in &f.edges {
                let Some(e) = self.store.edge(s) else {
                    continue;
                };
                if e.geo <= 0.0 {
                    continue;
                }
                for a in [e.from, e.to] {
                    if let Some(c) = self.store.account(a).and_then(|x| x.country.as_deref()) {
                        let w = self.rules.geography.weight(c);
                        if w > 0.0 && best.is_none_or(|(_, bw)| w > bw) {
                            best = Some((c, w));
                        }
                    }
                }
            }
            if let Some((c, w)) = best {
                parts.push(ScorePart {
                    reason: format!("geography.{c}"),
                    points: w,
                });
            }
        }
        if f.typology != Typology::ListedCounterparty && self.rules.listed_counterparty.enabled {
            let listed = f
                .accounts
                .iter()
                .any(|&a| self.store.account(a).is_some_and(|x| x.listed.is_some()));
            if listed {
                parts.push(ScorePart {
                    reason: "listed_counterparty.involved".into(),
                    points: self.rules.listed_counterparty.involvement_points,
                });
            }
        }
        parts
    }

    fn merge(&mut self, f: Finding, now: i64, out: &mut Vec<Alert>) {
        let mut parts = f.parts.clone();
        parts.extend(self.context_points(&f));
        parts.retain(|p| p.points != 0.0 || p.reason.ends_with("window"));
        let score = parts
            .iter()
            .map(|p| p.points)
            .sum::<f64>()
            .clamp(0.0, 100.0);
        let key: EpisodeKey = (f.typology, f.tag, f.key.clone());
        let is_new = !self.episodes.contains_key(&key);
        if is_new {
            let first_tx = f
                .edges
                .iter()
                .filter_map(|&s| self.store.edge(s))
                .min_by_key(|e| e.ts)
                .map(|e| e.tx.to_string())
                .unwrap_or_default();
            let mut key_names: Vec<&str> = f.key.iter().map(|&a| self.store.name(a)).collect();
            if !f.tag.is_empty() {
                key_names.push(f.tag);
            }
            // The transaction that opened the alert joins the id: a pattern that closes and
            // re-opens later (its window still holding the same first transaction) gets a
            // new id, and the id stays a pure function of the input.
            let opening = self
                .store
                .edges
                .back()
                .map(|e| e.tx.to_string())
                .unwrap_or_default();
            key_names.push(&opening);
            let ep = Episode {
                alert_id: alert_id(f.typology, &key_names, &first_tx),
                accounts: Vec::new(),
                txs: Vec::new(),
                seen: FxHashSet::default(),
                parts: Vec::new(),
                score: 0.0,
                summary: String::new(),
                facts: serde_json::Value::Null,
                paths: Vec::new(),
                window: f.window,
                last_evidence: now,
                revision: 0,
                raised: false,
            };
            self.episodes.insert(key.clone(), ep);
            self.expiry
                .push(Reverse((now + self.idle_secs, key.clone())));
        }
        let review = self.rules.scoring.review_threshold;
        let Some(ep) = self.episodes.get_mut(&key) else {
            return;
        };
        let mut grew = false;
        for &s in &f.edges {
            if ep.seen.insert(s)
                && let Some(e) = self.store.edge(s)
            {
                ep.txs.push((e.ts, s, e.tx.clone()));
                grew = true;
            }
        }
        for &a in &f.accounts {
            if !ep.accounts.contains(&a) {
                ep.accounts.push(a);
            }
        }
        for p in f.paths {
            if ep.paths.len() < MAX_PATHS && !ep.paths.contains(&p) {
                ep.paths.push(p);
            }
        }
        let before = (ep.score, ep.txs.len());
        if score >= ep.score || grew {
            ep.score = ep.score.max(score);
            ep.parts = parts;
            ep.summary = f.summary;
            ep.facts = f.facts;
        }
        ep.window = (ep.window.0.min(f.window.0), ep.window.1.max(f.window.1));
        ep.last_evidence = now;
        if grew {
            ep.revision += 1;
        }
        let changed = grew || ep.score != before.0 || ep.txs.len() != before.1;
        if ep.raised && changed && self.emit_updates {
            let a = self.build(&key, AlertStatus::Open);
            out.extend(a);
            return;
        }
        if !ep.raised && ep.score >= review {
            ep.raised = true;
            *self
                .stats
                .alerts_by_typology
                .entry(f.typology.as_str().to_string())
                .or_default() += 1;
            let a = self.build(&key, AlertStatus::Open);
            out.extend(a);
        }
    }

    fn close_expired(&mut self, now: i64, out: &mut Vec<Alert>) {
        while let Some(Reverse((at, _))) = self.expiry.peek() {
            if *at >= now {
                break;
            }
            let Some(Reverse((_, key))) = self.expiry.pop() else {
                break;
            };
            let Some(ep) = self.episodes.get(&key) else {
                continue;
            };
            let due = ep.last_evidence + self.idle_secs;
            if due >= now {
                self.expiry.push(Reverse((due, key)));
                continue;
            }
            self.close(&key, out);
        }
    }

    fn close(&mut self, key: &EpisodeKey, out: &mut Vec<Alert>) {
        if let Some(a) = self.build(key, AlertStatus::Closed) {
            out.push(a);
        }
        self.episodes.remove(key);
    }

    fn build(&self, key: &EpisodeKey, status: AlertStatus) -> Option<Alert> {
        let ep = self.episodes.get(key)?;
        if ep.score < self.rules.scoring.review_threshold {
            return None;
        }
        let mut txs: Vec<&(i64, Seq, Box<str>)> = ep.txs.iter().collect();
        txs.sort_by_key(|t| (t.0, t.1));
        let names = |v: &[AcctId]| {
            v.iter()
                .map(|&a| self.store.name(a).to_string())
                .collect::<Vec<_>>()
        };
        Some(Alert {
            alert_id: ep.alert_id.clone(),
            typology: key.0,
            score: (ep.score * 100.0).round() / 100.0,
            decision: if ep.score >= self.rules.scoring.block_threshold {
                Decision::Block
            } else {
                Decision::Review
            },
            status,
            revision: ep.revision.max(1),
            accounts: names(&ep.accounts),
            transaction_ids: txs.iter().map(|t| t.2.to_string()).collect(),
            first_seen: txs
                .first()
                .map(|t| format_timestamp(t.0))
                .unwrap_or_default(),
            last_seen: txs
                .last()
                .map(|t| format_timestamp(t.0))
                .unwrap_or_default(),
            explanation: Explanation {
                summary: ep.summary.clone(),
                window_start: format_timestamp(ep.window.0),
                window_end: format_timestamp(ep.window.1),
                facts: ep.facts.clone(),
                paths: ep.paths.iter().map(|p| names(p)).collect(),
                score_parts: ep.parts.clone(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>() {}

    #[test]
    fn engine_is_send() {
        assert_send::<Engine>();
    }
}
