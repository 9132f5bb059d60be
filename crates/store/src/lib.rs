//! The only crate that touches a database: members, API keys, screenings with their hits,
//! decisions, list loads and the append-only, hash-chained audit log.
//!
//! One [`Store`] over SQLite (the default: one file, WAL, `synchronous=FULL`, so an
//! acknowledged write survives a power cut) and PostgreSQL (`postgres://…`, for several
//! server instances). Both run the same SQL text (numbered `$n` parameters work in both) and
//! the same test suite; only the migrations differ in column types.
//!
//! Writes that sit on the request path (screenings, decisions, audit entries) go through one
//! writer task that commits whatever is queued in a single transaction ("group commit"):
//! under load one fsync covers dozens of requests, and every caller still gets its answer only
//! after its rows are durable. Reads go straight to the pool.
//!
//! Every table that holds a member's data carries `member_id`, and every read takes the
//! member: the store has no "read any member's object" path besides the admin audit check.

mod alerts;
mod cases;
mod model;
mod sessions;
mod suppression;
mod writer;

pub use alerts::{
    AlertDecision, AlertQuery, AlertReview, AlertSort, AlertSource, NewAlert, NewTransaction,
    RecordedBatch, StoredAlert, StoredTransaction,
};
pub use cases::{
    AuditFilter, CaseChange, CaseDetail, CaseEvent, CaseFilter, CaseItem, CaseNote, CaseStatus,
    CaseSummary, DashboardCounts, ItemKind, LabelledAuditEntry, NewCase, QUEUE_SEARCH_CAP,
    QueueFilter, QueueItem,
};
pub use model::*;
pub use sessions::{NewSession, SESSION_TTL, Session};
pub use suppression::SUPPRESSION_REFRESH;
pub use writer::{LATENCY_BUCKETS, LatencyHistogram, WriterStats};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::types::Json;
use sqlx::{PgPool, SqlitePool};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("invalid database URL {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("{what} {id:?} not found")]
    NotFound { what: &'static str, id: String },
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("the store's writer task has stopped")]
    WriterGone,
}

impl StoreError {
    /// True when the database is temporarily unreachable or saturated (the caller may retry).
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Database(
                sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed
            ) | StoreError::WriterGone
        )
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Clone)]
pub(crate) enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same body against whichever pool the store has; the body is compiled once per
/// backend, so every query is type-checked against both drivers.
macro_rules! dispatch {
    ($backend:expr, $pool:ident => $body:expr) => {
        match $backend {
            $crate::Backend::Sqlite($pool) => $body,
            $crate::Backend::Postgres($pool) => $body,
        }
    };
}
pub(crate) use dispatch;

/// How long a verified key stays cached in memory. A key revoked through this `Store` is
/// dropped from the cache at once; one revoked by another process (the CLI, another server
/// instance) stops working within this time.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(5);

/// Handle to the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    backend: Backend,
    writer: writer::Writer,
    key_cache: Mutex<HashMap<String, CachedKey>>,
    suppressions: suppression::SuppressionCache,
    sessions: sessions::SessionCache,
    subjects: cases::SubjectCache,
    /// The last audit entry a verification found intact: (seq, hash, entries up to it).
    audit_checkpoint: Mutex<Option<(i64, String, u64)>>,
}

#[derive(Debug, Clone)]
struct CachedKey {
    principal: Principal,
    secret_sha256: [u8; 32],
    fetched: Instant,
}

/// Current time truncated to microseconds, the precision PostgreSQL keeps, so that what is
/// stored reads back equal (the audit hash depends on it).
pub fn now() -> DateTime<Utc> {
    let micros = Utc::now().timestamp_micros();
    DateTime::from_timestamp_micros(micros).unwrap_or_else(Utc::now)
}

/// A new time-ordered id: `<prefix>_` + 12 hex digits of milliseconds + 16 random hex digits.
/// Sorting ids sorts by creation time; 64 random bits make collisions negligible.
pub fn new_id(prefix: &str) -> String {
    let ms = Utc::now().timestamp_millis().max(0) as u64 & 0xFFFF_FFFF_FFFF;
    format!("{prefix}_{ms:012x}{:016x}", rand::random::<u64>())
}

