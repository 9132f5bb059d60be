//! What `/v1/screen` and `/match` share: running queries against a lists snapshot, marking
//! suppressed hits, and storing every screening before the answer goes out.

use crate::error::ApiError;
use crate::{AppState, LiveLists};
use chrono::{DateTime, Utc};
use screening::{Hit, Query, ScreenError};
use serde::Serialize;
use std::sync::Arc;
use store::{Decision, NewHit, NewScreening, Principal, ScreeningContext, ScreeningPayload};
use utoipa::ToSchema;

/// Up to this many queries run inline on the async worker (a query takes well under a
/// millisecond); larger batches go to the blocking pool so they cannot stall other requests.
const INLINE_QUERIES: usize = 1;

/// Runs `queries` against one lists snapshot.
pub(crate) async fn run_queries(
    live: Arc<LiveLists>,
    queries: Vec<Query>,
) -> Result<Vec<Result<Vec<Hit>, ScreenError>>, ApiError> {
    if queries.len() <= INLINE_QUERIES {
        return Ok(queries.iter().map(|q| live.screener.screen(q)).collect());
    }
    tokio::task::spawn_blocking(move || queries.iter().map(|q| live.screener.screen(q)).collect())
        .await
        .map_err(ApiError::internal)
}

/// A stable key for "the same query subject": the member's reference plus the query's
/// name (case and spacing folded), schema, birth date, country and document. A false-positive
/// decision suppresses the entity only for this exact subject, so a different customer with
/// the same name is never suppressed.
pub(crate) fn subject_key(reference: Option<&str>, q: &Query) -> String {
    let fold = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let canon = serde_json::json!({
        "reference": reference.map(str::trim),
        "name": fold(&q.name),
        "schema": q.schema.map(|s| s.as_str()),
        "birth_date": q.birth_date.as_deref().map(str::trim),
        "country": q.country.as_deref().map(fold),
        "document": q.document.as_deref().map(fold),
    });
    store::sha256_hex(canon.to_string().as_bytes())
}

/// The decision that suppresses a hit, as shown with it.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct Suppression {
    pub decision_id: String,
    /// Always `false_positive`.
    pub decision: String,
    pub comment: String,
    /// The hit the decision was recorded on (in an earlier screening).
    pub decided_hit_id: String,
    /// Key id of the analyst who decided.
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
}

impl From<&Decision> for Suppression {
    fn from(d: &Decision) -> Self {
        Suppression {
            decision_id: d.id.clone(),
            decision: d.decision.as_str().to_string(),
            comment: d.comment.clone(),
            decided_hit_id: d.hit_id.clone(),
            decided_by: d.decided_by_key.clone(),
            decided_at: d.created_at,
        }
    }
}

/// One screened subject, ready to be answered and stored.
pub(crate) struct Outcome {
    pub screening_id: String,
    pub created_at: DateTime<Utc>,
    pub reference: Option<String>,
    pub subject_key: String,
    pub hits: Vec<ScoredHit>,
}

pub(crate) struct ScoredHit {
    pub hit_id: String,
    pub hit: Hit,
    pub suppressed: Option<Suppression>,
}

/// Gives ids to the hits and marks the ones suppressed by the member's decisions.
pub(crate) async fn outcome(
    state: &AppState,
    who: &Principal,
    reference: Option<String>,
    subject_key: String,
    hits: Vec<Hit>,
) -> Result<Outcome, ApiError> {
    let sup = if hits.is_empty() {
        Default::default()
    } else {
        state
            .store()
            .suppressions(&who.member_id, &subject_key)
            .await?
    };
    let hits = hits
        .into_iter()
        .map(|hit| ScoredHit {
            hit_id: store::new_id("hit"),
            suppressed: sup.get(&hit.entity_id).map(Suppression::from),
            hit,
        })
        .collect();
    Ok(Outcome {
        screening_id: store::new_id("scr"),
        created_at: store::now(),
        reference,
        subject_key,
        hits,
    })
}

/// Stores the screenings (request as received and results as answered, in one compressed
/// payload each; the list versions and matcher config as one shared context) and returns once
/// they are durable.
pub(crate) async fn persist(
    state: &AppState,
    who: &Principal,
    endpoint: &str,
    context: Arc<ScreeningContext>,
    items: Vec<(&Outcome, ScreeningPayload)>,
) -> Result<(), ApiError> {
    let mut rows = Vec::with_capacity(items.len());
    for (o, payload) in items {
        let matches = o.hits.iter().filter(|h| h.hit.is_match).count() as u64;
        let suppressed = o.hits.iter().filter(|h| h.suppressed.is_some()).count() as u64;
        state
            .metrics()
            .observe_screening(endpoint, o.hits.len() as u64, matches, suppressed);
        rows.push(NewScreening {
            id: o.screening_id.clone(),
            member_id: who.member_id.clone(),
            key_id: who.key_id.clone(),
            endpoint: endpoint.to_string(),
            reference: o.reference.clone(),
            subject_key: o.subject_key.clone(),
            payload,
            context: context.clone(),
            created_at: o.created_at,
            hits: o
                .hits
                .iter()
                .enumerate()
                .map(|(i, h)| NewHit {
                    id: h.hit_id.clone(),
                    entity_id: h.hit.entity_id.clone(),
                    rank: i as i64 + 1,
                    score: h.hit.score,
                    is_match: h.hit.is_match,
                    matched_name: h.hit.name.clone(),
                    caption: h.hit.caption.clone(),
                    suppressed_by: h.suppressed.as_ref().map(|s| s.decision_id.clone()),
                })
                .collect(),
        });
    }
    state.store().record_screenings(rows).await?;
    Ok(())
}

/// [`ScreeningPayload::encode`] with its failure as a 500 (the caller built both texts).
pub(crate) fn payload(request: &[u8], results: &[u8]) -> Result<ScreeningPayload, ApiError> {
    ScreeningPayload::encode(request, results).map_err(ApiError::internal)
}
