//! The wire types: what clients send and what the API answers. Field names
//! and enum spellings here *are* the API contract and the OpenAPI
//! document's schemas: add fields, never rename them.
//!
//! Requests come in as raw serde structs ([`SmsRequest`]) and are
//! validated into richer types ([`NewSms`], whose `to` is an [`E164`])
//! before the [`crate::Gateway`] sees them. Views go out as the daemon
//! built them.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

/// A phone number in E.164 form, checked by libphonenumber's rules; one
/// type for the gateway API and the encrypted network.
pub use bubblegate_proto::E164;

// ------------------------------------------------------------ requests

/// `POST /v1/sms`, as sent. Unknown fields are refused, so a misspelt
/// option is an error rather than silently ignored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsRequest {
    /// The recipient, E.164 (`+4915112345678`), or national when the
    /// server has a default region.
    pub to: String,
    /// The message text, 1 to [`limits::MAX_TEXT_CHARS`] characters.
    pub text: String,
    /// Resubmitting the same key returns the first message (200 instead
    /// of 201). 1 to 128 printable ASCII characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// How long the message may wait to be sent, in seconds, from now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity: Option<u64>,
    /// Higher goes first; 0 is normal; -100 to 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    /// Ask the network for delivery reports (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_report: Option<bool>,
    /// Not before this time (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_after: Option<Timestamp>,
}

/// Bounds on [`SmsRequest`] fields.
pub mod limits {
    /// Characters (Unicode scalar values) in a text: ten concatenated
    /// GSM 7-bit parts, about.
    pub const MAX_TEXT_CHARS: usize = 1600;
    pub const MAX_IDEMPOTENCY_KEY: usize = 128;
    /// One minute to one week.
    pub const MIN_VALIDITY_SECS: u64 = 60;
    pub const MAX_VALIDITY_SECS: u64 = 7 * 24 * 3600;
    pub const MIN_PRIORITY: i32 = -100;
    pub const MAX_PRIORITY: i32 = 100;
    /// How far ahead `send_after` may be: thirty days.
    pub const MAX_SEND_AFTER_SECS: u64 = 30 * 24 * 3600;
}

/// A validated [`SmsRequest`], what [`crate::Gateway::submit`] gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSms {
    pub to: E164,
    pub text: String,
    pub idempotency_key: Option<String>,
    pub validity: Option<Duration>,
    pub priority: i32,
    pub delivery_report: bool,
    /// Already in the future; a past time comes as `None`.
    pub send_after: Option<Timestamp>,
}

/// What [`crate::Gateway::submit`] did; the body of the answer to
/// `POST /v1/sms` (201 when `created`, else 200).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitted {
    pub id: String,
    /// False when the idempotency key matched an earlier message.
    pub created: bool,
    /// The message's status now.
    pub status: MessageStatus,
    /// How many SMS parts the text takes.
    pub parts: u32,
}

/// `GET /v1/inbox` query.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboxQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// 1 to 200; 50 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

// ------------------------------------------------------------ messages

/// An outbound message's status, rolled up from its parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    Queued,
    Sending,
    /// Every part accepted by the network; reports awaited or not asked.
    Submitted,
    PartiallyDelivered,
    Delivered,
    Failed,
    Expired,
}

impl MessageStatus {
    pub fn name(self) -> &'static str {
        match self {
            MessageStatus::Queued => "queued",
            MessageStatus::Sending => "sending",
            MessageStatus::Submitted => "submitted",
            MessageStatus::PartiallyDelivered => "partially_delivered",
            MessageStatus::Delivered => "delivered",
            MessageStatus::Failed => "failed",
            MessageStatus::Expired => "expired",
        }
    }
}

/// Where one part of an outbound message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartState {
    Queued,
    Submitting,
    Submitted,
    Delivered,
    Failed,
    Expired,
}

impl PartState {
    /// Nothing more will happen to the part.
    pub fn is_terminal(self) -> bool {
        matches!(self, PartState::Delivered | PartState::Failed | PartState::Expired)
    }

