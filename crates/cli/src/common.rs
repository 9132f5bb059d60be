//! Helpers shared by several commands.

use std::path::{Path, PathBuf};

use anyhow::Context;

/// Logs go to stderr so that stdout stays machine-readable; `RAQIB_LOG` sets the filter.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RAQIB_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Where the lists a command uses came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListOrigin {
    /// Files or directories given on the command line.
    Paths,
    /// The current version in the data directory (`raqib lists update` put it there).
    DataDir { dir: PathBuf, version: String },
    /// The defaults compiled into the binary.
    Embedded,
}

impl std::fmt::Display for ListOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ListOrigin::Paths => f.write_str("the paths given"),
            ListOrigin::DataDir { dir, version } => {
                write!(f, "{} (version {version})", dir.display())
            }
            ListOrigin::Embedded => f.write_str("the embedded default lists"),
        }
    }
}

/// The lists every command screens against: the `paths` given; else the current lists of
/// the data directory (`$RAQIB_DATA_DIR`, default `raqib-data/`) if `raqib lists update` has
/// installed any; else the lists embedded in the binary.
pub fn load_lists(paths: &[PathBuf]) -> anyhow::Result<Vec<watchlist::WatchList>> {
    load_lists_with_origin(paths).map(|(lists, _)| lists)
}

/// [`load_lists`], also saying where the lists came from.
pub fn load_lists_with_origin(
    paths: &[PathBuf],
) -> anyhow::Result<(Vec<watchlist::WatchList>, ListOrigin)> {
    if !paths.is_empty() {
        let lists = watchlist::source::load_paths(paths).context("loading the lists given")?;
        warn_about(&lists);
        return Ok((lists, ListOrigin::Paths));
    }
    load_default_lists(&watchlist::source::default_data_dir())
}

/// The lists of data directory `dir` if it holds any, else the embedded defaults.
pub fn load_default_lists(dir: &Path) -> anyhow::Result<(Vec<watchlist::WatchList>, ListOrigin)> {
    if let Some(store) = watchlist::source::ListStore::open_existing(dir)
        && let Some(version) = store.current_version()?
    {
        let lists = store
            .current()
            .with_context(|| format!("loading the current lists of {}", dir.display()))?
            .unwrap_or_default();
        if !lists.is_empty() {
            warn_about(&lists);
            return Ok((
                lists,
                ListOrigin::DataDir {
                    dir: dir.to_path_buf(),
                    version,
                },
            ));
        }
    }
    let lists = watchlist::source::embedded().context("loading the embedded default lists")?;
    Ok((lists, ListOrigin::Embedded))
}

/// Skipped records are logged (never silently dropped); `raqib lists` shows them in full.
fn warn_about(lists: &[watchlist::WatchList]) {
    for l in lists {
        if !l.warnings.is_empty() {
            tracing::warn!(
                origin = %l.origin,
                warnings = l.warnings.len(),
                first = %l.warnings.first().map(|w| format!("{}: {}", w.record, w.message)).unwrap_or_default(),
                "list loaded with warnings (see `raqib lists`)"
            );
        }
    }
}
