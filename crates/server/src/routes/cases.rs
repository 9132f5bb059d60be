//! Cases: a member's hits and alerts grouped per subject, with status (open, escalated,
//! closed), assignee, notes and history, and a printable report (`report.rs`).
//!
//! Nothing is ever updated: every change is an appended event plus its audit entry, committed
//! together before the answer. Analyst role or above; another member's case, hit or alert
//! answers 404 like a missing one.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, QueryPairs};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use store::{CaseChange, CaseDetail, CaseStatus, CaseSummary, ItemKind, Role};
use utoipa::ToSchema;

/// A hit or an alert, by id.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemRef {
    /// `hit` or `alert`.
    #[schema(example = "hit")]
    pub kind: String,
    /// The hit id (`hit_…`) or the alert id.
    pub id: String,
}

/// Body of `POST /v1/cases`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCaseRequest {
    #[schema(example = "Possible UN-listed customer")]
    pub title: String,
    /// Who or what the case is about (customer name, account).
    #[schema(example = "Abu Bakr al-Baghdadi (customer 0042)")]
    pub subject: String,
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
    pub items: Vec<ItemRef>,
}

/// Body of `POST /v1/cases/{id}/notes`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    pub text: String,
}

/// Body of `POST /v1/cases/{id}/status`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    /// `open`, `escalated` or `closed`.
    #[schema(example = "escalated")]
    pub status: String,
    /// Why (kept in the history and the audit log).
    #[serde(default)]
    pub comment: Option<String>,
}

/// Body of `POST /v1/cases/{id}/assignee`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssigneeRequest {
    /// Who works the case; `null` or empty unassigns.
    pub assignee: Option<String>,
}

/// A case as listed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseJson {
    pub id: String,
    pub title: String,
    pub subject: String,
    /// `open`, `escalated` or `closed` (the latest status event).
    pub status: String,
    pub assignee: Option<String>,
    /// Number of hits and alerts in the case.
    pub items: i64,
    /// Key id that opened the case.
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// Time of the latest change.
    pub updated_at: DateTime<Utc>,
}

/// Answer of `GET /v1/cases`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseList {
    pub total: i64,
    pub items: Vec<CaseJson>,
}

/// A hit or alert in a case, as it stands now.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseItemJson {
    /// `hit` or `alert`.
    pub kind: String,
    pub id: String,
    /// Hit: the matched entity's caption. Alert: the typology.
    pub title: String,
    /// Hit: the screened name. Alert: the key account.
    pub subject: String,
    /// In [0, 1] (alerts: score / 100).
    pub score: f64,
    /// `0.93` for hits, `87/100` for alerts.
    pub score_display: String,
    /// `open` or the latest decision (`true_match`, `false_positive`, `escalate`).
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typology: Option<String>,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

/// A note on a case.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NoteJson {
    pub id: String,
    /// Key id of the author, and that key's label.
    pub author: String,
    pub author_label: Option<String>,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

/// One entry of a case's history.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HistoryJson {
    pub at: DateTime<Utc>,
    /// Key id, and that key's label.
    pub actor: String,
    pub actor_label: Option<String>,
    /// `case.created`, `case.status_changed`, `case.assigned`, `case.item_added`,
    /// `case.note_added`.
    pub action: String,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

/// Answer of `GET /v1/cases/{id}` and of every change.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseDetailJson {
    pub case: CaseJson,
    pub items: Vec<CaseItemJson>,
    pub notes: Vec<NoteJson>,
    /// Oldest first.
    pub history: Vec<HistoryJson>,
}

pub(crate) fn case_json(c: &CaseSummary) -> CaseJson {
    CaseJson {
        id: c.id.clone(),
        title: c.title.clone(),
        subject: c.subject.clone(),
        status: c.status.as_str().to_string(),
        assignee: c.assignee.clone(),
        items: c.items,
        created_by: c.created_by.clone(),
        created_at: c.created_at,
        updated_at: c.updated_at,
    }
}

/// A hit's review status: its latest decision, else `false_positive` when an earlier
/// decision suppressed it, else `open`.
pub(crate) fn hit_status(h: &store::HitRecord, decisions: &[store::Decision]) -> String {
    match decisions.last() {
        Some(d) => d.decision.as_str().to_string(),
        None if h.suppressed_by.is_some() => "false_positive".into(),
        None => "open".into(),
    }
}

