//! Tests for the national language tables of TS 23.038 Annex A.
//!
//! The expected values below were read off the spec transcriptions listed in
//! the parent module's documentation (\[GC\] for V18.0.0, checked against
//! \[AOSP\]), not derived from the tables under test.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use super::super::{DEFAULT, DEFAULT_EXTENSION, ESCAPE};
use super::*;
use Language::*;

/// The languages whose tables follow the Annex A layout for Indic scripts
/// (Urdu included): locking tables hold the script plus digits, small Latin
/// letters and a little punctuation; single shift tables hold the rest.
const INDIC_LAYOUT: [Language; 10] =
    [Bengali, Gujarati, Hindi, Kannada, Malayalam, Oriya, Punjabi, Tamil, Telugu, Urdu];

const LATIN: [Language; 3] = [Turkish, Spanish, Portuguese];

fn locking(lang: Language) -> &'static Table {
    locking_shift(lang).unwrap_or_else(|| panic!("{} has no locking shift table", lang.name()))
}

/// Every table with a label, for the checks that apply to all of them.
fn all_tables() -> Vec<(String, &'static Table)> {
    let mut out = Vec::new();
    for lang in Language::ALL {
        if let Some(t) = locking_shift(lang) {
            out.push((format!("{} locking", lang.name()), t));
        }
        out.push((format!("{} single shift", lang.name()), single_shift(lang)));
    }
    out
}

/// The defined entries of `t` that satisfy `keep`, by code point.
fn entries(t: &Table, keep: impl Fn(char) -> bool) -> BTreeMap<usize, char> {
    t.iter().enumerate().filter_map(|(code, c)| c.filter(|c| keep(*c)).map(|c| (code, c))).collect()
}

/// Characters that sit at more than one code point of `t`.
fn duplicates(t: &Table) -> BTreeMap<char, Vec<usize>> {
    let mut seen: BTreeMap<char, Vec<usize>> = BTreeMap::new();
    for (code, c) in t.iter().enumerate() {
        if let Some(c) = c {
            seen.entry(*c).or_default().push(code);
        }
    }
    seen.retain(|_, codes| codes.len() > 1);
    seen
}

/// The Unicode block of the script of an Indic-layout language.
fn script_block(lang: Language) -> RangeInclusive<char> {
    match lang {
        Hindi => '\u{0900}'..='\u{097F}',
        Bengali => '\u{0980}'..='\u{09FF}',
        Punjabi => '\u{0A00}'..='\u{0A7F}',
        Gujarati => '\u{0A80}'..='\u{0AFF}',
        Oriya => '\u{0B00}'..='\u{0B7F}',
        Tamil => '\u{0B80}'..='\u{0BFF}',
        Telugu => '\u{0C00}'..='\u{0C7F}',
        Kannada => '\u{0C80}'..='\u{0CFF}',
        Malayalam => '\u{0D00}'..='\u{0D7F}',
        Urdu => '\u{0600}'..='\u{06FF}',
        Turkish | Spanish | Portuguese => panic!("{} is not an Indic-layout language", lang.name()),
    }
}

#[test]
fn spanish_alone_has_no_locking_shift_table() {
    for lang in Language::ALL {
        assert_eq!(locking_shift(lang).is_none(), lang == Spanish, "{}", lang.name());
    }
}

#[test]
fn escape_position_is_none_in_every_table() {
    for (name, t) in all_tables() {
        assert_eq!(t[ESCAPE as usize], None, "{name}");
    }
}

#[test]
fn every_language_has_tables_of_its_own() {
    for (i, a) in Language::ALL.into_iter().enumerate() {
        for b in Language::ALL.into_iter().skip(i + 1) {
            assert_ne!(single_shift(a), single_shift(b), "{} / {}", a.name(), b.name());
            if let (Some(ta), Some(tb)) = (locking_shift(a), locking_shift(b)) {
                assert_ne!(ta, tb, "{} / {}", a.name(), b.name());
            }
        }
    }
}

