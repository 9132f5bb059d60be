//! Stored screenings and hits of the caller's member, decisions on hits, and the audit log.
//! Another member's object answers 404, exactly like a missing one.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, QueryPairs};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use store::{DecisionKind, Role};
use utoipa::ToSchema;

/// Longest accepted decision comment.
const MAX_COMMENT: usize = 4000;

/// Body of `POST /v1/hits/{id}/decision`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// `true_match`, `false_positive` or `escalate`.
    #[schema(example = "false_positive")]
    pub decision: String,
    /// The analyst's reasoning (required: a decision without a reason cannot be audited).
    #[schema(example = "Different date of birth (1985 vs 1971) and nationality.")]
    pub comment: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DecisionResponse {
    pub decision_id: String,
    pub hit_id: String,
    pub entity_id: String,
    pub decision: String,
    pub comment: String,
    /// Key id of the deciding analyst, and their member.
    pub decided_by: String,
    pub member: String,
    pub decided_at: DateTime<Utc>,
    /// True when later screenings of the same subject will show this entity as suppressed.
    pub suppresses_future_hits: bool,
}

fn decision_json(d: &store::Decision, member: &str) -> DecisionResponse {
    DecisionResponse {
        decision_id: d.id.clone(),
        hit_id: d.hit_id.clone(),
        entity_id: d.entity_id.clone(),
        decision: d.decision.as_str().to_string(),
        comment: d.comment.clone(),
        decided_by: d.decided_by_key.clone(),
        member: member.to_string(),
        decided_at: d.created_at,
        suppresses_future_hits: d.decision == DecisionKind::FalsePositive,
    }
}

/// Record an analyst's decision on a hit.
#[utoipa::path(post, path = "/v1/hits/{id}/decision", tag = "review",
    params(("id" = String, Path, description = "Hit id from a screening answer")),
    request_body = DecisionRequest,
    responses((status = 201, body = DecisionResponse), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("api_key" = [])))]
pub(crate) async fn decide(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<DecisionRequest>,
) -> Result<(StatusCode, Json<DecisionResponse>), ApiError> {
    let who = auth.require(Role::Analyst)?.clone();
    let kind = DecisionKind::parse(req.decision.trim()).ok_or_else(|| {
        ApiError::invalid(
            "decision",
            format!(
                "{:?} is not one of true_match, false_positive, escalate",
                req.decision
            ),
        )
    })?;
    let comment = req.comment.trim();
    if comment.is_empty() {
        return Err(ApiError::invalid(
            "comment",
            "a decision needs a comment giving the reason",
        ));
    }
    if comment.chars().count() > MAX_COMMENT {
        return Err(ApiError::invalid(
            "comment",
            format!("longer than {MAX_COMMENT} characters"),
        ));
    }
    let d = state
        .store()
        .record_decision(&who, &id, kind, comment)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(decision_json(&d, &who.member_name)),
    ))
}

/// A hit with its decision history.
#[utoipa::path(get, path = "/v1/hits/{id}", tag = "review",
    params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)),
    security(("api_key" = [])))]
pub(crate) async fn hit(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let who = auth.require(Role::Analyst)?;
    let h = state
        .store()
        .hit(&who.member_id, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("hit", &id))?;
    let ds: Vec<DecisionResponse> = state
        .store()
        .decisions_for_hit(&who.member_id, &id)
        .await?
        .iter()
        .map(|d| decision_json(d, &who.member_name))
        .collect();
    Ok(Json(serde_json::json!({
        "hit_id": h.id, "screening_id": h.screening_id, "entity_id": h.entity_id, "rank": h.rank,
        "score": h.score, "match": h.is_match, "name": h.matched_name, "caption": h.caption,
        "suppressed_by": h.suppressed_by, "created_at": h.created_at, "decisions": ds,
    })))
}

/// A stored screening: the request as received, the answer as given, the list versions and
/// matcher settings it ran with, and its hits.
#[utoipa::path(get, path = "/v1/screenings/{id}", tag = "review",
    params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)),
    security(("api_key" = [])))]
pub(crate) async fn screening(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let who = auth.require(Role::Screener)?;
    let s = state
        .store()
        .screening(&who.member_id, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("screening", &id))?;
    Ok(Json(serde_json::json!({
        "screening_id": s.id, "endpoint": s.endpoint, "reference": s.reference,
        "key_id": s.key_id, "created_at": s.created_at, "request": s.request,
        "results": s.results, "lists": s.lists, "config": s.config,
        "hits": s.hits.iter().map(|h| serde_json::json!({
            "hit_id": h.id, "entity_id": h.entity_id, "rank": h.rank, "score": h.score,
            "match": h.is_match, "suppressed_by": h.suppressed_by,
        })).collect::<Vec<_>>(),
    })))
}

/// The member's audit log (append-only, hash-chained), oldest first from `after`. Admin only.
#[utoipa::path(get, path = "/v1/audit", tag = "review",
    params(("after" = Option<i64>, Query, description = "Return entries after this sequence number"),
           ("limit" = Option<usize>, Query, description = "At most this many (default 100, max 1000)")),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody)),
    security(("api_key" = [])))]
pub(crate) async fn audit(
    State(state): State<AppState>,
    auth: Auth,
    q: QueryPairs,
) -> Result<Json<serde_json::Value>, ApiError> {
    let who = auth.require(Role::Admin)?;
    let after = match q.get("after") {
        None | Some("") => 0,
        Some(v) => v
            .parse::<i64>()
            .map_err(|_| ApiError::invalid("after", format!("expected a number, got {v:?}")))?,
    };
    let limit = q.usize("limit")?.unwrap_or(100).clamp(1, 1000) as i64;
    let entries = state
        .store()
        .audit_log(Some(&who.member_id), after, limit)
        .await?;
    Ok(Json(serde_json::json!({ "entries": entries })))
}
