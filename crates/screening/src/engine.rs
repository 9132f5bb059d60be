//! The screener: builds the index over all loaded names and answers queries.

use name_matching::{Comparison, NameType, PairMemo, Prepared, TokenKind, TokenWeights};
use rustc_hash::FxHashMap;
use smallvec::SmallVec;
use std::sync::Mutex;
use watchlist::{Entity, PartialDate, Quality, Schema, WatchList};

use crate::index::{Postings, PostingsBuilder, Scratch};
use crate::parenthetical::{self, Part};
use crate::qualifiers::{self, Qualifiers};
use crate::rarity::Rarity;
use serde::Serialize;

use crate::{
    Adjustment, Config, Explanation, Factor, Hit, ListInfo, MAX_NAME_CHARS, Outcome, Query,
    ScreenError,
};

/// One list name in the index.
#[derive(Debug)]
struct IndexedName {
    entity: u32,
    /// Index into the entity's `names`.
    name: u32,
    weak: bool,
    schema: Schema,
    /// Which part of the published name this is (see [`crate::parenthetical`]).
    part: Part,
    prepared: Prepared,
}

/// The in-memory index over all loaded names. Immutable once built; cheap to share in an
/// `Arc` (Send + Sync). Rebuilt on list reload and swapped atomically by the caller.
#[derive(Debug)]
pub struct Screener {
    config: Config,
    lists: Vec<ListInfo>,
    entities: Vec<Entity>,
    by_id: FxHashMap<String, u32>,
    names: Vec<IndexedName>,
    /// Name forms: names with identical comparable tokens and schema (the same name on
    /// several lists), retrieved and scored once. The index posts form ids.
    forms: Vec<NameForm>,
    /// Names of each form: `form_names[f.first..f.first + f.len]`.
    form_names: Vec<u32>,
    /// Keyed tokens (names and numbers) per form, for retrieval ranking.
    form_ntok: Vec<u8>,
    /// Entity and weak flag of each name (by name id): read for every name of every scored
    /// form, and a compact copy saves a cache miss on the full [`IndexedName`] each.
    name_meta: Vec<(u32, bool)>,
    postings: Postings,
    rarity: Rarity,
    /// Comparison ids of the tokens of each form's representative name:
    /// `form_tokens[f.tokens..f.tokens + rep.tokens().len()]`. Tokens that compare
    /// identically ([`name_matching::Token::same_comparison`]) share an id, so a query
    /// compares each distinct list token once ([`PairMemo`]).
    form_tokens: Vec<u32>,
    /// Number of distinct token ids in `form_tokens`.
    token_ids: usize,
    /// Per-query working memory, reused across queries (one taken per query in flight).
    scratch: Mutex<Vec<Work>>,
}

/// Per-query working memory: the retrieval accumulator and the token-pair memo (reset for
/// each name type the query is prepared as: candidates are scored one type at a time).
#[derive(Debug, Default)]
struct Work {
    retrieval: Scratch,
    memo: PairMemo,
}

/// The query prepared for each name type it is compared as, prepared on first use (a query
/// only meets organisations or vessels when such names are among its candidates).
struct QueryPreps<'a> {
    name: &'a str,
    types: &'a [NameType],
    preps: SmallVec<[Option<Prepared>; 3]>,
}

impl<'a> QueryPreps<'a> {
    fn new(name: &'a str, types: &'a [NameType]) -> Self {
        QueryPreps {
            name,
            types,
            preps: types.iter().map(|_| None).collect(),
        }
    }

    /// The query prepared as `ty` if [`QueryPreps::get`] prepared it already.
    fn prepared(&self, ty: NameType) -> Option<&Prepared> {
        let i = self.types.iter().position(|t| *t == ty)?;
        self.preps.get(i)?.as_ref()
    }

    /// The query prepared as `ty` (None when the query is not compared as that type).
    fn get(&mut self, ty: NameType, rarity: &Rarity) -> Option<&Prepared> {
        let i = self.types.iter().position(|t| *t == ty)?;
        if self.preps.get(i)?.is_none() {
            if self.preps.iter().all(Option::is_none) && self.types.len() > 1 {
                // Retrieval asks for every type of a schema-less query at once (to find
                // the preparations that weigh less); preparing them together builds each
                // token once.
                // Most tokens come out the same for every type: a token that compares like
                // one weighed for an earlier type takes its weight (the rarity weight reads
                // only what `same_comparison` compares), instead of two more hash probes
                // and a logarithm.
                let mut done: SmallVec<[Prepared; 3]> = SmallVec::new();
                for mut p in name_matching::prepare_each(self.name, self.types) {
                    p.apply_weights(&|t: &name_matching::Token| {
                        done.iter()
                            .flat_map(|d| d.tokens())
                            .find(|e| e.same_comparison(t))
                            .map_or_else(|| rarity.weight(t), |e| e.weight())
                    });
                    done.push(p);
                }
                for (slot, p) in self.preps.iter_mut().zip(done) {
                    *slot = Some(p);
                }
            } else {
                let mut p = name_matching::prepare(self.name, ty);
                p.apply_weights(rarity);
                self.preps[i] = Some(p);
            }
        }
        self.preps.get(i)?.as_ref()
    }
}

