//! Monitoring alerts of the caller's member: list, detail (transactions, graph, decisions,
//! cases), the graph as SVG, and analysts' decisions. Another member's alert answers 404,
//! exactly like a missing one.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, QueryPairs};
use crate::graph::{AlertGraph, alert_graph, alert_svg};
use crate::routes::hits::DecisionRequest;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use store::{AlertQuery, AlertReview, AlertSort, Role, StoredAlert};
use utoipa::ToSchema;

/// One alert in a listing: its latest stored version, summarised.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AlertSummary {
    pub alert_id: String,
    pub typology: String,
    /// 0-100.
    pub score: f64,
    /// `"87/100"`.
    pub score_display: String,
    /// Review state: `open` (no decision yet) or the latest decision (`true_match`,
    /// `false_positive`, `escalate`).
    pub status: String,
    /// The engine's state of the pattern: `open` (may still grow) or `closed` (final).
    pub alert_status: String,
    /// The engine's recommendation: `review` or `block`.
    pub recommendation: Option<String>,
    pub key_account: String,
    pub accounts: usize,
    pub transactions: usize,
    /// One sentence: why it fired.
    pub summary: Option<String>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// Store revision of this version and the number of versions stored.
    pub revision: i64,
    pub revisions: i64,
    /// `api` or `cli`.
    pub source: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn summary(a: &StoredAlert) -> AlertSummary {
    AlertSummary {
        alert_id: a.alert_id.clone(),
        typology: a.typology.clone(),
        score: a.score,
        score_display: format!("{:.0}/100", a.score),
        status: a
            .decision
            .map(|d| d.as_str().to_string())
            .unwrap_or_else(|| "open".into()),
        alert_status: a.status.clone(),
        recommendation: a
            .body
            .get("decision")
            .and_then(|d| d.as_str())
            .map(str::to_string),
        key_account: a.key_account.clone(),
        accounts: a.accounts.len(),
        transactions: a
            .body
            .get("transaction_ids")
            .and_then(|t| t.as_array())
            .map_or(0, Vec::len),
        summary: a
            .body
            .pointer("/explanation/summary")
            .and_then(|s| s.as_str())
            .map(str::to_string),
        first_seen: a.first_seen,
        last_seen: a.last_seen,
        revision: a.revision,
        revisions: a.revisions,
        source: a.source.clone(),
        created_at: a.created_at,
        updated_at: a.updated_at,
    }
}

/// Answer of `GET /v1/alerts`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AlertList {
    pub total: i64,
    pub items: Vec<AlertSummary>,
}

/// The member's alerts, latest version each.
#[utoipa::path(get, path = "/v1/alerts", tag = "monitoring",
    params(
        ("status" = Option<String>, Query, description = "open (no decision yet), decided, all (default)"),
        ("typology" = Option<String>, Query, description = "fan_in, fan_out, cycle, ..."),
        ("q" = Option<String>, Query, description = "Substring of the key account or typology"),
        ("sort" = Option<String>, Query, description = "score (default) or time (last activity)"),
        ("order" = Option<String>, Query, description = "desc (default) or asc"),
        ("limit" = Option<usize>, Query, description = "1-1000, default 50"),
        ("offset" = Option<usize>, Query)),
    responses((status = 200, body = AlertList), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody)),
    security(("api_key" = [])))]
pub(crate) async fn list(
    State(state): State<AppState>,
    auth: Auth,
    query: QueryPairs,
) -> Result<Json<AlertList>, ApiError> {
    let who = auth.require(Role::Analyst)?;
    let review = match query.get("status").unwrap_or("all") {
        "open" => AlertReview::Open,
        "decided" => AlertReview::Decided,
        "all" | "" => AlertReview::All,
        other => {
            return Err(ApiError::invalid(
                "status",
                format!("{other:?} is not open, decided or all"),
            ));
        }
    };
    let sort = match query.get("sort").unwrap_or("score") {
        "score" | "" => AlertSort::Score,
        "time" => AlertSort::Time,
        other => {
            return Err(ApiError::invalid(
                "sort",
                format!("{other:?} is not score or time"),
            ));
        }
    };
    let ascending = match query.get("order").unwrap_or("desc") {
        "desc" | "" => false,
        "asc" => true,
        other => {
            return Err(ApiError::invalid(
                "order",
                format!("{other:?} is not desc or asc"),
            ));
        }
    };
    let limit = query.usize("limit")?.unwrap_or(50);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::invalid("limit", "must be between 1 and 1000"));
    }
    let q = AlertQuery {
        review,
        typology: query.get("typology").map(str::to_string),
        q: query.get("q").map(str::to_string),
        sort,
        ascending,
        limit: limit as i64,
        offset: query.usize("offset")?.unwrap_or(0).min(i64::MAX as usize) as i64,
    };
    let (total, items) = state.store().alerts(&who.member_id, &q).await?;
    Ok(Json(AlertList {
        total,
        items: items.iter().map(summary).collect(),
    }))
}

/// One transaction of an alert.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AlertTransactionJson {
    pub tx_id: String,
    pub timestamp: DateTime<Utc>,
    pub orig_acct: String,
    pub bene_acct: String,
    pub amount: f64,
    pub currency: String,
    /// Holder names, banks and countries as received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orig_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bene_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orig_country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bene_country: Option<String>,
}

