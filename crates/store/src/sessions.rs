//! Browser sessions for the analyst workspace.
//!
//! A member signs in once with an API key; the browser then holds a random 256-bit token in an
//! HttpOnly cookie instead of the key. The store keeps only the token's SHA-256 (a copied
//! database hands out no live session) and ties the session to the key that opened it: a
//! revoked key ends its sessions too. Sign-in, failed sign-in and sign-out are audit entries,
//! written in the same transaction as the session row.
//!
//! Verified sessions are cached in memory for [`crate::KEY_CACHE_TTL`], like keys, so UI
//! traffic does not read the database on every request. The cache belongs to the `Store`
//! (keyed by the token's hash). A session ended, or whose key is revoked, through this
//! `Store` leaves the cache at once; one ended or revoked elsewhere stops working within the
//! TTL, as for keys.

use crate::cases::begin_chained;
use crate::writer::append_audit_row;
use crate::{NewAuditEntry, Principal, Result, Role, Store, StoreError, dispatch, now};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a session lives from sign-in (the cookie's `Max-Age`): one working day. There is
/// no sliding renewal: an analyst signs in again the next day.
pub const SESSION_TTL: Duration = Duration::from_secs(12 * 3600);

/// Longest user agent kept with a session (it is informational).
const MAX_USER_AGENT: usize = 300;

/// A live browser session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub id: String,
    /// The member, key and role the session acts as (the key that signed in).
    pub principal: Principal,
    /// The key's label (usually the analyst's name).
    pub label: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A session just opened: `token` goes into the cookie and is never stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub session: Session,
}

/// A verified session, kept in the `Store` for [`crate::KEY_CACHE_TTL`] like verified keys.
#[derive(Debug)]
pub(crate) struct CachedSession {
    session: Session,
    fetched: Instant,
}

/// Sessions by token hash. Owned by the `Store` (not process-wide) so two stores in one
/// process (tests, a migration tool) never see each other's entries.
pub(crate) type SessionCache = Mutex<HashMap<[u8; 32], CachedSession>>;

impl crate::Store {
    /// Forgets the cached sessions of a key, so revoking it ends them at once in this process.
    pub(crate) fn forget_sessions_of_key(&self, key_id: &str) {
        if let Ok(mut cache) = self.inner.sessions.lock() {
            cache.retain(|_, c| c.session.principal.key_id != key_id);
        }
    }
}

fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.trim().as_bytes()).into()
}

