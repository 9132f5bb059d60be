//! Candidate retrieval: an inverted index from the matcher's per-token retrieval keys to list
//! names, so a query touches only the names that share a key with it (no full scan).
//!
//! Keys per token (from [`name_matching::Prepared::index_keys`]): a coarse consonant-class key
//! (collides across spellings and scripts: `Baghdadi`, `Bağdadi`, `بغدادي`), a Double Metaphone
//! code, known-romanisation variant groups, and exact text for numbers and scripts without
//! sound classes. The index adds its own typo keys: every coarse key of four or more classes
//! is also posted with each one class deleted (a symmetric-deletion scheme), so one inserted,
//! deleted or substituted consonant still retrieves the name. The second part of a Latin
//! `abd-`/`abu-` compound is also posted as exact text (`abd-jabbar` → `jabbar`), since the
//! matcher pairs it with a query that names only that part; the other way round, a query's
//! `abd-` compound also looks its part up (`Abdul Khadem` → `khadem`).
//!
//! Ranking: each query token adds its rarity weight × the key's strength to every name it
//! retrieves (once per token, the strongest key counts). Every posting list of ordinary
//! length is walked first, most selective token first; the very long posting lists (a common
//! token such as "mohammed") come last and only add to the candidates that every token
//! produced, instead of creating thousands of new ones. (Walked in token order instead, a
//! common token's long lists would miss the names that a later, rarer token creates:
//! `Mohamad Bazzal` would not credit `Mohamad` to `Muhammad Qasim AL-BAZZAL`.) A typo key
//! whose posting list is that long is a common name's key (`Hamdullah` less its `l` is
//! `Ahmad`), evidence of nothing, and is not looked up. A lookup that cannot lift a name it
//! would create to the minimum retrieval score (the strongest remaining key of every query
//! token, its own included, falls short) only boosts names met before: the result is the
//! same, without the thousands of accumulator slots of names that share only a weak key with
//! the commonest query tokens.
//! The best `candidate_budget` names are scored by the matcher. The index also posts
//! each token's exact comparable text, so a name spelled exactly like the query outranks the
//! thousands of names that merely share a short consonant key.
//!
//! Layout (why hand-written rather than a map of vectors): keys are interned to dense ids at
//! build time and all posting lists live in one flat array with offsets (compressed sparse
//! rows), which halves the memory of a `HashMap<String, Vec<u32>>` and keeps lookups to one
//! hash probe. Per query, scores are accumulated in a dense per-name array stamped with a
//! query generation ([`Scratch`]), reused across queries, so walking a posting list costs a
//! few instructions per name instead of a hash-map probe and no allocation; a slot is eight
//! bytes, so the array over all names stays within a core's L2 cache. Long posting
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
/// Strength of a query compound's part looked up alone (the matcher's compound-part factor).
const PART_STRENGTH: f32 = 0.85;
/// Relative margin under the minimum retrieval score below which a lookup's reach counts
/// as unreachable (far above the rounding error of summing a few dozen f32 terms).
const REACH_MARGIN: f32 = 1e-4;

/// Coarse keys shorter than this get no typo keys (a deletion of a 3-class key collides
/// with most of the index).
const MIN_TYPO_KEY: usize = 4;

/// Posting lists longer than this only boost candidates found by rarer tokens, unless no
/// candidate exists yet.
pub(crate) const LONG_POSTING: usize = 1500;
/// Longest posting list a join of two query words walks (see `Postings::boundary_lookups`).
const JOIN_POSTING: usize = 64;

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

/// The second part of a Latin `abd-`/`abu-` compound as the matcher writes it
/// (`abd-jabbar` → `jabbar`), which the index also posts as exact text: a query that names
/// only that part, or an initial and that part (`A. JABBAR OMARI` for `Abdul Jabbar
/// OMARI`, which the matcher pairs), shares no other key with the fused compound.
fn compound_second(text: &str) -> Option<&str> {
    let rest = text
        .strip_prefix("abd-")
        .or_else(|| text.strip_prefix("abu-"))?;
    (rest.len() >= 3 && !rest.contains('-')).then_some(rest)
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
                if let Some(rest) = compound_second(t.text()) {
                    buf.clear();
                    buf.push_str("x:");
                    buf.push_str(rest);
                    self.post(&buf, id);
                }
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

/// Accumulator slot of one list name (form) in [`Scratch`]: eight bytes, so that the
/// accumulator over all names (tens of thousands) stays within a core's L2 cache, where
/// every posting walked reads one slot at random.
#[derive(Debug, Clone, Copy, Default)]
#[repr(align(8))]
struct Slot {
    /// Retrieval score so far.
    score: f32,
    /// Query generation that last wrote the slot (the slot is stale otherwise).
    stamp: u8,
    /// The query tokens that credited the name, bit `min(t, 7)` for token `t`. Tokens past
    /// the eighth share the last bit: in a name that long a later token's credit can be
    /// withheld (and the count of crediting tokens is low), never doubled; eight bits keep
    /// the slot at eight bytes.
    tokens: u8,
    /// The lookup (index into the query's lookups) that last credited the name: its token
    /// is the last token to credit the name and its contribution that token's contribution
    /// (a token counts once, with its strongest key).
    look: u16,
}

/// Number of set bits of each byte value, for [`Slot::count`].
static BITS_SET: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).count_ones() as u8;
        i += 1;
    }
    t
};

