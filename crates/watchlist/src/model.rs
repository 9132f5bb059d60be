//! The list entity model every other crate reads.
//!
//! One shape for all official lists (UN, OFAC, EU, UK, FollowTheMoney, Senzing), so that the
//! matcher and the service never need to know which format a name came from. Fields keep the
//! list's own values (a country as written, a document type as written) next to normalised
//! ones where normalising is safe (ISO country codes, partial dates), because an analyst must be
//! able to check a hit against the official text.

use serde::{Deserialize, Serialize};

/// What kind of subject a list entry describes. Matching rules differ per schema (a person's
/// given name may be an initial; a vessel's name never is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Schema {
    Person,
    Organization,
    Vessel,
    Aircraft,
}

impl Schema {
    pub const ALL: [Schema; 4] = [
        Schema::Person,
        Schema::Organization,
        Schema::Vessel,
        Schema::Aircraft,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Schema::Person => "Person",
            Schema::Organization => "Organization",
            Schema::Vessel => "Vessel",
            Schema::Aircraft => "Aircraft",
        }
    }

    /// Parses the schema names used by raqib, FollowTheMoney and the official lists
    /// (case-insensitive): `Person`/`Individual`, `Organization`/`Company`/`LegalEntity`/`Entity`,
    /// `Vessel`, `Aircraft`/`Airplane`.
    pub fn parse(s: &str) -> Option<Schema> {
        let s = s.trim().to_ascii_lowercase();
        Some(match s.as_str() {
            "person" | "individual" | "p" => Schema::Person,
            "organization" | "organisation" | "company" | "legalentity" | "entity"
            | "enterprise" | "business" | "publicbody" => Schema::Organization,
            "vessel" | "ship" => Schema::Vessel,
            "aircraft" | "airplane" => Schema::Aircraft,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The role a name plays for its entity. Screening weighs them differently: a weak alias
/// (a nickname, "Abu X") alone is a weaker signal than the primary name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    /// The list's main name for the entity.
    Primary,
    /// Also known as.
    Alias,
    /// Formerly known as (still screened: old names keep circulating in payments).
    FormerlyKnownAs,
    /// The name in its original, usually non-Latin, script as published by the list.
    OriginalScript,
}

/// How much the list itself trusts an alias (UN "Good"/"Low", OFAC "strong"/"weak",
/// EU `strong="true|false"`). Primary and original-script names are `Strong`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quality {
    Strong,
    Weak,
}

/// The dominant writing system of a name, detected from its letters. Used to pick the
/// normalisation and romanisation path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Script {
    Latin,
    Arabic,
    Cyrillic,
    Greek,
    Han,
    Other,
}

impl Script {
    /// Detects the script with the most letters in `s` (Latin when there are none).
    pub fn detect(s: &str) -> Script {
        let mut counts = [0usize; 6];
        for c in s.chars().filter(|c| c.is_alphabetic()) {
            let idx = match c as u32 {
                0x0041..=0x024F | 0x1E00..=0x1EFF => 0,
                0x0600..=0x06FF
                | 0x0750..=0x077F
                | 0x08A0..=0x08FF
                | 0xFB50..=0xFDFF
                | 0xFE70..=0xFEFF => 1,
                0x0400..=0x052F => 2,
                0x0370..=0x03FF | 0x1F00..=0x1FFF => 3,
                0x4E00..=0x9FFF | 0x3400..=0x4DBF => 4,
                _ => 5,
            };
            counts[idx] += 1;
        }
        let best = counts
            .iter()
            .enumerate()
            .max_by_key(|(i, n)| (**n, usize::MAX - *i));
        match best {
            Some((_, 0)) | None => Script::Latin,
            Some((0, _)) => Script::Latin,
            Some((1, _)) => Script::Arabic,
            Some((2, _)) => Script::Cyrillic,
            Some((3, _)) => Script::Greek,
            Some((4, _)) => Script::Han,
            Some(_) => Script::Other,
        }
    }
}

/// One name of an entity, exactly as the list publishes it (after trimming and whitespace
/// folding), with its role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    pub value: String,
    pub kind: NameKind,
    pub quality: Quality,
    /// Language as given by the list (EU `nameLanguage`, FtM `lang`), lower-case ISO 639 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    pub script: Script,
}

