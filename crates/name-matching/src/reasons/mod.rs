//! Match reasons: how one query token can align with one list token.
//!
//! Each reason lives in its own file with its parameters. `compare_tokens` tries them from
//! the strongest to the weakest evidence and returns the first that holds:
//! `translation` → `legal_form` → `exact` → `initial` → `transliteration` → `phonetic` →
//! `fuzzy` → `letter_typo` (only for pairs nothing else accepted, or accepted as a weaker
//! fuzzy match) → `compound_part`.
//! `fused` works on two tokens at once and is run by the aligner.

pub(crate) mod compound_part;
pub(crate) mod exact;
pub(crate) mod fused;
pub(crate) mod fuzzy;
pub(crate) mod initial;
pub(crate) mod legal_form;
pub(crate) mod letter_typo;
pub(crate) mod phonetic;
pub(crate) mod slavic_glide;
pub(crate) mod translation;
pub(crate) mod transliteration;

use serde::{Deserialize, Serialize};

use crate::distance::{self, Writing};
use crate::normalize::Script;
use crate::token::{Token, TokenKind};

/// How a query token was matched to a list token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchHow {
    /// Same text after normalisation (case, diacritics, Arabic letter forms).
    Exact,
    /// Known romanisation or a spelling that differs only by transliteration habits
    /// (q/k, ou/u, kh/h, dh/z, unwritten short vowels), including across scripts.
    Transliteration,
    /// Same Double Metaphone code and a close spelling.
    Phonetic,
    /// Close spelling with a typo-like difference, tolerated by length.
    Fuzzy,
    /// An initial matched the first letter of a name.
    Initial,
    /// Two legal forms of the same class (Ltd = Limited, Co = Company).
    LegalForm,
    /// One token matched two adjacent tokens written together (`Abdallah` = `Abd Allah`).
    Fused,
    /// Two generic words of an organisation name that translate one another
    /// (`شبكة` = `network`, `جماعة` = `groupe`), in a name made only of such words.
    Translation,
}

impl MatchHow {
    /// Lower-case label used in text explanations.
    pub fn label(self) -> &'static str {
        match self {
            MatchHow::Exact => "exact",
            MatchHow::Transliteration => "transliteration",
            MatchHow::Phonetic => "phonetic",
            MatchHow::Fuzzy => "fuzzy",
            MatchHow::Initial => "initial",
            MatchHow::LegalForm => "legal form",
            MatchHow::Fused => "fused",
            MatchHow::Translation => "translation",
        }
    }
}

/// How a token is written, for vowel-gap costs.
pub(crate) fn writing(t: &Token) -> Writing {
    if t.script == Script::Arabic {
        Writing::Abjad
    } else {
        Writing::Full
    }
}

/// No `abd`/`abu` compound (see [`compound_kind`]).
pub(crate) const NO_COMPOUND: u8 = u8::MAX;

/// The kind of `abd`/`abu` compound prefix of a token (0 = abd, 1 = abu, [`NO_COMPOUND`]),
/// computed once per token ([`Token::compound`]); the form after the prefix is `form[3..]`.
pub(crate) fn compound_kind(text: &str, form: &[u8]) -> u8 {
    let kind = if text.starts_with("abd-") || text.starts_with("عبد") {
        0
    } else if text.starts_with("abu-") || text.starts_with("ابو") {
        1
    } else {
        return NO_COMPOUND;
    };
    if form.len() > 4 && form[1] == b'b' {
        kind
    } else {
        NO_COMPOUND
    }
}

/// The kind of `abd`/`abu` compound prefix (0 = abd, 1 = abu) and the form after it
/// (`abd-rahman` → `rahman`), if any.
#[inline]
fn compound_rest(t: &Token) -> Option<(u8, &[u8])> {
    if t.compound == NO_COMPOUND {
        return None;
    }
    t.form.get(3..).map(|rest| (t.compound, rest))
}

/// The sound-class form of a compound's second part (`abd-rahman` → `rahman`, `abu-bakr` →
/// `bakr`), if the token is an `abd`/`abu` compound.
pub(crate) fn compound_second(t: &Token) -> Option<&[u8]> {
    compound_rest(t).map(|(_, r)| r)
}

/// The sound-class form of the second word of a Latin `X Allah` or `X ad-Din` compound
/// (`hayat-ullah` → `ula`, `nur-din` → `din`), if the token is one.
pub(crate) fn theophoric_second(t: &Token) -> Option<crate::phonetic::Form> {
    if !matches!(t.script, Script::Latin | Script::Cyrillic | Script::Greek) {
        return None;
    }
    let (_, second) = t.text.rsplit_once('-')?;
    (second == "din" || crate::rules::compounds::ALLAH_LATIN.contains(&second))
        .then(|| crate::phonetic::encode_latin(second))
}