/// The items of a case as they stand now (title, subject, score, review status).
pub(crate) async fn resolve_items(
    state: &AppState,
    member_id: &str,
    detail: &CaseDetail,
) -> Result<Vec<CaseItemJson>, ApiError> {
    let store = state.store();
    let mut out = Vec::with_capacity(detail.items.len());
    let mut hits = Vec::new();
    for it in &detail.items {
        if it.kind == ItemKind::Hit
            && let Some(h) = store.hit(member_id, &it.item_id).await?
        {
            hits.push(h);
        }
    }
    let screening_ids: Vec<String> = hits.iter().map(|h| h.screening_id.clone()).collect();
    let subjects = store.screening_subjects(member_id, &screening_ids).await?;
    for it in &detail.items {
        match it.kind {
            ItemKind::Hit => {
                let Some(h) = hits.iter().find(|h| h.id == it.item_id) else {
                    continue;
                };
                let ds = store.decisions_for_hit(member_id, &h.id).await?;
                out.push(CaseItemJson {
                    kind: "hit".into(),
                    id: h.id.clone(),
                    title: h.caption.clone(),
                    subject: subjects.get(&h.screening_id).cloned().unwrap_or_default(),
                    score: h.score,
                    score_display: format!("{:.2}", h.score),
                    status: hit_status(h, &ds),
                    entity_id: Some(h.entity_id.clone()),
                    typology: None,
                    added_by: it.added_by.clone(),
                    added_at: it.added_at,
                });
            }
            ItemKind::Alert => {
                let Some(a) = store.alert(member_id, &it.item_id).await? else {
                    continue;
                };
                out.push(CaseItemJson {
                    kind: "alert".into(),
                    id: a.alert_id.clone(),
                    title: a.typology.clone(),
                    subject: a.key_account.clone(),
                    score: a.score / 100.0,
                    score_display: format!("{:.0}/100", a.score),
                    status: a
                        .decision
                        .map(|d| d.as_str().to_string())
                        .unwrap_or_else(|| "open".into()),
                    entity_id: None,
                    typology: Some(a.typology.clone()),
                    added_by: it.added_by.clone(),
                    added_at: it.added_at,
                });
            }
        }
    }
    Ok(out)
}

pub(crate) async fn detail_json(
    state: &AppState,
    member_id: &str,
    d: &CaseDetail,
) -> Result<CaseDetailJson, ApiError> {
    Ok(CaseDetailJson {
        case: case_json(&d.case),
        items: resolve_items(state, member_id, d).await?,
        notes: d
            .notes
            .iter()
            .map(|n| NoteJson {
                id: n.id.clone(),
                author: n.author.clone(),
                author_label: n.author_label.clone(),
                text: n.text.clone(),
                created_at: n.created_at,
            })
            .collect(),
        history: d
            .events
            .iter()
            .map(|e| HistoryJson {
                at: e.created_at,
                actor: e.actor.clone(),
                actor_label: e.actor_label.clone(),
                action: e.action().to_string(),
                detail: e.detail.clone(),
            })
            .collect(),
    })
}

fn item_kind(field: &str, s: &str) -> Result<ItemKind, ApiError> {
    ItemKind::parse(s)
        .ok_or_else(|| ApiError::invalid(field, format!("{s:?} is not one of hit, alert")))
}

/// Open a case, optionally with an assignee and its first hits and alerts.
#[utoipa::path(post, path = "/v1/cases", tag = "cases",
    request_body = CreateCaseRequest,
    responses((status = 201, body = CaseDetailJson), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, description = "An item is not the member's", body = ErrorBody)),
    security(("api_key" = []), ("session_cookie" = [])))]
pub(crate) async fn create(
    State(state): State<AppState>,
    auth: Auth,
    JsonBody(req): JsonBody<CreateCaseRequest>,
) -> Result<(StatusCode, Json<CaseDetailJson>), ApiError> {
    let who = auth.require(Role::Analyst)?.clone();
    let mut items = Vec::with_capacity(req.items.len());
    for (i, it) in req.items.iter().enumerate() {
        items.push((
            item_kind(&format!("items[{i}].kind"), &it.kind)?,
            it.id.clone(),
        ));
    }
    let d = state
        .store()
        .create_case(
            &who,
            store::NewCase {
                title: req.title,
                subject: req.subject,
                assignee: req.assignee,
                items,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(detail_json(&state, &who.member_id, &d).await?),
    ))
}

/// The member's cases, most recently changed first.
#[utoipa::path(get, path = "/v1/cases", tag = "cases",
    params(("status" = Option<String>, Query, description = "open, escalated, closed or all (default)"),
           ("assignee" = Option<String>, Query, description = "Only cases assigned to this name"),
           ("q" = Option<String>, Query, description = "Substring of title or subject"),
           ("limit" = Option<usize>, Query, description = "Default 50, at most 500"),
           ("offset" = Option<usize>, Query)),
    responses((status = 200, body = CaseList), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("api_key" = []), ("session_cookie" = [])))]
