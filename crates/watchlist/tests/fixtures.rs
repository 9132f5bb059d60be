//! Parsers on small excerpts of the real files (in tests/data) and on broken input: every bad
//! input gives an error or a warning that names the file, the record and the reason.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::PathBuf;

use watchlist::{Error, Format, NameKind, Quality, Schema};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(data(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn formats_are_detected_by_content_not_name() {
    assert_eq!(
        watchlist::detect(&bytes("un_sample.xml")),
        Some(Format::UnXml)
    );
    assert_eq!(
        watchlist::detect(&bytes("ofac_sample.xml")),
        Some(Format::OfacXml)
    );
    assert_eq!(
        watchlist::detect(&bytes("eu_sample.xml")),
        Some(Format::EuXml)
    );
    assert_eq!(
        watchlist::detect(&bytes("uk_sample_2018.csv")),
        Some(Format::UkCsv)
    );
    assert_eq!(
        watchlist::detect(&bytes("ftm_sample.ftm.json")),
        Some(Format::FtmJson)
    );
    assert_eq!(
        watchlist::detect(&bytes("senzing_sample.json")),
        Some(Format::SenzingJson)
    );
    assert_eq!(
        watchlist::detect(&bytes("ofac_cons_sample/cons_prim.csv")),
        Some(Format::OfacCsv(watchlist::ofac_csv::CsvRole::Primary))
    );
    assert_eq!(watchlist::detect(b""), None);
    assert_eq!(watchlist::detect(b"hello world"), None);
    assert_eq!(watchlist::detect(b"<html><body/></html>"), None);
    // The file name plays no part.
    let wl =
        watchlist::parse(&bytes("un_sample.xml"), "list.csv").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(wl.entities.len(), 4);
}

#[test]
fn un_excerpt_parses_every_field() {
    let wl = watchlist::parse(&bytes("un_sample.xml"), "un_sample.xml")
        .unwrap_or_else(|e| panic!("{e}"));
    let e = wl
        .entities
        .iter()
        .find(|e| e.id == "un:QDi.299")
        .unwrap_or_else(|| panic!("QDi.299"));
    assert_eq!(
        e.caption(),
        "IBRAHIM AWWAD IBRAHIM ALI AL-BADRI AL-SAMARRAI"
    );
    assert_eq!(
        e.listed_on.map(|d| d.to_string()).as_deref(),
        Some("2011-10-05")
    );
    assert!(e.remarks.as_deref().unwrap_or("").contains("caliph"));
    let org = wl
        .entities
        .iter()
        .find(|e| e.id == "un:CDe.001")
        .unwrap_or_else(|| panic!("CDe.001"));
    assert_eq!(org.schema, Schema::Organization);
    assert!(
        org.names
            .iter()
            .any(|n| n.value == "NALU" && n.kind == NameKind::FormerlyKnownAs)
    );
    assert!(org.countries.iter().any(|c| c.code == "CD"));
}

#[test]
fn ofac_excerpt_keeps_weak_akas_and_imo_numbers() {
    let wl =
        watchlist::parse(&bytes("ofac_sample.xml"), "sdn.xml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(wl.entities.len(), 4);
    assert!(wl.warnings.is_empty(), "{:?}", wl.warnings);
    let vessel = wl
        .entities
        .iter()
        .find(|e| e.schema == Schema::Vessel)
        .unwrap_or_else(|| panic!("vessel"));
    assert!(
        vessel
            .documents
            .iter()
            .any(|d| d.kind == "IMO" && d.number.len() == 7),
        "{:?}",
        vessel.documents
    );
    let person = wl
        .entities
        .iter()
        .find(|e| e.schema == Schema::Person)
        .unwrap_or_else(|| panic!("person"));
    assert!(person.names.iter().any(|n| n.quality == Quality::Weak));
    assert!(!person.birth_dates.is_empty());
}

#[test]
fn eu_excerpt_merges_the_duplicated_logical_id() {
    let wl = watchlist::parse(&bytes("eu_sample.xml"), "eu.xml").unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = wl.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.iter().filter(|i| **i == "eu:547").count(), 1, "{ids:?}");
    assert!(wl.warnings.iter().any(|w| w.record == "eu:547"));
}

#[test]
fn ofac_csv_set_joins_alt_add_and_comments() {
    let set = watchlist::ofac_csv::CsvSet {
        primary: &bytes("ofac_cons_sample/cons_prim.csv"),
        addresses: Some(&bytes("ofac_cons_sample/cons_add.csv")),
        alt_names: Some(&bytes("ofac_cons_sample/cons_alt.csv")),
        comments: Some(&bytes("ofac_cons_sample/cons_comments.csv")),
    };
    let wl = watchlist::ofac_csv::parse_set(set, true, "cons").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(wl.entities.len(), 5);
    let e = wl
        .entities
        .iter()
        .find(|e| e.id == "ofac:9639")
        .unwrap_or_else(|| panic!("9639"));
    assert!(
        e.names
            .iter()
            .any(|n| n.value == "Ismail HANIYA" && n.kind == NameKind::Alias)
    );
    assert_eq!(e.birth_dates[0].from.year, 1962);
    let s = wl
        .entities
        .iter()
        .find(|e| e.id == "ofac:17014")
        .unwrap_or_else(|| panic!("17014"));
    assert!(
        s.names
            .iter()
            .any(|n| n.value == "RUSAG" && n.quality == Quality::Weak),
        "aka from the comments file"
    );
    // The directory loader finds the same set by content.
    let lists =
        watchlist::source::load_path(&data("ofac_cons_sample")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].entities, wl.entities);
}

#[test]
fn truncated_xml_is_an_error_naming_the_record() {
    let full = bytes("un_sample.xml");
    let cut = &full[..full.len() * 2 / 3];
    match watchlist::parse(cut, "un.xml") {
        Err(Error::Truncated { origin, record, .. }) => {
            assert_eq!(origin, "un.xml");
            assert!(record.contains("un:"), "{record}");
        }
        other => panic!("expected Truncated, got {other:?}"),
    }
    let msg = watchlist::parse(cut, "un.xml")
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(msg.contains("un.xml") && msg.contains("truncated"), "{msg}");
}

#[test]
fn malformed_xml_names_the_byte_and_record() {
    let text = String::from_utf8(bytes("ofac_sample.xml")).unwrap_or_default();
    let broken = text.replacen("</lastName>", "</lastNam>", 2);
    let err = watchlist::parse(broken.as_bytes(), "sdn.xml").unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, Error::Xml { .. }), "{msg}");
    assert!(
        msg.contains("sdn.xml") && msg.contains("byte") && msg.contains("ofac:"),
        "{msg}"
    );
}

