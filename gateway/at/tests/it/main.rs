//! The one integration-test binary of `bubblegate-at`.

mod commands;
mod engine_table;
mod errors;
mod props;
mod support;
mod timeouts;
mod transcripts;
mod urcs;
