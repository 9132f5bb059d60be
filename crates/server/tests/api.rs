//! The API through the router without a socket (`oneshot`), against SQLite and, when
//! `RAQIB_TEST_POSTGRES_URL` is set, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

#[tokio::test]
async fn screening_finds_the_un_entity_explains_it_and_stores_the_answer() {
    for b in backends() {
        let h = harness(b).await;
        let (st, v) = h
            .post(
                "/v1/screen",
                &h.a_screener,
                json!({"name": "Abu Bakr al-Baghdadi", "schema": "Person", "reference": "cust-1"}),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{b:?}: {v}");
        assert!(
            ids(&v["matches"]).contains(&"un:QDi.299".to_string()),
            "{v}"
        );
        let m = v["matches"]
            .as_array()
            .expect("matches")
            .iter()
            .find(|m| m["entity_id"] == "un:QDi.299")
            .expect("hit");
        assert_eq!(m["match"], true);
        assert!(m["hit_id"].as_str().is_some_and(|s| s.starts_with("hit_")));
        assert!(
            m["explanation"]["aligned"]
                .as_array()
                .is_some_and(|a| !a.is_empty())
        );
        assert_eq!(v["reference"], "cust-1");
        // The stored screening reproduces the answer and names the list versions.
        let sid = v["screening_id"].as_str().expect("id");
        let (st, s) = h.get(&format!("/v1/screenings/{sid}"), &h.a_screener).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(s["results"], v);
        assert_eq!(s["request"]["name"], "Abu Bakr al-Baghdadi");
        assert_eq!(s["lists"]["version"], v["lists_version"]);
        assert_eq!(s["lists"]["lists"][0]["source"], "un");
        assert!(s["config"]["threshold"].as_f64().is_some());
    }
}

#[tokio::test]
async fn a_batch_answers_each_query_and_names_the_bad_one() {
    for b in backends() {
        let h = harness(b).await;
        let (st, v) = h
            .post(
                "/v1/screen",
                &h.a_screener,
                json!({"queries": [
                    {"name": "Abu Bakr al-Baghdadi", "reference": "r1"},
                    {"name": "   "},
                    {"name": "Jane Unlisted Example", "schema": "Spaceship"},
                    {"name": "Maria Gonzalez Fernandez", "reference": "r4"}
                ]}),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let r = v["results"].as_array().expect("results");
        assert_eq!(r.len(), 4);
        assert_eq!(r[0]["status"], 200);
        assert!(ids(&r[0]["matches"]).contains(&"un:QDi.299".to_string()));
        assert_eq!(r[1]["status"], 400);
        assert_eq!(r[1]["error"]["field"], "queries[1].name");
        assert_eq!(r[2]["status"], 400);
        assert_eq!(r[2]["error"]["field"], "queries[2].schema");
        assert_eq!(r[3]["status"], 200);
        assert_eq!(
            r[3]["open_matches"], 0,
            "an unlisted name must not match: {}",
            r[3]
        );
    }
}

#[tokio::test]
async fn yente_style_match_request_gets_a_yente_style_response() {
    for b in backends() {
        let h = harness(b).await;
        let body = json!({
            "queries": {
                "q1": {"schema": "Person", "properties": {"name": ["Abu Bakr al-Baghdadi"], "birthDate": ["1971"], "nationality": ["iq"]}},
                "q2": {"schema": "Company", "properties": {"name": ["Brilliant Amazing Limited"], "jurisdiction": ["hk"]}}
            }
        });
        let (st, v) = h
            .post(
                "/match/default?limit=3&threshold=0.7",
                &h.a_screener,
                body.clone(),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["limit"], 3);
        let q1 = &v["responses"]["q1"];
        assert_eq!(q1["status"], 200);
        assert_eq!(q1["query"]["schema"], "Person");
        assert_eq!(q1["query"]["properties"]["name"][0], "Abu Bakr al-Baghdadi");
        assert_eq!(q1["total"]["relation"], "eq");
        let results = q1["results"].as_array().expect("results");
        assert!(!results.is_empty() && results.len() <= 3);
        let top = results
            .iter()
            .find(|r| r["id"] == "un:QDi.299")
            .expect("UN entity in results");
        for field in [
            "id",
            "caption",
            "schema",
            "properties",
            "datasets",
            "referents",
            "target",
            "score",
            "match",
            "explanations",
            "features",
        ] {
            assert!(top.get(field).is_some(), "missing {field}: {top}");
        }
        assert_eq!(top["schema"], "Person");
        assert_eq!(top["datasets"][0], "un_sc_sanctions");
        assert!(
            top["properties"]["name"]
                .as_array()
                .is_some_and(|n| !n.is_empty())
        );
        assert_eq!(
            top["match"],
            top["score"].as_f64().is_some_and(|s| s >= 0.7)
        );
        let nm = &top["explanations"]["name_match"];
        assert!(
            nm["score"].as_f64().is_some()
                && nm["candidate"].is_string()
                && nm["query"].is_string(),
            "{nm}"
        );
        // Scores are sorted, best first.
        let scores: Vec<f64> = results.iter().filter_map(|r| r["score"].as_f64()).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]));
        assert_eq!(v["responses"]["q2"]["status"], 200);
        // Dataset and exclusion filters.
        let (_, only_ofac) = h
            .post("/match/us_ofac_sdn", &h.a_screener, body.clone())
            .await;
        assert_eq!(
            only_ofac["responses"]["q1"]["results"]
                .as_array()
                .map(Vec::len),
            Some(0)
        );
        let (_, excl) = h
            .post(
                "/match/default?exclude_entity_ids=un:QDi.299",
                &h.a_screener,
                body.clone(),
            )
            .await;
        assert!(
            !excl["responses"]["q1"]["results"]
                .as_array()
                .expect("r")
                .iter()
                .any(|r| r["id"] == "un:QDi.299")
        );
        let (st, e) = h
            .post("/match/nonexistent", &h.a_screener, body.clone())
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        assert_eq!(e["code"], "dataset_not_found");
        let (st, e) = h
            .post("/match/default", &h.a_screener, json!({"queries": {}}))
            .await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
        let (st, e) = h
            .post("/match/default?limit=abc", &h.a_screener, body)
            .await;
        assert_eq!(
            (st, e["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("limit"))
        );
    }
}

#[tokio::test]
async fn client_errors_have_the_right_status_and_a_json_body_naming_the_field() {
    let h = harness(Backend::Sqlite).await;
    let (st, v) = h
        .call(
            "POST",
            "/v1/screen",
            Some(&h.a_screener),
            Some("{\"name\": "),
        )
        .await;
    assert_eq!(
        (st, v["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_json"))
    );
    let (st, v) = h
        .post(
            "/v1/screen",
            &h.a_screener,
            json!({"name": "X Y", "birthdate": "1971"}),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(
        v["message"]
            .as_str()
            .is_some_and(|m| m.contains("birthdate")),
        "{v}"
    );
    let (st, v) = h
        .post("/v1/screen", &h.a_screener, json!({"name": 42}))
        .await;
    assert_eq!(
        (st, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("name")),
        "{v}"
    );
    let (st, v) = h
        .post(
            "/v1/screen",
            &h.a_screener,
            json!({"name": "x".repeat(10_000)}),
        )
        .await;
    assert_eq!(
        (st, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("name")),
        "{v}"
    );
    let (st, v) = h
        .post(
            "/v1/screen",
            &h.a_screener,
            json!({"name": "A B", "threshold": 3}),
        )
        .await;
    assert_eq!(
        (st, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("threshold"))
    );
    let (st, v) = h.call("POST", "/v1/screen", None, Some("{}")).await;
    assert_eq!(
        (st, v["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("missing_api_key"))
    );
    let (st, v) = h
        .call(
            "POST",
            "/v1/screen",
            Some("rqb_0000000000000000_00"),
            Some("{}"),
        )
        .await;
    assert_eq!(
        (st, v["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_api_key"))
    );
    let (st, v) = h.post("/v1/lists/reload", &h.a_analyst, json!({})).await;
    assert_eq!(
        (st, v["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    let (st, v) = h
        .post(
            "/v1/hits/hit_x/decision",
            &h.a_screener,
            json!({"decision": "escalate", "comment": "c"}),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    let (st, v) = h.get("/v1/nothing-here", &h.a_screener).await;
    assert_eq!(
        (st, v["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (st, v) = h
        .call("DELETE", "/v1/screen", Some(&h.a_screener), None)
        .await;
    assert_eq!(
        (st, v["code"].as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed"))
    );
    let (st, v) = h.get("/v1/entities/un:NOPE", &h.a_screener).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{v}");
    // Over the body limit (1 MiB by default).
    let big = json!({"name": "A", "reference": "x".repeat(2 * 1024 * 1024)}).to_string();
    let (st, v) = h
        .call("POST", "/v1/screen", Some(&h.a_screener), Some(&big))
        .await;
    assert_eq!(
        (st, v["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large")),
        "{v}"
    );
}

#[tokio::test]
async fn members_never_see_each_others_screenings_hits_or_decisions() {
    for b in backends() {
        let h = harness(b).await;
        let (_, v) = h
            .post(
                "/v1/screen",
                &h.a_analyst,
                json!({"name": "Abu Bakr al-Baghdadi", "reference": "secret-customer"}),
            )
            .await;
        let sid = v["screening_id"].as_str().expect("sid").to_string();
        let hid = v["matches"][0]["hit_id"].as_str().expect("hid").to_string();
        let (st, _) = h.get(&format!("/v1/screenings/{sid}"), &h.b_analyst).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{b:?}");
        let (st, _) = h.get(&format!("/v1/hits/{hid}"), &h.b_analyst).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (st, _) = h
            .post(
                &format!("/v1/hits/{hid}/decision"),
                &h.b_analyst,
                json!({"decision": "false_positive", "comment": "not ours"}),
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        // A's own analyst can; B's decision attempt left nothing behind.
        let (st, hit) = h.get(&format!("/v1/hits/{hid}"), &h.a_analyst).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(hit["decisions"].as_array().map(Vec::len), Some(0));
        // Lists and entities are shared.
        let (st, _) = h.get("/v1/entities/un:QDi.299", &h.b_analyst).await;
        assert_eq!(st, StatusCode::OK);
        let (st, l) = h.get("/v1/lists", &h.b_analyst).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(l["lists"][0]["source"], "un");
    }
}

#[tokio::test]
async fn a_false_positive_decision_suppresses_later_hits_of_the_same_subject_visibly() {
    for b in backends() {
        let h = harness(b).await;
        let q =
            json!({"name": "Abu Bakr al-Baghdadi", "birth_date": "1985", "reference": "cust-7"});
        let (_, v) = h.post("/v1/screen", &h.a_analyst, q.clone()).await;
        let m = v["matches"]
            .as_array()
            .expect("m")
            .iter()
            .find(|m| m["entity_id"] == "un:QDi.299")
            .expect("hit")
            .clone();
        let hid = m["hit_id"].as_str().expect("hid");
        let (st, d) = h
            .post(
                &format!("/v1/hits/{hid}/decision"),
                &h.a_analyst,
                json!({"decision": "false_positive", "comment": "born 1985, listed person 1971"}),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{d}");
        assert_eq!(d["decision"], "false_positive");
        assert_eq!(d["suppresses_future_hits"], true);
        let (st, e) = h
            .post(
                &format!("/v1/hits/{hid}/decision"),
                &h.a_analyst,
                json!({"decision": "maybe", "comment": "x"}),
            )
            .await;
        assert_eq!(
            (st, e["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("decision"))
        );
        let (st, e) = h
            .post(
                &format!("/v1/hits/{hid}/decision"),
                &h.a_analyst,
                json!({"decision": "escalate", "comment": " "}),
            )
            .await;
        assert_eq!(
            (st, e["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("comment"))
        );
        // Same subject again: still shown, marked suppressed with the decision.
        let (_, again) = h.post("/v1/screen", &h.a_analyst, q.clone()).await;
        let m2 = again["matches"]
            .as_array()
            .expect("m")
            .iter()
            .find(|m| m["entity_id"] == "un:QDi.299")
            .expect("still shown");
        assert_eq!(m2["suppressed"]["decision_id"], d["decision_id"]);
        assert_eq!(m2["suppressed"]["decided_hit_id"], hid);
        assert_eq!(m2["suppressed"]["comment"], "born 1985, listed person 1971");
        // A different customer with the same name is not suppressed.
        let (_, other) = h.post("/v1/screen", &h.a_analyst, json!({"name": "Abu Bakr al-Baghdadi", "birth_date": "1985", "reference": "cust-8"})).await;
        let m3 = other["matches"]
            .as_array()
            .expect("m")
            .iter()
            .find(|m| m["entity_id"] == "un:QDi.299")
            .expect("shown");
        assert!(m3["suppressed"].is_null());
        // Another member's screening of the same subject is not suppressed by A's decision.
        let (_, bv) = h.post("/v1/screen", &h.b_analyst, q).await;
        let m4 = bv["matches"]
            .as_array()
            .expect("m")
            .iter()
            .find(|m| m["entity_id"] == "un:QDi.299")
            .expect("shown");
        assert!(m4["suppressed"].is_null());
        // The decision is in the audit log, with who and when.
        let (st, log) = h.get("/v1/audit", &h.a_admin).await;
        assert_eq!(st, StatusCode::OK);
        let entry = log["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .find(|e| e["action"] == "decision.recorded")
            .expect("audited")
            .clone();
        assert_eq!(entry["object_id"], hid);
        assert!(entry["at"].is_string() && entry["actor"].is_string());
        assert_eq!(
            h.state
                .store()
                .verify_audit_chain()
                .await
                .expect("chain")
                .first_broken_seq,
            None
        );
    }
}

#[tokio::test]
async fn a_corrupt_list_file_fails_the_reload_and_the_old_lists_keep_serving() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("un.xml.zst");
    std::fs::copy(un_list_path(), &path).expect("copy");
    let h = harness_with(
        Backend::Sqlite,
        file_loader(path.clone()),
        server::Options::default(),
    )
    .await;
    let (_, before) = h.get("/v1/lists", &h.a_admin).await;
    // Truncate the file (a half-downloaded list).
    let raw = zstd_decode(&std::fs::read(un_list_path()).expect("read"));
    std::fs::write(&path, &raw[..raw.len() / 2]).expect("write");
    let path_xml = dir.path().join("un.xml.zst");
    assert_eq!(path, path_xml);
    let (st, e) = h.post("/v1/lists/reload", &h.a_admin, json!({})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["code"], "lists_invalid");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("keep serving")),
        "{e}"
    );
    let (_, after) = h.get("/v1/lists", &h.a_admin).await;
    assert_eq!(after["lists_version"], before["lists_version"]);
    assert_eq!(after["last_reload"]["ok"], false);
    assert!(after["last_reload"]["error"].is_string());
    let (st, v) = h
        .post(
            "/v1/screen",
            &h.a_screener,
            json!({"name": "Abu Bakr al-Baghdadi"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert!(ids(&v["matches"]).contains(&"un:QDi.299".to_string()));
    // A good file reloads.
    std::fs::copy(un_list_path(), &path).expect("copy back");
    let (st, ok) = h.post("/v1/lists/reload", &h.a_admin, json!({})).await;
    assert_eq!(st, StatusCode::OK, "{ok}");
    assert_eq!(ok["last_reload"]["ok"], true);
}

fn zstd_decode(b: &[u8]) -> Vec<u8> {
    watchlist::source::decompress(b, "test")
        .expect("zstd")
        .into_owned()
}

#[tokio::test]
async fn health_metrics_and_openapi_are_served() {
    let h = harness(Backend::Sqlite).await;
    let (st, v) = h.call("GET", "/healthz", None, None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["status"], "ok");
    assert!(v["entities"].as_u64().is_some_and(|n| n > 900));
    h.post(
        "/v1/screen",
        &h.a_screener,
        json!({"name": "Abu Bakr al-Baghdadi"}),
    )
    .await;
    let (st, m) = h.call("GET", "/metrics", None, None).await;
    assert_eq!(st, StatusCode::OK);
    let text = m.as_str().expect("text");
    assert!(
        text.contains(
            "raqib_http_requests_total{route=\"/v1/screen\",method=\"POST\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(text.contains("raqib_screenings_total{endpoint=\"v1/screen\"} 1"));
    assert!(text.contains("raqib_list_entities{source=\"un\"}"));
    // The screening was stored through the group-commit writer, and its wait is exported.
    let series = |name: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {text}"))
    };
    assert!(series("raqib_store_commits_total ") >= 1);
    assert!(series("raqib_store_wait_seconds_count ") >= 1);
    assert_eq!(
        series("raqib_store_wait_seconds_bucket{le=\"+Inf\"} "),
        series("raqib_store_wait_seconds_count ")
    );
    let (st, doc) = h.call("GET", "/openapi.json", None, None).await;
    assert_eq!(st, StatusCode::OK);
    for p in [
        "/v1/screen",
        "/match/{dataset}",
        "/v1/lists",
        "/v1/lists/reload",
        "/v1/entities/{id}",
        "/v1/hits/{id}/decision",
        "/healthz",
        "/metrics",
    ] {
        assert!(doc["paths"].get(p).is_some(), "missing path {p}");
    }
    assert!(doc["components"]["schemas"].get("ScreenQuery").is_some());
    assert!(
        doc["components"]["securitySchemes"]
            .get("api_key")
            .is_some()
    );
}
