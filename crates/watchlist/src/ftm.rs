//! FollowTheMoney entities as JSON lines (OpenSanctions exports, yente datasets).
//!
//! Ids are kept as they are. Target schemas: Person, Organization, Company, LegalEntity,
//! PublicBody, Vessel, Airplane. `Sanction` entities are not screened themselves but lend their
//! programme and listing date to the entity they point at; `Address` entities lend their full
//! text. Other schemas (Ownership, Family, …) are skipped without a warning, because skipping
//! them loses nothing that screening uses.

use rustc_hash::FxHashMap;
use serde_json::Value;

use crate::error::Error;
use crate::model::*;
use crate::text::clean;

fn props<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a str> {
    v.get("properties")
        .and_then(|p| p.get(key))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

fn schema_of(s: &str) -> Option<Schema> {
    Some(match s {
        "Person" => Schema::Person,
        "Organization" | "Company" | "LegalEntity" | "PublicBody" => Schema::Organization,
        "Vessel" => Schema::Vessel,
        "Airplane" | "Aircraft" => Schema::Aircraft,
        _ => return None,
    })
}

/// Parses FtM JSON lines (already UTF-8).
pub fn parse(bytes: &[u8], origin: &str) -> Result<WatchList, Error> {
    let mut warnings = Vec::new();
    let mut targets: Vec<(Value, Schema)> = Vec::new();
    let mut sanctions: Vec<Value> = Vec::new();
    let mut addresses: FxHashMap<String, String> = FxHashMap::default();
    let mut latest: Option<String> = None;
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
        let Some(schema) = v.get("schema").and_then(Value::as_str) else {
            warnings.push(Warning {
                record: format!("line {line_no}"),
                message: "no schema; skipped".into(),
            });
            continue;
        };
        if v.get("id")
            .and_then(Value::as_str)
            .is_none_or(|s| s.trim().is_empty())
        {
            warnings.push(Warning {
                record: format!("line {line_no}"),
                message: "no id; skipped".into(),
            });
            continue;
        }
        for key in ["last_change", "last_seen"] {
            if let Some(d) = v.get(key).and_then(Value::as_str) {
                let d = d.split('T').next().unwrap_or(d).to_owned();
                if latest.as_ref().is_none_or(|l| *l < d) {
                    latest = Some(d);
                }
                break;
            }
        }
        match schema {
            "Sanction" => sanctions.push(v),
            "Address" => {
                if let (Some(id), Some(full)) = (
                    v.get("id").and_then(Value::as_str),
                    props(&v, "full").next(),
                ) {
                    addresses.insert(id.to_owned(), clean(full));
                }
            }
            s => {
                if let Some(schema) = schema_of(s) {
                    targets.push((v, schema));
                }
            }
        }
    }
    let mut entities = Vec::with_capacity(targets.len());
    let mut index: FxHashMap<String, usize> = FxHashMap::default();
    for (v, schema) in &targets {
        let id = v
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let mut e = Entity::new(id.clone(), *schema, SourceKind::FollowTheMoney);
        for n in props(v, "name") {
            e.add_name(n, NameKind::Alias, Quality::Strong);
        }
        if let Some(first) = e.names.first_mut() {
            first.kind = NameKind::Primary;
        }
        for n in props(v, "alias") {
            e.add_name(n, NameKind::Alias, Quality::Strong);
        }
        for n in props(v, "weakAlias") {
            e.add_name(n, NameKind::Alias, Quality::Weak);
        }
        for n in props(v, "previousName") {
            e.add_name(n, NameKind::FormerlyKnownAs, Quality::Strong);
        }
        if e.names.is_empty()
            && let Some(c) = v.get("caption").and_then(Value::as_str)
        {
            e.add_name(c, NameKind::Primary, Quality::Strong);
        }
        if e.names.is_empty() {
            warnings.push(Warning {
                record: id,
                message: "no name; skipped".into(),
            });
            continue;
        }
        for d in props(v, "birthDate") {
            if let Some(p) = PartialDate::parse(d) {
                e.add_birth_date(BirthDate::exact(p));
            }
        }
        for p in props(v, "birthPlace") {
            e.add_birth_place(p);
        }
        for (key, rel) in [
            ("nationality", CountryRelation::Nationality),
            ("citizenship", CountryRelation::Citizenship),
            ("jurisdiction", CountryRelation::Jurisdiction),
            ("flag", CountryRelation::Jurisdiction),
            ("country", CountryRelation::Other),
        ] {
            for c in props(v, key) {
                e.add_country(&c.to_ascii_uppercase(), rel);
            }
        }
        for (key, kind) in [
            ("passportNumber", "Passport"),
            ("idNumber", "Identification Number"),
            ("taxNumber", "Tax Number"),
            ("registrationNumber", "Registration Number"),
            ("innCode", "INN"),
            ("ogrnCode", "OGRN"),
            ("imoNumber", "IMO"),
            ("mmsi", "MMSI"),
            ("swiftBic", "SWIFT/BIC"),
            ("leiCode", "LEI"),
            ("callSign", "Call Sign"),
            ("registrationNumber", "Registration Number"),
        ] {
            for n in props(v, key) {
                e.add_document(kind, n.trim_start_matches("IMO").trim(), None, None);
            }
        }
        for a in props(v, "address") {
            e.add_address(&[a], None, None);
        }
        for a in props(v, "addressEntity") {
            if let Some(full) = addresses.get(a) {
                e.add_address(&[full], None, None);
            }
        }
        for p in props(v, "program").chain(props(v, "programId")) {
            e.add_program(p);
        }
        if let Some(g) = props(v, "gender").next() {
            e.gender = crate::build::gender(g);
        }
        let topics: Vec<&str> = props(v, "topics").collect();
        if !topics.is_empty() {
            e.add_remark(&format!("topics: {}", topics.join(", ")));
        }
        for n in props(v, "notes") {
            e.add_remark(n);
        }
        if let Some(ds) = v.get("datasets").and_then(Value::as_array) {
            let ds: Vec<&str> = ds.iter().filter_map(Value::as_str).collect();
            if !ds.is_empty() {
                e.add_remark(&format!("datasets: {}", ds.join(", ")));
            }
        }
        if index.contains_key(&id) {
            warnings.push(Warning {
                record: id.clone(),
                message: "id appears twice; merged".into(),
            });
            if let Some(first) = index.get(&id).and_then(|&i| entities.get_mut(i)) {
                let first: &mut Entity = first;
                first.merge(e);
            }
            continue;
        }
        index.insert(id, entities.len());
        entities.push(e);
    }
    for s in &sanctions {
        let programs: Vec<&str> = props(s, "program").chain(props(s, "programId")).collect();
        let listed = props(s, "listingDate")
            .chain(props(s, "startDate"))
            .filter_map(PartialDate::parse)
            .min();
        for target in props(s, "entity") {
            if let Some(e) = index.get(target).and_then(|&i| entities.get_mut(i)) {
                let e: &mut Entity = e;
                for p in &programs {
                    e.add_program(p);
                }
                if let Some(d) = listed {
                    e.listed_on = Some(e.listed_on.map_or(d, |x| x.min(d)));
                }
            }
        }
    }
    for e in &mut entities {
        e.finish();
    }
    Ok(WatchList {
        source: SourceKind::FollowTheMoney,
        published: latest,
        origin: origin.to_owned(),
        entities,
        warnings,
    })
}
