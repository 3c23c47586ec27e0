//! Property tests: whatever we encode decodes to the same message, for
//! every TPDU type, every coding and every header shape; multipart text
//! survives segmentation and reassembly in any order; and decoding
//! arbitrary bytes never panics.

use std::time::{Duration, SystemTime};

use bubblegate_sms::gsm7::{Charset, Language};
use bubblegate_sms::reassembly::{Outcome, Reassembler};
use bubblegate_sms::segment::{plan_text, SegmentOptions, TextEncoding};
use bubblegate_sms::{
    Address, Body, Coding, Concat, Dcs, Deliver, EnhancedPeriod, EnhancedValidity, Ie, Pdu, Ports,
    Status, StatusReport, Submit, Timestamp, Ton, Tpdu, Udh, UserData, Validity,
};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

fn language() -> impl Strategy<Value = Language> {
    select(Language::ALL.to_vec())
}

fn charset() -> impl Strategy<Value = Charset> {
    (proptest::option::of(language()), proptest::option::of(language()))
        .prop_map(|(locking, single)| Charset { locking, single })
}

/// Every character a charset can encode. All tables of TS 23.038 hold
/// characters below U+3000, apart from the euro sign.
fn alphabet(cs: Charset) -> Vec<char> {
    (0..0x3000u32)
        .chain([0x20AC])
        .filter_map(char::from_u32)
        .filter(|c| cs.encode_char(*c).is_some())
        .collect()
}

/// Text in `cs` of at most `max` septets.
fn gsm7_text(cs: Charset, max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(select(alphabet(cs)), 0..=max).prop_map(move |chars| {
        let mut out = String::new();
        let mut used = 0;
        for c in chars {
            let n = cs.encode_char(c).map_or(2, |s| s.count());
            if used + n <= max {
                out.push(c);
                used += n;
            }
        }
        out
    })
}

/// Any Unicode text of at most `max` UTF-16 units.
fn ucs2_text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..=max).prop_map(move |chars| {
        let mut out = String::new();
        let mut used = 0;
        for c in chars {
            if used + c.len_utf16() <= max {
                out.push(c);
                used += c.len_utf16();
            }
        }
        out
    })
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    (2000u16..=2089, 1u8..=12, 1u8..=28, 0u8..24, 0u8..60, 0u8..60, -79i8..=79).prop_map(
        |(year, month, day, hour, minute, second, tz_quarters)| Timestamp {
            year,
            month,
            day,
            hour,
            minute,
            second,
            tz_quarters,
        },
    )
}

fn address() -> impl Strategy<Value = Address> {
    prop_oneof![
        "[0-9]{1,20}".prop_map(|value| Address { ton: Ton::International, npi: 1, value }),
        "[0-9*#abc]{1,20}".prop_map(|value| Address { ton: Ton::Unknown, npi: 1, value }),
        "[0-9]{1,20}".prop_map(|value| Address { ton: Ton::National, npi: 8, value }),
        gsm7_text(Charset::DEFAULT, 11)
            .prop_filter("non-empty, no escapes", |t| {
                !t.is_empty() && Charset::DEFAULT.septet_len(t) == Some(t.chars().count())
            })
            .prop_map(|value| Address { ton: Ton::Alphanumeric, npi: 0, value }),
    ]
}

fn validity() -> impl Strategy<Value = Validity> {
    let period = prop_oneof![
        Just(EnhancedPeriod::None),
        any::<u8>().prop_map(|code| EnhancedPeriod::Relative { code }),
        any::<u8>().prop_map(|seconds| EnhancedPeriod::Seconds { seconds }),
        (0u8..100, 0u8..60, 0u8..60).prop_map(|(hours, minutes, seconds)| {
            EnhancedPeriod::Hms { hours, minutes, seconds }
        }),
    ];
    prop_oneof![
        any::<u8>().prop_map(|code| Validity::Relative { code }),
        timestamp().prop_map(|time| Validity::Absolute { time }),
        (any::<bool>(), proptest::option::of(any::<u8>()), period).prop_map(
            |(single_shot, extension, period)| {
                Validity::Enhanced(EnhancedValidity { single_shot, extension, period })
            }
        ),
        (4u8..8, any::<[u8; 6]>()).prop_map(|(format, octets)| {
            Validity::Enhanced(EnhancedValidity {
                single_shot: false,
                extension: None,
                period: EnhancedPeriod::Reserved { format, octets },
            })
        }),
    ]
}

