//! Monitoring tables (transactions, alerts, alert decisions) against SQLite (always) and
//! PostgreSQL (when `RAQIB_TEST_POSTGRES_URL` is set; each test gets a fresh database).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use store::*;

struct TestDb {
    store: Store,
    _dir: Option<tempfile::TempDir>,
}

async fn backends() -> Vec<TestDb> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("raqib.db");
    let store = Store::connect(path.to_str().expect("utf-8"))
        .await
        .expect("sqlite store");
    let mut v = vec![TestDb {
        store,
        _dir: Some(dir),
    }];
    if let Some(base) = std::env::var("RAQIB_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        let url = store::testing::fresh_postgres_database(&base)
            .await
            .expect("create test database");
        v.push(TestDb {
            store: Store::connect(&url).await.expect("postgres store"),
            _dir: None,
        });
    }
    v
}

async fn analyst(s: &Store, member: &str) -> Principal {
    let k = s
        .create_key(member, Role::Analyst, Some("analyst"), "test")
        .await
        .expect("key");
    s.authenticate(&k.key).await.expect("auth").expect("valid")
}

fn tx(id: &str, from: &str, to: &str, ts: i64, amount: f64) -> NewTransaction {
    NewTransaction {
        tx_id: id.into(),
        timestamp: ts,
        orig_acct: from.into(),
        bene_acct: to.into(),
        amount,
        currency: "USD".into(),
        body: serde_json::json!({"id": id, "timestamp": ts, "amount": amount, "currency": "USD",
            "originator": {"account": from}, "beneficiary": {"account": to}}),
    }
}

fn alert(id: &str, status: &str, score: f64, txs: &[&str]) -> NewAlert {
    NewAlert::from_json(serde_json::json!({
        "alert_id": id, "typology": "fan_in", "score": score, "decision": "review",
        "status": status, "revision": 1, "accounts": ["K", "S1", "S2"],
        "transaction_ids": txs, "first_seen": "2024-01-01T00:00:00Z",
        "last_seen": "2024-01-02T00:00:00Z",
        "explanation": {"summary": "K received from 2 senders"}
    }))
    .expect("alert json")
}

const T0: i64 = 1_704_067_200;

#[tokio::test]
async fn a_batch_is_stored_once_and_a_resend_changes_nothing() {
    for db in backends().await {
        let s = &db.store;
        let m = s.ensure_member("bank-a").await.unwrap();
        let txs = vec![
            tx("t1", "S1", "K", T0, 100.0),
            tx("t2", "S2", "K", T0 + 60, 200.0),
        ];
        let alerts = vec![alert("al1", "open", 70.0, &["t1", "t2"])];
        let r = s
            .record_monitoring(&m.id, AlertSource::Api, &txs, &alerts, None)
            .await
            .unwrap();
        assert_eq!(r.transactions_stored, 2, "{}", s.backend_name());
        assert_eq!(r.alert_revisions, vec![("al1".to_string(), 1)]);
        let again = s
            .record_monitoring(&m.id, AlertSource::Api, &txs, &alerts, None)
            .await
            .unwrap();
        assert_eq!(again.transactions_stored, 0);
        assert_eq!(again.transactions_duplicate, 2);
        assert!(again.alert_revisions.is_empty());
        assert_eq!(again.alerts_unchanged, 1);
        assert_eq!(s.transaction_count(&m.id).await.unwrap(), 2);
        let known = s
            .stored_transaction_ids(&m.id, &["t1".into(), "t9".into()])
            .await
            .unwrap();
        assert!(known.contains("t1") && !known.contains("t9"));
    }
}

