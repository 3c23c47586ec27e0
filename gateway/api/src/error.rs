//! [`ApiError`]: the one error type of the API and its one JSON shape,
//!
//! ```json
//! {"error": {"code": "invalid_request", "message": "`to` is not a phone number", "field": "to"}}
//! ```
//!
//! used for every failure: validation, auth, unknown routes and methods,
//! axum's own rejections (bad JSON, missing fields, wrong content type,
//! too large) and whatever the daemon reports. Internal errors keep their
//! detail in the log and send only "internal error": no SQL, serial or
//! crypto text ever reaches a client.
//!
//! Two additions serve the encrypted network's routes: `rate_limited`
//! (429) carries a `Retry-After` header, and an error may carry extra
//! members beside `code`, `message` and `field` (the 409 device mismatch
//! adds `devices`), see [`ApiError::with_extra`].

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

/// A stable, machine-readable error name; part of the contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: a field is missing or out of bounds; `field` names it.
    InvalidRequest,
    /// 400: the body is not JSON, or not the expected shape.
    InvalidJson,
    /// 401: no token, or the wrong one.
    Unauthorized,
    /// 404: no such route or resource.
    NotFound,
    /// 405.
    MethodNotAllowed,
    /// 409: e.g. an idempotency key reused with a different message.
    Conflict,
    /// 413.
    PayloadTooLarge,
    /// 415: the body is not `application/json`.
    UnsupportedMediaType,
    /// 429: too many requests; `Retry-After` says when to try again.
    RateLimited,
    /// 503: starting, stopping, or a dependency is down; retry later.
    Unavailable,
    /// 500: a bug or an unexpected failure; the detail is in the log.
    Internal,
}

impl ErrorCode {
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::InvalidRequest | ErrorCode::InvalidJson => StatusCode::BAD_REQUEST,
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::Conflict => StatusCode::CONFLICT,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// An API failure: a code, a message safe to show, and the field at
/// fault when there is one.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
    field: Option<String>,
    /// Whole seconds, for `Retry-After`.
    retry_after: Option<u64>,
    extra: BTreeMap<String, serde_json::Value>,
}

/// The body of every error answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Members some errors add, e.g. `devices` of a 409 device mismatch
    /// on `POST /v1/messages`. Empty for most.
    #[serde(flatten, default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl ApiError {
    /// An error with a message that is safe to send as is.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            field: None,
            retry_after: None,
            extra: BTreeMap::new(),
        }
    }

    /// A field that is missing, malformed or out of bounds. The message
    /// should say what is wrong and what is allowed, without echoing the
    /// value (it may be a phone number).
    pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
        let mut error =
            ApiError::new(ErrorCode::InvalidRequest, format!("`{field}` {}", message.into()));
        error.field = Some(field.to_owned());
        error
    }

    /// Too many requests: a 429 with `Retry-After` (rounded up to whole
    /// seconds, at least 1).
    pub fn rate_limited(retry_after: Duration) -> ApiError {
        let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
        let secs = secs.max(1);
        let mut error = ApiError::new(
            ErrorCode::RateLimited,
            format!("too many requests; try again in {secs} s"),
        );
        error.retry_after = Some(secs);
        error
    }

    /// Adds a member to the error object beside `code` and `message`
    /// (`code`, `message` and `field` themselves cannot be replaced).
    pub fn with_extra(mut self, name: &str, value: serde_json::Value) -> ApiError {
        if !matches!(name, "code" | "message" | "field") {
            self.extra.insert(name.to_owned(), value);
        }
        self
    }

    /// The wait a 429 asks for.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after.map(Duration::from_secs)
    }

    pub fn extra(&self) -> &BTreeMap<String, serde_json::Value> {
        &self.extra
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::NotFound, message)
    }

    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Conflict, message)
    }

    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Unavailable, message)
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(
            ErrorCode::Unauthorized,
            "a valid admin token is required (Authorization: Bearer TOKEN)",
        )
    }

    /// An unexpected failure. `cause` is logged here at error level and
    /// dropped; the client sees only "internal error".
    pub fn internal(cause: impl fmt::Display) -> ApiError {
        tracing::error!(%cause, "internal error answering an API request");
        ApiError::new(ErrorCode::Internal, "internal error")
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    pub fn status(&self) -> StatusCode {
        self.code.status()
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message.clone(),
                field: self.field.clone(),
                extra: self.extra.clone(),
            },
        }
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiError({:?}: {})", self.code, self.message)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (status, Json(self.body())).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(secs) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                ErrorCode::UnsupportedMediaType,
                "the body must be JSON, with Content-Type: application/json",
            ),
            JsonRejection::JsonSyntaxError(_) => {
                ApiError::new(ErrorCode::InvalidJson, "the body is not valid JSON")
            }
            // serde's message names the field and what it expected, e.g.
            // "missing field `to`" or "unknown field `too`", and never
            // the value itself for strings.
            JsonRejection::JsonDataError(e) => {
                let detail = serde_detail(&e.body_text());
                let mut error = ApiError::new(ErrorCode::InvalidJson, detail.clone());
                error.field = field_in(&detail);
                error
            }
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::new(ErrorCode::PayloadTooLarge, "the body is too large")
            }
            _ => ApiError::new(ErrorCode::InvalidJson, "the body could not be read"),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> ApiError {
        let detail = serde_detail(&rejection.body_text());
        let mut error = ApiError::new(ErrorCode::InvalidRequest, format!("query: {detail}"));
        error.field = field_in(&detail);
        error
    }
}

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> ApiError {
        ApiError::not_found("no such resource")
    }
}

