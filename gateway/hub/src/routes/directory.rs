//! `GET /v1/directory/{phone}`: a handle's active devices and their public
//! keys, rate-limited per device. A handle without an active device is
//! 404: it routes green.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::Json;
use bubblegate_api::ApiError;
use bubblegate_proto::wire::{DirectoryDevice, DirectoryEntry};
use bubblegate_proto::{SignPublicKey, E164};
use bubblegate_store::DeviceRecord;

use super::HubState;
use crate::auth::{limited, Device};
use crate::envelope::enc_key;
use crate::error::HubError;
use crate::metrics::Limit;
use crate::Inner;

pub(super) async fn lookup(
    State(state): State<HubState>,
    device: Device,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<DirectoryEntry>, ApiError> {
    let inner = &state.hub.inner;
    let now = inner.clock.now();
    let check = inner.limits.directory.check(&device.id().to_owned(), now);
    limited(inner, Limit::Directory, check)?;
    let Path(phone) = path?;
    let handle = E164::parse(&phone, inner.config.default_region.as_deref())
        .map_err(|problem| ApiError::invalid("phone", problem))?;
    let devices = active_devices(inner, &handle).await?;
    if devices.is_empty() {
        return Err(ApiError::not_found("no active device has this number"));
    }
    let devices = devices.iter().map(entry).collect::<Result<_, _>>()?;
    Ok(Json(DirectoryEntry { handle, devices }))
}

/// The devices of `handle` that count: not revoked, seen within
/// `inactive_after`.
pub(crate) async fn active_devices(
    inner: &Inner,
    handle: &E164,
) -> Result<Vec<DeviceRecord>, HubError> {
    let since =
        inner.clock.now().checked_sub(inner.config.inactive_after).unwrap_or(std::time::UNIX_EPOCH);
    Ok(inner.store.network().active_devices(handle.as_str(), since).await?)
}

/// A device's directory entry.
pub(crate) fn entry(d: &DeviceRecord) -> Result<DirectoryDevice, HubError> {
    Ok(DirectoryDevice { device_id: d.id.clone(), enc_key: enc_key(d)?, sign_key: sign_key(d)? })
}

pub(crate) fn sign_key(d: &DeviceRecord) -> Result<SignPublicKey, HubError> {
    SignPublicKey::from_bytes(&d.sign_key)
        .map_err(|_| HubError::Corrupt(format!("device {} has a bad signing key", d.id)))
}
