//! Group commit: one task owns all request-path writes and commits whatever is queued in one
//! transaction. Callers wait for their own reply, which comes only after the commit, so an
//! answered request is a durable one; under load one fsync covers many requests.
//!
//! If a batch fails, each job is retried alone so that one bad job cannot fail its
//! neighbours. Audit entries are chained here, inside the transaction that appends them, under
//! a lock (SQLite `BEGIN IMMEDIATE`, PostgreSQL advisory lock) so several processes sharing one
//! database still build one chain.

use crate::{
    AuditEntry, Backend, Decision, GENESIS_HASH, NewAuditEntry, NewScreening, Result, StoreError,
    dispatch, now,
};
use sqlx::types::Json;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

/// Most jobs per transaction; bounds the latency a single commit adds.
const MAX_BATCH: usize = 512;
/// Queue depth; callers wait (back-pressure) when the writer falls behind.
const QUEUE: usize = 4096;
/// Rows per multi-row `INSERT`: 12 columns × 400 rows = 4,800 bound parameters, well under
/// SQLite's (32,766) and PostgreSQL's (65,535) limits.
const ROWS_PER_INSERT: usize = 400;
/// Screening contexts remembered as stored before the set is cleared (it only saves an
/// idempotent insert per batch).
const MAX_KNOWN_CONTEXTS: usize = 10_000;
/// The PostgreSQL advisory lock that serialises every append to the audit chain (the writer,
/// alert decisions, case changes and sessions all take it).
pub(crate) const AUDIT_LOCK_KEY: i64 = 0x7261_7169_6261_7564;

#[derive(Debug)]
enum Job {
    Screenings(Vec<NewScreening>),
    Decision(Box<Decision>, NewAuditEntry),
    Audit(NewAuditEntry),
}

#[derive(Debug)]
enum Output {
    Done,
    Audit(Box<AuditEntry>),
}

type Reply = oneshot::Sender<Result<Output>>;

#[derive(Debug, Clone)]
pub(crate) struct Writer {
    tx: mpsc::Sender<(Job, Reply)>,
    stats: Arc<Mutex<WriterStats>>,
}

/// Upper bounds (seconds) of latency histograms (the writer's here, the server's for HTTP
/// requests): fine below 10 ms, where a commit and an answer should stay.
pub const LATENCY_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// A latency histogram over [`LATENCY_BUCKETS`]: `counts[i]` counts observations in
/// `(LATENCY_BUCKETS[i-1], LATENCY_BUCKETS[i]]`, the last slot those above the last bound.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LatencyHistogram {
    pub counts: [u64; LATENCY_BUCKETS.len() + 1],
    pub sum_seconds: f64,
    pub count: u64,
}

impl LatencyHistogram {
    /// Counts one observation (the server's HTTP histograms use this type too).
    pub fn observe(&mut self, took: Duration) {
        let s = took.as_secs_f64();
        let slot = LATENCY_BUCKETS
            .iter()
            .position(|b| s <= *b)
            .unwrap_or(LATENCY_BUCKETS.len());
        self.counts[slot] += 1;
        self.sum_seconds += s;
        self.count += 1;
    }
}

/// What the request-path writer has done since the store opened: whether the database keeps
/// up. A request's answer waits for its `wait`, so this splits a slow answer into matching
/// time and storage time (exported on `/metrics`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WriterStats {
    /// Transactions committed (or failed and retried job by job).
    pub commits: u64,
    /// Jobs (screening batches, decisions, audit entries) carried by those transactions.
    pub jobs: u64,
    /// Wall time of each transaction, from `BEGIN` to the end of `COMMIT` (its fsync).
    pub commit: LatencyHistogram,
    /// Per job, from being queued to its reply: queueing behind the current commit plus its
    /// own commit. This is what a request waits for before it is answered.
    pub wait: LatencyHistogram,
}

