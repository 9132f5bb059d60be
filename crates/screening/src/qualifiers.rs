//! Qualifiers: evidence beside the name that raises or lowers a hit's score.
//!
//! What it finds: agreement or disagreement between the query's birth date, country and
//! document number and the entity's.
//! Why it matters: name-only screening of common names produces many false positives; a
//! birth year that is 20 years off is strong evidence against, the same passport number is
//! near-proof for. Qualifiers only move a score the name already earned; they never create a
//! candidate (yente logic-v2 works the same way).
//! Example: query "Abu Bakr al-Baghdadi" born 1971 vs un:QDi.299 (born 1971): +0.02 (same year);
//! born 1990: −0.15 (years disjoint).
//! Parameters: the `dob_*`, `country_*` and `document_bonus` fields of [`crate::Config`].

use watchlist::{BirthDate, Entity, PartialDate};

use crate::{Adjustment, Config, Factor, Outcome};

/// A query's qualifiers, parsed once per query.
#[derive(Debug, Clone, Default)]
pub(crate) struct Qualifiers {
    pub birth: Option<PartialDate>,
    pub country: Option<Country>,
    pub document: Option<String>,
}

/// A query country: an ISO alpha-2 code when known, else the normalised text.
#[derive(Debug, Clone)]
pub(crate) struct Country {
    pub code: String,
    pub input: String,
}

impl Qualifiers {
    pub fn is_empty(&self) -> bool {
        self.birth.is_none() && self.country.is_none() && self.document.is_none()
    }
}

pub(crate) fn parse_country(s: &str) -> Option<Country> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let code = match watchlist::country::to_iso2(t) {
        Some(c) => c.to_string(),
        None => watchlist::country::normalise(t),
    };
    Some(Country {
        code,
        input: t.to_string(),
    })
}

/// Document numbers compare on letters and digits only, upper-cased ("A-123 456" = "a123456").
pub(crate) fn document_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

fn entity_country_code(c: &str) -> String {
    if c.len() == 2 && c.chars().all(|x| x.is_ascii_alphabetic()) {
        return c.to_ascii_uppercase();
    }
    match watchlist::country::to_iso2(c) {
        Some(x) => x.to_string(),
        None => watchlist::country::normalise(c),
    }
}

/// Applies the qualifiers of `q` to `entity`, returning the adjustments (possibly none).
pub(crate) fn assess(q: &Qualifiers, entity: &Entity, cfg: &Config) -> Vec<Adjustment> {
    let mut out = Vec::new();
    if let Some(d) = &q.birth
        && let Some(a) = birth_date(d, &entity.birth_dates, cfg)
    {
        out.push(a);
    }
    if let Some(c) = &q.country
        && let Some(a) = country(c, entity, cfg)
    {
        out.push(a);
    }
    if let Some(doc) = &q.document
        && let Some(a) = document(doc, entity, cfg)
    {
        out.push(a);
    }
    out
}

fn fmt_range(b: &BirthDate) -> String {
    if b.from == b.to {
        format!("{}{}", b.from, if b.circa { " (circa)" } else { "" })
    } else {
        format!(
            "{}..{}{}",
            b.from,
            b.to,
            if b.circa { " (circa)" } else { "" }
        )
    }
}

/// Birth date: full-date agreement, year agreement, same year with a different day, or
/// disjoint years. Entities with several dates (lists often give alternatives) agree when any
/// of them does. A "circa" date or a range widens the accepted years by one.
fn birth_date(q: &PartialDate, dates: &[BirthDate], cfg: &Config) -> Option<Adjustment> {
    if dates.is_empty() {
        return None;
    }
    let listed = dates.iter().map(fmt_range).collect::<Vec<_>>().join(", ");
    let mut best: Option<(Outcome, f64)> = None;
    for b in dates {
        let slack = i32::from(b.circa);
        let lo = b.from.year.min(b.to.year) - slack;
        let hi = b.from.year.max(b.to.year) + slack;
        let outcome = if q.year < lo || q.year > hi {
            (Outcome::Mismatch, -cfg.dob_year_penalty)
        } else if b.from == b.to && !b.circa {
            let d = b.from;
            match (q.month, q.day, d.month, d.day) {
                (Some(qm), Some(qd), Some(dm), Some(dd))
                    if qm == dm && qd == dd && q.year == d.year =>
                {
                    (Outcome::Match, cfg.dob_match_bonus)
                }
                (Some(qm), _, Some(dm), _) if qm != dm && q.year == d.year => {
                    (Outcome::Mismatch, -cfg.dob_day_penalty)
                }
                (Some(_), Some(qd), Some(_), Some(dd)) if qd != dd && q.year == d.year => {
                    (Outcome::Mismatch, -cfg.dob_day_penalty)
                }
                _ => (Outcome::Partial, cfg.dob_year_bonus),
            }
        } else {
            (Outcome::Partial, cfg.dob_year_bonus)
        };
        if best.is_none_or(|(_, e)| outcome.1 > e) {
            best = Some(outcome);
        }
    }
    let (outcome, effect) = best?;
    let detail = match outcome {
        Outcome::Match => format!("same date of birth {q} (listed: {listed})"),
        Outcome::Partial => format!("birth year {} agrees (listed: {listed})", q.year),
        _ if effect == -cfg.dob_day_penalty => {
            format!("same year, different day: {q} (listed: {listed})")
        }
        _ => format!("birth year {} disjoint from listed {listed}", q.year),
    };
    Some(Adjustment {
        factor: Factor::BirthDate,
        outcome,
        effect,
        detail,
    })
}