#[test]
fn locking_spot_checks() {
    let cases: &[(Language, u8, Option<char>)] = &[
        // A.3.1 Turkish
        (Turkish, 0x04, Some('€')),
        (Turkish, 0x07, Some('ı')),
        (Turkish, 0x0B, Some('Ğ')),
        (Turkish, 0x0C, Some('ğ')),
        (Turkish, 0x1C, Some('Ş')),
        (Turkish, 0x1D, Some('ş')),
        (Turkish, 0x1F, Some('É')),
        (Turkish, 0x40, Some('İ')),
        (Turkish, 0x60, Some('ç')),
        // A.3.3 Portuguese
        (Portuguese, 0x04, Some('ê')),
        (Portuguese, 0x12, Some('ª')),
        (Portuguese, 0x15, Some('∞')),
        (Portuguese, 0x16, Some('^')),
        (Portuguese, 0x17, Some('\\')),
        (Portuguese, 0x18, Some('€')),
        (Portuguese, 0x1A, Some('|')),
        (Portuguese, 0x1F, Some('É')),
        (Portuguese, 0x24, Some('º')),
        (Portuguese, 0x60, Some('~')),
        (Portuguese, 0x7D, Some('`')),
        // A.3.4 Bengali
        (Bengali, 0x00, Some('\u{0981}')),
        (Bengali, 0x0C, None),
        (Bengali, 0x11, None),
        (Bengali, 0x45, None),
        (Bengali, 0x60, Some('\u{09CE}')),
        (Bengali, 0x7F, Some('\u{09F1}')),
        // A.3.5 Gujarati
        (Gujarati, 0x0E, None),
        (Gujarati, 0x11, Some('\u{0A91}')),
        (Gujarati, 0x5B, Some('\u{0AC9}')),
        (Gujarati, 0x60, Some('\u{0AD0}')),
        (Gujarati, 0x7F, Some('\u{0AF1}')),
        // A.3.6 Hindi
        (Hindi, 0x3C, Some('\u{0929}')),
        (Hindi, 0x48, Some('\u{0934}')),
        (Hindi, 0x60, Some('\u{0950}')),
        (Hindi, 0x7B, Some('\u{0972}')),
        (Hindi, 0x7F, Some('\u{097F}')),
        // A.3.7 Kannada (0x24: see kannada_locking_0x24_is_dda)
        (Kannada, 0x00, None),
        (Kannada, 0x3D, Some('\u{0CAA}')),
        (Kannada, 0x60, Some('\u{0CD5}')),
        (Kannada, 0x7B, Some('\u{0CD6}')),
        // A.3.8 Malayalam
        (Malayalam, 0x00, None),
        (Malayalam, 0x4E, None),
        (Malayalam, 0x60, Some('\u{0D57}')),
        (Malayalam, 0x7F, Some('\u{0D79}')),
        // A.3.9 Oriya
        (Oriya, 0x00, Some('\u{0B01}')),
        (Oriya, 0x47, Some('\u{0B33}')),
        (Oriya, 0x60, Some('\u{0B56}')),
        (Oriya, 0x7B, Some('\u{0B57}')),
        // A.3.10 Punjabi
        (Punjabi, 0x09, None),
        (Punjabi, 0x0B, None),
        (Punjabi, 0x4F, None),
        (Punjabi, 0x60, Some('\u{0A51}')),
        (Punjabi, 0x7F, Some('\u{0A74}')),
        // A.3.11 Tamil
        (Tamil, 0x00, None),
        (Tamil, 0x11, None),
        (Tamil, 0x40, None),
        (Tamil, 0x3C, Some('\u{0BA9}')),
        (Tamil, 0x7F, Some('\u{0BF9}')),
        // A.3.12 Telugu
        (Telugu, 0x11, None),
        (Telugu, 0x4F, Some('\u{0C3D}')),
        (Telugu, 0x60, Some('\u{0C55}')),
        (Telugu, 0x7F, Some('\u{0C63}')),
        // A.3.13 Urdu
        (Urdu, 0x00, Some('\u{0627}')),
        (Urdu, 0x22, Some('\u{068F}')),
        (Urdu, 0x60, Some('\u{0654}')),
        (Urdu, 0x7F, Some('\u{0670}')),
    ];
    for &(lang, code, want) in cases {
        assert_eq!(locking(lang)[code as usize], want, "{} locking 0x{code:02X}", lang.name());
    }
}

