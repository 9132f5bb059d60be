//! Organisation legal forms and generic descriptors.
//!
//! What it finds: company legal forms (Ltd/Limited, Co/Company/Cie, Corp, Inc, LLC/L.L.C.,
//! PLC, GmbH, AG, SA, SARL, SAL, SpA, BV, NV, JSC, OOO/ООО, FZE, FZCO, DMCC, WLL, Est. /
//! Establishment, Pvt, Sdn Bhd, A.Ş., شركة, مؤسسة, ذ.م.م; Persian شرکت / Sherkat, سهامی خاص,
//! با مسئولیت محدود) and generic descriptors (trading, general, international, group,
//! holding, industries, foundation, charity, association, ...; Persian صنایع / Sanaye, صنعتی,
//! گروه, مجتمع / Mojtama, سازمان), plus stop words (the, of, for, and, &, the Persian ezafe
//! `ye`).
//! Why it matters: "Al-Nur for General Trading LLC" and "AL NUR TRADING COMPANY" are one
//! company; legal forms must match each other across spellings (Ltd = Limited) yet must never
//! create a match on their own ("CORP" scoring 100% is a known peer failure).
//! Example: `Al Nur for General Trading Co. Ltd` → `nur` (name), `general`, `trading`, `co`,
//! `ltd` (legal forms), `for` set aside as a stop word.
//! Parameters: tokens are tagged [`TokenKind::LegalForm`] with a class (`co`, `ltd`, ...), and
//! weigh little (see [`crate::DefaultWeights`]); nothing is tagged when it would leave no name.

use super::{Removed, RemovedKind, Work};
use crate::token::TokenKind;

/// (class, spellings). Latin spellings are folded; Arabic ones normalised (ة → ه, no article).
const FORMS: &[(&str, &[&str])] = &[
    (
        "ltd",
        &[
            "ltd",
            "limited",
            "ltda",
            "ltee",
            "المحدوده",
            "محدوده",
            "محدود",
            "مسئوليت",
        ],
    ),
    (
        "co",
        &[
            "co",
            "company",
            "companie",
            "compagnie",
            "cie",
            "compania",
            "companhia",
            "comp",
            "شركه",
            "كومباني",
            "شركت",
            "sherkat",
            "sherkate",
            "shirkat",
        ],
    ),
    (
        "corp",
        &["corp", "corporation", "korporatsiya", "korporatsiia"],
    ),
    ("inc", &["inc", "incorporated"]),
    ("llc", &["llc", "fzllc", "ذمم", "ooo", "tov", "mchj"]),
    ("llp", &["llp", "lp"]),
    ("plc", &["plc"]),
    ("gmbh", &["gmbh", "mbh", "kg", "ag", "kgaa"]),
    (
        "sa",
        &[
            "sa",
            "sal",
            "sarl",
            "sas",
            "sprl",
            "spa",
            "srl",
            "sl",
            "sae",
            "saog",
            "saoc",
            "sak",
            "bsc",
            "qsc",
            "psc",
            "pjsc",
            "jsc",
            "ojsc",
            "cjsc",
            "oao",
            "zao",
            "pao",
            "ao",
            "nv",
            "bv",
            "ab",
            "oy",
            "asa",
            "kk",
            "tbk",
            "pt",
            "smc",
            "شمم",
            "ش",
            "سهامي",
            "sahami",
        ],
    ),
    (
        "fze",
        &["fze", "fzc", "fzco", "fz", "dmcc", "wll", "spc", "offshore"],
    ),
    (
        "est",
        &[
            "est",
            "establishment",
            "etablissement",
            "etablissements",
            "ets",
            "مؤسسه",
            "موسسه",
            "moassese",
            "moasseseh",
            "moassesseh",
        ],
    ),
    (
        "pvt",
        &[
            "pvt", "pte", "pty", "private", "sdn", "bhd", "berhad", "خاص", "khass", "khaas",
        ],
    ),
    (
        "tic",
        &["tic", "ticaret", "sti", "sanayi", "anonim", "sirketi"],
    ),
    (
        "trading",
        &[
            "trading",
            "trade",
            "traders",
            "trader",
            "commercial",
            "commerce",
            "import",
            "export",
            "imports",
            "exports",
            "تجاره",
            "للتجاره",
            "تجاريه",
            "التجاريه",
        ],
    ),
    ("general", &["general", "gen", "عامه", "العامه"]),
    (
        "international",
        &[
            "international",
            "intl",
            "int",
            "global",
            "worldwide",
            "دوليه",
            "الدوليه",
            "العالميه",
        ],
    ),
    (
        "group",
        &[
            "group",
            "grp",
            "holding",
            "holdings",
            "مجموعه",
            "المجموعه",
            "گروه",
            "gorouh",
            "gorooh",
            "goruh",
            "grouh",
            "complex",
            "مجتمع",
            "mojtama",
            "mojtame",
        ],
    ),
    (
        "industries",
        &[
            "industries",
            "industry",
            "industrial",
            "manufacturing",
            "صناعات",
            "للصناعات",
            "صناعيه",
            "الصناعيه",
            "صنايع",
            "صنعتي",
            "sanaye",
            "sanayeh",
            "sanaei",
            "sanati",
            "sanaty",
            "sanaati",
        ],
    ),
    ("services", &["services", "service", "خدمات", "للخدمات"]),
    (
        "investment",
        &["investment", "investments", "invest", "استثمار", "للاستثمار"],
    ),
    ("enterprise", &["enterprise", "enterprises", "ventures"]),
    (
        "foundation",
        &[
            "foundation",
            "fondation",
            "stiftung",
            "fund",
            "trust",
            "waqf",
            "وقف",
        ],
    ),
    (
        "charity",
        &[
            "charity",
            "charitable",
            "relief",
            "welfare",
            "humanitarian",
            "خيريه",
            "الخيريه",
            "اغاثه",
            "الاغاثه",
            "الانسانيه",
        ],
    ),
    (
        "association",
        &[
            "association",
            "society",
            "organization",
            "organisation",
            "org",
            "committee",
            "council",
            "union",
            "league",
            "جمعيه",
            "الجمعيه",
            "هيئه",
            "منظمه",
            "لجنه",
            "سازمان",
            "sazman",
            "sazeman",
        ],
    ),
    (
        "institute",
        &[
            "institute",
            "center",
            "centre",
            "agency",
            "bureau",
            "office",
            "مركز",
            "معهد",
        ],
    ),
    ("bank", &["bank", "banque", "banco", "بنك", "مصرف"]),
];

