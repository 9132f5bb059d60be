//! The screener: builds the index over all loaded names and answers queries.

use name_matching::{NameType, Prepared};
use rustc_hash::FxHashMap;
use watchlist::{Entity, PartialDate, Quality, Schema, WatchList};

use crate::index::Postings;
use crate::qualifiers::{self, Qualifiers};
use crate::rarity::Rarity;
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
    postings: Postings,
    rarity: Rarity,
}

/// Index statistics, for benchmarks and status pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct IndexStats {
    pub entities: usize,
    /// Indexed names (after dropping duplicates within an entity and empty names).
    pub names: usize,
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

/// Runs `f` over `items` on all cores, keeping order.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let n = threads();
    if n == 1 || items.len() < 256 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(n);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| {
                let f = &f;
                s.spawn(move || c.iter().map(f).collect::<Vec<R>>())
            })
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            // A panic in a worker is a bug in the matcher; re-raise it on the caller's thread.
            match h.join() {
                Ok(v) => out.extend(v),
                Err(e) => std::panic::resume_unwind(e),
            }
        }
        out
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
        // Prepare every name (the expensive part) on all cores.
        let jobs: Vec<(u32, u32)> = entities
            .iter()
            .enumerate()
            .flat_map(|(ei, e)| (0..e.names.len()).map(move |ni| (ei as u32, ni as u32)))
            .collect();
        let prepared = par_map(&jobs, |&(ei, ni)| {
            let e = &entities[ei as usize];
            name_matching::prepare(&e.names[ni as usize].value, name_type(e.schema))
        });
        let mut names: Vec<IndexedName> = Vec::with_capacity(jobs.len());
        let mut seen: FxHashMap<String, usize> = FxHashMap::default();
        let mut last_entity = u32::MAX;
        for (&(ei, ni), p) in jobs.iter().zip(prepared) {
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
                }
                continue;
            }
            seen.insert(key, names.len());
            names.push(IndexedName {
                entity: ei,
                name: ni,
                weak,
                schema: e.schema,
                prepared: p,
            });
        }
        let mut rarity = Rarity::new();
        for n in &names {
            rarity.add_name(n.prepared.tokens());
        }
        let mut postings = Postings::default();
        for (id, n) in names.iter_mut().enumerate() {
            n.prepared.apply_weights(&rarity);
            postings.add(id as u32, &n.prepared);
        }
        postings.shrink();
        Screener {
            config,
            lists: infos,
            entities,
            by_id,
            names,
            postings,
            rarity,
        }
    }

    /// Screens one query: best hit per entity, best first, down to `config.cutoff`, at most
    /// `limit`. Errors only on unusable input (empty name, no letters or digits, too long,
    /// unparseable birth date, threshold outside 0..1); an unknown name is an empty result.
    pub fn screen(&self, query: &Query) -> Result<Vec<Hit>, ScreenError> {
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

        // Prepare the query once per name type it will be compared as.
        let types: &[NameType] = match query.schema {
            Some(s) => match name_type(s) {
                NameType::Person => &[NameType::Person],
                NameType::Organization => &[NameType::Organization],
                _ => &[NameType::Vessel],
            },
            None => &[NameType::Person, NameType::Organization, NameType::Vessel],
        };
        let mut preps: Vec<(NameType, Prepared)> = Vec::with_capacity(types.len());
        for &t in types {
            let mut p = name_matching::prepare(name, t);
            p.apply_weights(&self.rarity);
            preps.push((t, p));
        }
        if preps.iter().all(|(_, p)| p.is_empty()) {
            return Err(ScreenError::NoLetters(name.to_string()));
        }

        // Retrieval: candidates from the first preparation (the tokens' keys barely differ by
        // type), filtered by schema.
        let retrieval = preps
            .iter()
            .map(|(_, p)| p)
            .find(|p| !p.is_empty())
            .unwrap_or(&preps[0].1);
        let total_w: f32 = retrieval.tokens().iter().map(|t| t.weight() as f32).sum();
        let min_score = total_w * self.config.min_retrieval_share as f32;
        let cands =
            self.postings
                .candidates(retrieval, self.config.candidate_budget, min_score, |id| {
                    query
                        .schema
                        .is_none_or(|s| self.names[id as usize].schema == s)
                });

        // Score candidates; best name per entity.
        let mut best: FxHashMap<u32, (f64, f64, u32)> = FxHashMap::default(); // entity -> (score, raw, name id)
        for (id, _) in cands {
            let n = &self.names[id as usize];
            let ty = name_type(n.schema);
            let q = match preps.iter().find(|(t, _)| *t == ty) {
                Some((_, p)) => p,
                None => continue,
            };
            let raw = name_matching::score(q, &n.prepared);
            let s = if n.weak {
                raw * self.config.weak_alias_factor
            } else {
                raw
            };
            match best.get_mut(&n.entity) {
                Some(b) if b.0 >= s => {}
                Some(b) => *b = (s, raw, id),
                None => {
                    best.insert(n.entity, (s, raw, id));
                }
            }
        }

        // Qualifiers and cutoff.
        let max_bonus = if quals.is_empty() {
            0.0
        } else {
            self.config.dob_match_bonus + self.config.country_bonus + self.config.document_bonus
        };
        let mut scored: Vec<(u32, f64, f64, u32, Vec<Adjustment>)> = Vec::new();
        for (ei, (s, raw, id)) in best {
            if s + max_bonus < self.config.cutoff {
                continue;
            }
            let adj = if quals.is_empty() {
                Vec::new()
            } else {
                qualifiers::assess(&quals, &self.entities[ei as usize], &self.config)
            };
            let mut adj = adj;
            let mut fin = (s + adj.iter().map(|a| a.effect).sum::<f64>()).clamp(0.0, 1.0);
            if fin >= threshold {
                // Evidence guard: a would-be match where only common tokens agree while the
                // list name's distinctive tokens are missing from the query ("Ali Abdullah"
                // vs "Abdullah Ali Nuri") is lowered below the threshold.
                if let Some(a) = self.evidence_guard(&preps, id, fin, threshold) {
                    fin = (fin + a.effect).clamp(0.0, 1.0);
                    adj.push(a);
                }
            }
            if fin >= self.config.cutoff {
                scored.push((ei, fin, raw, id, adj));
            }
        }
        scored.sort_by(|a, b| {
            b.1.total_cmp(&a.1).then_with(|| {
                self.entities[a.0 as usize]
                    .id
                    .cmp(&self.entities[b.0 as usize].id)
            })
        });
        scored.truncate(limit);

        Ok(scored
            .into_iter()
            .map(|(ei, score, raw, id, adj)| {
                let n = &self.names[id as usize];
                let e = &self.entities[ei as usize];
                let listed = &e.names[n.name as usize];
                let ty = name_type(n.schema);
                let q = preps
                    .iter()
                    .find(|(t, _)| *t == ty)
                    .map(|(_, p)| p)
                    .unwrap_or(retrieval);
                let c = name_matching::compare(q, &n.prepared);
                let mut adjustments = Vec::with_capacity(adj.len() + 1);
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
                adjustments.extend(adj);
                let score = round4(score);
                Hit {
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
                        notes: c.notes,
                        adjustments,
                        score,
                    },
                }
            })
            .collect())
    }

    /// See the evidence guard in [`Screener::screen`]: the rarity-weighted similarity of the
    /// aligned tokens must reach `config.min_evidence`, or exceed the weight of every list
    /// token the query left unmatched.
    fn evidence_guard(
        &self,
        preps: &[(NameType, Prepared)],
        id: u32,
        score: f64,
        threshold: f64,
    ) -> Option<Adjustment> {
        let n = &self.names[id as usize];
        let ty = name_type(n.schema);
        let q = &preps.iter().find(|(t, _)| *t == ty)?.1;
        let c = name_matching::compare(q, &n.prepared);
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
