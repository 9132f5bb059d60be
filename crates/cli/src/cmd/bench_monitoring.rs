//! `raqib bench monitoring`: throughput and memory of the whole monitoring pipeline
//! (parse -> all detectors -> alert JSON written), on a real input or on generated
//! synthetic streams of any size, with a parse-only baseline measured in the same run
//! (the machine is shared and noisy: the ratio is the robust figure).
//!
//! `raqib bench monitoring --generate 1000000,10000000 --accounts 100000,1000000` runs one
//! child process per size so that each peak RSS (VmHWM) belongs to that size alone.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use monitoring::input::Format;
use monitoring::synth::{SynthConfig, SynthStream};
use monitoring::{Engine, Rules};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Benchmark on this input (AMLSim directory / transactions.csv, or --format ...).
    #[arg(long, conflicts_with = "generate")]
    pub input: Option<PathBuf>,
    /// Input format for --input.
    #[arg(long)]
    pub format: Option<String>,
    /// Generate synthetic AMLSim-format streams of these sizes (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub generate: Vec<u64>,
    /// Accounts per generated stream (one value, or one per size).
    #[arg(long, value_delimiter = ',', default_value = "100000")]
    pub accounts: Vec<u64>,
    /// Event-time span of generated streams, in days.
    #[arg(long, default_value_t = 365)]
    pub days: u64,
    /// Seed of the generator.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Keep the generated CSV here instead of a temporary file (also: `--generate N
    /// --keep FILE --no-run` just writes a stream for other tools).
    #[arg(long)]
    pub keep: Option<PathBuf>,
    /// Only generate (with --keep), do not run.
    #[arg(long)]
    pub no_run: bool,
    /// Rules pack (TOML) merged over the default.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Print one JSON object per run instead of text.
    #[arg(long)]
    pub json: bool,
    /// Internal: run a single size in this process (used for per-size RSS).
    #[arg(long, hide = true)]
    pub single: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchResult {
    pub transactions: u64,
    pub accounts: u64,
    pub input_bytes: u64,
    pub parse_only_secs: f64,
    pub pipeline_secs: f64,
    pub pipeline_tx_per_sec: f64,
    pub pipeline_cpu_secs: f64,
    pub pipeline_tx_per_cpu_sec: f64,
    pub parse_only_tx_per_sec: f64,
    pub pipeline_over_parse: f64,
    pub alerts_written: u64,
    pub peak_edges_in_window: u64,
    pub rss_before_run_mib: f64,
    pub peak_rss_mib: f64,
    pub threads: usize,
}

/// CPU time consumed so far by this (single-threaded) process, in seconds: the
/// per-core figure, independent of how many other jobs share the machine.
fn cpu_secs() -> f64 {
    // /proc/self/schedstat: nanoseconds on CPU, waiting, timeslices.
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map(|ns| ns / 1e9)
        .unwrap_or(0.0)
}

/// Peak and current resident set size in MiB (Linux /proc; 0 elsewhere).
fn rss_mib() -> (f64, f64) {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let get = |k: &str| {
        s.lines()
            .find(|l| l.starts_with(k))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .unwrap_or(0.0)
    };
    (get("VmHWM:"), get("VmRSS:"))
}

