//! Parsers against the real official files in `../shared/data/watchlists` (beside the repo).
//! Counts are those measured in that folder's PROVENANCE.md.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::PathBuf;

use watchlist::{NameKind, Quality, Schema, Script, SourceKind, WatchList};

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/watchlists")
}

fn load(rel: &str) -> WatchList {
    let p = shared().join(rel);
    let mut lists = watchlist::source::load_path(&p).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lists.len(), 1, "{rel}");
    lists.remove(0)
}

fn count(l: &WatchList, s: Schema) -> usize {
    l.entities.iter().filter(|e| e.schema == s).count()
}

#[test]
fn un_2026_has_730_individuals_and_273_entities() {
    let l = load("un/un_consolidated_2026-02-27.xml");
    assert_eq!(l.source, SourceKind::Un);
    assert_eq!(l.published.as_deref(), Some("2026-02-27"));
    assert_eq!(count(&l, Schema::Person), 730);
    assert_eq!(count(&l, Schema::Organization), 273);
    let s = l.summary();
    assert!(s.original_script >= 370, "{s:?}");
    assert!(
        l.warnings.is_empty(),
        "{:?}",
        &l.warnings[..l.warnings.len().min(5)]
    );
}

#[test]
fn un_qdi_299_has_its_packed_and_arabic_names() {
    let l = load("un/un_consolidated_2026-02-27.xml");
    let e = l
        .entities
        .iter()
        .find(|e| e.id == "un:QDi.299")
        .expect("QDi.299");
    let has = |v: &str, k: NameKind, q: Quality| {
        e.names
            .iter()
            .any(|n| n.value == v && n.kind == k && n.quality == q)
    };
    assert!(
        has(
            "أبو بكر البغدادي الحسيني القريشي",
            NameKind::Alias,
            Quality::Weak
        ),
        "{:#?}",
        e.names
    );
    assert!(has(
        "Abu Bakr al-Baghdadi al-Husayni al-Quraishi",
        NameKind::Alias,
        Quality::Weak
    ));
    assert!(has("Abu Bakr al-Baghdadi", NameKind::Alias, Quality::Weak));
    assert!(has(
        "إبراهيم عواد إبراهيم علي البدري السامرائي",
        NameKind::OriginalScript,
        Quality::Strong
    ));
    assert!(has(
        "Dr. Ibrahim ‘Awwad Ibrahim ’Ali al-Badri al-Samarrai’",
        NameKind::Alias,
        Quality::Strong
    ));
    assert!(
        has("Abu Du’a", NameKind::Alias, Quality::Weak),
        "spelling from the alias NOTE"
    );
    assert_eq!(
        e.names
            .iter()
            .filter(|n| n.kind == NameKind::Primary)
            .count(),
        1
    );
    assert!(
        e.names
            .iter()
            .filter(|n| n.script == Script::Arabic)
            .count()
            >= 3
    );
    assert_eq!(e.birth_dates[0].from.year, 1971);
    assert!(e.countries.iter().any(|c| c.code == "IQ"));
    assert!(
        e.countries.iter().any(|c| c.code == "SY"),
        "address in Syrian Arab Republic"
    );
    assert!(e.documents.iter().any(|d| d.number == "0134852"));
    assert_eq!(e.programs, vec!["Al-Qaida"]);
}

#[test]
fn ofac_sdn_xml_2024_has_14966_entries() {
    let l = load("ofac/sdn_xml_2024-05/sdn.xml");
    assert_eq!(l.source, SourceKind::OfacSdn);
    assert_eq!(l.published.as_deref(), Some("2024-05-07"));
    assert_eq!(l.entities.len(), 14_966);
    assert_eq!(count(&l, Schema::Person), 6_855);
    assert_eq!(count(&l, Schema::Vessel), 851);
    assert_eq!(count(&l, Schema::Aircraft), 376);
    let s = l.summary();
    assert!(s.aliases.weak > 3_000, "{s:?}");
    assert!(l.entities.iter().all(|e| e.id.starts_with("ofac:")));
    let vessel_with_imo = l
        .entities
        .iter()
        .filter(|e| e.schema == Schema::Vessel)
        .filter(|e| e.documents.iter().any(|d| d.kind == "IMO"))
        .count();
    assert!(vessel_with_imo > 700, "{vessel_with_imo}");
}

#[test]
fn ofac_consolidated_xml_is_told_from_sdn() {
    let l = load("ofac/sdn_xml_2024-05/consolidated.xml");
    assert_eq!(l.source, SourceKind::OfacConsolidated);
    assert_eq!(l.entities.len(), 443);
}

#[test]
fn ofac_csv_set_reads_weak_akas_from_remarks() {
    let l = load("ofac/sdn_csv_2021-07");
    assert_eq!(l.source, SourceKind::OfacSdn);
    assert_eq!(l.entities.len(), 8_976);
    let bnc = l
        .entities
        .iter()
        .find(|e| e.id == "ofac:306")
        .expect("ofac:306");
    assert!(
        bnc.names
            .iter()
            .any(|n| n.value == "BNC" && n.quality == Quality::Weak),
        "{:#?}",
        bnc.names
    );
    assert!(
        bnc.names
            .iter()
            .any(|n| n.value == "NATIONAL BANK OF CUBA" && n.quality == Quality::Strong)
    );
    let marzook = l
        .entities
        .iter()
        .find(|e| e.id == "ofac:3754")
        .expect("ofac:3754");
    assert_eq!(marzook.caption(), "Mousa Mohammed ABU MARZOOK");
    assert!(
        marzook
            .names
            .iter()
            .any(|n| n.value == "ABU-'UMAR" && n.quality == Quality::Weak)
    );
    assert!(
        marzook
            .documents
            .iter()
            .any(|d| d.kind == "Passport" && d.number == "92/664")
    );
    assert_eq!(marzook.birth_dates[0].from.year, 1951);
    assert!(l.entities.iter().any(|e| !e.addresses.is_empty()));
}

