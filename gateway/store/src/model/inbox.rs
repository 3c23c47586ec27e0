//! What goes into and comes out of the inbox.

use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use bubblegate_sms::{Body, Concat};

use super::{Iccid, InboundId, ModemId};
use crate::error::{Error, Result};

/// One received SMS-DELIVER, decoded by the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewInboundPart {
    /// The receiving modem, recorded with [`crate::Store::upsert_modem`]
    /// first (and its SIM with [`crate::Store::upsert_sim`]).
    pub modem: ModemId,
    /// The receiving SIM, when known. Parts are joined per SIM (or per
    /// modem without one).
    pub sim: Option<Iccid>,
    pub sender: String,
    /// The service centre time stamp, as an instant.
    pub scts: SystemTime,
    /// From the UDH; `None`, or a total of 1, is a message in one part.
    pub concat: Option<Concat>,
    pub body: Body,
    /// The TPDU as received, in hex: kept, and hashed for the dedup key.
    pub pdu_hex: String,
    pub received_at: SystemTime,
}

/// What [`crate::Store::store_inbound_part`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    /// False for a part already held: the driver may delete its SIM copy
    /// either way, since the first copy is committed.
    pub new: bool,
    /// The message this part completed, if it did.
    pub complete_message: Option<InboundMessage>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboundMessage {
    pub id: InboundId,
    pub modem: ModemId,
    pub sim: Option<Iccid>,
    pub sender: String,
    /// `None` for a message sent in one part without a concat header.
    pub reference: Option<u16>,
    pub total: u8,
    pub body: Body,
    /// False for a message released by the timeout with parts missing.
    pub complete: bool,
    pub missing: Vec<u8>,
    /// The earliest part's SCTS.
    pub scts: SystemTime,
    /// When the first part was stored.
    pub received_at: SystemTime,
    /// When the message was assembled.
    pub stored_at: SystemTime,
}

/// An opaque position in the inbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor(pub(crate) String);

impl Cursor {
    /// Parses a cursor received from a client.
    pub fn parse(s: &str) -> Result<Cursor> {
        InboundId::from_str(s).map(|id| Cursor(id.to_string())).map_err(|_| Error::InvalidCursor)
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One page of the inbox, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxPage {
    pub messages: Vec<InboundMessage>,
    /// Where the next (older) page starts; `None` on the last page.
    pub next: Option<Cursor>,
}
