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
