//! ISO 20022 pacs.008 (FIToFICstmrCdtTrf, any version 001.02..001.13): one transaction per
//! `CdtTrfTxInf`. Streaming (quick-xml), namespace prefixes ignored, several `Document`s
//! per file allowed.
//!
//! Field mapping:
//! - id: `PmtId/TxId`, else `PmtId/EndToEndId` (unless `NOTPROVIDED`), else `PmtId/UETR`,
//!   else `GrpHdr/MsgId` + `#n`;
//! - amount and currency: `IntrBkSttlmAmt` and its `Ccy` attribute;
//! - time: `IntrBkSttlmDt` of the transaction, else of the group header, else
//!   `GrpHdr/CreDtTm`; when the settlement date equals the creation date, the creation time
//!   is kept (finer ordering);
//! - parties: `Dbtr`/`Cdtr` `Nm`; account `DbtrAcct|CdtrAcct/Id/IBAN` or `Id/Othr/Id`;
//!   bank `DbtrAgt|CdtrAgt/FinInstnId/BICFI` (or `BIC`, or `ClrSysMmbId/MmbId`);
//!   country from `PstlAdr/Ctry`, else `CtryOfRes`, else the agent BIC's country;
//! - channel: `pacs.008` plus `PmtTpInf/LclInstrm/Cd|Prtry` or `CtgyPurp/Cd` when present.
//!
//! A `CdtTrfTxInf` missing what a transaction needs is rejected with its number and the
//! missing element; malformed XML is rejected with the byte position and ends the file
//! (an XML stream cannot be re-synchronised safely).

use std::io::BufRead;

use quick_xml::events::Event;

use super::{Record, bic_country};
use crate::tx::{parse_amount, parse_timestamp};
use crate::{Party, Rejected, Transaction};

#[derive(Debug, Default, Clone)]
struct Header {
    msg_id: Option<String>,
    cre_dt_tm: Option<String>,
    sttlm_dt: Option<String>,
}

#[derive(Debug, Default, Clone)]
struct PartyAcc {
    name: Option<String>,
    ctry: Option<String>,
    ctry_of_res: Option<String>,
    iban: Option<String>,
    othr: Option<String>,
    bic: Option<String>,
    mmb: Option<String>,
}

#[derive(Debug, Default, Clone)]
struct TxAcc {
    tx_id: Option<String>,
    e2e: Option<String>,
    uetr: Option<String>,
    amount: Option<String>,
    ccy: Option<String>,
    sttlm_dt: Option<String>,
    instrument: Option<String>,
    dbtr: PartyAcc,
    cdtr: PartyAcc,
}

/// Streaming pacs.008 reader.
#[derive(Debug)]
pub struct Pacs008Reader<R: BufRead> {
    xml: quick_xml::Reader<R>,
    buf: Vec<u8>,
    path: Vec<String>,
    text: String,
    hdr: Header,
    cur: Option<TxAcc>,
    ccy_pending: Option<String>,
    n: u64,
    done: bool,
}

impl<R: BufRead> Pacs008Reader<R> {
    /// Wraps a reader.
    pub fn new(r: R) -> Self {
        let mut xml = quick_xml::Reader::from_reader(r);
        xml.config_mut().trim_text(false);
        Pacs008Reader {
            xml,
            buf: Vec::new(),
            path: Vec::new(),
            text: String::new(),
            hdr: Header::default(),
            cur: None,
            ccy_pending: None,
            n: 0,
            done: false,
        }
    }

    fn has(&self, tail: &[&str]) -> bool {
        self.path.len() >= tail.len()
            && self.path[self.path.len() - tail.len()..]
                .iter()
                .zip(tail)
                .all(|(a, b)| a == b)
    }

    fn within(&self, name: &str) -> bool {
        self.path.iter().any(|p| p == name)
    }

