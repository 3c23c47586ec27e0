//! The envelope header: who sends to which device, which message, when,
//! sealed to which key, and of what kind. The hub routes on it; the device
//! checks it. Its canonical bytes ([`Header::to_bytes`]) are both the HPKE
//! associated data and the signed prefix, so neither a ciphertext nor a
//! signature can be moved to another header.

use serde::{Deserialize, Serialize};

use crate::handle::E164;

const TAG: &[u8] = b"bubblegate/v1/header";

/// What an envelope carries, in the header so that the hub can apply the
/// green policy without reading the content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Text,
    Reaction,
    Edit,
    Unsend,
    Delivered,
    Read,
    Delete,
    /// From the hub: a forwarded SMS.
    Sms,
    /// From the hub: another device joined the handle.
    DeviceAdded,
    /// From the hub: what happened to a message (sent as SMS, recipient
    /// unregistered).
    Status,
}

impl Kind {
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Reaction => "reaction",
            Kind::Edit => "edit",
            Kind::Unsend => "unsend",
            Kind::Delivered => "delivered",
            Kind::Read => "read",
            Kind::Delete => "delete",
            Kind::Sms => "sms",
            Kind::DeviceAdded => "device_added",
            Kind::Status => "status",
        }
    }

    /// Reactions, edits and unsend: no SMS form; rendered as text or
    /// suppressed for green recipients, by policy.
    pub const fn is_annotation(self) -> bool {
        matches!(self, Kind::Reaction | Kind::Edit | Kind::Unsend)
    }

    /// Receipts and delete-sync: between devices only, never SMS.
    pub const fn is_device_only(self) -> bool {
        matches!(self, Kind::Delivered | Kind::Read | Kind::Delete)
    }

    /// Only the hub sends these.
    pub const fn is_hub_only(self) -> bool {
        matches!(self, Kind::Sms | Kind::DeviceAdded | Kind::Status)
    }
}

/// A sending device. The hub's own envelopes have no `Sender`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sender {
    pub handle: E164,
    pub device_id: String,
}

/// The envelope header.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Header {
    /// `None` for the hub.
    pub sender: Option<Sender>,
    pub recipient_device_id: String,
    pub client_message_id: String,
    /// Milliseconds since the Unix epoch, as the sender's clock saw it.
    pub created_at: i64,
    /// The recipient key `sealed` was made for.
    pub key_id: u32,
    pub kind: Kind,
}

impl Header {
    /// The canonical bytes: the tag, then each field as a 4-byte
    /// big-endian length and its bytes (PROTOCOL.md, "Header bytes").
    pub fn to_bytes(&self) -> Vec<u8> {
        let (handle, device) = match &self.sender {
            Some(s) => (s.handle.as_str(), s.device_id.as_str()),
            None => ("", "hub"),
        };
        let mut out = Vec::with_capacity(128);
        out.extend_from_slice(TAG);
        field(&mut out, handle.as_bytes());
        field(&mut out, device.as_bytes());
        field(&mut out, self.recipient_device_id.as_bytes());
        field(&mut out, self.client_message_id.as_bytes());
        field(&mut out, &self.created_at.to_be_bytes());
        field(&mut out, &self.key_id.to_be_bytes());
        field(&mut out, self.kind.name().as_bytes());
        out
    }
}

/// Appends one length-prefixed field. Fields longer than 4 GiB cannot
/// occur: the hub limits request bodies far below that.
pub(crate) fn field(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header {
            sender: Some(Sender {
                handle: E164::parse("+31612345678", None).unwrap(),
                device_id: "d1".into(),
            }),
            recipient_device_id: "d2".into(),
            client_message_id: "m1".into(),
            created_at: 1,
            key_id: 7,
            kind: Kind::Text,
        }
    }

    #[test]
    fn every_field_changes_the_bytes() {
        let base = header().to_bytes();
        let mut variants = Vec::new();
        let mut h = header();
        h.sender = None;
        variants.push(h);
        let mut h = header();
        h.recipient_device_id = "d3".into();
        variants.push(h);
        let mut h = header();
        h.client_message_id = "m2".into();
        variants.push(h);
        let mut h = header();
        h.created_at = 2;
        variants.push(h);
        let mut h = header();
        h.key_id = 8;
        variants.push(h);
        let mut h = header();
        h.kind = Kind::Read;
        variants.push(h);
        for v in variants {
            assert_ne!(v.to_bytes(), base, "{v:?}");
        }
    }

    #[test]
    fn length_prefixes_keep_fields_apart() {
        // "d1" + "2x" and "d12" + "x" must not collide.
        let mut a = header();
        a.recipient_device_id = "2x".into();
        a.client_message_id = "y".into();
        let mut b = header();
        b.recipient_device_id = "2".into();
        b.client_message_id = "xy".into();
        assert_ne!(a.to_bytes(), b.to_bytes());
    }

    #[test]
    fn the_layout_is_fixed() {
        let mut h = header();
        h.sender = None;
        let bytes = h.to_bytes();
        assert!(bytes.starts_with(b"bubblegate/v1/header\0\0\0\0\0\0\0\x03hub\0\0\0\x02d2"));
        assert!(bytes.ends_with(b"\0\0\0\x04\0\0\0\x07\0\0\0\x04text"));
    }
}
