//! The brute-force baseline benchmarks compare against: every list name scored against the
//! query with strsim's Jaro-Winkler on lower-cased text, the way peers without an index
//! screen (moov-io/watchman scores tokens with Jaro-Winkler). It exists to put our index and
//! matcher in perspective in the same run on the same machine; it is not used for screening
//! (it scores 0 across scripts and matches common tokens).

use crate::Screener;

/// All list names, lower-cased once.
#[derive(Debug)]
pub struct BruteForce {
    names: Vec<(u32, String)>,
    ids: Vec<String>,
}

impl BruteForce {
    /// Copies every indexed name of `screener`.
    pub fn new(screener: &Screener) -> BruteForce {
        let mut ids: Vec<String> = Vec::new();
        let mut names = Vec::new();
        for (id, name) in screener.indexed_names() {
            if ids.last().map(String::as_str) != Some(id) {
                ids.push(id.to_string());
            }
            names.push(((ids.len() - 1) as u32, name.to_lowercase()));
        }
        BruteForce { names, ids }
    }

    /// Number of names scored per query.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when there is no name.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The best-scoring entity id and its Jaro-Winkler score, scanning every name.
    pub fn best(&self, query: &str) -> Option<(&str, f64)> {
        let q = query.to_lowercase();
        let mut best: Option<(u32, f64)> = None;
        for (e, n) in &self.names {
            let s = strsim::jaro_winkler(&q, n);
            if best.is_none_or(|b| s > b.1) {
                best = Some((*e, s));
            }
        }
        best.map(|(e, s)| (self.ids[e as usize].as_str(), s))
    }
}
