//! Greek → Latin transliteration (ELOT 743 / ISO 843 style, simplified).
//!
//! What: accents are stripped (NFD), then `θ`→`th`, `χ`→`ch`, `ψ`→`ps`, `ξ`→`x`, `β`→`v`,
//! `η`/`ι`/`υ`→`i`, `ω`→`o`, `μπ` at the start → `b`, `ντ` at the start → `d`, `ου`→`ou`.
//! Why: EU lists and vessel registers carry Greek-script names; a hand table of 30 letters is
//! enough and keeps the crate free of heavy transliteration data.
//! Example: `transliterate("Αθανάσιος")` = `"athanasios"`.

use unicode_normalization::UnicodeNormalization;

/// Transliterates one Greek token to folded Latin.
pub(crate) fn transliterate(s: &str) -> String {
    let base: Vec<char> = s
        .chars()
        .flat_map(char::to_lowercase)
        .flat_map(|c| c.nfd())
        .filter(|c| !matches!(*c as u32, 0x0300..=0x036F))
        .collect();
    let mut out = String::with_capacity(base.len() + 4);
    let mut i = 0;
    while i < base.len() {
        let c = base[i];
        let next = base.get(i + 1).copied();
        if i == 0 && c == 'μ' && next == Some('π') {
            out.push('b');
            i += 2;
            continue;
        }
        if i == 0 && c == 'ν' && next == Some('τ') {
            out.push('d');
            i += 2;
            continue;
        }
        if c == 'ο' && next == Some('υ') {
            out.push_str("ou");
            i += 2;
            continue;
        }
        let t: &str = match c {
            'α' => "a",
            'β' => "v",
            'γ' => "g",
            'δ' => "d",
            'ε' => "e",
            'ζ' => "z",
            'η' => "i",
            'θ' => "th",
            'ι' => "i",
            'κ' => "k",
            'λ' => "l",
            'μ' => "m",
            'ν' => "n",
            'ξ' => "x",
            'ο' => "o",
            'π' => "p",
            'ρ' => "r",
            'σ' | 'ς' => "s",
            'τ' => "t",
            'υ' => "i",
            'φ' => "f",
            'χ' => "ch",
            'ψ' => "ps",
            'ω' => "o",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                i += 1;
                continue;
            }
            _ => "",
        };
        out.push_str(t);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greek_names_transliterate() {
        assert_eq!(transliterate("Αθανάσιος"), "athanasios");
        assert_eq!(transliterate("Γεώργιος"), "georgios");
        assert_eq!(transliterate("Μπαλτάς"), "baltas");
    }
}
