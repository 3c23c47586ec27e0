//! The hub of the encrypted network: the server side of `PROTOCOL.md`.
//!
//! ```text
//! device --HTTP/WS--> routes/* (auth, limits) --> send / register / deregister
//!                                                   |-> store.network(): devices, codes, sends,
//!                                                   |                    envelopes, fallbacks, blocks
//!                                                   |-> SmsSender (the daemon's submit path)
//!                                                   '-> Notifier --> open device streams
//! daemon inbox --> Hub::hand_off --> STOP/DEREGISTER, owned-SIM forwarding (sealed)
//! timers: fallback (due -> SMS -> finish -> status), retention expiry
//! relay: store's network wake-ups (this process, and every node by
//!        LISTEN/NOTIFY on PostgreSQL) --> Notifier, fallback and expiry timers
//! ```
//!
//! - [`Hub`]: one per process. [`Hub::extension`] is its router for the
//!   API server ([`bubblegate_api::serve_with`]); [`Hub::start`] runs its
//!   timers and the relay of wake-ups from other nodes;
//!   [`Hub::hand_off`] takes received SMS from the daemon's inbox
//!   (durably: forwarded once, marked handled in the store).
//! - [`routes::ROUTES`]: the route table, which `schemas/openapi.json`
//!   documents (the API's OpenAPI test checks both tables).
//! - [`Clock`]: every time decision reads it; tests use [`ManualClock`].
//! - [`SmsSender`]: how the hub queues SMS (codes, green messages,
//!   fallbacks): the daemon's own submit path, so every SMS passes the
//!   same policy checks, pool and outbox as `POST /v1/sms`.
//!
//! # Invariants
//!
//! - The hub never holds the plaintext of a blue message: it stores and
//!   relays sealed bytes, and verifies signatures over them. Plaintext it
//!   holds is what a sender handed over as `sms.text` (kept only until it
//!   is sent or no longer needed) and forwarded SMS (sealed at once).
//! - A device reads, acks and streams only its own queue; every device
//!   route takes the device from its token, never from the request.
//! - Every check of a send (validation, device set, signatures) happens
//!   before its first side effect (an SMS queued, an envelope stored).
//! - A fallback SMS is queued with the outbox idempotency key
//!   `fallback:<send id>:<handle>` before its row is finished, so a crash
//!   in between never sends it twice.
//! - Phone numbers and bodies reach the log only at trace level; errors
//!   answered to clients never carry SQL or crypto text.

mod auth;
pub mod clock;
mod codes;
mod config;
mod deregister;
mod envelope;
mod error;
mod inbound;
pub mod key;
pub mod limits;
pub mod metrics;
mod notify;
pub mod routes;
mod secrets;
mod send;
mod sms;
mod timers;

use std::sync::Arc;

use bubblegate_proto::{SignPublicKey, SigningKeyPair};
use bubblegate_store::{InboundId, Store};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{GreenReactions, HubConfig, Limits, OwnedSim};
pub use key::{load_or_create as load_or_create_key, KeyError};
pub use limits::Rate;
pub use metrics::HubMetrics;
pub use sms::{InboundSms, SmsError, SmsSender};

use crate::limits::Limiter;
use crate::notify::Notifier;

/// What a hub is made of.
pub struct HubOptions {
    pub store: Store,
    /// The hub's signing key ([`load_or_create_key`]).
    pub key: SigningKeyPair,
    pub config: HubConfig,
    pub sms: Arc<dyn SmsSender>,
    pub clock: Arc<dyn Clock>,
}

/// The abuse limiters, one per kind of request.
pub(crate) struct Limiters {
    pub code_number: Limiter<String>,
    pub code_address: Limiter<std::net::IpAddr>,
    pub code_attempts: Limiter<(bool, String)>,
    pub directory: Limiter<String>,
    pub sends: Limiter<String>,
}

pub(crate) struct Inner {
    pub store: Store,
    pub key: SigningKeyPair,
    pub config: HubConfig,
    pub sms: Arc<dyn SmsSender>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<HubMetrics>,
    pub notifier: Arc<Notifier>,
    pub limits: Limiters,
    pub touched: auth::TouchCache,
    /// Wakes the fallback timer: a send kept fallback text, or a
    /// deregistration (on any node) made some due now.
    pub fallback_wake: Notify,
    /// Wakes the expiry timer: envelopes were queued.
    pub expiry_wake: Notify,
}

