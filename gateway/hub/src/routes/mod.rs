//! The hub's route table and router. [`ROUTES`] is the one list of what
//! the hub serves: the router is built from it, and the API's OpenAPI
//! agreement test compares it (beside the API's own table) with
//! `schemas/openapi.json`.
//!
//! Device routes take the device from its bearer token ([`crate::auth`]);
//! public routes are the registration and deregistration calls and the
//! deregistration page. The router has no fallback of its own: it is
//! merged into the API's, which answers unknown paths and methods, counts
//! every request in its metrics and limits bodies (the hub raises the
//! limit for its own routes to `max_body_bytes`).

use axum::extract::DefaultBodyLimit;
use axum::routing::{on, MethodRouter};
use axum::Router;
use bubblegate_api::routes::{Access, Verb};
use tokio_util::sync::CancellationToken;

use crate::Hub;

mod blocks;
mod deregister;
mod devices;
pub(crate) mod directory;
mod envelopes;
mod messages;
mod page;
mod register;
mod stream;

/// What a route does; one handler each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HubEndpoint {
    RegisterRequest,
    RegisterVerify,
    Directory,
    RotateKeys,
    Me,
    Send,
    Envelopes,
    Ack,
    Stream,
    Block,
    Unblock,
    Blocks,
    DeregisterRequest,
    DeregisterConfirm,
    DeregisterPage,
}

/// One row of the route table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HubRoute {
    pub verb: Verb,
    /// In axum's (and OpenAPI's) template syntax: `/v1/directory/{phone}`.
    pub path: &'static str,
    pub access: Access,
    pub endpoint: HubEndpoint,
}

const fn route(verb: Verb, path: &'static str, access: Access, endpoint: HubEndpoint) -> HubRoute {
    HubRoute { verb, path, access, endpoint }
}

/// Everything the hub serves.
pub const ROUTES: &[HubRoute] = &[
    route(Verb::Post, "/v1/register/request", Access::Public, HubEndpoint::RegisterRequest),
    route(Verb::Post, "/v1/register/verify", Access::Public, HubEndpoint::RegisterVerify),
    route(Verb::Get, "/v1/directory/{phone}", Access::Device, HubEndpoint::Directory),
    route(Verb::Put, "/v1/devices/me/keys", Access::Device, HubEndpoint::RotateKeys),
    route(Verb::Get, "/v1/devices/me", Access::Device, HubEndpoint::Me),
    route(Verb::Post, "/v1/messages", Access::Device, HubEndpoint::Send),
    route(Verb::Get, "/v1/envelopes", Access::Device, HubEndpoint::Envelopes),
    route(Verb::Post, "/v1/envelopes/ack", Access::Device, HubEndpoint::Ack),
    route(Verb::Get, "/v1/stream", Access::Device, HubEndpoint::Stream),
    route(Verb::Put, "/v1/blocks/{phone}", Access::Device, HubEndpoint::Block),
    route(Verb::Delete, "/v1/blocks/{phone}", Access::Device, HubEndpoint::Unblock),
    route(Verb::Get, "/v1/blocks", Access::Device, HubEndpoint::Blocks),
    route(Verb::Post, "/v1/deregister/request", Access::Public, HubEndpoint::DeregisterRequest),
    route(Verb::Post, "/v1/deregister/confirm", Access::Public, HubEndpoint::DeregisterConfirm),
    route(Verb::Get, "/deregister", Access::Public, HubEndpoint::DeregisterPage),
];

/// What every handler gets.
#[derive(Clone)]
pub(crate) struct HubState {
    pub hub: Hub,
    /// Cancelled when the server stops; device streams close with it.
    pub shutdown: CancellationToken,
}

pub(crate) fn router(hub: Hub, shutdown: CancellationToken) -> Router {
    let max_body = hub.inner.config.max_body_bytes;
    let state = HubState { hub, shutdown };
    let mut router = Router::new();
    // Two verbs on one path share one method router.
    let mut by_path: Vec<(&str, MethodRouter<HubState>)> = Vec::new();
    for r in ROUTES {
        let handler = method_router(r);
        match by_path.iter_mut().find(|(p, _)| *p == r.path) {
            Some((_, existing)) => *existing = std::mem::take(existing).merge(handler),
            None => by_path.push((r.path, handler)),
        }
    }
    for (path, handler) in by_path {
        router = router.route(path, handler);
    }
    router.layer(DefaultBodyLimit::max(max_body)).with_state(state)
}

fn method_router(r: &HubRoute) -> MethodRouter<HubState> {
    let filter = r.verb.filter();
    match r.endpoint {
        HubEndpoint::RegisterRequest => on(filter, register::request),
        HubEndpoint::RegisterVerify => on(filter, register::verify),
        HubEndpoint::Directory => on(filter, directory::lookup),
        HubEndpoint::RotateKeys => on(filter, devices::rotate_keys),
        HubEndpoint::Me => on(filter, devices::me),
        HubEndpoint::Send => on(filter, messages::send),
        HubEndpoint::Envelopes => on(filter, envelopes::list),
        HubEndpoint::Ack => on(filter, envelopes::ack),
        HubEndpoint::Stream => on(filter, stream::open),
        HubEndpoint::Block => on(filter, blocks::block),
        HubEndpoint::Unblock => on(filter, blocks::unblock),
        HubEndpoint::Blocks => on(filter, blocks::list),
        HubEndpoint::DeregisterRequest => on(filter, deregister::request),
        HubEndpoint::DeregisterConfirm => on(filter, deregister::confirm),
        HubEndpoint::DeregisterPage => on(filter, page::deregister_page),
    }
}

/// A JSON body, or the API's error for a bad one.
pub(crate) type JsonBody<T> = Result<axum::Json<T>, axum::extract::rejection::JsonRejection>;

pub(crate) fn body<T>(json: JsonBody<T>) -> Result<T, bubblegate_api::ApiError> {
    json.map(|axum::Json(v)| v).map_err(bubblegate_api::ApiError::from)
}
