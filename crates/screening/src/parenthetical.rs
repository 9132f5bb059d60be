//! List names that carry a parenthetical: `AL-QAIDA IN THE ARABIAN PENINSULA (AQAP)`,
//! `Encep Nurjaman (birth name)`, `Al-Haramain Foundation (Pakistan)`, `EL PARA (COMBAT NAME)`.
//!
//! What it finds: the name without its parenthetical, and an acronym given in parentheses,
//! each indexed as a further form of the same list name.
//!
//! Why it matters: lists put acronyms, notes and branch names in parentheses inside the name
//! itself (over 600 names in the embedded lists). Compared whole, the words in parentheses
//! count as list tokens the query left unmatched, and the exact query "Al-Qaida in the
//! Arabian Peninsula" scored 0.69 against the UN's own name for it. The list parsers keep such
//! a name whole (they split parentheses off only when they hold another script or several
//! `;`-separated names), because the published name is what an analyst checks against.
//!
//! Example: `AL-QAIDA IN THE ARABIAN PENINSULA (AQAP)` is also indexed as
//! `AL-QAIDA IN THE ARABIAN PENINSULA` and as `AQAP`; a hit on either shows the published name
//! and a note saying which part was compared.
//!
//! Parameters: an acronym is one word of 2 to [`MAX_ACRONYM`] upper-case letters or digits
//! (at least two letters) whose letters appear in order in the rest of the name, starting
//! with its first letter (`BAL` for `BUTEMBO AIRLINES`); anything else in parentheses is only
//! dropped, never indexed on its own.

/// Longest acronym indexed on its own.
pub const MAX_ACRONYM: usize = 8;

/// Which part of a published list name an indexed name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// The name as published.
    Whole,
    /// The name with its parenthetical(s) removed.
    Outer,
    /// The acronym given in parentheses.
    Acronym,
}

impl Part {
    /// The note a hit on this part carries, naming what was left out or used (`name` is the
    /// published name).
    pub(crate) fn note(self, name: &str) -> Option<String> {
        let (_, inner) = split(name)?;
        match self {
            Part::Whole => None,
            Part::Outer => Some(format!(
                "compared without \"({inner})\", the parenthetical of the list name"
            )),
            Part::Acronym => Some(format!(
                "compared with \"{inner}\", the acronym in parentheses in the list name"
            )),
        }
    }
}

/// The outer text (parentheticals removed, spaces folded) and the text inside the
/// parentheses (several groups joined by `; `), or None when the name has no parenthetical,
/// unbalanced or nested parentheses, or nothing but the parenthetical.
fn split(name: &str) -> Option<(String, String)> {
    if !name.contains('(') {
        return None;
    }
    let mut outer = String::with_capacity(name.len());
    let mut inner = String::new();
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' => {
                if depth > 0 {
                    return None;
                }
                depth = 1;
                if !inner.is_empty() {
                    inner.push_str("; ");
                }
                outer.push(' ');
            }
            ')' => {
                if depth == 0 {
                    return None;
                }
                depth = 0;
            }
            c if depth > 0 => inner.push(c),
            c => outer.push(c),
        }
    }
    if depth > 0 {
        return None;
    }
    let outer = outer.split_whitespace().collect::<Vec<_>>().join(" ");
    let inner = inner.trim().to_string();
    if !outer.chars().any(char::is_alphanumeric) || inner.is_empty() {
        return None;
    }
    Some((outer, inner))
}

/// True when `inner` is an acronym of `outer` (see the module docs).
fn is_acronym(inner: &str, outer: &str) -> bool {
    let n = inner.chars().count();
    let letters = inner.chars().filter(|c| c.is_alphabetic()).count();
    if !(2..=MAX_ACRONYM).contains(&n)
        || letters < 2
        || !inner
            .chars()
            .all(|c| c.is_ascii_digit() || (c.is_alphabetic() && c.is_uppercase()))
    {
        return false;
    }
    let mut rest = outer
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase);
    let mut wanted = inner.chars().flat_map(char::to_lowercase);
    let (Some(first), Some(w0)) = (rest.next(), wanted.next()) else {
        return false;
    };
    if first != w0 {
        return false;
    }
    wanted.all(|w| rest.any(|c| c == w))
}

/// The further names to index for a published list name: the name without its parenthetical
/// and, when the parenthetical is an acronym of the rest, the acronym.
pub(crate) fn derived(name: &str) -> Vec<(Part, String)> {
    let Some((outer, inner)) = split(name) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(2);
    if is_acronym(&inner, &outer) {
        out.push((Part::Acronym, inner));
    }
    out.push((Part::Outer, outer));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronym_and_outer_name_are_derived() {
        assert_eq!(
            derived("AL-QAIDA IN THE ARABIAN PENINSULA (AQAP)"),
            vec![
                (Part::Acronym, "AQAP".to_string()),
                (Part::Outer, "AL-QAIDA IN THE ARABIAN PENINSULA".to_string()),
            ]
        );
        assert_eq!(
            derived("BUTEMBO AIRLINES (BAL)"),
            vec![
                (Part::Acronym, "BAL".to_string()),
                (Part::Outer, "BUTEMBO AIRLINES".to_string()),
            ]
        );
    }

    #[test]
    fn notes_and_places_are_dropped_but_not_indexed_alone() {
        assert_eq!(
            derived("Encep Nurjaman (birth name)"),
            vec![(Part::Outer, "Encep Nurjaman".to_string())]
        );
        assert_eq!(
            derived("EL PARA (COMBAT NAME)"),
            vec![(Part::Outer, "EL PARA".to_string())]
        );
        assert_eq!(
            derived("Al-Haramain Foundation (Pakistan)"),
            vec![(Part::Outer, "Al-Haramain Foundation".to_string())]
        );
        // upper case but not the initials of the name
        assert_eq!(
            derived("Hilarion Santos, III (NPA)"),
            vec![(Part::Outer, "Hilarion Santos, III".to_string())]
        );
    }

    #[test]
    fn a_parenthetical_in_the_middle_is_removed_too() {
        assert_eq!(
            derived(
                "Batalhão de Reconhecimento e Sabotagem dos Shahids (Mártires) Riyadu-Salikhin"
            ),
            vec![(
                Part::Outer,
                "Batalhão de Reconhecimento e Sabotagem dos Shahids Riyadu-Salikhin".to_string()
            )]
        );
    }

    #[test]
    fn names_without_a_usable_parenthetical_derive_nothing() {
        for name in [
            "Abu Bakr al-Baghdadi",
            "(AQAP)",
            "Broken (name",
            "Broken) name (x",
            "Nested (a (b) c)",
            "Empty ()",
        ] {
            assert!(derived(name).is_empty(), "{name}");
        }
    }

    #[test]
    fn notes_name_the_part_compared() {
        let n = "AL-QAIDA IN THE ARABIAN PENINSULA (AQAP)";
        assert_eq!(Part::Whole.note(n), None);
        assert_eq!(
            Part::Outer.note(n).as_deref(),
            Some("compared without \"(AQAP)\", the parenthetical of the list name")
        );
        assert_eq!(
            Part::Acronym.note(n).as_deref(),
            Some("compared with \"AQAP\", the acronym in parentheses in the list name")
        );
    }
}
