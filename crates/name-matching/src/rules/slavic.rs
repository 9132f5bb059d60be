//! East Slavic names in Scandinavian, Finnish, Czech, Polish and German spellings.
//!
//! What it finds: a person's name written with the Central/Northern European conventions for
//! Russian, Ukrainian and Belarusian names, where `j` is the glide `y` and consonant clusters
//! spell single sounds: `tj` (Swedish) and `tš` (Finnish/Estonian, folded `tsh`) = `ch`,
//! `sj` = `sh`, `zj` = `zh`, `dj` = `dy` (`Gennadjevitj`), and `Je-`, `Ju-`, `Ja-` = `Ye-`,
//! `Yu-`, `Ya-`. The
//! name counts as written that way when one of its Latin tokens shows the convention on its
//! own (`tj`/`sj`/`zj`/`tsh` with a `j` in the name, or a `j` word ending in `-ij`, `-ej`,
//! `-itj`, `-ovna`, `-ov(a)`, `-ev(a)`, `-skaja`, `-enko`), or when a token starting with `Je`
//! or `Ju` stands next to a token with a Slavic family-name or patronymic ending
//! (`Jelena Děmidova`).
//! Why it matters: the EU list writes `Vjatjeslav Jurjevitj`, `Irina Kljujeva`, `Vadim
//! Nikolajevitj MOSJKOVITJ`, `Jelena Děmidova` where the UN, OFAC and UK lists (and most
//! customer files) write `Vyacheslav Yuryevich`, `Irina Klyueva`, `Vadim Nikolayevich
//! MOSHKOVICH`, `Elena Demidova`; read letter by letter, `j` is the Arabic-style `j` (ج)
//! and the names share no retrieval key.
//! Example: `Vjatjeslav Jurjevitj LOGINOV` → `vyacheslav`, `yuryevich`, `loginov`.
//! Parameters: none; the rewrite is name-wide (every Latin token of the name), so that a
//! given name without a marker (`Jelena`) follows its family name.
//!
//! A name that shows no marker but other East Slavic evidence (a family-name or patronymic
//! ending such as `-ov`, `-ova`, `-evich`, `-auna`, a Cyrillic word, or a word starting with
//! a consonant and `j`: `Pjotr`, `Ljudmila`) is not rewritten, since `Eljan Mammadov` and
//! `Amjad KARIMOV` are read with an English `j`; instead [`apply`] reports the evidence and
//! its `j` tokens get a second, `j` = `y` reading that the matcher may pair (`Ilja
//! Kurilov` / `Ilya Nikolaevich KURILOV`, `Darja Borisova` / `Дарья Борисова`; see
//! [`crate::reasons::slavic_glide`]). Arabic, Turkish and
//! English spellings with `j` (Jamal, Majid, Faraj, `Jamshid KARIMOV`) show no marker and are
//! left alone: a `Ja-` name next to a `-ov` family name is read the Slavic way only when
//! another token proves the convention.

use super::Work;

/// Endings that mark a Slavic `j` spelling when the token itself contains a `j`.
const J_ENDS: &[&str] = &[
    "ij", "ej", "itj", "ovna", "evna", "ov", "ev", "ova", "eva", "skaja", "enko", "itsh",
];

/// Family-name and patronymic endings of East Slavic names (folded Latin).
const SLAVIC_ENDS: &[&str] = &[
    "ova", "eva", "ov", "ev", "ovich", "evich", "ovitj", "evitj", "ovitsh", "evitsh", "ovna",
    "evna", "skaja", "skaya", "skij", "skiy", "enko",
];

/// True when the token alone shows the `j` = y convention. The short endings `-ij`, `-ej`
/// count from five letters (`Sergej`, `Matej`, `Jurij`): a four-letter `Atej` is a
/// spelling of the Arabic `Atef`, and would turn `NAJIB` of the same name into `nayib`.
fn shows_convention(t: &str) -> bool {
    t.contains('j')
        && (t.contains("tj")
            || t.contains("sj")
            || t.contains("zj")
            || t.contains("tsh")
            || J_ENDS
                .iter()
                .any(|e| t.ends_with(e) && (e.len() > 2 || t.len() >= 5)))
}

