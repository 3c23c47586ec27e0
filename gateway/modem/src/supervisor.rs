//! The supervisor: runs every modem's actor under one `TaskTracker` and
//! one `CancellationToken`, restarts an actor that panicked (or was
//! killed) without touching the others, and shuts down with a bound.
//!
//! Each modem gets a small supervising task that owns what outlives its
//! actor (the request channel, the event and status channels, the
//! PIN-refused flag) and spawns the actor itself as a separate task, so
//! that a panic is caught at the join and only that actor restarts, after
//! a backoff. Handles stay valid across restarts.

use std::any::Any;
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bubblegate_profiles::ProfileSet;
use thiserror::Error;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::task::AbortHandle;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::Instrument;

use crate::actor::state::ModemStatus;
use crate::actor::{Actor, Shared};
use crate::config::{ModemConfig, ModemId};
use crate::event::{EventKind, ModemEvent};
use crate::handle::ModemHandle;
use crate::opener::PortOpener;

/// Events a slow subscriber may fall behind by before it loses the oldest.
const EVENT_BUFFER: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SupervisorError {
    #[error("modem {0} is configured twice")]
    DuplicateModem(ModemId),
    #[error("the supervisor is shutting down")]
    ShuttingDown,
}

struct Slot {
    handle: ModemHandle,
    /// The running actor, for [`Supervisor::kill`].
    current: Mutex<Option<AbortHandle>>,
}

/// Runs the modem actors. See the module documentation.
pub struct Supervisor {
    profiles: Arc<ProfileSet>,
    tracker: TaskTracker,
    token: CancellationToken,
    modems: BTreeMap<ModemId, Arc<Slot>>,
}

impl Supervisor {
    /// A supervisor whose actors stop when `token` is cancelled (or when
    /// [`Supervisor::shutdown`] is called).
    pub fn new(profiles: Arc<ProfileSet>, token: CancellationToken) -> Self {
        Supervisor { profiles, tracker: TaskTracker::new(), token, modems: BTreeMap::new() }
    }

    /// Starts the actor of one modem and returns its handle.
    pub fn spawn(
        &mut self,
        config: ModemConfig,
        opener: Arc<dyn PortOpener>,
    ) -> Result<ModemHandle, SupervisorError> {
        if self.token.is_cancelled() {
            return Err(SupervisorError::ShuttingDown);
        }
        if self.modems.contains_key(&config.id) {
            return Err(SupervisorError::DuplicateModem(config.id));
        }
        let (requests_tx, requests_rx) = mpsc::channel(config.queue.max(1));
        let (events, _) = broadcast::channel(EVENT_BUFFER);
        let (status, status_rx) = watch::channel(ModemStatus::new(config.desired));
        let handle = ModemHandle {
            id: config.id.clone(),
            requests: requests_tx,
            events: events.clone(),
            status: status_rx,
            request_timeout: config.request_timeout,
        };
        let shared = Arc::new(Shared {
            config,
            profiles: self.profiles.clone(),
            opener,
            requests: Arc::new(tokio::sync::Mutex::new(requests_rx)),
            events,
            status,
            pin_rejected: AtomicBool::new(false),
        });
        let slot = Arc::new(Slot { handle: handle.clone(), current: Mutex::new(None) });
        self.modems.insert(shared.config.id.clone(), slot.clone());
        self.tracker.spawn(supervise(shared, slot, self.token.clone()));
        Ok(handle)
    }

    pub fn handle(&self, id: &ModemId) -> Option<ModemHandle> {
        self.modems.get(id).map(|slot| slot.handle.clone())
    }

    /// Every modem's handle, in id order.
    pub fn handles(&self) -> Vec<ModemHandle> {
        self.modems.values().map(|slot| slot.handle.clone()).collect()
    }

    /// Stops a modem's actor at once, as a crash would: nothing is closed
    /// in order and work in flight is lost to the caller as unknown. The
    /// supervisor starts it again. Returns whether an actor was running.
    pub fn kill(&self, id: &ModemId) -> bool {
        let Some(slot) = self.modems.get(id) else { return false };
        let current = slot.current.lock().map(|mut c| c.take()).unwrap_or_default();
        match current {
            Some(abort) => {
                abort.abort();
                true
            }
            None => false,
        }
    }

    /// The token that stops every actor.
    pub fn token(&self) -> CancellationToken {
        self.token.clone()
    }

    /// Stops every actor and waits for them, at most `bound`. An actor in
    /// the middle of a `+CMGS` finishes it first (within its shutdown
    /// grace). Returns `false` if some were still running at the bound;
    /// those are aborted.
    pub async fn shutdown(self, bound: Duration) -> bool {
        self.token.cancel();
        self.tracker.close();
        if tokio::time::timeout(bound, self.tracker.wait()).await.is_ok() {
            return true;
        }
        tracing::error!(?bound, "modem actors still running at the shutdown bound; aborting them");
        for slot in self.modems.values() {
            if let Some(abort) = slot.current.lock().ok().and_then(|mut c| c.take()) {
                abort.abort();
            }
        }
        false
    }
}

/// Runs one modem's actor until shutdown, restarting it after a panic or
/// kill.
async fn supervise(shared: Arc<Shared>, slot: Arc<Slot>, token: CancellationToken) {
    let span = tracing::info_span!("modem", id = %shared.config.id);
    let mut restarts = 0u32;
    loop {
        // The previous actor is gone, so the lock is free at once; the
        // select only keeps shutdown in reach.
        let requests = tokio::select! {
            () = token.cancelled() => return,
            guard = shared.requests.clone().lock_owned() => guard,
        };
        let actor = Actor::new(shared.clone(), requests, token.clone());
        let task = tokio::spawn(actor.run().instrument(span.clone()));
        if let Ok(mut current) = slot.current.lock() {
            *current = Some(task.abort_handle());
        }
        let result = task.await;
        if let Ok(mut current) = slot.current.lock() {
            *current = None;
        }
        let reason = match result {
            Ok(()) => return,
            Err(err) if err.is_panic() => format!("panicked: {}", panic_message(err.into_panic())),
            Err(_) => "killed".to_owned(),
        };
        if token.is_cancelled() {
            return;
        }
        restarts = restarts.saturating_add(1);
        span.in_scope(|| tracing::error!(%reason, restarts, "modem actor stopped; restarting it"));
        shared.status.send_modify(|s| s.restarts = restarts);
        let event =
            ModemEvent { modem: shared.config.id.clone(), kind: EventKind::Restarted { reason } };
        let _ = shared.events.send(event);
        // A panic that comes back at once must not spin: back off as for
        // failures, from the start of the backoff.
        let delay = shared.config.backoff.delay(restarts.saturating_sub(1).min(4));
        tokio::select! {
            () = token.cancelled() => return,
            () = tokio::time::sleep(delay) => {}
        }
    }
}

fn panic_message(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => match payload.downcast::<&'static str>() {
            Ok(text) => (*text).to_owned(),
            Err(_) => "unknown panic".to_owned(),
        },
    }
}
