//! Cases, the review queue, dashboard counts and the member-scoped audit read.
//!
//! A case groups a member's hits and alerts about one subject. Nothing about a case is ever
//! updated: its title and subject are fixed at creation, and its status, assignee, items and
//! notes are appended events (`case_events`, `case_items`, `case_notes`; database triggers
//! refuse `UPDATE`/`DELETE`). The current status and assignee are the latest events.
//!
//! Every change is one transaction that also appends its audit entry to the hash chain, so a
//! change and its audit entry are durable together or not at all. These transactions take
//! the same chain lock as the store's writer task (SQLite `BEGIN IMMEDIATE`, the PostgreSQL
//! advisory lock `writer::AUDIT_LOCK_KEY`), so the chain stays one chain.

use crate::writer::append_audit_row;
use crate::{AuditEntry, NewAuditEntry, Principal, Result, Store, StoreError, dispatch};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Longest case title, subject and assignee.
const MAX_SHORT: usize = 300;
/// Longest note or status comment.
const MAX_TEXT: usize = 20_000;
/// Most items given at case creation.
const MAX_ITEMS: usize = 500;

/// Opens a write transaction on `$pool` that holds the audit-chain lock and evaluates to
/// `(transaction, hash of the chain head)`. A macro so that it works for either backend.
macro_rules! begin_chained {
    ($backend:expr, $pool:ident) => {{
        let mut tx = if matches!($backend, $crate::Backend::Sqlite(_)) {
            // IMMEDIATE takes the write lock up front, so reading the chain head and
            // appending cannot interleave with another writer.
            $pool.begin_with("BEGIN IMMEDIATE").await?
        } else {
            $pool.begin().await?
        };
        if matches!($backend, $crate::Backend::Postgres(_)) {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind($crate::writer::AUDIT_LOCK_KEY)
                .execute(&mut *tx)
                .await?;
        }
        let head: Option<(String,)> =
            sqlx::query_as("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?;
        let prev = head
            .map(|h| h.0)
            .unwrap_or_else(|| $crate::GENESIS_HASH.to_string());
        (tx, prev)
    }};
}
pub(crate) use begin_chained;

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    Escalated,
    Closed,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Escalated => "escalated",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<CaseStatus> {
        match s.trim() {
            "open" => Some(CaseStatus::Open),
            "escalated" => Some(CaseStatus::Escalated),
            "closed" => Some(CaseStatus::Closed),
            _ => None,
        }
    }
}

/// What a case item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A stored screening hit (`hit_…`).
    Hit,
    /// A monitoring alert (its `alert_id`).
    Alert,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Hit => "hit",
            ItemKind::Alert => "alert",
        }
    }

    pub fn parse(s: &str) -> Option<ItemKind> {
        match s.trim() {
            "hit" => Some(ItemKind::Hit),
            "alert" => Some(ItemKind::Alert),
            _ => None,
        }
    }
}

/// A case as listed: its fixed fields and its current state (from the latest events).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: String,
    pub member_id: String,
    pub title: String,
    pub subject: String,
    pub status: CaseStatus,
    pub assignee: Option<String>,
    pub items: i64,
    /// Key id that created the case.
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// Time of the latest event.
    pub updated_at: DateTime<Utc>,
}

/// One event in a case's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseEvent {
    pub id: String,
    /// Position in the case's history, from 1.
    pub seq: i64,
    /// `status`, `assignee`, `item_added` or `note`.
    pub kind: String,
    pub value: String,
    /// The rest: comment, previous value, the note text.
    pub detail: serde_json::Value,
    /// Key id of who did it, and that key's label.
    pub actor: String,
    pub actor_label: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl CaseEvent {
    /// The audit action this event was recorded under (`case.created`, `case.status_changed`…).
    pub fn action(&self) -> &'static str {
        match self.kind.as_str() {
            "status" if self.detail.get("created").is_some() => "case.created",
            "status" => "case.status_changed",
            "assignee" => "case.assigned",
            "item_added" => "case.item_added",
            _ => "case.note_added",
        }
    }
}

/// A hit or alert in a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseItem {
    pub kind: ItemKind,
    pub item_id: String,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

/// An analyst's note on a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseNote {
    pub id: String,
    pub author: String,
    pub author_label: Option<String>,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

/// A case with everything in it, history oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub case: CaseSummary,
    pub items: Vec<CaseItem>,
    pub notes: Vec<CaseNote>,
    pub events: Vec<CaseEvent>,
}

/// A case to open.
#[derive(Debug, Clone, Default)]
pub struct NewCase {
    pub title: String,
    pub subject: String,
    pub assignee: Option<String>,
    pub items: Vec<(ItemKind, String)>,
}

/// One change to a case.
#[derive(Debug, Clone)]
pub enum CaseChange {
    AddItem(ItemKind, String),
    AddNote(String),
    Status {
        status: CaseStatus,
        comment: Option<String>,
    },
    /// `None` (or an empty name) unassigns.
    Assign(Option<String>),
}

/// Which cases to list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub status: Option<CaseStatus>,
    pub assignee: Option<String>,
    /// Substring of title or subject, case-insensitive.
    pub q: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// Filter and order of the review queue.
