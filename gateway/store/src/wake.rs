//! Wake-ups, so that no one polls: idle outbox senders, and the hub's
//! device streams and fallback timer.
//!
//! ## The outbox
//!
//! A write that makes work claimable (an enqueue, a retry, a recovery)
//! bumps a local counter after it commits; on PostgreSQL it also sends
//! `NOTIFY` inside its transaction, which the server delivers at commit to
//! every node that listens. [`Store::wakeups`] subscribes; a waiter also
//! sleeps no later than [`crate::Store::next_due`] and runs its slow
//! health check.
//!
//! ## The encrypted network
//!
//! A write that queues envelopes ([`crate::Network::record_send`],
//! [`crate::Network::insert_envelopes`]) announces "envelopes for devices
//! X, Y", and a deregistration that made SMS fallbacks due announces
//! "fallbacks due now". Each is told to this process after the commit
//! (always), and on PostgreSQL to every node by `pg_notify` inside the
//! transaction, so a rolled-back write announces nothing. Each kind has a
//! channel of its own ([`ENVELOPES_CHANNEL`], [`FALLBACKS_CHANNEL`]).
//! [`Store::network_wakeups`] subscribes, and yields [`NetworkWake`]s.
//!
//! A payload names the store that sent it (a random tag per
//! [`Store::open`], shared by its clones) and then the devices, by id,
//! space-separated; a subscriber skips its own store's notices, which it
//! heard in-process already. PostgreSQL refuses payloads of 8000 bytes or
//! more: the devices are split over a few notices, and past that one
//! notice says "every queue" (`*`) instead.
//!
//! ## Lost wake-ups
//!
//! Wake-ups can be spurious, and can be lost: notices sent while the
//! listening connection is down never arrive. Every subscription shares
//! one mechanism for that (`Remote`): when the connection is lost and made
//! again, or a receive failed and the next one connects anew, the
//! subscriber is told that it may have missed something (an outbox waiter
//! wakes; a network subscriber gets [`NetworkWake::Missed`]). A failed
//! receive is an error; call again (after a pause) to reconnect. While the
//! connection stays down, waiters rely on their own timers.

use std::collections::BTreeSet;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use sqlx::postgres::{PgListener, PgNotification, PgPool};
use tokio::sync::{broadcast, watch};

use crate::db::{args, Db, Tx};
use crate::error::Result;
use crate::idempotency::hex;
use crate::Store;

/// The PostgreSQL channel for outbox wake-ups, when the store uses the
/// default `search_path` (else `bubblegate_outbox.<schema>`).
pub const OUTBOX_CHANNEL: &str = "bubblegate_outbox";
/// The PostgreSQL channel that announces queued envelopes, when the store
/// uses the default `search_path` (else `bubblegate_envelopes.<schema>`).
/// An empty payload (`NOTIFY bubblegate_envelopes`) makes every node
/// re-read every open stream's queue.
pub const ENVELOPES_CHANNEL: &str = "bubblegate_envelopes";
/// The PostgreSQL channel that announces SMS fallbacks due now, when the
/// store uses the default `search_path` (else
/// `bubblegate_fallbacks.<schema>`).
pub const FALLBACKS_CHANNEL: &str = "bubblegate_fallbacks";

/// The longest payload sent: PostgreSQL refuses 8000 bytes or more.
const MAX_PAYLOAD: usize = 7900;
/// The most notices one commit sends for its envelopes (some 200 device
/// ids each); more devices are announced as "every queue".
const MAX_NOTICES: usize = 4;
/// In-process announcements a network subscriber may fall behind by
/// before it is told [`NetworkWake::Missed`] instead.
const LOCAL_BACKLOG: usize = 1024;
/// The device list of a notice that stands for every queue.
const EVERY_QUEUE: &str = "*";

/// What a network subscriber is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetworkWake {
    /// Envelopes for these devices (by id, sorted, each once) committed.
    Envelopes(Vec<String>),
    /// Envelopes committed for more devices than a notice names: any
    /// device's queue may have grown.
    AllEnvelopes,
    /// A deregistration made SMS fallbacks due now.
    FallbacksDue,
    /// Wake-ups may have been lost (the listening connection was made
    /// again, or this subscriber fell behind): any queue may have grown,
    /// and fallbacks may be due.
    Missed,
}

#[derive(Debug)]
pub(crate) struct Local {
    tx: watch::Sender<u64>,
    /// Channels are per database, not per schema: stores in different
    /// schemas of one database each get their own.
    channel: String,
    network: broadcast::Sender<NetworkWake>,
    envelopes_channel: String,
    fallbacks_channel: String,
    /// This store's tag on its network notices.
    origin: String,
}

