//! `POST /v1/screen`: one query, or `{"queries": [...]}` for a batch. Same fields as the CLI
//! (`name`, `schema`, `birth_date`, `country`, plus `document`, `threshold`, `limit`) and the
//! member's own `reference` for the screened customer or payment.

use super::common::{Suppression, outcome, payload, persist, run_queries, subject_key};
use crate::auth::Auth;
use crate::error::{ApiError, ErrorBody};
use crate::extract::RawJson;
use crate::{AppState, MAX_SCREEN_BATCH};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use store::Role;
use utoipa::ToSchema;

/// Largest `limit` a query may ask for.
pub const MAX_LIMIT: usize = 100;
/// Longest accepted `reference`.
const MAX_REFERENCE: usize = 200;

/// One subject to screen.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreenQuery {
    /// The name as you have it, in any script.
    #[schema(example = "Abu Bakr al-Baghdadi")]
    pub name: String,
    /// `Person`, `Organization`, `Vessel` or `Aircraft` (also FollowTheMoney and list
    /// spellings: `Individual`, `Company`, `LegalEntity`…). Omit when unknown.
    #[serde(default)]
    #[schema(example = "Person")]
    pub schema: Option<String>,
    /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `DD/MM/YYYY`.
    #[serde(default)]
    #[schema(example = "1971")]
    pub birth_date: Option<String>,
    /// ISO 3166 alpha-2 code or a country name.
    #[serde(default)]
    #[schema(example = "IQ")]
    pub country: Option<String>,
    /// An identity document number (passport, national id, IMO…).
    #[serde(default)]
    pub document: Option<String>,
    /// Your own id for the screened subject (customer number, payment id). Stored and
    /// returned; part of the subject a false-positive decision applies to.
    #[serde(default)]
    #[schema(example = "customer-0042")]
    pub reference: Option<String>,
    /// Match threshold for this query (0..1); default is the server's.
    #[serde(default)]
    pub threshold: Option<f64>,
    /// Most hits to return (1..=100).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// A batch of queries.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreenBatch {
    /// 1 to 1,000 queries.
    pub queries: Vec<ScreenQuery>,
}

/// Request body of `POST /v1/screen`: one query or a batch.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ScreenRequest {
    Batch(ScreenBatch),
    Single(ScreenQuery),
}

/// One hit, best first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MatchItem {
    /// Id of this hit, for `POST /v1/hits/{id}/decision`.
    pub hit_id: String,
    #[schema(example = "un:QDi.299")]
    pub entity_id: String,
    pub score: f64,
    /// `score >= threshold`.
    #[serde(rename = "match")]
    pub is_match: bool,
    /// The list name that matched.
    pub name: String,
    pub schema: String,
    /// The entity's primary name.
    pub caption: String,
    pub source: String,
    /// Why the score is what it is: aligned tokens and how they matched, unmatched tokens,
    /// qualifiers applied with their effect.
    #[schema(value_type = Object)]
    pub explanation: serde_json::Value,
    /// Set when a false-positive decision on this subject and entity suppresses the hit. The
    /// hit is still shown, with the decision that suppressed it.
    pub suppressed: Option<Suppression>,
}

/// The answer for one query.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScreenResult {
    /// Id of the stored screening (`GET /v1/screenings/{id}`).
    pub screening_id: String,
    pub reference: Option<String>,
    /// The query as understood (schema normalised).
    #[schema(value_type = Object)]
    pub query: serde_json::Value,
    pub matches: Vec<MatchItem>,
    /// Number of hits with `match: true` that are not suppressed.
    pub open_matches: usize,
    /// The lists version the answer was computed on (`GET /v1/lists`).
    pub lists_version: String,
    pub screened_at: DateTime<Utc>,
}

/// One item of a batch answer: `status` 200 with the result, or 400 with the error.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BatchItem {
    pub index: usize,
    pub status: u16,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub result: Option<ScreenResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// Answer to a batch.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BatchResponse {
    pub results: Vec<BatchItem>,
    pub lists_version: String,
}

/// Validates one query and turns it into the matcher's query.
fn prepare(q: &ScreenQuery) -> Result<screening::Query, ApiError> {
    let schema = match q.schema.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(watchlist::Schema::parse(s).ok_or_else(|| {
            ApiError::invalid(
                "schema",
                format!("unknown schema {s:?}; expected Person, Organization, Vessel or Aircraft"),
            )
        })?),
    };
    if let Some(t) = q.threshold
        && !(0.0..=1.0).contains(&t)
    {
        return Err(ApiError::invalid(
            "threshold",
            format!("{t} is not between 0 and 1"),
        ));
    }
    if let Some(l) = q.limit
        && (l == 0 || l > MAX_LIMIT)
    {
        return Err(ApiError::invalid(
            "limit",
            format!("{l} is not between 1 and {MAX_LIMIT}"),
        ));
    }
    if let Some(r) = &q.reference
        && r.chars().count() > MAX_REFERENCE
    {
        return Err(ApiError::invalid(
            "reference",
            format!("longer than {MAX_REFERENCE} characters"),
        ));
    }
    let opt = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    Ok(screening::Query {
        name: q.name.clone(),
        schema,
        birth_date: opt(&q.birth_date),
        country: opt(&q.country),
        document: opt(&q.document),
        threshold: q.threshold,
        limit: q.limit,
    })
}