#[tokio::test]
async fn the_latest_revision_is_the_alert_and_older_ones_stay() {
    for db in backends().await {
        let s = &db.store;
        let m = s.ensure_member("bank-a").await.unwrap();
        let txs = [
            tx("t1", "S1", "K", T0, 100.0),
            tx("t2", "S2", "K", T0 + 60, 200.0),
            tx("t3", "S3", "K", T0 + 120, 300.0),
        ];
        s.record_monitoring(
            &m.id,
            AlertSource::Api,
            &txs[..2],
            &[alert("al1", "open", 70.0, &["t1", "t2"])],
            None,
        )
        .await
        .unwrap();
        let r = s
            .record_monitoring(
                &m.id,
                AlertSource::Cli,
                &txs[2..],
                &[alert("al1", "closed", 75.0, &["t1", "t2", "t3"])],
                None,
            )
            .await
            .unwrap();
        assert_eq!(r.alert_revisions, vec![("al1".to_string(), 2)]);
        let a = s.alert(&m.id, "al1").await.unwrap().expect("alert");
        assert_eq!((a.revision, a.revisions), (2, 2));
        assert_eq!(a.status, "closed");
        assert_eq!(a.score, 75.0);
        assert_eq!(a.source, "cli");
        assert_eq!(a.key_account, "K");
        assert!(a.created_at <= a.updated_at);
        let revs = s.alert_revisions(&m.id, "al1").await.unwrap();
        assert_eq!(revs.len(), 2);
        assert_eq!(revs[0].status, "open");
        let txs = s.alert_transactions(&m.id, "al1").await.unwrap().unwrap();
        let ids: Vec<&str> = txs.iter().map(|t| t.tx_id.as_str()).collect();
        assert_eq!(ids, ["t1", "t2", "t3"]);
        assert_eq!(txs[0].timestamp.timestamp(), T0);
        assert_eq!(txs[2].amount, 300.0);
        let (total, items) = s
            .alerts(
                &m.id,
                &AlertQuery {
                    limit: 50,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(total, 1, "one alert, not one per revision");
        assert_eq!(items[0].revision, 2);
    }
}

#[tokio::test]
async fn another_members_alerts_and_transactions_are_invisible() {
    for db in backends().await {
        let s = &db.store;
        let a = s.ensure_member("bank-a").await.unwrap();
        let b = analyst(s, "bank-b").await;
        s.record_monitoring(
            &a.id,
            AlertSource::Api,
            &[tx("t1", "S1", "K", T0, 1.0)],
            &[alert("al1", "open", 70.0, &["t1"])],
            None,
        )
        .await
        .unwrap();
        assert!(s.alert(&b.member_id, "al1").await.unwrap().is_none());
        assert!(
            s.alert_transactions(&b.member_id, "al1")
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            s.transactions_by_id(&b.member_id, &["t1".into()])
                .await
                .unwrap()
                .is_empty()
        );
        let q = AlertQuery {
            limit: 10,
            ..Default::default()
        };
        assert_eq!(s.alerts(&b.member_id, &q).await.unwrap().0, 0);
        let err = s
            .record_alert_decision(&b, "al1", DecisionKind::FalsePositive, "not ours")
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { what: "alert", .. }));
        // The same transaction id in another member is another transaction.
        let r = s
            .record_monitoring(
                &b.member_id,
                AlertSource::Api,
                &[tx("t1", "X", "Y", T0, 5.0)],
                &[],
                None,
            )
            .await
            .unwrap();
        assert_eq!(r.transactions_stored, 1);
    }
}