/// Why an entity was or was not found for a query: retrieval and scoring of each of its
/// indexed names. For evaluation and tuning (`raqib eval screening --failures`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnosis {
    /// Candidate name forms scored for this query (at most `candidate_budget`).
    pub candidates_scored: usize,
    /// Name forms that shared at least one retrieval key with the query (before the budget
    /// and the minimum retrieval share).
    pub names_touched: usize,
    /// The retrieval score a candidate needed (`min_retrieval_share` × query weight).
    pub min_retrieval_score: f64,
    /// One entry per entity asked about.
    pub entities: Vec<EntityDiagnosis>,
}

/// See [`Diagnosis`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityDiagnosis {
    pub entity_id: String,
    /// False when the id is not loaded (or all its names were removed).
    pub loaded: bool,
    pub names: Vec<NameDiagnosis>,
}

/// See [`Diagnosis`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameDiagnosis {
    /// The list name as published.
    pub name: String,
    pub weak: bool,
    /// Scored by the matcher for this query (within the budget and above the minimum
    /// retrieval score).
    pub retrieved: bool,
    /// 1-based rank of the name's form in retrieval order among all forms that share a key
    /// with the query; None when no key is shared.
    pub candidate_rank: Option<usize>,
    /// Retrieval score (rarity-weighted share of query tokens that share a key).
    pub retrieval_score: Option<f64>,
    /// Pairwise name score (`name_matching::score`) of the query against this name, whether
    /// or not it was retrieved.
    pub raw_score: f64,
}

/// A group of indexed names with the same comparable tokens and schema.
#[derive(Debug, Clone, Copy)]
struct NameForm {
    /// The name whose preparation stands for all (the first one indexed).
    rep: u32,
    first: u32,
    len: u32,
    /// Offset of the representative's token ids in `Screener::form_tokens`.
    tokens: u32,
    schema: Schema,
}

/// What makes two prepared names score the same against any query: schema and, per token,
/// text, kind, script, legal-form class and weight (everything else a token holds is derived
/// from those, except the sound form of an Arabic token, which also depends on its final
/// letter, so it is compared too).
fn same_form(sa: Schema, a: &Prepared, sb: Schema, b: &Prepared) -> bool {
    sa == sb
        && a.tokens().len() == b.tokens().len()
        && a.tokens().iter().zip(b.tokens()).all(|(x, y)| {
            x.text() == y.text()
                && x.kind() == y.kind()
                && x.script() == y.script()
                && x.legal_form() == y.legal_form()
                && x.weight().to_bits() == y.weight().to_bits()
                && (x.script() != name_matching::Script::Arabic
                    || x.debug_forms() == y.debug_forms())
        })
}

/// See [`Screener::retrieve`]: another preparation of a schema-less query is also retrieved
/// when its tokens weigh less than this share of the first preparation's.
const OTHER_PREPARATION_SHARE: f64 = 0.8;

/// Hash of the fields [`same_form`] compares (Arabic sound forms aside).
fn form_hash(schema: Schema, p: &Prepared) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    schema.hash(&mut h);
    for t in p.tokens() {
        t.text().hash(&mut h);
        t.kind().hash(&mut h);
        t.script().hash(&mut h);
        t.legal_form().hash(&mut h);
        t.weight().to_bits().hash(&mut h);
    }
    h.finish()
}

/// A validated query.
struct Request<'q> {
    name: &'q str,
    threshold: f64,
    quals: Qualifiers,
    limit: usize,
    types: &'static [NameType],
}

/// Retrieved candidates, best first, and the retrieval score they needed.
struct Retrieved {
    /// (form id, rank score, retrieval score), best first.
    ids: Vec<(u32, f32, f32)>,
    min_score: f64,
    /// Forms retrieved with another preparation of the query (see [`Screener::retrieve`]),
    /// not in `ids`: (form id, rank score, retrieval score, the retrieval score needed).
    extra: Vec<(u32, f32, f32, f32)>,
}

/// A candidate entity after scoring.
struct Scored {
    entity: u32,
    score: f64,
    raw: f64,
    name: u32,
    adjustments: Vec<Adjustment>,
    comparison: Option<Comparison>,
}

/// Index statistics, for benchmarks and status pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct IndexStats {
    pub entities: usize,
    /// Indexed names (after dropping duplicates within an entity and empty names).
    pub names: usize,
    /// Distinct name forms (the same name on several lists counts once); the index posts
    /// forms.
    pub forms: usize,
    pub keys: usize,
    pub postings: usize,
}

