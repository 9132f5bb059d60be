//! Candidate retrieval: an inverted index from the matcher's per-token retrieval keys to list
//! names, so a query touches only the names that share a key with it (no full scan).
//!
//! Keys per token (from [`name_matching::Prepared::index_keys`]): a coarse consonant-class key
//! (collides across spellings and scripts: `Baghdadi`, `Bağdadi`, `بغدادي`), a Double Metaphone
//! code, known-romanisation variant groups, and exact text for numbers and scripts without
//! sound classes. The index adds its own typo keys: every coarse key of four or more classes
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
//!
//! Layout (why hand-written rather than a map of vectors): keys are interned to dense ids at
//! build time and all posting lists live in one flat array with offsets (compressed sparse
//! rows), which halves the memory of a `HashMap<String, Vec<u32>>` and keeps lookups to one
//! hash probe. Per query, scores are accumulated in a dense per-name array stamped with a
//! query generation ([`Scratch`]), reused across queries, so walking a posting list costs a
//! few instructions per name instead of a hash-map probe and no allocation. Long posting
//! lists (which only boost existing candidates) also get a bit set over all names, so a boost
//! tests one bit per candidate; the best `budget` candidates are kept by a bounded heap.

use name_matching::{IndexKey, KeyKind, Prepared, TokenKind};
use rustc_hash::FxHashMap;
use smallvec::SmallVec;

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

/// Writes the typo key of `coarse` with the class at `i` deleted into `out` (`d:` prefix).
fn deletion_into(out: &mut String, coarse: &str, i: usize) {
    out.clear();
    out.push_str("d:");
    out.push_str(&coarse[..i]);
    out.push_str(&coarse[i + 1..]);
}

/// Number of typo keys (one per deleted class) a coarse key gets.
fn deletion_count(coarse: &str) -> usize {
    if coarse.len() >= MIN_TYPO_KEY && coarse.is_ascii() {
        coarse.len()
    } else {
        0
    }
}

/// Builds [`Postings`]: posts keys of names added in ascending id order.
#[derive(Debug, Default)]
pub(crate) struct PostingsBuilder {
    keys: FxHashMap<Box<str>, u32>,
    lists: Vec<Vec<u32>>,
    buf: String,
}

impl PostingsBuilder {
    fn post(&mut self, key: &str, id: u32) {
        let k = match self.keys.get(key) {
            Some(&k) => k as usize,
            None => {
                let k = self.lists.len();
                self.keys.insert(key.into(), k as u32);
                self.lists.push(Vec::new());
                k
            }
        };
        let v = &mut self.lists[k];
        if v.last() != Some(&id) {
            v.push(id);
        }
    }

    /// Posts every key of a prepared list name under `id` (ids must be added in ascending
    /// order).
    pub fn add(&mut self, id: u32, p: &Prepared) {
        let mut buf = std::mem::take(&mut self.buf);
        for t in p.tokens() {
            if t.kind() == TokenKind::Name {
                buf.clear();
                buf.push_str("x:");
                buf.push_str(t.text());
                self.post(&buf, id);
            }
        }
        for k in p.index_keys() {
            self.post(&k.key, id);
            if k.kind == KeyKind::Coarse
                && let Some(c) = k.key.strip_prefix("c:")
            {
                for i in 0..deletion_count(c) {
                    deletion_into(&mut buf, c, i);
                    self.post(&buf, id);
                }
            }
        }
        self.buf = buf;
    }

    /// Freezes the index into its flat layout; `names` is the number of list names (ids
    /// are below it).
    pub fn finish(self, names: usize) -> Postings {
        let total: usize = self.lists.iter().map(Vec::len).sum();
        let mut offsets = Vec::with_capacity(self.lists.len() + 1);
        let mut ids = Vec::with_capacity(total);
        let words = names.div_ceil(64);
        let mut long_bits = Vec::new();
        let mut long_of = vec![u32::MAX; self.lists.len()];
        offsets.push(0u32);
        for (k, l) in self.lists.into_iter().enumerate() {
            if l.len() > LONG_POSTING {
                long_of[k] = (long_bits.len() / words.max(1)) as u32;
                let at = long_bits.len();
                long_bits.resize(at + words, 0u64);
                for &id in &l {
                    if let Some(w) = long_bits.get_mut(at + id as usize / 64) {
                        *w |= 1 << (id % 64);
                    }
                }
            }
            // each list is freed once copied, so peak memory stays near one copy
            ids.extend_from_slice(&l);
            offsets.push(ids.len() as u32);
        }
        let mut keys = self.keys;
        keys.shrink_to_fit();
        Postings {
            keys,
            offsets,
            ids,
            words,
            long_of,
            long_bits,
        }
    }
}

