//! What a device accepts (PROTOCOL.md, "What a device accepts"), as a
//! pure check: [`Receiver`] takes an envelope, the sender's signing key
//! (which the caller looked up in the directory) and the time, and
//! answers [`Received`] with the opened content or [`Rejected`] with a
//! typed reason. No IO, no clock.
//!
//! The checks, in order: the recipient device id is this device's; the
//! kind may come from this kind of sender (hub-only kinds from the hub,
//! the others from devices); the signature verifies against the sender's
//! key (the pinned hub key for the hub); `created_at` is within the
//! retention period; the (sender device, client message id, kind) triple
//! was not accepted before; the private key of `key_id` is kept and HPKE
//! opens `sealed` with the header as associated data; the content parses
//! and is of the header's kind.
//!
//! A triple is recorded twice over: at once in memory, tied to the
//! envelope's id (so the same envelope delivered again before its ack is
//! accepted again, and another envelope with the triple is a replay), and
//! durably in the state file when the envelope is acked
//! ([`Receiver::confirm`]), so that an acked envelope that comes back is a
//! replay.

use std::collections::{HashMap, HashSet};
use std::fmt;

use bubblegate_proto::wire::Envelope;
use bubblegate_proto::{Content, EncKeyPair, Kind, ProtoError, Sender, SignPublicKey};
use serde::Serialize;

use crate::state::{ReplayKey, ReplayRecord, StateData};

/// An envelope's header and delivery fields, without the sealed bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnvelopeMeta {
    /// The hub's id of the envelope, for acks.
    pub id: String,
    /// `None` for the hub.
    pub sender: Option<Sender>,
    pub recipient_device_id: String,
    pub client_message_id: String,
    pub kind: Kind,
    /// Milliseconds since the epoch, by the sender's clock.
    pub created_at: i64,
    pub key_id: u32,
    /// When the hub deletes it, milliseconds since the epoch.
    pub expires_at: i64,
}

impl EnvelopeMeta {
    pub fn of(envelope: &Envelope) -> EnvelopeMeta {
        EnvelopeMeta {
            id: envelope.id.clone(),
            sender: envelope.sender.clone(),
            recipient_device_id: envelope.recipient_device_id.clone(),
            client_message_id: envelope.client_message_id.clone(),
            kind: envelope.kind,
            created_at: envelope.created_at,
            key_id: envelope.key_id,
            expires_at: envelope.expires_at,
        }
    }

    /// The sender's device id, `hub` for the hub.
    pub fn sender_device(&self) -> &str {
        self.sender.as_ref().map_or("hub", |s| s.device_id.as_str())
    }
}

/// An envelope that passed every check, opened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Received {
    #[serde(flatten)]
    pub meta: EnvelopeMeta,
    pub content: Content,
}

/// An envelope that failed a check. The device acks it anyway, so that
/// the hub does not deliver it again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rejected {
    #[serde(flatten)]
    pub meta: EnvelopeMeta,
    pub reason: RejectReason,
}

/// One envelope's fate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Incoming {
    Received(Received),
    Rejected(Rejected),
}

impl Incoming {
    pub fn meta(&self) -> &EnvelopeMeta {
        match self {
            Incoming::Received(r) => &r.meta,
            Incoming::Rejected(r) => &r.meta,
        }
    }
}

/// Why an envelope was dropped. `code()` is the stable name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum RejectReason {
    /// Addressed to another device.
    WrongRecipient,
    /// A hub-only kind from a device, or a device kind from the hub.
    KindNotAllowed,
    /// The sender device is not in its handle's directory entry.
    UnknownSender,
    /// The signature does not verify against the sender's key.
    BadSignature,
    /// `created_at` is older than the retention period.
    Expired,
    /// The (sender device, client message id, kind) was accepted before.
    Replay,
    /// Sealed to a key this device does not have (never had, or dropped
    /// after the retention period).
    UnknownKey,
    /// HPKE does not open `sealed` with the key and header.
    Undecryptable,
    /// The opened content is not valid, or not of the header's kind.
    BadContent { detail: String },
}

