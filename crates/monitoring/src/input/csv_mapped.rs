//! Generic CSV with a column mapping in a TOML file, for core-banking and payment
//! exports whose headers differ from ours. Example mapping:
//!
//! ```toml
//! delimiter = ";"            # default ","
//! has_header = true          # default true; without a header, columns are 0-based indexes
//! timestamp_format = "%d/%m/%Y %H:%M"   # optional chrono format; default: RFC 3339 / ISO / date
//! default_currency = "EUR"   # used when no currency column is mapped or the cell is empty
//! [columns]
//! id = "Reference"
//! timestamp = "Booking date"
//! amount = "Amount"
//! currency = "Ccy"
//! originator_account = "Debtor IBAN"
//! originator_name = "Debtor"
//! originator_bank = "Debtor BIC"
//! originator_country = "Debtor country"
//! beneficiary_account = "Creditor IBAN"
//! beneficiary_name = "Creditor"
//! beneficiary_bank = "Creditor BIC"
//! beneficiary_country = "Creditor country"
//! channel = "Type"
//! ```
//! Columns may be header names or 0-based integer indexes. Party countries fall back to
//! the country of the party's BIC when a bank column holds one.

use serde::Deserialize;

use super::{Record, bic_country, excerpt, opt};
use crate::tx::{parse_amount, parse_timestamp};
use crate::{MonitorError, Party, Rejected, Transaction};

/// A column reference: header name or 0-based index.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Column {
    /// By header name (case-insensitive, trimmed).
    Name(String),
    /// By position.
    Index(usize),
}

/// Which column holds which field.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    pub id: Column,
    pub timestamp: Column,
    pub amount: Column,
    pub currency: Option<Column>,
    pub originator_account: Column,
    pub originator_name: Option<Column>,
    pub originator_bank: Option<Column>,
    pub originator_country: Option<Column>,
    pub beneficiary_account: Column,
    pub beneficiary_name: Option<Column>,
    pub beneficiary_bank: Option<Column>,
    pub beneficiary_country: Option<Column>,
    pub channel: Option<Column>,
}

/// The mapping file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Field delimiter (one ASCII character).
    #[serde(default = "comma")]
    pub delimiter: String,
    /// Whether the first row is a header.
    #[serde(default = "yes")]
    pub has_header: bool,
    /// Optional chrono format for timestamps.
    pub timestamp_format: Option<String>,
    /// Currency when none is given.
    pub default_currency: Option<String>,
    /// Column mapping.
    pub columns: Columns,
}

fn comma() -> String {
    ",".into()
}
fn yes() -> bool {
    true
}

impl Mapping {
    /// Parses a mapping TOML.
    pub fn from_toml(text: &str) -> Result<Mapping, MonitorError> {
        let m: Mapping = toml::from_str(text).map_err(|e| MonitorError::Mapping(e.to_string()))?;
        if m.delimiter.len() != 1 || !m.delimiter.is_ascii() {
            return Err(MonitorError::Mapping(format!(
                "delimiter must be one ASCII character, got {:?}",
                m.delimiter
            )));
        }
        Ok(m)
    }
}

#[derive(Debug, Clone, Default)]
struct Resolved {
    id: usize,
    ts: usize,
    amount: usize,
    currency: Option<usize>,
    oa: usize,
    on: Option<usize>,
    ob: Option<usize>,
    oc: Option<usize>,
    ba: usize,
    bn: Option<usize>,
    bb: Option<usize>,
    bc: Option<usize>,
    channel: Option<usize>,
}

/// Streaming reader for a mapped CSV.
#[derive(Debug)]
pub struct MappedCsvReader<R: std::io::Read> {
    rd: csv::Reader<R>,
    cols: Resolved,
    mapping: Mapping,
    rec: csv::StringRecord,
    line: u64,
    done: bool,
}