/// The matcher's name type for a list schema.
pub fn name_type(schema: Schema) -> NameType {
    match schema {
        Schema::Person => NameType::Person,
        Schema::Organization => NameType::Organization,
        Schema::Vessel | Schema::Aircraft => NameType::Vessel,
    }
}

fn threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
}

/// Items a worker of [`par_map`] takes at a time.
const PAR_CHUNK: usize = 64;

/// Runs `f` over `items` on all cores, keeping order. Workers take small chunks from a
/// shared counter rather than one equal share each: on a shared machine one core is often
/// slower than the other, and a fixed split would leave the faster one idle at the end.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let n = threads();
    if n == 1 || items.len() < 256 {
        return items.iter().map(&f).collect();
    }
    let chunks = items.len().div_ceil(PAR_CHUNK);
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|_| {
                let (f, next) = (&f, &next);
                s.spawn(move || {
                    // (chunk number, its results), in the order this worker took them
                    let mut done: Vec<(usize, Vec<R>)> = Vec::new();
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let start = k.saturating_mul(PAR_CHUNK);
                        let end = start.saturating_add(PAR_CHUNK).min(items.len());
                        let Some(c) = items.get(start..end).filter(|c| !c.is_empty()) else {
                            break;
                        };
                        done.push((k, c.iter().map(f).collect()));
                    }
                    done
                })
            })
            .collect();
        let mut parts: Vec<Option<Vec<R>>> = (0..chunks).map(|_| None).collect();
        for h in handles {
            // A panic in a worker is a bug in the matcher; re-raise it on the caller's thread.
            match h.join() {
                Ok(done) => {
                    for (k, v) in done {
                        if let Some(p) = parts.get_mut(k) {
                            *p = Some(v);
                        }
                    }
                }
                Err(e) => std::panic::resume_unwind(e),
            }
        }
        parts.into_iter().flatten().flatten().collect()
    })
}

