//! Receiving, in both `+CNMI` modes of TS 27.005 3.4.1: stored and
//! announced with `+CMTI: <mem>,<index>` (then `+CMGR`/`+CMGL`/`+CMGD`,
//! 3.5.3, 3.5.2, 3.5.4), or routed as `+CMT: [<alpha>],<length>` and
//! acknowledged with `+CNMA` (3.4.4) where `+CSMS=1` asks for it.

use std::sync::Arc;
use std::time::Duration;

use bubblegate_sim::{Body, Profile};
use bubblegate_sms::{Pdu, Tpdu};

use crate::support::*;

const FROM: &str = "+31699999999";

/// A profile variant that routes new messages (`<mt>` 2) and needs
/// `+CNMA` for each, as the profile schema allows.
fn routing(name: &str) -> Arc<Profile> {
    let mut p = (*profile(name)).clone();
    p.sms.delivery = bubblegate_profiles::Delivery::Route;
    p.sms.cnmi.mt = 2;
    p.sms.needs_cnma = true;
    Arc::new(p)
}

fn deliver_text(pdu: &Pdu) -> (String, String) {
    match &pdu.tpdu {
        Tpdu::Deliver(d) => match &d.user_data.body {
            Body::Text(t) => (d.originator.to_string(), t.clone()),
            Body::Data(_) => panic!("data body"),
        },
        other => panic!("not a DELIVER: {other:?}"),
    }
}

/// Splits `\r\n+CMGR: ...\r\n<pdu>\r\n\r\nOK\r\n` into the header and PDU.
fn header_and_pdu(answer: &str) -> (String, Pdu) {
    let lines: Vec<&str> = answer.split("\r\n").filter(|l| !l.is_empty()).collect();
    (lines[0].to_owned(), decode_pdu(lines[1]))
}

#[test]
fn stored_with_cmti_then_read_and_deleted_on_every_profile() {
    for p in all_profiles() {
        let mem = p.sms.storage[2].to_string();
        let mut sim = Sim::fast();
        let id = sim.add(p.clone());
        sim.quiet(id);
        for line in p.sms_setup() {
            let got = sim.at(id, line.as_str());
            assert!(got.ends_with("\r\nOK\r\n"), "{}: {line} -> {got:?}", p.name);
        }
        sim.net.inject_text("+31600000001", FROM, "Hello there", sim.now).unwrap();
        assert_eq!(sim.take(id), format!("\r\n+CMTI: \"{mem}\",1\r\n"), "{}", p.name);
        let answer = sim.at(id, "AT+CMGR=1");
        let (head, pdu) = header_and_pdu(&answer);
        let len = pdu.encode().unwrap().tpdu_length;
        // TS 27.005 3.5.3 PDU mode: +CMGR: <stat>,[<alpha>],<length>.
        assert_eq!(head, format!("+CMGR: 0,,{len}"), "{}", p.name);
        assert!(answer.ends_with("\r\n\r\nOK\r\n"));
        assert_eq!(deliver_text(&pdu), (FROM.to_owned(), "Hello there".to_owned()));
        // Read once: REC READ (1).
        assert!(sim.at(id, "AT+CMGR=1").starts_with(&format!("\r\n+CMGR: 1,,{len}\r\n")));
        assert_eq!(sim.at(id, "AT+CMGD=1"), "\r\nOK\r\n");
        assert_eq!(sim.at(id, "AT+CMGR=1"), "\r\nOK\r\n");
        assert_eq!(sim.at(id, "AT+CMGL=4"), "\r\nOK\r\n");
    }
}

#[test]
fn concatenated_parts_arrive_as_parts() {
    let mut sim = Sim::fast();
    let id = sim.add(profile("quectel-ec25"));
    sim.quiet(id);
    let text = "Ünïcödé makes this UCS-2, so seventy characters per part is the limit. ".repeat(2);
    sim.net.inject_text("+31600000001", FROM, &text, sim.now).unwrap();
    assert_eq!(
        sim.take(id),
        "\r\n+CMTI: \"ME\",1\r\n\r\n+CMTI: \"ME\",2\r\n\r\n+CMTI: \"ME\",3\r\n"
    );
    let listed = sim.at(id, "AT+CMGL=4");
    let lines: Vec<&str> = listed.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 7, "{listed:?}");
    let mut joined = String::new();
    for (i, pair) in lines[..6].chunks(2).enumerate() {
        assert!(pair[0].starts_with(&format!("+CMGL: {},0,,", i + 1)), "{}", pair[0]);
        let pdu = decode_pdu(pair[1]);
        let Tpdu::Deliver(d) = &pdu.tpdu else { panic!() };
        let concat = d.user_data.udh.as_ref().and_then(|u| u.concat()).unwrap();
        assert_eq!((concat.seq, concat.total), (i as u8 + 1, 3));
        joined.push_str(&deliver_text(&pdu).1);
    }
    assert_eq!(joined, text);
    // Listing REC UNREAD marked them read: a second unread listing is empty.
    assert_eq!(sim.at(id, "AT+CMGL=0"), "\r\nOK\r\n");
    assert_eq!(sim.at(id, "AT+CMGL=1").matches("+CMGL:").count(), 3);
}

