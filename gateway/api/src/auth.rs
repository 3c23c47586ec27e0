//! The admin token check. The configured token and the presented one are
//! both hashed with SHA-256 and the digests compared in constant time, so
//! neither the content nor the length of the token leaks through timing.
//! An empty configured token denies every request.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::ApiError;

/// The configured admin token, kept only as its digest.
pub(crate) struct AdminToken {
    digest: Option<[u8; 32]>,
}

impl AdminToken {
    pub fn new(token: &str) -> AdminToken {
        AdminToken { digest: (!token.is_empty()).then(|| Sha256::digest(token.as_bytes()).into()) }
    }

    /// Whether `headers` carry `Authorization: Bearer <token>`.
    pub fn admits(&self, headers: &HeaderMap) -> bool {
        let Some(expected) = &self.digest else { return false };
        let Some(presented) = bearer(headers) else { return false };
        let presented: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        presented.ct_eq(expected).into()
    }
}

/// The credentials of a `Bearer` authorization header (scheme names are
/// case-insensitive, RFC 9110 11.1).
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, credentials) = value.split_once(' ')?;
    let credentials = credentials.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !credentials.is_empty()).then_some(credentials)
}

/// Middleware for every route but `/healthz`.
pub(crate) async fn require_admin(
    State(token): State<Arc<AdminToken>>,
    request: Request,
    next: Next,
) -> Response {
    if token.admits(request.headers()) {
        next.run(request).await
    } else {
        tracing::debug!(path = %request.uri().path(), "request without a valid admin token");
        ApiError::unauthorized().into_response()
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn with(auth: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(auth).unwrap());
        h
    }

    #[test]
    fn admits_only_the_bearer_token() {
        let t = AdminToken::new("secret-token-1234");
        assert!(t.admits(&with("Bearer secret-token-1234")));
        assert!(t.admits(&with("bearer secret-token-1234")));
        for bad in [
            "Bearer secret-token-123",
            "Bearer",
            "Basic secret-token-1234",
            "secret-token-1234",
            "Bearer  ",
        ] {
            assert!(!t.admits(&with(bad)), "{bad}");
        }
        assert!(!t.admits(&HeaderMap::new()));
    }

    #[test]
    fn an_empty_token_admits_nobody() {
        let t = AdminToken::new("");
        assert!(!t.admits(&with("Bearer ")));
        assert!(!t.admits(&with("Bearer x")));
    }
}
