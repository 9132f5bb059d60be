//! Behaviour of the screener on small, hand-built lists: cross-script retrieval, reordering,
//! near misses, common tokens, weak aliases, schema filter, qualifiers, robustness, and
//! snapshot-tested explanations.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use screening::{Config, Factor, Outcome, Query, ScreenError, Screener};
use watchlist::{
    BirthDate, CountryLink, CountryRelation, Document, Entity, Name, NameKind, PartialDate,
    Quality, Schema, SourceKind, WatchList,
};

fn entity(id: &str, schema: Schema, names: &[(&str, NameKind, Quality)]) -> Entity {
    Entity {
        id: id.to_string(),
        schema,
        names: names
            .iter()
            .map(|(v, k, q)| Name::new(*v, *k, *q))
            .collect(),
        birth_dates: vec![],
        birth_places: vec![],
        countries: vec![],
        documents: vec![],
        addresses: vec![],
        programs: vec![],
        gender: None,
        listed_on: None,
        remarks: None,
        source: SourceKind::Un,
    }
}

fn baghdadi() -> Entity {
    let mut e = entity(
        "un:QDi.299",
        Schema::Person,
        &[
            (
                "IBRAHIM AWWAD IBRAHIM ALI AL-BADRI AL-SAMARRAI",
                NameKind::Primary,
                Quality::Strong,
            ),
            ("Abu Bakr al-Baghdadi", NameKind::Alias, Quality::Strong),
            ("Abu Du'a", NameKind::Alias, Quality::Weak),
        ],
    );
    e.birth_dates = vec![BirthDate::exact(PartialDate::year(1971))];
    e.countries = vec![CountryLink {
        code: "IQ".into(),
        relation: CountryRelation::Nationality,
    }];
    e.documents = vec![Document {
        kind: "Passport".into(),
        number: "A1234567".into(),
        country: Some("IQ".into()),
        note: None,
    }];
    e
}

/// A list big enough for token rarity to mean something: many people called Mohammed / Ali /
/// Abdullah with distinct family names, a few organisations, and Baghdadi.
fn lists() -> Vec<WatchList> {
    let mut entities = vec![baghdadi()];
    let given = ["Mohammed", "Ali", "Abdullah", "Ahmed", "Hassan"];
    let family = [
        "Zarqawi", "Haqqani", "Rahmani", "Qureshi", "Mansour", "Khattab", "Tahir", "Jaber", "Naji",
        "Fadl", "Sabri", "Hamdan", "Karimov", "Zuhdi", "Saleh", "Wahid", "Yasin", "Zubair",
        "Darwish", "Othman",
    ];
    for (i, f) in family.iter().enumerate() {
        for (j, g) in given.iter().enumerate() {
            let name = format!("{g} {} {f}", given[(i + j + 1) % given.len()]);
            entities.push(entity(
                &format!("un:T{i}.{j}"),
                Schema::Person,
                &[(name.as_str(), NameKind::Primary, Quality::Strong)],
            ));
        }
    }
    entities.push(entity(
        "un:QDe.005",
        Schema::Organization,
        &[
            ("AL RASHID TRUST", NameKind::Primary, Quality::Strong),
            ("Al-Rasheed Trust", NameKind::Alias, Quality::Strong),
        ],
    ));
    entities.push(entity(
        "un:QDe.999",
        Schema::Organization,
        &[(
            "BAGHDADI TRADING COMPANY LIMITED",
            NameKind::Primary,
            Quality::Strong,
        )],
    ));
    entities.push(entity(
        "un:QDe.129",
        Schema::Organization,
        &[(
            "AL-QAIDA IN THE ARABIAN PENINSULA (AQAP)",
            NameKind::Primary,
            Quality::Strong,
        )],
    ));
    entities.push(entity(
        "un:QDi.999",
        Schema::Person,
        &[(
            "Encep Nurjaman (birth name)",
            NameKind::Primary,
            Quality::Strong,
        )],
    ));
    vec![WatchList {
        source: SourceKind::Un,
        published: Some("2026-02-27".into()),
        origin: "test".into(),
        entities,
        warnings: vec![],
    }]
}

