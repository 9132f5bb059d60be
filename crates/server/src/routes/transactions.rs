//! `POST /v1/transactions`: real-time transaction monitoring.
//!
//! Each member has one monitoring [`Engine`] in the server, behind an async mutex, so a
//! member's stream is scored in the order its requests arrive while members run in parallel.
//! A request:
//! 1. parses the body with monitoring's input adapters (JSON object / array /
//!    `{"transactions": [...]}`, NDJSON, pacs.008 XML, AMLSim CSV), keeping per-record
//!    rejections (`index 3`, `line 12`, ...);
//! 2. drops transaction ids the member already sent (a retried request is idempotent);
//! 3. feeds the rest through the member's engine on a blocking thread, counterparty names
//!    screened against the live lists (`screening=false` turns that off for the request);
//! 4. stores the accepted transactions, the alert versions raised or closed and an audit entry
//!    `transactions.scored` in one database transaction, and only then answers.
//!
//! The engine is a function of the stored stream: when it is missing (server start) it is
//! rebuilt by replaying the member's stored transactions inside the rules' longest window, and
//! when storing a batch fails the engine is dropped and rebuilt the same way, so memory and
//! database never disagree about what was scored.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ErrorBody};
use crate::extract::QueryPairs;
use crate::lists::LiveLists;
use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use monitoring::input::{Record, amlsim, jsonl, pacs008};
use monitoring::{Alert, Engine, ListedMatch, NameScreener, Rejected, Rules, Transaction};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use store::Role;
use utoipa::ToSchema;

/// Body limit of `POST /v1/transactions` (a day of a small bank's transfers in one request).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Most transactions replayed to rebuild a member's engine.
const REPLAY_LIMIT: i64 = 2_000_000;
/// Most rejected records listed in one answer (all are counted).
const MAX_REJECTED_LISTED: usize = 1000;

/// Screens a party name with the screening crate and maps the best match into monitoring's
/// shape: the seam that keeps `monitoring` independent of `screening`. Shared by the CLI
/// (`raqib monitor`) and the server.
pub fn screen_name(
    screener: &screening::Screener,
    name: &str,
    country: Option<&str>,
) -> Option<ListedMatch> {
    let mut q = screening::Query::name(name);
    q.country = country.map(str::to_string);
    let hits = screener.screen(&q).ok()?;
    let h = hits.into_iter().find(|h| h.is_match)?;
    Some(ListedMatch {
        entity_id: h.entity_id,
        listed_name: h.name,
        source: h.source.as_str().to_string(),
        score: h.score,
    })
}

/// [`NameScreener`] over a `screening::Screener` (what `raqib monitor` uses).
pub struct ScreenerGlue(pub Arc<screening::Screener>);

impl std::fmt::Debug for ScreenerGlue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ScreenerGlue")
    }
}

impl NameScreener for ScreenerGlue {
    fn screen(&self, name: &str, country: Option<&str>) -> Option<ListedMatch> {
        screen_name(&self.0, name, country)
    }
}

/// [`NameScreener`] over one snapshot of the server's live lists.
struct LiveGlue(Arc<LiveLists>);

impl NameScreener for LiveGlue {
    fn screen(&self, name: &str, country: Option<&str>) -> Option<ListedMatch> {
        screen_name(&self.0.screener, name, country)
    }
}

struct MemberEngine {
    engine: Engine,
    /// Lists version the engine's screener was built over; `None` when screening is off.
    screening_version: Option<String>,
}

/// The members' engines. One slot per member; a slot holds `None` until the engine is
/// (re)built from the stored stream.
#[derive(Default)]
pub struct Engines {
    slots: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<MemberEngine>>>>>,
}

impl std::fmt::Debug for Engines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Engines")
    }
}

impl Engines {
    fn slot(&self, member_id: &str) -> Arc<tokio::sync::Mutex<Option<MemberEngine>>> {
        let mut m = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        m.entry(member_id.to_string()).or_default().clone()
    }
}