#[test]
fn single_shift_spot_checks() {
    let cases: &[(Language, u8, Option<char>)] = &[
        // A.2.1 Turkish
        (Turkish, 0x47, Some('Ğ')),
        (Turkish, 0x49, Some('İ')),
        (Turkish, 0x53, Some('Ş')),
        (Turkish, 0x63, Some('ç')),
        (Turkish, 0x67, Some('ğ')),
        (Turkish, 0x69, Some('ı')),
        (Turkish, 0x73, Some('ş')),
        // A.2.2 Spanish
        (Spanish, 0x09, Some('ç')),
        (Spanish, 0x41, Some('Á')),
        (Spanish, 0x49, Some('Í')),
        (Spanish, 0x4F, Some('Ó')),
        (Spanish, 0x55, Some('Ú')),
        (Spanish, 0x61, Some('á')),
        (Spanish, 0x69, Some('í')),
        (Spanish, 0x6F, Some('ó')),
        (Spanish, 0x75, Some('ú')),
        // A.2.3 Portuguese
        (Portuguese, 0x05, Some('ê')),
        (Portuguese, 0x0B, Some('Ô')),
        (Portuguese, 0x0E, Some('Á')),
        (Portuguese, 0x12, Some('Φ')),
        (Portuguese, 0x19, Some('Θ')),
        (Portuguese, 0x1F, Some('Ê')),
        (Portuguese, 0x41, Some('À')),
        (Portuguese, 0x5B, Some('Ã')),
        (Portuguese, 0x61, Some('Â')),
        (Portuguese, 0x7F, Some('â')),
        // A.2.4 Bengali
        (Bengali, 0x19, Some('\u{09E6}')),
        (Bengali, 0x20, Some('\u{09EC}')),
        (Bengali, 0x24, Some('\u{09DF}')),
        (Bengali, 0x34, Some('\u{09FA}')),
        // A.2.5 Gujarati
        (Gujarati, 0x19, Some('\u{0964}')),
        (Gujarati, 0x1A, Some('\u{0965}')),
        (Gujarati, 0x25, Some('\u{0AEF}')),
        (Gujarati, 0x26, None),
        // A.2.6 Hindi
        (Hindi, 0x26, Some('\u{0951}')),
        (Hindi, 0x2C, Some('\u{0958}')),
        (Hindi, 0x39, Some('\u{0970}')),
        (Hindi, 0x3A, Some('\u{0971}')),
        // A.2.7 Kannada
        (Kannada, 0x26, Some('\u{0CDE}')),
        (Kannada, 0x27, Some('\u{0CF1}')),
        (Kannada, 0x2A, Some('\u{0CF2}')),
        // A.2.8 Malayalam
        (Malayalam, 0x2E, Some('\u{0D7A}')),
        (Malayalam, 0x30, Some('\u{0D7B}')),
        (Malayalam, 0x34, Some('\u{0D7F}')),
        // A.2.9 Oriya
        (Oriya, 0x20, Some('\u{0B6A}')),
        (Oriya, 0x26, Some('\u{0B5C}')),
        (Oriya, 0x2C, Some('\u{0B71}')),
        // A.2.10 Punjabi
        (Punjabi, 0x23, Some('\u{0A6D}')),
        (Punjabi, 0x2C, Some('\u{0A5E}')),
        (Punjabi, 0x2D, Some('\u{0A75}')),
        // A.2.11 Tamil (0x24 as corrected in V18.0.0)
        (Tamil, 0x24, Some('\u{0BEE}')),
        (Tamil, 0x25, Some('\u{0BEF}')),
        (Tamil, 0x2E, Some('\u{0BFA}')),
        // A.2.12 Telugu (0x22 and 0x23 as corrected in V18.0.0)
        (Telugu, 0x19, None),
        (Telugu, 0x1A, None),
        (Telugu, 0x1C, Some('\u{0C66}')),
        (Telugu, 0x22, Some('\u{0C6C}')),
        (Telugu, 0x23, Some('\u{0C6D}')),
        (Telugu, 0x32, Some('\u{0C7F}')),
        // A.2.13 Urdu
        (Urdu, 0x19, Some('\u{0600}')),
        (Urdu, 0x1A, Some('\u{0601}')),
        (Urdu, 0x3B, Some('\u{06CD}')),
        (Urdu, 0x3F, Some('\u{06D4}')),
    ];
    for &(lang, code, want) in cases {
        let got = single_shift(lang)[code as usize];
        assert_eq!(got, want, "{} single shift 0x{code:02X}", lang.name());
    }
}

