//! Honorifics and titles.
//!
//! What it finds: titles written before (rarely after) a person's name: religious (Sheikh,
//! Shaykh, Mullah, Haji, Imam, Maulana, Mawlawi, Qari/Kari, Mufti, Ayatollah), civil and military
//! (Dr, Mr, Mrs, Prof, Eng, Gen, Col, Capt) and their Arabic and Persian forms (الشيخ, الحاج, ملا,
//! الدكتور, دکتر, سرتیپ).
//! Why it matters: lists and queries add or omit titles freely ("Mullah Mohammed Omar" vs
//! "Mohammed Omar"); a title must neither create a match nor count as an unmatched name part.
//! Example: `Sheikh Abdullah Azzam` → tokens `abdlah`, `azzam`; `Sheikh` is kept in
//! [`super::Removed`] as an honorific.
//! Parameters: none; a title is only removed while at least one name token remains, and
//! `Amir`, `Sayyid` and `Hafiz` are kept because they are also given names.

use super::{Removed, RemovedKind, Work};

/// Folded Latin honorifics.
const LATIN: &[&str] = &[
    "sheikh",
    "shaykh",
    "shaikh",
    "sheik",
    "shaik",
    "shayk",
    "sheykh",
    "cheikh",
    "cheick",
    "cheik",
    "shekh",
    "sheikha",
    "shaykha",
    "mullah",
    "mulla",
    "molla",
    "mollah",
    "moulla",
    "haji",
    "hajji",
    "hadji",
    "hajj",
    "haj",
    "alhaji",
    "alhajj",
    "elhadj",
    "hadj",
    "hadjdj",
    "hadjdji",
    "haci",
    "hacci",
    "imam",
    "emir",
    "maulana",
    "mawlana",
    "moulana",
    "molana",
    "maulvi",
    "mawlawi",
    "mawlavi",
    "maulavi",
    "moulvi",
    "molvi",
    "mevlevi",
    "qari",
    // Qari in Pashto/Urdu-style romanisation, as the EU list writes it (`Kari Rahmat`)
    "kari",
    "mufti",
    "ayatollah",
    "ayatullah",
    "hojatoleslam",
    "hujjat",
    "ustadh",
    "ustad",
    "ostad",
    "ustaz",
    "dr",
    "doctor",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mister",
    "madam",
    "sir",
    "prof",
    "professor",
    "eng",
    "engr",
    "engineer",
    "gen",
    "general",
    "col",
    "colonel",
    "maj",
    "major",
    "capt",
    "captain",
    "lt",
    "lieutenant",
    "brig",
    "brigadier",
    "admiral",
    "adm",
    "cmdr",
    "commander",
    "sgt",
    "sergeant",
];

static LATIN_SET: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
    std::sync::LazyLock::new(|| LATIN.iter().copied().collect());

/// Normalised Arabic-script honorifics (after [`crate::normalize::arabic::normalise`]).
const ARABIC: &[&str] = &[
    "الشيخ",
    "شيخ",
    "الحاج",
    "حاج",
    "حاجي",
    "حاج",
    "حجي",
    "ملا",
    "الملا",
    "الدكتور",
    "دكتور",
    "د",
    "الامام",
    "امام",
    "مولانا",
    "مولوي",
    "المولوي",
    "قاري",
    "القاري",
    "المفتي",
    "مفتي",
    "المهندس",
    "مهندس",
    "الاستاذ",
    "استاذ",
    // Persian: doctor (دکتر), and the military ranks lists print before IRGC commanders'
    // names: brigadier (سرتیپ), major general (سرلشکر), colonel (سرهنگ)
    "دكتر",
    "سرتيپ",
    "سرلشكر",
    "سرهنگ",
];

fn is_honorific(t: &Work) -> bool {
    if !t.is_name() {
        return false;
    }
    if t.latin() {
        LATIN_SET.contains(t.text.as_str())
    } else {
        // "اية الله" (Ayatollah) is two words, handled in `apply`
        ARABIC.contains(&t.text.as_str()) || t.text == "اية"
    }
}

/// True when `w[i]` is a `Sheikh` spelling that ends a name of three or more words: there it
/// is a family name (`Ahmed Omar Saeed SHEIKH`, `Muhammad Naeem SHEIKH`, common in
/// Pakistan and India), not a title, which stands before the name.
fn family_sheikh(w: &[Work], i: usize) -> bool {
    i + 1 == w.len()
        && i >= 2
        && w[i].latin()
        && w[..i].iter().filter(|t| t.is_name()).count() >= 2
        && SHEIKH.contains(&w[i].text.as_str())
}

