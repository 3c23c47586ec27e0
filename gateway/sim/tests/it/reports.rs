//! Status reports (TS 23.040 9.2.2.3) as `+CNMI` `<ds>` asks (TS 27.005
//! 3.4.1): routed as `+CDS: <length><CR><LF><pdu>` (`<ds>` 1) or stored
//! and announced as `+CDSI: <mem>,<index>` (`<ds>` 2), with the outcome
//! the network is set to.

use std::time::Duration;

use bubblegate_sim::{NetworkConfig, ReportOutcome};
use bubblegate_sms::{Pdu, Status, Tpdu};

use crate::support::*;

const OUTSIDE: &str = "+31612345678";

fn report_of(pdu: &Pdu) -> &bubblegate_sms::StatusReport {
    match &pdu.tpdu {
        Tpdu::StatusReport(r) => r,
        other => panic!("not a status report: {other:?}"),
    }
}

#[test]
fn cds_with_each_outcome_on_every_profile() {
    let outcomes = [
        (ReportOutcome::Delivered, Status::DELIVERED),
        (ReportOutcome::Failed, Status::FAILED_NOT_OBTAINABLE),
        (ReportOutcome::Pending, Status::PENDING_SME_BUSY),
    ];
    for p in all_profiles() {
        for (outcome, status) in outcomes {
            let mut sim = Sim::fast();
            let id = sim.add(p.clone());
            sim.quiet(id);
            sim.net.set_report_outcome(outcome);
            assert_eq!(sim.at(id, "AT+CNMI=2,1,0,1,0"), "\r\nOK\r\n");
            let answers = send_pdu(&mut sim, id, OUTSIDE, "report please", true);
            let lines: Vec<&str> = answers[0].split("\r\n").filter(|l| !l.is_empty()).collect();
            assert_eq!(&lines[..2], &["+CMGS: 1", "OK"], "{}", p.name);
            let pdu = decode_pdu(lines[3]);
            assert_eq!(lines[2], format!("+CDS: {}", pdu.encode().unwrap().tpdu_length));
            let report = report_of(&pdu);
            assert_eq!(report.message_ref, 1);
            assert_eq!(report.recipient.to_string(), OUTSIDE);
            assert_eq!(report.status, status, "{} {outcome:?}", p.name);
            assert!(sim.net.received()[0].status_report_requested);
        }
    }
}

#[test]
fn cdsi_stores_the_report() {
    for p in all_profiles() {
        let mem = p.sms.storage[2].to_string();
        let mut sim = Sim::fast();
        let id = sim.add(p.clone());
        sim.quiet(id);
        sim.at(id, "AT+CNMI=2,1,0,2,0");
        let answers = send_pdu(&mut sim, id, OUTSIDE, "stored report", true);
        assert_eq!(
            answers[0],
            format!("\r\n+CMGS: 1\r\n\r\nOK\r\n\r\n+CDSI: \"{mem}\",1\r\n"),
            "{}",
            p.name
        );
        let read = sim.at(id, "AT+CMGR=1");
        let lines: Vec<&str> = read.split("\r\n").filter(|l| !l.is_empty()).collect();
        let pdu = decode_pdu(lines[1]);
        assert_eq!(lines[0], format!("+CMGR: 0,,{}", pdu.encode().unwrap().tpdu_length));
        assert_eq!(report_of(&pdu).message_ref, 1);
    }
}

#[test]
fn no_report_without_ds_or_srr() {
    let mut sim = Sim::fast();
    let id = sim.add(profile("simcom-sim800"));
    sim.quiet(id);
    sim.at(id, "AT+CNMI=2,1,0,0,0");
    assert_eq!(send_pdu(&mut sim, id, OUTSIDE, "x", true), vec!["\r\n+CMGS: 1\r\n\r\nOK\r\n"]);
    sim.at(id, "AT+CNMI=2,1,0,1,0");
    assert_eq!(send_pdu(&mut sim, id, OUTSIDE, "y", false), vec!["\r\n+CMGS: 2\r\n\r\nOK\r\n"]);
    sim.advance(Duration::from_secs(10));
    assert_eq!(sim.take(id), "");
}

#[test]
fn report_comes_after_the_report_delay() {
    let cfg = NetworkConfig { report_delay: Duration::from_secs(5), ..NetworkConfig::fast() };
    let mut sim = Sim::new(cfg);
    let id = sim.add(profile("quectel-ec25"));
    sim.quiet(id);
    sim.at(id, "AT+CNMI=2,1,0,1,0");
    assert_eq!(send_pdu(&mut sim, id, OUTSIDE, "x", true), vec!["\r\n+CMGS: 1\r\n\r\nOK\r\n"]);
    sim.advance(Duration::from_millis(4999));
    assert_eq!(sim.take(id), "");
    sim.advance(Duration::from_millis(1));
    assert!(sim.take(id).starts_with("\r\n+CDS: "));
}

#[test]
fn text_mode_cds() {
    // TS 27.005 3.4.1 text mode: +CDS: <fo>,<mr>,[<ra>],[<tora>],<scts>,<dt>,<st>.
    let mut sim = Sim::fast();
    let id = sim.add(profile("simcom-sim800"));
    sim.quiet(id);
    sim.at(id, "AT+CMGF=1");
    sim.at(id, "AT+CSMP=49,167,0,0");
    sim.at(id, "AT+CNMI=2,1,0,1,0");
    sim.at(id, &format!("AT+CMGS=\"{OUTSIDE}\""));
    sim.write(id, b"text report\x1a");
    assert_eq!(
        sim.take(id),
        "\r\n+CMGS: 1\r\n\r\nOK\r\n\r\n+CDS: 6,1,\"+31612345678\",145,\"25/01/01,01:00:00+04\",\"25/01/01,01:00:00+04\",0\r\n"
    );
}