    /// Stores the text of the element that just closed (path still includes it).
    fn store_text(&mut self) {
        let v = self.text.trim().to_string();
        if v.is_empty() {
            return;
        }
        let Some(last) = self.path.last().cloned() else {
            return;
        };
        if self.within("GrpHdr") {
            match last.as_str() {
                "MsgId" => self.hdr.msg_id = Some(v),
                "CreDtTm" => self.hdr.cre_dt_tm = Some(v),
                "IntrBkSttlmDt" => self.hdr.sttlm_dt = Some(v),
                _ => {}
            }
            return;
        }
        let in_dbtr_party = self.within("Dbtr") && !self.within("UltmtDbtr");
        let in_cdtr_party = self.within("Cdtr") && !self.within("UltmtCdtr");
        let (dbtr_acct, cdtr_acct, dbtr_agt, cdtr_agt) = (
            self.within("DbtrAcct"),
            self.within("CdtrAcct"),
            self.within("DbtrAgt"),
            self.within("CdtrAgt"),
        );
        let pmt_id = self.within("PmtId");
        let in_tp = self.within("PmtTpInf");
        let is_sttl_amt = self.has(&["IntrBkSttlmAmt"]);
        let is_ctry = self.has(&["PstlAdr", "Ctry"]);
        let is_iban = self.has(&["Id", "IBAN"]);
        let is_othr = self.has(&["Othr", "Id"]);
        let is_bic = self.has(&["FinInstnId", "BICFI"]) || self.has(&["FinInstnId", "BIC"]);
        let is_mmb = self.has(&["ClrSysMmbId", "MmbId"]);
        let depth_party =
            |name: &str, path: &[String]| path.last().map(|l| l == name).unwrap_or(false);
        let Some(t) = self.cur.as_mut() else { return };
        if pmt_id {
            match last.as_str() {
                "TxId" => t.tx_id = Some(v),
                "EndToEndId" => t.e2e = Some(v),
                "UETR" => t.uetr = Some(v),
                _ => {}
            }
        } else if is_sttl_amt {
            t.amount = Some(v);
            t.ccy = self.ccy_pending.take();
        } else if last == "IntrBkSttlmDt" {
            t.sttlm_dt = Some(v);
        } else if in_tp && (last == "Cd" || last == "Prtry") && t.instrument.is_none() {
            t.instrument = Some(v);
        } else {
            let p = if in_dbtr_party || dbtr_acct || dbtr_agt {
                &mut t.dbtr
            } else if in_cdtr_party || cdtr_acct || cdtr_agt {
                &mut t.cdtr
            } else {
                return;
            };
            let party_level = in_dbtr_party || in_cdtr_party;
            if party_level
                && last == "Nm"
                && p.name.is_none()
                && !self.path.iter().any(|x| x == "PstlAdr" || x == "Id")
            {
                p.name = Some(v);
            } else if party_level && is_ctry {
                p.ctry = Some(v);
            } else if party_level && last == "CtryOfRes" {
                p.ctry_of_res = Some(v);
            } else if (dbtr_acct || cdtr_acct) && is_iban {
                p.iban = Some(v);
            } else if (dbtr_acct || cdtr_acct) && is_othr {
                p.othr = Some(v);
            } else if (dbtr_agt || cdtr_agt) && is_bic {
                p.bic = Some(v);
            } else if (dbtr_agt || cdtr_agt) && is_mmb {
                p.mmb = Some(v);
            }
            let _ = depth_party;
        }
    }