fn screener() -> Screener {
    Screener::new(lists(), Config::default())
}

fn top(s: &Screener, q: &Query) -> Option<screening::Hit> {
    s.screen(q).expect("query is valid").into_iter().next()
}

#[test]
fn screener_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Screener>();
}

#[test]
fn latin_alias_matches_its_entity() {
    let h = top(&screener(), &Query::name("Abu Bakr al-Baghdadi")).expect("a hit");
    assert_eq!(h.entity_id, "un:QDi.299");
    assert!(h.is_match, "score {}", h.score);
}

#[test]
fn reordered_last_first_matches() {
    let h = top(&screener(), &Query::name("BAGHDADI, Abu Bakr")).expect("a hit");
    assert_eq!(h.entity_id, "un:QDi.299");
    assert!(h.is_match, "score {}", h.score);
}

#[test]
fn arabic_script_query_matches_latin_only_entity() {
    let h = top(&screener(), &Query::name("أبو بكر البغدادي")).expect("a hit");
    assert_eq!(h.entity_id, "un:QDi.299");
    assert!(h.is_match, "score {}", h.score);
}

#[test]
fn french_spelling_matches() {
    let h = top(&screener(), &Query::name("Abou Bakr el Baghdadi")).expect("a hit");
    assert_eq!(h.entity_id, "un:QDi.299");
    assert!(h.is_match, "score {}", h.score);
}

#[test]
fn near_miss_with_other_given_names_is_not_a_match() {
    let s = screener();
    let hits = s
        .screen(&Query::name("Khalid Yusuf al-Baghdadi"))
        .expect("valid");
    assert!(hits.iter().all(|h| !h.is_match), "{hits:#?}");
}

#[test]
fn common_tokens_alone_do_not_match() {
    let s = screener();
    for q in ["Mohammed Smith", "Ali Abdullah", "Mohammed Ali"] {
        let hits = s.screen(&Query::name(q)).expect("valid");
        assert!(hits.iter().all(|h| !h.is_match), "{q}: {hits:#?}");
    }
}

#[test]
fn one_hit_per_entity_best_first() {
    let s = screener();
    let hits = s
        .screen(&Query {
            limit: Some(50),
            ..Query::name("Mohammed Ali Zarqawi")
        })
        .expect("valid");
    let mut ids: Vec<&str> = hits.iter().map(|h| h.entity_id.as_str()).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "an entity appears twice");
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(hits.iter().all(|h| h.score >= s.config().cutoff));
}

#[test]
fn weak_alias_counts_for_less() {
    let s = screener();
    let h = top(&s, &Query::name("Abu Du'a")).expect("a hit");
    assert_eq!(h.entity_id, "un:QDi.299");
    assert_eq!(h.explanation.name_quality, Quality::Weak);
    let adj = h
        .explanation
        .adjustments
        .iter()
        .find(|a| a.factor == Factor::NameQuality)
        .expect("weak adjustment");
    assert!(adj.effect < 0.0);
    assert!(h.score < h.explanation.name_score);
}

#[test]
fn schema_filter_excludes_other_schemas() {
    let s = screener();
    let q = Query {
        schema: Some(Schema::Organization),
        ..Query::name("Abu Bakr al-Baghdadi")
    };
    let hits = s.screen(&q).expect("valid");
    assert!(
        hits.iter().all(|h| h.schema == Schema::Organization),
        "{hits:#?}"
    );
}

#[test]
fn birth_date_agreement_raises_and_disagreement_lowers() {
    let s = screener();
    let base = top(&s, &Query::name("Abu Bakr al-Baghdadi"))
        .expect("hit")
        .score;
    let same = top(
        &s,
        &Query {
            birth_date: Some("1971".into()),
            ..Query::name("Abu Bakr al-Baghdadi")
        },
    )
    .expect("hit");
    let other = s
        .screen(&Query {
            birth_date: Some("1990-01-01".into()),
            ..Query::name("Abu Bakr al-Baghdadi")
        })
        .expect("valid");
    assert!(same.score >= base);
    assert!(
        same.explanation
            .adjustments
            .iter()
            .any(|a| a.factor == Factor::BirthDate && a.outcome == Outcome::Partial)
    );
    let o = other
        .iter()
        .find(|h| h.entity_id == "un:QDi.299")
        .expect("still a candidate");
    assert!(o.score < base);
    assert!(
        o.explanation
            .adjustments
            .iter()
            .any(|a| a.factor == Factor::BirthDate && a.outcome == Outcome::Mismatch)
    );
}

