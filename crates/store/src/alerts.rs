//! Transaction monitoring in the store: the transactions a member sent for scoring, every
//! version of the alerts the engine raised on them, and analysts' decisions on alerts.
//!
//! Why not through the group-commit writer: a scoring request writes one batch (hundreds to
//! thousands of rows) that must land atomically with its alerts, and the request already
//! runs one member's stream in order, so one database transaction per request is both simpler
//! and as fast. The transaction is committed (SQLite `synchronous=FULL`, PostgreSQL default
//! `synchronous_commit`) before any method here returns, so "answered" means "durable".
//!
//! Decisions on alerts append their audit entry inside the same database transaction, under
//! the same chain lock the writer takes (SQLite `BEGIN IMMEDIATE`, PostgreSQL advisory lock
//! `writer::AUDIT_LOCK_KEY`), so the chain stays one chain whoever appends.
//!
//! History is append-only: alerts are never updated, a later engine version of the same
//! alert is a new `revision` (1, 2, ... in the order the store received them) and the latest
//! revision is "the alert". Re-sending the same transactions or alert versions changes
//! nothing (transactions by `(member_id, tx_id)`, alert versions by content identical to a
//! stored version).

use crate::{
    AuditEntry, Backend, DecisionKind, NewAuditEntry, Principal, Result, StoreError, dispatch,
    new_id, now,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

use crate::cases::begin_chained;
use crate::writer::append_audit_row;
/// Rows per multi-row `INSERT` (9 columns × 400 = 3,600 bound parameters).
const ROWS_PER_INSERT: usize = 400;
/// Ids per `IN (...)` lookup.
const IDS_PER_QUERY: usize = 500;

/// Where an alert version came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertSource {
    /// `POST /v1/transactions`.
    Api,
    /// `raqib monitor --store`.
    Cli,
}

impl AlertSource {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertSource::Api => "api",
            AlertSource::Cli => "cli",
        }
    }
}

/// A transaction to store, as the monitoring engine accepted it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTransaction {
    pub tx_id: String,
    /// Event time, Unix seconds.
    pub timestamp: i64,
    pub orig_acct: String,
    pub bene_acct: String,
    pub amount: f64,
    pub currency: String,
    /// The canonical transaction JSON (names, banks, countries, channel).
    pub body: serde_json::Value,
}

/// One alert version to store: the engine's alert JSON and the columns the store indexes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAlert {
    pub alert_id: String,
    pub typology: String,
    /// 0-100.
    pub score: f64,
    /// `open` or `closed` (the engine's status, not the analyst's decision).
    pub status: String,
    pub key_account: String,
    pub accounts: Vec<String>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// The alert exactly as the engine wrote it.
    pub body: serde_json::Value,
}

impl NewAlert {
    /// Builds the row from the engine's alert JSON (`alert_id`, `typology`, `score`,
    /// `status`, `accounts`, `first_seen`, `last_seen`), so the store does not depend on the
    /// monitoring crate. Names the field that is missing or malformed.
    pub fn from_json(body: serde_json::Value) -> Result<NewAlert> {
        let text = |f: &'static str| -> Result<String> {
            body.get(f)
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .ok_or_else(|| StoreError::Invalid {
                    field: f,
                    reason: "missing or not text in the alert".into(),
                })
        };
        let time = |f: &'static str| -> Result<DateTime<Utc>> {
            let s = text(f)?;
            DateTime::parse_from_rfc3339(&s)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|e| StoreError::Invalid {
                    field: f,
                    reason: format!("{s:?} is not RFC 3339: {e}"),
                })
        };
        let accounts: Vec<String> = body
            .get("accounts")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let key_account = accounts.first().cloned().ok_or(StoreError::Invalid {
            field: "accounts",
            reason: "an alert needs at least its key account".into(),
        })?;
        let score = body
            .get("score")
            .and_then(|v| v.as_f64())
            .filter(|s| s.is_finite())
            .ok_or(StoreError::Invalid {
                field: "score",
                reason: "missing or not a number".into(),
            })?;
        let status = text("status")?;
        if status != "open" && status != "closed" {
            return Err(StoreError::Invalid {
                field: "status",
                reason: format!("{status:?} is not open or closed"),
            });
        }
        Ok(NewAlert {
            alert_id: text("alert_id")?,
            typology: text("typology")?,
            score,
            status,
            key_account,
            accounts,
            first_seen: time("first_seen")?,
            last_seen: time("last_seen")?,
            body,
        })
    }
}

