//! Dirty shutdown: a server process killed with SIGKILL (no graceful shutdown, no flush)
//! while requests are in flight loses nothing it has answered. Every screening whose answer
//! reached the client, and every acknowledged decision, is in the database afterwards with the
//! answer exactly as it was sent.
//!
//! The server runs in a child process: this test binary re-executes itself running only
//! `dirty_shutdown_child_server`, which serves until it is killed. SQLite always; PostgreSQL
//! too when `RAQIB_TEST_POSTGRES_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::json;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CHILD_DB: &str = "RAQIB_DURABILITY_CHILD_DB";
const CHILD_PORT_FILE: &str = "RAQIB_DURABILITY_CHILD_PORT_FILE";

/// The child half of [`acknowledged_screenings_and_decisions_survive_kill_9`]: serves the
/// API on the database named by the environment until the parent kills the process. Run
/// directly (no environment), it has nothing to serve and returns.
#[test]
fn dirty_shutdown_child_server() {
    let (Ok(db), Ok(port_file)) = (std::env::var(CHILD_DB), std::env::var(CHILD_PORT_FILE)) else {
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let store = store::Store::connect(&db).await.expect("store");
        let state = server::AppState::new(store, static_loader(), server::Options::default())
            .await
            .expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let tmp = format!("{port_file}.tmp");
        std::fs::write(&tmp, port.to_string()).expect("port file");
        std::fs::rename(&tmp, &port_file).expect("port file");
        server::serve(listener, state, std::future::pending())
            .await
            .expect("serve");
    });
}

#[test]
fn acknowledged_screenings_and_decisions_survive_kill_9() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    for backend in backends() {
        let dir = tempfile::tempdir().expect("tmp");
        let db = match backend {
            Backend::Sqlite => dir.path().join("raqib.db").to_string_lossy().into_owned(),
            Backend::Postgres => rt.block_on(async {
                let base = std::env::var("RAQIB_TEST_POSTGRES_URL").expect("pg url");
                store::testing::fresh_postgres_database(&base)
                    .await
                    .expect("fresh pg database")
            }),
        };
        let (screener, analyst) = rt.block_on(async {
            let s = store::Store::connect(&db).await.expect("store");
            let k = |r| {
                let s = s.clone();
                async move {
                    s.create_key("Bank A", r, None, "test")
                        .await
                        .expect("key")
                        .key
                }
            };
            (
                k(store::Role::Screener).await,
                k(store::Role::Analyst).await,
            )
        });

        let port_file = dir.path().join("port");
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args(["--exact", "dirty_shutdown_child_server", "--nocapture"])
            .env(CHILD_DB, &db)
            .env(CHILD_PORT_FILE, &port_file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the server process");
        let deadline = Instant::now() + Duration::from_secs(60);
        let port = loop {
            if let Ok(p) = std::fs::read_to_string(&port_file) {
                break p;
            }
            assert!(Instant::now() < deadline, "child server did not start");
            assert!(
                child.try_wait().expect("child").is_none(),
                "child server exited early"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let base = format!("http://127.0.0.1:{}", port.trim());

        // A decision, acknowledged before the storm.
        let (st, v) = http(
            "POST",
            &format!("{base}/v1/screen"),
            Some(&screener),
            Some(json!({"name": "Abu Bakr al-Baghdadi", "reference": "c-1"}).to_string()),
        );
        assert_eq!(st, 200, "{v}");
        let hit_id = v["matches"][0]["hit_id"].as_str().expect("hit").to_string();
        let (st, d) = http(
            "POST",
            &format!("{base}/v1/hits/{hit_id}/decision"),
            Some(&analyst),
            Some(json!({"decision": "false_positive", "comment": "other person"}).to_string()),
        );
        assert_eq!(st, 201, "{d}");
        let decision_id = d["decision_id"].as_str().expect("decision").to_string();

        // Clients screen continuously; the process is killed while they do.
        let acked: Arc<Mutex<Vec<serde_json::Value>>> = Arc::new(Mutex::new(vec![v]));
        let running = Arc::new(AtomicBool::new(true));
        let clients: Vec<_> = (0..4)
            .map(|i| {
                let (base, key, acked, running) =
                    (base.clone(), screener.clone(), acked.clone(), running.clone());
                std::thread::spawn(move || {
                    let names = ["Ayman al-Zawahiri", "Maria Gonzalez", "Hamza bin Laden"];
                    let mut n = 0;
                    while running.load(Ordering::Relaxed) {
                        n += 1;
                        let body = json!({"name": names[n % names.len()], "reference": format!("c{i}-{n}")});
                        let (st, v) = http_or_error(&format!("{base}/v1/screen"), &key, &body.to_string());
                        if st == 200 {
                            acked.lock().expect("lock").push(v);
                        }
                    }
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(1500));
        child.kill().expect("SIGKILL the server");
        child.wait().expect("reap");
        running.store(false, Ordering::Relaxed);
        for c in clients {
            c.join().expect("client");
        }
        let acked = acked.lock().expect("lock").clone();
        assert!(
            acked.len() > 10,
            "too few screenings before the kill: {}",
            acked.len()
        );

        rt.block_on(async {
            let s = store::Store::connect(&db)
                .await
                .expect("reopen after the kill");
            let who = s
                .authenticate(&analyst)
                .await
                .expect("auth")
                .expect("key survives");
            for answer in &acked {
                let id = answer["screening_id"].as_str().expect("id");
                let rec = s
                    .screening(&who.member_id, id)
                    .await
                    .expect("read")
                    .unwrap_or_else(|| panic!("{backend:?}: acknowledged screening {id} lost"));
                assert_eq!(&rec.results, answer, "{backend:?}: stored answer differs");
                assert_eq!(
                    rec.hits.len(),
                    answer["matches"].as_array().map_or(0, Vec::len)
                );
            }
            let ds = s
                .decisions_for_hit(&who.member_id, &hit_id)
                .await
                .expect("decisions");
            assert_eq!(
                ds.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
                [decision_id.as_str()],
                "{backend:?}: acknowledged decision lost"
            );
            assert_eq!(
                s.verify_audit_chain()
                    .await
                    .expect("chain")
                    .first_broken_seq,
                None
            );
        });
    }
}

/// Like [`http`], but a connection refused or reset (the server was killed) is status 0.
fn http_or_error(url: &str, key: &str, body: &str) -> (u16, serde_json::Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let resp = agent
        .post(url)
        .header("content-type", "application/json")
        .header("authorization", &format!("Bearer {key}"))
        .send(body);
    match resp {
        Ok(mut r) => {
            let st = r.status().as_u16();
            match r.body_mut().read_to_string() {
                Ok(text) => (st, serde_json::from_str(&text).unwrap_or_default()),
                Err(_) => (0, serde_json::Value::Null),
            }
        }
        Err(_) => (0, serde_json::Value::Null),
    }
}
