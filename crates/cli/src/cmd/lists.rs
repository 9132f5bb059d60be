//! `raqib lists`: what is loaded (per source: publication date, entities by schema, names,
//! aliases by quality, original-script names, warnings), and `raqib lists update`, which
//! fetches new list files, validates them completely and swaps them in atomically.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use serde::Serialize;
use watchlist::source::{ListStore, UpdateMode};
use watchlist::{Summary, WatchList};

use crate::common::{ListOrigin, load_default_lists};

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<ListsCommand>,
    /// List files or directories, any supported format (detected by content). Without them:
    /// the current lists of the data directory, else the embedded defaults.
    pub paths: Vec<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also print every warning (skipped or repaired records).
    #[arg(long)]
    pub warnings: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum ListsCommand {
    /// Download (http/https) or copy (directory or file) new list files, validate them fully
    /// and make them the current lists in one atomic step. A bad file leaves the current lists
    /// in place and the error names the file, the record and the reason.
    Update(UpdateArgs),
}

#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// A URL of a list file, a URL ending in `/` (every list file linked from that index
    /// page), a directory, or a file. Repeat for several.
    #[arg(long = "from", required = true, value_name = "URL|DIR")]
    pub from: Vec<String>,
    /// The data directory holding the current lists.
    #[arg(long, env = "RAQIB_DATA_DIR", default_value = "raqib-data")]
    pub data_dir: PathBuf,
    /// Make the new files the complete set of lists. By default they replace only the lists
    /// of the sources they hold (a new UN file replaces the UN list) and the others are kept.
    #[arg(long)]
    pub replace_all: bool,
    /// Seconds allowed for each download.
    #[arg(long, default_value_t = 300)]
    pub timeout: u64,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The `--json` shape of `raqib lists`.
#[derive(Debug, Serialize)]
struct ListsReport<'a> {
    /// `paths`, `data_dir` or `embedded`.
    loaded_from: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_dir: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    lists: Vec<ListReport<'a>>,
}

#[derive(Debug, Serialize)]
struct ListReport<'a> {
    #[serde(flatten)]
    summary: Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    warning_details: Option<&'a [watchlist::Warning]>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if let Some(ListsCommand::Update(u)) = args.command {
        return update(u);
    }
    let (lists, origin) = if args.paths.is_empty() {
        load_default_lists(&watchlist::source::default_data_dir())?
    } else {
        (
            watchlist::source::load_paths(&args.paths)?,
            ListOrigin::Paths,
        )
    };
    let (loaded_from, data_dir, version) = match &origin {
        ListOrigin::Paths => ("paths", None, None),
        ListOrigin::DataDir { dir, version } => (
            "data_dir",
            Some(dir.display().to_string()),
            Some(version.clone()),
        ),
        ListOrigin::Embedded => ("embedded", None, None),
    };
    if args.json {
        let report = ListsReport {
            loaded_from,
            data_dir,
            version,
            lists: lists
                .iter()
                .map(|l| ListReport {
                    summary: l.summary(),
                    warning_details: args.warnings.then_some(l.warnings.as_slice()),
                })
                .collect(),
        };
        out!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    out!("Lists loaded from {origin}:\n");
    print_table(&lists)?;
    if args.warnings {
        for l in &lists {
            for w in &l.warnings {
                out!("warning: {}: {}: {}", l.origin, w.record, w.message);
            }
        }
    } else if lists.iter().any(|l| !l.warnings.is_empty()) {
        out!("\nSome records were skipped or repaired; `raqib lists --warnings` shows each one.");
    }
    Ok(())
}

