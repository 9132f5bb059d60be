//! Property tests: no input makes the matcher panic, scores stay in [0, 1], identical names
//! score 1, and scores are close to symmetric.

use name_matching::{NameType, compare, prepare, prepare_each, score};
use proptest::prelude::*;

fn ty() -> impl Strategy<Value = NameType> {
    prop_oneof![
        Just(NameType::Person),
        Just(NameType::Organization),
        Just(NameType::Vessel),
        Just(NameType::Other)
    ]
}

/// Names mixing Latin, Arabic, Cyrillic, Greek, digits, punctuation and invisible marks.
fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[A-Za-z]{1,9}",
            "[\u{0621}-\u{064A}]{1,7}",
            "[\u{0410}-\u{044F}]{1,8}",
            "[\u{0391}-\u{03C9}]{1,8}",
            "[0-9]{1,4}",
            Just("al-".to_string()),
            Just("Abu".to_string()),
            Just("Abd".to_string()),
            Just("bin".to_string()),
            Just("Sheikh".to_string()),
            Just("L.L.C.".to_string()),
            Just("\u{200F}\u{0640}\u{064E}".to_string()),
            "[ -/:-@]{1,3}",
            any::<String>(),
        ],
        0..8,
    )
    .prop_map(|parts| parts.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn never_panics_and_scores_are_bounded(a in name(), b in name(), t in ty()) {
        let (p, q) = (prepare(&a, t), prepare(&b, t));
        let c = compare(&p, &q);
        prop_assert!((0.0..=1.0).contains(&c.score), "{}", c.score);
        prop_assert_eq!(c.score, score(&p, &q));
        let _ = p.index_keys();
        let _ = format!("{c}");
    }

    #[test]
    fn identical_names_score_one(a in name(), t in ty()) {
        let p = prepare(&a, t);
        prop_assume!(!p.is_empty());
        let s = score(&p, &prepare(&a, t));
        prop_assert_eq!(s, 1.0, "{:?}", a);
    }

    #[test]
    fn scores_are_nearly_symmetric(a in name(), b in name()) {
        let (p, q) = (prepare(&a, NameType::Person), prepare(&b, NameType::Person));
        let (x, y) = (score(&p, &q), score(&q, &p));
        // unmatched query tokens cost more than unmatched list tokens, by design
        prop_assert!((x - y).abs() <= 0.4, "{x} vs {y}");
    }

    #[test]
    fn preparing_for_several_types_at_once_equals_preparing_each(a in name()) {
        // `prepare_each` shares tokens between types; every field must come out the same
        let types = [NameType::Person, NameType::Organization, NameType::Vessel, NameType::Other];
        let together = prepare_each(&a, &types);
        prop_assert_eq!(together.len(), types.len());
        for (p, ty) in together.iter().zip(types) {
            prop_assert_eq!(format!("{p:?}"), format!("{:?}", prepare(&a, ty)));
        }
    }

    #[test]
    fn any_bytes_as_lossy_text_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let s = String::from_utf8_lossy(&bytes);
        let p = prepare(&s, NameType::Person);
        let _ = compare(&p, &p);
    }
}

#[test]
fn pathological_inputs_give_empty_or_cut_names() {
    for s in ["", "   ", "!!!", "\u{200F}\u{200E}\u{FEFF}", "ـــ", "،،،"] {
        let p = prepare(s, NameType::Person);
        assert!(p.is_empty(), "{s:?}");
        assert_eq!(score(&p, &p), 0.0);
    }
    let long = "Muhammad ".repeat(1_200);
    let p = prepare(&long, NameType::Person);
    assert!(p.truncated());
    assert!(p.tokens().len() <= name_matching::align::MAX_TOKENS);
    let mixed = "Abuأبو Бакр Βακρ 123 ✓ 李";
    let p = prepare(mixed, NameType::Person);
    assert!(!p.is_empty());
    assert_eq!(score(&p, &p), 1.0);
}
