//! The explanation attached to every hit: what an analyst needs to accept or dismiss it in
//! seconds without re-running the matcher in their head.
//!
//! It says which list name matched (and what kind of name it is: primary, alias, weak alias,
//! original script), how each query token lined up with a list token and by which rule
//! (exact, transliteration, phonetic, fuzzy, initial, legal form ...), what stayed unmatched on
//! either side, and which qualifiers (birth date, country, document, name quality) moved the
//! score and by how much. The final score is reproducible from the parts: `name_score` plus
//! each adjustment's `effect`, clamped to [0, 1].

pub use name_matching::{Aligned, MatchHow, Removed, Unmatched};
use serde::{Deserialize, Serialize};
use watchlist::{NameKind, Quality, Script};

/// Why a hit scored what it scored. Serialised as JSON in the CLI and HTTP API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The list name that gave the best score, exactly as the list publishes it.
    pub matched_name: String,
    /// Role of that name for its entity (primary, alias, formerly known as, original script).
    pub name_kind: NameKind,
    /// Quality the list gives that name (weak aliases count for less).
    pub name_quality: Quality,
    /// Script of the list name.
    pub name_script: Script,
    /// Score of the name comparison alone, before adjustments (0..1).
    pub name_score: f64,
    /// Query tokens aligned with list tokens and how (exact, transliteration, phonetic,
    /// fuzzy, initial, legal_form, fused), with the pair's similarity and rarity weight.
    pub aligned: Vec<Aligned>,
    /// Query tokens that found no partner in the list name, with their weight.
    pub unmatched_query: Vec<Unmatched>,
    /// List-name tokens that found no partner in the query (e.g. a missing middle name).
    pub unmatched_list: Vec<Unmatched>,
    /// Query words set aside before comparing (honorifics, articles, particles).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored_query: Vec<Removed>,
    /// List-name words set aside before comparing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored_list: Vec<Removed>,
    /// The tokens matched in a different order ("BAGHDADI, Abu Bakr").
    #[serde(default)]
    pub reordered: bool,
    /// Notes of the name comparison ("only common tokens matched ...").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Score adjustments applied after the name comparison, in order.
    pub adjustments: Vec<Adjustment>,
    /// Final score (equals the hit's score).
    pub score: f64,
}

/// What moved the score after the name comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Adjustment {
    /// What was compared.
    pub factor: Factor,
    /// The outcome of the comparison.
    pub outcome: Outcome,
    /// Additive change to the score (negative lowers it). Multiplicative factors are shown
    /// as the resulting additive change so the parts add up.
    pub effect: f64,
    /// Human-readable detail: the values that were compared.
    pub detail: String,
}

/// The evidence an adjustment is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    /// Quality of the matched alias (weak/low-quality aliases count for less).
    NameQuality,
    /// Date of birth.
    BirthDate,
    /// Country / nationality / citizenship / residence / jurisdiction.
    Country,
    /// Identity document number.
    Document,
    /// Strength of the name evidence: only common tokens agree while the list name's
    /// distinctive tokens are missing from the query.
    Evidence,
}

/// Outcome of a qualifier comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Exact agreement (same full date, same document number).
    Match,
    /// Partial agreement (same year, one of several countries).
    Partial,
    /// Disagreement (different years, disjoint countries).
    Mismatch,
    /// The list name is a weak alias.
    Weak,
}
