//! The API's integration tests: one binary, one module per area. Routes
//! are driven through `tower::ServiceExt::oneshot` against an in-memory
//! [`support::FakeGateway`]; only the WebSocket, webhook and client tests
//! open sockets, all on 127.0.0.1.
mod auth;
mod client;
mod errors;
mod events;
mod extension;
mod openapi;
mod routes;
mod support;
mod webhooks;
