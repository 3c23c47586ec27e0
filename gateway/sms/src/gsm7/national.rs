//! National language locking and single shift tables, TS 23.038 Annex A.
//!
//! The language identifiers are those of TS 23.038 clause 6.2.1.2.4, used by
//! the UDH information elements 0x24 (single shift) and 0x25 (locking shift).
//!
//! Annex A.2 holds the national language *single shift* tables, which replace
//! the default alphabet extension table (clause 6.2.1.1) for the one septet
//! after an escape; Annex A.3 holds the *locking shift* tables, which replace
//! the default alphabet (clause 6.2.1). Spanish has a single shift table only
//! (A.3.2 is void).
//!
//! # Release and sources
//!
//! The tables follow 3GPP TS 23.038 **V18.0.0 (Release 18)**, the latest
//! release we could consult, here through the transcription in \[GC\] below.
//! Every one of the 3,200 cells was compared against three independent
//! transcriptions (\[GC\], \[AOSP\], \[CC\]); where they disagree, \[L3\] and
//! \[W618\] were consulted as well. Only facts (which character sits at which
//! code point) were taken from them; no code was.
//!
//! - \[GC\]: ndf-zz/gsmcodecs, `lut/<language>_{lock,shift}.csv`, transcribed
//!   from TS 23.038 V18.0.0.
//! - \[AOSP\]: Android `frameworks/base`, `GsmAlphabet.java`, arrays
//!   `sLanguageTables` and `sLanguageShiftTables`, from V9.1.1 with three
//!   corrections documented in that file (see notes 2 to 4).
//! - \[CC\]: gchq/CyberChef, `src/core/lib/Gsm7.mjs`, transcribed from
//!   V16.0.0.
//! - \[L3\]: lighterowl/lib3gpp23038, `gentables.pl`, transcribed from V16.0.0
//!   without corrections.
//! - \[W618\]: warthog618/sms, `encoding/gsm7/charset/*.go`.
//!
//! # Discrepancies and how they were settled
//!
//! 1. **0x2C in the ten Indic and the Urdu locking tables** is `,`, as in
//!    \[AOSP\], \[CC\] and \[L3\] (and the default alphabet). \[GC\] has `'`.
//! 2. **Kannada locking 0x24: U+0CA1 KANNADA LETTER DDA. This departs from
//!    the spec text.** Every release from V9.1.1 to V18.0.0 prints U+0CAA
//!    (PA) here (\[GC\], \[CC\], \[L3\]), though PA also sits at 0x3D and
//!    every other Indic locking table has its DDA at 0x24. \[AOSP\] and
//!    \[W618\] correct it to U+0CA1, and we follow them. With the printed
//!    value our encoder (lowest code point wins) would send PA as 0x24,
//!    which Android receivers show as DDA, and DDA could not be sent at all.
//! 3. **Tamil single shift 0x24** is U+0BEE (digit eight) as in V18.0.0
//!    (\[GC\]); V9.1.1 and V16.0.0 print U+0BEF, a duplicate of 0x25 (\[L3\];
//!    \[AOSP\] and \[CC\] note and correct it).
//! 4. **Telugu single shift 0x22 and 0x23** are U+0C6C and U+0C6D (Telugu
//!    digits six and seven) as in V18.0.0 (\[GC\]); V9.1.1 and V16.0.0 print
//!    the Arabic letters U+06CC and U+06CD (\[L3\]; \[AOSP\] and \[CC\]
//!    correct them).
//! 5. **Telugu single shift 0x65 is undefined: the spec has no `€` there**
//!    (V16.0.0 \[L3\] and V18.0.0 \[GC\]), unlike all twelve other single
//!    shift tables. \[AOSP\], \[CC\] and \[W618\] add one; we follow the spec.
//!    Decoding ESC 0x65 then falls back to the locking table (clause
//!    6.2.1.1), and `€` cannot be sent through this table.
//! 6. **Tamil and Telugu locking 0x11** are undefined (\[GC\], \[AOSP\],
//!    \[L3\]); \[CC\] lists U+0B91 and U+0C11, which Unicode leaves
//!    unassigned.
//! 7. **Portuguese single shift 0x05** is `ê` (\[GC\], \[AOSP\], \[L3\]);
//!    \[CC\] omits it.
//! 8. Single-source slips, outvoted: \[CC\] has U+0BEA (a Tamil digit) at
//!    Oriya single shift 0x20 and U+0CE6 (a Kannada digit) at Telugu single
//!    shift 0x1C; \[L3\] has U+0B3C at Oriya locking 0x47, `O` at Punjabi
//!    single shift 0x23 and a space at Turkish locking 0x1F.
//! 9. 0x0D in the single shift tables is the spec's "CR2" control (reserved,
//!    see the footnote in clause 6.2.1.1). Like [`DEFAULT_EXTENSION`] we leave
//!    it undefined; \[W618\] maps it to CR. 0x0A is the page break, mapped to
//!    FORM FEED as in [`DEFAULT_EXTENSION`].
//!
//! Duplicates that the spec itself has are kept: every Indic and the Urdu
//! single shift table holds `*` at 0x0B and 0x18 and `¡` at 0x13 and 0x15.
//!
//! [`DEFAULT_EXTENSION`]: super::DEFAULT_EXTENSION

use serde::{Deserialize, Serialize};

use super::{sparse, table, Table};

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

/// The locking shift table of `lang` (TS 23.038 Annex A.3), or `None` where
/// Annex A defines none (Spanish has only a single shift table).
pub fn locking_shift(lang: Language) -> Option<&'static Table> {
    match lang {
        Language::Turkish => Some(&TURKISH_LOCKING),
        Language::Spanish => None,
        Language::Portuguese => Some(&PORTUGUESE_LOCKING),
        Language::Bengali => Some(&BENGALI_LOCKING),
        Language::Gujarati => Some(&GUJARATI_LOCKING),
        Language::Hindi => Some(&HINDI_LOCKING),
        Language::Kannada => Some(&KANNADA_LOCKING),
        Language::Malayalam => Some(&MALAYALAM_LOCKING),
        Language::Oriya => Some(&ORIYA_LOCKING),
        Language::Punjabi => Some(&PUNJABI_LOCKING),
        Language::Tamil => Some(&TAMIL_LOCKING),
        Language::Telugu => Some(&TELUGU_LOCKING),
        Language::Urdu => Some(&URDU_LOCKING),
    }
}

/// The single shift table of `lang` (TS 23.038 Annex A.2).
pub fn single_shift(lang: Language) -> &'static Table {
    match lang {
        Language::Turkish => &TURKISH_SINGLE,
        Language::Spanish => &SPANISH_SINGLE,
        Language::Portuguese => &PORTUGUESE_SINGLE,
        Language::Bengali => &BENGALI_SINGLE,
        Language::Gujarati => &GUJARATI_SINGLE,
        Language::Hindi => &HINDI_SINGLE,
        Language::Kannada => &KANNADA_SINGLE,
        Language::Malayalam => &MALAYALAM_SINGLE,
        Language::Oriya => &ORIYA_SINGLE,
        Language::Punjabi => &PUNJABI_SINGLE,
        Language::Tamil => &TAMIL_SINGLE,
        Language::Telugu => &TELUGU_SINGLE,
        Language::Urdu => &URDU_SINGLE,
    }
}

