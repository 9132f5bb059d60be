//! `raqib screen` and `raqib eval screening`, run as the real binary against a small UN list
//! fixture (tests/data/screen) and, for the cross-script case, the embedded default lists.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::{json_of, raqib_in, read_jsonl};
use serde_json::Value;

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/screen")
}

/// Runs raqib with an empty data directory of its own.
fn raqib(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    raqib_in(dir.path(), args)
}

/// Screens the batch file `tests/data/screen/<input>` against the small list; returns the run
/// (which must succeed) and the output lines.
fn screen_batch(input: &str) -> (Output, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let out_path = dir.path().join("out.jsonl");
    let input = data().join(input);
    let out = raqib(&[
        "screen",
        "--input",
        &input.display().to_string(),
        "--output",
        &out_path.display().to_string(),
        "--lists",
        &list(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out, read_jsonl(&out_path))
}

fn list() -> String {
    data().join("un_small.xml").display().to_string()
}

#[test]
fn screen_reordered_name_finds_the_listed_person_with_explanation() {
    let out = raqib(&["screen", "BAGHDADI, Abu Bakr", "--lists", &list(), "--json"]);
    let v = json_of(&out);
    let m = &v["matches"][0];
    assert_eq!(m["entity_id"], "un:QDi.299");
    assert_eq!(m["match"], true);
    assert!(m["score"].as_f64().is_some_and(|s| s >= 0.8));
    assert!(
        m["explanation"]["aligned"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
    assert_eq!(m["explanation"]["reordered"], true);
}

#[test]
fn screen_schema_and_threshold_flags_apply() {
    let v = json_of(&raqib(&[
        "screen",
        "Abu Bakr al-Baghdadi",
        "--lists",
        &list(),
        "--schema",
        "Organization",
        "--json",
    ]));
    assert!(
        v["matches"]
            .as_array()
            .is_some_and(|a| a.iter().all(|m| m["schema"] == "Organization"))
    );
    let v = json_of(&raqib(&[
        "screen",
        "Abou Bakr el Baghdadi",
        "--lists",
        &list(),
        "--threshold",
        "1.0",
        "--json",
    ]));
    assert!(
        v["matches"]
            .as_array()
            .is_some_and(|a| a.iter().all(|m| m["match"] == false || m["score"] == 1.0))
    );
    let out = raqib(&[
        "screen",
        "Abu Bakr",
        "--lists",
        &list(),
        "--schema",
        "Spaceship",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown schema"));
}

#[test]
fn screen_birth_date_qualifier_shows_in_explanation() {
    let v = json_of(&raqib(&[
        "screen",
        "Abu Bakr al-Baghdadi",
        "--lists",
        &list(),
        "--birth-date",
        "1990",
        "--json",
    ]));
    let m = v["matches"]
        .as_array()
        .and_then(|a| a.iter().find(|m| m["entity_id"] == "un:QDi.299"))
        .cloned();
    let m = m.unwrap_or_else(|| panic!("QDi.299 not returned: {v}"));
    let adj = m["explanation"]["adjustments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        adj.iter()
            .any(|a| a["factor"] == "birth_date" && a["outcome"] == "mismatch"),
        "{adj:?}"
    );
}

#[test]
fn screen_empty_or_punctuation_name_is_a_clear_error() {
    for name in ["", "?!.,"] {
        let out = raqib(&["screen", name, "--lists", &list()]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("cannot screen"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn batch_csv_reports_bad_rows_and_goes_on() {
    let (out, lines) = screen_batch("batch.csv");
    let err = String::from_utf8_lossy(&out.stderr);
    for line in [
        "batch.csv:3:",
        "batch.csv:5:",
        "batch.csv:6:",
        "batch.csv:8:",
    ] {
        assert!(err.contains(line), "stderr lacks {line}: {err}");
    }
    assert!(
        err.contains("invalid UTF-8") && err.contains("too long") && err.contains("missing name"),
        "{err}"
    );
    assert_eq!(lines.len(), 7, "one output line per input row");
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| l["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]);
    assert_eq!(lines[0]["matches"][0]["entity_id"], "un:QDi.299");
    assert_eq!(lines[0]["matches"][0]["match"], true);
    for i in [1, 3, 4, 6] {
        assert!(
            lines[i]["error"].is_string(),
            "row {i} has no error: {}",
            lines[i]
        );
        assert_eq!(lines[i]["matches"], Value::Array(vec![]));
    }
    assert_eq!(lines[5]["matches"][0]["entity_id"], "un:QDe.005");
    assert!(
        lines[2]["matches"]
            .as_array()
            .is_some_and(|a| a.iter().all(|m| m["match"] == false))
    );
}

#[test]
fn batch_jsonl_keeps_ids_and_reports_invalid_lines() {
    let (_out, lines) = screen_batch("batch.jsonl");
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(
        lines[0]["matches"][0]["entity_id"], "un:QDi.299",
        "Arabic query vs list: {}",
        lines[0]
    );
    assert!(lines[1]["error"].is_string());
    assert!(
        lines[2]["error"]
            .as_str()
            .is_some_and(|e| e.contains("invalid JSON"))
    );
    assert_eq!(lines[3]["matches"][0]["entity_id"], "un:TAi.004");
}

#[test]
fn eval_screening_reports_categories_removals_and_sweep() {
    let q = data().join("eval_queries.jsonl");
    let v = json_of(&raqib(&[
        "eval",
        "screening",
        "--queries",
        &q.display().to_string(),
        "--lists",
        &list(),
        "--json",
    ]));
    assert_eq!(v["removals_applied"], 2, "{v}");
    assert_eq!(v["positives"], 3);
    assert_eq!(v["negatives"], 2);
    let cats = v["categories"].as_array().cloned().unwrap_or_default();
    let cat = |n: &str| {
        cats.iter()
            .find(|c| c["category"] == n)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(cat("latin_variant")["recall_at_1"], 1.0);
    assert_eq!(cat("arabic_script")["recall_at_1"], 1.0, "{v}");
    assert_eq!(cat("near_miss")["false_positive_rate"], 0.0);
    assert_eq!(cat("unrelated_person")["false_positive_rate"], 0.0);
    assert!(v["sweep"].as_array().is_some_and(|s| s.len() >= 5));
}

#[test]
fn screen_arabic_script_finds_baghdadi_in_embedded_lists() {
    let v = json_of(&raqib(&[
        "screen",
        "أبو بكر البغدادي",
        "--schema",
        "Person",
        "--limit",
        "20",
        "--json",
    ]));
    let hits = v["matches"].as_array().cloned().unwrap_or_default();
    assert!(
        hits.iter()
            .any(|m| m["entity_id"] == "un:QDi.299" && m["match"] == true),
        "{}",
        serde_json::to_string_pretty(&hits).unwrap_or_default()
    );
}

/// Runs raqib with its stdout closed before it writes (`raqib … | head -0`) and checks that it
/// ends with success and without a panic.
fn assert_quiet_with_closed_stdout(args: &[&str]) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_raqib"))
        .args(args)
        .env("RAQIB_DATA_DIR", dir.path())
        .env_remove("RAQIB_LOG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("running raqib: {e}"));
    drop(child.stdout.take());
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("waiting for raqib: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    // `raqib screen … | head -1`: the pipe is closed before raqib writes its answer.
    assert_quiet_with_closed_stdout(&["screen", "Abu Bakr al-Baghdadi", "--lists", &list()]);
}

#[test]
fn every_command_ends_quietly_when_its_reader_stops_early() {
    assert_quiet_with_closed_stdout(&["compare", "Abu Bakr al-Baghdadi", "BAGHDADI, Abu Bakr"]);
    assert_quiet_with_closed_stdout(&["lists", &list()]);
    // A real error still fails, with a message (the broken-pipe rule is not a blanket pass).
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let missing = dir.path().join("missing.jsonl");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_raqib"))
        .args(["eval", "screening", "--queries"])
        .arg(&missing)
        .env("RAQIB_DATA_DIR", dir.path())
        .output()
        .unwrap_or_else(|e| panic!("running raqib: {e}"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("error"));
}
