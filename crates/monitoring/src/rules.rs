//! The rules pack: every detector parameter and the scoring thresholds, read from TOML.
//!
//! The default pack (`rules/default.toml`) is compiled in. A user file is merged over it
//! key by key, so a file that only says `[fan_in] long_min_senders = 12` changes exactly
//! that. Unknown keys are errors (a typo must not silently fall back to a default).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::MonitorError;

/// The documented default pack, as shipped.
pub const DEFAULT_RULES_TOML: &str = include_str!("../rules/default.toml");

const DAY: f64 = 86_400.0;

/// Converts a duration in (fractional) days to whole seconds.
pub(crate) fn days(d: f64) -> i64 {
    (d * DAY).round() as i64
}

#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineRules {
    pub out_of_order_tolerance_days: f64,
    pub max_edges_per_account: usize,
    pub counterparty_memory_days: f64,
    pub max_counterparties_per_account: usize,
    pub alert_idle_close_days: f64,
    pub name_cache_size: usize,
}

#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringRules {
    pub review_threshold: f64,
    pub block_threshold: f64,
}

#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FanInRules {
    pub enabled: bool,
    pub short_window_days: f64,
    pub short_min_senders: usize,
    pub long_window_days: f64,
    pub long_min_senders: usize,
    pub new_senders_only: bool,
    pub withdrawal_days: f64,
    pub withdrawal_min_share: f64,
    pub base_score: f64,
    pub per_extra_sender: f64,
    pub max_sender_points: f64,
    pub withdrawal_points: f64,
}

#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FanOutRules {
    pub enabled: bool,
    pub short_window_days: f64,
    pub short_min_recipients: usize,
    pub long_window_days: f64,
    pub long_min_recipients: usize,
    pub new_recipients_only: bool,
    pub max_repeat_per_recipient: usize,
    pub base_score: f64,
    pub per_extra_recipient: f64,
    pub max_recipient_points: f64,
}

#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassThroughRules {
    pub enabled: bool,
    pub max_delay_days: f64,
    pub amount_tolerance: f64,
    pub min_amount: f64,
    pub min_legs: usize,
    pub window_days: f64,
    pub base_score: f64,
    pub per_extra_leg: f64,
    pub max_leg_points: f64,
}

#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScatterGatherRules {
    pub enabled: bool,
    pub window_days: f64,
    pub min_intermediaries: usize,
    pub base_score: f64,
    pub per_extra_intermediary: f64,
    pub max_intermediary_points: f64,
}

#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatherScatterRules {
    pub enabled: bool,
    pub window_days: f64,
    pub min_senders: usize,
    pub min_recipients: usize,
    pub min_parties: usize,
    pub new_parties_only: bool,
    pub base_score: f64,
    pub per_extra_party: f64,
    pub max_party_points: f64,
}

#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CycleRules {
    pub enabled: bool,
    pub min_hops: usize,
    pub max_hops: usize,
    pub window_days: f64,
    pub time_respecting: bool,
    pub order_slack_days: f64,
    pub max_search_edges: usize,
    pub base_score: f64,
    pub per_extra_hop: f64,
}

#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StructuringRules {
    pub enabled: bool,
    pub thresholds: BTreeMap<String, f64>,
    pub margin: f64,
    pub window_days: f64,
    pub min_count: usize,
    pub base_score: f64,
    pub per_extra: f64,
    pub max_extra_points: f64,
    pub aggregate_over_threshold_points: f64,
}

impl StructuringRules {
    /// Reporting threshold for a currency (falls back to `DEFAULT`).
    pub fn threshold(&self, currency: &str) -> Option<f64> {
        self.thresholds
            .get(currency)
            .or_else(|| self.thresholds.get("DEFAULT"))
            .copied()
    }
}

#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DormantRules {
    pub enabled: bool,
    pub min_silence_days: f64,
    pub activity_window_days: f64,
    pub min_tx: usize,
    pub min_volume_multiple: f64,
    pub min_volume: f64,
    pub base_score: f64,
    pub per_extra_tx: f64,
    pub max_extra_points: f64,
}

#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeographyRules {
    pub enabled: bool,
    pub window_days: f64,
    pub min_tx: usize,
    pub min_total: f64,
    pub base_score: f64,
    /// ISO alpha-2 -> points. A weight of 0 removes a default country.
    pub countries: BTreeMap<String, f64>,
}

impl GeographyRules {
    /// Risk points of a country code (0 when not listed).
    pub fn weight(&self, country: &str) -> f64 {
        self.countries.get(country).copied().unwrap_or(0.0)
    }
}

#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListedRules {
    pub enabled: bool,
    pub base_score: f64,
    pub match_weight: f64,
    pub involvement_points: f64,
}

/// The whole rules pack. See `rules/default.toml` for what each key means.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub engine: EngineRules,
    pub scoring: ScoringRules,
    pub fan_in: FanInRules,
    pub fan_out: FanOutRules,
    pub pass_through: PassThroughRules,
    pub scatter_gather: ScatterGatherRules,
    pub gather_scatter: GatherScatterRules,
    pub cycle: CycleRules,
    pub structuring: StructuringRules,
    pub dormant: DormantRules,
    pub geography: GeographyRules,
    pub listed_counterparty: ListedRules,
}

impl Rules {
    /// The compiled-in default pack.
    pub fn default_pack() -> Rules {
        // The embedded pack is checked by a unit test, so this cannot fail at run time
        // unless the binary was built from a broken tree; fall back to a parse of the
        // same text rather than panicking.
        match Rules::parse_full(DEFAULT_RULES_TOML) {
            Ok(r) => r,
            Err(e) => unreachable_default(e),
        }
    }

