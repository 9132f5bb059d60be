//! The same behaviour checks against SQLite (always) and PostgreSQL (when
//! `RAQIB_TEST_POSTGRES_URL` points at a server where the user may create databases; each
//! test gets its own fresh database).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use store::*;

struct TestDb {
    store: Store,
    /// What `Store::connect` was given, to open a second instance.
    url: String,
    _dir: Option<tempfile::TempDir>,
}

async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("raqib.db");
    let url = path.to_str().expect("utf-8 path").to_string();
    let store = Store::connect(&url).await.expect("sqlite store");
    TestDb {
        store,
        url,
        _dir: Some(dir),
    }
}

/// A fresh PostgreSQL database on the server named by `RAQIB_TEST_POSTGRES_URL`.
async fn postgres() -> Option<TestDb> {
    let base = std::env::var("RAQIB_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())?;
    let url = store::testing::fresh_postgres_database(&base)
        .await
        .expect("create test database");
    let store = Store::connect(&url).await.expect("postgres store");
    Some(TestDb {
        store,
        url,
        _dir: None,
    })
}

async fn backends() -> Vec<TestDb> {
    let mut v = vec![sqlite().await];
    if let Some(pg) = postgres().await {
        v.push(pg);
    }
    v
}

fn screening(member: &Principal, subject: &str, entity: &str) -> NewScreening {
    NewScreening {
        id: new_id("scr"),
        member_id: member.member_id.clone(),
        key_id: member.key_id.clone(),
        endpoint: "v1/screen".into(),
        reference: Some("cust-1".into()),
        subject_key: subject.into(),
        payload: ScreeningPayload::encode(
            br#"{"name": "Abu Bakr al-Baghdadi"}"#,
            format!(r#"{{"matches":[{{"entity_id":"{entity}","score":0.93}}]}}"#).as_bytes(),
        )
        .expect("payload"),
        context: std::sync::Arc::new(ScreeningContext::new(
            serde_json::json!([{"source": "un", "published": "2026-01-01"}]),
            serde_json::json!({"threshold": 0.8}),
        )),
        created_at: now(),
        hits: vec![NewHit {
            id: new_id("hit"),
            entity_id: entity.into(),
            rank: 1,
            score: 0.93,
            is_match: true,
            matched_name: "ABU BAKR AL-BAGHDADI".into(),
            caption: "IBRAHIM AWWAD IBRAHIM ALI AL-BADRI".into(),
            suppressed_by: None,
        }],
    }
}

async fn principal(store: &Store, member: &str, role: Role) -> (String, Principal) {
    let k = store
        .create_key(member, role, Some("test"), "test")
        .await
        .expect("create key");
    let p = store
        .authenticate(&k.key)
        .await
        .expect("auth")
        .expect("valid key");
    (k.key, p)
}

#[tokio::test]
async fn keys_authenticate_only_with_the_exact_secret_and_stop_after_revocation() {
    for db in backends().await {
        let s = &db.store;
        let k = s
            .create_key("Bank A", Role::Analyst, None, "cli")
            .await
            .expect("key");
        assert!(k.key.starts_with("rqb_"));
        let p = s.authenticate(&k.key).await.expect("auth").expect("valid");
        assert_eq!(p.member_name, "Bank A");
        assert_eq!(p.role, Role::Analyst);
        // One changed hex digit of the secret.
        let mut bad = k.key.clone();
        let last = bad.pop().expect("nonempty");
        bad.push(if last == '0' { '1' } else { '0' });
        assert_eq!(
            s.authenticate(&bad).await.expect("auth"),
            None,
            "{}",
            s.backend_name()
        );
        assert_eq!(s.authenticate("not a key").await.expect("auth"), None);
        // The secret is not stored anywhere in readable form.
        let keys = s.list_keys(Some("Bank A")).await.expect("list");
        assert_eq!(keys.len(), 1);
        assert!(!format!("{keys:?}").contains(&k.key[21..]));
        s.revoke_key(&k.info.id, "cli").await.expect("revoke");
        assert_eq!(s.authenticate(&k.key).await.expect("auth"), None);
        let keys = s.list_keys(Some("Bank A")).await.expect("list");
        assert!(keys[0].revoked_at.is_some());
        assert!(matches!(
            s.revoke_key("ffffffffffffffff", "cli").await,
            Err(StoreError::NotFound { .. })
        ));
    }
}

#[tokio::test]
async fn screenings_round_trip_and_stay_within_their_member() {
    for db in backends().await {
        let s = &db.store;
        let (_, a) = principal(s, "Bank A", Role::Analyst).await;
        let (_, b) = principal(s, "Bank B", Role::Analyst).await;
        let scr = screening(&a, "subj-1", "un:QDi.299");
        let hit_id = scr.hits[0].id.clone();
        s.record_screenings(vec![scr.clone()])
            .await
            .expect("record");
        let back = s
            .screening(&a.member_id, &scr.id)
            .await
            .expect("read")
            .expect("present");
        let (request, results) = scr.payload.decode().expect("decode");
        assert_eq!(request, serde_json::json!({"name": "Abu Bakr al-Baghdadi"}));
        assert_eq!(back.request, request);
        assert_eq!(back.results, results);
        assert_eq!(back.results["matches"][0]["entity_id"], "un:QDi.299");
        assert_eq!(back.lists, scr.context.lists);
        assert_eq!(back.config, scr.context.config);
        assert_eq!(back.created_at, scr.created_at);
        assert_eq!(back.hits.len(), 1);
        assert_eq!(back.hits[0].entity_id, "un:QDi.299");
        assert!(back.hits[0].is_match);
        // Member B sees neither the screening nor its hit, and cannot decide on it.
        assert!(
            s.screening(&b.member_id, &scr.id)
                .await
                .expect("read")
                .is_none()
        );
        assert!(s.hit(&b.member_id, &hit_id).await.expect("read").is_none());
        assert!(matches!(
            s.record_decision(&b, &hit_id, DecisionKind::FalsePositive, "x")
                .await,
            Err(StoreError::NotFound { .. })
        ));
        assert_eq!(
            s.recent_screenings(&a.member_id, 10)
                .await
                .expect("recent")
                .len(),
            1
        );
        assert!(
            s.recent_screenings(&b.member_id, 10)
                .await
                .expect("recent")
                .is_empty()
        );
    }
}

#[tokio::test]
async fn latest_false_positive_decision_suppresses_the_subject_entity_pair() {
    for db in backends().await {
        let s = &db.store;
        let (_, a) = principal(s, "Bank A", Role::Analyst).await;
        let scr = screening(&a, "subj-1", "un:QDi.299");
        let hit_id = scr.hits[0].id.clone();
        s.record_screenings(vec![scr]).await.expect("record");
        assert!(
            s.suppressions(&a.member_id, "subj-1")
                .await
                .expect("sup")
                .is_empty()
        );
        let d = s
            .record_decision(&a, &hit_id, DecisionKind::FalsePositive, "different DOB")
            .await
            .expect("decide");
        let sup = s.suppressions(&a.member_id, "subj-1").await.expect("sup");
        assert_eq!(sup.get("un:QDi.299").map(|x| &x.id), Some(&d.id));
        assert!(
            s.suppressions(&a.member_id, "subj-2")
                .await
                .expect("sup")
                .is_empty()
        );
        // A later true-match decision lifts the suppression; history keeps both.
        s.record_decision(&a, &hit_id, DecisionKind::TrueMatch, "new evidence")
            .await
            .expect("decide");
        assert!(
            s.suppressions(&a.member_id, "subj-1")
                .await
                .expect("sup")
                .is_empty()
        );
        let hist = s
            .decisions_for_hit(&a.member_id, &hit_id)
            .await
            .expect("hist");
        assert_eq!(hist.len(), 2);
        assert_eq!(hist[0].decision, DecisionKind::FalsePositive);
        assert_eq!(hist[1].decided_by_key, a.key_id);
    }
}

#[tokio::test]
async fn audit_log_is_hash_chained_and_refuses_edits() {
    for db in backends().await {
        let s = &db.store;
        let (_, a) = principal(s, "Bank A", Role::Admin).await;
        for i in 0..5 {
            s.append_audit(NewAuditEntry {
                member_id: Some(a.member_id.clone()),
                actor: a.key_id.clone(),
                action: "test.event".into(),
                object_type: None,
                object_id: Some(format!("o{i}")),
                detail: serde_json::json!({"i": i, "name": "عبد الله"}),
            })
            .await
            .expect("append");
        }
        let check = s.verify_audit_chain().await.expect("verify");
        assert_eq!(check.first_broken_seq, None);
        assert!(
            check.entries >= 6,
            "key creation + 5 events, got {}",
            check.entries
        );
        let log = s.audit_log(Some(&a.member_id), 0, 100).await.expect("log");
        assert_eq!(log.first().map(|e| e.action.as_str()), Some("key.created"));
        for w in log.windows(2) {
            assert_eq!(w[1].prev_hash, w[0].hash);
        }
        // The database itself refuses to change history.
        assert!(
            s.execute_raw_for_tests("UPDATE audit_log SET actor = 'x'")
                .await
                .is_err()
        );
        assert!(
            s.execute_raw_for_tests("DELETE FROM audit_log")
                .await
                .is_err()
        );
        assert!(
            s.execute_raw_for_tests("DELETE FROM decisions")
                .await
                .is_ok()
        ); // no rows: fine
        assert!(
            s.verify_audit_chain()
                .await
                .expect("verify")
                .first_broken_seq
                .is_none()
        );
    }
}

#[tokio::test]
async fn concurrent_writes_are_all_durable_and_the_chain_stays_linear() {
    for db in backends().await {
        let s = db.store.clone();
        let (_, a) = principal(&s, "Bank A", Role::Analyst).await;
        let mut tasks = Vec::new();
        for i in 0..200 {
            let s = s.clone();
            let a = a.clone();
            tasks.push(tokio::spawn(async move {
                if i % 4 == 0 {
                    s.append_audit(NewAuditEntry {
                        member_id: Some(a.member_id.clone()),
                        actor: a.key_id.clone(),
                        action: "test.concurrent".into(),
                        object_type: None,
                        object_id: None,
                        detail: serde_json::json!({"i": i}),
                    })
                    .await
                    .map(|_| ())
                } else {
                    s.record_screenings(vec![screening(&a, &format!("s{i}"), "un:QDi.1")])
                        .await
                }
            }));
        }
        for t in tasks {
            t.await.expect("join").expect("write");
        }
        assert_eq!(
            s.recent_screenings(&a.member_id, 1000)
                .await
                .expect("recent")
                .len(),
            150
        );
        let check = s.verify_audit_chain().await.expect("verify");
        assert_eq!(check.first_broken_seq, None);
        assert_eq!(check.entries, 51);
    }
}

#[tokio::test]
async fn list_loads_are_recorded_newest_first() {
    for db in backends().await {
        let s = &db.store;
        for ok in [true, false] {
            s.record_list_load(&ListLoad {
                id: new_id("load"),
                loaded_at: now(),
                ok,
                lists: serde_json::json!([{"source": "un"}]),
                error: (!ok).then(|| "bad.xml: line 3: unexpected end".to_string()),
                actor: "system".into(),
            })
            .await
            .expect("record");
        }
        let loads = s.list_loads(10).await.expect("loads");
        assert_eq!(loads.len(), 2);
        assert!(!loads[0].ok);
        assert!(
            loads[0]
                .error
                .as_deref()
                .is_some_and(|e| e.contains("bad.xml"))
        );
    }
}

#[tokio::test]
async fn bad_urls_and_member_names_are_errors_not_panics() {
    assert!(matches!(
        Store::connect("").await,
        Err(StoreError::InvalidUrl { .. })
    ));
    assert!(
        Store::connect("postgres://u:pw@127.0.0.1:1/x?sslmode=bogus")
            .await
            .is_err()
    );
    let db = sqlite().await;
    assert!(matches!(
        db.store.create_key("   ", Role::Admin, None, "cli").await,
        Err(StoreError::Invalid {
            field: "member",
            ..
        })
    ));
}

/// Suppressions are answered from memory; another `Store` on the same database (a restart,
/// or a second server instance) reads them from the database on first use and picks up
/// decisions made elsewhere within `SUPPRESSION_REFRESH`.
#[tokio::test]
async fn suppressions_survive_a_restart_and_reach_other_instances() {
    for db in backends().await {
        let s = &db.store;
        let url = db.url.clone();
        let (_, a) = principal(s, "Bank A", Role::Analyst).await;
        let scr = screening(&a, "subj-1", "un:QDi.299");
        let hit_id = scr.hits[0].id.clone();
        s.record_screenings(vec![scr]).await.expect("record");
        let other = Store::connect(&url).await.expect("second instance");
        // The second instance has cached "no decisions" for the member.
        assert!(
            other
                .suppressions(&a.member_id, "subj-1")
                .await
                .expect("sup")
                .is_empty()
        );
        let d = s
            .record_decision(&a, &hit_id, DecisionKind::FalsePositive, "different DOB")
            .await
            .expect("decide");
        // A fresh instance (a restart) sees it at once: it loads from the database.
        let restarted = Store::connect(&url).await.expect("restart");
        let sup = restarted
            .suppressions(&a.member_id, "subj-1")
            .await
            .expect("sup");
        assert_eq!(sup.get("un:QDi.299").map(|x| &x.id), Some(&d.id));
        // The running one after its refresh interval.
        tokio::time::sleep(SUPPRESSION_REFRESH + std::time::Duration::from_millis(100)).await;
        let sup = other
            .suppressions(&a.member_id, "subj-1")
            .await
            .expect("sup");
        assert_eq!(sup.get("un:QDi.299").map(|x| &x.id), Some(&d.id));
    }
}

/// Screenings stored before migration 0004 (JSON columns, no payload) read back as before.
#[tokio::test]
async fn screenings_stored_in_the_old_json_columns_still_read_back() {
    for db in backends().await {
        let s = &db.store;
        let (_, a) = principal(s, "Bank A", Role::Analyst).await;
        let sql = format!(
            "INSERT INTO screenings (id, member_id, key_id, endpoint, reference, subject_key, \
             request, results, lists, config, created_at) VALUES ('scr_legacy', '{}', '{}', \
             'v1/screen', 'c-9', 'subj-9', '{{\"name\": \"Old Name\"}}', \
             '{{\"matches\": []}}', '{{\"version\": \"v0\"}}', '{{\"threshold\": 0.8}}', \
             '2026-01-01T00:00:00Z')",
            a.member_id, a.key_id
        );
        s.execute_raw_for_tests(&sql).await.expect("legacy row");
        let back = s
            .screening(&a.member_id, "scr_legacy")
            .await
            .expect("read")
            .expect("present");
        assert_eq!(back.request["name"], "Old Name", "{}", s.backend_name());
        assert_eq!(back.results, serde_json::json!({"matches": []}));
        assert_eq!(back.lists["version"], "v0");
        assert_eq!(back.config["threshold"], 0.8);
        // Old and new rows list together.
        s.record_screenings(vec![screening(&a, "subj-1", "un:QDi.299")])
            .await
            .expect("record");
        assert_eq!(
            s.recent_screenings(&a.member_id, 10)
                .await
                .expect("recent")
                .len(),
            2
        );
    }
}

#[tokio::test]
async fn incremental_chain_checks_start_at_the_checkpoint_and_still_catch_edits() {
    for db in backends().await {
        let s = db.store.clone();
        let (_, a) = principal(&s, "Bank A", Role::Analyst).await;
        let event = |i: i64| NewAuditEntry {
            member_id: Some(a.member_id.clone()),
            actor: a.key_id.clone(),
            action: "test.event".into(),
            object_type: None,
            object_id: Some(format!("o{i}")),
            detail: serde_json::json!({"i": i}),
        };
        for i in 0..3 {
            s.append_audit(event(i)).await.expect("append");
        }
        // first check: the whole chain
        let first = s.verify_audit_chain_incremental().await.expect("verify");
        assert_eq!(first.first_broken_seq, None);
        assert_eq!(first.checked_from_seq, 1);
        let head = s.audit_log(None, 0, 1000).await.expect("log");
        let last = head.last().expect("entries").seq;
        for i in 3..5 {
            s.append_audit(event(i)).await.expect("append");
        }
        // next check: only what came after the last intact entry, counting the whole chain
        let next = s.verify_audit_chain_incremental().await.expect("verify");
        assert_eq!(next.first_broken_seq, None);
        assert_eq!(next.checked_from_seq, last + 1);
        assert_eq!(next.entries, first.entries + 2);

        // someone with database access edits the newest entry (triggers dropped first)
        let drop = if db.url.starts_with("postgres") {
            "DROP TRIGGER audit_log_append_only ON audit_log"
        } else {
            "DROP TRIGGER audit_log_no_update"
        };
        s.execute_raw_for_tests(drop).await.expect("drop trigger");
        let newest = s.audit_log(None, 0, 1000).await.expect("log");
        let victim = newest.last().expect("entries").seq;
        s.execute_raw_for_tests(&format!(
            "UPDATE audit_log SET detail = '{{\"i\":99}}' WHERE seq = {victim}"
        ))
        .await
        .expect("tamper");
        let check = s.verify_audit_chain_incremental().await.expect("verify");
        assert_eq!(check.first_broken_seq, Some(victim));
        // and a full check names the same entry
        let full = s.verify_audit_chain().await.expect("verify");
        assert_eq!(full.first_broken_seq, Some(victim));
    }
}
