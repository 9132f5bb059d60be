//! `raqib eval screening --queries FILE.jsonl [--lists PATH...] [--json]`: screening accuracy
//! on labelled queries.
//!
//! Each line: `{"id", "name", "schema"?, "birth_date"?, "country"?, "expected": [entity ids]
//! (empty = must not match), "category"?}`. Two optional fields let a dataset hold out names:
//! `"remove_names": [names]` deletes those names (compared after normalisation) from the
//! expected entities, and `"remove_scripts": ["arabic"|"cyrillic"|...]` deletes every name in
//! that script from them, before the index is built; so a held-out alias or an original-script
//! name is screened against lists that no longer carry it.
//!
//! Printed per category: positives: recall@1 at the threshold (an expected id ranked first and
//! `match` true), recall@5 (an expected id among the first five candidates), mean rank of the
//! first expected id (over found ones; ties share a rank: competition ranking), the rate of
//! queries whose best match is a wrong entity; negatives: false-positive rate (any match). Overall
//! query-level precision, recall and F1 (a wrong entity called a match is a false positive),
//! and a threshold sweep. With `--failures FILE`, every miss and false positive is written to
//! FILE with a retrieval diagnosis, and misses are counted by reason (not retrieved, over the
//! candidate budget, low name score, outranked or adjusted).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use anyhow::{Context, bail};
use name_matching::NameType;
use screening::{Config, Query, Screener};
use serde::{Deserialize, Serialize};
use watchlist::{Schema, Script, WatchList};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Labelled queries (JSON lines).
    #[arg(long)]
    pub queries: PathBuf,
    /// List files or directories; default: the embedded lists.
    #[arg(long, num_args = 1..)]
    pub lists: Vec<PathBuf>,
    /// Threshold to report at (default: the screening default).
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Matcher settings to evaluate instead of the default pack: a JSON object with any of
    /// the fields of `screening::Config` (the others keep their defaults).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Write every miss and false positive (query, expected, top hits) to this JSON-lines
    /// file; each miss also carries a diagnosis of its expected entities (was each name
    /// retrieved, its rank in candidate order, its retrieval and pairwise scores) and a
    /// reason, and a count of misses by reason is printed.
    #[arg(long)]
    pub failures: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
struct LabelledQuery {
    #[serde(default)]
    id: serde_json::Value,
    name: String,
    #[serde(default)]
    schema: Option<String>,
    #[serde(default)]
    birth_date: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    expected: Vec<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    remove_names: Vec<String>,
    #[serde(default)]
    remove_scripts: Vec<String>,
}

/// Top hits of one query, kept for the sweep.
///
/// Ranks use competition ranking: an expected entity's rank is 1 + the number of other
/// entities scored strictly higher, so an expected entity tied at the top with the same
/// person's record in another list (or a namesake) counts as ranked first.
struct Outcome {
    positive: bool,
    category: String,
    /// (entity id, score, is expected), best first.
    hits: Vec<(String, f64, bool)>,
    error: Option<String>,
}

impl Outcome {
    /// Rank and score of the best expected hit.
    fn expected(&self) -> Option<(usize, f64)> {
        let (i, h) = self.hits.iter().enumerate().find(|(_, h)| h.2)?;
        let above = self.hits[..i].iter().filter(|o| !o.2 && o.1 > h.1).count();
        Some((above + 1, h.1))
    }
    /// Expected entity ranked first with `match` true at threshold `t`.
    fn correct_at(&self, t: f64) -> bool {
        self.expected().is_some_and(|(r, s)| r == 1 && s >= t)
    }
    /// Top score of any hit that is not expected.
    fn best_wrong(&self) -> Option<f64> {
        self.hits
            .iter()
            .filter(|h| !h.2)
            .map(|h| h.1)
            .fold(None, |a, s| Some(a.map_or(s, |a: f64| a.max(s))))
    }
}

#[derive(Debug, Default, Serialize)]
struct CategoryReport {
    category: String,
    queries: usize,
    /// Positives only.
    #[serde(skip_serializing_if = "Option::is_none")]
    recall_at_1: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recall_at_5: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mean_rank: Option<f64>,
    /// Positive queries whose first hit is a match on a wrong entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    wrong_match_rate: Option<f64>,
    /// Negatives only.
    #[serde(skip_serializing_if = "Option::is_none")]
    false_positive_rate: Option<f64>,
    errors: usize,
}