/// Deliberate deviation from the printed spec (module note 2): the spec
/// prints U+0CAA at 0x24 as well as at 0x3D.
#[test]
fn kannada_locking_0x24_is_dda() {
    assert_eq!(locking(Kannada)[0x24], Some('\u{0CA1}'));
    assert_eq!(locking(Kannada)[0x3D], Some('\u{0CAA}'));
}

#[test]
fn locking_tables_keep_controls_space_digits_and_small_letters() {
    for lang in Language::ALL {
        let Some(t) = locking_shift(lang) else { continue };
        let name = lang.name();
        assert_eq!(t[0x0A], Some('\n'), "{name} LF");
        assert_eq!(t[0x0D], Some('\r'), "{name} CR");
        assert_eq!(t[0x20], Some(' '), "{name} SP");
        for (code, c) in [(0x21, '!'), (0x2E, '.'), (0x3A, ':'), (0x3B, ';'), (0x3F, '?')] {
            assert_eq!(t[code], Some(c), "{name} 0x{code:02X}");
        }
        for (i, d) in ('0'..='9').enumerate() {
            assert_eq!(t[0x30 + i], Some(d), "{name} digit {d}");
        }
        for (i, c) in ('a'..='z').enumerate() {
            assert_eq!(t[0x61 + i], Some(c), "{name} letter {c}");
        }
    }
}

/// The Indic-layout locking tables hold exactly these ASCII characters.
/// Note the parentheses: ')' at 0x28 and '(' at 0x29, the reverse of the
/// default alphabet.
#[test]
fn indic_layout_locking_tables_hold_exactly_these_ascii_characters() {
    let mut want: BTreeMap<usize, char> = [
        (0x0A, '\n'),
        (0x0D, '\r'),
        (0x20, ' '),
        (0x21, '!'),
        (0x28, ')'),
        (0x29, '('),
        (0x2C, ','),
        (0x2E, '.'),
        (0x3A, ':'),
        (0x3B, ';'),
        (0x3F, '?'),
    ]
    .into_iter()
    .collect();
    want.extend(('0'..='9').enumerate().map(|(i, d)| (0x30 + i, d)));
    want.extend(('a'..='z').enumerate().map(|(i, c)| (0x61 + i, c)));
    for lang in INDIC_LAYOUT {
        let got = entries(locking(lang), |c| c.is_ascii());
        assert_eq!(got, want, "{} locking", lang.name());
    }
}

/// The Latin locking tables differ from the default alphabet (clause 6.2.1)
/// at exactly these code points.
#[test]
fn latin_locking_tables_differ_from_default_only_where_annex_a_says() {
    let cases: [(Language, &[usize]); 2] = [
        (Turkish, &[0x04, 0x07, 0x0B, 0x0C, 0x1C, 0x1D, 0x40, 0x60]),
        (
            Portuguese,
            &[
                0x04, 0x06, 0x07, 0x08, 0x09, 0x0B, 0x0C, 0x0E, 0x0F, 0x12, 0x13, 0x14, 0x15, 0x16,
                0x17, 0x18, 0x19, 0x1A, 0x1C, 0x1D, 0x1E, 0x24, 0x40, 0x5B, 0x5C, 0x5D, 0x60, 0x7B,
                0x7C, 0x7D,
            ],
        ),
    ];
    for (lang, want) in cases {
        let t = locking(lang);
        let got: Vec<usize> = (0..128).filter(|&code| t[code] != DEFAULT[code]).collect();
        assert_eq!(got, want, "{} locking vs default alphabet", lang.name());
    }
}