/// True when the token's marker is one that Arabic and Persian romanisations never show: a
/// `tj`/`tsh` ending (`Jurjevitj`, `Jurjevitš`) or a `j` word with a Slavic family-name or
/// patronymic ending (`Kljujeva`, `Nikolajev`). The other markers, `tj`/`sj`/`zj` inside a
/// word and the `-ij`/`-ej` endings, also spell Persian and Arabic words (`Dastjerdi`,
/// `Masjid`, `Basij`).
fn strong_marker(t: &str) -> bool {
    t.contains('j')
        && (t.ends_with("tj")
            || t.ends_with("tsh")
            || J_ENDS
                .iter()
                .any(|e| !matches!(*e, "ij" | "ej") && t.ends_with(e)))
}

/// True when a folded token has a Slavic family-name or patronymic ending.
fn slavic_ending(t: &str) -> bool {
    t.len() >= 5 && SLAVIC_ENDS.iter().any(|e| t.ends_with(e))
}

/// Belarusian and Ukrainian endings (Łacinka-style and BGN spellings) that count as East
/// Slavic evidence besides [`SLAVIC_ENDS`] (`Svjatlana Pjatrouna`, `Aljaksandrauna`,
/// `BANDARENKA`).
const EVIDENCE_ENDS: &[&str] = &["auna", "euna", "ouna", "avich", "enka", "ovych", "evych"];

/// True when a folded Latin token starts with a consonant followed by the glide `j` and a
/// vowel (`pjotr`, `ljudmila`, `vjaceslav`): a Central/Northern European spelling of a
/// Slavic name; English, Arabic and Turkic romanisations never start so (`dj` is the
/// French `j`, `Djamel`, and is left out).
fn initial_glide(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() >= 4
        && matches!(
            b[0],
            b'b' | b'f' | b'k' | b'l' | b'm' | b'n' | b'p' | b'r' | b's' | b't' | b'v' | b'z'
        )
        && b[1] == b'j'
        && matches!(b[2], b'a' | b'e' | b'o' | b'u')
}

/// True when a name token shows East Slavic evidence (see the module docs).
fn slavic_evidence(t: &Work) -> bool {
    if !t.is_name() {
        return false;
    }
    if t.script == crate::normalize::Script::Cyrillic {
        return true;
    }
    t.latin()
        && (slavic_ending(&t.text)
            || (t.text.len() >= 6 && EVIDENCE_ENDS.iter().any(|e| t.text.ends_with(e)))
            || initial_glide(&t.text))
}

/// Rewrites one folded token into the English-style spelling.
pub(crate) fn rewrite(t: &str) -> String {
    let b = t.as_bytes();
    let mut out = String::with_capacity(t.len() + 2);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let n1 = b.get(i + 1).copied().unwrap_or(0);
        let n2 = b.get(i + 2).copied().unwrap_or(0);
        match c {
            b't' if n1 == b'j' => {
                out.push_str("ch");
                i += 2;
            }
            b't' if n1 == b's' && n2 == b'h' => {
                out.push_str("ch");
                i += 3;
            }
            b's' if n1 == b'j' => {
                out.push_str("sh");
                i += 2;
            }
            b'z' if n1 == b'j' => {
                out.push_str("zh");
                i += 2;
            }
            b'j' => {
                out.push('y');
                i += 1;
            }
            _ => {
                out.push(c as char);
                i += 1;
            }
        }
    }
    out
}

