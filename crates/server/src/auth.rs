//! Authentication: an API key, or the browser session cookie of the analyst workspace.
//!
//! Keys arrive as `Authorization: Bearer <key>`, `Authorization: ApiKey <key>` (what yente
//! clients send) or `X-API-Key: <key>`. A browser signs in once with a key
//! (`POST /v1/session`) and then sends the `raqib_session` cookie (HttpOnly, SameSite=Strict).
//! A key header wins when both are present.
//!
//! CSRF: with the cookie, every request other than GET/HEAD must carry `X-Raqib-Request: 1`,
//! else 403 `csrf_header_missing`. A browser adds custom headers only for same-origin scripts
//! (cross-site it needs a CORS preflight, which this service never grants), so a forged form
//! or link from another site cannot act with the analyst's session. SameSite=Strict is the
//! first wall, this header the second.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::{Method, StatusCode, header, request::Parts};
use store::{Principal, Role};

/// The authenticated caller. Extracting it answers 401 for a missing or invalid key.
#[derive(Debug, Clone)]
pub struct Auth(pub Principal);

impl Auth {
    /// 403 unless the caller's role includes `needed`.
    pub fn require(&self, needed: Role) -> Result<&Principal, ApiError> {
        if self.0.role.allows(needed) {
            Ok(&self.0)
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!(
                    "this needs the {needed} role; the key has the {} role",
                    self.0.role
                ),
            ))
        }
    }
}

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "raqib_session";
/// The CSRF guard header (value `1`) required with the cookie on non-GET requests.
pub const CSRF_HEADER: &str = "x-raqib-request";

/// The `raqib_session` cookie's value, if the request carries one.
pub fn session_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| name.trim() == SESSION_COOKIE)
        .map(|(_, value)| value.trim().trim_matches('"').to_string())
        .filter(|v| !v.is_empty())
}

/// True when the request carries `X-Raqib-Request: 1`.
pub fn has_csrf_header(parts: &Parts) -> bool {
    parts
        .headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() == "1")
}

/// 403 unless a cookie-authenticated request is safe (GET/HEAD) or carries the CSRF header.
pub fn check_csrf(parts: &Parts) -> Result<(), ApiError> {
    let safe = parts.method == Method::GET || parts.method == Method::HEAD;
    if safe || has_csrf_header(parts) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf_header_missing",
            "requests authenticated by the session cookie must send the header `X-Raqib-Request: 1`",
        ))
    }
}

fn presented_key(parts: &Parts) -> Option<String> {
    if let Some(v) = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let v = v.trim();
        for scheme in ["Bearer ", "ApiKey ", "bearer ", "apikey ", "Token "] {
            if let Some(k) = v.strip_prefix(scheme) {
                return Some(k.trim().to_string());
            }
        }
        return Some(v.to_string());
    }
    parts
        .headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_string())
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(key) = presented_key(parts) else {
            if let Some(token) = session_token(parts) {
                check_csrf(parts)?;
                return match state.store().session(&token).await? {
                    Some(s) => Ok(Auth(s.principal)),
                    None => Err(ApiError::new(
                        StatusCode::UNAUTHORIZED,
                        "invalid_session",
                        "the session has ended or expired (or its key was revoked): sign in again",
                    )),
                };
            }
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "missing_api_key",
                "an API key is required: send `Authorization: Bearer <key>`",
            ));
        };
        match state.store().authenticate(&key).await? {
            Some(p) => Ok(Auth(p)),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_api_key",
                "the API key is not valid (unknown, malformed or revoked)",
            )),
        }
    }
}
