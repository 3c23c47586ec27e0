//! The GSM 7-bit alphabets of 3GPP TS 23.038: the default alphabet and its
//! extension table (clause 6.2.1), the national language locking and single
//! shift tables (Annex A, in [`national`]), and septet packing (clause 6.1.2.1).
//!
//! A [`Charset`] is the pair of tables in force for one message: a locking
//! table that replaces the default alphabet, and a single shift table that
//! replaces the extension table after the escape septet 0x1B.

mod national;
mod pack;

use std::collections::HashMap;
use std::sync::OnceLock;

pub use national::{locking_shift, single_shift, Language};
pub use pack::{pack, septets_to_octets, unpack};

/// One GSM 7-bit table: the character at each of the 128 code points, or
/// `None` where the table leaves the position undefined (or, at 0x1B, where
/// it holds the escape to the shift table).
pub type Table = [Option<char>; 128];

/// The escape septet (TS 23.038 clause 6.2.1.1): the next septet is looked up
/// in the single shift (extension) table.
pub const ESCAPE: u8 = 0x1B;

/// TS 23.038 clause 6.2.1, "GSM 7 bit Default Alphabet".
pub static DEFAULT: Table = table(&[
    '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å', //
    'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', '\0', 'Æ', 'æ', 'ß', 'É', //
    ' ', '!', '"', '#', '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', //
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?', //
    '¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', //
    'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§', //
    '¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', //
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à', //
]);

/// TS 23.038 clause 6.2.1.1, "GSM 7 bit default alphabet extension table".
/// 0x0A is the page break, which maps to FORM FEED.
pub static DEFAULT_EXTENSION: Table = sparse(&[
    (0x0A, '\u{0C}'),
    (0x14, '^'),
    (0x28, '{'),
    (0x29, '}'),
    (0x2F, '\\'),
    (0x3C, '['),
    (0x3D, '~'),
    (0x3E, ']'),
    (0x40, '|'),
    (0x65, '€'),
]);

/// Builds a full table from 128 characters; `'\0'` marks an undefined slot.
pub(crate) const fn table(chars: &[char; 128]) -> Table {
    let mut out = [None; 128];
    let mut i = 0;
    while i < 128 {
        if chars[i] != '\0' {
            out[i] = Some(chars[i]);
        }
        i += 1;
    }
    out
}

/// Builds a table from `(code point, character)` pairs; the rest is undefined.
pub(crate) const fn sparse(entries: &[(u8, char)]) -> Table {
    let mut out = [None; 128];
    let mut i = 0;
    while i < entries.len() {
        out[entries[i].0 as usize] = Some(entries[i].1);
        i += 1;
    }
    out
}

/// The pair of tables in force for one message, as chosen by the national
/// language IEs of its UDH (TS 23.040 clauses 9.2.3.24.15 and 9.2.3.24.16).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Charset {
    /// Replaces the default alphabet. `None`: the default alphabet.
    pub locking: Option<Language>,
    /// Replaces the extension table. `None`: the default extension table.
    pub single: Option<Language>,
}

impl Charset {
    pub const DEFAULT: Charset = Charset { locking: None, single: None };