impl Name {
    /// A name with its script detected from its letters.
    pub fn new(value: impl Into<String>, kind: NameKind, quality: Quality) -> Name {
        let value = value.into();
        let script = Script::detect(&value);
        Name {
            value,
            kind,
            quality,
            language: None,
            script,
        }
    }
}

/// A calendar date some parts of which may be unknown (lists publish "1971", "1971-07" and
/// "00/00/1971").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PartialDate {
    pub year: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<u8>,
}

impl PartialDate {
    pub fn year(year: i32) -> PartialDate {
        PartialDate {
            year,
            month: None,
            day: None,
        }
    }

    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (also with `/` or `.`), `DD/MM/YYYY`,
    /// `DD.MM.YYYY` and `DD Mon YYYY`; `00` parts mean unknown. Returns `None` for anything else.
    pub fn parse(s: &str) -> Option<PartialDate> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        let valid = |d: PartialDate| -> Option<PartialDate> {
            if !(1000..=2999).contains(&d.year) {
                return None;
            }
            if d.month.is_some_and(|m| !(1..=12).contains(&m)) {
                return None;
            }
            if d.day.is_some_and(|x| !(1..=31).contains(&x)) {
                return None;
            }
            if d.month.is_none() && d.day.is_some() {
                return None;
            }
            Some(d)
        };
        let nz = |v: u32| if v == 0 { None } else { u8::try_from(v).ok() };
        // Month names (English, as in OFAC "12 Jan 1970" / "Jan 1970").
        const MONTHS: [&str; 12] = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ];
        let words: Vec<&str> = s.split([' ', ',']).filter(|w| !w.is_empty()).collect();
        if words.len() >= 2 {
            let month_of = |w: &str| {
                let w = w.to_ascii_lowercase();
                MONTHS
                    .iter()
                    .position(|m| w.starts_with(m))
                    .map(|i| i as u8 + 1)
            };
            if words.len() == 3
                && let (Ok(d), Some(m), Ok(y)) = (
                    words[0].parse::<u32>(),
                    month_of(words[1]),
                    words[2].parse::<i32>(),
                )
            {
                return valid(PartialDate {
                    year: y,
                    month: Some(m),
                    day: nz(d),
                });
            }
            if words.len() == 2
                && let (Some(m), Ok(y)) = (month_of(words[0]), words[1].parse::<i32>())
            {
                return valid(PartialDate {
                    year: y,
                    month: Some(m),
                    day: None,
                });
            }
        }
        let s = s.split('T').next().unwrap_or(s);
        let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
        if parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let num = |p: &str| p.parse::<u32>().ok();
        match parts.as_slice() {
            [y] if y.len() == 4 => valid(PartialDate::year(num(y)? as i32)),
            [y, m] if y.len() == 4 => valid(PartialDate {
                year: num(y)? as i32,
                month: nz(num(m)?),
                day: None,
            }),
            [m, y] if y.len() == 4 => valid(PartialDate {
                year: num(y)? as i32,
                month: nz(num(m)?),
                day: None,
            }),
            [y, m, d] if y.len() == 4 => {
                let month = nz(num(m)?);
                valid(PartialDate {
                    year: num(y)? as i32,
                    month,
                    day: month.and(nz(num(d)?)),
                })
            }
            [d, m, y] if y.len() == 4 => {
                let month = nz(num(m)?);
                valid(PartialDate {
                    year: num(y)? as i32,
                    month,
                    day: month.and(nz(num(d)?)),
                })
            }
            _ => None,
        }
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

/// A date of birth as lists give it: one (partial) date, or a range ("between 1960 and 1962",
/// UN `FROM_YEAR`/`TO_YEAR`). `circa` marks "approximately" dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BirthDate {
    pub from: PartialDate,
    pub to: PartialDate,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub circa: bool,
}

impl BirthDate {
    pub fn exact(d: PartialDate) -> BirthDate {
        BirthDate {
            from: d,
            to: d,
            circa: false,
        }
    }

    pub fn years(from: i32, to: i32) -> BirthDate {
        BirthDate {
            from: PartialDate::year(from),
            to: PartialDate::year(to),
            circa: false,
        }
    }
}

/// An identity document: passport, national id, tax number, IMO number…
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The list's own type label ("Passport", "National Identification Number", "IMO").
    pub kind: String,
    pub number: String,
    /// ISO 3166-1 alpha-2 code of the issuing country when it could be resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A postal address, kept as published plus the fields lists split out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// The whole address on one line, as the list writes it.
    pub full: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2 code when it could be resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// A country link of an entity; the relation says whether it is a nationality, a citizenship,
