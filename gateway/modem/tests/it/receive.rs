//! Receiving, for every profile: stored messages (`+CMTI`, then `+CMGR`)
//! and routed ones (`+CMT`, acknowledged with `+CNMA` after the consumer's
//! confirmation), the startup sweep of messages stored while no actor ran,
//! parts handed over one by one, and port-addressed (WAP push) messages
//! handed over as data.

use bubblegate_modem::{EventKind, Origin};
use bubblegate_simulator::Recipient;
use bubblegate_sms::{Address, Body, Deliver, Pdu, Ports, Timestamp, Tpdu, Udh, UserData};

use crate::support::{self, *};

const FROM: &str = "+31699999999";

async fn used(rig: &Rig, i: usize, storage: &str) -> u32 {
    support::used(&rig.sim(), i, storage).await
}

#[tokio::test(start_paused = true)]
async fn stored_messages_are_read_handed_over_and_deleted_after_confirmation() {
    let profiles = all_profiles();
    let rig = Rig::start(profiles.clone(), RigOptions::default()).await;
    let long = "A concatenated message arrives as parts, each handed over on its own, \
        and the consumer puts them back together durably, whatever order they come in."
        .repeat(2);
    for (i, p) in profiles.iter().enumerate() {
        let handle = rig.handle(i);
        ready(handle).await;
        let storage = p.sms.storage[2].to_string();
        let mut events = handle.subscribe();
        rig.sim()
            .inject_text(Recipient::Modem(ModemIdx(i).into()), FROM, "Hello there")
            .await
            .expect("inject");
        let (token, text) = next(&mut events, "message", text_of).await;
        assert_eq!(text, "Hello there", "{}", p.name);
        // Not deleted before the confirmation.
        assert_eq!(used(&rig, i, &storage).await, 1, "{}", p.name);
        handle.confirm(token).await.expect("confirmed");
        assert_eq!(used(&rig, i, &storage).await, 0, "{}: deleted", p.name);
        assert!(handle.confirm(token).await.is_err(), "a token confirms once");

        rig.sim()
            .inject_text(Recipient::Modem(ModemIdx(i).into()), FROM, &long)
            .await
            .expect("inject");
        let count =
            bubblegate_sms::segment::plan_text(&long, &Default::default()).expect("plan").count();
        let mut joined = Vec::new();
        while joined.len() < count {
            let (token, part) = next(&mut events, "part", |k| match k {
                EventKind::Inbound(m) => {
                    let concat = m.deliver.user_data.udh.as_ref().and_then(Udh::concat)?;
                    let Body::Text(t) = &m.deliver.user_data.body else { return None };
                    Some((m.token, (concat.seq, t.clone())))
                }
                _ => None,
            })
            .await;
            handle.confirm(token).await.expect("confirmed");
            joined.push(part);
        }
        joined.sort();
        let text: String = joined.into_iter().map(|(_, t)| t).collect();
        assert_eq!(text, long, "{}", p.name);
        assert_eq!(used(&rig, i, &storage).await, 0, "{}", p.name);
    }
    rig.stop().await;
}

/// Index of a simulated modem, for `Recipient::Modem`.
pub struct ModemIdx(pub usize);

impl From<ModemIdx> for bubblegate_sim::ModemId {
    fn from(i: ModemIdx) -> Self {
        bubblegate_sim::ModemId(i.0 as u32)
    }
}