/// No reason accepts a similarity below this (the DP stops early under it).
const MIN_ANY: f32 = 0.7;

/// True when the coarse keys agree (including the alternative reading of a Latin `c`).
pub(crate) fn coarse_equal(q: &Token, c: &Token) -> bool {
    if q.coarse.is_empty() || c.coarse.is_empty() {
        return false;
    }
    q.coarse == c.coarse
        || q.coarse_alt.as_deref() == Some(c.coarse.as_str())
        || c.coarse_alt.as_deref() == Some(q.coarse.as_str())
        || (q.coarse_alt.is_some() && q.coarse_alt == c.coarse_alt)
}

/// Cheap pre-filter before the edit distance: spelling variants share most consonant
/// classes, have coarse keys of similar length, and share the first or the last coarse class
/// (a typo on both ends at once is rare). Rejects most unrelated pairs in a few instructions.
///
/// Reads the per-token summaries ([`Token::coarse_ends`], [`Token::coarse_len`],
/// [`Token::mask_ones`]) rather than the keys, and tests the key ends before the class masks
/// (both must hold; the ends are cheaper).
#[inline]
pub(crate) fn plausible(q: &Token, c: &Token) -> bool {
    let (la, lb) = (q.coarse_len, c.coarse_len);
    if la != 0 && lb != 0 {
        if la.abs_diff(lb) >= 3 {
            return false;
        }
        // first or last coarse class shared, also through the alternative keys; a 0 (no
        // alternative key) never equals a coarse byte
        let [af, al, xf, xl] = q.coarse_ends;
        let [bf, bl, yf, yl] = c.coarse_ends;
        if !(af == bf || al == bl || xf == bf || xl == bl || af == yf || al == yl) {
            return false;
        }
    }
    let shared = (q.mask & c.mask).count_ones();
    let either = q.mask_ones + c.mask_ones - shared;
    !(either > 0 && shared * 2 < either.saturating_sub(1))
}

/// Compares two tokens; `None` when they do not match by any reason.
#[inline]
pub(crate) fn compare_tokens(q: &Token, c: &Token) -> Option<(f32, MatchHow)> {
    let r = compare_plain(q, c);
    // one side has a `j` = y reading, the other was written without `j`
    if q.glide.is_some() == c.glide.is_some() {
        return r;
    }
    slavic_glide::check(q, c, r)
}

/// [`compare_tokens`] without the Slavic `j` = y reading.
pub(crate) fn compare_plain(q: &Token, c: &Token) -> Option<(f32, MatchHow)> {
    // the translation glossary only speaks for tagged words (skipping the call is exact:
    // `translation::check` refuses two untagged tokens)
    if (q.canonical.is_some() || c.canonical.is_some())
        && let Some(r) = translation::check(q, c)
    {
        return Some(r);
    }
    if q.kind == TokenKind::LegalForm || c.kind == TokenKind::LegalForm {
        return legal_form::check(q, c);
    }
    if let Some(r) = exact::check(q, c) {
        return Some(r);
    }
    if q.kind == TokenKind::Number || c.kind == TokenKind::Number {
        return None;
    }
    if q.kind == TokenKind::Initial || c.kind == TokenKind::Initial {
        return initial::check(q, c);
    }
    if q.script == Script::Other || c.script == Script::Other {
        return None;
    }
    // a known romanisation needs no spelling evidence (`ازهر` / `Azhar`, where the Latin
    // `zh` reads as one sound), so the dictionary goes before the spelling pre-filter
    if transliteration::known_variants(q, c) {
        // same sound classes in one writing system (`Sergei` / `Сергей`): as good as exact
        let s = if q.form == c.form && writing(q) == writing(c) {
            1.0
        } else {
            transliteration::KNOWN
        };
        return Some((s, MatchHow::Transliteration));
    }
    if let Some(r) = transliteration::syllable_ch_j(q, c) {
        return Some(r);
    }
    if !plausible(q, c) {
        // a compound is longer than its part by a whole prefix or suffix
        return compound_part::check_din(q, c);
    }
    let (wq, wc) = (writing(q), writing(c));
    // "servant of X" and "father of X" are different names, however close the spelling
    if let (Some((ka, _)), Some((kb, _))) = (compound_rest(q), compound_rest(c))
        && ka != kb
    {
        return None;
    }
    let mut rests = None;
    let sim = if q.form == c.form {
        1.0
    } else if let (Some((ka, a)), Some((kb, b))) = (compound_rest(q), compound_rest(c))
        && ka == kb
    {
        // `Abd al-Manan` vs `Abd al-Muthana`: the shared `abd`/`abu` says nothing, compare
        // what follows it
        let norm = distance::mass(a, wq, wc).max(distance::mass(b, wc, wq));
        rests = Some((a, b));
        match distance::similarity_at_least_norm(a, wq, b, wc, MIN_ANY, norm) {
            Some(s) => s,
            // a typo that drops a consonant of the second part (`Abdulader` /
            // `Abdulqader`) is still a typo of the whole compound
            None => {
                return fuzzy::compound_typo(q, c, a, b).or_else(|| letter_typo::check(q, c));
            }
        }
    } else {
        let norm = q.mass[wc as usize].max(c.mass[wq as usize]);
        match distance::similarity_at_least_norm(&q.form, wq, &c.form, wc, MIN_ANY, norm) {
            Some(s) => s,
            None => {
                return transliteration::ta_marbuta_construct(q, c)
                    .or_else(|| letter_typo::check(q, c))
                    .or_else(|| compound_part::check(q, c));
            }
        }
    };
    if let Some(r) = transliteration::check(q, c, sim) {
        return Some(r);
    }
    if let Some(r) = phonetic::check(q, c, sim) {
        return Some(r);
    }
    match fuzzy::check(q, c, sim)
        .or_else(|| rests.and_then(|(a, b)| fuzzy::compound_typo(q, c, a, b)))
    {
        // a one-keystroke slip that broke a digraph reads as a weak fuzzy match
        Some((s, MatchHow::Fuzzy)) if s < letter_typo::SCORE => {
            letter_typo::check(q, c).or(Some((s, MatchHow::Fuzzy)))
        }
        Some(r) => Some(r),
        None => letter_typo::check(q, c),
    }
}

