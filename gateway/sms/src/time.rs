//! Time stamps and validity periods.
//!
//! - TP-SCTS and TP-DT (TS 23.040 clause 9.2.3.11 and 9.2.3.13): seven
//!   semi-octet pairs, the last being the time zone in quarter hours with
//!   its sign in bit 3 of the first (tens) semi-octet.
//! - TP-VP (clause 9.2.3.12): relative (one octet), absolute (a time stamp)
//!   or enhanced (seven octets, clause 9.2.3.12.3).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::address::{bcd_pair, to_bcd_pair};
use crate::cursor::Cursor;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};

/// A service-centre time stamp: local time plus the offset from UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Timestamp {
    /// Four-digit year. The PDU carries two digits; 00-89 read as 2000-2089
    /// and 90-99 as 1990-1999, the window in which GSM time stamps exist.
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// Offset from UTC in quarter hours, -79..=79.
    pub tz_quarters: i8,
}

impl Timestamp {
    /// Decodes seven semi-octet pairs. A semi-octet that is not a decimal
    /// digit reads as 0, as TS 23.040 clause 9.2.3.11 asks ("the MS shall
    /// assume that the digit is set to 0"); real service centres send such
    /// time zones. Values out of range after that are errors.
    pub(crate) fn decode(
        cur: &mut Cursor<'_>,
        field: &'static str,
    ) -> Result<Timestamp, DecodeError> {
        let start = cur.offset();
        let raw = cur.take(7, field)?;
        let digit = |n: u8| if n > 9 { 0 } else { n };
        let mut v = [0u8; 6];
        for (i, octet) in raw[..6].iter().enumerate() {
            v[i] = digit(octet & 0x0F) * 10 + digit(octet >> 4);
        }
        let tz = raw[6];
        let tens = tz & 0x07;
        let units = digit(tz >> 4);
        let quarters = (tens * 10 + units) as i8;
        let ts = Timestamp {
            year: if v[0] < 90 { 2000 + v[0] as u16 } else { 1900 + v[0] as u16 },
            month: v[1],
            day: v[2],
            hour: v[3],
            minute: v[4],
            second: v[5],
            tz_quarters: if tz & 0x08 != 0 { -quarters } else { quarters },
        };
        ts.validate().map_err(|(i, value)| {
            DecodeError::new(start + i, DecodeErrorKind::OutOfRange { field, value })
        })?;
        Ok(ts)
    }

    /// Checks each field's range; on failure, returns the field's index in
    /// the seven-octet encoding and its value.
    fn validate(&self) -> Result<(), (usize, u32)> {
        let checks = [
            (1, self.month as u32, 1..=12),
            (2, self.day as u32, 1..=31),
            (3, self.hour as u32, 0..=23),
            (4, self.minute as u32, 0..=59),
            (5, self.second as u32, 0..=59),
            (6, self.tz_quarters.unsigned_abs() as u32, 0..=79),
        ];
        for (i, v, range) in checks {
            if !range.contains(&v) {
                return Err((i, v));
            }
        }
        if !(1990..=2089).contains(&self.year) {
            return Err((0, self.year as u32));
        }
        Ok(())
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        self.validate()
            .map_err(|(_, value)| EncodeError::OutOfRange { field: "time stamp", value })?;
        out.extend([
            to_bcd_pair((self.year % 100) as u8),
            to_bcd_pair(self.month),
            to_bcd_pair(self.day),
            to_bcd_pair(self.hour),
            to_bcd_pair(self.minute),
            to_bcd_pair(self.second),
        ]);
        let q = self.tz_quarters.unsigned_abs();
        let sign = if self.tz_quarters < 0 { 0x08 } else { 0 };
        out.push((q % 10) << 4 | (q / 10) | sign);
        Ok(())
    }

    /// Offset from UTC in seconds.
    pub fn offset_seconds(&self) -> i32 {
        self.tz_quarters as i32 * 15 * 60
    }
}

/// RFC 3339 with the numeric offset, e.g. `2024-03-09T14:05:00-03:30`.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let off = self.offset_seconds();
        let sign = if off < 0 { '-' } else { '+' };
        let off = off.unsigned_abs();
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            sign,
            off / 3600,
            off / 60 % 60
        )
    }
}

/// TP-VP in one of its three formats; the TP-VPF bits follow from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "lowercase")]
pub enum Validity {
    /// TP-VPF 10: one octet, clause 9.2.3.12.1.
    Relative { code: u8 },
    /// TP-VPF 11: an absolute time stamp, clause 9.2.3.12.2.
    Absolute { time: Timestamp },
    /// TP-VPF 01: clause 9.2.3.12.3.
    Enhanced(EnhancedValidity),
}

impl Validity {
    /// The VPF bits (3..4 of the SUBMIT first octet) for an optional VP.
    pub(crate) fn vpf(v: Option<&Validity>) -> u8 {
        match v {
            None => 0b00,
            Some(Validity::Enhanced(_)) => 0b01,
            Some(Validity::Relative { .. }) => 0b10,
            Some(Validity::Absolute { .. }) => 0b11,
        }
    }

    pub(crate) fn decode(vpf: u8, cur: &mut Cursor<'_>) -> Result<Option<Validity>, DecodeError> {
        Ok(match vpf & 3 {
            0b00 => None,
            0b10 => Some(Validity::Relative { code: cur.u8("TP-VP")? }),
            0b11 => Some(Validity::Absolute { time: Timestamp::decode(cur, "TP-VP")? }),
            _ => {
                let raw = cur.take(7, "TP-VP")?;
                let mut bytes = [0u8; 7];
                bytes.copy_from_slice(raw);
                Some(Validity::Enhanced(EnhancedValidity::from_octets(bytes)))
            }
        })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        match self {
            Validity::Relative { code } => out.push(*code),
            Validity::Absolute { time } => time.encode(out)?,
            Validity::Enhanced(e) => out.extend(e.to_octets()),
        }
        Ok(())
    }