/// Writes a synthetic stream in the AMLSim transactions.csv layout.
pub fn write_stream(path: &std::path::Path, cfg: SynthConfig) -> anyhow::Result<u64> {
    let f = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut w = BufWriter::with_capacity(1 << 20, f);
    writeln!(
        w,
        "tx_id,timestamp,step,orig_acct,bene_acct,orig_bank,bene_bank,amount,currency,tx_type"
    )?;
    let start = 1_704_067_200i64;
    let mut n = 0;
    for t in SynthStream::new(cfg) {
        writeln!(
            w,
            "{},{},{},{},{},{},{},{:.2},{},TRANSFER",
            t.id,
            monitoring::tx::format_timestamp(t.timestamp),
            (t.timestamp - start) / 86_400,
            t.originator.account,
            t.beneficiary.account,
            t.originator.bank.as_deref().unwrap_or(""),
            t.beneficiary.bank.as_deref().unwrap_or(""),
            t.amount,
            t.currency
        )?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
}

fn run_one(
    path: &std::path::Path,
    fmt: Format,
    rules: Rules,
    accounts_hint: u64,
) -> anyhow::Result<BenchResult> {
    let input_bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let open = || -> anyhow::Result<Box<dyn std::io::BufRead>> {
        Ok(Box::new(BufReader::with_capacity(
            1 << 20,
            File::open(path).with_context(|| format!("opening {}", path.display()))?,
        )))
    };
    // Baseline: parse only.
    let t0 = Instant::now();
    let mut rej = Vec::new();
    let mut n = 0u64;
    for r in super::monitor::records(fmt, open()?, None, None, &mut rej)? {
        n += r.is_ok() as u64;
    }
    let parse_secs = t0.elapsed().as_secs_f64();
    let (_, rss_before) = rss_mib();
    // Whole pipeline: parse, all detectors, alerts serialised and written.
    let dir = tempfile::tempdir()?;
    let out = File::create(dir.path().join("alerts.jsonl"))?;
    let mut w = BufWriter::with_capacity(1 << 20, out);
    let mut engine = Engine::new(rules);
    let t1 = Instant::now();
    let c1 = cpu_secs();
    let recs = super::monitor::records(fmt, open()?, None, None, &mut rej)?;
    let summary = super::monitor::drive(&mut engine, recs, &mut w, false, &mut rej, None)?;
    w.flush()?;
    let pipe_secs = t1.elapsed().as_secs_f64();
    let pipe_cpu = cpu_secs() - c1;
    let (peak, _) = rss_mib();
    Ok(BenchResult {
        transactions: n,
        accounts: if summary.stats.accounts > 0 {
            summary.stats.accounts
        } else {
            accounts_hint
        },
        input_bytes,
        parse_only_secs: parse_secs,
        pipeline_secs: pipe_secs,
        pipeline_tx_per_sec: n as f64 / pipe_secs.max(1e-9),
        pipeline_cpu_secs: pipe_cpu,
        pipeline_tx_per_cpu_sec: if pipe_cpu > 0.0 {
            n as f64 / pipe_cpu
        } else {
            0.0
        },
        parse_only_tx_per_sec: n as f64 / parse_secs.max(1e-9),
        pipeline_over_parse: pipe_secs / parse_secs.max(1e-9),
        alerts_written: summary.alerts_written,
        peak_edges_in_window: summary.stats.peak_edges_in_window,
        rss_before_run_mib: rss_before,
        peak_rss_mib: peak,
        threads: 1,
    })
}

fn print(r: &BenchResult, json: bool) -> anyhow::Result<()> {
    if json {
        out!("{}", serde_json::to_string(r)?);
    } else {
        out!(
            "{:>11} tx {:>9} accounts  pipeline {:>8.2}s wall = {:>9.0} tx/s, {:>8.2}s CPU = {:>9.0} tx/s per core  parse-only {:>7.0} tx/s  ratio {:.2}  alerts {:>6}  peak edges {:>9}  peak RSS {:>8.1} MiB",
            r.transactions,
            r.accounts,
            r.pipeline_secs,
            r.pipeline_tx_per_sec,
            r.pipeline_cpu_secs,
            r.pipeline_tx_per_cpu_sec,
            r.parse_only_tx_per_sec,
            r.pipeline_over_parse,
            r.alerts_written,
            r.peak_edges_in_window,
            r.peak_rss_mib
        );
    }
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let rules = super::monitor::load_rules(args.rules.as_deref())?;
    if let Some(input) = &args.input {
        let (path, fmt, _) = super::monitor::resolve_input(input, args.format.as_deref(), None)?;
        if matches!(fmt, Format::Csv) {
            bail!("bench on --format csv is not supported (use amlsim, jsonl or pacs008)");
        }
        let r = run_one(&path, fmt, rules, 0)?;
        return print(&r, args.json);
    }
    if args.generate.is_empty() {
        bail!("give --input PATH or --generate N[,N...]");
    }
    let accounts_for = |i: usize| -> u64 {
        *args
            .accounts
            .get(i)
            .or(args.accounts.last())
            .unwrap_or(&100_000)
    };
    if args.generate.len() > 1 && !args.single {
        // One child per size: each peak RSS then belongs to that size only.
        let exe = std::env::current_exe().context("locating the raqib binary")?;
        for (i, &n) in args.generate.iter().enumerate() {
            let mut cmd = std::process::Command::new(&exe);
            cmd.args([
                "bench",
                "monitoring",
                "--single",
                "--generate",
                &n.to_string(),
                "--accounts",
                &accounts_for(i).to_string(),
            ]);
            cmd.args([
                "--days",
                &args.days.to_string(),
                "--seed",
                &args.seed.to_string(),
            ]);
            if let Some(r) = &args.rules {
                cmd.arg("--rules").arg(r);
            }
            if args.json {
                cmd.arg("--json");
            }
            let st = cmd.status().context("running a benchmark child process")?;
            if !st.success() {
                bail!("benchmark for {n} transactions failed");
            }
        }
        return Ok(());
    }
    let n = args.generate[0];
    let accounts = accounts_for(0);
    let dir = tempfile::tempdir()?;
    let path = args
        .keep
        .clone()
        .unwrap_or_else(|| dir.path().join("transactions.csv"));
    let cfg = SynthConfig {
        transactions: n,
        accounts,
        days: args.days,
        seed: args.seed,
        pattern_every: 2_000,
    };
    let t0 = Instant::now();
    write_stream(&path, cfg)?;
    if !args.json {
        eprintln!(
            "generated {n} transactions over {accounts} accounts in {:.1}s -> {}",
            t0.elapsed().as_secs_f64(),
            path.display()
        );
    }
    if args.no_run {
        return Ok(());
    }
    let r = run_one(&path, Format::Amlsim, rules, accounts)?;
    print(&r, args.json)
}
