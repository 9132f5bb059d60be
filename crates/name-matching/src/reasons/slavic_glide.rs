//! A `j` word of an East Slavic name against the same word written with `y`.

use super::{MatchHow, compare_plain};
use crate::token::Token;

/// What it finds: a `j` token of a person's name with East Slavic evidence (see
/// [`crate::rules::slavic`]) against a token written with `y`: `Ilja` / `Ilya`, `Darja` /
/// `Дарья`, `Natalja` / `Natalya`, `Marija` / `Mariya`.
/// Why it matters: the EU list and Central/Northern European customer files write the glide
/// `y` of Russian, Ukrainian and Belarusian names as `j`; read letter by letter, `j` is the
/// English `j` and `Ilja` / `Ilya` do not pair, while a name without a spelling marker is
/// not rewritten (the `j` of `Eljan Mammadov` is an English `j`).
/// Example: `Ilja Kurilov` / `Ilya Nikolaevich KURILOV`: `Ilja` = `Ilya` (transliteration 1.00).
/// Parameters: none; the pair is compared again with the `j` = y reading of the `j` token
/// and keeps the better answer (an exact match of the reading counts as a transliteration).
#[cold]
pub(crate) fn check(q: &Token, c: &Token, r: Option<(f32, MatchHow)>) -> Option<(f32, MatchHow)> {
    if r.is_some_and(|(s, _)| s >= 1.0) {
        return r;
    }
    let alt = match (&q.glide, &c.glide) {
        (Some(g), None) => compare_plain(g, c),
        (None, Some(g)) => compare_plain(q, g),
        _ => None,
    }
    .map(|(s, h)| {
        let h = if h == MatchHow::Exact {
            MatchHow::Transliteration
        } else {
            h
        };
        (s, h)
    });
    match (r, alt) {
        (Some(a), Some(b)) if b.0 > a.0 => Some(b),
        (None, b) => b,
        (a, _) => a,
    }
}
