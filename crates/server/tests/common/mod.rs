//! Test harness: a real store (SQLite in a temp dir, or a fresh PostgreSQL database when
//! `RAQIB_TEST_POSTGRES_URL` is set), the repo's embedded UN list, and keys for two members.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use server::{AppState, ListLoader, Options};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use store::{Role, Store};
use tower::ServiceExt;
use watchlist::WatchList;

/// The repo's copy of the UN consolidated list (1,003 entries, compressed).
pub fn un_list_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/lists/un_consolidated_2026-02-27.xml.zst")
}

/// Parsed once per test binary.
pub fn un_lists() -> Vec<WatchList> {
    static LISTS: OnceLock<Vec<WatchList>> = OnceLock::new();
    LISTS
        .get_or_init(|| watchlist::source::load_path(&un_list_path()).expect("UN list loads"))
        .clone()
}

pub fn static_loader() -> ListLoader {
    Arc::new(|| Ok(un_lists()))
}

/// A loader that re-reads `path` on every call, as the binary's does.
pub fn file_loader(path: PathBuf) -> ListLoader {
    Arc::new(move || {
        watchlist::source::load_paths(std::slice::from_ref(&path)).map_err(|e| e.to_string())
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// SQLite always; PostgreSQL too when `RAQIB_TEST_POSTGRES_URL` is set.
pub fn backends() -> Vec<Backend> {
    let mut v = vec![Backend::Sqlite];
    if std::env::var("RAQIB_TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty()) {
        v.push(Backend::Postgres);
    }
    v
}

pub struct Harness {
    pub state: AppState,
    pub app: axum::Router,
    pub backend: Backend,
    /// Member A: screener, analyst and admin keys.
    pub a_screener: String,
    pub a_analyst: String,
    pub a_admin: String,
    /// Member B: an analyst.
    pub b_analyst: String,
    pub _dir: tempfile::TempDir,
}

pub async fn store_for(backend: Backend, dir: &tempfile::TempDir) -> Store {
    match backend {
        Backend::Sqlite => {
            let p = dir.path().join("raqib.db");
            Store::connect(p.to_str().expect("utf-8"))
                .await
                .expect("sqlite")
        }
        Backend::Postgres => {
            let base = std::env::var("RAQIB_TEST_POSTGRES_URL").expect("pg url");
            let url = store::testing::fresh_postgres_database(&base)
                .await
                .expect("fresh pg database");
            Store::connect(&url).await.expect("postgres")
        }
    }
}

pub async fn harness_with(backend: Backend, loader: ListLoader, options: Options) -> Harness {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_for(backend, &dir).await;
    let key = |m: &'static str, r: Role| {
        let s = store.clone();
        async move { s.create_key(m, r, None, "test").await.expect("key").key }
    };
    let a_screener = key("Bank A", Role::Screener).await;
    let a_analyst = key("Bank A", Role::Analyst).await;
    let a_admin = key("Bank A", Role::Admin).await;
    let b_analyst = key("Bank B", Role::Analyst).await;
    let state = AppState::new(store, loader, options).await.expect("state");
    let app = server::app(state.clone());
    Harness {
        state,
        app,
        backend,
        a_screener,
        a_analyst,
        a_admin,
        b_analyst,
        _dir: dir,
    }
}

pub async fn harness(backend: Backend) -> Harness {
    harness_with(backend, static_loader(), Options::default()).await
}

impl Harness {
    /// One request through the router, no socket.
    pub async fn call(
        &self,
        method: &str,
        uri: &str,
        key: Option<&str>,
        body: Option<&str>,
    ) -> (StatusCode, serde_json::Value) {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(k) = key {
            b = b.header("authorization", format!("Bearer {k}"));
        }
        if body.is_some() {
            b = b.header("content-type", "application/json");
        }
        let req = b
            .body(
                body.map(|s| Body::from(s.to_string()))
                    .unwrap_or_else(Body::empty),
            )
            .expect("request");
        let resp = self.app.clone().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        let v = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
            serde_json::Value::String(String::from_utf8_lossy(&bytes).into_owned())
        });
        (status, v)
    }

    pub async fn post(
        &self,
        uri: &str,
        key: &str,
        body: serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        self.call("POST", uri, Some(key), Some(&body.to_string()))
            .await
    }

    pub async fn get(&self, uri: &str, key: &str) -> (StatusCode, serde_json::Value) {
        self.call("GET", uri, Some(key), None).await
    }
}

/// Starts the app on a real socket on 127.0.0.1; returns its base URL and a stop handle.
pub async fn spawn_socket(
    state: AppState,
) -> (
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let h = tokio::spawn(async move {
        server::serve(listener, state, async move {
            let _ = rx.await;
        })
        .await
        .expect("serve");
    });
    (format!("http://{addr}"), tx, h)
}

/// A blocking HTTP client call over the socket (ureq), returning status and JSON.
pub fn http(
    method: &str,
    url: &str,
    key: Option<&str>,
    body: Option<String>,
) -> (u16, serde_json::Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = match (method, body) {
        ("POST", b) => {
            let mut r = agent.post(url).header("content-type", "application/json");
            if let Some(k) = key {
                r = r.header("authorization", &format!("Bearer {k}"));
            }
            r.send(b.unwrap_or_default()).expect("request sent")
        }
        _ => {
            let mut r = agent.get(url);
            if let Some(k) = key {
                r = r.header("authorization", &format!("Bearer {k}"));
            }
            r.call().expect("request sent")
        }
    };
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().unwrap_or_default();
    let v = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
    (status, v)
}

pub fn ids(matches: &serde_json::Value) -> Vec<String> {
    matches
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| m["entity_id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}
