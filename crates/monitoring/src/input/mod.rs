//! # THE INPUT EDGE
//!
//! Everything that turns outside bytes into [`Transaction`]s lives here and only here:
//! AMLSim CSV, a generic CSV with a TOML column mapping, JSON lines, and ISO 20022
//! pacs.008 XML. Adapters read from any `BufRead` / `&[u8]` the caller opened (no file
//! system access in this crate) and yield `Result<Transaction, Rejected>` per record, so a
//! bad record is reported with where it is and what is wrong, and reading continues.
//! No adapter panics on any input (property tests and cargo-fuzz targets check this).

pub mod amlsim;
pub mod csv_mapped;
pub mod jsonl;
pub mod pacs008;

use crate::{Rejected, Transaction};

/// One parsed record: a transaction, or the reason it was rejected.
pub type Record = Result<Transaction, Rejected>;

/// Supported input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// AMLSim `transactions.csv` (+ optional `accounts.csv`).
    Amlsim,
    /// Any CSV, with a column mapping.
    Csv,
    /// One canonical JSON transaction per line.
    Jsonl,
    /// ISO 20022 pacs.008 (FIToFICstmrCdtTrf) XML.
    Pacs008,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "amlsim" => Ok(Format::Amlsim),
            "csv" => Ok(Format::Csv),
            "jsonl" | "json" | "ndjson" => Ok(Format::Jsonl),
            "pacs008" | "pacs.008" | "xml" => Ok(Format::Pacs008),
            other => Err(format!(
                "unknown input format {other:?} (amlsim, csv, jsonl, pacs008)"
            )),
        }
    }
}

/// Cuts a record down to something printable in a rejection report.
pub(crate) fn excerpt(s: &str) -> String {
    let s = s.trim_end_matches(['\r', '\n']);
    if s.chars().count() <= 120 {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(117).collect();
        t.push_str("...");
        t
    }
}

/// ISO country of a BIC (characters 5-6), if it looks like one.
pub(crate) fn bic_country(bic: &str) -> Option<String> {
    let b = bic.trim();
    if (b.len() == 8 || b.len() == 11) && b.is_ascii() {
        let c = &b[4..6];
        if c.chars().all(|ch| ch.is_ascii_alphabetic()) {
            return Some(c.to_ascii_uppercase());
        }
    }
    None
}

/// Normalises an optional text field: trimmed, `None` when empty.
pub(crate) fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else {
        Some(t.to_string())
    }
}