#[test]
fn country_and_document_qualifiers_apply() {
    let s = screener();
    let q = Query {
        country: Some("Iraq".into()),
        document: Some("a-1234567".into()),
        ..Query::name("Abu Bakr al-Baghdadi")
    };
    let h = top(&s, &q).expect("hit");
    let f: Vec<Factor> = h.explanation.adjustments.iter().map(|a| a.factor).collect();
    assert!(
        f.contains(&Factor::Country) && f.contains(&Factor::Document),
        "{f:?}"
    );
    let q = Query {
        country: Some("France".into()),
        ..Query::name("Abu Bakr al-Baghdadi")
    };
    let h2 = top(&s, &q).expect("hit");
    assert!(h2.score < h.score);
}

#[test]
fn threshold_override_changes_match_flag_only() {
    let s = screener();
    let h = top(
        &s,
        &Query {
            threshold: Some(1.0),
            ..Query::name("Abou Bakr el Baghdadi")
        },
    )
    .expect("hit");
    assert!(!h.is_match || h.score >= 1.0);
    assert_eq!(
        s.screen(&Query {
            threshold: Some(1.5),
            ..Query::name("x y")
        }),
        Err(ScreenError::InvalidThreshold(1.5))
    );
}

#[test]
fn organisation_legal_forms_and_spelling_variants_match() {
    let s = screener();
    let h = top(&s, &Query::name("Al-Rashid Trust")).expect("hit");
    assert_eq!(h.entity_id, "un:QDe.005");
    assert!(h.is_match);
}

#[test]
fn bad_input_is_a_clear_error_or_empty_never_a_panic() {
    let s = screener();
    assert_eq!(s.screen(&Query::name("")), Err(ScreenError::EmptyName));
    assert_eq!(s.screen(&Query::name("   ")), Err(ScreenError::EmptyName));
    assert!(matches!(
        s.screen(&Query::name("!!! --- ...")),
        Err(ScreenError::NoLetters(_))
    ));
    let long = "a".repeat(10_000);
    assert!(matches!(
        s.screen(&Query::name(long)),
        Err(ScreenError::NameTooLong { len: 10_000, .. })
    ));
    let long_words = "Baghdadi ".repeat(50);
    assert!(s.screen(&Query::name(long_words)).is_ok());
    assert!(
        s.screen(&Query::name("Abu Bakr البغدادي Багдади 巴格达迪"))
            .is_ok()
    );
    assert!(matches!(
        s.screen(&Query {
            birth_date: Some("sometime".into()),
            ..Query::name("Abu Bakr")
        }),
        Err(ScreenError::InvalidBirthDate(_))
    ));
    assert!(s.screen(&Query::name("\u{200f}\u{0640}\u{0640}")).is_err());
}

#[test]
fn entity_and_list_info_are_available() {
    let s = screener();
    assert_eq!(
        s.entity("un:QDi.299").map(|e| e.caption()),
        Some("IBRAHIM AWWAD IBRAHIM ALI AL-BADRI AL-SAMARRAI")
    );
    assert!(s.entity("un:nope").is_none());
    assert_eq!(s.lists().len(), 1);
    assert_eq!(s.lists()[0].entities, lists()[0].entities.len());
}

#[test]
fn explanation_of_arabic_query_snapshot() {
    let h = top(&screener(), &Query::name("أبو بكر البغدادي")).expect("hit");
    insta::assert_json_snapshot!("arabic_query_baghdadi", h);
}

