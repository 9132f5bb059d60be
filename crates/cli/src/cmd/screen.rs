//! `raqib screen`: screen one name, or a file of names, against the watchlists.
//!
//! - `raqib screen "NAME" [--schema S] [--birth-date D] [--country C] [--document N]
//!   [--lists PATH...] [--threshold T] [--limit N] [--json]`
//! - `raqib screen --input FILE --output FILE.jsonl [--lists PATH...]`: FILE is CSV with a
//!   header or JSON lines (detected by content) with fields `id`, `name` and optional
//!   `schema`, `birth_date`, `country`, `document`. One output line per input row, in input
//!   order: `{"id": ..., "matches": [hit, ...]}` best first; a row that cannot be screened
//!   (invalid UTF-8, missing name, name too long, bad birth date ...) is reported on stderr
//!   with its line number and written as `{"id": ..., "error": "...", "matches": []}`; the run
//!   goes on. Queries run on all cores.
//!
//! `match` is `score >= threshold` (default [`screening::DEFAULT_THRESHOLD`]); candidates are
//! returned down to the cutoff [`screening::DEFAULT_CUTOFF`].

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use screening::{Config, Hit, Query, Screener};
use serde::Serialize;
use watchlist::Schema;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The name to screen (any script). Omit it with --input.
    pub name: Option<String>,
    /// Only entities of this schema: Person, Organization, Vessel, Aircraft.
    #[arg(long)]
    pub schema: Option<String>,
    /// Date of birth (YYYY, YYYY-MM, YYYY-MM-DD, DD/MM/YYYY): agreement raises, disagreement
    /// lowers the score.
    #[arg(long = "birth-date")]
    pub birth_date: Option<String>,
    /// Country or nationality (ISO alpha-2, alpha-3 or a name).
    #[arg(long)]
    pub country: Option<String>,
    /// Identity document number (same number raises the score).
    #[arg(long)]
    pub document: Option<String>,
    /// List files or directories (any supported format); default: the embedded lists.
    #[arg(long, num_args = 1..)]
    pub lists: Vec<PathBuf>,
    /// Match threshold (0..1).
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Most hits per query.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Batch input: CSV with a header, or JSON lines.
    #[arg(long, conflicts_with = "name")]
    pub input: Option<PathBuf>,
    /// Batch output (JSON lines); required with --input.
    #[arg(long, requires = "input")]
    pub output: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let schema = match args.schema.as_deref() {
        Some(s) => Some(parse_schema(s)?),
        None => None,
    };
    if let Some(t) = args.threshold
        && !(0.0..=1.0).contains(&t)
    {
        bail!("--threshold must be between 0 and 1, got {t}");
    }
    if args.input.is_none() && args.name.is_none() {
        bail!("give a NAME to screen, or --input FILE --output FILE.jsonl");
    }
    if args.input.is_some() && args.output.is_none() {
        bail!("--input needs --output FILE.jsonl");
    }
    let lists = crate::common::load_lists(&args.lists)?;
    let mut config = Config::default();
    if let Some(t) = args.threshold {
        config.threshold = t;
    }
    if let Some(l) = args.limit {
        config.limit = l;
    }
    let screener = Screener::new(lists, config);
    match (&args.input, &args.output) {
        (Some(input), Some(output)) => batch(&screener, input, output),
        _ => {
            let query = Query {
                name: args.name.clone().unwrap_or_default(),
                schema,
                birth_date: args.birth_date.clone(),
                country: args.country.clone(),
                document: args.document.clone(),
                threshold: args.threshold,
                limit: args.limit,
            };
            single(&screener, &query, args.json)
        }
    }
}

fn parse_schema(s: &str) -> anyhow::Result<Schema> {
    Schema::parse(s).with_context(|| {
        format!("unknown schema {s:?}: expected Person, Organization, Vessel or Aircraft")
    })
}

#[derive(Serialize)]
struct SingleOutput<'a> {
    query: &'a Query,
    threshold: f64,
    matches: &'a [Hit],
}

