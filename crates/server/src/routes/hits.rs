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

impl DecisionRequest {
    /// The decision kind and the trimmed comment, or a 400 naming the bad field. Shared by
    /// decisions on hits and on alerts, which take the same body.
    pub(crate) fn validate(&self) -> Result<(DecisionKind, &str), ApiError> {
        let kind = DecisionKind::parse(self.decision.trim()).ok_or_else(|| {
            ApiError::invalid(
                "decision",
                format!(
                    "{:?} is not one of true_match, false_positive, escalate",
                    self.decision
                ),
            )
        })?;
        let comment = self.comment.trim();
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
        Ok((kind, comment))
    }
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
    let (kind, comment) = req.validate()?;
    let d = state
        .store()
        .record_decision(&who, &id, kind, comment)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(decision_json(&d, &who.member_name)),
    ))
}

/// A hit with its decision history, the screened name (`subject`), the member's `reference`,
/// the explanation as answered, the review `status` and the cases it is in.
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
    // For the review page: the screened name, the member's reference, the explanation as
    // answered, the review status and the cases the hit is in.
    let store = state.store();
    let screening = store.screening(&who.member_id, &h.screening_id).await?;
    let subject = store
        .screening_subjects(&who.member_id, std::slice::from_ref(&h.screening_id))
        .await?
        .remove(&h.screening_id);
    let explanation = screening
        .as_ref()
        .and_then(|s| crate::report::find_explanation(&s.results, &h.id, &h.entity_id));
    let case_ids = store
        .cases_for_items(
            &who.member_id,
            store::ItemKind::Hit,
            std::slice::from_ref(&h.id),
        )
        .await?
        .remove(&h.id)
        .unwrap_or_default();
    let status = match ds.last() {
        Some(d) => d.decision.clone(),
        None if h.suppressed_by.is_some() => "false_positive".to_string(),
        None => "open".to_string(),
    };
    Ok(Json(serde_json::json!({
        "hit_id": h.id, "screening_id": h.screening_id, "entity_id": h.entity_id, "rank": h.rank,
        "score": h.score, "match": h.is_match, "name": h.matched_name, "caption": h.caption,
        "suppressed_by": h.suppressed_by, "created_at": h.created_at, "decisions": ds,
        "subject": subject, "reference": screening.as_ref().and_then(|s| s.reference.clone()),
        "explanation": explanation, "status": status, "case_ids": case_ids,
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

/// One audit entry as served: the stored entry plus the acting key's label.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditEntryJson {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub entry: store::AuditEntry,
    /// Label of the key in `actor` (usually the analyst's name), when it is a labelled key.
    pub actor_label: Option<String>,
}

/// Answer of `GET /v1/audit`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditResponse {
    pub entries: Vec<AuditEntryJson>,
    /// True when the hash chain (all members' entries) recomputes; absent with
    /// `verify=false`. Checked incrementally: in full on the process's first check, then
    /// from the last entry found intact (which must be unchanged) to the end; see
    /// `chain_checked_from_seq`. `GET /v1/audit/verify` always checks the whole chain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain_ok: Option<bool>,
    /// Sequence number of the first entry that breaks the chain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_broken_seq: Option<i64>,
    /// The first entry this answer's check recomputed (1 = the whole chain).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain_checked_from_seq: Option<i64>,
}

/// Answer of `GET /v1/audit/verify`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChainResponse {
    pub chain_ok: bool,
    pub first_broken_seq: Option<i64>,
    /// Entries checked (the whole deployment's chain); admin only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entries: Option<u64>,
}

fn seq_param(q: &QueryPairs, key: &str) -> Result<Option<i64>, ApiError> {
    match q.get(key) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .map(Some)
            .map_err(|_| ApiError::invalid(key, format!("expected a number, got {v:?}"))),
    }
}

/// The member's audit log (append-only, hash-chained): every sign-in, decision, case change
/// and key event, with who and when. Oldest first from `after`, or newest first
/// (`order=desc`) below `before`. Analyst role or above; only the member's own entries.
/// `chain_ok` verifies the chain incrementally (entries appended since the last check, and
/// that the last entry found intact is unchanged; `verify=false` skips it).
#[utoipa::path(get, path = "/v1/audit", tag = "review",
    params(("after" = Option<i64>, Query, description = "Return entries after this sequence number"),
           ("before" = Option<i64>, Query, description = "Return entries before this sequence number"),
           ("limit" = Option<usize>, Query, description = "At most this many (default 100, max 1000)"),
           ("action" = Option<String>, Query, description = "Exact action (`case.created`) or a prefix ending in `.` or `*` (`session.`)"),
           ("order" = Option<String>, Query, description = "asc (default) or desc"),
           ("verify" = Option<bool>, Query, description = "Verify the hash chain (default true)")),
    responses((status = 200, body = AuditResponse), (status = 403, body = ErrorBody)),
    security(("api_key" = []), ("session_cookie" = [])))]
pub(crate) async fn audit(
    State(state): State<AppState>,
    auth: Auth,
    q: QueryPairs,
) -> Result<Json<AuditResponse>, ApiError> {
    let who = auth.require(Role::Analyst)?;
    let after = seq_param(&q, "after")?.unwrap_or(0);
    let before = seq_param(&q, "before")?;
    let limit = q.usize("limit")?.unwrap_or(100).clamp(1, 1000) as i64;
    let newest_first = match q.get("order").map(str::trim) {
        None | Some("") | Some("asc") => false,
        Some("desc") => true,
        Some(v) => {
            return Err(ApiError::invalid(
                "order",
                format!("{v:?} is not one of asc, desc"),
            ));
        }
    };
    let verify = match q.get("verify").map(str::trim) {
        None | Some("") | Some("true") | Some("1") => true,
        Some("false") | Some("0") => false,
        Some(v) => {
            return Err(ApiError::invalid(
                "verify",
                format!("{v:?} is not true or false"),
            ));
        }
    };
    let filter = store::AuditFilter {
        after,
        before,
        action: q.get("action").map(String::from),
        newest_first,
        limit,
    };
    let entries = state
        .store()
        .member_audit(&who.member_id, &filter)
        .await?
        .into_iter()
        .map(|e| AuditEntryJson {
            entry: e.entry,
            actor_label: e.actor_label,
        })
        .collect();
    let (chain_ok, first_broken_seq, chain_checked_from_seq) = if verify {
        let c = state.store().verify_audit_chain_incremental().await?;
        (
            Some(c.first_broken_seq.is_none()),
            c.first_broken_seq,
            Some(c.checked_from_seq),
        )
    } else {
        (None, None, None)
    };
    Ok(Json(AuditResponse {
        entries,
        chain_ok,
        first_broken_seq,
        chain_checked_from_seq,
    }))
}

/// Re-verify the audit hash chain: any edited, removed or reordered entry breaks it.
#[utoipa::path(get, path = "/v1/audit/verify", tag = "review",
    responses((status = 200, body = ChainResponse), (status = 403, body = ErrorBody)),
    security(("api_key" = []), ("session_cookie" = [])))]
pub(crate) async fn audit_verify(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<ChainResponse>, ApiError> {
    let who = auth.require(Role::Analyst)?;
    let c = state.store().verify_audit_chain().await?;
    Ok(Json(ChainResponse {
        chain_ok: c.first_broken_seq.is_none(),
        first_broken_seq: c.first_broken_seq,
        entries: (who.role == Role::Admin).then_some(c.entries),
    }))
}
