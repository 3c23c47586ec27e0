//! TP-DCS, the data coding scheme: TS 23.038 clause 4, "SMS Data Coding
//! Scheme". The octet is kept whole, so that re-encoding reproduces it
//! exactly; the accessors interpret its coding groups.

use serde::{Deserialize, Serialize};

/// How the user data is coded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Coding {
    #[serde(rename = "gsm7")]
    Gsm7,
    #[serde(rename = "8bit")]
    EightBit,
    #[serde(rename = "ucs2")]
    Ucs2,
}

impl Coding {
    pub fn name(self) -> &'static str {
        match self {
            Coding::Gsm7 => "gsm7",
            Coding::EightBit => "8bit",
            Coding::Ucs2 => "ucs2",
        }
    }
}

/// A message waiting indication carried in DCS groups 1100 to 1110.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingIndication {
    /// Group 1100 asks the receiver to discard the message after updating
    /// the indicator; groups 1101 and 1110 ask it to store the message.
    pub store: bool,
    pub active: bool,
    /// 0 voicemail, 1 fax, 2 e-mail, 3 other.
    pub kind: u8,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Dcs(pub u8);

impl Dcs {
    /// General data coding group (00xx), uncompressed, with an optional
    /// message class. Class 0 is "flash", shown but not stored.
    pub fn new(coding: Coding, class: Option<u8>) -> Dcs {
        let alphabet = match coding {
            Coding::Gsm7 => 0b00,
            Coding::EightBit => 0b01,
            Coding::Ucs2 => 0b10,
        } << 2;
        match class {
            Some(c) => Dcs(0x10 | alphabet | (c & 3)),
            None => Dcs(alphabet),
        }
    }

    fn group(self) -> u8 {
        self.0 >> 4
    }

    /// The alphabet. Reserved alphabet values and reserved coding groups
    /// are read as the GSM 7-bit default alphabet, as clause 4 requires.
    pub fn coding(self) -> Coding {
        match self.group() {
            0x0..=0x7 => match (self.0 >> 2) & 3 {
                0b01 => Coding::EightBit,
                0b10 => Coding::Ucs2,
                _ => Coding::Gsm7,
            },
            0xE => Coding::Ucs2,
            0xF if self.0 & 0x04 != 0 => Coding::EightBit,
            _ => Coding::Gsm7,
        }
    }

    /// The message class 0..=3, where the scheme gives one.
    pub fn class(self) -> Option<u8> {
        match self.group() {
            0x0..=0x7 if self.0 & 0x10 != 0 => Some(self.0 & 3),
            0xF => Some(self.0 & 3),
            _ => None,
        }
    }

    /// Compressed text (TS 23.042). Bubblegate does not decompress; such
    /// user data is handed on as bytes.
    pub fn compressed(self) -> bool {
        self.group() <= 0x7 && self.0 & 0x20 != 0
    }

    /// Groups 01xx: the message is marked for automatic deletion.
    pub fn auto_deletion(self) -> bool {
        (0x4..=0x7).contains(&self.group())
    }

    pub fn waiting_indication(self) -> Option<WaitingIndication> {
        match self.group() {
            0xC..=0xE => Some(WaitingIndication {
                store: self.group() != 0xC,
                active: self.0 & 0x08 != 0,
                kind: self.0 & 3,
            }),
            _ => None,
        }
    }
}
