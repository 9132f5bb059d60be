//! `POST /match/{dataset}`: the request and response shape of OpenSanctions yente's match
//! endpoint (FollowTheMoney query-by-example), so existing yente clients work unchanged.
//!
//! Request: `{"queries": {"<key>": {"schema": "Person", "properties": {"name": [...],
//! "birthDate": [...], "nationality": [...]}}}, "weights": {...}, "config": {...}}`.
//! Response: `{"responses": {"<key>": {"status": 200, "results": [...], "total": {"value", "relation"},
//! "query": {...}}}, "matcher": {...}, "limit": N}`; each result is an FtM-style entity (`id`,
//! `caption`, `schema`, `properties`, `datasets`, `referents`, `target`, `first_seen`,
//! `last_seen`, `last_change`) plus `score`, `match`, `explanations` (feature → `{score,
//! detail, query, candidate}`, current yente) and `features` (feature → score, older yente).
//! raqib adds `hit_id` (for decisions), `screening_id`, `suppressed` and the full
//! `raqib_explanation`; yente clients ignore unknown fields.
//!
//! Query parameters honoured: `limit` (default 5, at most 500), `threshold` (default: the
//! server's match threshold), `cutoff` (lowest score returned; never above `threshold`),
//! `include_dataset`, `exclude_dataset`, `exclude_schema`, `exclude_entity_ids`.
//! Accepted and ignored: `algorithm` (raqib always uses its own matcher; the name used is
//! reported in `matcher`), `topics` (every raqib entity is a sanctions target),
//! `changed_since` (raqib keeps no per-entity change dates). `weights` and `config` in the
//! body are accepted and ignored for the same reason.
//!
//! Properties read from each example: `name`, `alias`, `previousName`, `weakAlias` (each
//! screened, best per entity kept), else `firstName`/`middleName`/`fatherName`/`lastName`
//! joined; `birthDate`; `nationality`, `citizenship`, `country`, `jurisdiction`; `idNumber`,
//! `passportNumber`, `registrationNumber`, `imoNumber`, `taxNumber`, `innCode`.

use super::common::{Suppression, outcome, payload, persist, run_queries, subject_key};
use crate::auth::Auth;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, QueryPairs};
use crate::{AppState, MAX_MATCH_BATCH};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use store::Role;
use utoipa::ToSchema;
use watchlist::{Entity, NameKind, Quality, Schema, SourceKind};

/// yente's default and maximum page sizes.
const DEFAULT_LIMIT: usize = 5;
const MAX_LIMIT: usize = 500;
/// Most names screened per example (FtM examples can carry many aliases).
const MAX_NAMES: usize = 20;

/// A FollowTheMoney entity example.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityExample {
    #[serde(default)]
    pub id: Option<String>,
    #[schema(example = "Person")]
    pub schema: String,
    /// Property name → value or list of values.
    #[schema(value_type = Object)]
    pub properties: serde_json::Map<String, serde_json::Value>,
}

/// Body of `POST /match/{dataset}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityMatchQuery {
    /// Accepted for compatibility; not used.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub weights: serde_json::Value,
    /// Accepted for compatibility; not used.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub config: serde_json::Value,
    /// Key (chosen by the client) → example.
    #[schema(value_type = Object)]
    pub queries: BTreeMap<String, Option<EntityExample>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TotalSpec {
    pub value: usize,
    pub relation: String,
}

/// One feature's contribution, as in yente's `FeatureResult`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FeatureResult {
    pub score: f64,
    pub detail: Option<String>,
    pub query: Option<String>,
    pub candidate: Option<String>,
}