#[tokio::test(start_paused = true)]
async fn routed_messages_are_acknowledged_after_confirmation_on_every_profile() {
    let profiles: Vec<_> = all_profiles().iter().map(|p| routing(&p.name)).collect();
    let options = RigOptions { fixed: true, ..RigOptions::default() };
    let rig = Rig::start(profiles.clone(), options).await;
    for (i, p) in profiles.iter().enumerate() {
        let handle = rig.handle(i);
        ready(handle).await;
        let mut events = handle.subscribe();
        for text in ["first", "second"] {
            rig.sim()
                .inject_text(Recipient::Modem(ModemIdx(i).into()), FROM, text)
                .await
                .expect("inject");
        }
        for expected in ["first", "second"] {
            let (token, origin, text) = next(&mut events, "routed message", |k| match k {
                EventKind::Inbound(m) => match &m.deliver.user_data.body {
                    Body::Text(t) => Some((m.token, m.origin.clone(), t.clone())),
                    Body::Data(_) => None,
                },
                _ => None,
            })
            .await;
            assert_eq!((origin, text.as_str()), (Origin::Routed, expected), "{}", p.name);
            if let Err(err) = handle.confirm(token).await {
                panic!("{} {expected}: {err}\n{}", p.name, rig.transcript(i));
            }
        }
        let transcript = rig.transcript(i);
        assert_eq!(sent_count(&transcript, "AT+CNMA"), 2, "{}: {transcript}", p.name);
        assert_eq!(used(&rig, i, &p.sms.storage[2].to_string()).await, 0, "nothing stored");
    }
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_routed_message_not_confirmed_in_time_is_refused_and_comes_again() {
    let options = RigOptions { fixed: true, ..RigOptions::default() };
    let rig = Rig::start(vec![routing("quectel-ec25")], options).await;
    let handle = rig.handle(0);
    ready(handle).await;
    let mut events = handle.subscribe();
    rig.sim()
        .inject_text(Recipient::Modem(ModemIdx(0).into()), FROM, "again")
        .await
        .expect("inject");
    let (first, _) = next(&mut events, "routed message", text_of).await;
    // No confirmation: after the wait the actor refuses it (+CNMA=2) and
    // the network delivers it again later.
    let (second, text) = next(&mut events, "redelivery", text_of).await;
    assert_ne!(first, second);
    assert_eq!(text, "again");
    assert!(sent(&rig.transcript(0), "AT+CNMA=2"));
    assert!(handle.confirm(first).await.is_err(), "the refused token is gone");
    handle.confirm(second).await.expect("acknowledged");
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn the_startup_sweep_hands_over_what_arrived_while_no_actor_ran_on_every_profile() {
    let profiles = all_profiles();
    let options = RigOptions { start_actors: false, ..RigOptions::default() };
    let mut rig = Rig::start(profiles.clone(), options).await;
    for i in 0..profiles.len() {
        for text in ["one", "two"] {
            rig.sim()
                .inject_text(Recipient::Modem(ModemIdx(i).into()), FROM, text)
                .await
                .expect("inject");
        }
    }
    rig.start_actors(&RigOptions::default());
    for (i, p) in profiles.iter().enumerate() {
        let handle = rig.handle(i);
        let storage = p.sms.storage[2].to_string();
        // The events of the sweep may come before this subscription, so
        // the unconfirmed count shows them; a second sweep (the next
        // session) would hand them over again.
        ready(handle).await;
        assert_eq!(used(&rig, i, &storage).await, 2, "{}: stored while down", p.name);
        assert_eq!(handle.status().unconfirmed, 2, "{}", p.name);
    }
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn swept_messages_are_deleted_after_confirmation() {
    let options = RigOptions { start_actors: false, ..RigOptions::default() };
    let mut rig = Rig::start(vec![profile("simcom-sim800")], options).await;
    for text in ["one", "two"] {
        rig.sim()
            .inject_text(Recipient::Modem(ModemIdx(0).into()), FROM, text)
            .await
            .expect("inject");
    }
    // Subscribe before the actor starts: start, then take the events from
    // the handle's channel created at spawn.
    rig.start_actors(&RigOptions::default());
    let handle = rig.handle(0).clone();
    let mut events = handle.subscribe();
    let mut texts = Vec::new();
    while texts.len() < 2 {
        let (token, text) = next(&mut events, "swept message", text_of).await;
        handle.confirm(token).await.expect("confirmed");
        texts.push(text);
    }
    texts.sort();
    assert_eq!(texts, ["one", "two"]);
    assert_eq!(used(&rig, 0, "SM").await, 0);
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn port_addressed_messages_are_handed_over_as_data() {
    let rig = Rig::start(vec![profile("huawei-e3372")], RigOptions::default()).await;
    let handle = rig.handle(0);
    ready(handle).await;
    let mut events = handle.subscribe();
    // A WAP push (WDP port 2948) with a few bytes of WSP.
    let body = vec![0x01, 0x06, 0x04, 0xBE, 0xAF, 0x84, 0x8C, 0x82];
    let deliver = Deliver {
        more_messages: false,
        loop_prevention: false,
        status_report_indication: false,
        reply_path: false,
        originator: Address::phone(FROM).expect("address"),
        pid: 0,
        dcs: bubblegate_sms::Dcs(0x04),
        scts: Timestamp {
            year: 2025,
            month: 1,
            day: 2,
            hour: 3,
            minute: 4,
            second: 5,
            tz_quarters: 4,
        },
        user_data: UserData {
            udh: Some(Udh {
                ies: vec![bubblegate_sms::Ie::Ports(Ports { src: 9200, dst: 2948, wide: true })],
            }),
            body: Body::Data(body.clone()),
        },
    };
    let encoded = Pdu { smsc: None, tpdu: Tpdu::Deliver(deliver) }.encode().expect("encodes");
    rig.sim()
        .inject_pdus(Recipient::Modem(ModemIdx(0).into()), vec![encoded.bytes[1..].to_vec()])
        .await
        .expect("inject");
    let message = next(&mut events, "WAP push", |k| match k {
        EventKind::Inbound(m) => Some(m.clone()),
        _ => None,
    })
    .await;
    assert_eq!(message.ports().map(|p| p.dst), Some(2948));
    assert_eq!(message.deliver.user_data.body, Body::Data(body));
    handle.confirm(message.token).await.expect("confirmed");
    rig.stop().await;
}

/// A variant of `name` without PDU mode.
fn text_only(name: &str) -> std::sync::Arc<bubblegate_sim::Profile> {
    let mut p = (*profile(name)).clone();
    p.sms.modes = bubblegate_profiles::SmsModes { pdu: false, text: true };
    std::sync::Arc::new(p)
}

#[tokio::test(start_paused = true)]
async fn a_text_only_modem_sends_single_parts_and_receives() {
    use bubblegate_modem::{SendError, SendOutcome};
    use bubblegate_sms::segment::TextEncoding;

    let options = RigOptions { fixed: true, ..RigOptions::default() };
    let rig = Rig::start(vec![text_only("simcom-sim800")], options).await;
    let handle = rig.handle(0);
    ready(handle).await;
    assert!(sent(&rig.transcript(0), "AT+CMGF=1"));
    for text in ["Plain ASCII text", "Grüße"] {
        let part = parts(OUTSIDE, text, TextEncoding::Auto, false).remove(0);
        let outcome = handle.send(part).await;
        assert!(matches!(outcome, SendOutcome::Sent { .. }), "{text}: {outcome:?}");
    }
    let long = "x".repeat(200);
    let part = parts(OUTSIDE, &long, TextEncoding::Auto, false).remove(0);
    match handle.send(part).await {
        SendOutcome::Failed { error: SendError::Invalid(_), .. } => {}
        other => panic!("{other:?}"),
    }
    let received = rig.sim().received().await.expect("received");
    let texts: Vec<_> = received.iter().map(|m| m.body.clone()).collect();
    assert_eq!(texts, [Body::Text("Plain ASCII text".into()), Body::Text("Grüße".into())]);

    let mut events = handle.subscribe();
    rig.sim()
        .inject_text(Recipient::Modem(ModemIdx(0).into()), FROM, "in text mode")
        .await
        .expect("inject");
    let (token, text) = next(&mut events, "message", text_of).await;
    assert_eq!(text, "in text mode");
    handle.confirm(token).await.expect("confirmed");
    assert_eq!(used(&rig, 0, "SM").await, 0);
    rig.stop().await;
}
