//! Transliteration match.
//!
//! What it finds: two spellings of one name that differ only by romanisation habits or by
//! script: a shared entry in the variant dictionary (`محمد` / `Mehmet`), or equal coarse
//! consonant keys with a high sound-class similarity (q/k/g, w/u/o, y/i/e, ou/u, kh/h, dh/z,
//! th/s, j/dj/c, ş/sh, ç/ch, ğ/gh, unwritten Arabic short vowels).
//! Why it matters: the same UN-listed person is `Abu Bakr al-Baghdadi`, `Abou Bakr el
//! Baghdadi`, `Ebubekir el-Bağdadi` and `أبو بكر البغدادي`; none of these is a typo.
//! Example: `Mohammed` ↔ `Muhammad` (0.90), `بغدادي` ↔ `Baghdadi` (0.99).
//! Parameters: dictionary hit scores at least [`KNOWN`]; otherwise the score is the sound-class
//! similarity, which must reach [`MIN_SAME_SCRIPT`] (Latin vs Latin) or
//! [`MIN_CROSS_SCRIPT`] (Arabic vs Latin), and cross-script scores are capped at
//! [`CROSS_SCRIPT_CAP`] because Arabic script does not write short vowels (`عمر` could be
//! Omar or Amir).

use super::{MatchHow, coarse_equal, writing};
use crate::token::Token;

/// Lowest similarity for a same-script spelling variant.
pub const MIN_SAME_SCRIPT: f32 = 0.72;
/// Lowest similarity for an Arabic-script vs Latin variant.
pub const MIN_CROSS_SCRIPT: f32 = 0.8;
/// Highest score of a cross-script match not confirmed by the variant dictionary.
pub const CROSS_SCRIPT_CAP: f32 = 0.95;

/// Score of a spelling listed in the variant dictionary for the same name.
pub const KNOWN: f32 = 0.97;
/// Highest cross-script score when the Arabic name is in the dictionary but the Latin
/// spelling is not one of its known romanisations.
pub const KNOWN_OTHER_SPELLING_CAP: f32 = 0.88;

/// Both tokens are known spellings of one name (variant dictionary).
#[inline]
pub(crate) fn known_variants(q: &Token, c: &Token) -> bool {
    q.group_bloom & c.group_bloom != 0 && q.groups.iter().any(|g| c.groups.contains(g))
}

/// An Arabic word ending in ta marbuta (ة, normalised to ه) against a Latin spelling that
/// writes it `-at`/`-et`, as it is pronounced before a following noun (`عصبة الأنصار` =
/// `Asbat al-Ansar`, `جبهة النصرة` = `Jabhat al-Nusra`): the Latin form is compared without
/// its final `t`. Rare, so it runs only after the plain comparison failed; no allocation.
pub(crate) fn ta_marbuta_construct(q: &Token, c: &Token) -> Option<(f32, MatchHow)> {
    use crate::distance::{self, Writing};
    let (ar, la) = match (writing(q), writing(c)) {
        (Writing::Abjad, Writing::Full) => (q, c),
        (Writing::Full, Writing::Abjad) => (c, q),
        _ => return None,
    };
    let n = la.form.len();
    if !ar.text.ends_with('ه')
        || ar.form.last() != Some(&b'a')
        || n < 4
        || la.form[n - 1] != b't'
        || !matches!(la.form[n - 2], b'a' | b'e')
    {
        return None;
    }
    let trimmed = &la.form[..n - 1];
    let norm = distance::mass(&ar.form, Writing::Abjad, Writing::Full).max(distance::mass(
        trimmed,
        Writing::Full,
        Writing::Abjad,
    ));
    let sim = distance::similarity_at_least_norm(
        &ar.form,
        Writing::Abjad,
        trimmed,
        Writing::Full,
        MIN_CROSS_SCRIPT,
        norm,
    )?;
    Some((sim.min(CROSS_SCRIPT_CAP), MatchHow::Transliteration))
}

/// Longest token (letters) read as one East Asian syllable by [`syllable_ch_j`].
pub const SYLLABLE_MAX_LEN: usize = 5;
/// Score of a `ch` / `j` syllable pair.
pub const SYLLABLE_CH_J: f32 = 0.9;