/// The bit of query token `t` in [`Slot::tokens`].
#[inline]
fn token_bit(t: u16) -> u8 {
    1 << t.min(7)
}

impl Slot {
    /// Number of query tokens that credited the name (a table: the baseline x86-64 target
    /// has no population-count instruction, and this is read for most retrieved names).
    #[inline]
    fn count(&self) -> u8 {
        BITS_SET[usize::from(self.tokens)]
    }
}

/// Per-query working memory for retrieval, reused across queries (one per thread at a time):
/// a dense accumulator over all list names, valid where `stamp == generation`.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// Wraps after 255 queries, when all stamps are cleared (a few hundred kilobytes
    /// written once per 255 queries).
    generation: u8,
    slots: Vec<Slot>,
    /// Names credited in this query, in order of first credit: the first `ntouched`
    /// entries. The vector is as long as `slots` (a name is credited first at most once per
    /// query), so that recording a new name is one store, with no capacity check in the
    /// posting-list walk (which also keeps the walk's state in registers).
    touched: Vec<u32>,
    ntouched: usize,
    key: String,
}

impl Scratch {
    /// Readies the accumulator for a new query over `names` list names.
    fn reset(&mut self, names: usize) {
        if self.slots.len() != names {
            self.slots = vec![Slot::default(); names];
            self.touched = vec![0; names];
            self.generation = 0;
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // wrapped: old stamps could collide with the new generation
            self.slots.iter_mut().for_each(|s| s.stamp = 0);
            self.generation = 1;
        }
        self.ntouched = 0;
    }

    /// The names credited in the last query, in order of first credit.
    #[cfg(test)]
    fn touched(&self) -> &[u32] {
        self.touched.get(..self.ntouched).unwrap_or(&[])
    }

    /// Walks the posting list of a lookup that may create names: credits the names met
    /// before and creates the others (`admit` permitting) with `fresh` as their slot,
    /// recording them in `touched` after its first `ntouched` entries; returns the new count
    /// of recorded names. A function of its own, so that the walk's few values stay in
    /// registers (the walk is the hottest loop of retrieval), and the new slot is one
    /// eight-byte store.
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn walk(
        plist: &[u32],
        slots: &mut [Slot],
        touched: &mut [u32],
        mut ntouched: usize,
        fresh: Slot,
        t: u16,
        info: &[(u16, f32)],
        admit: &impl Fn(u32) -> bool,
    ) -> usize {
        let (generation, k, add) = (fresh.stamp, fresh.look, fresh.score);
        for &id in plist {
            let Some(slot) = slots.get_mut(id as usize) else {
                continue;
            };
            if slot.stamp == generation {
                Scratch::credit(slot, k, t, add, info);
            } else if admit(id) {
                *slot = fresh;
                if let Some(f) = touched.get_mut(ntouched) {
                    *f = id;
                    ntouched += 1;
                }
            }
        }
        ntouched
    }

    /// Credits a name met by lookup `k` (of token `t`, adding `add`); `looks` holds the token
    /// and the contribution of every lookup of the query (one table, so that reading what a
    /// slot's `look` stands for is one bounds check and one load). A token counts once: its
    /// consecutive lookups keep the strongest key; when it comes back after other tokens (its
    /// long posting lists are walked last), its earlier credit stands.
    #[inline]
    fn credit(slot: &mut Slot, k: u16, t: u16, add: f32, looks: &[(u16, f32)]) {
        let Some(&(last_t, contrib)) = looks.get(usize::from(slot.look)) else {
            return;
        };
        if last_t == t {
            if add > contrib {
                slot.score += add - contrib;
                slot.look = k;
            }
        } else if slot.tokens & token_bit(t) == 0 {
            slot.score += add;
            slot.look = k;
            slot.tokens |= token_bit(t);
        }
    }
}

/// Order key of a retrieved name in [`Postings::candidates`]: higher is better. The rank
/// by the f32 total order in the high half (the standard library's `total_cmp` mapping, made
/// unsigned), the complement of the id in the low half (ties go to the lower id): one u64
/// comparison instead of a float and an integer comparison in the top-`budget` heap.
#[inline]
fn rank_key(rank: f32, id: u32) -> u64 {
    let b = rank.to_bits() as i32;
    let ordered = (b ^ ((((b >> 31) as u32) >> 1) as i32)) as u32 ^ 0x8000_0000;
    (u64::from(ordered) << 32) | u64::from(!id)
}

