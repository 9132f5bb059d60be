//! Small text helpers shared by the parsers: whitespace folding, splitting the packed alias
//! strings lists publish, and reading the free-text date forms ("circa 1970", "1968 to 1970").

use crate::model::{BirthDate, PartialDate, Script};

/// Trims and folds every run of whitespace (including newlines and no-break spaces) into one
/// space. Lists wrap long names over lines and pad with double spaces; neither is meaningful.
pub fn clean(s: &str) -> String {
    if is_clean(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}' {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// True when `clean` would return `s` unchanged: no leading, trailing or doubled spaces, no
/// other whitespace. Checked on bytes; any lead byte of a non-ASCII whitespace, BOM or
/// zero-width space (0xC2, 0xE1, 0xE2, 0xE3, 0xEF) sends the string to the slow path.
/// Most list values are already clean, and this check is several times faster.
fn is_clean(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let mut prev_space = false;
    for &c in b {
        match c {
            b' ' => {
                if prev_space {
                    return false;
                }
                prev_space = true;
                continue;
            }
            b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0xc2 | 0xe1 | 0xe2 | 0xe3 | 0xef => return false,
            _ => {}
        }
        prev_space = false;
    }
    true
}

/// `clean` that maps the empty result (and OFAC's `-0-` null) to `None`.
pub fn non_empty(s: &str) -> Option<String> {
    let c = clean(s);
    if c.is_empty() || c == "-0-" {
        None
    } else {
        Some(c)
    }
}

/// Splits a packed name into the names it holds.
///
/// The UN packs an original-script name and its Latin renderings into one alias:
/// `أبو بكر البغدادي (Abu Bakr al-Baghdadi; Abu Bakr)`; other entries separate spellings with
/// `;`. A parenthesis is split off only when its content is in another script than the outer
/// part or holds several `;`-separated names, so that `BUTEMBO AIRLINES (BAL)` stays one name.
pub fn split_packed(s: &str) -> Vec<String> {
    let s = clean(s);
    let mut out: Vec<String> = Vec::new();
    let push = |out: &mut Vec<String>, part: &str| {
        let p = clean(part.trim_matches(|c: char| c == ';' || c == ',' || c.is_whitespace()));
        if !p.is_empty() && !out.contains(&p) {
            out.push(p);
        }
    };
    if let (Some(open), true) = (s.find('('), s.ends_with(')')) {
        // The opening parenthesis that matches the final ')'.
        let outer = &s[..open];
        let inner = &s[open + 1..s.len() - 1];
        if !inner.contains('(') && !outer.trim().is_empty() {
            let outer_script = Script::detect(outer);
            let inner_script = Script::detect(inner);
            if outer_script != inner_script || inner.contains(';') {
                for part in outer.split(';') {
                    push(&mut out, part);
                }
                for part in inner.split(';') {
                    push(&mut out, part);
                }
                return out;
            }
        }
    }
    if s.contains(';') {
        for part in s.split(';') {
            push(&mut out, part);
        }
    } else if !s.is_empty() {
        out.push(s);
    }
    out
}

/// Names given in parentheses inside a UN alias NOTE, e.g. `(Abu Du’a; Abu Duaa’) prominently
/// known by this nom de guerre` → `["Abu Du’a", "Abu Duaa’"]`. Only parts that look like names
/// (letters, no digits, 1 to 8 words, no sentence words) are returned; notes are free text and
/// a false name costs more than a missed spelling.
pub fn names_in_note(note: &str) -> Vec<String> {
    const NOT_NAMES: [&str; 14] = [
        "born",
        "previously",
        "listed",
        "since",
        "until",
        "reportedly",
        "approximately",
        "located",
        "formerly",
        "under",
        "issued",
        "passport",
        "between",
        "years",
    ];
    let mut out = Vec::new();
    let mut rest = note;
    while let Some(open) = rest.find('(') {
        let Some(len) = rest[open + 1..].find(')') else {
            break;
        };
        let inner = &rest[open + 1..open + 1 + len];
        for part in inner.split(';') {
            let p = clean(part);
            let words = p.split(' ').count();
            let lower = p.to_lowercase();
            let looks_like_name = !p.is_empty()
                && (1..=8).contains(&words)
                && p.chars().count() <= 80
                && !p
                    .chars()
                    .any(|c| c.is_ascii_digit() || c == ':' || c == '/')
                && p.chars().any(char::is_alphabetic)
                && !lower.split(' ').any(|w| NOT_NAMES.contains(&w))
                && (p.chars().next().is_some_and(|c| !c.is_lowercase()));
            if looks_like_name && !out.contains(&p) {
                out.push(p);
            }
        }
        rest = &rest[open + 1 + len + 1..];
    }
    out
}

/// Reads the free-text birth dates of OFAC and UK files: `12 Jan 1970`, `Jan 1970`, `1970`,
/// `circa 1970`, `1968 to 1970`, `between 1960 and 1962`, `00/00/1980`, `approximately 1960`.
pub fn parse_birth_text(s: &str) -> Option<BirthDate> {
    let mut t = clean(s);
    let mut circa = false;
    for prefix in [
        "circa ",
        "Circa ",
        "approximately ",
        "Approximately ",
        "approx. ",
        "c. ",
        "ca. ",
    ] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.to_owned();
            circa = true;
        }
    }
    let t = t.trim_end_matches('.').trim();
    let t = t
        .strip_prefix("between ")
        .or_else(|| t.strip_prefix("Between "))
        .unwrap_or(t);
    for sep in [" to ", " and ", " - ", "-"] {
        if let Some((a, b)) = t.split_once(sep) {
            if sep == "-" && (a.len() != 4 || b.len() != 4) {
                continue;
            }
            let (Some(from), Some(to)) = (PartialDate::parse(a), PartialDate::parse(b)) else {
                continue;
            };
            let (from, to) = if to < from { (to, from) } else { (from, to) };
            return Some(BirthDate { from, to, circa });
        }
    }
    let d = PartialDate::parse(t)?;
    Some(BirthDate {
        from: d,
        to: d,
        circa,
    })
}