/// Screen names against the watchlists.
///
/// Every screening is stored (request, results, list versions, matcher settings) before the
/// answer is sent. Hits decided false positive for the same subject and entity are returned
/// with `suppressed` set, never dropped.
#[utoipa::path(
    post,
    path = "/v1/screen",
    tag = "screening",
    request_body = ScreenRequest,
    responses(
        (status = 200, description = "One result (single query) or `results` per query (batch)", body = ScreenResult),
        (status = 400, description = "Invalid JSON or field", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 413, description = "Body over the limit (default 1 MiB)", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn screen(
    State(state): State<AppState>,
    auth: Auth,
    RawJson(body): RawJson,
) -> Result<Response, ApiError> {
    let who = auth.require(Role::Screener)?;
    let live = state.lists();
    // The common case, one query, is parsed once straight from the body. A body that is not
    // a single query is a batch if it has `queries`; otherwise the single-query error stands.
    let q: ScreenQuery = match crate::extract::parse_json(&body) {
        Ok(q) => q,
        Err(e) => {
            if serde_json::from_slice::<BatchProbe>(&body).is_ok_and(|p| p.queries) {
                return screen_batch(&state, who, &live, &body).await;
            }
            return Err(e);
        }
    };
    let mq = prepare(&q)?;
    let hits = run_queries(live.clone(), vec![mq.clone()])
        .await?
        .pop()
        .ok_or_else(|| ApiError::internal("no result for the query"))??;
    let key = subject_key(q.reference.as_deref(), &mq);
    let o = outcome(&state, who, q.reference.clone(), key, hits).await?;
    // Serialised once: these bytes are both what is stored and what is sent.
    let answer = serde_json::to_vec(&result_view(&live, &mq, &o)).map_err(ApiError::internal)?;
    persist(
        &state,
        who,
        "v1/screen",
        live.context.clone(),
        vec![(&o, payload(&body, &answer)?)],
    )
    .await?;
    Ok(json_response(answer))
}

/// Tells a batch (`{"queries": …}`) from a single query without building anything.
#[derive(Deserialize)]
struct BatchProbe {
    #[serde(default, deserialize_with = "present")]
    queries: bool,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    serde::de::IgnoredAny::deserialize(d).map(|_| true)
}

/// The batch items as received, stored with each item's screening.
#[derive(Deserialize)]
struct RawBatch {
    queries: Vec<serde_json::Value>,
}

async fn screen_batch(
    state: &AppState,
    who: &store::Principal,
    live: &std::sync::Arc<crate::LiveLists>,
    body: &[u8],
) -> Result<Response, ApiError> {
    let batch: ScreenBatch = crate::extract::parse_json(body)?;
    if batch.queries.is_empty() {
        return Err(ApiError::invalid("queries", "the batch is empty"));
    }
    if batch.queries.len() > MAX_SCREEN_BATCH {
        return Err(ApiError::invalid(
            "queries",
            format!(
                "{} queries; at most {MAX_SCREEN_BATCH} per request",
                batch.queries.len()
            ),
        ));
    }
    let raw_items = serde_json::from_slice::<RawBatch>(body)
        .map(|b| b.queries)
        .unwrap_or_default();
    let prepared: Vec<Result<screening::Query, ApiError>> =
        batch.queries.iter().map(prepare).collect();
    let to_run: Vec<screening::Query> = prepared
        .iter()
        .filter_map(|p| p.as_ref().ok().cloned())
        .collect();
    let mut ran = run_queries(live.clone(), to_run).await?.into_iter();
    let mut outcomes = Vec::with_capacity(batch.queries.len());
    for (i, p) in prepared.into_iter().enumerate() {
        let prefix = format!("queries[{i}]");
        let r = match p {
            Err(e) => Err(e.in_item(&prefix)),
            Ok(mq) => match ran.next() {
                Some(Ok(hits)) => Ok((mq, hits)),
                Some(Err(e)) => Err(ApiError::from(e).in_item(&prefix)),
                None => Err(ApiError::internal("batch result missing")),
            },
        };
        outcomes.push(r);
    }
    // Mark suppressions and serialise each answer once; then store all items in one go.
    let mut built = Vec::with_capacity(outcomes.len());
    for (i, r) in outcomes.into_iter().enumerate() {
        match r {
            Err(e) => built.push(Err(e)),
            Ok((mq, hits)) => {
                let q = &batch.queries[i];
                let key = subject_key(q.reference.as_deref(), &mq);
                let o = outcome(state, who, q.reference.clone(), key, hits).await?;
                let answer =
                    serde_json::to_vec(&result_view(live, &mq, &o)).map_err(ApiError::internal)?;
                let request = match raw_items.get(i) {
                    Some(v) => serde_json::to_vec(v).map_err(ApiError::internal)?,
                    None => b"null".to_vec(),
                };
                let stored = payload(&request, &answer)?;
                built.push(Ok((o, answer, stored)));
            }
        }
    }
    let mut out = Vec::with_capacity(
        64 + built
            .iter()
            .flatten()
            .map(|b| b.1.len() + 32)
            .sum::<usize>(),
    );
    out.extend_from_slice(b"{\"results\":[");
    let mut stored_outcomes = Vec::new();
    let mut payloads = Vec::new();
    for (index, b) in built.into_iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        match b {
            Ok((o, answer, stored)) => {
                // `{"index":i,"status":200,<the fields of the answer>}`: the answer's bytes are
                // spliced in rather than re-serialised (it is a non-empty JSON object).
                out.extend_from_slice(format!("{{\"index\":{index},\"status\":200,").as_bytes());
                out.extend_from_slice(answer.get(1..).unwrap_or_default());
                stored_outcomes.push(o);
                payloads.push(stored);
            }
            Err(e) => {
                let item = BatchItem {
                    index,
                    status: e.status.as_u16(),
                    result: None,
                    error: Some(e.body()),
                };
                serde_json::to_writer(&mut out, &item).map_err(ApiError::internal)?;
            }
        }
    }
    out.extend_from_slice(b"],\"lists_version\":");
    serde_json::to_writer(&mut out, &live.version).map_err(ApiError::internal)?;
    out.push(b'}');
    persist(
        state,
        who,
        "v1/screen",
        live.context.clone(),
        stored_outcomes.iter().zip(payloads).collect(),
    )
    .await?;
    Ok(json_response(out))
}

/// A JSON response from bytes already serialised.
fn json_response(bytes: Vec<u8>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response()
}

/// [`ScreenResult`] borrowed from the outcome: same fields, same names, serialised straight
/// to bytes (no `serde_json::Value` tree, no copies of the explanations).
#[derive(Serialize)]
struct ResultView<'a> {
    screening_id: &'a str,
    reference: Option<&'a str>,
    query: QueryView<'a>,
    matches: Vec<MatchView<'a>>,
    open_matches: usize,
    lists_version: &'a str,
    screened_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct QueryView<'a> {
    name: &'a str,
    schema: Option<&'static str>,
    birth_date: Option<&'a str>,
    country: Option<&'a str>,
    document: Option<&'a str>,
    threshold: f64,
    limit: usize,
}

