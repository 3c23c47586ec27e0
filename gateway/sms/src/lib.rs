//! Bubblegate's SMS codec: a pure implementation of 3GPP TS 23.040 (TPDUs)
//! and TS 23.038 (alphabets and coding schemes). It does no IO and knows
//! no clock: callers pass `now` where time matters.
//!
//! - [`Pdu`] decodes and encodes SMS-DELIVER, SMS-SUBMIT and
//!   SMS-STATUS-REPORT, with the SMSC address modems put in front.
//! - [`segment`] splits text into billed segments with the cheapest coding.
//! - [`reassembly`] joins concatenated parts back into messages.

mod address;
mod cursor;
mod dcs;
mod error;
pub mod gsm7;
pub mod hex;
pub mod reassembly;
pub mod segment;
mod status;
mod time;
mod tpdu;
mod udh;
mod user_data;

pub use address::{Address, Ton, NPI_ISDN};
pub use dcs::{Coding, Dcs, WaitingIndication};
pub use error::{DecodeError, DecodeErrorKind, EncodeError};
pub use status::{Status, StatusClass};
pub use time::{relative_seconds, EnhancedPeriod, EnhancedValidity, Timestamp, Validity};
pub use tpdu::{Deliver, Encoded, Pdu, StatusReport, Submit, Tpdu};
pub use udh::{Concat, Ie, Ports, Udh};
pub use user_data::{decode_ucs2, Body, UserData, MAX_UD_OCTETS, MAX_UD_SEPTETS};