impl<R: std::io::Read> MappedCsvReader<R> {
    /// Opens the stream and resolves the mapping against the header.
    pub fn new(r: R, mapping: Mapping) -> Result<Self, MonitorError> {
        let mut rd = csv::ReaderBuilder::new()
            .delimiter(mapping.delimiter.as_bytes()[0])
            .has_headers(mapping.has_header)
            .flexible(true)
            .from_reader(r);
        let headers = if mapping.has_header {
            Some(
                rd.headers()
                    .map_err(|e| MonitorError::Header(e.to_string()))?
                    .clone(),
            )
        } else {
            None
        };
        let find = |c: &Column| -> Result<usize, MonitorError> {
            match (c, &headers) {
                (Column::Index(i), _) => Ok(*i),
                (Column::Name(n), Some(h)) => h
                    .iter()
                    .position(|x| x.trim().eq_ignore_ascii_case(n.trim()))
                    .ok_or_else(|| {
                        MonitorError::Header(format!("no column named {n:?} in the header"))
                    }),
                (Column::Name(n), None) => Err(MonitorError::Mapping(format!(
                    "column {n:?} given by name but has_header = false"
                ))),
            }
        };
        let ofind = |c: &Option<Column>| c.as_ref().map(find).transpose();
        let c = &mapping.columns;
        let cols = Resolved {
            id: find(&c.id)?,
            ts: find(&c.timestamp)?,
            amount: find(&c.amount)?,
            currency: ofind(&c.currency)?,
            oa: find(&c.originator_account)?,
            on: ofind(&c.originator_name)?,
            ob: ofind(&c.originator_bank)?,
            oc: ofind(&c.originator_country)?,
            ba: find(&c.beneficiary_account)?,
            bn: ofind(&c.beneficiary_name)?,
            bb: ofind(&c.beneficiary_bank)?,
            bc: ofind(&c.beneficiary_country)?,
            channel: ofind(&c.channel)?,
        };
        let line = if mapping.has_header { 1 } else { 0 };
        Ok(MappedCsvReader {
            rd,
            cols,
            mapping,
            rec: csv::StringRecord::new(),
            line,
            done: false,
        })
    }

    fn parse(&self) -> Result<Transaction, String> {
        let c = &self.cols;
        let req = |i: usize, what: &str| -> Result<&str, String> {
            let v = self
                .rec
                .get(i)
                .ok_or_else(|| format!("missing column {} ({what})", i + 1))?
                .trim();
            if v.is_empty() {
                Err(format!("empty {what}"))
            } else {
                Ok(v)
            }
        };
        let get = |i: Option<usize>| i.and_then(|i| self.rec.get(i)).and_then(opt);
        let ts_s = req(c.ts, "timestamp")?;
        let timestamp = match &self.mapping.timestamp_format {
            Some(f) => chrono::NaiveDateTime::parse_from_str(ts_s, f)
                .map(|d| d.and_utc().timestamp())
                .or_else(|_| {
                    chrono::NaiveDate::parse_from_str(ts_s, f)
                        .map_err(|e| e.to_string())
                        .and_then(|d| {
                            d.and_hms_opt(0, 0, 0)
                                .map(|x| x.and_utc().timestamp())
                                .ok_or_else(|| "bad date".to_string())
                        })
                })
                .map_err(|e| format!("timestamp {ts_s:?} does not match {f:?}: {e}"))?,
            None => parse_timestamp(ts_s)?,
        };
        let party = |a: usize,
                     n: Option<usize>,
                     b: Option<usize>,
                     co: Option<usize>,
                     what: &str|
         -> Result<Party, String> {
            let bank = get(b);
            let country = get(co)
                .map(|x| x.to_ascii_uppercase())
                .or_else(|| bank.as_deref().and_then(bic_country));
            Ok(Party {
                account: req(a, what)?.to_string(),
                name: get(n),
                bank,
                country,
            })
        };
        Ok(Transaction {
            id: req(c.id, "transaction id")?.to_string(),
            timestamp,
            amount: parse_amount(req(c.amount, "amount")?)?,
            currency: get(c.currency)
                .or_else(|| self.mapping.default_currency.clone())
                .map(|s| s.to_ascii_uppercase())
                .ok_or("no currency (map a currency column or set default_currency)")?,
            originator: party(c.oa, c.on, c.ob, c.oc, "originator account")?,
            beneficiary: party(c.ba, c.bn, c.bb, c.bc, "beneficiary account")?,
            channel: get(c.channel),
        })
    }
}

