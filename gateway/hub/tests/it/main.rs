//! The hub's integration tests: one binary, one module per area. Routes
//! are driven through `tower::ServiceExt::oneshot` on the hub's real
//! router, over a real store (a SQLite file, and a fresh PostgreSQL schema
//! when a server answers), with a manual clock and a recording SMS sender;
//! only the stream tests (`stream.rs`, and `multinode.rs`: two hubs on one
//! PostgreSQL schema) open a socket, on 127.0.0.1.
mod authz;
mod deregister;
mod forwarding;
mod limits;
mod multinode;
mod plaintext;
mod registration;
mod send;
mod stream;
mod support;
mod timers;
