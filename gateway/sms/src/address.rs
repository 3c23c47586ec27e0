//! Addresses: TP-OA, TP-DA and TP-RA (TS 23.040 clause 9.1.2.5), and the
//! SMSC address that modems put in front of a TPDU (RP-SC address of
//! TS 24.011 clause 8.2.5.1, length counted in octets).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::cursor::Cursor;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::gsm7::{self, Charset};

/// Type of number, bits 6..4 of the type-of-address octet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ton {
    Unknown = 0,
    International = 1,
    National = 2,
    NetworkSpecific = 3,
    Subscriber = 4,
    /// Coded in the GSM 7-bit default alphabet, TS 23.038.
    Alphanumeric = 5,
    Abbreviated = 6,
    Reserved = 7,
}

impl Ton {
    fn from_bits(bits: u8) -> Ton {
        match bits & 7 {
            0 => Ton::Unknown,
            1 => Ton::International,
            2 => Ton::National,
            3 => Ton::NetworkSpecific,
            4 => Ton::Subscriber,
            5 => Ton::Alphanumeric,
            6 => Ton::Abbreviated,
            _ => Ton::Reserved,
        }
    }
}

/// Numbering plan: ISDN/telephone (E.164), the usual one.
pub const NPI_ISDN: u8 = 1;

/// The longest address value: 20 semi-octets (TS 23.040 clause 9.1.2.5).
const MAX_SEMI_OCTETS: usize = 20;

/// A phone number or alphanumeric sender.
///
/// For numbers, `value` holds the semi-octets as characters: `0`-`9`, and
/// `*`, `#`, `a`, `b`, `c` for the nibbles 0xA to 0xE (TS 23.040 9.1.2.3).
/// It never holds the `+`; [`Address::fmt`] adds it for international numbers.
/// For alphanumeric senders it holds the decoded text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Address {
    pub ton: Ton,
    pub npi: u8,
    pub value: String,
}

impl Address {
    /// Parses a number as a person types it: a leading `+` makes it
    /// international; otherwise its type is unknown. Spaces, dashes, dots
    /// and parentheses are dropped.
    pub fn phone(input: &str) -> Result<Address, EncodeError> {
        let trimmed = input.trim();
        let (ton, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (Ton::International, rest),
            None => (Ton::Unknown, trimmed),
        };
        let value: String = rest
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let valid = !value.is_empty()
            && value.chars().all(|c| nibble_of(c).is_some())
            && (ton != Ton::International || value.chars().all(|c| c.is_ascii_digit()));
        if !valid {
            return Err(EncodeError::InvalidAddress(input.to_string()));
        }
        if value.len() > MAX_SEMI_OCTETS {
            return Err(EncodeError::AddressTooLong(value.len()));
        }
        Ok(Address { ton, npi: NPI_ISDN, value })
    }

    /// An alphanumeric sender such as `"Bank"`: at most 11 characters of the
    /// GSM 7-bit default alphabet, extension characters excluded.
    pub fn alphanumeric(text: &str) -> Result<Address, EncodeError> {
        let septets = Charset::DEFAULT
            .encode(text)
            .map_err(|_| EncodeError::InvalidAddress(text.to_string()))?;
        if septets.is_empty() || septets.len() > 11 || septets.contains(&gsm7::ESCAPE) {
            return Err(EncodeError::InvalidAddress(text.to_string()));
        }
        Ok(Address { ton: Ton::Alphanumeric, npi: 0, value: text.to_string() })
    }

    fn type_octet(&self) -> u8 {
        0x80 | (self.ton as u8) << 4 | (self.npi & 0x0F)
    }

    /// Semi-octets of the value: BCD digits, or packed alphanumeric septets.
    fn value_octets(&self) -> Result<(usize, Vec<u8>), EncodeError> {
        if self.ton == Ton::Alphanumeric {
            let septets = Charset::DEFAULT.encode(&self.value).map_err(EncodeError::NotGsm7)?;
            let semi = (septets.len() * 7).div_ceil(4);
            if semi > MAX_SEMI_OCTETS {
                return Err(EncodeError::AddressTooLong(semi));
            }
            return Ok((semi, gsm7::pack(&septets, 0)));
        }
        let nibbles = self
            .value
            .chars()
            .map(|c| nibble_of(c).ok_or_else(|| EncodeError::InvalidAddress(self.value.clone())))
            .collect::<Result<Vec<u8>, _>>()?;
        if nibbles.len() > MAX_SEMI_OCTETS {
            return Err(EncodeError::AddressTooLong(nibbles.len()));
        }
        Ok((nibbles.len(), swap_nibbles(&nibbles)))
    }

