//! The HTTP service: screening (`/v1/screen`), the yente-compatible `/match/{dataset}`,
//! entities, lists and reload, decisions on hits, health, metrics and the OpenAPI document.
//!
//! [`app`] builds the whole router from an [`AppState`]; tests drive it without a socket
//! (`tower::ServiceExt::oneshot`) and over a real one. The state holds the [`store::Store`]
//! (the only way to the database) and the live lists behind an `ArcSwap`, so a reload swaps
//! them atomically and a failed reload keeps the last good ones.
//!
//! Access: every `/v1` and `/match` route needs an API key (`Authorization: Bearer <key>`).
//! Keys belong to a member and carry a role (screener < analyst < admin). A member only ever
//! reads its own screenings, hits and decisions: another member's object answers 404, the
//! same as a missing one, so ids cannot be probed. Lists are shared by all members.
//! `/healthz`, `/metrics` and `/openapi.json` are open (bind to a private interface).

pub mod auth;
pub mod error;
pub mod extract;
pub mod graph;
pub mod lists;
pub mod metrics;
mod openapi;
pub mod report;
mod routes;
pub mod throttle;
mod ui;

pub use error::{ApiError, ErrorBody};
pub use lists::{ListVersion, LiveLists};
pub use routes::transactions::{ScreenerGlue, alert_rows, screen_name};

use arc_swap::ArcSwap;
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::{Duration, Instant};
use watchlist::WatchList;

/// Default request body limit (1 MiB): a batch of 1,000 queries fits with room to spare.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
/// Most queries in one `POST /v1/screen` batch.
pub const MAX_SCREEN_BATCH: usize = 1000;
/// Most queries in one `POST /match` request (yente's `YENTE_MAX_BATCH`).
pub const MAX_MATCH_BATCH: usize = 100;

/// Loads the lists for startup and for `POST /v1/lists/reload`. Given by the binary (which
/// knows about `--lists`, the data directory and the embedded defaults); an error message
/// names the file, the record and the reason.
pub type ListLoader = Arc<dyn Fn() -> Result<Vec<WatchList>, String> + Send + Sync>;

/// Service settings.
#[derive(Debug, Clone)]
pub struct Options {
    pub max_body_bytes: usize,
    pub matcher: screening::Config,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            matcher: screening::Config::default(),
        }
    }
}

/// Shared state of the service; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("store", &self.inner.store.backend_name())
            .finish()
    }
}

struct Inner {
    store: store::Store,
    lists: ArcSwap<LiveLists>,
    loader: ListLoader,
    options: Options,
    metrics: metrics::Metrics,
    reload_lock: tokio::sync::Mutex<()>,
    last_reload: std::sync::Mutex<Option<routes::lists::ReloadReport>>,
    started: Instant,
    /// The members' monitoring engines (`POST /v1/transactions`).
    monitoring: routes::transactions::Engines,
    /// Failed sign-ins per peer (`POST /v1/session`).
    sign_in_throttle: throttle::SignInThrottle,
}

/// The request body limit, visible to extractors so a 413 can say what the limit is.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

impl AppState {
    /// Loads the lists with `loader`, indexes them and records the load in the store.
    pub async fn new(
        store: store::Store,
        loader: ListLoader,
        options: Options,
    ) -> Result<AppState, String> {
        let l = loader.clone();
        let config = options.matcher.clone();
        let live = tokio::task::spawn_blocking(move || {
            let lists = l()?;
            LiveLists::build(lists, config)
        })
        .await
        .map_err(|e| format!("list loading thread failed: {e}"))??;
        let state = AppState {
            inner: Arc::new(Inner {
                store,
                lists: ArcSwap::from_pointee(live),
                loader,
                options,
                metrics: metrics::Metrics::default(),
                reload_lock: tokio::sync::Mutex::new(()),
                last_reload: std::sync::Mutex::new(None),
                started: Instant::now(),
                monitoring: Default::default(),
                sign_in_throttle: Default::default(),
            }),
        };
        let live = state.lists();
        let load = store::ListLoad {
            id: store::new_id("load"),
            loaded_at: live.loaded_at,
            ok: true,
            lists: live.lists_json.clone(),
            error: None,
            actor: "system".into(),
        };
        state
            .store()
            .record_list_load(&load)
            .await
            .map_err(|e| e.to_string())?;
        Ok(state)
    }

    pub fn store(&self) -> &store::Store {
        &self.inner.store
    }

    /// A snapshot of the live lists; keep it for the whole request.
    pub fn lists(&self) -> Arc<LiveLists> {
        self.inner.lists.load_full()
    }

    pub fn options(&self) -> &Options {
        &self.inner.options
    }

    pub fn metrics(&self) -> &metrics::Metrics {
        &self.inner.metrics
    }

    pub(crate) fn monitoring(&self) -> &routes::transactions::Engines {
        &self.inner.monitoring
    }

    pub(crate) fn sign_in_throttle(&self) -> &throttle::SignInThrottle {
        &self.inner.sign_in_throttle
    }

    pub fn uptime(&self) -> Duration {
        self.inner.started.elapsed()
    }
}

/// The whole API.
pub fn app(state: AppState) -> Router {
    let limit = state.options().max_body_bytes;
    let api =
        routes::router().route_layer(middleware::from_fn_with_state(state.clone(), track_metrics));
    api.fallback(routes::not_found)
        .layer(middleware::map_response(json_errors))
        .layer(DefaultBodyLimit::disable())
        // The service's limit, except 16 MiB for `POST /v1/transactions` (batches of transfers).
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            routes::transactions::body_limit(limit, req, next)
        }))
        .layer(middleware::from_fn(
            move |mut req: Request, next: Next| async move {
                req.extensions_mut().insert(BodyLimit(limit));
                let mut resp = next.run(req).await;
                if resp.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE && !is_json(&resp) {
                    resp = ApiError::payload_too_large(limit).into_response();
                }
                resp
            },
        ))
        .with_state(state)
}

fn is_json(resp: &Response) -> bool {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// Rewrites axum's bodiless or plain-text error responses (405, 413 from the body limit…)
/// into the JSON error body, so every error has the same shape.
async fn json_errors(resp: Response) -> Response {
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(&resp) {
        return resp;
    }
    let code = match status.as_u16() {
        405 => "method_not_allowed",
        413 => "payload_too_large",
        404 => "not_found",
        415 => "unsupported_media_type",
        s if s < 500 => "bad_request",
        _ => "internal_error",
    };
    let allow = resp.headers().get(header::ALLOW).cloned();
    let msg = status.canonical_reason().unwrap_or("error").to_string();
    let mut out = ApiError::new(status, code, msg).into_response();
    if let Some(a) = allow {
        out.headers_mut().insert(header::ALLOW, a);
    }
    out
}

async fn track_metrics(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    // Cheap clones (a shared string and a method token): nothing is allocated per request.
    let route = req.extensions().get::<MatchedPath>().cloned();
    let method = req.method().clone();
    let mut resp = next.run(req).await;
    state.metrics().observe_request(
        route.as_ref().map_or("unmatched", |p| p.as_str()),
        method.as_str(),
        resp.status().as_u16(),
        start.elapsed(),
    );
    resp.headers_mut().insert(
        header::HeaderName::from_static("x-raqib-lists-version"),
        state.inner.lists.load().version_header.clone(),
    );
    resp
}

/// Serves [`app`] on `listener` until `shutdown` resolves; in-flight requests finish first.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // with the peer address, for the failed sign-in throttle
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