#[derive(Debug, Serialize)]
struct SweepPoint {
    threshold: f64,
    recall_at_1: f64,
    false_positive_rate: f64,
    precision: f64,
    f1: f64,
}

#[derive(Debug, Serialize)]
struct Report {
    queries_file: String,
    threshold: f64,
    cutoff: f64,
    removals_requested: usize,
    removals_applied: usize,
    removals_unmatched: usize,
    categories: Vec<CategoryReport>,
    positives: usize,
    negatives: usize,
    precision: f64,
    recall: f64,
    f1: f64,
    false_positive_rate: f64,
    sweep: Vec<SweepPoint>,
}

fn norm_name(s: &str) -> String {
    let p = name_matching::prepare(s, NameType::Other);
    p.tokens()
        .iter()
        .map(|t| t.text())
        .collect::<Vec<_>>()
        .join(" ")
}

fn script_of(s: &str) -> Option<Script> {
    match s.to_ascii_lowercase().as_str() {
        "arabic" => Some(Script::Arabic),
        "cyrillic" => Some(Script::Cyrillic),
        "greek" => Some(Script::Greek),
        "han" => Some(Script::Han),
        "latin" => Some(Script::Latin),
        _ => None,
    }
}

/// Applies the dataset's removals; returns (requested, applied, unmatched).
fn apply_removals(
    lists: &mut [WatchList],
    queries: &[LabelledQuery],
) -> anyhow::Result<(usize, usize, usize)> {
    let mut names: HashMap<&str, HashSet<String>> = HashMap::new();
    let mut scripts: HashMap<&str, HashSet<Script>> = HashMap::new();
    for q in queries {
        for id in &q.expected {
            for n in &q.remove_names {
                names.entry(id.as_str()).or_default().insert(norm_name(n));
            }
            for s in &q.remove_scripts {
                let sc = script_of(s)
                    .with_context(|| format!("query {}: unknown script {s:?}", q.id))?;
                scripts.entry(id.as_str()).or_default().insert(sc);
            }
        }
    }
    let mut applied = 0;
    let mut hit: HashSet<(String, String)> = HashSet::new();
    for l in lists.iter_mut() {
        for e in &mut l.entities {
            let rn = names.get(e.id.as_str());
            let rs = scripts.get(e.id.as_str());
            if rn.is_none() && rs.is_none() {
                continue;
            }
            let before = e.names.len();
            let id = e.id.clone();
            e.names.retain(|n| {
                if rs.is_some_and(|s| s.contains(&n.script)) {
                    return false;
                }
                if let Some(set) = rn {
                    let k = norm_name(&n.value);
                    if set.contains(&k) {
                        hit.insert((id.clone(), k));
                        return false;
                    }
                }
                true
            });
            applied += before - e.names.len();
        }
    }
    // Counted per query: a held-out name counts as unmatched only when it was removed from
    // none of the query's expected entities (an alias carried by the UN record only is not
    // missing from the EU and UK records of the same person).
    let requested = queries.iter().map(|q| q.remove_names.len()).sum::<usize>();
    let unmatched = queries
        .iter()
        .flat_map(|q| q.remove_names.iter().map(move |n| (q, norm_name(n))))
        .filter(|(q, k)| {
            !q.expected
                .iter()
                .any(|id| hit.contains(&(id.clone(), k.clone())))
        })
        .count();
    Ok((requested, applied, unmatched))
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.queries)
        .with_context(|| format!("reading {}", args.queries.display()))?;
    let mut queries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let q: LabelledQuery = serde_json::from_str(line).with_context(|| {
            format!("{}:{}: not a labelled query", args.queries.display(), i + 1)
        })?;
        queries.push(q);
    }
    if queries.is_empty() {
        bail!("{} holds no queries", args.queries.display());
    }
    let mut lists = crate::common::load_lists(&args.lists)?;
    let (requested, applied, unmatched) = apply_removals(&mut lists, &queries)?;
    let mut config = match &args.config {
        Some(p) => read_config(p)?,
        None => Config::default(),
    };
    if let Some(t) = args.threshold {
        config.threshold = t;
    }
    config.limit = config.limit.max(5);
    let threshold = config.threshold;
    let cutoff = config.cutoff;
    let screener = Screener::new(lists, config);

    let qs: Vec<Query> = queries
        .iter()
        .map(|q| Query {
            name: q.name.clone(),
            schema: q.schema.as_deref().and_then(Schema::parse),
            birth_date: q.birth_date.clone(),
            country: q.country.clone(),
            ..Query::default()
        })
        .collect();
    let results = screener.screen_many(&qs);
    let mut outcomes = Vec::with_capacity(queries.len());
    let mut failures = Vec::new();
    let mut miss_reasons: BTreeMap<(String, &'static str), usize> = BTreeMap::new();
    for ((q, r), query) in queries.iter().zip(results).zip(&qs) {
        let expected: HashSet<&str> = q.expected.iter().map(String::as_str).collect();
        let (hits, error) = match r {
            Ok(h) => (h, None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        };
        let o = Outcome {
            positive: !q.expected.is_empty(),
            category: q.category.clone().unwrap_or_else(|| {
                if q.expected.is_empty() {
                    "negative".into()
                } else {
                    "positive".into()
                }
            }),
            hits: hits
                .iter()
                .map(|h| {
                    (
                        h.entity_id.clone(),
                        h.score,
                        expected.contains(h.entity_id.as_str()),
                    )
                })
                .collect(),
            error,
        };
        let ok = if o.positive {
            o.correct_at(threshold)
        } else {
            !o.hits.first().is_some_and(|t| t.1 >= threshold)
        };
        if !ok && args.failures.is_some() {
            let diagnosis = if o.positive {
                screener.diagnose(query, &q.expected).ok()
            } else {
                None
            };
            let reason = diagnosis
                .as_ref()
                .map(|d| miss_reason(d, threshold, screener.config().weak_alias_factor));
            if let Some(r) = reason {
                *miss_reasons
                    .entry((o.category.clone(), r))
                    .or_insert(0usize) += 1;
            }
            failures.push(serde_json::json!({
                "id": q.id, "category": o.category, "name": q.name, "expected": q.expected,
                "error": o.error,
                "reason": reason,
                "expected_rank": o.expected().map(|(r, _)| r),
                "expected_score": o.expected().map(|(_, s)| s),
                "diagnosis": diagnosis,
                "hits": hits.iter().take(3).map(|h| serde_json::json!({
                    "entity_id": h.entity_id, "score": h.score, "name": h.name,
                    "expected": expected.contains(h.entity_id.as_str()),
                    "aligned": h.explanation.aligned.iter().map(|a| format!("{}={} {} {:.2} w{:.2}", a.query_token, a.list_token, a.how.label(), a.score, a.weight)).collect::<Vec<_>>(),
                    "unmatched_query": h.explanation.unmatched_query.iter().map(|u| u.token.clone()).collect::<Vec<_>>(),
                    "unmatched_list": h.explanation.unmatched_list.iter().map(|u| u.token.clone()).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            }));
        }
        outcomes.push(o);
    }
    if let Some(path) = &args.failures {
        let mut s = String::new();
        for f in &failures {
            s.push_str(&serde_json::to_string(f)?);
            s.push('\n');
        }
        std::fs::write(path, s).with_context(|| format!("writing {}", path.display()))?;
        if !args.json {
            out!(
                "misses by reason (written to {}; see `raqib eval screening --help`):",
                path.display()
            );
            for ((cat, reason), n) in &miss_reasons {
                out!("  {cat:<20} {reason:<24} {n:>5}");
            }
        }
    }

    let report = build_report(
        &args,
        &outcomes,
        threshold,
        cutoff,
        (requested, applied, unmatched),
    );
    if args.json {
        out!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report)?;
    }
    Ok(())
}

/// Reads a settings pack (JSON, missing fields take their defaults).
pub fn read_config(path: &std::path::Path) -> anyhow::Result<Config> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))?;
    let known = serde_json::to_value(Config::default())?;
    if let (Some(obj), Some(known)) = (v.as_object(), known.as_object())
        && let Some(k) = obj.keys().find(|k| !known.contains_key(*k))
    {
        bail!(
            "{}: unknown setting {k:?} (known: {})",
            path.display(),
            known.keys().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    serde_json::from_value(v)
        .with_context(|| format!("{}: not a screening settings object", path.display()))
}

/// Why a positive query missed, from the screener's diagnosis of its expected entities:
/// - `not_loaded`: no expected entity is in the index (all its names were held out);
/// - `outranked_or_adjusted`: a scored name reached the threshold, but the entity was not
///   ranked first as a match (another entity scored higher, or the evidence guard or a
///   qualifier lowered it);
/// - `low_name_score`: no name of the entity reaches the threshold even when scored (a full
///   scan would not find it either: the pairwise matcher's part);
/// - the others are retrieval losses, where a full scan would have matched:
///   `full_scan_would_match` (some names of the entity were scored, not the one that matches),
///   `over_budget` (names share keys with the query but none made the scored candidates:
///   candidate budget or minimum retrieval share), `not_retrieved` (no shared key).
fn miss_reason(d: &screening::Diagnosis, threshold: f64, weak_factor: f64) -> &'static str {
    let names: Vec<&screening::NameDiagnosis> =
        d.entities.iter().flat_map(|e| e.names.iter()).collect();
    if names.is_empty() {
        return "not_loaded";
    }
    let eff = |n: &&screening::NameDiagnosis| {
        if n.weak {
            n.raw_score * weak_factor
        } else {
            n.raw_score
        }
    };
    let best_scored = names
        .iter()
        .filter(|n| n.retrieved)
        .map(eff)
        .fold(None, |a: Option<f64>, s| Some(a.map_or(s, |a| a.max(s))));
    let best_any = names.iter().map(eff).fold(0.0, f64::max);
    if best_scored.is_some_and(|s| s >= threshold) {
        "outranked_or_adjusted"
    } else if best_any < threshold {
        "low_name_score"
    } else if best_scored.is_some() {
        "full_scan_would_match"
    } else if names.iter().any(|n| n.candidate_rank.is_some()) {
        "over_budget"
    } else {
        "not_retrieved"
    }
}

struct Counts {
    tp: usize,
    wrong: usize,
    pos: usize,
    fp_neg: usize,
    neg: usize,
}

fn counts(outcomes: &[Outcome], t: f64) -> Counts {
    let mut c = Counts {
        tp: 0,
        wrong: 0,
        pos: 0,
        fp_neg: 0,
        neg: 0,
    };
    for o in outcomes {
        if o.positive {
            c.pos += 1;
            if o.correct_at(t) {
                c.tp += 1;
            } else if o.best_wrong().is_some_and(|s| s >= t) {
                c.wrong += 1;
            }
        } else {
            c.neg += 1;
            if o.hits.first().is_some_and(|h| h.1 >= t) {
                c.fp_neg += 1;
            }
        }
    }
    c
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        (a as f64 / b as f64 * 10_000.0).round() / 10_000.0
    }
}