impl<R: std::io::Read> Iterator for MappedCsvReader<R> {
    type Item = Record;
    fn next(&mut self) -> Option<Record> {
        if self.done {
            return None;
        }
        self.line += 1;
        match self.rd.read_record(&mut self.rec) {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => Some(self.parse().map_err(|reason| Rejected {
                record: format!(
                    "line {}: {}",
                    self.line,
                    excerpt(&self.rec.iter().collect::<Vec<_>>().join(","))
                ),
                reason,
            })),
            Err(e) => {
                if e.is_io_error() {
                    self.done = true;
                }
                Some(Err(Rejected {
                    record: format!("line {}", self.line),
                    reason: format!("malformed row: {e}"),
                }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapped_columns_by_name_and_bic_country_fallback() {
        let m = Mapping::from_toml(
            "delimiter=\";\"\ndefault_currency=\"eur\"\n[columns]\nid=\"Ref\"\ntimestamp=\"When\"\namount=\"Amt\"\n\
             originator_account=\"From\"\noriginator_bank=\"FromBic\"\nbeneficiary_account=\"To\"\nbeneficiary_country=4\n",
        );
        let m = match m {
            Ok(m) => m,
            Err(e) => panic!("{e}"),
        };
        let data = "Ref;When;Amt;From;To;FromBic\nr1;2024-03-01;1 200;A;B;DEUTDEFF\nr2;2024-03-01;12;A;;DEUTDEFF\n";
        let rd = match MappedCsvReader::new(data.as_bytes(), m) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let recs: Vec<_> = rd.collect();
        // "1 200" is not a number: rejected with the line.
        assert!(
            recs[0].as_ref().err().is_some_and(
                |e| e.reason.contains("not a number") && e.record.starts_with("line 2")
            )
        );
        assert!(
            recs[1]
                .as_ref()
                .err()
                .is_some_and(|e| e.reason.contains("beneficiary account"))
        );
        let data = "Ref;When;Amt;From;To;FromBic\nr1;2024-03-01;1200;A;B;DEUTDEFF\n";
        let m2 = Mapping::from_toml(
            "delimiter=\";\"\ndefault_currency=\"eur\"\n[columns]\nid=\"Ref\"\ntimestamp=\"When\"\namount=\"Amt\"\noriginator_account=\"From\"\noriginator_bank=\"FromBic\"\nbeneficiary_account=\"To\"\n",
        );
        let Ok(m2) = m2 else { panic!("mapping") };
        let Ok(rd) = MappedCsvReader::new(data.as_bytes(), m2) else {
            panic!("reader")
        };
        let t = rd
            .into_iter()
            .next()
            .and_then(|r| r.ok())
            .unwrap_or_default();
        assert_eq!(t.currency, "EUR");
        assert_eq!(t.originator.country.as_deref(), Some("DE"));
        assert_eq!(t.amount, 1200.0);
    }

    #[test]
    fn unknown_header_is_a_setup_error() {
        let Ok(m) = Mapping::from_toml(
            "[columns]\nid=\"x\"\ntimestamp=\"t\"\namount=\"a\"\noriginator_account=\"o\"\nbeneficiary_account=\"b\"\n",
        ) else {
            panic!("mapping")
        };
        assert!(MappedCsvReader::new("id,t,a,o,b\n".as_bytes(), m).is_err());
    }
}
