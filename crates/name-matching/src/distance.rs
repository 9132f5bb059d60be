//! Class-aware weighted edit distance between two phonetic forms.
//!
//! Hand-written (not strsim) because the costs depend on the sound classes: substituting
//! `q`↔`k` or `e`↔`i` is a spelling habit, not a typo, and an unwritten short vowel costs
//! almost nothing when one side is in Arabic script (which does not write short vowels).
//! Forms are at most a few dozen bytes; the DP runs on two stack rows, no allocation.
//! A bounded comparison first sums, per class, the cheaper of its gap and its cheapest
//! substitute present in the other form: a lower bound of the distance that refuses most
//! unrelated pairs before the DP, and only pairs the DP would refuse (see [`lower_bound`]).

use crate::phonetic::is_vowel;

/// Which side of a comparison a form comes from; it changes the price of vowel gaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Writing {
    /// Latin, Cyrillic or Greek (every vowel written).
    Full = 0,
    /// Arabic script: only long vowels are written.
    Abjad = 1,
}

/// Longest form compared; longer forms are cut (names are never this long per token).
const MAX: usize = 40;

/// Substitution costs for every pair of ASCII classes, computed at compile time.
static SUB: [[f32; 128]; 128] = {
    let mut t = [[1.0f32; 128]; 128];
    let mut a = 0;
    while a < 128 {
        let mut b = 0;
        while b < 128 {
            t[a][b] = sub_cost_calc(a as u8, b as u8);
            b += 1;
        }
        a += 1;
    }
    t
};

/// Most classes that substitute for one class at a cost below 1 (a vowel has 7).
const NEAR_MAX: usize = 10;

/// For every class, the other classes that substitute for it at a cost below 1, cheapest
/// first, padded with `(0, 1.0)`: [`lower_bound`] takes the first one present.
static NEAR: [[(u8, f32); NEAR_MAX]; 128] = {
    let mut t = [[(0u8, 1.0f32); NEAR_MAX]; 128];
    let mut a = 0;
    while a < 128 {
        let mut n = 0;
        let mut b = 0;
        while b < 128 {
            let cost = sub_cost_calc(a as u8, b as u8);
            if b != a && cost < 1.0 {
                // a dropped entry would make the lower bound too high: refuse to compile
                assert!(n < NEAR_MAX, "NEAR_MAX too small");
                let mut k = n;
                while k > 0 && t[a][k - 1].1 > cost {
                    t[a][k] = t[a][k - 1];
                    k -= 1;
                }
                t[a][k] = (b as u8, cost);
                n += 1;
            }
            b += 1;
        }
        a += 1;
    }
    t
};

/// Substitution cost between two classes, 0 (same) .. 1 (unrelated).
#[inline]
pub(crate) fn sub_cost(a: u8, b: u8) -> f32 {
    SUB[(a & 0x7f) as usize][(b & 0x7f) as usize]
}

const fn sub_cost_calc(a: u8, b: u8) -> f32 {
    if a == b {
        return 0.0;
    }
    let (x, y) = if a < b { (a, b) } else { (b, a) };
    if is_vowel(x) && is_vowel(y) {
        if x == b'V' || y == b'V' {
            return 0.0;
        }
        if x == b'Y' || y == b'Y' {
            let other = if x == b'Y' { y } else { x };
            return match other {
                b'i' => 0.0,
                b'a' | b'e' => 0.1,
                _ => 0.4,
            };
        }
        return match (x, y) {
            (b'e', b'i') | (b'o', b'u') => 0.15,
            (b'a', b'e') => 0.2,
            (b'a', b'o') | (b'a', b'u') | (b'a', b'i') | (b'e', b'o') | (b'e', b'u') => 0.35,
            _ => 0.4,
        };
    }
    // ASCII order: uppercase classes sort before lowercase ones.
    match (x, y) {
        (b'T', b't') | (b'T', b's') => 0.25,
        (b'D', b'd') => 0.2,
        (b'D', b'z') => 0.25,
        (b'D', b'T') => 0.4,
        (b'd', b'z') => 0.5,
        (b'd', b't') => 0.35,
        (b'S', b's') => 0.3,
        (b'C', b'S') => 0.2,
        (b'C', b'j') => 0.4,
        (b'C', b'c') => 0.25,
        (b'S', b'c') => 0.3,
        (b'c', b's') => 0.2,
        (b'c', b'j') => 0.25,
        (b'c', b'k') => 0.35,
        // `K`: a Latin c before a/o/u (k; j in Turkish)
        (b'K', b'k') => 0.05,
        (b'K', b'q') => 0.2,
        (b'K', b'g') => 0.3,
        (b'K', b'j') => 0.3,
        (b'K', b'c') => 0.2,
        (b'C', b'K') => 0.4,
        (b'K', b'x') => 0.45,
        (b'g', b'j') => 0.35,
        (b'j', b'z') => 0.5,
        (b'g', b'q') => 0.35,
        (b'k', b'q') => 0.2,
        (b'g', b'k') => 0.25,
        (b'h', b'x') => 0.3,
        (b'k', b'x') => 0.4,
        (b'b', b'p') => 0.2,
        // one sound in Spanish (`Favian` / `Fabian`, `Cordova` / `Cordoba`) and in Greek
        // romanisations (`Vasilios` / `Basilios`)
        (b'b', b'v') => 0.3,
        (b'f', b'v') => 0.3,
        (b'u', b'v') => 0.3,
        (b'n', b'm') | (b'm', b'n') => 0.6,
        _ => 1.0,
    }
}

