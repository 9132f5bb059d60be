//! Screening: find the listed entities a name (plus optional birth date, country, document)
//! may refer to, with a score and an explanation per hit.
//!
//! Pure: data in (parsed [`WatchList`]s, a [`Query`]), results out ([`Hit`]s). No I/O, no
//! clock, no global state; the caller owns loading and reloading lists.
//!
//! How a query is answered:
//! 1. The query name is prepared once by the `name-matching` crate (normalised, romanised,
//!    tokenised).
//!    A query without a schema is prepared for every name type at once
//!    (`name_matching::prepare_each`: normalised once, each token built once), since
//!    retrieval compares the weights of its preparations.
//! 2. Candidate retrieval: every prepared token yields retrieval keys; an inverted index maps
//!    keys to list-name forms (posting lists). A form is a list name's comparable tokens: the
//!    same name on UN, EU, UK and OFAC lists is one form, retrieved and scored once. Keys are
//!    looked up rarest first, very long posting lists last (they only boost the candidates
//!    the others created), and candidates are accumulated with IDF weights in a reusable
//!    dense accumulator; the best `candidate_budget` forms (ranked by retrieval score, less a
//!    little for every list token the query did not retrieve) are scored. Keys that are too
//!    common (tokens such as "mohammed", "al", "company") never create candidates on their
//!    own. No full scan per query.
//! 3. Each candidate form is scored against the query by the matcher's cheap `score` (no
//!    explanation), through a per-query memo of token-pair comparisons (`score_memo`: list
//!    tokens carry ids given at build, so a token shared by many candidates is compared with
//!    each query token once); token rarity (IDF over all list names) is passed in so common
//!    tokens weigh little. Explanations are built only for the hits returned.
//! 4. Per entity, the best name wins; its score is adjusted for name quality (weak aliases)
//!    and qualifiers (birth date, country, document number).
//! 5. Hits with score ≥ `cutoff` are returned, best first; `match` = score ≥ threshold.

mod explain;

pub use explain::{
    Adjustment, Aligned, Explanation, Factor, MatchHow, Outcome, Removed, Unmatched,
};

use serde::{Deserialize, Serialize};
use watchlist::{Schema, SourceKind};

/// Default threshold: the score at or above which a hit is called a match. Chosen on the
/// development set (eval/screening) as the point where recall on variants stays ≥ 0.95 while
/// false positives on unrelated people stay ≤ 1%.
pub const DEFAULT_THRESHOLD: f64 = 0.80;
/// Default cutoff: candidates scoring below it are not returned at all. Low enough that an
/// analyst sees near misses, high enough that the list is not noise.
pub const DEFAULT_CUTOFF: f64 = 0.60;
/// Longest accepted query name, in characters. Real names are far shorter; longer input is
/// almost always a pasted document and would only cost time.
pub const MAX_NAME_CHARS: usize = 500;

/// Matcher settings; `Default` is the documented default pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Score at or above which a hit is a match (`match: true`).
    pub threshold: f64,
    /// Lowest score returned.
    pub cutoff: f64,
    /// Most hits returned per query.
    pub limit: usize,
    /// Most candidate name forms scored per query (after retrieval ranking). A form is a
    /// list name's comparable tokens; the same name on several lists is one form, scored
    /// once.
    pub candidate_budget: usize,
    /// Retrieval ranking: a candidate's retrieval score is lowered by this much for every
    /// keyed token of the list name beyond the number of query tokens that retrieved it, so
    /// among names sharing the same tokens with the query the ones with little else are
    /// scored first. Ranking only; `min_retrieval_share` applies to the unlowered score.
    pub retrieval_extra_token_penalty: f64,
    /// Query tokens weighing less than this (common tokens: rarity weight) are looked up
    /// without typo keys (one consonant class inserted, deleted or substituted). 0 = all
    /// tokens get typo keys.
    pub typo_min_weight: f64,
    /// Candidates whose retrieval score (rarity-weighted share of query tokens that share a
    /// retrieval key with the name) is below this share of the query's total weight are not
    /// scored.
    pub min_retrieval_share: f64,
    /// Least rarity-weighted token agreement a match needs when the list name has a more
    /// distinctive token the query lacks (see the evidence guard).
    pub min_evidence: f64,
    /// Multiplier applied to the name score of a weak / low-quality alias.
    pub weak_alias_factor: f64,
    /// Birth date: same full date adds this much.
    pub dob_match_bonus: f64,
    /// Birth date: same year (day unknown on one side) adds this much.
    pub dob_year_bonus: f64,
    /// Birth date: years disjoint subtracts this much.
    pub dob_year_penalty: f64,
    /// Birth date: same year, different day subtracts this much.
    pub dob_day_penalty: f64,
    /// Country agrees adds this much.
    pub country_bonus: f64,
    /// Country disjoint subtracts this much.
    pub country_penalty: f64,
    /// Same document number adds this much.
    pub document_bonus: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            threshold: DEFAULT_THRESHOLD,
            cutoff: DEFAULT_CUTOFF,
            limit: 10,
            candidate_budget: 64,
            retrieval_extra_token_penalty: 0.1,
            typo_min_weight: 0.0,
            min_retrieval_share: 0.3,
            min_evidence: 1.0,
            weak_alias_factor: 0.92,
            dob_match_bonus: 0.05,
            dob_year_bonus: 0.02,
            dob_year_penalty: 0.15,
            dob_day_penalty: 0.08,
            country_bonus: 0.02,
            country_penalty: 0.10,
            document_bonus: 0.25,
        }
    }
}

/// A screening request (same fields as the CLI and the HTTP API).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Query {
    pub name: String,
    pub schema: Option<Schema>,
    /// "1971", "1971-07", "1971-07-28", "28/07/1971" ...
    pub birth_date: Option<String>,
    /// ISO alpha-2 or a country name.
    pub country: Option<String>,
    /// Optional id-document number.
    pub document: Option<String>,
    /// Overrides `Config.threshold`.
    pub threshold: Option<f64>,
    /// Overrides `Config.limit`.
    pub limit: Option<usize>,
}

impl Query {
    /// A query with only a name.
    pub fn name(name: impl Into<String>) -> Query {
        Query {
            name: name.into(),
            ..Query::default()
        }
    }
}

/// One candidate, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub entity_id: String,
    pub score: f64,
    #[serde(rename = "match")]
    pub is_match: bool,
    /// The list name that matched.
    pub name: String,
    pub schema: Schema,
    /// The entity's primary name.
    pub caption: String,
    pub source: SourceKind,
    pub explanation: Explanation,
}

/// Why a query could not be screened. Each says what is wrong so the caller can tell the user.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScreenError {
    #[error("the name is empty")]
    EmptyName,
    #[error("the name has no letters or digits to match on: {0:?}")]
    NoLetters(String),
    #[error("the name is too long: {len} characters (at most {max})")]
    NameTooLong { len: usize, max: usize },
    #[error("invalid birth date {0:?}: expected YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY")]
    InvalidBirthDate(String),
    #[error("invalid threshold {0}: expected a number between 0 and 1")]
    InvalidThreshold(f64),
}

/// What was loaded from one list: for status pages and audit (no entity vectors).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListInfo {
    pub source: SourceKind,
    pub origin: String,
    pub published: Option<String>,
    pub entities: usize,
    pub names: usize,
    pub warnings: usize,
}

pub mod baseline;
mod engine;
mod index;
mod parenthetical;
mod qualifiers;
mod rarity;

pub use engine::{Diagnosis, EntityDiagnosis, IndexStats, NameDiagnosis, Screener, name_type};
pub use rarity::Rarity;
