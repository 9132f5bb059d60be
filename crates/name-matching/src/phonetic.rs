//! Sound-class encoding shared by every script.
//!
//! A name token is encoded as a short byte string of *sound classes* (the "phonetic form").
//! Latin spellings and Arabic letters are mapped into the same alphabet, so that
//! `Baghdadi`, `Bağdadi` and `بغدادي` all become `b a g d a d i` (Arabic only writes the long
//! vowels, so its form is `b g d a d i`). Comparing these forms with class-aware edit costs
//! (see [`crate::distance`]) is what lets the matcher compare Arabic with Latin without
//! pretending that a transliteration is exact: ICU's Arabic→Latin only gives a consonant
//! skeleton (`محمد → mhmd`), so we never compare transliterated strings verbatim.
//!
//! Alphabet (one byte each):
//! - vowels `a e i o u`; `V` = "some vowel or nothing" (Arabic ع, hamza, word-initial alef);
//!   `Y` = a word-final ي/ی, read `i` (Baghdadi) or `a` (Persian عیسی Isa, Egyptian موسي Musa);
//! - consonants `b p t d f v s z l m n r h k q g j c x` plus digraph classes
//!   `T` (th, ث), `D` (dh, ذ ض ظ), `S` (sh, ş, ش), `C` (ch, ç, چ); `x` = kh / خ;
//!   `c` = a Latin `c` before e/i/y (s in French, j in Turkish); `K` = a Latin `c` before
//!   a/o/u (k, or j in Turkish);
//! - digits `0-9` (vessel and company names carry numbers).
//!
//! The *coarse key* merges classes further (t/d/th/dh/z, s/sh/ch, k/q/g/j, h/kh; drops vowels,
//! `v`, `w`, `y`). It is the retrieval key the screening index posts: it deliberately collides
//! across spellings and scripts and is never used alone to call a match.

use smallvec::SmallVec;

/// A phonetic form: one byte per sound class (see the module docs).
pub(crate) type Form = SmallVec<[u8; 24]>;

/// True for the vowel classes (including `V`).
#[inline]
pub(crate) const fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'V' | b'Y')
}

/// Encodes a lower-case, already folded ASCII Latin token (see
/// [`crate::normalize::latin::fold`]) into sound classes.
///
/// Digraphs are read first (`sh ch kh gh th dh zh dj ph ck sch tch`), `w`→`u`, `y`→`i`,
/// `x`→`ks`, doubled letters collapse and common vowel pairs reduce (`ou`→`u`, `ee`/`ei`→`i`).
/// A final `h` after a vowel is dropped (`Abdallah`/`Abdalla`, `Usamah`/`Usama`).
pub(crate) fn encode_latin(s: &str) -> Form {
    let b = s.as_bytes();
    let mut out: Form = SmallVec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let n1 = b.get(i + 1).copied().unwrap_or(0);
        let n2 = b.get(i + 2).copied().unwrap_or(0);
        let (class, adv): (&[u8], usize) = match c {
            b's' if n1 == b'c' && n2 == b'h' => (b"S", 3),
            b's' if n1 == b'h' => (b"S", 2),
            b't' if n1 == b'c' && n2 == b'h' => (b"C", 3),
            b't' if n1 == b'h' => (b"T", 2),
            b'k' if n1 == b'h' => (b"x", 2),
            b'g' if n1 == b'h' => (b"g", 2),
            b'd' if n1 == b'h' => (b"D", 2),
            b'd' if n1 == b'j' => (b"j", 2),
            b'z' if n1 == b'h' => (b"j", 2),
            b'p' if n1 == b'h' => (b"f", 2),
            b'c' if n1 == b'h' => (b"C", 2),
            b'c' if n1 == b'k' => (b"k", 2),
            b'c' if matches!(n1, b'e' | b'i' | b'y') => (b"c", 1),
            // `c` before a back vowel: k in most spellings, j in Turkish (`Cafer` = Jafar,
            // `Cuma` = Juma, `Cevher`/`Cawhar` = Jawhar)
            b'c' if matches!(n1, b'a' | b'o' | b'u') => (b"K", 1),
            b'c' => (b"k", 1),
            b'x' => (b"ks", 1),
            b'w' => (b"u", 1),
            b'y' => (b"i", 1),
            b'a' | b'e' | b'i' | b'o' | b'u' => (std::slice::from_ref(&b[i]), 1),
            b'b' | b'd' | b'f' | b'g' | b'h' | b'j' | b'k' | b'l' | b'm' | b'n' | b'p' | b'q'
            | b'r' | b's' | b't' | b'v' | b'z' => (std::slice::from_ref(&b[i]), 1),
            b'0'..=b'9' => (std::slice::from_ref(&b[i]), 1),
            _ => (b"", 1),
        };
        for &k in class {
            push_class(&mut out, k);
        }
        i += adv;
    }
    // final h after a vowel is not pronounced / not written consistently
    if out.len() >= 3 && out[out.len() - 1] == b'h' && is_vowel(out[out.len() - 2]) {
        out.pop();
    }
    out
}

