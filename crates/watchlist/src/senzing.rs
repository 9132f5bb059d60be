//! Senzing entity-specification JSON lines (`DATA_SOURCE`, `RECORD_ID`, `RECORD_TYPE`,
//! `NAMES[…]`, `DATES[…]`, `COUNTRIES[…]`, `IDENTIFIERS[…]`, `ADDRESSES[…]`), as exported by
//! OpenSanctions and other data providers. Both the nested form (lists of feature objects) and
//! the flat form (feature keys at the top level) are read. Ids are `RECORD_ID` as given.

use serde_json::{Map, Value};

use crate::error::Error;
use crate::model::*;
use crate::text::clean;

fn s<'a>(m: &'a Map<String, Value>, k: &str) -> &'a str {
    m.get(k).and_then(Value::as_str).unwrap_or("")
}

/// Every feature object: the record itself (flat form) and each object in its arrays.
fn features(rec: &Map<String, Value>) -> Vec<&Map<String, Value>> {
    let mut out = vec![rec];
    for v in rec.values() {
        if let Some(arr) = v.as_array() {
            out.extend(arr.iter().filter_map(Value::as_object));
        }
    }
    out
}

fn apply(e: &mut Entity, f: &Map<String, Value>) {
    let name_type = s(f, "NAME_TYPE").to_ascii_uppercase();
    let (kind, quality) = match name_type.as_str() {
        "PRIMARY" | "" => (NameKind::Primary, Quality::Strong),
        "FORMER" | "FKA" => (NameKind::FormerlyKnownAs, Quality::Strong),
        "WEAK" | "WEAK_ALIAS" | "NICKNAME" => (NameKind::Alias, Quality::Weak),
        _ => (NameKind::Alias, Quality::Strong),
    };
    let kind = if kind == NameKind::Primary && e.names.iter().any(|n| n.kind == NameKind::Primary) {
        NameKind::Alias
    } else {
        kind
    };
    let full = {
        let f1 = s(f, "NAME_FULL");
        let f2 = s(f, "NAME_ORG");
        if !f1.is_empty() {
            clean(f1)
        } else if !f2.is_empty() {
            clean(f2)
        } else {
            ["NAME_FIRST", "NAME_MIDDLE", "NAME_LAST"]
                .iter()
                .map(|k| clean(s(f, k)))
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    if !full.is_empty() {
        e.add_name(&full, kind, quality);
    }
    let dob = s(f, "DATE_OF_BIRTH");
    if let Some(d) = PartialDate::parse(dob) {
        e.add_birth_date(BirthDate::exact(d));
    }
    let pob = s(f, "PLACE_OF_BIRTH");
    if !pob.is_empty() {
        e.add_birth_place(pob);
    }
    for (k, rel) in [
        ("NATIONALITY", CountryRelation::Nationality),
        ("CITIZENSHIP", CountryRelation::Citizenship),
        ("REGISTRATION_COUNTRY", CountryRelation::Jurisdiction),
        ("COUNTRY_OF_ASSOCIATION", CountryRelation::Other),
    ] {
        let c = s(f, k);
        if !c.is_empty() {
            e.add_country(&c.to_ascii_uppercase(), rel);
        }
    }
    for (num, country, kind) in [
        ("PASSPORT_NUMBER", "PASSPORT_COUNTRY", "Passport"),
        ("NATIONAL_ID_NUMBER", "NATIONAL_ID_COUNTRY", "National ID"),
        ("TAX_ID_NUMBER", "TAX_ID_COUNTRY", "Tax ID"),
        (
            "DRIVERS_LICENSE_NUMBER",
            "DRIVERS_LICENSE_STATE",
            "Driver's License",
        ),
        ("LEI_NUMBER", "", "LEI"),
        ("DUNS_NUMBER", "", "D-U-N-S Number"),
    ] {
        let n = s(f, num);
        if !n.is_empty() {
            let c = s(f, country);
            e.add_document(kind, n, Some(c).filter(|c| !c.is_empty()), None);
        }
    }
    let other = s(f, "OTHER_ID_NUMBER");
    if !other.is_empty() && s(f, "OTHER_ID_TYPE") != "OPEN_SANCTIONS" {
        e.add_document(
            s(f, "OTHER_ID_TYPE"),
            other,
            Some(s(f, "OTHER_ID_COUNTRY")).filter(|c| !c.is_empty()),
            None,
        );
    }
    let addr = s(f, "ADDR_FULL");
    let addr_country = s(f, "ADDR_COUNTRY");
    if !addr.is_empty() || !addr_country.is_empty() {
        e.add_address(
            &[addr, s(f, "ADDR_LINE1"), s(f, "ADDR_CITY")],
            None,
            Some(addr_country),
        );
    }
    let topic = s(f, "TOPIC");
    if !topic.is_empty() {
        e.add_remark(&format!("topic: {topic}"));
    }
    let gender = s(f, "GENDER");
    if !gender.is_empty() {
        e.gender = crate::build::gender(gender).or(e.gender);
    }
}

/// Parses Senzing JSON lines (already UTF-8).
pub fn parse(bytes: &[u8], origin: &str) -> Result<WatchList, Error> {
    let mut entities = Vec::new();
    let mut warnings = Vec::new();
    let mut latest: Option<String> = None;
    let mut seen = rustc_hash::FxHashSet::default();
    for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_no = n + 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let v: Value = serde_json::from_slice(line).map_err(|e| Error::Json {
            origin: origin.to_owned(),
            record: format!("line {line_no}"),
            message: e.to_string(),
        })?;
        let Some(rec) = v.as_object() else {
            warnings.push(Warning {
                record: format!("line {line_no}"),
                message: "not a JSON object; skipped".into(),
            });
            continue;
        };
        let id = clean(s(rec, "RECORD_ID"));
        if id.is_empty() {
            warnings.push(Warning {
                record: format!("line {line_no}"),
                message: "no RECORD_ID; skipped".into(),
            });
            continue;
        }
        if !seen.insert(id.clone()) {
            warnings.push(Warning {
                record: format!("line {line_no} ({id})"),
                message: "RECORD_ID appears twice; later record skipped".into(),
            });
            continue;
        }
        let schema = match s(rec, "RECORD_TYPE").to_ascii_uppercase().as_str() {
            "PERSON" | "INDIVIDUAL" => Schema::Person,
            "VESSEL" => Schema::Vessel,
            "AIRCRAFT" | "AIRPLANE" => Schema::Aircraft,
            _ => Schema::Organization,
        };
        let mut e = Entity::new(id.clone(), schema, SourceKind::Senzing);
        for f in features(rec) {
            apply(&mut e, f);
        }
        let ds = s(rec, "DATA_SOURCE");
        if !ds.is_empty() {
            e.add_remark(&format!("data source: {ds}"));
        }
        let url = s(rec, "URL");
        if !url.is_empty() {
            e.add_remark(url);
        }
        let change = s(rec, "LAST_CHANGE");
        if !change.is_empty() {
            let d = change.split('T').next().unwrap_or(change).to_owned();
            if latest.as_ref().is_none_or(|l| *l < d) {
                latest = Some(d);
            }
        }
        if e.names.is_empty() {
            warnings.push(Warning {
                record: format!("line {line_no} ({id})"),
                message: "no name; skipped".into(),
            });
            continue;
        }
        e.finish();
        entities.push(e);
    }
    Ok(WatchList {
        source: SourceKind::Senzing,
        published: latest,
        origin: origin.to_owned(),
        entities,
        warnings,
    })
}
