//! The store's integration tests: one binary, each test run on SQLite (a
//! real file) and on PostgreSQL (a fresh schema), as `sqlite::name` and
//! `postgres::name`. See `support.rs` for the environment.

mod support;

mod claims;
mod inbox;
mod modems;
mod network;
mod network_queues;
mod outbox;
mod schema;
mod wake;
