//! Device auth: `Authorization: Bearer <device token>`. The token's
//! SHA-256 digest is looked up in the store (an index lookup of a digest:
//! no secret is compared in variable time); a revoked device has no
//! digest any more, so its token fails like an unknown one. A device's
//! `last_seen_at` is written at most once a minute per device per node.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use bubblegate_api::{ApiError, ErrorCode};
use bubblegate_proto::{Sender, E164};
use bubblegate_store::DeviceRecord;

use crate::error::HubError;
use crate::metrics::Limit;
use crate::routes::HubState;
use crate::secrets::token_hash;
use crate::Inner;

/// How often a device's `last_seen_at` is written at most.
const TOUCH_EVERY: Duration = Duration::from_secs(60);
/// Devices remembered before old entries are dropped.
const TOUCH_KEYS: usize = 10_000;

/// The authenticated device of a request.
pub(crate) struct Device {
    pub record: DeviceRecord,
    pub handle: E164,
}

impl Device {
    pub fn id(&self) -> &str {
        &self.record.id
    }

    pub fn sender(&self) -> Sender {
        Sender { handle: self.handle.clone(), device_id: self.record.id.clone() }
    }
}

pub(crate) fn unauthorized() -> ApiError {
    ApiError::new(
        ErrorCode::Unauthorized,
        "a valid device token is required (Authorization: Bearer TOKEN)",
    )
}

/// The credentials of a `Bearer` authorization header.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, credentials) = value.split_once(' ')?;
    let credentials = credentials.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !credentials.is_empty()).then_some(credentials)
}

impl FromRequestParts<HubState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &HubState) -> Result<Device, ApiError> {
        let inner = &state.hub.inner;
        let token = bearer(&parts.headers).ok_or_else(unauthorized)?;
        let digest = token_hash(token);
        let record = inner
            .store
            .network()
            .device_by_token(&digest)
            .await
            .map_err(HubError::from)?
            .ok_or_else(|| {
                tracing::debug!(path = %parts.uri.path(), "request without a valid device token");
                unauthorized()
            })?;
        let handle = E164::parse(&record.handle, None)
            .map_err(|e| HubError::Corrupt(format!("device {}: handle {e}", record.id)))?;
        touch(inner, &record.id).await;
        Ok(Device { record, handle })
    }
}

/// When each device was last written as seen, by this node.
#[derive(Debug, Default)]
pub(crate) struct TouchCache {
    last: Mutex<HashMap<String, SystemTime>>,
}

/// Records that `device` was seen now, unless that was done within the
/// last minute. A failure only delays the record.
pub(crate) async fn touch(inner: &Inner, device: &str) {
    let now = inner.clock.now();
    {
        let mut last = inner.touched.last.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(at) = last.get(device) {
            if now.duration_since(*at).is_ok_and(|d| d < TOUCH_EVERY) {
                return;
            }
        }
        if last.len() >= TOUCH_KEYS {
            last.retain(|_, at| now.duration_since(*at).map_or(true, |d| d < TOUCH_EVERY));
            if last.len() >= TOUCH_KEYS {
                last.clear();
            }
        }
        last.insert(device.to_owned(), now);
    }
    if let Err(err) = inner.store.network().touch_device(device, now).await {
        tracing::warn!(%err, "cannot record that a device was seen");
    }
}

/// The peer's address, when the server recorded it (`serve_with` does;
/// `oneshot` tests may add a `ConnectInfo` extension).
pub(crate) struct Peer(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Peer, Self::Rejection> {
        Ok(Peer(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(a)| a.ip())))
    }
}

/// Turns a limiter's refusal into a 429, counted.
pub(crate) fn limited(
    inner: &Inner,
    limit: Limit,
    check: Result<(), Duration>,
) -> Result<(), ApiError> {
    check.map_err(|wait| {
        inner.metrics.rate_limited(limit);
        tracing::debug!(limit = limit.name(), ?wait, "rate limited");
        ApiError::rate_limited(wait)
    })
}