/// The hub. Cheap to clone.
#[derive(Clone)]
pub struct Hub {
    pub(crate) inner: Arc<Inner>,
}

/// The hub's running timers, and the relay of the store's wake-ups.
pub struct Timers {
    token: CancellationToken,
    tracker: TaskTracker,
}

impl Timers {
    /// Stops the timers (a fallback in hand is finished first) and waits.
    pub async fn stop(self) {
        self.token.cancel();
        self.tracker.close();
        self.tracker.wait().await;
    }
}

impl Hub {
    pub fn new(options: HubOptions) -> Hub {
        let HubOptions { store, key, config, sms, clock } = options;
        let l = config.limits;
        let limits = Limiters {
            code_number: Limiter::new(l.code_requests_per_number),
            code_address: Limiter::new(l.code_requests_per_address),
            code_attempts: Limiter::new(l.code_attempts),
            directory: Limiter::new(l.directory),
            sends: Limiter::new(l.sends),
        };
        Hub {
            inner: Arc::new(Inner {
                store,
                key,
                config,
                sms,
                clock,
                metrics: Arc::new(HubMetrics::default()),
                notifier: Arc::new(Notifier::default()),
                limits,
                touched: auth::TouchCache::default(),
                fallback_wake: Notify::new(),
                expiry_wake: Notify::new(),
            }),
        }
    }

    /// The key devices pin at registration.
    pub fn public_key(&self) -> SignPublicKey {
        self.inner.key.public()
    }

    pub fn metrics(&self) -> Arc<HubMetrics> {
        self.inner.metrics.clone()
    }

    /// The hub's routes, for tests and for [`Hub::extension`]. WebSocket
    /// streams close (1001) when `shutdown` is cancelled.
    pub fn router(&self, shutdown: CancellationToken) -> axum::Router {
        routes::router(self.clone(), shutdown)
    }

    /// The routes and counters to serve beside the gateway API. Pass the
    /// same `shutdown` token as to [`bubblegate_api::serve_with`].
    pub fn extension(&self, shutdown: CancellationToken) -> bubblegate_api::Extension {
        bubblegate_api::Extension {
            router: self.router(shutdown),
            metrics: Some(self.inner.metrics.clone()),
        }
    }

    /// Starts the timers (fallbacks, retention expiry and housekeeping)
    /// and the relay of the store's network wake-ups (streams and timers
    /// here learn of what other nodes on the same PostgreSQL database
    /// queued; see `notify.rs`) under `token`: they stop when it is
    /// cancelled or by [`Timers::stop`].
    pub fn start(&self, token: &CancellationToken) -> Timers {
        let token = token.child_token();
        let tracker = TaskTracker::new();
        // The fallback timer's first look waits until the relay listens,
        // so no other node's deregistration falls in between.
        let (listening, relay_listens) = tokio::sync::oneshot::channel();
        tracker.spawn(notify::relay(self.inner.clone(), token.clone(), listening));
        tracker.spawn(timers::fallbacks(self.inner.clone(), token.clone(), relay_listens));
        tracker.spawn(timers::expiry(self.inner.clone(), token.clone()));
        Timers { token, tracker }
    }

    /// A received SMS, committed to the inbox as message `id` and still
    /// pending there ([`Store::pending_hand_offs`]): `STOP` or `DEREGISTER`
    /// from a registered number starts its deregistration (a code goes
    /// out), and an SMS to an owned SIM is sealed to the owner's devices;
    /// the envelopes are queued in the transaction that marks the message
    /// handled ([`Store::finish_hand_off`]). Handing a message over again
    /// forwards nothing twice (a STOP's code may go out again). An error
    /// (the store's) leaves the message pending: hand it over again later.
    pub async fn hand_off(
        &self,
        id: InboundId,
        sms: InboundSms,
    ) -> Result<(), bubblegate_store::Error> {
        inbound::hand_off(&self.inner, id, sms).await
    }
}