impl RejectReason {
    pub fn code(&self) -> &'static str {
        match self {
            RejectReason::WrongRecipient => "wrong_recipient",
            RejectReason::KindNotAllowed => "kind_not_allowed",
            RejectReason::UnknownSender => "unknown_sender",
            RejectReason::BadSignature => "bad_signature",
            RejectReason::Expired => "expired",
            RejectReason::Replay => "replay",
            RejectReason::UnknownKey => "unknown_key",
            RejectReason::Undecryptable => "undecryptable",
            RejectReason::BadContent { .. } => "bad_content",
        }
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectReason::WrongRecipient => f.write_str("addressed to another device"),
            RejectReason::KindNotAllowed => {
                f.write_str("a kind this sender may not send (hub-only kinds come from the hub)")
            }
            RejectReason::UnknownSender => f.write_str("the sender device is not in the directory"),
            RejectReason::BadSignature => f.write_str("the signature does not verify"),
            RejectReason::Expired => f.write_str("older than the retention period"),
            RejectReason::Replay => f.write_str("a replay of a message already received"),
            RejectReason::UnknownKey => f.write_str("sealed to a key this device does not have"),
            RejectReason::Undecryptable => f.write_str("does not decrypt"),
            RejectReason::BadContent { detail } => write!(f, "bad content: {detail}"),
        }
    }
}

fn sender_device(envelope: &Envelope) -> &str {
    envelope.sender.as_ref().map_or("hub", |s| s.device_id.as_str())
}

/// The sender's signing key, as the caller found it.
#[derive(Clone, Copy, Debug)]
pub enum SenderKey<'a> {
    /// The device's key from the directory.
    Device(&'a SignPublicKey),
    /// The sender device is not in the directory.
    Unknown,
}

/// The pure receiving side of a device: its id, keys, the pinned hub key
/// and the replay set.
pub struct Receiver {
    device_id: String,
    hub_key: SignPublicKey,
    retention_ms: i64,
    keys: HashMap<u32, EncKeyPair>,
    /// Triples acked before (from the state file).
    seen: HashSet<ReplayKey>,
    /// Triples accepted and not yet acked: envelope id and the record.
    pending: HashMap<ReplayKey, (String, ReplayRecord)>,
}