#[test]
fn single_shift_tables_keep_the_default_extension_symbols() {
    let shared = [
        (0x0A, '\u{0C}'),
        (0x14, '^'),
        (0x28, '{'),
        (0x29, '}'),
        (0x2F, '\\'),
        (0x3C, '['),
        (0x3D, '~'),
        (0x3E, ']'),
        (0x40, '|'),
    ];
    for lang in Language::ALL {
        let t = single_shift(lang);
        for (code, c) in shared {
            assert_eq!(t[code], Some(c), "{} single shift 0x{code:02X}", lang.name());
        }
        // CR2, reserved (clause 6.2.1.1).
        assert_eq!(t[0x0D], None, "{} single shift 0x0D", lang.name());
    }
}

#[test]
fn latin_single_shift_tables_extend_the_default_extension_table() {
    for lang in LATIN {
        let t = single_shift(lang);
        for (code, c) in DEFAULT_EXTENSION.iter().enumerate() {
            if c.is_some() {
                assert_eq!(t[code], *c, "{} single shift 0x{code:02X}", lang.name());
            }
        }
    }
}

/// Everything but the script itself in the Indic-layout single shift tables:
/// the default alphabet's symbols and capital letters. The euro sign is
/// checked separately.
#[test]
fn indic_layout_single_shift_tables_hold_exactly_these_symbols() {
    let mut want: BTreeMap<usize, char> = [
        (0x00, '@'),
        (0x01, '£'),
        (0x02, '$'),
        (0x03, '¥'),
        (0x04, '¿'),
        (0x05, '"'),
        (0x06, '¤'),
        (0x07, '%'),
        (0x08, '&'),
        (0x09, '\''),
        (0x0A, '\u{0C}'),
        (0x0B, '*'),
        (0x0C, '+'),
        (0x0E, '-'),
        (0x0F, '/'),
        (0x10, '<'),
        (0x11, '='),
        (0x12, '>'),
        (0x13, '¡'),
        (0x14, '^'),
        (0x15, '¡'),
        (0x16, '_'),
        (0x17, '#'),
        (0x18, '*'),
        (0x28, '{'),
        (0x29, '}'),
        (0x2F, '\\'),
        (0x3C, '['),
        (0x3D, '~'),
        (0x3E, ']'),
        (0x40, '|'),
    ]
    .into_iter()
    .collect();
    want.extend(('A'..='Z').enumerate().map(|(i, c)| (0x41 + i, c)));
    for lang in INDIC_LAYOUT {
        let t = single_shift(lang);
        let got = entries(t, |c| c < '\u{0600}');
        assert_eq!(got, want, "{} single shift", lang.name());
        let high: Vec<usize> =
            (0x5B..0x80).filter(|&code| code != 0x65 && t[code].is_some()).collect();
        assert!(high.is_empty(), "{} single shift defines {high:02X?}", lang.name());
    }
}

/// Annex A puts '€' at 0x65 of every single shift table except Telugu's
/// (module note 5), and nowhere else in them.
#[test]
fn euro_sign_in_single_shift_tables() {
    for lang in Language::ALL {
        let want: BTreeMap<usize, char> =
            if lang == Telugu { BTreeMap::new() } else { [(0x65, '€')].into_iter().collect() };
        let got = entries(single_shift(lang), |c| c == '€');
        assert_eq!(got, want, "{} single shift", lang.name());
    }
}

#[test]
fn euro_sign_in_locking_tables() {
    for lang in Language::ALL {
        let Some(t) = locking_shift(lang) else { continue };
        let want: BTreeMap<usize, char> = match lang {
            Turkish => [(0x04, '€')].into_iter().collect(),
            Portuguese => [(0x18, '€')].into_iter().collect(),
            _ => BTreeMap::new(),
        };
        assert_eq!(entries(t, |c| c == '€'), want, "{} locking", lang.name());
    }
}

