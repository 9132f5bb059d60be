//! Legal-form match.
//!
//! What it finds: two organisation legal forms or descriptors of the same class: `Ltd` =
//! `Limited` = `المحدودة`, `Co` = `Company` = `شركة`, `Est.` = `Establishment` = `مؤسسة`.
//! Why it matters: it confirms the kind of organisation without saying which one: legal forms
//! carry little weight, so "X Ltd" vs "Y Ltd" stays far from a match.
//! Example: `AL NUR TRADING CO` vs `Al-Nur Trading Company`: `CO` ↔ `Company` (legal form).
//! Parameters: a legal form never matches a name token; two company forms of different
//! types (`Co` vs `LLC`) match with [`DIFFERENT_TYPE`].

use super::MatchHow;
use crate::token::{Token, TokenKind};

/// Same legal-form class.
pub(crate) fn check(q: &Token, c: &Token) -> Option<(f32, MatchHow)> {
    if q.kind != TokenKind::LegalForm || c.kind != TokenKind::LegalForm {
        return None;
    }
    let (a, b) = (q.canonical?, c.canonical?);
    if a == b
        || RELATED
            .iter()
            .any(|&(x, y)| (x, y) == (a, b) || (y, x) == (a, b))
    {
        Some((1.0, MatchHow::LegalForm))
    } else if COMPANY.contains(&a) && COMPANY.contains(&b) {
        // both say "a company", of different legal types (Co vs LLC): lists and translations
        // are inconsistent about the exact form
        Some((DIFFERENT_TYPE, MatchHow::LegalForm))
    } else {
        None
    }
}

/// Score of two company legal forms of different types (`Co` vs `LLC`).
pub const DIFFERENT_TYPE: f32 = 0.8;

/// Classes that all mean "a company".
const COMPANY: &[&str] = &[
    "ltd", "co", "corp", "inc", "llc", "llp", "plc", "gmbh", "sa", "fze", "pvt", "tic",
];

/// Classes that translate one another across languages (مؤسسة is "establishment",
/// "foundation" and, in Persian, "institute"; "company" and "corporation" are used
/// interchangeably in translations).
const RELATED: &[(&str, &str)] = &[
    ("est", "foundation"),
    // Persian `موسسه` names institutes (`مؤسسه فاطر` = `Faater Institute`)
    ("est", "institute"),
    ("co", "corp"),
    ("charity", "foundation"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NameType::Organization;
    use crate::prepare;

    fn form(s: &str) -> Token {
        prepare(s, Organization)
            .tokens()
            .last()
            .cloned()
            .expect("a token")
    }

    #[test]
    fn same_class_matches_across_spellings_and_scripts() {
        assert_eq!(
            check(&form("Nur Ltd"), &form("Nur Limited")),
            Some((1.0, MatchHow::LegalForm))
        );
        assert_eq!(
            check(&form("Nur Co"), &form("النور شركة")),
            Some((1.0, MatchHow::LegalForm))
        );
    }

    #[test]
    fn different_company_types_match_weaker_and_other_classes_not_at_all() {
        assert_eq!(
            check(&form("Nur Co"), &form("Nur LLC")),
            Some((DIFFERENT_TYPE, MatchHow::LegalForm))
        );
        assert_eq!(check(&form("Nur Bank"), &form("Nur LLC")), None);
    }
}
