//! Hand-made fixtures for each typology (tests/data/*.jsonl); the expected alerts are
//! written here. Amounts, countries and names matter in these, unlike in the AMLSim
//! sample, so they cover structuring, dormancy, geography and listed counterparties.

use std::sync::Arc;

use monitoring::input::jsonl::JsonlReader;
use monitoring::{Alert, AlertStatus, Engine, ExactListScreener, Rules, Typology};

fn data(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Runs a fixture through the default rules; returns the final (closed) alerts.
fn run_with(engine: &mut Engine, name: &str) -> Vec<Alert> {
    let text = data(name);
    let mut out = Vec::new();
    for r in JsonlReader::new(text.as_bytes()) {
        let tx = r.unwrap_or_else(|e| panic!("fixture {name} has a bad record: {e:?}"));
        out.extend(engine.process(tx));
    }
    out.extend(engine.finish());
    out.retain(|a| a.status == AlertStatus::Closed);
    out
}

fn run(name: &str) -> Vec<Alert> {
    run_with(&mut Engine::new(Rules::default()), name)
}

fn only(alerts: &[Alert], t: Typology) -> Vec<&Alert> {
    alerts.iter().filter(|a| a.typology == t).collect()
}

#[test]
fn structuring_just_under_threshold_by_one_originator_is_alerted() {
    let alerts = run("structuring.jsonl");
    let s = only(&alerts, Typology::Structuring);
    assert_eq!(s.len(), 1, "{alerts:#?}");
    assert_eq!(s[0].transaction_ids, ["s1", "s2", "s4"]);
    assert_eq!(s[0].accounts[0], "ACC-SMURF");
    // 55 base + 10 because 9,500 + 9,800 + 9,200 ≥ 10,000.
    assert_eq!(s[0].score, 65.0);
    assert_eq!(s[0].explanation.facts["count"], 3);
    assert_eq!(s[0].explanation.facts["reporting_threshold"], 10000.0);
    // ACC-OTHER made two just-under transfers two weeks apart: not structuring.
    assert!(
        alerts
            .iter()
            .all(|a| !a.accounts.contains(&"ACC-OTHER".to_string()))
    );
}

#[test]
fn dormant_account_waking_with_a_burst_is_alerted_and_a_quiet_one_is_not() {
    let alerts = run("dormant.jsonl");
    let d = only(&alerts, Typology::Dormant);
    assert_eq!(d.len(), 1, "{alerts:#?}");
    assert_eq!(d[0].accounts[0], "ACC-SLEEPER");
    assert_eq!(d[0].transaction_ids, ["d2", "d3", "d4", "d5"]);
    assert_eq!(d[0].explanation.facts["silence_days"], 132.96);
    assert_eq!(d[0].score, 55.0);
}

#[test]
fn high_risk_geography_counts_conflict_zone_and_neighbour_counterparties() {
    let alerts = run("geography.jsonl");
    let g = only(&alerts, Typology::HighRiskGeography);
    assert_eq!(g.len(), 1, "{alerts:#?}");
    assert_eq!(g[0].accounts, ["ACC-DE-1", "ACC-SY-1", "ACC-TR-1"]);
    assert_eq!(g[0].transaction_ids, ["g1", "g2"]);
    // 40 base + 40 for Syria (Turkey, 15, came from the beneficiary agent's BIC).
    assert_eq!(g[0].score, 80.0);
    let countries = g[0].explanation.facts["countries"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(countries.len(), 2);
    assert_eq!(countries[0]["country"], "SY");
    assert_eq!(countries[1]["country"], "TR");
}

#[test]
fn listed_counterparty_is_alerted_for_either_side_and_cached_per_name() {
    let screener = ExactListScreener::new([("Abu Example al-Testi", "test:QDi.999", "un")]);
    let mut engine = Engine::new(Rules::default()).with_screener(Arc::new(screener));
    let alerts = run_with(&mut engine, "listed.jsonl");
    let l = only(&alerts, Typology::ListedCounterparty);
    assert_eq!(l.len(), 1, "{alerts:#?}");
    assert_eq!(l[0].accounts[0], "ACC-AB");
    assert_eq!(l[0].transaction_ids, ["l1", "l3"]);
    assert_eq!(l[0].score, 100.0);
    assert_eq!(l[0].decision, monitoring::Decision::Block);
    assert_eq!(l[0].explanation.facts["entity_id"], "test:QDi.999");
    // Three distinct names (plus one repeat of "Ahmad Khalil" and "Corner Shop Ltd").
    assert_eq!(engine.stats().names_screened, 4);
    assert_eq!(engine.stats().name_cache_hits, 2);
}

#[test]
fn pass_through_needs_repeated_similar_in_out_legs() {
    let alerts = run("pass_through.jsonl");
    let p = only(&alerts, Typology::PassThrough);
    assert_eq!(p.len(), 1, "{alerts:#?}");
    assert_eq!(p[0].accounts[0], "ACC-MULE");
    assert_eq!(p[0].transaction_ids, ["p1", "p2", "p4", "p5"]);
    assert_eq!(
        p[0].explanation.paths,
        [
            ["ACC-A", "ACC-MULE", "ACC-B"],
            ["ACC-C", "ACC-MULE", "ACC-D"]
        ]
    );
    assert!(
        alerts
            .iter()
            .all(|a| !a.accounts.contains(&"ACC-OK".to_string()))
    );
}

#[test]
fn fan_in_burst_with_rapid_withdrawal_scores_higher() {
    let alerts = run("fan_in.jsonl");
    let f = only(&alerts, Typology::FanIn);
    assert_eq!(f.len(), 1, "{alerts:#?}");
    assert_eq!(f[0].accounts[0], "ACC-COLLECT");
    assert_eq!(f[0].transaction_ids, ["f1", "f2", "f3", "f4", "f5", "f6"]);
    // 55 base + 2 (one sender over the minimum of 5) + 15 (80 % withdrawn within days).
    assert_eq!(f[0].score, 72.0);
    assert!(
        f[0].explanation
            .score_parts
            .iter()
            .any(|p| p.reason == "fan_in.rapid_withdrawal")
    );
    assert_eq!(f[0].explanation.facts["window"], "short");
}

#[test]
fn three_hop_cycle_is_found_and_two_way_exchange_is_not() {
    let alerts = run("cycle.jsonl");
    let c = only(&alerts, Typology::Cycle);
    assert_eq!(c.len(), 1, "{alerts:#?}");
    assert_eq!(c[0].transaction_ids, ["c1", "c2", "c3"]);
    assert_eq!(
        c[0].explanation.paths,
        [["ACC-X", "ACC-Y", "ACC-Z", "ACC-X"]]
    );
    assert_eq!(c[0].score, 65.0);
}

#[test]
fn strict_time_respecting_cycles_reject_legs_out_of_order() {
    let rules = Rules::from_toml("[cycle]\ntime_respecting = true\norder_slack_days = 0.0\n")
        .unwrap_or_default();
    assert!(rules.cycle.time_respecting);
    // c1 X->Y (5 Mar), c2 Y->Z (12 Mar), c3 Z->X (20 Mar): money can follow the loop.
    let alerts = run_with(&mut Engine::new(rules.clone()), "cycle.jsonl");
    assert_eq!(only(&alerts, Typology::Cycle).len(), 1);
    // Same legs, but Y->Z happens before X->Y: no loop the money could have travelled.
    let mut e = Engine::new(rules);
    let mk = |id: &str, day: i64, o: &str, b: &str| monitoring::Transaction {
        id: id.into(),
        timestamp: 1_709_596_800 + day * 86_400,
        amount: 1000.0,
        currency: "USD".into(),
        originator: monitoring::Party {
            account: o.into(),
            ..Default::default()
        },
        beneficiary: monitoring::Party {
            account: b.into(),
            ..Default::default()
        },
        channel: None,
    };
    let mut out = Vec::new();
    out.extend(e.process(mk("a", 0, "Y", "Z")));
    out.extend(e.process(mk("b", 3, "X", "Y")));
    out.extend(e.process(mk("c", 1 + 5, "Z", "X")));
    out.extend(e.finish());
    assert!(
        out.iter().all(|a| a.typology != Typology::Cycle),
        "{out:#?}"
    );
}

#[test]
fn scatter_gather_through_four_intermediaries() {
    let alerts = run("scatter_gather.jsonl");
    let s = only(&alerts, Typology::ScatterGather);
    assert_eq!(s.len(), 1, "{alerts:#?}");
    assert_eq!(&s[0].accounts[..2], ["ACC-ORIGIN", "ACC-BENE"]);
    assert_eq!(s[0].transaction_ids.len(), 8);
    assert_eq!(s[0].explanation.paths.len(), 4);
    assert_eq!(s[0].score, 64.0);
}

#[test]
fn same_input_gives_the_same_alert_ids() {
    let a: Vec<String> = run("scatter_gather.jsonl")
        .into_iter()
        .map(|a| a.alert_id)
        .collect();
    let b: Vec<String> = run("scatter_gather.jsonl")
        .into_iter()
        .map(|a| a.alert_id)
        .collect();
    assert_eq!(a, b);
}

#[test]
fn geography_points_raise_other_typologies_too() {
    // The cycle fixture again, with Syria as one party's country: same cycle, +40.
    let text = data("cycle.jsonl").replace(
        r#""beneficiary": {"account": "ACC-Z"}"#,
        r#""beneficiary": {"account": "ACC-Z", "country": "SY"}"#,
    );
    let mut e = Engine::new(Rules::default());
    let mut out = Vec::new();
    for r in JsonlReader::new(text.as_bytes()).flatten() {
        out.extend(e.process(r));
    }
    out.extend(e.finish());
    let c: Vec<_> = out
        .iter()
        .filter(|a| a.typology == Typology::Cycle && a.status == AlertStatus::Closed)
        .collect();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].score, 100.0);
    assert!(
        c[0].explanation
            .score_parts
            .iter()
            .any(|p| p.reason == "geography.SY" && p.points == 40.0)
    );
}

#[test]
fn explanation_shape_is_stable() {
    let alerts = run("fan_in.jsonl");
    insta::assert_json_snapshot!("fan_in_alert", alerts[0]);
}