impl Writer {
    pub(crate) fn spawn(backend: Backend) -> Writer {
        let (tx, rx) = mpsc::channel(QUEUE);
        let stats = Arc::new(Mutex::new(WriterStats::default()));
        tokio::spawn(run(backend, rx, stats.clone()));
        Writer { tx, stats }
    }

    pub(crate) fn stats(&self) -> WriterStats {
        self.stats.lock().map(|s| s.clone()).unwrap_or_default()
    }

    async fn submit(&self, job: Job) -> Result<Output> {
        let started = Instant::now();
        let (reply, rx) = oneshot::channel();
        self.tx
            .send((job, reply))
            .await
            .map_err(|_| StoreError::WriterGone)?;
        let out = rx.await.map_err(|_| StoreError::WriterGone)?;
        if let Ok(mut s) = self.stats.lock() {
            s.wait.observe(started.elapsed());
        }
        out
    }

    pub(crate) async fn screenings(&self, s: Vec<NewScreening>) -> Result<()> {
        self.submit(Job::Screenings(s)).await.map(|_| ())
    }

    pub(crate) async fn decision(&self, d: Decision, audit: NewAuditEntry) -> Result<()> {
        self.submit(Job::Decision(Box::new(d), audit))
            .await
            .map(|_| ())
    }

    pub(crate) async fn audit(&self, e: NewAuditEntry) -> Result<AuditEntry> {
        match self.submit(Job::Audit(e)).await? {
            Output::Audit(a) => Ok(*a),
            Output::Done => Err(StoreError::Corrupt("audit append returned no entry".into())),
        }
    }
}

/// Appends one chained audit row inside the open transaction and evaluates to the stored
/// [`AuditEntry`]; `$prev` is the hash of the chain head, read under the chain lock (see
/// `begin_chained!`). A macro (not a fn) so that it works with either backend's transaction.
/// The one place an audit row is written: the writer, alerts, cases and sessions all use it.
macro_rules! append_audit_row {
    ($conn:expr, $prev:expr, $audit:expr) => {{
        let audit: &$crate::NewAuditEntry = $audit;
        let at = $crate::now();
        // serde_json without preserve_order sorts keys: the text is canonical.
        let detail = audit.detail.to_string();
        let hash = $crate::audit_hash(
            &$prev,
            at,
            audit.member_id.as_deref(),
            &audit.actor,
            &audit.action,
            audit.object_type.as_deref(),
            audit.object_id.as_deref(),
            &detail,
        );
        let (seq,): (i64,) = sqlx::query_as(
            "INSERT INTO audit_log (at, member_id, actor, action, object_type, object_id, \
             detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING seq",
        )
        .bind(at)
        .bind(&audit.member_id)
        .bind(&audit.actor)
        .bind(&audit.action)
        .bind(&audit.object_type)
        .bind(&audit.object_id)
        .bind(&detail)
        .bind(&$prev)
        .bind(&hash)
        .fetch_one($conn)
        .await?;
        $crate::AuditEntry {
            seq,
            at,
            member_id: audit.member_id.clone(),
            actor: audit.actor.clone(),
            action: audit.action.clone(),
            object_type: audit.object_type.clone(),
            object_id: audit.object_id.clone(),
            detail,
            prev_hash: $prev,
            hash,
        }
    }};
}
pub(crate) use append_audit_row;

