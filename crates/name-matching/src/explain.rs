//! The explanation of a comparison: what an analyst reads to check a hit in seconds.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::reasons::MatchHow;
use crate::rules::Removed;

/// One aligned pair of tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aligned {
    /// The query token(s) as written.
    pub query_token: String,
    /// The list token(s) as written.
    pub list_token: String,
    /// Why they match.
    pub how: MatchHow,
    /// Token similarity in [0, 1].
    pub score: f64,
    /// Weight of the pair in the name score (rarity).
    pub weight: f64,
}

/// A token left without a partner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unmatched {
    /// The token as written.
    pub token: String,
    /// Its weight: how much its absence lowered the score.
    pub weight: f64,
}

/// Score and explanation of one query name against one list name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Name similarity in [0, 1].
    pub score: f64,
    /// Aligned token pairs, in query order.
    pub alignment: Vec<Aligned>,
    /// Query tokens the list name does not have.
    pub unmatched_query: Vec<Unmatched>,
    /// List-name tokens the query does not have (missing middle names etc.).
    pub unmatched_list: Vec<Unmatched>,
    /// Words of the query set aside (honorifics, articles, particles, stop words).
    pub ignored_query: Vec<Removed>,
    /// Words of the list name set aside.
    pub ignored_list: Vec<Removed>,
    /// The tokens match in a different order ("BAGHDADI, Abu Bakr").
    pub reordered: bool,
    /// Score adjustments applied after alignment, in words.
    pub notes: Vec<String>,
}

impl Comparison {
    /// A comparison with nothing to compare (an empty name on either side).
    pub fn empty() -> Comparison {
        Comparison {
            score: 0.0,
            alignment: Vec::new(),
            unmatched_query: Vec::new(),
            unmatched_list: Vec::new(),
            ignored_query: Vec::new(),
            ignored_list: Vec::new(),
            reordered: false,
            notes: Vec::new(),
        }
    }
}

fn join_unmatched(u: &[Unmatched]) -> String {
    if u.is_empty() {
        return "-".to_string();
    }
    u.iter()
        .map(|x| format!("{} (w {:.2})", x.token, x.weight))
        .collect::<Vec<_>>()
        .join(", ")
}

fn join_removed(r: &[Removed]) -> String {
    r.iter()
        .map(|x| {
            let k = match x.kind {
                crate::rules::RemovedKind::Honorific => "honorific",
                crate::rules::RemovedKind::Article => "article",
                crate::rules::RemovedKind::Particle => "particle",
                crate::rules::RemovedKind::StopWord => "stop word",
                crate::rules::RemovedKind::VesselPrefix => "vessel prefix",
            };
            format!("{} ({k})", x.text)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Comparison {
    /// A compact, line-per-fact rendering for terminals and case notes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "score {:.3}{}",
            self.score,
            if self.reordered {
                " (tokens reordered)"
            } else {
                ""
            }
        )?;
        let wq = self
            .alignment
            .iter()
            .map(|a| a.query_token.chars().count())
            .max()
            .unwrap_or(0);
        let wl = self
            .alignment
            .iter()
            .map(|a| a.list_token.chars().count())
            .max()
            .unwrap_or(0);
        for a in &self.alignment {
            let pq = wq.saturating_sub(a.query_token.chars().count());
            let pl = wl.saturating_sub(a.list_token.chars().count());
            writeln!(
                f,
                "  {}{} = {}{}  {:<15} {:.2}  (w {:.2})",
                a.query_token,
                " ".repeat(pq),
                a.list_token,
                " ".repeat(pl),
                a.how.label(),
                a.score,
                a.weight
            )?;
        }
        writeln!(
            f,
            "  unmatched in query: {}",
            join_unmatched(&self.unmatched_query)
        )?;
        writeln!(
            f,
            "  unmatched in list:  {}",
            join_unmatched(&self.unmatched_list)
        )?;
        if !self.ignored_query.is_empty() {
            writeln!(
                f,
                "  ignored in query:   {}",
                join_removed(&self.ignored_query)
            )?;
        }
        if !self.ignored_list.is_empty() {
            writeln!(
                f,
                "  ignored in list:    {}",
                join_removed(&self.ignored_list)
            )?;
        }
        for n in &self.notes {
            writeln!(f, "  note: {n}")?;
        }
        Ok(())
    }
}
