//! The canonical transaction every input adapter produces and the engine consumes.

use serde::{Deserialize, Serialize};

/// One side of a transfer: who, which account, at which institution, where.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Party {
    /// Account identifier as the input spells it (IBAN, internal id, wallet...). This is
    /// the key all per-account state hangs on, so it must be non-empty.
    pub account: String,
    /// Account holder's name, if the input carries it; screened against watchlists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Bank / agent identifier (BIC, bank code, or the input's own bank label).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank: Option<String>,
    /// ISO 3166-1 alpha-2 country of the party (or of its agent when only that is known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// A transfer of value from an originator to a beneficiary at one point in event time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Transaction {
    /// The input's own transaction id (end-to-end id, row id...). Alerts quote it back.
    pub id: String,
    /// Event time in seconds since the Unix epoch (UTC). The engine never reads a clock:
    /// windows, dormancy and ordering all use this value.
    pub timestamp: i64,
    /// Amount in major units of `currency`; finite and non-negative (adapters reject others).
    pub amount: f64,
    /// ISO 4217 code, upper case.
    pub currency: String,
    /// Who pays.
    pub originator: Party,
    /// Who receives.
    pub beneficiary: Party,
    /// Channel or payment type (TRANSFER, CASH, CARD, pacs.008...), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

impl Transaction {
    /// Checks the invariants the engine relies on; returns the reason when one fails.
    pub fn validate(&self) -> Result<(), String> {
        if self.id.trim().is_empty() {
            return Err("empty transaction id".into());
        }
        if self.originator.account.trim().is_empty() {
            return Err("empty originator account".into());
        }
        if self.beneficiary.account.trim().is_empty() {
            return Err("empty beneficiary account".into());
        }
        if !self.amount.is_finite() {
            return Err(format!("amount is not a finite number: {}", self.amount));
        }
        if self.amount < 0.0 {
            return Err(format!("negative amount: {}", self.amount));
        }
        Ok(())
    }
}

/// Parses the timestamp shapes real exports use: RFC 3339 (`2024-01-01T00:00:00Z`,
/// with offset or fraction), a naive `YYYY-MM-DD HH:MM:SS` / `YYYY-MM-DDTHH:MM:SS` taken as
/// UTC, a bare date `YYYY-MM-DD` (midnight UTC), or integer Unix seconds.
pub fn parse_timestamp(s: &str) -> Result<i64, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty timestamp".into());
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(dt.timestamp());
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y/%m/%d %H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(dt.and_utc().timestamp());
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d
            .and_hms_opt(0, 0, 0)
            .map(|dt| dt.and_utc().timestamp())
            .ok_or_else(|| format!("bad date: {s}"));
    }
    if let Ok(secs) = s.parse::<i64>() {
        return Ok(secs);
    }
    Err(format!("unrecognised timestamp: {s:?}"))
}

/// Formats event time as RFC 3339 UTC for explanations.
pub fn format_timestamp(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| ts.to_string())
}

/// Parses an amount: plain decimal, optionally with thousands separators `,` or `_`
/// removed. Rejects non-numeric, non-finite and negative values with a reason.
pub fn parse_amount(s: &str) -> Result<f64, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("empty amount".into());
    }
    let cleaned: std::borrow::Cow<'_, str> = if t.contains([',', '_']) {
        t.chars()
            .filter(|c| *c != ',' && *c != '_')
            .collect::<String>()
            .into()
    } else {
        t.into()
    };
    let v: f64 = cleaned
        .parse()
        .map_err(|_| format!("amount is not a number: {t:?}"))?;
    if !v.is_finite() {
        return Err(format!("amount is not finite: {t:?}"));
    }
    if v < 0.0 {
        return Err(format!("negative amount: {t}"));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_common_shapes_parse_to_the_same_instant() {
        let a = parse_timestamp("2024-01-02T00:00:00Z").unwrap_or_default();
        assert_eq!(a, 1_704_153_600);
        assert_eq!(parse_timestamp("2024-01-02").ok(), Some(a));
        assert_eq!(parse_timestamp("2024-01-02 00:00:00").ok(), Some(a));
        assert_eq!(parse_timestamp("2024-01-02T01:00:00+01:00").ok(), Some(a));
        assert_eq!(parse_timestamp("1704153600").ok(), Some(a));
        assert!(parse_timestamp("yesterday").is_err());
    }

    #[test]
    fn amounts_reject_negative_and_garbage() {
        assert_eq!(parse_amount("1,234.50").ok(), Some(1234.5));
        assert!(parse_amount("-5").is_err());
        assert!(parse_amount("abc").is_err());
        assert!(parse_amount("NaN").is_err());
        assert!(parse_amount("inf").is_err());
    }
}