fn single(screener: &Screener, query: &Query, json: bool) -> anyhow::Result<()> {
    let hits = screener
        .screen(query)
        .map_err(|e| anyhow::anyhow!("cannot screen {:?}: {e}", query.name))?;
    let threshold = query.threshold.unwrap_or(screener.config().threshold);
    // written with `writeln!` so that a reader that stops early (`| head`) ends the command
    // quietly (see `main`) instead of panicking in `println!`
    let mut out = std::io::stdout().lock();
    if json {
        let doc = SingleOutput {
            query,
            threshold,
            matches: &hits,
        };
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(());
    }
    if hits.is_empty() {
        writeln!(
            out,
            "no candidates at or above {:.2} for {:?}",
            screener.config().cutoff,
            query.name
        )?;
        return Ok(());
    }
    for (i, h) in hits.iter().enumerate() {
        writeln!(
            out,
            "{}. {:.3} {} {} [{} {}] {}",
            i + 1,
            h.score,
            if h.is_match { "MATCH   " } else { "no match" },
            h.entity_id,
            h.schema,
            h.source.as_str(),
            h.caption
        )?;
        print_explanation(&mut out, h)?;
    }
    writeln!(
        out,
        "(threshold {threshold:.2}; candidates down to {:.2})",
        screener.config().cutoff
    )?;
    Ok(())
}

fn print_explanation(out: &mut impl Write, h: &Hit) -> std::io::Result<()> {
    let e = &h.explanation;
    let kind = serde_json::to_value(e.name_kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let quality = serde_json::to_value(e.name_quality)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    writeln!(
        out,
        "   matched {:?} ({kind}, {quality}) name score {:.3}{}",
        e.matched_name,
        e.name_score,
        if e.reordered {
            ", tokens reordered"
        } else {
            ""
        }
    )?;
    for a in &e.aligned {
        writeln!(
            out,
            "     {} = {}  {} {:.2} (w {:.2})",
            a.query_token,
            a.list_token,
            a.how.label(),
            a.score,
            a.weight
        )?;
    }
    if !e.unmatched_query.is_empty() {
        let u: Vec<String> = e
            .unmatched_query
            .iter()
            .map(|u| format!("{} (w {:.2})", u.token, u.weight))
            .collect();
        writeln!(out, "     unmatched in query: {}", u.join(", "))?;
    }
    if !e.unmatched_list.is_empty() {
        let u: Vec<String> = e
            .unmatched_list
            .iter()
            .map(|u| format!("{} (w {:.2})", u.token, u.weight))
            .collect();
        writeln!(out, "     unmatched in list:  {}", u.join(", "))?;
    }
    for n in &e.notes {
        writeln!(out, "     note: {n}")?;
    }
    for a in &e.adjustments {
        writeln!(out, "     {:+.3} {}", a.effect, a.detail)?;
    }
    Ok(())
}

/// One input row: its id and the query, or why it cannot be screened.
struct Row {
    line: usize,
    id: serde_json::Value,
    query: Result<Query, String>,
}

#[derive(Serialize)]
struct OutLine<'a> {
    id: &'a serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    matches: &'a [Hit],
}

fn batch(screener: &Screener, input: &Path, output: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(input).with_context(|| format!("reading {}", input.display()))?;
    let rows = read_rows(&bytes);
    let file =
        std::fs::File::create(output).with_context(|| format!("creating {}", output.display()))?;
    let mut out = BufWriter::new(file);
    let pb = indicatif::ProgressBar::new(rows.len() as u64);
    pb.set_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} queries ({per_sec}, eta {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut errors = 0usize;
    let mut matched = 0usize;
    for chunk in rows.chunks(4096) {
        let queries: Vec<Query> = chunk
            .iter()
            .map(|r| r.query.clone().unwrap_or_default())
            .collect();
        let results = screener.screen_many(&queries);
        for (row, res) in chunk.iter().zip(results) {
            let (err, hits) = match (&row.query, res) {
                (Err(e), _) => (Some(e.clone()), Vec::new()),
                (Ok(_), Err(e)) => (Some(e.to_string()), Vec::new()),
                (Ok(_), Ok(h)) => (None, h),
            };
            if let Some(e) = &err {
                errors += 1;
                pb.suspend(|| eprintln!("{}:{}: id {}: {e}", input.display(), row.line, row.id));
            }
            if hits.first().is_some_and(|h| h.is_match) {
                matched += 1;
            }
            let line = OutLine {
                id: &row.id,
                error: err.as_deref(),
                matches: &hits,
            };
            serde_json::to_writer(&mut out, &line)?;
            out.write_all(b"\n")?;
        }
        pb.inc(chunk.len() as u64);
    }
    out.flush()
        .with_context(|| format!("writing {}", output.display()))?;
    pb.finish_and_clear();
    eprintln!(
        "screened {} rows from {}: {matched} with a match, {errors} rows with errors; results in {}",
        rows.len(),
        input.display(),
        output.display()
    );
    Ok(())
}

/// Reads the batch input: JSON lines when the first non-blank byte is `{`, else CSV with a
/// header. Never fails as a whole: each bad row becomes a `Row` with an error.
fn read_rows(bytes: &[u8]) -> Vec<Row> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first == Some(b'{') {
        read_jsonl(bytes)
    } else {
        read_csv(bytes)
    }
}

