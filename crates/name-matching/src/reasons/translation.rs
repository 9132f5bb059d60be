//! Translation match (organisations).
//!
//! What it finds: two generic words of an organisation name that translate one another
//! across languages and scripts: `شبكة` = `network`, `جماعة` = `group` = `groupe` = `grupo`,
//! `المقاتلة` = `fighting` = `combattant`, `الليبية` = `Libyan` = `Líbia`, from the curated
//! glossary `data/org_glossary.tsv` (concept → Arabic/Persian/Urdu, English, French, Spanish,
//! Portuguese, German and Turkish forms and the usual romanisations).
//! Why it matters: lists carry an Arabic-script organisation only in English or French
//! (`شبكة حقاني` is listed as `HAQQANI NETWORK`, `الجماعة الإسلامية المقاتلة الليبية` as
//! `Libyan Islamic Fighting Group`); without the glossary the generic words of one side
//! are unmatched and drag a true hit far below the threshold. The words stay weak evidence:
//! in a name with a distinctive word they are tagged like legal forms (low weight, see
//! [`crate::rules`]), so `Islamic Group` never matches `Islamic Movement` and two groups
//! sharing only generic words stay apart; the distinctive word (`Haqqani`) carries the match.
//! Only when a name is made of generic words alone (`Libyan Islamic Fighting Group`) are they
//! its name, and then this reason pairs them as name tokens.
//! Example: `الجماعة الاسلامية المقاتلة الليبية` vs `Grupo Islâmico Combatente da Líbia`:
//! `الجماعة` ↔ `Grupo`, `الاسلامية` ↔ `Islâmico`, ... (translation, 1.0 each).
//! Parameters: a translated pair scores [`SCORE`]; Arabic-script words are looked up with
//! and without the prefixes in [`ARABIC_PREFIXES`], Latin words also without a French or
//! Italian elided article (`L'OUEST`, `D'AFRIQUE`).

use super::MatchHow;
use crate::normalize::{Script, tokenize};
use crate::token::{Token, TokenKind};

/// Score of two words of one concept.
pub const SCORE: f32 = 1.0;

/// Arabic-script prefixes tried, longest first: article with a conjunction or preposition
/// (`وال`, `بال`, `فال`, `كال`), `لل` (for the), the article, then `و` (and), `ل` (for),
/// `ب` (with).
pub const ARABIC_PREFIXES: &[&str] = &["وال", "بال", "فال", "كال", "لل", "ال", "و", "ل", "ب"];

const GLOSSARY: &str = include_str!("../../data/org_glossary.tsv");

/// (normalised spelling → concept), built once from [`GLOSSARY`]; the first concept wins for
/// a spelling listed twice (the glossary tests forbid that).
static BY_SPELLING: std::sync::LazyLock<rustc_hash::FxHashMap<String, &'static str>> =
    std::sync::LazyLock::new(|| {
        let mut m = rustc_hash::FxHashMap::default();
        for (concept, spelling) in entries() {
            if let Some(t) = single_token(spelling) {
                m.entry(t).or_insert(concept);
            }
        }
        m
    });

/// Every (concept, spelling as written) of the glossary.
fn entries() -> impl Iterator<Item = (&'static str, &'static str)> {
    GLOSSARY
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .flat_map(|(c, s)| s.split_whitespace().map(move |w| (c.trim(), w)))
}

/// The comparable text of a one-word spelling (`None` when it is not one word).
fn single_token(spelling: &str) -> Option<String> {
    let (mut toks, _) = tokenize(spelling);
    if toks.len() == 1 {
        toks.pop().map(|t| t.text)
    } else {
        None
    }
}

/// The glossary concept of a word of an organisation name, if it is a generic word:
/// `text` is its comparable text.
pub(crate) fn concept_of(text: &str, script: Script) -> Option<&'static str> {
    if let Some(c) = BY_SPELLING.get(text) {
        return Some(c);
    }
    match script {
        Script::Arabic => ARABIC_PREFIXES.iter().find_map(|p| {
            let rest = text.strip_prefix(p)?;
            (rest.chars().count() >= 3)
                .then(|| BY_SPELLING.get(rest).copied())
                .flatten()
        }),
        Script::Latin => {
            // `L'OUEST` is tokenised `louest` (the apostrophe is gone by now)
            ["l", "d"].iter().find_map(|p| {
                let rest = text.strip_prefix(p)?;
                (rest.len() >= 4)
                    .then(|| BY_SPELLING.get(rest).copied())
                    .flatten()
            })
        }
        _ => None,
    }
}