#[tokio::test]
async fn decisions_are_audited_filter_the_listing_and_keep_the_chain() {
    for db in backends().await {
        let s = &db.store;
        let who = analyst(s, "bank-a").await;
        let txs: Vec<NewTransaction> = (0..4)
            .map(|i| tx(&format!("t{i}"), &format!("S{i}"), "K", T0 + i, 10.0))
            .collect();
        let alerts = vec![
            alert("high", "open", 90.0, &["t0", "t1"]),
            alert("low", "open", 60.0, &["t2", "t3"]),
        ];
        s.record_monitoring(&who.member_id, AlertSource::Api, &txs, &alerts, None)
            .await
            .unwrap();
        assert_eq!(s.open_alert_count(&who.member_id).await.unwrap(), 2);
        // Interleave writer-path audit appends with alert decisions: one chain.
        let (d, _) = tokio::join!(
            s.record_alert_decision(
                &who,
                "high",
                DecisionKind::TrueMatch,
                "collector for a listed group"
            ),
            s.append_audit(NewAuditEntry {
                member_id: Some(who.member_id.clone()),
                actor: who.key_id.clone(),
                action: "test.other".into(),
                object_type: None,
                object_id: None,
                detail: serde_json::json!({}),
            })
        );
        let d = d.unwrap();
        assert_eq!(d.decision, DecisionKind::TrueMatch);
        s.record_alert_decision(&who, "high", DecisionKind::Escalate, "second look")
            .await
            .unwrap();
        let ds = s.alert_decisions(&who.member_id, "high").await.unwrap();
        assert_eq!(ds.len(), 2);
        assert_eq!(ds[1].decision, DecisionKind::Escalate);
        assert_eq!(s.open_alert_count(&who.member_id).await.unwrap(), 1);
        let open = AlertQuery {
            review: AlertReview::Open,
            limit: 10,
            ..Default::default()
        };
        let (n, items) = s.alerts(&who.member_id, &open).await.unwrap();
        assert_eq!((n, items[0].alert_id.as_str()), (1, "low"));
        let decided = AlertQuery {
            review: AlertReview::Decided,
            limit: 10,
            ..Default::default()
        };
        let (_, items) = s.alerts(&who.member_id, &decided).await.unwrap();
        assert_eq!(
            items[0].decision,
            Some(DecisionKind::Escalate),
            "latest decision wins"
        );
        let audit = s.audit_log(Some(&who.member_id), 0, 100).await.unwrap();
        let decided: Vec<_> = audit
            .iter()
            .filter(|e| e.action == "alert.decided")
            .collect();
        assert_eq!(decided.len(), 2);
        assert_eq!(decided[0].object_id.as_deref(), Some("high"));
        assert!(decided[0].detail.contains("collector for a listed group"));
        let chain = s.verify_audit_chain().await.unwrap();
        assert_eq!(chain.first_broken_seq, None, "{}", s.backend_name());
    }
}

#[tokio::test]
async fn listings_filter_sort_and_page() {
    for db in backends().await {
        let s = &db.store;
        let m = s.ensure_member("bank-a").await.unwrap();
        let mut alerts = Vec::new();
        for i in 0..5 {
            let mut a = alert(&format!("a{i}"), "closed", 50.0 + i as f64 * 10.0, &[]);
            a.key_account = format!("ACC_{i}%");
            if i == 4 {
                a.typology = "cycle".into();
            }
            alerts.push(a);
        }
        s.record_monitoring(&m.id, AlertSource::Cli, &[], &alerts, None)
            .await
            .unwrap();
        let q = |f: fn(&mut AlertQuery)| {
            let mut q = AlertQuery {
                limit: 2,
                ..Default::default()
            };
            f(&mut q);
            q
        };
        let (total, page) = s.alerts(&m.id, &q(|_| {})).await.unwrap();
        assert_eq!(total, 5);
        assert_eq!(
            page.iter().map(|a| a.alert_id.as_str()).collect::<Vec<_>>(),
            ["a4", "a3"]
        );
        let (_, page2) = s.alerts(&m.id, &q(|q| q.offset = 2)).await.unwrap();
        assert_eq!(page2[0].alert_id, "a2");
        let (_, asc) = s.alerts(&m.id, &q(|q| q.ascending = true)).await.unwrap();
        assert_eq!(asc[0].alert_id, "a0");
        let (n, _) = s
            .alerts(&m.id, &q(|q| q.typology = Some("cycle".into())))
            .await
            .unwrap();
        assert_eq!(n, 1);
        // `q` is a literal substring: `%` and `_` match only themselves.
        let (n, found) = s
            .alerts(&m.id, &q(|q| q.q = Some("acc_3%".into())))
            .await
            .unwrap();
        assert_eq!((n, found[0].alert_id.as_str()), (1, "a3"));
        let (n, _) = s
            .alerts(&m.id, &q(|q| q.q = Some("c_%".into())))
            .await
            .unwrap();
        assert_eq!(n, 0);
    }
}

#[tokio::test]
async fn monitoring_history_cannot_be_edited() {
    for db in backends().await {
        let s = &db.store;
        let who = analyst(s, "bank-a").await;
        s.record_monitoring(
            &who.member_id,
            AlertSource::Api,
            &[tx("t1", "S1", "K", T0, 1.0)],
            &[alert("al1", "open", 70.0, &["t1"])],
            None,
        )
        .await
        .unwrap();
        s.record_alert_decision(&who, "al1", DecisionKind::FalsePositive, "known payroll")
            .await
            .unwrap();
        for sql in [
            "UPDATE transactions SET amount = 0",
            "DELETE FROM transactions",
            "UPDATE alerts SET score = 0",
            "DELETE FROM alerts",
            "UPDATE alert_decisions SET decision = 'true_match'",
            "DELETE FROM alert_decisions",
        ] {
            assert!(
                s.execute_raw_for_tests(sql).await.is_err(),
                "{sql} must be refused on {}",
                s.backend_name()
            );
        }
    }
}