/// Helpers for the reason tests: one prepared token.
#[cfg(test)]
pub(crate) fn tok(s: &str, ty: crate::NameType) -> Token {
    crate::prepare(s, ty).tokens()[0].clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`plausible`] as first written, on the keys themselves.
    fn plausible_on_keys(q: &Token, c: &Token) -> bool {
        let shared = (q.mask & c.mask).count_ones();
        let either = (q.mask | c.mask).count_ones();
        if either > 0 && shared * 2 < either.saturating_sub(1) {
            return false;
        }
        let (a, b) = (q.coarse.as_bytes(), c.coarse.as_bytes());
        if a.is_empty() || b.is_empty() {
            return true;
        }
        if a.len().abs_diff(b.len()) >= 3 {
            return false;
        }
        let ends = |x: &[u8], y: &[u8]| x.first() == y.first() || x.last() == y.last();
        ends(a, b)
            || q.coarse_alt
                .as_deref()
                .is_some_and(|x| ends(x.as_bytes(), b))
            || c.coarse_alt
                .as_deref()
                .is_some_and(|y| ends(a, y.as_bytes()))
    }

    #[test]
    fn a_slavic_j_pairs_with_y_only_in_a_name_with_slavic_evidence() {
        use crate::NameType::Person;
        use crate::test_util::score;
        let t = |s: &str, i: usize| crate::prepare(s, Person).tokens()[i].clone();
        let r = compare_tokens(&t("Ilja Kurilov", 0), &t("Ilya Nikolaevich KURILOV", 0));
        assert_eq!(r, Some((1.0, MatchHow::Transliteration)));
        // either side may be the `j` side, and Cyrillic counts as written with `y`
        let r = compare_tokens(&t("Дарья Борисова", 0), &t("Darja Borisova", 0));
        assert!(matches!(r, Some((s, _)) if s >= 0.95), "{r:?}");
        assert!(score("Ilja Kurilov", "Ilya Nikolaevich KURILOV") >= 0.85);
        assert!(score("Natalja Volkova", "Natalya VOLKOVA") >= 0.95);
        // without Slavic evidence, `j` stays the English `j`
        assert_eq!(
            compare_tokens(&t("Najla Hassan", 0), &t("Nayla Hassan", 0)),
            None
        );
        assert_eq!(compare_tokens(&t("Jamal", 0), &t("Yamal", 0)), None);
    }

    #[test]
    fn plausible_on_cached_summaries_agrees_with_the_keys() {
        let names = [
            "Mohammed Muhammad محمد Mehmet Ali Aya Usama Osama أسامة Cawhar Jawhar Chelik",
            "Uthman Osman Wathiq Wassiq Ceren Cem Che Je Bakr Baghdadi البغدادي Abdulrahman",
            "Khalid Halit Qasim Kasim Yusuf Youssef Zawahiri Zawahri 12 Ivan Иван Oo Y",
        ];
        let toks: Vec<Token> = names
            .iter()
            .flat_map(|n| crate::prepare(n, crate::NameType::Person).tokens().to_vec())
            .collect();
        for q in &toks {
            for c in &toks {
                assert_eq!(plausible(q, c), plausible_on_keys(q, c), "{q:?} {c:?}");
            }
        }
    }
}
