//! Somali Latin orthography (persons).
//!
//! What it finds: names written in the official Somali Latin alphabet (1972), where `c` is
//! the Arabic ʿayn (ع) and `x` is ḥ (ح): `Cabdullahi Cusman Maxamed` is the `Abdullahi
//! Osman Mohamed` of English-language lists, `Xasan` is `Hasan`, `Cumar` is `Umar`.
//! Why it matters: al-Shabaab and ISIL-Somalia listings and Somali customer records are
//! written both ways; read the English way, `Maxamed` has a `ks` and `Cusman` a `k`, and
//! the names share no sound class with their English spellings.
//! Example: `Cabdullahi Cusman Maxamed Caddow` → `abdullahi usman mahamed caddow`.
//! Parameters: a name is read as Somali only when its Latin name tokens use the Somali
//! alphabet alone (no `p`, `v`, `z`, no `ch`) and at least [`MIN_CONFIRMED_TOKENS`] of
//! them carry `c` or `x` and read, with `x` = `h` and `c` dropped, as a known romanisation
//! of an Arabic name (variant dictionary) or an `abd`/`abu` compound (one is enough when it
//! also writes a long vowel doubled, as Somali does: `Faarax`, `Cabdullaahi`). `Carlos
//! Maxwell` and `Alexander Mancini` read as nothing known and stay. In a Somali name the
//! confirmed tokens take their English reading and every other `x` becomes `h`; an
//! unconfirmed `c` stays, because Somali surnames keep it in English-language lists
//! (`Caddow`).

use super::Work;
use crate::normalize::Script;

/// Tokens whose Somali reading is confirmed a name needs to be read as Somali, unless a
/// confirmed token also writes a long vowel doubled.
pub const MIN_CONFIRMED_TOKENS: usize = 2;

/// Letters of the Somali Latin alphabet (plus the vowels), as folded lower-case ASCII.
fn somali_alphabet(t: &str) -> bool {
    t.bytes()
        .all(|b| b.is_ascii_lowercase() && !matches!(b, b'p' | b'v' | b'z'))
        && !t.contains("ch")
}

fn marked(t: &str) -> bool {
    t.bytes().any(|b| b == b'c' || b == b'x')
}

fn doubled_vowel(t: &str) -> bool {
    t.as_bytes()
        .windows(2)
        .any(|w| w[0] == w[1] && matches!(w[0], b'a' | b'e' | b'i' | b'o' | b'u'))
}

/// Doubled vowels written once (`cabdullaahi` → `cabdullahi`), for dictionary look-ups.
fn single_vowels(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut last = '\0';
    for ch in t.chars() {
        if ch == last && matches!(ch, 'a' | 'e' | 'i' | 'o' | 'u') {
            continue;
        }
        out.push(ch);
        last = ch;
    }
    out
}

/// The English-style reading of a token when it is a known romanisation of an Arabic name
/// (variant dictionary) or an `abd`/`abu` compound: `x` read `h`, then `c` dropped, then
/// doubled vowels written once, the first reading that is known.
fn confirmed(t: &str) -> Option<String> {
    let known = |s: &str| {
        s.len() >= 3
            && (s.starts_with("abd")
                || s.starts_with("abu")
                || !crate::variants::groups_of(s, Script::Latin).is_empty())
    };
    let h = t.replace('x', "h");
    let dropped = h.replace('c', "");
    // only readings that changed a `c` or an `x` (a word already known as written is not
    // evidence of Somali spelling)
    let changed_h = (h != t).then(|| h.clone());
    let changed_c = (dropped != h).then_some(dropped);
    [changed_h, changed_c]
        .into_iter()
        .flatten()
        .flat_map(|s| [single_vowels(&s), s])
        .find(|s| known(s))
}

/// Rewrites Somali-spelled names (see the module docs).
pub(crate) fn apply(w: &mut [Work]) {
    let names = || {
        w.iter()
            .filter(|t| t.is_name() && t.script == Script::Latin)
    };
    if names().count() < 2 || !names().all(|t| somali_alphabet(&t.text)) {
        return;
    }
    let mut readings: Vec<Option<String>> = Vec::new();
    let (mut confirmed_n, mut strong) = (0, false);
    for t in w.iter() {
        let r = (t.is_name() && t.script == Script::Latin && marked(&t.text))
            .then(|| confirmed(&t.text))
            .flatten();
        if r.is_some() {
            confirmed_n += 1;
            strong |= doubled_vowel(&t.text);
        }
        readings.push(r);
    }
    if confirmed_n < MIN_CONFIRMED_TOKENS && !(confirmed_n >= 1 && strong) {
        return;
    }
    for (t, r) in w.iter_mut().zip(readings) {
        if let Some(r) = r {
            t.text = r;
        } else if t.is_name() && t.script == Script::Latin && t.text.contains('x') {
            // ḥ: never `ks` in Somali (`Maxamed` = `Mahamed`)
            t.text = t.text.replace('x', "h");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::texts;
    use crate::{NameType, compare, prepare};

    #[test]
    fn somali_spellings_read_the_english_way() {
        assert_eq!(
            texts("Cabdullahi Cusman Maxamed Caddow"),
            vec!["abd-lahi", "usman", "mahamed", "caddow"]
        );
        assert_eq!(texts("Cali Faarax"), vec!["ali", "farah"]);
        let s = compare(
            &prepare("Cabdullahi Cusman Maxamed Caddow", NameType::Person),
            &prepare("Abdullahi Osman Mohamed Caddow", NameType::Person),
        )
        .score;
        assert!(s >= 0.9, "{s}");
    }

    #[test]
    fn european_names_with_c_and_x_stay() {
        assert_eq!(texts("Carlos Maxwell"), vec!["carlos", "maxwell"]);
        assert_eq!(
            texts("Xavier Cruz Castro"),
            vec!["xavier", "cruz", "castro"]
        );
        assert_eq!(
            texts("Alexander Mancini Colombo"),
            vec!["alexander", "mancini", "colombo"]
        );
        // one Somali-looking word is not a Somali name
        assert_eq!(texts("Cali YARE"), vec!["cali", "yare"]);
    }
}
