//! Fuzzy match (typos).
//!
//! What it finds: spellings that differ by a typo-like edit (a wrong, missing, extra or
//! swapped letter) beyond transliteration habits.
//! Why it matters: data entry errors in payment messages and customer files.
//! Example: `Baghdadi` ↔ `Bahgdadi`, `Zawahiri` ↔ `Zawahari`.
//! Parameters: tolerance grows with length: the sound-class similarity must reach 0.92 for
//! tokens with at most two consonants, 0.82 for three, 0.78 for four or five and 0.74
//! beyond; rarity is applied by the aligner (a fuzzy match on a common token weighs little).
//! A consonant dropped inside a name (`Makhuf` for `Makhluf`, `Joeph` for `Joseph`) is
//! accepted down to [`MIN_DROPPED_LETTER`] when the shorter name keeps at least three
//! consonants and the dropped one is neither the first nor the last (a different first or
//! last consonant usually makes another name: `Salma` / `Salman`).

use super::MatchHow;
use crate::phonetic::is_vowel;
use crate::token::Token;

/// Minimum similarity for a fuzzy match given the consonant count.
pub fn min_similarity(consonants: usize) -> f32 {
    match consonants {
        0..=2 => 0.92,
        3 => 0.82,
        4 | 5 => 0.78,
        _ => 0.74,
    }
}

/// Lowest similarity of a name with one inner consonant dropped.
pub const MIN_DROPPED_LETTER: f32 = 0.7;

/// Typo-tolerant match.
pub(crate) fn check(q: &Token, c: &Token, sim: f32) -> Option<(f32, MatchHow)> {
    let n = q.skeleton.len().min(c.skeleton.len());
    let ok = sim >= min_similarity(n)
        || (sim >= MIN_DROPPED_LETTER && n >= 3 && inner_consonant_dropped(q, c));
    ok.then_some((sim * 0.97, MatchHow::Fuzzy))
}

/// Fuzzy match of two `abd`/`abu` compounds whose second parts (`a`, `b`: their sound-class
/// forms) are too short to compare on their own after a typo (`Abdulader` / `Abdulqader`):
/// accepted only when one second part's consonant skeleton is the other's with one
/// consonant dropped (inside the whole word, since the compound prefix precedes it) and the
/// whole forms reach [`MIN_DROPPED_LETTER`]; the shared prefix cannot make two different
/// compounds similar, since any other difference refuses the pair.
pub(crate) fn compound_typo(q: &Token, c: &Token, a: &[u8], b: &[u8]) -> Option<(f32, MatchHow)> {
    use crate::phonetic::skeleton;
    if q.script != c.script {
        return None;
    }
    let (sa, sb) = (skeleton(a), skeleton(b));
    let (short, long) = if sa.len() < sb.len() {
        (&sa, &sb)
    } else {
        (&sb, &sa)
    };
    // the last consonant of the name may not be the dropped one (`Abdulkari` / `Abdulkarim`)
    if short.len() < 2 || skeleton_drop_at(short, long).is_none_or(|k| k + 1 == long.len()) {
        return None;
    }
    let w = super::writing(q);
    let sim = crate::distance::similarity(&q.form, w, &c.form, super::writing(c));
    (sim >= MIN_DROPPED_LETTER).then_some((sim * 0.97, MatchHow::Fuzzy))
}

/// True when one token's consonant skeleton is the other's with one consonant removed, and
/// that consonant is inside the word (not its first or last letter).
fn inner_consonant_dropped(q: &Token, c: &Token) -> bool {
    let (short, long) = if q.skeleton.len() < c.skeleton.len() {
        (q, c)
    } else {
        (c, q)
    };
    // a first (last) consonant may drop only between vowels both words have: `Ibrahim` /
    // `Irahim`, not `Albert` / `Bert`
    let first_vowel = |t: &Token| t.form.first().is_some_and(|&x| is_vowel(x));
    let last_vowel = |t: &Token| t.form.last().is_some_and(|&x| is_vowel(x));
    let starts_with_vowel = first_vowel(long) && first_vowel(short);
    let ends_with_vowel = last_vowel(long) && last_vowel(short);
    skeleton_drop_at(short.skeleton.as_bytes(), long.skeleton.as_bytes()).is_some_and(|k| {
        (k > 0 || starts_with_vowel) && (k + 1 < long.skeleton.len() || ends_with_vowel)
    })
}

/// Where `long` has the one extra consonant that makes it `short`, if it is that.
fn skeleton_drop_at(short: &[u8], long: &[u8]) -> Option<usize> {
    if long.len() != short.len() + 1 {
        return None;
    }
    // first position where they differ is the dropped consonant
    let k = short
        .iter()
        .zip(long)
        .position(|(x, y)| x != y)
        .unwrap_or(short.len());
    (short[k..] == long[k + 1..]).then_some(k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NameType::Person;
    use crate::reasons::{compare_tokens, tok};

    #[test]
    fn tolerance_grows_with_length() {
        assert!(min_similarity(2) > min_similarity(3));
        assert!(min_similarity(3) > min_similarity(6));
    }

    #[test]
    fn a_typo_in_a_long_name_is_fuzzy() {
        let r = compare_tokens(&tok("Zawahiri", Person), &tok("Zawahirri", Person));
        assert!(r.is_some());
        let r = compare_tokens(&tok("Bahgdadi", Person), &tok("Baghdadi", Person));
        assert!(
            matches!(r, Some((_, MatchHow::Fuzzy | MatchHow::Transliteration))),
            "{r:?}"
        );
    }

    #[test]
    fn a_dropped_inner_consonant_is_fuzzy() {
        for (a, b) in [
            ("Makhuf", "Makhluf"),
            ("Gulina", "Gulsina"),
            ("Irahim", "Ibrahim"),
        ] {
            let r = compare_tokens(&tok(a, Person), &tok(b, Person));
            assert!(matches!(r, Some((_, MatchHow::Fuzzy))), "{a} {b}: {r:?}");
        }
    }

    #[test]
    fn a_dropped_first_or_last_consonant_is_not_a_typo() {
        assert_eq!(
            compare_tokens(&tok("Salma", Person), &tok("Salman", Person)),
            None
        );
        assert_eq!(
            compare_tokens(&tok("Lman", Person), &tok("Salman", Person)),
            None
        );
        assert_eq!(skeleton_drop_at(b"mxf", b"mxlf"), Some(2));
        assert_eq!(skeleton_drop_at(b"mxf", b"mxlt"), None);
    }

    #[test]
    fn a_consonant_dropped_from_a_compound_second_part_is_fuzzy() {
        let r = compare_tokens(&tok("Abdulader", Person), &tok("Abdulqader", Person));
        assert!(matches!(r, Some((_, MatchHow::Fuzzy))), "{r:?}");
        // two different compounds stay apart
        assert_eq!(
            compare_tokens(&tok("Abdulnasir", Person), &tok("Abdulqader", Person)),
            None
        );
        assert_eq!(
            compare_tokens(&tok("Abdulader", Person), &tok("Abdulkarim", Person)),
            None
        );
    }

    #[test]
    fn swapped_consonants_are_fuzzy() {
        let r = compare_tokens(&tok("Samlan", Person), &tok("Salman", Person));
        assert!(matches!(r, Some((s, MatchHow::Fuzzy)) if s > 0.8), "{r:?}");
    }

    #[test]
    fn a_different_short_name_is_not_fuzzy() {
        assert_eq!(
            compare_tokens(&tok("Ali", Person), &tok("Ari", Person)),
            None
        );
    }
}
