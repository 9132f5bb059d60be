//! Event-time handling: ordering, tolerance, rejection, alert lifecycle.

use monitoring::{AlertStatus, Engine, Party, Rules, Transaction};

fn tx(id: &str, ts: i64, o: &str, b: &str, amount: f64) -> Transaction {
    Transaction {
        id: id.into(),
        timestamp: ts,
        amount,
        currency: "USD".into(),
        originator: Party {
            account: o.into(),
            ..Default::default()
        },
        beneficiary: Party {
            account: b.into(),
            ..Default::default()
        },
        channel: None,
    }
}

const T0: i64 = 1_704_067_200;
const H: i64 = 3_600;

#[test]
fn late_transactions_beyond_tolerance_are_rejected_with_reason() {
    let mut e = Engine::new(Rules::default()); // tolerance 0
    e.process(tx("a", T0 + 10 * H, "A", "B", 10.0));
    e.process(tx("b", T0 + 5 * H, "A", "B", 10.0));
    e.process(tx("c", T0 + 10 * H, "A", "B", 10.0)); // same time is fine
    assert_eq!(e.stats().processed, 2);
    assert_eq!(e.stats().rejected_late, 1);
    let r = &e.rejections()[0];
    assert!(r.record.contains("\"b\""));
    assert!(r.reason.starts_with("late"), "{}", r.reason);
}

#[test]
fn within_tolerance_transactions_are_reordered_not_rejected() {
    let rules =
        Rules::from_toml("[engine]\nout_of_order_tolerance_days = 0.5\n").unwrap_or_default();
    let mut e = Engine::new(rules);
    e.process(tx("a", T0 + 10 * H, "A", "B", 10.0));
    e.process(tx("b", T0 + 5 * H, "A", "B", 10.0)); // 5 h late, tolerance 12 h
    e.process(tx("c", T0 + 40 * H, "A", "B", 10.0)); // releases a and b in order
    e.process(tx("d", T0 + 20 * H, "A", "B", 10.0)); // 20 h late vs c, but watermark is 10 h
    e.process(tx("e", T0 + H, "A", "B", 10.0)); // before the watermark: late
    e.finish();
    assert_eq!(e.stats().rejected_late, 1);
    assert_eq!(e.stats().processed, 4);
    assert_eq!(e.stats().reordered, 2);
}

#[test]
fn invalid_transactions_are_counted_and_processing_continues() {
    let mut e = Engine::new(Rules::default());
    e.process(tx("a", T0, "A", "", 10.0));
    e.process(tx("b", T0, "A", "B", f64::NAN));
    e.process(tx("c", T0, "A", "B", -1.0));
    e.process(tx("d", T0, "A", "B", 1.0));
    assert_eq!(e.stats().rejected_invalid, 3);
    assert_eq!(e.stats().processed, 1);
    assert_eq!(e.rejections().len(), 3);
}

#[test]
fn alerts_open_on_completion_and_close_after_idle_time_with_all_transactions() {
    let mut e = Engine::new(Rules::default());
    let mut out = Vec::new();
    // 7 new senders into C within 2 days: short-window fan-in opens at the 5th.
    for i in 0..7 {
        out.extend(e.process(tx(
            &format!("t{i}"),
            T0 + i * 6 * H,
            &format!("S{i}"),
            "C",
            100.0,
        )));
    }
    let open: Vec<_> = out
        .iter()
        .filter(|a| a.status == AlertStatus::Open)
        .cloned()
        .collect();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].transaction_ids.len(), 5);
    assert!(out.iter().all(|a| a.status == AlertStatus::Open));
    // 11 days later (idle close 10 days) any transaction closes it.
    out.extend(e.process(tx("z", T0 + 11 * 24 * H + 7 * 6 * H, "Q", "R", 1.0)));
    let closed: Vec<_> = out
        .iter()
        .filter(|a| a.status == AlertStatus::Closed)
        .collect();
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].alert_id, open[0].alert_id);
    assert_eq!(closed[0].transaction_ids.len(), 7);
    assert!(closed[0].revision > open[0].revision);
    assert!(e.finish().is_empty());
}

#[test]
fn state_stays_bounded_by_the_windows() {
    let rules = Rules::default();
    let window_days = rules.max_window_secs() / 86_400;
    let mut e = Engine::new(rules);
    // 120 days of 200 tx/day among 2,000 accounts.
    let mut n = 0u64;
    for day in 0..120i64 {
        for k in 0..200i64 {
            n += 1;
            let a = (k * 7 + day * 11) % 2_000;
            let b = (k * 13 + day * 3 + 1) % 2_000;
            e.process(tx(
                &n.to_string(),
                T0 + day * 24 * H + k,
                &a.to_string(),
                &b.to_string(),
                50.0,
            ));
        }
    }
    e.finish();
    let held = e.stats().peak_edges_in_window;
    assert!(
        held <= (window_days as u64 + 2) * 200,
        "held {held} edges for a {window_days}-day window"
    );
}
