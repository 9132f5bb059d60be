//! UK sanctions list CSV, read by header names so that all three published layouts work:
//!
//! * OFSI ConList, 2018 layout: row 1 `Last Updated,13/04/2018`, row 2 the header (`Name 6`
//!   surname, `Name 1`–`Name 5`, `Title`, `DOB`, …, `Alias Type`, `Regime`, `Group ID`);
//! * OFSI ConList, 2022+ layout: adds `Name Non-Latin Script`, `Non-Latin Script Type`,
//!   `Non-Latin Script Language`, `Passport Number`, `National Identification Number`,
//!   `Alias Quality`, `UK Sanctions List Date Designated`;
//! * FCDO UK Sanctions List CSV: row 1 `Report Date: 13-Feb-2026`, header with `Unique ID`,
//!   `OFSI Group ID`, `Name type`, `Alias strength`, `Name non-latin script`,
//!   `Address Line 1`…, `D.O.B`, `Nationality(/ies)`, `Designation Type`, `IMO number`.
//!
//! One row per name variant; rows are grouped by group id → `uk:<Group ID>`. Given names come
//! first and the surname (`Name 6`) last: `Farooq AL-QAHTANI`.

use rustc_hash::FxHashMap;

use crate::build::gender;
use crate::error::Error;
use crate::model::*;
use crate::text::{clean, iso_date, parse_birth_text, split_numbered};

/// Column positions by (case-insensitive) header name; a layout may lack any of them.
struct Columns {
    names: [Option<usize>; 6],
    surname: Option<usize>,
    title: Option<usize>,
    non_latin: Option<usize>,
    non_latin_lang: Option<usize>,
    dob: Option<usize>,
    town_of_birth: Option<usize>,
    country_of_birth: Option<usize>,
    nationality: Option<usize>,
    passport_number: Option<usize>,
    passport_details: Option<usize>,
    national_id: Option<usize>,
    national_id_details: Option<usize>,
    position: Option<usize>,
    address: [Option<usize>; 6],
    postcode: Option<usize>,
    country: Option<usize>,
    other: Option<usize>,
    group_type: Option<usize>,
    alias_type: Option<usize>,
    alias_quality: Option<usize>,
    regime: Option<usize>,
    listed_on: Option<usize>,
    group_id: Option<usize>,
    unique_id: Option<usize>,
    gender: Option<usize>,
    imo: Option<usize>,
    flag: Option<usize>,
    ship_type: Option<usize>,
    business_reg: Option<usize>,
    un_ref: Option<usize>,
    count: usize,
}

impl Columns {
    fn from_header(h: &csv::StringRecord) -> Columns {
        let find = |names: &[&str]| -> Option<usize> {
            h.iter().position(|c| {
                let c = c.trim().trim_start_matches('\u{feff}');
                names.iter().any(|n| c.eq_ignore_ascii_case(n))
            })
        };
        Columns {
            names: [
                find(&["Name 1"]),
                find(&["Name 2"]),
                find(&["Name 3"]),
                find(&["Name 4"]),
                find(&["Name 5"]),
                None,
            ],
            surname: find(&["Name 6"]),
            title: find(&["Title"]),
            non_latin: find(&["Name Non-Latin Script"]),
            non_latin_lang: find(&["Non-Latin Script Language"]),
            dob: find(&["DOB", "D.O.B", "D.O.B."]),
            town_of_birth: find(&["Town of Birth"]),
            country_of_birth: find(&["Country of Birth"]),
            nationality: find(&["Nationality", "Nationality(/ies)", "Nationalities"]),
            passport_number: find(&["Passport Number"]),
            passport_details: find(&["Passport Details", "Passport additional information"]),
            national_id: find(&[
                "National Identification Number",
                "National Identifier number",
                "NI Number",
            ]),
            national_id_details: find(&[
                "National Identification Details",
                "National Identifier additional information",
            ]),
            position: find(&["Position"]),
            address: [
                find(&["Address 1", "Address Line 1"]),
                find(&["Address 2", "Address Line 2"]),
                find(&["Address 3", "Address Line 3"]),
                find(&["Address 4", "Address Line 4"]),
                find(&["Address 5", "Address Line 5"]),
                find(&["Address 6", "Address Line 6"]),
            ],
            postcode: find(&["Post/Zip Code", "Address Postal Code"]),
            country: find(&["Country", "Address Country"]),
            other: find(&["Other Information"]),
            group_type: find(&["Group Type", "Designation Type", "Individual, Entity, Ship"]),
            alias_type: find(&["Alias Type", "Name type"]),
            alias_quality: find(&["Alias Quality", "Alias strength"]),
            regime: find(&["Regime", "Regime Name"]),
            listed_on: find(&[
                "Listed On",
                "Date Designated",
                "UK Sanctions List Date Designated",
            ]),
            group_id: find(&["Group ID", "OFSI Group ID"]),
            unique_id: find(&["Unique ID"]),
            gender: find(&["Gender"]),
            imo: find(&["IMO number", "IMO Number"]),
            flag: find(&["Current believed flag of ship"]),
            ship_type: find(&["Type of ship"]),
            business_reg: find(&["Business registration number (s)"]),
            un_ref: find(&["UN Reference Number"]),
            count: h.len(),
        }
    }
}

