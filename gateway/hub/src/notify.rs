//! The wake-up of device streams: after envelopes for a device are
//! committed, [`Notifier::wake`] tells that device's open WebSockets on
//! this node to read their queue again; a deregistration tells them to
//! close.
//!
//! Wake-ups carry no data (the queue in the store is the truth) and may
//! be coalesced. One path leads here: [`relay`] (started by
//! [`crate::Hub::start`]) passes on the store's network wake-ups
//! (`bubblegate_store::wake`), which every write that queues envelopes
//! announces at its commit: this process's, and on PostgreSQL those of
//! every node sharing the database (LISTEN/NOTIFY), so a stream here gets
//! an envelope that another node stored. The hub's own writes do not wake
//! streams themselves, so that each envelope costs one queue read. The relay also wakes the
//! fallback timer when another node's deregistration made fallbacks due,
//! and the expiry timer when envelopes were queued.
//!
//! Notices sent while the listening connection is down are lost: when it
//! is made again the relay wakes every stream and both timers. While it
//! stays down, a stream on PostgreSQL still re-reads its queue every
//! minute (`routes/stream.rs`), and the relay retries with a capped
//! backoff. A revocation reaches only this node's streams.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bubblegate_store::{NetworkWake, NetworkWakeups};
use tokio::sync::{oneshot, watch};
use tokio_util::sync::CancellationToken;

use crate::Inner;

/// What a stream is told.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Wake {
    /// Bumped by each wake-up.
    pub seq: u64,
    /// The device was revoked: close.
    pub revoked: bool,
}

/// Per-device wake-up channels, for the streams open on this node.
#[derive(Debug, Default)]
pub struct Notifier {
    devices: Mutex<HashMap<String, watch::Sender<Wake>>>,
}

/// A stream's subscription; it unsubscribes when dropped.
pub struct Subscription {
    notifier: Arc<Notifier>,
    device: String,
    pub rx: watch::Receiver<Wake>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut map = self.notifier.devices.lock().unwrap_or_else(PoisonError::into_inner);
        // This receiver still counts until the end of drop.
        if map.get(&self.device).is_some_and(|tx| tx.receiver_count() <= 1) {
            map.remove(&self.device);
        }
    }
}

impl Notifier {
    pub fn subscribe(self: &Arc<Self>, device: &str) -> Subscription {
        let mut map = self.devices.lock().unwrap_or_else(PoisonError::into_inner);
        let tx = map.entry(device.to_owned()).or_insert_with(|| watch::channel(Wake::default()).0);
        let mut rx = tx.subscribe();
        rx.mark_unchanged();
        Subscription { notifier: self.clone(), device: device.to_owned(), rx }
    }

    /// New envelopes for `device` are committed.
    pub fn wake(&self, device: &str) {
        let map = self.devices.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(tx) = map.get(device) {
            tx.send_modify(|w| w.seq = w.seq.wrapping_add(1));
        }
    }

    /// Envelopes may have been committed for any device: every stream on
    /// this node reads its queue again.
    pub fn wake_all(&self) {
        let map = self.devices.lock().unwrap_or_else(PoisonError::into_inner);
        for tx in map.values() {
            tx.send_modify(|w| w.seq = w.seq.wrapping_add(1));
        }
    }

    /// `device` is revoked: its streams close.
    pub fn revoke(&self, device: &str) {
        let map = self.devices.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(tx) = map.get(device) {
            tx.send_modify(|w| w.revoked = true);
        }
    }

    /// Streams open on this node.
    #[cfg(test)]
    pub fn open_streams(&self) -> usize {
        let map = self.devices.lock().unwrap_or_else(PoisonError::into_inner);
        map.values().map(watch::Sender::receiver_count).sum()
    }
}

/// The first pause after the store's wake-ups failed; it doubles up to
/// [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(500);
const MAX_PAUSE: Duration = Duration::from_secs(30);