#[derive(Debug, Clone)]
pub struct QueueFilter {
    /// `None` = hits and alerts.
    pub kind: Option<ItemKind>,
    /// `Some(true)` only open, `Some(false)` only decided, `None` both.
    pub open: Option<bool>,
    /// Sort by score (else by time).
    pub by_score: bool,
    pub descending: bool,
    /// Substring of subject or title, case-insensitive.
    pub q: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// One row of the review queue: a hit or the latest revision of an alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct QueueItem {
    /// `hit` or `alert`.
    pub kind: String,
    pub id: String,
    /// Hit: the screened name. Alert: the key account.
    pub subject: String,
    /// Hit: the entity's caption. Alert: the typology.
    pub title: String,
    /// In [0, 1] (alerts: score / 100).
    pub score: f64,
    pub created_at: DateTime<Utc>,
    /// `open` or the latest decision.
    pub status: String,
    pub entity_id: Option<String>,
    pub typology: Option<String>,
    /// Hit: the member's reference of the screened customer or payment.
    pub reference: Option<String>,
    /// Hit: the screening it came from.
    pub screening_id: Option<String>,
    #[sqlx(skip)]
    pub case_ids: Vec<String>,
}

/// Counts for the dashboard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardCounts {
    pub open_hits: i64,
    pub open_alerts: i64,
    pub cases_open: i64,
    pub cases_escalated: i64,
    pub cases_closed: i64,
    pub screenings_today: i64,
}

/// An audit entry with the label of the key that acted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelledAuditEntry {
    pub entry: AuditEntry,
    pub actor_label: Option<String>,
}

/// Which audit entries to read.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub after: i64,
    pub before: Option<i64>,
    /// Exact action (`case.created`), or a prefix ending in `.` or `*` (`case.`, `session*`).
    pub action: Option<String>,
    pub newest_first: bool,
    pub limit: i64,
}

/// Most queue candidates searched by `q` (newest or best first, as sorted).
pub const QUEUE_SEARCH_CAP: i64 = 20_000;

/// Screened names by screening id, held by the `Store`: screenings never change, so an entry
/// never goes stale; the map is cleared when it passes 200,000 entries.
pub(crate) type SubjectCache = std::sync::Mutex<HashMap<String, String>>;

/// The screened name: `query.name` of a `/v1/screen` answer, else the request's `name`, else
/// the first name of a `/match` example.
fn subject_of(request: &serde_json::Value, results: &serde_json::Value) -> Option<String> {
    [
        results.pointer("/query/name"),
        request.pointer("/name"),
        request.pointer("/example/properties/name/0"),
        results.pointer("/query/properties/name/0"),
    ]
    .into_iter()
    .flatten()
    .find_map(|v| v.as_str().map(str::to_string))
}

#[derive(sqlx::FromRow)]
struct SubjectRow {
    id: String,
    request: sqlx::types::Json<serde_json::Value>,
    results: sqlx::types::Json<serde_json::Value>,
    encoding: Option<String>,
    payload: Option<Vec<u8>>,
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    id: String,
    member_id: String,
    title: String,
    subject: String,
    created_by: String,
    created_at: DateTime<Utc>,
    status: Option<String>,
    assignee: Option<String>,
    items: i64,
    updated_at: Option<DateTime<Utc>>,
}

