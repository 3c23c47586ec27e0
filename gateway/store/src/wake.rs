//! Wake-ups for idle senders, so that no one polls the outbox. A write that
//! makes work claimable (an enqueue, a retry, a recovery) bumps a local
//! counter after it commits; on PostgreSQL it also sends `NOTIFY` inside its
//! transaction, which the server delivers at commit to every node that
//! listens. Wake-ups can be spurious and can be lost across a reconnect of
//! the listening connection, so a waiter also sleeps no later than
//! [`crate::Store::next_due`] and runs its slow health check.

use sha2::{Digest, Sha256};
use sqlx::postgres::PgListener;
use tokio::sync::watch;

use crate::db::{args, Db, Tx};
use crate::error::Result;
use crate::idempotency::hex;
use crate::Store;

/// The PostgreSQL channel for outbox wake-ups, when the store uses the
/// default `search_path`.
pub const OUTBOX_CHANNEL: &str = "bubblegate_outbox";

#[derive(Debug)]
pub(crate) struct Local {
    tx: watch::Sender<u64>,
    /// Channels are per database, not per schema: stores in different
    /// schemas of one database each get their own.
    channel: String,
}

impl Local {
    pub(crate) fn new(schema: Option<&str>) -> Local {
        let channel = match schema {
            None => OUTBOX_CHANNEL.to_string(),
            // A channel name has at most 63 bytes.
            Some(s) if s.len() <= 40 => format!("{OUTBOX_CHANNEL}.{s}"),
            Some(s) => format!("{OUTBOX_CHANNEL}.{}", &hex(&Sha256::digest(s))[..40]),
        };
        Local { tx: watch::channel(0).0, channel }
    }

    pub(crate) fn bump(&self) {
        self.tx.send_modify(|n| *n = n.wrapping_add(1));
    }
}

/// A subscription to outbox wake-ups.
pub struct Wakeups {
    local: watch::Receiver<u64>,
    remote: Option<PgListener>,
}

impl Wakeups {
    /// Returns when work may have become claimable since the last call (or
    /// since the subscription, for the first). Every wait in the daemon has
    /// a time-out: wrap this in one.
    pub async fn wait(&mut self) -> Result<()> {
        match &mut self.remote {
            None => {
                // An error means the store is gone; the caller finds out on
                // its next call.
                let _ = self.local.changed().await;
            }
            Some(listener) => {
                tokio::select! {
                    _ = self.local.changed() => {}
                    n = listener.recv() => { n?; }
                }
            }
        }
        Ok(())
    }
}

impl Store {
    /// Subscribes to outbox wake-ups: local ones, and on PostgreSQL those of
    /// every node (one listening connection per subscription).
    pub async fn wakeups(&self) -> Result<Wakeups> {
        let mut local = self.wake.tx.subscribe();
        local.mark_unchanged();
        let remote = match &self.db {
            Db::Sqlite(_) => None,
            Db::Postgres(pool) => {
                let mut listener = PgListener::connect_with(pool).await?;
                listener.listen(&self.wake.channel).await?;
                Some(listener)
            }
        };
        Ok(Wakeups { local, remote })
    }

    /// Call after the commit of a transaction that ran [`notify`].
    pub(crate) fn woke(&self) {
        self.wake.bump();
    }

    /// Wakes every sender, here and on other nodes, outside a write.
    pub(crate) async fn wake_everyone(&self) -> Result<()> {
        if let Db::Postgres(pool) = &self.db {
            sqlx::query("SELECT pg_notify($1, '')").bind(&self.wake.channel).execute(pool).await?;
        }
        self.woke();
        Ok(())
    }

    /// Inside a transaction that makes work claimable: tells other nodes at
    /// commit. A no-op on SQLite, where all senders share this process.
    pub(crate) async fn notify(&self, tx: &mut Tx) -> Result<()> {
        if let Tx::Postgres(_) = tx {
            tx.execute("SELECT pg_notify($1, '')", args![&self.wake.channel]).await?;
        }
        Ok(())
    }
}
