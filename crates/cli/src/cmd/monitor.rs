//! `raqib monitor`: score a batch of transactions for terrorist-financing typologies.
//!
//! This is the I/O edge around the pure `monitoring` crate: it opens files, picks the input
//! adapter, wires watchlist screening in (the `NameScreener` glue below), shows progress,
//! writes one JSON alert per line and prints a summary with the rejected records.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use monitoring::input::{Format, Record, amlsim, csv_mapped, jsonl, pacs008};
use monitoring::{Alert, AlertStatus, Engine, Rejected, Rules, Transaction};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Input file; for amlsim, the AMLSim output directory or its transactions.csv.
    #[arg(long, required_unless_present = "print_default_rules")]
    pub input: Option<PathBuf>,
    /// Input format (default: guessed from the path: directory or AMLSim header -> amlsim,
    /// .jsonl/.ndjson -> jsonl, .xml -> pacs008; csv needs --mapping).
    #[arg(long)]
    pub format: Option<String>,
    /// Rules pack (TOML) merged over the embedded default pack.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Where to write alerts, one JSON object per line.
    #[arg(long, required_unless_present = "print_default_rules")]
    pub alerts: Option<PathBuf>,
    /// Column mapping (TOML) for --format csv.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// AMLSim accounts.csv (default: accounts.csv next to transactions.csv, if present).
    #[arg(long)]
    pub accounts: Option<PathBuf>,
    /// Write every rejected record (JSON lines: record, reason) to this file.
    #[arg(long)]
    pub rejected: Option<PathBuf>,
    /// Watchlist files or directories for the listed-counterparty detector (default: the
    /// lists every command uses: data directory, else embedded).
    #[arg(long = "lists", num_args = 1..)]
    pub lists: Vec<PathBuf>,
    /// Do not screen party names against watchlists.
    #[arg(long)]
    pub no_screening: bool,
    /// Also write alerts when first raised (`status: open`), not only their final version.
    #[arg(long)]
    pub emit_open: bool,
    /// Also store the scored transactions and the alerts in this database (a file path or
    /// `sqlite:PATH` for SQLite, `postgres://...`), where `raqib serve` shows them to
    /// analysts. Needs --member. Re-running the same input stores nothing twice.
    #[arg(long, requires = "member")]
    pub store: Option<String>,
    /// Member (organisation) the stored transactions and alerts belong to; created if new.
    #[arg(long)]
    pub member: Option<String>,
    /// Print the default rules pack and exit.
    #[arg(long)]
    pub print_default_rules: bool,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// Watchlist screening for the listed-counterparty detector: a newtype over the screening
/// crate's index (it lives in `server`, which scores `POST /v1/transactions` with it too).
pub use server::ScreenerGlue;

/// Counts of one run, for the summary and for `raqib bench monitoring`.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct RunSummary {
    pub records: u64,
    pub rejected_at_input: u64,
    pub alerts_written: u64,
    pub stats: monitoring::Stats,
}

/// Resolves input path and format; returns (transactions path, format, accounts path).
pub fn resolve_input(
    args_input: &Path,
    format: Option<&str>,
    accounts: Option<&Path>,
) -> anyhow::Result<(PathBuf, Format, Option<PathBuf>)> {
    let mut path = args_input.to_path_buf();
    let fmt = match format {
        Some(f) => f.parse::<Format>().map_err(anyhow::Error::msg)?,
        None => guess_format(&path)?,
    };
    if path.is_dir() {
        if fmt != Format::Amlsim {
            bail!(
                "{} is a directory; only --format amlsim takes a directory",
                path.display()
            );
        }
        path = path.join("transactions.csv");
    }
    let accounts = match (fmt, accounts) {
        (_, Some(a)) => Some(a.to_path_buf()),
        (Format::Amlsim, None) => path
            .parent()
            .map(|p| p.join("accounts.csv"))
            .filter(|p| p.is_file()),
        _ => None,
    };
    Ok((path, fmt, accounts))
}

fn guess_format(path: &Path) -> anyhow::Result<Format> {
    if path.is_dir() {
        return Ok(Format::Amlsim);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" | "json" => Ok(Format::Jsonl),
        "xml" => Ok(Format::Pacs008),
        _ => {
            let mut head = String::new();
            let f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
            BufReader::new(f)
                .read_line(&mut head)
                .with_context(|| format!("reading {}", path.display()))?;
            if head.contains("orig_acct") && head.contains("bene_acct") {
                Ok(Format::Amlsim)
            } else {
                bail!(
                    "cannot guess the format of {}; pass --format (amlsim, csv, jsonl, pacs008)",
                    path.display()
                )
            }
        }
    }
}

