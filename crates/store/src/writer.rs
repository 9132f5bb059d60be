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
    audit_hash, dispatch, now,
};
use sqlx::types::Json;
use tokio::sync::{mpsc, oneshot};

/// Most jobs per transaction; bounds the latency a single commit adds.
const MAX_BATCH: usize = 512;
/// Queue depth; callers wait (back-pressure) when the writer falls behind.
const QUEUE: usize = 4096;
/// Rows per multi-row `INSERT`: 12 columns × 400 rows = 4,800 bound parameters, well under
/// SQLite's (32,766) and PostgreSQL's (65,535) limits.
const ROWS_PER_INSERT: usize = 400;
/// Arbitrary constant naming the audit chain lock in PostgreSQL.
const AUDIT_LOCK_KEY: i64 = 0x7261_7169_6261_7564;

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
}

impl Writer {
    pub(crate) fn spawn(backend: Backend) -> Writer {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(backend, rx));
        Writer { tx }
    }

    async fn submit(&self, job: Job) -> Result<Output> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send((job, reply))
            .await
            .map_err(|_| StoreError::WriterGone)?;
        rx.await.map_err(|_| StoreError::WriterGone)?
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
/// [`AuditEntry`]. A macro (not a fn) so that it works with either backend's transaction.
macro_rules! append_audit_row {
    ($conn:expr, $prev:expr, $audit:expr) => {{
        let audit: &NewAuditEntry = $audit;
        let at = now();
        // serde_json without preserve_order sorts keys: the text is canonical.
        let detail = audit.detail.to_string();
        let hash = audit_hash(
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
        AuditEntry {
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

async fn run(backend: Backend, mut rx: mpsc::Receiver<(Job, Reply)>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => batch.push(j),
                Err(_) => break,
            }
        }
        let jobs: Vec<&Job> = batch.iter().map(|(j, _)| j).collect();
        match commit(&backend, &jobs).await {
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
                    let r = commit(&backend, &[&job]).await.and_then(|mut o| {
                        o.pop()
                            .ok_or_else(|| StoreError::Corrupt("empty commit output".into()))
                    });
                    let _ = reply.send(r);
                }
            }
        }
    }
}

async fn commit(backend: &Backend, jobs: &[&Job]) -> Result<Vec<Output>> {
    let needs_chain = jobs.iter().any(|j| !matches!(j, Job::Screenings(_)));
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
        for chunk in screenings.chunks(ROWS_PER_INSERT) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO screenings (id, member_id, key_id, endpoint, reference, \
                 subject_key, request, results, lists, config, created_at) ",
            );
            q.push_values(chunk, |mut b, s| {
                b.push_bind(&s.id)
                    .push_bind(&s.member_id)
                    .push_bind(&s.key_id)
                    .push_bind(&s.endpoint)
                    .push_bind(&s.reference)
                    .push_bind(&s.subject_key)
                    .push_bind(Json(&s.request))
                    .push_bind(Json(&s.results))
                    .push_bind(Json(s.lists.as_ref()))
                    .push_bind(Json(s.config.as_ref()))
                    .push_bind(s.created_at);
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
