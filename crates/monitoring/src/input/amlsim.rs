//! AMLSim CSV: `transactions.csv` (`tx_id,timestamp,step,orig_acct,bene_acct,orig_bank,
//! bene_bank,amount,currency,tx_type`) and, optionally, `accounts.csv` (`acct_id,
//! customer_name,first_name,last_name,...,country,bank_id,...`) for holder names and
//! countries. Columns are found by header name, so extra or reordered columns are fine.
//! With an accounts table, a transaction naming an account not in it is rejected
//! ("unknown account"): in a bank's own export that is a data-integrity problem worth
//! reporting, not silently monitoring.

use rustc_hash::FxHashMap;

use super::{Record, excerpt, opt};
use crate::tx::{parse_amount, parse_timestamp};
use crate::{MonitorError, Party, Rejected, Transaction};

/// Master data of one account from `accounts.csv`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountInfo {
    /// Holder name (first + last name, or customer_name).
    pub name: Option<String>,
    /// ISO country.
    pub country: Option<String>,
    /// Bank id.
    pub bank: Option<String>,
}

/// Parsed `accounts.csv`: account id -> master data, plus the rows that were rejected.
pub fn read_accounts<R: std::io::Read>(
    r: R,
) -> Result<(FxHashMap<String, AccountInfo>, Vec<Rejected>), MonitorError> {
    let mut rd = csv::ReaderBuilder::new().flexible(true).from_reader(r);
    let headers = rd
        .headers()
        .map_err(|e| MonitorError::Header(format!("accounts.csv: {e}")))?
        .clone();
    let col = |n: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(n))
    };
    let id = col("acct_id")
        .or_else(|| col("account_id"))
        .ok_or_else(|| MonitorError::Header("accounts.csv: no acct_id column".into()))?;
    let (first, last, cust, country, bank) = (
        col("first_name"),
        col("last_name"),
        col("customer_name"),
        col("country"),
        col("bank_id"),
    );
    let mut map = FxHashMap::default();
    let mut rejected = Vec::new();
    let mut rec = csv::StringRecord::new();
    let mut line = 1u64;
    loop {
        line += 1;
        match rd.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                rejected.push(Rejected {
                    record: format!("accounts.csv line {line}"),
                    reason: format!("malformed row: {e}"),
                });
                if e.is_io_error() {
                    break;
                }
                continue;
            }
        }
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).and_then(opt);
        let Some(acct) = get(Some(id)) else {
            rejected.push(Rejected {
                record: format!("accounts.csv line {line}"),
                reason: "empty acct_id".into(),
            });
            continue;
        };
        let name = match (get(first), get(last)) {
            (Some(f), Some(l)) => Some(format!("{f} {l}")),
            (Some(f), None) => Some(f),
            (None, Some(l)) => Some(l),
            (None, None) => get(cust),
        };
        map.insert(
            acct,
            AccountInfo {
                name,
                country: get(country).map(|c| c.to_ascii_uppercase()),
                bank: get(bank),
            },
        );
    }
    Ok((map, rejected))
}

/// Streaming reader over AMLSim `transactions.csv`.
#[derive(Debug)]
pub struct AmlsimReader<R: std::io::Read> {
    rd: csv::Reader<R>,
    cols: Cols,
    accounts: Option<FxHashMap<String, AccountInfo>>,
    rec: csv::ByteRecord,
    line: u64,
    done: bool,
}

#[derive(Debug, Clone, Copy)]
struct Cols {
    id: usize,
    ts: Option<usize>,
    step: Option<usize>,
    orig: usize,
    bene: usize,
    orig_bank: Option<usize>,
    bene_bank: Option<usize>,
    amount: usize,
    currency: Option<usize>,
    tx_type: Option<usize>,
}

impl<R: std::io::Read> AmlsimReader<R> {
    /// Opens the stream; reads and checks the header row.
    pub fn new(
        r: R,
        accounts: Option<FxHashMap<String, AccountInfo>>,
    ) -> Result<Self, MonitorError> {
        let mut rd = csv::ReaderBuilder::new().flexible(true).from_reader(r);
        let headers = rd
            .byte_headers()
            .map_err(|e| MonitorError::Header(format!("transactions.csv: {e}")))?
            .clone();
        let col = |names: &[&str]| {
            headers.iter().position(|h| {
                names
                    .iter()
                    .any(|n| String::from_utf8_lossy(h).trim().eq_ignore_ascii_case(n))
            })
        };
        let need = |names: &[&str]| {
            col(names).ok_or_else(|| {
                MonitorError::Header(format!("transactions.csv: missing column {}", names[0]))
            })
        };
        let cols = Cols {
            id: need(&["tx_id", "tran_id"])?,
            ts: col(&["timestamp", "tran_timestamp"]),
            step: col(&["step"]),
            orig: need(&["orig_acct", "nameOrig"])?,
            bene: need(&["bene_acct", "nameDest"])?,
            orig_bank: col(&["orig_bank"]),
            bene_bank: col(&["bene_bank"]),
            amount: need(&["amount", "base_amt"])?,
            currency: col(&["currency"]),
            tx_type: col(&["tx_type", "type"]),
        };
        if cols.ts.is_none() && cols.step.is_none() {
            return Err(MonitorError::Header(
                "transactions.csv: need a timestamp or step column".into(),
            ));
        }
        Ok(AmlsimReader {
            rd,
            cols,
            accounts,
            rec: csv::ByteRecord::new(),
            line: 1,
            done: false,
        })
    }

