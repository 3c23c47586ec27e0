//! The daemon's side of the encrypted network's hub (`bubblegate-hub`):
//!
//! - [`Daemon`] is the hub's [`SmsSender`]: verification codes, green
//!   messages and fallbacks take `POST /v1/sms`'s own submit path (policy,
//!   budget, segmentation, outbox), so the hub can send nothing the API
//!   could not. Codes go first in the queue and expire with the code.
//! - Received SMS reach the hub after the inbox committed them: the
//!   hand-off task ([`hand_offs`]) gives the hub each message the store
//!   holds as pending, oldest first ([`Hub::hand_off`]: `STOP`/`DEREGISTER`
//!   and owned-SIM forwarding), and the hub marks it handled in the
//!   transaction that queues its forwarded copies.
//!
//! The hand-off is durable and at least once. The inbox commits a message
//! pending and wakes the task ([`forward`]); the task starts with the
//! daemon and, once the hub is attached (it needs the daemon to send, so
//! it comes after [`Daemon::start`]), hands over everything pending: what
//! arrived during start-up, and what a crash (kill -9, power cut) caught
//! between the inbox's commit and the hub's. A store error leaves a
//! message pending; the task tries again after a backoff, without holding
//! up the messages behind it. Handing a message over twice forwards it
//! once; only a `STOP`'s code may go out twice (see the hub's
//! `inbound.rs`). The task handles its own node's modems only, so nodes
//! sharing a PostgreSQL database never hand over each other's messages.
//!
//! Without `[network]` there is nobody to hand messages to: the task
//! marks them handled as they come (and at start whatever a crash left),
//! so that enabling the hub later never answers an old `STOP` or forwards
//! an old SMS.

use std::time::{Duration, SystemTime};

use bubblegate_api::NewSms;
use bubblegate_hub::{Hub, InboundSms, SmsError, SmsSender};
use bubblegate_proto::E164;
use bubblegate_sms::Body;
use bubblegate_store::{InboundMessage, ModemId};
use tokio::sync::{watch, Notify};
use tokio_util::sync::CancellationToken;

use crate::daemon::{Daemon, Inner};
use crate::gateway::SubmitError;
use crate::policy::Refusal;

/// Codes jump the queue: they are useless after ten minutes.
const CODE_PRIORITY: i32 = 50;
const CODE_VALIDITY: Duration = Duration::from_secs(600);
/// Pending messages read per query.
const BATCH: u32 = 100;
/// The backoff after a pass that left messages pending.
const RETRY_FIRST: Duration = Duration::from_secs(1);
const RETRY_MAX: Duration = Duration::from_secs(60);

/// Where the hub is, once attached, and the hand-off task's wake-up.
pub(crate) struct HubSlot {
    /// Whether the configuration enables the hub.
    expected: bool,
    hub: watch::Sender<Option<Hub>>,
    /// A message was committed pending.
    committed: Notify,
}

impl HubSlot {
    pub fn new(expected: bool) -> HubSlot {
        HubSlot { expected, hub: watch::channel(None).0, committed: Notify::new() }
    }

    /// The hub once attached; `None` without `[network]`, or when `token`
    /// is cancelled first.
    async fn attached(&self, token: &CancellationToken) -> Option<Hub> {
        if !self.expected {
            return None;
        }
        let mut rx = self.hub.subscribe();
        tokio::select! {
            () = token.cancelled() => None,
            hub = rx.wait_for(Option::is_some) => hub.ok().and_then(|h| h.clone()),
        }
    }
}

impl Daemon {
    /// Hands received SMS to `hub` from now on. With `[network]`
    /// configured, call it right after [`Daemon::start`] (the service
    /// does): until then received messages wait in the store, pending,
    /// and the hub gets them all, oldest first, once attached.
    pub fn attach_hub(&self, hub: Hub) {
        self.inner.hub.hub.send_replace(Some(hub));
    }
}

