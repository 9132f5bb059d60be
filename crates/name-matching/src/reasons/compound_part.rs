//! Compound part match.
//!
//! What it finds: a compound name on one side (`Abd al-Majid`, `Abu Halabiyye`, `Salah
//! ad-Din`, fused into one token by the compounds rule) against its distinctive part written
//! alone on the other side (`Majid`, `Halabiyye`, `Salah`).
//! Why it matters: the short form is how many of these names are used and listed: South
//! Asian and Indonesian names drop `Abdul` (`Abdul Razzaq` → `Razzaq`), Levantine family
//! names drop `Abu` (`Abu Halabiyye` → `Halabiyye`), and `Salah ad-Din`, `Nur ad-Din` go by
//! `Salah`, `Nur`. Without the rule the compound and the short form are two different
//! tokens and both sides pay for an unmatched name.
//! Example: `Afif MAJID` / `Afif ABDUL MAJID`: `MAJID` = `ABDUL MAJID` (0.85, fused).
//! Parameters: never for a kunya (`Abu` + a given name the variant dictionary knows:
//! `Abu Hamza` is not `Hamza`); the part (after `abd`/`abu`, before `ad-Din`) has at least
//! three sound classes and matches the other token with a sound-class similarity of at least
//! [`MIN_SIMILARITY`]; the pair scores that similarity × [`FACTOR`], below a full match
//! because `Abd al-Majid` and `Majid` are, strictly, two names. Two compounds never match
//! through their parts (see the `abd`/`abu` rule in [`super::compare_tokens`]).

use super::{MatchHow, compound_rest, writing};
use crate::distance;
use crate::phonetic::Form;
use crate::token::{Token, TokenKind};

/// Lowest sound-class similarity between the part and the other token.
pub const MIN_SIMILARITY: f32 = 0.88;
/// Score factor of a part match.
pub const FACTOR: f32 = 0.85;

/// The distinctive part of a compound token: the form after `abd`/`abu`, or the form of a
/// Latin `X-din` before `din`.
fn part(t: &Token) -> Option<Form> {
    if let Some((_, r)) = compound_rest(t) {
        return Some(Form::from_slice(r));
    }
    let first = t.text.strip_suffix("-din")?;
    use crate::normalize::Script;
    matches!(t.script, Script::Latin | Script::Cyrillic | Script::Greek)
        .then(|| crate::phonetic::encode_latin(first))
}

/// Compound part match (see the module docs).
pub(crate) fn check(q: &Token, c: &Token) -> Option<(f32, MatchHow)> {
    // the hot path: the compound is the longer form by its prefix (`abd`, `abu`) or suffix
    // (`din`), and the part starts where the other token starts
    let (long, short) = if q.text.len() > c.text.len() {
        (q, c)
    } else {
        (c, q)
    };
    // the compound's text carries `abd-`, `abu-`, `-din`, `عبد` or `ابو` (3+ bytes) more
    let lt = long.text.as_bytes();
    if lt.len() < short.text.len() + 3
        || !matches!(lt.first(), Some(b'a' | 0xD8)) && lt.last() != Some(&b'n')
    {
        return None;
    }
    let (lf, sf) = (&long.form, &short.form);
    if sf.len() < 3
        || lf.len() < sf.len() + 2
        || (lf.get(3) != sf.first() && lf.first() != sf.first())
        || q.kind != TokenKind::Name
        || c.kind != TokenKind::Name
        || !is_compound(long)
        || is_compound(short)
    {
        return None;
    }
    let p = part(long)?;
    if p.len() < 3 || kunya(long) {
        return None;
    }
    let (wa, wb) = (writing(long), writing(short));
    let norm = distance::mass(&p, wa, wb).max(short.mass[wa as usize]);
    let sim = distance::similarity_at_least_norm(&p, wa, sf, wb, MIN_SIMILARITY, norm)?;
    Some((sim * FACTOR, MatchHow::Fused))
}

/// [`check`] for pairs the spelling pre-filter refused: only `X-din` compounds, whose
/// coarse key is longer than the part's by two classes (the `abd`/`abu` ones pass the
/// pre-filter). Costs two byte loads on the hot path.
#[inline]
pub(crate) fn check_din(q: &Token, c: &Token) -> Option<(f32, MatchHow)> {
    let din = |t: &Token| t.text.as_bytes().last() == Some(&b'n') && t.text.ends_with("-din");
    if din(q) || din(c) { check(q, c) } else { None }
}

/// True for an `abu` compound whose second part is a known given name (`Abu Hamza`, `Abu
/// Bakr`, `Abu Omar`): a kunya, "father of Hamza", names another person than `Hamza`, while
/// `Abu` family names (`Abu Halabiyye`, `Abu Ghaith`) lose their `Abu` in many listings.
fn kunya(t: &Token) -> bool {
    let rest = t
        .text
        .strip_prefix("abu-")
        .or_else(|| t.text.strip_prefix("ابو"));
    rest.is_some_and(|r| !crate::variants::groups_of(r, t.script).is_empty())
}

/// True for a token the compounds rule fused (`abd-…`, `abu-…`, `…-din`, `عبد…`, `ابو…`).
fn is_compound(t: &Token) -> bool {
    compound_rest(t).is_some() || t.text.ends_with("-din")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NameType::Person;
    use crate::reasons::{compare_tokens, tok};

    #[test]
    fn a_compound_matches_its_distinctive_part_written_alone() {
        for (a, b) in [
            ("Majid", "Abdul Majid"),
            ("RAZZAQ", "Abdul Razzaq"),
            ("HALABIYYE", "Abu Halabiyye"),
            ("Salah", "Salah ad-Din"),
            ("رزاق", "عبد الرزاق"),
        ] {
            let r = compare_tokens(&tok(a, Person), &tok(b, Person));
            assert!(
                matches!(r, Some((s, MatchHow::Fused)) if s < 0.9 && s > 0.8),
                "{a} {b}: {r:?}"
            );
            assert_eq!(
                compare_tokens(&tok(b, Person), &tok(a, Person)),
                r,
                "{a} {b}"
            );
        }
    }

    #[test]
    fn another_name_or_the_prefix_alone_is_not_a_part() {
        for (a, b) in [
            ("Karim", "Abdul Majid"),
            ("Abdul", "Abdul Majid"),
            ("Nur", "Salah ad-Din"),
            ("Rahim", "Abdul Rahman"),
        ] {
            assert_eq!(check(&tok(a, Person), &tok(b, Person)), None, "{a} {b}");
        }
        // two compounds compare as compounds, not through their parts
        assert_eq!(
            check(&tok("Abdul Majid", Person), &tok("Abu Majid", Person)),
            None
        );
        // a kunya names the father of the named person
        assert_eq!(
            check(&tok("Hamza", Person), &tok("Abu Hamzah", Person)),
            None
        );
        assert_eq!(check(&tok("Omar", Person), &tok("Abu Omar", Person)), None);
    }
}