#[test]
fn raw_pdus_in_any_order() {
    use bubblegate_sms::segment::{plan_text, SegmentOptions};
    use bubblegate_sms::{Address, Deliver, Timestamp};
    let text = "part ".repeat(50);
    let plan = plan_text(&text, &SegmentOptions::default()).unwrap();
    let scts =
        Timestamp { year: 2025, month: 3, day: 4, hour: 5, minute: 6, second: 7, tz_quarters: 0 };
    let mut pdus: Vec<Vec<u8>> = plan
        .user_data(0x42)
        .into_iter()
        .map(|user_data| {
            let d = Deliver {
                more_messages: false,
                loop_prevention: false,
                status_report_indication: false,
                reply_path: false,
                originator: Address::phone(FROM).unwrap(),
                pid: 0,
                dcs: plan.dcs(None),
                scts,
                user_data,
            };
            let e = Pdu { smsc: None, tpdu: Tpdu::Deliver(d) }.encode().unwrap();
            // Without the SMSC field: the TPDU alone.
            e.bytes[1..].to_vec()
        })
        .collect();
    pdus.reverse();
    let mut sim = Sim::fast();
    let id = sim.add(profile("simcom-sim800"));
    sim.quiet(id);
    sim.net.inject_pdus("+31600000001", &pdus, sim.now).unwrap();
    assert_eq!(sim.take(id), "\r\n+CMTI: \"SM\",1\r\n\r\n+CMTI: \"SM\",2\r\n");
    let (_, first) = header_and_pdu(&sim.at(id, "AT+CMGR=1"));
    let Tpdu::Deliver(d) = &first.tpdu else { panic!() };
    assert_eq!(d.user_data.udh.as_ref().and_then(|u| u.concat()).map(|c| c.seq), Some(2));
    assert_eq!(d.scts, scts);
    let delivered: Vec<(u8, u8)> = sim
        .drain_events()
        .into_iter()
        .filter_map(|e| match e {
            bubblegate_sim::Event::Delivered { part, total, .. } => Some((part, total)),
            _ => None,
        })
        .collect();
    assert_eq!(delivered, vec![(2, 2), (1, 2)]);
    assert!(matches!(
        sim.net.inject_pdus("+31600000001", &[vec![0xFF]], sim.now),
        Err(bubblegate_sim::SimError::InvalidPdu { index: 0, .. })
    ));
    assert!(matches!(
        sim.net.inject_text("+31677777777", FROM, "x", sim.now),
        Err(bubblegate_sim::SimError::UnknownNumber(_))
    ));
}

#[test]
fn routed_with_cmt_and_acknowledged_with_cnma_on_every_profile() {
    for base in all_profiles() {
        let p = routing(&base.name);
        let mut sim = Sim::fast();
        let id = sim.add(p.clone());
        sim.quiet(id);
        for line in p.sms_setup() {
            assert!(sim.at(id, line.as_str()).ends_with("\r\nOK\r\n"), "{}: {line}", p.name);
        }
        // needs_cnma: the modem starts in phase 2+ (+CSMS: 1).
        assert_eq!(sim.at(id, "AT+CSMS?"), "\r\n+CSMS: 1,1,1,1\r\n\r\nOK\r\n", "{}", p.name);
        sim.net.inject_text("+31600000001", FROM, "first", sim.now).unwrap();
        sim.net.inject_text("+31600000001", FROM, "second", sim.now).unwrap();
        let got = sim.take(id);
        let lines: Vec<&str> = got.split("\r\n").filter(|l| !l.is_empty()).collect();
        // TS 27.005 3.4.1: +CMT: [<alpha>],<length><CR><LF><pdu>; the next
        // one waits for the acknowledgement.
        assert_eq!(lines.len(), 2, "{}: {got:?}", p.name);
        let pdu = decode_pdu(lines[1]);
        assert_eq!(lines[0], format!("+CMT: ,{}", pdu.encode().unwrap().tpdu_length));
        assert_eq!(got, format!("\r\n{}\r\n{}\r\n", lines[0], lines[1]));
        assert_eq!(deliver_text(&pdu).1, "first");
        // The acknowledgement frees the next one, right after the OK.
        let got = sim.at(id, "AT+CNMA");
        let lines: Vec<&str> = got.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(&lines[..2], &["OK", lines[1]]);
        assert!(lines[1].starts_with("+CMT: ,"));
        let second = lines[2].to_owned();
        assert_eq!(deliver_text(&decode_pdu(&second)).1, "second");
        assert_eq!(sim.at(id, "AT+CNMA=0"), "\r\nOK\r\n");
        // Nothing to acknowledge: 340.
        assert_eq!(sim.at(id, "AT+CNMA"), "\r\n+CMS ERROR: 340\r\n");
        // Nothing was stored.
        assert_eq!(sim.at(id, "AT+CMGL=4"), "\r\nOK\r\n");
    }
}

