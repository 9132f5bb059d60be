//! UN Security Council Consolidated List XML (`CONSOLIDATED_LIST`, sc-sanctions.xsd).
//!
//! Ids are `un:<REFERENCE_NUMBER>` (`un:QDi.299`). Aliases are unpacked: one `ALIAS_NAME`
//! may hold an Arabic name and its Latin renderings (`أبو بكر البغدادي (Abu Bakr al-Baghdadi;
//! …)`), and alias NOTEs list further spellings in parentheses. QUALITY `Good`/`a.k.a.` →
//! strong alias, `Low` → weak alias, `f.k.a.` → formerly known as.

use quick_xml::events::BytesStart;

use crate::build::gender;
use crate::error::Error;
use crate::model::*;
use crate::text::{clean, names_in_note, split_packed};
use crate::xml::{self, Handler, Path};

#[derive(Default)]
struct Alias {
    quality: String,
    name: String,
    note: String,
    dob: String,
    city_of_birth: String,
    country_of_birth: String,
}

#[derive(Default)]
struct Sub {
    // shared by DOB, POB, address, document sub-records
    fields: Vec<(&'static str, String)>,
}

impl Sub {
    fn get(&self, k: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| *n == k)
            .map_or("", |(_, v)| v.as_str())
    }
}

struct Record {
    person: bool,
    name_parts: [String; 4],
    reference: String,
    dataid: String,
    list_type: String,
    listed_on: String,
    gender: String,
    comments: String,
    original: String,
    titles: Vec<String>,
    designations: Vec<String>,
    nationalities: Vec<String>,
    aliases: Vec<Alias>,
    dobs: Vec<Sub>,
    pobs: Vec<Sub>,
    addresses: Vec<Sub>,
    documents: Vec<Sub>,
}

impl Record {
    fn new(person: bool) -> Record {
        Record {
            person,
            name_parts: Default::default(),
            reference: String::new(),
            dataid: String::new(),
            list_type: String::new(),
            listed_on: String::new(),
            gender: String::new(),
            comments: String::new(),
            original: String::new(),
            titles: Vec::new(),
            designations: Vec::new(),
            nationalities: Vec::new(),
            aliases: Vec::new(),
            dobs: Vec::new(),
            pobs: Vec::new(),
            addresses: Vec::new(),
            documents: Vec::new(),
        }
    }
}

struct Parser {
    published: Option<String>,
    entities: Vec<Entity>,
    warnings: Vec<Warning>,
    current: Option<Record>,
    count: usize,
    saw_root: bool,
}

const SUB_FIELDS: [&str; 16] = [
    "TYPE_OF_DATE",
    "DATE",
    "YEAR",
    "FROM_YEAR",
    "TO_YEAR",
    "NOTE",
    "CITY",
    "STATE_PROVINCE",
    "COUNTRY",
    "STREET",
    "ZIP_CODE",
    "TYPE_OF_DOCUMENT",
    "TYPE_OF_DOCUMENT2",
    "NUMBER",
    "ISSUING_COUNTRY",
    "DATE_OF_ISSUE",
];
const SUB_FIELDS_MORE: [&str; 3] = ["CITY_OF_ISSUE", "COUNTRY_OF_ISSUE", "REGION"];

fn sub_key(name: &[u8]) -> Option<&'static str> {
    SUB_FIELDS
        .iter()
        .chain(SUB_FIELDS_MORE.iter())
        .copied()
        .find(|k| k.as_bytes() == name)
}