/// Cost of a class that has no counterpart on the other side.
#[inline]
pub(crate) fn gap_cost(c: u8, own: Writing, other: Writing) -> f32 {
    match c {
        b'V' => 0.05,
        _ if is_vowel(c) => match (own, other) {
            // a Latin vowel that Arabic script did not write
            (Writing::Full, Writing::Abjad) => 0.05,
            _ => 0.3,
        },
        b'h' => 0.4,
        b'v' => 0.4,
        _ => 1.0,
    }
}

/// Total gap cost of a form: the most a comparison against it can cost.
pub(crate) fn mass(form: &[u8], own: Writing, other: Writing) -> f32 {
    form.iter()
        .take(MAX)
        .map(|&c| gap_cost(c, own, other))
        .sum()
}

/// Cost of swapping two adjacent classes (`Salman` typed `Samlan`, `Abd` typed `Adb`): one
/// typo, where two substitutions would cost up to 2.
pub(crate) const SWAP_COST: f32 = 0.5;

/// Weighted edit distance (substitutions, gaps, adjacent swaps) between two forms.
pub(crate) fn distance(a: &[u8], wa: Writing, b: &[u8], wb: Writing) -> f32 {
    distance_bounded(a, wa, b, wb, f32::INFINITY).unwrap_or(f32::INFINITY)
}

/// [`distance`], giving up (`None`) as soon as every path costs more than `max`.
///
/// Restricted Damerau (optimal string alignment): two adjacent classes written in the other
/// order cost [`SWAP_COST`]. Only swaps of two different consonants count as one typo; a
/// vowel moving past a consonant is already cheap as a gap and a substitution.
pub(crate) fn distance_bounded(
    a: &[u8],
    wa: Writing,
    b: &[u8],
    wb: Writing,
    max: f32,
) -> Option<f32> {
    let a = &a[..a.len().min(MAX)];
    let b = &b[..b.len().min(MAX)];
    // most pairs that reach the DP fail it: refuse first those that a cheap lower bound
    // already puts above `max` (see [`lower_bound`]); the margin absorbs f32 rounding, so
    // only pairs the DP would refuse anyway are refused here
    if max.is_finite() {
        let limit = max + BOUND_MARGIN;
        if lower_bound(a, wa, class_set(b), wb) > limit
            || lower_bound(b, wb, class_set(a), wa) > limit
        {
            return None;
        }
    }
    dp(a, wa, b, wb, max)
}

