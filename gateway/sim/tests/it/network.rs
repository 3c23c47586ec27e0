//! The network between modems: two simulated modems text each other and
//! the receiver sees `+CMTI` or `+CMT` as its `+CNMI` says; messages to
//! other numbers go to the outside-world log.

use bubblegate_sim::{Body, Event, ModemId};

use crate::support::*;

fn cmti_index(got: &str) -> Option<u32> {
    got.split("\r\n")
        .find_map(|l| l.strip_prefix("+CMTI: "))
        .and_then(|r| r.split(',').nth(1)?.parse().ok())
}

#[test]
fn every_profile_receives_from_another_in_both_modes() {
    let profiles = all_profiles();
    for (i, receiver) in profiles.iter().enumerate() {
        let sender = &profiles[(i + 1) % profiles.len()];
        for route in [false, true] {
            let mut sim = Sim::fast();
            let a = sim.add(sender.clone());
            let b = sim.add(receiver.clone());
            sim.quiet(a);
            sim.quiet(b);
            let cnmi = if route { "AT+CNMI=2,2,0,0,0" } else { "AT+CNMI=2,1,0,0,0" };
            assert_eq!(sim.at(b, cnmi), "\r\nOK\r\n");
            let text = "Hi from the other modem, long enough to need two parts? ".repeat(3);
            let answers = send_pdu(&mut sim, a, "+31600000002", &text, false);
            assert_eq!(answers.len(), 2);
            let got = sim.take(b);
            if route {
                assert_eq!(got.matches("+CMT: ,").count(), 2, "{}: {got:?}", receiver.name);
            } else {
                let mem = &receiver.sms.storage[2];
                assert_eq!(got, format!("\r\n+CMTI: \"{mem}\",1\r\n\r\n+CMTI: \"{mem}\",2\r\n"));
                assert_eq!(cmti_index(&got), Some(1));
            }
            let log = sim.net.received();
            assert_eq!(log.len(), 1);
            assert_eq!(log[0].to_modem, Some(b));
            assert_eq!(log[0].from_modem, a);
            assert_eq!(log[0].body, Body::Text(text.clone()));
            assert_eq!(log[0].parts, 2);
        }
    }
}

#[test]
fn reply_by_national_number() {
    let mut sim = Sim::fast();
    let a = sim.add(profile("simcom-sim800"));
    let b = sim.add(profile("huawei-e3372"));
    sim.quiet(a);
    sim.quiet(b);
    send_pdu(&mut sim, a, "0600000002", "national", false);
    assert_eq!(sim.take(b), "\r\n+CMTI: \"SM\",1\r\n");
    let (_, pdu) = {
        let got = sim.at(b, "AT+CMGR=1");
        let lines: Vec<String> =
            got.split("\r\n").filter(|l| !l.is_empty()).map(str::to_owned).collect();
        (lines[0].clone(), decode_pdu(&lines[1]))
    };
    let bubblegate_sms::Tpdu::Deliver(d) = pdu.tpdu else { panic!() };
    assert_eq!(d.originator.to_string(), "+31600000001");
    assert_eq!(sim.net.modem_by_number("+31600000002"), Some(ModemId(1)));
}

#[test]
fn events_tell_the_story() {
    let mut sim = Sim::fast();
    let a = sim.add(profile("quectel-ec25"));
    let b = sim.add(profile("quectel-eg91"));
    sim.quiet(a);
    sim.quiet(b);
    sim.drain_events();
    send_pdu(&mut sim, a, "+31600000002", "hello b", false);
    let events = sim.drain_events();
    assert!(events.contains(&Event::Delivered {
        id: b,
        from: "+31600000001".into(),
        part: 1,
        total: 1
    }));
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Received { message } if message.to_modem == Some(b))));
    let transcript: Vec<(String, String)> = events
        .iter()
        .filter_map(|e| match e {
            Event::Transcript { id, dir, line } if *id == a => {
                Some((dir.arrow().to_owned(), line.clone()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(transcript[0], (">>".to_owned(), "AT+CMGF=0".to_owned()));
    assert!(transcript.iter().any(|(d, l)| d == ">>" && l.ends_with("<SUB>")));
    assert!(transcript.contains(&("<<".to_owned(), "> ".to_owned())));
    assert!(transcript.contains(&("<<".to_owned(), "+CMGS: 1".to_owned())));
    // Events and the log serialize for the control interface.
    let json = serde_json::to_value(&events[events.len() - 1]).unwrap();
    assert!(json.get("event").is_some());
    let json = serde_json::to_value(sim.net.modems()).unwrap();
    assert_eq!(json[0]["number"], "+31600000001");
    assert_eq!(json[1]["profile"], "quectel-eg91");
}

#[test]
fn incomplete_messages_are_logged_after_the_timeout() {
    let mut sim = Sim::fast();
    let a = sim.add(profile("simcom-sim800"));
    sim.quiet(a);
    let parts = submit_pdus("+31612345678", &"lost part ".repeat(20), false, 9);
    assert_eq!(parts.len(), 2);
    let (len, hex) = &parts[0];
    sim.at(a, &format!("AT+CMGS={len}"));
    sim.write(a, format!("{hex}\x1a").as_bytes());
    assert!(sim.net.received().is_empty());
    sim.advance(sim.net.config().reassembly_timeout);
    let log = sim.net.received();
    assert_eq!(log.len(), 1);
    assert!(!log[0].complete);
    assert_eq!(log[0].missing, vec![2]);
}