#[test]
fn ofac_cons_csv_set_is_the_consolidated_list() {
    let l = load("ofac/cons_csv_2025-12");
    assert_eq!(l.source, SourceKind::OfacConsolidated);
    assert_eq!(l.entities.len(), 442);
    let haniya = l
        .entities
        .iter()
        .find(|e| e.id == "ofac:9639")
        .expect("ofac:9639");
    assert!(haniya.names.iter().any(|n| n.value == "Ismail HANIYA"));
}

#[test]
fn eu_2024_has_4808_distinct_logical_ids() {
    let l = load("eu/eu_fsf_full_1_1_2024-05-13.xml");
    assert_eq!(l.source, SourceKind::Eu);
    assert_eq!(l.entities.len(), 4_808);
    let dup_warnings = l
        .warnings
        .iter()
        .filter(|w| w.message.contains("more than once"))
        .count();
    assert_eq!(dup_warnings, 3, "{:?}", l.warnings);
    let mut ids: Vec<&str> = l.entities.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 4_808);
    let saddam = l.entities.iter().find(|e| e.id == "eu:13").expect("eu:13");
    assert_eq!(saddam.caption(), "Saddam Hussein Al-Tikriti");
    assert!(
        saddam
            .names
            .iter()
            .any(|n| n.value == "Abou Ali" && n.language.as_deref() == Some("fr"))
    );
    assert!(
        saddam
            .birth_dates
            .iter()
            .any(|d| d.from.year == 1937 && d.from.day == Some(28))
    );
    let arabic = l
        .entities
        .iter()
        .flat_map(|e| &e.names)
        .filter(|n| n.script == Script::Arabic)
        .count();
    assert!(arabic > 300, "{arabic}");
}

#[test]
fn uk_2018_has_2106_groups_with_surname_last() {
    let l = load("uk/ofsi_conlist_2018-04-13.csv");
    assert_eq!(l.source, SourceKind::Uk);
    assert_eq!(l.published.as_deref(), Some("2018-04-13"));
    assert_eq!(l.entities.len(), 2_106);
    let g = l
        .entities
        .iter()
        .find(|e| e.id == "uk:13349")
        .expect("uk:13349");
    assert!(
        g.names
            .iter()
            .any(|n| n.value == "Sheikh Farooq AL-QAHTANI"),
        "{:#?}",
        g.names
    );
    assert!(g.countries.iter().any(|c| c.code == "SA"));
    assert!(g.countries.iter().any(|c| c.code == "QA"));
    assert!(g.birth_dates.iter().any(|d| d.from.year == 1980));
    assert!(g.birth_dates.iter().any(|d| d.from.year == 1981));
}

#[test]
fn followthemoney_fixtures_keep_ids_and_attach_sanction_programmes() {
    let l = load("opensanctions/yente_fixture_zala.ftm.json");
    assert_eq!(l.source, SourceKind::FollowTheMoney);
    assert_eq!(count(&l, Schema::Person), 6);
    assert!(
        l.entities
            .iter()
            .all(|e| e.id.starts_with("NK-") || !e.id.contains(':'))
    );
    assert!(l.entities.iter().any(|e| !e.programs.is_empty()));
    assert!(
        l.entities
            .iter()
            .flat_map(|e| &e.names)
            .any(|n| n.script == Script::Cyrillic)
    );
    let t1 = load("opensanctions/yente_fixture_t1.ftm.json");
    assert_eq!(t1.entities.len(), 6);
}

#[test]
fn senzing_lines_load() {
    let l = load("opensanctions/us_congress_senzing_2024.json");
    assert_eq!(l.source, SourceKind::Senzing);
    assert_eq!(l.entities.len(), 1_319);
    assert_eq!(count(&l, Schema::Person), 1_317);
    assert!(
        l.entities
            .iter()
            .filter(|e| !e.birth_dates.is_empty())
            .count()
            > 1_000
    );
}

#[test]
fn the_whole_shared_folder_loads_as_one_call() {
    let lists = watchlist::source::load_paths(&[shared()]).unwrap_or_else(|e| panic!("{e}"));
    // 2 UN + 2 OFAC XML + 2 OFAC CSV sets + EU + UK + 2 FtM + Senzing
    assert_eq!(
        lists.len(),
        11,
        "{:?}",
        lists.iter().map(|l| &l.origin).collect::<Vec<_>>()
    );
    for l in &lists {
        let s = l.summary();
        for w in l.warnings.iter().take(3) {
            eprintln!("  warning {}: {}", w.record, w.message);
        }
        eprintln!(
            "{:?} {} {:?} entities={} names={} strong={} weak={} orig={} warnings={}",
            s.source,
            s.origin,
            s.published,
            s.entities,
            s.names,
            s.aliases.strong,
            s.aliases.weak,
            s.original_script,
            s.warnings
        );
    }
}