/// a residence or a registration ("jurisdiction").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryLink {
    /// ISO 3166-1 alpha-2 code when it could be resolved, else the list's text.
    pub code: String,
    pub relation: CountryRelation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountryRelation {
    Nationality,
    Citizenship,
    Residence,
    Jurisdiction,
    Other,
}

/// Which official list an entity came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// UN Security Council Consolidated List.
    Un,
    /// OFAC Specially Designated Nationals.
    OfacSdn,
    /// OFAC Consolidated (non-SDN) list.
    OfacConsolidated,
    /// EU Financial Sanctions Files.
    Eu,
    /// UK sanctions list (OFSI ConList / FCDO).
    Uk,
    /// FollowTheMoney entities (OpenSanctions and compatible exports).
    FollowTheMoney,
    /// Senzing JSON lines.
    Senzing,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Un => "un",
            SourceKind::OfacSdn => "ofac_sdn",
            SourceKind::OfacConsolidated => "ofac_consolidated",
            SourceKind::Eu => "eu",
            SourceKind::Uk => "uk",
            SourceKind::FollowTheMoney => "ftm",
            SourceKind::Senzing => "senzing",
        }
    }
}

/// One listed person, organisation, vessel or aircraft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable id: `un:<REFERENCE_NUMBER>`, `ofac:<uid>`, `eu:<logicalId>`, `uk:<Group ID>`,
    /// FollowTheMoney ids unchanged. Checks and stored decisions rely on these.
    pub id: String,
    pub schema: Schema,
    /// All names; the first `Primary` one is the caption.
    pub names: Vec<Name>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub birth_dates: Vec<BirthDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub birth_places: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<CountryLink>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
    /// Programmes / regimes ("SDGT", "ISIL (Da'esh) and Al-Qaida", "Al-Qaida").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub programs: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_on: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    pub source: SourceKind,
}

impl Entity {
    /// The primary name (the first one, if the list marked none as primary).
    pub fn caption(&self) -> &str {
        self.names
            .iter()
            .find(|n| n.kind == NameKind::Primary)
            .or_else(|| self.names.first())
            .map(|n| n.value.as_str())
            .unwrap_or("")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

/// A record the parser skipped or repaired, with where and why, so a list load never drops
/// data silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The record as a reader can find it: an id, `line 12`, `record 7`.
    pub record: String,
    pub message: String,
}

/// One parsed list file (or OFAC CSV directory): its entities, when it was published, and
/// what was skipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatchList {
    pub source: SourceKind,
    /// Publication date as the file states it (UN `dateGenerated`, OFAC `Publish_Date`,
    /// EU `generationDate`, UK "Last Updated").
    pub published: Option<String>,
    /// Where it was read from (a path, `embedded:un`, a URL), for messages and audit.
    pub origin: String,
    pub entities: Vec<Entity>,
    pub warnings: Vec<Warning>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_parse_list_formats() {
        assert_eq!(
            PartialDate::parse("1971-07-28"),
            Some(PartialDate {
                year: 1971,
                month: Some(7),
                day: Some(28)
            })
        );
        assert_eq!(PartialDate::parse("1971"), Some(PartialDate::year(1971)));
        assert_eq!(
            PartialDate::parse("00/00/1980"),
            Some(PartialDate {
                year: 1980,
                month: None,
                day: None
            })
        );
        assert_eq!(
            PartialDate::parse("12 Jan 1970"),
            Some(PartialDate {
                year: 1970,
                month: Some(1),
                day: Some(12)
            })
        );
        assert_eq!(
            PartialDate::parse("Feb 1965"),
            Some(PartialDate {
                year: 1965,
                month: Some(2),
                day: None
            })
        );
        assert_eq!(PartialDate::parse("circa"), None);
        assert_eq!(PartialDate::parse("1971-13-01"), None);
    }

    #[test]
    fn script_is_detected_from_letters() {
        assert_eq!(Script::detect("أبو بكر البغدادي"), Script::Arabic);
        assert_eq!(Script::detect("Abu Bakr"), Script::Latin);
        assert_eq!(Script::detect("Захаров"), Script::Cyrillic);
        assert_eq!(Script::detect("123"), Script::Latin);
    }
}
