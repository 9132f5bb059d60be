//! Request extractors whose failures come out as [`ApiError`] bodies instead of axum's
//! plain-text rejections.

use crate::error::ApiError;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{StatusCode, header, request::Parts};
use bytes::Bytes;
use serde::de::DeserializeOwned;

/// JSON body. Accepts `application/json`, no content type, or the form/text types that
/// command-line clients send by default when the body is JSON; refuses multipart and XML with
/// 415. Errors name the JSON
/// path of the bad field.
#[derive(Debug, Clone)]
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let RawJson(bytes) = RawJson::from_request(req, state).await?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// A JSON body left as bytes, for handlers that parse it themselves and keep the exact text
/// (`POST /v1/screen` stores the request as received). Same content-type and size checks as
/// [`JsonBody`]; the JSON itself is not checked here.
#[derive(Debug, Clone)]
pub struct RawJson(pub Bytes);

impl<S> FromRequest<S> for RawJson
where
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(ct) = req.headers().get(header::CONTENT_TYPE) {
            let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
            let essence = ct.split(';').next().unwrap_or("").trim();
            // curl -d sends application/x-www-form-urlencoded; a JSON body under it (or text/plain)
            // is accepted. Types that are certainly not JSON are refused.
            if essence.starts_with("multipart/") || essence.contains("xml") {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    format!("expected an application/json body, got {essence:?}"),
                ));
            }
        }
        let limit = req
            .extensions()
            .get::<crate::BodyLimit>()
            .map(|l| l.0)
            .unwrap_or(0);
        let bytes = Bytes::from_request(req, state).await.map_err(|rej| {
            if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::payload_too_large(limit)
            } else {
                ApiError::bad_request("unreadable_body", rej.body_text())
            }
        })?;
        Ok(RawJson(bytes))
    }
}

/// Parses JSON, reporting the path of the failing field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ApiError::bad_request(
            "invalid_json",
            "the request body is empty; expected JSON",
        ));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let syntax = inner.is_syntax() || inner.is_eof();
        let code = if syntax {
            "invalid_json"
        } else {
            "invalid_field"
        };
        if path.is_empty() || path == "." || syntax {
            ApiError::bad_request(code, format!("invalid JSON: {inner}"))
        } else {
            ApiError::bad_request(code, format!("{path}: {inner}")).with_field(path)
        }
    })
}

/// Query-string pairs in order, repeated keys kept (yente's `exclude_dataset=a&exclude_dataset=b`).
#[derive(Debug, Clone, Default)]
pub struct QueryPairs(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for QueryPairs {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .map(QueryPairs)
            .map_err(|e| {
                ApiError::bad_request("invalid_query", format!("invalid query string: {e}"))
            })
    }
}

impl QueryPairs {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
            })
            .collect()
    }

    pub fn f64(&self, key: &str) -> Result<Option<f64>, ApiError> {
        match self.get(key) {
            None | Some("") => Ok(None),
            Some(v) => v
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| ApiError::invalid(key, format!("expected a number, got {v:?}"))),
        }
    }

    pub fn usize(&self, key: &str) -> Result<Option<usize>, ApiError> {
        match self.get(key) {
            None | Some("") => Ok(None),
            Some(v) => v
                .parse::<usize>()
                .map(Some)
                .map_err(|_| ApiError::invalid(key, format!("expected a whole number, got {v:?}"))),
        }
    }
}