impl Handler for Parser {
    fn start(&mut self, path: &Path, e: &BytesStart<'_>) -> Result<(), Error> {
        if path.depth() == 1 {
            self.saw_root = true;
            if let Some(d) = xml::attr(e, b"dateGenerated") {
                self.published = crate::text::iso_date(&d, false).or(Some(d));
            }
            return Ok(());
        }
        let name = path.last();
        if path.depth() == 3 && (name == b"INDIVIDUAL" || name == b"ENTITY") {
            self.count += 1;
            self.current = Some(Record::new(name == b"INDIVIDUAL"));
            return Ok(());
        }
        let Some(r) = self.current.as_mut() else {
            return Ok(());
        };
        if path.depth() == 4 {
            match name {
                b"INDIVIDUAL_ALIAS" | b"ENTITY_ALIAS" => r.aliases.push(Alias::default()),
                b"INDIVIDUAL_DATE_OF_BIRTH" => r.dobs.push(Sub::default()),
                b"INDIVIDUAL_PLACE_OF_BIRTH" => r.pobs.push(Sub::default()),
                b"INDIVIDUAL_ADDRESS" | b"ENTITY_ADDRESS" => r.addresses.push(Sub::default()),
                b"INDIVIDUAL_DOCUMENT" => r.documents.push(Sub::default()),
                _ => {}
            }
        }
        Ok(())
    }