/// The DP of [`distance_bounded`] (kept out of line: most calls stop at the lower bound and
/// need none of its stack set-up).
#[inline(never)]
fn dp(a: &[u8], wa: Writing, b: &[u8], wb: Writing, max: f32) -> Option<f32> {
    let n = b.len();
    // Three DP rows rotated by swapping references (swapping the arrays themselves copied
    // all three rows on every step and cost more than the cells); a row only uses n + 1 cells.
    let mut rows = [[0f32; MAX + 1]; 3];
    let [r0, r1, r2] = &mut rows;
    let (mut prev2, mut prev, mut cur) = (&mut r0[..=n], &mut r1[..=n], &mut r2[..=n]);
    let mut gap_b = [0f32; MAX];
    let gap_b = &mut gap_b[..n];
    for (j, &cb) in b.iter().enumerate() {
        gap_b[j] = gap_cost(cb, wb, wa);
        prev[j + 1] = prev[j] + gap_b[j];
    }
    let mut last_a = 0u8;
    // smallest value of the previous row (a swap can reach back to it)
    let mut prev_min = f32::INFINITY;
    for &ca in a {
        let del = gap_cost(ca, wa, wb);
        let row = &SUB[(ca & 0x7f) as usize];
        cur[0] = prev[0] + del;
        let mut row_min = cur[0];
        // a swap is only possible when this and the previous class are distinct consonants
        let can_swap = last_a != 0 && last_a != ca && !is_vowel(ca) && !is_vowel(last_a);
        // cell j + 1 from cells j and j + 1 of the previous row and cell j of this one; the
        // zipped slices (all of length n) let the compiler drop the bounds checks
        let mut left = cur[0];
        for (j, ((&cb, &g), (p, out))) in b
            .iter()
            .zip(gap_b.iter())
            .zip(prev.windows(2).zip(cur[1..].iter_mut()))
            .enumerate()
        {
            let s = p[0] + row[(cb & 0x7f) as usize];
            let d = p[1] + del;
            let ins = left + g;
            let mut v = fmin(fmin(s, d), ins);
            if can_swap && j >= 1 && cb == last_a && b[j - 1] == ca {
                v = fmin(v, prev2[j - 1] + SWAP_COST);
            }
            *out = v;
            left = v;
            row_min = fmin(row_min, v);
        }
        // every later cell costs at least this row's minimum, or the previous row's plus a swap
        if fmin(row_min, prev_min + SWAP_COST) > max {
            return None;
        }
        prev_min = row_min;
        // rotate rows: prev2 <- prev, prev <- cur, cur <- the oldest row (overwritten next)
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
        last_a = ca;
    }
    let d = prev[n];
    (d <= max).then_some(d)
}

/// The smaller of two costs. `f32::min` also handles NaN, which costs a few instructions per
/// call in the DP's innermost loop; costs are never NaN (finite non-negative sums, or
/// infinity), so a plain comparison gives the same value.
#[inline(always)]
fn fmin(x: f32, y: f32) -> f32 {
    if y < x { y } else { x }
}

/// Slack added to `max` before [`lower_bound`] may refuse a pair: far above the rounding
/// error of summing a few dozen f32 costs, far below the smallest cost (0.05).
const BOUND_MARGIN: f32 = 1e-2;

/// The set of classes in a form, one bit per class (`class & 63`: every letter class gets
/// its own bit; a digit shares one with a letter, which only weakens [`lower_bound`]).
#[inline]
fn class_set(form: &[u8]) -> u64 {
    form.iter().fold(0, |m, &c| m | 1u64 << (c & 63))
}

/// A lower bound of the distance from `a` to a form whose [`class_set`] is `present`: every
/// class of `a` is substituted (by a class of the other form), deleted, or swapped (with two
/// classes both present there), so it costs at least the cheaper of its gap and its cheapest
/// substitution by a class present (0 when it may be present itself). Each DP operation pays
/// for the classes of `a` it consumes, so the sum bounds every alignment. A few instructions
/// per class instead of a DP cell per class pair.
#[inline]
fn lower_bound(a: &[u8], wa: Writing, present: u64, wb: Writing) -> f32 {
    let mut lb = 0f32;
    for &x in a {
        if present >> (x & 63) & 1 != 0 {
            continue;
        }
        // the cheaper of the gap and the cheapest substitute `b` may contain
        let mut m = gap_cost(x, wa, wb);
        for &(y, cost) in &NEAR[(x & 0x7f) as usize] {
            if cost >= m {
                break;
            }
            if present >> (y & 63) & 1 != 0 {
                m = cost;
                break;
            }
        }
        lb += m;
    }
    lb
}

/// Similarity if it reaches `min`, else `None` (stops the DP early: the hot path). `norm`
/// is the larger form mass ([`mass`]), which callers cache per token.
pub(crate) fn similarity_at_least_norm(
    a: &[u8],
    wa: Writing,
    b: &[u8],
    wb: Writing,
    min: f32,
    norm: f32,
) -> Option<f32> {
    if norm <= 0.0 {
        return (a == b).then_some(1.0);
    }
    let d = distance_bounded(a, wa, b, wb, (1.0 - min) * norm + 1e-4)?;
    let s = (1.0 - d / norm).clamp(0.0, 1.0);
    (s >= min).then_some(s)
}

