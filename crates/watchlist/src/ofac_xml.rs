//! OFAC SDN XML and the non-SDN Consolidated XML (same schema: `sdnList/sdnEntry`).
//!
//! Ids are `ofac:<uid>`. Akas keep their type (a.k.a. → alias, f.k.a. → formerly known as,
//! n.k.a. → alias) and category (strong/weak). The root carries `publshInformation` (sic).
//! `idList` mixes identity documents with facts (Gender, "Secondary sanctions risk:", dates);
//! documents become [`Document`]s, Gender becomes the gender, and the rest goes to remarks.

use quick_xml::events::BytesStart;

use crate::build::gender;
use crate::error::Error;
use crate::model::*;
use crate::text::{clean, iso_date, parse_birth_text};
use crate::xml::{self, Handler, Path};

type Fields = Vec<(&'static str, String)>;

fn get<'a>(f: &'a Fields, k: &str) -> &'a str {
    f.iter()
        .find(|(n, _)| *n == k)
        .map_or("", |(_, v)| v.as_str())
}

/// The element names the parser reads, as static strings so that fields are stored without
/// allocating their names.
const KNOWN: [&str; 34] = [
    "uid",
    "firstName",
    "lastName",
    "title",
    "sdnType",
    "remarks",
    "type",
    "category",
    "idType",
    "idNumber",
    "idCountry",
    "issueDate",
    "expirationDate",
    "address1",
    "address2",
    "address3",
    "city",
    "stateOrProvince",
    "postalCode",
    "country",
    "mainEntry",
    "dateOfBirth",
    "placeOfBirth",
    "callSign",
    "vesselType",
    "vesselFlag",
    "vesselOwner",
    "tonnage",
    "grossRegisteredTonnage",
    "aka",
    "id",
    "address",
    "nationality",
    "citizenship",
];
const KNOWN_SUBS: [&str; 2] = ["dateOfBirthItem", "placeOfBirthItem"];

fn known(name: &[u8]) -> Option<&'static str> {
    KNOWN
        .iter()
        .chain(KNOWN_SUBS.iter())
        .copied()
        .find(|k| k.as_bytes() == name)
}

