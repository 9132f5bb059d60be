//! Rows the store reads and writes. Plain data; the server maps them to its JSON shapes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What an API key may do. Roles are ordered: an admin can do what an analyst can, an analyst
/// what a screener can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Screens names and reads the lists.
    Screener,
    /// Also reads screenings and hits and records decisions.
    Analyst,
    /// Also reloads lists and reads the audit log.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Screener => "screener",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "screener" => Some(Role::Screener),
            "analyst" => Some(Role::Analyst),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// True when this role includes the rights of `needed`.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An analyst's verdict on a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    TrueMatch,
    FalsePositive,
    Escalate,
}

impl DecisionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::TrueMatch => "true_match",
            DecisionKind::FalsePositive => "false_positive",
            DecisionKind::Escalate => "escalate",
        }
    }

    pub fn parse(s: &str) -> Option<DecisionKind> {
        match s {
            "true_match" => Some(DecisionKind::TrueMatch),
            "false_positive" => Some(DecisionKind::FalsePositive),
            "escalate" => Some(DecisionKind::Escalate),
            _ => None,
        }
    }
}

/// A member organisation (a bank, a payment platform, an FIU desk).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// An API key as stored: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyInfo {
    pub id: String,
    pub member_id: String,
    pub member_name: String,
    pub role: Role,
    pub label: Option<String>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A freshly created key: `secret` is the full key to hand to the member, shown once.
#[derive(Debug, Clone)]
pub struct NewKey {
    pub info: ApiKeyInfo,
    pub key: String,
}

/// Who is calling: resolved from a valid, unrevoked key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub key_id: String,
    pub member_id: String,
    pub member_name: String,
    pub role: Role,
}

/// One hit to store with its screening.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewHit {
    pub id: String,
    pub entity_id: String,
    pub rank: i64,
    pub score: f64,
    pub is_match: bool,
    pub matched_name: String,
    pub caption: String,
    /// The decision that suppressed this hit when it was produced, if any.
    pub suppressed_by: Option<String>,
}

/// One screened subject with everything needed to reproduce and audit the answer: the request
/// as received, the results as returned, the list versions and the matcher config.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewScreening {
    pub id: String,
    pub member_id: String,
    pub key_id: String,
    /// `v1/screen` or `match/<dataset>`.
    pub endpoint: String,
    pub reference: Option<String>,
    pub subject_key: String,
    pub request: serde_json::Value,
    pub results: serde_json::Value,
    /// The list versions the screening ran against. Shared (`Arc`): one value per lists load,
    /// reused by every screening on it instead of being rebuilt per request.
    pub lists: std::sync::Arc<serde_json::Value>,
    /// The matcher settings; shared like `lists`.
    pub config: std::sync::Arc<serde_json::Value>,
    pub created_at: DateTime<Utc>,
    pub hits: Vec<NewHit>,
}

/// A stored screening, read back by its member.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScreeningRecord {
    pub id: String,
    pub member_id: String,
    pub key_id: String,
    pub endpoint: String,
    pub reference: Option<String>,
    pub subject_key: String,
    pub request: serde_json::Value,
    pub results: serde_json::Value,
    pub lists: serde_json::Value,
    pub config: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub hits: Vec<HitRecord>,
}

/// A stored hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct HitRecord {
    pub id: String,
    pub screening_id: String,
    pub member_id: String,
    pub subject_key: String,
    pub entity_id: String,
    pub rank: i64,
    pub score: f64,
    pub is_match: bool,
    pub matched_name: String,
    pub caption: String,
    pub suppressed_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A recorded decision. Decisions are never changed: a later decision on the same subject and
/// entity supersedes an earlier one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub id: String,
    pub hit_id: String,
    pub member_id: String,
    pub subject_key: String,
    pub entity_id: String,
    pub decision: DecisionKind,
    pub comment: String,
    pub decided_by_key: String,
    pub created_at: DateTime<Utc>,
}

/// An audit entry to append.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewAuditEntry {
    pub member_id: Option<String>,
    /// A key id, `cli`, or `system`.
    pub actor: String,
    /// Dotted verb: `key.created`, `key.revoked`, `decision.recorded`, `lists.reloaded`…
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub detail: serde_json::Value,
}

/// A stored audit entry with its place in the hash chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub member_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// The exact JSON text the hash covers.
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Result of re-computing the audit hash chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainCheck {
    pub entries: u64,
    /// The first entry whose hash does not follow from its content and predecessor.
    pub first_broken_seq: Option<i64>,
}

/// A list load or reload attempt, kept for audit ("which lists were live when").
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListLoad {
    pub id: String,
    pub loaded_at: DateTime<Utc>,
    pub ok: bool,
    pub lists: serde_json::Value,
    pub error: Option<String>,
    pub actor: String,
}