/// Opens the adapter for `fmt` over `reader`.
pub fn records<'a>(
    fmt: Format,
    reader: Box<dyn BufRead + 'a>,
    accounts: Option<&Path>,
    mapping: Option<&Path>,
    rejected_accounts: &mut Vec<Rejected>,
) -> anyhow::Result<Box<dyn Iterator<Item = Record> + 'a>> {
    Ok(match fmt {
        Format::Amlsim => {
            let accts = match accounts {
                Some(p) => {
                    let f = File::open(p).with_context(|| format!("opening {}", p.display()))?;
                    let (map, rej) = amlsim::read_accounts(BufReader::new(f))
                        .with_context(|| format!("reading {}", p.display()))?;
                    rejected_accounts.extend(rej);
                    Some(map)
                }
                None => None,
            };
            Box::new(amlsim::AmlsimReader::new(reader, accts)?)
        }
        Format::Csv => {
            let Some(m) = mapping else {
                bail!("--format csv needs --mapping FILE.toml (column mapping)")
            };
            let text =
                std::fs::read_to_string(m).with_context(|| format!("reading {}", m.display()))?;
            let mapping = csv_mapped::Mapping::from_toml(&text)
                .with_context(|| format!("in {}", m.display()))?;
            Box::new(csv_mapped::MappedCsvReader::new(reader, mapping)?)
        }
        Format::Jsonl => Box::new(jsonl::JsonlReader::new(reader)),
        Format::Pacs008 => Box::new(pacs008::Pacs008Reader::new(reader)),
    })
}

