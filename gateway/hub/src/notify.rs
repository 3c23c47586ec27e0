//! The in-process wake-up of device streams: after envelopes for a device
//! are committed, [`Notifier::wake`] tells that device's open WebSockets
//! to read their queue again; a deregistration tells them to close.
//!
//! Wake-ups carry no data (the queue in the store is the truth), may be
//! coalesced, and reach only streams on this node. With several nodes on
//! one PostgreSQL database, a stream on another node learns of new
//! envelopes only at its next safety re-read (see `routes/stream.rs`);
//! a LISTEN/NOTIFY wake-up across nodes is not built yet.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::watch;

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
