//! Letter typo match (one keystroke).
//!
//! What it finds: two Latin-written tokens whose letters differ by exactly one keystroke
//! inside the word: two adjacent letters typed in the wrong order (`PZOHIDAEV` /
//! `POZHIDAEV`, `KHOSRHEVA` / `KHORSHEVA`), one letter left out (`TATIEV` / `TATRIEV`) or
//! one letter typed twice (`ABDOULAAY` / `ABDOULAY`).
//! Why it matters: the sound-class comparison of [`super::fuzzy`] reads digraphs first, so a
//! typo that breaks or creates a digraph (`zh` → `zo…h`, `rsh` → `srh`) changes two or three
//! sound classes at once and the pair falls below every threshold, although a data-entry
//! clerk made one slip. Short names lose a consonant class to such a slip and become other
//! names (`Salma` / `Salman`), so the rule only holds for long words and never at the first
//! or last letter, where a changed letter usually makes another name.
//! Example: `Igor Vladimirovich PZOHIDAEV` / `Igor Vladimirovich POZHIDAEV`: `PZOHIDAEV` =
//! `POZHIDAEV` (0.90, fuzzy).
//! Parameters: the longer word has at least [`MIN_LEN`] letters; the first and the last
//! letter are untouched; the pair scores [`SCORE`]. Compared on the comparable text (folded
//! Latin, hyphens of fused compounds ignored), so the pair memo stays valid.

use super::MatchHow;
use crate::token::{Token, TokenKind};

/// Fewest letters of the longer word.
pub const MIN_LEN: usize = 6;
/// Score of a one-keystroke typo.
pub const SCORE: f32 = 0.9;

/// The letters of a folded Latin text, without the seam hyphens of fused compounds.
fn letters(t: &Token) -> smallvec::SmallVec<[u8; 32]> {
    t.text.bytes().filter(|&b| b != b'-').collect()
}

/// One-keystroke typo (see the module docs); `None` when the words differ otherwise.
pub(crate) fn check(q: &Token, c: &Token) -> Option<(f32, MatchHow)> {
    let (a, b) = (q.text.as_bytes(), c.text.as_bytes());
    // the hot path: most pairs differ in length, first or last letter, which the slip never
    // touches
    if a.len().abs_diff(b.len()) > 2
        || a.len().max(b.len()) < MIN_LEN
        || a.first() != b.first()
        || a.last() != b.last()
        || q.kind != TokenKind::Name
        || c.kind != TokenKind::Name
        || !latin(q)
        || !latin(c)
    {
        return None;
    }
    let hit = if a.contains(&b'-') || b.contains(&b'-') {
        one_keystroke(&letters(q), &letters(c))
    } else {
        one_keystroke(a, b)
    };
    hit.then_some((SCORE, MatchHow::Fuzzy))
}

fn latin(t: &Token) -> bool {
    use crate::normalize::Script;
    matches!(t.script, Script::Latin | Script::Cyrillic | Script::Greek)
}

/// True when `a` and `b` differ by one inner transposition, deletion or doubling (never at
/// the first or last letter), and the longer has at least [`MIN_LEN`] letters.
fn one_keystroke(a: &[u8], b: &[u8]) -> bool {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    let n = long.len();
    if n < MIN_LEN || long == short {
        return false;
    }
    let k = long
        .iter()
        .zip(short)
        .position(|(x, y)| x != y)
        .unwrap_or(short.len());
    if k == 0 {
        return false;
    }
    match n - short.len() {
        // two adjacent letters swapped: `poz` / `pzo`
        0 => {
            k + 2 < n
                && long[k] != long[k + 1]
                && long[k] == short[k + 1]
                && long[k + 1] == short[k]
                && long[k + 2..] == short[k + 2..]
        }
        // one letter dropped or typed twice; not the last one
        1 => k + 1 < n && long[k + 1..] == short[k..],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NameType::Person;
    use crate::reasons::{compare_tokens, tok};

    #[test]
    fn a_swapped_dropped_or_doubled_letter_in_a_long_word_is_a_typo() {
        for (a, b) in [
            ("PZOHIDAEV", "POZHIDAEV"),
            ("KHOSRHEVA", "KHORSHEVA"),
            ("TATIEV", "TATRIEV"),
            ("Abdullali", "Abdulali"),
        ] {
            let r = compare_tokens(&tok(a, Person), &tok(b, Person));
            assert!(
                matches!(r, Some((s, MatchHow::Fuzzy)) if s >= SCORE),
                "{a} {b}: {r:?}"
            );
        }
    }

    #[test]
    fn the_keystroke_must_be_inside_a_long_word() {
        // first or last letter
        assert!(!one_keystroke(b"salman", b"alman"));
        assert!(!one_keystroke(b"salman", b"salma"));
        assert!(!one_keystroke(b"asmlan", b"samlan"));
        // too short
        assert!(!one_keystroke(b"bakri", b"barki"));
        // two keystrokes, or a substitution
        assert!(!one_keystroke(b"khalid", b"khalil"));
        assert!(!one_keystroke(b"pozhidaev", b"pzohidaav"));
        assert!(!one_keystroke(b"tatriev", b"tatiew"));
        // identical words are not typos (the exact reason handles them)
        assert!(!one_keystroke(b"tatriev", b"tatriev"));
        assert!(one_keystroke(b"pozhidaev", b"pozhdiaev"));
    }

    #[test]
    fn arabic_script_and_initials_are_not_letter_typos() {
        assert_eq!(check(&tok("بغدادي", Person), &tok("بغداددي", Person)), None);
        assert_eq!(check(&tok("K", Person), &tok("Karim", Person)), None);
    }
}
