//! The daemon's side of the encrypted network's hub (`bubblegate-hub`):
//!
//! - [`Daemon`] is the hub's [`SmsSender`]: verification codes, green
//!   messages and fallbacks take `POST /v1/sms`'s own submit path (policy,
//!   budget, segmentation, outbox), so the hub can send nothing the API
//!   could not. Codes go first in the queue and expire with the code.
//! - Received SMS reach the hub after the inbox committed them
//!   ([`forward`]): `STOP`/`DEREGISTER` and owned-SIM forwarding.
//!
//! The hub is attached after the daemon starts (it needs the daemon to
//! send), but the inbox workers start with the daemon; an inbox worker
//! that has a message for the hub before it is attached waits for it, a
//! bounded while, so that nothing received during start-up is skipped.

use std::time::Duration;

use bubblegate_api::NewSms;
use bubblegate_hub::{Hub, InboundSms, SmsError, SmsSender};
use bubblegate_proto::E164;
use bubblegate_sms::Body;
use bubblegate_store::InboundMessage;
use tokio::sync::watch;

use crate::daemon::{Daemon, Inner};
use crate::gateway::SubmitError;
use crate::policy::Refusal;

/// Codes jump the queue: they are useless after ten minutes.
const CODE_PRIORITY: i32 = 50;
const CODE_VALIDITY: Duration = Duration::from_secs(600);
/// How long an inbox worker waits for the hub at start-up.
const ATTACH_WAIT: Duration = Duration::from_secs(60);

/// Where the hub is, once attached.
pub(crate) struct HubSlot {
    /// Whether the configuration enables the hub.
    expected: bool,
    hub: watch::Sender<Option<Hub>>,
}

impl HubSlot {
    pub fn new(expected: bool) -> HubSlot {
        HubSlot { expected, hub: watch::channel(None).0 }
    }

    /// The hub, waiting for it if it is expected but not attached yet.
    async fn get(&self) -> Option<Hub> {
        if !self.expected {
            return None;
        }
        let mut rx = self.hub.subscribe();
        let waited = tokio::time::timeout(ATTACH_WAIT, rx.wait_for(Option::is_some)).await;
        match waited {
            Ok(Ok(hub)) => hub.clone(),
            _ => {
                tracing::warn!("the hub was not attached in time; an SMS is not handed to it");
                None
            }
        }
    }
}

impl Daemon {
    /// Hands received SMS to `hub` from now on. With `[network]`
    /// configured, call it right after [`Daemon::start`] (the service
    /// does): until then each inbox worker with a message for the hub waits
    /// for it, at most a minute per message.
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

/// Hands a received message to the hub, if there is one. Data messages
/// (ports, 8-bit) are not text and are not handed over.
pub(crate) async fn forward(inner: &Inner, message: &InboundMessage) {
    let Body::Text(text) = &message.body else { return };
    let Some(hub) = inner.hub.get().await else { return };
    hub.inbound_sms(InboundSms {
        modem: message.modem.0.clone(),
        from: message.sender.clone(),
        body: text.clone(),
        received_at: message.received_at,
    })
    .await;
}