#[test]
fn cds_needs_cnma_with_csms_1() {
    let mut sim = Sim::fast();
    let id = sim.add(profile("quectel-ec25"));
    sim.quiet(id);
    assert_eq!(sim.at(id, "AT+CSMS=1"), "\r\n+CSMS: 1,1,1\r\n\r\nOK\r\n");
    sim.at(id, "AT+CNMI=2,1,0,1,0");
    send_pdu(&mut sim, id, OUTSIDE, "one", true);
    send_pdu(&mut sim, id, OUTSIDE, "two", true);
    // The second +CDS waits for the acknowledgement of the first.
    let got = sim.at(id, "AT+CNMA");
    assert!(got.starts_with("\r\nOK\r\n\r\n+CDS: "), "{got:?}");
    let pdu = decode_pdu(got.split("\r\n").filter(|l| !l.is_empty()).nth(2).unwrap());
    assert_eq!(report_of(&pdu).message_ref, 2);
}

/// TS 27.005 3.4.1 `<ds>`=2: a report is stored whether or not anybody
/// reads the port, so a host that died (here: in the middle of a `> `
/// prompt, as a killed daemon leaves it) finds it at its next start. 3.5.2
/// `+CMGL=4` ("all") lists it as a PDU-mode SMS-STATUS-REPORT next to
/// received messages; only `+CMGD` (3.5.4) removes it.
#[test]
fn a_report_stored_while_the_host_is_silent_waits_for_cmgl() {
    for p in all_profiles() {
        let cfg = NetworkConfig { report_delay: Duration::from_secs(5), ..NetworkConfig::fast() };
        let mut sim = Sim::new(cfg);
        let id = sim.add(p.clone());
        let mem = p.sms.storage[2].to_string();
        sim.quiet(id);
        assert_eq!(sim.at(id, "AT+CNMI=2,1,0,2,0"), "\r\nOK\r\n", "{}", p.name);
        assert_eq!(
            send_pdu(&mut sim, id, OUTSIDE, "report later", true)[0],
            "\r\n+CMGS: 1\r\n\r\nOK\r\n"
        );
        // The host opens another send and dies at the prompt.
        assert_eq!(sim.at(id, "AT+CMGS=20"), "\r\n> ");
        let used = |sim: &Sim| {
            let info = sim.net.modem(id).expect("modem");
            info.storage.iter().find(|(m, _, _)| *m == mem).map(|(_, used, _)| *used)
        };
        assert_eq!(used(&sim), Some(0), "{}: nothing stored before the report", p.name);
        sim.advance(Duration::from_secs(60));
        assert_eq!(used(&sim), Some(1), "{}: stored with nobody listening", p.name);
        // A message from outside arrives meanwhile, too.
        let number = sim.net.modem(id).expect("modem").number;
        sim.net.inject_text(&number, "+31600000009", "hi", sim.now).expect("inject");
        sim.collect();
        assert_eq!(used(&sim), Some(2), "{}", p.name);

        // The next host: ESC ends the dead prompt (3.5.1), then the sweep.
        sim.take(id);
        sim.write(id, b"\x1b");
        let list = sim.at(id, "AT+CMGL=4");
        let lines: Vec<&str> = list.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 5, "{}: two entries and OK: {list:?}", p.name);
        assert_eq!(lines[4], "OK");
        let mut kinds = Vec::new();
        for entry in lines[..4].chunks(2) {
            let pdu = decode_pdu(entry[1]);
            // +CMGL: <index>,<stat>,[<alpha>],<length>: unread so far.
            let head: Vec<&str> = entry[0].trim_start_matches("+CMGL: ").split(',').collect();
            assert_eq!(head[1], "0", "{}: {entry:?}", p.name);
            assert_eq!(head[3], pdu.encode().unwrap().tpdu_length.to_string());
            match &pdu.tpdu {
                Tpdu::StatusReport(r) => {
                    assert_eq!((r.message_ref, r.status), (1, Status::DELIVERED), "{}", p.name);
                    assert_eq!(r.recipient.to_string(), OUTSIDE);
                    kinds.push(("report", head[0].to_owned()));
                }
                Tpdu::Deliver(_) => kinds.push(("deliver", head[0].to_owned())),
                Tpdu::Submit(_) => panic!("{}: a SUBMIT in storage", p.name),
            }
        }
        kinds.sort();
        assert_eq!(kinds.iter().map(|k| k.0).collect::<Vec<_>>(), ["deliver", "report"]);
        // Listing marks it read but keeps it; only +CMGD deletes it.
        let again = sim.at(id, "AT+CMGL=4");
        assert_eq!(again.matches("+CMGL: ").count(), 2, "{}: {again:?}", p.name);
        assert_eq!(used(&sim), Some(2));
        let report_index = &kinds[1].1;
        assert_eq!(sim.at(id, &format!("AT+CMGD={report_index}")), "\r\nOK\r\n");
        assert_eq!(used(&sim), Some(1), "{}", p.name);
        let left = sim.at(id, "AT+CMGL=4");
        assert!(!left.contains(&format!("+CMGL: {report_index},")), "{}: {left:?}", p.name);
    }
}