    fn parse(&self) -> Result<Transaction, String> {
        let c = &self.cols;
        let field = |i: usize| -> Result<&str, String> {
            let b = self
                .rec
                .get(i)
                .ok_or_else(|| format!("missing field {}", i + 1))?;
            std::str::from_utf8(b)
                .map(str::trim)
                .map_err(|_| format!("field {} is not UTF-8", i + 1))
        };
        let ofield = |i: Option<usize>| {
            i.and_then(|i| self.rec.get(i))
                .and_then(|b| std::str::from_utf8(b).ok())
                .and_then(opt)
        };
        let id = field(c.id)?;
        if id.is_empty() {
            return Err("empty tx_id".into());
        }
        let timestamp = match c.ts.map(field).transpose()? {
            Some(t) if !t.is_empty() => parse_timestamp(t)?,
            _ => {
                // AMLSim's raw output has only a day index; count days from the epoch.
                let s = c.step.map(field).transpose()?.unwrap_or("");
                let d: i64 = s
                    .parse()
                    .map_err(|_| format!("step is not an integer: {s:?}"))?;
                d.checked_mul(86_400).ok_or("step out of range")?
            }
        };
        let amount = parse_amount(field(c.amount)?)?;
        let party = |acct_col: usize, bank_col: Option<usize>| -> Result<Party, String> {
            let account = field(acct_col)?;
            if account.is_empty() {
                return Err("empty account id".into());
            }
            let mut p = Party {
                account: account.to_string(),
                bank: ofield(bank_col),
                ..Default::default()
            };
            if let Some(accts) = &self.accounts {
                let info = accts
                    .get(account)
                    .ok_or_else(|| format!("unknown account {account:?} (not in accounts.csv)"))?;
                p.name = info.name.clone();
                p.country = info.country.clone();
                if p.bank.is_none() {
                    p.bank = info.bank.clone();
                }
            }
            Ok(p)
        };
        let originator = party(c.orig, c.orig_bank)?;
        let beneficiary = party(c.bene, c.bene_bank)?;
        Ok(Transaction {
            id: id.to_string(),
            timestamp,
            amount,
            currency: ofield(c.currency)
                .map(|s| s.to_ascii_uppercase())
                .unwrap_or_else(|| "USD".into()),
            originator,
            beneficiary,
            channel: ofield(c.tx_type),
        })
    }
}

impl<R: std::io::Read> Iterator for AmlsimReader<R> {
    type Item = Record;
    fn next(&mut self) -> Option<Record> {
        if self.done {
            return None;
        }
        self.line += 1;
        match self.rd.read_byte_record(&mut self.rec) {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => Some(self.parse().map_err(|reason| Rejected {
                record: format!(
                    "transactions.csv line {}: {}",
                    self.line,
                    excerpt(&String::from_utf8_lossy(self.rec.as_slice()))
                ),
                reason,
            })),
            Err(e) => {
                if e.is_io_error() {
                    self.done = true;
                }
                Some(Err(Rejected {
                    record: format!("transactions.csv line {}", self.line),
                    reason: format!("malformed row: {e}"),
                }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TX: &str = "tx_id,timestamp,step,orig_acct,bene_acct,orig_bank,bene_bank,amount,currency,tx_type\n\
        1,2024-01-01T00:00:00Z,0,10,20,bank_a,bank_b,723.1,USD,TRANSFER\n\
        2,2024-01-01T00:00:00Z,0,10,99,bank_a,bank_b,5,USD,TRANSFER\n\
        3,2024-01-02T00:00:00Z,1,10,20,bank_a,bank_b,-5,USD,TRANSFER\n\
        4,2024-01-02T00:00:00Z,1,10,20,bank_a,bank_b,abc,USD,TRANSFER\n\
        5,2024-01-02T00:00:00Z,1,20\n";
    const ACCTS: &str = "acct_id,customer_name,first_name,last_name,city,state,zip,country,bank_id\n\
        10,C_10,Ann,Lee,X,Y,1,US,bank_a\n20,C_20,Bo,Kim,X,Y,1,SY,bank_b\n";

    #[test]
    fn good_rows_parse_and_bad_rows_are_rejected_with_line_and_reason() {
        let (accts, rej) = read_accounts(ACCTS.as_bytes()).unwrap_or_default();
        assert!(rej.is_empty());
        let rd = match AmlsimReader::new(TX.as_bytes(), Some(accts)) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let recs: Vec<_> = rd.collect();
        assert_eq!(recs.len(), 5);
        let t = recs[0].as_ref().ok().cloned().unwrap_or_default();
        assert_eq!(t.id, "1");
        assert_eq!(t.beneficiary.name.as_deref(), Some("Bo Kim"));
        assert_eq!(t.beneficiary.country.as_deref(), Some("SY"));
        let reasons: Vec<String> = recs[1..]
            .iter()
            .map(|r| {
                r.as_ref()
                    .err()
                    .map(|e| e.reason.clone())
                    .unwrap_or_default()
            })
            .collect();
        assert!(reasons[0].contains("unknown account \"99\""), "{reasons:?}");
        assert!(reasons[1].contains("negative"), "{reasons:?}");
        assert!(reasons[2].contains("not a number"), "{reasons:?}");
        assert!(reasons[3].contains("missing field"), "{reasons:?}");
        assert!(
            recs[4]
                .as_ref()
                .err()
                .is_some_and(|e| e.record.contains("line 6"))
        );
    }
}