/// Appends a class, collapsing doubles and reducing vowel pairs.
fn push_class(out: &mut Form, k: u8) {
    if let Some(&last) = out.last() {
        if last == k && !k.is_ascii_digit() {
            return;
        }
        if is_vowel(last) && is_vowel(k) {
            let merged = match (last, k) {
                (b'o', b'u') | (b'u', b'o') => Some(b'u'),
                (b'e', b'i') | (b'i', b'e') => Some(b'i'),
                (b'a', b'i') => Some(b'i'),
                (b'V', v) => Some(v),
                _ => None,
            };
            if let Some(m) = merged {
                if let Some(l) = out.last_mut() {
                    *l = m;
                }
                return;
            }
        }
    }
    out.push(k);
}

/// Encodes an already normalised Arabic-script token (see [`crate::normalize::arabic`]) into
/// sound classes. Long vowels ا و ي become `a u i`; ع, hamza and a word-initial alef become
/// `V` (a vowel or nothing in Latin spellings); ة and a final ه become `a` (`Usama`, `Allah`).
/// `final_alef_maqsura` tells that the source word ended in ى (`Musa`, `Mustafa`).
pub(crate) fn encode_arabic(s: &str, final_alef_maqsura: bool) -> Form {
    let mut out: Form = SmallVec::new();
    let chars: SmallVec<[char; 24]> = s.chars().collect();
    let n = chars.len();
    for (i, &ch) in chars.iter().enumerate() {
        let last = i + 1 == n;
        let class: &[u8] = match ch {
            'ا' if i == 0 => b"V",
            'ا' => b"a",
            'ء' | 'ئ' | 'ؤ' | 'ع' => b"V",
            'ب' => b"b",
            'پ' => b"p",
            'ت' | 'ط' | 'ٹ' => b"t",
            'ث' => b"T",
            'ج' => b"j",
            'چ' => b"C",
            'ح' => b"h",
            'خ' => b"x",
            'د' | 'ڈ' => b"d",
            'ذ' | 'ض' | 'ظ' => b"D",
            'ر' | 'ڑ' => b"r",
            'ز' => b"z",
            'ژ' => b"j",
            'س' | 'ص' => b"s",
            'ش' => b"S",
            'غ' | 'گ' => b"g",
            'ف' => b"f",
            'ڤ' => b"v",
            'ق' => b"q",
            'ك' => b"k",
            'ل' => b"l",
            'م' => b"m",
            'ن' => b"n",
            'ه' if last && i > 0 => b"a",
            'ه' => b"h",
            'ة' => b"a",
            'و' => b"u",
            'ي' if last && final_alef_maqsura => b"a",
            'ي' if last && i > 0 => b"Y",
            // after a long ā it is the glide y, not a vowel that ā merges into (Persian
            // `سقایی` = Saghaei, `رضایی` = Rezaei: -āyī, where Latin spellings keep the a)
            'ي' if i > 0 && chars[i - 1] == 'ا' => b"Y",
            'ي' => b"i",
            // Pashto letters
            'ځ' | 'ږ' => b"z",
            'څ' => b"s",
            'ښ' => b"S",
            'ټ' => b"t",
            'ډ' => b"d",
            'ړ' => b"r",
            'ڼ' => b"n",
            '0'..='9' => {
                out.push(ch as u8);
                continue;
            }
            _ => b"",
        };
        // Two equal consonant letters written apart are two consonants with an unwritten
        // vowel between them (`سنن` = Sunan, `سنندج` = Sanandaj): Arabic script writes a
        // doubled consonant once (with a shadda). The exception is `لل`, the article's lam
        // before a lam (`الله` = Allah, `عبدالله` = Abdullah), which Latin spellings write
        // as one doubled `l`.
        if i > 0 && chars[i - 1] == ch && ch != 'ل' && class.len() == 1 && !is_vowel(class[0]) {
            out.push(class[0]);
            continue;
        }
        for &k in class {
            push_class(&mut out, k);
        }
    }
    out
}

/// The consonant skeleton of a form (vowels and `V` removed, doubles collapsed).
pub(crate) fn skeleton(form: &[u8]) -> Form {
    let mut out: Form = SmallVec::new();
    for &c in form {
        if is_vowel(c) {
            continue;
        }
        if out.last() != Some(&c) {
            out.push(c);
        }
    }
    out
}

/// Coarse retrieval class of a consonant class (see module docs); `None` = dropped.
#[inline]
pub(crate) fn coarse(c: u8) -> Option<u8> {
    Some(match c {
        b'a' | b'e' | b'i' | b'o' | b'u' | b'V' | b'Y' | b'v' | b'-' => return None,
        b't' | b'd' | b'T' | b'D' | b'z' => b't',
        b's' | b'S' | b'C' | b'c' => b's',
        b'k' | b'q' | b'g' | b'j' | b'K' => b'k',
        b'x' | b'h' => b'h',
        b'p' => b'b',
        other => other,
    })
}

