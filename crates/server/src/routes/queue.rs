//! `GET /v1/queue`: the review queue, hits and alerts together.
//!
//! A hit is a stored screening hit with `match: true`; an alert is the latest revision of a
//! monitoring alert. Both carry a score in [0, 1] (an alert's 0-100 score divided by 100) so
//! they sort together, a review status (`open` or the latest decision) and the cases they are
//! in. Analyst role or above; only the caller's member's items.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ErrorBody};
use crate::extract::QueryPairs;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use store::{ItemKind, Role};
use utoipa::ToSchema;

/// One item of the review queue.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QueueItemJson {
    /// `hit` or `alert`.
    pub kind: String,
    /// Hit id (`GET /v1/hits/{id}`) or alert id (`GET /v1/alerts/{id}`).
    pub id: String,
    /// Hit: the screened name. Alert: the key account.
    pub subject: String,
    /// Hit: the matched entity's caption. Alert: the typology.
    pub title: String,
    /// In [0, 1].
    pub score: f64,
    /// `0.93` for hits, `87/100` for alerts.
    pub score_display: String,
    pub created_at: DateTime<Utc>,
    /// `open`, `true_match`, `false_positive` or `escalate`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typology: Option<String>,
    /// Hit: the member's reference of the screened customer or payment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Hit: the screening it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screening_id: Option<String>,
    /// The cases this item is in.
    pub case_ids: Vec<String>,
}

/// Answer of `GET /v1/queue`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QueueResponse {
    /// Items matching the filters (all pages).
    pub total: i64,
    pub items: Vec<QueueItemJson>,
}

fn one_of<'a>(
    q: &'a QueryPairs,
    key: &str,
    allowed: &[&str],
    default: &'a str,
) -> Result<&'a str, ApiError> {
    match q.get(key).map(str::trim) {
        None | Some("") => Ok(default),
        Some(v) if allowed.contains(&v) => Ok(v),
        Some(v) => Err(ApiError::invalid(
            key,
            format!("{v:?} is not one of {}", allowed.join(", ")),
        )),
    }
}

/// The review queue of hits and alerts.
#[utoipa::path(get, path = "/v1/queue", tag = "review",
    params(("kind" = Option<String>, Query, description = "hit, alert or all (default)"),
           ("status" = Option<String>, Query, description = "open (default), decided or all"),
           ("sort" = Option<String>, Query, description = "score (default) or time"),
           ("order" = Option<String>, Query, description = "desc (default) or asc"),
           ("q" = Option<String>, Query, description = "Substring of subject or title, case-insensitive"),
           ("limit" = Option<usize>, Query, description = "Default 50, at most 500"),
           ("offset" = Option<usize>, Query)),
    responses((status = 200, body = QueueResponse), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody)),
    security(("api_key" = []), ("session_cookie" = [])))]
pub(crate) async fn queue(
    State(state): State<AppState>,
    auth: Auth,
    q: QueryPairs,
) -> Result<Json<QueueResponse>, ApiError> {
    let who = auth.require(Role::Analyst)?;
    let kind = match one_of(&q, "kind", &["hit", "alert", "all"], "all")? {
        "hit" => Some(ItemKind::Hit),
        "alert" => Some(ItemKind::Alert),
        _ => None,
    };
    let open = match one_of(&q, "status", &["open", "decided", "all"], "open")? {
        "open" => Some(true),
        "decided" => Some(false),
        _ => None,
    };
    let by_score = one_of(&q, "sort", &["score", "time"], "score")? == "score";
    let descending = one_of(&q, "order", &["desc", "asc"], "desc")? == "desc";
    let text = q.get("q").map(str::trim).filter(|s| !s.is_empty());
    if text.is_some_and(|t| t.chars().count() > 200) {
        return Err(ApiError::invalid("q", "longer than 200 characters"));
    }
    let filter = store::QueueFilter {
        kind,
        open,
        by_score,
        descending,
        q: text.map(String::from),
        limit: q.usize("limit")?.unwrap_or(50).clamp(1, 500) as i64,
        offset: q.usize("offset")?.unwrap_or(0).min(i64::MAX as usize) as i64,
    };
    let (total, items) = state.store().queue(&who.member_id, &filter).await?;
    Ok(Json(QueueResponse {
        total,
        items: items
            .into_iter()
            .map(|i| QueueItemJson {
                score_display: if i.kind == "alert" {
                    format!("{:.0}/100", i.score * 100.0)
                } else {
                    format!("{:.2}", i.score)
                },
                kind: i.kind,
                id: i.id,
                subject: i.subject,
                title: i.title,
                score: i.score,
                created_at: i.created_at,
                status: i.status,
                entity_id: i.entity_id,
                typology: i.typology,
                reference: i.reference,
                screening_id: i.screening_id,
                case_ids: i.case_ids,
            })
            .collect(),
    }))
}
