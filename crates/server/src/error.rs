//! The one error type of the API. Every failure becomes a status code and a JSON body
//! `{"code": "...", "message": "...", "field": "..."}`; `field` names the offending request
//! field (a JSON path such as `queries[2].name`) when there is one. Client mistakes are 4xx;
//! 5xx only for failures on our side, and those never echo internals to the caller.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// Error body returned with every non-2xx status.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `invalid_json`, `missing_api_key`, `not_found`.
    pub code: String,
    /// What went wrong, for a human; names the bad field.
    pub message: String,
    /// JSON path of the offending field, when the error is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    /// 400 about one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        let field = field.into();
        let message = format!("{field}: {}", message.into());
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", message).with_field(field)
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn not_found(what: &str, id: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} {id:?} not found"),
        )
    }

    pub fn payload_too_large(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the request body is larger than the limit of {limit} bytes"),
        )
    }

    /// 500 without internals: the cause is logged with a reference the caller can quote.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        let reference = store::new_id("err");
        tracing::error!(%reference, error = %cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            format!("internal error (reference {reference})"),
        )
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code.to_string(),
            message: self.message.clone(),
            field: self.field.clone(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, axum::Json(self.body())).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> ApiError {
        use store::StoreError as E;
        match e {
            E::NotFound { what, id } => ApiError::not_found(what, &id),
            E::Invalid { field, reason } => ApiError::invalid(field, reason),
            e if e.is_unavailable() => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "database_busy",
                "the database is busy; retry shortly",
            ),
            other => ApiError::internal(other),
        }
    }
}

impl From<screening::ScreenError> for ApiError {
    fn from(e: screening::ScreenError) -> ApiError {
        use screening::ScreenError as E;
        let field = match &e {
            E::EmptyName | E::NoLetters(_) | E::NameTooLong { .. } => "name",
            E::InvalidBirthDate(_) => "birth_date",
            E::InvalidThreshold(_) => "threshold",
        };
        ApiError::invalid(field, e.to_string())
    }
}

impl ApiError {
    /// Prefixes the field path (for errors inside a batch item: `queries[3]`).
    pub fn in_item(mut self, prefix: &str) -> ApiError {
        if let Some(f) = &self.field {
            let full = format!("{prefix}.{f}");
            self.message = self.message.replacen(f.as_str(), &full, 1);
            self.field = Some(full);
        } else {
            self.message = format!("{prefix}: {}", self.message);
            self.field = Some(prefix.to_string());
        }
        self
    }
}
