//! Candidate retrieval: an inverted index from the matcher's per-token retrieval keys to list
//! names, so a query touches only the names that share a key with it (no full scan).
//!
//! Keys per token (from [`name_matching::Prepared::index_keys`]): a coarse consonant-class key
//! (collides across spellings and scripts: `Baghdadi`, `Bağdadi`, `بغدادي`), a Double Metaphone
//! code, known-romanisation variant groups, and exact text for numbers and scripts without
//! sound classes. The index adds its own typo keys: every coarse key of three or more classes
//! is also posted with each one class deleted (a symmetric-deletion scheme), so one inserted,
//! deleted or substituted consonant still retrieves the name.
//!
//! Ranking: each query token adds its rarity weight × the key's strength to every name it
//! retrieves (once per token, the strongest key counts). Tokens are looked up rarest first,
//! and once rarer tokens have produced candidates a very long posting list (a common token
//! such as "mohammed") only adds to existing candidates instead of creating thousands of new
//! ones. The best `candidate_budget` names are scored by the matcher. The index also posts
//! each token's exact comparable text, so a name spelled exactly like the query outranks the
//! thousands of names that merely share a short consonant key.

use name_matching::{IndexKey, KeyKind, Prepared, TokenKind};
use rustc_hash::FxHashMap;

/// Strength of a retrieval by key kind (exact coarse/variant/text keys are full evidence; a
/// typo key is weaker).
fn key_strength(k: &IndexKey) -> f32 {
    match k.kind {
        // A coarse key of one or two classes ("t" for Zeydi) collides with thousands of tokens.
        KeyKind::Coarse if k.key.len() <= 4 => 0.6,
        KeyKind::Coarse => 0.85,
        KeyKind::Variant => 0.95,
        KeyKind::Text => 1.0,
        KeyKind::Phonetic => 0.8,
    }
}
/// Strength of the exact-text key the index adds for every name token.
const EXACT_STRENGTH: f32 = 1.0;
const TYPO_STRENGTH: f32 = 0.6;

/// Coarse keys shorter than this get no typo keys (a deletion of a 3-class key collides
/// with most of the index).
const MIN_TYPO_KEY: usize = 4;

/// Posting lists longer than this only boost candidates found by rarer tokens, unless no
/// candidate exists yet.
pub(crate) const LONG_POSTING: usize = 1500;

/// The typo keys of a coarse key: the key with each one class deleted.
fn deletions(coarse: &str) -> impl Iterator<Item = String> + '_ {
    let b = coarse.as_bytes();
    let n = if b.len() >= MIN_TYPO_KEY && b.is_ascii() {
        b.len()
    } else {
        0
    };
    (0..n).map(move |i| {
        let mut s = String::with_capacity(b.len() + 1);
        s.push_str("d:");
        s.push_str(&coarse[..i]);
        s.push_str(&coarse[i + 1..]);
        s
    })
}

/// The inverted index (key → ascending list-name ids).
#[derive(Debug, Default)]
pub(crate) struct Postings {
    map: FxHashMap<Box<str>, Vec<u32>>,
}

impl Postings {
    fn post(&mut self, key: &str, id: u32) {
        match self.map.get_mut(key) {
            Some(v) => {
                if v.last() != Some(&id) {
                    v.push(id);
                }
            }
            None => {
                self.map.insert(key.into(), vec![id]);
            }
        }
    }

    /// Posts every key of a prepared list name under `id` (ids must be added in ascending
    /// order).
    pub fn add(&mut self, id: u32, p: &Prepared) {
        for t in p.tokens() {
            if t.kind() == TokenKind::Name {
                self.post(&format!("x:{}", t.text()), id);
            }
        }
        for k in p.index_keys() {
            self.post(&k.key, id);
            if k.kind == KeyKind::Coarse
                && let Some(c) = k.key.strip_prefix("c:")
            {
                for d in deletions(c) {
                    self.post(&d, id);
                }
            }
        }
    }

