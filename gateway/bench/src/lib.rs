//! What the benchmark binaries share: child processes that die with the
//! benchmark and are measured through `/proc` ([`process`]), and a
//! minimal HTTP/1.1 client for loopback APIs ([`http`]).
//!
//! - `bubblegate-bench` (`src/main.rs`): the SMS gateway against Debian's
//!   gammu-smsd on the same simulated modems.
//! - `bubblegate-relay-bench` (`src/relay/`): the encrypted network's
//!   relay, device to hub to device, with 100 connected devices.

pub mod http;
pub mod process;
