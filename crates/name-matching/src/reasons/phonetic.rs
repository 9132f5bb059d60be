//! Phonetic match (Double Metaphone).
//!
//! What it finds: two Latin-written tokens with the same Double Metaphone primary code and a
//! close sound-class spelling, where the consonant keys differ (e.g. `Philips` / `Filipps`,
//! `Zawahiri` / `Zawahri`).
//! Why it matters: regulators expect phonetic matching; it catches English-style spellings
//! that the Arabic-oriented classes do not model.
//! Example: `Geoffrey` ↔ `Jeffrey`.
//! Parameters: similarity must reach [`MIN_SIMILARITY`]; the score is lifted to at least
//! [`FLOOR`] (never above the similarity + 0.1).

use rphonetic::{DoubleMetaphone, Encoder};

use super::MatchHow;
use crate::token::Token;

/// Lowest sound-class similarity for a phonetic match.
pub const MIN_SIMILARITY: f32 = 0.7;
/// Score floor of a phonetic match.
pub const FLOOR: f32 = 0.82;

/// The Double Metaphone primary code of a folded Latin token, if it has one.
pub(crate) fn metaphone(text: &str) -> Option<String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let code = DoubleMetaphone::default().encode(text);
    (!code.is_empty()).then_some(code)
}

/// Same Double Metaphone code.
pub(crate) fn check(q: &Token, c: &Token, sim: f32) -> Option<(f32, MatchHow)> {
    let (a, b) = (q.metaphone.as_ref()?, c.metaphone.as_ref()?);
    // equal consonant keys were already judged (and refused) as a transliteration: a shared
    // code would only repeat that the consonants agree (Amir / Omar)
    if a != b || sim < MIN_SIMILARITY || super::coarse_equal(q, c) {
        return None;
    }
    Some((sim.max(FLOOR).min(sim + 0.1), MatchHow::Phonetic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metaphone_codes_latin_words_only() {
        assert_eq!(metaphone("philips").as_deref(), Some("FLPS"));
        assert_eq!(metaphone("abd-rahman"), None);
        assert_eq!(metaphone(""), None);
    }
}