/// Picks the request body limit: [`MAX_BODY_BYTES`] for `POST /v1/transactions`, the
/// service's limit elsewhere. Used by `app()` in place of a single `RequestBodyLimitLayer`.
pub(crate) async fn body_limit(limit: usize, mut req: Request, next: Next) -> Response {
    let lim = if req.uri().path() == "/v1/transactions" {
        MAX_BODY_BYTES.max(limit)
    } else {
        limit
    };
    req.extensions_mut().insert(crate::BodyLimit(lim));
    // What tower-http's RequestBodyLimit does: refuse a declared length over the limit at
    // once, and cap the body stream for chunked uploads (reading past it fails with 413).
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > lim as u64) {
        return ApiError::payload_too_large(lim).into_response();
    }
    let req = req.map(|b| Body::new(http_body_util::Limited::new(b, lim)));
    let resp = next.run(req).await;
    if resp.status() == StatusCode::PAYLOAD_TOO_LARGE && !crate::is_json(&resp) {
        ApiError::payload_too_large(lim).into_response()
    } else {
        resp
    }
}

/// One rejected record.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RejectedRecord {
    /// Where: `index 3` (JSON array), `line 12` (NDJSON, CSV), `CdtTrfTxInf #2` (pacs.008),
    /// `transaction "T9"` (refused by the engine, e.g. too late).
    pub record: String,
    /// What is wrong.
    pub message: String,
}

/// Answer of `POST /v1/transactions`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TransactionsResponse {
    /// Transactions scored and stored.
    pub accepted: u64,
    /// Records not used, with the reason (the first 1,000; `rejected_total` counts all).
    pub rejected: Vec<RejectedRecord>,
    pub rejected_total: u64,
    /// Transactions whose id this member had already sent (ignored: a retry is harmless).
    pub duplicates: u64,
    /// Alerts raised or closed by these transactions, as the engine wrote them.
    #[schema(value_type = Vec<Object>)]
    pub alerts: Vec<Alert>,
    /// Transactions the engine holds back to re-order late arrivals (scored with later ones).
    pub held_for_reordering: u64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum BodyKind {
    Json,
    Ndjson,
    Xml,
    Csv,
}

fn body_kind(content_type: Option<&str>) -> Result<BodyKind, ApiError> {
    let ct = content_type
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match ct.as_str() {
        "application/json" => Ok(BodyKind::Json),
        "application/x-ndjson"
        | "application/ndjson"
        | "application/jsonl"
        | "application/x-jsonlines"
        | "application/jsonlines" => Ok(BodyKind::Ndjson),
        "application/xml" | "text/xml" => Ok(BodyKind::Xml),
        "text/csv" | "application/csv" => Ok(BodyKind::Csv),
        "" => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Content-Type is required: application/json, application/x-ndjson, application/xml \
             (pacs.008) or text/csv (AMLSim transactions.csv)",
        )),
        other => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "Content-Type {other:?} is not accepted here: use application/json, \
                 application/x-ndjson, application/xml (pacs.008) or text/csv (AMLSim)"
            ),
        )),
    }
}

/// Parses the body into records. A body that cannot be read at all (invalid JSON, a CSV
/// without the AMLSim header, XML that is not pacs.008) is a 400 naming where it broke.
fn parse_body(kind: BodyKind, bytes: &[u8]) -> Result<Vec<Record>, ApiError> {
    match kind {
        BodyKind::Json => {
            let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
                ApiError::bad_request(
                    "invalid_json",
                    format!(
                        "the body is not valid JSON (line {}, column {}): {e}",
                        e.line(),
                        e.column()
                    ),
                )
            })?;
            let items: Vec<serde_json::Value> = match v {
                serde_json::Value::Array(a) => a,
                serde_json::Value::Object(mut o) if o.contains_key("transactions") => {
                    match o.remove("transactions") {
                        Some(serde_json::Value::Array(a)) => a,
                        _ => {
                            return Err(ApiError::invalid(
                                "transactions",
                                "must be an array of transactions",
                            ));
                        }
                    }
                }
                o @ serde_json::Value::Object(_) => vec![o],
                _ => {
                    return Err(ApiError::bad_request(
                        "invalid_json",
                        "expected a transaction object, an array of them, or \
                         {\"transactions\": [...]}",
                    ));
                }
            };
            Ok(items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    jsonl::parse_line(&item.to_string()).map_err(|reason| Rejected {
                        record: format!("index {i}"),
                        reason,
                    })
                })
                .collect())
        }
        BodyKind::Ndjson => Ok(jsonl::JsonlReader::new(bytes).collect()),
        BodyKind::Xml => Ok(pacs008::Pacs008Reader::new(bytes).collect()),
        BodyKind::Csv => {
            let reader = amlsim::AmlsimReader::new(bytes, None)
                .map_err(|e| ApiError::bad_request("invalid_csv", format!("text/csv body: {e}")))?;
            Ok(reader.collect())
        }
    }
}

fn rules() -> Rules {
    Rules::default()
}