/// A scored FtM entity.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScoredEntity {
    pub id: String,
    pub caption: String,
    pub schema: String,
    #[schema(value_type = Object)]
    pub properties: BTreeMap<String, Vec<String>>,
    pub datasets: Vec<String>,
    pub referents: Vec<String>,
    pub target: bool,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub last_change: Option<String>,
    pub score: f64,
    #[serde(rename = "match")]
    pub is_match: bool,
    pub explanations: BTreeMap<String, FeatureResult>,
    pub features: BTreeMap<String, f64>,
    /// raqib: the hit id, for `POST /v1/hits/{id}/decision`.
    pub hit_id: String,
    /// raqib: set when a false-positive decision suppresses this hit.
    pub suppressed: Option<Suppression>,
    /// raqib: the full explanation (aligned tokens, unmatched tokens, qualifiers).
    #[schema(value_type = Object)]
    pub raqib_explanation: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityMatches {
    pub status: u16,
    pub results: Vec<ScoredEntity>,
    pub total: TotalSpec,
    pub query: EntityExample,
    /// raqib: the stored screening behind this response.
    pub screening_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FeatureDoc {
    pub description: String,
    pub coefficient: f64,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityMatchResponse {
    pub responses: BTreeMap<String, EntityMatches>,
    pub matcher: BTreeMap<String, FeatureDoc>,
    pub limit: usize,
}

/// The yente dataset name of each raqib source, used in `datasets` and accepted in the path
/// and in `include_dataset`/`exclude_dataset` (raqib's own source names work too).
pub fn dataset_name(s: SourceKind) -> &'static str {
    match s {
        SourceKind::Un => "un_sc_sanctions",
        SourceKind::OfacSdn => "us_ofac_sdn",
        SourceKind::OfacConsolidated => "us_ofac_cons",
        SourceKind::Eu => "eu_fsf",
        SourceKind::Uk => "gb_hmt_sanctions",
        SourceKind::FollowTheMoney => "ftm",
        SourceKind::Senzing => "senzing",
    }
}

const ALL_SOURCES: [SourceKind; 7] = [
    SourceKind::Un,
    SourceKind::OfacSdn,
    SourceKind::OfacConsolidated,
    SourceKind::Eu,
    SourceKind::Uk,
    SourceKind::FollowTheMoney,
    SourceKind::Senzing,
];

/// Sources named by a dataset (a collection such as `default`, or one list).
fn dataset_sources(name: &str) -> Option<Vec<SourceKind>> {
    let n = name.trim().to_ascii_lowercase();
    if matches!(n.as_str(), "default" | "sanctions" | "all" | "raqib") {
        return Some(ALL_SOURCES.to_vec());
    }
    let one = ALL_SOURCES.iter().copied().find(|s| {
        s.as_str() == n
            || dataset_name(*s) == n
            || (n == "gb_fcdo_sanctions" && *s == SourceKind::Uk)
    })?;
    Some(vec![one])
}

fn values(props: &serde_json::Map<String, serde_json::Value>, key: &str) -> Vec<String> {
    match props.get(key) {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|v| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        Some(serde_json::Value::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

fn first(props: &serde_json::Map<String, serde_json::Value>, keys: &[&str]) -> Option<String> {
    keys.iter().flat_map(|k| values(props, k)).next()
}

/// The schema filter of an FtM schema name: `None` for the generic ones (`Thing`,
/// `LegalEntity`), which match any schema.
fn ftm_schema(s: &str) -> Result<Option<Schema>, String> {
    match s.trim() {
        "Thing" | "LegalEntity" | "" => Ok(None),
        other => Schema::parse(other)
            .map(Some)
            .ok_or_else(|| format!("unknown or unsupported schema {other:?}")),
    }
}

struct ParsedExample {
    schema: Option<Schema>,
    names: Vec<String>,
    birth_date: Option<String>,
    country: Option<String>,
    document: Option<String>,
}

fn parse_example(ex: &EntityExample) -> Result<ParsedExample, String> {
    let schema = ftm_schema(&ex.schema)?;
    let p = &ex.properties;
    let mut names: Vec<String> = Vec::new();
    for k in ["name", "alias", "previousName", "weakAlias"] {
        for n in values(p, k) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    if names.is_empty() {
        let parts: Vec<String> = [
            "firstName",
            "secondName",
            "middleName",
            "fatherName",
            "lastName",
        ]
        .iter()
        .filter_map(|k| values(p, k).into_iter().next())
        .collect();
        if !parts.is_empty() {
            names.push(parts.join(" "));
        }
    }
    if names.is_empty() {
        return Err(
            "the example has no name (properties name, alias or firstName/lastName)".into(),
        );
    }
    names.truncate(MAX_NAMES);
    Ok(ParsedExample {
        schema,
        names,
        birth_date: first(p, &["birthDate"]),
        country: first(
            p,
            &["nationality", "citizenship", "country", "jurisdiction"],
        ),
        document: first(
            p,
            &[
                "idNumber",
                "passportNumber",
                "registrationNumber",
                "imoNumber",
                "taxNumber",
                "innCode",
            ],
        ),
    })
}

struct Params {
    limit: usize,
    threshold: f64,
    cutoff: f64,
    include: Vec<String>,
    exclude: Vec<String>,
    exclude_schema: Vec<Schema>,
    exclude_ids: HashSet<String>,
}

fn params(q: &QueryPairs, default_threshold: f64, default_cutoff: f64) -> Result<Params, ApiError> {
    let limit = q.usize("limit")?.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError::invalid(
            "limit",
            format!("{limit} is not between 1 and {MAX_LIMIT}"),
        ));
    }
    let threshold = q.f64("threshold")?.unwrap_or(default_threshold);
    if !(0.0..=1.0).contains(&threshold) {
        return Err(ApiError::invalid(
            "threshold",
            format!("{threshold} is not between 0 and 1"),
        ));
    }
    let cutoff = q.f64("cutoff")?.unwrap_or(default_cutoff);
    if !(0.0..=1.0).contains(&cutoff) {
        return Err(ApiError::invalid(
            "cutoff",
            format!("{cutoff} is not between 0 and 1"),
        ));
    }
    let mut exclude_schema = Vec::new();
    for s in q.all("exclude_schema") {
        match ftm_schema(&s) {
            Ok(Some(x)) => exclude_schema.push(x),
            Ok(None) => {}
            Err(e) => return Err(ApiError::invalid("exclude_schema", e)),
        }
    }
    Ok(Params {
        limit,
        threshold,
        cutoff: cutoff.min(threshold),
        include: q.all("include_dataset"),
        exclude: q.all("exclude_dataset"),
        exclude_schema,
        exclude_ids: q.all("exclude_entity_ids").into_iter().collect(),
    })
}

fn in_datasets(s: SourceKind, names: &[String]) -> bool {
    names
        .iter()
        .any(|n| dataset_sources(n).is_some_and(|v| v.len() == 1 && v[0] == s))
}

/// FtM properties of a list entity.
fn ftm_properties(e: &Entity) -> BTreeMap<String, Vec<String>> {
    let mut p: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut push = |k: &str, v: String| {
        let list = p.entry(k.to_string()).or_default();
        if !v.is_empty() && !list.contains(&v) {
            list.push(v);
        }
    };
    let caption = e.caption().to_string();
    push("name", caption.clone());
    for n in &e.names {
        if n.value == caption {
            continue;
        }
        let key = match (n.kind, n.quality) {
            (NameKind::FormerlyKnownAs, _) => "previousName",
            (_, Quality::Weak) => "weakAlias",
            _ => "alias",
        };
        push(key, n.value.clone());
    }
    for d in &e.birth_dates {
        if d.from == d.to {
            push("birthDate", d.from.to_string());
        } else {
            push("birthDate", d.from.to_string());
            push("birthDate", d.to.to_string());
        }
    }
    for b in &e.birth_places {
        push("birthPlace", b.clone());
    }
    for c in &e.countries {
        let key = match c.relation {
            watchlist::CountryRelation::Nationality => "nationality",
            watchlist::CountryRelation::Citizenship => "citizenship",
            watchlist::CountryRelation::Jurisdiction => "jurisdiction",
            _ => "country",
        };
        push(key, c.code.to_lowercase());
    }
    for d in &e.documents {
        let k = d.kind.to_lowercase();
        let key = if k.contains("passport") {
            "passportNumber"
        } else if k.contains("imo") {
            "imoNumber"
        } else if k.contains("registration") {
            "registrationNumber"
        } else {
            "idNumber"
        };
        push(key, d.number.clone());
    }
    for a in &e.addresses {
        push("address", a.full.clone());
    }
    for prog in &e.programs {
        push("program", prog.clone());
    }
    if let Some(g) = e.gender {
        push(
            "gender",
            match g {
                watchlist::Gender::Male => "male".into(),
                watchlist::Gender::Female => "female".into(),
            },
        );
    }
    if let Some(r) = &e.remarks {
        push("notes", r.clone());
    }
    if let Some(d) = e.listed_on {
        push("createdAt", d.to_string());
    }
    push("topics", "sanction".into());
    p.retain(|_, v| !v.is_empty());
    p
}

/// yente-style features from a raqib explanation: `name_match` carries the name score and
/// the token alignment; each qualifier becomes a feature with its signed effect.
fn features(
    query_name: &str,
    ex: &screening::Explanation,
) -> (BTreeMap<String, FeatureResult>, BTreeMap<String, f64>) {
    let mut expl = BTreeMap::new();
    let mut feats = BTreeMap::new();
    // Read the alignment through its JSON form: robust to the matcher adding fields.
    let v = serde_json::to_value(ex).unwrap_or_default();
    let text = |x: &serde_json::Value, keys: &[&str]| -> String {
        match x {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Object(o) => keys
                .iter()
                .find_map(|k| o.get(*k).and_then(|t| t.as_str()).map(String::from))
                .unwrap_or_default(),
            other => other.to_string(),
        }
    };
    let arr = |k: &str| {
        v.get(k)
            .and_then(|a| a.as_array())
            .cloned()
            .unwrap_or_default()
    };
    let aligned: Vec<String> = arr("aligned")
        .iter()
        .map(|a| {
            let score = a
                .get("score")
                .or_else(|| a.get("similarity"))
                .and_then(|s| s.as_f64())
                .unwrap_or(0.0);
            format!(
                "{}≈{} ({}, {score:.2})",
                text(a, &["query_token", "query"]),
                text(a, &["list_token", "list"]),
                text(a, &["how"]),
            )
        })
        .collect();
    let unmatched = |k: &str| -> Vec<String> {
        arr(k)
            .iter()
            .map(|u| text(u, &["token", "text", "value"]))
            .filter(|t| !t.is_empty())
            .collect()
    };
    let (uq, ul) = (unmatched("unmatched_query"), unmatched("unmatched_list"));
    let mut detail = format!(
        "aligned: {}",
        if aligned.is_empty() {
            "-".into()
        } else {
            aligned.join(", ")
        }
    );
    if !uq.is_empty() {
        detail.push_str(&format!("; unmatched in query: {}", uq.join(" ")));
    }
    if !ul.is_empty() {
        detail.push_str(&format!("; unmatched in list name: {}", ul.join(" ")));
    }
    expl.insert(
        "name_match".to_string(),
        FeatureResult {
            score: ex.name_score,
            detail: Some(detail),
            query: Some(query_name.to_string()),
            candidate: Some(ex.matched_name.clone()),
        },
    );
    feats.insert("name_match".to_string(), ex.name_score);
    for a in &ex.adjustments {
        let factor = serde_json::to_value(a.factor)
            .ok()
            .and_then(|v| v.as_str().map(String::from));
        let outcome = serde_json::to_value(a.outcome)
            .ok()
            .and_then(|v| v.as_str().map(String::from));
        let key = format!(
            "{}_{}",
            factor.unwrap_or_default(),
            outcome.unwrap_or_default()
        );
        feats.insert(key.clone(), a.effect);
        expl.insert(
            key,
            FeatureResult {
                score: a.effect,
                detail: Some(a.detail.clone()),
                query: None,
                candidate: None,
            },
        );
    }
    (expl, feats)
}

fn matcher_docs() -> BTreeMap<String, FeatureDoc> {
    let doc = |d: &str, c: f64| FeatureDoc {
        description: d.to_string(),
        coefficient: c,
        url: None,
    };
    BTreeMap::from([
        (
            "name_match".into(),
            doc(
                "raqib cross-script name alignment (exact, transliteration, phonetic, fuzzy, initial, legal form), token rarity weighted",
                1.0,
            ),
        ),
        (
            "birth_date_match".into(),
            doc("Birth date agrees with the list (bonus)", 1.0),
        ),
        (
            "birth_date_mismatch".into(),
            doc("Birth date disagrees with the list (penalty)", 1.0),
        ),
        (
            "country_match".into(),
            doc(
                "Country agrees with a nationality/citizenship/residence (bonus)",
                1.0,
            ),
        ),
        (
            "country_mismatch".into(),
            doc("Country disagrees (penalty)", 1.0),
        ),
        (
            "document_match".into(),
            doc("Identity document number matches (bonus)", 1.0),
        ),
        (
            "name_quality_weak".into(),
            doc(
                "The matching name is a weak/low-quality alias (discount)",
                1.0,
            ),
        ),
    ])
}

/// Query-by-example matching, compatible with OpenSanctions yente.
#[utoipa::path(
    post,
    path = "/match/{dataset}",
    tag = "yente",
    params(
        ("dataset" = String, Path, description = "`default` (all lists) or one list: `un_sc_sanctions`, `us_ofac_sdn`, `us_ofac_cons`, `eu_fsf`, `gb_hmt_sanctions` (or raqib's names `un`, `ofac_sdn`, …)"),
        ("limit" = Option<usize>, Query, description = "Results per query (default 5, max 500)"),
        ("threshold" = Option<f64>, Query, description = "Score at or above which `match` is true"),
        ("cutoff" = Option<f64>, Query, description = "Lowest score returned (capped at threshold)"),
        ("exclude_entity_ids" = Option<Vec<String>>, Query, description = "Entity ids to leave out"),
        ("include_dataset" = Option<Vec<String>>, Query, description = "Only these lists"),
        ("exclude_dataset" = Option<Vec<String>>, Query, description = "Not these lists"),
        ("exclude_schema" = Option<Vec<String>>, Query, description = "Not these schemas"),
    ),
    request_body = EntityMatchQuery,
    responses(
        (status = 200, body = EntityMatchResponse),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, description = "Unknown dataset", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn match_entities(
    State(state): State<AppState>,
    auth: Auth,
    Path(dataset): Path<String>,
    qp: QueryPairs,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<(HeaderMap, Json<EntityMatchResponse>), ApiError> {
    let who = auth.require(Role::Screener)?.clone();
    let Some(sources) = dataset_sources(&dataset) else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "dataset_not_found",
            format!("dataset {dataset:?} not found"),
        ));
    };
    let raw = serde_json::to_vec(&body).map_err(ApiError::internal)?;
    let req: EntityMatchQuery = crate::extract::parse_json(&raw)?;
    let live = state.lists();
    let cfg = live.screener.config();
    let p = params(&qp, cfg.threshold, cfg.cutoff)?;
    let examples: Vec<(String, EntityExample)> = req
        .queries
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
    if examples.is_empty() {
        return Err(ApiError::invalid("queries", "No queries provided."));
    }
    if examples.len() > MAX_MATCH_BATCH {
        return Err(ApiError::invalid(
            "queries",
            format!("Too many queries in one batch (limit: {MAX_MATCH_BATCH})"),
        ));
    }
    // Every name of every example becomes one matcher query; we ask for more candidates than
    // `limit` because filters (datasets, schemas, excluded ids) apply afterwards.
    let fetch = (p.limit * 4).clamp(20, MAX_LIMIT);
    let mut parsed = Vec::with_capacity(examples.len());
    let mut queries = Vec::new();
    for (key, ex) in &examples {
        let px = parse_example(ex).map_err(|e| {
            ApiError::invalid(
                format!("queries.{key}"),
                format!("Cannot parse example entity: {e}"),
            )
        })?;
        for n in &px.names {
            queries.push(screening::Query {
                name: n.clone(),
                schema: px.schema,
                birth_date: px.birth_date.clone(),
                country: px.country.clone(),
                document: px.document.clone(),
                threshold: Some(p.threshold),
                limit: Some(fetch),
            });
        }
        parsed.push(px);
    }
    let mut ran = run_queries(live.clone(), queries).await?.into_iter();
    let mut outcomes = Vec::with_capacity(examples.len());
    for ((key, ex), px) in examples.iter().zip(&parsed) {
        // Best hit per entity across the example's names.
        let mut best: HashMap<String, (screening::Hit, String)> = HashMap::new();
        let mut any_ok = false;
        let mut last_err = None;
        for n in &px.names {
            match ran.next() {
                Some(Ok(hits)) => {
                    any_ok = true;
                    for h in hits {
                        let better = best
                            .get(&h.entity_id)
                            .is_none_or(|(b, _)| h.score > b.score);
                        if better {
                            best.insert(h.entity_id.clone(), (h, n.clone()));
                        }
                    }
                }
                Some(Err(e)) => last_err = Some(e),
                None => return Err(ApiError::internal("match result missing")),
            }
        }
        if !any_ok && let Some(e) = last_err {
            return Err(ApiError::from(e).in_item(&format!("queries.{key}.properties")));
        }
        let mut hits: Vec<(screening::Hit, String)> = best
            .into_values()
            .filter(|(h, _)| h.score >= p.cutoff)
            .filter(|(h, _)| sources.contains(&h.source))
            .filter(|(h, _)| p.include.is_empty() || in_datasets(h.source, &p.include))
            .filter(|(h, _)| !in_datasets(h.source, &p.exclude))
            .filter(|(h, _)| !p.exclude_schema.contains(&h.schema))
            .filter(|(h, _)| !p.exclude_ids.contains(&h.entity_id))
            .collect();
        hits.sort_by(|a, b| {
            b.0.score
                .total_cmp(&a.0.score)
                .then_with(|| a.0.entity_id.cmp(&b.0.entity_id))
        });
        let total = hits.len();
        hits.truncate(p.limit);
        let names_by_hit: Vec<String> = hits.iter().map(|(_, n)| n.clone()).collect();
        let mut plain: Vec<screening::Hit> = hits.into_iter().map(|(h, _)| h).collect();
        for h in &mut plain {
            h.is_match = h.score >= p.threshold;
        }
        let subject_q = screening::Query {
            name: px.names.join(" | "),
            schema: px.schema,
            birth_date: px.birth_date.clone(),
            country: px.country.clone(),
            document: px.document.clone(),
            threshold: None,
            limit: None,
        };
        let reference = ex.id.clone().or_else(|| Some(key.clone()));
        let skey = subject_key(reference.as_deref(), &subject_q);
        let request =
            serde_json::json!({"dataset": dataset, "key": key, "example": ex, "params": qp.0});
        let o = outcome(&state, &who, reference, skey, plain).await?;
        outcomes.push((key.clone(), ex.clone(), o, names_by_hit, total, request));
    }
    let mut responses = BTreeMap::new();
    let mut stored = Vec::with_capacity(outcomes.len());
    for (key, ex, o, names, total, request) in &outcomes {
        let results = o
            .hits
            .iter()
            .zip(names)
            .map(|(h, qname)| {
                let (explanations, feats) = features(qname, &h.hit.explanation);
                let entity = live.screener.entity(&h.hit.entity_id);
                ScoredEntity {
                    id: h.hit.entity_id.clone(),
                    caption: h.hit.caption.clone(),
                    schema: h.hit.schema.as_str().to_string(),
                    properties: entity.map(ftm_properties).unwrap_or_default(),
                    datasets: vec![dataset_name(h.hit.source).to_string()],
                    referents: Vec::new(),
                    target: true,
                    first_seen: None,
                    last_seen: None,
                    last_change: None,
                    score: h.hit.score,
                    is_match: h.hit.is_match,
                    explanations,
                    features: feats,
                    hit_id: h.hit_id.clone(),
                    suppressed: h.suppressed.clone(),
                    raqib_explanation: serde_json::to_value(&h.hit.explanation).unwrap_or_default(),
                }
            })
            .collect();
        let mut props = serde_json::Map::new();
        for (k, v) in &ex.properties {
            let list = match v {
                serde_json::Value::Array(_) => v.clone(),
                other => serde_json::Value::Array(vec![other.clone()]),
            };
            props.insert(k.clone(), list);
        }
        let m = EntityMatches {
            status: 200,
            results,
            total: TotalSpec {
                value: *total,
                relation: "eq".into(),
            },
            query: EntityExample {
                id: ex.id.clone(),
                schema: ex.schema.clone(),
                properties: props,
            },
            screening_id: o.screening_id.clone(),
        };
        let request = serde_json::to_vec(request).map_err(ApiError::internal)?;
        let results = serde_json::to_vec(&m).map_err(ApiError::internal)?;
        stored.push((o, payload(&request, &results)?));
        responses.insert(key.clone(), m);
    }
    let config = serde_json::json!({"matcher": live.config_json, "limit": p.limit, "threshold": p.threshold, "cutoff": p.cutoff});
    let context = std::sync::Arc::new(store::ScreeningContext::new(
        live.context.lists.clone(),
        config,
    ));
    persist(&state, &who, &format!("match/{dataset}"), context, stored).await?;
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&responses.len().to_string()) {
        headers.insert("x-batch-size", v);
    }
    Ok((
        headers,
        Json(EntityMatchResponse {
            responses,
            matcher: matcher_docs(),
            limit: p.limit,
        }),
    ))
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn datasets_accept_yente_and_raqib_names() {
        assert_eq!(dataset_sources("default").map(|v| v.len()), Some(7));
        assert_eq!(
            dataset_sources("us_ofac_sdn"),
            Some(vec![SourceKind::OfacSdn])
        );
        assert_eq!(dataset_sources("ofac_sdn"), Some(vec![SourceKind::OfacSdn]));
        assert_eq!(
            dataset_sources("un_sc_sanctions"),
            Some(vec![SourceKind::Un])
        );
        assert_eq!(dataset_sources("nope"), None);
    }

    #[test]
    fn examples_read_names_dates_countries_and_documents() {
        let ex: EntityExample = serde_json::from_value(serde_json::json!({
            "schema": "Person",
            "properties": {"firstName": ["Abu Bakr"], "lastName": "al-Baghdadi",
                           "birthDate": ["1971"], "nationality": ["iq"], "passportNumber": "A123"}
        }))
        .expect("valid example");
        let p = parse_example(&ex).expect("parses");
        assert_eq!(p.names, vec!["Abu Bakr al-Baghdadi"]);
        assert_eq!(p.birth_date.as_deref(), Some("1971"));
        assert_eq!(p.country.as_deref(), Some("iq"));
        assert_eq!(p.document.as_deref(), Some("A123"));
        assert_eq!(p.schema, Some(Schema::Person));
        let no_name: EntityExample =
            serde_json::from_value(serde_json::json!({"schema": "Person", "properties": {}}))
                .expect("valid");
        assert!(parse_example(&no_name).is_err());
        assert!(ftm_schema("Spaceship").is_err());
        assert_eq!(ftm_schema("LegalEntity"), Ok(None));
    }
}
