//! The service over a real TCP socket (127.0.0.1, ephemeral port) with a real HTTP client,
//! against SQLite and, when `RAQIB_TEST_POSTGRES_URL` is set, PostgreSQL: screening, the
//! yente endpoint, cross-member isolation, and a list reload with a corrupt file while
//! requests keep flowing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screening_yente_matching_and_member_isolation_work_over_a_socket() {
    for b in backends() {
        let h = harness(b).await;
        let (base, stop, join) = spawn_socket(h.state.clone()).await;
        let (a, bkey) = (h.a_analyst.clone(), h.b_analyst.clone());
        let base2 = base.clone();
        tokio::task::spawn_blocking(move || {
            let (st, v) = http("POST", &format!("{base2}/v1/screen"), Some(&a), Some(json!({"name": "Abu Bakr al-Baghdadi"}).to_string()));
            assert_eq!(st, 200, "{v}");
            assert!(ids(&v["matches"]).contains(&"un:QDi.299".to_string()));
            let sid = v["screening_id"].as_str().expect("sid");
            let (st, _) = http("GET", &format!("{base2}/v1/screenings/{sid}"), Some(&a), None);
            assert_eq!(st, 200);
            let (st, e) = http("GET", &format!("{base2}/v1/screenings/{sid}"), Some(&bkey), None);
            assert_eq!(st, 404, "{e}");
            let body = json!({"queries": {"q1": {"schema": "Person", "properties": {"name": ["أبو بكر البغدادي"]}}}});
            let (st, v) = http("POST", &format!("{base2}/match/default"), Some(&a), Some(body.to_string()));
            assert_eq!(st, 200, "{v}");
            assert_eq!(v["responses"]["q1"]["status"], 200);
            let (st, e) = http("POST", &format!("{base2}/v1/screen"), None, Some("{}".into()));
            assert_eq!((st, e["code"].as_str()), (401, Some("missing_api_key")));
            let (st, e) = http("POST", &format!("{base2}/v1/screen"), Some(&a), Some("not json".into()));
            assert_eq!((st, e["code"].as_str()), (400, Some("invalid_json")));
            let (st, h) = http("GET", &format!("{base2}/healthz"), None, None);
            assert_eq!((st, h["status"].as_str()), (200, Some("ok")));
        })
        .await
        .expect("client thread");
        let _ = stop.send(());
        join.await.expect("server task");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_with_a_corrupt_file_under_load_fails_no_request() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("un.xml.zst");
    std::fs::copy(un_list_path(), &path).expect("copy");
    let h = harness_with(
        Backend::Sqlite,
        file_loader(path.clone()),
        server::Options::default(),
    )
    .await;
    let (base, stop, join) = spawn_socket(h.state.clone()).await;
    let running = Arc::new(AtomicBool::new(true));
    let (ok, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let mut clients = Vec::new();
    for i in 0..4 {
        let (base, key, running, ok, failed) = (
            base.clone(),
            h.a_screener.clone(),
            running.clone(),
            ok.clone(),
            failed.clone(),
        );
        clients.push(tokio::task::spawn_blocking(move || {
            let names = [
                "Abu Bakr al-Baghdadi",
                "Ayman al-Zawahiri",
                "Maria Gonzalez",
                "Hamza bin Laden",
            ];
            while running.load(Ordering::Relaxed) {
                let body = json!({"name": names[i % names.len()], "reference": format!("c{i}")})
                    .to_string();
                let (st, v) = http("POST", &format!("{base}/v1/screen"), Some(&key), Some(body));
                if st == 200 && v["matches"].is_array() {
                    ok.fetch_add(1, Ordering::Relaxed);
                } else {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    // Corrupt the list file, then reload while the clients keep screening.
    std::fs::write(
        &path,
        b"<?xml version=\"1.0\"?><CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1",
    )
    .expect("write");
    let (base2, admin) = (base.clone(), h.a_admin.clone());
    let (st, e) = tokio::task::spawn_blocking(move || {
        http(
            "POST",
            &format!("{base2}/v1/lists/reload"),
            Some(&admin),
            Some("{}".into()),
        )
    })
    .await
    .expect("reload");
    assert_eq!(st, 422, "{e}");
    assert_eq!(e["code"], "lists_invalid");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    running.store(false, Ordering::Relaxed);
    for c in clients {
        c.await.expect("client");
    }
    assert_eq!(
        failed.load(Ordering::Relaxed),
        0,
        "requests failed during the reload"
    );
    assert!(
        ok.load(Ordering::Relaxed) > 10,
        "too few requests made it: {}",
        ok.load(Ordering::Relaxed)
    );
    let (base3, key) = (base.clone(), h.a_screener.clone());
    let (_, lists) = tokio::task::spawn_blocking(move || {
        http("GET", &format!("{base3}/v1/lists"), Some(&key), None)
    })
    .await
    .expect("lists");
    assert_eq!(lists["last_reload"]["ok"], false);
    assert!(
        lists["entities"].as_u64().is_some_and(|n| n > 900),
        "old lists still live: {lists}"
    );
    let _ = stop.send(());
    join.await.expect("server");
}
