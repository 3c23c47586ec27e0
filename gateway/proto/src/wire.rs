//! The HTTP and WebSocket bodies of PROTOCOL.md. Field names are the
//! contract: add fields, never rename them. Binary values are unpadded
//! base64url strings.

use serde::{Deserialize, Serialize};

use crate::b64;
use crate::content::GroupInfo;
use crate::handle::E164;
use crate::header::{Header, Kind, Sender};
use crate::keys::{EncPublicKey, SignPublicKey};

/// `POST /v1/register/request` and `POST /v1/deregister/request`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    pub phone: String,
}

/// 202 to a code request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSent {
    /// Seconds until the code expires.
    pub expires_in: u64,
}

/// A device's public half, as registration sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDevice {
    pub name: String,
    pub enc_key: EncPublicKey,
    pub sign_key: SignPublicKey,
}

/// `POST /v1/register/verify`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    pub phone: String,
    pub code: String,
    pub device: NewDevice,
}

/// 201 to a verification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registered {
    pub device_id: String,
    pub handle: E164,
    /// The bearer token: shown once, stored hashed by the hub.
    pub token: String,
    /// The hub's signing key, which signs its own envelopes; pin it.
    pub hub_key: SignPublicKey,
}

/// `POST /v1/deregister/confirm`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeregisterConfirm {
    pub phone: String,
    pub code: String,
}

/// 200 to a deregistration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deregistered {
    pub revoked_devices: u64,
}

/// One device in the directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryDevice {
    pub device_id: String,
    pub enc_key: EncPublicKey,
    pub sign_key: SignPublicKey,
}

/// `GET /v1/directory/{phone}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    pub handle: E164,
    pub devices: Vec<DirectoryDevice>,
}

/// `PUT /v1/devices/me/keys`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotateKeys {
    pub enc_key: EncPublicKey,
}

/// `GET /v1/devices/me`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceInfo {
    pub device_id: String,
    pub handle: E164,
    pub name: String,
    pub enc_key: EncPublicKey,
    pub sign_key: SignPublicKey,
}

/// One envelope of a send, for one device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutEnvelope {
    pub device_id: String,
    pub key_id: u32,
    #[serde(with = "b64::serde_bytes")]
    pub sealed: Vec<u8>,
    #[serde(with = "b64::serde_bytes")]
    pub signature: Vec<u8>,
}

/// The SMS part of a send: plaintext the sender agrees to have sent
/// unencrypted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsPart {
    pub text: String,
    /// Also use it for blue recipients none of whose devices ack in time.
    #[serde(default)]
    pub fallback: bool,
}

/// `POST /v1/messages`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendRequest {
    pub client_message_id: String,
    #[serde(default = "default_kind")]
    pub kind: Kind,
    pub recipients: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupInfo>,
    /// The headers' `created_at`, milliseconds since the epoch.
    pub created_at: i64,
    pub envelopes: Vec<OutEnvelope>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms: Option<SmsPart>,
}

fn default_kind() -> Kind {
    Kind::Text
}

/// How one recipient was routed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    Blue,
    Green,
    Suppressed,
    Failed,
}

/// One recipient's outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientOutcome {
    /// Normalised when it is a number; as given otherwise.
    pub handle: String,
    pub route: Route,
    /// The SMS outbox id, for `green`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_id: Option<String>,
    /// Why, for `failed` and `suppressed`: `email_unreachable`,
    /// `invalid_handle`, `no_sms_text`, `policy`, `green_policy`,
    /// `device_only`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// 201 (or 200 when repeated) to a send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendAnswer {
    pub message_id: String,
    pub recipients: Vec<RecipientOutcome>,
}

/// A device the hub expected, or did not expect, in a send.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DeviceRef {
    pub handle: E164,
    pub device_id: String,
}

/// The `devices` member of a 409 `device_mismatch` error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceMismatch {
    pub missing: Vec<DeviceRef>,
    pub extra: Vec<DeviceRef>,
}

/// An envelope as a device receives it. Unknown fields are ignored, so
/// that a newer hub can add some without breaking older devices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub id: String,
    /// `None` (JSON `null`) for the hub.
    pub sender: Option<Sender>,
    pub recipient_device_id: String,
    pub client_message_id: String,
    pub kind: Kind,
    pub created_at: i64,
    pub key_id: u32,
    #[serde(with = "b64::serde_bytes")]
    pub sealed: Vec<u8>,
    #[serde(with = "b64::serde_bytes")]
    pub signature: Vec<u8>,
    /// Milliseconds since the epoch; the hub deletes it then.
    pub expires_at: i64,
}

impl Envelope {
    /// The header its sealed bytes and signature are bound to.
    pub fn header(&self) -> Header {
        Header {
            sender: self.sender.clone(),
            recipient_device_id: self.recipient_device_id.clone(),
            client_message_id: self.client_message_id.clone(),
            created_at: self.created_at,
            key_id: self.key_id,
            kind: self.kind,
        }
    }
}

/// `GET /v1/envelopes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvelopeList {
    pub envelopes: Vec<Envelope>,
}

/// `POST /v1/envelopes/ack`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AckRequest {
    pub ids: Vec<String>,
}

/// 200 to an ack: how many of the ids were the caller's and are gone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AckAnswer {
    pub deleted: u64,
}

/// `GET /v1/blocks`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockList {
    pub blocked: Vec<E164>,
}

/// A WebSocket text frame on `GET /v1/stream`, either way. Unknown fields
/// are ignored (forward compatibility); unknown types are for the reader
/// to skip.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StreamFrame {
    /// Hub to device.
    Envelope { envelope: Envelope },
    /// Device to hub.
    Ack { ids: Vec<String> },
    /// Hub to device, answering an `ack`.
    Acked { deleted: u64 },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_request_defaults_and_refusals() {
        let json = r#"{"client_message_id":"m","recipients":["+31612345678"],
            "created_at":1,"envelopes":[]}"#;
        let req: SendRequest = serde_json::from_str(json).unwrap();
        assert_eq!(req.kind, Kind::Text);
        assert!(req.sms.is_none());
        let typo = r#"{"client_message_id":"m","recipients":[],"created_at":1,
            "envelopes":[],"smss":null}"#;
        assert!(serde_json::from_str::<SendRequest>(typo).is_err());
    }

    #[test]
    fn stream_frames_are_tagged() {
        let f = StreamFrame::Ack { ids: vec!["a".into()] };
        assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"type":"ack","ids":["a"]}"#);
        let back: StreamFrame = serde_json::from_str(r#"{"type":"acked","deleted":2}"#).unwrap();
        assert_eq!(back, StreamFrame::Acked { deleted: 2 });
    }

    #[test]
    fn hub_envelopes_have_a_null_sender() {
        let e = Envelope {
            id: "e".into(),
            sender: None,
            recipient_device_id: "d".into(),
            client_message_id: "m".into(),
            kind: Kind::Sms,
            created_at: 1,
            key_id: 1,
            sealed: vec![1, 2],
            signature: vec![3],
            expires_at: 2,
        };
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains(r#""sender":null"#), "{json}");
        assert!(json.contains(r#""sealed":"AQI""#), "{json}");
        assert_eq!(serde_json::from_str::<Envelope>(&json).unwrap(), e);
        assert_eq!(e.header().sender, None);
    }
}
