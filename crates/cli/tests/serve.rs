//! `raqib keys` and `raqib serve` as a user runs them: create keys, start the server on a
//! free loopback port with a list file, screen over HTTP, revoke the key, stop the server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn raqib() -> Command {
    Command::new(env!("CARGO_BIN_EXE_raqib"))
}

fn un_list() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/lists/un_consolidated_2026-02-27.xml.zst")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn post(url: &str, key: &str, body: &str) -> (u16, serde_json::Value) {
    let mut r = agent()
        .post(url)
        .header("authorization", &format!("Bearer {key}"))
        .header("content-type", "application/json")
        .send(body)
        .expect("request");
    let text = r.body_mut().read_to_string().unwrap_or_default();
    (
        r.status().as_u16(),
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

#[test]
fn keys_are_shown_once_and_serve_answers_screening_requests() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("raqib.db");
    let db = db.to_str().expect("utf-8");
    let out = raqib()
        .args([
            "keys",
            "create",
            "--member",
            "Bank A",
            "--role",
            "analyst",
            "--database",
            db,
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key = String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string();
    assert!(
        key.starts_with("rqb_") && key.len() == 4 + 16 + 1 + 64,
        "{key}"
    );
    let key_id = key[4..20].to_string();
    let out = raqib()
        .args(["keys", "list", "--database", db, "--json"])
        .output()
        .expect("run");
    let listed = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        listed.contains(&key_id) && !listed.contains(&key[21..]),
        "the secret must never be listed"
    );
    let bad = raqib()
        .args([
            "keys",
            "create",
            "--member",
            "X",
            "--role",
            "root",
            "--database",
            db,
        ])
        .output()
        .expect("run");
    assert!(!bad.status.success());

    let port = free_port();
    let mut child = raqib()
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--database",
            db,
            "--lists",
        ])
        .arg(un_list())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    assert!(first.contains("listening on"), "{first}");
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while agent().get(&format!("{base}/healthz")).call().is_err() {
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(100));
    }
    let (st, v) = post(
        &format!("{base}/v1/screen"),
        &key,
        r#"{"name": "Abu Bakr al-Baghdadi"}"#,
    );
    assert_eq!(st, 200, "{v}");
    assert!(
        v["matches"]
            .as_array()
            .is_some_and(|m| m.iter().any(|m| m["entity_id"] == "un:QDi.299"))
    );

    let out = raqib()
        .args(["keys", "revoke", &key_id, "--database", db])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The server's key cache honours another process's revocation within its TTL.
    let deadline = Instant::now() + store_ttl() + Duration::from_secs(5);
    loop {
        let (st, _) = post(
            &format!("{base}/v1/screen"),
            &key,
            r#"{"name": "Abu Bakr al-Baghdadi"}"#,
        );
        if st == 401 {
            break;
        }
        assert!(Instant::now() < deadline, "revoked key still accepted");
        std::thread::sleep(Duration::from_millis(500));
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn store_ttl() -> Duration {
    store::KEY_CACHE_TTL
}

#[test]
fn bench_store_commits_every_screening_and_reports_the_writer() {
    let dir = tempfile::tempdir().unwrap();
    let list = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/screen/un_small.xml");
    let out = raqib()
        .args([
            "bench",
            "store",
            "--screenings",
            "300",
            "--concurrency",
            "8",
            "--lists",
        ])
        .arg(&list)
        .env("RAQIB_DATA_DIR", dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("stored 300 screenings"), "{stdout}");
    // The writer counts a job only once its transaction committed.
    assert!(stdout.contains("carrying 300 screenings"), "{stdout}");
    assert!(stdout.contains("bytes per screening"), "{stdout}");
}