fn print_table(lists: &[WatchList]) -> anyhow::Result<()> {
    let header = [
        "SOURCE",
        "PUBLISHED",
        "ENTITIES",
        "PERSON",
        "ORG",
        "VESSEL",
        "AIRCRAFT",
        "NAMES",
        "STRONG AKA",
        "WEAK AKA",
        "FKA",
        "ORIG SCRIPT",
        "WARNINGS",
        "ORIGIN",
    ];
    let rows: Vec<Vec<String>> = lists
        .iter()
        .map(|l| {
            let s = l.summary();
            let schema = |k: &str| s.schemas.get(k).copied().unwrap_or(0).to_string();
            vec![
                s.source.as_str().to_owned(),
                s.published.clone().unwrap_or_else(|| "-".into()),
                s.entities.to_string(),
                schema("Person"),
                schema("Organization"),
                schema("Vessel"),
                schema("Aircraft"),
                s.names.to_string(),
                s.aliases.strong.to_string(),
                s.aliases.weak.to_string(),
                s.formerly_known_as.to_string(),
                s.original_script.to_string(),
                s.warnings.to_string(),
                s.origin.clone(),
            ]
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let last = cells.len() - 1;
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 || i == 1 || i == last {
                    format!("{c:<w$}", w = widths[i])
                } else {
                    format!("{c:>w$}", w = widths[i])
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    out!("{}", line(header.iter().map(|h| (*h).to_owned()).collect()));
    for r in rows {
        out!("{}", line(r));
    }
    Ok(())
}

#[derive(Debug, Serialize)]
struct UpdateReport {
    data_dir: String,
    version: String,
    replaced: Vec<String>,
    files: Vec<String>,
    kept: Vec<String>,
    lists: Vec<Summary>,
}

fn update(u: UpdateArgs) -> anyhow::Result<()> {
    let store = ListStore::open(&u.data_dir)?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for from in &u.from {
        let fetched = if from.starts_with("http://") || from.starts_with("https://") {
            download(from, Duration::from_secs(u.timeout))?
        } else {
            let p = Path::new(from);
            if p.is_dir() {
                let f = ListStore::read_dir_files(p)?;
                if f.is_empty() {
                    bail!("{from}: no list files (.xml, .csv, .json, .jsonl, optionally .zst)");
                }
                f
            } else {
                let bytes = std::fs::read(p).with_context(|| format!("reading {from}"))?;
                vec![(file_name_of(from), bytes)]
            }
        };
        for (name, bytes) in fetched {
            if files.iter().any(|(n, _)| *n == name) {
                bail!("two files named {name} among --from; give each list once");
            }
            files.push((name, bytes));
        }
    }
    let from_label = u.from.join(" ");
    let mode = if u.replace_all {
        UpdateMode::ReplaceAll
    } else {
        UpdateMode::ReplaceSources
    };
    let installed = store.update(&from_label, &files, mode).map_err(|e| {
        anyhow::anyhow!("{e}\nThe lists were NOT updated; the current lists stay in place.")
    })?;
    let report = UpdateReport {
        data_dir: u.data_dir.display().to_string(),
        version: installed.manifest.version.clone(),
        replaced: installed
            .replaced
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
        files: installed.manifest.files.clone(),
        kept: installed.manifest.kept.clone(),
        lists: installed.manifest.lists.clone(),
    };
    if u.json {
        out!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        out!(
            "Installed version {} in {} (replaced: {}; kept {} file(s) of other lists).\n",
            report.version,
            report.data_dir,
            report.replaced.join(", "),
            report.kept.len()
        );
        print_table(&installed.lists)?;
    }
    Ok(())
}

fn file_name_of(url_or_path: &str) -> String {
    let no_query = url_or_path.split(['?', '#']).next().unwrap_or(url_or_path);
    no_query
        .trim_end_matches('/')
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(no_query)
        .to_owned()
}

/// Largest file accepted from the network (official files are under 30 MB).
const MAX_DOWNLOAD: u64 = 512 * 1024 * 1024;

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .build()
        .into()
}

fn get(agent: &ureq::Agent, url: &str) -> anyhow::Result<Vec<u8>> {
    let mut resp = agent
        .get(url)
        .call()
        .with_context(|| format!("downloading {url}"))?;
    resp.body_mut()
        .with_config()
        .limit(MAX_DOWNLOAD)
        .read_to_vec()
        .with_context(|| format!("reading the body of {url}"))
}

/// Downloads one file, or for a URL ending in `/`, every list file its index page links to.
fn download(url: &str, timeout: Duration) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let agent = agent(timeout);
    if !url.ends_with('/') {
        let name = file_name_of(url);
        return Ok(vec![(name, get(&agent, url)?)]);
    }
    let index = get(&agent, url)?;
    let html = String::from_utf8_lossy(&index);
    let mut out = Vec::new();
    for link in hrefs(&html) {
        let name = file_name_of(&link);
        let lower = name.to_ascii_lowercase();
        let base = lower.strip_suffix(".zst").unwrap_or(&lower);
        if link.contains("://") || link.starts_with('/') || name.starts_with('.') {
            continue;
        }
        if [".xml", ".csv", ".json", ".jsonl", ".ndjson"]
            .iter()
            .any(|e| base.ends_with(e))
        {
            let full = format!("{url}{link}");
            out.push((name, get(&agent, &full)?));
        }
    }
    if out.is_empty() {
        bail!("{url}: the index page links to no list files (.xml, .csv, .json, .jsonl, .zst)");
    }
    Ok(out)
}

/// `href="…"` targets of an HTML index page (as served by common static file servers).
fn hrefs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("href=") {
        rest = &rest[i + 5..];
        let quote = rest.chars().next().unwrap_or(' ');
        if quote != '"' && quote != '\'' {
            continue;
        }
        if let Some(end) = rest[1..].find(quote) {
            let v = &rest[1..1 + end];
            if !out.iter().any(|x: &String| x == v) {
                out.push(percent_decode(v));
            }
            rest = &rest[1 + end..];
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_pages_yield_their_links() {
        let html = r#"<ul><li><a href="sdn.xml">sdn.xml</a></li><li><a href='cons%5Fprim.csv'>x</a></li><a href="../">up</a></ul>"#;
        assert_eq!(hrefs(html), vec!["sdn.xml", "cons_prim.csv", "../"]);
        assert_eq!(file_name_of("http://h/x/un.xml?x=1"), "un.xml");
    }
}