const STOP: &[&str] = &[
    "the", "of", "for", "and", "und", "et", "y", "e", "de", "du", "des", "la", "le", "les", "del",
    "di", "da", "do", "dos", "das", "و", "في", "لل",
    // "in", "for", "and" in the other languages lists translate organisation names into
    "in", "en", "em", "no", "fi", "wa", "wal", "pour", "por", "para", "ve", "fur", "der",
    // Persian: "with" (`با مسئولیت محدود`, with limited liability) and the ezafe written as
    // its own word in romanisations (`Mojtama-ye Sanati`)
    "با", "ye",
];

/// Spelling → class, built once from [`FORMS`] (first class wins for a shared spelling).
static BY_SPELLING: std::sync::LazyLock<rustc_hash::FxHashMap<&'static str, &'static str>> =
    std::sync::LazyLock::new(|| {
        let mut m = rustc_hash::FxHashMap::default();
        for (class, spellings) in FORMS {
            for s in *spellings {
                m.entry(*s).or_insert(*class);
            }
        }
        m
    });

/// The legal-form class of a token text, if any.
pub(crate) fn class_of(text: &str) -> Option<&'static str> {
    BY_SPELLING.get(text).copied()
}

/// The legal-form class of a token text from the legal-form table alone (no glossary).
#[cfg(test)]
pub(crate) fn forms_class(text: &str) -> Option<&'static str> {
    class_of(text)
}

/// The legal-form class or, failing that, the translation-glossary concept of a word
/// (`شبكة` → `network`, see [`crate::reasons::translation`]).
fn generic_class(t: &Work) -> Option<&'static str> {
    class_of(&t.text).or_else(|| crate::reasons::translation::concept_of(&t.text, t.script))
}