fn ies() -> impl Strategy<Value = Vec<Ie>> {
    let concat = (any::<u16>(), 1u8..=255, any::<bool>()).prop_flat_map(|(r, total, wide)| {
        (1..=total).prop_map(move |seq| {
            let reference = if wide { r } else { r & 0xFF };
            Ie::Concat(Concat { reference, total, seq, wide })
        })
    });
    let ports = (any::<u16>(), any::<u16>(), any::<bool>()).prop_map(|(a, b, wide)| {
        let (src, dst) = if wide { (a, b) } else { (a & 0xFF, b & 0xFF) };
        Ie::Ports(Ports { src, dst, wide })
    });
    let other = (0x70u8..0x80, proptest::collection::vec(any::<u8>(), 0..6))
        .prop_map(|(iei, data)| Ie::Other { iei, data });
    (proptest::option::of(concat), proptest::option::of(ports), proptest::option::of(other))
        .prop_map(|(c, p, o)| c.into_iter().chain(p).chain(o).collect())
}

/// A DCS and user data that agree with each other.
fn dcs_and_user_data() -> impl Strategy<Value = (Dcs, UserData)> {
    (any::<u8>(), proptest::option::of(ies()), charset()).prop_flat_map(|(dcs, ies, cs)| {
        let dcs = Dcs(dcs);
        let mut udh = ies.map(|ies| Udh { ies });
        let septets = dcs.coding() == Coding::Gsm7 && !dcs.compressed();
        if let (Some(u), true) = (udh.as_mut(), septets) {
            u.ies.extend(cs.single.map(|language| Ie::SingleShift { language }));
            u.ies.extend(cs.locking.map(|language| Ie::LockingShift { language }));
        }
        let header = udh.as_ref().map_or(0, Udh::encoded_len);
        let cs = udh.as_ref().map(Udh::charset).unwrap_or_default();
        let body: BoxedStrategy<Body> = if septets {
            gsm7_text(cs, 160 - (header * 8).div_ceil(7)).prop_map(Body::Text).boxed()
        } else if dcs.compressed() || dcs.coding() == Coding::EightBit {
            proptest::collection::vec(any::<u8>(), 0..=140 - header).prop_map(Body::Data).boxed()
        } else {
            ucs2_text((140 - header) / 2).prop_map(Body::Text).boxed()
        };
        body.prop_map(move |body| (dcs, UserData { udh: udh.clone(), body }))
    })
}

