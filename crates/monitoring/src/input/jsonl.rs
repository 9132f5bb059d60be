//! JSON lines: one transaction per line in the canonical shape
//! (`{"id":..,"timestamp":..,"amount":..,"currency":..,"originator":{"account":..,"name":..,
//! "bank":..,"country":..},"beneficiary":{..},"channel":..}`). `timestamp` may be RFC 3339
//! text or Unix seconds; `amount` a number or a decimal string; `id` a string or a number
//! (`tx_id` is accepted as an alias). Blank lines are skipped.

use std::io::BufRead;

use serde::Deserialize;

use super::{Record, bic_country, excerpt};
use crate::tx::{parse_amount, parse_timestamp};
use crate::{Party, Rejected, Transaction};

#[derive(Deserialize)]
struct Raw {
    #[serde(alias = "tx_id")]
    id: serde_json::Value,
    timestamp: serde_json::Value,
    amount: serde_json::Value,
    #[serde(default)]
    currency: Option<String>,
    originator: Party,
    beneficiary: Party,
    #[serde(default)]
    channel: Option<String>,
}

/// Streaming reader over JSON lines.
#[derive(Debug)]
pub struct JsonlReader<R: BufRead> {
    r: R,
    buf: String,
    line: u64,
    done: bool,
}

impl<R: BufRead> JsonlReader<R> {
    /// Wraps a reader.
    pub fn new(r: R) -> Self {
        JsonlReader {
            r,
            buf: String::new(),
            line: 0,
            done: false,
        }
    }
}

fn scalar(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Parses one line.
pub fn parse_line(line: &str) -> Result<Transaction, String> {
    let raw: Raw =
        serde_json::from_str(line).map_err(|e| format!("invalid JSON transaction: {e}"))?;
    let id = scalar(&raw.id).ok_or("id must be a string or a number")?;
    let timestamp = match &raw.timestamp {
        serde_json::Value::Number(n) => n
            .as_i64()
            .ok_or("timestamp number must be integer Unix seconds")?,
        serde_json::Value::String(s) => parse_timestamp(s)?,
        _ => return Err("timestamp must be text or Unix seconds".into()),
    };
    let amount = match &raw.amount {
        serde_json::Value::Number(n) => {
            let v = n.as_f64().ok_or("amount out of range")?;
            parse_amount(&v.to_string())?
        }
        serde_json::Value::String(s) => parse_amount(s)?,
        _ => return Err("amount must be a number or decimal text".into()),
    };
    let fix = |mut p: Party| {
        p.country = p
            .country
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty());
        if p.country.is_none() {
            p.country = p.bank.as_deref().and_then(bic_country);
        }
        p
    };
    let tx = Transaction {
        id,
        timestamp,
        amount,
        currency: raw
            .currency
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .ok_or("missing currency")?,
        originator: fix(raw.originator),
        beneficiary: fix(raw.beneficiary),
        channel: raw.channel,
    };
    tx.validate()?;
    Ok(tx)
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Record;
    fn next(&mut self) -> Option<Record> {
        loop {
            if self.done {
                return None;
            }
            self.buf.clear();
            self.line += 1;
            match self.r.read_line(&mut self.buf) {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    // Invalid UTF-8 loses the line; an I/O error ends the stream.
                    if e.kind() != std::io::ErrorKind::InvalidData {
                        self.done = true;
                    }
                    return Some(Err(Rejected {
                        record: format!("line {}", self.line),
                        reason: format!("unreadable line: {e}"),
                    }));
                }
            }
            let l = self.buf.trim();
            if l.is_empty() {
                continue;
            }
            return Some(parse_line(l).map_err(|reason| Rejected {
                record: format!("line {}: {}", self.line, excerpt(l)),
                reason,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_parse_and_bad_lines_are_reported() {
        let data = r#"{"id":1,"timestamp":"2024-01-01T10:00:00Z","amount":"12.5","currency":"usd","originator":{"account":"A","bank":"ABCDSYDA"},"beneficiary":{"account":"B","country":"iq"}}

{"id":"2","timestamp":1704103200,"amount":-1,"currency":"USD","originator":{"account":"A"},"beneficiary":{"account":"B"}}
not json
"#;
        let recs: Vec<_> = JsonlReader::new(data.as_bytes()).collect();
        assert_eq!(recs.len(), 3);
        let t = recs[0].as_ref().ok().cloned().unwrap_or_default();
        assert_eq!(
            (t.id.as_str(), t.amount, t.currency.as_str()),
            ("1", 12.5, "USD")
        );
        assert_eq!(t.originator.country.as_deref(), Some("SY"));
        assert_eq!(t.beneficiary.country.as_deref(), Some("IQ"));
        assert!(
            recs[1]
                .as_ref()
                .err()
                .is_some_and(|e| e.reason.contains("negative") && e.record.starts_with("line 3"))
        );
        assert!(
            recs[2]
                .as_ref()
                .err()
                .is_some_and(|e| e.reason.contains("invalid JSON"))
        );
    }
}