/// True when `h` is a UK list header row.
fn is_header(h: &csv::StringRecord) -> bool {
    let has = |n: &str| {
        h.iter().any(|c| {
            c.trim()
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(n)
        })
    };
    has("Name 6") && (has("Group ID") || has("OFSI Group ID") || has("Unique ID"))
}

/// Content check used by format detection: a UK header within the first three rows.
pub(crate) fn looks_like(text: &[u8]) -> bool {
    let head = &text[..text.len().min(8 * 1024)];
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(head);
    let mut rec = csv::StringRecord::new();
    for _ in 0..3 {
        match r.read_record(&mut rec) {
            Ok(true) if is_header(&rec) => return true,
            Ok(true) => {}
            _ => return false,
        }
    }
    false
}

fn get(rec: &csv::StringRecord, i: Option<usize>) -> String {
    i.and_then(|i| rec.get(i)).map(clean).unwrap_or_default()
}

/// The first token with a digit in a free-text document field ("Passport No: 592667 (…)").
fn document_number(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()))
        .find(|t| t.chars().any(|c| c.is_ascii_digit()) && t.len() >= 3)
        .map(str::to_owned)
}

/// Parses a UK list CSV (already UTF-8).
pub fn parse(bytes: &[u8], origin: &str) -> Result<WatchList, Error> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rec = csv::StringRecord::new();
    let mut published = None;
    let mut cols = None;
    let mut warnings = Vec::new();
    let mut entities: Vec<Entity> = Vec::new();
    let mut index: FxHashMap<String, usize> = FxHashMap::default();
    let mut rows_read = 0usize;
    let csv_err = |e: csv::Error| {
        let line = e
            .position()
            .map_or(0, |p| crate::text::line_at(bytes, p.byte()));
        Error::Csv {
            origin: origin.to_owned(),
            record: format!("line {line}"),
            message: e.to_string(),
        }
    };
    loop {
        let ok = r.read_record(&mut rec).map_err(csv_err)?;
        if !ok {
            break;
        }
        let at = rec.position().map_or(0, |p| p.byte());
        let line = crate::text::LineOf(bytes, at);
        rows_read += 1;
        let Some(c) = cols.as_ref() else {
            if is_header(&rec) {
                cols = Some(Columns::from_header(&rec));
            } else if rows_read > 3 {
                return Err(Error::invalid(
                    origin,
                    "header",
                    "no UK list header (with Name 6 and Group ID) in the first rows",
                ));
            } else {
                // Preamble: "Last Updated,13/04/2018" or "Report Date: 13-Feb-2026".
                let first = rec
                    .get(0)
                    .unwrap_or("")
                    .trim()
                    .trim_start_matches('\u{feff}');
                if let Some(d) = first.strip_prefix("Report Date:") {
                    published = iso_date(d, false);
                } else if first.eq_ignore_ascii_case("Last Updated") {
                    published = rec.get(1).and_then(|d| iso_date(d, false));
                }
            }
            continue;
        };
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let id_col = c
            .group_id
            .filter(|&i| rec.get(i).is_some_and(|v| !v.trim().is_empty()))
            .or(c.unique_id);
        let group = get(&rec, id_col);
        if group.is_empty() {
            warnings.push(Warning {
                record: format!("line {line}"),
                message: format!(
                    "no group id (row has {} of {} columns); row skipped",
                    rec.len(),
                    c.count
                ),
            });
            continue;
        }
        if rec.len() < c.count {
            warnings.push(Warning {
                record: format!("line {line} (uk:{group})"),
                message: format!(
                    "row has {} of {} columns; missing ones read as empty",
                    rec.len(),
                    c.count
                ),
            });
        }
        let id = format!("uk:{group}");
        let gtype = get(&rec, c.group_type).to_ascii_lowercase();
        let schema = match gtype.as_str() {
            "individual" => Schema::Person,
            "ship" | "vessel" => Schema::Vessel,
            _ => Schema::Organization,
        };
        let i = match index.get(&id) {
            Some(&i) => i,
            None => {
                index.insert(id.clone(), entities.len());
                entities.push(Entity::new(id.clone(), schema, SourceKind::Uk));
                entities.len() - 1
            }
        };
        let Some(ent) = entities.get_mut(i) else {
            continue;
        };
        // Name: given names, then the surname.
        let mut parts: Vec<String> = c
            .names
            .iter()
            .map(|&n| get(&rec, n))
            .filter(|s| !s.is_empty())
            .collect();
        let surname = get(&rec, c.surname);
        if !surname.is_empty() {
            parts.push(surname);
        }
        let name = parts.join(" ");
        let alias_type = get(&rec, c.alias_type).to_ascii_lowercase();
        let weak = get(&rec, c.alias_quality)
            .to_ascii_lowercase()
            .contains("low");
        let quality = if weak { Quality::Weak } else { Quality::Strong };
        let kind = if alias_type.contains("fka") || alias_type.contains("formerly") {
            NameKind::FormerlyKnownAs
        } else if alias_type.contains("prime")
            || alias_type.starts_with("primary name") && !alias_type.contains("variation")
        {
            if ent.names.iter().any(|n| n.kind == NameKind::Primary) {
                NameKind::Alias
            } else {
                NameKind::Primary
            }
        } else {
            NameKind::Alias
        };
        let quality = if kind == NameKind::Primary {
            Quality::Strong
        } else {
            quality
        };
        ent.add_name(&name, kind, quality);
        let non_latin = get(&rec, c.non_latin);
        if !non_latin.is_empty() {
            let lang = get(&rec, c.non_latin_lang);
            ent.add_name_lang(
                &non_latin,
                NameKind::OriginalScript,
                Quality::Strong,
                Some(&lang),
            );
        }
        for d in split_numbered(&get(&rec, c.dob)) {
            match parse_birth_text(&d) {
                Some(bd) => ent.add_birth_date(bd),
                None => warnings.push(Warning {
                    record: format!("line {line} ({id})"),
                    message: format!("unreadable date of birth {d:?}"),
                }),
            }
        }
        let pob: Vec<String> = [get(&rec, c.town_of_birth), get(&rec, c.country_of_birth)]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        ent.add_birth_place(&pob.join(", "));
        for n in split_numbered(&get(&rec, c.nationality)) {
            ent.add_country(&n, CountryRelation::Nationality);
        }
        for (num_col, det_col, kind) in [
            (c.passport_number, c.passport_details, "Passport"),
            (
                c.national_id,
                c.national_id_details,
                "National Identification Number",
            ),
        ] {
            let num = get(&rec, num_col);
            let det = get(&rec, det_col);
            if !num.is_empty() {
                for n in split_numbered(&num) {
                    ent.add_document(kind, &n, None, Some(&det));
                }
            } else if !det.is_empty() && num_col.is_none() {
                // 2018 layout: only free text ("Passport No: 592667 (Qatari passport …)").
                for item in split_numbered(&det) {
                    if let Some(n) = document_number(&item) {
                        ent.add_document(kind, &n, None, Some(&item));
                    }
                }
            }
        }
        let imo = get(&rec, c.imo);
        if !imo.is_empty() {
            ent.add_document("IMO", imo.trim_start_matches("IMO").trim(), None, None);
        }
        let reg = get(&rec, c.business_reg);
        if !reg.is_empty() {
            ent.add_document("Business Registration Number", &reg, None, None);
        }
        let flag = get(&rec, c.flag);
        if !flag.is_empty() {
            ent.add_country(&flag, CountryRelation::Jurisdiction);
        }
        let addr: Vec<String> = c.address.iter().map(|&a| get(&rec, a)).collect();
        let post = get(&rec, c.postcode);
        let country = get(&rec, c.country);
        let mut parts: Vec<&str> = addr.iter().map(String::as_str).collect();
        parts.push(&post);
        ent.add_address(&parts, None, Some(&country));
        if !country.is_empty() {
            let rel = if schema == Schema::Person {
                CountryRelation::Residence
            } else {
                CountryRelation::Jurisdiction
            };
            ent.add_country(&country, rel);
        }
        let regime = get(&rec, c.regime);
        if !regime.is_empty() {
            ent.add_program(&regime);
        }
        if let Some(d) = PartialDate::parse(&get(&rec, c.listed_on)) {
            ent.listed_on = Some(ent.listed_on.map_or(d, |x| x.min(d)));
        }
        if ent.gender.is_none() {
            ent.gender = gender(&get(&rec, c.gender));
        }
        for (col, label) in [
            (c.title, "title"),
            (c.position, "position"),
            (c.ship_type, "type of ship"),
            (c.un_ref, "UN reference"),
        ] {
            let v = get(&rec, col);
            if !v.is_empty() {
                ent.add_remark(&format!("{label}: {v}"));
            }
        }
        let other = get(&rec, c.other);
        if !other.is_empty() {
            ent.add_remark(&other);
        }
    }
    if cols.is_none() {
        return Err(Error::invalid(
            origin,
            "header",
            "no UK list header (with Name 6 and Group ID)",
        ));
    }
    let mut out = Vec::with_capacity(entities.len());
    for mut e in entities {
        if e.names.is_empty() {
            warnings.push(Warning {
                record: e.id.clone(),
                message: "group has no name; skipped".into(),
            });
            continue;
        }
        e.finish();
        out.push(e);
    }
    Ok(WatchList {
        source: SourceKind::Uk,
        published,
        origin: origin.to_owned(),
        entities: out,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAYOUT_2022: &str = "Last Updated,01/09/2026\nName 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,Non-Latin Script Type,Non-Latin Script Language,DOB,Town of Birth,Country of Birth,Nationality,Passport Number,Passport Details,National Identification Number,National Identification Details,Position,Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,Post/Zip Code,Country,Other Information,Group Type,Alias Type,Alias Quality,Regime,Listed On,UK Sanctions List Date Designated,Last Updated,Group ID\n\
AL-BAGHDADI,Abu,Bakr,,,,,أبو بكر البغدادي,Arabic,Arabic,00/00/1971,Samarra,Iraq,Iraq,A123456,issued 2001,,,,,,,,,,,Iraq,UN Ref QDi.299,Individual,Primary name,,ISIL (Da'esh) and Al-Qaida,01/10/2011,31/12/2020,01/01/2024,12345\n\
AL-SAMARRAI,Ibrahim,,,,,,,,,,,,,,,,,,,,,,,,,,,Individual,Alias,Low,ISIL (Da'esh) and Al-Qaida,,,,12345\n";

    #[test]
    fn current_layout_reads_non_latin_names_by_header() {
        let wl = parse(LAYOUT_2022.as_bytes(), "test.csv").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(wl.published.as_deref(), Some("2026-09-01"));
        assert_eq!(wl.entities.len(), 1);
        let e = &wl.entities[0];
        assert_eq!(e.id, "uk:12345");
        assert_eq!(e.caption(), "Abu Bakr AL-BAGHDADI");
        assert!(
            e.names
                .iter()
                .any(|n| n.kind == NameKind::OriginalScript && n.script == Script::Arabic)
        );
        assert!(
            e.names
                .iter()
                .any(|n| n.value == "Ibrahim AL-SAMARRAI" && n.quality == Quality::Weak)
        );
        assert!(e.documents.iter().any(|d| d.number == "A123456"));
        assert_eq!(e.birth_dates[0].from.year, 1971);
    }
}
