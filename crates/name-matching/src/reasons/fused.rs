//! Fused-token match.
//!
//! What it finds: one token on one side equal (by sound classes) to two adjacent tokens on
//! the other side written together: `Binladin` = `Bin Ladin`, `Abdalkarim` = `Abd Al Karim`
//! when the compound rules did not already fuse them.
//! Why it matters: word boundaries in romanised Arabic names are arbitrary.
//! Example: `Alqaida` ↔ `Al Qaida` (fused).
//! Parameters: two words of the same script joined must equal the third exactly, unless the
//! first word is a particle (`bin`, `abd`, `abu`, `al`, ...); then the joined form must have the same coarse
//! consonant key and a similarity of at least [`MIN_SIMILARITY`].

use super::{MatchHow, writing};
use crate::distance;
use crate::normalize::Script;
use crate::phonetic::{encode_arabic, encode_latin};
use crate::token::{Token, TokenKind};

/// Words written together with the next one in romanised names.
const PREFIXES: &[&str] = &[
    "bin", "ben", "ibn", "abd", "abu", "abou", "al", "el", "ul", "ould", "bou", "abdul", "abdel",
    "بن", "ابن", "عبد", "ابو", "ال",
];

/// Lowest similarity of a fused match.
pub const MIN_SIMILARITY: f32 = 0.9;

/// Compares `one` with `a` and `b` joined.
pub(crate) fn check(one: &Token, a: &Token, b: &Token) -> Option<(f32, MatchHow)> {
    if [one.kind, a.kind, b.kind]
        .iter()
        .any(|k| *k != TokenKind::Name)
        || a.script != b.script
    {
        return None;
    }
    // cheap pre-filter: the joined coarse key starts like `one` and has about its length
    let (k1, ka, kb) = (
        one.coarse.as_bytes(),
        a.coarse.as_bytes(),
        b.coarse.as_bytes(),
    );
    if !k1.is_empty() && !ka.is_empty() {
        if k1.first() != ka.first() && one.coarse_alt.is_none() && a.coarse_alt.is_none() {
            return None;
        }
        if k1.len().abs_diff(ka.len() + kb.len()) > 2 {
            return None;
        }
    }
    // Exact joins first, without allocating: this runs for every adjacent pair of every
    // scored candidate, and most pairs fail here or at the particle rule below.
    let exact = match a.script {
        Script::Arabic | Script::Other => {
            one.text.len() == a.text.len() + b.text.len()
                && one.text.starts_with(a.text.as_str())
                && one.text.ends_with(b.text.as_str())
        }
        _ => {
            let no_hyphen = |c: &char| *c != '-';
            a.text
                .chars()
                .chain(b.text.chars())
                .filter(no_hyphen)
                .eq(one.text.chars().filter(no_hyphen))
        }
    };
    if exact {
        return Some((1.0, MatchHow::Fused));
    }
    if a.script == Script::Other {
        return None;
    }
    // within one script, a spelling difference is only tolerated when the first word is a
    // name particle often written together with the next one; two full words must join
    // exactly ("Mike Lee" is not "Mekele"). Across scripts word boundaries are arbitrary
    // (ولی جان = Walijan).
    if writing(one) == writing(a) && !PREFIXES.contains(&a.text.as_str()) {
        return None;
    }
    let form = if a.script == Script::Arabic {
        encode_arabic(&format!("{}{}", a.text, b.text), false)
    } else {
        encode_latin(&format!("{}-{}", a.text, b.text))
    };
    let key = crate::phonetic::coarse_key(&form);
    if key != one.coarse && one.coarse_alt.as_deref() != Some(key.as_str()) {
        return None;
    }
    let sim = distance::similarity(&one.form, writing(one), &form, writing(a));
    (sim >= MIN_SIMILARITY).then_some((sim, MatchHow::Fused))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NameType::Person;
    use crate::prepare;

    #[test]
    fn particle_written_together_matches_two_words() {
        let one = prepare("Binladin", Person);
        // "Bin" leads the name, so the particle rule keeps it as a token
        let two = prepare("Bin Ladin", Person);
        let t = two.tokens();
        assert_eq!(
            check(&one.tokens()[0], &t[0], &t[1]).map(|x| x.1),
            Some(MatchHow::Fused)
        );
    }

    #[test]
    fn two_full_words_must_join_exactly() {
        let one = prepare("Mekele", Person);
        let two = prepare("Mike Lee", Person);
        let t = two.tokens();
        assert_eq!(check(&one.tokens()[0], &t[0], &t[1]), None);
    }
}