fn prf(c: &Counts) -> (f64, f64, f64) {
    let fp = c.wrong + c.fp_neg;
    let p = ratio(c.tp, c.tp + fp);
    let r = ratio(c.tp, c.pos);
    let f = if p + r == 0.0 {
        0.0
    } else {
        ((2.0 * p * r / (p + r)) * 10_000.0).round() / 10_000.0
    };
    (p, r, f)
}

fn build_report(
    args: &Args,
    outcomes: &[Outcome],
    threshold: f64,
    cutoff: f64,
    rem: (usize, usize, usize),
) -> Report {
    let mut by_cat: BTreeMap<&str, Vec<&Outcome>> = BTreeMap::new();
    for o in outcomes {
        by_cat.entry(o.category.as_str()).or_default().push(o);
    }
    let mut categories = Vec::new();
    for (cat, os) in &by_cat {
        let mut r = CategoryReport {
            category: cat.to_string(),
            queries: os.len(),
            ..CategoryReport::default()
        };
        r.errors = os.iter().filter(|o| o.error.is_some()).count();
        let pos: Vec<&&Outcome> = os.iter().filter(|o| o.positive).collect();
        let neg: Vec<&&Outcome> = os.iter().filter(|o| !o.positive).collect();
        if !pos.is_empty() {
            let r1 = pos.iter().filter(|o| o.correct_at(threshold)).count();
            let r5 = pos
                .iter()
                .filter(|o| o.expected().is_some_and(|(r, _)| r <= 5))
                .count();
            let wrong = pos
                .iter()
                .filter(|o| {
                    !o.correct_at(threshold) && o.best_wrong().is_some_and(|s| s >= threshold)
                })
                .count();
            let ranks: Vec<usize> = pos
                .iter()
                .filter_map(|o| o.expected().map(|(r, _)| r))
                .collect();
            r.recall_at_1 = Some(ratio(r1, pos.len()));
            r.recall_at_5 = Some(ratio(r5, pos.len()));
            r.wrong_match_rate = Some(ratio(wrong, pos.len()));
            r.mean_rank = if ranks.is_empty() {
                None
            } else {
                Some(
                    (ranks.iter().sum::<usize>() as f64 / ranks.len() as f64 * 1000.0).round()
                        / 1000.0,
                )
            };
        }
        if !neg.is_empty() {
            let fp = neg
                .iter()
                .filter(|o| o.hits.first().is_some_and(|h| h.1 >= threshold))
                .count();
            r.false_positive_rate = Some(ratio(fp, neg.len()));
        }
        categories.push(r);
    }
    let c = counts(outcomes, threshold);
    let (precision, recall, f1) = prf(&c);
    let mut sweep = Vec::new();
    let mut t = (cutoff * 20.0).ceil() / 20.0;
    while t <= 0.991 {
        let c = counts(outcomes, t);
        let (p, r, f) = prf(&c);
        sweep.push(SweepPoint {
            threshold: (t * 100.0).round() / 100.0,
            recall_at_1: r,
            false_positive_rate: ratio(c.fp_neg, c.neg),
            precision: p,
            f1: f,
        });
        t += 0.025;
    }
    Report {
        queries_file: args.queries.display().to_string(),
        threshold,
        cutoff,
        removals_requested: rem.0,
        removals_applied: rem.1,
        removals_unmatched: rem.2,
        categories,
        positives: c.pos,
        negatives: c.neg,
        precision,
        recall,
        f1,
        false_positive_rate: ratio(c.fp_neg, c.neg),
        sweep,
    }
}

