//! Arabic-script normalisation (Arabic, Persian, Urdu, Pashto letters).
//!
//! What: the Lucene `ArabicNormalizer` folds plus Persian/Urdu letters: alef forms
//! `أ إ آ ٱ ٲ ٳ` → `ا`; hamza carriers `ؤ ئ` kept (they are letters); ta marbuta `ة` → `ه`;
//! alef maqsura `ى` → `ي` (remembered when final, since it is read `a`: موسى Musa);
//! Persian/Urdu yeh `ی ے ې` → `ي`, kaf `ک` → `ك`, heh forms `ۀ ہ ھ ۃ` → `ه`, noon ghunna
//! `ں` → `ن`. Tatweel and harakat are already removed by [`super::unicode`].
//! Why: the same name is typed with any of these forms, and lists are inconsistent.
//! Example: `normalise("إبراهيم")` = `("ابراهيم", false)`, `normalise("موسى")` = `("موسي", true)`.

/// Normalises one Arabic-script token. Returns the text and whether it ended in alef maqsura.
pub(crate) fn normalise(s: &str) -> (String, bool) {
    let mut out = String::with_capacity(s.len());
    let mut last_was_maqsura = false;
    for c in s.chars() {
        last_was_maqsura = false;
        let m = match c {
            'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => 'ا',
            'ة' | 'ۀ' | 'ہ' | 'ھ' | 'ۃ' => 'ه',
            'ى' => {
                last_was_maqsura = true;
                'ي'
            }
            'ی' | 'ے' | 'ې' | 'ۍ' | 'ێ' => 'ي',
            'ک' | 'ڪ' => 'ك',
            'ں' => 'ن',
            c if super::unicode::is_invisible(c) => continue,
            c if c.is_alphanumeric() => c,
            _ => continue,
        };
        out.push(m);
    }
    (out, last_was_maqsura)
}

/// Strips the definite article `ال` from a token when what remains is still a word
/// (at least two letters): `البغدادي` → `بغدادي`. Returns `None` when there is no article.
pub(crate) fn strip_article(s: &str) -> Option<&str> {
    let rest = s.strip_prefix("ال")?;
    if rest.chars().count() >= 2 {
        Some(rest)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alef_forms_fold_to_bare_alef() {
        assert_eq!(normalise("إبراهيم").0, "ابراهيم");
        assert_eq!(normalise("آدم").0, "ادم");
        assert_eq!(normalise("أسامة").0, "اسامه");
    }

    #[test]
    fn alef_maqsura_folds_and_is_remembered_when_final() {
        assert_eq!(normalise("موسى"), ("موسي".to_string(), true));
        assert_eq!(normalise("موسي"), ("موسي".to_string(), false));
    }

    #[test]
    fn persian_yeh_and_kaf_fold_to_arabic() {
        assert_eq!(normalise("کریم").0, "كريم");
    }

    #[test]
    fn article_is_stripped_only_from_real_words() {
        assert_eq!(strip_article("البغدادي"), Some("بغدادي"));
        assert_eq!(strip_article("ال"), None);
        assert_eq!(strip_article("علي"), None);
    }
}