async fn run(
    backend: Backend,
    mut rx: mpsc::Receiver<(Job, Reply)>,
    stats: Arc<Mutex<WriterStats>>,
) {
    // Screening contexts known to be in the database (written by an earlier commit of this
    // writer); others are inserted, idempotently, in the transaction that first needs them.
    let mut known = HashSet::new();
    let mut checkpoint = Checkpointer::default();
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => batch.push(j),
                Err(_) => break,
            }
        }
        let jobs: Vec<&Job> = batch.iter().map(|(j, _)| j).collect();
        let started = Instant::now();
        let committed = commit(&backend, &jobs, &mut known).await;
        if let Ok(mut s) = stats.lock() {
            s.commits += 1;
            s.jobs += jobs.len() as u64;
            s.commit.observe(started.elapsed());
        }
        checkpoint.after_commit(&backend);
        match committed {
            Ok(outputs) => {
                for ((_, reply), out) in batch.into_iter().zip(outputs) {
                    let _ = reply.send(Ok(out));
                }
            }
            Err(e) if batch.len() == 1 => {
                if let Some((_, reply)) = batch.pop() {
                    let _ = reply.send(Err(e));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, jobs = batch.len(), "batch commit failed; retrying jobs one by one");
                for (job, reply) in batch {
                    let r = commit(&backend, &[&job], &mut known)
                        .await
                        .and_then(|mut o| {
                            o.pop()
                                .ok_or_else(|| StoreError::Corrupt("empty commit output".into()))
                        });
                    let _ = reply.send(r);
                }
            }
        }
    }
}

