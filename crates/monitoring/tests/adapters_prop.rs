//! Property tests: no adapter panics on any bytes, every record is either a valid
//! transaction or a rejection with a reason, JSON lines round-trip, and the engine accepts
//! any sequence of transactions without panicking.

use monitoring::input::{
    Record, amlsim::AmlsimReader, csv_mapped, jsonl::JsonlReader, pacs008::Pacs008Reader,
};
use monitoring::{Engine, Party, Rules, Transaction};
use proptest::prelude::*;

fn check(recs: impl Iterator<Item = Record>) {
    for r in recs.take(10_000) {
        match r {
            Ok(t) => assert!(
                t.validate().is_ok(),
                "adapter produced an invalid transaction: {t:?}"
            ),
            Err(e) => {
                assert!(!e.reason.is_empty());
                assert!(!e.record.is_empty());
            }
        }
    }
}

const AMLSIM_HEADER: &str =
    "tx_id,timestamp,step,orig_acct,bene_acct,orig_bank,bene_bank,amount,currency,tx_type\n";

fn mapping() -> csv_mapped::Mapping {
    match csv_mapped::Mapping::from_toml(
        "default_currency = \"EUR\"\n[columns]\nid = 0\ntimestamp = 1\namount = 2\noriginator_account = 3\nbeneficiary_account = 4\noriginator_country = 5\n",
    ) {
        Ok(m) => m,
        Err(e) => panic!("{e}"),
    }
}

fn party() -> impl Strategy<Value = Party> {
    (
        "[A-Za-z0-9-]{1,12}",
        proptest::option::of("[A-Za-z ]{1,20}"),
        proptest::option::of("[A-Z]{6}[A-Z0-9]{2}"),
        proptest::option::of("[A-Z]{2}"),
    )
        .prop_map(|(account, name, bank, country)| Party {
            account,
            name: name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
            bank: bank.clone(),
            // The JSONL adapter fills a missing country from the BIC; mirror that.
            country: country.or_else(|| bank.map(|b| b[4..6].to_string())),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn amlsim_reader_never_panics(body in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let mut data = AMLSIM_HEADER.as_bytes().to_vec();
        data.extend(body);
        if let Ok(rd) = AmlsimReader::new(&data[..], None) {
            check(rd);
        }
    }

    #[test]
    fn amlsim_reader_never_panics_on_csv_like_rows(rows in proptest::collection::vec("[0-9a-zA-Z_:.,T-]{0,80}", 0..40)) {
        let data = format!("{AMLSIM_HEADER}{}\n", rows.join("\n"));
        if let Ok(rd) = AmlsimReader::new(data.as_bytes(), None) {
            check(rd);
        }
    }

    #[test]
    fn mapped_csv_reader_never_panics(body in proptest::collection::vec(any::<u8>(), 0..2000)) {
        if let Ok(rd) = csv_mapped::MappedCsvReader::new(&body[..], mapping()) {
            check(rd);
        }
    }

    #[test]
    fn jsonl_reader_never_panics(body in proptest::collection::vec(any::<u8>(), 0..2000)) {
        check(JsonlReader::new(&body[..]));
    }

    #[test]
    fn pacs008_reader_never_panics(body in proptest::collection::vec(any::<u8>(), 0..2000)) {
        check(Pacs008Reader::new(&body[..]));
    }

    #[test]
    fn pacs008_reader_never_panics_on_tag_soup(tags in proptest::collection::vec(
        prop_oneof![
            Just("<CdtTrfTxInf>"), Just("</CdtTrfTxInf>"), Just("<IntrBkSttlmAmt Ccy=\"EUR\">"), Just("</IntrBkSttlmAmt>"),
            Just("12.5"), Just("<Dbtr><Nm>"), Just("</Nm></Dbtr>"), Just("<DbtrAcct><Id><IBAN>X</IBAN></Id></DbtrAcct>"),
            Just("<CdtrAcct><Id><IBAN>Y</IBAN></Id></CdtrAcct>"), Just("<GrpHdr><CreDtTm>2024-01-01T00:00:00Z</CreDtTm></GrpHdr>"),
            Just("&amp;"), Just("&#1;"), Just("<![CDATA[x]]>"), Just("<PmtId><TxId>t</TxId></PmtId>"),
        ], 0..60)) {
        let doc = format!("<Document><FIToFICstmrCdtTrf>{}</FIToFICstmrCdtTrf></Document>", tags.concat());
        check(Pacs008Reader::new(doc.as_bytes()));
    }

    #[test]
    fn jsonl_round_trips_canonical_transactions(
        id in "[A-Za-z0-9]{1,10}",
        ts in 0i64..4_000_000_000,
        cents in 0u64..1_000_000_000,
        ccy in "[A-Z]{3}",
        o in party(),
        b in party(),
        channel in proptest::option::of("[A-Z]{3,8}"),
    ) {
        let tx = Transaction { id, timestamp: ts, amount: cents as f64 / 100.0, currency: ccy, originator: o, beneficiary: b, channel };
        let line = serde_json::to_string(&tx).unwrap_or_default();
        let back = monitoring::input::jsonl::parse_line(&line);
        prop_assert_eq!(back, Ok(tx));
    }

    #[test]
    fn engine_accepts_any_stream(steps in proptest::collection::vec((-7200i64..200_000, 0u8..12, 0u8..12, -10.0f64..20_000.0), 0..300)) {
        let mut e = Engine::new(Rules::default());
        let mut ts = 1_704_067_200i64;
        for (i, (dt, a, b, amt)) in steps.into_iter().enumerate() {
            ts += dt;
            let tx = Transaction {
                id: i.to_string(), timestamp: ts, amount: amt, currency: "USD".into(),
                originator: Party { account: format!("A{a}"), country: Some("SY".into()), ..Default::default() },
                beneficiary: Party { account: format!("A{b}"), ..Default::default() },
                channel: None,
            };
            for al in e.process(tx) {
                prop_assert!(al.score >= 0.0 && al.score <= 100.0);
                prop_assert!(!al.transaction_ids.is_empty());
            }
        }
        e.finish();
        let s = e.stats();
        prop_assert!(s.processed + s.rejected_invalid + s.rejected_late <= 300);
    }
}