/// Country: the query country is one of the entity's nationalities, citizenships, residences,
/// registrations or address countries (agreement), or none of them (disagreement). No effect
/// when the entity has no country.
fn country(q: &Country, entity: &Entity, cfg: &Config) -> Option<Adjustment> {
    let mut codes: Vec<String> = entity
        .countries
        .iter()
        .map(|c| entity_country_code(&c.code))
        .collect();
    codes.extend(
        entity
            .addresses
            .iter()
            .filter_map(|a| a.country.as_deref())
            .map(entity_country_code),
    );
    codes.sort();
    codes.dedup();
    if codes.is_empty() {
        return None;
    }
    let listed = codes.join(", ");
    if codes.contains(&q.code) {
        Some(Adjustment {
            factor: Factor::Country,
            outcome: Outcome::Match,
            effect: cfg.country_bonus,
            detail: format!(
                "{} ({}) is one of the listed countries: {listed}",
                q.input, q.code
            ),
        })
    } else {
        Some(Adjustment {
            factor: Factor::Country,
            outcome: Outcome::Mismatch,
            effect: -cfg.country_penalty,
            detail: format!(
                "{} ({}) is none of the listed countries: {listed}",
                q.input, q.code
            ),
        })
    }
}

/// Document: the same number (letters and digits, case-insensitive) as one of the entity's
/// documents. A different number is not evidence against (people hold several documents).
fn document(q: &str, entity: &Entity, cfg: &Config) -> Option<Adjustment> {
    if q.len() < 4 {
        return None;
    }
    let hit = entity
        .documents
        .iter()
        .find(|d| document_key(&d.number) == q)?;
    Some(Adjustment {
        factor: Factor::Document,
        outcome: Outcome::Match,
        effect: cfg.document_bonus,
        detail: format!("same document number {} ({})", hit.number, hit.kind),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use watchlist::{Schema, SourceKind};

    fn entity() -> Entity {
        Entity {
            id: "un:T.1".into(),
            schema: Schema::Person,
            names: vec![],
            birth_dates: vec![BirthDate::exact(PartialDate {
                year: 1971,
                month: Some(7),
                day: Some(28),
            })],
            birth_places: vec![],
            countries: vec![watchlist::CountryLink {
                code: "IQ".into(),
                relation: watchlist::CountryRelation::Nationality,
            }],
            documents: vec![watchlist::Document {
                kind: "Passport".into(),
                number: "A-1234567".into(),
                country: None,
                note: None,
            }],
            addresses: vec![],
            programs: vec![],
            gender: None,
            listed_on: None,
            remarks: None,
            source: SourceKind::Un,
        }
    }

    fn q(dob: &str) -> Qualifiers {
        Qualifiers {
            birth: PartialDate::parse(dob),
            ..Qualifiers::default()
        }
    }

    #[test]
    fn same_full_birth_date_raises_the_score() {
        let a = assess(&q("1971-07-28"), &entity(), &Config::default());
        assert_eq!(a[0].outcome, Outcome::Match);
        assert!(a[0].effect > 0.0);
    }

    #[test]
    fn same_birth_year_is_partial_agreement() {
        let a = assess(&q("1971"), &entity(), &Config::default());
        assert_eq!(a[0].outcome, Outcome::Partial);
    }

    #[test]
    fn same_year_different_day_lowers_the_score() {
        let a = assess(&q("1971-03-02"), &entity(), &Config::default());
        assert_eq!(a[0].outcome, Outcome::Mismatch);
        assert!(a[0].effect < 0.0 && a[0].effect > -Config::default().dob_year_penalty);
    }

    #[test]
    fn disjoint_birth_years_lower_the_score_most() {
        let a = assess(&q("1990"), &entity(), &Config::default());
        assert_eq!(a[0].outcome, Outcome::Mismatch);
        assert_eq!(a[0].effect, -Config::default().dob_year_penalty);
    }

    #[test]
    fn country_names_and_codes_meet() {
        let cfg = Config::default();
        let qs = Qualifiers {
            country: parse_country("Iraq"),
            ..Qualifiers::default()
        };
        assert_eq!(assess(&qs, &entity(), &cfg)[0].outcome, Outcome::Match);
        let qs = Qualifiers {
            country: parse_country("FR"),
            ..Qualifiers::default()
        };
        assert_eq!(assess(&qs, &entity(), &cfg)[0].outcome, Outcome::Mismatch);
    }

    #[test]
    fn document_numbers_match_ignoring_punctuation() {
        let qs = Qualifiers {
            document: Some(document_key("a1234567")),
            ..Qualifiers::default()
        };
        let a = assess(&qs, &entity(), &Config::default());
        assert_eq!(a[0].factor, Factor::Document);
        let qs = Qualifiers {
            document: Some(document_key("B999999")),
            ..Qualifiers::default()
        };
        assert!(assess(&qs, &entity(), &Config::default()).is_empty());
    }
}