impl fmt::Debug for Receiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("device_id", &self.device_id)
            .field("key_ids", &self.keys.keys().collect::<Vec<_>>())
            .field("seen", &self.seen.len())
            .field("pending", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl Receiver {
    /// A receiver for a device with these keys and replay set.
    pub fn new(
        device_id: &str,
        hub_key: SignPublicKey,
        retention_ms: i64,
        keys: impl IntoIterator<Item = EncKeyPair>,
        seen: HashSet<ReplayKey>,
    ) -> Receiver {
        Receiver {
            device_id: device_id.to_owned(),
            hub_key,
            retention_ms,
            keys: keys.into_iter().map(|k| (k.key_id(), k)).collect(),
            seen,
            pending: HashMap::new(),
        }
    }

    /// The receiver of a registered device's state; `None` before
    /// registration. Keys that do not restore are left out (the state
    /// file's check refuses those already).
    pub fn from_state(state: &StateData) -> Option<Receiver> {
        let reg = state.registration.as_ref()?;
        let keys = state.enc_keys.iter().filter_map(|k| k.pair().ok());
        Some(Receiver::new(
            &reg.device_id,
            reg.hub_key,
            state.retention_ms,
            keys,
            state.replay_keys(),
        ))
    }

    /// Takes the state's keys and replay set again (after a rotation or
    /// another process's changes), keeping what is pending.
    pub fn refresh(&mut self, state: &StateData) {
        self.keys =
            state.enc_keys.iter().filter_map(|k| k.pair().ok()).map(|k| (k.key_id(), k)).collect();
        self.seen = state.replay_keys();
        self.retention_ms = state.retention_ms;
    }

    /// Checks and opens one envelope. `sender_key` is ignored for the
    /// hub's envelopes, which verify against the pinned hub key.
    pub fn check(
        &mut self,
        envelope: &Envelope,
        sender_key: SenderKey<'_>,
        now_ms: i64,
    ) -> Incoming {
        match self.check_inner(envelope, sender_key, now_ms) {
            Ok(content) => {
                Incoming::Received(Received { meta: EnvelopeMeta::of(envelope), content })
            }
            Err(reason) => {
                Incoming::Rejected(Rejected { meta: EnvelopeMeta::of(envelope), reason })
            }
        }
    }

    fn check_inner(
        &mut self,
        envelope: &Envelope,
        sender_key: SenderKey<'_>,
        now_ms: i64,
    ) -> Result<Content, RejectReason> {
        if envelope.recipient_device_id != self.device_id {
            return Err(RejectReason::WrongRecipient);
        }
        let from_hub = envelope.sender.is_none();
        if envelope.kind.is_hub_only() != from_hub {
            return Err(RejectReason::KindNotAllowed);
        }
        let key = match (&envelope.sender, sender_key) {
            (None, _) => &self.hub_key,
            (Some(_), SenderKey::Device(key)) => key,
            (Some(_), SenderKey::Unknown) => return Err(RejectReason::UnknownSender),
        };
        let header = envelope.header();
        if bubblegate_proto::verify(&header, &envelope.sealed, &envelope.signature, key).is_err() {
            return Err(RejectReason::BadSignature);
        }
        if envelope.created_at < now_ms.saturating_sub(self.retention_ms) {
            return Err(RejectReason::Expired);
        }
        let triple: ReplayKey =
            (sender_device(envelope).to_owned(), envelope.client_message_id.clone(), envelope.kind);
        if self.seen.contains(&triple) {
            return Err(RejectReason::Replay);
        }
        if let Some((id, _)) = self.pending.get(&triple) {
            if *id != envelope.id {
                return Err(RejectReason::Replay);
            }
        }
        let Some(pair) = self.keys.get(&envelope.key_id) else {
            return Err(RejectReason::UnknownKey);
        };
        let plaintext = match bubblegate_proto::open(&header, pair, &envelope.sealed) {
            Ok(plaintext) => plaintext,
            Err(_) => return Err(RejectReason::Undecryptable),
        };
        let content = match Content::from_bytes(&plaintext, envelope.kind) {
            Ok(content) => content,
            Err(ProtoError::Content(detail)) => return Err(RejectReason::BadContent { detail }),
            Err(e) => return Err(RejectReason::BadContent { detail: e.to_string() }),
        };
        let record = ReplayRecord {
            sender_device: triple.0.clone(),
            client_message_id: triple.1.clone(),
            kind: triple.2,
            created_at: envelope.created_at,
            seen_at: now_ms,
        };
        self.pending.insert(triple, (envelope.id.clone(), record));
        Ok(content)
    }

    /// The envelopes `ids` were acked: their triples move from pending to
    /// seen, and are returned for the state file.
    pub fn confirm(&mut self, ids: &[String]) -> Vec<ReplayRecord> {
        let done: Vec<ReplayKey> = self
            .pending
            .iter()
            .filter(|(_, (id, _))| ids.contains(id))
            .map(|(key, _)| key.clone())
            .collect();
        let mut records = Vec::with_capacity(done.len());
        for key in done {
            if let Some((_, record)) = self.pending.remove(&key) {
                self.seen.insert(key);
                records.push(record);
            }
        }
        records
    }

    /// The records [`Receiver::confirm`] would return, without moving
    /// them: for writing the state file before the ack goes out.
    pub fn records_for(&self, ids: &[String]) -> Vec<ReplayRecord> {
        self.pending
            .values()
            .filter(|(id, _)| ids.contains(id))
            .map(|(_, record)| record.clone())
            .collect()
    }
}