/// Similarity in [0, 1]: 1 − distance / the larger form mass.
pub(crate) fn similarity(a: &[u8], wa: Writing, b: &[u8], wb: Writing) -> f32 {
    let norm = mass(a, wa, wb).max(mass(b, wb, wa));
    if norm <= 0.0 {
        return if a == b { 1.0 } else { 0.0 };
    }
    (1.0 - distance(a, wa, b, wb) / norm).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phonetic::{encode_arabic, encode_latin};

    fn lat(x: &str, y: &str) -> f32 {
        similarity(
            &encode_latin(x),
            Writing::Full,
            &encode_latin(y),
            Writing::Full,
        )
    }

    #[test]
    fn spelling_variants_score_high() {
        assert!(lat("mohammed", "muhammad") > 0.85);
        assert!(lat("yusuf", "youssef") > 0.85);
        assert!(lat("hussein", "husayn") > 0.8);
    }

    #[test]
    fn b_and_v_are_close() {
        assert!(
            lat("favian", "fabian") >= 0.82,
            "{}",
            lat("favian", "fabian")
        );
        assert!(lat("bakr", "vakr") > lat("bakr", "takr"));
    }

    #[test]
    fn different_names_score_low() {
        assert!(lat("amir", "omar") < 0.8, "{}", lat("amir", "omar"));
        assert!(lat("khalid", "bakr") < 0.3);
    }

    #[test]
    fn arabic_against_latin_ignores_unwritten_short_vowels() {
        let s = similarity(
            &encode_arabic("محمد", false),
            Writing::Abjad,
            &encode_latin("muhammad"),
            Writing::Full,
        );
        assert!(s > 0.95, "{s}");
    }

    #[test]
    fn turkish_c_is_close_to_j_and_k() {
        assert!(lat("cawhar", "jawhar") > 0.9);
        assert!(lat("carlos", "karlos") > 0.97);
        assert!(lat("saca", "saja") > 0.85);
    }

    #[test]
    fn two_swapped_consonants_cost_one_typo() {
        // Samlan / Salman: one swap, not two substitutions
        let d = distance(
            &encode_latin("samlan"),
            Writing::Full,
            &encode_latin("salman"),
            Writing::Full,
        );
        assert!((d - SWAP_COST).abs() < 1e-5, "{d}");
        assert!(lat("samlan", "salman") > 0.85);
        // a swap needs the two classes in reverse order on the other side
        assert!(lat("samlan", "sarman") < 0.8);
    }

    #[test]
    fn the_lower_bound_never_exceeds_the_distance() {
        let words = [
            "mohammed", "muhammad", "mhmd", "abubakr", "baghdadi", "bagdadi", "youssef", "yusuf",
            "salman", "samlan", "khalid", "halit", "qasim", "kasim", "ali", "omar", "amir",
            "zawahiri", "zawahri", "jawhar", "cawhar", "vladimir", "wladimir", "x",
        ];
        let mut forms: Vec<(crate::phonetic::Form, Writing)> = words
            .iter()
            .map(|w| (encode_latin(w), Writing::Full))
            .collect();
        for w in ["محمد", "ابوبكر", "بغدادي", "عمر", "خالد", "يوسف"] {
            forms.push((encode_arabic(w, false), Writing::Abjad));
        }
        for (a, wa) in &forms {
            for (b, wb) in &forms {
                let d = distance(a, *wa, b, *wb);
                let lb = lower_bound(a, *wa, class_set(b), *wb);
                assert!(lb <= d + 1e-4, "{a:?} {b:?}: {lb} > {d}");
                // and the bounded distance agrees with the unbounded one at every bound
                for max in [0.0, 0.3, 0.5, 1.0, 1.5, 2.0, 3.0] {
                    let got = distance_bounded(a, *wa, b, *wb, max);
                    assert_eq!(got, (d <= max).then_some(d), "{a:?} {b:?} {max}");
                }
            }
        }
    }

    #[test]
    fn distance_is_symmetric() {
        let a = encode_latin("abubakr");
        let b = encode_arabic("ابوبكر", false);
        let d1 = distance(&a, Writing::Full, &b, Writing::Abjad);
        let d2 = distance(&b, Writing::Abjad, &a, Writing::Full);
        assert!((d1 - d2).abs() < 1e-5);
    }
}