/// Converts a publication date in one of the list forms to ISO `YYYY-MM-DD`.
/// `month_first` reads `05/07/2024` as May 7 (OFAC); otherwise as 5 July (UK, EU).
pub fn iso_date(s: &str, month_first: bool) -> Option<String> {
    let s = clean(s);
    let s = s.split('T').next().unwrap_or(&s).to_owned();
    // 13-Feb-2026
    let dashed: Vec<&str> = s.split('-').collect();
    if dashed.len() == 3 && dashed[1].chars().all(char::is_alphabetic) {
        let d = PartialDate::parse(&format!("{} {} {}", dashed[0], dashed[1], dashed[2]))?;
        return Some(d.to_string());
    }
    let parts: Vec<&str> = s.split('/').collect();
    let d = if parts.len() == 3 && month_first {
        PartialDate::parse(&format!("{}-{}-{}", parts[2], parts[0], parts[1]))?
    } else {
        PartialDate::parse(&s)?
    };
    Some(d.to_string())
}

/// The 1-based line number of byte `offset` in `bytes` (the csv crate's own line counter
/// drifts on CRLF files, and a warning must point at the right line).
pub fn line_at(bytes: &[u8], offset: u64) -> u64 {
    let mut end = (offset as usize).min(bytes.len());
    // A record's position can point at the line break that ended the previous record.
    while end < bytes.len() && matches!(bytes[end], b'\r' | b'\n') {
        end += 1;
    }
    memchr::memchr_iter(b'\n', &bytes[..end]).count() as u64 + 1
}

/// A line number computed only when displayed (warnings are rare; counting lines for every
/// record would make CSV parsing quadratic).
#[derive(Debug, Clone, Copy)]
pub struct LineOf<'a>(pub &'a [u8], pub u64);

impl std::fmt::Display for LineOf<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", line_at(self.0, self.1))
    }
}