/// Hex SHA-256, used for key secrets, subject keys and the audit chain.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `url`: `postgres://…` or
    /// `postgresql://…` for PostgreSQL; `sqlite:PATH`, `sqlite://PATH` or a plain file path
    /// for SQLite.
    pub async fn connect(url: &str) -> Result<Store> {
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url).map_err(|e| StoreError::InvalidUrl {
                url: redact_url(url),
                reason: e.to_string(),
            })?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            sqlx::migrate!("migrations/postgres").run(&pool).await?;
            Backend::Postgres(pool)
        } else {
            let opts = if url.starts_with("sqlite:") {
                SqliteConnectOptions::from_str(url).map_err(|e| StoreError::InvalidUrl {
                    url: url.to_string(),
                    reason: e.to_string(),
                })?
            } else {
                if url.trim().is_empty() {
                    return Err(StoreError::InvalidUrl {
                        url: url.to_string(),
                        reason: "empty path".into(),
                    });
                }
                SqliteConnectOptions::new().filename(url)
            };
            let opts = opts
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // Checkpoints inside a commit copy the WAL into the database file and fsync
                // it while callers wait. The writer starts one every second on another
                // connection instead (see `writer.rs`); the automatic one (default every
                // 1,000 pages) stays only as a backstop for writes outside the writer.
                .pragma("wal_autocheckpoint", "10000");
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            sqlx::migrate!("migrations/sqlite").run(&pool).await?;
            Backend::Sqlite(pool)
        };
        let writer = writer::Writer::spawn(backend.clone());
        Ok(Store {
            inner: Arc::new(Inner {
                backend,
                writer,
                key_cache: Mutex::new(HashMap::new()),
                suppressions: suppression::SuppressionCache::default(),
                sessions: Default::default(),
                subjects: Default::default(),
                audit_checkpoint: Default::default(),
            }),
        })
    }

    /// `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match self.inner.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// What the request-path writer (group commit) has done since the store opened.
    pub fn writer_stats(&self) -> WriterStats {
        self.inner.writer.stats()
    }

    /// Cheap liveness probe of the database.
    pub async fn ping(&self) -> Result<()> {
        dispatch!(&self.inner.backend, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    // ----- members and keys -------------------------------------------------------------

    /// The member called `name`, created if it does not exist yet.
    pub async fn ensure_member(&self, name: &str) -> Result<Member> {
        let name = name.trim();
        if name.is_empty() || name.len() > 200 {
            return Err(StoreError::Invalid {
                field: "member",
                reason: "a member name must have 1 to 200 characters".into(),
            });
        }
        let id = new_id("mem");
        let at = now();
        dispatch!(&self.inner.backend, pool => {
            sqlx::query(
                "INSERT INTO members (id, name, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO NOTHING",
            )
            .bind(&id)
            .bind(name)
            .bind(at)
            .execute(pool)
            .await?;
            let m = sqlx::query_as::<_, Member>(
                "SELECT id, name, created_at FROM members WHERE name = $1",
            )
            .bind(name)
            .fetch_one(pool)
            .await?;
            Ok(m)
        })
    }

    /// Creates a key for `member` (creating the member if needed). The returned
    /// [`NewKey::key`] is the only time the key exists outside the caller's hands: the store
    /// keeps only the SHA-256 of its 256-bit secret.
    pub async fn create_key(
        &self,
        member: &str,
        role: Role,
        label: Option<&str>,
        actor: &str,
    ) -> Result<NewKey> {
        let m = self.ensure_member(member).await?;
        let key_id = format!("{:016x}", rand::random::<u64>());
        let secret: [u8; 32] = rand::random();
        let secret_hex = hex::encode(secret);
        let key = format!("rqb_{key_id}_{secret_hex}");
        let hash = sha256_hex(secret_hex.as_bytes());
        let at = now();
        let label = label
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string);
        dispatch!(&self.inner.backend, pool => {
            sqlx::query(
                "INSERT INTO api_keys (id, member_id, role, secret_sha256, label, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&key_id)
            .bind(&m.id)
            .bind(role.as_str())
            .bind(&hash)
            .bind(&label)
            .bind(at)
            .execute(pool)
            .await?;
        });
        self.append_audit(NewAuditEntry {
            member_id: Some(m.id.clone()),
            actor: actor.to_string(),
            action: "key.created".into(),
            object_type: Some("api_key".into()),
            object_id: Some(key_id.clone()),
            detail: serde_json::json!({"role": role.as_str(), "label": label, "member": m.name}),
        })
        .await?;
        Ok(NewKey {
            info: ApiKeyInfo {
                id: key_id,
                member_id: m.id,
                member_name: m.name,
                role,
                label,
                created_at: at,
                revoked_at: None,
            },
            key,
        })
    }

    /// All keys (or those of one member, by name), newest first. Never the secrets.
    pub async fn list_keys(&self, member: Option<&str>) -> Result<Vec<ApiKeyInfo>> {
        let rows: Vec<KeyRow> = dispatch!(&self.inner.backend, pool => {
            sqlx::query_as::<_, KeyRow>(
                "SELECT k.id, k.member_id, m.name AS member_name, k.role, k.label, \
                        k.created_at, k.revoked_at, k.secret_sha256 \
                 FROM api_keys k JOIN members m ON m.id = k.member_id \
                 WHERE ($1 IS NULL OR m.name = $1) ORDER BY k.created_at DESC, k.id",
            )
            .bind(member)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(KeyRow::into_info).collect()
    }

    /// Revokes a key (idempotent: revoking a revoked key keeps the first revocation time).
    pub async fn revoke_key(&self, key_id: &str, actor: &str) -> Result<ApiKeyInfo> {
        let at = now();
        let changed = dispatch!(&self.inner.backend, pool => {
            sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(at)
                .bind(key_id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        if let Ok(mut cache) = self.inner.key_cache.lock() {
            cache.remove(key_id);
        }
        self.forget_sessions_of_key(key_id);
        let info = self
            .list_keys(None)
            .await?
            .into_iter()
            .find(|k| k.id == key_id)
            .ok_or_else(|| StoreError::NotFound {
                what: "api key",
                id: key_id.to_string(),
            })?;
        if changed > 0 {
            self.append_audit(NewAuditEntry {
                member_id: Some(info.member_id.clone()),
                actor: actor.to_string(),
                action: "key.revoked".into(),
                object_type: Some("api_key".into()),
                object_id: Some(key_id.to_string()),
                detail: serde_json::json!({"role": info.role.as_str()}),
            })
            .await?;
        }
        Ok(info)
    }

    /// Resolves a presented key to its member and role; `None` for a malformed, unknown or
    /// revoked key (the caller answers 401 without saying which). The secret's hash is
    /// compared in constant time.
    pub async fn authenticate(&self, presented: &str) -> Result<Option<Principal>> {
        let Some((key_id, secret)) = parse_key(presented.trim()) else {
            return Ok(None);
        };
        let presented_hash: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        let cached = self
            .inner
            .key_cache
            .lock()
            .ok()
            .and_then(|c| c.get(key_id).cloned())
            .filter(|c| c.fetched.elapsed() < KEY_CACHE_TTL);
        let entry = match cached {
            Some(c) => c,
            None => {
                let row: Option<KeyRow> = dispatch!(&self.inner.backend, pool => {
                    sqlx::query_as::<_, KeyRow>(
                        "SELECT k.id, k.member_id, m.name AS member_name, k.role, k.label, \
                                k.created_at, k.revoked_at, k.secret_sha256 \
                         FROM api_keys k JOIN members m ON m.id = k.member_id WHERE k.id = $1",
                    )
                    .bind(key_id)
                    .fetch_optional(pool)
                    .await?
                });
                let Some(row) = row else {
                    return Ok(None);
                };
                if row.revoked_at.is_some() {
                    return Ok(None);
                }
                let mut stored = [0u8; 32];
                hex::decode_to_slice(&row.secret_sha256, &mut stored).map_err(|e| {
                    StoreError::Corrupt(format!("api key {} has a bad hash: {e}", row.id))
                })?;
                let info = row.into_info()?;
                let c = CachedKey {
                    principal: Principal {
                        key_id: info.id.clone(),
                        member_id: info.member_id,
                        member_name: info.member_name,
                        role: info.role,
                    },
                    secret_sha256: stored,
                    fetched: Instant::now(),
                };
                if let Ok(mut cache) = self.inner.key_cache.lock() {
                    if cache.len() > 10_000 {
                        cache.clear();
                    }
                    cache.insert(info.id, c.clone());
                }
                c
            }
        };
        use subtle::ConstantTimeEq;
        if bool::from(entry.secret_sha256.ct_eq(&presented_hash)) {
            Ok(Some(entry.principal))
        } else {
            Ok(None)
        }
    }

    // ----- screenings, hits, decisions -------------------------------------------------

    /// Stores screenings with their hits; returns once they are durable.
    pub async fn record_screenings(&self, screenings: Vec<NewScreening>) -> Result<()> {
        if screenings.is_empty() {
            return Ok(());
        }
        self.inner.writer.screenings(screenings).await
    }

    /// One of `member_id`'s screenings with its hits; `None` if it does not exist or belongs
    /// to another member (the two are indistinguishable on purpose).
    pub async fn screening(&self, member_id: &str, id: &str) -> Result<Option<ScreeningRecord>> {
        let row: Option<ScreeningRow> = dispatch!(&self.inner.backend, pool => {
            sqlx::query_as::<_, ScreeningRow>(
                &format!(
                    "SELECT {SCREENING_COLUMNS} FROM screenings s \
                     LEFT JOIN screening_contexts c ON c.id = s.context_id \
                     WHERE s.id = $1 AND s.member_id = $2"
                ),
            )
            .bind(id)
            .bind(member_id)
            .fetch_optional(pool)
            .await?
        });
        let Some(row) = row else { return Ok(None) };
        let hits: Vec<HitRecord> = dispatch!(&self.inner.backend, pool => {
            sqlx::query_as::<_, HitRecord>(&format!(
                "SELECT {HIT_COLUMNS} FROM hits WHERE screening_id = $1 AND member_id = $2 \
                 ORDER BY rank"
            ))
            .bind(id)
            .bind(member_id)
            .fetch_all(pool)
            .await?
        });
        let mut record = row.into_record()?;
        record.hits = hits;
        Ok(Some(record))
    }

    /// A member's most recent screenings (without hits), newest first.
    pub async fn recent_screenings(
        &self,
        member_id: &str,
        limit: i64,
    ) -> Result<Vec<ScreeningRecord>> {
        let rows: Vec<ScreeningRow> = dispatch!(&self.inner.backend, pool => {
            sqlx::query_as::<_, ScreeningRow>(
                &format!(
                    "SELECT {SCREENING_COLUMNS} FROM screenings s \
                     LEFT JOIN screening_contexts c ON c.id = s.context_id \
                     WHERE s.member_id = $1 ORDER BY s.created_at DESC, s.id DESC LIMIT $2"
                ),
            )
            .bind(member_id)
            .bind(limit.clamp(1, 1000))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(ScreeningRow::into_record).collect()
    }

    /// One of `member_id`'s hits; `None` if missing or another member's.
    pub async fn hit(&self, member_id: &str, id: &str) -> Result<Option<HitRecord>> {
        Ok(dispatch!(&self.inner.backend, pool => {
            sqlx::query_as::<_, HitRecord>(&format!(
                "SELECT {HIT_COLUMNS} FROM hits WHERE id = $1 AND member_id = $2"
            ))
            .bind(id)
            .bind(member_id)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Records a decision on one of the caller's member's hits, with an audit entry, durably.
    /// Another member's hit is [`StoreError::NotFound`].
    pub async fn record_decision(
        &self,
        who: &Principal,
        hit_id: &str,
        kind: DecisionKind,
        comment: &str,
    ) -> Result<Decision> {
        let hit = self
            .hit(&who.member_id, hit_id)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                what: "hit",
                id: hit_id.to_string(),
            })?;
        let decision = Decision {
            id: new_id("dec"),
            hit_id: hit.id.clone(),
            member_id: who.member_id.clone(),
            subject_key: hit.subject_key.clone(),
            entity_id: hit.entity_id.clone(),
            decision: kind,
            comment: comment.to_string(),
            decided_by_key: who.key_id.clone(),
            created_at: now(),
        };
        let audit = NewAuditEntry::by(
            who,
            "decision.recorded",
            "hit",
            Some(hit.id.clone()),
            serde_json::json!({
                "decision_id": decision.id,
                "decision": kind.as_str(),
                "comment": comment,
                "entity_id": hit.entity_id,
                "screening_id": hit.screening_id,
            }),
        );
        self.inner.writer.decision(decision.clone(), audit).await?;
        // Committed: later screenings of this subject see it without a database read.
        self.inner.suppressions.record(&decision);
        Ok(decision)
    }

    /// Every decision on one hit, oldest first.
    pub async fn decisions_for_hit(&self, member_id: &str, hit_id: &str) -> Result<Vec<Decision>> {
        let rows: Vec<DecisionRow> = dispatch!(&self.inner.backend, pool => {
            sqlx::query_as::<_, DecisionRow>(&format!(
                "SELECT {DECISION_COLUMNS} FROM decisions WHERE member_id = $1 AND hit_id = $2 \
                 ORDER BY created_at, id"
            ))
            .bind(member_id)
            .bind(hit_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(DecisionRow::into_decision).collect()
    }

    /// For one query subject of a member: the entities whose latest decision is
    /// `false_positive`, each with that decision. Later screenings show these hits as
    /// suppressed (never drop them).
    ///
    /// Answered from memory (see [`SUPPRESSION_REFRESH`]): a member's decisions are read from
    /// the database on first use and then incrementally; decisions recorded through this
    /// store count at once.
    pub async fn suppressions(
        &self,
        member_id: &str,
        subject_key: &str,
    ) -> Result<HashMap<String, Decision>> {
        self.inner
            .suppressions
            .suppressions(member_id, subject_key, |since| {
                self.member_decisions(member_id, since)
            })
            .await
    }

    /// A member's decisions (created at or after `since`, when given), oldest first.
    async fn member_decisions(
        &self,
        member_id: &str,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<Decision>> {
        let rows: Vec<DecisionRow> = dispatch!(&self.inner.backend, pool => {
            sqlx::query_as::<_, DecisionRow>(&format!(
                "SELECT {DECISION_COLUMNS} FROM decisions \
                 WHERE member_id = $1 AND ($2 IS NULL OR created_at >= $2) \
                 ORDER BY created_at, id"
            ))
            .bind(member_id)
            .bind(since)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(DecisionRow::into_decision).collect()
    }

    // ----- lists and audit ----------------------------------------------------------------

    /// Records a list load or reload attempt.
    pub async fn record_list_load(&self, load: &ListLoad) -> Result<()> {
        dispatch!(&self.inner.backend, pool => {
            sqlx::query(
                "INSERT INTO list_loads (id, loaded_at, ok, lists, error, actor) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&load.id)
            .bind(load.loaded_at)
            .bind(load.ok)
            .bind(Json(&load.lists))
            .bind(&load.error)
            .bind(&load.actor)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// The most recent list loads, newest first.
    pub async fn list_loads(&self, limit: i64) -> Result<Vec<ListLoad>> {
        let rows: Vec<ListLoadRow> = dispatch!(&self.inner.backend, pool => {
            sqlx::query_as::<_, ListLoadRow>(
                "SELECT id, loaded_at, ok, lists, error, actor FROM list_loads \
                 ORDER BY loaded_at DESC, id DESC LIMIT $1",
            )
            .bind(limit.clamp(1, 1000))
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| ListLoad {
                id: r.id,
                loaded_at: r.loaded_at,
                ok: r.ok,
                lists: r.lists.0,
                error: r.error,
                actor: r.actor,
            })
            .collect())
    }

    /// Appends an audit entry (durably) and returns it with its sequence number and hash.
    pub async fn append_audit(&self, entry: NewAuditEntry) -> Result<AuditEntry> {
        self.inner.writer.audit(entry).await
    }

    /// Audit entries after `after_seq`, oldest first; only `member_id`'s when given.
    pub async fn audit_log(
        &self,
        member_id: Option<&str>,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        Ok(dispatch!(&self.inner.backend, pool => {
            sqlx::query_as::<_, AuditEntry>(
                "SELECT seq, at, member_id, actor, action, object_type, object_id, detail, \
                        prev_hash, hash \
                 FROM audit_log WHERE ($1 IS NULL OR member_id = $1) AND seq > $2 \
                 ORDER BY seq LIMIT $3",
            )
            .bind(member_id)
            .bind(after_seq)
            .bind(limit.clamp(1, 10_000))
            .fetch_all(pool)
            .await?
        }))
    }

    /// Recomputes the whole audit hash chain: any edited, removed or reordered entry breaks it.
    pub async fn verify_audit_chain(&self) -> Result<ChainCheck> {
        self.verify_chain_from(GENESIS_HASH.to_string(), 0, 0).await
    }

    /// Verifies only what was appended since the last verification found the chain intact
    /// (a full one the first time): the checkpoint entry must still carry the hash it had
    /// and its content must still hash to it, and every later entry must follow from it. Cost grows with the new entries, not the
    /// log, which is what a page that shows `chain_ok` on every load needs. An edit of an
    /// entry before the checkpoint is found by [`Store::verify_audit_chain`] (the full
    /// check), not here; [`ChainCheck::checked_from_seq`] says where this check started.
    /// When it finds a break, the full check runs to name the first broken entry.
    pub async fn verify_audit_chain_incremental(&self) -> Result<ChainCheck> {
        let checkpoint = self
            .inner
            .audit_checkpoint
            .lock()
            .ok()
            .and_then(|c| c.clone());
        let Some((seq, hash, entries)) = checkpoint else {
            return self.verify_audit_chain().await;
        };
        // the checkpoint entry itself, unchanged
        let head = self.audit_log(None, seq - 1, 1).await?;
        let intact = head
            .first()
            .is_some_and(|e| e.seq == seq && e.hash == hash && entry_hash(&e.prev_hash, e) == hash);
        if !intact {
            return self.verify_audit_chain().await;
        }
        let c = self.verify_chain_from(hash, seq, entries).await?;
        if c.first_broken_seq.is_some() {
            return self.verify_audit_chain().await;
        }
        Ok(ChainCheck {
            checked_from_seq: seq + 1,
            ..c
        })
    }

    /// Checks the entries after `after`, the first of which must follow from `prev`; on
    /// success remembers the last one as the checkpoint.
    async fn verify_chain_from(
        &self,
        mut prev: String,
        mut after: i64,
        mut entries: u64,
    ) -> Result<ChainCheck> {
        let checked_from_seq = after + 1;
        loop {
            let batch = self.audit_log(None, after, 5_000).await?;
            if batch.is_empty() {
                if after > 0
                    && let Ok(mut c) = self.inner.audit_checkpoint.lock()
                {
                    *c = Some((after, prev, entries));
                }
                return Ok(ChainCheck {
                    entries,
                    first_broken_seq: None,
                    checked_from_seq,
                });
            }
            for e in &batch {
                let expect = entry_hash(&prev, e);
                if e.prev_hash != prev || e.hash != expect {
                    if let Ok(mut c) = self.inner.audit_checkpoint.lock() {
                        *c = None;
                    }
                    return Ok(ChainCheck {
                        entries,
                        first_broken_seq: Some(e.seq),
                        checked_from_seq,
                    });
                }
                prev = e.hash.clone();
                after = e.seq;
                entries += 1;
            }
        }
    }

    #[doc(hidden)]
    /// Test hook: runs raw SQL (used to prove the database refuses edits of history tables).
    pub async fn execute_raw_for_tests(&self, sql: &str) -> Result<u64> {
        Ok(dispatch!(&self.inner.backend, pool => {
            sqlx::query(sql).execute(pool).await?.rows_affected()
        }))
    }
}

/// The `prev_hash` of the first audit entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash a stored entry should carry when it follows `prev`.
fn entry_hash(prev: &str, e: &AuditEntry) -> String {
    audit_hash(
        prev,
        e.at,
        e.member_id.as_deref(),
        &e.actor,
        &e.action,
        e.object_type.as_deref(),
        e.object_id.as_deref(),
        &e.detail,
    )
}

/// Hash of one audit entry: SHA-256 over its predecessor's hash and its fields, each
/// length-prefixed so that no two different entries serialise alike.
#[allow(clippy::too_many_arguments)]
pub(crate) fn audit_hash(
    prev: &str,
    at: DateTime<Utc>,
    member_id: Option<&str>,
    actor: &str,
    action: &str,
    object_type: Option<&str>,
    object_id: Option<&str>,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    let at = at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    for part in [
        Some(prev),
        Some(at.as_str()),
        member_id,
        Some(actor),
        Some(action),
        object_type,
        object_id,
        Some(detail),
    ] {
        match part {
            Some(p) => {
                h.update(format!("{}:", p.len()).as_bytes());
                h.update(p.as_bytes());
            }
            None => h.update(b"-:"),
        }
    }
    hex::encode(h.finalize())
}

/// Splits `rqb_<16 hex key id>_<64 hex secret>`.
fn parse_key(s: &str) -> Option<(&str, &str)> {
    let rest = s.strip_prefix("rqb_")?;
    let (id, secret) = rest.split_once('_')?;
    let hexy = |x: &str, n: usize| x.len() == n && x.bytes().all(|b| b.is_ascii_hexdigit());
    (hexy(id, 16) && hexy(secret, 64)).then_some((id, secret))
}

/// A URL with its password replaced, for error messages.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

const HIT_COLUMNS: &str = "id, screening_id, member_id, subject_key, entity_id, rank, score, \
    is_match, matched_name, caption, suppressed_by, created_at";
const DECISION_COLUMNS: &str = "id, hit_id, member_id, subject_key, entity_id, decision, comment, \
    decided_by_key, created_at";

#[derive(sqlx::FromRow)]
struct KeyRow {
    id: String,
    member_id: String,
    member_name: String,
    role: String,
    label: Option<String>,
    created_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
    secret_sha256: String,
}

impl KeyRow {
    fn into_info(self) -> Result<ApiKeyInfo> {
        let role = Role::parse(&self.role).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "api key {} has unknown role {:?}",
                self.id, self.role
            ))
        })?;
        Ok(ApiKeyInfo {
            id: self.id,
            member_id: self.member_id,
            member_name: self.member_name,
            role,
            label: self.label,
            created_at: self.created_at,
            revoked_at: self.revoked_at,
        })
    }
}

const SCREENING_COLUMNS: &str = "s.id, s.member_id, s.key_id, s.endpoint, s.reference, \
    s.subject_key, s.request, s.results, s.lists, s.config, s.created_at, s.encoding, s.payload, \
    c.lists AS context_lists, c.config AS context_config";

#[derive(sqlx::FromRow)]
struct ScreeningRow {
    id: String,
    member_id: String,
    key_id: String,
    endpoint: String,
    reference: Option<String>,
    subject_key: String,
    request: Json<serde_json::Value>,
    results: Json<serde_json::Value>,
    lists: Json<serde_json::Value>,
    config: Json<serde_json::Value>,
    created_at: DateTime<Utc>,
    encoding: Option<String>,
    payload: Option<Vec<u8>>,
    context_lists: Option<Json<serde_json::Value>>,
    context_config: Option<Json<serde_json::Value>>,
}

impl ScreeningRow {
    /// The record without hits. Rows from before migration 0004 (`encoding` NULL) carry their
    /// JSON in the old columns; newer ones in the compressed payload and the shared context.
    fn into_record(self) -> Result<ScreeningRecord> {
        let (request, results, lists, config) = match self.encoding.as_deref() {
            None => (self.request.0, self.results.0, self.lists.0, self.config.0),
            Some(PAYLOAD_ENCODING) => {
                let payload = self.payload.ok_or_else(|| {
                    StoreError::Corrupt(format!("screening {} has no payload", self.id))
                })?;
                let (request, results) = ScreeningPayload::from_stored(payload)
                    .decode()
                    .map_err(|e| StoreError::Corrupt(format!("screening {}: {e}", self.id)))?;
                let (Some(lists), Some(config)) = (self.context_lists, self.context_config) else {
                    return Err(StoreError::Corrupt(format!(
                        "screening {} has no list versions",
                        self.id
                    )));
                };
                (request, results, lists.0, config.0)
            }
            Some(other) => {
                return Err(StoreError::Corrupt(format!(
                    "screening {} has unknown encoding {other:?}",
                    self.id
                )));
            }
        };
        Ok(ScreeningRecord {
            id: self.id,
            member_id: self.member_id,
            key_id: self.key_id,
            endpoint: self.endpoint,
            reference: self.reference,
            subject_key: self.subject_key,
            request,
            results,
            lists,
            config,
            created_at: self.created_at,
            hits: Vec::new(),
        })
    }
}

#[derive(sqlx::FromRow)]
struct DecisionRow {
    id: String,
    hit_id: String,
    member_id: String,
    subject_key: String,
    entity_id: String,
    decision: String,
    comment: String,
    decided_by_key: String,
    created_at: DateTime<Utc>,
}

impl DecisionRow {
    fn into_decision(self) -> Result<Decision> {
        let decision = DecisionKind::parse(&self.decision).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "decision {} has unknown kind {:?}",
                self.id, self.decision
            ))
        })?;
        Ok(Decision {
            id: self.id,
            hit_id: self.hit_id,
            member_id: self.member_id,
            subject_key: self.subject_key,
            entity_id: self.entity_id,
            decision,
            comment: self.comment,
            decided_by_key: self.decided_by_key,
            created_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ListLoadRow {
    id: String,
    loaded_at: DateTime<Utc>,
    ok: bool,
    lists: Json<serde_json::Value>,
    error: Option<String>,
    actor: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_only_in_the_issued_shape() {
        let id = "0123456789abcdef";
        let secret = "a".repeat(64);
        let key = format!("rqb_{id}_{secret}");
        assert_eq!(parse_key(&key), Some((id, secret.as_str())));
        assert_eq!(parse_key("rqb_short_abc"), None);
        assert_eq!(parse_key(&format!("xyz_{id}_{secret}")), None);
        assert_eq!(parse_key(&format!("rqb_{id}_{}", "g".repeat(64))), None);
        assert_eq!(parse_key(""), None);
    }

    #[test]
    fn ids_sort_by_time_and_carry_their_prefix() {
        let a = new_id("hit");
        std::thread::sleep(Duration::from_millis(2));
        let b = new_id("hit");
        assert!(a.starts_with("hit_") && a.len() == 4 + 28);
        assert!(a < b);
    }

    #[test]
    fn url_passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5/db"),
            "postgres://u:***@h:5/db"
        );
        assert_eq!(redact_url("raqib.db"), "raqib.db");
    }

    #[test]
    fn audit_hash_depends_on_every_field() {
        let at = now();
        let base = audit_hash("p", at, Some("m"), "a", "x", Some("t"), Some("o"), "{}");
        assert_ne!(
            base,
            audit_hash("q", at, Some("m"), "a", "x", Some("t"), Some("o"), "{}")
        );
        assert_ne!(
            base,
            audit_hash("p", at, None, "a", "x", Some("t"), Some("o"), "{}")
        );
        assert_ne!(
            base,
            audit_hash("p", at, Some("m"), "a", "x", Some("t"), Some("o"), "{ }")
        );
        assert_eq!(
            base,
            audit_hash("p", at, Some("m"), "a", "x", Some("t"), Some("o"), "{}")
        );
    }

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Admin.allows(Role::Analyst));
        assert!(Role::Analyst.allows(Role::Screener));
        assert!(!Role::Screener.allows(Role::Analyst));
        assert_eq!(Role::parse("ADMIN"), Some(Role::Admin));
        assert_eq!(Role::parse("root"), None);
    }
}

/// Helpers for tests of this crate and its callers (not used by the service itself).
pub mod testing {
    use sqlx::Connection;

    /// Creates a new, empty database on the PostgreSQL server named by `base_url` and returns
    /// a URL for it, so tests never share state. The user needs CREATEDB.
    pub async fn fresh_postgres_database(base_url: &str) -> Result<String, sqlx::Error> {
        let name = format!("raqib_t_{:016x}", rand::random::<u64>());
        let mut conn = sqlx::PgConnection::connect(base_url).await?;
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        Ok(with_database(base_url, &name))
    }

    /// `base_url` with its database name replaced by `name` (query string kept).
    pub fn with_database(base_url: &str, name: &str) -> String {
        let (main, query) = match base_url.split_once('?') {
            Some((m, q)) => (m, format!("?{q}")),
            None => (base_url, String::new()),
        };
        let start = main.find("://").map(|i| i + 3).unwrap_or(0);
        let host_end = main[start..]
            .find('/')
            .map(|i| start + i)
            .unwrap_or(main.len());
        format!("{}/{}{}", &main[..host_end], name, query)
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn database_names_are_swapped_in_urls() {
            assert_eq!(
                super::with_database("postgres://u@127.0.0.1:15432/postgres", "x"),
                "postgres://u@127.0.0.1:15432/x"
            );
            assert_eq!(
                super::with_database("postgres://u@h:1?sslmode=disable", "x"),
                "postgres://u@h:1/x?sslmode=disable"
            );
        }
    }
}