#[tokio::test]
async fn a_batch_with_an_audit_entry_commits_both_or_neither() {
    for db in backends().await {
        let s = &db.store;
        let m = s.ensure_member("bank-a").await.unwrap();
        let audit = NewAuditEntry {
            member_id: Some(m.id.clone()),
            actor: "cli".into(),
            action: "transactions.scored".into(),
            object_type: Some("transactions".into()),
            object_id: None,
            detail: serde_json::json!({"accepted": 1}),
        };
        let r = s
            .record_monitoring(
                &m.id,
                AlertSource::Cli,
                &[tx("t1", "A", "B", T0, 1.0)],
                &[],
                Some(&audit),
            )
            .await
            .unwrap();
        assert_eq!(
            r.audit.as_ref().map(|a| a.action.as_str()),
            Some("transactions.scored")
        );
        // An invalid batch (non-finite amount) stores nothing, audit included.
        let before = s.audit_log(None, 0, 1000).await.unwrap().len();
        let bad = s
            .record_monitoring(
                &m.id,
                AlertSource::Cli,
                &[
                    tx("t2", "A", "B", T0, 1.0),
                    tx("t3", "A", "B", T0, f64::NAN),
                ],
                &[],
                Some(&audit),
            )
            .await;
        assert!(matches!(
            bad,
            Err(StoreError::Invalid {
                field: "amount",
                ..
            })
        ));
        assert_eq!(s.audit_log(None, 0, 1000).await.unwrap().len(), before);
        assert_eq!(s.transaction_count(&m.id).await.unwrap(), 1);
        assert_eq!(s.verify_audit_chain().await.unwrap().first_broken_seq, None);
    }
}

#[tokio::test]
async fn replay_reads_transactions_in_event_order_from_a_time() {
    for db in backends().await {
        let s = &db.store;
        let m = s.ensure_member("bank-a").await.unwrap();
        let txs = vec![
            tx("late", "A", "B", T0 + 500, 1.0),
            tx("early", "A", "B", T0, 1.0),
            tx("mid", "A", "B", T0 + 100, 1.0),
        ];
        s.record_monitoring(&m.id, AlertSource::Api, &txs, &[], None)
            .await
            .unwrap();
        assert_eq!(
            s.latest_transaction_time(&m.id).await.unwrap(),
            Some(T0 + 500)
        );
        let got = s.transactions_since(&m.id, T0 + 50, 10).await.unwrap();
        let ids: Vec<&str> = got.iter().map(|t| t.tx_id.as_str()).collect();
        assert_eq!(ids, ["mid", "late"]);
        assert_eq!(got[0].body["originator"]["account"], "A");
        let other = s.ensure_member("bank-b").await.unwrap();
        assert_eq!(s.latest_transaction_time(&other.id).await.unwrap(), None);
    }
}

#[tokio::test]
async fn re_sending_an_older_version_after_a_newer_one_stores_nothing() {
    for db in backends().await {
        let s = &db.store;
        let m = s.ensure_member("bank-a").await.unwrap();
        let open = alert("al1", "open", 70.0, &["t1"]);
        let closed = alert("al1", "closed", 70.0, &["t1"]);
        let both = [open.clone(), closed.clone()];
        s.record_monitoring(&m.id, AlertSource::Cli, &[], &both, None)
            .await
            .unwrap();
        let again = s
            .record_monitoring(&m.id, AlertSource::Cli, &[], &both, None)
            .await
            .unwrap();
        assert!(again.alert_revisions.is_empty());
        assert_eq!(again.alerts_unchanged, 2);
        let a = s.alert(&m.id, "al1").await.unwrap().unwrap();
        assert_eq!((a.revisions, a.status.as_str()), (2, "closed"));
    }
}