    pub fn name(self) -> &'static str {
        match self {
            PartState::Queued => "queued",
            PartState::Submitting => "submitting",
            PartState::Submitted => "submitted",
            PartState::Delivered => "delivered",
            PartState::Failed => "failed",
            PartState::Expired => "expired",
        }
    }
}

impl MessageView {
    /// Whether the message's status can no longer change: every part is
    /// delivered, failed or expired, or (`delivery_report` off) submitted.
    /// A rolled-up `failed` or `partially_delivered` is not settled while
    /// another part still waits for its report.
    pub fn is_settled(&self) -> bool {
        !self.parts.is_empty()
            && self.parts.iter().all(|p| {
                p.state.is_terminal() || (!self.delivery_report && p.state == PartState::Submitted)
            })
    }
}

/// `GET /v1/sms/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: String,
    pub to: String,
    pub text: String,
    pub status: MessageStatus,
    pub priority: i32,
    pub delivery_report: bool,
    /// The SIM (ICCID) the parts go out through, once chosen.
    pub sim: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub send_after: Option<Timestamp>,
    pub expires_at: Option<Timestamp>,
    pub parts: Vec<PartView>,
    /// Oldest first.
    pub history: Vec<HistoryEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartView {
    /// 1-based.
    pub seq: u32,
    pub state: PartState,
    pub attempts: u32,
    pub modem: Option<String>,
    /// TP-MR, the reference a status report names.
    pub reference: Option<u8>,
    pub error: Option<PartError>,
    pub submitted_at: Option<Timestamp>,
    pub delivered_at: Option<Timestamp>,
}

/// Why a part's last attempt failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartError {
    /// A stable name, e.g. `cms-38` or `timeout`.
    pub code: String,
    /// `temporary`, `permanent` or `unknown`.
    pub class: String,
}

/// One state change; `part` is absent for the message's own status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub part: Option<u32>,
    pub from: Option<String>,
    pub to: String,
    pub at: Timestamp,
    pub detail: Option<String>,
}

// ------------------------------------------------------------ inbox

/// One received message, reassembled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxMessage {
    pub id: String,
    /// The sender: a number, or an alphanumeric name.
    pub from: String,
    /// The receiving SIM's own number, when known.
    pub to: Option<String>,
    pub modem: String,
    pub sim: Option<String>,
    pub text: String,
    /// How many parts the sender sent.
    pub parts: u32,
    /// False when released by the reassembly timeout with parts missing.
    pub complete: bool,
    /// The 1-based numbers of missing parts.
    pub missing: Vec<u32>,
    /// The service centre's time stamp of the first part.
    pub sent_at: Timestamp,
    pub received_at: Timestamp,
}

/// `GET /v1/inbox`: newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxPage {
    pub messages: Vec<InboxMessage>,
    /// Pass as `cursor` for the next (older) page; `null` on the last.
    pub next_cursor: Option<String>,
}

// ------------------------------------------------------------ modems

/// A modem's life cycle, as the daemon's modem actor runs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModemState {
    /// Opening the port and identifying the model.
    Probing,
    /// Running the profile's init sequence.
    Initializing,
    /// Waiting for the SIM (PIN, not inserted, not ready).
    SimWait,
    /// SIM ready, waiting for network registration.
    Registering,
    /// Registered and able to send.
    Ready,
    /// Gave up for now; retried with backoff.
    Failed,
    /// The port is gone (unplugged).
    Disconnected,
}

/// Network registration, as `+CREG`/`+CEREG` report it (TS 27.007 7.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Registration {
    NotRegistered,
    Home,
    Searching,
    Denied,
    Unknown,
    Roaming,
}

/// `GET /v1/modems`: one modem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModemView {
    /// The stable id, e.g. its `/dev/serial/by-id` name.
    pub id: String,
    /// The modem profile it resolved to.
    pub profile: Option<String>,
    pub state: ModemState,
    pub signal: Option<Signal>,
    /// The operator's name, as `+COPS` gives it.
    pub operator: Option<String>,
    pub registration: Option<Registration>,
    pub sim: Option<SimView>,
    pub quota: Option<QuotaView>,
    /// Why the modem is `failed`, in words without numbers or bodies.
    pub last_error: Option<String>,
}

