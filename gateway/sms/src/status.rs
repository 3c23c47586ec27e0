//! TP-ST, the status of a submitted message: TS 23.040 clause 9.2.3.15.

use serde::{Deserialize, Serialize};

/// What a status code means for the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatusClass {
    /// 0x00..0x1F: the transaction is complete; the message was delivered
    /// (or replaced, or forwarded).
    Delivered,
    /// 0x20..0x3F: a temporary error; the SC is still trying. A final report
    /// follows.
    Pending,
    /// 0x40..0x5F: a permanent error; the SC has stopped trying.
    Failed,
    /// 0x60..0x7F: a temporary error, but the SC has stopped trying.
    Expired,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Status(pub u8);

impl Status {
    pub const DELIVERED: Status = Status(0x00);
    pub const PENDING_SME_BUSY: Status = Status(0x21);
    pub const FAILED_NOT_OBTAINABLE: Status = Status(0x43);
    pub const EXPIRED_NO_RESPONSE: Status = Status(0x62);

    /// Codes above 0x7F are reserved; TS 23.040 asks that reserved values
    /// be read as "service rejected", a permanent failure.
    pub fn class(self) -> StatusClass {
        match self.0 {
            0x00..=0x1F => StatusClass::Delivered,
            0x20..=0x3F => StatusClass::Pending,
            0x60..=0x7F => StatusClass::Expired,
            _ => StatusClass::Failed,
        }
    }

    /// The spec's name for the code.
    pub fn name(self) -> &'static str {
        match self.0 {
            0x00 => "short message received by the SME",
            0x01 => "forwarded by the SC to the SME but the SC is unable to confirm delivery",
            0x02 => "short message replaced by the SC",
            0x10..=0x1F => "SC specific: transaction completed",
            0x20 | 0x60 => "congestion",
            0x21 | 0x61 => "SME busy",
            0x22 | 0x62 => "no response from SME",
            0x23 | 0x63 => "service rejected",
            0x24 | 0x44 | 0x64 => "quality of service not available",
            0x25 | 0x65 => "error in SME",
            0x30..=0x3F => "SC specific: temporary error, SC still trying",
            0x40 => "remote procedure error",
            0x41 => "incompatible destination",
            0x42 => "connection rejected by SME",
            0x43 => "not obtainable",
            0x45 => "no interworking available",
            0x46 => "SM validity period expired",
            0x47 => "SM deleted by originating SME",
            0x48 => "SM deleted by SC administration",
            0x49 => "SM does not exist",
            0x50..=0x5F => "SC specific: permanent error",
            0x70..=0x7F => "SC specific: temporary error, SC not making any more transfer attempts",
            _ => "reserved",
        }
    }
}
