//! End-to-end tests of `raqib monitor` and `raqib eval monitoring`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn raqib() -> Command {
    Command::new(env!("CARGO_BIN_EXE_raqib"))
}

fn data(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(p)
}

/// The shared AMLSim sample: `<repo>/../shared/data/transactions/amlsim_ctf_sample`.
fn amlsim() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/transactions/amlsim_ctf_sample");
    assert!(
        p.join("transactions.csv").is_file(),
        "shared AMLSim sample not found at {}",
        p.display()
    );
    p
}

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("running raqib: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "raqib failed:\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn alerts(path: &Path) -> Vec<serde_json::Value> {
    common::read_jsonl(path)
}

#[test]
fn amlsim_sample_recall_and_f1_meet_the_targets() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("alerts.jsonl");
    let sample = amlsim();
    run_ok(
        raqib()
            .args(["monitor", "--quiet", "--no-screening", "--input"])
            .arg(&sample)
            .arg("--alerts")
            .arg(&out),
    );
    let all = alerts(&out);
    assert!(!all.is_empty());
    for a in &all {
        for k in [
            "alert_id",
            "typology",
            "score",
            "accounts",
            "transaction_ids",
            "explanation",
        ] {
            assert!(a.get(k).is_some(), "alert without {k}: {a}");
        }
    }
    let json = run_ok(
        raqib()
            .args([
                "eval",
                "monitoring",
                "--json",
                "--split-date",
                "2024-04-01",
                "--alerts",
            ])
            .arg(&out)
            .arg("--labels")
            .arg(sample.join("tx_labels.csv"))
            .arg("--patterns")
            .arg(sample.join("alerts.csv")),
    );
    let figs: Vec<serde_json::Value> =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(figs.len(), 3);
    let all = &figs[0];
    for t in [
        "fan_in",
        "fan_out",
        "scatter_gather",
        "gather_scatter",
        "cycle",
    ] {
        let r = all["per_typology"][t]["recall"].as_f64().unwrap_or(0.0);
        assert!(r >= 0.9, "{t} pattern recall {r} < 0.9");
    }
    let f1 = all["tx_f1"].as_f64().unwrap_or(0.0);
    assert!(f1 >= 0.6, "transaction-level F1 {f1} < 0.6");
    // Both time halves stay useful (no part carries the whole result).
    for part in &figs[1..] {
        let f1 = part["tx_f1"].as_f64().unwrap_or(0.0);
        assert!(f1 >= 0.6, "{}: F1 {f1}", part["part"]);
    }
}

#[test]
fn bad_amlsim_rows_are_reported_with_line_and_reason_and_the_rest_is_processed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("alerts.jsonl");
    let rej = dir.path().join("rejected.jsonl");
    let stdout = run_ok(
        raqib()
            .args([
                "monitor",
                "--quiet",
                "--no-screening",
                "--format",
                "amlsim",
                "--input",
            ])
            .arg(data("monitor_bad"))
            .arg("--alerts")
            .arg(&out)
            .arg("--rejected")
            .arg(&rej),
    );
    assert!(stdout.contains("records read     9"), "{stdout}");
    assert!(stdout.contains("processed        3"), "{stdout}");
    assert!(
        stdout.contains("rejected         6 (input: 5, invalid: 0, late beyond tolerance: 1)"),
        "{stdout}"
    );
    for needle in [
        "line 3",
        "negative amount",
        "line 4",
        "not a number",
        "unknown account \"77\"",
        "line 6",
        "unrecognised timestamp",
        "line 7",
        "missing field",
        "late:",
    ] {
        assert!(
            stdout.contains(needle),
            "summary lacks {needle:?}:\n{stdout}"
        );
    }
    let rejected = alerts(&rej);
    assert_eq!(rejected.len(), 6);
    assert!(out.is_file());
}

#[test]
fn pacs008_transfers_to_conflict_zone_and_neighbour_raise_a_geography_alert() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("alerts.jsonl");
    let stdout = run_ok(
        raqib()
            .args(["monitor", "--quiet", "--no-screening", "--input"])
            .arg(data("monitor_pacs008/transfers.xml"))
            .arg("--alerts")
            .arg(&out),
    );
    assert!(
        stdout.contains("CdtTrfTxInf #3: negative amount"),
        "{stdout}"
    );
    assert!(
        stdout.contains("CdtTrfTxInf #4: missing CdtrAcct/Id"),
        "{stdout}"
    );
    let all = alerts(&out);
    assert_eq!(all.len(), 1, "{all:#?}");
    let a = &all[0];
    assert_eq!(a["typology"], "high_risk_geography");
    assert_eq!(
        a["transaction_ids"],
        serde_json::json!(["E2E-GEO-1", "E2E-GEO-2"])
    );
    assert_eq!(a["accounts"][0], "DE89370400440532013000");
    assert_eq!(a["score"], 80.0);
}

#[test]
fn mapped_csv_export_with_structuring_is_alerted() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("alerts.jsonl");
    let stdout = run_ok(
        raqib()
            .args([
                "monitor",
                "--quiet",
                "--no-screening",
                "--format",
                "csv",
                "--input",
            ])
            .arg(data("monitor_csv/export.csv"))
            .arg("--mapping")
            .arg(data("monitor_csv/mapping.toml"))
            .arg("--alerts")
            .arg(&out),
    );
    assert!(
        stdout.contains("line 6"),
        "the impossible date 31.02 is reported: {stdout}"
    );
    let all = alerts(&out);
    let s: Vec<_> = all
        .iter()
        .filter(|a| a["typology"] == "structuring")
        .collect();
    assert_eq!(s.len(), 1, "{all:#?}");
    assert_eq!(
        s[0]["transaction_ids"],
        serde_json::json!(["R-2", "R-3", "R-6"])
    );
    assert_eq!(s[0]["score"], 65.0);
}

