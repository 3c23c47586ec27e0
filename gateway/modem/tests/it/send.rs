//! Sending, for every profile: single and multipart messages in GSM-7 and
//! UCS-2, one part per request, each `Sent` with its TP-MR; the network
//! receives them whole; status reports come back matched by TP-MR.

use bubblegate_modem::{EventKind, Origin, SendOutcome};
use bubblegate_sms::segment::TextEncoding;
use bubblegate_sms::StatusClass;

use crate::support::*;

const LONG_GSM: &str = "This message is long enough to need two parts in the GSM 7-bit \
    default alphabet, because one part holds only one hundred and sixty characters of it, \
    and this sentence goes on well beyond that. {brackets} cost two septets each.";

const UCS2: &str = "Grüße aus Köln — こんにちは";

fn long_ucs2() -> String {
    "Ünïcödé makes this UCS-2, so seventy characters per part is the limit. ".repeat(2)
}

#[tokio::test(start_paused = true)]
async fn single_and_multipart_in_gsm7_and_ucs2_on_every_profile() {
    let profiles = all_profiles();
    let rig = Rig::start(profiles.clone(), RigOptions::default()).await;
    let cases: Vec<(String, TextEncoding, usize)> = vec![
        ("Hello from Bubblegate".to_owned(), TextEncoding::Auto, 1),
        (LONG_GSM.to_owned(), TextEncoding::Auto, 2),
        (UCS2.to_owned(), TextEncoding::Auto, 1),
        (long_ucs2(), TextEncoding::Auto, 3),
    ];
    let mut expected = Vec::new();
    for (i, p) in profiles.iter().enumerate() {
        let handle = rig.handle(i);
        ready(handle).await;
        for (text, encoding, count) in &cases {
            let parts = parts(OUTSIDE, text, *encoding, false);
            assert_eq!(parts.len(), *count, "{text}");
            let mut refs = Vec::new();
            for part in parts {
                match handle.send(part).await {
                    SendOutcome::Sent { mr } => refs.push(mr),
                    other => panic!("{}: {other:?}", p.name),
                }
            }
            expected.push((i, text.clone(), refs));
        }
        // Parts of a batch went with +CMMS where the modem takes it.
        assert!(sent(&rig.transcript(i), "AT+CMMS=1"), "{}: +CMMS", p.name);
    }
    let received = rig.sim().received().await.expect("received");
    assert_eq!(received.len(), expected.len());
    for (message, (i, text, refs)) in received.iter().zip(&expected) {
        assert_eq!(message.from, rig.number(*i));
        assert_eq!(message.to, OUTSIDE);
        assert!(message.complete);
        assert_eq!(message.body, bubblegate_sms::Body::Text(text.clone()), "{}", profiles[*i].name);
        assert_eq!(&message.message_refs, refs);
    }
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn status_reports_match_the_sent_parts_on_every_profile() {
    let profiles = all_profiles();
    let rig = Rig::start(profiles.clone(), RigOptions::default()).await;
    for (i, p) in profiles.iter().enumerate() {
        let handle = rig.handle(i);
        ready(handle).await;
        let mut events = handle.subscribe();
        let mut refs = Vec::new();
        for part in parts(OUTSIDE, LONG_GSM, TextEncoding::Auto, true) {
            match handle.send(part).await {
                SendOutcome::Sent { mr } => refs.push(mr),
                other => panic!("{}: {other:?}", p.name),
            }
        }
        let mut reported = Vec::new();
        while reported.len() < refs.len() {
            let (token, mr, class, origin) = next(&mut events, "status report", |k| match k {
                EventKind::StatusReport(r) => {
                    Some((r.token, r.mr, r.report.status.class(), r.origin.clone()))
                }
                _ => None,
            })
            .await;
            assert_eq!(class, StatusClass::Delivered, "{}", p.name);
            // <ds>=2 stores the report (+CDSI, read with +CMGR); <ds>=1
            // routes it (+CDS), TS 27.005 3.4.1.
            let stored = matches!(origin, Origin::Stored { .. });
            assert_eq!(stored, p.sms.cnmi.stores_reports(), "{}: {origin:?}", p.name);
            handle.confirm(token).await.expect("confirmed");
            reported.push(mr);
        }
        reported.sort_unstable();
        refs.sort_unstable();
        assert_eq!(reported, refs, "{}: reports match the parts", p.name);
        let mem = p.sms.storage[0].to_string();
        assert_eq!(used(&rig.sim(), i, &mem).await, 0, "{}: confirmed reports deleted", p.name);
    }
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_failed_delivery_is_reported_as_failed() {
    let rig = Rig::start(vec![profile("quectel-ec25")], RigOptions::default()).await;
    let handle = rig.handle(0);
    ready(handle).await;
    rig.sim().set_report_outcome(bubblegate_sim::ReportOutcome::Failed).await.expect("outcome");
    let mut events = handle.subscribe();
    let part = parts(OUTSIDE, "nobody home", TextEncoding::Auto, true).remove(0);
    let SendOutcome::Sent { mr } = handle.send(part).await else { panic!("not sent") };
    let (got, class) = next(&mut events, "status report", |k| match k {
        EventKind::StatusReport(r) => Some((r.mr, r.report.status.class())),
        _ => None,
    })
    .await;
    assert_eq!((got, class), (mr, StatusClass::Failed));
    rig.stop().await;
}