/// The rank and id a [`rank_key`] was made of.
fn key_rank(key: u64) -> (f32, u32) {
    let ordered = ((key >> 32) as u32 ^ 0x8000_0000) as i32;
    let b = ordered ^ ((((ordered >> 31) as u32) >> 1) as i32);
    (f32::from_bits(b as u32), !(key as u32))
}

/// The best `budget` names by [`rank_key`]: a bounded heap of the kept keys with the worst on
/// top. Most names are rejected by one float comparison with the worst kept rank (a strict
/// float comparison implies the same order of the keys), which costs a fraction of
/// selecting over every touched name.
struct TopK {
    heap: std::collections::BinaryHeap<std::cmp::Reverse<u64>>,
    budget: usize,
    /// The worst kept key once the heap is full.
    worst: Option<u64>,
    /// Its rank (minus infinity while the heap has room).
    worst_rank: f32,
}

impl TopK {
    fn new(budget: usize, names: usize) -> TopK {
        TopK {
            heap: std::collections::BinaryHeap::with_capacity(budget.min(names) + 1),
            budget,
            worst: None,
            worst_rank: f32::NEG_INFINITY,
        }
    }

    /// Keeps name `id` of rank `rank` if it is among the best `budget` so far.
    #[inline(never)]
    fn offer(&mut self, rank: f32, id: u32) {
        if rank < self.worst_rank {
            return;
        }
        let key = rank_key(rank, id);
        if self.heap.len() < self.budget {
            self.heap.push(std::cmp::Reverse(key));
            if self.heap.len() == self.budget {
                self.note_worst();
            }
        } else if let Some(w) = self.worst
            && key > w
        {
            if let Some(mut top) = self.heap.peek_mut() {
                *top = std::cmp::Reverse(key);
            }
            self.note_worst();
        }
    }

    fn note_worst(&mut self) {
        self.worst = self.heap.peek().map(|r| r.0);
        self.worst_rank = self.worst.map_or(f32::NEG_INFINITY, |w| key_rank(w).0);
    }

    /// The kept keys, best first.
    fn into_sorted(self) -> Vec<u64> {
        let mut keys: Vec<u64> = self.heap.into_iter().map(|r| r.0).collect();
        keys.sort_unstable_by(|a, b| b.cmp(a));
        keys
    }
}

/// One posting list a query token looks up, with the strength of the key and the list's bit
/// set if it is long.
type Lookup<'a> = (u16, &'a [u32], f32, Option<&'a [u64]>);