#[test]
fn explanation_with_qualifiers_snapshot() {
    let q = Query {
        birth_date: Some("1971".into()),
        country: Some("IQ".into()),
        ..Query::name("BAGHDADI, Abu Bakr")
    };
    let h = top(&screener(), &q).expect("hit");
    insta::assert_json_snapshot!("reordered_with_qualifiers", h.explanation);
}

#[test]
fn explanation_of_weak_alias_snapshot() {
    let h = top(&screener(), &Query::name("Abu Du'a")).expect("hit");
    insta::assert_json_snapshot!("weak_alias", h.explanation);
}

#[test]
fn answers_do_not_depend_on_earlier_queries_or_on_batching() {
    // Each query reuses pooled working memory (retrieval accumulator, token-pair memo) left
    // by earlier queries; answers must be the same in any order, alone or in a batch.
    let s = screener();
    let queries: Vec<Query> = [
        "Abu Bakr al-Baghdadi",
        "BAGHDADI, Abu Bakr",
        "أبو بكر البغدادي",
        "Ibrahim Awwad Ibrahim al-Badri",
        "Abu Du'a",
        "Al Nur Trading Company",
        "Mohammed Abu Bakr",
    ]
    .iter()
    .map(|n| Query::name(*n))
    .collect();
    let fresh: Vec<Vec<screening::Hit>> = queries
        .iter()
        .map(|q| screener().screen(q).expect("query is valid"))
        .collect();
    assert!(fresh.iter().any(|h| !h.is_empty()));
    for round in 0..2 {
        for (q, f) in queries.iter().zip(&fresh).rev() {
            assert_eq!(
                &s.screen(q).expect("query is valid"),
                f,
                "round {round}: {}",
                q.name
            );
        }
    }
    let batch = s.screen_many(&queries);
    for ((q, b), f) in queries.iter().zip(&batch).zip(&fresh) {
        assert_eq!(b.as_ref().expect("query is valid"), f, "batch: {}", q.name);
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn shared() -> &'static Screener {
        static S: OnceLock<Screener> = OnceLock::new();
        S.get_or_init(screener)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn any_text_gives_a_result_or_an_error(name in "\\PC{0,80}", dob in proptest::option::of("\\PC{0,12}")) {
            let q = Query { birth_date: dob, ..Query::name(name) };
            if let Ok(hits) = shared().screen(&q) {
                for h in hits {
                    prop_assert!((0.0..=1.0).contains(&h.score));
                }
            }
        }
    }
}

#[test]
fn organisation_name_with_stop_words_is_found_without_a_schema() {
    // As a person, the query is five name tokens and the organisation's list name shares
    // one; as an organisation it is three, all in the list name.
    let s = screener();
    for schema in [None, Some(Schema::Organization)] {
        let hit = top(
            &s,
            &Query {
                schema,
                ..Query::name("Al-Qaida in the Arabian Peninsula")
            },
        )
        .expect("a hit");
        assert_eq!(hit.entity_id, "un:QDe.129", "schema {schema:?}");
        assert!(
            hit.is_match && hit.score >= 0.95,
            "{schema:?}: {}",
            hit.score
        );
    }
}

#[test]
fn parenthetical_of_a_list_name_is_optional_and_noted() {
    let s = screener();
    let hit = top(&s, &Query::name("Encep Nurjaman")).expect("a hit");
    assert_eq!(hit.entity_id, "un:QDi.999");
    assert!(hit.score >= 0.99, "{}", hit.score);
    // the published name is shown, with a note saying what was compared
    assert_eq!(hit.explanation.matched_name, "Encep Nurjaman (birth name)");
    assert!(
        hit.explanation
            .notes
            .iter()
            .any(|n| n.contains("without \"(birth name)\"")),
        "{:?}",
        hit.explanation.notes
    );
    let hit = top(&s, &Query::name("AQAP")).expect("a hit");
    assert_eq!(hit.entity_id, "un:QDe.129");
    assert!(
        hit.explanation
            .notes
            .iter()
            .any(|n| n.contains("\"AQAP\", the acronym")),
        "{:?}",
        hit.explanation.notes
    );
}