/// The `Sheikh` spellings of [`LATIN`].
const SHEIKH: &[&str] = &[
    "sheikh", "shaykh", "shaikh", "sheik", "shaik", "shayk", "sheykh", "cheikh", "cheick", "cheik",
    "shekh",
];

/// Sets aside honorifics while at least one name token remains.
pub(crate) fn apply(w: &mut Vec<Work>, removed: &mut Vec<Removed>) {
    let mut i = 0;
    while i < w.len() {
        let names_left = w.iter().filter(|t| t.is_name()).count();
        if names_left <= 1 {
            break;
        }
        if is_honorific(&w[i]) && !family_sheikh(w, i) {
            // "Ayatollah" in Arabic: اية الله → drop both words
            let two = w[i].text == "اية" && w.get(i + 1).is_some_and(|n| n.text == "الله");
            let t = w.remove(i);
            removed.push(Removed {
                text: t.original,
                kind: RemovedKind::Honorific,
            });
            if two {
                let t = w.remove(i);
                removed.push(Removed {
                    text: t.original,
                    kind: RemovedKind::Honorific,
                });
            }
            continue;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::tokenize;

    fn run(s: &str) -> (Vec<String>, Vec<String>) {
        let mut w: Vec<Work> = tokenize(s).0.into_iter().map(Work::from_raw).collect();
        let mut r = Vec::new();
        apply(&mut w, &mut r);
        (
            w.into_iter().map(|t| t.text).collect(),
            r.into_iter().map(|r| r.text).collect(),
        )
    }

    #[test]
    fn removes_latin_titles() {
        let (t, r) = run("Sheikh Dr. Ayman al-Zawahiri");
        assert_eq!(t, vec!["ayman", "al", "zawahiri"]);
        assert_eq!(r, vec!["Sheikh", "Dr"]);
    }

    #[test]
    fn removes_arabic_titles() {
        let (t, _) = run("الشيخ أسامة بن لادن");
        assert_eq!(t, vec!["اسامه", "بن", "لادن"]);
    }

    #[test]
    fn persian_titles_are_set_aside() {
        for s in [
            "دکتر سید محمد حسینی",
            "سرتیپ سید محمد حسینی",
            "سرلشکر سید محمد حسینی",
        ] {
            let (t, r) = run(s);
            assert_eq!(t.len(), 3, "{s}: {t:?}");
            assert_eq!(r.len(), 1, "{s}");
        }
    }

    #[test]
    fn haji_in_turkish_french_and_persian_spellings() {
        for s in [
            "Ibrahim Hacci Muhammad",
            "Ibrahim Hacı Muhammad",
            "Hadjdji Ibrahim Muhammad",
        ] {
            let (t, r) = run(s);
            assert_eq!(t, vec!["ibrahim", "muhammad"], "{s}");
            assert_eq!(r.len(), 1, "{s}");
        }
        let (t, _) = run("حاجى مالك نورزى");
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn qari_spelled_with_k_is_a_title() {
        let (t, r) = run("Kari Saifoullah");
        assert_eq!(t, vec!["saifoullah"]);
        assert_eq!(r, vec!["Kari"]);
        // alone, it stays a name
        assert_eq!(run("Kari").0, vec!["kari"]);
    }

    #[test]
    fn sheikh_ending_a_long_name_is_its_family_name() {
        let (t, r) = run("Muhammad Naeem SHEIKH");
        assert_eq!(t, vec!["muhammad", "naeem", "sheikh"]);
        assert!(r.is_empty());
        // before the name, or after a single name, it is the title
        assert_eq!(run("Sheikh Muhammad Naeem").0, vec!["muhammad", "naeem"]);
        assert_eq!(run("Naeem Sheikh").0, vec!["naeem"]);
    }

    #[test]
    fn keeps_a_title_that_is_the_only_word() {
        let (t, r) = run("Imam");
        assert_eq!(t, vec!["imam"]);
        assert!(r.is_empty());
    }

    #[test]
    fn keeps_given_names_that_are_also_titles() {
        let (t, _) = run("Amir Hafiz Sayyid");
        assert_eq!(t.len(), 3);
    }
}
