//! `raqib bench screening [--lists PATH...] [--queries FILE] [--json]`: screening speed and
//! memory on this machine, with a brute-force baseline in the same run.
//!
//! Measures: list load time; index build time; single-query latency p50/p99/max (one thread,
//! in process); batch throughput on all cores (queries/s); the brute-force baseline (every
//! list name scored with strsim's Jaro-Winkler) on a sample, and the speed ratio; peak RSS
//! (VmHWM from /proc/self/status). The machine is shared and noisy: compare ratios, and run
//! with `nice` on shared machines.
//!
//! Queries: the `name` field of a JSON-lines file (e.g. eval/screening/dev.jsonl), a CSV with
//! a `name` column, or one name per line; without `--queries`, a deterministic mix derived
//! from the loaded lists (list names re-ordered, lower-cased, with a dropped token) plus
//! unrelated names.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use screening::baseline::BruteForce;
use screening::{Config, Query, Screener};
use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// List files or directories; default: the embedded lists.
    #[arg(long, num_args = 1..)]
    pub lists: Vec<PathBuf>,
    /// Query names (JSON lines with `name`, CSV with a `name` column, or one per line).
    #[arg(long)]
    pub queries: Option<PathBuf>,
    /// Queries to time for throughput (repeated from the query set).
    #[arg(long, default_value_t = 100_000)]
    pub batch: usize,
    /// Queries scored by the brute-force baseline (it is slow).
    #[arg(long, default_value_t = 200)]
    pub baseline: usize,
    /// Matcher settings (JSON object with fields of `screening::Config`); default pack
    /// without it.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct Report {
    entities: usize,
    names_indexed: usize,
    /// Distinct name forms (the same name on several lists counts once).
    name_forms: usize,
    index_keys: usize,
    postings: usize,
    load_ms: f64,
    build_ms: f64,
    queries: usize,
    threads: usize,
    batch_queries: usize,
    batch_qps: f64,
    single_thread_qps: f64,
    latency_p50_us: f64,
    latency_p99_us: f64,
    latency_max_us: f64,
    baseline_queries: usize,
    baseline_qps: f64,
    baseline_p50_us: f64,
    speedup_single_thread: f64,
    peak_rss_mb: Option<f64>,
}

fn read_queries(path: &PathBuf) -> anyhow::Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let first = text.trim_start().chars().next();
    let mut out = Vec::new();
    if first == Some('{') {
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line)?;
            if let Some(n) = v.get("name").and_then(|n| n.as_str()) {
                out.push(n.to_string());
            }
        }
    } else if text
        .lines()
        .next()
        .is_some_and(|h| h.split(',').any(|c| c.trim().eq_ignore_ascii_case("name")))
    {
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let col = rdr
            .headers()?
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case("name"));
        for rec in rdr.records() {
            let rec = rec?;
            if let Some(n) = col.and_then(|c| rec.get(c)) {
                out.push(n.to_string());
            }
        }
    } else {
        out = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
    }
    Ok(out)
}

