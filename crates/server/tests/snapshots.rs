//! Snapshots of API response shapes (insta). Ids, timestamps and versions are redacted, and
//! matcher-dependent values (scores, explanation contents) are reduced to their structure, so
//! these fail when the API contract changes, not when the matcher is tuned.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{Value, json};

/// Maps whose keys depend on the entity or the matcher (FtM properties, features,
/// explanations): only their presence is part of the API contract.
const OPEN_MAPS: [&str; 5] = [
    "properties",
    "explanations",
    "features",
    "raqib_explanation",
    "explanation",
];

/// Replaces leaves by their type, keeping object keys: the shape of a value.
fn shape(v: &Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| {
                    let s = if OPEN_MAPS.contains(&k.as_str()) && v.is_object() {
                        json!("<map>")
                    } else {
                        shape(v)
                    };
                    (k.clone(), s)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().take(1).map(shape).collect()),
        Value::String(_) => json!("<string>"),
        Value::Number(_) => json!("<number>"),
        Value::Bool(_) => json!("<bool>"),
        Value::Null => Value::Null,
    }
}

#[tokio::test]
async fn screen_response_shape() {
    let h = harness(Backend::Sqlite).await;
    let (_, mut v) = h
        .post(
            "/v1/screen",
            &h.a_screener,
            json!({"name": "Abu Bakr al-Baghdadi", "reference": "cust-1"}),
        )
        .await;
    if let Some(m) = v["matches"].as_array_mut() {
        m.truncate(1);
        if let Some(first) = m.get_mut(0) {
            first["explanation"] = json!(if first["explanation"].is_object() {
                "<map>"
            } else {
                "<missing>"
            });
        }
    }
    insta::assert_json_snapshot!(v, {
        ".screening_id" => "[id]", ".screened_at" => "[timestamp]", ".lists_version" => "[version]",
        ".matches[].hit_id" => "[id]", ".matches[].score" => "[score]", ".matches[].entity_id" => "[entity]",
        ".matches[].name" => "[name]", ".matches[].match" => "[bool]", ".open_matches" => "[count]", ".matches[].caption" => "[name]", ".matches[].source" => "[source]",
    });
}

#[tokio::test]
async fn yente_match_response_shape() {
    let h = harness(Backend::Sqlite).await;
    let (_, v) = h
        .post(
            "/match/default?limit=1",
            &h.a_screener,
            json!({"queries": {"q1": {"schema": "Person", "properties": {"name": ["Abu Bakr al-Baghdadi"], "nationality": ["iq"]}}}}),
        )
        .await;
    insta::assert_json_snapshot!(shape(&v));
}

#[tokio::test]
async fn error_bodies() {
    let h = harness(Backend::Sqlite).await;
    let (s1, e1) = h
        .call("POST", "/v1/screen", Some(&h.a_screener), Some("{oops"))
        .await;
    let (s2, e2) = h
        .post(
            "/v1/screen",
            &h.a_screener,
            json!({"queries": [{"name": "A", "limit": 1000}]}),
        )
        .await;
    let (s3, e3) = h.call("POST", "/v1/screen", None, Some("{}")).await;
    let (s4, e4) = h.post("/v1/lists/reload", &h.a_screener, json!({})).await;
    let (s5, e5) = h
        .post(
            "/v1/screen",
            &h.a_screener,
            json!({"name": "A", "schema": "Spaceship"}),
        )
        .await;
    insta::assert_json_snapshot!(json!({
        "invalid_json": [s1.as_u16(), e1],
        "batch_item_limit": [s2.as_u16(), e2["results"][0]],
        "missing_key": [s3.as_u16(), e3],
        "wrong_role": [s4.as_u16(), e4],
        "bad_schema": [s5.as_u16(), e5],
    }));
}
