//! `GET /v1/devices/me` and `PUT /v1/devices/me/keys`: the calling device
//! and the rotation of its encryption key. Only ever the caller's own.

use axum::extract::State;
use axum::Json;
use bubblegate_api::ApiError;
use bubblegate_proto::wire::{DeviceInfo, DirectoryDevice, RotateKeys};

use super::directory::{entry, sign_key};
use super::{body, HubState, JsonBody};
use crate::auth::{unauthorized, Device};
use crate::envelope::enc_key;
use crate::error::HubError;

pub(super) async fn me(
    State(_): State<HubState>,
    device: Device,
) -> Result<Json<DeviceInfo>, ApiError> {
    let d = &device.record;
    Ok(Json(DeviceInfo {
        device_id: d.id.clone(),
        handle: device.handle.clone(),
        name: d.name.clone(),
        enc_key: enc_key(d)?,
        sign_key: sign_key(d)?,
    }))
}

pub(super) async fn rotate_keys(
    State(state): State<HubState>,
    device: Device,
    json: JsonBody<RotateKeys>,
) -> Result<Json<DirectoryDevice>, ApiError> {
    let inner = &state.hub.inner;
    let req = body(json)?;
    let key = &req.enc_key;
    if key.validate().is_err() {
        return Err(ApiError::invalid("enc_key", "is not an X-Wing public key"));
    }
    if key.key_id <= device.record.enc_key_id {
        return Err(ApiError::invalid(
            "enc_key.key_id",
            format!("must be above the current key_id {}", device.record.enc_key_id),
        ));
    }
    let network = inner.store.network();
    let changed = network
        .set_enc_key(device.id(), key.kem.name(), &key.public, key.key_id)
        .await
        .map_err(HubError::from)?;
    if !changed {
        // Revoked between the token check and now.
        return Err(unauthorized());
    }
    tracing::info!(device = %device.id(), key_id = key.key_id, "encryption key rotated");
    let record =
        network.device(device.id()).await.map_err(HubError::from)?.ok_or_else(unauthorized)?;
    Ok(Json(entry(&record)?))
}