pub fn load_rules(path: Option<&Path>) -> anyhow::Result<Rules> {
    match path {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            Rules::from_toml(&text).with_context(|| format!("in rules file {}", p.display()))
        }
        None => Ok(Rules::default()),
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.print_default_rules {
        out_raw!("{}", monitoring::rules::DEFAULT_RULES_TOML);
        return Ok(());
    }
    let rules = load_rules(args.rules.as_deref())?;
    let (Some(input), Some(alerts_path)) = (args.input.as_deref(), args.alerts.as_deref()) else {
        bail!("--input and --alerts are required");
    };
    let (path, fmt, accounts) =
        resolve_input(input, args.format.as_deref(), args.accounts.as_deref())?;
    let file = File::open(&path).with_context(|| format!("opening {}", path.display()))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let pb = if args.quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(len)
    };
    pb.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} monitoring [{bar:30}] {bytes}/{total_bytes} {per_sec} eta {eta} {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let reader: Box<dyn BufRead> = Box::new(BufReader::with_capacity(1 << 20, pb.wrap_read(file)));

    let mut engine = Engine::new(rules);
    let wants_names =
        matches!(fmt, Format::Pacs008 | Format::Jsonl | Format::Csv) || accounts.is_some();
    if !args.no_screening && engine.rules().listed_counterparty.enabled && wants_names {
        let lists = crate::common::load_lists(&args.lists)
            .context("loading watchlists for the listed-counterparty detector")?;
        let screener = screening::Screener::new(lists, screening::Config::default());
        engine = engine.with_screener(Arc::new(ScreenerGlue(Arc::new(screener))));
    }

    let mut rejected_input: Vec<Rejected> = Vec::new();
    let recs = records(
        fmt,
        reader,
        accounts.as_deref(),
        args.mapping.as_deref(),
        &mut rejected_input,
    )?;
    let out =
        File::create(alerts_path).with_context(|| format!("creating {}", alerts_path.display()))?;
    let mut w = BufWriter::with_capacity(1 << 20, out);
    let mut rej_w = match &args.rejected {
        Some(p) => Some(BufWriter::new(
            File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => None,
    };
    let mut sink = match (&args.store, &args.member) {
        (Some(url), Some(member)) => Some(StoreSink::open(url, member, &path)?),
        (Some(_), None) => bail!("--store needs --member NAME"),
        _ => None,
    };
    let summary = drive_with(
        &mut engine,
        recs,
        &mut w,
        args.emit_open,
        &mut rejected_input,
        rej_w.as_mut().map(|w| w as &mut dyn Write),
        sink.as_mut(),
    )?;
    w.flush()
        .with_context(|| format!("writing {}", alerts_path.display()))?;
    pb.finish_and_clear();
    if let Some(rw) = rej_w.as_mut() {
        for r in engine.rejections() {
            writeln!(rw, "{}", serde_json::to_string(r)?)?;
        }
        rw.flush()?;
    }
    print_summary(
        &summary,
        &path,
        alerts_path,
        &rejected_input,
        engine.rejections(),
    )?;
    if let Some(sink) = &sink {
        out!(
            "stored           {} transactions ({} already stored), {} alert versions ({} unchanged) for member {}",
            sink.stored.transactions_stored,
            sink.stored.transactions_duplicate,
            sink.alert_versions,
            sink.stored.alerts_unchanged,
            args.member.as_deref().unwrap_or("")
        );
    }
    Ok(())
}

/// Feeds all records through the engine and writes alerts. Input rejections are kept in
/// `rejected` (first 10,000) and streamed to `rej_out` when given.
pub fn drive(
    engine: &mut Engine,
    recs: Box<dyn Iterator<Item = Record> + '_>,
    w: &mut dyn Write,
    emit_open: bool,
    rejected: &mut Vec<Rejected>,
    rej_out: Option<&mut dyn Write>,
) -> anyhow::Result<RunSummary> {
    drive_with(engine, recs, w, emit_open, rejected, rej_out, None)
}

/// [`drive`], also handing every accepted transaction and every alert version (raised or
/// closed) to `sink` (the `--store` writer).
pub fn drive_with(
    engine: &mut Engine,
    recs: Box<dyn Iterator<Item = Record> + '_>,
    w: &mut dyn Write,
    emit_open: bool,
    rejected: &mut Vec<Rejected>,
    mut rej_out: Option<&mut dyn Write>,
    mut sink: Option<&mut StoreSink>,
) -> anyhow::Result<RunSummary> {
    let mut s = RunSummary::default();
    let mut buf = Vec::new();
    let mut write = |alerts: &mut Vec<Alert>,
                     s: &mut RunSummary,
                     sink: Option<&mut StoreSink>|
     -> anyhow::Result<()> {
        if let Some(sink) = sink {
            sink.alerts(alerts)?;
        }
        for a in alerts.drain(..) {
            if a.status == AlertStatus::Closed || emit_open {
                serde_json::to_writer(&mut *w, &a)?;
                w.write_all(b"\n")?;
                s.alerts_written += 1;
            }
        }
        Ok(())
    };
    for r in recs {
        s.records += 1;
        match r {
            Ok(tx) => {
                let row = match sink.is_some() {
                    true => Some(StoreSink::row(&tx)?),
                    false => None,
                };
                match engine.process_into(tx, &mut buf) {
                    Ok(()) => {
                        if let (Some(sink), Some(row)) = (sink.as_deref_mut(), row) {
                            sink.transaction(row)?;
                        }
                    }
                    Err(rej) => {
                        if let Some(o) = rej_out.as_deref_mut() {
                            writeln!(o, "{}", serde_json::to_string(&rej)?)?;
                        }
                        if rejected.len() < 10_000 {
                            rejected.push(rej);
                        }
                    }
                }
                write(&mut buf, &mut s, sink.as_deref_mut())?;
            }
            Err(rej) => {
                s.rejected_at_input += 1;
                if let Some(o) = rej_out.as_deref_mut() {
                    writeln!(o, "{}", serde_json::to_string(&rej)?)?;
                }
                if rejected.len() < 10_000 {
                    rejected.push(rej);
                }
            }
        }
    }
    let mut fin = engine.finish();
    write(&mut fin, &mut s, sink.as_deref_mut())?;
    if let Some(sink) = sink {
        sink.flush()?;
    }
    s.stats = engine.stats().clone();
    Ok(s)
}

/// Writes a batch run into the store (`--store`): accepted transactions and alert versions,
/// committed every [`StoreSink::BATCH`] transactions in one database transaction each, with
/// a `transactions.scored` audit entry (actor `cli`). Transactions already stored for the
/// member and unchanged alert versions are skipped by the store, so a re-run is harmless.
pub struct StoreSink {
    rt: tokio::runtime::Runtime,
    store: store::Store,
    member_id: String,
    run_id: String,
    input: String,
    txs: Vec<store::NewTransaction>,
    alerts: Vec<store::NewAlert>,
    /// Totals over the run.
    pub stored: store::RecordedBatch,
    pub alert_versions: u64,
}

impl StoreSink {
    /// Transactions per commit.
    pub const BATCH: usize = 10_000;

    /// Opens (and migrates) the database and makes sure the member exists.
    pub fn open(url: &str, member: &str, input: &Path) -> anyhow::Result<StoreSink> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .context("starting the async runtime")?;
        let (store, member) = rt.block_on(async {
            let store = store::Store::connect(url)
                .await
                .context("opening the database given with --store")?;
            let m = store
                .ensure_member(member)
                .await
                .with_context(|| format!("creating member {member:?}"))?;
            anyhow::Ok((store, m))
        })?;
        Ok(StoreSink {
            rt,
            store,
            member_id: member.id,
            run_id: store::new_id("run"),
            input: input.display().to_string(),
            txs: Vec::new(),
            alerts: Vec::new(),
            stored: store::RecordedBatch::default(),
            alert_versions: 0,
        })
    }

    fn row(tx: &Transaction) -> anyhow::Result<store::NewTransaction> {
        Ok(store::NewTransaction {
            tx_id: tx.id.clone(),
            timestamp: tx.timestamp,
            orig_acct: tx.originator.account.clone(),
            bene_acct: tx.beneficiary.account.clone(),
            amount: tx.amount,
            currency: tx.currency.clone(),
            body: serde_json::to_value(tx)?,
        })
    }

    fn transaction(&mut self, row: store::NewTransaction) -> anyhow::Result<()> {
        self.txs.push(row);
        if self.txs.len() >= Self::BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn alerts(&mut self, alerts: &[Alert]) -> anyhow::Result<()> {
        self.alerts.extend(server::alert_rows(alerts)?);
        Ok(())
    }

    /// Commits what is buffered.
    pub fn flush(&mut self) -> anyhow::Result<()> {
        if self.txs.is_empty() && self.alerts.is_empty() {
            return Ok(());
        }
        let ids: Vec<&str> = self.alerts.iter().map(|a| a.alert_id.as_str()).collect();
        let audit = store::NewAuditEntry {
            member_id: Some(self.member_id.clone()),
            actor: "cli".into(),
            action: "transactions.scored".into(),
            object_type: Some("transactions".into()),
            object_id: Some(self.run_id.clone()),
            detail: serde_json::json!({
                "source": "cli", "run_id": self.run_id, "input": self.input,
                "transactions": self.txs.len(), "alerts": ids,
            }),
        };
        let r = self.rt.block_on(self.store.record_monitoring(
            &self.member_id,
            store::AlertSource::Cli,
            &self.txs,
            &self.alerts,
            Some(&audit),
        ))?;
        self.stored.transactions_stored += r.transactions_stored;
        self.stored.transactions_duplicate += r.transactions_duplicate;
        self.stored.alerts_unchanged += r.alerts_unchanged;
        self.alert_versions += r.alert_revisions.len() as u64;
        self.txs.clear();
        self.alerts.clear();
        Ok(())
    }
}

fn print_summary(
    s: &RunSummary,
    input: &Path,
    alerts: &Path,
    rejected: &[Rejected],
    engine_rej: &[Rejected],
) -> anyhow::Result<()> {
    let st = &s.stats;
    out!("input            {}", input.display());
    out!("records read     {}", s.records);
    out!("processed        {}", st.processed);
    out!(
        "rejected         {} (input: {}, invalid: {}, late beyond tolerance: {})",
        s.rejected_at_input + st.rejected_invalid + st.rejected_late,
        s.rejected_at_input,
        st.rejected_invalid,
        st.rejected_late
    );
    out!("re-ordered       {}", st.reordered);
    out!("accounts         {}", st.accounts);
    out!("peak edges held  {}", st.peak_edges_in_window);
    if st.truncated_edges > 0 || st.cycle_searches_truncated > 0 {
        out!(
            "bounded          {} hub edges dropped, {} cycle searches cut",
            st.truncated_edges,
            st.cycle_searches_truncated
        );
    }
    if st.names_screened > 0 {
        out!(
            "names screened   {} (cache hits {})",
            st.names_screened,
            st.name_cache_hits
        );
    }
    out!(
        "alerts written   {} -> {}",
        s.alerts_written,
        alerts.display()
    );
    for (t, n) in &st.alerts_by_typology {
        out!("  {t:<22} {n}");
    }
    let all: Vec<&Rejected> = rejected
        .iter()
        .chain(engine_rej.iter().filter(|r| !rejected.contains(r)))
        .collect();
    if !all.is_empty() {
        out!(
            "rejected records (first {} of {}):",
            all.len().min(20),
            all.len()
        );
        for r in all.iter().take(20) {
            out!("  {}: {}", r.record, r.reason);
        }
    }
    Ok(())
}

/// Reads a whole small file (helper for tests/bench).
#[allow(dead_code)]
pub fn read_all(p: &Path) -> anyhow::Result<Vec<u8>> {
    let mut v = Vec::new();
    File::open(p)?.read_to_end(&mut v)?;
    Ok(v)
}