/// Signal strength from `+CSQ`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    /// The raw `<rssi>`, 0 to 31.
    pub csq: u8,
    /// The same in dBm, -113 to -51.
    pub dbm: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimView {
    pub iccid: String,
    /// The SIM's own number, when known.
    pub msisdn: Option<String>,
}

/// Segments sent through the SIM against its limits; a `None` limit is
/// unlimited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaView {
    pub per_minute_limit: Option<u64>,
    pub day_used: u64,
    pub day_limit: Option<u64>,
    pub month_used: u64,
    pub month_limit: Option<u64>,
}

// ------------------------------------------------------------ events

/// An event on `WS /v1/events` and in webhook bodies, tagged by `type`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum GatewayEvent {
    /// An outbound message's rolled-up status changed, or one of its
    /// parts did.
    MessageStatus {
        id: String,
        status: MessageStatus,
        /// The part that changed, when one did.
        part: Option<u32>,
        part_state: Option<PartState>,
        at: Timestamp,
    },
    /// A message was received and reassembled.
    Inbound { message: InboxMessage },
    /// A modem changed state.
    ModemState { modem: String, state: ModemState, at: Timestamp },
    /// Only on the WebSocket: this client fell behind and `missed`
    /// events were dropped for it. Refetch what matters.
    Lagged { missed: u64 },
}

impl GatewayEvent {
    /// The `type` tag, for metrics and webhook headers.
    pub fn kind(&self) -> &'static str {
        match self {
            GatewayEvent::MessageStatus { .. } => "message_status",
            GatewayEvent::Inbound { .. } => "inbound",
            GatewayEvent::ModemState { .. } => "modem_state",
            GatewayEvent::Lagged { .. } => "lagged",
        }
    }
}

// ------------------------------------------------------------ health

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    /// Everything works.
    Ok,
    /// Serving, but e.g. no modem is ready: messages queue.
    Degraded,
    /// Not able to take messages (store down, shutting down).
    Down,
}

/// `GET /healthz`: 200 unless `down` (503).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: HealthStatus,
    pub modems_ready: u32,
    pub modems_total: u32,
    /// Messages waiting to be sent.
    pub queued: u64,
    /// Why not `ok`, in words.
    pub detail: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(delivery_report: bool, parts: &[PartState]) -> MessageView {
        let at = Timestamp::from_unix_millis(0);
        MessageView {
            id: "m".into(),
            to: "+447911123456".into(),
            text: "t".into(),
            status: MessageStatus::Sending,
            priority: 0,
            delivery_report,
            sim: None,
            created_at: at,
            updated_at: at,
            send_after: None,
            expires_at: None,
            parts: parts
                .iter()
                .enumerate()
                .map(|(i, &state)| PartView {
                    seq: i as u32 + 1,
                    state,
                    attempts: 1,
                    modem: None,
                    reference: None,
                    error: None,
                    submitted_at: None,
                    delivered_at: None,
                })
                .collect(),
            history: vec![],
        }
    }

    #[test]
    fn settled_means_no_part_can_change() {
        use PartState::*;
        let cases: &[(bool, &[PartState], bool)] = &[
            (true, &[Delivered, Delivered], true),
            (true, &[Delivered, Failed], true),
            (true, &[Expired], true),
            // Partially delivered, another report still due.
            (true, &[Delivered, Submitted], false),
            (true, &[Failed, Submitted], false),
            (true, &[Queued], false),
            (false, &[Submitted, Submitted], true),
            (false, &[Submitted, Submitting], false),
            (true, &[], false),
        ];
        for (report, parts, want) in cases {
            assert_eq!(view(*report, parts).is_settled(), *want, "{report} {parts:?}");
        }
    }
}