/// How far back a rebuilt engine replays: the longest detector window, plus the alert idle
/// close time and the re-ordering tolerance, so open alerts and their windows are rebuilt.
fn replay_span(r: &Rules) -> i64 {
    let days = |d: f64| (d.max(0.0) * 86_400.0) as i64;
    r.max_window_secs()
        + days(r.engine.alert_idle_close_days)
        + days(r.engine.out_of_order_tolerance_days)
}

/// Rebuilds a member's engine from its stored transactions (alerts raised during the replay
/// were stored when first raised and are dropped here).
async fn rebuild(
    state: &AppState,
    member_id: &str,
    screener: Option<Arc<dyn NameScreener>>,
) -> Result<Engine, ApiError> {
    let r = rules();
    let mut engine = Engine::new(r.clone()).with_updates(true);
    engine.set_screener(screener);
    let Some(latest) = state.store().latest_transaction_time(member_id).await? else {
        return Ok(engine);
    };
    let since = latest.saturating_sub(replay_span(&r));
    let stored = state
        .store()
        .transactions_since(member_id, since, REPLAY_LIMIT)
        .await?;
    if stored.len() as i64 >= REPLAY_LIMIT {
        tracing::warn!(
            member_id,
            "monitoring replay hit its limit; older state is not rebuilt"
        );
    }
    let n = stored.len();
    let engine = tokio::task::spawn_blocking(move || {
        let mut sink = Vec::new();
        for s in stored {
            if let Ok(tx) = serde_json::from_value::<Transaction>(s.body) {
                let _ = engine.process_into(tx, &mut sink);
                sink.clear();
            }
        }
        engine
    })
    .await
    .map_err(ApiError::internal)?;
    tracing::info!(
        member_id,
        replayed = n,
        "monitoring engine rebuilt from the store"
    );
    Ok(engine)
}

fn tx_row(tx: &Transaction) -> Result<store::NewTransaction, ApiError> {
    Ok(store::NewTransaction {
        tx_id: tx.id.clone(),
        timestamp: tx.timestamp,
        orig_acct: tx.originator.account.clone(),
        bene_acct: tx.beneficiary.account.clone(),
        amount: tx.amount,
        currency: tx.currency.clone(),
        body: serde_json::to_value(tx).map_err(ApiError::internal)?,
    })
}

/// Keeps the last version of each alert id, at the position of its first emission.
fn last_versions(alerts: Vec<Alert>) -> Vec<Alert> {
    let mut slot: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Alert> = Vec::with_capacity(alerts.len());
    for a in alerts {
        match slot.get(&a.alert_id) {
            Some(&i) => out[i] = a,
            None => {
                slot.insert(a.alert_id.clone(), out.len());
                out.push(a);
            }
        }
    }
    out
}

/// Turns engine alerts into store rows.
pub fn alert_rows(alerts: &[Alert]) -> Result<Vec<store::NewAlert>, store::StoreError> {
    alerts
        .iter()
        .map(|a| {
            let v =
                serde_json::to_value(a).map_err(|e| store::StoreError::Corrupt(e.to_string()))?;
            store::NewAlert::from_json(v)
        })
        .collect()
}

/// Score transactions for terrorist-financing typologies.
///
/// Body: `application/json` (one transaction, an array, or `{"transactions": [...]}` in the
/// canonical shape: `id`, `timestamp`, `amount`, `currency`, `originator` and `beneficiary`
/// `{account, name?, bank?, country?}`, `channel?`), `application/x-ndjson`,
/// `application/xml` (ISO 20022 pacs.008) or `text/csv` (AMLSim `transactions.csv` header).
/// Up to 16 MiB. Transactions and alerts are stored before the answer.
#[utoipa::path(post, path = "/v1/transactions", tag = "monitoring",
    params(("screening" = Option<bool>, Query,
        description = "Screen counterparty names against the live lists (default true)")),
    request_body(content = Object, description = "Transactions (see above)"),
    responses((status = 200, body = TransactionsResponse),
              (status = 400, body = ErrorBody), (status = 413, body = ErrorBody),
              (status = 415, body = ErrorBody)),
    security(("api_key" = [])))]
