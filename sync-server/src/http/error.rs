//! The one error type of handlers, answered as `{code, message}`. Details of 5xx answers are
//! logged, not sent.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use qoder_domain::{CodedError, ErrorBody, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Missing, malformed, expired or forged credentials; wrong login.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// Authenticated, but not allowed to touch this.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    /// The body or query is not well-formed (400).
    #[error("{0}")]
    Malformed(String),
    #[error("the body must be JSON (Content-Type: application/json)")]
    NotJson,
    /// Well-formed, but breaks a rule (422).
    #[error("{0}")]
    Validation(String),
    #[error("the request body is larger than the limit")]
    PayloadTooLarge,
    /// A record or an account's storage over its limit (413, the message says which).
    #[error("{0}")]
    TooLarge(String),
    /// Too many requests or failed logins; `retry_after` seconds go in the Retry-After header.
    #[error("{message}")]
    RateLimited { message: &'static str, retry_after: u64 },
    /// At capacity or a dependency is down; 503 with Retry-After (code `rate_limited`: the
    /// client should come back later).
    #[error("{message}")]
    Unavailable { message: &'static str, retry_after: u64 },
    /// A service we depend on (Stripe, an AI provider) failed or refused (502; the message
    /// says which).
    #[error("{0}")]
    Upstream(String),
    /// A plan's usage limit (402, the body is a `LimitReached`).
    #[error("{}", .0.message)]
    LimitReached(Box<qoder_sync::billing::LimitReached>),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, ErrorCode::Conflict),
            ApiError::Malformed(_) => (StatusCode::BAD_REQUEST, ErrorCode::Validation),
            ApiError::NotJson => (StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::Validation),
            ApiError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation),
            ApiError::PayloadTooLarge | ApiError::TooLarge(_) => {
                (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge)
            }
            ApiError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited),
            ApiError::Unavailable { .. } => {
                (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::RateLimited)
            }
            ApiError::Upstream(_) => (StatusCode::BAD_GATEWAY, ErrorCode::Upstream),
            ApiError::LimitReached(_) => (StatusCode::PAYMENT_REQUIRED, ErrorCode::LimitReached),
            ApiError::Database(_) | ApiError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
            }
        }
    }
}

/// The server's errors speak the workspace's error contract: the same [`ErrorCode`] the CLI and
/// the desktop answer with, and `body()` is the `{code, message}` a handler answers (a 5xx
/// other than 502/503 says only that details are in the log). One exception on the wire: a
/// limit (402) answers the richer `LimitReached` body (`code: "limit_reached"` with the limit,
/// use and reset time) that clients of the hosted AI read; its `body()` is the plain form,
/// `budget_exceeded`.
impl CodedError for ApiError {
    fn code(&self) -> ErrorCode {
        self.status_and_code().1
    }

    fn body(&self) -> ErrorBody {
        let message = if self.hides_details() {
            "internal error; details are in the server log".to_string()
        } else {
            self.to_string()
        };
        ErrorBody::new(self.code(), message)
    }
}

impl ApiError {
    /// The HTTP status it answers with.
    pub fn status(&self) -> StatusCode {
        self.status_and_code().0
    }

    /// Whether the message stays in the log (a 5xx that is ours).
    fn hides_details(&self) -> bool {
        self.status().is_server_error()
            && !matches!(self, ApiError::Unavailable { .. } | ApiError::Upstream(_))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let ApiError::LimitReached(body) = self {
            return (status, Json(*body)).into_response();
        }
        if self.hides_details() {
            tracing::error!(error = ?self, "request failed");
        }
        let mut resp = (status, Json(self.body())).into_response();
        if let ApiError::RateLimited { retry_after, .. }
        | ApiError::Unavailable { retry_after, .. } = self
        {
            resp.headers_mut().insert(RETRY_AFTER, HeaderValue::from(retry_after));
        }
        resp
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return ApiError::PayloadTooLarge;
        }
        match r {
            JsonRejection::MissingJsonContentType(_) => ApiError::NotJson,
            JsonRejection::JsonSyntaxError(e) => {
                ApiError::Malformed(format!("malformed JSON: {}", e.body_text()))
            }
            JsonRejection::JsonDataError(e) => {
                ApiError::Validation(format!("invalid body: {}", e.body_text()))
            }
            other => ApiError::Malformed(other.body_text()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::Validation(format!("invalid query: {}", r.body_text()))
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::Validation(format!("invalid path: {}", r.body_text()))
    }
}

/// `axum::extract::Path` whose rejections answer `{code, message}`.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct PathParams<T>(pub T);

/// `axum::Json` whose rejections answer `{code, message}`.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct JsonBody<T>(pub T);

/// `axum::extract::Query` whose rejections answer `{code, message}`.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct QueryParams<T>(pub T);

/// Answer of unknown routes.
pub async fn not_found() -> ApiError {
    ApiError::NotFound("no such endpoint")
}
