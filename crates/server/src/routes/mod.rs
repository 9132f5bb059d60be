//! Route table and the small handlers; screening and yente matching have their own modules.

pub(crate) mod common;
pub(crate) mod hits;
pub(crate) mod lists;
pub(crate) mod matching;
pub(crate) mod ops;
pub(crate) mod screen;

use crate::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::http::{StatusCode, Uri};
use axum::routing::{get, post};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/screen", post(screen::screen))
        .route("/match/{dataset}", post(matching::match_entities))
        .route("/v1/entities/{id}", get(lists::entity))
        .route("/v1/lists", get(lists::lists))
        .route("/v1/lists/reload", post(lists::reload))
        .route("/v1/screenings/{id}", get(hits::screening))
        .route("/v1/hits/{id}", get(hits::hit))
        .route("/v1/hits/{id}/decision", post(hits::decide))
        .route("/v1/audit", get(hits::audit))
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .route("/openapi.json", get(ops::openapi))
}

pub(crate) async fn not_found(uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no route for {}", uri.path()),
    )
}