#[test]
fn empty_and_unknown_inputs_are_clear_errors() {
    assert!(matches!(
        watchlist::parse(b"", "a.xml"),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        watchlist::parse(b"  \n ", "a.xml"),
        Err(Error::Empty { .. })
    ));
    let e = watchlist::parse(b"<catalog/>", "a.xml")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("a.xml") && e.contains("unknown list format") && e.contains("catalog"),
        "{e}"
    );
    let e = watchlist::parse(b"name,dob\nx,1970\n", "b.csv")
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown list format"), "{e}");
    let e = watchlist::parse(&[0x89, b'P', b'N', b'G', 0, 0, 0, 1, 2, 3], "c.png")
        .unwrap_err()
        .to_string();
    assert!(e.contains("c.png") && e.contains("UTF-8"), "{e}");
}

#[test]
fn utf16_and_latin1_inputs_are_converted() {
    let text = String::from_utf8(bytes("un_sample.xml")).unwrap_or_default();
    let mut utf16 = vec![0xff, 0xfe];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let wl = watchlist::parse(&utf16, "un16.xml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(wl.entities.len(), 4);
    assert!(wl.warnings[0].message.contains("UTF-16"));
    assert!(
        wl.entities
            .iter()
            .flat_map(|e| &e.names)
            .any(|n| n.value.contains("البغدادي"))
    );

    let uk = String::from_utf8(bytes("uk_sample_2018.csv"))
        .unwrap_or_default()
        .replace("AL-QAHTANI", "AL-QAHTÂNI");
    let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(&uk);
    let wl = watchlist::parse(&latin1, "uk.csv").unwrap_or_else(|e| panic!("{e}"));
    assert!(
        wl.entities
            .iter()
            .flat_map(|e| &e.names)
            .any(|n| n.value.contains("AL-QAHTÂNI"))
    );
    assert!(
        wl.warnings
            .iter()
            .any(|w| w.message.contains("windows-1252"))
    );
}

#[test]
fn uk_row_without_group_id_is_a_warning_naming_its_line() {
    let mut text = String::from_utf8(bytes("uk_sample_2018.csv")).unwrap_or_default();
    text.push_str("ONLY,THREE,COLUMNS\n");
    let wl = watchlist::parse(text.as_bytes(), "uk.csv").unwrap_or_else(|e| panic!("{e}"));
    let w = wl
        .warnings
        .iter()
        .find(|w| w.message.contains("no group id"))
        .unwrap_or_else(|| panic!("{:?}", wl.warnings));
    assert_eq!(w.record, "line 23");
}

#[test]
fn bad_json_line_names_the_line() {
    let mut text = String::from_utf8(bytes("senzing_sample.json")).unwrap_or_default();
    text.push_str("{\"RECORD_ID\": \"x\", \n");
    let e = watchlist::parse(text.as_bytes(), "s.json")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("s.json") && e.contains("line 21") && e.contains("invalid JSON"),
        "{e}"
    );
}

