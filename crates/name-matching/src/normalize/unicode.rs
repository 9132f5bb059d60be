//! Unicode clean-up before tokenising.
//!
//! What: NFKC (full-width letters, ligatures and Arabic presentation forms become plain
//! letters), removal of invisible marks (bidi controls, zero-width joiners, BOM, soft hyphen),
//! Arabic tatweel and harakat (short-vowel signs, shadda, sukun), deletion of apostrophe-like
//! letters inside words (' ’ ‘ ʼ ʻ ʿ ʾ ` ´), and Arabic-Indic digits → ASCII.
//! Why: list files and analysts write the same name with and without these marks; none of
//! them changes who the name refers to.
//! Example: `"\u{200F}أُسَامَة"` → `"أسامة"`, `"Sa‘id"` → `"Said"`.

use unicode_normalization::UnicodeNormalization;

use super::MAX_INPUT_CHARS;

/// True for characters removed outright (they never separate tokens).
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c as u32,
        0x00AD            // soft hyphen
        | 0x061C          // Arabic letter mark
        | 0x0640          // tatweel
        | 0x064B..=0x065F // harakat, shadda, sukun, ...
        | 0x0670          // superscript alef
        | 0x06D6..=0x06ED // Quranic marks
        | 0x08D3..=0x08FF // extended Arabic marks
        | 0x200B..=0x200F // zero-width space/joiners, LRM, RLM
        | 0x202A..=0x202E // bidi embeddings/overrides
        | 0x2060..=0x2064 // word joiner, invisible operators
        | 0x2066..=0x2069 // bidi isolates
        | 0xFEFF          // BOM
        | 0xFE00..=0xFE0F // variation selectors
    )
}

/// Apostrophe-like characters deleted inside words (`Sa'id`, `ʿAbd`, `Shi‘a`).
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '’' | '‘' | 'ʼ' | 'ʻ' | 'ʿ' | 'ʾ' | '`' | '´' | '′' | 'ʹ' | 'ʽ' | 'ˈ'
    )
}

/// Arabic-Indic and Extended (Persian/Urdu) digits → ASCII.
fn ascii_digit(c: char) -> Option<char> {
    let u = c as u32;
    let d = match u {
        0x0660..=0x0669 => u - 0x0660,
        0x06F0..=0x06F9 => u - 0x06F0,
        _ => return None,
    };
    char::from_digit(d, 10)
}

/// Cleans the raw input; returns the cleaned text and whether it was cut at
/// [`MAX_INPUT_CHARS`].
pub(crate) fn clean(input: &str) -> (String, bool) {
    // fast path: ASCII is already in NFKC and has no invisible marks
    if input.is_ascii() {
        let cut = input.len() > MAX_INPUT_CHARS;
        let s = &input[..input.len().min(MAX_INPUT_CHARS)];
        let out = s
            .chars()
            .filter(|&c| !is_apostrophe(c))
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        return (out, cut);
    }
    let mut out = String::with_capacity(input.len().min(MAX_INPUT_CHARS * 4));
    let mut n = 0usize;
    let mut truncated = false;
    for c in input.nfkc() {
        if n >= MAX_INPUT_CHARS {
            truncated = true;
            break;
        }
        if is_invisible(c) || is_apostrophe(c) {
            continue;
        }
        if c.is_control() {
            out.push(' ');
            n += 1;
            continue;
        }
        out.push(ascii_digit(c).unwrap_or(c));
        n += 1;
    }
    (out, truncated)
}

/// Latin letters that look like a Cyrillic letter, with that letter.
const LATIN_LOOKALIKES: &[(char, char)] = &[
    ('a', 'а'),
    ('e', 'е'),
    ('o', 'о'),
    ('p', 'р'),
    ('c', 'с'),
    ('y', 'у'),
    ('x', 'х'),
    ('i', 'і'),
    ('A', 'А'),
    ('B', 'В'),
    ('E', 'Е'),
    ('K', 'К'),
    ('M', 'М'),
    ('H', 'Н'),
    ('O', 'О'),
    ('P', 'Р'),
    ('C', 'С'),
    ('T', 'Т'),
    ('X', 'Х'),
    ('I', 'І'),
];

fn is_cyrillic(c: char) -> bool {
    matches!(c as u32, 0x0400..=0x052F)
}

/// What it finds: Latin letters that look like Cyrillic ones (`i`, `a`, `e`, `o`, `p`, `c`,
/// `B`, `H`, ...) inside a word otherwise written in Cyrillic (`Вiкторiвна` typed with a Latin
/// `i`, as Ukrainian keyboards and OCR often produce).
/// Why it matters: the tokeniser splits words at script changes, so one mixed word becomes
/// three meaningless tokens and the name no longer matches.
/// Example: `Вiкторiвна` → `Вікторівна`.
/// Parameters: a word is rewritten only when it holds at least one Cyrillic letter and every
/// Latin letter in it has a Cyrillic look-alike; other words are left as they are.
pub(crate) fn unify_lookalikes(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_cyrillic) || !s.chars().any(|c| c.is_ascii_alphabetic()) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (k, word) in s.split(' ').enumerate() {
        if k > 0 {
            out.push(' ');
        }
        let mixed = word.chars().any(is_cyrillic)
            && word.chars().any(|c| c.is_ascii_alphabetic())
            && word
                .chars()
                .filter(|c| c.is_ascii_alphabetic())
                .all(|c| LATIN_LOOKALIKES.iter().any(|(l, _)| *l == c));
        if mixed {
            out.extend(word.chars().map(|c| {
                LATIN_LOOKALIKES
                    .iter()
                    .find(|(l, _)| *l == c)
                    .map_or(c, |(_, cy)| *cy)
            }));
        } else {
            out.push_str(word);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn latin_lookalikes_inside_a_cyrillic_word_become_cyrillic() {
        assert_eq!(unify_lookalikes("Тетяна Вiкторiвна"), "Тетяна Вікторівна");
        // whole Latin words and words with other Latin letters stay
        assert_eq!(unify_lookalikes("Ivan Иванов"), "Ivan Иванов");
        assert_eq!(unify_lookalikes("Иванzov"), "Иванzov");
        assert_eq!(unify_lookalikes("Ivan Ivanov"), "Ivan Ivanov");
    }

    use super::*;

    #[test]
    fn removes_harakat_tatweel_and_bidi_marks() {
        assert_eq!(clean("\u{200F}أُسَامَة").0, "أسامة");
        assert_eq!(clean("عبـــد").0, "عبد");
    }

    #[test]
    fn deletes_apostrophes_inside_words() {
        assert_eq!(clean("Sa‘id ʿAbd").0, "Said Abd");
    }

    #[test]
    fn nfkc_folds_fullwidth_and_presentation_forms() {
        assert_eq!(clean("ＡＢＵ").0, "ABU");
        assert_eq!(clean("\u{FEFB}").0, "لا");
    }

    #[test]
    fn ascii_fast_path_agrees_with_the_general_path() {
        let (a, _) = clean("O'Brien\tAbu-Bakr, 12");
        assert_eq!(a, "OBrien Abu-Bakr, 12");
        let (b, cut) = clean(&"x".repeat(MAX_INPUT_CHARS + 5));
        assert!(cut);
        assert_eq!(b.len(), MAX_INPUT_CHARS);
    }

    #[test]
    fn arabic_indic_digits_become_ascii() {
        assert_eq!(clean("١٢٣ ۴").0, "123 4");
    }
}