    /// Encodes as TP-OA/TP-DA/TP-RA: length in semi-octets, type, value.
    pub fn encode_tp(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let (semi, octets) = self.value_octets()?;
        out.push(semi as u8);
        out.push(self.type_octet());
        out.extend(octets);
        Ok(())
    }

    /// Encodes as the SMSC prefix: length in octets (type included), type,
    /// value. `None` encodes as the single octet 0, "use the SIM's SMSC".
    pub fn encode_smsc(smsc: Option<&Address>, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        match smsc {
            None => out.push(0),
            Some(a) => {
                let (_, octets) = a.value_octets()?;
                out.push(octets.len() as u8 + 1);
                out.push(a.type_octet());
                out.extend(octets);
            }
        }
        Ok(())
    }

    pub(crate) fn decode_tp(
        cur: &mut Cursor<'_>,
        field: &'static str,
    ) -> Result<Address, DecodeError> {
        let start = cur.offset();
        let semi = cur.u8(field)? as usize;
        if semi > MAX_SEMI_OCTETS {
            return Err(DecodeError::new(
                start,
                DecodeErrorKind::OutOfRange { field, value: semi as u32 },
            ));
        }
        let toa = cur.u8(field)?;
        let octets = cur.take(semi.div_ceil(2), field)?;
        Ok(Address::from_parts(toa, octets, Some(semi)))
    }

    pub(crate) fn decode_smsc(cur: &mut Cursor<'_>) -> Result<Option<Address>, DecodeError> {
        const FIELD: &str = "SMSC address";
        let start = cur.offset();
        let len = cur.u8(FIELD)? as usize;
        if len == 0 {
            return Ok(None);
        }
        if len > 12 {
            return Err(DecodeError::new(
                start,
                DecodeErrorKind::OutOfRange { field: FIELD, value: len as u32 },
            ));
        }
        let toa = cur.u8(FIELD)?;
        let octets = cur.take(len - 1, FIELD)?;
        Ok(Some(Address::from_parts(toa, octets, None)))
    }

    /// `semi`: the count of useful semi-octets, where the field gives one.
    fn from_parts(toa: u8, octets: &[u8], semi: Option<usize>) -> Address {
        let ton = Ton::from_bits(toa >> 4);
        let npi = toa & 0x0F;
        let value = if ton == Ton::Alphanumeric {
            let bits = semi.map_or(octets.len() * 8, |s| s * 4);
            let mut septets = gsm7::unpack(octets, 0, bits / 7);
            // Counted in octets (the SMSC field), seven characters fill seven
            // octets with seven spare zero bits, which read as a final '@'.
            // Those bits are padding, not text.
            if semi.is_none() && octets.len() % 7 == 0 && septets.last() == Some(&0) {
                septets.pop();
            }
            Charset::DEFAULT.decode(&septets)
        } else {
            let max = semi.unwrap_or(octets.len() * 2);
            octets
                .iter()
                .flat_map(|b| [b & 0x0F, b >> 4])
                .take(max)
                // 0xF is the filler of an odd count; it ends the number.
                .take_while(|n| *n != 0x0F)
                .map(char_of)
                .collect()
        };
        Address { ton, npi, value }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ton == Ton::International {
            f.write_str("+")?;
        }
        f.write_str(&self.value)
    }
}

fn nibble_of(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '*' => Some(0xA),
        '#' => Some(0xB),
        'a' | 'A' => Some(0xC),
        'b' | 'B' => Some(0xD),
        'c' | 'C' => Some(0xE),
        _ => None,
    }
}

fn char_of(nibble: u8) -> char {
    match nibble {
        0..=9 => (b'0' + nibble) as char,
        0xA => '*',
        0xB => '#',
        0xC => 'a',
        0xD => 'b',
        _ => 'c',
    }
}

/// Packs nibbles two to an octet, low nibble first, padding with 0xF.
fn swap_nibbles(nibbles: &[u8]) -> Vec<u8> {
    nibbles.chunks(2).map(|pair| pair[0] | pair.get(1).copied().unwrap_or(0x0F) << 4).collect()
}

/// Decodes semi-octets of a BCD field (time stamps): low nibble first.
pub(crate) fn bcd_pair(octet: u8) -> Option<u8> {
    let lo = octet & 0x0F;
    let hi = octet >> 4;
    (lo <= 9 && hi <= 9).then_some(lo * 10 + hi)
}

pub(crate) fn to_bcd_pair(value: u8) -> u8 {
    (value % 10) << 4 | (value / 10 % 10)
}
