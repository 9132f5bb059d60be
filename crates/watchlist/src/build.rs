//! Helpers that fill an [`Entity`] without duplicates. Lists repeat the same name once per
//! language, the same country as nationality and address, and the same record twice (EU
//! logicalIds); screening and counts must see each fact once.

use crate::country;
use crate::model::*;
use crate::text::clean;

impl Entity {
    /// An empty entity with its id, schema and source.
    pub fn new(id: impl Into<String>, schema: Schema, source: SourceKind) -> Entity {
        Entity {
            id: id.into(),
            schema,
            names: Vec::new(),
            birth_dates: Vec::new(),
            birth_places: Vec::new(),
            countries: Vec::new(),
            documents: Vec::new(),
            addresses: Vec::new(),
            programs: Vec::new(),
            gender: None,
            listed_on: None,
            remarks: None,
            source,
        }
    }

    /// Adds a name unless the same string is already there. A repeated string keeps its first
    /// role, but a strong repeat upgrades a weak one (the list trusts it somewhere).
    pub fn add_name(&mut self, value: &str, kind: NameKind, quality: Quality) -> bool {
        self.add_name_lang(value, kind, quality, None)
    }

    /// [`Entity::add_name`] with the list's language tag.
    pub fn add_name_lang(
        &mut self,
        value: &str,
        kind: NameKind,
        quality: Quality,
        language: Option<&str>,
    ) -> bool {
        let value = clean(value);
        if value.is_empty() || !value.chars().any(char::is_alphanumeric) {
            return false;
        }
        if let Some(existing) = self.names.iter_mut().find(|n| n.value == value) {
            if existing.quality == Quality::Weak && quality == Quality::Strong {
                existing.quality = Quality::Strong;
            }
            return false;
        }
        let mut name = Name::new(value, kind, quality);
        name.language = language
            .map(|l| l.trim().to_ascii_lowercase())
            .filter(|l| !l.is_empty());
        self.names.push(name);
        true
    }

    /// Adds a country link; `text` may be an ISO code or a name. Unresolvable text is kept as
    /// written so no information is lost.
    pub fn add_country(&mut self, text: &str, relation: CountryRelation) {
        let t = clean(text);
        if t.is_empty() || t == "-0-" || t == "00" || t.eq_ignore_ascii_case("unknown") {
            return;
        }
        let code = country::to_iso2(&t).map(str::to_owned).unwrap_or(t);
        if !self
            .countries
            .iter()
            .any(|c| c.code == code && c.relation == relation)
        {
            self.countries.push(CountryLink { code, relation });
        }
    }

    pub fn add_birth_date(&mut self, d: BirthDate) {
        if !self.birth_dates.contains(&d) {
            self.birth_dates.push(d);
        }
    }

    pub fn add_birth_place(&mut self, place: &str) {
        let p = clean(place);
        if !p.is_empty() && !self.birth_places.contains(&p) {
            self.birth_places.push(p);
        }
    }

    pub fn add_document(
        &mut self,
        kind: &str,
        number: &str,
        country_text: Option<&str>,
        note: Option<&str>,
    ) {
        let number = clean(number);
        if number.is_empty() || number == "-0-" {
            return;
        }
        let country = country_text.and_then(|c| {
            let c = clean(c);
            if c.is_empty() || c == "00" {
                None
            } else {
                Some(country::to_iso2(&c).map(str::to_owned).unwrap_or(c))
            }
        });
        let doc = Document {
            kind: clean(kind),
            number,
            country,
            note: note.map(clean).filter(|n| !n.is_empty()),
        };
        if !self
            .documents
            .iter()
            .any(|d| d.kind == doc.kind && d.number == doc.number)
        {
            self.documents.push(doc);
        }
    }

    /// Adds an address from its parts (any may be empty); `full` joins the non-empty parts.
    pub fn add_address(&mut self, parts: &[&str], city: Option<&str>, country_text: Option<&str>) {
        let mut full = String::new();
        for p in parts.iter().chain(city.iter()).chain(country_text.iter()) {
            let p = clean(p);
            if p.is_empty() || p == "-0-" || full.split(", ").any(|x| x == p) {
                continue;
            }
            if !full.is_empty() {
                full.push_str(", ");
            }
            full.push_str(&p);
        }
        if full.is_empty() {
            return;
        }
        let country = country_text.and_then(|c| country::to_iso2(c).map(str::to_owned));
        let addr = Address {
            full,
            city: city.map(clean).filter(|c| !c.is_empty() && c != "-0-"),
            country,
        };
        if !self.addresses.iter().any(|a| a.full == addr.full) {
            self.addresses.push(addr);
        }
    }

    pub fn add_program(&mut self, program: &str) {
        let p = clean(program);
        if !p.is_empty() && p != "-0-" && !self.programs.contains(&p) {
            self.programs.push(p);
        }
    }

    /// Appends a remark paragraph (lists spread remarks over several fields).
    pub fn add_remark(&mut self, remark: &str) {
        let r = clean(remark);
        if r.is_empty() || r == "-0-" {
            return;
        }
        match &mut self.remarks {
            Some(existing) if existing.contains(&r) => {}
            Some(existing) => {
                existing.push_str("; ");
                existing.push_str(&r);
            }
            None => self.remarks = Some(r),
        }
    }

    /// Merges another record of the same entity (EU duplicate logicalIds) into this one.
    pub fn merge(&mut self, other: Entity) {
        for n in other.names {
            let lang = n.language.clone();
            self.add_name_lang(&n.value, n.kind, n.quality, lang.as_deref());
        }
        for d in other.birth_dates {
            self.add_birth_date(d);
        }
        for p in other.birth_places {
            self.add_birth_place(&p);
        }
        for c in other.countries {
            if !self.countries.contains(&c) {
                self.countries.push(c);
            }
        }
        for d in other.documents {
            if !self
                .documents
                .iter()
                .any(|x| x.kind == d.kind && x.number == d.number)
            {
                self.documents.push(d);
            }
        }
        for a in other.addresses {
            if !self.addresses.iter().any(|x| x.full == a.full) {
                self.addresses.push(a);
            }
        }
        for p in other.programs {
            self.add_program(&p);
        }
        if self.gender.is_none() {
            self.gender = other.gender;
        }
        self.listed_on = match (self.listed_on, other.listed_on) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(r) = other.remarks {
            self.add_remark(&r);
        }
    }

    /// Makes sure one name is `Primary`: lists that mark none (EU, FtM) get their first name
    /// promoted, so `caption()` and the matcher's primary-name weighting always have one.
    pub(crate) fn finish(&mut self) {
        if !self.names.iter().any(|n| n.kind == NameKind::Primary) {
            if let Some(pos) = self.names.iter().position(|n| {
                n.quality == Quality::Strong
                    && n.kind == NameKind::Alias
                    && n.script == Script::Latin
            }) {
                self.names[pos].kind = NameKind::Primary;
            } else if let Some(first) = self.names.first_mut()
                && first.kind != NameKind::OriginalScript
            {
                first.kind = NameKind::Primary;
            }
        }
    }
}

/// Parses a gender word of any list.
pub(crate) fn gender(s: &str) -> Option<Gender> {
    match clean(s).to_ascii_lowercase().as_str() {
        "male" | "m" | "man" => Some(Gender::Male),
        "female" | "f" | "woman" => Some(Gender::Female),
        _ => None,
    }
}
