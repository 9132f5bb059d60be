//! Health, metrics and the OpenAPI document. Open endpoints: no key needed.

use crate::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

/// Liveness and readiness: the database answers and lists are loaded.
#[utoipa::path(get, path = "/healthz", tag = "ops",
    responses((status = 200, body = Object), (status = 503, body = Object)))]
pub(crate) async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let live = state.lists();
    let db = state.store().ping().await;
    let status = if db.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = serde_json::json!({
        "status": if db.is_ok() { "ok" } else { "degraded" },
        "database": match &db { Ok(()) => "ok".to_string(), Err(e) => e.to_string() },
        "backend": state.store().backend_name(),
        "lists_version": live.version,
        "entities": live.entity_count(),
        "lists_loaded_at": live.loaded_at,
        "uptime_seconds": state.uptime().as_secs(),
        "version": env!("CARGO_PKG_VERSION"),
    });
    (status, Json(body))
}

/// Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = "ops", responses((status = 200, description = "Prometheus text exposition", content_type = "text/plain")))]
pub(crate) async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let live = state.lists();
    let mut per_source: std::collections::BTreeMap<String, u64> = Default::default();
    for l in &live.lists {
        *per_source.entry(l.source.clone()).or_default() += l.entities as u64;
    }
    let lists: Vec<(String, u64)> = per_source.into_iter().collect();
    let text = state.metrics().render(
        &lists,
        live.loaded_at.timestamp(),
        state.uptime(),
        &state.store().writer_stats(),
    );
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
}

/// This API's OpenAPI 3.1 document, generated from the code.
#[utoipa::path(get, path = "/openapi.json", tag = "ops", responses((status = 200, body = Object)))]
pub(crate) async fn openapi() -> Result<impl IntoResponse, ApiError> {
    let doc = crate::openapi::document();
    let v = serde_json::to_value(&doc).map_err(ApiError::internal)?;
    Ok(Json(v))
}
