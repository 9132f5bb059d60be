//! OFAC legacy delimited files: the SDN set (`sdn.csv`, `add.csv`, `alt.csv`,
//! `sdn_comments.csv`) and the non-SDN set (`cons_prim.csv`, `cons_add.csv`, `cons_alt.csv`,
//! `cons_comments.csv`). No header, `-0- ` is null, names are `LAST, First`, several
//! programmes are written `SDGT] [IRGC`.
//!
//! The CSV set carries less than the XML: dates of birth, places of birth, documents,
//! nationalities and the weak akas live only inside the Remarks text (`DOB 09 Feb 1951; POB
//! Gaza, Egypt; Passport 92/664 (Egypt); a.k.a. 'ABU-'UMAR'.`). They are extracted here so that
//! a CSV-fed raqib screens as well as an XML-fed one. Remarks longer than the column limit
//! continue in the comments file and are joined before extraction.

use rustc_hash::FxHashMap;

use crate::build::gender;
use crate::error::Error;
use crate::model::*;
use crate::ofac_xml::{document_kind_and_number, is_informational_id};
use crate::text::{clean, non_empty, parse_birth_text};

/// The files of one CSV set; only the primary file is required.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvSet<'a> {
    pub primary: &'a [u8],
    pub addresses: Option<&'a [u8]>,
    pub alt_names: Option<&'a [u8]>,
    pub comments: Option<&'a [u8]>,
}

/// Document types OFAC writes in Remarks (the `idType` vocabulary of its XML); longest first
/// when matched so that "Passport" does not swallow "Passport No.".
const DOC_TYPES: &[&str] = &[
    "Afghan Money Service Provider License Number",
    "Aircraft Construction Number (also called L/N or S/N or F/N)",
    "Aircraft Manufacturer's Serial Number (MSN)",
    "Aircraft Mode S Transponder Code",
    "Aircraft Serial Identification",
    "Aircraft Tail Number",
    "BIK (RU)",
    "Birth Certificate Number",
    "Bosnian Personal ID No.",
    "Branch Unit Number",
    "British National Overseas Passport",
    "Business Number",
    "Business Registration Document #",
    "Business Registration Number",
    "C.I.F.",
    "C.I.N.",
    "C.R. No.",
    "C.U.I.",
    "C.U.I.P.",
    "C.U.I.T.",
    "C.U.R.P.",
    "CNP (Personal Numerical Code)",
    "Cartilla de Servicio Militar Nacional",
    "Cedula No.",
    "Central Registration System Number",
    "Certificate of Incorporation Number",
    "Chamber of Commerce Number",
    "Chinese Commercial Code",
    "Citizen's Card Number",
    "Commercial Registry Number",
    "Company Number",
    "Credencial electoral",
    "D-U-N-S Number",
    "D.N.I.",
    "Digital Currency Address - ARB",
    "Digital Currency Address - BCH",
    "Digital Currency Address - BSC",
    "Digital Currency Address - BSV",
    "Digital Currency Address - BTG",
    "Digital Currency Address - DASH",
    "Digital Currency Address - ETC",
    "Digital Currency Address - ETH",
    "Digital Currency Address - LTC",
    "Digital Currency Address - TRX",
    "Digital Currency Address - USDC",
    "Digital Currency Address - USDT",
    "Digital Currency Address - XBT",
    "Digital Currency Address - XMR",
    "Digital Currency Address - XRP",
    "Digital Currency Address - XVG",
    "Digital Currency Address - ZEC",
    "Diplomatic Passport",
    "Driver's License No.",
    "Dubai Chamber of Commerce Membership No.",
    "Economic Register Number (CBLS)",
    "Electoral Registry No.",
    "Email Address",
    "Enterprise Number",
    "File Number",
    "Fiscal Code",
    "Folio Mercantil No.",
    "Government Gazette Number",
    "I.F.E.",
    "ISIN",
    "Identification Number",
    "Immigration No.",
    "Istanbul Chamber of Comm. No.",
    "Italian Fiscal Code",
    "Kenyan ID No.",
    "LE Number",
    "Legal Entity Number",
    "License",
    "MICEX Code",
    "MMSI",
    "MSB Registration Number",
    "Matricula Mercantil No",
    "Military Registration Number",
    "Moroccan Personal ID No.",
    "N.I.E.",
    "N.I.F.",
    "NIT #",
    "National Foreign ID Number",
    "National ID No.",
    "Numero Unico de Identificacao Tributaria (NUIT)",
    "Numero de Identidad",
    "Organization Code",
    "Other Vessel Call Sign",
    "Paraguayan tax identification number",
    "Passport",
    "Permit Number",
    "Personal ID Card",
    "Phone Number",
    "Pilot License Number",
    "Previous Aircraft Tail Number",
    "Public Registration Number",
    "Public Security and Immigration No.",
    "R.F.C.",
    "RFC",
    "RIF #",
    "RTN",
    "RUC #",
    "Refugee ID Card",
    "Registered Charity No.",
    "Registration Certificate Number (Dubai)",
    "Registration ID",
    "Registration Number",
    "Residency Number",
    "Romanian C.R.",
    "Romanian Permanent Resident",
    "Romanian Tax Registration",
    "Russian State Individual Business Registration Number Pattern (OGRNIP)",
    "SRE Permit No.",
    "SSN",
    "SWIFT/BIC",
    "Seafarer's Identification Document",
    "Serial No.",
    "Stateless Person ID Card",
    "Stateless Person Passport",
    "Tax ID No.",
    "Tazkira National ID Card",
    "Tourism License No.",
    "Trade License No.",
    "Trademark number",
    "Travel Document Number",
    "Turkish Identification Number",
    "UAE Identification",
    "UK Company Number",
    "UN/LOCODE",
    "US FEIN",
    "Unified Social Credit Code (USCC)",
    "United Social Credit Code Certificate (USCCC)",
    "V.A.T. Number",
    "Vessel Registration Identification",
    "VisaNumberID",
    "Website",
    "Cedula",
    "Pasaporte",
    "National ID",
    "Residency Card",
];