#[bubblegate_api::async_trait]
impl SmsSender for Daemon {
    async fn send_sms(
        &self,
        to: &E164,
        text: &str,
        key: Option<String>,
        urgent: bool,
    ) -> Result<String, SmsError> {
        let sms = NewSms {
            to: to.clone(),
            text: text.to_owned(),
            idempotency_key: key,
            validity: urgent.then_some(CODE_VALIDITY),
            priority: if urgent { CODE_PRIORITY } else { 0 },
            delivery_report: false,
            send_after: None,
        };
        match self.submit_sms(sms).await {
            Ok(submitted) => Ok(submitted.id),
            // A spent day's budget passes: a fallback waits for tomorrow's
            // instead of being dropped, and a code request is told to retry.
            Err(SubmitError::Refused(r @ Refusal::BudgetSpent { .. })) => {
                Err(SmsError::Unavailable(r.to_string()))
            }
            Err(SubmitError::Refused(r)) => Err(SmsError::Refused(r.to_string())),
            Err(SubmitError::Text(problem)) => Err(SmsError::Refused(problem)),
            Err(SubmitError::Stopping) => {
                Err(SmsError::Unavailable("the gateway is shutting down".into()))
            }
            Err(SubmitError::Store(bubblegate_store::Error::IdempotencyConflict { .. })) => {
                Err(SmsError::Refused("the idempotency key was used for another text".into()))
            }
            Err(SubmitError::Store(err)) => Err(SmsError::Unavailable(err.to_string())),
        }
    }
}

/// Wakes the hand-off task: `_message` was committed, pending. (The task
/// reads it back from the store, with anything else pending.)
pub(crate) async fn forward(inner: &Inner, _message: &InboundMessage) {
    inner.hub.committed.notify_one();
}

/// The hand-off task: until `token` is cancelled, hands every pending
/// message of this node's modems to the hub (or settles them without
/// one), then sleeps until the inbox commits another, or until the
/// backoff after a store error ends.
pub(crate) async fn hand_offs(inner: std::sync::Arc<Inner>, token: CancellationToken) {
    let modems: Vec<ModemId> =
        inner.pool.modems().iter().map(|m| ModemId(m.id.to_string())).collect();
    let hub = inner.hub.attached(&token).await;
    if inner.hub.expected && hub.is_none() {
        return;
    }
    let mut backoff = RETRY_FIRST;
    loop {
        let done = match &hub {
            Some(hub) => pass(&inner, hub, &modems, &token).await,
            None => settle(&inner, &modems).await,
        };
        let retry = if done {
            backoff = RETRY_FIRST;
            None
        } else {
            let wait = backoff;
            backoff = (backoff * 2).min(RETRY_MAX);
            Some(wait)
        };
        tokio::select! {
            () = token.cancelled() => return,
            () = inner.hub.committed.notified() => {}
            () = sleep(retry) => {}
        }
    }
}

/// Hands every pending message to the hub, oldest first. False when some
/// stay pending.
async fn pass(inner: &Inner, hub: &Hub, modems: &[ModemId], token: &CancellationToken) -> bool {
    let mut after = None;
    let mut done = true;
    loop {
        let batch = match inner.store.pending_hand_offs(modems, after, BATCH).await {
            Ok(batch) => batch,
            Err(err) => {
                tracing::warn!(%err, "cannot read the received SMS pending for the hub");
                return false;
            }
        };
        let Some(last) = batch.last() else { return done };
        after = Some(last.id);
        for message in batch {
            if token.is_cancelled() {
                // Pending still: the next start hands them over.
                return done;
            }
            done &= hand_off(inner, hub, message).await;
        }
    }
}

/// Hands one message to the hub. Data messages (ports, 8-bit) are not
/// text: there is nothing for the hub to do, so they are only marked.
async fn hand_off(inner: &Inner, hub: &Hub, message: InboundMessage) -> bool {
    let id = message.id;
    let result = match message.body {
        Body::Text(body) => {
            let sms = InboundSms {
                modem: message.modem.0,
                from: message.sender,
                body,
                received_at: message.received_at,
            };
            hub.hand_off(id, sms).await
        }
        Body::Data(_) => inner.store.finish_hand_off(id, &[], SystemTime::now()).await.map(drop),
    };
    match result {
        Ok(()) => true,
        Err(err) => {
            tracing::warn!(%err, %id, "a received SMS stays pending for the hub; trying again later");
            false
        }
    }
}

/// Without a hub: marks everything pending handled.
async fn settle(inner: &Inner, modems: &[ModemId]) -> bool {
    match inner.store.settle_hand_offs(modems, SystemTime::now()).await {
        Ok(n) => {
            tracing::trace!(messages = n, "received SMS settled (no hub)");
            true
        }
        Err(err) => {
            tracing::warn!(%err, "cannot mark received SMS handled (no hub)");
            false
        }
    }
}

async fn sleep(wait: Option<Duration>) {
    match wait {
        Some(wait) => tokio::time::sleep(wait).await,
        None => std::future::pending().await,
    }
}