impl Screener {
    /// Builds the index over every name of every entity of `lists`. Entities with an id seen
    /// before (the same list loaded twice) are skipped; names that prepare to the same tokens
    /// within one entity (EU repeats a name per language) are indexed once, keeping the
    /// strongest.
    pub fn new(lists: Vec<WatchList>, config: Config) -> Screener {
        let mut infos = Vec::with_capacity(lists.len());
        let mut entities = Vec::new();
        let mut by_id = FxHashMap::default();
        for list in lists {
            infos.push(ListInfo {
                source: list.source,
                origin: list.origin.clone(),
                published: list.published.clone(),
                entities: list.entities.len(),
                names: list.entities.iter().map(|e| e.names.len()).sum(),
                warnings: list.warnings.len(),
            });
            for e in list.entities {
                if by_id.contains_key(&e.id) {
                    continue;
                }
                by_id.insert(e.id.clone(), entities.len() as u32);
                entities.push(e);
            }
        }
        // Every name of an entity, then the parts of its names with a parenthetical (so that
        // a part equal to a published name is dropped as a repeat, not the published name).
        let mut jobs: Vec<(u32, u32, Part, Option<String>)> = Vec::new();
        for (ei, e) in entities.iter().enumerate() {
            let ei = ei as u32;
            jobs.extend((0..e.names.len()).map(|ni| (ei, ni as u32, Part::Whole, None)));
            for (ni, n) in e.names.iter().enumerate() {
                for (part, text) in parenthetical::derived(&n.value) {
                    jobs.push((ei, ni as u32, part, Some(text)));
                }
            }
        }
        // Prepare every name (the expensive part) on all cores.
        let prepared = par_map(&jobs, |(ei, ni, _, text)| {
            let e = &entities[*ei as usize];
            let value = text.as_deref().unwrap_or(&e.names[*ni as usize].value);
            name_matching::prepare(value, name_type(e.schema))
        });
        let mut names: Vec<IndexedName> = Vec::with_capacity(jobs.len());
        let mut seen: FxHashMap<String, usize> = FxHashMap::default();
        let mut last_entity = u32::MAX;
        for (&(ei, ni, part, _), p) in jobs.iter().zip(prepared) {
            if p.is_empty() {
                continue;
            }
            if ei != last_entity {
                seen.clear();
                last_entity = ei;
            }
            let e = &entities[ei as usize];
            let n = &e.names[ni as usize];
            let weak = n.quality == Quality::Weak;
            let key = p
                .tokens()
                .iter()
                .map(|t| t.text())
                .collect::<Vec<_>>()
                .join(" ");
            if let Some(&prev) = seen.get(&key) {
                let old: &mut IndexedName = &mut names[prev];
                if old.weak && !weak {
                    old.weak = false;
                    old.name = ni;
                    old.part = part;
                }
                continue;
            }
            seen.insert(key, names.len());
            names.push(IndexedName {
                entity: ei,
                name: ni,
                weak,
                schema: e.schema,
                part,
                prepared: p,
            });
        }
        let mut rarity = Rarity::new();
        // (published names only: a part would count its tokens twice)
        for n in names.iter().filter(|n| n.part == Part::Whole) {
            rarity.add_name(n.prepared.tokens());
        }
        for n in &mut names {
            n.prepared.apply_weights(&rarity);
        }
        // Group names into forms (first occurrence order), then post each form once.
        // hash -> forms with that hash (a collision only costs a comparison)
        let mut form_of: FxHashMap<u64, SmallVec<[u32; 1]>> = FxHashMap::default();
        let mut members: Vec<SmallVec<[u32; 2]>> = Vec::new();
        for (id, n) in names.iter().enumerate() {
            let fs = form_of.entry(form_hash(n.schema, &n.prepared)).or_default();
            let found = fs.iter().copied().find(|&f| {
                let r = &names[members[f as usize][0] as usize];
                same_form(r.schema, &r.prepared, n.schema, &n.prepared)
            });
            match found {
                Some(f) => members[f as usize].push(id as u32),
                None => {
                    fs.push(members.len() as u32);
                    members.push(smallvec::smallvec![id as u32]);
                }
            }
        }
        drop(form_of);
        let mut forms = Vec::with_capacity(members.len());
        let mut form_names = Vec::with_capacity(names.len());
        let mut form_ntok = Vec::with_capacity(members.len());
        let mut postings = PostingsBuilder::default();
        // distinct comparable tokens: hash -> (id, name, token index) of the first token with
        // that id
        type Seen = SmallVec<[(u32, u32, u32); 1]>;
        let mut token_of: FxHashMap<u64, Seen> = FxHashMap::default();
        let mut form_tokens: Vec<u32> = Vec::new();
        let mut token_ids = 0u32;
        for (f, m) in members.iter().enumerate() {
            let rep = m[0];
            let n = &names[rep as usize];
            forms.push(NameForm {
                rep,
                first: form_names.len() as u32,
                len: m.len() as u32,
                tokens: form_tokens.len() as u32,
                schema: n.schema,
            });
            for (ti, t) in n.prepared.tokens().iter().enumerate() {
                use std::hash::Hasher;
                let mut h = rustc_hash::FxHasher::default();
                t.hash_comparable(&mut h);
                let same = token_of.entry(h.finish()).or_default();
                let found = same.iter().find(|&&(_, nm, k)| {
                    names[nm as usize].prepared.tokens()[k as usize].same_comparison(t)
                });
                let id = match found {
                    Some(&(id, _, _)) => id,
                    None => {
                        let id = token_ids;
                        token_ids += 1;
                        same.push((id, rep, ti as u32));
                        id
                    }
                };
                form_tokens.push(id);
            }
            form_names.extend_from_slice(m);
            let keyed = n
                .prepared
                .tokens()
                .iter()
                .filter(|t| matches!(t.kind(), TokenKind::Name | TokenKind::Number))
                .count();
            form_ntok.push(keyed.min(usize::from(u8::MAX)) as u8);
            postings.add(f as u32, &n.prepared);
        }
        let postings = postings.finish(forms.len());
        drop(token_of);
        let name_meta = names.iter().map(|n| (n.entity, n.weak)).collect();
        Screener {
            config,
            lists: infos,
            entities,
            by_id,
            names,
            forms,
            form_names,
            form_ntok,
            name_meta,
            postings,
            rarity,
            form_tokens,
            token_ids: token_ids as usize,
            scratch: Mutex::new(Vec::new()),
        }
    }

    /// Screens one query: best hit per entity, best first, down to `config.cutoff`, at most
    /// `limit`. Errors only on unusable input (empty name, no letters or digits, too long,
    /// unparseable birth date, threshold outside 0..1); an unknown name is an empty result.
    pub fn screen(&self, query: &Query) -> Result<Vec<Hit>, ScreenError> {
        let req = self.request(query)?;
        let mut preps = QueryPreps::new(req.name, req.types);
        let mut work = self
            .scratch
            .lock()
            .ok()
            .and_then(|mut v| v.pop())
            .unwrap_or_default();
        let cands = self.retrieve(
            query,
            &mut preps,
            self.config.candidate_budget,
            true,
            &mut work.retrieval,
        );
        let hits = cands.map(|c| {
            let mut ids = c.ids;
            ids.extend(
                c.extra
                    .iter()
                    .map(|&(id, rank, score, _)| (id, rank, score)),
            );
            self.score_candidates(&req, &mut preps, &ids, &mut work.memo)
        });
        if let Ok(mut v) = self.scratch.lock()
            && v.len() < 256
        {
            v.push(work);
        }
        hits
    }