/// A decision on an alert as served.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AlertDecisionJson {
    pub decision_id: String,
    pub alert_id: String,
    pub decision: String,
    pub comment: String,
    /// Key id of the deciding analyst, and their member.
    pub decided_by: String,
    pub member: String,
    pub decided_at: DateTime<Utc>,
}

fn decision_json(d: &store::AlertDecision, member: &str) -> AlertDecisionJson {
    AlertDecisionJson {
        decision_id: d.id.clone(),
        alert_id: d.alert_id.clone(),
        decision: d.decision.as_str().to_string(),
        comment: d.comment.clone(),
        decided_by: d.decided_by_key.clone(),
        member: member.to_string(),
        decided_at: d.created_at,
    }
}

/// Answer of `GET /v1/alerts/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AlertDetail {
    /// The latest version as the engine wrote it (typology, score, accounts,
    /// transaction_ids, explanation with the aggregates that fired).
    #[schema(value_type = Object)]
    pub alert: serde_json::Value,
    /// Versions stored.
    pub revisions: i64,
    /// Review state (`open` or the latest decision), as in the listing.
    pub status: String,
    pub transactions: Vec<AlertTransactionJson>,
    pub graph: AlertGraph,
    pub decisions: Vec<AlertDecisionJson>,
    pub case_ids: Vec<String>,
    pub source: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn party(body: &serde_json::Value, side: &str, field: &str) -> Option<String> {
    body.get(side)
        .and_then(|p| p.get(field))
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// An alert with its transactions, its graph, decisions and cases.
#[utoipa::path(get, path = "/v1/alerts/{id}", tag = "monitoring",
    params(("id" = String, Path, description = "Alert id")),
    responses((status = 200, body = AlertDetail), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)),
    security(("api_key" = [])))]
pub(crate) async fn detail(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<AlertDetail>, ApiError> {
    let who = auth.require(Role::Analyst)?;
    let store = state.store();
    let a = store
        .alert(&who.member_id, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("alert", &id))?;
    let txs = store
        .alert_transactions(&who.member_id, &id)
        .await?
        .unwrap_or_default();
    let decisions = store.alert_decisions(&who.member_id, &id).await?;
    let cases = store
        .cases_for_items(
            &who.member_id,
            store::ItemKind::Alert,
            std::slice::from_ref(&id),
        )
        .await?;
    let graph = alert_graph(&a.body, &txs);
    Ok(Json(AlertDetail {
        revisions: a.revisions,
        status: a
            .decision
            .map(|d| d.as_str().to_string())
            .unwrap_or_else(|| "open".into()),
        transactions: txs
            .iter()
            .map(|t| AlertTransactionJson {
                tx_id: t.tx_id.clone(),
                timestamp: t.timestamp,
                orig_acct: t.orig_acct.clone(),
                bene_acct: t.bene_acct.clone(),
                amount: t.amount,
                currency: t.currency.clone(),
                orig_name: party(&t.body, "originator", "name"),
                bene_name: party(&t.body, "beneficiary", "name"),
                orig_country: party(&t.body, "originator", "country"),
                bene_country: party(&t.body, "beneficiary", "country"),
            })
            .collect(),
        graph,
        decisions: decisions
            .iter()
            .map(|d| decision_json(d, &who.member_name))
            .collect(),
        case_ids: cases.get(&id).cloned().unwrap_or_default(),
        source: a.source.clone(),
        created_at: a.created_at,
        updated_at: a.updated_at,
        alert: a.body,
    }))
}

/// The alert's accounts and flows as an SVG picture (key account highlighted, arrows with
/// summed amounts, `<title>` on every node and edge).
#[utoipa::path(get, path = "/v1/alerts/{id}/graph.svg", tag = "monitoring",
    params(("id" = String, Path, description = "Alert id")),
    responses((status = 200, content_type = "image/svg+xml", body = String),
              (status = 404, body = ErrorBody)),
    security(("api_key" = [])))]
pub(crate) async fn graph_svg(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let who = auth.require(Role::Analyst)?;
    let a = state
        .store()
        .alert(&who.member_id, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("alert", &id))?;
    let txs = state
        .store()
        .alert_transactions(&who.member_id, &id)
        .await?
        .unwrap_or_default();
    let svg = alert_svg(&a.body, &txs);
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-cache"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
        ],
        svg,
    ))
}

/// Record an analyst's decision on an alert (audit action `alert.decided`).
#[utoipa::path(post, path = "/v1/alerts/{id}/decision", tag = "monitoring",
    params(("id" = String, Path, description = "Alert id")),
    request_body = DecisionRequest,
    responses((status = 201, body = AlertDecisionJson), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("api_key" = [])))]
pub(crate) async fn decide(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<DecisionRequest>,
) -> Result<(StatusCode, Json<AlertDecisionJson>), ApiError> {
    let who = auth.require(Role::Analyst)?.clone();
    let (kind, comment) = req.validate()?;
    let d = state
        .store()
        .record_alert_decision(&who, &id, kind, comment)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(decision_json(&d, &who.member_name)),
    ))
}