/// The channel `base` for a store in `schema`.
fn channel(base: &str, schema: Option<&str>) -> String {
    match schema {
        None => base.to_string(),
        // A channel name has at most 63 bytes; every base is at most 20.
        Some(s) if s.len() <= 40 => format!("{base}.{s}"),
        Some(s) => format!("{base}.{}", &hex(&Sha256::digest(s))[..40]),
    }
}

impl Local {
    pub(crate) fn new(schema: Option<&str>) -> Local {
        Local {
            tx: watch::channel(0).0,
            channel: channel(OUTBOX_CHANNEL, schema),
            network: broadcast::channel(LOCAL_BACKLOG).0,
            envelopes_channel: channel(ENVELOPES_CHANNEL, schema),
            fallbacks_channel: channel(FALLBACKS_CHANNEL, schema),
            origin: uuid::Uuid::now_v7().simple().to_string(),
        }
    }

    pub(crate) fn bump(&self) {
        self.tx.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Inside a transaction that queues envelopes for `devices`: on
    /// PostgreSQL, tells every node at commit. Call
    /// [`Local::envelopes_committed`] after the commit.
    pub(crate) async fn announce_envelopes(
        &self,
        tx: &mut Tx,
        devices: &BTreeSet<&str>,
    ) -> Result<()> {
        if let Tx::Postgres(_) = tx {
            for payload in envelope_payloads(&self.origin, devices, MAX_PAYLOAD, MAX_NOTICES) {
                tx.execute("SELECT pg_notify($1, $2)", args![&self.envelopes_channel, &payload])
                    .await?;
            }
        }
        Ok(())
    }

    /// After the commit of a transaction that ran
    /// [`Local::announce_envelopes`]: tells this process.
    pub(crate) fn envelopes_committed(&self, devices: BTreeSet<&str>) {
        if devices.is_empty() {
            return;
        }
        let devices = devices.into_iter().map(str::to_owned).collect();
        // An error only means that nobody subscribes.
        let _ = self.network.send(NetworkWake::Envelopes(devices));
    }

    /// Inside a transaction that makes SMS fallbacks due now: on
    /// PostgreSQL, tells every node at commit. Call
    /// [`Local::fallbacks_committed`] after the commit.
    pub(crate) async fn announce_fallbacks(&self, tx: &mut Tx) -> Result<()> {
        if let Tx::Postgres(_) = tx {
            tx.execute("SELECT pg_notify($1, $2)", args![&self.fallbacks_channel, &self.origin])
                .await?;
        }
        Ok(())
    }

    /// After the commit of a transaction that ran
    /// [`Local::announce_fallbacks`]: tells this process.
    pub(crate) fn fallbacks_committed(&self) {
        let _ = self.network.send(NetworkWake::FallbacksDue);
    }

    /// What a notice heard on `channel` says; `None` for this store's own
    /// (heard in-process already) and for other channels.
    fn parse(&self, channel: &str, payload: &str) -> Option<NetworkWake> {
        let mut words = payload.split(' ').filter(|w| !w.is_empty());
        let origin = words.next();
        if origin == Some(self.origin.as_str()) {
            return None;
        }
        if channel == self.fallbacks_channel {
            return Some(NetworkWake::FallbacksDue);
        }
        if channel != self.envelopes_channel {
            return None;
        }
        let devices: Vec<String> = words.map(str::to_owned).collect();
        // No devices (a bare `NOTIFY`) or `*`: every queue.
        if devices.is_empty() || devices.iter().any(|d| d == EVERY_QUEUE) {
            return Some(NetworkWake::AllEnvelopes);
        }
        Some(NetworkWake::Envelopes(devices))
    }
}

/// The payloads that announce envelopes for `devices`: `origin` and then
/// as many ids as fit in `max_payload` bytes, in at most `max_notices`
/// payloads; else one payload `origin *`, as for an id that cannot be
/// written in a payload (empty, or with a space).
fn envelope_payloads(
    origin: &str,
    devices: &BTreeSet<&str>,
    max_payload: usize,
    max_notices: usize,
) -> Vec<String> {
    let every = || vec![format!("{origin} {EVERY_QUEUE}")];
    if devices.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut current = origin.to_owned();
    for &device in devices {
        if device.is_empty() || device == EVERY_QUEUE || device.contains(char::is_whitespace) {
            return every();
        }
        if current.len() + 1 + device.len() > max_payload {
            if current.len() == origin.len() {
                // Not even one id fits.
                return every();
            }
            out.push(std::mem::replace(&mut current, origin.to_owned()));
            if current.len() + 1 + device.len() > max_payload {
                return every();
            }
        }
        current.push(' ');
        current.push_str(device);
    }
    out.push(current);
    if out.len() > max_notices {
        return every();
    }
    out
}

/// What a listening connection heard.
enum Heard {
    Notice(PgNotification),
    /// The connection was lost and made again: notices may have been lost.
    Missed,
}

/// A listening connection on PostgreSQL, with its reconnection. Every
/// subscription has one.
struct Remote {
    pool: PgPool,
    channels: Vec<String>,
    /// `None` after a failed receive: the next one connects anew.
    listener: Option<PgListener>,
}

async fn listen(pool: &PgPool, channels: &[String]) -> Result<PgListener> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen_all(channels.iter().map(String::as_str)).await?;
    Ok(listener)
}

