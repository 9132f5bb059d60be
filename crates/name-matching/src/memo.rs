//! Per-query memo of token-pair comparisons, for scoring one query against many list names.
//!
//! A screening query is scored against dozens of candidate names that were retrieved because
//! they share tokens with it, so the same list tokens (`mohammed`, `abu`, a family name on
//! several lists) come up again and again; comparing a token pair (the class-aware edit
//! distance and the match reasons) is most of the cost of a score. The caller gives every
//! distinct list token an id (tokens that are [`crate::Token::same_comparison`] share one),
//! and [`score_memo`] then compares each (query token, list token id) pair at most once per
//! query. The result is exactly [`crate::score`]: only repeated work is skipped.
//!
//! Layout (hand-written rather than a hash map): per list-token id a generation stamp and the
//! offset of its row of results (one entry per query token) in one growing vector, so a
//! lookup is two array reads and starting a new query is one counter increment.

use crate::align::{self, MAX_TOKENS};
use crate::reasons::{self, MatchHow};
use crate::{Prepared, round4};

/// [`PairMemo::row`] of an id the memo does not cover (its pairs are compared directly).
const NO_ROW: u32 = u32::MAX;

/// What is known about one (query token, list token) pair.
#[derive(Debug, Clone, Copy)]
enum Entry {
    /// Not compared yet in this query.
    Unknown,
    /// Compared: the reasons' answer.
    Known(Option<(f32, MatchHow)>),
}

/// Working memory of [`score_memo`] for one query preparation; reuse it across queries
/// (call [`PairMemo::reset`] for each new query), one per thread.
#[derive(Debug, Default)]
pub struct PairMemo {
    generation: u32,
    /// Per list-token id: the generation that wrote the entry (stale otherwise) and the
    /// offset of its results in `results` (one pair, so a lookup touches one cache line).
    rows: Vec<(u32, u32)>,
    /// `query_tokens` entries per list token met in this query.
    results: Vec<Entry>,
    /// Token count of the current query (capped like the aligner).
    query_tokens: usize,
}

impl PairMemo {
    /// An empty memo.
    pub fn new() -> PairMemo {
        PairMemo::default()
    }

    /// Starts a new query: forgets every result. `query` is the preparation that the
    /// following [`score_memo`] calls pass (a memo must never mix two preparations); `ids`
    /// is the number of distinct list-token ids the caller hands out (ids ≥ `ids` are
    /// compared without the memo).
    pub fn reset(&mut self, query: &Prepared, ids: usize) {
        if self.rows.len() != ids {
            self.rows = vec![(0, 0); ids];
            self.generation = 0;
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // wrapped: old stamps could collide with the new generation
            self.rows.iter_mut().for_each(|r| r.0 = 0);
            self.generation = 1;
        }
        self.results.clear();
        self.query_tokens = query.tokens.len().min(MAX_TOKENS);
    }

    /// The offset of the results of list token `id` in this query (made on first use), or
    /// [`NO_ROW`] for an id the memo does not cover.
    #[inline]
    fn row(&mut self, id: u32) -> u32 {
        let Some(row) = self.rows.get_mut(id as usize) else {
            return NO_ROW;
        };
        if row.0 == self.generation {
            row.1
        } else {
            let base = self.results.len();
            let Ok(at) = u32::try_from(base) else {
                return NO_ROW;
            };
            *row = (self.generation, at);
            self.results
                .resize(base + self.query_tokens, Entry::Unknown);
            at
        }
    }
}

