//! `Engine::with_updates`: a live service sees an open alert again each time it grows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use monitoring::input::jsonl::JsonlReader;
use monitoring::{Alert, AlertStatus, Engine, Rules, Typology};

fn stream(engine: &mut Engine) -> Vec<Alert> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fan_in.jsonl");
    let text = std::fs::read_to_string(path).expect("fixture");
    let mut out = Vec::new();
    for r in JsonlReader::new(text.as_bytes()) {
        out.extend(engine.process(r.expect("valid fixture")));
    }
    out
}

#[test]
fn with_updates_an_open_alert_is_emitted_again_as_it_grows() {
    let mut live = Engine::new(Rules::default()).with_updates(true);
    let alerts = stream(&mut live);
    let fan_in: Vec<&Alert> = alerts
        .iter()
        .filter(|a| a.typology == Typology::FanIn)
        .collect();
    assert!(fan_in.len() >= 2, "{fan_in:#?}");
    assert!(fan_in.iter().all(|a| a.status == AlertStatus::Open));
    assert!(fan_in.iter().all(|a| a.alert_id == fan_in[0].alert_id));
    let first = fan_in[0];
    let last = fan_in[fan_in.len() - 1];
    assert!(last.transaction_ids.len() > first.transaction_ids.len());
    assert!(last.revision > first.revision);
    // The last live version is what the batch engine closes with.
    let mut batch = Engine::new(Rules::default());
    let mut closed = stream(&mut batch);
    closed.extend(batch.finish());
    let final_version = closed
        .iter()
        .find(|a| a.typology == Typology::FanIn && a.status == AlertStatus::Closed)
        .expect("closed fan-in");
    assert_eq!(final_version.score, last.score);
    assert_eq!(final_version.transaction_ids, last.transaction_ids);
}

#[test]
fn without_updates_an_alert_is_emitted_once_while_open() {
    let mut engine = Engine::new(Rules::default());
    let alerts = stream(&mut engine);
    let fan_in: Vec<&Alert> = alerts
        .iter()
        .filter(|a| a.typology == Typology::FanIn)
        .collect();
    assert_eq!(fan_in.len(), 1);
}
