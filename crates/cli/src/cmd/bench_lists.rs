//! `raqib bench lists`: load and validate every embedded default list (decompress, detect,
//! parse, build entities) and report wall time and peak memory, against a baseline measured
//! in the same run (decompression plus UTF-8 validation only, the floor any loader pays), so
//! the figure can be compared across noisy runs as a ratio.

use std::time::{Duration, Instant};

use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of timed runs (the best and the median are reported).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct Report {
    runs: usize,
    lists: usize,
    entities: usize,
    names: usize,
    input_bytes: usize,
    load_best_ms: f64,
    load_median_ms: f64,
    baseline_best_ms: f64,
    ratio_load_to_baseline: f64,
    first_load_ms: f64,
    peak_rss_mb: Option<f64>,
    target_ms: f64,
    target_rss_mb: f64,
    within_targets: bool,
}

/// Peak resident set size of this process in MB (Linux `VmHWM`).
fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let runs = args.runs.max(1);
    // First load: what a user waits for on start (cold caches of the process).
    let t = Instant::now();
    let lists = watchlist::source::embedded()?;
    let first = t.elapsed();
    let entities: usize = lists.iter().map(|l| l.entities.len()).sum();
    let names: usize = lists
        .iter()
        .map(|l| l.entities.iter().map(|e| e.names.len()).sum::<usize>())
        .sum();
    drop(lists);

    let mut load = Vec::with_capacity(runs);
    let mut baseline = Vec::with_capacity(runs);
    let mut input_bytes = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let lists = watchlist::source::embedded()?;
        load.push(t.elapsed());
        std::hint::black_box(&lists);
        drop(lists);

        let t = Instant::now();
        input_bytes = baseline_pass()?;
        baseline.push(t.elapsed());
    }
    load.sort();
    baseline.sort();
    let peak = peak_rss_mb();
    let report = Report {
        runs,
        lists: watchlist::source::EMBEDDED.len(),
        entities,
        names,
        input_bytes,
        load_best_ms: ms(load[0]),
        load_median_ms: ms(load[runs / 2]),
        baseline_best_ms: ms(baseline[0]),
        ratio_load_to_baseline: ms(load[0]) / ms(baseline[0]).max(1e-9),
        first_load_ms: ms(first),
        peak_rss_mb: peak,
        target_ms: 1000.0,
        target_rss_mb: 300.0,
        within_targets: ms(first) < 1000.0 && peak.is_none_or(|p| p < 300.0),
    };
    if args.json {
        out!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        out!(
            "raqib bench lists: {} embedded lists, {} entities, {} names, {:.1} MB of list text",
            report.lists,
            report.entities,
            report.names,
            report.input_bytes as f64 / 1e6
        );
        out!("  first load            {:8.1} ms", report.first_load_ms);
        out!(
            "  load + validate       {:8.1} ms best, {:.1} ms median of {runs}",
            report.load_best_ms,
            report.load_median_ms
        );
        out!(
            "  baseline (unzstd+utf8){:8.1} ms best  -> load is {:.2}x the baseline",
            report.baseline_best_ms,
            report.ratio_load_to_baseline
        );
        match report.peak_rss_mb {
            Some(p) => out!("  peak RSS (VmHWM)      {p:8.1} MB"),
            None => out!("  peak RSS              n/a (no /proc/self/status)"),
        }
        out!(
            "  targets: < 1000 ms, < 300 MB -> {}",
            if report.within_targets {
                "met"
            } else {
                "NOT met"
            }
        );
    }
    Ok(())
}

/// Decompresses every embedded file and checks it is UTF-8, on the same threads layout as the
/// loader; returns the number of decompressed bytes.
fn baseline_pass() -> anyhow::Result<usize> {
    let total = std::thread::scope(|s| {
        let handles: Vec<_> = watchlist::source::EMBEDDED
            .iter()
            .map(|l| {
                s.spawn(move || -> anyhow::Result<usize> {
                    let mut n = 0;
                    for (name, bytes) in l.files() {
                        let d = watchlist::source::decompress(bytes, name)?;
                        n += std::str::from_utf8(&d).map(str::len).unwrap_or(d.len());
                    }
                    Ok(n)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| anyhow::anyhow!("baseline thread panicked"))?
            })
            .sum::<anyhow::Result<usize>>()
    })?;
    Ok(total)
}
