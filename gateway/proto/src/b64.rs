//! Unpadded base64url (RFC 4648 §5): the protocol's one encoding for
//! binary values, with serde helpers for `Vec<u8>` fields.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::ProtoError;

/// Encodes bytes.
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes text; padding and the standard alphabet are refused, so every
/// value has exactly one spelling.
pub fn decode(text: &str) -> Result<Vec<u8>, ProtoError> {
    URL_SAFE_NO_PAD.decode(text).map_err(|e| ProtoError::Base64(e.to_string()))
}

/// `#[serde(with = "bubblegate_proto::b64::serde_bytes")]` for `Vec<u8>`.
pub mod serde_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        super::decode(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_strictness() {
        for bytes in [&b""[..], b"\x00", b"\xff\xfe", b"bubblegate"] {
            assert_eq!(decode(&encode(bytes)).unwrap(), bytes);
        }
        assert_eq!(encode(b"\xfb\xff"), "-_8");
        assert!(decode("+/8").is_err(), "standard alphabet refused");
        assert!(decode("-_8=").is_err(), "padding refused");
    }
}