/// The coarse key of a form: coarse classes, doubles collapsed, a final `h` dropped, as an
/// ASCII string.
/// Empty when the form has no consonant (e.g. `Ali` → `l`, `Aya` → ``).
pub(crate) fn coarse_key(form: &[u8]) -> String {
    let mut out = String::with_capacity(form.len());
    let mut last = 0u8;
    for &c in form {
        if let Some(k) = coarse(c)
            && k != last
        {
            out.push(k as char);
            last = k;
        }
    }
    // a final h is unreliable in Latin spellings (Fulayyih / Fulayyi, Usamah / Usama)
    if out.len() >= 2 && out.ends_with('h') {
        out.pop();
    }
    out
}

/// Bit mask of the coarse consonant classes present in a form: a cheap pre-filter before the
/// edit distance (two tokens sharing no consonant class cannot be spelling variants).
pub(crate) fn class_mask(form: &[u8]) -> u32 {
    let mut m = 0u32;
    for &c in form {
        if let Some(k) = coarse(c) {
            m |= 1 << (k % 32);
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(s: &str) -> String {
        String::from_utf8_lossy(&encode_latin(s)).into_owned()
    }
    fn a(s: &str) -> String {
        String::from_utf8_lossy(&encode_arabic(s, false)).into_owned()
    }

    #[test]
    fn latin_digraphs_become_single_classes() {
        assert_eq!(l("khalid"), "xalid");
        assert_eq!(l("shakir"), "Sakir");
        assert_eq!(l("uthman"), "uTman");
        assert_eq!(l("dhahab"), "Dahab");
        assert_eq!(l("djamel"), "jamel");
        assert_eq!(l("baghdadi"), "bagdadi");
    }

    #[test]
    fn latin_doubles_collapse_and_vowel_pairs_reduce() {
        assert_eq!(l("hassan"), "hasan");
        assert_eq!(l("youssef"), "iusef");
        assert_eq!(l("mahmood"), "mahmod");
        assert_eq!(l("hussein"), "husin");
    }

    #[test]
    fn latin_final_h_after_vowel_is_dropped() {
        assert_eq!(l("abdallah"), "abdala");
        assert_eq!(l("usamah"), "usama");
        assert_eq!(l("fatah"), "fata");
    }

    #[test]
    fn c_before_a_back_vowel_reads_k_or_turkish_j() {
        assert_eq!(l("cawhar"), "Kauhar");
        assert_eq!(
            coarse_key(&encode_latin("cawhar")),
            coarse_key(&encode_latin("jawhar"))
        );
        assert_eq!(
            coarse_key(&encode_latin("carlos")),
            coarse_key(&encode_latin("karlos"))
        );
    }

    #[test]
    fn yeh_after_a_long_a_keeps_the_a() {
        // Persian -āyī (`سقایی` = Saghaei): the ā stays, as in every Latin spelling
        assert_eq!(encode_arabic("سقايي", false).as_slice(), b"sqaY");
        // elsewhere a medial yeh is the vowel i
        assert_eq!(encode_arabic("سعيد", false).as_slice(), b"sid");
    }

    #[test]
    fn j_is_read_as_written() {
        // the Scandinavian `j` = y convention of Slavic names is `rules::slavic`'s rewrite,
        // decided for the whole name; letter by letter, `tj` and `-ij` are Persian too
        assert_eq!(l("dastjerdi"), "dastjerdi");
        assert_eq!(l("majid"), "majid");
        assert_eq!(l("faraj"), "faraj");
        assert_eq!(l("jamal"), "jamal");
        assert_eq!(l("aljabri"), "aljabri");
    }

    #[test]
    fn arabic_long_vowels_and_ayn() {
        assert_eq!(a("محمد"), "mhmd");
        assert_eq!(a("بغدادي"), "bgdadY");
        assert_eq!(a("عمر"), "Vmr");
        assert_eq!(a("اسامة"), "Vsama");
        assert_eq!(a("خالد"), "xald");
    }

    #[test]
    fn equal_arabic_letters_written_apart_are_two_consonants() {
        assert_eq!(a("سنن"), "snn");
        assert_eq!(a("سنندج"), "snndj");
        assert_eq!(a("ننگرهار"), "nngrhar");
        // but the article's lam before a lam is Latin's one doubled `l`
        assert_eq!(a("الله"), "Vla");
        // and long vowels still merge (`داوود` = Dawud)
        assert_eq!(a("داوود"), "daud");
    }

    #[test]
    fn coarse_keys_collide_across_scripts() {
        assert_eq!(
            coarse_key(&encode_latin("baghdadi")),
            coarse_key(&encode_arabic("بغدادي", false))
        );
        assert_eq!(
            coarse_key(&encode_latin("mohammed")),
            coarse_key(&encode_arabic("محمد", false))
        );
        assert_eq!(coarse_key(&encode_latin("mehmet")), "mhmt");
        assert_eq!(
            coarse_key(&encode_latin("khalid")),
            coarse_key(&encode_latin("halit"))
        );
    }
}