fn opt(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into())
}

fn print_report(r: &Report) -> anyhow::Result<()> {
    out!(
        "screening eval: {} (threshold {:.2}, cutoff {:.2})",
        r.queries_file,
        r.threshold,
        r.cutoff
    );
    out!(
        "held-out names: {} requested, {} list names removed, {} requests matched no list name",
        r.removals_requested,
        r.removals_applied,
        r.removals_unmatched
    );
    out!(
        "{:<20} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9} {:>6}",
        "category",
        "queries",
        "recall@1",
        "recall@5",
        "mean_rank",
        "wrong",
        "fp_rate",
        "errors"
    );
    for c in &r.categories {
        out!(
            "{:<20} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9} {:>6}",
            c.category,
            c.queries,
            opt(c.recall_at_1),
            opt(c.recall_at_5),
            opt(c.mean_rank),
            opt(c.wrong_match_rate),
            opt(c.false_positive_rate),
            c.errors
        );
    }
    out!(
        "overall: {} positives, {} negatives; precision {:.3} recall {:.3} F1 {:.3}; false-positive rate {:.3}",
        r.positives,
        r.negatives,
        r.precision,
        r.recall,
        r.f1,
        r.false_positive_rate
    );
    out!("threshold sweep:");
    out!(
        "{:>9} {:>9} {:>9} {:>9} {:>9}",
        "threshold",
        "recall@1",
        "fp_rate",
        "precision",
        "F1"
    );
    for s in &r.sweep {
        out!(
            "{:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>9.3}",
            s.threshold,
            s.recall_at_1,
            s.false_positive_rate,
            s.precision,
            s.f1
        );
    }
    Ok(())
}
