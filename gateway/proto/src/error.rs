//! The crate's one error type. Messages say what failed, never a key or a
//! plaintext byte.

/// Why a protocol operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtoError {
    #[error("not valid base64url: {0}")]
    Base64(String),
    #[error("a {what} key must be {expected} bytes, not {actual}")]
    KeyLength { what: &'static str, expected: usize, actual: usize },
    #[error("the {0} key is not a valid key")]
    BadKey(&'static str),
    #[error("the header names key {header}, but the key is {key}")]
    KeyIdMismatch { header: u32, key: u32 },
    #[error("the sealed bytes are too short to hold an encapsulated key")]
    Truncated,
    #[error("the envelope does not open with this key")]
    OpenFailed,
    #[error("sealing failed")]
    SealFailed,
    #[error("the signature does not verify")]
    BadSignature,
    #[error("the operating system's random source failed")]
    Random,
    #[error("the content is not valid: {0}")]
    Content(String),
}
