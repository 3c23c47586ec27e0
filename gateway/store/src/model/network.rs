//! What goes into and comes out of the encrypted network's tables:
//! devices, verification codes, sends, envelopes, SMS fallbacks and
//! deregistrations. Ids (devices, sends, envelopes) are UUIDv7 strings the
//! hub makes; handles are E.164 strings the hub has normalised. Keys,
//! token hashes and envelope bodies are opaque to the store.

use std::fmt;
use std::time::SystemTime;

/// A device to register, with its public keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDevice {
    /// A UUIDv7 string.
    pub id: String,
    pub handle: String,
    pub name: String,
    /// The KEM of `enc_key`, e.g. `x-wing`.
    pub enc_kem: String,
    pub enc_key: Vec<u8>,
    /// The device's key counter, from 1.
    pub enc_key_id: u32,
    /// The Ed25519 public key.
    pub sign_key: Vec<u8>,
    /// SHA-256 of the bearer token; unique among devices.
    pub token_hash: Vec<u8>,
}

/// A registered device, revoked or not. The token hash never leaves the
/// store: look a device up by it with
/// [`crate::network::Network::device_by_token`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceRecord {
    pub id: String,
    pub handle: String,
    pub name: String,
    pub enc_kem: String,
    pub enc_key: Vec<u8>,
    pub enc_key_id: u32,
    pub sign_key: Vec<u8>,
    pub created_at: SystemTime,
    pub last_seen_at: SystemTime,
    /// Set by deregistration; a revoked device has no token.
    pub revoked_at: Option<SystemTime>,
}

/// A handle that has had a device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandleRecord {
    pub handle: String,
    /// When its current (or last) registration began: the first device
    /// after a deregistration starts a new one.
    pub registered_at: SystemTime,
    /// Set by deregistration, cleared by the next device.
    pub deregistered_at: Option<SystemTime>,
}

/// What a verification code is for. One code per handle and purpose is
/// kept; a new one replaces it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CodePurpose {
    Register,
    Deregister,
}

impl CodePurpose {
    pub const ALL: &'static [CodePurpose] = &[CodePurpose::Register, CodePurpose::Deregister];

    /// The name stored in the database.
    pub fn name(self) -> &'static str {
        match self {
            CodePurpose::Register => "register",
            CodePurpose::Deregister => "deregister",
        }
    }
}

impl fmt::Display for CodePurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A stored verification code, as [`crate::network::Network::code_attempt`]
/// returns it: the salt and hash to compare against, and the attempts
/// counted so far, this one included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeRecord {
    pub salt: Vec<u8>,
    /// SHA-256(salt ‖ code).
    pub hash: Vec<u8>,
    pub attempts: u32,
    pub expires_at: SystemTime,
}

/// An accepted send, with everything it queues, for
/// [`crate::network::Network::record_send`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSend {
    /// A UUIDv7 string: the message id of the answer.
    pub id: String,
    pub sender_device: String,
    /// Unique per sending device; a repeat is answered from the store.
    pub client_message_id: String,
    /// The hub's fingerprint of the request, to tell a retry from a
    /// client message id reused for another request.
    pub request_hash: Vec<u8>,
    /// The JSON answer, stored as is and returned to a repeat.
    pub answer: String,
    /// Each `send_id` is `None` or this send's id, and each
    /// `sender_device` `None` or this send's sender: the store fills
    /// them in.
    pub envelopes: Vec<NewEnvelope>,
    pub fallbacks: Vec<NewFallback>,
}

/// A send as stored: enough to answer a repeat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSend {
    pub id: String,
    pub request_hash: Vec<u8>,
    pub answer: String,
    pub created_at: SystemTime,
}

/// What [`crate::network::Network::record_send`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendRecorded {
    /// The send, its envelopes and fallbacks are committed.
    New,
    /// The sending device used this client message id before (perhaps a
    /// moment ago, on another node): nothing was written, and this is the
    /// first send.
    Existing(StoredSend),
}

/// An envelope to queue for one recipient device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEnvelope {
    /// A UUIDv7 string, so envelopes sort by time.
    pub id: String,
    pub recipient_device: String,
    pub recipient_handle: String,
    /// The send it belongs to; `None` for an envelope the hub made.
    pub send_id: Option<String>,
    /// `None` for the hub.
    pub sender_device: Option<String>,
    /// The envelope's wire JSON, opaque to the store.
    pub body: String,
    pub created_at: SystemTime,
    pub expires_at: SystemTime,
}

/// A queued envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvelopeRecord {
    pub id: String,
    pub recipient_device: String,
    pub recipient_handle: String,
    pub send_id: Option<String>,
    pub sender_device: Option<String>,
    pub body: String,
    pub created_at: SystemTime,
    pub expires_at: SystemTime,
}

/// An envelope deleted by an ack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acked {
    pub id: String,
    pub send_id: Option<String>,
    pub recipient_handle: String,
}

/// SMS fallback text to keep for one blue recipient of a send. `Debug`
/// shows the text's length only.
#[derive(Clone, PartialEq, Eq)]
pub struct NewFallback {
    pub recipient_handle: String,
    /// Plaintext the sender agreed to have sent as SMS.
    pub text: String,
    /// When it goes out as SMS unless a device of the recipient acks.
    pub due_at: SystemTime,
}

/// Kept SMS fallback text. `Debug` shows the text's length only.
#[derive(Clone, PartialEq, Eq)]
pub struct FallbackRecord {
    pub send_id: String,
    pub recipient_handle: String,
    pub sender_device: String,
    /// The send's client message id (from its send record): what the
    /// sender's `status` envelope names.
    pub client_message_id: String,
    pub text: String,
    pub due_at: SystemTime,
}

impl fmt::Debug for NewFallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewFallback")
            .field("recipient_handle", &self.recipient_handle)
            .field("text_chars", &self.text.chars().count())
            .field("due_at", &self.due_at)
            .finish()
    }
}

impl fmt::Debug for FallbackRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FallbackRecord")
            .field("send_id", &self.send_id)
            .field("recipient_handle", &self.recipient_handle)
            .field("sender_device", &self.sender_device)
            .field("client_message_id", &self.client_message_id)
            .field("text_chars", &self.text.chars().count())
            .field("due_at", &self.due_at)
            .finish()
    }
}

/// What [`crate::network::Network::finish_fallback`] did: the fallback row
/// is gone, and with it the recipient's unacked envelopes of the send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FinishedFallback {
    pub deleted_envelopes: u64,
}

/// A send whose sender is told that the recipient is unregistered: the
/// recipient's devices were revoked with its envelopes still queued, and
/// the send keeps no SMS fallback for the recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnregisteredSend {
    pub send_id: String,
    pub sender_device: String,
    pub client_message_id: String,
}

/// What [`crate::network::Network::deregister`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deregistered {
    /// The devices revoked now, by id.
    pub revoked: Vec<String>,
    /// Their queued envelopes, deleted, by id.
    pub envelopes: Vec<EnvelopeRecord>,
    /// The fallback rows addressed to the handle, kept and due now at
    /// the latest (the fallback timer sends them), by send id.
    pub fallbacks: Vec<FallbackRecord>,
    /// The sends of the deleted envelopes that keep no fallback row for
    /// the handle and were not sent from the handle itself, by send id:
    /// their senders are told `unregistered`.
    pub unregistered: Vec<UnregisteredSend>,
}