pub(crate) async fn list(
    State(state): State<AppState>,
    auth: Auth,
    q: QueryPairs,
) -> Result<Json<CaseList>, ApiError> {
    let who = auth.require(Role::Analyst)?;
    let status = match q.get("status").map(str::trim) {
        None | Some("") | Some("all") => None,
        Some(s) => Some(CaseStatus::parse(s).ok_or_else(|| {
            ApiError::invalid(
                "status",
                format!("{s:?} is not one of open, escalated, closed, all"),
            )
        })?),
    };
    let filter = store::CaseFilter {
        status,
        assignee: q
            .get("assignee")
            .filter(|a| !a.trim().is_empty())
            .map(String::from),
        q: q.get("q").map(String::from),
        limit: q.usize("limit")?.unwrap_or(50).clamp(1, 500) as i64,
        offset: q.usize("offset")?.unwrap_or(0).min(i64::MAX as usize) as i64,
    };
    let (total, cases) = state.store().cases(&who.member_id, &filter).await?;
    Ok(Json(CaseList {
        total,
        items: cases.iter().map(case_json).collect(),
    }))
}

async fn load(state: &AppState, member_id: &str, id: &str) -> Result<CaseDetail, ApiError> {
    state
        .store()
        .case(member_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("case", id))
}

/// One case with its items, notes and history.
#[utoipa::path(get, path = "/v1/cases/{id}", tag = "cases",
    params(("id" = String, Path)),
    responses((status = 200, body = CaseDetailJson), (status = 404, body = ErrorBody)),
    security(("api_key" = []), ("session_cookie" = [])))]
pub(crate) async fn get_case(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<CaseDetailJson>, ApiError> {
    let who = auth.require(Role::Analyst)?;
    let d = load(&state, &who.member_id, &id).await?;
    Ok(Json(detail_json(&state, &who.member_id, &d).await?))
}

async fn change(
    state: &AppState,
    auth: &Auth,
    id: &str,
    change: CaseChange,
) -> Result<(StatusCode, Json<CaseDetailJson>), ApiError> {
    let who = auth.require(Role::Analyst)?;
    let d = state.store().change_case(who, id, change).await?;
    Ok((
        StatusCode::CREATED,
        Json(detail_json(state, &who.member_id, &d).await?),
    ))
}

/// Add a hit or an alert to a case.
#[utoipa::path(post, path = "/v1/cases/{id}/items", tag = "cases",
    params(("id" = String, Path)), request_body = ItemRef,
    responses((status = 201, body = CaseDetailJson), (status = 400, body = ErrorBody),
              (status = 404, body = ErrorBody)),
    security(("api_key" = []), ("session_cookie" = [])))]
pub(crate) async fn add_item(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<ItemRef>,
) -> Result<(StatusCode, Json<CaseDetailJson>), ApiError> {
    let kind = item_kind("kind", &req.kind)?;
    if req.id.trim().is_empty() {
        return Err(ApiError::invalid("id", "must not be empty"));
    }
    change(&state, &auth, &id, CaseChange::AddItem(kind, req.id)).await
}

/// Add a note to a case.
#[utoipa::path(post, path = "/v1/cases/{id}/notes", tag = "cases",
    params(("id" = String, Path)), request_body = NoteRequest,
    responses((status = 201, body = CaseDetailJson), (status = 400, body = ErrorBody),
              (status = 404, body = ErrorBody)),
    security(("api_key" = []), ("session_cookie" = [])))]
pub(crate) async fn add_note(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<NoteRequest>,
) -> Result<(StatusCode, Json<CaseDetailJson>), ApiError> {
    change(&state, &auth, &id, CaseChange::AddNote(req.text)).await
}

/// Change a case's status (open, escalated, closed), with a comment.
#[utoipa::path(post, path = "/v1/cases/{id}/status", tag = "cases",
    params(("id" = String, Path)), request_body = StatusRequest,
    responses((status = 201, body = CaseDetailJson), (status = 400, body = ErrorBody),
              (status = 404, body = ErrorBody)),
    security(("api_key" = []), ("session_cookie" = [])))]
pub(crate) async fn set_status(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<StatusRequest>,
) -> Result<(StatusCode, Json<CaseDetailJson>), ApiError> {
    let status = CaseStatus::parse(&req.status).ok_or_else(|| {
        ApiError::invalid(
            "status",
            format!("{:?} is not one of open, escalated, closed", req.status),
        )
    })?;
    change(
        &state,
        &auth,
        &id,
        CaseChange::Status {
            status,
            comment: req.comment,
        },
    )
    .await
}

