//! `GET /v1/envelopes?limit=N` and `POST /v1/envelopes/ack`: the caller's
//! own queue, oldest first, and its acks. An ack of an envelope that is
//! not the caller's deletes nothing and says nothing about it.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use bubblegate_api::ApiError;
use bubblegate_proto::wire::{AckAnswer, AckRequest, EnvelopeList};
use serde::Deserialize;

use super::{body, HubState, JsonBody};
use crate::auth::Device;
use crate::envelope::wire;
use crate::error::HubError;
use crate::Inner;

/// The page size when none is asked for, and the most ids one ack takes.
pub(crate) const DEFAULT_LIMIT: u32 = 100;
pub(crate) const MAX_ACK: usize = 1000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ListQuery {
    limit: Option<u32>,
}

pub(super) async fn list(
    State(state): State<HubState>,
    device: Device,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<EnvelopeList>, ApiError> {
    let Query(query) = query?;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let max = bubblegate_store::network::MAX_BATCH;
    if !(1..=max).contains(&limit) {
        return Err(ApiError::invalid("limit", format!("must be 1 to {max}")));
    }
    let inner = &state.hub.inner;
    let now = inner.clock.now();
    let records = inner
        .store
        .network()
        .envelopes_for(device.id(), limit, now)
        .await
        .map_err(HubError::from)?;
    let envelopes = records.iter().filter_map(|r| wire(r).map_err(log).ok()).collect();
    Ok(Json(EnvelopeList { envelopes }))
}

fn log(err: HubError) {
    tracing::error!(%err, "a queued envelope cannot be handed out");
}

pub(super) async fn ack(
    State(state): State<HubState>,
    device: Device,
    json: JsonBody<AckRequest>,
) -> Result<Json<AckAnswer>, ApiError> {
    let req = body(json)?;
    let deleted = ack_ids(&state.hub.inner, device.id(), &req.ids).await?;
    Ok(Json(AckAnswer { deleted }))
}

/// Deletes the device's envelopes among `ids` (and so cancels their SMS
/// fallbacks); returns how many.
pub(crate) async fn ack_ids(inner: &Inner, device: &str, ids: &[String]) -> Result<u64, ApiError> {
    if ids.len() > MAX_ACK {
        return Err(ApiError::invalid("ids", format!("at most {MAX_ACK} per ack")));
    }
    let acked = inner.store.network().ack(device, ids).await.map_err(HubError::from)?;
    inner.metrics.acked(acked.len() as u64);
    Ok(acked.len() as u64)
}