/// What one [`crate::Store::record_monitoring`] call changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordedBatch {
    /// Transactions newly stored.
    pub transactions_stored: u64,
    /// Transactions whose id was already stored for the member (ignored, not overwritten).
    pub transactions_duplicate: u64,
    /// New alert versions stored: (alert id, store revision).
    pub alert_revisions: Vec<(String, i64)>,
    /// Alert versions identical to one already stored (ignored).
    pub alerts_unchanged: u64,
    /// The audit entry appended with the batch, if one was asked for.
    pub audit: Option<AuditEntry>,
}

/// A stored transaction, in the shape alert details show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredTransaction {
    pub tx_id: String,
    /// Event time.
    pub timestamp: DateTime<Utc>,
    pub orig_acct: String,
    pub bene_acct: String,
    pub amount: f64,
    pub currency: String,
    /// The canonical transaction JSON as stored (names, banks, countries, channel).
    #[serde(skip_serializing_if = "serde_json::Value::is_null", default)]
    pub body: serde_json::Value,
}

/// The latest stored version of an alert, with its review state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredAlert {
    pub alert_id: String,
    /// Store revision of this version (1 = first stored).
    pub revision: i64,
    /// How many versions are stored.
    pub revisions: i64,
    pub typology: String,
    pub score: f64,
    /// Engine status: `open` or `closed`.
    pub status: String,
    pub key_account: String,
    pub accounts: Vec<String>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// The alert JSON as the engine wrote it.
    pub body: serde_json::Value,
    /// `api` or `cli`.
    pub source: String,
    /// When the first version was stored.
    pub created_at: DateTime<Utc>,
    /// When this version was stored.
    pub updated_at: DateTime<Utc>,
    /// The latest analyst decision, if any.
    pub decision: Option<DecisionKind>,
}

/// Review state filter for alert listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertReview {
    /// No decision yet.
    Open,
    /// At least one decision.
    Decided,
    /// Both.
    #[default]
    All,
}

/// Order of alert listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertSort {
    /// Highest score first, then most recent.
    #[default]
    Score,
    /// Most recent pattern activity (`last_seen`) first.
    Time,
}

/// Filters of [`crate::Store::alerts`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AlertQuery {
    pub review: AlertReview,
    pub typology: Option<String>,
    /// Case-insensitive substring of the key account or the typology.
    pub q: Option<String>,
    pub sort: AlertSort,
    /// Reverse the order of `sort`.
    pub ascending: bool,
    pub limit: i64,
    pub offset: i64,
}

/// An analyst's decision on an alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertDecision {
    pub id: String,
    pub member_id: String,
    pub alert_id: String,
    pub decision: DecisionKind,
    pub comment: String,
    pub decided_by_key: String,
    pub created_at: DateTime<Utc>,
}

const ALERT_COLUMNS: &str = "a.alert_id, a.revision, a.typology, a.score, a.status, \
    a.key_account, a.accounts, a.first_seen, a.last_seen, a.body, a.source, a.created_at, \
    (SELECT COUNT(*) FROM alerts r WHERE r.member_id = a.member_id AND r.alert_id = a.alert_id) \
        AS revisions, \
    (SELECT MIN(r.created_at) FROM alerts r WHERE r.member_id = a.member_id \
        AND r.alert_id = a.alert_id) AS first_stored, \
    (SELECT d.decision FROM alert_decisions d WHERE d.member_id = a.member_id \
        AND d.alert_id = a.alert_id ORDER BY d.created_at DESC, d.id DESC LIMIT 1) AS decision";

/// Only the latest revision of each alert.
const LATEST: &str = "a.revision = (SELECT MAX(r.revision) FROM alerts r \
    WHERE r.member_id = a.member_id AND r.alert_id = a.alert_id)";

