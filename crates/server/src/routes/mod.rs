//! Route table and the small handlers; screening and yente matching have their own modules.

pub(crate) mod alerts;
pub(crate) mod cases;
pub(crate) mod common;
pub(crate) mod dashboard;
pub(crate) mod hits;
pub(crate) mod lists;
pub(crate) mod matching;
pub(crate) mod ops;
pub(crate) mod queue;
pub(crate) mod screen;
pub(crate) mod session;
pub(crate) mod transactions;

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
        .route("/v1/audit/verify", get(hits::audit_verify))
        .route("/v1/session", post(session::sign_in).get(session::current))
        .route("/v1/session/end", post(session::end))
        .route("/v1/dashboard", get(dashboard::dashboard))
        .route("/v1/queue", get(queue::queue))
        .route("/v1/cases", post(cases::create).get(cases::list))
        .route("/v1/cases/{id}", get(cases::get_case))
        .route("/v1/cases/{id}/items", post(cases::add_item))
        .route("/v1/cases/{id}/notes", post(cases::add_note))
        .route("/v1/cases/{id}/status", post(cases::set_status))
        .route("/v1/cases/{id}/assignee", post(cases::set_assignee))
        .route("/v1/cases/{id}/report", get(cases::report))
        .route("/v1/transactions", post(transactions::post_transactions))
        .route("/v1/alerts", get(alerts::list))
        .route("/v1/alerts/{id}", get(alerts::detail))
        .route("/v1/alerts/{id}/graph.svg", get(alerts::graph_svg))
        .route("/v1/alerts/{id}/decision", post(alerts::decide))
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .route("/openapi.json", get(ops::openapi))
        .route("/", get(crate::ui::index))
        .route("/ui/{file}", get(crate::ui::asset))
}

pub(crate) async fn not_found(uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no route for {}", uri.path()),
    )
}