/// A long posting list left to the selection in [`Postings::candidates`]: the lookup's index,
/// its token, its contribution and its bit set.
type Deferred<'a> = (u16, u16, f32, &'a [u64]);

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

    /// A typo lookup of `key` for query token `t`, unless its posting list is long: a typo
    /// form shared by thousands of names is a common name's key (`Hamdullah` less its `l`
    /// is `Ahmad`), evidence of nothing, and it would credit all of them.
    fn typo_lookup<'a>(&'a self, t: u16, key: &str, out: &mut Vec<Lookup<'a>>) {
        let l = self.lookup(t, key, TYPO_STRENGTH);
        if l.1.len() <= LONG_POSTING {
            out.push(l);
        }
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
            self.typo_lookup(t, buf, out);
            for i in 0..deletion_count(c) {
                deletion_into(buf, c, i);
                // we have one class more than the list token
                buf.replace_range(..2, "c:");
                self.typo_lookup(t, buf, out);
                // one class substituted
                buf.replace_range(..2, "d:");
                self.typo_lookup(t, buf, out);
            }
        }
    }

    /// Lookups for word boundaries the list does not share (see
    /// [`Prepared::boundary_keys`]): a query word the index does not know (`known[t]` false:
    /// its coarse keys are posted nowhere) looks up its two halves when both are posted, and two adjacent query
    /// words look up their join. Both at [`PART_STRENGTH`]; the matcher then pairs the words
    /// (`reasons::fused`). A join whose list is longer than [`JOIN_POSTING`] is a common
    /// word's key (`Mohammad Ali` / `Mohammadali`), which the words' own keys already reach,
    /// and is skipped.
    fn boundary_lookups<'a>(&'a self, q: &Prepared, known: &[bool], looks: &mut Vec<Lookup<'a>>) {
        let nq = known.len();
        for (t, parts) in q.boundary_keys(|t| known.get(t) == Some(&false)) {
            if t >= nq {
                continue;
            }
            let t16 = t as u16;
            match parts.as_slice() {
                [a, b] => {
                    let (la, lb) = (
                        self.lookup(t16, a, PART_STRENGTH),
                        self.lookup(t16, b, PART_STRENGTH),
                    );
                    if !la.1.is_empty() && !lb.1.is_empty() {
                        looks.push(la);
                        looks.push(lb);
                    }
                }
                [j] => {
                    let l = self.lookup(t16, j, PART_STRENGTH);
                    if !l.1.is_empty() && l.1.len() <= JOIN_POSTING {
                        looks.push(l);
                    }
                }
                _ => {}
            }
        }
    }

    /// Every lookup of a query: each name token's exact text (and a query `abd` compound's
    /// part), each key of [`Prepared::index_keys`] with its typo forms, and the word-boundary
    /// lookups. Kept out of [`Postings::candidates`] so that the posting walk's code does not
    /// depend on it.
    #[inline(never)]
    fn query_lookups<'a>(
        &'a self,
        q: &Prepared,
        nq: usize,
        typo_min_weight: f32,
        buf: &mut String,
    ) -> Vec<Lookup<'a>> {
        let mut looks: Vec<Lookup<'_>> = Vec::with_capacity(8 * nq.max(1));
        for (i, t) in q.tokens().iter().enumerate().take(nq) {
            if t.kind() == TokenKind::Name {
                buf.clear();
                buf.push_str("x:");
                buf.push_str(t.text());
                looks.push(self.lookup(i as u16, buf, EXACT_STRENGTH));
                // the other way round from the list side's posted part: a query `abd`
                // compound (`Abdul Khadem`) retrieves names that write its part alone
                // (`Abdul Rauf KHADEM`, `Afif KHADEM`), which the matcher pairs
                if let Some(rest) =
                    compound_second(t.text()).filter(|_| t.text().starts_with("abd-"))
                {
                    buf.clear();
                    buf.push_str("x:");
                    buf.push_str(rest);
                    looks.push(self.lookup(i as u16, buf, PART_STRENGTH));
                }
            }
        }
        // query tokens whose own coarse key is posted (their word is known to the index)
        let mut known: SmallVec<[bool; 16]> = SmallVec::from_elem(false, nq);
        for k in &q.index_keys() {
            if k.token < nq {
                let typos = q.tokens()[k.token].weight() as f32 >= typo_min_weight;
                let at = looks.len();
                self.lookups(k, typos, buf, &mut looks);
                // (the key's own lookup is the first `lookups` pushes)
                if k.kind == KeyKind::Coarse && looks.get(at).is_some_and(|l| !l.1.is_empty()) {
                    known[k.token] = true;
                }
            }
        }
        self.boundary_lookups(q, &known, &mut looks);
        looks
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
        let mut looks = self.query_lookups(q, nq, typo_min_weight, &mut buf);
        scratch.key = buf;
        looks.retain(|(_, p, _, _)| !p.is_empty());
        // Two phases: every posting list short enough to create candidates first, then the
        // long lists, which only boost (see the module docs). Within a phase, most selective
        // token first (by its shortest list); within a token, shortest list first.
        let mut shortest: SmallVec<[usize; 16]> = SmallVec::from_elem(usize::MAX, nq);
        for (t, p, _, _) in &looks {
            let s = &mut shortest[*t as usize];
            *s = (*s).min(p.len());
        }
        looks.sort_by_key(|(t, p, _, _)| {
            (p.len() > LONG_POSTING, shortest[*t as usize], *t, p.len())
        });
        // Slots name a lookup by a u16 index; a prepared name (at most 512 characters and 24
        // tokens) makes a few thousand lookups at the very most, so this never cuts.
        looks.truncate(usize::from(u16::MAX));

        scratch.reset(names);
        // Reach of each lookup: the most a name first met there can still score (the
        // strongest lookup of every token from there on, its own included; a token counts
        // once, with at most its strongest key). A lookup whose reach falls short of
        // `min_score` only boosts names met before: a name it would create could never be
        // ranked, so the result is the same and the thousands of names that share only a
        // weak key with the last, commonest query tokens cost no accumulator slot. (The
        // margin covers f32 rounding of the sums.)
        let weight_of = |t: u16| {
            q.tokens()
                .get(usize::from(t))
                .map_or(0.0, |t| t.weight() as f32)
        };
        let mut reach: SmallVec<[f32; 64]> = SmallVec::from_elem(0.0, looks.len());
        let mut best_after: SmallVec<[f32; 16]> = SmallVec::from_elem(0.0, nq);
        let mut sum = 0f32;
        for (r, &(t, _, strength, _)) in reach.iter_mut().zip(&looks).rev() {
            if let Some(b) = best_after.get_mut(usize::from(t)) {
                let add = weight_of(t) * strength;
                if add > *b {
                    sum += add - *b;
                    *b = add;
                }
            }
            *r = sum;
        }
        let unreachable = min_score - REACH_MARGIN * min_score.abs().max(1.0);
        // token and contribution of each lookup (what a slot's `look` stands for)
        let info: SmallVec<[(u16, f32); 64]> =
            looks.iter().map(|l| (l.0, weight_of(l.0) * l.2)).collect();
        let info: &[(u16, f32)] = &info;
        // Whether a name was created so far had no lookup been cut by its reach (this
        // decides, as before, whether a long posting list may create names).
        let mut created = false;
        let generation = scratch.generation;
        // (locals rather than fields behind `&mut`, so the hot loops keep them in registers)
        let slots: &mut [Slot] = &mut scratch.slots;
        let mut touched = std::mem::take(&mut scratch.touched);
        let mut ntouched = 0usize;
        // The last lookups are usually the long posting lists of the commonest tokens, which
        // only boost names met before by a bit test per name. Once names exist, such a run
        // of lookups at the end is left to the selection below, which tests every name's
        // bits in one pass over the names instead of one pass per lookup: each name is
        // credited by the same lookups in the same order (names are independent), so its
        // score is the same to the bit.
        let bits_from = looks
            .iter()
            .rposition(|l| l.3.is_none())
            .map_or(0, |i| i + 1);
        let mut deferred_from = looks.len();
        for (k, ((&(t, plist, _, bits), &reach), &(_, add))) in
            looks.iter().zip(&reach).zip(info).enumerate()
        {
            if created && k >= bits_from {
                deferred_from = k;
                break;
            }
            let k = k as u16;
            let may_grow = plist.len() <= LONG_POSTING || !created;
            let grow = may_grow && reach >= unreachable;
            if may_grow && !grow && !created {
                created = plist
                    .iter()
                    .any(|&id| (id as usize) < slots.len() && admit(id));
            }
            if grow {
                // the slot of a name this lookup creates
                let fresh = Slot {
                    score: add,
                    stamp: generation,
                    tokens: token_bit(t),
                    look: k,
                };
                ntouched =
                    Scratch::walk(plist, slots, &mut touched, ntouched, fresh, t, info, &admit);
                created |= ntouched != 0;
            } else if let Some(bits) = bits {
                let touched = touched.get(..ntouched).unwrap_or(&[]);
                // Boost only: test each candidate's bit (crediting the same names as a walk).
                for &id in touched {
                    let i = id as usize;
                    if bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
                        && let Some(slot) = slots.get_mut(i)
                    {
                        Scratch::credit(slot, k, t, add, info);
                    }
                }
            } else if plist.len() > 16 * ntouched {
                let touched = touched.get(..ntouched).unwrap_or(&[]);
                // Boost only, and the list is much longer than the candidate set: probe
                // the (sorted) posting list per candidate instead of walking it.
                for &id in touched {
                    if plist.binary_search(&id).is_ok()
                        && let Some(slot) = slots.get_mut(id as usize)
                    {
                        Scratch::credit(slot, k, t, add, info);
                    }
                }
            } else {
                // Boost only: walk the list, crediting the names met before.
                for &id in plist {
                    if let Some(slot) = slots.get_mut(id as usize)
                        && slot.stamp == generation
                    {
                        Scratch::credit(slot, k, t, add, info);
                    }
                }
            }
        }
        // Best `budget` by (rank desc, id asc), see [`TopK`].
        let mut top = TopK::new(budget, ntouched);
        // A name's rank is its score less a non-negative penalty, so a score below the
        // worst kept rank cannot enter: most names are rejected without reading their token
        // count or building their key. (Only for a penalty that cannot raise a rank;
        // otherwise every name takes the full test.)
        let penalty_lowers = extra_penalty >= 0.0 && extra_penalty.is_finite();
        let rank_of = |id: u32, slot: &Slot| {
            let extra = ntok
                .get(id as usize)
                .map_or(0, |n| n.saturating_sub(slot.count()));
            slot.score - extra_penalty * f32::from(extra)
        };
        // the deferred lookups, all with a bit set
        let deferred: SmallVec<[Deferred<'_>; 8]> = looks
            .iter()
            .zip(info)
            .enumerate()
            .skip(deferred_from)
            .filter_map(|(k, (&(t, _, _, bits), &(_, add)))| Some((k as u16, t, add, bits?)))
            .collect();
        let touched_ids = touched.get(..ntouched).unwrap_or(&[]);
        if deferred.is_empty() {
            // One bar for both tests (`s < max(a, b)` is `s < a || s < b`; `f32::max` of a
            // NaN and a number is the number, and a NaN bar rejects nothing, as the two
            // tests would not), raised whenever the worst kept rank rises.
            let bar_of = |top: &TopK| {
                if penalty_lowers {
                    min_score.max(top.worst_rank)
                } else {
                    min_score
                }
            };
            let mut bar = bar_of(&top);
            for &id in touched_ids {
                let Some(slot) = slots.get(id as usize) else {
                    continue;
                };
                if slot.score < bar {
                    continue;
                }
                let rank = rank_of(id, slot);
                // (below the worst kept rank: the common case, tested here)
                if rank >= top.worst_rank || rank.is_nan() {
                    top.offer(rank, id);
                    bar = bar_of(&top);
                }
            }
        } else {
            // The most the deferred lookups can add to a name: a token's consecutive
            // lookups credit it at most once, with their strongest key (`Scratch::credit`),
            // so each run of one token's lookups adds at most its largest contribution. A
            // name that falls short of the minimum (or of the worst kept rank) even with all
            // of it is rejected without testing its bits: it is not kept, and the slot of a
            // name not kept is not read again. (The margin covers the rounding of the sums,
            // as for the reach of a lookup.)
            let mut gain = 0f32;
            let mut run: Option<(u16, f32)> = None;
            for &(_, t, add, _) in &deferred {
                match &mut run {
                    Some((rt, best)) if *rt == t => *best = best.max(add),
                    _ => {
                        gain += run.map_or(0.0, |r| r.1);
                        run = Some((t, add));
                    }
                }
            }
            gain += run.map_or(0.0, |r| r.1);
            let floor = min_score - gain - REACH_MARGIN * min_score.abs().max(1.0);
            let slack = gain + REACH_MARGIN * min_score.abs().max(1.0);
            // (both tests as one bar each, as above; the worst kept rank less the slack is
            // as safe a bar as the sum compared with it: the margin dwarfs the rounding)
            let bars_of = |top: &TopK| {
                if penalty_lowers {
                    (
                        floor.max(top.worst_rank - slack),
                        min_score.max(top.worst_rank),
                    )
                } else {
                    (floor, min_score)
                }
            };
            let (mut low, mut bar) = bars_of(&top);
            for &id in touched_ids {
                let i = id as usize;
                let Some(slot) = slots.get_mut(i) else {
                    continue;
                };
                if slot.score < low {
                    continue;
                }
                for &(k, t, add, bits) in &deferred {
                    if bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0) {
                        Scratch::credit(slot, k, t, add, info);
                    }
                }
                if slot.score < bar {
                    continue;
                }
                let rank = rank_of(id, slot);
                // (below the worst kept rank: the common case, tested here)
                if rank >= top.worst_rank || rank.is_nan() {
                    top.offer(rank, id);
                    (low, bar) = bars_of(&top);
                }
            }
        }
        scratch.touched = touched;
        scratch.ntouched = ntouched;
        top.into_sorted()
            .into_iter()
            .map(|key| {
                let (rank, id) = key_rank(key);
                let score = slots.get(id as usize).map_or(0.0, |s| s.score);
                (id, rank, score)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use name_matching::{NameType, prepare};

    /// Names sharing given names, family names and spellings, so that a query retrieves
    /// many of them by strong and by weak (typo) keys.
    fn names() -> Vec<Prepared> {
        let given = [
            "Mohammed", "Muhammad", "Abu Bakr", "Ali", "Omar", "Umar", "Khalid", "Khaled", "Yusuf",
            "Youssef", "Ibrahim", "Abdullah",
        ];
        let family = [
            "al-Baghdadi",
            "Bagdadi",
            "al-Masri",
            "Hassan",
            "Hasan",
            "Rahman",
            "Rashid",
            "al-Rasheed",
            "Zarqawi",
            "Haqqani",
            "Nasser",
            "Nasir",
        ];
        let mut out = Vec::new();
        for (i, g) in given.iter().enumerate() {
            for (j, f) in family.iter().enumerate() {
                out.push(prepare(&format!("{g} {f}"), NameType::Person));
                if (i + j) % 3 == 0 {
                    let middle = given[(i + 5) % given.len()];
                    out.push(prepare(&format!("{g} {middle} {f}"), NameType::Person));
                }
            }
        }
        out
    }

    /// The postings of `names` and their token counts.
    fn index_of(names: &[Prepared]) -> (Postings, Vec<u8>) {
        let mut builder = PostingsBuilder::default();
        for (id, p) in names.iter().enumerate() {
            builder.add(id as u32, p);
        }
        let ntok = names.iter().map(|p| p.tokens().len() as u8).collect();
        (builder.finish(names.len()), ntok)
    }

    #[test]
    fn lookups_cut_by_reach_return_what_an_uncut_retrieval_ranks() {
        let (postings, ntok) = index_of(&names());
        let mut scratch = Scratch::default();
        let mut cut_some = false;
        let queries = [
            "Mohamed Bagdadi",
            "Abu Bakr al-Baghdadi",
            "Khalid Yusuf Hassan",
            "Omar",
            "Ali Nasser Rashid",
            "Ibrahim Abdullah al-Masri Haqqani",
        ];
        for q in queries {
            let q = prepare(q, NameType::Person);
            let total: f32 = q.tokens().iter().map(|t| t.weight() as f32).sum();
            for share in [0.3f32, 0.5, 0.8] {
                let min = total * share;
                for (budget, even) in [(3, false), (10, true), (1000, false)] {
                    let admit = |id: u32| !even || id.is_multiple_of(2);
                    let cut =
                        postings.candidates(&q, budget, min, &ntok, 0.1, 0.0, &mut scratch, admit);
                    let cut_touched = scratch.touched().len();
                    // without a minimum nothing is cut: every name sharing a key is ranked
                    let all = postings.candidates(
                        &q,
                        usize::MAX,
                        f32::MIN,
                        &ntok,
                        0.1,
                        0.0,
                        &mut scratch,
                        admit,
                    );
                    cut_some |= cut_touched < scratch.touched().len();
                    let expected: Vec<_> = all
                        .into_iter()
                        .filter(|c| c.2 >= min)
                        .take(budget)
                        .collect();
                    assert_eq!(cut, expected, "share {share}, budget {budget}");
                }
            }
        }
        assert!(cut_some, "no lookup was cut: the test exercises nothing");
    }

    #[test]
    fn rank_keys_order_like_rank_then_id_and_give_both_back() {
        let ranks = [
            -1.5f32,
            -0.0,
            0.0,
            1e-30,
            0.3,
            f32::from_bits(0.3f32.to_bits() + 1),
            1.0,
            2.5,
            f32::MAX,
            f32::MIN,
            f32::INFINITY,
        ];
        let ids = [0u32, 1, 7, u32::MAX - 1, u32::MAX];
        let mut all = Vec::new();
        for &r in &ranks {
            for &id in &ids {
                all.push((r, id));
            }
        }
        for &(ra, ia) in &all {
            let ka = rank_key(ra, ia);
            let (r, i) = key_rank(ka);
            assert_eq!((r.to_bits(), i), (ra.to_bits(), ia));
            for &(rb, ib) in &all {
                // better = higher rank (total order), then lower id
                let better = rb.total_cmp(&ra).then(ia.cmp(&ib));
                assert_eq!(rank_key(rb, ib).cmp(&ka), better, "{rb} {ib} vs {ra} {ia}");
            }
        }
    }

    #[test]
    fn the_second_part_of_a_compound_retrieves_the_compound() {
        assert_eq!(compound_second("abd-jabbar"), Some("jabbar"));
        assert_eq!(compound_second("abu-bakr"), Some("bakr"));
        assert_eq!(compound_second("jabbar"), None);
        let names = ["Abdul Jabbar OMARI", "Abdul Rahman OMARI"];
        let mut b = PostingsBuilder::default();
        let mut ntok = Vec::new();
        for (id, n) in names.iter().enumerate() {
            let p = prepare(n, NameType::Person);
            b.add(id as u32, &p);
            ntok.push(p.tokens().len() as u8);
        }
        let postings = b.finish(names.len());
        let q = prepare("A. JABBAR OMARI", NameType::Person);
        let mut scratch = Scratch::default();
        let got = postings.candidates(&q, 64, 0.0, &ntok, 0.1, 0.0, &mut scratch, |_| true);
        // `Jabbar` and `Omari` both credit the compound's name, `Omari` alone the other
        assert_eq!(got.first().map(|c| c.0), Some(0), "{got:?}");
        assert!(got[0].2 > got[1].2 + 0.5, "{got:?}");
    }

    #[test]
    fn a_word_written_together_or_apart_retrieves_the_other_writing() {
        let names: Vec<Prepared> = [
            "Ali Akbar HASHEMI",
            "Ali Akbar TABATABAEI",
            "Ghassem DAMAVANDIAN",
            "Mohammad TABRIZI",
        ]
        .iter()
        .map(|n| prepare(n, NameType::Person))
        .collect();
        let (postings, ntok) = index_of(&names);
        let mut scratch = Scratch::default();
        let mut retrieved = |q: &str| {
            let q = prepare(q, NameType::Person);
            let got = postings.candidates(&q, 64, 0.0, &ntok, 0.1, 0.0, &mut scratch, |_| true);
            got.iter().map(|c| c.0).collect::<Vec<_>>()
        };
        // `اکبرطباطبایی` is posted nowhere: its halves find `Akbar TABATABAEI` (and `Akbar`
        // alone, which the matcher then tells apart)
        assert!(retrieved("اکبرطباطبایی").contains(&1));
        // `دماو ندیان` joined is `Damavandian`
        assert_eq!(retrieved("دماو ندیان"), vec![2]);
    }

    #[test]
    fn results_stay_the_same_when_the_query_generation_wraps() {
        let (postings, ntok) = index_of(&names());
        let queries = [
            prepare("Abu Bakr al-Baghdadi", NameType::Person),
            prepare("Khaled Rasheed", NameType::Person),
        ];
        let run = |q: &Prepared, scratch: &mut Scratch| {
            postings.candidates(q, 10, 0.5, &ntok, 0.1, 0.0, scratch, |_| true)
        };
        let fresh: Vec<_> = queries
            .iter()
            .map(|q| run(q, &mut Scratch::default()))
            .collect();
        // one scratch over many more queries than the u8 generation counts
        let mut scratch = Scratch::default();
        for round in 0..600 {
            let k = round % 2;
            assert_eq!(run(&queries[k], &mut scratch), fresh[k], "query {round}");
        }
    }

    /// Distinct made-up words whose consonants (f g k n p r s v z) share no key with the
    /// names under test.
    fn word(mut i: usize) -> String {
        const C: &[u8] = b"fgknprsvz";
        const V: &[u8] = b"aeiou";
        let mut w = String::new();
        for _ in 0..4 {
            w.push(C[i % C.len()] as char);
            i /= C.len();
            w.push(V[i % V.len()] as char);
            i /= V.len();
        }
        w
    }

    #[test]
    fn a_common_tokens_long_lists_credit_candidates_of_later_tokens() {
        // The expected name shares the rare `Bazzal` exactly and `Mohamad` only through the
        // long posting lists of its keys (`Muhammad` is written differently). 70 names share
        // `Mohamad` exactly and a consonant key with `Bazzal` (`Abdullah`); one name shares
        // a typo key of `Mohamad` (`Hamad`), which makes `Mohamad` look selective.
        let weights = |t: &name_matching::Token| match t.text() {
            "mohamad" | "muhammad" => 0.5,
            _ => 1.0,
        };
        let mut names = vec![
            "Muhammad Qasim Bazzal".to_string(),
            "Hamad Ruzaki".to_string(),
        ];
        names.extend((0..70).map(|i| format!("Mohamad Abdullah {}", word(i))));
        names.extend((0..1600).map(|i| format!("Muhammad {}", word(100 + i))));
        let prepared: Vec<Prepared> = names
            .iter()
            .map(|n| {
                let mut p = prepare(n, NameType::Person);
                p.apply_weights(&weights);
                p
            })
            .collect();
        let (postings, ntok) = index_of(&prepared);
        let mut q = prepare("Mohamad Bazzal", NameType::Person);
        q.apply_weights(&weights);
        let mut scratch = Scratch::default();
        let got = postings.candidates(&q, 64, 0.0, &ntok, 0.1, 0.0, &mut scratch, |_| true);
        assert_eq!(got.first().map(|c| c.0), Some(0), "{got:?}");
        // both query tokens credited it: Bazzal exactly, Mohamad through a long list
        assert!(got[0].2 > 1.3, "{got:?}");
    }

    #[test]
    fn a_token_met_again_in_the_long_lists_counts_once() {
        // `Muhammad` (its exact text the shortest list, so looked up first) credits
        // `Muhammad Bazzal`, then `Bazzal` does, then `Muhammad` comes back with its
        // consonant keys (long lists, walked last): it must not count twice.
        let mut names = vec!["Muhammad Bazzal".to_string()];
        names.extend((0..1600).map(|i| format!("Mohammed {}", word(100 + i))));
        names.extend((0..20).map(|i| format!("Muhammad {}", word(3000 + i))));
        names.extend((0..40).map(|i| format!("{} Bazzal", word(4000 + i))));
        let prepared: Vec<Prepared> = names.iter().map(|n| prepare(n, NameType::Person)).collect();
        let (postings, ntok) = index_of(&prepared);
        let q = prepare("Muhammad Bazzal", NameType::Person);
        let total: f32 = q.tokens().iter().map(|t| t.weight() as f32).sum();
        let mut scratch = Scratch::default();
        let got = postings.candidates(&q, 64, 0.0, &ntok, 0.1, 0.0, &mut scratch, |_| true);
        for (id, _, score) in &got {
            assert!(
                *score <= total + 1e-4,
                "name {id} credited {score} > {total}: {got:?}"
            );
        }
        assert_eq!(got.first().map(|c| c.0), Some(0), "{got:?}");
    }

    #[test]
    fn a_query_compound_retrieves_names_that_write_its_part_alone() {
        let names: Vec<Prepared> = ["Abdul Rauf Khadem", "Abdul Rauf Omari", "Khalid Hassan"]
            .iter()
            .map(|n| prepare(n, NameType::Person))
            .collect();
        let (postings, ntok) = index_of(&names);
        let q = prepare("ABDUL KHADEM", NameType::Person);
        let mut scratch = Scratch::default();
        let got = postings.candidates(&q, 64, 0.5, &ntok, 0.1, 0.0, &mut scratch, |_| true);
        assert_eq!(got.first().map(|c| c.0), Some(0), "{got:?}");
    }
}
