//! Decoding and encoding errors. Every decode error names the byte offset
//! (from the start of the input the caller handed in) where decoding stopped.

use std::fmt;

/// Why a PDU could not be decoded, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("byte {offset}: {kind}")]
pub struct DecodeError {
    /// Offset of the offending byte from the start of the input.
    pub offset: usize,
    pub kind: DecodeErrorKind,
}

impl DecodeError {
    pub(crate) fn new(offset: usize, kind: DecodeErrorKind) -> Self {
        DecodeError { offset, kind }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// The input ended while `field` still needed `needed` more bytes.
    Truncated { field: &'static str, needed: usize },
    /// The input is not valid hexadecimal.
    InvalidHex,
    /// A semi-octet that must be a decimal digit was not.
    InvalidBcd { field: &'static str, nibble: u8 },
    /// A value outside the range that its field allows.
    OutOfRange { field: &'static str, value: u32 },
    /// TP-MTI 0b11 is reserved in both directions.
    ReservedMessageType,
    /// Bytes left over after the user data.
    TrailingBytes { count: usize },
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeErrorKind::Truncated { field, needed } => {
                write!(f, "{field} is truncated: {needed} more byte(s) needed")
            }
            DecodeErrorKind::InvalidHex => write!(f, "not a hexadecimal digit pair"),
            DecodeErrorKind::InvalidBcd { field, nibble } => {
                write!(f, "{field} holds semi-octet {nibble:#x}, which is not a decimal digit")
            }
            DecodeErrorKind::OutOfRange { field, value } => {
                write!(f, "{field} value {value} is out of range")
            }
            DecodeErrorKind::ReservedMessageType => {
                write!(f, "TP-MTI 3 is reserved and not a message type")
            }
            DecodeErrorKind::TrailingBytes { count } => {
                write!(f, "{count} byte(s) left over after the user data")
            }
        }
    }
}

/// Why a message could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error("character {0:?} is not in the GSM 7-bit alphabet or the enabled shift tables")]
    NotGsm7(char),
    #[error("address {0:?} is not a valid phone number or alphanumeric sender")]
    InvalidAddress(String),
    #[error("address has {0} digits; at most 20 fit")]
    AddressTooLong(usize),
    #[error("user data needs {needed} octets but a single TPDU holds at most 140")]
    UserDataTooLong { needed: usize },
    #[error("message needs {0} segments; concatenation allows at most 255")]
    TooManySegments(usize),
    #[error("{field} value {value} is out of range")]
    OutOfRange { field: &'static str, value: u32 },
}
