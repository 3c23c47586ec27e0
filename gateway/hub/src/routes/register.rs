//! `POST /v1/register/request` and `POST /v1/register/verify`: a handle is
//! bound to a new device only with a code sent by SMS to it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use bubblegate_api::ApiError;
use bubblegate_proto::wire::{CodeRequest, CodeSent, Registered, VerifyRequest};
use bubblegate_proto::{Content, E164};
use bubblegate_store::{CodePurpose, NewDevice};

use super::{body, HubState, JsonBody};
use crate::auth::Peer;
use crate::codes::{self, Origin};
use crate::envelope::{new_id, queue_from_hub};
use crate::error::HubError;
use crate::secrets::{self, CODE_TTL_SECS};
use crate::Inner;

/// The longest device name.
const MAX_NAME: usize = 64;

/// A phone number from a request, normalised with the default region.
pub(crate) fn phone(inner: &Inner, text: &str) -> Result<E164, ApiError> {
    E164::parse(text, inner.config.default_region.as_deref())
        .map_err(|problem| ApiError::invalid("phone", problem))
}

pub(super) async fn request(
    State(state): State<HubState>,
    Peer(peer): Peer,
    json: JsonBody<CodeRequest>,
) -> Result<(StatusCode, Json<CodeSent>), ApiError> {
    let inner = &state.hub.inner;
    let req = body(json)?;
    let handle = phone(inner, &req.phone)?;
    codes::send(inner, &handle, CodePurpose::Register, Origin::Http(peer)).await?;
    Ok((StatusCode::ACCEPTED, Json(CodeSent { expires_in: CODE_TTL_SECS })))
}

pub(super) async fn verify(
    State(state): State<HubState>,
    json: JsonBody<VerifyRequest>,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    let inner = &state.hub.inner;
    let req = body(json)?;
    let handle = phone(inner, &req.phone)?;
    let name = req.device.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "device.name",
            format!("must be 1 to {MAX_NAME} characters, without control characters"),
        ));
    }
    let enc_key = &req.device.enc_key;
    if enc_key.validate().is_err() || enc_key.key_id == 0 {
        return Err(ApiError::invalid(
            "device.enc_key",
            "is not an X-Wing public key with a key_id from 1",
        ));
    }
    codes::check(inner, &handle, CodePurpose::Register, &req.code).await?;

    let (token, token_hash) = secrets::new_token().map_err(HubError::from)?;
    let device = NewDevice {
        id: new_id(),
        handle: handle.as_str().to_owned(),
        name: name.to_owned(),
        enc_kem: enc_key.kem.name().to_owned(),
        enc_key: enc_key.public.clone(),
        enc_key_id: enc_key.key_id,
        sign_key: req.device.sign_key.to_bytes().to_vec(),
        token_hash: token_hash.to_vec(),
    };
    let now = inner.clock.now();
    let others = inner.store.network().add_device(&device, now).await.map_err(HubError::from)?;
    tracing::info!(device = %device.id, others = others.len(), "device registered");
    tracing::trace!(handle = %handle, "device registered for");
    let notice = Content::DeviceAdded { device_id: device.id.clone(), name: device.name.clone() };
    if let Err(err) = queue_from_hub(inner, &others, &notice).await {
        // The device is registered; the notice is a courtesy.
        tracing::warn!(%err, "cannot tell a handle's devices of a new one");
    }
    Ok((
        StatusCode::CREATED,
        Json(Registered { device_id: device.id, handle, token, hub_key: state.hub.public_key() }),
    ))
}
