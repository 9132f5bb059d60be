//! EU Financial Sanctions Files, XML 1.1 (`export/sanctionEntity`).
//!
//! Ids are `eu:<logicalId>`. The file repeats one name once per EU language (identical strings
//! or translated legal forms): identical strings are kept once, with the language of the first.
//! The EU does not mark a primary name; the first strong Latin-script name becomes primary.
//! Three logicalIds appear twice in the 2024 file; their records are merged and a warning says
//! so. Birth dates may be full, year-only, a year range, `circa`, or Islamic-calendar years
//! (converted to the two Gregorian years they can fall in).

use quick_xml::events::BytesStart;
use rustc_hash::FxHashMap;

use crate::build::gender;
use crate::error::Error;
use crate::model::*;
use crate::text::{clean, iso_date};
use crate::xml::{self, Attrs, Handler, Path, attr};

struct Parser {
    published: Option<String>,
    entities: Vec<Entity>,
    index: FxHashMap<String, usize>,
    warnings: Vec<Warning>,
    current: Option<Entity>,
    count: usize,
    first_reg_date: Option<PartialDate>,
}

fn a(at: &Attrs<'_>, name: &[u8]) -> String {
    clean(at.get(name))
}

/// Gregorian years an Islamic (Hijri) year overlaps.
fn hijri_to_gregorian(year: i32) -> (i32, i32) {
    let start = (f64::from(year) * 0.970_224 + 621.577_4).floor() as i32;
    (start, start + 1)
}