#[test]
fn unacknowledged_cmt_turns_routing_off_and_the_network_retries() {
    // TS 27.005 3.4.4: without +CNMA in time the ME sets <mt> and <ds> to
    // 0; the SC keeps the message and delivers it again, now stored.
    let mut sim = Sim::fast();
    let id = sim.add(routing("quectel-ec25"));
    sim.quiet(id);
    sim.at(id, "AT+CNMI=2,2,0,1,0");
    sim.net.inject_text("+31600000001", FROM, "ack me", sim.now).unwrap();
    assert!(sim.take(id).starts_with("\r\n+CMT: ,"));
    let timeout = sim.net.config().cnma_timeout;
    sim.advance(timeout);
    assert_eq!(sim.at(id, "AT+CNMI?"), "\r\n+CNMI: 2,0,0,0,0\r\n\r\nOK\r\n");
    sim.advance(timeout);
    // Stored without an indication (<mt> 0), and readable.
    assert_eq!(sim.take(id), "");
    let listed = sim.at(id, "AT+CMGL=4");
    let pdu = listed.split("\r\n").filter(|l| !l.is_empty()).nth(1).unwrap().to_owned();
    assert_eq!(deliver_text(&decode_pdu(&pdu)).1, "ack me");
}

#[test]
fn negative_acknowledgement_means_delivered_again_later() {
    let mut sim = Sim::fast();
    let id = sim.add(routing("simcom-sim800"));
    sim.quiet(id);
    sim.at(id, "AT+CNMI=2,2,0,0,0");
    sim.net.inject_text("+31600000001", FROM, "again", sim.now).unwrap();
    assert!(sim.take(id).starts_with("\r\n+CMT: ,"));
    assert_eq!(sim.at(id, "AT+CNMA=2"), "\r\nOK\r\n");
    sim.advance(sim.net.config().cnma_timeout);
    assert!(sim.take(id).starts_with("\r\n+CMT: ,"));
}

#[test]
fn without_csms_1_routed_messages_need_no_ack() {
    let mut sim = Sim::fast();
    let id = sim.add(profile("quectel-ec25"));
    sim.quiet(id);
    assert_eq!(sim.at(id, "AT+CSMS?"), "\r\n+CSMS: 0,1,1,1\r\n\r\nOK\r\n");
    sim.at(id, "AT+CNMI=2,2,0,0,0");
    sim.net.inject_text("+31600000001", FROM, "one", sim.now).unwrap();
    sim.net.inject_text("+31600000001", FROM, "two", sim.now).unwrap();
    assert_eq!(sim.take(id).matches("+CMT: ,").count(), 2);
    assert_eq!(sim.at(id, "AT+CNMA"), "\r\n+CMS ERROR: 340\r\n");
}

#[test]
fn text_mode_indications_and_reads() {
    // TS 27.005 4.1 (+CMGL), 4.2 (+CMGR) and 3.4.1 text-mode +CMT:
    // <oa>,[<alpha>],<scts>[,<tooa>,<fo>,<pid>,<dcs>,<sca>,<tosca>,<length>].
    let mut sim = Sim::fast();
    let id = sim.add(profile("simcom-sim800"));
    sim.quiet(id);
    sim.at(id, "AT+CMGF=1");
    sim.net.inject_text("+31600000001", FROM, "stored text", sim.now).unwrap();
    assert_eq!(sim.take(id), "\r\n+CMTI: \"SM\",1\r\n");
    assert_eq!(
        sim.at(id, "AT+CMGR=1"),
        "\r\n+CMGR: \"REC UNREAD\",\"+31699999999\",,\"25/01/01,01:00:00+04\"\r\nstored text\r\n\r\nOK\r\n"
    );
    sim.at(id, "AT+CSDH=1");
    assert_eq!(
        sim.at(id, "AT+CMGR=1"),
        "\r\n+CMGR: \"REC READ\",\"+31699999999\",,\"25/01/01,01:00:00+04\",145,4,0,0,\"+31653131313\",145,11\r\nstored text\r\n\r\nOK\r\n"
    );
    assert_eq!(
        sim.at(id, "AT+CMGL=\"ALL\""),
        "\r\n+CMGL: 1,\"REC READ\",\"+31699999999\",,\"25/01/01,01:00:00+04\",145,11\r\nstored text\r\n\r\nOK\r\n"
    );
    assert_eq!(sim.at(id, "AT+CMGL=4"), "\r\n+CMS ERROR: 305\r\n");
    sim.at(id, "AT+CSDH=0");
    sim.at(id, "AT+CNMI=2,2,0,0,0");
    sim.net.inject_text("+31600000001", "Bank", "routed text", sim.now).unwrap();
    assert_eq!(sim.take(id), "\r\n+CMT: \"Bank\",,\"25/01/01,01:00:00+04\"\r\nrouted text\r\n");
}

