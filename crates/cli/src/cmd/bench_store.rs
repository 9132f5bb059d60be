//! `raqib bench store`: how fast the request-path writer stores screenings, without HTTP and
//! without the matcher in the way.
//!
//! Under load the service answers a screening only after its rows are committed by one
//! writer (group commit, `store::writer`), so the writer's cost per screening bounds the
//! service's throughput and sets most of its latency. This command measures that cost alone:
//! it screens the load test's 16 names once against the lists, then stores `--screenings`
//! copies of those answers (fresh ids, the same payload and hit rows the service writes) from
//! `--concurrency` tasks, as the service's connections would, and prints screenings/s, the
//! process CPU per screening, the writer's commits and waits, and the database size.
//! Run it under `valgrind --tool=callgrind` for a deterministic instruction count.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::Context;
use screening::{Config, Query, Screener};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Screenings to store.
    #[arg(long, default_value_t = 40_000)]
    pub screenings: usize,
    /// Concurrent callers (the service's connections).
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Database URL; default: a fresh SQLite file in a temporary directory.
    #[arg(long)]
    pub database: Option<String>,
    /// List files or directories for the answers; default: the embedded lists.
    #[arg(long, num_args = 1..)]
    pub lists: Vec<PathBuf>,
}

/// The names of `scripts/loadtest.sh`: listed and unlisted, several scripts and spellings.
const NAMES: [&str; 16] = [
    "Abu Bakr al-Baghdadi",
    "أبو بكر البغدادي",
    "Ebubekir el-Bağdadi",
    "BAGHDADI, Abu Bakr",
    "Ayman al-Zawahiri",
    "Hamza bin Laden",
    "John Smith",
    "Maria Garcia Lopez",
    "Kim Jong Un",
    "Viktor Bout",
    "Al-Rashid Trust",
    "Acme Trading LLC",
    "Mohammed Ahmed",
    "Khalid Yusuf al-Baghdadi",
    "Olena Petrenko",
    "Banco Delta Asia",
];