/// A token as issued: 64 lowercase hex digits. Anything else is refused before hashing.
fn well_formed(token: &str) -> bool {
    let t = token.trim();
    t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: String,
    member_id: String,
    member_name: String,
    key_id: String,
    role: String,
    label: Option<String>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    ended_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Signs in with an API key: a new session for the key's member and role, and a
    /// `session.signed_in` audit entry, committed together. A malformed, unknown or revoked
    /// key gives `None` and a `session.sign_in_failed` entry (no member; never the key, only
    /// the key id when the key is well-formed).
    pub async fn sign_in(
        &self,
        presented_key: &str,
        user_agent: Option<&str>,
    ) -> Result<Option<NewSession>> {
        let user_agent = user_agent.map(|u| u.chars().take(MAX_USER_AGENT).collect::<String>());
        let Some(principal) = self.authenticate(presented_key).await? else {
            let key_id = crate::parse_key(presented_key.trim()).map(|(id, _)| id.to_string());
            self.append_audit(NewAuditEntry {
                member_id: None,
                actor: "anonymous".into(),
                action: "session.sign_in_failed".into(),
                object_type: Some("session".into()),
                object_id: None,
                detail: serde_json::json!({
                    "reason": if key_id.is_some() { "unknown_or_revoked_key" } else { "malformed_key" },
                    "key_id": key_id,
                    "user_agent": user_agent,
                }),
            })
            .await?;
            return Ok(None);
        };
        let token = hex::encode(rand::random::<[u8; 32]>());
        let hash = hex::encode(token_hash(&token));
        let created_at = now();
        let ttl = chrono::Duration::from_std(SESSION_TTL).map_err(|e| StoreError::Invalid {
            field: "session_ttl",
            reason: e.to_string(),
        })?;
        let expires_at = created_at + ttl;
        let id = crate::new_id("ses");
        let backend = &self.inner.backend;
        let label: Option<String> = dispatch!(backend, pool => {
            let (mut tx, prev) = begin_chained!(backend, pool);
            let label: Option<(Option<String>,)> =
                sqlx::query_as("SELECT label FROM api_keys WHERE id = $1")
                    .bind(&principal.key_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let label = label.and_then(|l| l.0);
            sqlx::query(
                "INSERT INTO sessions (id, token_sha256, member_id, key_id, created_at, \
                 expires_at, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&id)
            .bind(&hash)
            .bind(&principal.member_id)
            .bind(&principal.key_id)
            .bind(created_at)
            .bind(expires_at)
            .bind(&user_agent)
            .execute(&mut *tx)
            .await?;
            append_audit_row!(&mut *tx, prev.clone(), &NewAuditEntry {
                member_id: Some(principal.member_id.clone()),
                actor: principal.key_id.clone(),
                action: "session.signed_in".into(),
                object_type: Some("session".into()),
                object_id: Some(id.clone()),
                detail: serde_json::json!({
                    "role": principal.role.as_str(),
                    "label": label,
                    "expires_at": expires_at,
                    "user_agent": user_agent,
                }),
            });
            tx.commit().await?;
            label
        });
        Ok(Some(NewSession {
            token,
            session: Session {
                id,
                principal,
                label,
                created_at,
                expires_at,
            },
        }))
    }

    /// The live session a cookie token names; `None` when the token is malformed, unknown,
    /// ended, expired, or its key has been revoked.
    pub async fn session(&self, token: &str) -> Result<Option<Session>> {
        if !well_formed(token) {
            return Ok(None);
        }
        let key = token_hash(token);
        let at = Utc::now();
        if let Ok(cache) = self.inner.sessions.lock()
            && let Some(c) = cache.get(&key)
            && c.fetched.elapsed() < crate::KEY_CACHE_TTL
        {
            return Ok((c.session.expires_at > at).then(|| c.session.clone()));
        }
        let row: Option<SessionRow> = dispatch!(&self.inner.backend, pool => {
            sqlx::query_as::<_, SessionRow>(
                "SELECT s.id, s.member_id, m.name AS member_name, s.key_id, k.role, k.label, \
                        s.created_at, s.expires_at, s.ended_at, k.revoked_at \
                 FROM sessions s JOIN api_keys k ON k.id = s.key_id \
                 JOIN members m ON m.id = s.member_id WHERE s.token_sha256 = $1",
            )
            .bind(hex::encode(key))
            .fetch_optional(pool)
            .await?
        });
        let Some(row) = row else { return Ok(None) };
        if row.ended_at.is_some() || row.revoked_at.is_some() || row.expires_at <= at {
            if let Ok(mut cache) = self.inner.sessions.lock() {
                cache.remove(&key);
            }
            return Ok(None);
        }
        let role = Role::parse(&row.role).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "session {} has unknown role {:?}",
                row.id, row.role
            ))
        })?;
        let session = Session {
            id: row.id,
            principal: Principal {
                key_id: row.key_id,
                member_id: row.member_id,
                member_name: row.member_name,
                role,
            },
            label: row.label,
            created_at: row.created_at,
            expires_at: row.expires_at,
        };
        if let Ok(mut cache) = self.inner.sessions.lock() {
            if cache.len() > 10_000 {
                cache.retain(|_, c| c.fetched.elapsed() < crate::KEY_CACHE_TTL);
                if cache.len() > 10_000 {
                    cache.clear();
                }
            }
            cache.insert(
                key,
                CachedSession {
                    session: session.clone(),
                    fetched: Instant::now(),
                },
            );
        }
        Ok(Some(session))
    }

    /// Ends the session a token names (sets `ended_at`, appends `session.signed_out`, one
    /// transaction). Returns the ended session, or `None` when there was no live one.
    pub async fn end_session(&self, token: &str) -> Result<Option<Session>> {
        let Some(session) = self.session(token).await? else {
            return Ok(None);
        };
        let key = token_hash(token);
        if let Ok(mut cache) = self.inner.sessions.lock() {
            cache.remove(&key);
        }
        let at = now();
        let backend = &self.inner.backend;
        let ended = dispatch!(backend, pool => {
            let (mut tx, prev) = begin_chained!(backend, pool);
            let n = sqlx::query(
                "UPDATE sessions SET ended_at = $1 WHERE token_sha256 = $2 AND ended_at IS NULL",
            )
            .bind(at)
            .bind(hex::encode(key))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n > 0 {
                append_audit_row!(&mut *tx, prev.clone(), &NewAuditEntry {
                    member_id: Some(session.principal.member_id.clone()),
                    actor: session.principal.key_id.clone(),
                    action: "session.signed_out".into(),
                    object_type: Some("session".into()),
                    object_id: Some(session.id.clone()),
                    detail: serde_json::json!({"started_at": session.created_at}),
                });
            }
            tx.commit().await?;
            n > 0
        });
        Ok(ended.then_some(session))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_issued_token_shapes_are_looked_up() {
        assert!(well_formed(&"ab".repeat(32)));
        assert!(!well_formed("short"));
        assert!(!well_formed(&"zz".repeat(32)));
        assert!(!well_formed(""));
    }

    #[test]
    fn token_hash_ignores_surrounding_space_only() {
        let t = "ab".repeat(32);
        assert_eq!(token_hash(&t), token_hash(&format!(" {t} ")));
        assert_ne!(token_hash(&t), token_hash(&"ac".repeat(32)));
    }
}
