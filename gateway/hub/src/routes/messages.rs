//! `POST /v1/messages`: see `send.rs` for the routing and its checks; the
//! per-device send limit is applied here, before anything is read.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use bubblegate_api::ApiError;
use bubblegate_proto::wire::{SendAnswer, SendRequest};

use super::{body, HubState, JsonBody};
use crate::auth::{limited, Device};
use crate::metrics::Limit;

pub(super) async fn send(
    State(state): State<HubState>,
    device: Device,
    json: JsonBody<SendRequest>,
) -> Result<(StatusCode, Json<SendAnswer>), ApiError> {
    let inner = &state.hub.inner;
    let check = inner.limits.sends.check(&device.id().to_owned(), inner.clock.now());
    limited(inner, Limit::Sends, check)?;
    let req = body(json)?;
    let (status, answer) = crate::send::send(inner, &device, req).await?;
    Ok((status, Json(answer)))
}