fn tpdu() -> impl Strategy<Value = Tpdu> {
    let flags = any::<[bool; 4]>();
    let deliver = (flags, address(), any::<u8>(), dcs_and_user_data(), timestamp()).prop_map(
        |(f, originator, pid, (dcs, user_data), scts)| {
            Tpdu::Deliver(Deliver {
                more_messages: f[0],
                loop_prevention: f[1],
                status_report_indication: f[2],
                reply_path: f[3],
                originator,
                pid,
                dcs,
                scts,
                user_data,
            })
        },
    );
    let submit = (
        flags,
        any::<u8>(),
        address(),
        any::<u8>(),
        dcs_and_user_data(),
        proptest::option::of(validity()),
    )
        .prop_map(|(f, message_ref, destination, pid, (dcs, user_data), validity)| {
            Tpdu::Submit(Submit {
                reject_duplicates: f[0],
                status_report_request: f[1],
                reply_path: f[2],
                message_ref,
                destination,
                pid,
                dcs,
                validity,
                user_data,
            })
        });
    let report = (
        (flags, any::<u8>(), address()),
        (timestamp(), timestamp(), any::<u8>()),
        (
            proptest::option::of(any::<u8>()),
            proptest::option::of(dcs_and_user_data()),
            any::<bool>(),
        ),
    )
        .prop_map(
            |((f, message_ref, recipient), (scts, discharge_time, st), (pid, ud, with_dcs))| {
                // Without TP-DCS the user data is read as GSM 7-bit, so only
                // user data coded that way may go without it.
                let (dcs, user_data) = match ud {
                    Some((dcs, ud)) if with_dcs || dcs.0 == 0 => (Some(dcs), Some(ud)),
                    _ => (with_dcs.then_some(Dcs(0)), None),
                };
                let dcs = if user_data.is_some() && !with_dcs { None } else { dcs };
                Tpdu::StatusReport(StatusReport {
                    more_messages: f[0],
                    loop_prevention: f[1],
                    qualifier_command: f[2],
                    message_ref,
                    recipient,
                    scts,
                    discharge_time,
                    status: Status(st),
                    pid,
                    dcs,
                    user_data,
                })
            },
        );
    prop_oneof![deliver, submit, report]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_tpdu_round_trips(tpdu in tpdu(), smsc in proptest::option::of(address())) {
        let smsc = smsc.filter(|a| a.ton != Ton::Alphanumeric);
        let pdu = Pdu { smsc, tpdu };
        let encoded = pdu.encode().expect("generated PDUs are valid");
        let decoded = Pdu::decode(&encoded.bytes, true).expect("our own PDU decodes");
        prop_assert_eq!(&decoded, &pdu);
        let tpdu_only = &encoded.bytes[encoded.bytes.len() - encoded.tpdu_length..];
        let without_smsc = Pdu::decode(tpdu_only, false).expect("TPDU alone decodes");
        prop_assert_eq!(without_smsc.tpdu, pdu.tpdu);
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(
        bytes in proptest::collection::vec(any::<u8>(), 0..200),
        smsc in any::<bool>(),
    ) {
        let _ = Pdu::decode(&bytes, smsc);
    }

    #[test]
    fn decoding_arbitrary_hex_never_panics(text in "[0-9A-Fa-f ]{0,120}") {
        let _ = Pdu::decode_hex(&text, true);
    }
}

/// Text in one of the codings, the options to plan it with, and an order in
/// which to deliver up to 40 parts.
fn multipart_case() -> impl Strategy<Value = (String, SegmentOptions, Vec<usize>)> {
    let national = (language(), language())
        .prop_flat_map(|(l, s)| gsm7_text(Charset { locking: Some(l), single: Some(s) }, 800));
    let text = prop_oneof![gsm7_text(Charset::DEFAULT, 800), national, ucs2_text(400)];
    let opts = (
        select(vec![TextEncoding::Auto, TextEncoding::Ucs2]),
        subsequence(Language::ALL.to_vec(), 0..3),
        any::<bool>(),
    )
        .prop_map(|(encoding, languages, wide_reference)| SegmentOptions {
            encoding,
            languages,
            wide_reference,
        });
    (text, opts, Just((0..40).collect::<Vec<usize>>()).prop_shuffle())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn multipart_survives_any_reassembly_order((text, opts, order) in multipart_case()) {
        // Text that the allowed tables cannot hold falls back to UCS-2 in
        // auto mode, so every generated text has a plan.
        let plan = plan_text(&text, &opts).expect("auto and UCS-2 always plan");
        let template = Submit {
            reject_duplicates: false,
            status_report_request: false,
            reply_path: false,
            message_ref: 0,
            destination: Address::phone("+31612345678").unwrap(),
            pid: 0,
            dcs: Dcs(0),
            validity: None,
            user_data: UserData::text(""),
        };
        let parts: Vec<Vec<u8>> = plan
            .submits(&template, 42)
            .into_iter()
            .map(|s| Pdu { smsc: None, tpdu: Tpdu::Submit(s) }.encode().unwrap().bytes)
            .collect();
        prop_assert_eq!(plan.count(), parts.len());
        let mut ordered: Vec<usize> = order.into_iter().filter(|i| *i < parts.len()).collect();
        ordered.extend(40.min(parts.len())..parts.len());
        let mut r = Reassembler::new(Duration::from_secs(3600));
        let mut done = None;
        for i in ordered {
            let Tpdu::Submit(s) = Pdu::decode(&parts[i], true).unwrap().tpdu else {
                panic!("part {i} is not a SUBMIT")
            };
            let concat = s.user_data.udh.as_ref().and_then(|u| u.concat());
            let now = SystemTime::UNIX_EPOCH;
            if let Outcome::Complete(m) = r.push("+31612345678", concat, s.user_data.body, now) {
                done = Some(m);
            }
        }
        let message = done.expect("the last part completes the message");
        prop_assert!(message.complete);
        prop_assert_eq!(message.body, Body::Text(text.clone()));
    }
}