/// The part of an axum rejection text after its own prefix ("Failed to
/// deserialize the JSON body into the target type: "), which is serde's,
/// with the path of the field first when serde knew it (`priority: invalid
/// type …`).
fn serde_detail(text: &str) -> String {
    text.split_once(": ").map_or(text, |(_, d)| d).to_owned()
}

/// The field a serde message is about: a leading path (`priority: …`,
/// `limit: …`), or a back-quoted name ("missing field `to`", "unknown
/// field `too`, expected one of …").
fn field_in(detail: &str) -> Option<String> {
    if let Some((path, _)) = detail.split_once(": ") {
        let is_path = !path.is_empty()
            && path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'));
        if is_path && path != "." {
            return Some(path.to_owned());
        }
    }
    let start = detail.find('`')? + 1;
    let len = detail[start..].find('`')?;
    Some(detail[start..start + len].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_come_from_serde_messages() {
        assert_eq!(field_in("missing field `to` at line 1 column 2").as_deref(), Some("to"));
        assert_eq!(field_in("unknown field `too`, expected one of `to`").as_deref(), Some("too"));
        assert_eq!(
            field_in("priority: invalid type: string \"x\", expected i32").as_deref(),
            Some("priority")
        );
        assert_eq!(field_in("expected value at line 1 column 1"), None);
    }

    #[test]
    fn rate_limits_say_when_to_retry() {
        let e = ApiError::rate_limited(Duration::from_millis(2_100));
        assert_eq!(e.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
        let response = e.into_response();
        assert_eq!(response.headers()[header::RETRY_AFTER], "3");
        assert_eq!(
            ApiError::rate_limited(Duration::ZERO).retry_after(),
            Some(Duration::from_secs(1))
        );
    }

    #[test]
    fn extra_members_sit_beside_code_and_message() {
        let e = ApiError::conflict("device mismatch")
            .with_extra("devices", serde_json::json!({"missing": [], "extra": []}))
            .with_extra("code", serde_json::json!("overwritten?"));
        let body = serde_json::to_value(e.body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"error": {"code": "conflict", "message": "device mismatch",
                "devices": {"missing": [], "extra": []}}})
        );
        let back: ErrorBody = serde_json::from_value(body).unwrap();
        assert!(back.error.extra.contains_key("devices"));
        assert_eq!(back.error.field, None);
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let e = ApiError::internal("UNIQUE constraint failed: outbound.key");
        assert_eq!(e.message(), "internal error");
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
