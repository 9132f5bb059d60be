//! The analyst workspace API: browser sessions (cookie + CSRF header), cases with their
//! history, the review queue, the dashboard, the member-scoped audit log and the case report.
//! Against SQLite and, when `RAQIB_TEST_POSTGRES_URL` is set, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use common::*;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use store::Role;
use tower::ServiceExt;

/// A request through the router with arbitrary headers; returns status, headers and body.
async fn send(
    h: &Harness,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (StatusCode, HeaderMap, String) {
    let mut b = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    if body.is_some() {
        b = b.header("content-type", "application/json");
    }
    let req = b
        .body(
            body.map(|v| Body::from(v.to_string()))
                .unwrap_or_else(Body::empty),
        )
        .expect("request");
    let resp = h.app.clone().oneshot(req).await.expect("infallible");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

fn json_of(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or(Value::String(s.to_string()))
}

/// Signs in with `key`; returns the `Cookie` header value.
async fn sign_in(h: &Harness, key: &str) -> String {
    let (st, hd, body) = send(h, "POST", "/v1/session", &[], Some(json!({"key": key}))).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let set = hd
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("set-cookie")
        .to_string();
    set.split(';').next().expect("cookie pair").to_string()
}

/// Screens the UN-listed name for member A; returns the matching hit id.
async fn baghdadi_hit(h: &Harness, reference: &str) -> String {
    let (st, v) = h
        .post(
            "/v1/screen",
            &h.a_screener,
            json!({"name": "Abu Bakr al-Baghdadi", "schema": "Person", "reference": reference}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    v["matches"]
        .as_array()
        .expect("matches")
        .iter()
        .find(|m| m["entity_id"] == "un:QDi.299")
        .and_then(|m| m["hit_id"].as_str())
        .expect("UN hit")
        .to_string()
}

/// Stores a fan-in alert with three transactions for the member of `key`.
async fn fan_in_alert(h: &Harness, member: &str, alert_id: &str, score: f64) {
    let m = h.state.store().ensure_member(member).await.expect("member");
    let txs: Vec<store::NewTransaction> = (1..=3)
        .map(|i| store::NewTransaction {
            tx_id: format!("{alert_id}-t{i}"),
            timestamp: 1_700_000_000 + i * 60,
            orig_acct: format!("SRC-{i}"),
            bene_acct: "ACC-KEY".into(),
            amount: 950.0 + i as f64,
            currency: "USD".into(),
            body: json!({}),
        })
        .collect();
    let body = json!({
        "alert_id": alert_id, "typology": "fan_in", "score": score, "status": "open",
        "accounts": ["ACC-KEY", "SRC-1", "SRC-2", "SRC-3"],
        "first_seen": "2023-11-14T22:14:20Z", "last_seen": "2023-11-14T22:16:20Z",
        "transaction_ids": txs.iter().map(|t| t.tx_id.clone()).collect::<Vec<_>>(),
        "explanation": {"summary": "3 senders paid ACC-KEY within 2 minutes"},
    });
    let alert = store::NewAlert::from_json(body).expect("alert json");
    h.state
        .store()
        .record_monitoring(&m.id, store::AlertSource::Api, &txs, &[alert], None)
        .await
        .expect("alert stored");
}

#[tokio::test]
async fn signing_in_sets_a_strict_http_only_cookie_and_is_audited() {
    for b in backends() {
        let h = harness(b).await;
        let key = h
            .state
            .store()
            .create_key("Bank A", Role::Analyst, Some("Amina Analyst"), "test")
            .await
            .expect("key");
        let (st, hd, body) = send(
            &h,
            "POST",
            "/v1/session",
            &[],
            Some(json!({"key": key.key})),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{b:?}: {body}");
        let v = json_of(&body);
        assert_eq!(v["member"]["name"], "Bank A");
        assert_eq!(v["key_id"], key.info.id.as_str());
        assert_eq!(v["role"], "analyst");
        assert_eq!(v["label"], "Amina Analyst");
        assert!(v["expires_at"].as_str().is_some());
        let set = hd[header::SET_COOKIE].to_str().expect("ascii");
        let token = set
            .strip_prefix("raqib_session=")
            .and_then(|s| s.split(';').next())
            .expect("cookie value");
        assert_eq!(token.len(), 64, "{set}");
        assert!(token.bytes().all(|c| c.is_ascii_hexdigit()));
        for attr in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
            assert!(set.contains(attr), "{attr} missing from {set}");
        }
        // The cookie answers GET /v1/session with the same body.
        let cookie = format!("raqib_session={token}");
        let (st, _, body) = send(&h, "GET", "/v1/session", &[("cookie", &cookie)], None).await;
        assert_eq!(st, StatusCode::OK, "{body}");
        assert_eq!(json_of(&body)["key_id"], key.info.id.as_str());
        // Audited with the key's label; the token is nowhere in the log.
        let (st, a) = h
            .get("/v1/audit?action=session.signed_in", &h.a_analyst)
            .await;
        assert_eq!(st, StatusCode::OK, "{a}");
        let e = &a["entries"].as_array().expect("entries")[0];
        assert_eq!(e["actor"], key.info.id.as_str());
        assert_eq!(e["actor_label"], "Amina Analyst");
        assert_eq!(a["chain_ok"], true);
        let all = h
            .state
            .store()
            .audit_log(None, 0, 10_000)
            .await
            .expect("log");
        assert!(all.iter().all(|e| !e.detail.contains(token)));
        // A bad key: 401, no cookie, audited without member and without the key.
        let bad = format!("{}0", &key.key[..key.key.len() - 1]);
        let bad = if bad == key.key {
            format!("{}1", &key.key[..key.key.len() - 1])
        } else {
            bad
        };
        let (st, hd, body) = send(&h, "POST", "/v1/session", &[], Some(json!({"key": bad}))).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED, "{body}");
        assert!(hd.get(header::SET_COOKIE).is_none());
        let all = h
            .state
            .store()
            .audit_log(None, 0, 10_000)
            .await
            .expect("log");
        let failed = all
            .iter()
            .find(|e| e.action == "session.sign_in_failed")
            .expect("failure audited");
        assert_eq!(failed.member_id, None);
        assert!(
            !failed.detail.contains(&bad[21..]),
            "secret leaked: {}",
            failed.detail
        );
        assert!(failed.detail.contains(&key.info.id), "{}", failed.detail);
        // Malformed JSON body is a 400, not a sign-in attempt.
        let (st, _, _) = send(&h, "POST", "/v1/session", &[], Some(json!({"kee": "x"}))).await;
        assert_eq!(st, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_refused_with_retry_after_and_stop_filling_the_audit_log() {
    for b in backends() {
        let h = harness(b).await;
        let key = h
            .state
            .store()
            .create_key("Bank A", Role::Analyst, Some("Amina Analyst"), "test")
            .await
            .expect("key");
        let bad = json!({"key": "rqb_notakey_0000000000000000000000000000000000"});
        for i in 0..server::throttle::MAX_FAILURES {
            let (st, _, body) = send(&h, "POST", "/v1/session", &[], Some(bad.clone())).await;
            assert_eq!(st, StatusCode::UNAUTHORIZED, "attempt {i}: {body}");
        }
        let (st, hd, body) = send(&h, "POST", "/v1/session", &[], Some(bad.clone())).await;
        assert_eq!(st, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert_eq!(json_of(&body)["code"], "too_many_failed_sign_ins");
        let retry: u64 = hd
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("retry-after seconds");
        assert!((1..=server::throttle::WINDOW.as_secs()).contains(&retry));
        // a locked-out address learns nothing: the right key is refused too
        let (st, hd, _) = send(
            &h,
            "POST",
            "/v1/session",
            &[],
            Some(json!({"key": key.key})),
        )
        .await;
        assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
        assert!(hd.get(header::SET_COOKIE).is_none());
        // only the attempts that were checked are audited
        let failed = h
            .state
            .store()
            .audit_log(None, 0, 10_000)
            .await
            .expect("log")
            .iter()
            .filter(|e| e.action == "session.sign_in_failed")
            .count();
        assert_eq!(failed, server::throttle::MAX_FAILURES);
        // API keys on the API itself are not affected by the sign-in throttle
        let (st, _) = h.get("/v1/lists", &key.key).await;
        assert_eq!(st, StatusCode::OK);
    }
}

#[tokio::test]
async fn cookie_auth_works_and_writes_need_the_csrf_header() {
    for b in backends() {
        let h = harness(b).await;
        let cookie = sign_in(&h, &h.a_analyst).await;
        let (st, _, body) = send(&h, "GET", "/v1/dashboard", &[("cookie", &cookie)], None).await;
        assert_eq!(st, StatusCode::OK, "{b:?}: {body}");
        assert_eq!(json_of(&body)["member"]["name"], "Bank A");
        let case = json!({"title": "t", "subject": "s"});
        let (st, _, body) = send(
            &h,
            "POST",
            "/v1/cases",
            &[("cookie", &cookie)],
            Some(case.clone()),
        )
        .await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(json_of(&body)["code"], "csrf_header_missing");
        let (st, _, body) = send(
            &h,
            "POST",
            "/v1/cases",
            &[("cookie", &cookie), ("x-raqib-request", "0")],
            Some(case.clone()),
        )
        .await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{body}");
        let (st, _, body) = send(
            &h,
            "POST",
            "/v1/cases",
            &[("cookie", &cookie), ("x-raqib-request", "1")],
            Some(case.clone()),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{body}");
        // An API key needs no CSRF header (browsers cannot send it cross-site).
        let (st, v) = h.post("/v1/cases", &h.a_analyst, case.clone()).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        // A forged cookie is 401.
        let forged = format!("raqib_session={}", "ab".repeat(32));
        let (st, _, _) = send(&h, "GET", "/v1/dashboard", &[("cookie", &forged)], None).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        // Sign-in itself refuses a cross-site form post (neither JSON nor the header).
        let (st, _, _) = {
            let req = Request::builder()
                .method("POST")
                .uri("/v1/session")
                .header("content-type", "text/plain")
                .body(Body::from(json!({"key": h.a_analyst}).to_string()))
                .expect("req");
            let r = h.app.clone().oneshot(req).await.expect("resp");
            (r.status(), (), ())
        };
        assert_eq!(st, StatusCode::FORBIDDEN);
        // Sign-out needs the header too, then ends the session and clears the cookie.
        let (st, _, _) = send(&h, "POST", "/v1/session/end", &[("cookie", &cookie)], None).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, hd, _) = send(
            &h,
            "POST",
            "/v1/session/end",
            &[("cookie", &cookie), ("x-raqib-request", "1")],
            None,
        )
        .await;
        assert_eq!(st, StatusCode::NO_CONTENT);
        assert!(
            hd[header::SET_COOKIE]
                .to_str()
                .expect("ascii")
                .contains("Max-Age=0")
        );
        let (st, _, _) = send(&h, "GET", "/v1/session", &[("cookie", &cookie)], None).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        let (st, _, _) = send(&h, "GET", "/v1/dashboard", &[("cookie", &cookie)], None).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        let (_, a) = h.get("/v1/audit?action=session.", &h.a_analyst).await;
        let actions: Vec<&str> = a["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        assert_eq!(actions, ["session.signed_in", "session.signed_out"]);
    }
}

#[tokio::test]
async fn a_revoked_key_ends_its_sessions() {
    for b in backends() {
        let h = harness(b).await;
        let key = h
            .state
            .store()
            .create_key("Bank A", Role::Analyst, None, "test")
            .await
            .expect("key");
        let cookie = sign_in(&h, &key.key).await;
        h.state
            .store()
            .revoke_key(&key.info.id, "test")
            .await
            .expect("revoke");
        // Sign-in does not fill the session cache, so the first lookup reads the revocation
        // (a cached session would stop working within KEY_CACHE_TTL).
        let (st, _, _) = send(&h, "GET", "/v1/session", &[("cookie", &cookie)], None).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED, "{b:?}");
    }
}

#[tokio::test]
async fn a_case_lifecycle_is_kept_as_history_and_audited() {
    for b in backends() {
        let h = harness(b).await;
        let hit = baghdadi_hit(&h, "cust-42").await;
        fan_in_alert(&h, "Bank A", "alert-fan-1", 87.0).await;
        let (st, c) = h
            .post(
                "/v1/cases",
                &h.a_analyst,
                json!({"title": "UN match on customer 42", "subject": "Abu Bakr al-Baghdadi",
                       "assignee": "amina", "items": [{"kind": "hit", "id": hit}]}),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{b:?}: {c}");
        let id = c["case"]["id"].as_str().expect("id").to_string();
        assert_eq!(c["case"]["status"], "open");
        assert_eq!(c["case"]["assignee"], "amina");
        assert_eq!(c["case"]["items"], 1);
        assert_eq!(c["items"][0]["kind"], "hit");
        assert_eq!(c["items"][0]["subject"], "Abu Bakr al-Baghdadi");
        assert_eq!(c["items"][0]["entity_id"], "un:QDi.299");
        assert_eq!(c["items"][0]["status"], "open");
        let steps = [
            ("items", json!({"kind": "alert", "id": "alert-fan-1"})),
            (
                "notes",
                json!({"text": "DOB and nationality agree with the UN entry."}),
            ),
            (
                "status",
                json!({"status": "escalated", "comment": "send to MLRO"}),
            ),
            ("assignee", json!({"assignee": "mlro"})),
            (
                "status",
                json!({"status": "closed", "comment": "STR filed"}),
            ),
        ];
        for (path, body) in steps {
            let (st, v) = h
                .post(&format!("/v1/cases/{id}/{path}"), &h.a_analyst, body)
                .await;
            assert_eq!(st, StatusCode::CREATED, "{path}: {v}");
        }
        // Same status again is refused; an unknown status names the field.
        let (st, v) = h
            .post(
                &format!("/v1/cases/{id}/status"),
                &h.a_analyst,
                json!({"status": "closed"}),
            )
            .await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{v}");
        let (st, v) = h
            .post(
                &format!("/v1/cases/{id}/status"),
                &h.a_analyst,
                json!({"status": "done"}),
            )
            .await;
        assert_eq!(
            (st, v["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("status"))
        );
        // An item that does not exist is 404, a duplicate 400.
        let (st, _) = h
            .post(
                &format!("/v1/cases/{id}/items"),
                &h.a_analyst,
                json!({"kind": "hit", "id": "hit_nope"}),
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (st, _) = h
            .post(
                &format!("/v1/cases/{id}/items"),
                &h.a_analyst,
                json!({"kind": "hit", "id": hit}),
            )
            .await;
        assert_eq!(st, StatusCode::BAD_REQUEST);

        let (st, d) = h.get(&format!("/v1/cases/{id}"), &h.a_analyst).await;
        assert_eq!(st, StatusCode::OK, "{d}");
        assert_eq!(d["case"]["status"], "closed");
        assert_eq!(d["case"]["assignee"], "mlro");
        assert_eq!(d["case"]["items"], 2);
        let alert = d["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["kind"] == "alert")
            .expect("alert item")
            .clone();
        assert_eq!(alert["subject"], "ACC-KEY");
        assert_eq!(alert["title"], "fan_in");
        assert_eq!(alert["score_display"], "87/100");
        assert_eq!(
            d["notes"][0]["text"],
            "DOB and nationality agree with the UN entry."
        );
        let actions: Vec<&str> = d["history"]
            .as_array()
            .expect("history")
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        assert_eq!(
            actions,
            [
                "case.created",
                "case.assigned",
                "case.item_added",
                "case.item_added",
                "case.note_added",
                "case.status_changed",
                "case.assigned",
                "case.status_changed"
            ]
        );
        assert_eq!(d["history"][5]["detail"]["comment"], "send to MLRO");
        assert_eq!(d["history"][5]["detail"]["from"], "open");

        // Listing by status, and the dashboard counts.
        let (_, l) = h.get("/v1/cases?status=closed", &h.a_analyst).await;
        assert_eq!(l["total"], 1);
        assert_eq!(l["items"][0]["id"], id.as_str());
        let (_, l) = h.get("/v1/cases?status=open", &h.a_analyst).await;
        assert_eq!(l["total"], 0);
        let (st, _) = h.get("/v1/cases?status=pending", &h.a_analyst).await;
        assert_eq!(st, StatusCode::BAD_REQUEST);
        let (st, dash) = h.get("/v1/dashboard", &h.a_screener).await;
        assert_eq!(st, StatusCode::OK, "{dash}");
        assert_eq!(
            dash["cases"],
            json!({"open": 0, "escalated": 0, "closed": 1})
        );
        assert_eq!(dash["open_alerts"], 1);
        assert!(dash["open_hits"].as_i64().is_some_and(|n| n >= 1), "{dash}");
        assert_eq!(dash["screenings_today"], 1);
        assert_eq!(dash["lists"][0]["source"], "un");

        // Each change is in the audit log, in order, and the chain verifies.
        let (_, a) = h.get("/v1/audit?action=case.*", &h.a_analyst).await;
        let audited: Vec<&str> = a["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        assert_eq!(
            audited,
            [
                "case.created",
                "case.item_added",
                "case.note_added",
                "case.status_changed",
                "case.assigned",
                "case.status_changed"
            ]
        );
        assert_eq!(a["chain_ok"], true);
        let (st, v) = h.get("/v1/audit/verify", &h.a_admin).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(v["chain_ok"], true);
        // Newest first.
        let (_, a) = h.get("/v1/audit?order=desc&limit=1", &h.a_analyst).await;
        assert_eq!(a["entries"][0]["action"], "case.status_changed");
        // Screeners cannot read cases or the audit log.
        let (st, _) = h.get(&format!("/v1/cases/{id}"), &h.a_screener).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, _) = h.get("/v1/audit", &h.a_screener).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn the_queue_merges_hits_and_alerts_filters_sorts_and_pages() {
    for b in backends() {
        let h = harness(b).await;
        let hit = baghdadi_hit(&h, "cust-1").await;
        fan_in_alert(&h, "Bank A", "alert-a", 99.0).await;
        fan_in_alert(&h, "Bank A", "alert-b", 10.0).await;
        let (st, q) = h.get("/v1/queue", &h.a_analyst).await;
        assert_eq!(st, StatusCode::OK, "{b:?}: {q}");
        let items = q["items"].as_array().expect("items");
        assert_eq!(q["total"].as_i64(), Some(items.len() as i64));
        assert!(
            items
                .iter()
                .any(|i| i["id"] == hit.as_str() && i["kind"] == "hit")
        );
        assert!(
            items
                .iter()
                .any(|i| i["id"] == "alert-a" && i["score_display"] == "99/100")
        );
        let scores: Vec<f64> = items.iter().filter_map(|i| i["score"].as_f64()).collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "sorted by score: {scores:?}"
        );
        let hit_item = items.iter().find(|i| i["id"] == hit.as_str()).expect("hit");
        assert_eq!(hit_item["subject"], "Abu Bakr al-Baghdadi");
        assert_eq!(hit_item["status"], "open");
        assert_eq!(hit_item["reference"], "cust-1");
        // Ascending by score, paged.
        let (_, q2) = h.get("/v1/queue?order=asc&limit=1", &h.a_analyst).await;
        assert_eq!(q2["items"].as_array().map(Vec::len), Some(1));
        assert_eq!(q2["total"], q["total"]);
        assert_eq!(q2["items"][0]["id"], "alert-b");
        let (_, q3) = h
            .get("/v1/queue?order=asc&limit=1&offset=1", &h.a_analyst)
            .await;
        assert_ne!(q3["items"][0]["id"], "alert-b");
        // Kind filter and text search on subject (case-insensitive).
        let (_, qa) = h.get("/v1/queue?kind=alert", &h.a_analyst).await;
        assert_eq!(qa["total"], 2);
        let (_, qs) = h.get("/v1/queue?q=BAGHDADI", &h.a_analyst).await;
        assert!(
            qs["items"]
                .as_array()
                .expect("items")
                .iter()
                .all(|i| i["kind"] == "hit")
        );
        assert!(
            qs["items"]
                .as_array()
                .expect("items")
                .iter()
                .any(|i| i["id"] == hit.as_str())
        );
        let (_, qn) = h.get("/v1/queue?q=acc-key&kind=all", &h.a_analyst).await;
        assert_eq!(qn["total"], 2);
        // Deciding moves items from open to decided, with the decision as status.
        let (st, _) = h
            .post(
                &format!("/v1/hits/{hit}/decision"),
                &h.a_analyst,
                json!({"decision": "false_positive", "comment": "other DOB"}),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED);
        let (_, open) = h.get("/v1/queue?kind=hit", &h.a_analyst).await;
        assert!(
            !open["items"]
                .as_array()
                .expect("items")
                .iter()
                .any(|i| i["id"] == hit.as_str())
        );
        let (_, decided) = h
            .get("/v1/queue?kind=hit&status=decided", &h.a_analyst)
            .await;
        let d = decided["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["id"] == hit.as_str())
            .expect("decided hit");
        assert_eq!(d["status"], "false_positive");
        // case_ids name the cases an item is in.
        let (_, c) = h.post("/v1/cases", &h.a_analyst, json!({"title": "t", "subject": "ACC-KEY", "items": [{"kind": "alert", "id": "alert-a"}]})).await;
        let (_, qa) = h.get("/v1/queue?kind=alert", &h.a_analyst).await;
        let a = qa["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["id"] == "alert-a")
            .expect("alert");
        assert_eq!(a["case_ids"][0], c["case"]["id"]);
        // Bad parameters name themselves.
        let (st, v) = h.get("/v1/queue?sort=name", &h.a_analyst).await;
        assert_eq!(
            (st, v["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("sort"))
        );
    }
}

#[tokio::test]
async fn members_never_see_each_others_cases_queue_items_or_audit() {
    for b in backends() {
        let h = harness(b).await;
        let hit = baghdadi_hit(&h, "cust-9").await;
        fan_in_alert(&h, "Bank A", "alert-private", 70.0).await;
        let (_, c) = h
            .post(
                "/v1/cases",
                &h.a_analyst,
                json!({"title": "A's case", "subject": "x", "items": [{"kind": "hit", "id": hit}]}),
            )
            .await;
        let id = c["case"]["id"].as_str().expect("id").to_string();
        // Member B, by key and by session cookie.
        let cookie = sign_in(&h, &h.b_analyst).await;
        for path in [format!("/v1/cases/{id}"), format!("/v1/cases/{id}/report")] {
            let (st, _) = h.get(&path, &h.b_analyst).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{b:?} {path}");
            let (st, _, _) = send(&h, "GET", &path, &[("cookie", &cookie)], None).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{path}");
        }
        for (path, body) in [
            ("items", json!({"kind": "alert", "id": "alert-private"})),
            ("notes", json!({"text": "x"})),
            ("status", json!({"status": "closed"})),
            ("assignee", json!({"assignee": "b"})),
        ] {
            let (st, _) = h
                .post(&format!("/v1/cases/{id}/{path}"), &h.b_analyst, body)
                .await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{path}");
        }
        // B cannot put A's hit or alert into its own case.
        for item in [
            json!({"kind": "hit", "id": hit}),
            json!({"kind": "alert", "id": "alert-private"}),
        ] {
            let (st, _) = h
                .post(
                    "/v1/cases",
                    &h.b_analyst,
                    json!({"title": "t", "subject": "s", "items": [item]}),
                )
                .await;
            assert_eq!(st, StatusCode::NOT_FOUND);
        }
        let (_, l) = h.get("/v1/cases?status=all", &h.b_analyst).await;
        assert_eq!(l["total"], 0);
        let (_, q) = h.get("/v1/queue?status=all", &h.b_analyst).await;
        assert_eq!(q["total"], 0, "{q}");
        let (_, d) = h.get("/v1/dashboard", &h.b_analyst).await;
        assert_eq!(
            (d["open_hits"].as_i64(), d["open_alerts"].as_i64()),
            (Some(0), Some(0))
        );
        let (_, a) = h.get("/v1/audit", &h.b_analyst).await;
        let entries = a["entries"].as_array().expect("entries");
        assert!(
            entries.iter().all(|e| e["member_id"] == d["member"]["id"]),
            "{a}"
        );
        assert!(!a.to_string().contains(&id));
    }
}

#[tokio::test]
async fn the_report_shows_the_hit_explanation_and_escapes_what_users_typed() {
    for b in backends() {
        let h = harness(b).await;
        let hit = baghdadi_hit(&h, "cust-7").await;
        fan_in_alert(&h, "Bank A", "alert-rep", 80.0).await;
        let (st, c) = h
            .post(
                "/v1/cases",
                &h.a_analyst,
                json!({"title": "<script>alert(1)</script>", "subject": "أبو بكر البغدادي",
                       "items": [{"kind": "hit", "id": hit}, {"kind": "alert", "id": "alert-rep"}]}),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{c}");
        let id = c["case"]["id"].as_str().expect("id").to_string();
        let (st, _) = h
            .post(
                &format!("/v1/cases/{id}/notes"),
                &h.a_analyst,
                json!({"text": "<img src=x onerror=alert(2)> & co"}),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED);
        let (st, hd, html) = send(
            &h,
            "GET",
            &format!("/v1/cases/{id}/report"),
            &[("authorization", &format!("Bearer {}", h.a_analyst))],
            None,
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{b:?}: {html}");
        assert!(
            hd[header::CONTENT_TYPE]
                .to_str()
                .expect("ct")
                .starts_with("text/html")
        );
        assert!(
            hd[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .expect("csp")
                .contains("default-src 'none'")
        );
        // The hit: entity, score, explanation, identifiers.
        for needle in [
            "un:QDi.299",
            "Why it matched",
            "Screened token",
            "Abu Bakr al-Baghdadi",
            "Listed entity",
            "Bank A",
            "fan_in",
            "alert-rep-t1",
            "<svg",
            "Status history",
            "cust-7",
        ] {
            assert!(html.contains(needle), "report lacks {needle:?}");
        }
        // What users typed is escaped, never markup.
        assert!(!html.contains("<script>alert(1)"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<img src=x"));
        assert!(html.contains("&lt;img src=x onerror=alert(2)&gt; &amp; co"));
        assert!(html.contains("أبو بكر البغدادي"));
        // Self-contained: no external references.
        // (List remarks may mention web addresses as text; nothing is loaded from anywhere.)
        for bad in [
            "<script", "<link", "<iframe", "<img", " src=\"", " href=\"", "url(http", "url(/",
            "url(\"", "url('", "@import",
        ] {
            assert!(!html.contains(bad), "report contains {bad:?}");
        }
        let (_, a) = h
            .get("/v1/audit?action=case.report_generated", &h.a_analyst)
            .await;
        assert_eq!(a["entries"][0]["object_id"], id.as_str());
    }
}

#[tokio::test]
async fn case_history_and_sessions_cannot_be_updated_or_deleted_in_the_database() {
    for b in backends() {
        let h = harness(b).await;
        let hit = baghdadi_hit(&h, "c").await;
        let (_, c) = h
            .post(
                "/v1/cases",
                &h.a_analyst,
                json!({"title": "t", "subject": "s", "items": [{"kind": "hit", "id": hit}]}),
            )
            .await;
        let id = c["case"]["id"].as_str().expect("id").to_string();
        h.post(
            &format!("/v1/cases/{id}/notes"),
            &h.a_analyst,
            json!({"text": "n"}),
        )
        .await;
        sign_in(&h, &h.a_analyst).await;
        let s = h.state.store();
        for sql in [
            "UPDATE cases SET title = 'x'",
            "DELETE FROM cases",
            "UPDATE case_events SET value = 'closed'",
            "DELETE FROM case_events",
            "UPDATE case_items SET item_id = 'x'",
            "DELETE FROM case_items",
            "UPDATE case_notes SET text = 'x'",
            "DELETE FROM case_notes",
            "DELETE FROM sessions",
            "UPDATE sessions SET expires_at = created_at",
            "UPDATE sessions SET key_id = key_id, ended_at = NULL",
        ] {
            assert!(
                s.execute_raw_for_tests(sql).await.is_err(),
                "{b:?}: {sql} was allowed"
            );
        }
        // Ending a session (once) is the one permitted change.
        let n = s
            .execute_raw_for_tests("UPDATE sessions SET ended_at = created_at")
            .await
            .expect("end");
        assert_eq!(n, 1);
        assert!(
            s.execute_raw_for_tests("UPDATE sessions SET ended_at = expires_at")
                .await
                .is_err()
        );
        let (_, d) = h.get(&format!("/v1/cases/{id}"), &h.a_analyst).await;
        assert_eq!(d["case"]["title"], "t");
        assert_eq!(d["history"].as_array().map(Vec::len), Some(3));
    }
}

/// Replaces ids and times by placeholders so the snapshot pins the shape and the values
/// that are part of the contract.
fn redact(v: &mut Value) {
    match v {
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                let is_id = k != "entity_id" && (k == "id" || k.ends_with("_id"))
                    || k == "created_by"
                    || k == "actor"
                    || k == "author"
                    || k == "added_by"
                    || k == "case_ids";
                let is_time = k.ends_with("_at") || k == "at";
                if is_time && x.is_string() {
                    *x = json!("<time>");
                } else if is_id && x.is_string() {
                    *x = json!("<id>");
                } else if is_id && x.is_array() {
                    for e in x.as_array_mut().into_iter().flatten() {
                        *e = json!("<id>");
                    }
                } else {
                    redact(x);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(redact),
        _ => {}
    }
}

#[tokio::test]
async fn case_detail_response_snapshot() {
    let h = harness(Backend::Sqlite).await;
    let hit = baghdadi_hit(&h, "cust-snap").await;
    let (_, c) = h
        .post(
            "/v1/cases",
            &h.a_analyst,
            json!({"title": "UN match", "subject": "Abu Bakr al-Baghdadi", "assignee": "amina",
                   "items": [{"kind": "hit", "id": hit}]}),
        )
        .await;
    let id = c["case"]["id"].as_str().expect("id").to_string();
    h.post(
        &format!("/v1/cases/{id}/notes"),
        &h.a_analyst,
        json!({"text": "Checked DOB."}),
    )
    .await;
    let (_, mut v) = h
        .post(
            &format!("/v1/cases/{id}/status"),
            &h.a_analyst,
            json!({"status": "escalated", "comment": "MLRO"}),
        )
        .await;
    // The hit's score depends on the matcher's tuning; its presence is the contract.
    if let Some(items) = v["items"].as_array_mut() {
        for i in items {
            i["score"] = json!("<score>");
            i["score_display"] = json!("<score>");
        }
    }
    redact(&mut v);
    insta::assert_json_snapshot!("case_detail", v);
}

#[tokio::test]
async fn the_openapi_document_lists_the_workspace_routes() {
    let h = harness(Backend::Sqlite).await;
    let (st, _, body) = send(&h, "GET", "/openapi.json", &[], None).await;
    assert_eq!(st, StatusCode::OK);
    let v = json_of(&body);
    for path in [
        "/v1/session",
        "/v1/session/end",
        "/v1/dashboard",
        "/v1/queue",
        "/v1/cases",
        "/v1/cases/{id}",
        "/v1/cases/{id}/items",
        "/v1/cases/{id}/notes",
        "/v1/cases/{id}/status",
        "/v1/cases/{id}/assignee",
        "/v1/cases/{id}/report",
        "/v1/audit",
        "/v1/audit/verify",
    ] {
        assert!(
            v["paths"].get(path).is_some(),
            "{path} missing from /openapi.json"
        );
    }
    assert!(
        v["components"]["securitySchemes"]
            .get("session_cookie")
            .is_some()
    );
}

#[tokio::test]
async fn a_hit_reads_back_with_its_subject_explanation_status_and_cases() {
    for b in backends() {
        let h = harness(b).await;
        let hit = baghdadi_hit(&h, "cust-h").await;
        let (_, c) = h
            .post(
                "/v1/cases",
                &h.a_analyst,
                json!({"title": "t", "subject": "s", "items": [{"kind": "hit", "id": hit}]}),
            )
            .await;
        let (st, v) = h.get(&format!("/v1/hits/{hit}"), &h.a_analyst).await;
        assert_eq!(st, StatusCode::OK, "{b:?}: {v}");
        assert_eq!(v["subject"], "Abu Bakr al-Baghdadi");
        assert_eq!(v["reference"], "cust-h");
        assert_eq!(v["status"], "open");
        assert!(
            v["explanation"]["aligned"]
                .as_array()
                .is_some_and(|a| !a.is_empty()),
            "{v}"
        );
        assert_eq!(v["case_ids"][0], c["case"]["id"]);
        let (st, _) = h.get(&format!("/v1/hits/{hit}"), &h.b_analyst).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_case_changes_and_writer_appends_keep_one_audit_chain() {
    for b in backends() {
        let h = std::sync::Arc::new(harness(b).await);
        let hit = baghdadi_hit(&h, "cust-c").await;
        let (_, c) = h
            .post(
                "/v1/cases",
                &h.a_analyst,
                json!({"title": "t", "subject": "s"}),
            )
            .await;
        let id = c["case"]["id"].as_str().expect("id").to_string();
        let mut tasks = Vec::new();
        for i in 0..12 {
            let (h, id, hit) = (h.clone(), id.clone(), hit.clone());
            tasks.push(tokio::spawn(async move {
                // Case notes (own transactions) race decisions and screenings (the writer).
                let (a, _) = h
                    .post(
                        &format!("/v1/cases/{id}/notes"),
                        &h.a_analyst,
                        json!({"text": format!("note {i}")}),
                    )
                    .await;
                let (b, _) = h
                    .post(
                        &format!("/v1/hits/{hit}/decision"),
                        &h.a_analyst,
                        json!({"decision": "escalate", "comment": format!("c{i}")}),
                    )
                    .await;
                let (s, _) = h
                    .post(
                        "/v1/screen",
                        &h.a_screener,
                        json!({"name": format!("Person {i}")}),
                    )
                    .await;
                (a, b, s)
            }));
        }
        for t in tasks {
            let (a, b2, s) = t.await.expect("task");
            assert_eq!(
                (a, b2, s),
                (StatusCode::CREATED, StatusCode::CREATED, StatusCode::OK),
                "{b:?}"
            );
        }
        let (_, d) = h.get(&format!("/v1/cases/{id}"), &h.a_analyst).await;
        // Created + 12 notes, numbered without gaps or duplicates.
        assert_eq!(d["history"].as_array().map(Vec::len), Some(13));
        let check = h.state.store().verify_audit_chain().await.expect("verify");
        assert_eq!(check.first_broken_seq, None, "{b:?}");
        let (_, a) = h
            .get("/v1/audit?action=case.note_added&limit=1000", &h.a_analyst)
            .await;
        assert_eq!(a["entries"].as_array().map(Vec::len), Some(12));
    }
}
