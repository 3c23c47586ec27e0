//! Table-driven checks of each TPDU field and flag against the values the
//! specs give, built by hand from TS 23.040 / TS 23.038 clauses (cited per
//! table). Real captures live in `vectors.rs`; this file pins the corners.

use bubblegate_sms::gsm7::{Charset, Language};
use bubblegate_sms::segment::{
    plan_data, plan_text, ReferenceCounter, SegmentOptions, TextEncoding,
};
use bubblegate_sms::{
    relative_seconds, Address, Body, Coding, Dcs, Deliver, Pdu, Ports, Status, StatusClass,
    StatusReport, Submit, Timestamp, Ton, Tpdu, UserData, Validity,
};

fn ts(tz_quarters: i8) -> Timestamp {
    Timestamp { year: 2024, month: 3, day: 9, hour: 14, minute: 5, second: 0, tz_quarters }
}

fn submit(text: &str) -> Submit {
    Submit {
        reject_duplicates: false,
        status_report_request: false,
        reply_path: false,
        message_ref: 0,
        destination: Address::phone("+31612345678").unwrap(),
        pid: 0,
        dcs: Dcs(0),
        validity: None,
        user_data: UserData::text(text),
    }
}

/// A named edit of a TPDU and the first octet it should give.
type Case<T> = (&'static str, fn(&mut T), u8);

fn tpdu_bytes(tpdu: Tpdu) -> Vec<u8> {
    let e = Pdu { smsc: None, tpdu }.encode().unwrap();
    e.bytes[1..].to_vec()
}

/// TS 23.040 clause 9.2.2.2 and 9.2.3: SMS-SUBMIT first octet,
/// bit 0-1 MTI=01, bit 2 RD, bits 3-4 VPF, bit 5 SRR, bit 6 UDHI, bit 7 RP.
#[test]
fn submit_first_octet() {
    let table: &[Case<Submit>] = &[
        ("plain", |_| {}, 0x01),
        ("reject duplicates", |s| s.reject_duplicates = true, 0x05),
        ("relative VP", |s| s.validity = Some(Validity::Relative { code: 167 }), 0x11),
        ("absolute VP", |s| s.validity = Some(Validity::Absolute { time: ts(4) }), 0x19),
        (
            "enhanced VP",
            |s| {
                s.validity = Some(Validity::Enhanced(bubblegate_sms::EnhancedValidity {
                    single_shot: false,
                    extension: None,
                    period: bubblegate_sms::EnhancedPeriod::Seconds { seconds: 30 },
                }))
            },
            0x09,
        ),
        ("status report request", |s| s.status_report_request = true, 0x21),
        ("reply path", |s| s.reply_path = true, 0x81),
        (
            "UDHI",
            |s| {
                s.user_data.udh = Some(bubblegate_sms::Udh { ies: vec![] });
            },
            0x41,
        ),
    ];
    for (name, edit, want) in table {
        let mut s = submit("x");
        edit(&mut s);
        let bytes = tpdu_bytes(Tpdu::Submit(s.clone()));
        assert_eq!(bytes[0], *want, "{name}: first octet");
        let back = Pdu::decode(&bytes, false).unwrap();
        assert_eq!(back.tpdu, Tpdu::Submit(s), "{name}: round trip");
    }
}

/// TS 23.040 clause 9.2.2.1: SMS-DELIVER first octet, MTI=00, bit 2 MMS
/// (1 = no more messages), bit 3 LP, bit 5 SRI, bit 6 UDHI, bit 7 RP.
#[test]
fn deliver_first_octet() {
    let base = Deliver {
        more_messages: false,
        loop_prevention: false,
        status_report_indication: false,
        reply_path: false,
        originator: Address::phone("+31612345678").unwrap(),
        pid: 0,
        dcs: Dcs(0),
        scts: ts(4),
        user_data: UserData::text("x"),
    };
    let table: &[Case<Deliver>] = &[
        ("no more messages", |_| {}, 0x04),
        ("more messages", |d| d.more_messages = true, 0x00),
        ("loop prevention", |d| d.loop_prevention = true, 0x0C),
        ("status report indication", |d| d.status_report_indication = true, 0x24),
        ("reply path", |d| d.reply_path = true, 0x84),
    ];
    for (name, edit, want) in table {
        let mut d = base.clone();
        edit(&mut d);
        let bytes = tpdu_bytes(Tpdu::Deliver(d.clone()));
        assert_eq!(bytes[0], *want, "{name}");
        assert_eq!(Pdu::decode(&bytes, false).unwrap().tpdu, Tpdu::Deliver(d), "{name}");
    }
}

/// TS 23.040 clause 9.2.3.12.1: relative validity period boundaries.
#[test]
fn relative_validity_codes() {
    let minutes = |m: u64| m * 60;
    let table = [
        (0, minutes(5)),
        (143, minutes(12 * 60)),
        (144, minutes(12 * 60 + 30)),
        (167, minutes(24 * 60)),
        (168, minutes(2 * 24 * 60)),
        (196, minutes(30 * 24 * 60)),
        (197, minutes(5 * 7 * 24 * 60)),
        (255, minutes(63 * 7 * 24 * 60)),
    ];
    for (code, secs) in table {
        assert_eq!(relative_seconds(code), secs, "code {code}");
        assert_eq!(Validity::relative_at_least(secs), Validity::Relative { code }, "{secs}s");
    }
    // Between two codes, the longer one is chosen.
    assert_eq!(Validity::relative_at_least(minutes(6)), Validity::Relative { code: 1 });
}

/// TS 23.040 clause 9.2.3.11: the time zone octet is in quarter hours,
/// semi-octets swapped, the sign in bit 3.
#[test]
fn time_zones() {
    let table: &[(i8, u8, &str)] = &[
        (0, 0x00, "+00:00"),
        (4, 0x40, "+01:00"),
        (-20, 0x0A, "-05:00"),
        (-14, 0x49, "-03:30"),
        (23, 0x32, "+05:45"),
        (-79, 0x9F, "-19:45"),
        (48, 0x84, "+12:00"),
    ];
    for (quarters, octet, suffix) in table {
        let deliver = Deliver {
            more_messages: false,
            loop_prevention: false,
            status_report_indication: false,
            reply_path: false,
            originator: Address::phone("123").unwrap(),
            pid: 0,
            dcs: Dcs(0),
            scts: ts(*quarters),
            user_data: UserData::text(""),
        };
        let bytes = tpdu_bytes(Tpdu::Deliver(deliver.clone()));
        // First octet, OA (4 octets for "123"), PID, DCS, then the SCTS,
        // whose seventh octet is the time zone.
        assert_eq!(bytes[1 + 4 + 2 + 6], *octet, "tz {quarters}");
        let Tpdu::Deliver(d) = Pdu::decode(&bytes, false).unwrap().tpdu else { panic!() };
        assert!(d.scts.to_string().ends_with(suffix), "{} should end {suffix}", d.scts);
    }
}

/// TS 23.040 clause 9.2.3.15: status classes by range.
#[test]
fn status_codes() {
    let table = [
        (0x00, StatusClass::Delivered, "short message received by the SME"),
        (
            0x01,
            StatusClass::Delivered,
            "forwarded by the SC to the SME but the SC is unable to confirm delivery",
        ),
        (0x02, StatusClass::Delivered, "short message replaced by the SC"),
        (0x20, StatusClass::Pending, "congestion"),
        (0x21, StatusClass::Pending, "SME busy"),
        (0x30, StatusClass::Pending, "SC specific: temporary error, SC still trying"),
        (0x40, StatusClass::Failed, "remote procedure error"),
        (0x41, StatusClass::Failed, "incompatible destination"),
        (0x43, StatusClass::Failed, "not obtainable"),
        (0x46, StatusClass::Failed, "SM validity period expired"),
        (0x49, StatusClass::Failed, "SM does not exist"),
        (0x60, StatusClass::Expired, "congestion"),
        (0x62, StatusClass::Expired, "no response from SME"),
        (0x65, StatusClass::Expired, "error in SME"),
        (0x80, StatusClass::Failed, "reserved"),
    ];
    for (code, class, name) in table {
        let report = StatusReport {
            more_messages: false,
            loop_prevention: false,
            qualifier_command: false,
            message_ref: 0x2A,
            recipient: Address::phone("+31612345678").unwrap(),
            scts: ts(4),
            discharge_time: ts(-20),
            status: Status(code),
            pid: None,
            dcs: None,
            user_data: None,
        };
        let bytes = tpdu_bytes(Tpdu::StatusReport(report.clone()));
        assert_eq!(bytes[0], 0x06, "status report MTI with no-more-messages");
        assert_eq!(*bytes.last().unwrap(), code);
        let Tpdu::StatusReport(r) = Pdu::decode(&bytes, false).unwrap().tpdu else { panic!() };
        assert_eq!(r, report);
        assert_eq!((r.status.class(), r.status.name()), (class, name), "status {code:#04x}");
    }
}

/// TS 23.038 clause 4: coding groups.
#[test]
fn data_coding_schemes() {
    let table: &[(u8, Coding, Option<u8>, bool)] = &[
        (0x00, Coding::Gsm7, None, false),
        (0x04, Coding::EightBit, None, false),
        (0x08, Coding::Ucs2, None, false),
        (0x10, Coding::Gsm7, Some(0), false),
        (0x11, Coding::Gsm7, Some(1), false),
        (0x16, Coding::EightBit, Some(2), false),
        (0x1B, Coding::Ucs2, Some(3), false),
        (0x20, Coding::Gsm7, None, true),
        (0x48, Coding::Ucs2, None, false),
        (0xC8, Coding::Gsm7, None, false),
        (0xD0, Coding::Gsm7, None, false),
        (0xE0, Coding::Ucs2, None, false),
        (0xF0, Coding::Gsm7, Some(0), false),
        (0xF5, Coding::EightBit, Some(1), false),
        (0x8C, Coding::Gsm7, None, false),
    ];
    for (octet, coding, class, compressed) in table {
        let d = Dcs(*octet);
        assert_eq!(
            (d.coding(), d.class(), d.compressed()),
            (*coding, *class, *compressed),
            "{octet:#04x}"
        );
    }
    assert!(Dcs(0x48).auto_deletion());
    let mwi = Dcs(0xC8).waiting_indication().unwrap();
    assert!(mwi.active && !mwi.store && mwi.kind == 0);
    assert!(Dcs(0xE0).waiting_indication().unwrap().store);
    assert_eq!(Dcs::new(Coding::Ucs2, Some(0)), Dcs(0x18));
}

/// TS 23.040 clause 9.1.2.5 and 9.1.2.3: address forms.
#[test]
fn addresses() {
    let table: &[(Address, &str)] = &[
        // International, even digit count: 0B 91 then swapped digits.
        (Address::phone("+31612345678").unwrap(), "0B911316325476F8"),
        // Odd count: the last octet is padded with F.
        (Address::phone("+316123456").unwrap(), "099113163254F6"),
        (Address::phone("0612345678").unwrap(), "0A816021436587"),
        (Address { ton: Ton::National, npi: 1, value: "612345678".into() }, "09A116325476F8"),
        // '*' and '#' are the nibbles A and B.
        (Address::phone("*100#").unwrap(), "05811A00FB"),
        (Address::phone("12abc").unwrap(), "058121DCFE"),
        // Alphanumeric "Bank": 4 septets, 28 bits, 7 semi-octets.
        (Address::alphanumeric("Bank").unwrap(), "07D0C2B07B0D"),
    ];
    for (address, hex) in table {
        let mut out = Vec::new();
        address.encode_tp(&mut out).unwrap();
        assert_eq!(bubblegate_sms::hex::encode(&out), *hex, "{address}");
        let deliver = Deliver {
            more_messages: false,
            loop_prevention: false,
            status_report_indication: false,
            reply_path: false,
            originator: address.clone(),
            pid: 0,
            dcs: Dcs(0),
            scts: ts(0),
            user_data: UserData::text(""),
        };
        let bytes = tpdu_bytes(Tpdu::Deliver(deliver));
        let Tpdu::Deliver(d) = Pdu::decode(&bytes, false).unwrap().tpdu else { panic!() };
        assert_eq!(&d.originator, address);
    }
    assert!(Address::phone("+31 6 1234-5678").is_ok());
    for bad in ["", "+", "hello", "+12*3", "123456789012345678901"] {
        assert!(Address::phone(bad).is_err(), "{bad:?} should be rejected");
    }
    assert!(Address::alphanumeric("TwelveChars!").is_err());
    assert!(Address::alphanumeric("{}").is_err(), "escapes are not allowed in senders");
}

/// Segment counts as operators bill them, and the boundaries that must not
/// split a character.
#[test]
fn segmentation() {
    let auto = SegmentOptions::default();
    let wide = SegmentOptions { wide_reference: true, ..SegmentOptions::default() };
    let a = |n: usize| "a".repeat(n);
    let table: Vec<(&str, String, &SegmentOptions, Coding, Vec<usize>)> = vec![
        ("160 GSM-7 fit one", a(160), &auto, Coding::Gsm7, vec![160]),
        ("161 GSM-7 need two", a(161), &auto, Coding::Gsm7, vec![153, 8]),
        ("306 GSM-7 fit two", a(306), &auto, Coding::Gsm7, vec![153, 153]),
        ("16-bit reference", a(161), &wide, Coding::Gsm7, vec![152, 9]),
        ("70 UCS-2 fit one", "ж".repeat(70), &auto, Coding::Ucs2, vec![70]),
        ("71 UCS-2 need two", "ж".repeat(71), &auto, Coding::Ucs2, vec![67, 4]),
        // 80 euro signs: 160 septets, one part.
        ("escapes count twice", "€".repeat(80), &auto, Coding::Gsm7, vec![80]),
        // 152 'a' then '€': the escape pair would straddle 153.
        (
            "no split escape",
            format!("{}€{}", a(152), "b".repeat(10)),
            &auto,
            Coding::Gsm7,
            vec![152, 11],
        ),
        // 66 'ж' then an emoji (2 units) would straddle 67.
        (
            "no split surrogate",
            format!("{}😀", "ж".repeat(66)) + &"ж".repeat(10),
            &auto,
            Coding::Ucs2,
            vec![66, 11],
        ),
    ];
    for (name, text, opts, coding, parts) in table {
        let plan = plan_text(&text, opts).unwrap();
        assert_eq!(plan.coding, coding, "{name}");
        let lens: Vec<usize> = plan
            .parts
            .iter()
            .map(|b| match b {
                Body::Text(t) => t.chars().count(),
                Body::Data(d) => d.len(),
            })
            .collect();
        assert_eq!(lens, parts, "{name}");
    }
    // Data: 140 bytes in one, 141 in two of at most 134.
    assert_eq!(plan_data(&[0; 140], None, false).unwrap().count(), 1);
    let two = plan_data(&[0; 141], None, false).unwrap();
    assert_eq!(two.count(), 2);
    assert!(matches!(&two.parts[0], Body::Data(d) if d.len() == 134));
    // 16-bit ports take 7 header octets: 133 bytes fit one part.
    let ports = Some(Ports { src: 9200, dst: 2948, wide: true });
    assert_eq!(plan_data(&[0; 133], ports, false).unwrap().count(), 1);
    assert_eq!(plan_data(&[0; 134], ports, false).unwrap().count(), 2);
    // Forcing GSM-7 on text outside it names the character.
    let forced = SegmentOptions { encoding: TextEncoding::Gsm7, ..SegmentOptions::default() };
    assert_eq!(
        plan_text("ok 😀", &forced).unwrap_err(),
        bubblegate_sms::EncodeError::NotGsm7('😀')
    );
}

/// The encoder uses a national table only when enabled, and picks the one
/// that costs the fewest parts; the decoder always honours the UDH.
#[test]
fn every_shift_table_is_used_when_enabled() {
    for lang in Language::ALL {
        // A character found only in this language's tables.
        let (cs, c) = [
            Charset { locking: None, single: Some(lang) },
            Charset { locking: Some(lang), single: None },
        ]
        .into_iter()
        .find_map(|cs| {
            (0x80..0x3000u32)
                .filter_map(char::from_u32)
                .find(|c| {
                    cs.encode_char(*c).is_some() && Charset::DEFAULT.encode_char(*c).is_none()
                })
                .map(|c| (cs, c))
        })
        .unwrap_or_else(|| panic!("{lang:?} adds no character"));
        let text = format!("{c}{c}{c} ok");
        let without = plan_text(&text, &SegmentOptions::default()).unwrap();
        assert_eq!(without.coding, Coding::Ucs2, "{lang:?} without shift");
        let with = plan_text(
            &text,
            &SegmentOptions { languages: vec![lang], ..SegmentOptions::default() },
        )
        .unwrap();
        assert_eq!(with.coding, Coding::Gsm7, "{lang:?} with shift");
        assert!(
            with.charset == cs
                || with.charset.single == Some(lang)
                || with.charset.locking == Some(lang)
        );
        let mut s = submit("");
        let parts = with.submits(&s, 0);
        s = parts[0].clone();
        let bytes = tpdu_bytes(Tpdu::Submit(s));
        let Tpdu::Submit(back) = Pdu::decode(&bytes, false).unwrap().tpdu else { panic!() };
        assert_eq!(back.user_data.body, Body::Text(text.clone()), "{lang:?}");
    }
}

#[test]
fn reference_counter_wraps_per_destination() {
    let a = Address::phone("+31600000001").unwrap();
    let b = Address::phone("+31600000002").unwrap();
    let mut narrow = ReferenceCounter::new(false);
    let refs: Vec<u16> = (0..257).map(|_| narrow.next(&a)).collect();
    assert_eq!((refs[0], refs[255], refs[256]), (0, 255, 0));
    assert_eq!(narrow.next(&b), 0, "each destination has its own sequence");
    let mut wide = ReferenceCounter::new(true);
    let last = (0..=65536).map(|_| wide.next(&a)).last();
    assert_eq!(last, Some(0), "16-bit references wrap after 65535");
}

/// Found by the `pdu` fuzz target: an alphanumeric SMSC address of seven
/// characters (with an escape) leaves seven spare bits that must not come
/// back as a trailing '@' after re-encoding.
#[test]
fn alphanumeric_smsc_padding_is_not_text() {
    let hex = "085B08E4E63D080005066000064001600060000060401001610000FE3FA0000100";
    let pdu = Pdu::decode_hex(hex, true).unwrap();
    let again = Pdu::decode(&pdu.encode().unwrap().bytes, true).unwrap();
    assert_eq!(again, pdu);
    assert_eq!(pdu.smsc.unwrap().value.chars().count(), 7);
}