/// [`MatchItem`], borrowed.
#[derive(Serialize)]
struct MatchView<'a> {
    hit_id: &'a str,
    entity_id: &'a str,
    score: f64,
    #[serde(rename = "match")]
    is_match: bool,
    name: &'a str,
    schema: &'static str,
    caption: &'a str,
    source: &'static str,
    explanation: &'a screening::Explanation,
    suppressed: Option<&'a Suppression>,
}

fn result_view<'a>(
    live: &'a crate::LiveLists,
    mq: &'a screening::Query,
    o: &'a super::common::Outcome,
) -> ResultView<'a> {
    let matches: Vec<MatchView<'a>> = o
        .hits
        .iter()
        .map(|h| MatchView {
            hit_id: &h.hit_id,
            entity_id: &h.hit.entity_id,
            score: h.hit.score,
            is_match: h.hit.is_match,
            name: &h.hit.name,
            schema: h.hit.schema.as_str(),
            caption: &h.hit.caption,
            source: h.hit.source.as_str(),
            explanation: &h.hit.explanation,
            suppressed: h.suppressed.as_ref(),
        })
        .collect();
    let open_matches = matches
        .iter()
        .filter(|m| m.is_match && m.suppressed.is_none())
        .count();
    ResultView {
        screening_id: &o.screening_id,
        reference: o.reference.as_deref(),
        query: QueryView {
            name: &mq.name,
            schema: mq.schema.map(|s| s.as_str()),
            birth_date: mq.birth_date.as_deref(),
            country: mq.country.as_deref(),
            document: mq.document.as_deref(),
            threshold: mq.threshold.unwrap_or(live.screener.config().threshold),
            limit: mq.limit.unwrap_or(live.screener.config().limit),
        },
        matches,
        open_matches,
        lists_version: &live.version,
        screened_at: o.created_at,
    }
}
