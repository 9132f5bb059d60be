//! Property tests: no input makes a parser panic. Real records (tests/data excerpts of the
//! official files) are mutated, truncated and spliced with arbitrary bytes; every parser must
//! return a list or an error, and errors must name the origin.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::PathBuf;

use proptest::prelude::*;

fn data(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

const SAMPLES: [&str; 9] = [
    "un_sample.xml",
    "ofac_sample.xml",
    "eu_sample.xml",
    "uk_sample_2018.csv",
    "ftm_sample.ftm.json",
    "senzing_sample.json",
    "ofac_cons_sample/cons_prim.csv",
    "ofac_cons_sample/cons_alt.csv",
    "ofac_cons_sample/cons_comments.csv",
];

/// Parses and checks the invariants every result must hold.
fn check(bytes: &[u8]) {
    match watchlist::parse(bytes, "prop-input") {
        Ok(list) => {
            for e in &list.entities {
                assert!(!e.id.is_empty());
                assert!(!e.names.is_empty(), "entity {} without names", e.id);
                assert!(
                    e.names
                        .iter()
                        .all(|n| !n.value.is_empty() && n.value.trim() == n.value)
                );
            }
            let _ = list.summary();
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.starts_with("prop-input"), "error without origin: {msg}");
        }
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Replace(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        prop_oneof![
            (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Replace(i, b)),
            (any::<usize>(), prop::collection::vec(any::<u8>(), 1..12))
                .prop_map(|(i, b)| Edit::Insert(i, b)),
            (any::<usize>(), 1usize..64).prop_map(|(i, n)| Edit::Delete(i, n)),
            // Structural bytes are where parsers break.
            (
                any::<usize>(),
                prop::sample::select(vec![
                    b'<', b'>', b'"', b',', b'\n', b'&', b'/', b'{', b'}', b';', b'(', b')', 0xd8,
                    0xff
                ])
            )
                .prop_map(|(i, b)| Edit::Replace(i, b)),
        ],
        1..10,
    )
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len().max(1);
        match e {
            Edit::Replace(i, b) => {
                if !bytes.is_empty() {
                    let i = i % len;
                    bytes[i] = *b;
                }
            }
            Edit::Insert(i, b) => {
                let i = i % (bytes.len() + 1);
                bytes.splice(i..i, b.iter().copied());
            }
            Edit::Delete(i, n) => {
                if !bytes.is_empty() {
                    let i = i % len;
                    let end = (i + n).min(bytes.len());
                    bytes.drain(i..end);
                }
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn mutated_real_records_never_panic(sample in prop::sample::select(SAMPLES.to_vec()), edits in edits()) {
        check(&apply(data(sample), &edits));
    }

    #[test]
    fn truncated_files_never_panic_and_truncated_xml_is_an_error(sample in prop::sample::select(SAMPLES.to_vec()), cut in 0.0f64..1.0) {
        let full = data(sample);
        let at = ((full.len() as f64) * cut) as usize;
        let part = &full[..at];
        check(part);
        let trimmed_len = full.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |p| p + 1);
        if sample.ends_with(".xml") && at < trimmed_len.saturating_sub(1) {
            prop_assert!(watchlist::parse(part, "prop-input").is_err(), "a cut XML file must not load");
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check(&bytes);
        let _ = watchlist::detect(&bytes);
    }

    #[test]
    fn arbitrary_bodies_behind_real_headers_never_panic(
        header in prop::sample::select(vec![
            "<?xml version=\"1.0\"?><CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>",
            "<sdnList><sdnEntry><uid>1</uid>",
            "<export xmlns=\"http://eu.europa.ec/fpi/fsd/export\"><sanctionEntity logicalId=\"1\">",
            "Last Updated,13/04/2018\nName 6,Name 1,Name 2,DOB,Nationality,Group Type,Alias Type,Group ID\n",
            "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {\"name\": [\"A\"]}}\n",
            "{\"RECORD_ID\": \"1\", \"RECORD_TYPE\": \"PERSON\", \"NAMES\": [{\"NAME_FULL\": \"A\"}]}\n",
            "36,\"AERO\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1970; a.k.a. 'X'.\"\n",
        ]),
        body in ".{0,400}",
    ) {
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend_from_slice(body.as_bytes());
        check(&bytes);
    }

    #[test]
    fn text_helpers_never_panic(s in "\\PC{0,200}") {
        let _ = watchlist::text::split_packed(&s);
        let _ = watchlist::text::names_in_note(&s);
        let _ = watchlist::text::parse_birth_text(&s);
        let _ = watchlist::text::split_numbered(&s);
        let _ = watchlist::text::iso_date(&s, true);
        let _ = watchlist::country::to_iso2(&s);
        let c = watchlist::text::clean(&s);
        prop_assert_eq!(watchlist::text::clean(&c), c.clone());
    }
}

#[test]
fn ofac_csv_sets_with_mutated_side_files_never_panic() {
    let prim = data("ofac_cons_sample/cons_prim.csv");
    let add = data("ofac_cons_sample/cons_add.csv");
    let alt = data("ofac_cons_sample/cons_alt.csv");
    let com = data("ofac_cons_sample/cons_comments.csv");
    let mut runner = proptest::test_runner::TestRunner::default();
    let result = runner.run(&(edits(), edits(), edits()), |(e1, e2, e3)| {
        let (a, b, c) = (
            apply(add.clone(), &e1),
            apply(alt.clone(), &e2),
            apply(com.clone(), &e3),
        );
        let set = watchlist::ofac_csv::CsvSet {
            primary: &prim,
            addresses: Some(&a),
            alt_names: Some(&b),
            comments: Some(&c),
        };
        let _ = watchlist::ofac_csv::parse_set(set, true, "prop");
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