/// Letters, signs and digits of the Indic-layout tables come from the
/// language's own Unicode block; the single shift tables also borrow the
/// Devanagari dandas (U+0964, U+0965) and a few Latin-1 symbols. This catches
/// a code point from a neighbouring script, as in the errata of note 4.
#[test]
fn indic_layout_tables_stay_in_their_script() {
    let latin1 = ['£', '¥', '¿', '¤', '¡'];
    for lang in INDIC_LAYOUT {
        let block = script_block(lang);
        for (code, c) in entries(locking(lang), |c| !c.is_ascii()) {
            assert!(
                block.contains(&c),
                "{} locking 0x{code:02X} = U+{:04X}",
                lang.name(),
                c as u32
            );
        }
        let borrowed = |c: char| c.is_ascii() || latin1.contains(&c) || c == '€';
        for (code, c) in entries(single_shift(lang), |c| !borrowed(c)) {
            let ok = block.contains(&c) || (lang != Urdu && matches!(c, '\u{0964}' | '\u{0965}'));
            assert!(ok, "{} single shift 0x{code:02X} = U+{:04X}", lang.name(), c as u32);
        }
    }
}

#[test]
fn no_character_repeats_unless_annex_a_repeats_it() {
    let indic_single: BTreeMap<char, Vec<usize>> =
        [('*', vec![0x0B, 0x18]), ('¡', vec![0x13, 0x15])].into_iter().collect();
    for lang in Language::ALL {
        if let Some(t) = locking_shift(lang) {
            assert_eq!(duplicates(t), BTreeMap::new(), "{} locking", lang.name());
        }
        let want =
            if INDIC_LAYOUT.contains(&lang) { indic_single.clone() } else { BTreeMap::new() };
        assert_eq!(duplicates(single_shift(lang)), want, "{} single shift", lang.name());
    }
}

/// Defined code points per table, counted in the Annex A tables (\[GC\]).
#[test]
fn defined_entry_counts() {
    let cases: [(Language, Option<usize>, usize); 13] = [
        (Turkish, Some(127), 17),
        (Spanish, None, 19),
        (Portuguese, Some(127), 37),
        (Bengali, Some(114), 82),
        (Gujarati, Some(120), 70),
        (Hindi, Some(127), 88),
        (Kannada, Some(120), 73),
        (Malayalam, Some(120), 82),
        (Oriya, Some(116), 75),
        (Punjabi, Some(110), 76),
        (Tamil, Some(102), 77),
        (Telugu, Some(120), 77),
        (Urdu, Some(127), 90),
    ];
    let count = |t: &Table| t.iter().filter(|c| c.is_some()).count();
    for (lang, locking_count, single_count) in cases {
        assert_eq!(locking_shift(lang).map(count), locking_count, "{} locking", lang.name());
        assert_eq!(count(single_shift(lang)), single_count, "{} single shift", lang.name());
    }
}

/// No table holds a control character other than LF, CR and (page break)
/// FF, nor a space other than the locking tables' 0x20.
#[test]
fn no_stray_controls_or_spaces() {
    for (name, t) in all_tables() {
        for (code, c) in entries(t, |c| c.is_control() || c.is_whitespace() || c == '\u{FFFD}') {
            let ok = match c {
                '\n' => code == 0x0A,
                '\r' => code == 0x0D,
                '\u{0C}' => code == 0x0A,
                ' ' => code == 0x20,
                _ => false,
            };
            assert!(ok, "{name} 0x{code:02X} = U+{:04X}", c as u32);
        }
    }
}

#[test]
fn language_ids_and_names_round_trip() {
    for lang in Language::ALL {
        assert_eq!(Language::from_id(lang.id()), Some(lang));
        assert_eq!(Language::from_name(lang.name()), Some(lang));
    }
    assert_eq!(Language::from_id(0), None);
    assert_eq!(Language::from_id(14), None);
}
