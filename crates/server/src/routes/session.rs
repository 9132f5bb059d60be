//! Browser sign-in for the analyst workspace: `POST /v1/session` exchanges an API key for a
//! session cookie, `GET /v1/session` says who the cookie is, `POST /v1/session/end` signs out.
//!
//! The cookie holds a random 256-bit token (the store keeps only its SHA-256); it is HttpOnly
//! (scripts cannot read it), SameSite=Strict (never sent on cross-site requests), Path=/ and
//! lives [`store::SESSION_TTL`]. `Secure` is added when the request came through a TLS proxy
//! (`X-Forwarded-Proto: https`); on plain-HTTP localhost it would stop the cookie working.

use crate::AppState;
use crate::auth::{self, SESSION_COOKIE};
use crate::error::{ApiError, ErrorBody};
use crate::extract::JsonBody;
use crate::throttle;
use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::time::Instant;
use utoipa::ToSchema;

/// Body of `POST /v1/session`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    /// A member API key (`rqb_…`).
    pub key: String,
}

/// The member a session or key belongs to.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MemberRef {
    pub id: String,
    pub name: String,
}

/// Who the session is.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SessionResponse {
    pub member: MemberRef,
    /// The key that signed in (its id, never the key).
    pub key_id: String,
    /// `screener`, `analyst` or `admin`.
    pub role: String,
    /// The key's label (usually the analyst's name).
    pub label: Option<String>,
    pub expires_at: DateTime<Utc>,
}

fn session_json(s: &store::Session) -> SessionResponse {
    SessionResponse {
        member: MemberRef {
            id: s.principal.member_id.clone(),
            name: s.principal.member_name.clone(),
        },
        key_id: s.principal.key_id.clone(),
        role: s.principal.role.as_str().to_string(),
        label: s.label.clone(),
        expires_at: s.expires_at,
    }
}

fn secure(headers: &HeaderMap) -> &'static str {
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    if https { "; Secure" } else { "" }
}

fn cookie(value: &str, max_age: u64, headers: &HeaderMap) -> Result<HeaderValue, ApiError> {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{}",
        secure(headers)
    ))
    .map_err(ApiError::internal)
}

/// The request's head, for handlers that look at cookies and headers themselves.
pub(crate) struct Head(Parts);

impl<S: Send + Sync> FromRequestParts<S> for Head {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Head(parts.clone()))
    }
}

fn no_session() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "no_session",
        "not signed in (no session cookie, or the session has ended or expired)",
    )
}

/// Sign in with an API key: sets the `raqib_session` cookie.
///
/// Login CSRF guard: the body must come as `application/json` or with `X-Raqib-Request: 1`
/// (a cross-site HTML form can send neither). Every attempt is audited; a failed one without
/// the key. After 10 failures from one address in 5 minutes, sign-ins from it get 429 with
/// `Retry-After` (not checked, not audited) until the oldest failure is 5 minutes old.
#[utoipa::path(post, path = "/v1/session", tag = "session",
    request_body = SignInRequest,
    responses((status = 200, body = SessionResponse,
               headers(("set-cookie" = String, description = "raqib_session=<token>; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200"))),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody),
              (status = 429, body = ErrorBody, headers(("retry-after" = u64, description = "Seconds until the next attempt is accepted")))))]
pub(crate) async fn sign_in(
    State(state): State<AppState>,
    Head(head): Head,
    JsonBody(req): JsonBody<SignInRequest>,
) -> Result<Response, ApiError> {
    let json = head
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if !json && !auth::has_csrf_header(&head) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf_header_missing",
            "sign in with an application/json body or the header `X-Raqib-Request: 1`",
        ));
    }
    let peer = head
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let limiter = state.sign_in_throttle();
    if let Err(retry) = limiter.check(peer, Instant::now()) {
        let mut resp = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_failed_sign_ins",
            format!(
                "{} failed sign-ins from this address in {} minutes; try again in {} s",
                throttle::MAX_FAILURES,
                throttle::WINDOW.as_secs() / 60,
                retry.as_secs()
            ),
        )
        .into_response();
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry.as_secs()));
        return Ok(resp);
    }
    let ua = head
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let Some(new) = state.store().sign_in(&req.key, ua).await? else {
        limiter.failed(peer, Instant::now());
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_api_key",
            "the API key is not valid (unknown, malformed or revoked)",
        ));
    };
    limiter.succeeded(peer);
    let set = cookie(&new.token, store::SESSION_TTL.as_secs(), &head.headers)?;
    let mut resp = Json(session_json(&new.session)).into_response();
    resp.headers_mut().insert(header::SET_COOKIE, set);
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// Who the session cookie signs in as (401 without a live session).
#[utoipa::path(get, path = "/v1/session", tag = "session",
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody)))]
pub(crate) async fn current(
    State(state): State<AppState>,
    Head(head): Head,
) -> Result<Response, ApiError> {
    let token = auth::session_token(&head).ok_or_else(no_session)?;
    let s = state
        .store()
        .session(&token)
        .await?
        .ok_or_else(no_session)?;
    let mut resp = Json(session_json(&s)).into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// Sign out: ends the session (audited) and clears the cookie. Idempotent: without a live
/// session it only clears the cookie. Needs `X-Raqib-Request: 1` like every cookie POST.
#[utoipa::path(post, path = "/v1/session/end", tag = "session",
    responses((status = 204, description = "Signed out; the cookie is cleared"),
              (status = 403, body = ErrorBody)))]
pub(crate) async fn end(
    State(state): State<AppState>,
    Head(head): Head,
) -> Result<Response, ApiError> {
    if let Some(token) = auth::session_token(&head) {
        auth::check_csrf(&head)?;
        state.store().end_session(&token).await?;
    }
    let mut resp = StatusCode::NO_CONTENT.into_response();
    resp.headers_mut()
        .insert(header::SET_COOKIE, cookie("", 0, &head.headers)?);
    Ok(resp)
}