// Table layout: code points in ascending order, 16 per row for the Latin
// tables and 8 per row for the others; the comment gives the first code
// point of the row. `__` marks a position the table leaves undefined and
// `ESC` the escape at 0x1B; both become `None`.

/// An undefined position.
const __: char = '\0';
/// 0x1B, the escape to the single shift table; never a character.
const ESC: char = '\0';

// ---------------------------------------------------------------------------
// Annex A.3: locking shift tables
// ---------------------------------------------------------------------------

/// TS 23.038 Annex A.3.1, "Turkish National Language Locking Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\] agree on every cell.
#[rustfmt::skip]
static TURKISH_LOCKING: Table = table(&[
    '@', '£', '$', '¥', '€', 'é', 'ù', 'ı', 'ò', 'Ç', '\n', 'Ğ', 'ğ', '\r', 'Å', 'å', // 0x00
    'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', ESC, 'Ş', 'ş', 'ß', 'É', // 0x10
    ' ', '!', '"', '#', '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', // 0x20
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?', // 0x30
    'İ', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', // 0x40
    'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§', // 0x50
    'ç', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', // 0x60
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à', // 0x70
]);

/// TS 23.038 Annex A.3.3, "Portuguese National Language Locking Shift Table".
/// (A.3.2, Spanish, is void.)
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\] agree on every cell.
#[rustfmt::skip]
static PORTUGUESE_LOCKING: Table = table(&[
    '@', '£', '$', '¥', 'ê', 'é', 'ú', 'í', 'ó', 'ç', '\n', 'Ô', 'ô', '\r', 'Á', 'á', // 0x00
    'Δ', '_', 'ª', 'Ç', 'À', '∞', '^', '\\', '€', 'Ó', '|', ESC, 'Â', 'â', 'Ê', 'É', // 0x10
    ' ', '!', '"', '#', 'º', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', // 0x20
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?', // 0x30
    'Í', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', // 0x40
    'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ã', 'Õ', 'Ú', 'Ü', '§', // 0x50
    '~', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', // 0x60
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ã', 'õ', '`', 'ü', 'à', // 0x70
]);

/// TS 23.038 Annex A.3.4, "Bengali National Language Locking Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree except at 0x2C
/// (module note 1).
#[rustfmt::skip]
static BENGALI_LOCKING: Table = table(&[
    '\u{0981}', '\u{0982}', '\u{0983}', '\u{0985}', '\u{0986}', '\u{0987}', '\u{0988}', '\u{0989}', // 0x00
    '\u{098A}', '\u{098B}', '\n',       '\u{098C}', __,         '\r',       __,         '\u{098F}', // 0x08
    '\u{0990}', __,         __,         '\u{0993}', '\u{0994}', '\u{0995}', '\u{0996}', '\u{0997}', // 0x10
    '\u{0998}', '\u{0999}', '\u{099A}', ESC,        '\u{099B}', '\u{099C}', '\u{099D}', '\u{099E}', // 0x18
    ' ',        '!',        '\u{099F}', '\u{09A0}', '\u{09A1}', '\u{09A2}', '\u{09A3}', '\u{09A4}', // 0x20
    ')',        '(',        '\u{09A5}', '\u{09A6}', ',',        '\u{09A7}', '.',        '\u{09A8}', // 0x28
    '0',        '1',        '2',        '3',        '4',        '5',        '6',        '7',        // 0x30
    '8',        '9',        ':',        ';',        __,         '\u{09AA}', '\u{09AB}', '?',        // 0x38
    '\u{09AC}', '\u{09AD}', '\u{09AE}', '\u{09AF}', '\u{09B0}', __,         '\u{09B2}', __,         // 0x40
    __,         __,         '\u{09B6}', '\u{09B7}', '\u{09B8}', '\u{09B9}', '\u{09BC}', '\u{09BD}', // 0x48
    '\u{09BE}', '\u{09BF}', '\u{09C0}', '\u{09C1}', '\u{09C2}', '\u{09C3}', '\u{09C4}', __,         // 0x50
    __,         '\u{09C7}', '\u{09C8}', __,         __,         '\u{09CB}', '\u{09CC}', '\u{09CD}', // 0x58
    '\u{09CE}', 'a',        'b',        'c',        'd',        'e',        'f',        'g',        // 0x60
    'h',        'i',        'j',        'k',        'l',        'm',        'n',        'o',        // 0x68
    'p',        'q',        'r',        's',        't',        'u',        'v',        'w',        // 0x70
    'x',        'y',        'z',        '\u{09D7}', '\u{09DC}', '\u{09DD}', '\u{09F0}', '\u{09F1}', // 0x78
]);

/// TS 23.038 Annex A.3.5, "Gujarati National Language Locking Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree except at 0x2C
/// (module note 1).
#[rustfmt::skip]
static GUJARATI_LOCKING: Table = table(&[
    '\u{0A81}', '\u{0A82}', '\u{0A83}', '\u{0A85}', '\u{0A86}', '\u{0A87}', '\u{0A88}', '\u{0A89}', // 0x00
    '\u{0A8A}', '\u{0A8B}', '\n',       '\u{0A8C}', '\u{0A8D}', '\r',       __,         '\u{0A8F}', // 0x08
    '\u{0A90}', '\u{0A91}', __,         '\u{0A93}', '\u{0A94}', '\u{0A95}', '\u{0A96}', '\u{0A97}', // 0x10
    '\u{0A98}', '\u{0A99}', '\u{0A9A}', ESC,        '\u{0A9B}', '\u{0A9C}', '\u{0A9D}', '\u{0A9E}', // 0x18
    ' ',        '!',        '\u{0A9F}', '\u{0AA0}', '\u{0AA1}', '\u{0AA2}', '\u{0AA3}', '\u{0AA4}', // 0x20
    ')',        '(',        '\u{0AA5}', '\u{0AA6}', ',',        '\u{0AA7}', '.',        '\u{0AA8}', // 0x28
    '0',        '1',        '2',        '3',        '4',        '5',        '6',        '7',        // 0x30
    '8',        '9',        ':',        ';',        __,         '\u{0AAA}', '\u{0AAB}', '?',        // 0x38
    '\u{0AAC}', '\u{0AAD}', '\u{0AAE}', '\u{0AAF}', '\u{0AB0}', __,         '\u{0AB2}', '\u{0AB3}', // 0x40
    __,         '\u{0AB5}', '\u{0AB6}', '\u{0AB7}', '\u{0AB8}', '\u{0AB9}', '\u{0ABC}', '\u{0ABD}', // 0x48
    '\u{0ABE}', '\u{0ABF}', '\u{0AC0}', '\u{0AC1}', '\u{0AC2}', '\u{0AC3}', '\u{0AC4}', '\u{0AC5}', // 0x50
    __,         '\u{0AC7}', '\u{0AC8}', '\u{0AC9}', __,         '\u{0ACB}', '\u{0ACC}', '\u{0ACD}', // 0x58
    '\u{0AD0}', 'a',        'b',        'c',        'd',        'e',        'f',        'g',        // 0x60
    'h',        'i',        'j',        'k',        'l',        'm',        'n',        'o',        // 0x68
    'p',        'q',        'r',        's',        't',        'u',        'v',        'w',        // 0x70
    'x',        'y',        'z',        '\u{0AE0}', '\u{0AE1}', '\u{0AE2}', '\u{0AE3}', '\u{0AF1}', // 0x78
]);

/// TS 23.038 Annex A.3.6, "Hindi National Language Locking Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree except at 0x2C
/// (module note 1).
#[rustfmt::skip]
static HINDI_LOCKING: Table = table(&[
    '\u{0901}', '\u{0902}', '\u{0903}', '\u{0905}', '\u{0906}', '\u{0907}', '\u{0908}', '\u{0909}', // 0x00
    '\u{090A}', '\u{090B}', '\n',       '\u{090C}', '\u{090D}', '\r',       '\u{090E}', '\u{090F}', // 0x08
    '\u{0910}', '\u{0911}', '\u{0912}', '\u{0913}', '\u{0914}', '\u{0915}', '\u{0916}', '\u{0917}', // 0x10
    '\u{0918}', '\u{0919}', '\u{091A}', ESC,        '\u{091B}', '\u{091C}', '\u{091D}', '\u{091E}', // 0x18
    ' ',        '!',        '\u{091F}', '\u{0920}', '\u{0921}', '\u{0922}', '\u{0923}', '\u{0924}', // 0x20
    ')',        '(',        '\u{0925}', '\u{0926}', ',',        '\u{0927}', '.',        '\u{0928}', // 0x28
    '0',        '1',        '2',        '3',        '4',        '5',        '6',        '7',        // 0x30
    '8',        '9',        ':',        ';',        '\u{0929}', '\u{092A}', '\u{092B}', '?',        // 0x38
    '\u{092C}', '\u{092D}', '\u{092E}', '\u{092F}', '\u{0930}', '\u{0931}', '\u{0932}', '\u{0933}', // 0x40
    '\u{0934}', '\u{0935}', '\u{0936}', '\u{0937}', '\u{0938}', '\u{0939}', '\u{093C}', '\u{093D}', // 0x48
    '\u{093E}', '\u{093F}', '\u{0940}', '\u{0941}', '\u{0942}', '\u{0943}', '\u{0944}', '\u{0945}', // 0x50
    '\u{0946}', '\u{0947}', '\u{0948}', '\u{0949}', '\u{094A}', '\u{094B}', '\u{094C}', '\u{094D}', // 0x58
    '\u{0950}', 'a',        'b',        'c',        'd',        'e',        'f',        'g',        // 0x60
    'h',        'i',        'j',        'k',        'l',        'm',        'n',        'o',        // 0x68
    'p',        'q',        'r',        's',        't',        'u',        'v',        'w',        // 0x70
    'x',        'y',        'z',        '\u{0972}', '\u{097B}', '\u{097C}', '\u{097E}', '\u{097F}', // 0x78
]);

/// TS 23.038 Annex A.3.7, "Kannada National Language Locking Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree except at 0x2C
/// (module note 1) and 0x24. **0x24 holds U+0CA1 KANNADA LETTER DDA, not
/// the U+0CAA the spec prints** (module note 2); to follow the printed text
/// instead, change that one cell back to `'\u{0CAA}'`.
#[rustfmt::skip]
static KANNADA_LOCKING: Table = table(&[
    __,         '\u{0C82}', '\u{0C83}', '\u{0C85}', '\u{0C86}', '\u{0C87}', '\u{0C88}', '\u{0C89}', // 0x00
    '\u{0C8A}', '\u{0C8B}', '\n',       '\u{0C8C}', __,         '\r',       '\u{0C8E}', '\u{0C8F}', // 0x08
    '\u{0C90}', __,         '\u{0C92}', '\u{0C93}', '\u{0C94}', '\u{0C95}', '\u{0C96}', '\u{0C97}', // 0x10
    '\u{0C98}', '\u{0C99}', '\u{0C9A}', ESC,        '\u{0C9B}', '\u{0C9C}', '\u{0C9D}', '\u{0C9E}', // 0x18
    ' ',        '!',        '\u{0C9F}', '\u{0CA0}', '\u{0CA1}', '\u{0CA2}', '\u{0CA3}', '\u{0CA4}', // 0x20
    ')',        '(',        '\u{0CA5}', '\u{0CA6}', ',',        '\u{0CA7}', '.',        '\u{0CA8}', // 0x28
    '0',        '1',        '2',        '3',        '4',        '5',        '6',        '7',        // 0x30
    '8',        '9',        ':',        ';',        __,         '\u{0CAA}', '\u{0CAB}', '?',        // 0x38
    '\u{0CAC}', '\u{0CAD}', '\u{0CAE}', '\u{0CAF}', '\u{0CB0}', '\u{0CB1}', '\u{0CB2}', '\u{0CB3}', // 0x40
    __,         '\u{0CB5}', '\u{0CB6}', '\u{0CB7}', '\u{0CB8}', '\u{0CB9}', '\u{0CBC}', '\u{0CBD}', // 0x48
    '\u{0CBE}', '\u{0CBF}', '\u{0CC0}', '\u{0CC1}', '\u{0CC2}', '\u{0CC3}', '\u{0CC4}', __,         // 0x50
    '\u{0CC6}', '\u{0CC7}', '\u{0CC8}', __,         '\u{0CCA}', '\u{0CCB}', '\u{0CCC}', '\u{0CCD}', // 0x58
    '\u{0CD5}', 'a',        'b',        'c',        'd',        'e',        'f',        'g',        // 0x60
    'h',        'i',        'j',        'k',        'l',        'm',        'n',        'o',        // 0x68
    'p',        'q',        'r',        's',        't',        'u',        'v',        'w',        // 0x70
    'x',        'y',        'z',        '\u{0CD6}', '\u{0CE0}', '\u{0CE1}', '\u{0CE2}', '\u{0CE3}', // 0x78
]);

/// TS 23.038 Annex A.3.8, "Malayalam National Language Locking Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree except at 0x2C
/// (module note 1).
#[rustfmt::skip]
static MALAYALAM_LOCKING: Table = table(&[
    __,         '\u{0D02}', '\u{0D03}', '\u{0D05}', '\u{0D06}', '\u{0D07}', '\u{0D08}', '\u{0D09}', // 0x00
    '\u{0D0A}', '\u{0D0B}', '\n',       '\u{0D0C}', __,         '\r',       '\u{0D0E}', '\u{0D0F}', // 0x08
    '\u{0D10}', __,         '\u{0D12}', '\u{0D13}', '\u{0D14}', '\u{0D15}', '\u{0D16}', '\u{0D17}', // 0x10
    '\u{0D18}', '\u{0D19}', '\u{0D1A}', ESC,        '\u{0D1B}', '\u{0D1C}', '\u{0D1D}', '\u{0D1E}', // 0x18
    ' ',        '!',        '\u{0D1F}', '\u{0D20}', '\u{0D21}', '\u{0D22}', '\u{0D23}', '\u{0D24}', // 0x20
    ')',        '(',        '\u{0D25}', '\u{0D26}', ',',        '\u{0D27}', '.',        '\u{0D28}', // 0x28
    '0',        '1',        '2',        '3',        '4',        '5',        '6',        '7',        // 0x30
    '8',        '9',        ':',        ';',        __,         '\u{0D2A}', '\u{0D2B}', '?',        // 0x38
    '\u{0D2C}', '\u{0D2D}', '\u{0D2E}', '\u{0D2F}', '\u{0D30}', '\u{0D31}', '\u{0D32}', '\u{0D33}', // 0x40
    '\u{0D34}', '\u{0D35}', '\u{0D36}', '\u{0D37}', '\u{0D38}', '\u{0D39}', __,         '\u{0D3D}', // 0x48
    '\u{0D3E}', '\u{0D3F}', '\u{0D40}', '\u{0D41}', '\u{0D42}', '\u{0D43}', '\u{0D44}', __,         // 0x50
    '\u{0D46}', '\u{0D47}', '\u{0D48}', __,         '\u{0D4A}', '\u{0D4B}', '\u{0D4C}', '\u{0D4D}', // 0x58
    '\u{0D57}', 'a',        'b',        'c',        'd',        'e',        'f',        'g',        // 0x60
    'h',        'i',        'j',        'k',        'l',        'm',        'n',        'o',        // 0x68
    'p',        'q',        'r',        's',        't',        'u',        'v',        'w',        // 0x70
    'x',        'y',        'z',        '\u{0D60}', '\u{0D61}', '\u{0D62}', '\u{0D63}', '\u{0D79}', // 0x78
]);

/// TS 23.038 Annex A.3.9, "Oriya National Language Locking Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree except at 0x2C
/// (module note 1) and at 0x47, where \[L3\] alone differs (note 8).
#[rustfmt::skip]
static ORIYA_LOCKING: Table = table(&[
    '\u{0B01}', '\u{0B02}', '\u{0B03}', '\u{0B05}', '\u{0B06}', '\u{0B07}', '\u{0B08}', '\u{0B09}', // 0x00
    '\u{0B0A}', '\u{0B0B}', '\n',       '\u{0B0C}', __,         '\r',       __,         '\u{0B0F}', // 0x08
    '\u{0B10}', __,         __,         '\u{0B13}', '\u{0B14}', '\u{0B15}', '\u{0B16}', '\u{0B17}', // 0x10
    '\u{0B18}', '\u{0B19}', '\u{0B1A}', ESC,        '\u{0B1B}', '\u{0B1C}', '\u{0B1D}', '\u{0B1E}', // 0x18
    ' ',        '!',        '\u{0B1F}', '\u{0B20}', '\u{0B21}', '\u{0B22}', '\u{0B23}', '\u{0B24}', // 0x20
    ')',        '(',        '\u{0B25}', '\u{0B26}', ',',        '\u{0B27}', '.',        '\u{0B28}', // 0x28
    '0',        '1',        '2',        '3',        '4',        '5',        '6',        '7',        // 0x30
    '8',        '9',        ':',        ';',        __,         '\u{0B2A}', '\u{0B2B}', '?',        // 0x38
    '\u{0B2C}', '\u{0B2D}', '\u{0B2E}', '\u{0B2F}', '\u{0B30}', __,         '\u{0B32}', '\u{0B33}', // 0x40
    __,         '\u{0B35}', '\u{0B36}', '\u{0B37}', '\u{0B38}', '\u{0B39}', '\u{0B3C}', '\u{0B3D}', // 0x48
    '\u{0B3E}', '\u{0B3F}', '\u{0B40}', '\u{0B41}', '\u{0B42}', '\u{0B43}', '\u{0B44}', __,         // 0x50
    __,         '\u{0B47}', '\u{0B48}', __,         __,         '\u{0B4B}', '\u{0B4C}', '\u{0B4D}', // 0x58
    '\u{0B56}', 'a',        'b',        'c',        'd',        'e',        'f',        'g',        // 0x60
    'h',        'i',        'j',        'k',        'l',        'm',        'n',        'o',        // 0x68
    'p',        'q',        'r',        's',        't',        'u',        'v',        'w',        // 0x70
    'x',        'y',        'z',        '\u{0B57}', '\u{0B60}', '\u{0B61}', '\u{0B62}', '\u{0B63}', // 0x78
]);

/// TS 23.038 Annex A.3.10, "Punjabi National Language Locking Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree except at 0x2C
/// (module note 1).
#[rustfmt::skip]
static PUNJABI_LOCKING: Table = table(&[
    '\u{0A01}', '\u{0A02}', '\u{0A03}', '\u{0A05}', '\u{0A06}', '\u{0A07}', '\u{0A08}', '\u{0A09}', // 0x00
    '\u{0A0A}', __,         '\n',       __,         __,         '\r',       __,         '\u{0A0F}', // 0x08
    '\u{0A10}', __,         __,         '\u{0A13}', '\u{0A14}', '\u{0A15}', '\u{0A16}', '\u{0A17}', // 0x10
    '\u{0A18}', '\u{0A19}', '\u{0A1A}', ESC,        '\u{0A1B}', '\u{0A1C}', '\u{0A1D}', '\u{0A1E}', // 0x18
    ' ',        '!',        '\u{0A1F}', '\u{0A20}', '\u{0A21}', '\u{0A22}', '\u{0A23}', '\u{0A24}', // 0x20
    ')',        '(',        '\u{0A25}', '\u{0A26}', ',',        '\u{0A27}', '.',        '\u{0A28}', // 0x28
    '0',        '1',        '2',        '3',        '4',        '5',        '6',        '7',        // 0x30
    '8',        '9',        ':',        ';',        __,         '\u{0A2A}', '\u{0A2B}', '?',        // 0x38
    '\u{0A2C}', '\u{0A2D}', '\u{0A2E}', '\u{0A2F}', '\u{0A30}', __,         '\u{0A32}', '\u{0A33}', // 0x40
    __,         '\u{0A35}', '\u{0A36}', __,         '\u{0A38}', '\u{0A39}', '\u{0A3C}', __,         // 0x48
    '\u{0A3E}', '\u{0A3F}', '\u{0A40}', '\u{0A41}', '\u{0A42}', __,         __,         __,         // 0x50
    __,         '\u{0A47}', '\u{0A48}', __,         __,         '\u{0A4B}', '\u{0A4C}', '\u{0A4D}', // 0x58
    '\u{0A51}', 'a',        'b',        'c',        'd',        'e',        'f',        'g',        // 0x60
    'h',        'i',        'j',        'k',        'l',        'm',        'n',        'o',        // 0x68
    'p',        'q',        'r',        's',        't',        'u',        'v',        'w',        // 0x70
    'x',        'y',        'z',        '\u{0A70}', '\u{0A71}', '\u{0A72}', '\u{0A73}', '\u{0A74}', // 0x78
]);

/// TS 23.038 Annex A.3.11, "Tamil National Language Locking Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree except at 0x2C
/// (module note 1) and at 0x11, where \[CC\] alone differs (note 6).
#[rustfmt::skip]
static TAMIL_LOCKING: Table = table(&[
    __,         '\u{0B82}', '\u{0B83}', '\u{0B85}', '\u{0B86}', '\u{0B87}', '\u{0B88}', '\u{0B89}', // 0x00
    '\u{0B8A}', __,         '\n',       __,         __,         '\r',       '\u{0B8E}', '\u{0B8F}', // 0x08
    '\u{0B90}', __,         '\u{0B92}', '\u{0B93}', '\u{0B94}', '\u{0B95}', __,         __,         // 0x10
    __,         '\u{0B99}', '\u{0B9A}', ESC,        __,         '\u{0B9C}', __,         '\u{0B9E}', // 0x18
    ' ',        '!',        '\u{0B9F}', __,         __,         __,         '\u{0BA3}', '\u{0BA4}', // 0x20
    ')',        '(',        __,         __,         ',',        __,         '.',        '\u{0BA8}', // 0x28
    '0',        '1',        '2',        '3',        '4',        '5',        '6',        '7',        // 0x30
    '8',        '9',        ':',        ';',        '\u{0BA9}', '\u{0BAA}', __,         '?',        // 0x38
    __,         __,         '\u{0BAE}', '\u{0BAF}', '\u{0BB0}', '\u{0BB1}', '\u{0BB2}', '\u{0BB3}', // 0x40
    '\u{0BB4}', '\u{0BB5}', '\u{0BB6}', '\u{0BB7}', '\u{0BB8}', '\u{0BB9}', __,         __,         // 0x48
    '\u{0BBE}', '\u{0BBF}', '\u{0BC0}', '\u{0BC1}', '\u{0BC2}', __,         __,         __,         // 0x50
    '\u{0BC6}', '\u{0BC7}', '\u{0BC8}', __,         '\u{0BCA}', '\u{0BCB}', '\u{0BCC}', '\u{0BCD}', // 0x58
    '\u{0BD0}', 'a',        'b',        'c',        'd',        'e',        'f',        'g',        // 0x60
    'h',        'i',        'j',        'k',        'l',        'm',        'n',        'o',        // 0x68
    'p',        'q',        'r',        's',        't',        'u',        'v',        'w',        // 0x70
    'x',        'y',        'z',        '\u{0BD7}', '\u{0BF0}', '\u{0BF1}', '\u{0BF2}', '\u{0BF9}', // 0x78
]);

/// TS 23.038 Annex A.3.12, "Telugu National Language Locking Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree except at 0x2C
/// (module note 1) and at 0x11, where \[CC\] alone differs (note 6).
#[rustfmt::skip]
static TELUGU_LOCKING: Table = table(&[
    '\u{0C01}', '\u{0C02}', '\u{0C03}', '\u{0C05}', '\u{0C06}', '\u{0C07}', '\u{0C08}', '\u{0C09}', // 0x00
    '\u{0C0A}', '\u{0C0B}', '\n',       '\u{0C0C}', __,         '\r',       '\u{0C0E}', '\u{0C0F}', // 0x08
    '\u{0C10}', __,         '\u{0C12}', '\u{0C13}', '\u{0C14}', '\u{0C15}', '\u{0C16}', '\u{0C17}', // 0x10
    '\u{0C18}', '\u{0C19}', '\u{0C1A}', ESC,        '\u{0C1B}', '\u{0C1C}', '\u{0C1D}', '\u{0C1E}', // 0x18
    ' ',        '!',        '\u{0C1F}', '\u{0C20}', '\u{0C21}', '\u{0C22}', '\u{0C23}', '\u{0C24}', // 0x20
    ')',        '(',        '\u{0C25}', '\u{0C26}', ',',        '\u{0C27}', '.',        '\u{0C28}', // 0x28
    '0',        '1',        '2',        '3',        '4',        '5',        '6',        '7',        // 0x30
    '8',        '9',        ':',        ';',        __,         '\u{0C2A}', '\u{0C2B}', '?',        // 0x38
    '\u{0C2C}', '\u{0C2D}', '\u{0C2E}', '\u{0C2F}', '\u{0C30}', '\u{0C31}', '\u{0C32}', '\u{0C33}', // 0x40
    __,         '\u{0C35}', '\u{0C36}', '\u{0C37}', '\u{0C38}', '\u{0C39}', __,         '\u{0C3D}', // 0x48
    '\u{0C3E}', '\u{0C3F}', '\u{0C40}', '\u{0C41}', '\u{0C42}', '\u{0C43}', '\u{0C44}', __,         // 0x50
    '\u{0C46}', '\u{0C47}', '\u{0C48}', __,         '\u{0C4A}', '\u{0C4B}', '\u{0C4C}', '\u{0C4D}', // 0x58
    '\u{0C55}', 'a',        'b',        'c',        'd',        'e',        'f',        'g',        // 0x60
    'h',        'i',        'j',        'k',        'l',        'm',        'n',        'o',        // 0x68
    'p',        'q',        'r',        's',        't',        'u',        'v',        'w',        // 0x70
    'x',        'y',        'z',        '\u{0C56}', '\u{0C60}', '\u{0C61}', '\u{0C62}', '\u{0C63}', // 0x78
]);

/// TS 23.038 Annex A.3.13, "Urdu National Language Locking Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree except at 0x2C
/// (module note 1).
#[rustfmt::skip]
static URDU_LOCKING: Table = table(&[
    '\u{0627}', '\u{0622}', '\u{0628}', '\u{067B}', '\u{0680}', '\u{067E}', '\u{06A6}', '\u{062A}', // 0x00
    '\u{06C2}', '\u{067F}', '\n',       '\u{0679}', '\u{067D}', '\r',       '\u{067A}', '\u{067C}', // 0x08
    '\u{062B}', '\u{062C}', '\u{0681}', '\u{0684}', '\u{0683}', '\u{0685}', '\u{0686}', '\u{0687}', // 0x10
    '\u{062D}', '\u{062E}', '\u{062F}', ESC,        '\u{068C}', '\u{0688}', '\u{0689}', '\u{068A}', // 0x18
    ' ',        '!',        '\u{068F}', '\u{068D}', '\u{0630}', '\u{0631}', '\u{0691}', '\u{0693}', // 0x20
    ')',        '(',        '\u{0699}', '\u{0632}', ',',        '\u{0696}', '.',        '\u{0698}', // 0x28
    '0',        '1',        '2',        '3',        '4',        '5',        '6',        '7',        // 0x30
    '8',        '9',        ':',        ';',        '\u{069A}', '\u{0633}', '\u{0634}', '?',        // 0x38
    '\u{0635}', '\u{0636}', '\u{0637}', '\u{0638}', '\u{0639}', '\u{0641}', '\u{0642}', '\u{06A9}', // 0x40
    '\u{06AA}', '\u{06AB}', '\u{06AF}', '\u{06B3}', '\u{06B1}', '\u{0644}', '\u{0645}', '\u{0646}', // 0x48
    '\u{06BA}', '\u{06BB}', '\u{06BC}', '\u{0648}', '\u{06C4}', '\u{06D5}', '\u{06C1}', '\u{06BE}', // 0x50
    '\u{0621}', '\u{06CC}', '\u{06D0}', '\u{06D2}', '\u{064D}', '\u{0650}', '\u{064F}', '\u{0657}', // 0x58
    '\u{0654}', 'a',        'b',        'c',        'd',        'e',        'f',        'g',        // 0x60
    'h',        'i',        'j',        'k',        'l',        'm',        'n',        'o',        // 0x68
    'p',        'q',        'r',        's',        't',        'u',        'v',        'w',        // 0x70
    'x',        'y',        'z',        '\u{0655}', '\u{0651}', '\u{0653}', '\u{0656}', '\u{0670}', // 0x78
]);

// ---------------------------------------------------------------------------
// Annex A.2: single shift tables
// ---------------------------------------------------------------------------

/// TS 23.038 Annex A.2.1, "Turkish National Language Single Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree on every cell.
#[rustfmt::skip]
static TURKISH_SINGLE: Table = sparse(&[
    (0x0A, '\u{0C}'), (0x14, '^'), (0x28, '{'), (0x29, '}'), (0x2F, '\\'), (0x3C, '['),
    (0x3D, '~'), (0x3E, ']'), (0x40, '|'), (0x47, 'Ğ'), (0x49, 'İ'), (0x53, 'Ş'), (0x63, 'ç'),
    (0x65, '€'), (0x67, 'ğ'), (0x69, 'ı'), (0x73, 'ş'),
]);

/// TS 23.038 Annex A.2.2, "Spanish National Language Single Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree on every cell.
#[rustfmt::skip]
static SPANISH_SINGLE: Table = sparse(&[
    (0x09, 'ç'), (0x0A, '\u{0C}'), (0x14, '^'), (0x28, '{'), (0x29, '}'), (0x2F, '\\'),
    (0x3C, '['), (0x3D, '~'), (0x3E, ']'), (0x40, '|'), (0x41, 'Á'), (0x49, 'Í'), (0x4F, 'Ó'),
    (0x55, 'Ú'), (0x61, 'á'), (0x65, '€'), (0x69, 'í'), (0x6F, 'ó'), (0x75, 'ú'),
]);

/// TS 23.038 Annex A.2.3, "Portuguese National Language Single Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree except at 0x05,
/// which \[CC\] alone omits (module note 7).
#[rustfmt::skip]
static PORTUGUESE_SINGLE: Table = sparse(&[
    (0x05, 'ê'), (0x09, 'ç'), (0x0A, '\u{0C}'), (0x0B, 'Ô'), (0x0C, 'ô'), (0x0E, 'Á'),
    (0x0F, 'á'), (0x12, 'Φ'), (0x13, 'Γ'), (0x14, '^'), (0x15, 'Ω'), (0x16, 'Π'), (0x17, 'Ψ'),
    (0x18, 'Σ'), (0x19, 'Θ'), (0x1F, 'Ê'), (0x28, '{'), (0x29, '}'), (0x2F, '\\'), (0x3C, '['),
    (0x3D, '~'), (0x3E, ']'), (0x40, '|'), (0x41, 'À'), (0x49, 'Í'), (0x4F, 'Ó'), (0x55, 'Ú'),
    (0x5B, 'Ã'), (0x5C, 'Õ'), (0x61, 'Â'), (0x65, '€'), (0x69, 'í'), (0x6F, 'ó'), (0x75, 'ú'),
    (0x7B, 'ã'), (0x7C, 'õ'), (0x7F, 'â'),
]);

/// TS 23.038 Annex A.2.4, "Bengali National Language Single Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree on every cell.
#[rustfmt::skip]
static BENGALI_SINGLE: Table = table(&[
    '@',        '£',        '$',        '¥',        '¿',        '"',        '¤',        '%',        // 0x00
    '&',        '\'',       '\u{0C}',   '*',        '+',        __,         '-',        '/',        // 0x08
    '<',        '=',        '>',        '¡',        '^',        '¡',        '_',        '#',        // 0x10
    '*',        '\u{09E6}', '\u{09E7}', ESC,        '\u{09E8}', '\u{09E9}', '\u{09EA}', '\u{09EB}', // 0x18
    '\u{09EC}', '\u{09ED}', '\u{09EE}', '\u{09EF}', '\u{09DF}', '\u{09E0}', '\u{09E1}', '\u{09E2}', // 0x20
    '{',        '}',        '\u{09E3}', '\u{09F2}', '\u{09F3}', '\u{09F4}', '\u{09F5}', '\\',       // 0x28
    '\u{09F6}', '\u{09F7}', '\u{09F8}', '\u{09F9}', '\u{09FA}', __,         __,         __,         // 0x30
    __,         __,         __,         __,         '[',        '~',        ']',        __,         // 0x38
    '|',        'A',        'B',        'C',        'D',        'E',        'F',        'G',        // 0x40
    'H',        'I',        'J',        'K',        'L',        'M',        'N',        'O',        // 0x48
    'P',        'Q',        'R',        'S',        'T',        'U',        'V',        'W',        // 0x50
    'X',        'Y',        'Z',        __,         __,         __,         __,         __,         // 0x58
    __,         __,         __,         __,         __,         '€',        __,         __,         // 0x60
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x68
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x70
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x78
]);

/// TS 23.038 Annex A.2.5, "Gujarati National Language Single Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree on every cell.
#[rustfmt::skip]
static GUJARATI_SINGLE: Table = table(&[
    '@',        '£',        '$',        '¥',        '¿',        '"',        '¤',        '%',        // 0x00
    '&',        '\'',       '\u{0C}',   '*',        '+',        __,         '-',        '/',        // 0x08
    '<',        '=',        '>',        '¡',        '^',        '¡',        '_',        '#',        // 0x10
    '*',        '\u{0964}', '\u{0965}', ESC,        '\u{0AE6}', '\u{0AE7}', '\u{0AE8}', '\u{0AE9}', // 0x18
    '\u{0AEA}', '\u{0AEB}', '\u{0AEC}', '\u{0AED}', '\u{0AEE}', '\u{0AEF}', __,         __,         // 0x20
    '{',        '}',        __,         __,         __,         __,         __,         '\\',       // 0x28
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x30
    __,         __,         __,         __,         '[',        '~',        ']',        __,         // 0x38
    '|',        'A',        'B',        'C',        'D',        'E',        'F',        'G',        // 0x40
    'H',        'I',        'J',        'K',        'L',        'M',        'N',        'O',        // 0x48
    'P',        'Q',        'R',        'S',        'T',        'U',        'V',        'W',        // 0x50
    'X',        'Y',        'Z',        __,         __,         __,         __,         __,         // 0x58
    __,         __,         __,         __,         __,         '€',        __,         __,         // 0x60
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x68
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x70
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x78
]);

/// TS 23.038 Annex A.2.6, "Hindi National Language Single Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree on every cell.
#[rustfmt::skip]
static HINDI_SINGLE: Table = table(&[
    '@',        '£',        '$',        '¥',        '¿',        '"',        '¤',        '%',        // 0x00
    '&',        '\'',       '\u{0C}',   '*',        '+',        __,         '-',        '/',        // 0x08
    '<',        '=',        '>',        '¡',        '^',        '¡',        '_',        '#',        // 0x10
    '*',        '\u{0964}', '\u{0965}', ESC,        '\u{0966}', '\u{0967}', '\u{0968}', '\u{0969}', // 0x18
    '\u{096A}', '\u{096B}', '\u{096C}', '\u{096D}', '\u{096E}', '\u{096F}', '\u{0951}', '\u{0952}', // 0x20
    '{',        '}',        '\u{0953}', '\u{0954}', '\u{0958}', '\u{0959}', '\u{095A}', '\\',       // 0x28
    '\u{095B}', '\u{095C}', '\u{095D}', '\u{095E}', '\u{095F}', '\u{0960}', '\u{0961}', '\u{0962}', // 0x30
    '\u{0963}', '\u{0970}', '\u{0971}', __,         '[',        '~',        ']',        __,         // 0x38
    '|',        'A',        'B',        'C',        'D',        'E',        'F',        'G',        // 0x40
    'H',        'I',        'J',        'K',        'L',        'M',        'N',        'O',        // 0x48
    'P',        'Q',        'R',        'S',        'T',        'U',        'V',        'W',        // 0x50
    'X',        'Y',        'Z',        __,         __,         __,         __,         __,         // 0x58
    __,         __,         __,         __,         __,         '€',        __,         __,         // 0x60
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x68
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x70
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x78
]);

/// TS 23.038 Annex A.2.7, "Kannada National Language Single Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\], \[W618\] agree on every
/// cell.
#[rustfmt::skip]
static KANNADA_SINGLE: Table = table(&[
    '@',        '£',        '$',        '¥',        '¿',        '"',        '¤',        '%',        // 0x00
    '&',        '\'',       '\u{0C}',   '*',        '+',        __,         '-',        '/',        // 0x08
    '<',        '=',        '>',        '¡',        '^',        '¡',        '_',        '#',        // 0x10
    '*',        '\u{0964}', '\u{0965}', ESC,        '\u{0CE6}', '\u{0CE7}', '\u{0CE8}', '\u{0CE9}', // 0x18
    '\u{0CEA}', '\u{0CEB}', '\u{0CEC}', '\u{0CED}', '\u{0CEE}', '\u{0CEF}', '\u{0CDE}', '\u{0CF1}', // 0x20
    '{',        '}',        '\u{0CF2}', __,         __,         __,         __,         '\\',       // 0x28
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x30
    __,         __,         __,         __,         '[',        '~',        ']',        __,         // 0x38
    '|',        'A',        'B',        'C',        'D',        'E',        'F',        'G',        // 0x40
    'H',        'I',        'J',        'K',        'L',        'M',        'N',        'O',        // 0x48
    'P',        'Q',        'R',        'S',        'T',        'U',        'V',        'W',        // 0x50
    'X',        'Y',        'Z',        __,         __,         __,         __,         __,         // 0x58
    __,         __,         __,         __,         __,         '€',        __,         __,         // 0x60
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x68
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x70
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x78
]);

/// TS 23.038 Annex A.2.8, "Malayalam National Language Single Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree on every cell.
#[rustfmt::skip]
static MALAYALAM_SINGLE: Table = table(&[
    '@',        '£',        '$',        '¥',        '¿',        '"',        '¤',        '%',        // 0x00
    '&',        '\'',       '\u{0C}',   '*',        '+',        __,         '-',        '/',        // 0x08
    '<',        '=',        '>',        '¡',        '^',        '¡',        '_',        '#',        // 0x10
    '*',        '\u{0964}', '\u{0965}', ESC,        '\u{0D66}', '\u{0D67}', '\u{0D68}', '\u{0D69}', // 0x18
    '\u{0D6A}', '\u{0D6B}', '\u{0D6C}', '\u{0D6D}', '\u{0D6E}', '\u{0D6F}', '\u{0D70}', '\u{0D71}', // 0x20
    '{',        '}',        '\u{0D72}', '\u{0D73}', '\u{0D74}', '\u{0D75}', '\u{0D7A}', '\\',       // 0x28
    '\u{0D7B}', '\u{0D7C}', '\u{0D7D}', '\u{0D7E}', '\u{0D7F}', __,         __,         __,         // 0x30
    __,         __,         __,         __,         '[',        '~',        ']',        __,         // 0x38
    '|',        'A',        'B',        'C',        'D',        'E',        'F',        'G',        // 0x40
    'H',        'I',        'J',        'K',        'L',        'M',        'N',        'O',        // 0x48
    'P',        'Q',        'R',        'S',        'T',        'U',        'V',        'W',        // 0x50
    'X',        'Y',        'Z',        __,         __,         __,         __,         __,         // 0x58
    __,         __,         __,         __,         __,         '€',        __,         __,         // 0x60
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x68
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x70
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x78
]);

/// TS 23.038 Annex A.2.9, "Oriya National Language Single Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree except at 0x20,
/// where \[CC\] alone differs (module note 8).
#[rustfmt::skip]
static ORIYA_SINGLE: Table = table(&[
    '@',        '£',        '$',        '¥',        '¿',        '"',        '¤',        '%',        // 0x00
    '&',        '\'',       '\u{0C}',   '*',        '+',        __,         '-',        '/',        // 0x08
    '<',        '=',        '>',        '¡',        '^',        '¡',        '_',        '#',        // 0x10
    '*',        '\u{0964}', '\u{0965}', ESC,        '\u{0B66}', '\u{0B67}', '\u{0B68}', '\u{0B69}', // 0x18
    '\u{0B6A}', '\u{0B6B}', '\u{0B6C}', '\u{0B6D}', '\u{0B6E}', '\u{0B6F}', '\u{0B5C}', '\u{0B5D}', // 0x20
    '{',        '}',        '\u{0B5F}', '\u{0B70}', '\u{0B71}', __,         __,         '\\',       // 0x28
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x30
    __,         __,         __,         __,         '[',        '~',        ']',        __,         // 0x38
    '|',        'A',        'B',        'C',        'D',        'E',        'F',        'G',        // 0x40
    'H',        'I',        'J',        'K',        'L',        'M',        'N',        'O',        // 0x48
    'P',        'Q',        'R',        'S',        'T',        'U',        'V',        'W',        // 0x50
    'X',        'Y',        'Z',        __,         __,         __,         __,         __,         // 0x58
    __,         __,         __,         __,         __,         '€',        __,         __,         // 0x60
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x68
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x70
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x78
]);

/// TS 23.038 Annex A.2.10, "Punjabi National Language Single Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree except at 0x23,
/// where \[L3\] alone differs (module note 8).
#[rustfmt::skip]
static PUNJABI_SINGLE: Table = table(&[
    '@',        '£',        '$',        '¥',        '¿',        '"',        '¤',        '%',        // 0x00
    '&',        '\'',       '\u{0C}',   '*',        '+',        __,         '-',        '/',        // 0x08
    '<',        '=',        '>',        '¡',        '^',        '¡',        '_',        '#',        // 0x10
    '*',        '\u{0964}', '\u{0965}', ESC,        '\u{0A66}', '\u{0A67}', '\u{0A68}', '\u{0A69}', // 0x18
    '\u{0A6A}', '\u{0A6B}', '\u{0A6C}', '\u{0A6D}', '\u{0A6E}', '\u{0A6F}', '\u{0A59}', '\u{0A5A}', // 0x20
    '{',        '}',        '\u{0A5B}', '\u{0A5C}', '\u{0A5E}', '\u{0A75}', __,         '\\',       // 0x28
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x30
    __,         __,         __,         __,         '[',        '~',        ']',        __,         // 0x38
    '|',        'A',        'B',        'C',        'D',        'E',        'F',        'G',        // 0x40
    'H',        'I',        'J',        'K',        'L',        'M',        'N',        'O',        // 0x48
    'P',        'Q',        'R',        'S',        'T',        'U',        'V',        'W',        // 0x50
    'X',        'Y',        'Z',        __,         __,         __,         __,         __,         // 0x58
    __,         __,         __,         __,         __,         '€',        __,         __,         // 0x60
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x68
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x70
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x78
]);

/// TS 23.038 Annex A.2.11, "Tamil National Language Single Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\]; 0x24 follows V18.0.0
/// (module note 3).
#[rustfmt::skip]
static TAMIL_SINGLE: Table = table(&[
    '@',        '£',        '$',        '¥',        '¿',        '"',        '¤',        '%',        // 0x00
    '&',        '\'',       '\u{0C}',   '*',        '+',        __,         '-',        '/',        // 0x08
    '<',        '=',        '>',        '¡',        '^',        '¡',        '_',        '#',        // 0x10
    '*',        '\u{0964}', '\u{0965}', ESC,        '\u{0BE6}', '\u{0BE7}', '\u{0BE8}', '\u{0BE9}', // 0x18
    '\u{0BEA}', '\u{0BEB}', '\u{0BEC}', '\u{0BED}', '\u{0BEE}', '\u{0BEF}', '\u{0BF3}', '\u{0BF4}', // 0x20
    '{',        '}',        '\u{0BF5}', '\u{0BF6}', '\u{0BF7}', '\u{0BF8}', '\u{0BFA}', '\\',       // 0x28
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x30
    __,         __,         __,         __,         '[',        '~',        ']',        __,         // 0x38
    '|',        'A',        'B',        'C',        'D',        'E',        'F',        'G',        // 0x40
    'H',        'I',        'J',        'K',        'L',        'M',        'N',        'O',        // 0x48
    'P',        'Q',        'R',        'S',        'T',        'U',        'V',        'W',        // 0x50
    'X',        'Y',        'Z',        __,         __,         __,         __,         __,         // 0x58
    __,         __,         __,         __,         __,         '€',        __,         __,         // 0x60
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x68
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x70
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x78
]);

/// TS 23.038 Annex A.2.12, "Telugu National Language Single Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\], \[W618\]. 0x22 and 0x23
/// follow V18.0.0 (module note 4). **0x65 is undefined: the spec has no `€`
/// in this table** (module note 5), and 0x19 and 0x1A (the dandas of the
/// other Indic tables) are undefined too.
#[rustfmt::skip]
static TELUGU_SINGLE: Table = table(&[
    '@',        '£',        '$',        '¥',        '¿',        '"',        '¤',        '%',        // 0x00
    '&',        '\'',       '\u{0C}',   '*',        '+',        __,         '-',        '/',        // 0x08
    '<',        '=',        '>',        '¡',        '^',        '¡',        '_',        '#',        // 0x10
    '*',        __,         __,         ESC,        '\u{0C66}', '\u{0C67}', '\u{0C68}', '\u{0C69}', // 0x18
    '\u{0C6A}', '\u{0C6B}', '\u{0C6C}', '\u{0C6D}', '\u{0C6E}', '\u{0C6F}', '\u{0C58}', '\u{0C59}', // 0x20
    '{',        '}',        '\u{0C78}', '\u{0C79}', '\u{0C7A}', '\u{0C7B}', '\u{0C7C}', '\\',       // 0x28
    '\u{0C7D}', '\u{0C7E}', '\u{0C7F}', __,         __,         __,         __,         __,         // 0x30
    __,         __,         __,         __,         '[',        '~',        ']',        __,         // 0x38
    '|',        'A',        'B',        'C',        'D',        'E',        'F',        'G',        // 0x40
    'H',        'I',        'J',        'K',        'L',        'M',        'N',        'O',        // 0x48
    'P',        'Q',        'R',        'S',        'T',        'U',        'V',        'W',        // 0x50
    'X',        'Y',        'Z',        __,         __,         __,         __,         __,         // 0x58
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x60
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x68
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x70
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x78
]);

/// TS 23.038 Annex A.2.13, "Urdu National Language Single Shift Table".
///
/// Cross-checked: \[GC\], \[AOSP\], \[CC\], \[L3\] agree on every cell.
#[rustfmt::skip]
static URDU_SINGLE: Table = table(&[
    '@',        '£',        '$',        '¥',        '¿',        '"',        '¤',        '%',        // 0x00
    '&',        '\'',       '\u{0C}',   '*',        '+',        __,         '-',        '/',        // 0x08
    '<',        '=',        '>',        '¡',        '^',        '¡',        '_',        '#',        // 0x10
    '*',        '\u{0600}', '\u{0601}', ESC,        '\u{06F0}', '\u{06F1}', '\u{06F2}', '\u{06F3}', // 0x18
    '\u{06F4}', '\u{06F5}', '\u{06F6}', '\u{06F7}', '\u{06F8}', '\u{06F9}', '\u{060C}', '\u{060D}', // 0x20
    '{',        '}',        '\u{060E}', '\u{060F}', '\u{0610}', '\u{0611}', '\u{0612}', '\\',       // 0x28
    '\u{0613}', '\u{0614}', '\u{061B}', '\u{061F}', '\u{0640}', '\u{0652}', '\u{0658}', '\u{066B}', // 0x30
    '\u{066C}', '\u{0672}', '\u{0673}', '\u{06CD}', '[',        '~',        ']',        '\u{06D4}', // 0x38
    '|',        'A',        'B',        'C',        'D',        'E',        'F',        'G',        // 0x40
    'H',        'I',        'J',        'K',        'L',        'M',        'N',        'O',        // 0x48
    'P',        'Q',        'R',        'S',        'T',        'U',        'V',        'W',        // 0x50
    'X',        'Y',        'Z',        __,         __,         __,         __,         __,         // 0x58
    __,         __,         __,         __,         __,         '€',        __,         __,         // 0x60
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x68
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x70
    __,         __,         __,         __,         __,         __,         __,         __,         // 0x78
]);

#[cfg(test)]
#[path = "national_tests.rs"]
mod tests;
