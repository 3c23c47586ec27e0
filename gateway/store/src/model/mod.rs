//! The store's vocabulary: ids, states, and the records that go in and
//! come out. Nothing here touches the database.
//!
//! Times are `SystemTime` at the API and milliseconds since the Unix epoch
//! in the database, the one time representation both backends store alike.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bubblegate_sms::Coding;
use uuid::Uuid;

use crate::error::{Error, Result};

mod inbox;
mod modems;
mod network;
mod outbox;

pub use inbox::*;
pub use modems::*;
pub use network::*;
pub use outbox::*;

/// An outbound message's id: a UUIDv7, so ids sort by creation time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MessageId(Uuid);

/// An inbound (received) message's id: a UUIDv7, the inbox's sort key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InboundId(Uuid);

macro_rules! uuid_id {
    ($t:ident) => {
        impl $t {
            pub(crate) fn new() -> Self {
                $t(Uuid::now_v7())
            }

            pub(crate) fn parse_stored(s: &str) -> Result<Self> {
                Uuid::parse_str(s).map($t).map_err(|_| Error::Corrupt(format!("bad id {s:?}")))
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        /// Parses an id a client sent back.
        impl FromStr for $t {
            type Err = Error;

            fn from_str(s: &str) -> Result<Self> {
                Uuid::parse_str(s).map($t).map_err(|_| Error::Invalid("not a message id"))
            }
        }
    };
}

uuid_id!(MessageId);
uuid_id!(InboundId);

/// An outbound part's row id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartId(pub(crate) i64);

impl fmt::Display for PartId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A modem's stable id, e.g. its `/dev/serial/by-id` name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModemId(pub String);

/// A SIM's ICCID.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Iccid(pub String);

/// A gateway node, one of several sharing a PostgreSQL database.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub String);

macro_rules! text_id {
    ($t:ident) => {
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<&str> for $t {
            fn from(s: &str) -> Self {
                $t(s.to_string())
            }
        }
    };
}

text_id!(ModemId);
text_id!(Iccid);
text_id!(NodeId);

macro_rules! named_enum {
    ($(#[$m:meta])* $t:ident { $($(#[$vm:meta])* $v:ident = $name:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $t { $($(#[$vm])* $v),* }

        impl $t {
            pub const ALL: &'static [$t] = &[$($t::$v),*];

            /// The name stored in the database and shown in the API.
            pub fn name(self) -> &'static str {
                match self { $($t::$v => $name),* }
            }

            pub(crate) fn parse_stored(s: &str) -> Result<Self> {
                match s {
                    $($name => Ok($t::$v),)*
                    _ => Err(Error::Corrupt(format!("unknown {} {s:?}", stringify!($t)))),
                }
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

named_enum!(
    /// Where an outbound part is. `queued → submitting → submitted →
    /// delivered | failed | expired`; `submitting` goes back to `queued`
    /// for a retry, and `queued` may expire.
    PartState {
        Queued = "queued",
        /// Claimed by a modem, which may have the PDU on the wire right now.
        Submitting = "submitting",
        /// Accepted by the SMSC (`+CMGS: <mr>`).
        Submitted = "submitted",
        Delivered = "delivered",
        Failed = "failed",
        Expired = "expired",
    }
);

named_enum!(
    /// An outbound message's status, rolled up from its parts by
    /// [`MessageStatus::roll_up`].
    MessageStatus {
        Queued = "queued",
        Sending = "sending",
        /// Every part accepted by the SMSC; reports are awaited or were
        /// not asked for.
        Submitted = "submitted",
        PartiallyDelivered = "partially_delivered",
        Delivered = "delivered",
        Failed = "failed",
        Expired = "expired",
    }
);

named_enum!(
    /// How a send error should be treated, as the AT layer classifies it.
    ErrorClass {
        Temporary = "temporary",
        Permanent = "permanent",
        /// The outcome is unknown, e.g. the modem went away mid-send.
        Unknown = "unknown",
    }
);

impl PartState {
    /// Whether nothing more will happen to the part.
    pub fn is_terminal(self) -> bool {
        matches!(self, PartState::Delivered | PartState::Failed | PartState::Expired)
    }
}

impl MessageStatus {
    /// The roll-up rule, first match wins:
    ///
    /// 1. every part delivered: `delivered`;
    /// 2. every part queued: `queued`;
    /// 3. a part queued or submitting: `sending`;
    /// 4. a part delivered (the others submitted, failed or expired):
    ///    `partially_delivered`;
    /// 5. a part failed: `failed`;
    /// 6. a part expired: `expired`;
    /// 7. otherwise every part is submitted: `submitted`.
    ///
    /// Status is a snapshot: `failed` can still become
    /// `partially_delivered` when a report for another part comes in.
    pub fn roll_up(parts: impl IntoIterator<Item = PartState>) -> MessageStatus {
        let mut count = [0usize; 6];
        let mut n = 0;
        for p in parts {
            count[p as usize] += 1;
            n += 1;
        }
        let c = |s: PartState| count[s as usize];
        if n > 0 && c(PartState::Delivered) == n {
            MessageStatus::Delivered
        } else if c(PartState::Queued) == n {
            MessageStatus::Queued
        } else if c(PartState::Queued) + c(PartState::Submitting) > 0 {
            MessageStatus::Sending
        } else if c(PartState::Delivered) > 0 {
            MessageStatus::PartiallyDelivered
        } else if c(PartState::Failed) > 0 {
            MessageStatus::Failed
        } else if c(PartState::Expired) > 0 {
            MessageStatus::Expired
        } else {
            MessageStatus::Submitted
        }
    }
}

pub(crate) fn coding_name(c: Coding) -> &'static str {
    match c {
        Coding::Gsm7 => "gsm7",
        Coding::EightBit => "8bit",
        Coding::Ucs2 => "ucs2",
    }
}

pub(crate) fn parse_coding(s: &str) -> Result<Coding> {
    match s {
        "gsm7" => Ok(Coding::Gsm7),
        "8bit" => Ok(Coding::EightBit),
        "ucs2" => Ok(Coding::Ucs2),
        _ => Err(Error::Corrupt(format!("unknown coding {s:?}"))),
    }
}

/// Milliseconds since the epoch; times before it are negative, so the
/// conversion never fails.
pub(crate) fn to_ms(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_millis()).map_or(i64::MIN, |m| -m),
    }
}

pub(crate) fn from_ms(ms: i64) -> SystemTime {
    let d = Duration::from_millis(ms.unsigned_abs());
    if ms >= 0 {
        UNIX_EPOCH + d
    } else {
        UNIX_EPOCH - d
    }
}

/// Narrows a stored integer, calling an out-of-range value corruption.
pub(crate) fn narrow<T: TryFrom<i64>>(v: i64, what: &str) -> Result<T> {
    T::try_from(v).map_err(|_| Error::Corrupt(format!("{what} out of range: {v}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roll_up_table() {
        use MessageStatus as M;
        use PartState::*;
        let cases: &[(&[PartState], MessageStatus)] = &[
            (&[Queued], M::Queued),
            (&[Queued, Queued], M::Queued),
            (&[Submitting, Queued], M::Sending),
            (&[Submitted, Queued], M::Sending),
            (&[Delivered, Queued], M::Sending),
            (&[Failed, Queued], M::Sending),
            (&[Submitted], M::Submitted),
            (&[Submitted, Submitted], M::Submitted),
            (&[Delivered, Submitted], M::PartiallyDelivered),
            (&[Delivered, Failed], M::PartiallyDelivered),
            (&[Delivered, Expired], M::PartiallyDelivered),
            (&[Delivered, Delivered], M::Delivered),
            (&[Delivered], M::Delivered),
            (&[Failed, Submitted], M::Failed),
            (&[Failed, Expired], M::Failed),
            (&[Failed], M::Failed),
            (&[Expired, Submitted], M::Expired),
            (&[Expired, Expired], M::Expired),
        ];
        for (parts, want) in cases {
            assert_eq!(MessageStatus::roll_up(parts.iter().copied()), *want, "{parts:?}");
        }
    }

    #[test]
    fn names_round_trip() {
        for s in PartState::ALL {
            assert_eq!(PartState::parse_stored(s.name()).unwrap(), *s);
        }
        for s in MessageStatus::ALL {
            assert_eq!(MessageStatus::parse_stored(s.name()).unwrap(), *s);
        }
        assert!(PartState::parse_stored("lost").is_err());
    }

    #[test]
    fn times_round_trip_across_the_epoch() {
        for ms in [i64::MIN / 2, -1, 0, 1, 1_700_000_000_123] {
            assert_eq!(to_ms(from_ms(ms)), ms);
        }
    }
}