/// Passes the store's network wake-ups on to this node's streams and
/// timers until `token` is cancelled. Subscribing or receiving may fail
/// (the database is unreachable): it pauses, then tries again, and when
/// it hears again it wakes everything once, for what it may have missed.
///
/// `listening` is told once the first subscription listens, or dropped
/// when it fails: the fallback timer waits for it before its first look,
/// so that first look needs no wake-up. Streams open already (and the
/// expiry timer) are woken then, for what committed before.
pub(crate) async fn relay(
    inner: Arc<Inner>,
    token: CancellationToken,
    listening: oneshot::Sender<()>,
) {
    let mut listening = Some(listening);
    let mut subscription: Option<NetworkWakeups> = None;
    let mut failures = 0u32;
    loop {
        let next = match &mut subscription {
            None => {
                let subscribed = tokio::select! {
                    () = token.cancelled() => return,
                    s = inner.store.network_wakeups() => s,
                };
                match subscribed {
                    Ok(s) => {
                        subscription = Some(s);
                        if let Some(tell) = listening.take() {
                            let _ = tell.send(());
                            inner.notifier.wake_all();
                            inner.expiry_wake.notify_one();
                            continue;
                        }
                        // Listening again: what committed meanwhile is
                        // read once more, by everyone.
                        Ok(NetworkWake::Missed)
                    }
                    Err(err) => {
                        // The fallback timer starts without it.
                        listening = None;
                        Err(err)
                    }
                }
            }
            Some(s) => tokio::select! {
                () = token.cancelled() => return,
                w = s.recv() => w,
            },
        };
        match next {
            Ok(wake) => {
                if failures > 0 {
                    tracing::info!("network wake-ups heard again");
                    failures = 0;
                }
                apply(&inner, wake);
            }
            Err(err) => {
                failures = failures.saturating_add(1);
                let pause = FIRST_PAUSE.saturating_mul(1 << failures.min(6)).min(MAX_PAUSE);
                if failures == 1 {
                    tracing::warn!(
                        %err,
                        "network wake-ups failed; streams re-read their queues every minute \
                         until they are back"
                    );
                } else {
                    tracing::debug!(%err, ?pause, "network wake-ups still failing");
                }
                tokio::select! {
                    () = token.cancelled() => return,
                    () = tokio::time::sleep(pause) => {}
                }
            }
        }
    }
}

fn apply(inner: &Inner, wake: NetworkWake) {
    match wake {
        NetworkWake::Envelopes(devices) => {
            for device in &devices {
                inner.notifier.wake(device);
            }
            inner.expiry_wake.notify_one();
        }
        NetworkWake::AllEnvelopes => {
            inner.notifier.wake_all();
            inner.expiry_wake.notify_one();
        }
        NetworkWake::FallbacksDue => inner.fallback_wake.notify_one(),
        NetworkWake::Missed => {
            inner.notifier.wake_all();
            inner.fallback_wake.notify_one();
            inner.expiry_wake.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn wakes_reach_the_device_only_and_subscriptions_clean_up() {
        let n = Arc::new(Notifier::default());
        let mut a = n.subscribe("a");
        let mut b = n.subscribe("b");
        n.wake("a");
        n.wake("nobody");
        assert!(a.rx.has_changed().unwrap());
        assert!(!b.rx.has_changed().unwrap());
        a.rx.borrow_and_update();
        n.wake_all();
        assert!(a.rx.has_changed().unwrap());
        assert!(b.rx.has_changed().unwrap());
        a.rx.borrow_and_update();
        b.rx.borrow_and_update();
        n.revoke("b");
        assert!(b.rx.borrow_and_update().revoked);
        let a2 = n.subscribe("a");
        assert_eq!(n.open_streams(), 3);
        drop(a);
        assert_eq!(n.open_streams(), 2);
        drop(a2);
        drop(b);
        assert!(n.devices.lock().unwrap().is_empty());
    }
}
