//! National language locking and single shift tables, TS 23.038 Annex A.
//!
//! The language identifiers are those of TS 23.038 clause 6.2.1.2.4, used by
//! the UDH information elements 0x24 (single shift) and 0x25 (locking shift).

use serde::{Deserialize, Serialize};

use super::{sparse, Table};

/// A national language with its own GSM 7-bit tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Turkish = 1,
    Spanish = 2,
    Portuguese = 3,
    Bengali = 4,
    Gujarati = 5,
    Hindi = 6,
    Kannada = 7,
    Malayalam = 8,
    Oriya = 9,
    Punjabi = 10,
    Tamil = 11,
    Telugu = 12,
    Urdu = 13,
}

impl Language {
    pub const ALL: [Language; 13] = [
        Language::Turkish,
        Language::Spanish,
        Language::Portuguese,
        Language::Bengali,
        Language::Gujarati,
        Language::Hindi,
        Language::Kannada,
        Language::Malayalam,
        Language::Oriya,
        Language::Punjabi,
        Language::Tamil,
        Language::Telugu,
        Language::Urdu,
    ];

    /// The identifier carried in the UDH.
    pub fn id(self) -> u8 {
        self as u8
    }

    pub fn from_id(id: u8) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.id() == id)
    }

    /// Lower-case English name, as used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Language::Turkish => "turkish",
            Language::Spanish => "spanish",
            Language::Portuguese => "portuguese",
            Language::Bengali => "bengali",
            Language::Gujarati => "gujarati",
            Language::Hindi => "hindi",
            Language::Kannada => "kannada",
            Language::Malayalam => "malayalam",
            Language::Oriya => "oriya",
            Language::Punjabi => "punjabi",
            Language::Tamil => "tamil",
            Language::Telugu => "telugu",
            Language::Urdu => "urdu",
        }
    }

    pub fn from_name(name: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.name().eq_ignore_ascii_case(name))
    }
}

/// The locking shift table of `lang`, or `None` where Annex A defines none
/// (Spanish has only a single shift table).
pub fn locking_shift(lang: Language) -> Option<&'static Table> {
    match lang {
        Language::Spanish => None,
        _ => None, // TABLES: filled in from TS 23.038 Annex A.2
    }
}

/// The single shift table of `lang` (TS 23.038 Annex A.3).
pub fn single_shift(lang: Language) -> &'static Table {
    let _ = lang;
    &EMPTY // TABLES: filled in from TS 23.038 Annex A.3
}

static EMPTY: Table = sparse(&[]);
