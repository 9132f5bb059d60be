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
/// as received and the results as returned (one compressed [`ScreeningPayload`]), the list
/// versions and the matcher config (one shared [`ScreeningContext`]).
#[derive(Debug, Clone)]
pub struct NewScreening {
    pub id: String,
    pub member_id: String,
    pub key_id: String,
    /// `v1/screen` or `match/<dataset>`.
    pub endpoint: String,
    pub reference: Option<String>,
    pub subject_key: String,
    /// The request as received and the answer as sent, byte for byte, compressed.
    pub payload: ScreeningPayload,
    /// The list versions and matcher settings the screening ran with. One value per lists
    /// load, shared (`Arc`) by every screening on it and stored once (content-addressed).
    pub context: std::sync::Arc<ScreeningContext>,
    pub created_at: DateTime<Utc>,
    pub hits: Vec<NewHit>,
}

/// How [`ScreeningPayload`] bytes are encoded; stored in `screenings.encoding`. Rows written
/// before migration 0004 have no encoding and keep their request and results in the JSON
/// columns.
pub const PAYLOAD_ENCODING: &str = "zstd+json";

/// zstd level for payloads: level 1 is the fastest and, on these small JSON documents, within a
/// few percent of level 3's size.
const PAYLOAD_ZSTD_LEVEL: i32 = 1;

/// The stored form of one screening's request and answer: one zstd frame holding the JSON
/// document `{"request":<request as received>,"results":<answer as sent>}`. Built by the caller
/// (on its own thread, so compression does not queue behind the single writer) from the exact
/// bytes it received and sent; the JSON texts are embedded verbatim, never re-serialised.
#[derive(Clone)]
pub struct ScreeningPayload {
    compressed: Vec<u8>,
}

impl std::fmt::Debug for ScreeningPayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScreeningPayload")
            .field("compressed_bytes", &self.compressed.len())
            .finish()
    }
}

#[derive(Deserialize)]
struct PayloadDoc {
    request: serde_json::Value,
    results: serde_json::Value,
}

impl ScreeningPayload {
    /// Compresses `request` and `results`, each one complete JSON text (the caller's bytes as
    /// received and as sent). Texts that are not JSON are refused, so what is stored always
    /// reads back.
    pub fn encode(request: &[u8], results: &[u8]) -> crate::Result<ScreeningPayload> {
        for (field, text) in [("request", request), ("results", results)] {
            if !is_json_text(text) {
                return Err(crate::StoreError::Invalid {
                    field,
                    reason: "not a JSON text".into(),
                });
            }
        }
        let mut doc = Vec::with_capacity(request.len() + results.len() + 24);
        doc.extend_from_slice(b"{\"request\":");
        doc.extend_from_slice(request);
        doc.extend_from_slice(b",\"results\":");
        doc.extend_from_slice(results);
        doc.push(b'}');
        // One compression context per thread: creating one per call cost more than
        // compressing a typical 3 KB answer.
        thread_local! {
            static COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
                const { std::cell::RefCell::new(None) };
        }
        let compressed = COMPRESSOR.with(|c| -> std::io::Result<Vec<u8>> {
            let mut c = c.borrow_mut();
            if c.is_none() {
                *c = Some(zstd::bulk::Compressor::new(PAYLOAD_ZSTD_LEVEL)?);
            }
            match c.as_mut() {
                Some(c) => c.compress(&doc),
                None => zstd::bulk::compress(&doc, PAYLOAD_ZSTD_LEVEL),
            }
        });
        let compressed = compressed
            .map_err(|e| crate::StoreError::Corrupt(format!("compressing a payload: {e}")))?;
        Ok(ScreeningPayload { compressed })
    }

    /// [`ScreeningPayload::encode`] from JSON values (tests and callers without raw bytes).
    pub fn from_values(
        request: &serde_json::Value,
        results: &serde_json::Value,
    ) -> crate::Result<ScreeningPayload> {
        let r = serde_json::to_vec(request)
            .map_err(|e| crate::StoreError::Corrupt(format!("serialising a request: {e}")))?;
        let s = serde_json::to_vec(results)
            .map_err(|e| crate::StoreError::Corrupt(format!("serialising results: {e}")))?;
        ScreeningPayload::encode(&r, &s)
    }

    /// Wraps bytes read from the database.
    pub(crate) fn from_stored(compressed: Vec<u8>) -> ScreeningPayload {
        ScreeningPayload { compressed }
    }

    /// The stored bytes.
    pub fn compressed(&self) -> &[u8] {
        &self.compressed
    }

    /// The uncompressed JSON document `{"request":…,"results":…}`.
    pub fn json(&self) -> crate::Result<Vec<u8>> {
        zstd::stream::decode_all(self.compressed.as_slice())
            .map_err(|e| crate::StoreError::Corrupt(format!("bad screening payload: {e}")))
    }

    /// The request and the results as JSON values.
    pub fn decode(&self) -> crate::Result<(serde_json::Value, serde_json::Value)> {
        let doc: PayloadDoc = serde_json::from_slice(&self.json()?)
            .map_err(|e| crate::StoreError::Corrupt(format!("bad screening payload: {e}")))?;
        Ok((doc.request, doc.results))
    }
}

/// True when `text` is exactly one JSON value (surrounding whitespace allowed). Parses
/// without building anything.
fn is_json_text(text: &[u8]) -> bool {
    let mut de = serde_json::Deserializer::from_slice(text);
    serde::de::IgnoredAny::deserialize(&mut de).is_ok() && de.end().is_ok()
}

/// The list versions and matcher settings a screening ran with. Built once per lists load and
/// stored once (table `screening_contexts`), keyed by the SHA-256 of its content, so equal
/// contexts share one row across loads, restarts and server instances.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreeningContext {
    /// Hex SHA-256 of the two JSON texts.
    pub id: String,
    pub lists: serde_json::Value,
    pub config: serde_json::Value,
}

impl ScreeningContext {
    pub fn new(lists: serde_json::Value, config: serde_json::Value) -> ScreeningContext {
        let l = lists.to_string();
        let c = config.to_string();
        let id = crate::sha256_hex(format!("{}:{l}{}:{c}", l.len(), c.len()).as_bytes());
        ScreeningContext { id, lists, config }
    }
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

impl NewAuditEntry {
    /// An entry for what `who` (an authenticated key) did: its member and its key as the
    /// actor, so no call site can pair one member's key with another member's entry.
    pub fn by(
        who: &Principal,
        action: &str,
        object_type: &str,
        object_id: Option<String>,
        detail: serde_json::Value,
    ) -> NewAuditEntry {
        NewAuditEntry {
            member_id: Some(who.member_id.clone()),
            actor: who.key_id.clone(),
            action: action.to_string(),
            object_type: Some(object_type.to_string()),
            object_id,
            detail,
        }
    }
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
    /// The first entry this check recomputed (1 for a full check); `entries` counts the
    /// whole chain either way.
    pub checked_from_seq: i64,
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
