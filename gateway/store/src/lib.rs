//! Bubblegate's durable store: the SMS outbox and inbox, modems and SIMs,
//! quota counters and idempotency keys, on SQLite (the embedded default:
//! one file, WAL) or PostgreSQL (several nodes sharing one database).
//!
//! The API is a set of explicit transitions. Each call is one transaction
//! that commits the state change together with its history row, so the
//! caller can act on the new state (put a PDU on the wire, delete a SIM
//! copy) knowing it is durable. The two backends run the same SQL where
//! they can; they differ only in how work is locked (see `db.rs`).
//!
//! - [`outbox`]: enqueue, claim, submit, retry, fail, expire, status
//!   reports, crash recovery, and the rolled-up message status.
//! - [`inbox`]: dedup of received parts and reassembly from the store.
//! - [`modems`]: modems, SIMs and per-SIM usage in segments.
//! - [`network`]: the encrypted network's hub tables (devices, codes,
//!   budgets, sends, envelopes, SMS fallbacks, blocks), through
//!   [`Store::network`].
//! - [`wake`]: wake-ups for idle senders, device streams and the hub's
//!   fallback timer, across nodes on PostgreSQL.
//!
//! ## The at-least-once window
//!
//! A part is committed as `submitting` before `AT+CMGS` goes out, and as
//! `submitted` after `+CMGS` comes back. If the process dies in between,
//! nobody knows whether the network took the part, so
//! [`Store::recover_after_crash`] puts it back in the queue and it is sent
//! again. Duplicates are therefore bounded by the parts that were
//! `submitting` at the crash: at most one per modem.

pub mod calendar;
mod db;
mod error;
mod idempotency;
pub mod inbox;
mod migrate;
mod model;
pub mod modems;
pub mod network;
pub mod outbox;
pub mod wake;

use std::path::PathBuf;
use std::sync::Arc;

pub use db::Backend;
pub use error::{Error, Result};
pub use model::*;
pub use network::Network;
pub use wake::{NetworkWake, NetworkWakeups, Wakeups};

use db::Db;

/// Where the store lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreConfig {
    /// One file, created if missing.
    Sqlite { path: PathBuf },
    /// A PostgreSQL URL; `schema`, when set, becomes the `search_path`, so
    /// several stores can share one database.
    Postgres { url: String, schema: Option<String>, max_connections: u32 },
}

/// SQLite has one writer at a time; a few connections serve readers
/// beside it.
const SQLITE_CONNECTIONS: u32 = 4;

/// A handle on the store. Cloning it is cheap and shares the pool.
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
    wake: Arc<wake::Local>,
}

impl Store {
    /// Connects and brings the schema up to date.
    pub async fn open(config: &StoreConfig) -> Result<Store> {
        let (db, schema) = match config {
            StoreConfig::Sqlite { path } => {
                (Db::open_sqlite(path, SQLITE_CONNECTIONS).await?, None)
            }
            StoreConfig::Postgres { url, schema, max_connections } => {
                let db = Db::open_postgres(url, schema.as_deref(), *max_connections).await?;
                (db, schema.as_deref())
            }
        };
        migrate::run(&db).await?;
        Ok(Store { db, wake: Arc::new(wake::Local::new(schema)) })
    }

    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    /// The encrypted network's tables. The handle borrows the store and
    /// costs nothing to make.
    pub fn network(&self) -> network::Network<'_> {
        network::Network::new(&self.db, &self.wake)
    }

    /// Waits for the pool's connections to close. On SQLite this also
    /// checkpoints the WAL into the main file.
    pub async fn close(&self) {
        self.db.close().await;
    }
}