impl Remote {
    /// Connects and listens before it returns, so every notice committed
    /// from then on is heard.
    async fn connect(pool: &PgPool, channels: Vec<String>) -> Result<Remote> {
        let listener = listen(pool, &channels).await?;
        Ok(Remote { pool: pool.clone(), channels, listener: Some(listener) })
    }

    /// The next notice, or [`Heard::Missed`] after a reconnection. An
    /// error leaves it disconnected; the next call connects again.
    /// Cancel-safe: a receive dropped halfway loses no notice, a
    /// reconnection dropped halfway is begun again.
    async fn recv(&mut self) -> Result<Heard> {
        let Some(listener) = &mut self.listener else {
            self.listener = Some(listen(&self.pool, &self.channels).await?);
            tracing::info!("wake-up listener connected again");
            return Ok(Heard::Missed);
        };
        // `try_recv`, not `recv`: a connection lost and made again comes
        // back as `None`, which `recv` would swallow.
        match listener.try_recv().await {
            Ok(Some(notice)) => Ok(Heard::Notice(notice)),
            Ok(None) => {
                tracing::info!("wake-up listener lost its connection and made it again");
                Ok(Heard::Missed)
            }
            Err(err) => {
                self.listener = None;
                Err(err.into())
            }
        }
    }
}

/// A subscription to outbox wake-ups.
pub struct Wakeups {
    local: watch::Receiver<u64>,
    remote: Option<Remote>,
}

impl Wakeups {
    /// Returns when work may have become claimable since the last call (or
    /// since the subscription, for the first), and after the listening
    /// connection was made again. Every wait in the daemon has a time-out:
    /// wrap this in one. After an error, pause and call again: that
    /// reconnects.
    pub async fn wait(&mut self) -> Result<()> {
        match &mut self.remote {
            None => {
                // An error means the store is gone; the caller finds out on
                // its next call.
                let _ = self.local.changed().await;
            }
            Some(remote) => {
                tokio::select! {
                    _ = self.local.changed() => {}
                    heard = remote.recv() => { heard?; }
                }
            }
        }
        Ok(())
    }
}

/// A subscription to the encrypted network's wake-ups: this process's,
/// and on PostgreSQL every node's.
pub struct NetworkWakeups {
    local: broadcast::Receiver<NetworkWake>,
    remote: Option<Remote>,
    /// Keeps the in-process sender alive, and parses notices.
    wake: Arc<Local>,
}

impl NetworkWakeups {
    /// The next wake-up. Cancel-safe. After an error (the listening
    /// connection failed), pause and call again: that reconnects, and the
    /// first wake-up after it is [`NetworkWake::Missed`].
    pub async fn recv(&mut self) -> Result<NetworkWake> {
        loop {
            let heard = match &mut self.remote {
                None => return Ok(next_local(&mut self.local).await),
                Some(remote) => tokio::select! {
                    wake = next_local(&mut self.local) => return Ok(wake),
                    heard = remote.recv() => heard?,
                },
            };
            match heard {
                Heard::Missed => return Ok(NetworkWake::Missed),
                Heard::Notice(n) => {
                    if let Some(wake) = self.wake.parse(n.channel(), n.payload()) {
                        return Ok(wake);
                    }
                }
            }
        }
    }
}