fn doc_types_longest_first() -> Vec<&'static str> {
    let mut v = DOC_TYPES.to_vec();
    v.sort_by_key(|s| std::cmp::Reverse(s.len()));
    v
}

/// Splits OFAC Remarks into its `;`-separated items, keeping quoted akas whole.
fn remark_items(remarks: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut start = 0;
    let bytes = remarks.as_bytes();
    let mut in_aka = false;
    for (i, &b) in bytes.iter().enumerate() {
        if !in_aka && b == b'\'' && i >= 7 && remarks.is_char_boundary(i - 7) {
            let before = &remarks[i.saturating_sub(7)..i];
            if before.ends_with("a.k.a. ")
                || before.ends_with("f.k.a. ")
                || before.ends_with("n.k.a. ")
            {
                in_aka = true;
                continue;
            }
        }
        if in_aka && b == b'\'' {
            // an aka ends at a quote followed by ; . or the end
            let next = bytes.get(i + 1).copied();
            if matches!(next, None | Some(b';') | Some(b'.') | Some(b')')) {
                in_aka = false;
            }
            continue;
        }
        if b == b';' && !in_aka {
            items.push(remarks[start..i].trim());
            start = i + 1;
        }
    }
    items.push(remarks[start..].trim());
    items.into_iter().filter(|s| !s.is_empty()).collect()
}

/// Extracts names, dates, places, countries and documents from OFAC Remarks into `ent`.
pub(crate) fn apply_remarks(ent: &mut Entity, remarks: &str, doc_types: &[&str]) {
    for raw in remark_items(remarks) {
        let item = raw.trim_end_matches('.').trim();
        let item = item.strip_prefix("alt. ").unwrap_or(item);
        for (prefix, kind) in [
            ("a.k.a. ", NameKind::Alias),
            ("f.k.a. ", NameKind::FormerlyKnownAs),
            ("n.k.a. ", NameKind::Alias),
        ] {
            if let Some(rest) = item.strip_prefix(prefix) {
                let name = rest.trim().trim_matches('\'').trim();
                // OFAC's remark akas are the weak ones (its XML marks them category=weak).
                ent.add_name(name, kind, Quality::Weak);
            }
        }
        if let Some(rest) = item.strip_prefix("DOB ") {
            if let Some(d) = parse_birth_text(rest) {
                ent.add_birth_date(d);
            }
        } else if let Some(rest) = item.strip_prefix("POB ") {
            ent.add_birth_place(rest);
        } else if let Some(rest) = item.strip_prefix("nationality ") {
            ent.add_country(rest, CountryRelation::Nationality);
        } else if let Some(rest) = item.strip_prefix("citizen ") {
            ent.add_country(rest, CountryRelation::Citizenship);
        } else if let Some(rest) = item.strip_prefix("Gender ") {
            ent.gender = gender(rest).or(ent.gender);
        } else if let Some(t) = doc_types.iter().find(|t| {
            item.len() > t.len() && item.starts_with(**t) && item.as_bytes()[t.len()] == b' '
        }) {
            if is_informational_id(t) {
                continue;
            }
            let rest = item[t.len()..].trim();
            // "92/664 (Egypt) issued 2001" → number, country, note
            let (number, country, note) = match rest.find(" (") {
                Some(open) => {
                    let number = &rest[..open];
                    let after = &rest[open + 2..];
                    match after.find(')') {
                        Some(close) => (number, Some(&after[..close]), after[close + 1..].trim()),
                        None => (number, None, after),
                    }
                }
                None => (rest, None, ""),
            };
            let (kind, number) = document_kind_and_number(t, number);
            ent.add_document(&kind, &number, country, Some(note));
        }
    }
}

