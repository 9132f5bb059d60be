//! Class-aware weighted edit distance between two phonetic forms.
//!
//! Hand-written (not strsim) because the costs depend on the sound classes: substituting
//! `q`↔`k` or `e`↔`i` is a spelling habit, not a typo, and an unwritten short vowel costs
//! almost nothing when one side is in Arabic script (which does not write short vowels).
//! Forms are at most a few dozen bytes; the DP runs on two stack rows, no allocation.

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
        for (j, &cb) in b.iter().enumerate() {
            let s = prev[j] + row[(cb & 0x7f) as usize];
            let d = prev[j + 1] + del;
            let ins = cur[j] + gap_b[j];
            let mut v = s.min(d).min(ins);
            if can_swap && j >= 1 && cb == last_a && b[j - 1] == ca {
                v = v.min(prev2[j - 1] + SWAP_COST);
            }
            cur[j + 1] = v;
            row_min = row_min.min(v);
        }
        // every later cell costs at least this row's minimum, or the previous row's plus a swap
        if row_min.min(prev_min + SWAP_COST) > max {
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
    fn distance_is_symmetric() {
        let a = encode_latin("abubakr");
        let b = encode_arabic("ابوبكر", false);
        let d1 = distance(&a, Writing::Full, &b, Writing::Abjad);
        let d2 = distance(&b, Writing::Abjad, &a, Writing::Full);
        assert!((d1 - d2).abs() < 1e-5);
    }
}