async fn next_local(rx: &mut broadcast::Receiver<NetworkWake>) -> NetworkWake {
    match rx.recv().await {
        Ok(wake) => wake,
        Err(broadcast::error::RecvError::Lagged(n)) => {
            tracing::debug!(skipped = n, "a network wake-up subscriber fell behind");
            NetworkWake::Missed
        }
        // The subscription holds the sender: never closed.
        Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
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
                Some(Remote::connect(pool, vec![self.wake.channel.clone()]).await?)
            }
        };
        Ok(Wakeups { local, remote })
    }

    /// Subscribes to the encrypted network's wake-ups (see the module
    /// doc): this process's, and on PostgreSQL every node's, through one
    /// listening connection that listens before this returns.
    pub async fn network_wakeups(&self) -> Result<NetworkWakeups> {
        let local = self.wake.network.subscribe();
        let remote = match &self.db {
            Db::Sqlite(_) => None,
            Db::Postgres(pool) => {
                let channels =
                    vec![self.wake.envelopes_channel.clone(), self.wake.fallbacks_channel.clone()];
                Some(Remote::connect(pool, channels).await?)
            }
        };
        Ok(NetworkWakeups { local, remote, wake: self.wake.clone() })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn set<'a>(ids: &[&'a str]) -> BTreeSet<&'a str> {
        ids.iter().copied().collect()
    }

    #[test]
    fn payloads_name_the_devices_in_batches_or_every_queue() {
        let o = "origin";
        assert!(envelope_payloads(o, &set(&[]), 100, 4).is_empty());
        assert_eq!(envelope_payloads(o, &set(&["b", "a"]), 100, 4), ["origin a b"]);
        // "origin aaaa" is 11 bytes: two ids do not fit in 15.
        let four = set(&["aaaa", "bbbb", "cccc", "dddd"]);
        assert_eq!(
            envelope_payloads(o, &four, 15, 4),
            ["origin aaaa", "origin bbbb", "origin cccc", "origin dddd"]
        );
        assert_eq!(envelope_payloads(o, &four, 15, 3), ["origin *"]);
        assert_eq!(envelope_payloads(o, &four, 16, 2), ["origin aaaa bbbb", "origin cccc dddd"]);
        assert_eq!(envelope_payloads(o, &four, 16, 1), ["origin *"]);
        assert_eq!(envelope_payloads(o, &four, 21, 2), ["origin aaaa bbbb cccc", "origin dddd"]);
        // An id longer than a payload, or one a payload cannot carry.
        assert_eq!(envelope_payloads(o, &set(&["a", "bbbbbbbbbbbb"]), 15, 4), ["origin *"]);
        assert_eq!(envelope_payloads(o, &set(&["a b"]), 100, 4), ["origin *"]);
        assert_eq!(envelope_payloads(o, &set(&[""]), 100, 4), ["origin *"]);
        assert_eq!(envelope_payloads(o, &set(&["*"]), 100, 4), ["origin *"]);
        // The real limits hold some 200 UUIDs per notice, and every
        // payload stays under PostgreSQL's 8000 bytes.
        let ids: Vec<String> =
            (0..800).map(|i| format!("0190b6d2-6c1e-7000-8000-{i:012}")).collect();
        let many: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
        let origin = uuid::Uuid::now_v7().simple().to_string();
        let payloads = envelope_payloads(&origin, &many, MAX_PAYLOAD, MAX_NOTICES);
        assert_eq!(payloads.len(), 4);
        assert!(payloads.iter().all(|p| p.len() < 8000));
        let named: usize = payloads.iter().map(|p| p.split(' ').count() - 1).sum();
        assert_eq!(named, 800);
        let ids: Vec<String> =
            (0..1000).map(|i| format!("0190b6d2-6c1e-7000-8000-{i:012}")).collect();
        let more: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
        assert_eq!(
            envelope_payloads(&origin, &more, MAX_PAYLOAD, MAX_NOTICES),
            [format!("{origin} *")]
        );
    }

    #[test]
    fn notices_parse_and_a_stores_own_are_skipped() {
        let here = Local::new(Some("s"));
        let there = Local::new(Some("s"));
        let env = here.envelopes_channel.as_str();
        assert_eq!(env, "bubblegate_envelopes.s");
        let theirs = format!("{} d1 d2", there.origin);
        assert_eq!(
            here.parse(env, &theirs),
            Some(NetworkWake::Envelopes(vec!["d1".into(), "d2".into()]))
        );
        assert_eq!(there.parse(env, &theirs), None, "its own");
        assert_eq!(
            here.parse(env, &format!("{} *", there.origin)),
            Some(NetworkWake::AllEnvelopes)
        );
        assert_eq!(here.parse(env, ""), Some(NetworkWake::AllEnvelopes));
        assert_eq!(
            here.parse(&here.fallbacks_channel, &there.origin),
            Some(NetworkWake::FallbacksDue)
        );
        assert_eq!(here.parse(&here.fallbacks_channel, ""), Some(NetworkWake::FallbacksDue));
        assert_eq!(here.parse(&here.channel, &theirs), None);
        assert_eq!(here.parse("bubblegate_envelopes.other", &theirs), None);
    }

    #[test]
    fn channel_names_fit_postgres() {
        let long = "x".repeat(60);
        for base in [OUTBOX_CHANNEL, ENVELOPES_CHANNEL, FALLBACKS_CHANNEL] {
            assert!(channel(base, Some(&long)).len() <= 63);
            assert!(channel(base, Some(&"y".repeat(40))).len() <= 63);
        }
    }
}