/// What it finds: one short syllable written with `ch` in one romanisation and `j` in another,
/// the rest identical (`Che` / `Je`, `Cha` / `Ja`, `Chol` / `Jol`, `Chang` / `Jang`).
/// Why it matters: McCune–Reischauer (DPRK entries, older lists) writes the plain Korean
/// affricate `ch`, Revised Romanisation writes `j`; Wade–Giles `ch` is pinyin `zh`/`j`. The
/// two spellings share no consonant class, so the spelling pre-filter would drop the pair.
/// Example: `Che Son RI` / `RI JE-SON`: `Che` = `JE`.
/// Parameters: Latin-written name tokens of at most [`SYLLABLE_MAX_LEN`] letters whose
/// remainder after `ch`/`j` is the same and starts with a vowel; scores [`SYLLABLE_CH_J`].
pub(crate) fn syllable_ch_j(q: &Token, c: &Token) -> Option<(f32, MatchHow)> {
    let ((ca, ka), (cb, kb)) = (q.syllable?, c.syllable?);
    let (ra, rb) = (
        q.text.as_bytes().get(ka as usize..)?,
        c.text.as_bytes().get(kb as usize..)?,
    );
    (ca != cb
        && ra == rb
        && ra
            .first()
            .is_some_and(|&v| matches!(v, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')))
    .then_some((SYLLABLE_CH_J, MatchHow::Transliteration))
}

/// The shape [`syllable_ch_j`] reads, computed once per token ([`Token::syllable`]): for a
/// Latin-written token of at most [`SYLLABLE_MAX_LEN`] letters starting with `ch` or `j`,
/// whether it is `ch` and where the rest starts.
pub(crate) fn syllable_start(text: &str, script: crate::normalize::Script) -> Option<(bool, u8)> {
    use crate::normalize::Script;
    let a = text.as_bytes();
    if script != Script::Latin || a.len() > SYLLABLE_MAX_LEN {
        return None;
    }
    if a.starts_with(b"ch") {
        Some((true, 2))
    } else if a.first() == Some(&b'j') {
        Some((false, 1))
    } else {
        None
    }
}

/// Known or rule-based transliteration.
pub(crate) fn check(q: &Token, c: &Token, sim: f32) -> Option<(f32, MatchHow)> {
    if known_variants(q, c) {
        return Some((sim.max(KNOWN), MatchHow::Transliteration));
    }
    if !coarse_equal(q, c) {
        return None;
    }
    if writing(q) != writing(c) {
        if sim >= MIN_CROSS_SCRIPT {
            // the Arabic name is in the dictionary but this spelling is not among its
            // known romanisations: weaker evidence
            let arabic_known = if writing(q) == crate::distance::Writing::Abjad {
                !q.groups.is_empty()
            } else {
                !c.groups.is_empty()
            };
            let cap = if arabic_known {
                KNOWN_OTHER_SPELLING_CAP
            } else {
                CROSS_SCRIPT_CAP
            };
            return Some((sim.min(cap), MatchHow::Transliteration));
        }
        return None;
    }
    // short skeletons (one or two consonants) need near-identical vowels too
    let min = if q.skeleton.len() <= 2 {
        0.8
    } else {
        MIN_SAME_SCRIPT
    };
    (sim >= min).then_some((sim, MatchHow::Transliteration))
}

#[cfg(test)]
mod tests {
    use crate::NameType::Person;
    use crate::reasons::{MatchHow, compare_tokens, tok};

    fn how(a: &str, b: &str) -> Option<(f32, MatchHow)> {
        compare_tokens(&tok(a, Person), &tok(b, Person))
    }

    #[test]
    fn dictionary_spellings_match_across_scripts() {
        let (s, h) = how("عثمان", "Osman").expect("match");
        assert_eq!(h, MatchHow::Transliteration);
        assert!(s >= super::KNOWN);
    }

    #[test]
    fn romanisation_habits_are_transliterations() {
        for (a, b) in [
            ("Qasim", "Kasim"),
            ("Khalid", "Halit"),
            ("Dhiya", "Ziya"),
            ("Yusuf", "Youssef"),
        ] {
            assert_eq!(
                how(a, b).map(|x| x.1),
                Some(MatchHow::Transliteration),
                "{a} {b}"
            );
        }
    }

    #[test]
    fn undictionaried_arabic_is_capped_below_known_spellings() {
        let (s, _) = how("بغداديين", "Baghdadiyin").expect("match");
        assert!(s <= super::CROSS_SCRIPT_CAP);
    }

    #[test]
    fn ta_marbuta_written_at_before_a_noun_is_a_transliteration() {
        let (s, h) = how("عصبة", "Asbat").expect("match");
        assert_eq!(h, MatchHow::Transliteration);
        assert!(s >= 0.8, "{s}");
        // but not any Latin word with a t more
        assert_eq!(how("عصبة", "Asbit"), None);
    }

    #[test]
    fn korean_ch_and_j_syllables_are_transliterations() {
        for (a, b) in [
            ("Che", "JE"),
            ("Cha", "Ja"),
            ("Chol", "Jol"),
            ("Chang", "Jang"),
        ] {
            assert_eq!(
                how(a, b),
                Some((super::SYLLABLE_CH_J, MatchHow::Transliteration)),
                "{a} {b}"
            );
        }
        // not for longer words, nor when the rest differs
        assert_eq!(
            super::syllable_ch_j(&tok("Charles", Person), &tok("Jarles", Person)),
            None
        );
        assert_eq!(how("Chan", "Jon"), None);
    }

    #[test]
    fn short_names_need_close_vowels() {
        assert_eq!(how("Amir", "Omar"), None);
    }
}