fn opt_str(v: Option<&serde_json::Value>) -> Option<String> {
    match v {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn make_query(
    name: Option<String>,
    schema: Option<String>,
    birth_date: Option<String>,
    country: Option<String>,
    document: Option<String>,
) -> Result<Query, String> {
    let name = match name {
        Some(n) if !n.trim().is_empty() => n,
        _ => return Err("missing name".to_string()),
    };
    let schema = match schema.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(Schema::parse(s).ok_or_else(|| {
            format!("unknown schema {s:?}: expected Person, Organization, Vessel or Aircraft")
        })?),
        None => None,
    };
    Ok(Query {
        name,
        schema,
        birth_date,
        country,
        document,
        threshold: None,
        limit: None,
    })
}

fn read_jsonl(bytes: &[u8]) -> Vec<Row> {
    let mut rows = Vec::new();
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = i + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let fallback_id = serde_json::Value::String(format!("line:{line}"));
        let text = match std::str::from_utf8(raw) {
            Ok(t) => t,
            Err(e) => {
                rows.push(Row {
                    line,
                    id: fallback_id,
                    query: Err(format!("invalid UTF-8: {e}")),
                });
                continue;
            }
        };
        let v: serde_json::Value = match serde_json::from_str(text) {
            Ok(v @ serde_json::Value::Object(_)) => v,
            Ok(_) => {
                rows.push(Row {
                    line,
                    id: fallback_id,
                    query: Err("not a JSON object".into()),
                });
                continue;
            }
            Err(e) => {
                rows.push(Row {
                    line,
                    id: fallback_id,
                    query: Err(format!("invalid JSON: {e}")),
                });
                continue;
            }
        };
        let id = match v.get("id") {
            Some(id) if !id.is_null() => id.clone(),
            _ => fallback_id,
        };
        let query = make_query(
            opt_str(v.get("name")),
            opt_str(v.get("schema")),
            opt_str(v.get("birth_date")),
            opt_str(v.get("country")),
            opt_str(v.get("document")),
        );
        rows.push(Row { line, id, query });
    }
    rows
}

fn read_csv(bytes: &[u8]) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(bytes);
    let headers: Vec<String> = match rdr.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_ascii_lowercase())
            .collect(),
        Err(e) => {
            rows.push(Row {
                line: 1,
                id: "line:1".into(),
                query: Err(format!("unreadable CSV header: {e}")),
            });
            return rows;
        }
    };
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (c_id, c_name, c_schema, c_dob, c_country, c_doc) = (
        col("id"),
        col("name"),
        col("schema"),
        col("birth_date"),
        col("country"),
        col("document"),
    );
    if c_name.is_none() {
        rows.push(Row {
            line: 1,
            id: "line:1".into(),
            query: Err(format!(
                "the CSV header has no `name` column (columns: {})",
                headers.join(", ")
            )),
        });
        return rows;
    }
    let mut rec = csv::ByteRecord::new();
    let mut n = 1usize;
    loop {
        n += 1;
        let line_hint = n;
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(line_hint);
                rows.push(Row {
                    line,
                    id: format!("line:{line}").into(),
                    query: Err(format!("bad CSV row: {e}")),
                });
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let line = rec
            .position()
            .map(|p| p.line() as usize)
            .unwrap_or(line_hint);
        let mut bad = None;
        let mut field = |c: Option<usize>| -> Option<String> {
            let raw = rec.get(c?)?;
            match std::str::from_utf8(raw) {
                Ok(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
                Err(e) => {
                    bad = Some(format!("invalid UTF-8 in column {}: {e}", headers[c?]));
                    None
                }
            }
        };
        let id = field(c_id);
        let name = field(c_name);
        let schema = field(c_schema);
        let dob = field(c_dob);
        let country = field(c_country);
        let doc = field(c_doc);
        let id_value: serde_json::Value = match id {
            Some(i) => i.into(),
            None => format!("line:{line}").into(),
        };
        let query = match bad {
            Some(e) => Err(e),
            None => make_query(name, schema, dob, country, doc),
        };
        rows.push(Row {
            line,
            id: id_value,
            query,
        });
    }
    rows
}