    fn parse_full(text: &str) -> Result<Rules, MonitorError> {
        let rules: Rules = toml::from_str(text).map_err(|e| MonitorError::Rules(e.to_string()))?;
        rules.validate()?;
        Ok(rules)
    }

    /// Parses a user rules file and merges it over the default pack.
    pub fn from_toml(text: &str) -> Result<Rules, MonitorError> {
        let mut base: toml::Value =
            toml::from_str(DEFAULT_RULES_TOML).map_err(|e| MonitorError::Rules(e.to_string()))?;
        let user: toml::Value =
            toml::from_str(text).map_err(|e| MonitorError::Rules(e.to_string()))?;
        merge(&mut base, user);
        let rules: Rules = base
            .try_into()
            .map_err(|e: toml::de::Error| MonitorError::Rules(e.to_string()))?;
        rules.validate()?;
        Ok(rules)
    }

    /// Checks cross-field constraints serde cannot express.
    pub fn validate(&self) -> Result<(), MonitorError> {
        let bad = |m: &str| Err(MonitorError::Rules(m.to_string()));
        let windows = [
            ("fan_in.short_window_days", self.fan_in.short_window_days),
            ("fan_in.long_window_days", self.fan_in.long_window_days),
            ("fan_out.short_window_days", self.fan_out.short_window_days),
            ("fan_out.long_window_days", self.fan_out.long_window_days),
            ("pass_through.window_days", self.pass_through.window_days),
            (
                "scatter_gather.window_days",
                self.scatter_gather.window_days,
            ),
            (
                "gather_scatter.window_days",
                self.gather_scatter.window_days,
            ),
            ("cycle.window_days", self.cycle.window_days),
            ("structuring.window_days", self.structuring.window_days),
            (
                "dormant.activity_window_days",
                self.dormant.activity_window_days,
            ),
            ("geography.window_days", self.geography.window_days),
        ];
        for (name, w) in windows {
            if !(w.is_finite() && w > 0.0 && w <= 3660.0) {
                return bad(&format!("{name} must be in (0, 3660] days, got {w}"));
            }
        }
        if self.engine.out_of_order_tolerance_days.is_nan()
            || self.engine.out_of_order_tolerance_days < 0.0
        {
            return bad("engine.out_of_order_tolerance_days must be >= 0");
        }
        if self.cycle.min_hops < 2
            || self.cycle.max_hops < self.cycle.min_hops
            || self.cycle.max_hops > 12
        {
            return bad("cycle: need 2 <= min_hops <= max_hops <= 12");
        }
        if self.engine.max_edges_per_account == 0 {
            return bad("engine.max_edges_per_account must be > 0");
        }
        if self.scoring.block_threshold < self.scoring.review_threshold {
            return bad("scoring.block_threshold must be >= review_threshold");
        }
        if !(0.0..1.0).contains(&self.structuring.margin) {
            return bad("structuring.margin must be in [0, 1)");
        }
        Ok(())
    }

    /// The longest window any detector looks back over, in seconds: edges older than this
    /// are never read again and are evicted.
    pub fn max_window_secs(&self) -> i64 {
        let d = [
            self.fan_in
                .long_window_days
                .max(self.fan_in.short_window_days)
                + self.fan_in.withdrawal_days,
            self.fan_out
                .long_window_days
                .max(self.fan_out.short_window_days),
            self.pass_through.window_days + self.pass_through.max_delay_days,
            self.scatter_gather.window_days,
            self.gather_scatter.window_days,
            self.cycle.window_days,
            self.structuring.window_days,
            self.dormant.activity_window_days,
            self.geography.window_days,
        ]
        .into_iter()
        .fold(1.0, f64::max);
        days(d)
    }
}

impl Default for Rules {
    fn default() -> Self {
        Rules::default_pack()
    }
}

#[cold]
fn unreachable_default(e: MonitorError) -> Rules {
    // Only reachable if rules/default.toml in the source tree is broken, which the unit
    // test `default_pack_parses` catches before any release.
    panic!("embedded default rules are invalid: {e}")
}

fn merge(base: &mut toml::Value, user: toml::Value) {
    match (base, user) {
        (toml::Value::Table(b), toml::Value::Table(u)) => {
            for (k, v) in u {
                match b.get_mut(&k) {
                    Some(existing) if existing.is_table() && v.is_table() => merge(existing, v),
                    _ => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, u) => *b = u,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_pack_parses() {
        let r = Rules::parse_full(DEFAULT_RULES_TOML);
        assert!(r.is_ok(), "{r:?}");
    }

    #[test]
    fn user_file_overrides_only_the_keys_it_sets() {
        let r = Rules::from_toml(
            "[fan_in]\nlong_min_senders = 12\n[geography.countries]\nSY = 0.0\nXX = 5.0\n",
        );
        let r = match r {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(r.fan_in.long_min_senders, 12);
        assert_eq!(
            r.fan_in.short_min_senders,
            Rules::default().fan_in.short_min_senders
        );
        assert_eq!(r.geography.weight("SY"), 0.0);
        assert_eq!(r.geography.weight("XX"), 5.0);
        assert!(r.geography.weight("IQ") > 0.0);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors() {
        assert!(Rules::from_toml("[fan_in]\nlong_min_sender = 12\n").is_err());
        assert!(Rules::from_toml("[cycle]\nmax_hops = 1\n").is_err());
        assert!(Rules::from_toml("[fan_in]\nlong_window_days = -3\n").is_err());
        assert!(Rules::from_toml("this is not toml").is_err());
    }
}
