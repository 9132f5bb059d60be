//! In-memory view of each member's latest decision per (query subject, entity), so that
//! marking suppressed hits costs no database read on the screening path.
//!
//! Why: every screening with hits asked the database "which of these entities has this
//! member decided false positive for this subject?". That read sat on the request path of
//! every screening. Decisions are rare (people make them) and small, so the store keeps them
//! in memory instead:
//!
//! - A member's decisions are loaded in full on first use (also after a restart: nothing is
//!   trusted that was not read from the database or committed by this process).
//! - A decision recorded through this [`crate::Store`] is merged in right after its commit,
//!   before the caller is answered: a screening that starts after the decision's answer sees
//!   it.
//! - Decisions written by another process (a second server instance on the same PostgreSQL)
//!   are picked up by an incremental re-read every [`SUPPRESSION_REFRESH`], the same bound as
//!   for key revocation ([`crate::KEY_CACHE_TTL`]). The re-read overlaps the previous one by
//!   [`REFRESH_OVERLAP`] so that decisions committed late or stamped by a skewed clock are not
//!   missed.
//!
//! Merging keeps, per (subject, entity), the decision with the greatest `(created_at, id)`,
//! exactly the order the database query used, so loads and local records may arrive in any
//! order and give the same result.

use crate::{Decision, DecisionKind, Result};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How often a member's decisions are re-read from the database (see the module docs).
pub const SUPPRESSION_REFRESH: Duration = Duration::from_secs(5);
/// How far back each incremental re-read reaches before the previous one started.
const REFRESH_OVERLAP: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

#[derive(Debug, Default)]
pub(crate) struct SuppressionCache {
    members: Mutex<HashMap<String, MemberDecisions>>,
}

#[derive(Debug, Default)]
struct MemberDecisions {
    /// False until a full load from the database has been merged in.
    loaded: bool,
    /// Start of the last successful load; the next incremental read starts before it.
    watermark: Option<DateTime<Utc>>,
    refreshed: Option<Instant>,
    refreshing: bool,
    /// subject key → entity id → latest decision (of any kind).
    latest: HashMap<String, HashMap<String, Decision>>,
}

impl MemberDecisions {
    fn merge(&mut self, d: Decision) {
        let per_subject = self.latest.entry(d.subject_key.clone()).or_default();
        match per_subject.get(&d.entity_id) {
            Some(cur) if (cur.created_at, &cur.id) >= (d.created_at, &d.id) => {}
            _ => {
                per_subject.insert(d.entity_id.clone(), d);
            }
        }
    }

    fn suppressions(&self, subject_key: &str) -> HashMap<String, Decision> {
        match self.latest.get(subject_key) {
            None => HashMap::new(),
            Some(m) => m
                .iter()
                .filter(|(_, d)| d.decision == DecisionKind::FalsePositive)
                .map(|(e, d)| (e.clone(), d.clone()))
                .collect(),
        }
    }
}

/// What a lookup must do before it can answer.
enum Need {
    Full,
    Since(DateTime<Utc>),
}

impl SuppressionCache {
    /// Merges a decision committed by this process.
    pub(crate) fn record(&self, d: &Decision) {
        if let Ok(mut m) = self.members.lock() {
            m.entry(d.member_id.clone()).or_default().merge(d.clone());
        }
    }