/// Splits UK-style numbered lists: `1) Saudi Arabia 2) Qatar` → `["Saudi Arabia", "Qatar"]`.
/// Text without numbering comes back whole.
pub fn split_numbered(s: &str) -> Vec<String> {
    let s = clean(s);
    if s.is_empty() {
        return Vec::new();
    }
    let bytes = s.as_bytes();
    let mut starts = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || bytes[i - 1] == b' ') {
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b')' && j - i <= 2 {
                starts.push((i, j + 1));
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    if starts.is_empty() {
        return vec![s];
    }
    let mut out = Vec::new();
    for (k, &(_, content)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(s.len(), |&(next, _)| next);
        let item = clean(s[content..end].trim_end_matches([',', ';']));
        if !item.is_empty() {
            out.push(item);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_un_alias_splits_into_arabic_and_latin_names() {
        let s = "أبو بكر البغدادي الحسيني القريشي (Abu Bakr al-Baghdadi al-Husayni al-Quraishi; Abu Bakr al-Baghdadi)";
        assert_eq!(
            split_packed(s),
            vec![
                "أبو بكر البغدادي الحسيني القريشي",
                "Abu Bakr al-Baghdadi al-Husayni al-Quraishi",
                "Abu Bakr al-Baghdadi"
            ]
        );
    }

    #[test]
    fn acronym_in_parentheses_stays_one_name() {
        assert_eq!(
            split_packed("BUTEMBO AIRLINES (BAL)"),
            vec!["BUTEMBO AIRLINES (BAL)"]
        );
        assert_eq!(split_packed("  A  ;  B "), vec!["A", "B"]);
    }

    #[test]
    fn note_names_are_taken_only_when_they_look_like_names() {
        assert_eq!(
            names_in_note("(Abu Du’a; Abu Duaa’) prominently known by this nom de guerre"),
            vec!["Abu Du’a", "Abu Duaa’"]
        );
        assert!(names_in_note("(previously listed between 2001 and 2003)").is_empty());
        assert_eq!(
            names_in_note(
                "born in 1971 in Samarra, Iraq (Ibrahim ‘Awad Ibrahim al-Badri al-Samarrai; Dr. Ibrahim Awwad Ibrahim al-Samarra’i)"
            ),
            vec![
                "Ibrahim ‘Awad Ibrahim al-Badri al-Samarrai",
                "Dr. Ibrahim Awwad Ibrahim al-Samarra’i"
            ]
        );
    }

    #[test]
    fn birth_text_forms() {
        assert_eq!(
            parse_birth_text("1968 to 1970"),
            Some(BirthDate::years(1968, 1970))
        );
        let c = parse_birth_text("circa 1958").unwrap_or_else(|| BirthDate::years(0, 0));
        assert!(c.circa);
        assert_eq!(c.from, PartialDate::year(1958));
        assert_eq!(
            parse_birth_text("09 Feb 1951"),
            Some(BirthDate::exact(PartialDate {
                year: 1951,
                month: Some(2),
                day: Some(9)
            }))
        );
        assert_eq!(
            parse_birth_text("00/00/1980"),
            Some(BirthDate::exact(PartialDate::year(1980)))
        );
        assert_eq!(parse_birth_text("nonsense"), None);
    }

    #[test]
    fn publication_dates_become_iso() {
        assert_eq!(iso_date("05/07/2024", true).as_deref(), Some("2024-05-07"));
        assert_eq!(iso_date("13/04/2018", false).as_deref(), Some("2018-04-13"));
        assert_eq!(
            iso_date("2026-02-27T00:00:09.554Z", false).as_deref(),
            Some("2026-02-27")
        );
        assert_eq!(
            iso_date("13-Feb-2026", false).as_deref(),
            Some("2026-02-13")
        );
    }

    #[test]
    fn clean_folds_every_kind_of_space() {
        assert_eq!(clean("  a \n\t b\u{a0}c\u{200b} "), "a b c");
        assert_eq!(clean("Saddam  Hussein"), "Saddam Hussein");
        assert_eq!(clean("أبو بكر"), "أبو بكر");
        assert_eq!(clean("Jean\u{2009}Dupont"), "Jean Dupont");
        assert_eq!(clean(""), "");
    }

    #[test]
    fn numbered_lists_split() {
        assert_eq!(
            split_numbered("1) Saudi Arabia 2) Qatar"),
            vec!["Saudi Arabia", "Qatar"]
        );
        assert_eq!(split_numbered("Iraq"), vec!["Iraq"]);
        assert!(split_numbered("  ").is_empty());
    }
}