impl Handler for Parser {
    fn start(&mut self, path: &Path, e: &BytesStart<'_>) -> Result<(), Error> {
        let depth = path.depth();
        if depth == 1 {
            if let Some(d) = attr(e, b"generationDate") {
                self.published = iso_date(&d, false).or(Some(d));
            }
            return Ok(());
        }
        if depth == 2 && path.last() == b"sanctionEntity" {
            let at = Attrs::new(e);
            self.count += 1;
            let logical = a(&at, b"logicalId");
            let mut ent = Entity::new(format!("eu:{logical}"), Schema::Person, SourceKind::Eu);
            let eu_ref = a(&at, b"euReferenceNumber");
            if !eu_ref.is_empty() {
                ent.add_remark(&format!("EU reference {eu_ref}"));
            }
            let un = a(&at, b"unitedNationId");
            if !un.is_empty() {
                ent.add_remark(&format!("UN reference {un}"));
            }
            let details = a(&at, b"designationDetails");
            if !details.is_empty() {
                ent.add_remark(&details);
            }
            if let Some(d) = attr(e, b"designationDate").and_then(|d| PartialDate::parse(&d)) {
                ent.listed_on = Some(d);
            }
            self.first_reg_date = None;
            self.current = Some(ent);
            return Ok(());
        }
        let Some(ent) = self.current.as_mut() else {
            return Ok(());
        };
        if depth != 3 {
            return Ok(());
        }
        let at = Attrs::new(e);
        match path.last() {
            b"subjectType" => {
                ent.schema = match a(&at, b"code").as_str() {
                    "person" => Schema::Person,
                    _ => Schema::Organization,
                };
            }
            b"regulation" => {
                let prog = a(&at, b"programme");
                if !prog.is_empty() {
                    ent.add_program(&prog);
                }
                if let Some(d) = PartialDate::parse(&a(&at, b"publicationDate")) {
                    self.first_reg_date = Some(self.first_reg_date.map_or(d, |x| x.min(d)));
                }
            }
            b"nameAlias" => {
                let whole = a(&at, b"wholeName");
                let whole = if whole.is_empty() {
                    [
                        a(&at, b"firstName"),
                        a(&at, b"middleName"),
                        a(&at, b"lastName"),
                    ]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
                } else {
                    whole
                };
                let strong = !a(&at, b"strong").eq_ignore_ascii_case("false");
                let lang = a(&at, b"nameLanguage");
                let quality = if strong {
                    Quality::Strong
                } else {
                    Quality::Weak
                };
                ent.add_name_lang(&whole, NameKind::Alias, quality, Some(&lang));
                if ent.gender.is_none() {
                    ent.gender = gender(&a(&at, b"gender"));
                }
                let function = a(&at, b"function");
                if !function.is_empty() {
                    ent.add_remark(&format!("function: {function}"));
                }
                let title = a(&at, b"title");
                if !title.is_empty() {
                    ent.add_remark(&format!("title: {title}"));
                }
            }
            b"birthdate" => {
                let circa = a(&at, b"circa").eq_ignore_ascii_case("true");
                let islamic = a(&at, b"calendarType").eq_ignore_ascii_case("ISLAMIC");
                let full = PartialDate::parse(&a(&at, b"birthdate"));
                let year = a(&at, b"year").parse::<i32>().ok();
                let month = a(&at, b"monthOfYear")
                    .parse::<u8>()
                    .ok()
                    .filter(|m| (1..=12).contains(m));
                let day = a(&at, b"dayOfMonth")
                    .parse::<u8>()
                    .ok()
                    .filter(|d| (1..=31).contains(d));
                let range = (
                    a(&at, b"yearRangeFrom").parse::<i32>().ok(),
                    a(&at, b"yearRangeTo").parse::<i32>().ok(),
                );
                let bd = if islamic {
                    year.map(|y| {
                        let (f, t) = hijri_to_gregorian(y);
                        BirthDate {
                            from: PartialDate::year(f),
                            to: PartialDate::year(t),
                            circa: true,
                        }
                    })
                } else if let Some(d) = full {
                    Some(BirthDate {
                        from: d,
                        to: d,
                        circa,
                    })
                } else if let (Some(f), Some(t)) = range {
                    Some(BirthDate {
                        from: PartialDate::year(f.min(t)),
                        to: PartialDate::year(f.max(t)),
                        circa,
                    })
                } else if let Some(y) = year.or(range.0).or(range.1) {
                    let d = PartialDate {
                        year: y,
                        month,
                        day: month.and(day),
                    };
                    (1000..=2999).contains(&y).then_some(BirthDate {
                        from: d,
                        to: d,
                        circa,
                    })
                } else {
                    None
                };
                if let Some(bd) = bd {
                    ent.add_birth_date(bd);
                }
                let place: Vec<String> = [
                    a(&at, b"city"),
                    a(&at, b"place"),
                    a(&at, b"region"),
                    country_text(&at),
                ]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
                ent.add_birth_place(&place.join(", "));
            }
            b"citizenship" => {
                let c = country_code(&at);
                if !c.is_empty() {
                    ent.add_country(&c, CountryRelation::Citizenship);
                }
            }
            b"identification" => {
                let number = {
                    let n = a(&at, b"number");
                    if n.is_empty() {
                        a(&at, b"latinNumber")
                    } else {
                        n
                    }
                };
                let kind = {
                    let d = a(&at, b"identificationTypeDescription");
                    if d.is_empty() {
                        a(&at, b"identificationTypeCode")
                    } else {
                        d
                    }
                };
                let country = country_code(&at);
                let mut notes = Vec::new();
                for (k, label) in [
                    (&b"knownFalse"[..], "known false"),
                    (b"knownExpired", "known expired"),
                    (b"reportedLost", "reported lost"),
                    (b"revokedByIssuer", "revoked by issuer"),
                    (b"diplomatic", "diplomatic"),
                ] {
                    if a(&at, k).eq_ignore_ascii_case("true") {
                        notes.push(label.to_owned());
                    }
                }
                let issued_by = a(&at, b"issuedBy");
                if !issued_by.is_empty() {
                    notes.push(format!("issued by {issued_by}"));
                }
                let name_on = a(&at, b"nameOnDocument");
                if !name_on.is_empty() {
                    notes.push(format!("name on document: {name_on}"));
                }
                ent.add_document(
                    &kind,
                    &number,
                    Some(country.as_str()).filter(|c| !c.is_empty()),
                    Some(&notes.join("; ")),
                );
            }
            b"address" => {
                let code = country_code(&at);
                let desc = country_text(&at);
                ent.add_address(
                    &[
                        &a(&at, b"street"),
                        &a(&at, b"poBox"),
                        &a(&at, b"zipCode"),
                        &a(&at, b"place"),
                        &a(&at, b"region"),
                    ],
                    Some(&a(&at, b"city")),
                    Some(if desc.is_empty() {
                        code.as_str()
                    } else {
                        desc.as_str()
                    }),
                );
                if !code.is_empty() {
                    let rel = if ent.schema == Schema::Person {
                        CountryRelation::Residence
                    } else {
                        CountryRelation::Jurisdiction
                    };
                    ent.add_country(&code, rel);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, path: &Path, text: &str) -> Result<(), Error> {
        if path.depth() == 2 && path.last() == b"sanctionEntity" {
            if let Some(mut ent) = self.current.take() {
                if ent.listed_on.is_none() {
                    ent.listed_on = self.first_reg_date;
                }
                self.finish(ent);
            }
            return Ok(());
        }
        if path.depth() == 3
            && path.last() == b"remark"
            && let Some(ent) = self.current.as_mut()
        {
            ent.add_remark(text);
        }
        Ok(())
    }

    fn record(&self) -> String {
        match &self.current {
            Some(e) => format!("record {}", e.id),
            None => format!("after sanctionEntity {}", self.count),
        }
    }
}

fn country_code(at: &Attrs<'_>) -> String {
    let c = a(at, b"countryIso2Code");
    if c == "00" || c.is_empty() {
        String::new()
    } else {
        c
    }
}

fn country_text(at: &Attrs<'_>) -> String {
    let d = a(at, b"countryDescription");
    if d.eq_ignore_ascii_case("unknown") {
        String::new()
    } else {
        d
    }
}

impl Parser {
    fn finish(&mut self, mut ent: Entity) {
        if ent.id == "eu:" {
            self.warnings.push(Warning {
                record: format!("sanctionEntity {}", self.count),
                message: "no logicalId; record skipped".into(),
            });
            return;
        }
        if ent.names.is_empty() {
            self.warnings.push(Warning {
                record: ent.id,
                message: "no name; record skipped".into(),
            });
            return;
        }
        ent.finish();
        if let Some(&i) = self.index.get(&ent.id) {
            self.warnings.push(Warning {
                record: ent.id.clone(),
                message: "logicalId appears more than once; records merged".into(),
            });
            if let Some(first) = self.entities.get_mut(i) {
                first.merge(ent);
            }
            return;
        }
        self.index.insert(ent.id.clone(), self.entities.len());
        self.entities.push(ent);
    }
}

/// Parses an EU FSF XML 1.1 file.
pub fn parse(bytes: &[u8], origin: &str) -> Result<WatchList, Error> {
    let mut p = Parser {
        published: None,
        entities: Vec::new(),
        index: FxHashMap::default(),
        warnings: Vec::new(),
        current: None,
        count: 0,
        first_reg_date: None,
    };
    let root = xml::walk(bytes, origin, &mut p)?;
    if root != b"export" {
        return Err(Error::invalid(
            origin,
            "document",
            format!(
                "root element is <{}>, not <export>",
                String::from_utf8_lossy(&root)
            ),
        ));
    }
    Ok(WatchList {
        source: SourceKind::Eu,
        published: p.published,
        origin: origin.to_owned(),
        entities: p.entities,
        warnings: p.warnings,
    })
}