#[test]
fn zstd_files_in_a_directory_are_decompressed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let z = zstd::encode_all(&bytes("un_sample.xml")[..], 3).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("un.xml.zst"), z).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("README.md"), "not a list").unwrap_or_else(|e| panic!("{e}"));
    let lists = watchlist::source::load_path(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].entities.len(), 4);
}

#[test]
fn list_store_swaps_only_after_full_validation() {
    use watchlist::source::{ListStore, UpdateMode};
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = ListStore::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(store.current().unwrap_or_else(|e| panic!("{e}")).is_none());
    let good = vec![("un.xml".to_owned(), bytes("un_sample.xml"))];
    let first = store
        .update("test", &good, UpdateMode::ReplaceAll)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.manifest.version, "v000001");
    let full = bytes("eu_sample.xml");
    let bad = vec![
        ("un.xml".to_owned(), bytes("un_sample.xml")),
        ("eu.xml".to_owned(), full[..full.len() / 2].to_vec()),
    ];
    let err = store
        .update("test", &bad, UpdateMode::ReplaceAll)
        .unwrap_err()
        .to_string();
    assert!(err.contains("eu.xml"), "{err}");
    assert_eq!(
        store.current_version().unwrap_or_default().as_deref(),
        Some("v000001")
    );
    let cur = store
        .current()
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_default();
    assert_eq!(cur.len(), 1);
    // No staging directories are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("versions"))
        .map(|rd| rd.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    // An empty list is refused: it would silently stop screening.
    let empty_un = b"<?xml version=\"1.0\"?><CONSOLIDATED_LIST dateGenerated=\"2026-01-01\"><INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>";
    let err = store
        .update(
            "test",
            &[("un.xml".into(), empty_un.to_vec())],
            UpdateMode::ReplaceAll,
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("no entities"), "{err}");
    // A new source is added next to the kept ones.
    let eu = vec![("eu.xml".to_owned(), full)];
    let second = store
        .update("test", &eu, UpdateMode::ReplaceSources)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(second.manifest.version, "v000002");
    assert_eq!(second.lists.len(), 2);
}
