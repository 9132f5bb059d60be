//! `raqib eval monitoring`: accuracy of monitoring alerts against labelled transactions.
//!
//! Inputs: the alerts file written by `raqib monitor` (JSON lines; several lines with the
//! same `alert_id` are merged), `tx_labels.csv` (`tx_id,is_sar,alert_id,typology`) and,
//! optionally, `alerts.csv` (the labelled patterns: `alert_id,typology,is_sar,...,
//! first_tx_date`). Prints, per labelled typology, the recall of suspicious patterns (a
//! pattern counts as found when alerts cover at least half of its transactions, whatever
//! typology the alert names), the share of look-alike legitimate patterns (`is_sar=0` with
//! an `alert_id`) that were alerted, and transaction-level precision, recall and F1.
//! `--split-date` reports the same figures for patterns/transactions before and from that
//! date, so parameters tuned on one part can be checked on the other.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Alerts written by `raqib monitor` (JSON lines).
    #[arg(long)]
    pub alerts: PathBuf,
    /// Transaction labels: tx_id,is_sar,alert_id,typology.
    #[arg(long)]
    pub labels: PathBuf,
    /// Labelled patterns (AMLSim alerts.csv): adds first_tx_date for --split-date.
    #[arg(long)]
    pub patterns: Option<PathBuf>,
    /// Also report on the parts before and from this date (YYYY-MM-DD); needs the
    /// transactions' dates, read from transactions.csv next to the labels.
    #[arg(long)]
    pub split_date: Option<String>,
    /// Print the figures as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct TypologyFigures {
    pub suspicious_patterns: usize,
    pub suspicious_found: usize,
    pub recall: f64,
    pub legit_patterns: usize,
    pub legit_alerted: usize,
    pub legit_alerted_share: f64,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Figures {
    pub part: String,
    pub per_typology: BTreeMap<String, TypologyFigures>,
    pub tx_true_positives: usize,
    pub tx_false_positives: usize,
    pub tx_false_negatives: usize,
    pub tx_precision: f64,
    pub tx_recall: f64,
    pub tx_f1: f64,
    pub alerts: usize,
    pub alerts_by_typology: BTreeMap<String, usize>,
}

pub struct Label {
    pub is_sar: bool,
    pub pattern: Option<String>,
    pub typology: String,
}

/// Reads alert transaction ids (union per alert_id) and counts per alert typology.
pub fn read_alerts(
    path: &Path,
) -> anyhow::Result<(HashSet<String>, BTreeMap<String, usize>, usize)> {
    let f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut flagged = HashSet::new();
    let mut ids: HashMap<String, String> = HashMap::new();
    for (i, line) in BufReader::new(f).lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)
            .with_context(|| format!("{} line {}: not JSON", path.display(), i + 1))?;
        let Some(txs) = v.get("transaction_ids").and_then(|t| t.as_array()) else {
            bail!(
                "{} line {}: no transaction_ids array",
                path.display(),
                i + 1
            );
        };
        for t in txs {
            match t {
                serde_json::Value::String(s) => flagged.insert(s.clone()),
                other => flagged.insert(other.to_string()),
            };
        }
        let id = v
            .get("alert_id")
            .and_then(|x| x.as_str())
            .unwrap_or("")
            .to_string();
        let typ = v
            .get("typology")
            .and_then(|x| x.as_str())
            .unwrap_or("?")
            .to_string();
        ids.insert(
            if id.is_empty() {
                format!("line{i}")
            } else {
                id
            },
            typ,
        );
    }
    let mut by_typ = BTreeMap::new();
    for t in ids.values() {
        *by_typ.entry(t.clone()).or_insert(0) += 1;
    }
    Ok((flagged, by_typ, ids.len()))
}

