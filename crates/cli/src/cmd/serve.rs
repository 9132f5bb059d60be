//! `raqib serve`: the HTTP API (see the `server` crate) on a SQLite file or PostgreSQL.

use crate::common;
use anyhow::Context;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Database: a SQLite file path (default `raqib.db` in the working directory) or a
    /// `postgres://user@host:port/db` URL.
    #[arg(long, env = "RAQIB_DATABASE", default_value = "raqib.db")]
    pub database: String,
    /// List files or directories (any supported format). Without them: the data directory's
    /// current lists, else the embedded defaults. `POST /v1/lists/reload` re-reads the same.
    #[arg(long, num_args = 1..)]
    pub lists: Vec<PathBuf>,
    /// Largest accepted request body in bytes (413 above).
    #[arg(long, default_value_t = server::DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
    /// Default match threshold (0..1); a request may override it.
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub workers: Option<usize>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    rt.enable_all();
    if let Some(w) = args.workers {
        rt.worker_threads(w.max(1));
    }
    rt.build()
        .context("starting the async runtime")?
        .block_on(serve(args))
}

async fn serve(args: Args) -> anyhow::Result<()> {
    let store = store::Store::connect(&args.database)
        .await
        .with_context(|| format!("opening the database {}", redact(&args.database)))?;
    let paths = args.lists.clone();
    let loader: server::ListLoader =
        Arc::new(move || common::load_lists(&paths).map_err(|e| format!("{e:#}")));
    let mut options = server::Options {
        max_body_bytes: args.max_body_bytes,
        ..Default::default()
    };
    if let Some(t) = args.threshold {
        anyhow::ensure!(
            (0.0..=1.0).contains(&t),
            "--threshold must be between 0 and 1, got {t}"
        );
        options.matcher.threshold = t;
    }
    let state = server::AppState::new(store.clone(), loader, options)
        .await
        .map_err(|e| anyhow::anyhow!(e))
        .context("loading the lists")?;
    let live = state.lists();
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("binding {}", args.bind))?;
    eprintln!(
        "raqib serve: listening on http://{} (database: {} {}, lists version {}: {} entities from {} lists)",
        listener.local_addr().unwrap_or(args.bind),
        store.backend_name(),
        redact(&args.database),
        live.version,
        live.entity_count(),
        live.lists.len(),
    );
    drop(live);
    server::serve(listener, state, shutdown())
        .await
        .context("serving HTTP")?;
    eprintln!("raqib serve: stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests finish first.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
            None => url.to_string(),
        },
        _ => url.to_string(),
    }
}