    fn main_table(self) -> &'static Table {
        self.locking.and_then(locking_shift).unwrap_or(&DEFAULT)
    }

    fn shift_table(self) -> &'static Table {
        self.single.map(single_shift).unwrap_or(&DEFAULT_EXTENSION)
    }

    /// Decodes unpacked septets to text.
    ///
    /// An escape followed by a code that the shift table leaves undefined
    /// shows the main table's character, as TS 23.038 clause 6.2.1.1 asks
    /// of a receiving entity. Undefined code points in a national table
    /// decode to U+FFFD.
    pub fn decode(self, septets: &[u8]) -> String {
        let main = self.main_table();
        let shift = self.shift_table();
        let mut out = String::with_capacity(septets.len());
        let mut iter = septets.iter().map(|s| s & 0x7F);
        while let Some(s) = iter.next() {
            if s == ESCAPE {
                // A lone trailing escape carries no character.
                if let Some(next) = iter.next() {
                    let c = shift[next as usize].or(main[next as usize]);
                    out.push(c.unwrap_or('\u{FFFD}'));
                }
            } else {
                out.push(main[s as usize].unwrap_or('\u{FFFD}'));
            }
        }
        out
    }

    /// Encodes one character: `Some(septets)` with one septet, or two for an
    /// escape sequence; `None` when neither table holds the character.
    pub fn encode_char(self, c: char) -> Option<Septets> {
        if let Some(s) = reverse(TableId::Main(self.locking)).get(c) {
            return Some(Septets::One(s));
        }
        reverse(TableId::Shift(self.single)).get(c).map(Septets::Escaped)
    }

    /// Encodes text to unpacked septets, or names the first character that
    /// does not fit.
    pub fn encode(self, text: &str) -> Result<Vec<u8>, char> {
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            match self.encode_char(c).ok_or(c)? {
                Septets::One(s) => out.push(s),
                Septets::Escaped(s) => out.extend([ESCAPE, s]),
            }
        }
        Ok(out)
    }

    /// Septets needed for `text`, or `None` if a character does not fit.
    pub fn septet_len(self, text: &str) -> Option<usize> {
        text.chars().map(|c| self.encode_char(c).map(Septets::count)).sum()
    }
}

/// The septets that encode one character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Septets {
    One(u8),
    /// Escape (0x1B) followed by this code in the shift table.
    Escaped(u8),
}

impl Septets {
    /// How many septets: 1, or 2 for an escape sequence.
    pub fn count(self) -> usize {
        match self {
            Septets::One(_) => 1,
            Septets::Escaped(_) => 2,
        }
    }
}

#[derive(Clone, Copy)]
enum TableId {
    Main(Option<Language>),
    Shift(Option<Language>),
}

impl TableId {
    /// Dense index: default main, default shift, then per language.
    fn index(self) -> usize {
        match self {
            TableId::Main(None) => 0,
            TableId::Shift(None) => 1,
            TableId::Main(Some(l)) => 2 * l.id() as usize,
            TableId::Shift(Some(l)) => 2 * l.id() as usize + 1,
        }
    }

    fn table(self) -> &'static Table {
        match self {
            TableId::Main(l) => Charset { locking: l, single: None }.main_table(),
            TableId::Shift(l) => Charset { locking: None, single: l }.shift_table(),
        }
    }
}

/// Character-to-septet lookup for one table: a direct array for Latin-1,
/// where most text lives, and a map for the rest (Greek capitals, the euro
/// sign, the Indic scripts).
struct Reverse {
    latin1: [Option<u8>; 256],
    other: HashMap<char, u8>,
}

impl Reverse {
    fn get(&self, c: char) -> Option<u8> {
        match self.latin1.get(c as usize) {
            Some(hit) => *hit,
            None => self.other.get(&c).copied(),
        }
    }
}

/// Lookups built once per table on first use. When a character sits at two
/// code points, the lower one wins, so the encoding is deterministic.
fn reverse(id: TableId) -> &'static Reverse {
    static MAPS: OnceLock<Vec<Reverse>> = OnceLock::new();
    let maps = MAPS.get_or_init(|| {
        let mut ids = vec![TableId::Main(None), TableId::Shift(None)];
        for lang in Language::ALL {
            ids.push(TableId::Main(Some(lang)));
            ids.push(TableId::Shift(Some(lang)));
        }
        ids.sort_by_key(|id| id.index());
        ids.into_iter()
            .map(|id| {
                let mut rev = Reverse { latin1: [None; 256], other: HashMap::new() };
                for (code, c) in id.table().iter().enumerate().rev() {
                    let (Some(c), false) = (c, code as u8 == ESCAPE) else { continue };
                    match rev.latin1.get_mut(*c as usize) {
                        Some(slot) => *slot = Some(code as u8),
                        None => {
                            rev.other.insert(*c, code as u8);
                        }
                    }
                }
                rev
            })
            .collect()
    });
    &maps[id.index()]
}

#[cfg(test)]
mod tests;
