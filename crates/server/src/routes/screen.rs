//! `POST /v1/screen`: one query, or `{"queries": [...]}` for a batch. Same fields as the CLI
//! (`name`, `schema`, `birth_date`, `country`, plus `document`, `threshold`, `limit`) and the
//! member's own `reference` for the screened customer or payment.

use super::common::{Suppression, outcome, persist, run_queries, subject_key};
use crate::auth::Auth;
use crate::error::{ApiError, ErrorBody};
use crate::extract::JsonBody;
use crate::{AppState, MAX_SCREEN_BATCH};
use axum::Json;
use axum::extract::State;
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
    if let Some(t) = q.threshold {
        if !(0.0..=1.0).contains(&t) {
            return Err(ApiError::invalid(
                "threshold",
                format!("{t} is not between 0 and 1"),
            ));
        }
    }
    if let Some(l) = q.limit {
        if l == 0 || l > MAX_LIMIT {
            return Err(ApiError::invalid(
                "limit",
                format!("{l} is not between 1 and {MAX_LIMIT}"),
            ));
        }
    }
    if let Some(r) = &q.reference {
        if r.chars().count() > MAX_REFERENCE {
            return Err(ApiError::invalid(
                "reference",
                format!("longer than {MAX_REFERENCE} characters"),
            ));
        }
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
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let who = auth.require(Role::Screener)?.clone();
    let is_batch = body.as_object().is_some_and(|o| o.contains_key("queries"));
    let raw = serde_json::to_vec(&body).map_err(ApiError::internal)?;
    let live = state.lists();
    if !is_batch {
        let q: ScreenQuery = crate::extract::parse_json(&raw)?;
        let mq = prepare(&q)?;
        let hits = run_queries(live.clone(), vec![mq.clone()])
            .await?
            .pop()
            .ok_or_else(|| ApiError::internal("no result for the query"))??;
        let result = answer(&state, &who, &live, &q, &mq, hits, body).await?;
        return Ok(Json(
            serde_json::to_value(result).map_err(ApiError::internal)?,
        ));
    }
    let batch: ScreenBatch = crate::extract::parse_json(&raw)?;
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
    let raw_items: Vec<serde_json::Value> = body
        .get("queries")
        .and_then(|q| q.as_array())
        .cloned()
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
    // Build outcomes (suppression lookups), then store all stored items in one go.
    let mut built = Vec::with_capacity(outcomes.len());
    for (i, r) in outcomes.into_iter().enumerate() {
        match r {
            Err(e) => built.push(Err(e)),
            Ok((mq, hits)) => {
                let q = &batch.queries[i];
                let req = raw_items.get(i).cloned().unwrap_or(serde_json::Value::Null);
                let key = subject_key(q.reference.as_deref(), &mq);
                let o = outcome(&state, &who, q.reference.clone(), key, req, hits).await?;
                let res = to_result(&live, &mq, &o);
                built.push(Ok((o, res)));
            }
        }
    }
    let mut items = Vec::new();
    for b in built.iter().flatten() {
        items.push((
            &b.0,
            serde_json::to_value(&b.1).map_err(ApiError::internal)?,
        ));
    }
    persist(
        &state,
        &who,
        "v1/screen",
        &live,
        live.screening_config.clone(),
        items,
    )
    .await?;
    let results = built
        .into_iter()
        .enumerate()
        .map(|(index, b)| match b {
            Ok((_, res)) => BatchItem {
                index,
                status: 200,
                result: Some(res),
                error: None,
            },
            Err(e) => BatchItem {
                index,
                status: e.status.as_u16(),
                result: None,
                error: Some(e.body()),
            },
        })
        .collect();
    let resp = BatchResponse {
        results,
        lists_version: live.version.clone(),
    };
    Ok(Json(
        serde_json::to_value(resp).map_err(ApiError::internal)?,
    ))
}

async fn answer(
    state: &AppState,
    who: &store::Principal,
    live: &crate::LiveLists,
    q: &ScreenQuery,
    mq: &screening::Query,
    hits: Vec<screening::Hit>,
    request: serde_json::Value,
) -> Result<ScreenResult, ApiError> {
    let key = subject_key(q.reference.as_deref(), mq);
    let o = outcome(state, who, q.reference.clone(), key, request, hits).await?;
    let res = to_result(live, mq, &o);
    let stored = serde_json::to_value(&res).map_err(ApiError::internal)?;
    persist(
        state,
        who,
        "v1/screen",
        live,
        live.screening_config.clone(),
        vec![(&o, stored)],
    )
    .await?;
    Ok(res)
}

fn to_result(
    live: &crate::LiveLists,
    mq: &screening::Query,
    o: &super::common::Outcome,
) -> ScreenResult {
    let matches: Vec<MatchItem> = o
        .hits
        .iter()
        .map(|h| MatchItem {
            hit_id: h.hit_id.clone(),
            entity_id: h.hit.entity_id.clone(),
            score: h.hit.score,
            is_match: h.hit.is_match,
            name: h.hit.name.clone(),
            schema: h.hit.schema.as_str().to_string(),
            caption: h.hit.caption.clone(),
            source: h.hit.source.as_str().to_string(),
            explanation: serde_json::to_value(&h.hit.explanation)
                .unwrap_or(serde_json::Value::Null),
            suppressed: h.suppressed.clone(),
        })
        .collect();
    let open_matches = matches
        .iter()
        .filter(|m| m.is_match && m.suppressed.is_none())
        .count();
    ScreenResult {
        screening_id: o.screening_id.clone(),
        reference: o.reference.clone(),
        query: serde_json::json!({
            "name": mq.name,
            "schema": mq.schema.map(|s| s.as_str()),
            "birth_date": mq.birth_date,
            "country": mq.country,
            "document": mq.document,
            "threshold": mq.threshold.unwrap_or(live.screener.config().threshold),
            "limit": mq.limit.unwrap_or(live.screener.config().limit),
        }),
        matches,
        open_matches,
        lists_version: live.version.clone(),
        screened_at: o.created_at,
    }
}