#[test]
fn rules_file_overrides_defaults_and_bad_rules_fail_clearly() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("alerts.jsonl");
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, "[structuring]\nmin_count = 4\n").unwrap_or_else(|e| panic!("{e}"));
    run_ok(
        raqib()
            .args([
                "monitor",
                "--quiet",
                "--no-screening",
                "--format",
                "csv",
                "--input",
            ])
            .arg(data("monitor_csv/export.csv"))
            .arg("--mapping")
            .arg(data("monitor_csv/mapping.toml"))
            .arg("--rules")
            .arg(&rules)
            .arg("--alerts")
            .arg(&out),
    );
    assert!(alerts(&out).iter().all(|a| a["typology"] != "structuring"));
    std::fs::write(&rules, "[structuring]\nmin_cont = 4\n").unwrap_or_else(|e| panic!("{e}"));
    let res = raqib()
        .args(["monitor", "--quiet", "--input"])
        .arg(data("monitor_csv/export.csv"))
        .arg("--rules")
        .arg(&rules)
        .arg("--alerts")
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!res.status.success());
    assert!(String::from_utf8_lossy(&res.stderr).contains("min_cont"));
}

#[test]
fn transfer_to_a_un_listed_name_in_another_spelling_raises_a_listed_counterparty_alert() {
    // End to end through the screening glue: the embedded lists, the Turkish spelling of a
    // UN-listed name, and two ordinary transfers that must not be flagged.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("alerts.jsonl");
    run_ok(
        raqib()
            .args(["monitor", "--quiet", "--format", "jsonl", "--input"])
            .arg(data("monitor_listed/transfers.jsonl"))
            .arg("--alerts")
            .arg(&out),
    );
    let alerts = alerts(&out);
    let listed: Vec<_> = alerts
        .iter()
        .filter(|a| a["typology"] == "listed_counterparty")
        .collect();
    assert_eq!(listed.len(), 1, "alerts: {alerts:#?}");
    let a = listed[0];
    assert_eq!(a["transaction_ids"], serde_json::json!(["T-1"]));
    // The same person is listed by the UN (QDi.299), the EU and OFAC; any of them is right.
    let facts = &a["explanation"]["facts"];
    let listed = facts["listed_name"]
        .as_str()
        .unwrap_or_default()
        .to_lowercase();
    assert!(
        listed.contains("baghdadi") && listed.contains("bakr"),
        "explanation: {:#}",
        a["explanation"]
    );
    assert_eq!(facts["role"], "beneficiary");
    for a in &alerts {
        let ids = a["transaction_ids"].to_string();
        assert!(
            !ids.contains("T-2") && !ids.contains("T-3"),
            "unexpected alert: {a:#}"
        );
    }
}

/// Reads back what `raqib monitor --store` wrote, as the server would.
fn stored_alerts(db: &Path, member: &str) -> (i64, Vec<store::StoredAlert>, i64) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
        .block_on(async {
            let s = store::Store::connect(db.to_str().unwrap_or_default())
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let m = s
                .ensure_member(member)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let q = store::AlertQuery {
                limit: 1000,
                ..Default::default()
            };
            let (n, items) = s.alerts(&m.id, &q).await.unwrap_or_else(|e| panic!("{e}"));
            let txs = s
                .transaction_count(&m.id)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            (n, items, txs)
        })
}

#[test]
fn monitor_with_store_writes_alerts_and_their_transactions_once() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("alerts.jsonl");
    let db = dir.path().join("raqib.db");
    let run = || {
        run_ok(
            raqib()
                .args(["monitor", "--quiet", "--no-screening", "--input"])
                .arg(data("monitor_pacs008/transfers.xml"))
                .arg("--alerts")
                .arg(&out)
                .arg("--store")
                .arg(&db)
                .args(["--member", "Bank A"]),
        )
    };
    let stdout = run();
    assert!(
        stdout.contains("stored           2 transactions (0 already stored)"),
        "{stdout}"
    );
    let (n, alerts, txs) = stored_alerts(&db, "Bank A");
    assert_eq!((n, txs), (1, 2), "{alerts:#?}");
    let a = &alerts[0];
    assert_eq!(a.source, "cli");
    assert_eq!(a.typology, "high_risk_geography");
    assert_eq!(a.status, "closed");
    assert_eq!(a.key_account, "DE89370400440532013000");
    let file = common::read_jsonl(&out);
    assert_eq!(
        a.body, file[0],
        "the stored alert is the one written to --alerts"
    );

    // A re-run stores nothing twice; another member sees nothing.
    let stdout = run();
    assert!(
        stdout.contains("stored           0 transactions (2 already stored), 0 alert versions"),
        "{stdout}"
    );
    let (n, _, txs) = stored_alerts(&db, "Bank A");
    assert_eq!((n, txs), (1, 2));
    let (n, _, txs) = stored_alerts(&db, "Bank B");
    assert_eq!((n, txs), (0, 0));
}

#[test]
fn monitor_store_needs_a_member() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = raqib()
        .args(["monitor", "--quiet", "--no-screening", "--input"])
        .arg(data("monitor_pacs008/transfers.xml"))
        .arg("--alerts")
        .arg(dir.path().join("a.jsonl"))
        .arg("--store")
        .arg(dir.path().join("raqib.db"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--member"), "{err}");
}
