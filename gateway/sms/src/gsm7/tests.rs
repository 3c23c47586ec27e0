use super::*;

/// `(text, charset, fill bits, packed hex)`.
/// Sources: "hellohello" is the SMS-DELIVER example of the dreamfabric
/// "SMS messages and the PDU format" tutorial; the fill-bit case follows
/// TS 23.040 clause 9.2.3.24 (a 6-octet concat header leaves 1 fill bit);
/// the rest are hand-packed from TS 23.038 clause 6.1.2.1.1.
const PACKED: &[(&str, u8, &str)] = &[
    ("hellohello", 0, "E8329BFD4697D9EC37"),
    ("How are you?", 0, "C8F71D14969741F977FD07"),
    ("A", 0, "41"),
    ("AB", 0, "4121"),
    ("1234567", 0, "31D98C56B3DD00"),
    ("12345678", 0, "31D98C56B3DD70"),
    ("hello", 1, "D06536FB0D"),
    ("@", 0, "00"),
];

#[test]
fn packing() {
    for (text, fill, hex) in PACKED {
        let septets = Charset::DEFAULT.encode(text).unwrap();
        let packed = pack(&septets, *fill);
        assert_eq!(crate::hex::encode(&packed), *hex, "packing {text:?} after {fill} fill bits");
        let back = unpack(&packed, *fill, septets.len());
        assert_eq!(Charset::DEFAULT.decode(&back), *text);
    }
}

#[test]
fn every_default_character_round_trips() {
    for code in 0..128u8 {
        if code == ESCAPE {
            continue;
        }
        let c = DEFAULT[code as usize].unwrap();
        assert_eq!(Charset::DEFAULT.encode_char(c), Some(Septets::One(code)), "{c:?}");
        assert_eq!(Charset::DEFAULT.decode(&[code]), c.to_string());
    }
}

/// TS 23.038 clause 6.2.1.1: the extension table.
#[test]
fn extension_table() {
    let table = [
        ('\u{0C}', 0x0A),
        ('^', 0x14),
        ('{', 0x28),
        ('}', 0x29),
        ('\\', 0x2F),
        ('[', 0x3C),
        ('~', 0x3D),
        (']', 0x3E),
        ('|', 0x40),
        ('€', 0x65),
    ];
    for (c, code) in table {
        assert_eq!(Charset::DEFAULT.encode_char(c), Some(Septets::Escaped(code)), "{c:?}");
        assert_eq!(Charset::DEFAULT.decode(&[ESCAPE, code]), c.to_string());
    }
    assert_eq!(Charset::DEFAULT.septet_len("[€]"), Some(6));
    assert_eq!(Charset::DEFAULT.septet_len("日本"), None);
}

#[test]
fn undefined_escape_shows_the_main_character() {
    // ESC followed by 'A' (0x41), which the extension table leaves undefined.
    assert_eq!(Charset::DEFAULT.decode(&[ESCAPE, 0x41]), "A");
    // A lone trailing escape carries nothing.
    assert_eq!(Charset::DEFAULT.decode(&[0x41, ESCAPE]), "A");
}

#[test]
fn characters_outside_the_alphabet_are_named() {
    assert_eq!(Charset::DEFAULT.encode("ok ç"), Err('ç'));
    assert_eq!(Charset::DEFAULT.encode("😀"), Err('😀'));
}

#[test]
fn shift_tables_apply_only_when_selected() {
    // Turkish single shift holds 'Ş' (TS 23.038 A.3.1); the default does not.
    assert!(Charset::DEFAULT.encode_char('Ş').is_none());
    let turkish = Charset { locking: None, single: Some(Language::Turkish) };
    assert!(matches!(turkish.encode_char('Ş'), Some(Septets::Escaped(_))));
    // Every single shift table keeps the euro sign at 0x65, except Telugu's,
    // which TS 23.038 Annex A.2.12 prints without it.
    for lang in Language::ALL.into_iter().filter(|l| *l != Language::Telugu) {
        let cs = Charset { locking: None, single: Some(lang) };
        assert_eq!(cs.decode(&[ESCAPE, 0x65]), "€", "{lang:?}");
    }
}