/// SQLite only: copies the WAL back into the database file at most once per
/// [`CHECKPOINT_EVERY`], on another pooled connection, so commits do not wait for it (the
/// connections' automatic checkpoint is raised to 10,000 pages, a backstop). A PASSIVE
/// checkpoint does not block the writer; if readers keep it from finishing, the next one
/// continues.
#[derive(Debug)]
struct Checkpointer {
    last: std::time::Instant,
    running: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// How often the WAL is checkpointed while writes go on.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

impl Default for Checkpointer {
    fn default() -> Self {
        Checkpointer {
            last: std::time::Instant::now(),
            running: Default::default(),
        }
    }
}

impl Checkpointer {
    fn after_commit(&mut self, backend: &Backend) {
        use std::sync::atomic::Ordering;
        let Backend::Sqlite(pool) = backend else {
            return;
        };
        if self.last.elapsed() < CHECKPOINT_EVERY || self.running.swap(true, Ordering::AcqRel) {
            return;
        }
        self.last = std::time::Instant::now();
        let (pool, running) = (pool.clone(), self.running.clone());
        tokio::spawn(async move {
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await
            {
                tracing::warn!(error = %e, "WAL checkpoint failed; the next one retries");
            }
            running.store(false, Ordering::Release);
        });
    }
}

async fn commit(
    backend: &Backend,
    jobs: &[&Job],
    known: &mut HashSet<String>,
) -> Result<Vec<Output>> {
    let needs_chain = jobs.iter().any(|j| !matches!(j, Job::Screenings(_)));
    let mut new_contexts: Vec<&crate::ScreeningContext> = Vec::new();
    for job in jobs {
        if let Job::Screenings(list) = job {
            for s in list {
                if !known.contains(&s.context.id)
                    && !new_contexts.iter().any(|c| c.id == s.context.id)
                {
                    new_contexts.push(&s.context);
                }
            }
        }
    }
    let committed = commit_tx(backend, jobs, needs_chain, &new_contexts).await?;
    if known.len() > MAX_KNOWN_CONTEXTS {
        // Many distinct `/match` parameter sets: forget them; re-inserting is a no-op.
        known.clear();
    }
    known.extend(new_contexts.iter().map(|c| c.id.clone()));
    Ok(committed)
}

async fn commit_tx(
    backend: &Backend,
    jobs: &[&Job],
    needs_chain: bool,
    new_contexts: &[&crate::ScreeningContext],
) -> Result<Vec<Output>> {
    dispatch!(backend, pool => {
        let mut tx = if matches!(backend, Backend::Sqlite(_)) {
            // IMMEDIATE takes the write lock up front, so reading the chain head and appending
            // cannot interleave with another writer process.
            pool.begin_with("BEGIN IMMEDIATE").await?
        } else {
            pool.begin().await?
        };
        let mut prev: Option<String> = None;
        if needs_chain {
            if matches!(backend, Backend::Postgres(_)) {
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(AUDIT_LOCK_KEY)
                    .execute(&mut *tx)
                    .await?;
            }
            let head: Option<(String,)> =
                sqlx::query_as("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                    .fetch_optional(&mut *tx)
                    .await?;
            prev = Some(head.map(|h| h.0).unwrap_or_else(|| GENESIS_HASH.to_string()));
        }
        let mut outputs = Vec::with_capacity(jobs.len());
        let mut screenings: Vec<&NewScreening> = Vec::new();
        for job in jobs {
            match job {
                Job::Screenings(list) => {
                    // Rows are inserted below, all screening jobs of this transaction together
                    // in multi-row statements (one round trip to the database per chunk instead
                    // of one per row); the job is answered only after the commit either way.
                    screenings.extend(list.iter());
                    outputs.push(Output::Done);
                }
                Job::Decision(d, audit) => {
                    sqlx::query(
                        "INSERT INTO decisions (id, hit_id, member_id, subject_key, entity_id, \
                         decision, comment, decided_by_key, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .bind(&d.id)
                    .bind(&d.hit_id)
                    .bind(&d.member_id)
                    .bind(&d.subject_key)
                    .bind(&d.entity_id)
                    .bind(d.decision.as_str())
                    .bind(&d.comment)
                    .bind(&d.decided_by_key)
                    .bind(d.created_at)
                    .execute(&mut *tx)
                    .await?;
                    let p = prev.take().unwrap_or_else(|| GENESIS_HASH.to_string());
                    let entry = append_audit_row!(&mut *tx, p, audit);
                    prev = Some(entry.hash.clone());
                    outputs.push(Output::Done);
                }
                Job::Audit(audit) => {
                    let p = prev.take().unwrap_or_else(|| GENESIS_HASH.to_string());
                    let entry = append_audit_row!(&mut *tx, p, audit);
                    prev = Some(entry.hash.clone());
                    outputs.push(Output::Audit(Box::new(entry)));
                }
            }
        }
        for c in new_contexts {
            sqlx::query(
                "INSERT INTO screening_contexts (id, lists, config, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
            )
            .bind(&c.id)
            .bind(Json(&c.lists))
            .bind(Json(&c.config))
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
        for chunk in screenings.chunks(ROWS_PER_INSERT) {
            // The pre-0004 JSON columns are NOT NULL; new rows hold the JSON text `null` there
            // and their content in `payload` (see migration 0004).
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO screenings (id, member_id, key_id, endpoint, reference, \
                 subject_key, request, results, lists, config, created_at, encoding, payload, \
                 context_id) ",
            );
            q.push_values(chunk, |mut b, s| {
                b.push_bind(&s.id)
                    .push_bind(&s.member_id)
                    .push_bind(&s.key_id)
                    .push_bind(&s.endpoint)
                    .push_bind(&s.reference)
                    .push_bind(&s.subject_key)
                    .push("'null'")
                    .push("'null'")
                    .push("'null'")
                    .push("'null'")
                    .push_bind(s.created_at)
                    .push_bind(crate::PAYLOAD_ENCODING)
                    .push_bind(s.payload.compressed())
                    .push_bind(&s.context.id);
            });
            q.build().execute(&mut *tx).await?;
        }
        let hits: Vec<(&NewScreening, &crate::NewHit)> = screenings
            .iter()
            .flat_map(|s| s.hits.iter().map(move |h| (*s, h)))
            .collect();
        for chunk in hits.chunks(ROWS_PER_INSERT) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO hits (id, screening_id, member_id, subject_key, entity_id, rank, \
                 score, is_match, matched_name, caption, suppressed_by, created_at) ",
            );
            q.push_values(chunk, |mut b, (s, h)| {
                b.push_bind(&h.id)
                    .push_bind(&s.id)
                    .push_bind(&s.member_id)
                    .push_bind(&s.subject_key)
                    .push_bind(&h.entity_id)
                    .push_bind(h.rank)
                    .push_bind(h.score)
                    .push_bind(h.is_match)
                    .push_bind(&h.matched_name)
                    .push_bind(&h.caption)
                    .push_bind(&h.suppressed_by)
                    .push_bind(s.created_at);
            });
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(outputs)
    })
}
