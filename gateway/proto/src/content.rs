//! What is inside a sealed envelope: JSON that only devices read. The
//! hub makes the hub-only kinds (`sms`, `device_added`, `status`) itself
//! and seals them like any device would.

use serde::{Deserialize, Serialize};

use crate::header::Kind;
use crate::ProtoError;

/// A named group and its members, as the sender sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupInfo {
    pub id: String,
    pub name: String,
    /// Every member's handle, the sender's included.
    pub members: Vec<String>,
}

/// What a `status` envelope reports about a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusKind {
    /// No device of the recipient acked in time (or it deregistered), so
    /// the sender's fallback text went out as SMS.
    SentAsSms,
    /// The recipient deregistered with the message still queued, and there
    /// was no fallback text.
    Unregistered,
}

/// A message's content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Content {
    Text {
        body: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<GroupInfo>,
        /// The recipients as the sender addressed them, so that the
        /// sender's other devices can file the sent copy in its
        /// conversation. The client fills it in when it sends.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        to: Vec<String>,
    },
    Reaction {
        /// The client message id reacted to.
        target: String,
        emoji: String,
    },
    Edit {
        target: String,
        body: String,
    },
    Unsend {
        target: String,
    },
    Delivered {
        targets: Vec<String>,
    },
    Read {
        targets: Vec<String>,
    },
    /// Delete-sync: these messages were deleted on one of the handle's
    /// devices; delete them on all.
    Delete {
        targets: Vec<String>,
    },
    Sms {
        from: String,
        body: String,
        /// Milliseconds since the epoch.
        received_at: i64,
    },
    DeviceAdded {
        device_id: String,
        name: String,
    },
    Status {
        client_message_id: String,
        recipient: String,
        status: StatusKind,
    },
}

impl Content {
    /// A plain text to be addressed when sent.
    pub fn text(body: impl Into<String>) -> Content {
        Content::Text { body: body.into(), group: None, to: Vec::new() }
    }

    /// The header kind that must accompany this content.
    pub fn kind(&self) -> Kind {
        match self {
            Content::Text { .. } => Kind::Text,
            Content::Reaction { .. } => Kind::Reaction,
            Content::Edit { .. } => Kind::Edit,
            Content::Unsend { .. } => Kind::Unsend,
            Content::Delivered { .. } => Kind::Delivered,
            Content::Read { .. } => Kind::Read,
            Content::Delete { .. } => Kind::Delete,
            Content::Sms { .. } => Kind::Sms,
            Content::DeviceAdded { .. } => Kind::DeviceAdded,
            Content::Status { .. } => Kind::Status,
        }
    }

    pub fn to_bytes(&self) -> Result<Vec<u8>, ProtoError> {
        serde_json::to_vec(self).map_err(|e| ProtoError::Content(e.to_string()))
    }

    /// Reads opened bytes, and checks that the content is of the kind the
    /// (signed) header says.
    pub fn from_bytes(bytes: &[u8], header_kind: Kind) -> Result<Content, ProtoError> {
        let content: Content =
            serde_json::from_slice(bytes).map_err(|e| ProtoError::Content(e.to_string()))?;
        if content.kind() != header_kind {
            return Err(ProtoError::Content(format!(
                "the header says {} but the content is {}",
                header_kind.name(),
                content.kind().name()
            )));
        }
        Ok(content)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_without_recipients_reads_as_before() {
        let old = br#"{"kind":"text","body":"hi"}"#;
        assert_eq!(Content::from_bytes(old, Kind::Text).unwrap(), Content::text("hi"));
        let addressed = Content::Text { body: "hi".into(), group: None, to: vec!["+31".into()] };
        let json = String::from_utf8(addressed.to_bytes().unwrap()).unwrap();
        assert_eq!(json, r#"{"kind":"text","body":"hi","to":["+31"]}"#);
    }

    #[test]
    fn json_form_is_tagged_by_kind() {
        let c = Content::Reaction { target: "m1".into(), emoji: "👍".into() };
        let json = String::from_utf8(c.to_bytes().unwrap()).unwrap();
        assert_eq!(json, r#"{"kind":"reaction","target":"m1","emoji":"👍"}"#);
        assert_eq!(Content::from_bytes(json.as_bytes(), Kind::Reaction).unwrap(), c);
        assert!(Content::from_bytes(json.as_bytes(), Kind::Text).is_err());
        let status = Content::Status {
            client_message_id: "m".into(),
            recipient: "+31612345678".into(),
            status: StatusKind::SentAsSms,
        };
        let json = String::from_utf8(status.to_bytes().unwrap()).unwrap();
        assert!(json.contains(r#""status":"sent_as_sms""#), "{json}");
    }
}
