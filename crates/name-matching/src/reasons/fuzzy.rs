//! Fuzzy match (typos).
//!
//! What it finds: spellings that differ by a typo-like edit (a wrong, missing, extra or
//! swapped letter) beyond transliteration habits.
//! Why it matters: data entry errors in payment messages and customer files.
//! Example: `Baghdadi` ↔ `Bahgdadi`, `Zawahiri` ↔ `Zawahari`.
//! Parameters: tolerance grows with length: the sound-class similarity must reach 0.92 for
//! tokens with at most two consonants, 0.82 for three, 0.78 for four or five and 0.74
//! beyond; rarity is applied by the aligner (a fuzzy match on a common token weighs little).

use super::MatchHow;
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

/// Typo-tolerant match.
pub(crate) fn check(q: &Token, c: &Token, sim: f32) -> Option<(f32, MatchHow)> {
    let n = q.skeleton.len().min(c.skeleton.len());
    (sim >= min_similarity(n)).then_some((sim * 0.97, MatchHow::Fuzzy))
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
    fn a_different_short_name_is_not_fuzzy() {
        assert_eq!(
            compare_tokens(&tok("Ali", Person), &tok("Ari", Person)),
            None
        );
    }
}
