//! Text normalisation and tokenisation: raw name → script-tagged tokens.
//!
//! Steps, in order (each in its own file):
//! 1. `unicode`: NFKC; remove bidi, zero-width and other format marks, tatweel and harakat;
//!    apostrophes and ʿ ʾ ‘ ’ are deleted inside words (`Sa'id` → `said`), every other
//!    punctuation mark separates tokens; Arabic-Indic digits become ASCII digits.
//! 2. Latin look-alike letters inside Cyrillic words become Cyrillic (`Вiкторiвна`), then
//!    tokenise on separators and on script changes (`Aliعلي` → `Ali`, `علي`).
//! 3. per token: `latin::fold` (case, diacritics, Turkish ı/İ, ş→sh, ç→ch, ğ→gh),
//!    `arabic::normalise` (alef forms, ta marbuta, alef maqsura, Persian/Urdu letters), or
//!    `cyrillic::transliterate` / `greek::transliterate` into folded Latin.

pub(crate) mod arabic;
pub(crate) mod cyrillic;
pub(crate) mod greek;
pub(crate) mod latin;
pub(crate) mod unicode;

use serde::{Deserialize, Serialize};

/// The writing system a token was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// Latin letters (with or without diacritics).
    Latin,
    /// Arabic script, including Persian and Urdu letters.
    Arabic,
    /// Cyrillic, transliterated to Latin.
    Cyrillic,
    /// Greek, transliterated to Latin.
    Greek,
    /// Digits only.
    Digits,
    /// Any other script (kept as written, compared exactly).
    Other,
}

/// Longest input considered, in characters. Longer input is cut (and flagged): no list name
/// comes close, and a 10,000-character "name" must not cost more than a real one.
pub const MAX_INPUT_CHARS: usize = 512;

/// A token after normalisation, before name rules (honorifics, articles, compounds).
#[derive(Debug, Clone)]
pub(crate) struct RawToken {
    /// The token as written (after NFKC and mark removal), original case.
    pub original: String,
    /// Comparable form: folded ASCII for Latin/Cyrillic/Greek, normalised Arabic, lower-cased
    /// other scripts, ASCII digits.
    pub text: String,
    pub script: Script,
    /// Arabic word ended in alef maqsura (ى), read as a final `a`.
    pub final_alef_maqsura: bool,
    /// A comma followed this token in the input ("BAGHDADI, Abu Bakr").
    pub comma_after: bool,
    /// A hyphen joined this token to the next one (`Reza-Gholi`, `Jean-Pierre`, `Je-son`).
    pub hyphen_after: bool,
}

/// Character class used by the tokeniser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharKind {
    Sep,
    Comma,
    Letter(Script),
    Digit,
}

fn char_script(c: char) -> Script {
    let u = c as u32;
    match u {
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Script::Arabic
        }
        0x0400..=0x052F | 0x1C80..=0x1C8F | 0xA640..=0xA69F => Script::Cyrillic,
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
        0x0041..=0x005A
        | 0x0061..=0x007A
        | 0x00C0..=0x024F
        | 0x0250..=0x02AF
        | 0x1E00..=0x1EFF
        | 0x2C60..=0x2C7F
        | 0xA720..=0xA7FF => Script::Latin,
        _ => Script::Other,
    }
}

fn kind(c: char) -> CharKind {
    if c == ',' || c == '،' || c == ';' {
        return CharKind::Comma;
    }
    if c.is_ascii_digit() {
        return CharKind::Digit;
    }
    if c.is_alphanumeric() {
        return CharKind::Letter(char_script(c));
    }
    CharKind::Sep
}