/// The inverted index: key → ascending list-name ids, in one flat array.
#[derive(Debug, Default)]
pub(crate) struct Postings {
    keys: FxHashMap<Box<str>, u32>,
    /// `ids[offsets[k]..offsets[k + 1]]` is the posting list of key `k`.
    offsets: Vec<u32>,
    ids: Vec<u32>,
    /// Words of one bit set over all list names.
    words: usize,
    /// Per key: index of its bit set in `long_bits` (`u32::MAX` for none). Posting lists
    /// longer than [`LONG_POSTING`] only boost existing candidates; testing a bit per
    /// candidate is far cheaper than walking or binary-searching thousands of ids.
    long_of: Vec<u32>,
    /// Bit sets of the long posting lists, `words` u64s each (about 1 MB in all).
    long_bits: Vec<u64>,
}

/// Accumulator slot of one list name (form) in [`Scratch`]; one cache line holds four.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// Query generation that last wrote the slot (the slot is stale otherwise).
    stamp: u32,
    /// Retrieval score so far.
    score: f32,
    /// Contribution of the last query token that credited the name (a token counts once,
    /// with its strongest key).
    contrib: f32,
    /// That token.
    last: u16,
    /// Number of query tokens that credited the name.
    count: u8,
}

/// Per-query working memory for retrieval, reused across queries (one per thread at a time):
/// a dense accumulator over all list names, valid where `stamp == generation`.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    generation: u32,
    slots: Vec<Slot>,
    /// Names credited in this query, in order of first credit.
    touched: Vec<u32>,
    key: String,
}

impl Scratch {
    /// Readies the accumulator for a new query over `names` list names.
    fn reset(&mut self, names: usize) {
        if self.slots.len() != names {
            self.slots = vec![Slot::default(); names];
            self.generation = 0;
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // wrapped: old stamps could collide with the new generation
            self.slots.iter_mut().for_each(|s| s.stamp = 0);
            self.generation = 1;
        }
        self.touched.clear();
    }

    #[inline]
    fn credit(slot: &mut Slot, t: u16, add: f32) {
        if slot.last == t {
            if add > slot.contrib {
                slot.score += add - slot.contrib;
                slot.contrib = add;
            }
        } else {
            slot.score += add;
            slot.last = t;
            slot.contrib = add;
            slot.count = slot.count.saturating_add(1);
        }
    }
}

/// A retrieved name in the top-`budget` heap of [`Postings::candidates`], ordered worst last:
/// `a > b` when `a` ranks lower (or equal with a larger id), so the heap's top is the worst.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    id: u32,
    rank: f32,
    score: f32,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other
            .rank
            .total_cmp(&self.rank)
            .then(self.id.cmp(&other.id))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}

impl Eq for Ranked {}

/// One posting list a query token looks up, with the strength of the key and the list's bit
/// set if it is long.
type Lookup<'a> = (u16, &'a [u32], f32, Option<&'a [u64]>);

impl Postings {
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn total_postings(&self) -> usize {
        self.ids.len()
    }

    /// The posting list of `key` and, for a long one, its bit set.
    fn get_with_bits(&self, key: &str) -> (&[u32], Option<&[u64]>) {
        let Some(&k) = self.keys.get(key) else {
            return (&[], None);
        };
        let k = k as usize;
        let ids = match (self.offsets.get(k), self.offsets.get(k + 1)) {
            (Some(&a), Some(&b)) => self.ids.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        };
        let bits = match self.long_of.get(k) {
            Some(&b) if b != u32::MAX => {
                let at = b as usize * self.words;
                self.long_bits.get(at..at + self.words)
            }
            _ => None,
        };
        (ids, bits)
    }