pub(crate) async fn post_transactions(
    State(state): State<AppState>,
    auth: Auth,
    query: QueryPairs,
    req: Request,
) -> Result<Json<TransactionsResponse>, ApiError> {
    let who = auth.require(Role::Screener)?.clone();
    let screening_on = match query.get("screening").map(str::trim) {
        None | Some("") | Some("true") | Some("1") => true,
        Some("false") | Some("0") => false,
        Some(other) => {
            return Err(ApiError::invalid(
                "screening",
                format!("{other:?} is not true or false"),
            ));
        }
    };
    let kind = body_kind(
        req.headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
    )?;
    let bytes = axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES)
        .await
        .map_err(|_| ApiError::payload_too_large(MAX_BODY_BYTES))?;
    let records = tokio::task::spawn_blocking(move || parse_body(kind, &bytes))
        .await
        .map_err(ApiError::internal)??;

    let mut rejected: Vec<Rejected> = Vec::new();
    let mut rejected_total = 0u64;
    let mut txs: Vec<Transaction> = Vec::with_capacity(records.len());
    let mut in_batch: HashSet<String> = HashSet::new();
    let mut duplicates = 0u64;
    let mut push_rej = |r: Rejected, rejected: &mut Vec<Rejected>| {
        rejected_total += 1;
        if rejected.len() < MAX_REJECTED_LISTED {
            rejected.push(r);
        }
    };
    for r in records {
        match r {
            Ok(tx) => {
                if in_batch.insert(tx.id.clone()) {
                    txs.push(tx);
                } else {
                    duplicates += 1;
                }
            }
            Err(rej) => push_rej(rej, &mut rejected),
        }
    }
    let ids: Vec<String> = txs.iter().map(|t| t.id.clone()).collect();

    // One member's requests are scored one after the other, in arrival order.
    let slot = state.monitoring().slot(&who.member_id);
    let mut guard = slot.lock().await;
    let known = state
        .store()
        .stored_transaction_ids(&who.member_id, &ids)
        .await?;
    if !known.is_empty() {
        let before = txs.len();
        txs.retain(|t| !known.contains(&t.id));
        duplicates += (before - txs.len()) as u64;
    }

    let lists = state.lists();
    let want_version = screening_on.then(|| lists.version.clone());
    let glue = || -> Option<Arc<dyn NameScreener>> {
        screening_on.then(|| Arc::new(LiveGlue(lists.clone())) as Arc<dyn NameScreener>)
    };
    let mut me = match guard.take() {
        Some(me) => me,
        None => MemberEngine {
            engine: rebuild(&state, &who.member_id, glue()).await?,
            screening_version: want_version.clone(),
        },
    };
    if me.screening_version != want_version {
        me.engine.set_screener(glue());
        me.screening_version = want_version;
    }

    let scored = tokio::task::spawn_blocking(move || {
        let mut alerts = Vec::new();
        let mut accepted = Vec::with_capacity(txs.len());
        let mut refused = Vec::new();
        for tx in txs {
            let row = tx_row(&tx);
            match me.engine.process_into(tx, &mut alerts) {
                Ok(()) => accepted.push(row),
                Err(rej) => refused.push(rej),
            }
        }
        let held = me.engine.pending_len() as u64;
        (me, alerts, accepted, refused, held)
    })
    .await;
    // A panic inside the engine leaves the slot empty: the next request rebuilds it.
    let (me, alerts, accepted, refused, held) = scored.map_err(ApiError::internal)?;
    let accepted = accepted.into_iter().collect::<Result<Vec<_>, _>>()?;
    for r in refused {
        push_rej(r, &mut rejected);
    }
    // An alert that grew several times in this batch is answered and stored as it stands at
    // the end of the batch (its last version), in the order the alerts were first emitted.
    let alerts = last_versions(alerts);
    let rows = alert_rows(&alerts)?;
    let new_ids: Vec<&str> = alerts.iter().map(|a| a.alert_id.as_str()).collect();
    let audit = store::NewAuditEntry::by(
        &who,
        "transactions.scored",
        "transactions",
        None,
        serde_json::json!({
            "accepted": accepted.len(),
            "rejected": rejected_total,
            "duplicates": duplicates,
            "alerts": new_ids,
            "screening": screening_on,
            "lists_version": if screening_on { Some(lists.version.clone()) } else { None },
        }),
    );
    let recorded = state
        .store()
        .record_monitoring(
            &who.member_id,
            store::AlertSource::Api,
            &accepted,
            &rows,
            Some(&audit),
        )
        .await;
    match recorded {
        Ok(_) => *guard = Some(me),
        // Nothing was stored: forget the in-memory state so it is rebuilt from the store.
        Err(e) => {
            *guard = None;
            return Err(e.into());
        }
    }
    drop(guard);

    if accepted.is_empty() && rejected_total > 0 && duplicates == 0 {
        let first = &rejected[0];
        return Err(ApiError::bad_request(
            "invalid_transactions",
            format!(
                "no transaction could be used ({rejected_total} rejected); first: {}: {}",
                first.record, first.reason
            ),
        )
        .with_field(first.record.clone()));
    }
    Ok(Json(TransactionsResponse {
        accepted: accepted.len() as u64,
        rejected: rejected
            .into_iter()
            .map(|r| RejectedRecord {
                record: r.record,
                message: r.reason,
            })
            .collect(),
        rejected_total,
        duplicates,
        alerts,
        held_for_reordering: held,
    }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tx_json(i: usize) -> serde_json::Value {
        serde_json::json!({"id": format!("t{i}"), "timestamp": 1_704_067_200 + i as i64,
            "amount": 10.5, "currency": "usd", "originator": {"account": "A", "bank": "DEUTDEFF"},
            "beneficiary": {"account": format!("B{i}")}})
    }

    #[test]
    fn json_bodies_take_an_object_an_array_or_a_wrapper() {
        let one = parse_body(BodyKind::Json, tx_json(0).to_string().as_bytes())
            .expect("one JSON object is a valid body");
        assert_eq!(one.len(), 1);
        let tx = one[0].as_ref().expect("a complete transaction parses");
        assert_eq!(
            (tx.currency.as_str(), tx.originator.country.as_deref()),
            ("USD", Some("DE"))
        );
        let arr = serde_json::json!([tx_json(0), tx_json(1), {"id": "x"}]);
        let recs = parse_body(BodyKind::Json, arr.to_string().as_bytes())
            .expect("an array is a valid body even with a bad element");
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[2].as_ref().unwrap_err().record, "index 2");
        let wrapped = serde_json::json!({"transactions": [tx_json(0), tx_json(1)]});
        assert_eq!(
            parse_body(BodyKind::Json, wrapped.to_string().as_bytes())
                .expect("a {\"transactions\": [...]} wrapper is a valid body")
                .len(),
            2
        );
        let bad = serde_json::json!({"transactions": 5});
        let e = parse_body(BodyKind::Json, bad.to_string().as_bytes()).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("transactions"));
        assert!(parse_body(BodyKind::Json, b"7").is_err());
    }

    #[test]
    fn content_types_pick_the_adapter_and_unknown_ones_are_415() {
        assert_eq!(
            body_kind(Some("application/json; charset=utf-8")).expect("JSON is accepted"),
            BodyKind::Json
        );
        assert_eq!(
            body_kind(Some("application/x-ndjson")).expect("NDJSON is accepted"),
            BodyKind::Ndjson
        );
        assert_eq!(
            body_kind(Some("text/xml")).expect("XML is accepted"),
            BodyKind::Xml
        );
        assert_eq!(
            body_kind(Some("text/csv")).expect("CSV is accepted"),
            BodyKind::Csv
        );
        assert_eq!(
            body_kind(None).unwrap_err().status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        assert_eq!(
            body_kind(Some("image/png")).unwrap_err().status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Any bytes, any format: records or a 400, never a panic.
        #[test]
        fn any_body_parses_or_is_refused_without_panicking(
            bytes in proptest::collection::vec(any::<u8>(), 0..600),
            kind in 0usize..4,
        ) {
            let kind = [BodyKind::Json, BodyKind::Ndjson, BodyKind::Xml, BodyKind::Csv][kind];
            if let Err(e) = parse_body(kind, &bytes) {
                prop_assert_eq!(e.status, StatusCode::BAD_REQUEST);
            }
        }

        /// Every element of a JSON array becomes exactly one record, in order.
        #[test]
        fn json_arrays_give_one_record_per_element(n in 0usize..40, bad in 0usize..40) {
            let items: Vec<serde_json::Value> = (0..n)
                .map(|i| if i == bad { serde_json::json!({"id": i}) } else { tx_json(i) })
                .collect();
            let recs = parse_body(BodyKind::Json, serde_json::to_vec(&items).expect("JSON values serialise").as_slice())
                .expect("a JSON array is a valid body");
            prop_assert_eq!(recs.len(), n);
            for (i, r) in recs.iter().enumerate() {
                match r {
                    Ok(tx) => prop_assert_eq!(tx.id.clone(), format!("t{i}")),
                    Err(rej) => {
                        prop_assert_eq!(i, bad);
                        prop_assert_eq!(rej.record.clone(), format!("index {i}"));
                    }
                }
            }
        }
    }
}