    fn finish_tx(&self, t: TxAcc) -> Result<Transaction, String> {
        let id = t
            .tx_id
            .or(t.e2e.filter(|e| !e.eq_ignore_ascii_case("NOTPROVIDED")))
            .or(t.uetr)
            .or_else(|| self.hdr.msg_id.as_ref().map(|m| format!("{m}#{}", self.n)))
            .ok_or("no TxId, EndToEndId, UETR or GrpHdr/MsgId")?;
        let amount = parse_amount(t.amount.as_deref().ok_or("missing IntrBkSttlmAmt")?)?;
        let currency = t
            .ccy
            .filter(|c| !c.trim().is_empty())
            .ok_or("IntrBkSttlmAmt has no Ccy attribute")?;
        let cre = self
            .hdr
            .cre_dt_tm
            .as_deref()
            .map(parse_timestamp)
            .transpose()?;
        let timestamp = match t.sttlm_dt.as_deref().or(self.hdr.sttlm_dt.as_deref()) {
            Some(d) => {
                let day = parse_timestamp(d)?;
                match cre {
                    Some(c) if c.div_euclid(86_400) * 86_400 == day => c,
                    _ => day,
                }
            }
            None => cre.ok_or("no IntrBkSttlmDt and no GrpHdr/CreDtTm")?,
        };
        let party = |p: PartyAcc, role: &str| -> Result<Party, String> {
            let account = p
                .iban
                .clone()
                .or(p.othr.clone())
                .ok_or_else(|| format!("missing {role}Acct/Id (IBAN or Othr/Id)"))?;
            let bank = p.bic.clone().or(p.mmb.clone());
            let country = p
                .ctry
                .or(p.ctry_of_res)
                .or_else(|| p.bic.as_deref().and_then(bic_country))
                .map(|c| c.trim().to_ascii_uppercase());
            Ok(Party {
                account,
                name: p.name,
                bank,
                country,
            })
        };
        let tx = Transaction {
            id,
            timestamp,
            amount,
            currency: currency.trim().to_ascii_uppercase(),
            originator: party(t.dbtr, "Dbtr")?,
            beneficiary: party(t.cdtr, "Cdtr")?,
            channel: Some(match t.instrument {
                Some(i) => format!("pacs.008/{i}"),
                None => "pacs.008".into(),
            }),
        };
        tx.validate()?;
        Ok(tx)
    }
}

fn local(name: &[u8]) -> String {
    let n = match name.iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    };
    String::from_utf8_lossy(n).into_owned()
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