    /// Validates a query and parses its qualifiers.
    fn request<'q>(&self, query: &'q Query) -> Result<Request<'q>, ScreenError> {
        let name = query.name.trim();
        if name.is_empty() {
            return Err(ScreenError::EmptyName);
        }
        let len = name.chars().count();
        if len > MAX_NAME_CHARS {
            return Err(ScreenError::NameTooLong {
                len,
                max: MAX_NAME_CHARS,
            });
        }
        let threshold = query.threshold.unwrap_or(self.config.threshold);
        if !(0.0..=1.0).contains(&threshold) {
            return Err(ScreenError::InvalidThreshold(threshold));
        }
        let mut quals = Qualifiers::default();
        if let Some(d) = query
            .birth_date
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            quals.birth = Some(
                PartialDate::parse(d)
                    .ok_or_else(|| ScreenError::InvalidBirthDate(d.to_string()))?,
            );
        }
        quals.country = query.country.as_deref().and_then(qualifiers::parse_country);
        quals.document = query
            .document
            .as_deref()
            .map(qualifiers::document_key)
            .filter(|d| !d.is_empty());
        let limit = query.limit.unwrap_or(self.config.limit);
        // The name types the query is compared as.
        let types: &'static [NameType] = match query.schema {
            Some(s) => match name_type(s) {
                NameType::Person => &[NameType::Person],
                NameType::Organization => &[NameType::Organization],
                _ => &[NameType::Vessel],
            },
            None => &[NameType::Person, NameType::Organization, NameType::Vessel],
        };
        Ok(Request {
            name,
            threshold,
            quals,
            limit,
            types,
        })
    }

    /// Candidate retrieval (see [`crate::index`]): the query prepared as its first name type
    /// (the tokens' keys barely differ by type), names filtered by schema, at most `budget`,
    /// best first. With `filter` false, every name that shares a key is returned (for
    /// diagnostics).
    fn retrieve(
        &self,
        query: &Query,
        preps: &mut QueryPreps<'_>,
        budget: usize,
        filter: bool,
        scratch: &mut Scratch,
    ) -> Result<Retrieved, ScreenError> {
        let types = preps.types;
        let first = types.first().copied().unwrap_or(NameType::Person);
        let mut retrieval_ty = first;
        if preps
            .get(first, &self.rarity)
            .is_none_or(Prepared::is_empty)
        {
            // rare: the first preparation is empty (e.g. only legal forms); use any non-empty
            retrieval_ty = match types
                .iter()
                .copied()
                .find(|&t| preps.get(t, &self.rarity).is_some_and(|p| !p.is_empty()))
            {
                Some(t) => t,
                None => return Err(ScreenError::NoLetters(preps.name.to_string())),
            };
        }
        if preps.get(retrieval_ty, &self.rarity).is_none() {
            return Err(ScreenError::NoLetters(preps.name.to_string()));
        }
        // A query of unknown schema is retrieved as its first type, for names of every
        // schema. Where another type's preparation weighs markedly less (it sets aside words
        // the first keeps as names: stop words, legal forms and glossary words in
        // organisation names, so "Al-Qaida in the Arabian Peninsula" is three tokens as an
        // organisation and five as a person, and its own list name fell short of the
        // retrieval share), the names of that type are also retrieved with that preparation,
        // with half the budget.
        let mut others: SmallVec<[NameType; 2]> = SmallVec::new();
        for &ty in types.iter().filter(|&&t| t != retrieval_ty) {
            if preps.get(ty, &self.rarity).is_some_and(|p| !p.is_empty()) {
                others.push(ty);
            }
        }
        let Some(retrieval) = preps.prepared(retrieval_ty) else {
            return Err(ScreenError::NoLetters(preps.name.to_string()));
        };
        // (a query of unknown schema admits every name: its own instance of the walk tests
        // nothing per name)
        let (ids, min_score) = match query.schema {
            None => self.candidates(retrieval, budget, filter, scratch, |_| true),
            Some(s) => self.candidates(retrieval, budget, filter, scratch, |id| {
                self.forms.get(id as usize).map(|f| f.schema) == Some(s)
            }),
        };
        let mut extra = Vec::new();
        let weight = |q: &Prepared| q.tokens().iter().map(|t| t.weight()).sum::<f64>();
        // (a preparation with the same tokens weighs the same, so it is skipped too)
        let enough = OTHER_PREPARATION_SHARE * weight(retrieval);
        for ty in others {
            let Some(p) = preps.prepared(ty) else {
                continue;
            };
            if weight(p) >= enough {
                continue;
            }
            let (more, more_min) = self.candidates(p, budget.div_ceil(2), filter, scratch, |id| {
                self.forms
                    .get(id as usize)
                    .is_some_and(|f| name_type(f.schema) == ty)
            });
            extra.extend(
                more.into_iter()
                    .filter(|c| !ids.iter().any(|d| d.0 == c.0))
                    .map(|(id, rank, score)| (id, rank, score, more_min)),
            );
        }
        Ok(Retrieved {
            ids,
            min_score: f64::from(min_score),
            extra,
        })
    }

    /// The best `budget` name forms for one preparation of the query among those `admit`
    /// accepts, and the retrieval score they needed (see [`Postings::candidates`]).
    fn candidates(
        &self,
        q: &Prepared,
        budget: usize,
        filter: bool,
        scratch: &mut Scratch,
        admit: impl Fn(u32) -> bool,
    ) -> (Vec<(u32, f32, f32)>, f32) {
        let total_w: f32 = q.tokens().iter().map(|t| t.weight() as f32).sum();
        let min_score = total_w * self.config.min_retrieval_share as f32;
        let ids = self.postings.candidates(
            q,
            budget,
            if filter { min_score } else { f32::MIN },
            &self.form_ntok,
            self.config.retrieval_extra_token_penalty as f32,
            self.config.typo_min_weight as f32,
            scratch,
            admit,
        );
        (ids, min_score)
    }

    /// Scores the candidates, keeps the best name per entity, applies weak-alias, qualifier
    /// and evidence adjustments, and builds hits (with explanations) for the best `limit`.
    fn score_candidates(
        &self,
        req: &Request<'_>,
        preps: &mut QueryPreps<'_>,
        cands: &[(u32, f32, f32)],
        memo: &mut PairMemo,
    ) -> Vec<Hit> {
        // Score each candidate form once; best name per entity. Candidates are scored one
        // name type at a time so that one token-pair memo serves each query preparation in
        // turn (the order of scoring does not change the result: `best` is sorted below).
        let mut best: Vec<(u32, f64, f64, u32)> = Vec::with_capacity(2 * cands.len()); // (entity, score, raw, name id)
        // (the representative's token count is read here, in a tight loop whose cache misses
        // on the scattered names overlap, rather than one at a time while scoring)
        let mut by_type: SmallVec<[(NameType, u32, usize); 64]> = cands
            .iter()
            .filter_map(|&(fid, _, _)| {
                let f = self.forms.get(fid as usize)?;
                let ntok = self.names.get(f.rep as usize)?.prepared.tokens().len();
                Some((name_type(f.schema), fid, ntok))
            })
            .collect();
        // stable: within a type, retrieval order
        by_type.sort_by_key(|&(ty, _, _)| ty as u8);
        let mut memo_for: Option<NameType> = None;
        // the query preparation of the current type, looked up once per type (the
        // candidates come grouped by type)
        let mut prep: Option<(NameType, Option<&Prepared>)> = None;
        for &(ty, fid, ntok) in &by_type {
            let Some(f) = self.forms.get(fid as usize) else {
                continue;
            };
            let rep = &self.names[f.rep as usize];
            if prep.is_none_or(|(t, _)| t != ty) {
                prep = Some((ty, preps.get(ty, &self.rarity)));
            }
            let Some(q) = prep.and_then(|(_, q)| q) else {
                continue;
            };
            if memo_for != Some(ty) {
                memo.reset(q, self.token_ids);
                memo_for = Some(ty);
            }
            let a = f.tokens as usize;
            let ids = self.form_tokens.get(a..a + ntok).unwrap_or(&[]);
            let raw = name_matching::score_memo(q, &rep.prepared, ids, memo);
            let (a, b) = (f.first as usize, (f.first + f.len) as usize);
            for &id in &self.form_names[a..b] {
                let Some(&(entity, weak)) = self.name_meta.get(id as usize) else {
                    continue;
                };
                let s = if weak {
                    raw * self.config.weak_alias_factor
                } else {
                    raw
                };
                best.push((entity, s, raw, id));
            }
        }
        let quals = &req.quals;
        let threshold = req.threshold;
        let max_bonus = if quals.is_empty() {
            0.0
        } else {
            self.config.dob_match_bonus + self.config.country_bonus + self.config.document_bonus
        };
        // Names that cannot reach the cutoff even with every qualifier bonus go first (most
        // candidates): an entity whose best name is among them is skipped below anyway, and
        // the best name of any other entity stays, so the sort is short.
        // (exactly the negation of the `<` test below, NaN included)
        let cutoff = self.config.cutoff;
        best.retain(|b| (b.1 + max_bonus).partial_cmp(&cutoff) != Some(std::cmp::Ordering::Less));
        best.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then(a.3.cmp(&b.3)));
        best.dedup_by_key(|b| b.0);

        // Qualifiers and cutoff.
        let mut scored: Vec<Scored> = Vec::new();
        for (ei, s, raw, id) in best {
            if s + max_bonus < self.config.cutoff {
                continue;
            }
            let mut adj = if quals.is_empty() {
                Vec::new()
            } else {
                qualifiers::assess(quals, &self.entities[ei as usize], &self.config)
            };
            let mut fin = (s + adj.iter().map(|a| a.effect).sum::<f64>()).clamp(0.0, 1.0);
            let mut comparison = None;
            if fin >= threshold {
                // Evidence guard: a would-be match where only common tokens agree while the
                // list name's distinctive tokens are missing from the query ("Ali Abdullah"
                // vs "Abdullah Ali Nuri") is lowered below the threshold.
                let n = &self.names[id as usize];
                if let Some(q) = preps.get(name_type(n.schema), &self.rarity) {
                    let c = name_matching::compare(q, &n.prepared);
                    if let Some(a) = self.evidence_guard(&c, fin, threshold) {
                        fin = (fin + a.effect).clamp(0.0, 1.0);
                        adj.push(a);
                    }
                    comparison = Some(c);
                }
            }
            if fin >= self.config.cutoff {
                scored.push(Scored {
                    entity: ei,
                    score: fin,
                    raw,
                    name: id,
                    adjustments: adj,
                    comparison,
                });
            }
        }
        scored.sort_by(|a, b| {
            b.score.total_cmp(&a.score).then_with(|| {
                self.entities[a.entity as usize]
                    .id
                    .cmp(&self.entities[b.entity as usize].id)
            })
        });
        scored.truncate(req.limit);

        scored
            .into_iter()
            .filter_map(|sc| {
                let n = &self.names[sc.name as usize];
                let e = &self.entities[sc.entity as usize];
                let listed = &e.names[n.name as usize];
                let c = match sc.comparison {
                    Some(c) => c,
                    None => name_matching::compare(
                        preps.get(name_type(n.schema), &self.rarity)?,
                        &n.prepared,
                    ),
                };
                let raw = sc.raw;
                let mut adjustments = Vec::with_capacity(sc.adjustments.len() + 1);
                if n.weak {
                    adjustments.push(Adjustment {
                        factor: Factor::NameQuality,
                        outcome: Outcome::Weak,
                        effect: round4(raw * self.config.weak_alias_factor - raw),
                        detail: format!(
                            "weak / low-quality alias: name score multiplied by {}",
                            self.config.weak_alias_factor
                        ),
                    });
                }
                adjustments.extend(sc.adjustments);
                let score = round4(sc.score);
                Some(Hit {
                    entity_id: e.id.clone(),
                    score,
                    is_match: score >= threshold,
                    name: listed.value.clone(),
                    schema: e.schema,
                    caption: e.caption().to_string(),
                    source: e.source,
                    explanation: Explanation {
                        matched_name: listed.value.clone(),
                        name_kind: listed.kind,
                        name_quality: if n.weak {
                            Quality::Weak
                        } else {
                            Quality::Strong
                        },
                        name_script: listed.script,
                        name_score: raw,
                        aligned: c.alignment,
                        unmatched_query: c.unmatched_query,
                        unmatched_list: c.unmatched_list,
                        ignored_query: c.ignored_query,
                        ignored_list: c.ignored_list,
                        reordered: c.reordered,
                        notes: {
                            let mut notes = c.notes;
                            notes.extend(n.part.note(&listed.value));
                            notes
                        },
                        adjustments,
                        score,
                    },
                })
            })
            .collect()
    }

    /// See the evidence guard in [`Screener::screen`]: the rarity-weighted similarity of the
    /// aligned tokens must reach `config.min_evidence`, or exceed the weight of every list
    /// token the query left unmatched.
    fn evidence_guard(&self, c: &Comparison, score: f64, threshold: f64) -> Option<Adjustment> {
        let evidence: f64 = c.alignment.iter().map(|a| a.weight * a.score).sum();
        let missing = c
            .unmatched_list
            .iter()
            .map(|u| u.weight)
            .fold(0.0, f64::max);
        if evidence >= self.config.min_evidence || missing <= evidence {
            return None;
        }
        let target = threshold - 0.05;
        let effect = round4((target - score).min(0.0));
        Some(Adjustment {
            factor: Factor::Evidence,
            outcome: Outcome::Mismatch,
            effect,
            detail: format!(
                "only common tokens agree (evidence {evidence:.2} < {:.2}) while the list name's distinctive token(s) are missing from the query",
                self.config.min_evidence
            ),
        })
    }

    /// Explains retrieval and scoring of the given entities for `query`: whether each of their
    /// names was among the scored candidates, its rank in retrieval order, its retrieval
    /// score and its pairwise name score. For evaluation tools; costs a full retrieval
    /// without budget.
    pub fn diagnose(&self, query: &Query, entity_ids: &[String]) -> Result<Diagnosis, ScreenError> {
        let req = self.request(query)?;
        let mut preps = QueryPreps::new(req.name, req.types);
        let mut scratch = Scratch::default();
        let all = self.retrieve(query, &mut preps, usize::MAX, false, &mut scratch)?;
        let budget = self.config.candidate_budget;
        // forms that would be scored: above the minimum retrieval score, within the budget
        let mut scored: Vec<u32> = all
            .ids
            .iter()
            .filter(|c| f64::from(c.2) >= all.min_score)
            .take(budget)
            .map(|c| c.0)
            .collect();
        scored.extend(
            all.extra
                .iter()
                .filter(|c| c.2 >= c.3)
                .take(budget.div_ceil(2))
                .map(|c| c.0),
        );
        // retrieval order: the first preparation's candidates, then the others'
        let order: Vec<(u32, f32)> = all
            .ids
            .iter()
            .map(|c| (c.0, c.2))
            .chain(all.extra.iter().map(|c| (c.0, c.2)))
            .collect();
        let mut form_of_name = vec![u32::MAX; 0];
        let mut entities = Vec::with_capacity(entity_ids.len());
        for eid in entity_ids {
            let Some(&ei) = self.by_id.get(eid.as_str()) else {
                entities.push(EntityDiagnosis {
                    entity_id: eid.clone(),
                    loaded: false,
                    names: Vec::new(),
                });
                continue;
            };
            if form_of_name.is_empty() {
                form_of_name = vec![u32::MAX; self.names.len()];
                for (f, nf) in self.forms.iter().enumerate() {
                    let (a, b) = (nf.first as usize, (nf.first + nf.len) as usize);
                    for &id in &self.form_names[a..b] {
                        form_of_name[id as usize] = f as u32;
                    }
                }
            }
            let e = &self.entities[ei as usize];
            let mut names = Vec::new();
            for (id, n) in self
                .names
                .iter()
                .enumerate()
                .filter(|(_, n)| n.entity == ei)
            {
                let form = form_of_name[id];
                let pos = order.iter().position(|c| c.0 == form);
                let raw = preps
                    .get(name_type(n.schema), &self.rarity)
                    .map_or(0.0, |q| name_matching::score(q, &n.prepared));
                names.push(NameDiagnosis {
                    name: e.names[n.name as usize].value.clone(),
                    weak: n.weak,
                    retrieved: scored.contains(&form),
                    candidate_rank: pos.map(|p| p + 1),
                    retrieval_score: pos.map(|p| round4(f64::from(order[p].1))),
                    raw_score: raw,
                });
            }
            entities.push(EntityDiagnosis {
                entity_id: eid.clone(),
                loaded: !names.is_empty(),
                names,
            });
        }
        Ok(Diagnosis {
            candidates_scored: scored.len(),
            names_touched: order.len(),
            min_retrieval_score: round4(all.min_score),
            entities,
        })
    }

    /// Screens many queries on all cores; results in input order.
    pub fn screen_many(&self, queries: &[Query]) -> Vec<Result<Vec<Hit>, ScreenError>> {
        par_map(queries, |q| self.screen(q))
    }

    /// The entity with this id, if loaded.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.by_id.get(id).map(|&i| &self.entities[i as usize])
    }

    /// What was loaded: source, origin, publication date and counts per list.
    pub fn lists(&self) -> &[ListInfo] {
        &self.lists
    }

    /// The settings this screener was built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sizes of the index.
    pub fn stats(&self) -> IndexStats {
        IndexStats {
            entities: self.entities.len(),
            names: self.names.len(),
            forms: self.forms.len(),
            keys: self.postings.len(),
            postings: self.postings.total_postings(),
        }
    }

    /// Every indexed list name with its entity id, for baselines and diagnostics.
    pub fn indexed_names(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.names.iter().map(|n| {
            let e = &self.entities[n.entity as usize];
            (e.id.as_str(), e.names[n.name as usize].value.as_str())
        })
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::par_map;

    #[test]
    fn par_map_keeps_input_order_for_any_length() {
        // lengths below, at and around the parallel threshold and the chunk size
        for n in [0usize, 1, 255, 256, 257, 1000, 64 * 7 + 3] {
            let items: Vec<u64> = (0..n as u64).collect();
            // uneven work, so that workers finish chunks out of order
            let out = par_map(&items, |&x| {
                (0..x % 97).fold(x, |a, b| a.wrapping_mul(31) ^ b)
            });
            let expected: Vec<u64> = items
                .iter()
                .map(|&x| (0..x % 97).fold(x, |a, b| a.wrapping_mul(31) ^ b))
                .collect();
            assert_eq!(out, expected, "{n} items");
        }
    }
}
