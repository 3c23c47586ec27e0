//! What the hub needs from the SMS side, and what it gets from it.
//!
//! [`SmsSender`] queues an SMS through the gateway's own submit path: the
//! same destination policy (allowed countries, blocked prefixes, daily
//! budget), segmentation, modem pool and durable outbox as `POST /v1/sms`.
//! The daemon implements it; tests record what would have gone out.
//! [`InboundSms`] is a received message, handed to [`crate::Hub::hand_off`]
//! after the inbox committed it.

use std::time::SystemTime;

use bubblegate_proto::E164;

/// Why an SMS was not queued.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SmsError {
    /// The destination policy refuses the number (country, prefix) or the
    /// text cannot be sent (too long). Retrying does not help.
    #[error("refused by policy: {0}")]
    Refused(String),
    /// The daily SMS budget is spent, the gateway is stopping, or the
    /// store is busy. Retrying later may help.
    #[error("cannot queue now: {0}")]
    Unavailable(String),
}

/// A way to queue SMS. `key` is an outbox idempotency key: a second call
/// with the same key and text queues nothing and returns the first id.
#[bubblegate_api::async_trait]
pub trait SmsSender: Send + Sync + 'static {
    /// Queues `text` for `to`; returns the outbox message id.
    async fn send_sms(
        &self,
        to: &E164,
        text: &str,
        key: Option<String>,
        urgent: bool,
    ) -> Result<String, SmsError>;
}

/// A received SMS, complete (joined from its parts).
#[derive(Clone, PartialEq, Eq)]
pub struct InboundSms {
    /// The modem it arrived on.
    pub modem: String,
    /// The sender as the network gave it: a number, or an alphanumeric
    /// name.
    pub from: String,
    pub body: String,
    pub received_at: SystemTime,
}

/// Numbers and bodies stay out of `Debug`.
impl std::fmt::Debug for InboundSms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InboundSms")
            .field("modem", &self.modem)
            .field("body_chars", &self.body.chars().count())
            .field("received_at", &self.received_at)
            .finish()
    }
}