fn reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
}

/// Reads records; rows with fewer than `min_cols` fields become warnings. The DOS end-of-file
/// byte (0x1A) OFAC appends is ignored.
fn rows<'b>(
    bytes: &'b [u8],
    file: &str,
    origin: &str,
    min_cols: usize,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<(crate::text::LineOf<'b>, csv::StringRecord)>, Error> {
    let mut out = Vec::new();
    let mut r = reader(bytes);
    let mut rec = csv::StringRecord::new();
    loop {
        let line = r.position().line();
        match r.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                if rec.len() == 1
                    && rec
                        .get(0)
                        .is_some_and(|f| f.trim_matches(['\u{1a}', ' ']).is_empty())
                {
                    continue;
                }
                let at = rec.position().map_or(0, |p| p.byte());
                let line = crate::text::LineOf(bytes, at);
                if rec.len() < min_cols {
                    warnings.push(Warning {
                        record: format!("{file} line {line}"),
                        message: format!(
                            "expected {min_cols} columns, found {}; row skipped",
                            rec.len()
                        ),
                    });
                    continue;
                }
                out.push((line, rec.clone()));
            }
            Err(e) => {
                let line = e
                    .position()
                    .map_or(line, |p| crate::text::line_at(bytes, p.byte()));
                if let csv::ErrorKind::Utf8 { .. } = e.kind() {
                    return Err(Error::Encoding {
                        origin: origin.to_owned(),
                        record: format!("{file} line {line}"),
                        message: "not UTF-8 text".into(),
                    });
                }
                return Err(Error::Csv {
                    origin: origin.to_owned(),
                    record: format!("{file} line {line}"),
                    message: e.to_string(),
                });
            }
        }
    }
    Ok(out)
}

fn field(rec: &csv::StringRecord, i: usize) -> String {
    non_empty(rec.get(i).unwrap_or("")).unwrap_or_default()
}

/// "LAST, First" → "First LAST" for people; organisation names keep their commas.
fn display_name(name: &str, person: bool) -> String {
    let n = clean(name);
    if person && let Some((last, first)) = n.split_once(", ") {
        let first = first.trim();
        if !first.is_empty() {
            return format!("{first} {}", last.trim());
        }
    }
    n
}

