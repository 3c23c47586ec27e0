//! `POST /v1/deregister/request` and `POST /v1/deregister/confirm`: a
//! number leaves the network with a code sent to it by SMS. The request
//! is answered 202 whether or not the number is registered (the code goes
//! out only when it is), so the endpoint does not tell who is.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use bubblegate_api::ApiError;
use bubblegate_proto::wire::{CodeRequest, CodeSent, DeregisterConfirm, Deregistered};
use bubblegate_store::CodePurpose;

use super::register::phone;
use super::{body, HubState, JsonBody};
use crate::auth::Peer;
use crate::codes::{self, Origin};
use crate::secrets::CODE_TTL_SECS;

pub(super) async fn request(
    State(state): State<HubState>,
    Peer(peer): Peer,
    json: JsonBody<CodeRequest>,
) -> Result<(StatusCode, Json<CodeSent>), ApiError> {
    let inner = &state.hub.inner;
    let req = body(json)?;
    let handle = phone(inner, &req.phone)?;
    if crate::deregister::registered(inner, &handle).await? {
        codes::send(inner, &handle, CodePurpose::Deregister, Origin::Http(peer)).await?;
    } else {
        codes::request_limits(inner, &handle, Origin::Http(peer))?;
        tracing::debug!("a deregistration code was asked for a number with no device");
    }
    Ok((StatusCode::ACCEPTED, Json(CodeSent { expires_in: CODE_TTL_SECS })))
}

pub(super) async fn confirm(
    State(state): State<HubState>,
    json: JsonBody<DeregisterConfirm>,
) -> Result<Json<Deregistered>, ApiError> {
    let inner = &state.hub.inner;
    let req = body(json)?;
    let handle = phone(inner, &req.phone)?;
    codes::check(inner, &handle, CodePurpose::Deregister, &req.code).await?;
    let revoked = crate::deregister::deregister(inner, &handle).await?;
    Ok(Json(Deregistered { revoked_devices: revoked }))
}
