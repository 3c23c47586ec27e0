//! The device side of the encrypted network (protocol v1, `PROTOCOL.md`):
//! what `bubblegate device …` and tests use to be a device.
//!
//! - [`state`]: the device's state file ([`State`]): hub URL, handle,
//!   device id, token, the pinned hub key, the signing secret, the HPKE
//!   private keys by `key_id`, the replay set and a pending registration;
//!   private (0600), written atomically, changed under a lock.
//! - [`receive`]: what a device accepts, as a pure check ([`Receiver`]):
//!   signature, recipient, replay, age, decryption and content, with a
//!   typed [`RejectReason`] for each failure.
//! - [`device`]: [`Device`], a client of the hub bound to a state file:
//!   registration, key rotation, directory, sealed and signed sends with
//!   retries on a device mismatch, fetching and listening ([`Listener`]),
//!   acks, blocks and deregistration.
//! - [`error`]: [`DeviceError`] and the hub's [`HubError`].
//!
//! The wire types, keys and cryptography all come from
//! `bubblegate-proto`; the HTTP and WebSocket plumbing from
//! `bubblegate-api`'s client. This crate only puts them together.

pub mod device;
pub mod error;
mod hub;
pub mod receive;
pub mod state;

pub use bubblegate_proto as proto;
pub use device::{new_message_id, now_ms, Device, Listener, SendReport, SmsChoice, SEND_ATTEMPTS};
pub use error::{DeviceError, HubError};
pub use receive::{EnvelopeMeta, Incoming, Received, Receiver, RejectReason, Rejected, SenderKey};
pub use state::{State, StateData, StateError};