fn read_labels(path: &Path) -> anyhow::Result<Vec<(String, Label)>> {
    let mut rd =
        csv::Reader::from_path(path).with_context(|| format!("opening {}", path.display()))?;
    let h = rd.headers()?.clone();
    let col = |n: &str| {
        h.iter()
            .position(|x| x.trim() == n)
            .with_context(|| format!("{}: no column {n}", path.display()))
    };
    let (ci, cs, ca, ct) = (
        col("tx_id")?,
        col("is_sar")?,
        col("alert_id")?,
        col("typology")?,
    );
    let mut out = Vec::new();
    for (i, r) in rd.records().enumerate() {
        let r = r.with_context(|| format!("{} line {}", path.display(), i + 2))?;
        let g = |c: usize| r.get(c).unwrap_or("").trim().to_string();
        let pattern = Some(g(ca)).filter(|s| !s.is_empty());
        out.push((
            g(ci),
            Label {
                is_sar: g(cs) == "1" || g(cs).eq_ignore_ascii_case("true"),
                pattern,
                typology: g(ct),
            },
        ));
    }
    Ok(out)
}

/// Pattern id -> (typology, is_sar, first_tx_date) from alerts.csv.
fn read_patterns(path: &Path) -> anyhow::Result<HashMap<String, (String, bool, String)>> {
    let mut rd =
        csv::Reader::from_path(path).with_context(|| format!("opening {}", path.display()))?;
    let h = rd.headers()?.clone();
    let col = |n: &str| h.iter().position(|x| x.trim() == n);
    let ci = col("alert_id").context("alerts.csv: no alert_id column")?;
    let (ct, cs, cd) = (col("typology"), col("is_sar"), col("first_tx_date"));
    let mut out = HashMap::new();
    for r in rd.records() {
        let r = r?;
        let g = |c: Option<usize>| c.and_then(|c| r.get(c)).unwrap_or("").trim().to_string();
        out.insert(g(Some(ci)), (g(ct), g(cs) == "1", g(cd)));
    }
    Ok(out)
}

fn tx_dates(labels: &Path) -> anyhow::Result<HashMap<String, String>> {
    let p = labels.with_file_name("transactions.csv");
    let mut rd = csv::Reader::from_path(&p)
        .with_context(|| format!("--split-date needs {}", p.display()))?;
    let h = rd.headers()?.clone();
    let ci = h
        .iter()
        .position(|x| x == "tx_id")
        .context("transactions.csv: no tx_id")?;
    let ct = h
        .iter()
        .position(|x| x == "timestamp")
        .context("transactions.csv: no timestamp")?;
    let mut out = HashMap::new();
    for r in rd.records() {
        let r = r?;
        out.insert(
            r.get(ci).unwrap_or("").to_string(),
            r.get(ct).unwrap_or("").chars().take(10).collect(),
        );
    }
    Ok(out)
}

