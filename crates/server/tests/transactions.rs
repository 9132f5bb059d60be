//! `POST /v1/transactions` and the alert endpoints, end to end through the router against a
//! real store (SQLite; PostgreSQL too when `RAQIB_TEST_POSTGRES_URL` is set).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Backend, Harness, backends, harness};
use http_body_util::BodyExt;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use tower::ServiceExt;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/transactions")
        .join(name)
}

/// The shared AMLSim sample: `<repo>/../shared/data/transactions/amlsim_ctf_sample`.
fn amlsim_csv() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/transactions/amlsim_ctf_sample/transactions.csv");
    assert!(
        p.is_file(),
        "shared AMLSim sample not found at {} (CI clones ../shared beside the repo)",
        p.display()
    );
    p
}

struct Resp {
    status: StatusCode,
    content_type: String,
    text: String,
}

impl Resp {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

async fn raw(
    h: &Harness,
    method: &str,
    uri: &str,
    key: &str,
    ct: Option<&str>,
    body: Vec<u8>,
) -> Resp {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {key}"));
    if let Some(ct) = ct {
        b = b.header("content-type", ct);
    }
    let resp = h
        .app
        .clone()
        .oneshot(b.body(Body::from(body)).expect("request"))
        .await
        .expect("infallible");
    let status = resp.status();
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    Resp {
        status,
        content_type,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn post_tx(h: &Harness, key: &str, ct: &str, body: Vec<u8>) -> Resp {
    raw(h, "POST", "/v1/transactions", key, Some(ct), body).await
}

fn fan_in_fixture() -> Vec<u8> {
    std::fs::read(data("fan_in.json")).expect("fixture")
}

#[tokio::test]
async fn a_fan_in_posted_as_json_raises_an_alert_that_analysts_can_open() {
    for backend in backends() {
        let h = harness(backend).await;
        let r = post_tx(&h, &h.a_screener, "application/json", fan_in_fixture()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let v = r.json();
        assert_eq!(v["accepted"], 7);
        assert_eq!(v["duplicates"], 0);
        assert_eq!(v["rejected"], serde_json::json!([]));
        let alerts = v["alerts"].as_array().expect("alerts");
        let fan_in: Vec<_> = alerts
            .iter()
            .filter(|a| a["typology"] == "fan_in")
            .collect();
        assert_eq!(fan_in.len(), 1, "{alerts:#?}");
        let a = fan_in[0];
        assert_eq!(a["accounts"][0], "ACC-COLLECT");
        assert_eq!(a["status"], "open", "streaming alerts stay open until idle");
        let id = a["alert_id"].as_str().expect("id").to_string();

        // Listing (analyst+), open filter and the screener's 403.
        let (s, list) = h.get("/v1/alerts?status=open", &h.a_analyst).await;
        assert_eq!(s, StatusCode::OK, "{list}");
        assert_eq!(list["total"], 1);
        let item = &list["items"][0];
        assert_eq!(item["alert_id"], id.as_str());
        assert_eq!(item["status"], "open");
        assert_eq!(item["key_account"], "ACC-COLLECT");
        assert!(item["score_display"].as_str().unwrap().ends_with("/100"));
        let (s, _) = h.get("/v1/alerts", &h.a_screener).await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        // Detail: the alert as the engine wrote it, its transactions, the graph.
        let (s, d) = h.get(&format!("/v1/alerts/{id}"), &h.a_analyst).await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["alert"]["alert_id"], id.as_str());
        assert_eq!(d["revisions"], 1);
        let txs = d["transactions"].as_array().expect("transactions");
        let tx_ids: Vec<&str> = txs.iter().map(|t| t["tx_id"].as_str().unwrap()).collect();
        let expected: Vec<&str> = a["transaction_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(tx_ids, expected);
        assert!(tx_ids.len() >= 5);
        assert_eq!(txs[0]["orig_acct"], "ACC-DONOR-1");
        assert_eq!(txs[0]["amount"], 250.0);
        assert_eq!(txs[0]["timestamp"], "2024-03-04T10:00:00Z");
        let nodes = d["graph"]["nodes"].as_array().unwrap();
        assert_eq!(
            nodes[0],
            serde_json::json!({"id": "ACC-COLLECT", "role": "key", "listed": false})
        );
        let edges = d["graph"]["edges"].as_array().unwrap();
        assert_eq!(edges.len(), tx_ids.len(), "one donor, one edge");
        assert!(
            edges
                .iter()
                .all(|e| e["to"] == "ACC-COLLECT" && e["count"] == 1)
        );
        assert_eq!(d["decisions"], serde_json::json!([]));
        assert_eq!(d["case_ids"], serde_json::json!([]));

        // The picture.
        let svg = raw(
            &h,
            "GET",
            &format!("/v1/alerts/{id}/graph.svg"),
            &h.a_analyst,
            None,
            vec![],
        )
        .await;
        assert_eq!(svg.status, StatusCode::OK);
        assert!(
            svg.content_type.starts_with("image/svg+xml"),
            "{}",
            svg.content_type
        );
        assert!(
            svg.text
                .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"")
        );
        assert!(svg.text.contains("ACC-COLLECT (key account)"));
        assert!(svg.text.contains("marker-end=\"url(#arrow)\""));
        assert_eq!(
            svg.text.matches("<title>").count(),
            nodes.len() + edges.len(),
            "a title per account and per flow"
        );
    }
}

#[tokio::test]
async fn decisions_on_alerts_are_stored_audited_and_member_scoped() {
    for backend in backends() {
        let h = harness(backend).await;
        let r = post_tx(&h, &h.a_screener, "application/json", fan_in_fixture()).await;
        let id = r.json()["alerts"][0]["alert_id"]
            .as_str()
            .unwrap()
            .to_string();
        let uri = format!("/v1/alerts/{id}/decision");

        // Member B sees nothing of member A's alert: 404 everywhere, as for a missing one.
        for path in [
            format!("/v1/alerts/{id}"),
            format!("/v1/alerts/{id}/graph.svg"),
        ] {
            let r = raw(&h, "GET", &path, &h.b_analyst, None, vec![]).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.text);
            assert_eq!(r.json()["code"], "not_found");
        }
        let (s, _) = h
            .post(
                &uri,
                &h.b_analyst,
                serde_json::json!({"decision": "false_positive", "comment": "x"}),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (_, list) = h.get("/v1/alerts", &h.b_analyst).await;
        assert_eq!(list["total"], 0);

        // Validation, role, then a real decision.
        let (s, e) = h
            .post(
                &uri,
                &h.a_analyst,
                serde_json::json!({"decision": "maybe", "comment": "x"}),
            )
            .await;
        assert_eq!(
            (s, e["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("decision"))
        );
        let (s, e) = h
            .post(
                &uri,
                &h.a_analyst,
                serde_json::json!({"decision": "escalate", "comment": "  "}),
            )
            .await;
        assert_eq!(
            (s, e["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("comment"))
        );
        let (s, _) = h
            .post(
                &uri,
                &h.a_screener,
                serde_json::json!({"decision": "escalate", "comment": "x"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, d) = h
            .post(
                &uri,
                &h.a_analyst,
                serde_json::json!({"decision": "true_match", "comment": "donations collected for a listed group"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        assert_eq!(d["alert_id"], id.as_str());
        assert_eq!(d["decision"], "true_match");

        let (_, detail) = h.get(&format!("/v1/alerts/{id}"), &h.a_analyst).await;
        assert_eq!(detail["status"], "true_match");
        assert_eq!(
            detail["decisions"][0]["comment"],
            "donations collected for a listed group"
        );
        let (_, open) = h.get("/v1/alerts?status=open", &h.a_analyst).await;
        assert_eq!(open["total"], 0);
        let (_, decided) = h.get("/v1/alerts?status=decided", &h.a_analyst).await;
        assert_eq!(decided["total"], 1);

        let store = h.state.store();
        let member = store.ensure_member("Bank A").await.unwrap();
        let audit = store.audit_log(Some(&member.id), 0, 1000).await.unwrap();
        let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
        assert!(actions.contains(&"transactions.scored"), "{actions:?}");
        let decided = audit
            .iter()
            .find(|e| e.action == "alert.decided")
            .expect("audit entry");
        assert_eq!(decided.object_id.as_deref(), Some(id.as_str()));
        assert!(decided.detail.contains("true_match"));
        assert_eq!(
            store.verify_audit_chain().await.unwrap().first_broken_seq,
            None
        );
    }
}

#[tokio::test]
async fn bad_bodies_are_refused_naming_the_record_and_good_records_still_count() {
    let h = harness(Backend::Sqlite).await;
    // Nothing usable: 400 naming the record.
    let r = post_tx(
        &h,
        &h.a_screener,
        "application/json",
        br#"[{"id": "x1", "timestamp": "2024-01-01", "amount": 5, "originator": {"account": "A"}, "beneficiary": {"account": "B"}}]"#.to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let e = r.json();
    assert_eq!(e["code"], "invalid_transactions");
    assert_eq!(e["field"], "index 0");
    assert!(
        e["message"].as_str().unwrap().contains("missing currency"),
        "{e}"
    );

    // A mixed batch: the good one is scored, the bad one reported by index.
    let r = post_tx(
        &h,
        &h.a_screener,
        "application/json",
        serde_json::json!({"transactions": [
            {"id": "ok1", "timestamp": "2024-01-01T10:00:00Z", "amount": "12.50", "currency": "eur",
             "originator": {"account": "A"}, "beneficiary": {"account": "B"}},
            {"id": "bad1", "timestamp": "yesterday", "amount": 1, "currency": "EUR",
             "originator": {"account": "A"}, "beneficiary": {"account": "B"}}
        ]})
        .to_string()
        .into_bytes(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let v = r.json();
    assert_eq!(v["accepted"], 1);
    assert_eq!(v["rejected"][0]["record"], "index 1");
    assert!(
        v["rejected"][0]["message"]
            .as_str()
            .unwrap()
            .contains("timestamp")
    );

    // Not JSON at all, an unknown content type, NDJSON with a broken line.
    let r = post_tx(
        &h,
        &h.a_screener,
        "application/json",
        b"[{\"id\": ".to_vec(),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_json"))
    );
    let r = post_tx(&h, &h.a_screener, "text/plain", b"hello".to_vec()).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = post_tx(&h, &h.a_screener, "text/csv", b"a,b,c\n1,2,3\n".to_vec()).await;
    assert_eq!(
        (r.status, r.json()["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_csv"))
    );
    let nd = "{\"id\":\"n1\",\"timestamp\":1704103200,\"amount\":1,\"currency\":\"USD\",\"originator\":{\"account\":\"A\"},\"beneficiary\":{\"account\":\"B\"}}\nnot json\n";
    let r = post_tx(
        &h,
        &h.a_screener,
        "application/x-ndjson",
        nd.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let v = r.json();
    assert_eq!(v["accepted"], 1);
    assert!(
        v["rejected"][0]["record"]
            .as_str()
            .unwrap()
            .contains("line 2"),
        "{v}"
    );
    let r = post_tx(&h, &h.a_screener, "application/json", b"[]".to_vec()).await;
    assert_eq!(
        (r.status, r.json()["accepted"].as_u64()),
        (StatusCode::OK, Some(0))
    );
}

#[tokio::test]
async fn a_retried_request_is_idempotent() {
    let h = harness(Backend::Sqlite).await;
    let first = post_tx(&h, &h.a_screener, "application/json", fan_in_fixture())
        .await
        .json();
    assert_eq!(first["accepted"], 7);
    let again = post_tx(&h, &h.a_screener, "application/json", fan_in_fixture()).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    let v = again.json();
    assert_eq!(
        (v["accepted"].as_u64(), v["duplicates"].as_u64()),
        (Some(0), Some(7))
    );
    assert_eq!(v["alerts"], serde_json::json!([]));
    let (_, list) = h.get("/v1/alerts", &h.a_analyst).await;
    assert_eq!(list["total"], 1);
    let (_, d) = h
        .get(
            &format!(
                "/v1/alerts/{}",
                first["alerts"][0]["alert_id"].as_str().unwrap()
            ),
            &h.a_analyst,
        )
        .await;
    assert_eq!(d["revisions"], 1);
}

#[tokio::test]
async fn the_stream_continues_across_a_restart_by_replaying_the_store() {
    let h = harness(Backend::Sqlite).await;
    let all: Vec<serde_json::Value> = serde_json::from_slice(&fan_in_fixture()).unwrap();
    // Four donors before the "restart": below the fan-in minimum of five.
    let r = post_tx(
        &h,
        &h.a_screener,
        "application/json",
        serde_json::to_vec(&all[..4]).unwrap(),
    )
    .await;
    assert_eq!(r.json()["alerts"], serde_json::json!([]));
    // A new service over the same database: the engine is rebuilt from stored transactions.
    let state = server::AppState::new(
        h.state.store().clone(),
        common::static_loader(),
        server::Options::default(),
    )
    .await
    .expect("state");
    let h2 = Harness {
        app: server::app(state.clone()),
        state,
        ..h
    };
    let r = post_tx(
        &h2,
        &h2.a_screener,
        "application/json",
        serde_json::to_vec(&all[4..]).unwrap(),
    )
    .await;
    let v = r.json();
    let fan_in: Vec<_> = v["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["typology"] == "fan_in")
        .collect();
    assert_eq!(
        fan_in.len(),
        1,
        "the donors sent before the restart count: {v:#}"
    );
    assert_eq!(fan_in[0]["transaction_ids"][0], "f1");
}

#[tokio::test]
async fn pacs008_and_ndjson_bodies_are_scored_with_counterparty_screening() {
    let h = harness(Backend::Sqlite).await;
    let xml = std::fs::read(data("pacs008_geography.xml")).unwrap();
    let r = post_tx(&h, &h.a_screener, "application/xml", xml).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let v = r.json();
    assert_eq!(v["accepted"], 2);
    let rejected = v["rejected"].to_string();
    assert!(
        rejected.contains("CdtTrfTxInf #3") && rejected.contains("negative amount"),
        "{rejected}"
    );
    let geo: Vec<_> = v["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["typology"] == "high_risk_geography")
        .collect();
    assert_eq!(geo.len(), 1, "{v:#}");
    assert_eq!(geo[0]["accounts"][0], "DE89370400440532013000");

    // A transfer to a UN-listed name in its Turkish spelling, screened against the live lists
    // (member B: its own stream, which starts before member A's latest event).
    let nd = std::fs::read(data("listed.ndjson")).unwrap();
    let r = post_tx(&h, &h.b_analyst, "application/x-ndjson", nd.clone()).await;
    let v = r.json();
    let listed: Vec<_> = v["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["typology"] == "listed_counterparty")
        .collect();
    assert_eq!(listed.len(), 1, "{v:#}");
    assert_eq!(listed[0]["transaction_ids"], serde_json::json!(["T-1"]));
    let id = listed[0]["alert_id"].as_str().unwrap();
    let (_, d) = h.get(&format!("/v1/alerts/{id}"), &h.b_analyst).await;
    let listed_nodes: Vec<_> = d["graph"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["listed"] == true)
        .collect();
    assert_eq!(listed_nodes.len(), 1, "{:#}", d["graph"]);
    assert_eq!(d["transactions"][0]["bene_name"], "Ebubekir el-Bağdadi");

    // The same transfer in member A's stream (later) with screening=false: no listed alert.
    let mut a_tx: serde_json::Value =
        serde_json::from_str(String::from_utf8(nd).unwrap().lines().next().unwrap()).unwrap();
    a_tx["id"] = "A-T-1".into();
    a_tx["timestamp"] = "2024-05-01T10:00:00Z".into();
    let r = raw(
        &h,
        "POST",
        "/v1/transactions?screening=false",
        &h.a_screener,
        Some("application/json"),
        serde_json::to_vec(&a_tx).unwrap(),
    )
    .await;
    let v = r.json();
    assert_eq!(v["accepted"], 1, "{v}");
    let typologies: Vec<&str> = v["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["typology"].as_str().unwrap())
        .collect();
    // Its later event time closes A's geography alert; nothing is screened.
    assert_eq!(typologies, ["high_risk_geography"], "{v:#}");
    assert_eq!(v["alerts"][0]["status"], "closed");
    let r = raw(
        &h,
        "POST",
        "/v1/transactions?screening=maybe",
        &h.b_analyst,
        Some("application/json"),
        b"[]".to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn bodies_over_one_mib_are_accepted_here_and_over_sixteen_refused() {
    let h = harness(Backend::Sqlite).await;
    // ~2 MiB of valid NDJSON: over the service's default limit, under this route's.
    let mut nd = String::new();
    let mut i = 0;
    while nd.len() < 2 * 1024 * 1024 {
        nd.push_str(&format!(
            "{{\"id\":\"big{i}\",\"timestamp\":{},\"amount\":10,\"currency\":\"USD\",\"originator\":{{\"account\":\"O{}\"}},\"beneficiary\":{{\"account\":\"B{}\"}}}}\n",
            1_704_067_200 + i,
            i % 97,
            i % 89
        ));
        i += 1;
    }
    let r = post_tx(&h, &h.a_screener, "application/x-ndjson", nd.into_bytes()).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        &r.text[..r.text.len().min(500)]
    );
    assert_eq!(r.json()["accepted"].as_u64(), Some(i as u64));
    let big = vec![b' '; 16 * 1024 * 1024 + 1];
    let r = post_tx(&h, &h.a_screener, "application/json", big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        r.json()["message"].as_str().unwrap().contains("16777216"),
        "{}",
        r.text
    );
    // Other routes keep the service limit.
    let r = raw(
        &h,
        "POST",
        "/v1/screen",
        &h.a_screener,
        Some("application/json"),
        vec![b' '; 2 * 1024 * 1024],
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
}

/// The shared AMLSim sample through the API in CSV chunks gives the same fan-in (and every
/// other) alerts as the batch engine over the whole file.
#[tokio::test]
async fn the_amlsim_sample_posted_in_chunks_matches_the_batch_engine() {
    let h = harness(Backend::Sqlite).await;
    let text = std::fs::read_to_string(amlsim_csv()).expect("read sample");
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    let rows: Vec<&str> = lines.collect();
    let started = std::time::Instant::now();
    let mut accepted = 0u64;
    let mut api_alerts: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for chunk in rows.chunks(5000) {
        let mut body = String::from(header);
        body.push('\n');
        for l in chunk {
            body.push_str(l);
            body.push('\n');
        }
        let r = raw(
            &h,
            "POST",
            "/v1/transactions?screening=false",
            &h.a_screener,
            Some("text/csv"),
            body.into_bytes(),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{}",
            &r.text[..r.text.len().min(500)]
        );
        let v = r.json();
        accepted += v["accepted"].as_u64().unwrap();
        for a in v["alerts"].as_array().unwrap() {
            api_alerts
                .entry(a["typology"].as_str().unwrap().to_string())
                .or_default()
                .insert(a["alert_id"].as_str().unwrap().to_string());
        }
    }
    eprintln!(
        "posted {} AMLSim transactions in {:.2}s (debug build)",
        rows.len(),
        started.elapsed().as_secs_f64()
    );
    assert_eq!(accepted, rows.len() as u64);

    // The batch engine over the same file, without finish(): what a stream has raised so far.
    let mut engine = monitoring::Engine::new(monitoring::Rules::default());
    let mut batch: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let reader = monitoring::input::amlsim::AmlsimReader::new(text.as_bytes(), None).unwrap();
    for rec in reader {
        for a in engine.process(rec.unwrap()) {
            batch
                .entry(a.typology.as_str().to_string())
                .or_default()
                .insert(a.alert_id);
        }
    }
    assert_eq!(api_alerts, batch);
    let fan_in = api_alerts.get("fan_in").map_or(0, BTreeSet::len);
    assert!(fan_in >= 20, "fan-in alerts on the sample: {fan_in}");
    let counts: BTreeMap<_, _> = api_alerts
        .iter()
        .map(|(k, v)| (k.clone(), v.len()))
        .collect();
    eprintln!("alerts per typology through the API: {counts:?}");

    // Every alert is stored, listed by typology, and opens with its transactions and picture.
    let (_, list) = h
        .get("/v1/alerts?typology=fan_in&limit=1000", &h.a_analyst)
        .await;
    assert_eq!(list["total"].as_u64(), Some(fan_in as u64));
    let top = list["items"][0]["alert_id"].as_str().unwrap().to_string();
    let (s, d) = h.get(&format!("/v1/alerts/{top}"), &h.a_analyst).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        d["transactions"].as_array().unwrap().len(),
        d["alert"]["transaction_ids"].as_array().unwrap().len(),
        "every transaction of the alert is stored"
    );
    let svg = raw(
        &h,
        "GET",
        &format!("/v1/alerts/{top}/graph.svg"),
        &h.a_analyst,
        None,
        vec![],
    )
    .await;
    assert_eq!(svg.status, StatusCode::OK);
    assert!(svg.text.contains("(key account)"));
    let total: usize = api_alerts.values().map(BTreeSet::len).sum();
    let (_, all) = h.get("/v1/alerts?limit=1", &h.a_analyst).await;
    assert_eq!(all["total"].as_u64(), Some(total as u64));
}

#[tokio::test]
async fn the_openapi_document_lists_the_monitoring_routes() {
    let h = harness(Backend::Sqlite).await;
    let (_, doc) = h.call("GET", "/openapi.json", None, None).await;
    for p in [
        "/v1/transactions",
        "/v1/alerts",
        "/v1/alerts/{id}",
        "/v1/alerts/{id}/graph.svg",
        "/v1/alerts/{id}/decision",
    ] {
        assert!(
            doc["paths"].get(p).is_some(),
            "{p} missing from /openapi.json"
        );
    }
}

#[tokio::test]
async fn alert_detail_response_snapshot() {
    let h = harness(Backend::Sqlite).await;
    let r = post_tx(&h, &h.a_screener, "application/json", fan_in_fixture()).await;
    let v = r.json();
    insta::assert_json_snapshot!("transactions_response", v);
    let id = v["alerts"][0]["alert_id"].as_str().unwrap();
    let (_, d) = h.get(&format!("/v1/alerts/{id}"), &h.a_analyst).await;
    insta::assert_json_snapshot!("alert_detail", d, {
        ".created_at" => "[stored at]",
        ".updated_at" => "[stored at]",
    });
    let (_, list) = h.get("/v1/alerts", &h.a_analyst).await;
    insta::assert_json_snapshot!("alert_list", list, {
        ".items[].created_at" => "[stored at]",
        ".items[].updated_at" => "[stored at]",
    });
}

#[tokio::test]
async fn an_open_alert_that_grows_is_answered_and_stored_as_a_new_revision() {
    let h = harness(Backend::Sqlite).await;
    let all: Vec<serde_json::Value> = serde_json::from_slice(&fan_in_fixture()).unwrap();
    let r = post_tx(
        &h,
        &h.a_screener,
        "application/json",
        serde_json::to_vec(&all[..5]).unwrap(),
    )
    .await;
    let first = r.json()["alerts"][0].clone();
    assert_eq!(
        first["transaction_ids"].as_array().unwrap().len(),
        5,
        "{first:#}"
    );
    let id = first["alert_id"].as_str().unwrap().to_string();
    // A sixth donor and the collector's withdrawal: the same alert, bigger and higher.
    let r = post_tx(
        &h,
        &h.a_screener,
        "application/json",
        serde_json::to_vec(&all[5..]).unwrap(),
    )
    .await;
    let v = r.json();
    let grown: Vec<_> = v["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["alert_id"] == id.as_str())
        .collect();
    assert_eq!(grown.len(), 1, "one version per alert per answer: {v:#}");
    assert_eq!(grown[0]["status"], "open");
    assert_eq!(grown[0]["transaction_ids"].as_array().unwrap().len(), 6);
    assert!(
        grown[0]["score"].as_f64() > first["score"].as_f64(),
        "{v:#}"
    );
    let (_, d) = h.get(&format!("/v1/alerts/{id}"), &h.a_analyst).await;
    assert_eq!(d["revisions"], 2);
    assert_eq!(d["alert"], *grown[0]);
    assert_eq!(d["transactions"].as_array().unwrap().len(), 6);
}

#[tokio::test]
async fn after_a_list_reload_counterparties_are_screened_against_the_new_lists() {
    let full = std::fs::read_to_string(data("un_small.xml")).unwrap();
    // The same list without QDi.299 (the first INDIVIDUAL block).
    let start = full.find("<INDIVIDUAL>").unwrap();
    let end = full.find("</INDIVIDUAL>").unwrap() + "</INDIVIDUAL>".len();
    assert!(full[start..end].contains("QDi.299"));
    let without = format!("{}{}", &full[..start], &full[end..]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("un.xml");
    std::fs::write(&path, &without).unwrap();
    let h = common::harness_with(
        Backend::Sqlite,
        common::file_loader(path.clone()),
        server::Options::default(),
    )
    .await;
    let line = std::fs::read_to_string(data("listed.ndjson")).unwrap();
    let mut tx: serde_json::Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
    let r = post_tx(
        &h,
        &h.a_screener,
        "application/json",
        serde_json::to_vec(&tx).unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["alerts"], serde_json::json!([]), "not listed yet");

    std::fs::write(&path, &full).unwrap();
    let (s, v) = h
        .post("/v1/lists/reload", &h.a_admin, serde_json::json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    tx["id"] = "T-1b".into();
    tx["timestamp"] = "2024-03-01T12:00:00Z".into();
    let r = post_tx(
        &h,
        &h.a_screener,
        "application/json",
        serde_json::to_vec(&tx).unwrap(),
    )
    .await;
    let v = r.json();
    let listed: Vec<_> = v["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["typology"] == "listed_counterparty")
        .collect();
    assert_eq!(
        listed.len(),
        1,
        "the name seen before the reload is screened again: {v:#}"
    );
    assert_eq!(
        listed[0]["explanation"]["facts"]["entity_id"]
            .as_str()
            .map(|e| e.contains("QDi.299")),
        Some(true),
        "{v:#}"
    );
}