    /// The entities `member_id` has decided false positive (latest decision) for
    /// `subject_key`. `load(since)` reads the member's decisions from the database: all of
    /// them for `None`, else those created at or after `since`.
    pub(crate) async fn suppressions<F, Fut>(
        &self,
        member_id: &str,
        subject_key: &str,
        load: F,
    ) -> Result<HashMap<String, Decision>>
    where
        F: FnOnce(Option<DateTime<Utc>>) -> Fut,
        Fut: std::future::Future<Output = Result<Vec<Decision>>>,
    {
        let need = {
            let mut members = self.members.lock().map_err(poisoned)?;
            let m = members.entry(member_id.to_string()).or_default();
            let stale = m
                .refreshed
                .is_none_or(|t| t.elapsed() >= SUPPRESSION_REFRESH);
            if !m.loaded {
                Need::Full
            } else if stale && !m.refreshing {
                m.refreshing = true;
                Need::Since(m.watermark.unwrap_or_default() - REFRESH_OVERLAP)
            } else {
                // Fresh, or another request is refreshing it: answer from memory.
                return Ok(m.suppressions(subject_key));
            }
        };
        let started = crate::now();
        let started_at = Instant::now();
        let loaded = match &need {
            Need::Full => load(None).await,
            Need::Since(t) => load(Some(*t)).await,
        };
        let mut members = self.members.lock().map_err(poisoned)?;
        let m = members.entry(member_id.to_string()).or_default();
        if matches!(need, Need::Since(_)) {
            m.refreshing = false;
        }
        for d in loaded? {
            m.merge(d);
        }
        m.loaded = true;
        if m.watermark.is_none_or(|w| w < started) {
            m.watermark = Some(started);
            m.refreshed = Some(started_at);
        }
        Ok(m.suppressions(subject_key))
    }
}

fn poisoned<T>(_: T) -> crate::StoreError {
    crate::StoreError::Corrupt("suppression cache lock poisoned".into())
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    fn decision(id: &str, subject: &str, entity: &str, kind: DecisionKind, s: i64) -> Decision {
        Decision {
            id: id.into(),
            hit_id: "hit".into(),
            member_id: "m".into(),
            subject_key: subject.into(),
            entity_id: entity.into(),
            decision: kind,
            comment: "c".into(),
            decided_by_key: "k".into(),
            created_at: DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap_or_default(),
        }
    }

    #[test]
    fn merging_keeps_the_latest_decision_whatever_the_arrival_order() {
        let fp = decision("d1", "s", "e", DecisionKind::FalsePositive, 1);
        let tm = decision("d2", "s", "e", DecisionKind::TrueMatch, 2);
        for order in [[fp.clone(), tm.clone()], [tm.clone(), fp.clone()]] {
            let mut m = MemberDecisions::default();
            for d in order {
                m.merge(d);
            }
            assert!(m.suppressions("s").is_empty());
        }
        let mut m = MemberDecisions::default();
        m.merge(fp.clone());
        assert_eq!(
            m.suppressions("s").get("e").map(|d| d.id.as_str()),
            Some("d1")
        );
        assert!(m.suppressions("other subject").is_empty());
    }

    #[tokio::test]
    async fn the_first_lookup_loads_everything_and_later_ones_use_memory() {
        let cache = SuppressionCache::default();
        let fp = decision("d1", "s", "e", DecisionKind::FalsePositive, 1);
        let got = cache
            .suppressions("m", "s", |since| {
                let fp = fp.clone();
                async move {
                    assert!(since.is_none(), "first load is a full load");
                    Ok(vec![fp])
                }
            })
            .await
            .expect("load");
        assert_eq!(got.len(), 1);
        let again = cache
            .suppressions("m", "s", |_| async { panic!("fresh cache must not read") })
            .await
            .expect("memory");
        assert_eq!(again.len(), 1);
        // A decision recorded by this process lifts the suppression at once.
        cache.record(&decision("d2", "s", "e", DecisionKind::TrueMatch, 2));
        let lifted = cache
            .suppressions("m", "s", |_| async { panic!("fresh cache must not read") })
            .await
            .expect("memory");
        assert!(lifted.is_empty());
    }

    #[tokio::test]
    async fn a_failed_load_is_an_error_and_is_retried() {
        let cache = SuppressionCache::default();
        let r = cache
            .suppressions("m", "s", |_| async {
                Err(crate::StoreError::Corrupt("down".into()))
            })
            .await;
        assert!(r.is_err());
        let ok = cache
            .suppressions("m", "s", |since| async move {
                assert!(since.is_none(), "still a full load");
                Ok(Vec::new())
            })
            .await
            .expect("retry");
        assert!(ok.is_empty());
    }
}
