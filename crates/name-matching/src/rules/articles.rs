//! The Arabic definite article.
//!
//! What it finds: `al`, `el`, `ul` and the sun-letter assimilated forms (`ad-Din`,
//! `ar-Rahman`, `as-Sayyid`, `ash-Shami`, `at-Tamimi`, `az-Zawahiri`, `an-Nasser`,
//! `adh-Dhahabi`, `ath-Thani`, `ed-`, `er-`, `es-`, `et-`, `ez-`, and `ur`/`our` in
//! `Zia-ur-Rahman`, `Zia-our-Rahman`) written as a separate word or
//! joined by a hyphen, and the prefix `ال` of Arabic-script words.
//! Why it matters: lists write `al-Baghdadi`, `el Baghdadi`, `Baghdadi`, `AL BAGHDADI` and
//! `البغدادي` for the same family name; the article carries no identity.
//! Example: `Abu Bakr al-Baghdadi` → `abu`, `bakr`, `baghdadi` (article kept in `removed`);
//! `البغدادي` → `بغدادي`.
//! Parameters: a Latin article is only removed when another token follows it; a
//! sun-letter form (`ad`, `ar`, ...) only when the next word starts with its consonant, so the
//! given name `As` or a trailing `el` stay.

use super::{Removed, RemovedKind, Work};
use crate::normalize::arabic;

/// (article, the next word must start with this, or "" for any)
const LATIN: &[(&str, &str)] = &[
    ("al", ""),
    ("el", ""),
    // not `il`: in the lists it is a Korean given-name syllable (`Kim Il Sung`, `Ri Il Nam`,
    // `Jae Il Ri`), never the Arabic article
    ("ul", ""),
    ("ad", "d"),
    ("ed", "d"),
    ("ud", "d"),
    ("adh", "dh"),
    ("ar", "r"),
    ("er", "r"),
    ("ur", "r"),
    ("our", "r"),
    ("as", "s"),
    ("es", "s"),
    ("us", "s"),
    ("ash", "sh"),
    ("esh", "sh"),
    ("at", "t"),
    ("et", "t"),
    ("ath", "th"),
    ("az", "z"),
    ("ez", "z"),
    ("an", "n"),
    ("en", "n"),
];

/// Whether `t` is an article given the following word.
pub(crate) fn is_latin_article(t: &str, next: &str) -> bool {
    LATIN
        .iter()
        .any(|(a, start)| *a == t && next.len() > start.len() && next.starts_with(start))
}

/// Removes articles (see module docs).
pub(crate) fn apply(w: &mut Vec<Work>, removed: &mut Vec<Removed>, person: bool) {
    let mut i = 0;
    while i < w.len() {
        if !w[i].is_name() {
            i += 1;
            continue;
        }
        if w[i].latin() {
            let next_is_name = w.get(i + 1).is_some_and(|n| n.is_name() && n.latin());
            // `person` is reserved for person-specific article rules (none at present)
            let _ = person;
            if next_is_name && is_latin_article(&w[i].text, &w[i + 1].text) {
                let t = w.remove(i);
                removed.push(Removed {
                    text: t.original,
                    kind: RemovedKind::Article,
                });
                continue;
            }
        } else if w[i].script == crate::normalize::Script::Arabic {
            if w[i].text == "ال" && i + 1 < w.len() {
                let t = w.remove(i);
                removed.push(Removed {
                    text: t.original,
                    kind: RemovedKind::Article,
                });
                continue;
            }
            // after `ذو` the article belongs to the compound (`ذو الفقار` = `Zulfiqar`, see
            // `rules::compounds`)
            let after_dhu = i > 0 && w[i - 1].text == "ذو";
            if !after_dhu && let Some(rest) = arabic::strip_article(&w[i].text) {
                let rest = rest.to_string();
                w[i].text = rest;
                removed.push(Removed {
                    text: "ال".to_string(),
                    kind: RemovedKind::Article,
                });
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::tokenize;

    fn run(s: &str) -> Vec<String> {
        let mut w: Vec<Work> = tokenize(s).0.into_iter().map(Work::from_raw).collect();
        let mut r = Vec::new();
        apply(&mut w, &mut r, true);
        w.into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn korean_il_is_a_name_not_an_article() {
        assert!(!is_latin_article("il", "sung"));
        assert!(!is_latin_article("il", "nam"));
    }

    #[test]
    fn removes_al_and_el_in_every_spelling() {
        assert_eq!(run("Abu Bakr al-Baghdadi"), vec!["abu", "bakr", "baghdadi"]);
        assert_eq!(
            run("Abou Bakr El Baghdadi"),
            vec!["abou", "bakr", "baghdadi"]
        );
    }

    #[test]
    fn removes_sun_letter_forms_only_before_their_letter() {
        assert_eq!(run("Salah ad-Din"), vec!["salah", "din"]);
        assert_eq!(run("Abd ar-Rahman"), vec!["abd", "rahman"]);
        assert_eq!(run("Abd ar Karim"), vec!["abd", "ar", "karim"]);
    }

    #[test]
    fn french_our_is_the_article_ur() {
        assert_eq!(run("Zia-our-Rahman"), run("Zia-ur-Rahman"));
    }

    #[test]
    fn keeps_a_trailing_article_like_word() {
        assert_eq!(run("Maria El"), vec!["maria", "el"]);
    }

    #[test]
    fn strips_the_arabic_prefix() {
        assert_eq!(run("أبو بكر البغدادي"), vec!["ابو", "بكر", "بغدادي"]);
    }
}
