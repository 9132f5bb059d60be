//! `raqib compare "NAME A" "NAME B" [--schema S] [--json]`: the pairwise name score and its
//! explanation (which token aligned with which, how, and what was left over).
//!
//! NAME A is read as the query and NAME B as the list name (unmatched query tokens cost more
//! than unmatched list tokens). Without `--schema`, the schema is Organization when either
//! name carries a legal form (Ltd, Company, LLC, شركة, ...) and Person otherwise.

use anyhow::bail;
use name_matching::{NameType, TokenKind};
use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query name (any script).
    pub name_a: String,
    /// The list name to compare it with (any script).
    pub name_b: String,
    /// Person, Organization, Vessel, Aircraft (or Other); default: guessed, see above.
    #[arg(long)]
    pub schema: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct Output<'a> {
    query: &'a str,
    candidate: &'a str,
    schema: NameType,
    score: f64,
    explanation: &'a name_matching::Comparison,
}

/// Guesses the schema when none is given: Organization if a legal form is present.
fn guess_schema(a: &str, b: &str) -> NameType {
    let has_form = |s: &str| {
        name_matching::prepare(s, NameType::Organization)
            .tokens()
            .iter()
            .any(|t| t.kind() == TokenKind::LegalForm)
    };
    if has_form(a) || has_form(b) {
        NameType::Organization
    } else {
        NameType::Person
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let ty = match &args.schema {
        Some(s) => s.parse::<NameType>().map_err(anyhow::Error::msg)?,
        None => guess_schema(&args.name_a, &args.name_b),
    };
    let q = name_matching::prepare(&args.name_a, ty);
    let c = name_matching::prepare(&args.name_b, ty);
    for (label, name, p) in [("NAME A", &args.name_a, &q), ("NAME B", &args.name_b, &c)] {
        if p.is_empty() {
            bail!(
                "{label} {name:?} has no letters or digits left after normalisation; nothing to compare"
            );
        }
    }
    let cmp = name_matching::compare(&q, &c);
    if args.json {
        let out = Output {
            query: &args.name_a,
            candidate: &args.name_b,
            schema: ty,
            score: cmp.score,
            explanation: &cmp,
        };
        out!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        out!("query:     {}", args.name_a);
        out!("candidate: {}", args.name_b);
        out!("schema:    {ty:?}");
        out_raw!("{cmp}");
    }
    Ok(())
}