/// One stored answer to copy: the compressed payload and the hits.
struct Template {
    payload: store::ScreeningPayload,
    hits: Vec<screening::Hit>,
    reference: String,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    anyhow::ensure!(args.concurrency > 0, "--concurrency must be at least 1");
    let lists = crate::common::load_lists(&args.lists)?;
    let screener = Screener::new(lists, Config::default());
    let mut templates = Vec::with_capacity(NAMES.len());
    for (i, name) in NAMES.iter().enumerate() {
        let query = Query {
            name: name.to_string(),
            ..Query::default()
        };
        let hits = screener
            .screen(&query)
            .map_err(|e| anyhow::anyhow!("screening {name:?}: {e}"))?;
        let reference = format!("load-{}", i + 1);
        let request =
            serde_json::to_vec(&serde_json::json!({"name": name, "reference": reference}))?;
        let results = serde_json::to_vec(&serde_json::json!({"matches": hits}))?;
        let payload = store::ScreeningPayload::encode(&request, &results)?;
        templates.push(Template {
            payload,
            hits,
            reference,
        });
    }
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let url = match &args.database {
        Some(u) => u.clone(),
        None => dir.path().join("bench.db").display().to_string(),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let report = rt.block_on(store_all(&args, &url, Arc::new(templates)))?;
    let db_bytes: u64 = ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{url}{s}")).ok())
        .map(|m| m.len())
        .sum();
    let w = &report.writer;
    let per = |x: f64| x / args.screenings.max(1) as f64;
    out!(
        "stored {} screenings ({} hit rows) from {} tasks in {:.2} s: {:.0} screenings/s",
        args.screenings,
        report.hit_rows,
        args.concurrency,
        report.seconds,
        args.screenings as f64 / report.seconds
    );
    match report.cpu_seconds {
        Some(cpu) => out!(
            "process CPU {:.2} s: {:.0} µs per screening",
            cpu,
            per(cpu) * 1e6
        ),
        None => out!("process CPU: not available on this system"),
    }
    out!(
        "writer: {} commits carrying {} screenings ({:.1} each), mean commit {:.2} ms; wait p50 {} p99 {}",
        w.commits,
        w.jobs,
        w.jobs as f64 / w.commits.max(1) as f64,
        w.commit.sum_seconds / w.commit.count.max(1) as f64 * 1e3,
        quantile(&w.wait, 0.5),
        quantile(&w.wait, 0.99)
    );
    if args.database.is_none() {
        out!(
            "database {:.1} MB, {:.0} bytes per screening",
            db_bytes as f64 / 1e6,
            per(db_bytes as f64)
        );
    }
    Ok(())
}

struct Report {
    seconds: f64,
    cpu_seconds: Option<f64>,
    hit_rows: usize,
    writer: store::WriterStats,
}

async fn store_all(
    args: &Args,
    url: &str,
    templates: Arc<Vec<Template>>,
) -> anyhow::Result<Report> {
    let store = store::Store::connect(url)
        .await
        .context("opening the benchmark database")?;
    let member = store.ensure_member("Bench Bank").await?;
    let context = Arc::new(store::ScreeningContext::new(
        serde_json::json!({"bench": true}),
        serde_json::json!({}),
    ));
    let next = Arc::new(AtomicUsize::new(0));
    let hit_rows = Arc::new(AtomicUsize::new(0));
    let cpu_before = process_cpu_seconds();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..args.concurrency {
        let (store, templates, next, hit_rows) = (
            store.clone(),
            templates.clone(),
            next.clone(),
            hit_rows.clone(),
        );
        let (member_id, context, total) = (member.id.clone(), context.clone(), args.screenings);
        tasks.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    return Ok::<(), store::StoreError>(());
                }
                let t = &templates[i % templates.len()];
                hit_rows.fetch_add(t.hits.len(), Ordering::Relaxed);
                let screening = store::NewScreening {
                    id: store::new_id("scr"),
                    member_id: member_id.clone(),
                    key_id: "key_bench".into(),
                    endpoint: "v1/screen".into(),
                    reference: Some(t.reference.clone()),
                    subject_key: store::sha256_hex(t.reference.as_bytes()),
                    payload: t.payload.clone(),
                    context: context.clone(),
                    created_at: chrono::Utc::now(),
                    hits: t
                        .hits
                        .iter()
                        .enumerate()
                        .map(|(rank, h)| store::NewHit {
                            id: store::new_id("hit"),
                            entity_id: h.entity_id.clone(),
                            rank: rank as i64 + 1,
                            score: h.score,
                            is_match: h.is_match,
                            matched_name: h.name.clone(),
                            caption: h.caption.clone(),
                            suppressed_by: None,
                        })
                        .collect(),
                };
                store.record_screenings(vec![screening]).await?;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.context("a benchmark task panicked")??;
    }
    let seconds = started.elapsed().as_secs_f64();
    let cpu_seconds = match (cpu_before, process_cpu_seconds()) {
        (Some(a), Some(b)) => Some(b - a),
        _ => None,
    };
    Ok(Report {
        seconds,
        cpu_seconds,
        hit_rows: hit_rows.load(Ordering::Relaxed),
        writer: store.writer_stats(),
    })
}

/// User + system CPU time of this process, from `/proc/self/stat` (Linux; `None` elsewhere).
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may contain spaces) start after the last ')'.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // The kernel's USER_HZ is 100 on every Linux architecture raqib builds for.
    Some(ticks / 100.0)
}

/// The upper bound of the histogram bucket holding quantile `q`, as text.
fn quantile(h: &store::LatencyHistogram, q: f64) -> String {
    let mut seen = 0;
    for (i, n) in h.counts.iter().enumerate() {
        seen += n;
        if h.count > 0 && seen as f64 >= q * h.count as f64 {
            return match store::LATENCY_BUCKETS.get(i) {
                Some(b) => format!("<= {} ms", b * 1e3),
                None => "> 5 s".into(),
            };
        }
    }
    "-".into()
}
