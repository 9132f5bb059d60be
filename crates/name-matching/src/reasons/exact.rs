//! Exact match.
//!
//! What it finds: two tokens with the same comparable text after normalisation (case,
//! diacritics, Turkish i, Arabic letter forms, harakat). A Cyrillic or Greek token whose
//! transliteration equals a Latin token is reported as a transliteration, since that is what
//! the analyst must check.
//! Why it matters: the strongest token evidence; it scores 1.0.
//! Example: `BAGHDADI` = `Baghdadi`, `İbrahim` = `Ibrahim`, `أسامة` = `اسامه`.
//! Parameters: none.

use super::MatchHow;
use crate::token::Token;

/// Exact match of comparable texts.
pub(crate) fn check(q: &Token, c: &Token) -> Option<(f32, MatchHow)> {
    if q.text != c.text {
        return None;
    }
    if q.script == c.script {
        Some((1.0, MatchHow::Exact))
    } else {
        Some((1.0, MatchHow::Transliteration))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NameType::Person;
    use crate::reasons::tok;

    #[test]
    fn same_text_is_exact_and_cross_script_is_transliteration() {
        assert_eq!(
            check(&tok("İbrahim", Person), &tok("IBRAHIM", Person)),
            Some((1.0, MatchHow::Exact))
        );
        assert_eq!(
            check(&tok("Иван", Person), &tok("Ivan", Person)),
            Some((1.0, MatchHow::Transliteration))
        );
        assert_eq!(check(&tok("Ivan", Person), &tok("Iwan", Person)), None);
    }
}