/// Two words of one concept: as names when both are names (a name made only of generic
/// words), as a weak legal-form pair when one of them is tagged as a legal form. Pairs of two
/// legal forms are left to [`super::legal_form`].
pub(crate) fn check(q: &Token, c: &Token) -> Option<(f32, MatchHow)> {
    let (a, b) = match (q.canonical, c.canonical) {
        (Some(a), Some(b)) => (a, b),
        // an untyped name (no glossary tagging) against a tagged organisation word
        (Some(a), None) if q.kind == TokenKind::LegalForm && c.kind == TokenKind::Name => {
            return (concept_of(&c.text, c.script) == Some(a))
                .then_some((SCORE, MatchHow::LegalForm));
        }
        (None, Some(b)) if c.kind == TokenKind::LegalForm && q.kind == TokenKind::Name => {
            return (concept_of(&q.text, q.script) == Some(b))
                .then_some((SCORE, MatchHow::LegalForm));
        }
        _ => return None,
    };
    if a != b {
        return None;
    }
    match (q.kind, c.kind) {
        (TokenKind::Name, TokenKind::Name) if q.text == c.text => Some((1.0, MatchHow::Exact)),
        (TokenKind::Name, TokenKind::Name) => Some((SCORE, MatchHow::Translation)),
        (TokenKind::Name, TokenKind::LegalForm) | (TokenKind::LegalForm, TokenKind::Name) => {
            Some((SCORE, MatchHow::LegalForm))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NameType::{Organization, Person};
    use crate::{compare, prepare};

    fn score(a: &str, b: &str) -> f64 {
        compare(&prepare(a, Organization), &prepare(b, Organization)).score
    }

    #[test]
    fn glossary_spellings_are_single_words_under_one_concept() {
        let mut seen: rustc_hash::FxHashMap<String, &str> = rustc_hash::FxHashMap::default();
        for (concept, spelling) in entries() {
            let t = single_token(spelling)
                .unwrap_or_else(|| panic!("{spelling:?} ({concept}) is not one word"));
            if let Some(other) = seen.insert(t, concept) {
                assert_eq!(
                    other, concept,
                    "{spelling:?} is under {other} and {concept}"
                );
            }
        }
        assert!(seen.len() > 300, "glossary too small: {}", seen.len());
    }

    #[test]
    fn glossary_agrees_with_legal_form_classes() {
        for (concept, spelling) in entries() {
            let t = single_token(spelling).expect("one word");
            if let Some(class) = crate::rules::legal_forms::forms_class(&t) {
                assert_eq!(
                    class, concept,
                    "{spelling:?}: legal form {class}, glossary {concept}"
                );
            }
        }
    }

    #[test]
    fn arabic_words_are_found_with_article_and_prefixes() {
        for w in ["الجماعة", "والجهاد", "للصرافة", "شبكة", "الإسلامية", "گروپ"]
        {
            let (t, _) = tokenize(w);
            let t = &t[0];
            assert!(concept_of(&t.text, t.script).is_some(), "{w}");
        }
        let (t, _) = tokenize("حقاني");
        assert_eq!(concept_of(&t[0].text, t[0].script), None);
    }

    #[test]
    fn french_elided_article_is_seen_through() {
        let (t, _) = tokenize("L'OUEST");
        assert_eq!(concept_of(&t[0].text, t[0].script), Some("west"));
        // a word starting with `l` is cut only when the rest is a generic word
        let (t, _) = tokenize("Leader");
        assert_eq!(concept_of(&t[0].text, t[0].script), None);
    }

    #[test]
    fn translated_generic_words_let_the_distinctive_name_match() {
        assert!(score("شبكة حقاني", "HAQQANI NETWORK") >= 0.85);
        assert!(score("مكتب حنيفة للصرافة", "Hunaifa Office") >= 0.80);
        assert!(score("طارق گیدڑ گروپ", "TARIQ GIDAR GROUP") >= 0.80);
        assert!(score("مكتب الخدمات", "MAKHTAB AL-KHIDAMAT") >= 0.80);
    }

    #[test]
    fn names_made_only_of_generic_words_match_their_translation() {
        assert!(
            score(
                "الجماعة الاسلامية المقاتلة الليبية",
                "Grupo Islâmico Combatente da Líbia"
            ) >= 0.85
        );
        assert!(
            score(
                "الجماعة الاسلامية المغربية المقاتلة",
                "Groupe Islamique Combattant Marocain"
            ) >= 0.85
        );
        assert!(score("الجهاد الاسلامي المصري", "Jihad islamique égyptien") >= 0.85);
        // the Urdu article written apart (`ul-`) is set aside like `al-`
        assert!(score("حرکت الجہاد الاسلامی", "Harakat ul-Jihad Islami") >= 0.85);
    }

    #[test]
    fn organisations_sharing_only_generic_words_stay_apart() {
        assert!(score("Islamic Group", "Islamic Movement") < 0.80);
        assert!(score("الجماعة الإسلامية", "Islamic Movement") < 0.80);
        assert!(score("Haqqani Network", "Hunaifa Network") < 0.80);
        assert!(score("شبكة حقاني", "Tawhid Network") < 0.80);
        assert!(
            score(
                "الجماعة الاسلامية المقاتلة الليبية",
                "Groupe Islamique Combattant Marocain"
            ) < 0.80
        );
        assert!(score("Egyptian Islamic Jihad", "Libyan Islamic Fighting Group") < 0.80);
    }

    #[test]
    fn sector_and_institution_words_translate_so_the_distinctive_word_decides() {
        // Arabic: company, services, guarding, protection
        assert!(
            score(
                "شركة الصياد لخدمات الحراسة والحماية",
                "Al-Sayyad Company for Guarding and Protection Services Ltd"
            ) >= 0.85
        );
        // Persian: industries, aviation; research, centre
        assert!(score("صنایع هوایی قدس", "Qods Aviation Industries") >= 0.90);
        assert!(
            score(
                "مرکز تحقیقات صنایع هوایی شاهد",
                "Shahed Aviation Industries Research Center"
            ) >= 0.85
        );
        // Persian word order (the place last) and a French rendering
        assert!(score("زندان مرکزی زاهدان", "Zahedan Central Prison") >= 0.90);
        // the Persian spelling of an airline's "Air"
        assert!(score("ماهان ایر", "Mahan Air") >= 0.90);
        // a name made only of generic words: all translate
        assert!(score("بانک مرکزی ایران", "Central Bank of Iran") >= 0.85);
        // a sun-letter article before a generic word is an article (`ash-Sham`)
        assert!(
            score(
                "الدولة الإسلامية في العراق والشام - ليبيا",
                "ISLAMIC STATE OF IRAQ AND ASH-SHAM IN LIBYA"
            ) >= 0.85
        );
    }

    #[test]
    fn organisations_sharing_only_new_sector_words_stay_apart() {
        assert!(score("صنایع هوایی قدس", "Shahed Aviation Industries") < 0.80);
        assert!(score("Qods Aviation Industries", "Shahed Aviation Industries") < 0.80);
        assert!(score("زندان مرکزی زاهدان", "Evin Prison") < 0.80);
        assert!(score("بانک مرکزی ایران", "National Bank of Iran") < 0.80);
        assert!(
            score(
                "Islamic Revolutionary Guard Corps",
                "Islamic Revolutionary Court"
            ) < 0.80
        );
    }

    #[test]
    fn untyped_query_still_matches_a_tagged_generic_word() {
        let q = prepare("عصبة الأنصار", crate::NameType::Other);
        let c = prepare("Asbat al-Ansar", Organization);
        assert!(compare(&q, &c).score >= 0.80);
    }

    #[test]
    fn person_names_are_never_translated() {
        let p = prepare("Jihad Ansar", Person);
        assert!(p.tokens().iter().all(|t| t.legal_form().is_none()));
    }
}
