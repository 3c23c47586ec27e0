//! Hexadecimal text, as PDUs travel in AT commands (TS 27.005 clause 3.1:
//! "hexadecimal format ... two IRA characters per octet").

use crate::error::{DecodeError, DecodeErrorKind};

/// Upper-case hex, as modems print it.
pub fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0x0F) as usize] as char);
    }
    s
}

/// Decodes hex in either case. Errors count offsets in decoded bytes, so
/// that the n-th pair of digits is byte n.
pub fn decode(text: &str) -> Result<Vec<u8>, DecodeError> {
    let digits = text.as_bytes();
    if digits.len() % 2 != 0 {
        return Err(DecodeError::new(
            digits.len() / 2,
            DecodeErrorKind::Truncated { field: "hex digit pair", needed: 1 },
        ));
    }
    digits
        .chunks(2)
        .enumerate()
        .map(|(i, pair)| match (nibble(pair[0]), nibble(pair[1])) {
            (Some(h), Some(l)) => Ok(h << 4 | l),
            _ => Err(DecodeError::new(i, DecodeErrorKind::InvalidHex)),
        })
        .collect()
}

fn nibble(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Serde helper that writes bytes as a hex string.
pub(crate) mod serde_impl {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        super::decode(&text).map_err(serde::de::Error::custom)
    }
}