#[derive(sqlx::FromRow)]
struct AlertRow {
    alert_id: String,
    revision: i64,
    typology: String,
    score: f64,
    status: String,
    key_account: String,
    accounts: String,
    first_seen: DateTime<Utc>,
    last_seen: DateTime<Utc>,
    body: String,
    source: String,
    created_at: DateTime<Utc>,
    revisions: i64,
    first_stored: Option<DateTime<Utc>>,
    decision: Option<String>,
}

impl AlertRow {
    fn into_alert(self) -> Result<StoredAlert> {
        let corrupt = |what: &str, e: String| {
            StoreError::Corrupt(format!("alert {} {what}: {e}", self.alert_id))
        };
        let body = serde_json::from_str(&self.body).map_err(|e| corrupt("body", e.to_string()))?;
        let accounts =
            serde_json::from_str(&self.accounts).map_err(|e| corrupt("accounts", e.to_string()))?;
        let decision = match &self.decision {
            Some(d) => Some(
                DecisionKind::parse(d)
                    .ok_or_else(|| corrupt("decision", format!("unknown kind {d:?}")))?,
            ),
            None => None,
        };
        Ok(StoredAlert {
            revision: self.revision,
            revisions: self.revisions,
            typology: self.typology,
            score: self.score,
            status: self.status,
            key_account: self.key_account,
            accounts,
            first_seen: self.first_seen,
            last_seen: self.last_seen,
            body,
            source: self.source,
            created_at: self.first_stored.unwrap_or(self.created_at),
            updated_at: self.created_at,
            decision,
            alert_id: self.alert_id,
        })
    }
}

#[derive(sqlx::FromRow)]
struct TxRow {
    tx_id: String,
    timestamp: i64,
    orig_acct: String,
    bene_acct: String,
    amount: f64,
    currency: String,
    body: String,
}

impl TxRow {
    fn into_tx(self) -> Result<StoredTransaction> {
        let timestamp = DateTime::from_timestamp(self.timestamp, 0).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "transaction {} has an out-of-range timestamp {}",
                self.tx_id, self.timestamp
            ))
        })?;
        let body = serde_json::from_str(&self.body)
            .map_err(|e| StoreError::Corrupt(format!("transaction {} body: {e}", self.tx_id)))?;
        Ok(StoredTransaction {
            tx_id: self.tx_id,
            timestamp,
            orig_acct: self.orig_acct,
            bene_acct: self.bene_acct,
            amount: self.amount,
            currency: self.currency,
            body,
        })
    }
}

#[derive(sqlx::FromRow)]
struct AlertDecisionRow {
    id: String,
    member_id: String,
    alert_id: String,
    decision: String,
    comment: String,
    decided_by_key: String,
    created_at: DateTime<Utc>,
}

impl AlertDecisionRow {
    fn into_decision(self) -> Result<AlertDecision> {
        let decision = DecisionKind::parse(&self.decision).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "alert decision {} has unknown kind {:?}",
                self.id, self.decision
            ))
        })?;
        Ok(AlertDecision {
            id: self.id,
            member_id: self.member_id,
            alert_id: self.alert_id,
            decision,
            comment: self.comment,
            decided_by_key: self.decided_by_key,
            created_at: self.created_at,
        })
    }
}

