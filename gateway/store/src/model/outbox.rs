//! What goes into and comes out of the outbox.

use std::time::{Duration, SystemTime};

use bubblegate_sms::{Coding, StatusClass};

use super::{ErrorClass, Iccid, MessageId, MessageStatus, ModemId, NodeId, PartId, PartState};

/// One part of a message to send, encoded by the caller (the segmenter in
/// `bubblegate-sms`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPart {
    /// The SMS-SUBMIT TPDU in hex, without an SMSC prefix unless the
    /// modem wants one; sent as is.
    pub pdu_hex: String,
    /// The TPDU length in octets, the `<length>` of `AT+CMGS`.
    pub tpdu_length: u16,
}

/// A message for the outbox, as the API received it plus its encoded
/// parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMessage {
    /// Resubmitting a key returns the first message.
    pub idempotency_key: Option<String>,
    pub destination: String,
    pub body: String,
    pub coding: Coding,
    /// Higher is sent first; 0 is normal.
    pub priority: i32,
    pub delivery_report: bool,
    /// Not before this time.
    pub send_after: Option<SystemTime>,
    /// How long the message may wait to be sent, from enqueue; parts not
    /// submitted by then expire.
    pub validity: Option<Duration>,
    /// In order: part 1 first.
    pub parts: Vec<NewPart>,
}

/// What [`crate::Store::enqueue`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Enqueued {
    pub id: MessageId,
    /// False when an idempotency key matched an earlier message.
    pub created: bool,
}

/// Who claims work: the node, and the modem and SIM that will send it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claimer {
    pub node: NodeId,
    pub modem: ModemId,
    pub sim: Iccid,
}

/// A part handed to one claimer, now `submitting`. It is the ticket for the
/// part's next transition; a stale ticket is refused with
/// [`crate::Error::ClaimLost`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimedPart {
    pub part: PartId,
    pub message: MessageId,
    pub seq: u8,
    pub total: u8,
    pub destination: String,
    pub pdu_hex: String,
    pub tpdu_length: u16,
    pub delivery_report: bool,
    /// This claim is attempt number `attempt` (1-based). The caller bounds
    /// retries with it.
    pub attempt: u32,
    pub claimer: Claimer,
}

/// Why a send failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendError {
    /// A stable name, e.g. `cms-38` or `timeout`. Never a phone number or
    /// body.
    pub code: String,
    pub class: ErrorClass,
}

/// The result of a part transition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    pub message: MessageId,
    pub seq: u8,
    pub part_state: PartState,
    /// The message's rolled-up status after the change.
    pub status: MessageStatus,
    /// Whether the message's status changed.
    pub status_changed: bool,
}

/// A status report, as the modem gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The SIM that received the report, which sent the part.
    pub sim: Iccid,
    pub mr: u8,
    /// TP-ST.
    pub status: bubblegate_sms::Status,
    /// The discharge time, when the report carried one.
    pub discharged_at: Option<SystemTime>,
}

impl Report {
    pub(crate) fn part_state(&self) -> Option<PartState> {
        match self.status.class() {
            StatusClass::Delivered => Some(PartState::Delivered),
            StatusClass::Pending => None,
            StatusClass::Failed => Some(PartState::Failed),
            StatusClass::Expired => Some(PartState::Expired),
        }
    }
}

/// An outbound message with its parts and history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboundMessage {
    pub id: MessageId,
    pub destination: String,
    pub body: String,
    pub coding: Coding,
    pub priority: i32,
    pub delivery_report: bool,
    pub status: MessageStatus,
    /// The SIM all parts go out through, once the first part was claimed:
    /// a phone joins parts only from one sender number.
    pub sim: Option<Iccid>,
    pub created_at: SystemTime,
    pub send_after: Option<SystemTime>,
    pub expires_at: Option<SystemTime>,
    pub updated_at: SystemTime,
    pub parts: Vec<OutboundPart>,
    pub history: Vec<HistoryEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboundPart {
    pub id: PartId,
    pub seq: u8,
    pub total: u8,
    pub pdu_hex: String,
    pub tpdu_length: u16,
    pub state: PartState,
    pub attempts: u32,
    pub next_attempt_at: Option<SystemTime>,
    pub modem: Option<ModemId>,
    pub sim: Option<Iccid>,
    pub mr: Option<u8>,
    pub report_status: Option<u8>,
    pub last_error: Option<SendError>,
    pub submitted_at: Option<SystemTime>,
    pub delivered_at: Option<SystemTime>,
}

/// One state change. `part` is `None` for the message's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    pub part: Option<u8>,
    pub from: Option<String>,
    pub to: String,
    pub at: SystemTime,
    pub detail: Option<String>,
}
