//! Alerts: what the engine tells an analyst, and why.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The typologies the engine detects. Serialised in snake_case (`fan_in`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Typology {
    /// Many distinct senders into one collector account.
    FanIn,
    /// One account paying many distinct recipients.
    FanOut,
    /// In then out again within days, similar sums.
    PassThrough,
    /// Origin -> several intermediaries -> one beneficiary.
    ScatterGather,
    /// Several senders -> hub -> several recipients.
    GatherScatter,
    /// Money returning to where it started through other accounts.
    Cycle,
    /// Repeated amounts just under a reporting threshold.
    Structuring,
    /// Long-silent account suddenly active.
    Dormant,
    /// Transfers to or from high-risk jurisdictions.
    HighRiskGeography,
    /// A party whose name matches a watchlist entry.
    ListedCounterparty,
}

impl Typology {
    /// Stable snake_case name used in alerts and rules.
    pub fn as_str(self) -> &'static str {
        match self {
            Typology::FanIn => "fan_in",
            Typology::FanOut => "fan_out",
            Typology::PassThrough => "pass_through",
            Typology::ScatterGather => "scatter_gather",
            Typology::GatherScatter => "gather_scatter",
            Typology::Cycle => "cycle",
            Typology::Structuring => "structuring",
            Typology::Dormant => "dormant",
            Typology::HighRiskGeography => "high_risk_geography",
            Typology::ListedCounterparty => "listed_counterparty",
        }
    }

    /// All typologies, in a fixed order.
    pub const ALL: [Typology; 10] = [
        Typology::FanIn,
        Typology::FanOut,
        Typology::PassThrough,
        Typology::ScatterGather,
        Typology::GatherScatter,
        Typology::Cycle,
        Typology::Structuring,
        Typology::Dormant,
        Typology::HighRiskGeography,
        Typology::ListedCounterparty,
    ];
}

impl std::fmt::Display for Typology {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the analyst should do with the alert, from the score and the review/block
/// thresholds of the rules pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Score ≥ review threshold: put in front of an analyst.
    Review,
    /// Score ≥ block threshold: candidate for interdiction / immediate escalation.
    Block,
}

/// Open alerts may still grow; closed ones are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// Raised on the transaction that completed the pattern; later transactions of the
    /// same pattern will be added to it.
    Open,
    /// No new evidence for `alert_idle_close_days` (or the stream ended): final.
    Closed,
}

/// One rule outcome that contributed points to the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorePart {
    /// Stable reason code, e.g. `fan_in.long_window`, `geography.SY`.
    pub reason: String,
    /// Points added.
    pub points: f64,
}

/// Why the alert fired: the aggregates, windows, paths and thresholds, in the analyst's
/// terms. `facts` carries the detector-specific numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// One sentence an analyst can read in seconds.
    pub summary: String,
    /// Window the aggregates were computed over, RFC 3339 UTC.
    pub window_start: String,
    /// End of that window (the latest transaction considered).
    pub window_end: String,
    /// Detector-specific aggregates and the thresholds they crossed.
    pub facts: serde_json::Value,
    /// Money paths (account ids in order) for graph typologies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<Vec<String>>,
    /// The scored rule outcomes; `score` is their sum, capped at 100.
    pub score_parts: Vec<ScorePart>,
}

/// One alert. Serialises to one JSON object per line in the alerts file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// Deterministic: the same input and rules always give the same id (hash of the
    /// typology, the key accounts, the transaction that completed the pattern and the
    /// first transaction id of the pattern).
    pub alert_id: String,
    /// Which typology fired.
    pub typology: Typology,
    /// Risk score 0-100.
    pub score: f64,
    /// Review or block.
    pub decision: Decision,
    /// Open (may still grow) or closed (final).
    pub status: AlertStatus,
    /// Increases each time a later transaction extends the same alert.
    pub revision: u32,
    /// Accounts involved; the key account(s) first.
    pub accounts: Vec<String>,
    /// The input's own ids of the transactions that make up the pattern, in event order.
    pub transaction_ids: Vec<String>,
    /// Event time of the first and last transaction of the pattern (RFC 3339 UTC).
    pub first_seen: String,
    /// See `first_seen`.
    pub last_seen: String,
    /// Why.
    pub explanation: Explanation,
}

/// Deterministic alert id: first 16 bytes of SHA-256 over the typology, the key accounts
/// and the first transaction id, hex. Stable across runs, platforms and versions (unlike
/// std's hasher), so re-running a batch yields the same ids for the same patterns.
pub fn alert_id(typology: Typology, key_accounts: &[&str], first_tx: &str) -> String {
    let mut h = Sha256::new();
    h.update(typology.as_str().as_bytes());
    for a in key_accounts {
        h.update([0u8]);
        h.update(a.as_bytes());
    }
    h.update([1u8]);
    h.update(first_tx.as_bytes());
    let d = h.finalize();
    hex::encode(&d[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_ids_are_stable_and_depend_on_every_part() {
        let a = alert_id(Typology::FanIn, &["A"], "t1");
        assert_eq!(a, alert_id(Typology::FanIn, &["A"], "t1"));
        assert_eq!(a.len(), 32);
        assert_ne!(a, alert_id(Typology::FanOut, &["A"], "t1"));
        assert_ne!(a, alert_id(Typology::FanIn, &["B"], "t1"));
        assert_ne!(a, alert_id(Typology::FanIn, &["A"], "t2"));
        assert_ne!(
            alert_id(Typology::Cycle, &["ab", "c"], "t"),
            alert_id(Typology::Cycle, &["a", "bc"], "t")
        );
    }
}