impl<R: BufRead> Iterator for Pacs008Reader<R> {
    type Item = Record;
    fn next(&mut self) -> Option<Record> {
        loop {
            if self.done {
                return None;
            }
            self.buf.clear();
            let ev = match self.xml.read_event_into(&mut self.buf) {
                Ok(ev) => ev,
                Err(e) => {
                    self.done = true;
                    return Some(Err(Rejected {
                        record: format!("pacs.008 at byte {}", self.xml.error_position()),
                        reason: format!("malformed XML: {e}; the rest of the file is skipped"),
                    }));
                }
            };
            match ev {
                Event::Start(e) => {
                    let name = local(e.name().as_ref());
                    if name == "IntrBkSttlmAmt" {
                        self.ccy_pending = e
                            .attributes()
                            .flatten()
                            .find(|a| a.key.local_name().as_ref() == b"Ccy")
                            .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()));
                    }
                    if name == "CdtTrfTxInf" {
                        self.n += 1;
                        self.cur = Some(TxAcc::default());
                    }
                    if name == "GrpHdr" {
                        self.hdr = Header::default();
                    }
                    self.path.push(name);
                    self.text.clear();
                    if self.path.len() > 64 {
                        self.done = true;
                        return Some(Err(Rejected {
                            record: format!("pacs.008 at byte {}", self.xml.buffer_position()),
                            reason: "XML nested deeper than 64 elements; not a pacs.008".into(),
                        }));
                    }
                }
                Event::Empty(_) => {}
                Event::Text(t) => {
                    if let Ok(s) = t.xml_content() {
                        self.text.push_str(&s);
                    }
                }
                Event::CData(t) => {
                    if let Ok(s) = t.decode() {
                        self.text.push_str(&s);
                    }
                }
                Event::GeneralRef(r) => {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        self.text.push(c);
                    } else if let Some(c) = r.decode().ok().as_deref().and_then(entity) {
                        self.text.push(c);
                    }
                }
                Event::End(e) => {
                    let name = local(e.name().as_ref());
                    if self.path.last() != Some(&name) {
                        self.done = true;
                        return Some(Err(Rejected {
                            record: format!("pacs.008 at byte {}", self.xml.buffer_position()),
                            reason: format!("malformed XML: unexpected </{name}>"),
                        }));
                    }
                    self.store_text();
                    self.text.clear();
                    self.path.pop();
                    if name == "CdtTrfTxInf"
                        && let Some(t) = self.cur.take()
                    {
                        let n = self.n;
                        return Some(self.finish_tx(t).map_err(|reason| Rejected {
                            record: format!("pacs.008 CdtTrfTxInf #{n}"),
                            reason,
                        }));
                    }
                }
                Event::Eof => {
                    self.done = true;
                    if !self.path.is_empty() {
                        return Some(Err(Rejected {
                            record: "pacs.008 end of file".into(),
                            reason: format!("malformed XML: unclosed <{}>", self.path.join("/")),
                        }));
                    }
                    return None;
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">
 <FIToFICstmrCdtTrf>
  <GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-03-01T09:30:00Z</CreDtTm><NbOfTxs>2</NbOfTxs></GrpHdr>
  <CdtTrfTxInf>
   <PmtId><InstrId>I1</InstrId><EndToEndId>E2E-1</EndToEndId><UETR>u-1</UETR></PmtId>
   <IntrBkSttlmAmt Ccy="EUR">950.00</IntrBkSttlmAmt>
   <IntrBkSttlmDt>2024-03-01</IntrBkSttlmDt>
   <DbtrAgt><FinInstnId><BICFI>DEUTDEFF</BICFI></FinInstnId></DbtrAgt>
   <Dbtr><Nm>Ali &amp; Sons</Nm><PstlAdr><Ctry>TR</Ctry></PstlAdr></Dbtr>
   <DbtrAcct><Id><IBAN>TR330006100519786457841326</IBAN></Id></DbtrAcct>
   <CdtrAgt><FinInstnId><BICFI>CBSYSYDA</BICFI></FinInstnId></CdtrAgt>
   <Cdtr><Nm>Omar</Nm></Cdtr>
   <CdtrAcct><Id><Othr><Id>SY-99</Id></Othr></Id></CdtrAcct>
  </CdtTrfTxInf>
  <CdtTrfTxInf>
   <PmtId><EndToEndId>E2E-2</EndToEndId></PmtId>
   <IntrBkSttlmAmt Ccy="EUR">abc</IntrBkSttlmAmt>
   <Dbtr><Nm>X</Nm></Dbtr><DbtrAcct><Id><IBAN>A</IBAN></Id></DbtrAcct>
   <Cdtr><Nm>Y</Nm></Cdtr><CdtrAcct><Id><IBAN>B</IBAN></Id></CdtrAcct>
  </CdtTrfTxInf>
 </FIToFICstmrCdtTrf>
</Document>"#;

    #[test]
    fn transactions_come_out_with_parties_countries_and_bad_ones_are_rejected() {
        let recs: Vec<_> = Pacs008Reader::new(DOC.as_bytes()).collect();
        assert_eq!(recs.len(), 2, "{recs:?}");
        let t = recs[0].as_ref().ok().cloned().unwrap_or_default();
        assert_eq!(t.id, "E2E-1");
        assert_eq!(t.amount, 950.0);
        assert_eq!(t.currency, "EUR");
        assert_eq!(
            t.timestamp,
            parse_timestamp("2024-03-01T09:30:00Z").unwrap_or_default()
        );
        assert_eq!(t.originator.name.as_deref(), Some("Ali & Sons"));
        assert_eq!(t.originator.country.as_deref(), Some("TR"));
        assert_eq!(t.originator.account, "TR330006100519786457841326");
        assert_eq!(t.beneficiary.account, "SY-99");
        assert_eq!(
            t.beneficiary.country.as_deref(),
            Some("SY"),
            "from the agent BIC"
        );
        assert!(
            recs[1]
                .as_ref()
                .err()
                .is_some_and(|e| e.reason.contains("not a number") && e.record.contains("#2"))
        );
    }

    #[test]
    fn broken_xml_is_reported_not_panicked() {
        let recs: Vec<_> =
            Pacs008Reader::new(&b"<Document><FIToFICstmrCdtTrf><CdtTrfTxInf></Oops>"[..]).collect();
        assert_eq!(recs.len(), 1);
        assert!(
            recs[0]
                .as_ref()
                .err()
                .is_some_and(|e| e.reason.contains("malformed XML"))
        );
    }
}