#[derive(Default)]
struct Record {
    fields: Fields,
    programs: Vec<String>,
    subs: Vec<(&'static str, Fields)>,
}

struct Parser {
    published: Option<String>,
    record_count: Option<usize>,
    entities: Vec<Entity>,
    warnings: Vec<Warning>,
    current: Option<Record>,
    count: usize,
    non_sdn_markers: usize,
}

/// Programmes that only appear on OFAC's non-SDN lists; used to tell the consolidated file
/// from the SDN file when the file name does not say.
const NON_SDN_PROGRAMS: [&str; 8] = [
    "NS-PLC",
    "CMIC-EO13959",
    "561-Related",
    "NS-MBS",
    "NS-ISA",
    "FSE-IR",
    "FSE-SY",
    "SSI",
];

/// `idType`s that are facts about the listing rather than identifiers.
pub(crate) fn is_informational_id(kind: &str) -> bool {
    let k = kind.trim();
    k.ends_with(':')
        || k.ends_with('-')
        || k.contains("Date")
        || k.contains("Directive")
        || k.contains("Executive Order")
        || k.contains("Sanctions")
        || k.starts_with("Transactions Prohibited")
        || matches!(
            k,
            "Target Type"
                | "Aircraft Model"
                | "Aircraft Operator"
                | "Vessel Year of Build"
                | "Other Vessel Type"
                | "Organization Type"
                | "Issuer Name"
                | "Equity Ticker"
                | "Former Vessel Flag"
                | "Other Vessel Flag"
                | "Nationality of Registration"
                | "Registration Country"
                | "Aircraft Manufacture Date"
        )
}

/// OFAC writes IMO numbers as `IMO 1234567` under "Vessel Registration Identification".
pub(crate) fn document_kind_and_number(kind: &str, number: &str) -> (String, String) {
    let n = clean(number);
    if let Some(rest) = n.strip_prefix("IMO ") {
        return ("IMO".into(), rest.trim().to_owned());
    }
    (clean(kind), n)
}

impl Handler for Parser {
    fn start(&mut self, path: &Path, _e: &BytesStart<'_>) -> Result<(), Error> {
        match (path.depth(), path.last()) {
            (2, b"sdnEntry") => {
                self.count += 1;
                self.current = Some(Record::default());
            }
            (4, name) if path.depth() == 4 && path.at(1) == b"sdnEntry" => {
                if let Some(r) = self.current.as_mut()
                    && name != b"program"
                    && path.parent().ends_with(b"List")
                    && let Some(k) = known(name)
                {
                    r.subs.push((k, Fields::new()));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, path: &Path, text: &str) -> Result<(), Error> {
        let depth = path.depth();
        if depth == 3 && path.at(1) == b"publshInformation" {
            match path.last() {
                b"Publish_Date" => {
                    self.published = iso_date(text, true).or_else(|| Some(clean(text)))
                }
                b"Record_Count" => self.record_count = text.trim().parse().ok(),
                _ => {}
            }
            return Ok(());
        }
        if depth == 2 && path.last() == b"sdnEntry" {
            if let Some(r) = self.current.take() {
                self.finish(r);
            }
            return Ok(());
        }
        let Some(r) = self.current.as_mut() else {
            return Ok(());
        };
        if text.is_empty() {
            return Ok(());
        }
        if depth == 4 && path.last() == b"program" {
            r.programs.push(clean(text));
            return Ok(());
        }
        let Some(name) = known(path.last()) else {
            return Ok(());
        };
        match depth {
            3 => r.fields.push((name, text.to_owned())),
            4 if path.parent() == b"vesselInfo" => r.fields.push((name, clean(text))),
            5 => {
                if let Some((_, f)) = r.subs.last_mut() {
                    f.push((name, clean(text)));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn record(&self) -> String {
        match &self.current {
            Some(r) if !get(&r.fields, "uid").is_empty() => {
                format!("record ofac:{}", get(&r.fields, "uid"))
            }
            Some(_) => format!("sdnEntry {}", self.count),
            None => "document".into(),
        }
    }
}

impl Parser {
    fn finish(&mut self, r: Record) {
        let uid = clean(get(&r.fields, "uid"));
        if uid.is_empty() {
            self.warnings.push(Warning {
                record: format!("sdnEntry {}", self.count),
                message: "no uid; record skipped".into(),
            });
            return;
        }
        let id = format!("ofac:{uid}");
        let sdn_type = clean(get(&r.fields, "sdnType"));
        let schema = match sdn_type.to_ascii_lowercase().as_str() {
            "individual" => Schema::Person,
            "vessel" => Schema::Vessel,
            "aircraft" => Schema::Aircraft,
            _ => Schema::Organization,
        };
        let mut ent = Entity::new(id.clone(), schema, SourceKind::OfacSdn);
        let full = |first: &str, last: &str| -> String {
            let (f, l) = (clean(first), clean(last));
            match (f.is_empty(), l.is_empty()) {
                (false, false) => format!("{f} {l}"),
                (true, _) => l,
                (false, true) => f,
            }
        };
        let primary = full(get(&r.fields, "firstName"), get(&r.fields, "lastName"));
        ent.add_name(&primary, NameKind::Primary, Quality::Strong);
        if ent.names.is_empty() {
            self.warnings.push(Warning {
                record: id,
                message: "no name; record skipped".into(),
            });
            return;
        }
        if r.programs
            .iter()
            .any(|p| NON_SDN_PROGRAMS.contains(&p.as_str()))
        {
            self.non_sdn_markers += 1;
        }
        for p in &r.programs {
            ent.add_program(p);
        }
        for (kind, f) in &r.subs {
            match *kind {
                "aka" => {
                    let name = full(get(f, "firstName"), get(f, "lastName"));
                    let quality = if get(f, "category").eq_ignore_ascii_case("weak") {
                        Quality::Weak
                    } else {
                        Quality::Strong
                    };
                    let kind = if get(f, "type").eq_ignore_ascii_case("f.k.a.") {
                        NameKind::FormerlyKnownAs
                    } else {
                        NameKind::Alias
                    };
                    ent.add_name(&name, kind, quality);
                }
                "id" => {
                    let t = get(f, "idType");
                    let n = get(f, "idNumber");
                    if t.eq_ignore_ascii_case("gender") {
                        ent.gender = gender(n);
                    } else if is_informational_id(t) {
                        if n.is_empty() {
                            ent.add_remark(t);
                        } else {
                            ent.add_remark(&format!("{t} {n}"));
                        }
                    } else {
                        let (k, num) = document_kind_and_number(t, n);
                        let mut note = Vec::new();
                        if !get(f, "issueDate").is_empty() {
                            note.push(format!("issued {}", get(f, "issueDate")));
                        }
                        if !get(f, "expirationDate").is_empty() {
                            note.push(format!("expires {}", get(f, "expirationDate")));
                        }
                        let country = Some(get(f, "idCountry")).filter(|c| !c.is_empty());
                        ent.add_document(&k, &num, country, Some(&note.join("; ")));
                    }
                }
                "address" => {
                    let country = get(f, "country");
                    ent.add_address(
                        &[
                            get(f, "address1"),
                            get(f, "address2"),
                            get(f, "address3"),
                            get(f, "stateOrProvince"),
                            get(f, "postalCode"),
                        ],
                        Some(get(f, "city")),
                        Some(country),
                    );
                    if !country.is_empty() {
                        let rel = if schema == Schema::Person {
                            CountryRelation::Residence
                        } else {
                            CountryRelation::Jurisdiction
                        };
                        ent.add_country(country, rel);
                    }
                }
                "nationality" => ent.add_country(get(f, "country"), CountryRelation::Nationality),
                "citizenship" => ent.add_country(get(f, "country"), CountryRelation::Citizenship),
                "dateOfBirthItem" => {
                    let text = get(f, "dateOfBirth");
                    match parse_birth_text(text) {
                        Some(d) => ent.add_birth_date(d),
                        None if !text.is_empty() => {
                            self.warnings.push(Warning {
                                record: id.clone(),
                                message: format!(
                                    "unreadable date of birth {text:?}; kept in remarks"
                                ),
                            });
                            ent.add_remark(&format!("DOB {text}"));
                        }
                        None => {}
                    }
                }
                "placeOfBirthItem" => ent.add_birth_place(get(f, "placeOfBirth")),
                _ => {}
            }
        }
        // Vessel facts.
        let call_sign = get(&r.fields, "callSign");
        if !call_sign.is_empty() {
            ent.add_document("Call Sign", call_sign, None, None);
        }
        let flag = get(&r.fields, "vesselFlag");
        if !flag.is_empty() {
            ent.add_country(flag, CountryRelation::Jurisdiction);
        }
        for (k, label) in [
            ("vesselType", "vessel type"),
            ("vesselOwner", "vessel owner"),
            ("tonnage", "tonnage"),
            ("grossRegisteredTonnage", "gross registered tonnage"),
            ("vesselFlag", "flag"),
        ] {
            let v = get(&r.fields, k);
            if !v.is_empty() {
                ent.add_remark(&format!("{label}: {v}"));
            }
        }
        let title = get(&r.fields, "title");
        if !title.is_empty() {
            ent.add_remark(&format!("title: {title}"));
        }
        let remarks = get(&r.fields, "remarks");
        if !remarks.is_empty() {
            ent.add_remark(remarks);
        }
        ent.finish();
        self.entities.push(ent);
    }
}

/// Parses an OFAC SDN or Consolidated XML file. `origin` also decides SDN versus non-SDN when
/// the file name says so (`consolidated.xml`, `cons_*`); otherwise the programmes decide.
pub fn parse(bytes: &[u8], origin: &str) -> Result<WatchList, Error> {
    let mut p = Parser {
        published: None,
        record_count: None,
        entities: Vec::new(),
        warnings: Vec::new(),
        current: None,
        count: 0,
        non_sdn_markers: 0,
    };
    let root = xml::walk(bytes, origin, &mut p)?;
    if root != b"sdnList" {
        return Err(Error::invalid(
            origin,
            "document",
            format!(
                "root element is <{}>, not <sdnList>",
                String::from_utf8_lossy(&root)
            ),
        ));
    }
    if let Some(expected) = p.record_count
        && expected != p.count
    {
        p.warnings.push(Warning {
            record: "publshInformation".into(),
            message: format!(
                "Record_Count says {expected} entries, the file has {}",
                p.count
            ),
        });
    }
    let file = origin
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(origin)
        .to_ascii_lowercase();
    let consolidated = file.contains("cons")
        || file.contains("non_sdn")
        || file.contains("non-sdn")
        || (p.count > 0 && p.non_sdn_markers * 5 >= p.count);
    let source = if consolidated {
        SourceKind::OfacConsolidated
    } else {
        SourceKind::OfacSdn
    };
    for e in &mut p.entities {
        e.source = source;
    }
    Ok(WatchList {
        source,
        published: p.published,
        origin: origin.to_owned(),
        entities: p.entities,
        warnings: p.warnings,
    })
}