#[test]
fn delete_flags() {
    // TS 27.005 3.5.4 <delflag>: 1 read, 2 read+sent, 3 read+sent+unsent,
    // 4 all.
    let mut sim = Sim::fast();
    let id = sim.add(profile("simcom-sim800"));
    sim.quiet(id);
    let fill = |sim: &mut Sim| {
        sim.at(id, "AT+CMGD=1,4");
        sim.at(id, "AT+CMGF=1");
        for stat in ["REC UNREAD", "REC READ", "STO UNSENT", "STO SENT"] {
            // +CMGW in text mode stores a SUBMIT; write DELIVERs through
            // the network for the REC states instead.
            if stat.starts_with("REC") {
                sim.net.inject_text("+31600000001", FROM, stat, sim.now).unwrap();
            } else {
                sim.at(id, &format!("AT+CMGW=\"{FROM}\",145,\"{stat}\""));
                sim.write(id, format!("{stat}\x1a").as_bytes());
            }
        }
        // Mark the second one read.
        sim.at(id, "AT+CMGR=2");
        sim.take(id);
    };
    let table = [("1", vec![1, 3, 4]), ("2", vec![1, 3]), ("3", vec![1]), ("4", vec![])];
    for (flag, left) in table {
        fill(&mut sim);
        assert_eq!(sim.at(id, &format!("AT+CMGD=0,{flag}")), "\r\nOK\r\n");
        sim.at(id, "AT+CMGF=0");
        let listed = sim.at(id, "AT+CMGD=?");
        let list: Vec<String> = left.iter().map(u32::to_string).collect();
        assert_eq!(
            listed,
            format!("\r\n+CMGD: ({}),(0-4)\r\n\r\nOK\r\n", list.join(",")),
            "flag {flag}"
        );
    }
    assert_eq!(sim.at(id, "AT+CMGD=31"), "\r\n+CMS ERROR: 321\r\n");
    assert_eq!(sim.at(id, "AT+CMGD=1,5"), "\r\n+CMS ERROR: 303\r\n");
}

#[test]
fn cpms_storages_and_capacities() {
    // TS 27.005 3.2.2: +CPMS: <used1>,<total1>,<used2>,<total2>,<used3>,<total3>.
    let mut sim = Sim::fast();
    let id = sim.add(profile("quectel-ec25"));
    sim.quiet(id);
    assert_eq!(
        sim.at(id, "AT+CPMS=?"),
        "\r\n+CPMS: (\"ME\",\"SM\"),(\"ME\",\"SM\"),(\"ME\",\"SM\")\r\n\r\nOK\r\n"
    );
    assert_eq!(
        sim.at(id, "AT+CPMS?"),
        "\r\n+CPMS: \"ME\",0,255,\"ME\",0,255,\"ME\",0,255\r\n\r\nOK\r\n"
    );
    assert_eq!(
        sim.at(id, "AT+CPMS=\"SM\",\"SM\",\"SM\""),
        "\r\n+CPMS: 0,30,0,30,0,30\r\n\r\nOK\r\n"
    );
    sim.net.inject_text("+31600000001", FROM, "x", sim.now).unwrap();
    assert_eq!(sim.take(id), "\r\n+CMTI: \"SM\",1\r\n");
    assert_eq!(sim.at(id, "AT+CPMS=\"XX\""), "\r\n+CMS ERROR: 302\r\n");
    assert_eq!(
        sim.at(id, "AT+CPMS?"),
        "\r\n+CPMS: \"SM\",1,30,\"SM\",1,30,\"SM\",1,30\r\n\r\nOK\r\n"
    );
}

#[test]
fn clock_runs_in_time_stamps() {
    let mut sim = Sim::fast();
    let id = sim.add(profile("simcom-sim800"));
    sim.quiet(id);
    sim.advance(Duration::from_secs(3600 + 61));
    sim.at(id, "AT+CMGF=1");
    sim.net.inject_text("+31600000001", FROM, "later", sim.now).unwrap();
    sim.take(id);
    assert!(sim.at(id, "AT+CMGR=1").contains("\"25/01/01,02:01:01+04\""));
    assert_eq!(sim.at(id, "AT+CCLK?"), "\r\n+CCLK: \"25/01/01,02:01:01+04\"\r\n\r\nOK\r\n");
}
