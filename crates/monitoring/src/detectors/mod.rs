//! The detectors, one file each. Every detector is a pure function of the rules, the
//! account state and the transaction just applied; it returns [`Finding`]s, which the
//! engine merges into alerts (one open alert per typology and key) and scores.

pub mod cycle;
pub mod dormant;
pub mod fan_in;
pub mod fan_out;
pub mod gather_scatter;
pub mod geography;
pub mod listed_counterparty;
pub mod pass_through;
pub mod scatter_gather;
pub mod structuring;

use crate::alert::{ScorePart, Typology};
use crate::rules::Rules;
use crate::state::{AcctId, Edge, Seq, Store};

/// What a detector sees: the rules, the state after the transaction was applied, and
/// that transaction.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The rules pack.
    pub rules: &'a Rules,
    /// All account state.
    pub store: &'a Store,
    /// Sequence of the transaction just applied.
    pub seq: Seq,
    /// The transaction just applied.
    pub edge: &'a Edge,
}

impl Ctx<'_> {
    /// Event time now (the current transaction's time).
    pub fn now(&self) -> i64 {
        self.edge.ts
    }
}

/// One detection: the evidence for one pattern at one moment.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Which typology.
    pub typology: Typology,
    /// Accounts that identify the pattern (the collector, the hub, the cycle's accounts
    /// in canonical order...). Alerts with the same typology and key accounts merge.
    pub key: Vec<AcctId>,
    /// Distinguishes findings with the same key accounts (e.g. the sending and receiving
    /// side of structuring); part of the alert identity.
    pub tag: &'static str,
    /// All accounts involved, key accounts first.
    pub accounts: Vec<AcctId>,
    /// The transactions that make up the pattern.
    pub edges: Vec<Seq>,
    /// Scored rule outcomes (geography and listed involvement are added by the engine).
    pub parts: Vec<ScorePart>,
    /// One-sentence summary.
    pub summary: String,
    /// Aggregates and thresholds.
    pub facts: serde_json::Value,
    /// Money paths, as account ids.
    pub paths: Vec<Vec<AcctId>>,
    /// Window the aggregates cover (event time).
    pub window: (i64, i64),
}

/// Helper: a score part.
pub(crate) fn part(reason: impl Into<String>, points: f64) -> ScorePart {
    ScorePart {
        reason: reason.into(),
        points,
    }
}

/// Helper: points for `extra` units beyond a minimum, capped.
pub(crate) fn extra_points(extra: usize, per: f64, cap: f64) -> f64 {
    (extra as f64 * per).min(cap).max(0.0)
}

/// Helper: distinct counterparties with their edges, insertion-ordered. Small and linear
/// on purpose: windows hold tens of edges, where a vector beats a hash map.
#[derive(Debug, Default)]
pub(crate) struct Parties {
    pub list: Vec<(AcctId, Vec<Seq>)>,
}

impl Parties {
    pub fn add(&mut self, a: AcctId, s: Seq) {
        if let Some((_, v)) = self.list.iter_mut().find(|(x, _)| *x == a) {
            v.push(s);
        } else {
            self.list.push((a, vec![s]));
        }
    }
    pub fn len(&self) -> usize {
        self.list.len()
    }
    pub fn edges(&self) -> impl Iterator<Item = Seq> + '_ {
        self.list.iter().flat_map(|(_, v)| v.iter().copied())
    }
    pub fn accounts(&self) -> impl Iterator<Item = AcctId> + '_ {
        self.list.iter().map(|(a, _)| *a)
    }
}

/// Formats a duration in days for summaries.
pub(crate) fn fmt_days(d: f64) -> String {
    if (d - d.round()).abs() < 1e-9 {
        format!("{}", d.round() as i64)
    } else {
        format!("{d:.1}")
    }
}