    pub fn shrink(&mut self) {
        for v in self.map.values_mut() {
            v.shrink_to_fit();
        }
        self.map.shrink_to_fit();
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn total_postings(&self) -> usize {
        self.map.values().map(Vec::len).sum()
    }

    fn get(&self, key: &str) -> &[u32] {
        self.map.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The lookups of one query key: the key itself and, for a coarse key, its typo forms
    /// (matching list tokens with one consonant class more, less or different).
    fn lookups<'a>(&'a self, k: &IndexKey, out: &mut Vec<(&'a [u32], f32)>) {
        let s = key_strength(k);
        out.push((self.get(&k.key), s));
        if k.kind == KeyKind::Coarse
            && let Some(c) = k.key.strip_prefix("c:")
        {
            // list token has one class more: its deletion equals our key
            out.push((self.get(&format!("d:{c}")), TYPO_STRENGTH));
            for d in deletions(c) {
                // we have one class more than the list token
                out.push((self.get(&format!("c:{}", &d[2..])), TYPO_STRENGTH));
                // one class substituted
                out.push((self.get(&d), TYPO_STRENGTH));
            }
        }
    }

    /// Ranks list names by the weighted share of query tokens they were retrieved by and
    /// returns at most `budget` ids with their retrieval score, best first. `admit` filters
    /// names (schema). `min_score` drops names whose retrieval score is too low to matter.
    pub fn candidates(
        &self,
        q: &Prepared,
        budget: usize,
        min_score: f32,
        admit: impl Fn(u32) -> bool,
    ) -> Vec<(u32, f32)> {
        let keys = q.index_keys();
        let ntok = q.tokens().len();
        // lookups per token
        let mut per_tok: Vec<Vec<(&[u32], f32)>> = vec![Vec::new(); ntok];
        for (i, t) in q.tokens().iter().enumerate() {
            if t.kind() == TokenKind::Name {
                per_tok[i].push((self.get(&format!("x:{}", t.text())), EXACT_STRENGTH));
            }
        }
        for k in &keys {
            if k.token < ntok {
                self.lookups(k, &mut per_tok[k.token]);
            }
        }
        for l in &mut per_tok {
            l.retain(|(p, _)| !p.is_empty());
            l.sort_by_key(|(p, _)| p.len());
        }
        // Most selective token first.
        let mut order: Vec<usize> = (0..ntok).filter(|&t| !per_tok[t].is_empty()).collect();
        order.sort_by_key(|&t| per_tok[t][0].0.len());
        // name id -> (score, last token, contribution of last token)
        let mut acc: FxHashMap<u32, (f32, u16, f32)> = FxHashMap::default();
        acc.reserve(512);
        for &t in &order {
            let w = q.tokens()[t].weight() as f32;
            for (plist, strength) in &per_tok[t] {
                let grow = plist.len() <= LONG_POSTING || acc.is_empty();
                let add = w * strength;
                let credit = |e: &mut (f32, u16, f32)| {
                    if e.1 as usize == t {
                        if add > e.2 {
                            e.0 += add - e.2;
                            e.2 = add;
                        }
                    } else {
                        e.0 += add;
                        e.1 = t as u16;
                        e.2 = add;
                    }
                };
                if !grow && plist.len() > 16 * acc.len() {
                    // Boost only, and the list is much longer than the candidate set: probe
                    // the (sorted) posting list per candidate instead of walking it.
                    for (id, e) in acc.iter_mut() {
                        if plist.binary_search(id).is_ok() {
                            credit(e);
                        }
                    }
                    continue;
                }
                for &id in *plist {
                    match acc.get_mut(&id) {
                        Some(e) => credit(e),
                        None => {
                            if grow && admit(id) {
                                acc.insert(id, (add, t as u16, add));
                            }
                        }
                    }
                }
            }
        }
        let mut out: Vec<(u32, f32)> = acc
            .into_iter()
            .filter(|(_, e)| e.0 >= min_score)
            .map(|(id, e)| (id, e.0))
            .collect();
        if out.len() > budget {
            out.select_nth_unstable_by(budget, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            out.truncate(budget);
        }
        out.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}