/// Normalises and tokenises a name. Returns the tokens and whether the input was cut.
pub(crate) fn tokenize(input: &str) -> (Vec<RawToken>, bool) {
    let (clean, truncated) = unicode::clean(input);
    let clean = unicode::unify_lookalikes(&clean);
    let mut tokens: Vec<RawToken> = Vec::new();
    let mut cur = String::new();
    let mut cur_script: Option<Script> = None;
    let flush = |cur: &mut String, cur_script: &mut Option<Script>, tokens: &mut Vec<RawToken>| {
        if cur.is_empty() {
            return;
        }
        let script = cur_script.unwrap_or(Script::Digits);
        if let Some(t) = make_token(std::mem::take(cur), script) {
            tokens.push(t);
        }
        *cur_script = None;
    };
    for c in clean.chars() {
        match kind(c) {
            CharKind::Sep => {
                let (had, before) = (!cur.is_empty(), tokens.len());
                flush(&mut cur, &mut cur_script, &mut tokens);
                if had
                    && tokens.len() > before
                    && matches!(c, '-' | '\u{2010}' | '\u{2011}')
                    && let Some(last) = tokens.last_mut()
                {
                    last.hyphen_after = true;
                }
            }
            CharKind::Comma => {
                flush(&mut cur, &mut cur_script, &mut tokens);
                if let Some(last) = tokens.last_mut() {
                    last.comma_after = true;
                }
            }
            CharKind::Digit => cur.push(c),
            CharKind::Letter(s) => {
                match cur_script {
                    Some(cs) if cs != s => {
                        flush(&mut cur, &mut cur_script, &mut tokens);
                    }
                    _ => {}
                }
                cur_script = Some(s);
                cur.push(c);
            }
        }
    }
    flush(&mut cur, &mut cur_script, &mut tokens);
    (tokens, truncated)
}

fn make_token(original: String, script: Script) -> Option<RawToken> {
    let mut final_alef_maqsura = false;
    let (text, script) = match script {
        Script::Latin => (latin::fold(&original), Script::Latin),
        Script::Arabic => {
            let (t, amq) = arabic::normalise(&original);
            final_alef_maqsura = amq;
            (t, Script::Arabic)
        }
        Script::Cyrillic => (cyrillic::transliterate(&original), Script::Cyrillic),
        Script::Greek => (greek::transliterate(&original), Script::Greek),
        Script::Digits => (original.clone(), Script::Digits),
        Script::Other => (original.to_lowercase(), Script::Other),
    };
    if text.is_empty() {
        return None;
    }
    Some(RawToken {
        original,
        text,
        script,
        final_alef_maqsura,
        comma_after: false,
        hyphen_after: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokenize(s).0.into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn a_hyphen_joining_two_words_is_kept_on_the_first() {
        let hy = |s: &str| -> Vec<bool> { tokenize(s).0.iter().map(|t| t.hyphen_after).collect() };
        assert_eq!(hy("Reza-Gholi ESMAELI"), [true, false, false]);
        assert_eq!(hy("RI Je-son"), [false, true, false]);
        // a space or a comma is no hyphen
        assert_eq!(hy("Reza Gholi, ESMAELI"), [false, false, false]);
    }

    #[test]
    fn splits_on_punctuation_and_keeps_apostrophes_inside_words() {
        assert_eq!(texts("al-Sa'id, ʿAbd"), vec!["al", "said", "abd"]);
    }

    #[test]
    fn splits_on_script_change() {
        assert_eq!(texts("Aliعلي"), vec!["ali", "علي"]);
    }

    #[test]
    fn marks_comma_inversion() {
        let (t, _) = tokenize("BAGHDADI, Abu Bakr");
        assert!(t[0].comma_after);
        assert!(!t[1].comma_after);
    }

    #[test]
    fn punctuation_only_gives_no_tokens() {
        assert!(texts("--- ,,, ...").is_empty());
        assert!(texts("").is_empty());
    }

    #[test]
    fn cuts_very_long_input() {
        let long = "a".repeat(10_000);
        let (t, cut) = tokenize(&long);
        assert!(cut);
        assert!(t[0].text.len() <= MAX_INPUT_CHARS);
    }
}