/// Parses an OFAC CSV set. `consolidated` selects the source (SDN or non-SDN).
pub fn parse_set(set: CsvSet<'_>, consolidated: bool, origin: &str) -> Result<WatchList, Error> {
    let source = if consolidated {
        SourceKind::OfacConsolidated
    } else {
        SourceKind::OfacSdn
    };
    let (pfx, add_name, alt_name, com_name) = if consolidated {
        (
            "cons_prim.csv",
            "cons_add.csv",
            "cons_alt.csv",
            "cons_comments.csv",
        )
    } else {
        ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")
    };
    let mut warnings = Vec::new();
    let doc_types = doc_types_longest_first();
    let prim = rows(set.primary, pfx, origin, 12, &mut warnings)?;
    let mut entities: Vec<Entity> = Vec::with_capacity(prim.len());
    let mut remarks: Vec<String> = Vec::with_capacity(prim.len());
    let mut index: FxHashMap<String, usize> = FxHashMap::default();
    for (line, rec) in &prim {
        let num = field(rec, 0);
        if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
            warnings.push(Warning {
                record: format!("{pfx} line {line}"),
                message: format!(
                    "ent_num {:?} is not a number; row skipped",
                    rec.get(0).unwrap_or("")
                ),
            });
            continue;
        }
        let id = format!("ofac:{num}");
        let sdn_type = field(rec, 2).to_ascii_lowercase();
        let schema = match sdn_type.as_str() {
            "individual" => Schema::Person,
            "vessel" => Schema::Vessel,
            "aircraft" => Schema::Aircraft,
            _ => Schema::Organization,
        };
        let name = display_name(&field(rec, 1), schema == Schema::Person);
        if name.is_empty() {
            warnings.push(Warning {
                record: format!("{pfx} line {line} ({id})"),
                message: "no name; row skipped".into(),
            });
            continue;
        }
        if index.contains_key(&id) {
            warnings.push(Warning {
                record: format!("{pfx} line {line} ({id})"),
                message: "ent_num appears twice; later row skipped".into(),
            });
            continue;
        }
        let mut ent = Entity::new(id.clone(), schema, source);
        ent.add_name(&name, NameKind::Primary, Quality::Strong);
        for p in field(rec, 3).split("] [") {
            ent.add_program(p.trim_matches(['[', ']', ' ']));
        }
        let title = field(rec, 4);
        if !title.is_empty() {
            ent.add_remark(&format!("title: {title}"));
        }
        let call_sign = field(rec, 5);
        if !call_sign.is_empty() {
            ent.add_document("Call Sign", &call_sign, None, None);
        }
        for (i, label) in [
            (6, "vessel type"),
            (7, "tonnage"),
            (8, "gross registered tonnage"),
            (9, "flag"),
            (10, "vessel owner"),
        ] {
            let v = field(rec, i);
            if !v.is_empty() {
                ent.add_remark(&format!("{label}: {v}"));
            }
        }
        let flag = field(rec, 9);
        if !flag.is_empty() {
            ent.add_country(&flag, CountryRelation::Jurisdiction);
        }
        index.insert(id, entities.len());
        entities.push(ent);
        remarks.push(
            rec.get(11)
                .map(|r| if r.trim() == "-0-" { "" } else { r })
                .unwrap_or("")
                .to_owned(),
        );
    }
    if let Some(bytes) = set.comments {
        for (line, rec) in rows(bytes, com_name, origin, 2, &mut warnings)? {
            let id = format!("ofac:{}", field(&rec, 0));
            match index.get(&id) {
                Some(&i) => {
                    // The comments file continues the Remarks cell where the column limit cut it.
                    let more = rec.get(1).unwrap_or("");
                    if let Some(r) = remarks.get_mut(i) {
                        r.push_str(more);
                    }
                }
                None => warnings.push(Warning {
                    record: format!("{com_name} line {line}"),
                    message: format!("comment for unknown entry {id}; skipped"),
                }),
            }
        }
    }
    for (ent, r) in entities.iter_mut().zip(&remarks) {
        let r = clean(r);
        if !r.is_empty() {
            apply_remarks(ent, &r, &doc_types);
            ent.add_remark(&r);
        }
    }
    if let Some(bytes) = set.alt_names {
        for (line, rec) in rows(bytes, alt_name, origin, 4, &mut warnings)? {
            let id = format!("ofac:{}", field(&rec, 0));
            let Some(&i) = index.get(&id) else {
                warnings.push(Warning {
                    record: format!("{alt_name} line {line}"),
                    message: format!("alias for unknown entry {id}; skipped"),
                });
                continue;
            };
            let Some(ent) = entities.get_mut(i) else {
                continue;
            };
            let kind = match field(&rec, 2).to_ascii_lowercase().as_str() {
                "fka" => NameKind::FormerlyKnownAs,
                _ => NameKind::Alias,
            };
            let name = display_name(&field(&rec, 3), ent.schema == Schema::Person);
            ent.add_name(&name, kind, Quality::Strong);
            let rem = field(&rec, 4);
            if !rem.is_empty() {
                ent.add_remark(&format!("alias {name}: {rem}"));
            }
        }
    }
    if let Some(bytes) = set.addresses {
        for (line, rec) in rows(bytes, add_name, origin, 5, &mut warnings)? {
            let id = format!("ofac:{}", field(&rec, 0));
            let Some(&i) = index.get(&id) else {
                warnings.push(Warning {
                    record: format!("{add_name} line {line}"),
                    message: format!("address for unknown entry {id}; skipped"),
                });
                continue;
            };
            let Some(ent) = entities.get_mut(i) else {
                continue;
            };
            let country = field(&rec, 4);
            ent.add_address(&[&field(&rec, 2), &field(&rec, 3)], None, Some(&country));
            if !country.is_empty() {
                let rel = if ent.schema == Schema::Person {
                    CountryRelation::Residence
                } else {
                    CountryRelation::Jurisdiction
                };
                ent.add_country(&country, rel);
            }
            let rem = field(&rec, 5);
            if !rem.is_empty() {
                ent.add_remark(&format!("address: {rem}"));
            }
        }
    }
    for e in &mut entities {
        e.finish();
    }
    if entities.is_empty() {
        return Err(Error::invalid(origin, pfx, "no entries could be read"));
    }
    Ok(WatchList {
        source,
        published: None,
        origin: origin.to_owned(),
        entities,
        warnings,
    })
}

