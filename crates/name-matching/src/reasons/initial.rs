//! Initial match.
//!
//! What it finds: a single letter (`J.`, `M`) against a name starting with that letter, in
//! Latin or (by its first consonant class) in Arabic script.
//! Why it matters: lists and payment messages abbreviate given names ("M. Yusuf"); about a
//! third of peers' misses on UN names come from initials.
//! Example: `A. Bakr al-Baghdadi`: `A` ↔ `Abu Bakr` (initial).
//! Parameters: score 0.9; the aligner weighs the pair by the initial's small weight, so an
//! initial confirms but cannot carry a match.

use super::MatchHow;
use crate::normalize::Script;
use crate::phonetic::{encode_latin, is_vowel};
use crate::token::{Token, TokenKind};

/// Initial vs name.
pub(crate) fn check(q: &Token, c: &Token) -> Option<(f32, MatchHow)> {
    let (init, name) = match (q.kind, c.kind) {
        (TokenKind::Initial, TokenKind::Name) => (q, c),
        (TokenKind::Name, TokenKind::Initial) => (c, q),
        (TokenKind::Initial, TokenKind::Initial) => {
            return (q.text == c.text).then_some((1.0, MatchHow::Exact));
        }
        _ => return None,
    };
    let letter = init.text.chars().next()?;
    if name.script != Script::Arabic {
        return name
            .text
            .starts_with(letter)
            .then_some((0.9, MatchHow::Initial));
    }
    // Arabic: compare with the first consonant class of the name
    let first = name.form.iter().copied().find(|&k| !is_vowel(k))?;
    let lf = encode_latin(&init.text);
    let ok = match lf.first() {
        Some(&k) if is_vowel(k) => name.form.first().is_some_and(|&f| is_vowel(f)),
        Some(&k) => crate::distance::sub_cost(k, first) <= 0.35,
        None => false,
    };
    ok.then_some((0.8, MatchHow::Initial))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NameType::Person;
    use crate::prepare;

    #[test]
    fn initial_matches_a_name_with_its_letter() {
        let q = prepare("J. Smith", Person);
        let c = prepare("John Smith", Person);
        assert_eq!(
            check(&q.tokens()[0], &c.tokens()[0]),
            Some((0.9, MatchHow::Initial))
        );
        let d = prepare("Peter Smith", Person);
        assert_eq!(check(&q.tokens()[0], &d.tokens()[0]), None);
    }

    #[test]
    fn initial_matches_an_arabic_name_by_its_first_consonant() {
        let q = prepare("M. Yusuf", Person);
        let c = prepare("محمد يوسف", Person);
        assert_eq!(
            check(&q.tokens()[0], &c.tokens()[0]),
            Some((0.8, MatchHow::Initial))
        );
    }
}
