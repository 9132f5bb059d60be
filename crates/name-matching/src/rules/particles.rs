//! Patronymic particles.
//!
//! What it finds: `bin`, `ben`, `ibn`, `bint`, `binti`, `bn`, `ould`, `ibnu`, `b` and Arabic
//! `بن`, `ابن`, `بنت` between two name parts of a person.
//! Why it matters: "Usama bin Laden", "Usama Ben Laden" and "Usama Laden" are one name;
//! the particle carries no identity and must not count as an unmatched token.
//! Example: `Hamza bin Laden` → `hamza`, `laden`.
//! Parameters: a particle is only removed when it is neither the first nor the last token
//! (`Ben` is also a given name; "Bin Laden" as a whole name stays).

use super::{Removed, RemovedKind, Work};

const LATIN: &[&str] = &[
    "bin", "ben", "ibn", "bint", "binti", "bn", "ould", "ibnu", "w", "walad",
];
const ARABIC: &[&str] = &["بن", "ابن", "بنت", "ولد"];

/// Removes particles between name parts.
pub(crate) fn apply(w: &mut Vec<Work>, removed: &mut Vec<Removed>) {
    let mut i = 1;
    while i + 1 < w.len() {
        let t = &w[i];
        let hit = t.is_name()
            && if t.latin() {
                LATIN.contains(&t.text.as_str())
            } else {
                ARABIC.contains(&t.text.as_str())
            };
        if hit {
            let t = w.remove(i);
            removed.push(Removed {
                text: t.original,
                kind: RemovedKind::Particle,
            });
            continue;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::tokenize;

    fn run(s: &str) -> Vec<String> {
        let mut w: Vec<Work> = tokenize(s).0.into_iter().map(Work::from_raw).collect();
        let mut r = Vec::new();
        apply(&mut w, &mut r);
        w.into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn removes_bin_and_ibn_between_names() {
        assert_eq!(
            run("Usama bin Muhammad bin Laden"),
            vec!["usama", "muhammad", "laden"]
        );
        assert_eq!(run("أسامة بن لادن"), vec!["اسامه", "لادن"]);
    }

    #[test]
    fn keeps_ben_as_a_first_name() {
        assert_eq!(run("Ben Smith"), vec!["ben", "smith"]);
    }
}
