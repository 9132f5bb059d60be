//! Fused-token match.
//!
//! What it finds: one token on one side equal (by sound classes) to two adjacent tokens on
//! the other side written together: `Binladin` = `Bin Ladin`, `Abdalkarim` = `Abd Al Karim`
//! when the compound rules did not already fuse them.
//! Why it matters: word boundaries in romanised Arabic names are arbitrary.
//! Example: `Alqaida` ↔ `Al Qaida` (fused).
//! Parameters: two words of the same script joined must equal the third exactly, unless the
//! first word is a particle (`bin`, `abd`, `abu`, `al`, ...); then the joined form must have the same coarse
//! consonant key and a similarity of at least [`MIN_SIMILARITY`]. Across scripts the joined
//! form needs the same coarse key and the cross-script bar of a single word
//! ([`super::transliteration::MIN_CROSS_SCRIPT`]): `فن آور` = `Fanavar`.

use super::{MatchHow, writing};
use crate::distance;
use crate::normalize::Script;
use crate::phonetic::{Form, encode_arabic, encode_latin};
use crate::token::{Token, TokenKind};

/// Words written together with the next one in romanised names.
const PREFIXES: &[&str] = &[
    "bin", "ben", "ibn", "abd", "abu", "abou", "al", "el", "ul", "ould", "bou", "abdul", "abdel",
    "بن", "ابن", "عبد", "ابو", "ال",
];

/// True when `text` is one of the [`PREFIXES`] (cached per token: [`Token::particle`]).
pub(crate) fn is_particle(text: &str) -> bool {
    PREFIXES.contains(&text)
}

/// Lowest similarity of a fused match.
pub const MIN_SIMILARITY: f32 = 0.9;

/// Compares `one` with `a` and `b` joined.
///
/// Split in two: the pre-filter is inlined into the aligner's loops (it runs for every
/// adjacent pair of every scored candidate and refuses almost all of them), the join itself
/// is not.
///
/// `cache.get(at)` (when there) keeps the sound form and coarse key of `a` and `b` written
/// together (see [`Join`]); it must belong to this pair of tokens. (Passed as a slice and an
/// index so that the pre-filter, which refuses almost every pair, does not pay the lookup.)
#[inline(always)]
pub(crate) fn check(
    one: &Token,
    a: &Token,
    b: &Token,
    cache: &[JoinCache],
    at: usize,
) -> Option<(f32, MatchHow)> {
    if one.kind != TokenKind::Name
        || a.kind != TokenKind::Name
        || b.kind != TokenKind::Name
        || a.script != b.script
    {
        return None;
    }
    // cheap pre-filter: the joined coarse key starts like `one` and has about its length
    // (read from the per-token summaries of the keys: first byte and length)
    let (l1, la, lb) = (one.coarse_len, a.coarse_len, b.coarse_len);
    if l1 != 0 && la != 0 {
        if one.coarse_ends[0] != a.coarse_ends[0]
            && one.coarse_alt.is_none()
            && a.coarse_alt.is_none()
        {
            return None;
        }
        if l1.abs_diff(la + lb) > 2 {
            return None;
        }
    }
    // `joined` accepts an exact join (which needs the lengths to add up) or, across writing
    // systems or after a particle, a close one: refuse the rest without the call
    let lengths_add_up = match a.script {
        Script::Arabic | Script::Other => one.text.len() == a.text.len() + b.text.len(),
        _ => one.bare_len == a.bare_len + b.bare_len,
    };
    if !lengths_add_up && (a.script == Script::Other || (writing(one) == writing(a) && !a.particle))
    {
        return None;
    }
    joined(one, a, b, cache.get(at))
}

/// The sound form of two adjacent tokens written together and its coarse key: what
/// [`joined`] compares a single token with once the exact and particle rules let the pair
/// through. It depends on the pair only, and the same pair comes up for every candidate (a
/// query pair) or every query (a list pair) that leaves it over, so a prepared name keeps it
/// per adjacent pair, computed on first use (see [`crate::Prepared`]).
pub(crate) type Join = (Form, String);

/// A lazily computed [`Join`] of one adjacent token pair (thread-safe: list names are
/// shared by every query in flight; the value is a pure function of the pair, so which
/// thread computes it first does not matter).
pub(crate) type JoinCache = std::sync::OnceLock<Box<Join>>;

/// The [`Join`] of `a` followed by `b`.
fn join_form(a: &Token, b: &Token) -> Join {
    let form = if a.script == Script::Arabic {
        encode_arabic(&format!("{}{}", a.text, b.text), false)
    } else {
        encode_latin(&format!("{}-{}", a.text, b.text))
    };
    let key = crate::phonetic::coarse_key(&form);
    (form, key)
}

/// [`check`] after its pre-filter.
#[inline(never)]
fn joined(one: &Token, a: &Token, b: &Token, cache: Option<&JoinCache>) -> Option<(f32, MatchHow)> {
    // Exact joins first, without allocating: most pairs fail here or at the particle rule
    // below.
    let exact = match a.script {
        Script::Arabic | Script::Other => {
            one.text.len() == a.text.len() + b.text.len()
                && one.text.starts_with(a.text.as_str())
                && one.text.ends_with(b.text.as_str())
        }
        _ => {
            let no_hyphen = |c: &char| *c != '-';
            // lengths without hyphens first (cached per token): unequal lengths never join
            one.bare_len == a.bare_len + b.bare_len
                && a.text
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
    if writing(one) == writing(a) && !a.particle {
        return None;
    }
    let fresh;
    let (form, key) = match cache {
        Some(c) => {
            let j = c.get_or_init(|| Box::new(join_form(a, b)));
            (&j.0, &j.1)
        }
        None => {
            fresh = join_form(a, b);
            (&fresh.0, &fresh.1)
        }
    };
    if *key != one.coarse && one.coarse_alt.as_deref() != Some(key.as_str()) {
        return None;
    }
    let sim = distance::similarity(&one.form, writing(one), form, writing(a));
    // across writing systems a join meets the bar of a single word across them (`فن آور` /
    // `Fanavar`, where the Arabic script writes no short vowel)
    let min = if writing(one) == writing(a) {
        MIN_SIMILARITY
    } else {
        super::transliteration::MIN_CROSS_SCRIPT
    };
    (sim >= min).then_some((sim, MatchHow::Fused))
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
            check(&one.tokens()[0], &t[0], &t[1], &[], 0).map(|x| x.1),
            Some(MatchHow::Fused)
        );
    }

    #[test]
    fn a_persian_word_written_in_two_parts_meets_its_romanisation() {
        let one = prepare("Fanavar", Person);
        let two = prepare("فن آور", Person);
        let t = two.tokens();
        assert_eq!(
            check(&one.tokens()[0], &t[0], &t[1], &[], 0).map(|x| x.1),
            Some(MatchHow::Fused)
        );
    }

    #[test]
    fn two_full_words_must_join_exactly() {
        let one = prepare("Mekele", Person);
        let two = prepare("Mike Lee", Person);
        let t = two.tokens();
        assert_eq!(check(&one.tokens()[0], &t[0], &t[1], &[], 0), None);
    }
}
