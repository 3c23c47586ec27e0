//! `PUT`/`DELETE /v1/blocks/{phone}` and `GET /v1/blocks`: the block list
//! of the caller's handle. A blocked sender's messages are answered blue
//! and dropped (see `send.rs`).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use bubblegate_api::ApiError;
use bubblegate_proto::wire::BlockList;
use bubblegate_proto::E164;

use super::HubState;
use crate::auth::Device;
use crate::error::HubError;

fn target(state: &HubState, path: Result<Path<String>, PathRejection>) -> Result<E164, ApiError> {
    let Path(phone) = path?;
    E164::parse(&phone, state.hub.inner.config.default_region.as_deref())
        .map_err(|problem| ApiError::invalid("phone", problem))
}

pub(super) async fn block(
    State(state): State<HubState>,
    device: Device,
    path: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let blocked = target(&state, path)?;
    let inner = &state.hub.inner;
    let now = inner.clock.now();
    inner
        .store
        .network()
        .block(device.handle.as_str(), blocked.as_str(), now)
        .await
        .map_err(HubError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn unblock(
    State(state): State<HubState>,
    device: Device,
    path: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let blocked = target(&state, path)?;
    let network = state.hub.inner.store.network();
    network.unblock(device.handle.as_str(), blocked.as_str()).await.map_err(HubError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn list(
    State(state): State<HubState>,
    device: Device,
) -> Result<Json<BlockList>, ApiError> {
    let network = state.hub.inner.store.network();
    let handles = network.blocks(device.handle.as_str()).await.map_err(HubError::from)?;
    let blocked = handles.iter().filter_map(|h| E164::parse(h, None).ok()).collect();
    Ok(Json(BlockList { blocked }))
}