/// Computes the figures; `keep_tx` / `keep_pattern` select a part.
pub fn figures(
    part: &str,
    labels: &[(String, Label)],
    patterns: &HashMap<String, (String, bool, String)>,
    flagged: &HashSet<String>,
    keep_tx: &dyn Fn(&str) -> bool,
    keep_pattern: &dyn Fn(&str) -> bool,
) -> Figures {
    let mut f = Figures {
        part: part.to_string(),
        ..Default::default()
    };
    // pattern -> (typology, is_sar, n_tx, n_flagged)
    let mut pats: BTreeMap<&str, (String, bool, usize, usize)> = BTreeMap::new();
    for (id, l) in labels {
        if let Some(p) = &l.pattern {
            let e = pats.entry(p.as_str()).or_insert_with(|| {
                let (t, s) = patterns
                    .get(p)
                    .map(|x| (x.0.clone(), x.1))
                    .unwrap_or((l.typology.clone(), l.is_sar));
                (t, s, 0, 0)
            });
            e.2 += 1;
            e.3 += flagged.contains(id) as usize;
        }
        if !keep_tx(id) {
            continue;
        }
        match (l.is_sar, flagged.contains(id)) {
            (true, true) => f.tx_true_positives += 1,
            (false, true) => f.tx_false_positives += 1,
            (true, false) => f.tx_false_negatives += 1,
            _ => {}
        }
    }
    for (p, (typ, sar, n, hit)) in pats {
        if !keep_pattern(p) || typ.is_empty() {
            continue;
        }
        let found = n > 0 && hit * 2 >= n;
        let e = f.per_typology.entry(typ).or_default();
        if sar {
            e.suspicious_patterns += 1;
            e.suspicious_found += found as usize;
        } else {
            e.legit_patterns += 1;
            e.legit_alerted += found as usize;
        }
    }
    for e in f.per_typology.values_mut() {
        e.recall = ratio(e.suspicious_found, e.suspicious_patterns);
        e.legit_alerted_share = ratio(e.legit_alerted, e.legit_patterns);
    }
    f.tx_precision = ratio(
        f.tx_true_positives,
        f.tx_true_positives + f.tx_false_positives,
    );
    f.tx_recall = ratio(
        f.tx_true_positives,
        f.tx_true_positives + f.tx_false_negatives,
    );
    f.tx_f1 = if f.tx_precision + f.tx_recall > 0.0 {
        2.0 * f.tx_precision * f.tx_recall / (f.tx_precision + f.tx_recall)
    } else {
        0.0
    };
    f
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Loads everything and returns the figures for all data (and the split parts).
pub fn evaluate(args: &Args) -> anyhow::Result<Vec<Figures>> {
    let (flagged, by_typ, n_alerts) = read_alerts(&args.alerts)?;
    let labels = read_labels(&args.labels)?;
    let patterns = match &args.patterns {
        Some(p) => read_patterns(p)?,
        None => HashMap::new(),
    };
    let all = |_: &str| true;
    let mut out = vec![figures("all", &labels, &patterns, &flagged, &all, &all)];
    if let Some(d) = &args.split_date {
        if patterns.is_empty() {
            bail!("--split-date needs --patterns alerts.csv (for first_tx_date)");
        }
        let dates = tx_dates(&args.labels)?;
        let d = d.as_str();
        let before_tx = |t: &str| dates.get(t).is_some_and(|x| x.as_str() < d);
        let after_tx = |t: &str| dates.get(t).is_some_and(|x| x.as_str() >= d);
        let before_p = |p: &str| patterns.get(p).is_some_and(|x| x.2.as_str() < d);
        let after_p = |p: &str| patterns.get(p).is_some_and(|x| x.2.as_str() >= d);
        out.push(figures(
            &format!("before {d}"),
            &labels,
            &patterns,
            &flagged,
            &before_tx,
            &before_p,
        ));
        out.push(figures(
            &format!("from {d}"),
            &labels,
            &patterns,
            &flagged,
            &after_tx,
            &after_p,
        ));
    }
    for f in &mut out {
        f.alerts = n_alerts;
        f.alerts_by_typology = by_typ.clone();
    }
    Ok(out)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let figs = evaluate(&args)?;
    if args.json {
        out!("{}", serde_json::to_string_pretty(&figs)?);
        return Ok(());
    }
    for f in &figs {
        out!(
            "== {} ({} alerts: {})",
            f.part,
            f.alerts,
            f.alerts_by_typology
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        out!(
            "{:<16} {:>10} {:>8} {:>14} {:>8}",
            "typology",
            "found/SAR",
            "recall",
            "legit alerted",
            "share"
        );
        for (t, e) in &f.per_typology {
            out!(
                "{:<16} {:>10} {:>8.3} {:>14} {:>8.3}",
                t,
                format!("{}/{}", e.suspicious_found, e.suspicious_patterns),
                e.recall,
                format!("{}/{}", e.legit_alerted, e.legit_patterns),
                e.legit_alerted_share
            );
        }
        out!(
            "transactions: precision {:.3} recall {:.3} F1 {:.3} (tp {}, fp {}, fn {})\n",
            f.tx_precision,
            f.tx_recall,
            f.tx_f1,
            f.tx_true_positives,
            f.tx_false_positives,
            f.tx_false_negatives
        );
    }
    Ok(())
}