/// Assign a case (or unassign it with `null`).
#[utoipa::path(post, path = "/v1/cases/{id}/assignee", tag = "cases",
    params(("id" = String, Path)), request_body = AssigneeRequest,
    responses((status = 201, body = CaseDetailJson), (status = 400, body = ErrorBody),
              (status = 404, body = ErrorBody)),
    security(("api_key" = []), ("session_cookie" = [])))]
pub(crate) async fn set_assignee(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<AssigneeRequest>,
) -> Result<(StatusCode, Json<CaseDetailJson>), ApiError> {
    change(&state, &auth, &id, CaseChange::Assign(req.assignee)).await
}

/// The case as a self-contained printable HTML report for a suspicious transaction report:
/// member, case, subject, status history, each hit with score, explanation and the entity's
/// identifiers, each alert with its transactions and flow graph, decisions, notes, list
/// versions, generated at and by. Print it or save it as PDF from the browser. Generating a
/// report is audited (`case.report_generated`): it exports the member's data.
#[utoipa::path(get, path = "/v1/cases/{id}/report", tag = "cases",
    params(("id" = String, Path)),
    responses((status = 200, description = "The report", content_type = "text/html"),
              (status = 404, body = ErrorBody)),
    security(("api_key" = []), ("session_cookie" = [])))]
pub(crate) async fn report(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let who = auth.require(Role::Analyst)?.clone();
    let member = who.member_id.as_str();
    let d = load(&state, member, &id).await?;
    let store = state.store();
    let live = state.lists();
    let mut hits = Vec::new();
    let mut alerts = Vec::new();
    let mut actors: Vec<String> = vec![who.key_id.clone(), d.case.created_by.clone()];
    actors.extend(d.events.iter().map(|e| e.actor.clone()));
    actors.extend(d.notes.iter().map(|n| n.author.clone()));
    for it in &d.items {
        match it.kind {
            ItemKind::Hit => {
                let Some(h) = store.hit(member, &it.item_id).await? else {
                    continue;
                };
                let s = store.screening(member, &h.screening_id).await?;
                let subjects = store
                    .screening_subjects(member, std::slice::from_ref(&h.screening_id))
                    .await?;
                let decisions = store.decisions_for_hit(member, &h.id).await?;
                actors.extend(decisions.iter().map(|d| d.decided_by_key.clone()));
                let entity = live
                    .screener
                    .entity(&h.entity_id)
                    .and_then(|e| serde_json::to_value(e).ok());
                hits.push(crate::report::ReportHit {
                    subject: subjects.get(&h.screening_id).cloned().unwrap_or_default(),
                    reference: s.as_ref().and_then(|s| s.reference.clone()),
                    explanation: s.as_ref().and_then(|s| {
                        crate::report::find_explanation(&s.results, &h.id, &h.entity_id)
                    }),
                    lists: s.map(|s| s.lists).unwrap_or(serde_json::Value::Null),
                    entity,
                    decisions,
                    hit: h,
                });
            }
            ItemKind::Alert => {
                let Some(a) = store.alert(member, &it.item_id).await? else {
                    continue;
                };
                let transactions = store
                    .alert_transactions(member, &a.alert_id)
                    .await?
                    .unwrap_or_default();
                let decisions = store.alert_decisions(member, &a.alert_id).await?;
                actors.extend(decisions.iter().map(|d| d.decided_by_key.clone()));
                let graph_svg = Some(crate::graph::alert_svg(&a.body, &transactions));
                alerts.push(crate::report::ReportAlert {
                    alert: a,
                    transactions,
                    decisions,
                    graph_svg,
                });
            }
        }
    }
    actors.sort();
    actors.dedup();
    let labels = store.key_labels(&actors).await?;
    let generated_at = store::now();
    let page = crate::report::Report {
        member_name: who.member_name.clone(),
        case: d,
        hits,
        alerts,
        labels,
        lists_version: live.version.clone(),
        lists: live.lists.clone(),
        generated_at,
        generated_by: who.key_id.clone(),
    }
    .render();
    store
        .append_audit(store::NewAuditEntry::by(
            &who,
            "case.report_generated",
            "case",
            Some(id.clone()),
            serde_json::json!({"bytes": page.len(), "lists_version": live.version}),
        ))
        .await?;
    let mut resp = page.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
        ),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let safe_id: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"case-{safe_id}.html\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}