    /// A lookup of `key` for query token `t`.
    fn lookup(&self, t: u16, key: &str, strength: f32) -> Lookup<'_> {
        let (ids, bits) = self.get_with_bits(key);
        (t, ids, strength, bits)
    }

    /// The lookups of one query key: the key itself and, for a coarse key, its typo forms
    /// (matching list tokens with one consonant class more, less or different).
    fn lookups<'a>(
        &'a self,
        k: &IndexKey,
        typos: bool,
        buf: &mut String,
        out: &mut Vec<Lookup<'a>>,
    ) {
        let t = k.token as u16;
        out.push(self.lookup(t, &k.key, key_strength(k)));
        if typos
            && k.kind == KeyKind::Coarse
            && let Some(c) = k.key.strip_prefix("c:")
        {
            // list token has one class more: its deletion equals our key
            buf.clear();
            buf.push_str("d:");
            buf.push_str(c);
            out.push(self.lookup(t, buf, TYPO_STRENGTH));
            for i in 0..deletion_count(c) {
                deletion_into(buf, c, i);
                // we have one class more than the list token
                buf.replace_range(..2, "c:");
                out.push(self.lookup(t, buf, TYPO_STRENGTH));
                // one class substituted
                buf.replace_range(..2, "d:");
                out.push(self.lookup(t, buf, TYPO_STRENGTH));
            }
        }
    }

    /// Ranks list names by the weighted share of query tokens they were retrieved by and
    /// returns at most `budget` (id, rank score, retrieval score), best first. `admit` filters
    /// names (schema). `min_score` drops names whose retrieval score is too low to matter.
    ///
    /// The order is the retrieval score less `extra_penalty` for every keyed token of the
    /// list name (`ntok[id]`) beyond the number of query tokens that retrieved it: among the
    /// hundreds of names that share the same common tokens with a short query, the names
    /// that have little else (the likeliest to score well) come first.
    ///
    /// Query tokens weighing less than `typo_min_weight` (common tokens) skip the typo keys:
    /// their one-consonant variants are just as common, cost long posting-list walks and add
    /// almost nothing to the ranking (vowel variants need no typo key at all).
    #[allow(clippy::too_many_arguments)]
    pub fn candidates(
        &self,
        q: &Prepared,
        budget: usize,
        min_score: f32,
        ntok: &[u8],
        extra_penalty: f32,
        typo_min_weight: f32,
        scratch: &mut Scratch,
        admit: impl Fn(u32) -> bool,
    ) -> Vec<(u32, f32, f32)> {
        let names = ntok.len();
        let nq = q.tokens().len().min(u16::MAX as usize);
        let mut buf = std::mem::take(&mut scratch.key);
        let mut looks: Vec<Lookup<'_>> = Vec::with_capacity(8 * nq.max(1));
        for (i, t) in q.tokens().iter().enumerate().take(nq) {
            if t.kind() == TokenKind::Name {
                buf.clear();
                buf.push_str("x:");
                buf.push_str(t.text());
                looks.push(self.lookup(i as u16, &buf, EXACT_STRENGTH));
            }
        }
        for k in &q.index_keys() {
            if k.token < nq {
                let typos = q.tokens()[k.token].weight() as f32 >= typo_min_weight;
                self.lookups(k, typos, &mut buf, &mut looks);
            }
        }
        scratch.key = buf;
        looks.retain(|(_, p, _, _)| !p.is_empty());
        // Most selective token first; within a token, shortest list first.
        let mut shortest: SmallVec<[usize; 16]> = SmallVec::from_elem(usize::MAX, nq);
        for (t, p, _, _) in &looks {
            let s = &mut shortest[*t as usize];
            *s = (*s).min(p.len());
        }
        looks.sort_by_key(|(t, p, _, _)| (shortest[*t as usize], *t, p.len()));

        scratch.reset(names);
        let generation = scratch.generation;
        let Scratch { slots, touched, .. } = scratch;
        for &(t, plist, strength, bits) in &looks {
            let w = q.tokens()[t as usize].weight() as f32;
            let add = w * strength;
            let grow = plist.len() <= LONG_POSTING || touched.is_empty();
            if !grow && let Some(bits) = bits {
                // Boost only: test each candidate's bit (crediting the same names as a walk).
                for &id in touched.iter() {
                    let i = id as usize;
                    if bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
                        && let Some(slot) = slots.get_mut(i)
                    {
                        Scratch::credit(slot, t, add);
                    }
                }
                continue;
            }
            if !grow && plist.len() > 16 * touched.len() {
                // Boost only, and the list is much longer than the candidate set: probe
                // the (sorted) posting list per candidate instead of walking it.
                for &id in touched.iter() {
                    if plist.binary_search(&id).is_ok()
                        && let Some(slot) = slots.get_mut(id as usize)
                    {
                        Scratch::credit(slot, t, add);
                    }
                }
                continue;
            }
            for &id in plist {
                let Some(slot) = slots.get_mut(id as usize) else {
                    continue;
                };
                if slot.stamp == generation {
                    Scratch::credit(slot, t, add);
                } else if grow && admit(id) {
                    *slot = Slot {
                        stamp: generation,
                        score: add,
                        contrib: add,
                        last: t,
                        count: 1,
                    };
                    touched.push(id);
                }
            }
        }
        // Best `budget` by (rank desc, id asc). A bounded max-heap of the worst kept so far
        // (hand-written order on f32 ranks): most names are rejected by one comparison with
        // its top, which costs a fraction of selecting over every touched name.
        let mut heap: std::collections::BinaryHeap<Ranked> =
            std::collections::BinaryHeap::with_capacity(budget.min(touched.len()) + 1);
        for &id in touched.iter() {
            let Some(slot) = slots.get(id as usize) else {
                continue;
            };
            let s = slot.score;
            if s < min_score {
                continue;
            }
            let extra = ntok
                .get(id as usize)
                .map_or(0, |n| n.saturating_sub(slot.count));
            let c = Ranked {
                id,
                rank: s - extra_penalty * f32::from(extra),
                score: s,
            };
            if heap.len() < budget {
                heap.push(c);
            } else if let Some(mut worst) = heap.peek_mut()
                && c < *worst
            {
                *worst = c;
            }
        }
        let mut out: Vec<(u32, f32, f32)> =
            heap.into_iter().map(|c| (c.id, c.rank, c.score)).collect();
        out.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}
