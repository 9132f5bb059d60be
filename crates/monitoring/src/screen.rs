//! The seam to watchlist screening. Monitoring does not depend on the screening crate:
//! the caller (the CLI, the server) implements [`NameScreener`] over whatever screener it
//! has, so this crate stays pure and testable with a fixed list.

use serde::{Deserialize, Serialize};

/// A watchlist match for a party name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListedMatch {
    /// Listed entity id, e.g. `un:QDi.299`.
    pub entity_id: String,
    /// The list name that matched.
    pub listed_name: String,
    /// Source list (un, ofac, eu, uk, ...).
    pub source: String,
    /// Match score in 0..1.
    pub score: f64,
}

/// Screens a party name (with its country when known) against watchlists. Returns the best
/// match at or above the screener's own match threshold, or `None`.
pub trait NameScreener: Send + Sync {
    /// Best match for `name`, if any.
    fn screen(&self, name: &str, country: Option<&str>) -> Option<ListedMatch>;
}

/// A screener over a fixed set of names, matched after case and whitespace folding.
/// Useful for tests and for deployments with a small internal deny-list.
#[derive(Debug, Clone, Default)]
pub struct ExactListScreener {
    entries: Vec<(String, ListedMatch)>,
}

impl ExactListScreener {
    /// Builds the screener from (name, entity id, source) triples.
    pub fn new<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> Self {
        ExactListScreener {
            entries: entries
                .into_iter()
                .map(|(n, id, src)| {
                    (
                        fold(n),
                        ListedMatch {
                            entity_id: id.into(),
                            listed_name: n.into(),
                            source: src.into(),
                            score: 1.0,
                        },
                    )
                })
                .collect(),
        }
    }
}

fn fold(s: &str) -> String {
    s.split_whitespace()
        .map(|t| t.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

impl NameScreener for ExactListScreener {
    fn screen(&self, name: &str, _country: Option<&str>) -> Option<ListedMatch> {
        let f = fold(name);
        self.entries
            .iter()
            .find(|(n, _)| *n == f)
            .map(|(_, m)| m.clone())
    }
}
