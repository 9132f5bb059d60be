//! Cyrillic → Latin transliteration (Russian, Ukrainian, Belarusian, Bulgarian, Serbian,
//! Kazakh/Tajik letters used in Central Asian names).
//!
//! What: a letter table close to BGN/PCGN and ICAO passport romanisation (`х`→`kh`,
//! `ж`→`zh`, `ц`→`ts`, `ч`→`ch`, `ш`→`sh`, `щ`→`shch`, `ю`→`yu`, `я`→`ya`, soft/hard
//! signs dropped), output folded like [`super::latin::fold`].
//! Why: UN and EU lists give Cyrillic original-script names next to Latin ones; analysts type
//! either. Hand-written (a 70-entry table) rather than ICU4X transliterators, which are
//! `!Send`, heavy, and would need a thread-local cache in a pure crate.
//! Example: `transliterate("Абдулла")` = `"abdulla"`.

/// Transliterates one Cyrillic token to folded Latin.
pub(crate) fn transliterate(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let t: &str = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'ґ' => "g",
            'ғ' => "gh",
            'д' => "d",
            'ђ' => "dj",
            'е' => "e",
            'ё' => "yo",
            'є' => "ye",
            'ж' => "zh",
            'з' => "z",
            'ѕ' => "dz",
            'и' => "i",
            'і' => "i",
            'ї' => "yi",
            'й' => "y",
            'ј' => "j",
            'к' => "k",
            'қ' => "q",
            'л' => "l",
            'љ' => "lj",
            'м' => "m",
            'н' => "n",
            'ң' => "ng",
            'њ' => "nj",
            'о' => "o",
            'ө' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'ћ' => "c",
            'у' => "u",
            'ў' => "u",
            'ү' | 'ұ' => "u",
            'ф' => "f",
            'х' | 'ҳ' => "kh",
            'һ' => "h",
            'ц' => "ts",
            'ч' | 'ҷ' => "ch",
            'џ' => "dzh",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ы' => "y",
            'э' => "e",
            'ә' => "a",
            'ю' => "yu",
            'я' => "ya",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "",
        };
        out.push_str(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_names_transliterate() {
        assert_eq!(transliterate("Абдулла"), "abdulla");
        assert_eq!(transliterate("Хасан"), "khasan");
        assert_eq!(transliterate("Щукин"), "shchukin");
        assert_eq!(transliterate("Юсуф"), "yusuf");
    }

    #[test]
    fn signs_are_dropped() {
        assert_eq!(transliterate("Ильич"), "ilich");
        assert_eq!(transliterate("Подъём"), "podyom");
    }
}