/// [`crate::score`] of `query` against `list`, comparing token pairs through `memo`.
/// `list_ids` holds one id per list token (equal ids only for tokens that are
/// [`crate::Token::same_comparison`]); `memo` must have been [`PairMemo::reset`] with this
/// `query`. Returns exactly what [`crate::score`] returns.
pub fn score_memo(query: &Prepared, list: &Prepared, list_ids: &[u32], memo: &mut PairMemo) -> f64 {
    if query.is_empty() || list.is_empty() {
        return 0.0;
    }
    if list_ids.len() != list.tokens.len()
        || memo.query_tokens != query.tokens.len().min(MAX_TOKENS)
    {
        // ids that do not fit the name (or a memo not reset for this query): no memo
        return crate::score(query, list);
    }
    // the weights on the stack (a prepared name has at most MAX_TOKENS tokens; a longer one
    // takes the plain score): cheaper than collecting them, once per candidate
    let (mut wq, mut wc) = ([0f32; MAX_TOKENS], [0f32; MAX_TOKENS]);
    let (Some(wq), Some(wc)) = (
        wq.get_mut(..query.tokens.len()),
        wc.get_mut(..list.tokens.len()),
    ) else {
        return crate::score(query, list);
    };
    for (w, t) in wq.iter_mut().zip(&query.tokens) {
        *w = t.weight;
    }
    for (w, t) in wc.iter_mut().zip(&list.tokens) {
        *w = t.weight;
    }
    // each list token's row, found (or made) once per name rather than once per pair; the
    // comparison below holds plain slices and copies (the aligner's loop keeps few values
    // in registers, and every pair it asks for goes through here)
    let mut rows = [NO_ROW; MAX_TOKENS];
    for (r, &id) in rows.iter_mut().zip(list_ids) {
        *r = memo.row(id);
    }
    let nq = memo.query_tokens;
    let results: &mut [Entry] = &mut memo.results;
    let (qt, ct): (&[crate::Token], &[crate::Token]) = (&query.tokens, &list.tokens);
    let a = align::align_with(query, wq, list, wc, move |i, j| {
        let (tok, c) = (qt.get(i)?, ct.get(j)?);
        let entry = if i < nq {
            rows.get(j)
                .and_then(|&r| r.checked_add(i as u32))
                .and_then(|k| results.get_mut(k as usize))
        } else {
            None
        };
        match entry {
            Some(Entry::Known(r)) => *r,
            Some(e) => {
                let r = reasons::compare_tokens(tok, c);
                *e = Entry::Known(r);
                r
            }
            None => reasons::compare_tokens(tok, c),
        }
    });
    round4(a.score)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NameType, prepare, score};

    #[test]
    fn memo_scores_equal_plain_scores_across_many_names() {
        let q = prepare("Mohammed Abu Bakr al-Baghdadi", NameType::Person);
        let lists = [
            "Abu Bakr al-Baghdadi",
            "Muhammad Abu Bakr",
            "Mohammed al-Bagdadi",
            "Ibrahim Awwad Ibrahim Ali al-Badri",
            "Abou Bakr el Baghdadi",
            "أبو بكر البغدادي",
            "Mohammed Mohammed",
        ];
        let lists: Vec<Prepared> = lists.iter().map(|l| prepare(l, NameType::Person)).collect();
        // ids: one per distinct comparable token across all names
        let mut seen: Vec<&crate::Token> = Vec::new();
        let ids: Vec<Vec<u32>> = lists
            .iter()
            .map(|p| {
                p.tokens()
                    .iter()
                    .map(|t| match seen.iter().position(|s| s.same_comparison(t)) {
                        Some(k) => k as u32,
                        None => {
                            seen.push(t);
                            (seen.len() - 1) as u32
                        }
                    })
                    .collect()
            })
            .collect();
        let mut memo = PairMemo::new();
        memo.reset(&q, seen.len());
        for round in 0..2 {
            for (l, id) in lists.iter().zip(&ids) {
                assert_eq!(
                    score_memo(&q, l, id, &mut memo),
                    score(&q, l),
                    "round {round}"
                );
            }
        }
        // ids that do not fit fall back to the plain score
        assert_eq!(
            score_memo(&q, &lists[0], &[], &mut memo),
            score(&q, &lists[0])
        );
        // a new query after reset does not see the old results
        let q2 = prepare("Abu Omar al-Shishani", NameType::Person);
        memo.reset(&q2, seen.len());
        for (l, id) in lists.iter().zip(&ids) {
            assert_eq!(score_memo(&q2, l, id, &mut memo), score(&q2, l));
        }
    }
}
