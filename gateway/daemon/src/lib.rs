//! Bubblegate's gateway daemon: the configuration, the modem pool, the
//! durable outbox and inbox workers, crash recovery, graceful shutdown,
//! systemd notification, the HTTP API wiring and the demo.
//!
//! ```text
//! config (file + env) ──> Config ──> service::serve
//!                                       ├─ Daemon::start
//!                                       │    ├─ store: recover_after_crash, record modems/SIMs
//!                                       │    ├─ Supervisor: one actor per modem
//!                                       │    ├─ per modem: outbox worker (claim → send → commit)
//!                                       │    │             inbox worker (event → commit → confirm)
//!                                       │    └─ housekeeping (expiry, reassembly timeout)
//!                                       ├─ Hub (when [network]): Daemon as its SmsSender,
//!                                       │    hand-off of committed inbound SMS (pending
//!                                       │    until handled), fallback and expiry timers
//!                                       ├─ bubblegate_api::serve_with(Daemon as Gateway, hub routes)
//!                                       └─ sd_notify READY / WATCHDOG / STOPPING
//! ```
//!
//! # Invariants
//!
//! - A part is committed `submitting` before its PDU goes to a modem, and
//!   its outcome is committed before that worker claims again. After a
//!   crash, `submitting` parts are queued again: duplicates are bounded
//!   by the parts in flight, at most one per modem.
//! - An inbound part is confirmed to the driver (so deleted from the SIM)
//!   only after the store committed it.
//! - No polling: an idle worker sleeps until a store wake-up, the next due
//!   time, a modem state change or a long safety bound.
//! - Every wait has a bound; shutdown finishes in-flight sends within the
//!   grace and then stops.
//! - Phone numbers and bodies reach `tracing` only at trace level; secrets
//!   never do.

pub mod clock;
pub mod compose;
pub mod config;
mod daemon;
pub mod demo;
mod gateway;
mod housekeeping;
mod inbox;
pub mod logging;
mod mapping;
mod network;
pub mod notify;
mod outbox;
pub mod policy;
pub mod pool;
pub mod service;

pub use bubblegate_hub::{Clock, ManualClock, SystemClock};
pub use daemon::{Daemon, Running, StartError};
pub use service::ServeOptions;
pub use tokio_util::sync::CancellationToken;
