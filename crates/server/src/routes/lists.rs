//! Lists: what is loaded (`GET /v1/lists`), entity detail (`GET /v1/entities/{id}`) and
//! reload (`POST /v1/lists/reload`).

use crate::auth::Auth;
use crate::error::{ApiError, ErrorBody};
use crate::{AppState, ListVersion, LiveLists};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use store::Role;
use utoipa::ToSchema;

/// Outcome of the last reload attempt.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReloadReport {
    pub at: DateTime<Utc>,
    pub ok: bool,
    /// Why the reload failed (file, record, reason); the previous lists stayed live.
    pub error: Option<String>,
    pub lists_version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ListsResponse {
    pub lists_version: String,
    pub loaded_at: DateTime<Utc>,
    pub entities: usize,
    pub lists: Vec<ListVersion>,
    pub last_reload: Option<ReloadReport>,
}

fn lists_response(state: &AppState, live: &LiveLists) -> ListsResponse {
    ListsResponse {
        lists_version: live.version.clone(),
        loaded_at: live.loaded_at,
        entities: live.entity_count(),
        lists: live.lists.clone(),
        last_reload: state.inner.last_reload.lock().ok().and_then(|g| g.clone()),
    }
}

/// The loaded lists: sources, publication dates, counts, when loaded.
#[utoipa::path(get, path = "/v1/lists", tag = "lists",
    responses((status = 200, body = ListsResponse), (status = 401, body = ErrorBody)),
    security(("api_key" = [])))]
pub(crate) async fn lists(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<ListsResponse>, ApiError> {
    auth.require(Role::Screener)?;
    let live = state.lists();
    Ok(Json(lists_response(&state, &live)))
}

/// One listed entity with everything the list says about it.
#[utoipa::path(get, path = "/v1/entities/{id}", tag = "lists",
    params(("id" = String, Path, description = "Entity id, e.g. `un:QDi.299`")),
    responses((status = 200, description = "The entity as parsed from its list", body = Object),
              (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)),
    security(("api_key" = [])))]
pub(crate) async fn entity(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    auth.require(Role::Screener)?;
    let live = state.lists();
    let e = live
        .screener
        .entity(&id)
        .ok_or_else(|| ApiError::not_found("entity", &id))?;
    let mut v = serde_json::to_value(e).map_err(ApiError::internal)?;
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "caption".into(),
            serde_json::Value::String(e.caption().to_string()),
        );
        o.insert(
            "lists_version".into(),
            serde_json::Value::String(live.version.clone()),
        );
    }
    Ok(Json(v))
}

/// Reloads the lists from where they were loaded at startup, validates them completely and
/// swaps them in atomically. A failure keeps the last good lists serving and answers 422
/// with the reason (file, record, what is wrong). Admin only.
#[utoipa::path(post, path = "/v1/lists/reload", tag = "lists",
    responses((status = 200, body = ListsResponse),
              (status = 422, description = "New lists invalid; the old ones keep serving", body = ErrorBody),
              (status = 403, body = ErrorBody)),
    security(("api_key" = [])))]
pub(crate) async fn reload(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<ListsResponse>, ApiError> {
    let who = auth.require(Role::Admin)?.clone();
    // One reload at a time; screening goes on meanwhile on the current snapshot.
    let _guard = state.inner.reload_lock.lock().await;
    let loader = state.inner.loader.clone();
    let config = state.options().matcher.clone();
    let built = tokio::task::spawn_blocking(move || {
        let lists = loader()?;
        LiveLists::build(lists, config)
    })
    .await
    .map_err(ApiError::internal)?;
    let at = store::now();
    let (ok, error, lists_json) = match built {
        Ok(live) => {
            let json = live.lists_json.clone();
            state.inner.lists.store(Arc::new(live));
            (true, None, json)
        }
        Err(e) => (false, Some(e), serde_json::Value::Array(Vec::new())),
    };
    state.metrics().observe_reload(ok);
    let current = state.lists();
    let report = ReloadReport {
        at,
        ok,
        error: error.clone(),
        lists_version: current.version.clone(),
    };
    if let Ok(mut g) = state.inner.last_reload.lock() {
        *g = Some(report);
    }
    state
        .store()
        .record_list_load(&store::ListLoad {
            id: store::new_id("load"),
            loaded_at: at,
            ok,
            lists: lists_json,
            error: error.clone(),
            actor: who.key_id.clone(),
        })
        .await?;
    state
        .store()
        .append_audit(store::NewAuditEntry::by(
            &who,
            if ok {
                "lists.reloaded"
            } else {
                "lists.reload_failed"
            },
            "lists",
            Some(current.version.clone()),
            serde_json::json!({"error": error, "lists_version": current.version}),
        ))
        .await?;
    match error {
        None => Ok(Json(lists_response(&state, &current))),
        Some(e) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "lists_invalid",
            format!(
                "reload failed, the previous lists (version {}) keep serving: {e}",
                current.version
            ),
        )),
    }
}