/// Rewrites the Latin tokens of a name written the Central/Northern European way (see the
/// module docs). Returns true when the name shows East Slavic evidence (rewritten or not).
pub(crate) fn apply(w: &mut [Work]) -> bool {
    let latin = |t: &Work| t.is_name() && t.latin();
    // a known Arabic or Persian romanisation is no marker (`Dastjerdi`), and a weak marker
    // in a name whose other words are such romanisations proves nothing without other
    // Slavic evidence (`Basij`, `Masjid` next to `Ahmad`)
    let marker = |t: &Work| {
        latin(t) && shows_convention(&t.text) && !crate::variants::arabic_spelling(&t.text)
    };
    let arabic_context = || {
        w.iter()
            .any(|t| latin(t) && crate::variants::arabic_spelling(&t.text))
            && !w.iter().any(slavic_evidence)
    };
    let proven = w.iter().any(|t| marker(t) && strong_marker(&t.text))
        || (w.iter().any(marker) && !arabic_context());
    let initial_je = w
        .iter()
        .any(|t| latin(t) && (t.text.starts_with("je") || t.text.starts_with("ju")))
        && w.iter().any(|t| latin(t) && slavic_ending(&t.text));
    if !proven && !initial_je {
        return w.iter().any(slavic_evidence);
    }
    for t in w.iter_mut() {
        if latin(t) && t.text.contains('j') {
            t.text = rewrite(&t.text);
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::tokenize;

    fn run(s: &str) -> Vec<String> {
        let mut w: Vec<Work> = tokenize(s).0.into_iter().map(Work::from_raw).collect();
        apply(&mut w);
        w.into_iter().map(|t| t.text).collect()
    }

    fn evidence(s: &str) -> bool {
        let mut w: Vec<Work> = tokenize(s).0.into_iter().map(Work::from_raw).collect();
        apply(&mut w)
    }

    #[test]
    fn slavic_evidence_without_a_marker_keeps_the_spelling() {
        // evidence, but no token proves the `j` = y convention: nothing is rewritten
        assert_eq!(run("Ilja Kurilov"), vec!["ilja", "kurilov"]);
        assert_eq!(run("Eljan Mammadov"), vec!["eljan", "mammadov"]);
        assert!(evidence("Ilja Kurilov"));
        assert!(evidence("Pjotr Aven"));
        assert!(evidence("Svjatlana Pjatrouna KATSUBA"));
        assert!(evidence("Иля Курилов"));
        assert!(evidence("Vjatjeslav Jurjevitj LOGINOV"));
        // no evidence: Arabic, French and English names with `j`
        assert!(!evidence("Jamal Majid Faraj"));
        assert!(!evidence("Djamel Moustafa"));
        assert!(!evidence("John Jones"));
    }

    #[test]
    fn swedish_spellings_of_russian_names_become_english_style() {
        assert_eq!(
            run("Vjatjeslav Jurjevitj LOGINOV"),
            vec!["vyacheslav", "yuryevich", "loginov"]
        );
        assert_eq!(
            run("Vadim Nikolajevitj MOSJKOVITJ"),
            vec!["vadim", "nikolayevich", "moshkovich"]
        );
        assert_eq!(run("Irina Kljujeva"), vec!["irina", "klyuyeva"]);
    }

    #[test]
    fn finnish_tsh_is_ch() {
        assert_eq!(
            run("Vladimir Jurjevitš Zaitsev"),
            vec!["vladimir", "yuryevich", "zaitsev"]
        );
    }

    #[test]
    fn a_given_name_follows_its_slavic_family_name() {
        assert_eq!(run("Jelena Děmidova"), vec!["yelena", "demidova"]);
        assert_eq!(run("Jurij Konovejev"), vec!["yuriy", "konoveyev"]);
    }

    #[test]
    fn persian_and_arabic_words_with_tj_sj_or_ij_keep_their_j() {
        // a known romanisation is no marker
        assert_eq!(
            run("Ahmad Vahid Dastjerdi"),
            vec!["ahmad", "vahid", "dastjerdi"]
        );
        // a weak marker next to an Arabic name, no Slavic evidence
        assert_eq!(run("Ahmad Basij"), vec!["ahmad", "basij"]);
        // a strong marker still proves the convention next to an Arabic name
        assert_eq!(
            run("Ramzan Achmatovitj KADYROV"),
            vec!["ramzan", "achmatovich", "kadyrov"]
        );
        // a weak marker with Slavic evidence elsewhere still proves it
        assert_eq!(run("Sergej Ivanov"), vec!["sergey", "ivanov"]);
    }

    #[test]
    fn a_four_letter_ej_word_proves_nothing() {
        assert_eq!(run("Atej NAJIB"), vec!["atej", "najib"]);
        assert_eq!(run("Matej Novak"), vec!["matey", "novak"]);
    }

    #[test]
    fn arabic_and_english_j_names_are_left_alone() {
        assert_eq!(run("Jamal Majid Faraj"), vec!["jamal", "majid", "faraj"]);
        assert_eq!(run("Jamshid KARIMOV"), vec!["jamshid", "karimov"]);
        assert_eq!(run("John Jones"), vec!["john", "jones"]);
        assert_eq!(run("Djamel Moustafa"), vec!["djamel", "moustafa"]);
    }
}