/// Tags legal forms, sets stop words aside (see module docs).
pub(crate) fn apply(w: &mut Vec<Work>, removed: &mut Vec<Removed>) {
    join_letter_runs(w);
    // stop words
    let names = w.iter().filter(|t| t.is_name()).count();
    let stops = w
        .iter()
        .filter(|t| t.is_name() && STOP.contains(&t.text.as_str()))
        .count();
    if stops < names {
        let mut i = 0;
        while i < w.len() {
            if w[i].is_name() && STOP.contains(&w[i].text.as_str()) && w.len() > 1 {
                let t = w.remove(i);
                removed.push(Removed {
                    text: t.original,
                    kind: RemovedKind::StopWord,
                });
                continue;
            }
            i += 1;
        }
    }
    // the article rule only sees articles before names: `Asbat al-Ansar`,
    // `Harakat ul-Jihad`, `Islamic State of Iraq and ash-Sham` (a sun-letter form) lose
    // theirs here, before a generic word
    let mut i = 0;
    while i + 1 < w.len() {
        if w[i].is_name()
            && w[i].latin()
            && super::articles::is_latin_article(&w[i].text, &w[i + 1].text)
            && w[i + 1].is_name()
            && w[i + 1].latin()
            && generic_class(&w[i + 1]).is_some()
        {
            let t = w.remove(i);
            removed.push(Removed {
                text: t.original,
                kind: RemovedKind::Article,
            });
            continue;
        }
        i += 1;
    }
    // legal forms and generic words: only while a real name token remains
    let classes: Vec<Option<&'static str>> = w
        .iter()
        .map(|t| if t.is_name() { generic_class(t) } else { None })
        .collect();
    let plain = w
        .iter()
        .zip(&classes)
        .filter(|(t, c)| t.is_name() && c.is_none())
        .count();
    if plain == 0 {
        // a name made only of generic words ("Libyan Islamic Fighting Group", "Iran
        // Aircraft Manufacturing Industries Corporation"): they are its name; each keeps its
        // class or glossary concept so that its translations match it (`صنایع` =
        // `Industries`)
        for (t, c) in w.iter_mut().zip(classes) {
            if t.is_name() {
                t.canonical = c;
            }
        }
        return;
    }
    for (t, c) in w.iter_mut().zip(classes) {
        if let Some(c) = c {
            t.kind = TokenKind::LegalForm;
            t.canonical = Some(c);
        }
    }
}

/// `L.L.C.`, `S.A.R.L.`, `A.Ş.` are tokenised letter by letter: join runs of single letters
/// into one token when the run is a legal form.
fn join_letter_runs(w: &mut Vec<Work>) {
    let mut i = 0;
    while i < w.len() {
        let mut j = i;
        while j < w.len()
            && w[j].is_name()
            && w[j].text.chars().count() <= 2
            && w[j].script == w[i].script
        {
            j += 1;
        }
        if j - i >= 2 {
            let joined: String = w[i..j].iter().map(|t| t.text.as_str()).collect();
            if class_of(&joined).is_some() {
                let original = w[i..j]
                    .iter()
                    .map(|t| t.original.as_str())
                    .collect::<Vec<_>>()
                    .join(".");
                w[i].text = joined;
                w[i].original = original;
                w.drain(i + 1..j);
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::tokenize;

    fn run(s: &str) -> Vec<(String, Option<&'static str>)> {
        let mut w: Vec<Work> = tokenize(s).0.into_iter().map(Work::from_raw).collect();
        let mut r = Vec::new();
        apply(&mut w, &mut r);
        w.into_iter().map(|t| (t.text, t.canonical)).collect()
    }

    #[test]
    fn tags_legal_forms_and_drops_stop_words() {
        let t = run("Al Nur for General Trading Co. Ltd");
        assert_eq!(
            t,
            vec![
                ("al".to_string(), None),
                ("nur".to_string(), None),
                ("general".to_string(), Some("general")),
                ("trading".to_string(), Some("trading")),
                ("co".to_string(), Some("co")),
                ("ltd".to_string(), Some("ltd"))
            ]
        );
    }

    #[test]
    fn joins_dotted_abbreviations() {
        let t = run("Emma L.L.C.");
        assert_eq!(t[1], ("llc".to_string(), Some("llc")));
    }

    #[test]
    fn never_tags_every_token() {
        let mut w: Vec<Work> = tokenize("General Trading Company")
            .0
            .into_iter()
            .map(Work::from_raw)
            .collect();
        apply(&mut w, &mut Vec::new());
        // the words stay the name, each with its class for its translations to match
        assert!(w.iter().all(|t| t.kind == TokenKind::Name));
        let classes: Vec<_> = w.iter().map(|t| t.canonical).collect();
        assert_eq!(classes, vec![Some("general"), Some("trading"), Some("co")]);
    }

    #[test]
    fn arabic_company_words_are_legal_forms() {
        let t = run("شركة النور للتجارة العامة");
        assert_eq!(t[0].1, Some("co"));
        assert_eq!(t[2].1, Some("trading"));
    }

    #[test]
    fn persian_company_words_are_legal_forms() {
        let t = run("شرکت سامان گستر سحاب پرداز با مسئولیت محدود");
        assert_eq!(t[0].1, Some("co"));
        assert!(t.iter().all(|(w, _)| w != "با"), "{t:?}");
        assert_eq!(t.last().map(|x| x.1), Some(Some("ltd")));
        let t = run("Mojtama-ye Sanati Shahid Hemmat");
        assert_eq!(t[0].1, Some("group"));
        assert_eq!(t[1].1, Some("industries"));
        assert!(t.iter().all(|(w, _)| w != "ye"), "{t:?}");
    }
}