    /// The smallest relative validity at least `seconds` long, capped at the
    /// longest the format holds (63 weeks).
    pub fn relative_at_least(seconds: u64) -> Validity {
        let code = (0..=255u8).find(|c| relative_seconds(*c) >= seconds).unwrap_or(255);
        Validity::Relative { code }
    }

    /// The period in seconds, where the format states one.
    pub fn seconds(&self) -> Option<u64> {
        match self {
            Validity::Relative { code } => Some(relative_seconds(*code)),
            Validity::Absolute { .. } => None,
            Validity::Enhanced(e) => e.period.seconds(),
        }
    }
}

/// Duration of a relative TP-VP code, clause 9.2.3.12.1.
pub fn relative_seconds(code: u8) -> u64 {
    let c = code as u64;
    let minutes = match code {
        0..=143 => (c + 1) * 5,
        144..=167 => 12 * 60 + (c - 143) * 30,
        168..=196 => (c - 166) * 24 * 60,
        _ => (c - 192) * 7 * 24 * 60,
    };
    minutes * 60
}

/// The enhanced validity period, TS 23.040 clause 9.2.3.12.3.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EnhancedValidity {
    /// Bit 6 of the functionality indicator: try delivery once only.
    pub single_shot: bool,
    /// Bit 7: an extension octet follows the functionality indicator.
    /// Its content is kept in `extension` and never interpreted.
    pub extension: Option<u8>,
    pub period: EnhancedPeriod,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum EnhancedPeriod {
    /// Format 000: no validity period.
    None,
    /// Format 001: one octet, as the relative format.
    Relative { code: u8 },
    /// Format 010: an integer number of seconds, 0..=255.
    Seconds { seconds: u8 },
    /// Format 011: hours, minutes and seconds in semi-octets.
    Hms { hours: u8, minutes: u8, seconds: u8 },
    /// Formats 100..111 are reserved; their octets are kept as they came.
    Reserved { format: u8, octets: [u8; 6] },
}

impl EnhancedPeriod {
    pub fn seconds(&self) -> Option<u64> {
        match *self {
            EnhancedPeriod::None | EnhancedPeriod::Reserved { .. } => None,
            EnhancedPeriod::Relative { code } => Some(relative_seconds(code)),
            EnhancedPeriod::Seconds { seconds } => Some(seconds as u64),
            EnhancedPeriod::Hms { hours, minutes, seconds } => {
                Some(hours as u64 * 3600 + minutes as u64 * 60 + seconds as u64)
            }
        }
    }
}

impl EnhancedValidity {
    fn from_octets(b: [u8; 7]) -> EnhancedValidity {
        let fi = b[0];
        let (extension, rest) =
            if fi & 0x80 != 0 { (Some(b[1]), &b[2..]) } else { (None, &b[1..]) };
        let format = fi & 0x07;
        let period = match format {
            0 => EnhancedPeriod::None,
            1 => EnhancedPeriod::Relative { code: rest[0] },
            2 => EnhancedPeriod::Seconds { seconds: rest[0] },
            3 => match (bcd_pair(rest[0]), bcd_pair(rest[1]), bcd_pair(rest[2])) {
                (Some(hours), Some(minutes), Some(seconds)) => {
                    EnhancedPeriod::Hms { hours, minutes, seconds }
                }
                _ => reserved(format, &b),
            },
            _ => reserved(format, &b),
        };
        EnhancedValidity { single_shot: fi & 0x40 != 0, extension, period }
    }

    fn to_octets(self) -> [u8; 7] {
        if let EnhancedPeriod::Reserved { format, octets } = self.period {
            let mut out = [0u8; 7];
            out[0] = format & 0x07
                | (self.single_shot as u8) << 6
                | (self.extension.is_some() as u8) << 7;
            out[1..].copy_from_slice(&octets);
            return out;
        }
        let mut out = Vec::with_capacity(7);
        let format = match self.period {
            EnhancedPeriod::None => 0,
            EnhancedPeriod::Relative { .. } => 1,
            EnhancedPeriod::Seconds { .. } => 2,
            _ => 3,
        };
        out.push(format | (self.single_shot as u8) << 6 | (self.extension.is_some() as u8) << 7);
        out.extend(self.extension);
        match self.period {
            EnhancedPeriod::Relative { code } => out.push(code),
            EnhancedPeriod::Seconds { seconds } => out.push(seconds),
            EnhancedPeriod::Hms { hours, minutes, seconds } => {
                out.extend([to_bcd_pair(hours), to_bcd_pair(minutes), to_bcd_pair(seconds)])
            }
            _ => {}
        }
        out.resize(7, 0);
        let mut arr = [0u8; 7];
        arr.copy_from_slice(&out);
        arr
    }
}

/// A period whose format is reserved (or whose semi-octets are not decimal)
/// is kept as its six raw octets, so re-encoding gives back the same bytes.
fn reserved(format: u8, b: &[u8; 7]) -> EnhancedPeriod {
    let mut octets = [0u8; 6];
    octets.copy_from_slice(&b[1..]);
    EnhancedPeriod::Reserved { format, octets }
}
