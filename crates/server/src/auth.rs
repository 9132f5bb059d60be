//! API-key authentication. Keys arrive as `Authorization: Bearer <key>`,
//! `Authorization: ApiKey <key>` (what yente clients send) or `X-API-Key: <key>`.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::{StatusCode, header, request::Parts};
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