impl CaseRow {
    fn into_summary(self) -> Result<CaseSummary> {
        let status = self
            .status
            .as_deref()
            .and_then(CaseStatus::parse)
            .ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "case {} has no valid status event ({:?})",
                    self.id, self.status
                ))
            })?;
        Ok(CaseSummary {
            id: self.id,
            member_id: self.member_id,
            title: self.title,
            subject: self.subject,
            status,
            assignee: self.assignee.filter(|a| !a.is_empty()),
            items: self.items,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at.unwrap_or(self.created_at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: String,
    seq: i64,
    kind: String,
    value: String,
    detail: String,
    actor: String,
    actor_label: Option<String>,
    created_at: DateTime<Utc>,
}

/// id, author, author's key label, text, created_at.
type NoteRow = (String, String, Option<String>, String, DateTime<Utc>);

#[derive(sqlx::FromRow)]
struct ItemRow {
    item_kind: String,
    item_id: String,
    added_by: String,
    added_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    seq: i64,
    at: DateTime<Utc>,
    member_id: Option<String>,
    actor: String,
    action: String,
    object_type: Option<String>,
    object_id: Option<String>,
    detail: String,
    prev_hash: String,
    hash: String,
    actor_label: Option<String>,
}

/// The case columns plus current state; `$1` is the member.
const CASE_SELECT: &str = "SELECT c.id, c.member_id, c.title, c.subject, c.created_by, c.created_at, \
    (SELECT e.value FROM case_events e WHERE e.case_id = c.id AND e.kind = 'status' \
     ORDER BY e.seq DESC LIMIT 1) AS status, \
    (SELECT e.value FROM case_events e WHERE e.case_id = c.id AND e.kind = 'assignee' \
     ORDER BY e.seq DESC LIMIT 1) AS assignee, \
    (SELECT COUNT(*) FROM case_items i WHERE i.case_id = c.id) AS items, \
    (SELECT MAX(e.created_at) FROM case_events e WHERE e.case_id = c.id) AS updated_at \
    FROM cases c WHERE c.member_id = $1";

fn check_text(field: &'static str, s: &str, max: usize, required: bool) -> Result<String> {
    let t = s.trim();
    if required && t.is_empty() {
        return Err(StoreError::Invalid {
            field,
            reason: "must not be empty".into(),
        });
    }
    if t.chars().count() > max {
        return Err(StoreError::Invalid {
            field,
            reason: format!("longer than {max} characters"),
        });
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(StoreError::Invalid {
            field,
            reason: "contains control characters".into(),
        });
    }
    Ok(t.to_string())
}

/// `%…%` LIKE pattern of a lower-cased substring, with `\` escaping the wildcards.
fn like_pattern(q: &str) -> String {
    let mut p = String::with_capacity(q.len() + 2);
    p.push('%');
    for c in q.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// Inserts one case event inside an open transaction.
macro_rules! insert_event {
    ($tx:ident, $case_id:expr, $member:expr, $seq:expr, $kind:expr, $value:expr, $detail:expr, $actor:expr, $at:expr) => {{
        sqlx::query(
            "INSERT INTO case_events (id, case_id, member_id, seq, kind, value, detail, actor, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind($crate::new_id("cev"))
        .bind($case_id)
        .bind($member)
        .bind($seq)
        .bind($kind)
        .bind($value)
        .bind(serde_json::Value::to_string(&$detail))
        .bind($actor)
        .bind($at)
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Checks inside an open transaction that the member owns the hit or alert; `NotFound`
/// otherwise (another member's item is indistinguishable from a missing one).
macro_rules! check_item {
    ($tx:ident, $member:expr, $kind:expr, $id:expr) => {{
        let kind: $crate::cases::ItemKind = $kind;
        let id: &str = $id;
        let sql = match kind {
            $crate::cases::ItemKind::Hit => "SELECT 1 FROM hits WHERE id = $1 AND member_id = $2",
            $crate::cases::ItemKind::Alert => {
                "SELECT 1 FROM alerts WHERE alert_id = $1 AND member_id = $2 LIMIT 1"
            }
        };
        let found: Option<(i32,)> = sqlx::query_as(sql)
            .bind(id)
            .bind($member)
            .fetch_optional(&mut *$tx)
            .await?;
        if found.is_none() {
            return Err(StoreError::NotFound {
                what: kind.as_str(),
                id: id.to_string(),
            });
        }
    }};
}

impl Store {
    /// Opens a case for `who`'s member: the case row, its first status (`open`), the
    /// assignee, the items (each must be the member's own hit or alert) and the
    /// `case.created` audit entry, in one transaction.
    pub async fn create_case(&self, who: &Principal, new: NewCase) -> Result<CaseDetail> {
        let title = check_text("title", &new.title, MAX_SHORT, true)?;
        let subject = check_text("subject", &new.subject, MAX_SHORT, true)?;
        let assignee = match &new.assignee {
            Some(a) => Some(check_text("assignee", a, MAX_SHORT, false)?).filter(|a| !a.is_empty()),
            None => None,
        };
        if new.items.len() > MAX_ITEMS {
            return Err(StoreError::Invalid {
                field: "items",
                reason: format!("at most {MAX_ITEMS} items when opening a case"),
            });
        }
        let mut items: Vec<(ItemKind, String)> = Vec::new();
        for (k, id) in &new.items {
            let id = id.trim().to_string();
            if id.is_empty() {
                return Err(StoreError::Invalid {
                    field: "items",
                    reason: "an item id is empty".into(),
                });
            }
            if !items.iter().any(|(k2, id2)| k2 == k && *id2 == id) {
                items.push((*k, id));
            }
        }
        let id = crate::new_id("case");
        let at = crate::now();
        let member = who.member_id.clone();
        let backend = &self.inner.backend;
        dispatch!(backend, pool => {
            let (mut tx, prev) = begin_chained!(backend, pool);
            for (k, item) in &items {
                check_item!(tx, &member, *k, item);
            }
            sqlx::query(
                "INSERT INTO cases (id, member_id, title, subject, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&id)
            .bind(&member)
            .bind(&title)
            .bind(&subject)
            .bind(&who.key_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let mut seq = 1i64;
            insert_event!(tx, &id, &member, seq, "status", "open",
                serde_json::json!({"created": true, "title": title, "subject": subject}),
                &who.key_id, at);
            if let Some(a) = &assignee {
                seq += 1;
                insert_event!(tx, &id, &member, seq, "assignee", a,
                    serde_json::json!({"assignee": a, "from": null}), &who.key_id, at);
            }
            for (k, item) in &items {
                seq += 1;
                sqlx::query(
                    "INSERT INTO case_items (case_id, member_id, item_kind, item_id, added_by, \
                     added_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&id)
                .bind(&member)
                .bind(k.as_str())
                .bind(item)
                .bind(&who.key_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                insert_event!(tx, &id, &member, seq, "item_added",
                    format!("{}:{}", k.as_str(), item),
                    serde_json::json!({"kind": k.as_str(), "id": item}), &who.key_id, at);
            }
            append_audit_row!(&mut *tx, prev.clone(), &NewAuditEntry {
                member_id: Some(member.clone()),
                actor: who.key_id.clone(),
                action: "case.created".into(),
                object_type: Some("case".into()),
                object_id: Some(id.clone()),
                detail: serde_json::json!({
                    "title": title,
                    "subject": subject,
                    "assignee": assignee,
                    "items": items.iter().map(|(k, i)| serde_json::json!({"kind": k.as_str(), "id": i})).collect::<Vec<_>>(),
                }),
            });
            tx.commit().await?;
        });
        self.case(&who.member_id, &id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("case {id} vanished after commit")))
    }

    /// Applies one change to one of `who`'s member's cases, with its audit entry, in one
    /// transaction; returns the case as it now stands. Another member's case is `NotFound`.
    pub async fn change_case(
        &self,
        who: &Principal,
        case_id: &str,
        change: CaseChange,
    ) -> Result<CaseDetail> {
        let member = who.member_id.clone();
        let at = crate::now();
        let backend = &self.inner.backend;
        dispatch!(backend, pool => {
            let (mut tx, prev) = begin_chained!(backend, pool);
            let exists: Option<(String,)> =
                sqlx::query_as("SELECT id FROM cases WHERE id = $1 AND member_id = $2")
                    .bind(case_id)
                    .bind(&member)
                    .fetch_optional(&mut *tx)
                    .await?;
            if exists.is_none() {
                return Err(StoreError::NotFound { what: "case", id: case_id.to_string() });
            }
            let (last,): (Option<i64>,) =
                sqlx::query_as("SELECT MAX(seq) FROM case_events WHERE case_id = $1")
                    .bind(case_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let seq = last.unwrap_or(0) + 1;
            let latest = |kind: &'static str| {
                sqlx::query_as::<_, (String,)>(
                    "SELECT value FROM case_events WHERE case_id = $1 AND kind = $2 \
                     ORDER BY seq DESC LIMIT 1",
                )
                .bind(case_id)
                .bind(kind)
            };
            let (action, detail) = match change {
                CaseChange::AddItem(kind, item_id) => {
                    let item_id = item_id.trim().to_string();
                    check_item!(tx, &member, kind, &item_id);
                    let dup: Option<(i32,)> = sqlx::query_as(
                        "SELECT 1 FROM case_items WHERE case_id = $1 AND item_kind = $2 AND item_id = $3",
                    )
                    .bind(case_id)
                    .bind(kind.as_str())
                    .bind(&item_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if dup.is_some() {
                        return Err(StoreError::Invalid {
                            field: "id",
                            reason: format!("{} {item_id:?} is already in this case", kind.as_str()),
                        });
                    }
                    sqlx::query(
                        "INSERT INTO case_items (case_id, member_id, item_kind, item_id, \
                         added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(case_id)
                    .bind(&member)
                    .bind(kind.as_str())
                    .bind(&item_id)
                    .bind(&who.key_id)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                    let detail = serde_json::json!({"kind": kind.as_str(), "id": item_id});
                    insert_event!(tx, case_id, &member, seq, "item_added",
                        format!("{}:{}", kind.as_str(), item_id), detail, &who.key_id, at);
                    ("case.item_added", detail)
                }
                CaseChange::AddNote(text) => {
                    let text = check_text("text", &text, MAX_TEXT, true)?;
                    let note_id = crate::new_id("note");
                    sqlx::query(
                        "INSERT INTO case_notes (id, case_id, member_id, author, text, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(&note_id)
                    .bind(case_id)
                    .bind(&member)
                    .bind(&who.key_id)
                    .bind(&text)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                    let detail = serde_json::json!({"note_id": note_id, "text": text});
                    insert_event!(tx, case_id, &member, seq, "note", &note_id, detail,
                        &who.key_id, at);
                    ("case.note_added", detail)
                }
                CaseChange::Status { status, comment } => {
                    let comment = match comment {
                        Some(c) => Some(check_text("comment", &c, MAX_TEXT, false)?)
                            .filter(|c| !c.is_empty()),
                        None => None,
                    };
                    let from = latest("status").fetch_optional(&mut *tx).await?.map(|r| r.0);
                    if from.as_deref() == Some(status.as_str()) {
                        return Err(StoreError::Invalid {
                            field: "status",
                            reason: format!("the case is already {}", status.as_str()),
                        });
                    }
                    let detail = serde_json::json!({"status": status.as_str(), "from": from, "comment": comment});
                    insert_event!(tx, case_id, &member, seq, "status", status.as_str(), detail,
                        &who.key_id, at);
                    ("case.status_changed", detail)
                }
                CaseChange::Assign(assignee) => {
                    let assignee = match assignee {
                        Some(a) => check_text("assignee", &a, MAX_SHORT, false)?,
                        None => String::new(),
                    };
                    let from = latest("assignee")
                        .fetch_optional(&mut *tx)
                        .await?
                        .map(|r| r.0)
                        .unwrap_or_default();
                    if from == assignee {
                        return Err(StoreError::Invalid {
                            field: "assignee",
                            reason: if assignee.is_empty() {
                                "the case is not assigned".to_string()
                            } else {
                                format!("the case is already assigned to {assignee:?}")
                            },
                        });
                    }
                    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
                    let detail = serde_json::json!({"assignee": opt(&assignee), "from": opt(&from)});
                    insert_event!(tx, case_id, &member, seq, "assignee", &assignee, detail,
                        &who.key_id, at);
                    ("case.assigned", detail)
                }
            };
            append_audit_row!(&mut *tx, prev.clone(), &NewAuditEntry {
                member_id: Some(member.clone()),
                actor: who.key_id.clone(),
                action: action.into(),
                object_type: Some("case".into()),
                object_id: Some(case_id.to_string()),
                detail,
            });
            tx.commit().await?;
        });
        self.case(&who.member_id, case_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("case {case_id} vanished after commit")))
    }

    /// One of the member's cases with its items, notes and history; `None` when missing or
    /// another member's.
    pub async fn case(&self, member_id: &str, case_id: &str) -> Result<Option<CaseDetail>> {
        let backend = &self.inner.backend;
        let (row, items, notes, events) = dispatch!(backend, pool => {
            let row: Option<CaseRow> = sqlx::query_as(&format!("{CASE_SELECT} AND c.id = $2"))
                .bind(member_id)
                .bind(case_id)
                .fetch_optional(pool)
                .await?;
            if row.is_none() {
                return Ok(None);
            }
            let items: Vec<ItemRow> = sqlx::query_as(
                "SELECT item_kind, item_id, added_by, added_at FROM case_items \
                 WHERE case_id = $1 AND member_id = $2 ORDER BY added_at, item_kind, item_id",
            )
            .bind(case_id)
            .bind(member_id)
            .fetch_all(pool)
            .await?;
            let notes: Vec<NoteRow> = sqlx::query_as(
                "SELECT n.id, n.author, k.label, n.text, n.created_at FROM case_notes n \
                 LEFT JOIN api_keys k ON k.id = n.author \
                 WHERE n.case_id = $1 AND n.member_id = $2 ORDER BY n.created_at, n.id",
            )
            .bind(case_id)
            .bind(member_id)
            .fetch_all(pool)
            .await?;
            let events: Vec<EventRow> = sqlx::query_as(
                "SELECT e.id, e.seq, e.kind, e.value, e.detail, e.actor, k.label AS actor_label, \
                        e.created_at FROM case_events e LEFT JOIN api_keys k ON k.id = e.actor \
                 WHERE e.case_id = $1 AND e.member_id = $2 ORDER BY e.seq",
            )
            .bind(case_id)
            .bind(member_id)
            .fetch_all(pool)
            .await?;
            (row, items, notes, events)
        });
        let Some(row) = row else { return Ok(None) };
        let items = items
            .into_iter()
            .map(|r| {
                Ok(CaseItem {
                    kind: ItemKind::parse(&r.item_kind).ok_or_else(|| {
                        StoreError::Corrupt(format!("case item kind {:?}", r.item_kind))
                    })?,
                    item_id: r.item_id,
                    added_by: r.added_by,
                    added_at: r.added_at,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let notes = notes
            .into_iter()
            .map(|(id, author, author_label, text, created_at)| CaseNote {
                id,
                author,
                author_label,
                text,
                created_at,
            })
            .collect();
        let events = events
            .into_iter()
            .map(|e| CaseEvent {
                detail: serde_json::from_str(&e.detail)
                    .unwrap_or(serde_json::Value::String(e.detail)),
                id: e.id,
                seq: e.seq,
                kind: e.kind,
                value: e.value,
                actor: e.actor,
                actor_label: e.actor_label,
                created_at: e.created_at,
            })
            .collect();
        Ok(Some(CaseDetail {
            case: row.into_summary()?,
            items,
            notes,
            events,
        }))
    }

    /// The member's cases matching `filter`, most recently changed first, and how many match
    /// in all.
    pub async fn cases(
        &self,
        member_id: &str,
        filter: &CaseFilter,
    ) -> Result<(i64, Vec<CaseSummary>)> {
        let status = filter.status.map(|s| s.as_str());
        let assignee = filter.assignee.as_deref().map(str::trim);
        let q = filter
            .q
            .as_deref()
            .filter(|q| !q.trim().is_empty())
            .map(like_pattern);
        let filt = "WHERE ($2 IS NULL OR x.status = $2) AND ($3 IS NULL OR x.assignee = $3) \
                    AND ($4 IS NULL OR LOWER(x.title) LIKE $4 ESCAPE '\\' \
                         OR LOWER(x.subject) LIKE $4 ESCAPE '\\')";
        let (total, rows) = dispatch!(&self.inner.backend, pool => {
            let (total,): (i64,) =
                sqlx::query_as(&format!("SELECT COUNT(*) FROM ({CASE_SELECT}) x {filt}"))
                    .bind(member_id)
                    .bind(status)
                    .bind(assignee)
                    .bind(&q)
                    .fetch_one(pool)
                    .await?;
            let rows: Vec<CaseRow> = sqlx::query_as(&format!(
                "SELECT * FROM ({CASE_SELECT}) x {filt} \
                 ORDER BY x.updated_at DESC, x.id DESC LIMIT $5 OFFSET $6"
            ))
            .bind(member_id)
            .bind(status)
            .bind(assignee)
            .bind(&q)
            .bind(filter.limit.clamp(1, 1000))
            .bind(filter.offset.max(0))
            .fetch_all(pool)
            .await?;
            (total, rows)
        });
        let rows = rows
            .into_iter()
            .map(CaseRow::into_summary)
            .collect::<Result<Vec<_>>>()?;
        Ok((total, rows))
    }

    /// For each of the member's `ids` of one kind, the cases it is in (oldest first).
    pub async fn cases_for_items(
        &self,
        member_id: &str,
        kind: ItemKind,
        ids: &[String],
    ) -> Result<HashMap<String, Vec<String>>> {
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        for chunk in ids.chunks(500) {
            let rows: Vec<(String, String)> = dispatch!(&self.inner.backend, pool => {
                let mut qb = sqlx::QueryBuilder::new(
                    "SELECT item_id, case_id FROM case_items WHERE member_id = ",
                );
                qb.push_bind(member_id);
                qb.push(" AND item_kind = ");
                qb.push_bind(kind.as_str());
                qb.push(" AND item_id IN (");
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(id);
                }
                qb.push(") ORDER BY added_at, case_id");
                qb.build_query_as::<(String, String)>().fetch_all(pool).await?
            });
            for (item, case) in rows {
                out.entry(item).or_default().push(case);
            }
        }
        Ok(out)
    }

    /// The review queue: the member's matching hits (`is_match`) and the latest revision of
    /// each of its alerts, filtered, sorted and paged together; and how many match in all.
    /// Alerts are read from the monitoring tables (`alerts`, `alert_decisions`).
    ///
    /// A hit's subject (the screened name) lives in the screening's compressed payload, not in
    /// a column, so it is filled in here after the SQL query: for the page only, or, when `q`
    /// searches subjects, for every candidate (at most [`QUEUE_SEARCH_CAP`], newest first).
    /// Decoded subjects are cached: screenings never change.
    pub async fn queue(&self, member_id: &str, f: &QueueFilter) -> Result<(i64, Vec<QueueItem>)> {
        let hits = "SELECT 'hit' AS kind, h.id AS id, '' AS subject, \
               h.caption AS title, h.score AS score, h.created_at AS created_at, \
               COALESCE((SELECT d.decision FROM decisions d WHERE d.hit_id = h.id \
                   AND d.member_id = h.member_id ORDER BY d.created_at DESC, d.id DESC LIMIT 1), \
                 CASE WHEN h.suppressed_by IS NULL THEN 'open' ELSE 'false_positive' END) AS status, \
               h.entity_id AS entity_id, CAST(NULL AS TEXT) AS typology, s.reference AS reference, \
               h.screening_id AS screening_id \
             FROM hits h JOIN screenings s ON s.id = h.screening_id \
             WHERE h.member_id = $1 AND h.is_match = $2";
        // `$2` (true) is referenced by both branches so that either alone binds the same
        // parameters.
        let alerts = "SELECT 'alert' AS kind, a.alert_id AS id, a.key_account AS subject, \
               a.typology AS title, CAST(a.score AS DOUBLE PRECISION) / 100.0 AS score, \
               a.created_at AS created_at, \
               COALESCE((SELECT ad.decision FROM alert_decisions ad WHERE ad.member_id = a.member_id \
                   AND ad.alert_id = a.alert_id ORDER BY ad.created_at DESC, ad.id DESC LIMIT 1), \
                 'open') AS status, \
               CAST(NULL AS TEXT) AS entity_id, a.typology AS typology, \
               CAST(NULL AS TEXT) AS reference, CAST(NULL AS TEXT) AS screening_id \
             FROM alerts a WHERE a.member_id = $1 AND $2 AND a.revision = \
               (SELECT MAX(a2.revision) FROM alerts a2 WHERE a2.member_id = a.member_id \
                AND a2.alert_id = a.alert_id)";
        let union = match f.kind {
            Some(ItemKind::Hit) => hits.to_string(),
            Some(ItemKind::Alert) => alerts.to_string(),
            None => format!("{hits} UNION ALL {alerts}"),
        };
        let filt = match f.open {
            Some(true) => "WHERE x.status = 'open'",
            Some(false) => "WHERE x.status <> 'open'",
            None => "",
        };
        let dir = if f.descending { "DESC" } else { "ASC" };
        let order = if f.by_score {
            format!("x.score {dir}, x.created_at {dir}, x.id {dir}")
        } else {
            format!("x.created_at {dir}, x.score {dir}, x.id {dir}")
        };
        let q =
            f.q.as_deref()
                .map(|q| q.trim().to_lowercase())
                .filter(|q| !q.is_empty());
        let (limit, offset) = match q {
            // Search: every candidate, filtered below.
            Some(_) => (QUEUE_SEARCH_CAP, 0),
            None => (f.limit.clamp(1, 500), f.offset.max(0)),
        };
        let select = format!(
            "SELECT x.kind, x.id, x.subject, x.title, x.score, x.created_at, x.status, \
                    x.entity_id, x.typology, x.reference, x.screening_id \
             FROM ({union}) x {filt} ORDER BY {order} LIMIT $3 OFFSET $4"
        );
        let (mut total, mut items) = dispatch!(&self.inner.backend, pool => {
            let total: i64 = if q.is_none() {
                let (n,): (i64,) =
                    sqlx::query_as(&format!("SELECT COUNT(*) FROM ({union}) x {filt}"))
                        .bind(member_id)
                        .bind(true)
                        .fetch_one(pool)
                        .await?;
                n
            } else {
                0
            };
            let items: Vec<QueueItem> = sqlx::query_as(&select)
                .bind(member_id)
                .bind(true)
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await?;
            (total, items)
        });
        let screening_ids: Vec<String> = items
            .iter()
            .filter_map(|i| i.screening_id.clone())
            .collect();
        let subjects = self.screening_subjects(member_id, &screening_ids).await?;
        for i in items.iter_mut() {
            if let Some(s) = i.screening_id.as_ref().and_then(|s| subjects.get(s)) {
                i.subject = s.clone();
            }
        }
        if let Some(q) = &q {
            items.retain(|i| {
                i.subject.to_lowercase().contains(q.as_str())
                    || i.title.to_lowercase().contains(q.as_str())
            });
            total = items.len() as i64;
            let start = (f.offset.max(0) as usize).min(items.len());
            let end = start
                .saturating_add(f.limit.clamp(1, 500) as usize)
                .min(items.len());
            items = items.drain(start..end).collect();
        }
        for kind in [ItemKind::Hit, ItemKind::Alert] {
            let ids: Vec<String> = items
                .iter()
                .filter(|i| i.kind == kind.as_str())
                .map(|i| i.id.clone())
                .collect();
            let map = self.cases_for_items(member_id, kind, &ids).await?;
            for i in items.iter_mut().filter(|i| i.kind == kind.as_str()) {
                i.case_ids = map.get(&i.id).cloned().unwrap_or_default();
            }
        }
        Ok((total, items))
    }

    /// The screened name of each of the member's screenings in `ids` (from the stored request
    /// and answer), cached per screening id.
    pub async fn screening_subjects(
        &self,
        member_id: &str,
        ids: &[String],
    ) -> Result<HashMap<String, String>> {
        let mut out = HashMap::new();
        let mut missing: Vec<String> = Vec::new();
        if let Ok(cache) = self.inner.subjects.lock() {
            for id in ids {
                match cache.get(id) {
                    Some(s) => {
                        out.insert(id.clone(), s.clone());
                    }
                    None if !missing.contains(id) => missing.push(id.clone()),
                    None => {}
                }
            }
        } else {
            missing = ids.to_vec();
        }
        for chunk in missing.chunks(500) {
            let rows: Vec<SubjectRow> = dispatch!(&self.inner.backend, pool => {
                let mut qb = sqlx::QueryBuilder::new(
                    "SELECT id, request, results, encoding, payload FROM screenings WHERE member_id = ",
                );
                qb.push_bind(member_id);
                qb.push(" AND id IN (");
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(id);
                }
                qb.push(")");
                qb.build_query_as::<SubjectRow>().fetch_all(pool).await?
            });
            let mut found = Vec::with_capacity(rows.len());
            for r in rows {
                let (request, results) = match (r.encoding.as_deref(), r.payload) {
                    (Some(_), Some(p)) => match crate::ScreeningPayload::from_stored(p).decode() {
                        Ok(v) => v,
                        Err(e) => {
                            tracing::warn!(screening = %r.id, error = %e, "unreadable screening payload");
                            continue;
                        }
                    },
                    _ => (r.request.0, r.results.0),
                };
                if let Some(s) = subject_of(&request, &results) {
                    found.push((r.id, s));
                }
            }
            if let Ok(mut cache) = self.inner.subjects.lock() {
                if cache.len() + found.len() > 200_000 {
                    cache.clear();
                }
                for (id, s) in &found {
                    cache.insert(id.clone(), s.clone());
                }
            }
            out.extend(found);
        }
        Ok(out)
    }

    /// Counts for the member's dashboard. `day_start` bounds "screenings today".
    pub async fn dashboard_counts(
        &self,
        member_id: &str,
        day_start: DateTime<Utc>,
    ) -> Result<DashboardCounts> {
        let mut c = DashboardCounts::default();
        let by_status: Vec<(Option<String>, i64)> = dispatch!(&self.inner.backend, pool => {
            let (open_hits,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM hits h WHERE h.member_id = $1 AND h.is_match = $2 \
                 AND h.suppressed_by IS NULL \
                 AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.hit_id = h.id)",
            )
            .bind(member_id)
            .bind(true)
            .fetch_one(pool)
            .await?;
            c.open_hits = open_hits;
            let (open_alerts,): (i64,) = sqlx::query_as(
                "SELECT COUNT(DISTINCT a.alert_id) FROM alerts a WHERE a.member_id = $1 \
                 AND NOT EXISTS (SELECT 1 FROM alert_decisions ad \
                   WHERE ad.member_id = a.member_id AND ad.alert_id = a.alert_id)",
            )
            .bind(member_id)
            .fetch_one(pool)
            .await?;
            c.open_alerts = open_alerts;
            let (today,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM screenings WHERE member_id = $1 AND created_at >= $2",
            )
            .bind(member_id)
            .bind(day_start)
            .fetch_one(pool)
            .await?;
            c.screenings_today = today;
            sqlx::query_as(&format!(
                "SELECT x.status, COUNT(*) FROM ({CASE_SELECT}) x GROUP BY x.status"
            ))
            .bind(member_id)
            .fetch_all(pool)
            .await?
        });
        for (status, n) in by_status {
            match status.as_deref().and_then(CaseStatus::parse) {
                Some(CaseStatus::Open) => c.cases_open += n,
                Some(CaseStatus::Escalated) => c.cases_escalated += n,
                Some(CaseStatus::Closed) => c.cases_closed += n,
                None => {}
            }
        }
        Ok(c)
    }

    /// The member's audit entries with the acting key's label, oldest first from
    /// `filter.after` (or newest first below `filter.before`).
    pub async fn member_audit(
        &self,
        member_id: &str,
        filter: &AuditFilter,
    ) -> Result<Vec<LabelledAuditEntry>> {
        let (exact, prefix) = match filter.action.as_deref().map(str::trim) {
            None | Some("") => (None, None),
            Some(a) if a.ends_with('*') => (
                None,
                Some(format!(
                    "{}%",
                    like_pattern(a.trim_end_matches('*')).trim_matches('%')
                )),
            ),
            Some(a) if a.ends_with('.') => (
                None,
                Some(format!("{}%", like_pattern(a).trim_matches('%'))),
            ),
            Some(a) => (Some(a.to_string()), None),
        };
        let order = if filter.newest_first { "DESC" } else { "ASC" };
        let rows: Vec<AuditRow> = dispatch!(&self.inner.backend, pool => {
            sqlx::query_as::<_, AuditRow>(&format!(
                "SELECT a.seq, a.at, a.member_id, a.actor, a.action, a.object_type, a.object_id, \
                        a.detail, a.prev_hash, a.hash, k.label AS actor_label \
                 FROM audit_log a LEFT JOIN api_keys k ON k.id = a.actor \
                 WHERE a.member_id = $1 AND a.seq > $2 AND a.seq < $3 \
                   AND ($4 IS NULL OR a.action = $4) AND ($5 IS NULL OR a.action LIKE $5 ESCAPE '\\') \
                 ORDER BY a.seq {order} LIMIT $6"
            ))
            .bind(member_id)
            .bind(filter.after)
            .bind(filter.before.unwrap_or(i64::MAX))
            .bind(&exact)
            .bind(&prefix)
            .bind(filter.limit.clamp(1, 10_000))
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| LabelledAuditEntry {
                entry: AuditEntry {
                    seq: r.seq,
                    at: r.at,
                    member_id: r.member_id,
                    actor: r.actor,
                    action: r.action,
                    object_type: r.object_type,
                    object_id: r.object_id,
                    detail: r.detail,
                    prev_hash: r.prev_hash,
                    hash: r.hash,
                },
                actor_label: r.actor_label,
            })
            .collect())
    }

    /// Labels of the given key ids (for showing who acted); unknown ids are left out.
    pub async fn key_labels(&self, key_ids: &[String]) -> Result<HashMap<String, String>> {
        let mut out = HashMap::new();
        for chunk in key_ids.chunks(500) {
            if chunk.is_empty() {
                continue;
            }
            let rows: Vec<(String, Option<String>)> = dispatch!(&self.inner.backend, pool => {
                let mut qb = sqlx::QueryBuilder::new("SELECT id, label FROM api_keys WHERE id IN (");
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(id);
                }
                qb.push(")");
                qb.build_query_as::<(String, Option<String>)>().fetch_all(pool).await?
            });
            for (id, label) in rows {
                if let Some(l) = label {
                    out.insert(id, l);
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards_and_fold_case() {
        assert_eq!(like_pattern(" Abu_Bakr "), "%abu\\_bakr%");
        assert_eq!(like_pattern("100%"), "%100\\%%");
    }

    #[test]
    fn statuses_and_kinds_round_trip() {
        for s in [CaseStatus::Open, CaseStatus::Escalated, CaseStatus::Closed] {
            assert_eq!(CaseStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(CaseStatus::parse("reopened"), None);
        assert_eq!(ItemKind::parse("alert"), Some(ItemKind::Alert));
        assert_eq!(ItemKind::parse("screening"), None);
    }

    #[test]
    fn text_checks_trim_and_refuse_control_characters() {
        assert_eq!(
            check_text("t", "  x ", 10, true).ok(),
            Some("x".to_string())
        );
        assert!(check_text("t", "  ", 10, true).is_err());
        assert!(check_text("t", "a\u{0}b", 10, false).is_err());
        assert!(check_text("t", &"a".repeat(11), 10, false).is_err());
        assert!(check_text("t", "line\nline", 10, false).is_ok());
    }
}
