//! The encrypted network's protocol v1 as code. `PROTOCOL.md` at the top
//! of the repository is the prose; this crate is what the hub
//! (`bubblegate-hub`) and the device client (`bubblegate-client`) both
//! compile against, so the two cannot drift apart.
//!
//! - [`handle`]: [`E164`] phone numbers, normalised by libphonenumber's
//!   rules, and [`parse_recipient`], which tells e-mail handles apart.
//! - [`keys`]: a device's key pairs (HPKE X-Wing for encryption, Ed25519
//!   for signing), generated from the OS random source, and their public
//!   wire forms.
//! - [`header`]: the envelope header, its canonical bytes (the HPKE
//!   associated data and the signed prefix) and the [`Kind`] of a message.
//! - [`seal`]: sealing to a device key, opening, signing and verifying.
//! - [`content`]: what is inside a sealed envelope.
//! - [`wire`]: the HTTP and WebSocket bodies.
//! - [`b64`]: unpadded base64url, the protocol's one binary encoding.
//!
//! The crate does no IO and reads no clock: times are parameters. Its only
//! source of randomness is the OS, for keys and HPKE encapsulation.

pub mod b64;
pub mod content;
mod error;
pub mod handle;
pub mod header;
pub mod keys;
pub mod seal;
pub mod wire;

pub use content::{Content, GroupInfo, StatusKind};
pub use error::ProtoError;
pub use handle::{parse_recipient, Handle, HandleError, E164};
pub use header::{Header, Kind, Sender};
pub use keys::{EncKeyPair, EncPublicKey, Kem, SignPublicKey, SigningKeyPair};
pub use seal::{open, seal, seal_and_sign, sign, verify};

/// The default retention of an envelope at the hub and of replay records
/// at a device: 7 days, in milliseconds.
pub const DEFAULT_RETENTION_MS: i64 = 7 * 24 * 60 * 60 * 1000;