impl crate::Store {
    /// Stores a batch of accepted transactions and the alert versions the engine emitted on
    /// them, plus an optional audit entry, in one database transaction that is committed
    /// before this returns. Transactions already stored for the member (same `tx_id`) and
    /// alert versions identical to a stored one are ignored, so a retried request
    /// changes nothing.
    pub async fn record_monitoring(
        &self,
        member_id: &str,
        source: AlertSource,
        txs: &[NewTransaction],
        alerts: &[NewAlert],
        audit: Option<&NewAuditEntry>,
    ) -> Result<RecordedBatch> {
        for t in txs {
            if t.tx_id.is_empty() {
                return Err(StoreError::Invalid {
                    field: "tx_id",
                    reason: "empty transaction id".into(),
                });
            }
            if !t.amount.is_finite() {
                return Err(StoreError::Invalid {
                    field: "amount",
                    reason: format!("transaction {:?}: not a finite number", t.tx_id),
                });
            }
        }
        let created = now();
        let backend = &self.inner.backend;
        let mut out = RecordedBatch::default();
        dispatch!(backend, pool => {
            let (mut tx, prev) = if audit.is_some() {
                let (tx, prev) = begin_chained!(backend, pool);
                (tx, Some(prev))
            } else if matches!(backend, Backend::Sqlite(_)) {
                (pool.begin_with("BEGIN IMMEDIATE").await?, None)
            } else {
                (pool.begin().await?, None)
            };
            for chunk in txs.chunks(ROWS_PER_INSERT) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO transactions (member_id, tx_id, timestamp, orig_acct, bene_acct, \
                     amount, currency, body, created_at) ",
                );
                q.push_values(chunk, |mut b, t| {
                    b.push_bind(member_id)
                        .push_bind(&t.tx_id)
                        .push_bind(t.timestamp)
                        .push_bind(&t.orig_acct)
                        .push_bind(&t.bene_acct)
                        .push_bind(t.amount)
                        .push_bind(&t.currency)
                        .push_bind(t.body.to_string())
                        .push_bind(created);
                });
                q.push(" ON CONFLICT (member_id, tx_id) DO NOTHING");
                let n = q.build().execute(&mut *tx).await?.rows_affected();
                out.transactions_stored += n;
                out.transactions_duplicate += chunk.len() as u64 - n.min(chunk.len() as u64);
            }
            // Per alert touched by this batch: latest stored revision and every stored body
            // (a re-run sends the open and the closed version again; neither is new).
            let mut known: HashMap<&str, (i64, Vec<serde_json::Value>)> = HashMap::new();
            for a in alerts {
                if !known.contains_key(a.alert_id.as_str()) {
                    let rows: Vec<(i64, String)> = sqlx::query_as(
                        "SELECT revision, body FROM alerts WHERE member_id = $1 AND alert_id = $2 \
                         ORDER BY revision",
                    )
                    .bind(member_id)
                    .bind(&a.alert_id)
                    .fetch_all(&mut *tx)
                    .await?;
                    let mut entry = (0, Vec::with_capacity(rows.len()));
                    for (rev, body) in rows {
                        entry.0 = entry.0.max(rev);
                        entry.1.push(serde_json::from_str(&body).map_err(|e| {
                            StoreError::Corrupt(format!("alert {} body: {e}", a.alert_id))
                        })?);
                    }
                    known.insert(a.alert_id.as_str(), entry);
                }
                let Some(entry) = known.get_mut(a.alert_id.as_str()) else {
                    continue;
                };
                if entry.1.contains(&a.body) {
                    out.alerts_unchanged += 1;
                    continue;
                }
                let revision = entry.0 + 1;
                let accounts = serde_json::to_string(&a.accounts)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                sqlx::query(
                    "INSERT INTO alerts (member_id, alert_id, revision, typology, score, status, \
                     key_account, accounts, first_seen, last_seen, body, source, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                )
                .bind(member_id)
                .bind(&a.alert_id)
                .bind(revision)
                .bind(&a.typology)
                .bind(a.score)
                .bind(&a.status)
                .bind(&a.key_account)
                .bind(accounts)
                .bind(a.first_seen)
                .bind(a.last_seen)
                .bind(a.body.to_string())
                .bind(source.as_str())
                .bind(created)
                .execute(&mut *tx)
                .await?;
                entry.0 = revision;
                entry.1.push(a.body.clone());
                out.alert_revisions.push((a.alert_id.clone(), revision));
            }
            if let (Some(audit), Some(prev)) = (audit, prev) {
                out.audit = Some(append_audit_row!(&mut *tx, prev, audit));
            }
            tx.commit().await?;
        });
        Ok(out)
    }

    /// Which of `ids` are already stored for the member (to skip re-sent transactions
    /// before they reach the engine).
    pub async fn stored_transaction_ids(
        &self,
        member_id: &str,
        ids: &[String],
    ) -> Result<HashSet<String>> {
        let mut found = HashSet::new();
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let rows: Vec<(String,)> = dispatch!(&self.inner.backend, pool => {
                let mut q = sqlx::QueryBuilder::new(
                    "SELECT tx_id FROM transactions WHERE member_id = ",
                );
                q.push_bind(member_id).push(" AND tx_id IN (");
                let mut sep = q.separated(", ");
                for id in chunk {
                    sep.push_bind(id);
                }
                sep.push_unseparated(")");
                q.build_query_as().fetch_all(pool).await?
            });
            found.extend(rows.into_iter().map(|r| r.0));
        }
        Ok(found)
    }

    /// The member's transactions with these ids, in event order (ids not stored are left out).
    pub async fn transactions_by_id(
        &self,
        member_id: &str,
        ids: &[String],
    ) -> Result<Vec<StoredTransaction>> {
        let mut rows: Vec<TxRow> = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let part: Vec<TxRow> = dispatch!(&self.inner.backend, pool => {
                let mut q = sqlx::QueryBuilder::new(
                    "SELECT tx_id, timestamp, orig_acct, bene_acct, amount, currency, body \
                     FROM transactions WHERE member_id = ",
                );
                q.push_bind(member_id).push(" AND tx_id IN (");
                let mut sep = q.separated(", ");
                for id in chunk {
                    sep.push_bind(id);
                }
                sep.push_unseparated(")");
                q.build_query_as().fetch_all(pool).await?
            });
            rows.extend(part);
        }
        rows.sort_by(|a, b| (a.timestamp, &a.tx_id).cmp(&(b.timestamp, &b.tx_id)));
        rows.into_iter().map(TxRow::into_tx).collect()
    }

    /// The member's transactions with event time at or after `since` (Unix seconds), in
    /// event order, at most `limit`: what a restarted server replays to rebuild a member's
    /// monitoring state.
    pub async fn transactions_since(
        &self,
        member_id: &str,
        since: i64,
        limit: i64,
    ) -> Result<Vec<StoredTransaction>> {
        let rows: Vec<TxRow> = dispatch!(&self.inner.backend, pool => {
            sqlx::query_as::<_, TxRow>(
                "SELECT tx_id, timestamp, orig_acct, bene_acct, amount, currency, body \
                 FROM transactions WHERE member_id = $1 AND timestamp >= $2 \
                 ORDER BY timestamp, created_at, tx_id LIMIT $3",
            )
            .bind(member_id)
            .bind(since)
            .bind(limit.max(0))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(TxRow::into_tx).collect()
    }

    /// Latest event time among the member's stored transactions.
    pub async fn latest_transaction_time(&self, member_id: &str) -> Result<Option<i64>> {
        let row: (Option<i64>,) = dispatch!(&self.inner.backend, pool => {
            sqlx::query_as("SELECT MAX(timestamp) FROM transactions WHERE member_id = $1")
                .bind(member_id)
                .fetch_one(pool)
                .await?
        });
        Ok(row.0)
    }

    /// The member's alerts (latest revision each) matching `query`, and how many match in
    /// total (for paging).
    pub async fn alerts(
        &self,
        member_id: &str,
        query: &AlertQuery,
    ) -> Result<(i64, Vec<StoredAlert>)> {
        let review = match query.review {
            AlertReview::Open => {
                " AND NOT EXISTS (SELECT 1 FROM alert_decisions d WHERE d.member_id = a.member_id \
                 AND d.alert_id = a.alert_id)"
            }
            AlertReview::Decided => {
                " AND EXISTS (SELECT 1 FROM alert_decisions d WHERE d.member_id = a.member_id \
                 AND d.alert_id = a.alert_id)"
            }
            AlertReview::All => "",
        };
        let order = match (query.sort, query.ascending) {
            (AlertSort::Score, false) => "a.score DESC, a.last_seen DESC, a.alert_id",
            (AlertSort::Score, true) => "a.score ASC, a.last_seen ASC, a.alert_id",
            (AlertSort::Time, false) => "a.last_seen DESC, a.score DESC, a.alert_id",
            (AlertSort::Time, true) => "a.last_seen ASC, a.score DESC, a.alert_id",
        };
        let filter = format!(
            "a.member_id = $1 AND {LATEST} AND ($2 IS NULL OR a.typology = $2) \
             AND ($3 IS NULL OR LOWER(a.key_account) LIKE $3 ESCAPE '!' \
             OR a.typology LIKE $3 ESCAPE '!'){review}"
        );
        // `!` as the LIKE escape: the same in both databases whatever their backslash rules.
        let like = query
            .q
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                let esc = s
                    .to_lowercase()
                    .replace('!', "!!")
                    .replace('%', "!%")
                    .replace('_', "!_");
                format!("%{esc}%")
            });
        let typology = query.typology.as_deref().filter(|t| !t.is_empty());
        let (total, rows): ((i64,), Vec<AlertRow>) = dispatch!(&self.inner.backend, pool => {
            let total = sqlx::query_as(&format!("SELECT COUNT(*) FROM alerts a WHERE {filter}"))
                .bind(member_id)
                .bind(typology)
                .bind(like.as_deref())
                .fetch_one(pool)
                .await?;
            let rows = sqlx::query_as::<_, AlertRow>(&format!(
                "SELECT {ALERT_COLUMNS} FROM alerts a WHERE {filter} ORDER BY {order} \
                 LIMIT $4 OFFSET $5"
            ))
            .bind(member_id)
            .bind(typology)
            .bind(like.as_deref())
            .bind(query.limit.clamp(1, 1000))
            .bind(query.offset.max(0))
            .fetch_all(pool)
            .await?;
            (total, rows)
        });
        let items = rows
            .into_iter()
            .map(AlertRow::into_alert)
            .collect::<Result<Vec<_>>>()?;
        Ok((total.0, items))
    }

    /// One of the member's alerts (latest revision), or `None` (also for another member's).
    pub async fn alert(&self, member_id: &str, alert_id: &str) -> Result<Option<StoredAlert>> {
        let row: Option<AlertRow> = dispatch!(&self.inner.backend, pool => {
            sqlx::query_as::<_, AlertRow>(&format!(
                "SELECT {ALERT_COLUMNS} FROM alerts a WHERE a.member_id = $1 AND a.alert_id = $2 \
                 ORDER BY a.revision DESC LIMIT 1"
            ))
            .bind(member_id)
            .bind(alert_id)
            .fetch_optional(pool)
            .await?
        });
        row.map(AlertRow::into_alert).transpose()
    }

    /// Every stored version of one of the member's alerts, oldest first.
    pub async fn alert_revisions(
        &self,
        member_id: &str,
        alert_id: &str,
    ) -> Result<Vec<StoredAlert>> {
        let rows: Vec<AlertRow> = dispatch!(&self.inner.backend, pool => {
            sqlx::query_as::<_, AlertRow>(&format!(
                "SELECT {ALERT_COLUMNS} FROM alerts a WHERE a.member_id = $1 AND a.alert_id = $2 \
                 ORDER BY a.revision"
            ))
            .bind(member_id)
            .bind(alert_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(AlertRow::into_alert).collect()
    }

    /// The transactions that make up one of the member's alerts (the `transaction_ids` of
    /// its latest version), in event order; `None` when the alert is not the member's.
    pub async fn alert_transactions(
        &self,
        member_id: &str,
        alert_id: &str,
    ) -> Result<Option<Vec<StoredTransaction>>> {
        let Some(alert) = self.alert(member_id, alert_id).await? else {
            return Ok(None);
        };
        let ids: Vec<String> = alert
            .body
            .get("transaction_ids")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        self.transactions_by_id(member_id, &ids).await.map(Some)
    }

    /// Records a decision on one of the caller's member's alerts and its `alert.decided`
    /// audit entry in one durable transaction. Another member's alert is
    /// [`StoreError::NotFound`].
    pub async fn record_alert_decision(
        &self,
        who: &Principal,
        alert_id: &str,
        kind: DecisionKind,
        comment: &str,
    ) -> Result<AlertDecision> {
        let alert =
            self.alert(&who.member_id, alert_id)
                .await?
                .ok_or_else(|| StoreError::NotFound {
                    what: "alert",
                    id: alert_id.to_string(),
                })?;
        let decision = AlertDecision {
            id: new_id("adec"),
            member_id: who.member_id.clone(),
            alert_id: alert.alert_id.clone(),
            decision: kind,
            comment: comment.to_string(),
            decided_by_key: who.key_id.clone(),
            created_at: now(),
        };
        let audit = NewAuditEntry::by(
            who,
            "alert.decided",
            "alert",
            Some(alert.alert_id.clone()),
            serde_json::json!({
                "decision_id": decision.id,
                "decision": kind.as_str(),
                "comment": comment,
                "typology": alert.typology,
                "key_account": alert.key_account,
                "score": alert.score,
                "alert_revision": alert.revision,
            }),
        );
        let backend = &self.inner.backend;
        dispatch!(backend, pool => {
            let (mut tx, prev) = begin_chained!(backend, pool);
            sqlx::query(
                "INSERT INTO alert_decisions (id, member_id, alert_id, decision, comment, \
                 decided_by_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&decision.id)
            .bind(&decision.member_id)
            .bind(&decision.alert_id)
            .bind(kind.as_str())
            .bind(&decision.comment)
            .bind(&decision.decided_by_key)
            .bind(decision.created_at)
            .execute(&mut *tx)
            .await?;
            append_audit_row!(&mut *tx, prev, &audit);
            tx.commit().await?;
        });
        Ok(decision)
    }

    /// Every decision on one of the member's alerts, oldest first.
    pub async fn alert_decisions(
        &self,
        member_id: &str,
        alert_id: &str,
    ) -> Result<Vec<AlertDecision>> {
        let rows: Vec<AlertDecisionRow> = dispatch!(&self.inner.backend, pool => {
            sqlx::query_as::<_, AlertDecisionRow>(
                "SELECT id, member_id, alert_id, decision, comment, decided_by_key, created_at \
                 FROM alert_decisions WHERE member_id = $1 AND alert_id = $2 \
                 ORDER BY created_at, id",
            )
            .bind(member_id)
            .bind(alert_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(AlertDecisionRow::into_decision)
            .collect()
    }

    /// Open alerts of the member (latest revision, no decision yet), for the dashboard.
    pub async fn open_alert_count(&self, member_id: &str) -> Result<i64> {
        let q = AlertQuery {
            review: AlertReview::Open,
            limit: 1,
            ..AlertQuery::default()
        };
        Ok(self.alerts(member_id, &q).await?.0)
    }

    /// Number of the member's stored transactions.
    pub async fn transaction_count(&self, member_id: &str) -> Result<i64> {
        let row: (i64,) = dispatch!(&self.inner.backend, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM transactions WHERE member_id = $1")
                .bind(member_id)
                .fetch_one(pool)
                .await?
        });
        Ok(row.0)
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn alert_rows_come_from_the_engine_json_and_name_bad_fields() {
        let body = serde_json::json!({
            "alert_id": "a1", "typology": "fan_in", "score": 72.0, "status": "closed",
            "accounts": ["K", "S1"], "first_seen": "2024-03-04T10:00:00Z",
            "last_seen": "2024-03-05T15:00:00Z", "transaction_ids": ["t1"]
        });
        let a = NewAlert::from_json(body.clone()).expect("valid alert");
        assert_eq!(a.key_account, "K");
        assert_eq!(a.first_seen.timestamp(), 1_709_546_400);
        let mut bad = body.clone();
        bad["status"] = "maybe".into();
        assert!(matches!(
            NewAlert::from_json(bad),
            Err(StoreError::Invalid {
                field: "status",
                ..
            })
        ));
        let mut bad = body;
        bad["accounts"] = serde_json::json!([]);
        assert!(matches!(
            NewAlert::from_json(bad),
            Err(StoreError::Invalid {
                field: "accounts",
                ..
            })
        ));
    }
}