/// A deterministic query mix from the lists: every 13th list name, transformed in turn
/// (as is, lower-case, tokens reversed, last token dropped), plus unrelated names.
fn derived_queries(s: &Screener) -> Vec<String> {
    let mut out = Vec::new();
    for (i, (_, name)) in s.indexed_names().enumerate().filter(|(i, _)| i % 13 == 0) {
        let toks: Vec<&str> = name.split_whitespace().collect();
        let q = match i % 4 {
            0 => name.to_string(),
            1 => name.to_lowercase(),
            2 => toks.iter().rev().copied().collect::<Vec<_>>().join(" "),
            _ if toks.len() > 2 => toks[..toks.len() - 1].join(" "),
            _ => name.to_string(),
        };
        out.push(q);
    }
    const FIRST: [&str; 10] = [
        "John", "Maria", "Peter", "Aisha", "Chen", "Olga", "Kwame", "Sofia", "Ahmed", "Lucas",
    ];
    const LAST: [&str; 10] = [
        "Miller", "Garcia", "Novak", "Okafor", "Tanaka", "Schmidt", "Rossi", "Dubois", "Hansen",
        "Kowalski",
    ];
    for (i, f) in FIRST.iter().enumerate() {
        for l in LAST.iter().skip(i % 3) {
            out.push(format!("{f} {l}"));
        }
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1e6
}

fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some((kb / 1024.0 * 10.0).round() / 10.0)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let t0 = Instant::now();
    let lists = crate::common::load_lists(&args.lists)?;
    let load = t0.elapsed();
    let t1 = Instant::now();
    let config = match &args.config {
        Some(p) => super::eval_screening::read_config(p)?,
        None => Config::default(),
    };
    let screener = Screener::new(lists, config);
    let build = t1.elapsed();
    let names = match &args.queries {
        Some(p) => read_queries(p)?,
        None => derived_queries(&screener),
    };
    if names.is_empty() {
        bail!("no queries to run");
    }
    let queries: Vec<Query> = names.iter().map(|n| Query::name(n.as_str())).collect();

    // Warm-up, then single-thread latency over the query set.
    for q in queries.iter().take(500) {
        let _ = screener.screen(q);
    }
    let mut lat = Vec::with_capacity(queries.len());
    let ts = Instant::now();
    for q in &queries {
        let t = Instant::now();
        let r = screener.screen(q);
        lat.push(t.elapsed());
        std::hint::black_box(r.ok());
    }
    let single_total = ts.elapsed();
    lat.sort_unstable();

    // Batch throughput on all cores.
    let batch: Vec<Query> = queries
        .iter()
        .cycle()
        .take(args.batch.max(queries.len()))
        .cloned()
        .collect();
    let tb = Instant::now();
    let res = screener.screen_many(&batch);
    let batch_time = tb.elapsed();
    std::hint::black_box(res.len());
    drop(res);

    // Brute-force baseline on a sample, single thread.
    let bf = BruteForce::new(&screener);
    let step = (names.len() / args.baseline.max(1)).max(1);
    let sample: Vec<&String> = names.iter().step_by(step).take(args.baseline).collect();
    let mut blat = Vec::with_capacity(sample.len());
    let tbf = Instant::now();
    for n in &sample {
        let t = Instant::now();
        std::hint::black_box(bf.best(n));
        blat.push(t.elapsed());
    }
    let bf_total = tbf.elapsed();
    blat.sort_unstable();

    let single_qps = queries.len() as f64 / single_total.as_secs_f64();
    let baseline_qps = sample.len() as f64 / bf_total.as_secs_f64().max(1e-9);
    let stats = screener.stats();
    let r = Report {
        entities: stats.entities,
        names_indexed: stats.names,
        name_forms: stats.forms,
        index_keys: stats.keys,
        postings: stats.postings,
        load_ms: load.as_secs_f64() * 1e3,
        build_ms: build.as_secs_f64() * 1e3,
        queries: queries.len(),
        threads: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        batch_queries: batch.len(),
        batch_qps: batch.len() as f64 / batch_time.as_secs_f64(),
        single_thread_qps: single_qps,
        latency_p50_us: percentile(&lat, 0.50),
        latency_p99_us: percentile(&lat, 0.99),
        latency_max_us: percentile(&lat, 1.0),
        baseline_queries: sample.len(),
        baseline_qps,
        baseline_p50_us: percentile(&blat, 0.50),
        speedup_single_thread: single_qps / baseline_qps.max(1e-9),
        peak_rss_mb: peak_rss_mb(),
    };
    if args.json {
        out!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(());
    }
    out!("screening benchmark ({} threads)", r.threads);
    out!(
        "  lists: {} entities, {} names indexed ({} distinct forms), {} keys, {} postings",
        r.entities,
        r.names_indexed,
        r.name_forms,
        r.index_keys,
        r.postings
    );
    out!("  load lists        {:>10.1} ms", r.load_ms);
    out!("  build index       {:>10.1} ms", r.build_ms);
    out!(
        "  single query      p50 {:.1} us, p99 {:.1} us, max {:.1} us ({} queries, 1 thread: {:.0} q/s)",
        r.latency_p50_us,
        r.latency_p99_us,
        r.latency_max_us,
        r.queries,
        r.single_thread_qps
    );
    out!(
        "  batch             {:>10.0} queries/s ({} queries, all cores)",
        r.batch_qps,
        r.batch_queries
    );
    out!(
        "  brute force JW    {:>10.1} queries/s (p50 {:.0} us, {} queries x {} names, 1 thread)",
        r.baseline_qps,
        r.baseline_p50_us,
        r.baseline_queries,
        bf.len()
    );
    out!(
        "  speed-up vs brute force (1 thread): {:.0}x",
        r.speedup_single_thread
    );
    if let Some(m) = r.peak_rss_mb {
        out!("  peak RSS (VmHWM)  {m:>10.1} MB");
    }
    Ok(())
}