    fn end(&mut self, path: &Path, text: &str) -> Result<(), Error> {
        let name = path.last();
        if path.depth() == 3 && (name == b"INDIVIDUAL" || name == b"ENTITY") {
            if let Some(r) = self.current.take() {
                self.finish(r);
            }
            return Ok(());
        }
        let Some(r) = self.current.as_mut() else {
            return Ok(());
        };
        match path.depth() {
            4 => match name {
                b"FIRST_NAME" => r.name_parts[0] = text.to_owned(),
                b"SECOND_NAME" => r.name_parts[1] = text.to_owned(),
                b"THIRD_NAME" => r.name_parts[2] = text.to_owned(),
                b"FOURTH_NAME" => r.name_parts[3] = text.to_owned(),
                b"REFERENCE_NUMBER" => r.reference = clean(text),
                b"DATAID" => r.dataid = clean(text),
                b"UN_LIST_TYPE" => r.list_type = clean(text),
                b"LISTED_ON" => r.listed_on = clean(text),
                b"GENDER" => r.gender = clean(text),
                b"COMMENTS1" => r.comments = clean(text),
                b"NAME_ORIGINAL_SCRIPT" => r.original = clean(text),
                _ => {}
            },
            5 => {
                let parent = path.parent();
                if name == b"VALUE" {
                    let v = clean(text);
                    if v.is_empty() {
                        return Ok(());
                    }
                    match parent {
                        b"TITLE" => r.titles.push(v),
                        b"DESIGNATION" => r.designations.push(v),
                        b"NATIONALITY" => r.nationalities.push(v),
                        _ => {}
                    }
                    return Ok(());
                }
                match parent {
                    b"INDIVIDUAL_ALIAS" | b"ENTITY_ALIAS" => {
                        if let Some(a) = r.aliases.last_mut() {
                            match name {
                                b"QUALITY" => a.quality = clean(text),
                                b"ALIAS_NAME" => a.name = text.to_owned(),
                                b"NOTE" => a.note = clean(text),
                                b"DATE_OF_BIRTH" => a.dob = clean(text),
                                b"CITY_OF_BIRTH" => a.city_of_birth = clean(text),
                                b"COUNTRY_OF_BIRTH" => a.country_of_birth = clean(text),
                                _ => {}
                            }
                        }
                    }
                    b"INDIVIDUAL_DATE_OF_BIRTH"
                    | b"INDIVIDUAL_PLACE_OF_BIRTH"
                    | b"INDIVIDUAL_ADDRESS"
                    | b"ENTITY_ADDRESS"
                    | b"INDIVIDUAL_DOCUMENT" => {
                        let list = match parent {
                            b"INDIVIDUAL_DATE_OF_BIRTH" => &mut r.dobs,
                            b"INDIVIDUAL_PLACE_OF_BIRTH" => &mut r.pobs,
                            b"INDIVIDUAL_DOCUMENT" => &mut r.documents,
                            _ => &mut r.addresses,
                        };
                        if let (Some(sub), Some(key)) = (list.last_mut(), sub_key(name)) {
                            let v = clean(text);
                            if !v.is_empty() {
                                sub.fields.push((key, v));
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn record(&self) -> String {
        match &self.current {
            Some(r) if !r.reference.is_empty() => format!("record un:{}", r.reference),
            Some(_) => format!("record {}", self.count),
            None => "document".into(),
        }
    }
}

impl Parser {
    fn finish(&mut self, r: Record) {
        let record_label = if r.reference.is_empty() {
            format!("record {} (DATAID {})", self.count, r.dataid)
        } else {
            format!("un:{}", r.reference)
        };
        if r.reference.is_empty() {
            self.warnings.push(Warning {
                record: record_label,
                message: "no REFERENCE_NUMBER; record skipped".into(),
            });
            return;
        }
        let schema = if r.person {
            Schema::Person
        } else {
            Schema::Organization
        };
        let mut ent = Entity::new(format!("un:{}", r.reference), schema, SourceKind::Un);
        let primary = r
            .name_parts
            .iter()
            .map(|p| clean(p))
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let mut primaries = split_packed(&primary).into_iter();
        if let Some(first) = primaries.next() {
            ent.add_name(&first, NameKind::Primary, Quality::Strong);
        }
        for other in primaries {
            ent.add_name(&other, NameKind::Alias, Quality::Strong);
        }
        for orig in split_packed(&r.original) {
            ent.add_name(&orig, NameKind::OriginalScript, Quality::Strong);
        }
        for a in &r.aliases {
            let q = a.quality.to_ascii_lowercase();
            let (kind, quality) = match q.as_str() {
                "low" => (NameKind::Alias, Quality::Weak),
                "f.k.a." | "fka" => (NameKind::FormerlyKnownAs, Quality::Strong),
                _ => (NameKind::Alias, Quality::Strong),
            };
            for n in split_packed(&a.name) {
                ent.add_name(&n, kind, quality);
            }
            if !a.name.trim().is_empty() {
                for n in names_in_note(&a.note) {
                    ent.add_name(&n, kind, quality);
                }
            }
            if let Some(d) = crate::text::parse_birth_text(&a.dob) {
                ent.add_birth_date(d);
            }
            let pob = [a.city_of_birth.as_str(), a.country_of_birth.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            ent.add_birth_place(&pob);
            if !a.note.is_empty() && !a.name.trim().is_empty() {
                ent.add_remark(&format!("alias {}: {}", clean(&a.name), a.note));
            }
        }
        if ent.names.is_empty() {
            self.warnings.push(Warning {
                record: record_label,
                message: "no name; record skipped".into(),
            });
            return;
        }
        for d in &r.dobs {
            let kind = d.get("TYPE_OF_DATE").to_ascii_uppercase();
            let circa = kind == "APPROXIMATELY";
            let bd = if !d.get("FROM_YEAR").is_empty() || !d.get("TO_YEAR").is_empty() {
                let from = PartialDate::parse(d.get("FROM_YEAR"));
                let to = PartialDate::parse(d.get("TO_YEAR"));
                match (from, to) {
                    (Some(f), Some(t)) => Some(BirthDate {
                        from: f.min(t),
                        to: f.max(t),
                        circa,
                    }),
                    (Some(x), None) | (None, Some(x)) => Some(BirthDate {
                        from: x,
                        to: x,
                        circa,
                    }),
                    _ => None,
                }
            } else {
                PartialDate::parse(d.get("DATE"))
                    .or_else(|| PartialDate::parse(d.get("YEAR")))
                    .map(|x| BirthDate {
                        from: x,
                        to: x,
                        circa,
                    })
            };
            match bd {
                Some(bd) => ent.add_birth_date(bd),
                None if d
                    .fields
                    .iter()
                    .any(|(k, _)| *k != "TYPE_OF_DATE" && *k != "NOTE") =>
                {
                    self.warnings.push(Warning {
                        record: record_label.clone(),
                        message: format!(
                            "unreadable date of birth {:?}; kept in remarks",
                            d.fields
                                .iter()
                                .map(|(k, v)| format!("{k}={v}"))
                                .collect::<Vec<_>>()
                        ),
                    });
                    ent.add_remark(&format!(
                        "date of birth: {}",
                        d.fields
                            .iter()
                            .map(|(_, v)| v.as_str())
                            .collect::<Vec<_>>()
                            .join(" ")
                    ));
                }
                None => {}
            }
            if !d.get("NOTE").is_empty() {
                ent.add_remark(&format!("date of birth note: {}", d.get("NOTE")));
            }
        }
        for p in &r.pobs {
            let parts: Vec<&str> = ["CITY", "STATE_PROVINCE", "COUNTRY"]
                .iter()
                .map(|k| p.get(k))
                .filter(|v| !v.is_empty())
                .collect();
            ent.add_birth_place(&parts.join(", "));
        }
        for n in &r.nationalities {
            ent.add_country(n, CountryRelation::Nationality);
        }
        for a in &r.addresses {
            let country = a.get("COUNTRY");
            ent.add_address(
                &[a.get("STREET"), a.get("STATE_PROVINCE"), a.get("ZIP_CODE")],
                Some(a.get("CITY")),
                Some(country),
            );
            if !country.is_empty() {
                ent.add_country(country, CountryRelation::Residence);
            }
        }
        for d in &r.documents {
            let kind = [d.get("TYPE_OF_DOCUMENT"), d.get("TYPE_OF_DOCUMENT2")]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" / ");
            let country = Some(d.get("ISSUING_COUNTRY"))
                .filter(|s| !s.is_empty())
                .or(Some(d.get("COUNTRY_OF_ISSUE")).filter(|s| !s.is_empty()));
            let mut note = Vec::new();
            for k in ["DATE_OF_ISSUE", "CITY_OF_ISSUE", "NOTE"] {
                if !d.get(k).is_empty() {
                    note.push(format!(
                        "{}: {}",
                        k.to_lowercase().replace('_', " "),
                        d.get(k)
                    ));
                }
            }
            let note = note.join("; ");
            if d.get("NUMBER").is_empty() {
                if !kind.is_empty() || !note.is_empty() {
                    ent.add_remark(&format!("document: {kind} {note}"));
                }
                continue;
            }
            ent.add_document(&kind, d.get("NUMBER"), country, Some(&note));
        }
        if !r.list_type.is_empty() {
            ent.add_program(&r.list_type);
        }
        ent.gender = gender(&r.gender);
        ent.listed_on = PartialDate::parse(&r.listed_on);
        for t in &r.titles {
            ent.add_remark(&format!("title: {t}"));
        }
        for d in &r.designations {
            ent.add_remark(&format!("designation: {d}"));
        }
        if !r.comments.is_empty() {
            ent.add_remark(&r.comments);
        }
        ent.finish();
        self.entities.push(ent);
    }
}

/// Parses a UN consolidated list. `bytes` must be UTF-8.
pub fn parse(bytes: &[u8], origin: &str) -> Result<WatchList, Error> {
    let mut p = Parser {
        published: None,
        entities: Vec::new(),
        warnings: Vec::new(),
        current: None,
        count: 0,
        saw_root: false,
    };
    let root = xml::walk(bytes, origin, &mut p)?;
    if root != b"CONSOLIDATED_LIST" {
        return Err(Error::invalid(
            origin,
            "document",
            format!(
                "root element is <{}>, not <CONSOLIDATED_LIST>",
                String::from_utf8_lossy(&root)
            ),
        ));
    }
    Ok(WatchList {
        source: SourceKind::Un,
        published: p.published,
        origin: origin.to_owned(),
        entities: p.entities,
        warnings: p.warnings,
    })
}