/// What one OFAC CSV file is, told from its content: the number of columns of its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvRole {
    Primary,
    Addresses,
    AltNames,
    Comments,
}

/// Guesses the role of an OFAC CSV file from its first rows (12 columns: primary; 6:
/// addresses; 5 with aka/fka/nka in column 3: alternate names; 2: comments), `None` if it is
/// not an OFAC CSV file.
pub fn role(bytes: &[u8]) -> Option<CsvRole> {
    let head = &bytes[..bytes.len().min(16 * 1024)];
    let mut r = reader(head);
    let mut rec = csv::ByteRecord::new();
    let mut seen = 0;
    let mut role = None;
    while seen < 3 {
        match r.read_byte_record(&mut rec) {
            Ok(true) => {}
            _ => break,
        }
        if rec.len() == 1
            && rec
                .get(0)
                .is_some_and(|f| f.iter().all(|b| *b == 0x1a || *b == b' '))
        {
            continue;
        }
        let first_numeric = rec
            .get(0)
            .is_some_and(|f| !f.is_empty() && f.iter().all(u8::is_ascii_digit));
        if !first_numeric {
            return None;
        }
        let this = match rec.len() {
            12 => CsvRole::Primary,
            6 => CsvRole::Addresses,
            5 => {
                let t = rec
                    .get(2)
                    .map(|t| String::from_utf8_lossy(t).to_ascii_lowercase())
                    .unwrap_or_default();
                if ["aka", "fka", "nka"].contains(&t.trim()) {
                    CsvRole::AltNames
                } else {
                    return None;
                }
            }
            2 => CsvRole::Comments,
            _ => {
                if seen == 0 {
                    return None;
                }
                seen += 1;
                continue;
            }
        };
        if role.is_some_and(|r| r != this) {
            return None;
        }
        role = Some(this);
        seen += 1;
    }
    role
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remarks_yield_weak_akas_dates_and_documents() {
        let mut e = Entity::new("ofac:3754", Schema::Person, SourceKind::OfacSdn);
        e.add_name(
            "Mousa Mohammed ABU MARZOOK",
            NameKind::Primary,
            Quality::Strong,
        );
        apply_remarks(
            &mut e,
            "DOB 09 Feb 1951; POB Gaza, Egypt; Passport 92/664 (Egypt); SSN 523-33-8386 (United States); nationality Jordan; a.k.a. 'ABU-'UMAR'.",
            &doc_types_longest_first(),
        );
        assert!(
            e.names
                .iter()
                .any(|n| n.value == "ABU-'UMAR" && n.quality == Quality::Weak)
        );
        assert_eq!(e.birth_dates.len(), 1);
        assert_eq!(e.birth_places, vec!["Gaza, Egypt"]);
        assert!(e.documents.iter().any(|d| d.kind == "Passport"
            && d.number == "92/664"
            && d.country.as_deref() == Some("EG")));
        assert!(
            e.documents
                .iter()
                .any(|d| d.kind == "SSN" && d.country.as_deref() == Some("US"))
        );
        assert!(e.countries.iter().any(|c| c.code == "JO"));
    }

    #[test]
    fn individual_names_are_reordered_organisations_are_not() {
        assert_eq!(
            display_name("ABU MARZOOK, Mousa Mohammed", true),
            "Mousa Mohammed ABU MARZOOK"
        );
        assert_eq!(
            display_name("ANGLO-CARIBBEAN CO., LTD.", false),
            "ANGLO-CARIBBEAN CO., LTD."
        );
    }

    #[test]
    fn roles_are_told_by_column_count() {
        assert_eq!(
            role(b"36,\"AERO\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n"),
            Some(CsvRole::Primary)
        );
        assert_eq!(
            role(b"36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \n"),
            Some(CsvRole::AltNames)
        );
        assert_eq!(
            role(b"36,25,-0- ,\"Havana\",\"Cuba\",-0- \n"),
            Some(CsvRole::Addresses)
        );
        assert_eq!(role(b"12300,\"Z S.A.S.\"\n"), Some(CsvRole::Comments));
        assert_eq!(role(b"name,dob\nx,y\n"), None);
    }
}
