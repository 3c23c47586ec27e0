//! Fault injection: every fault of issue 4, with the bytes the host then
//! sees. Result codes per ITU-T V.250 5.7 and TS 27.005 3.2.5; power-on
//! URCs as in `identify`.

use std::sync::Arc;
use std::time::Duration;

use bubblegate_sim::{Event, Fault, ModemSpec, NetworkConfig, SimError};

use crate::support::*;

const OUTSIDE: &str = "+31612345678";
const FROM: &str = "+31699999999";

#[test]
fn per_command_delay() {
    let mut sim = Sim::fast();
    let id = sim.add(profile("simcom-sim800"));
    sim.quiet(id);
    sim.net.inject_fault(id, Fault::Delay { ms: 500 }, sim.now).unwrap();
    assert_eq!(sim.at(id, "AT+CGMI"), "");
    sim.advance(Duration::from_millis(499));
    assert_eq!(sim.take(id), "");
    sim.advance(Duration::from_millis(1));
    assert_eq!(sim.take(id), "\r\nSIMCOM_Ltd\r\n\r\nOK\r\n");
    sim.net.inject_fault(id, Fault::Delay { ms: 0 }, sim.now).unwrap();
    assert_eq!(sim.at(id, "AT"), "\r\nOK\r\n");
}

#[test]
fn cms_error_on_the_next_sends() {
    for p in all_profiles() {
        let mut sim =
            Sim::new(NetworkConfig { radio_time: Duration::from_secs(1), ..NetworkConfig::fast() });
        let id = sim.add(p.clone());
        sim.quiet(id);
        sim.net.inject_fault(id, Fault::CmsError { code: 500, count: 2 }, sim.now).unwrap();
        let (len, hex) = submit_pdus(OUTSIDE, "fails", false, 0).remove(0);
        for _ in 0..2 {
            sim.at(id, &format!("AT+CMGS={len}"));
            sim.write(id, format!("{hex}\x1a").as_bytes());
            // The error comes after the radio time, like a network refusal.
            assert_eq!(sim.take(id), "");
            sim.advance(Duration::from_secs(1));
            assert_eq!(sim.take(id), "\r\n+CMS ERROR: 500\r\n", "{}", p.name);
        }
        sim.at(id, &format!("AT+CMGS={len}"));
        sim.write(id, format!("{hex}\x1a").as_bytes());
        sim.advance(Duration::from_secs(1));
        assert_eq!(sim.take(id), "\r\n+CMGS: 1\r\n\r\nOK\r\n");
        assert_eq!(sim.net.received().len(), 1);
    }
}

#[test]
fn cms_error_verbose() {
    // +CMEE=2: the verbose text of TS 27.005 3.2.5.
    let mut sim = Sim::fast();
    let id = sim.add(profile("quectel-ec25"));
    sim.quiet(id);
    sim.at(id, "AT+CMEE=2");
    sim.net.inject_fault(id, Fault::CmsError { code: 42, count: 1 }, sim.now).unwrap();
    let answers = send_pdu(&mut sim, id, OUTSIDE, "x", false);
    assert_eq!(answers, vec!["\r\n+CMS ERROR: Congestion\r\n"]);
}

#[test]
fn dropped_reply() {
    let mut sim = Sim::fast();
    let id = sim.add(profile("quectel-ec25"));
    sim.quiet(id);
    sim.net.inject_fault(id, Fault::DropReply { count: 1 }, sim.now).unwrap();
    assert_eq!(sim.at(id, "AT+CMGF=1"), "");
    // The command ran all the same.
    assert_eq!(sim.at(id, "AT+CMGF?"), "\r\n+CMGF: 1\r\n\r\nOK\r\n");
}

#[test]
fn hang_until_reboot() {
    let mut sim = Sim::fast();
    let id = sim.add(profile("simcom-sim800"));
    sim.quiet(id);
    sim.net.inject_fault(id, Fault::Hang, sim.now).unwrap();
    assert_eq!(sim.at(id, "AT"), "");
    assert_eq!(sim.at(id, "AT+CFUN=1,1"), "");
    sim.advance(Duration::from_secs(60));
    assert_eq!(sim.take(id), "");
    sim.net.inject_fault(id, Fault::Reboot, sim.now).unwrap();
    assert_eq!(sim.take(id), "\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n");
    // Settings are back to their power-on values: echo on.
    assert_eq!(sim.at(id, "AT"), "AT\r\r\nOK\r\n");
}

#[test]
fn garbage_bytes() {
    let mut sim = Sim::fast();
    let id = sim.add(profile("huawei-e173"));
    sim.quiet(id);
    sim.drain_events();
    let noise = vec![0x00, 0xFF, b'\r', b'\n', b'x', 0x1A];
    sim.net.inject_fault(id, Fault::Garbage { bytes: noise.clone() }, sim.now).unwrap();
    sim.collect();
    assert_eq!(std::mem::take(&mut sim.out[0]), noise);
    let lines: Vec<String> = sim
        .drain_events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Transcript { line, .. } => Some(line),
            _ => None,
        })
        .collect();
    assert_eq!(lines, vec!["\\x00\\xFF", "x<SUB>"]);
    assert_eq!(sim.at(id, "AT"), "\r\nOK\r\n");
}

#[test]
fn truncated_line() {
    let mut sim = Sim::fast();
    let id = sim.add(profile("simcom-sim800"));
    sim.quiet(id);
    sim.net.inject_fault(id, Fault::Truncate, sim.now).unwrap();
    // The answer stops in the middle of its last line, with no line end.
    assert_eq!(sim.at(id, "AT+CGMI"), "\r\nSIMCOM_Ltd\r\n\r\nO");
    assert_eq!(sim.at(id, "AT"), "\r\nOK\r\n");
}

#[test]
fn unplug_and_replug() {
    let mut sim = Sim::fast();
    let id = sim.add(profile("quectel-ec25"));
    sim.quiet(id);
    sim.drain_events();
    sim.net.inject_fault(id, Fault::Unplug, sim.now).unwrap();
    assert_eq!(sim.drain_events(), vec![Event::Unplugged { id }]);
    assert!(!sim.net.modem(id).unwrap().plugged);
    assert_eq!(sim.at(id, "AT"), "");
    // The SMSC keeps messages for an absent phone.
    sim.net.inject_text("+31600000001", FROM, "while away", sim.now).unwrap();
    sim.net.inject_fault(id, Fault::Replug, sim.now).unwrap();
    let events = sim.drain_events();
    assert_eq!(events[0], Event::Replugged { id });
    assert!(events.contains(&Event::Delivered { id, from: FROM.into(), part: 1, total: 1 }));
    assert_eq!(
        sim.take(id),
        "\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\n+QIND: SMS DONE\r\n\r\n+QIND: PB DONE\r\n\r\n+CMTI: \"ME\",1\r\n"
    );
}

#[test]
fn reboot_keeps_sim_storage() {
    let mut sim =
        Sim::new(NetworkConfig { boot_time: Duration::from_secs(3), ..NetworkConfig::fast() });
    let id = sim.add(profile("simcom-sim800"));
    sim.advance(Duration::from_secs(3));
    sim.quiet(id);
    sim.net.inject_text("+31600000001", FROM, "keep me", sim.now).unwrap();
    assert_eq!(sim.take(id), "\r\n+CMTI: \"SM\",1\r\n");
    sim.net.inject_fault(id, Fault::Reboot, sim.now).unwrap();
    // Booting: input is lost, nothing comes out until the boot time ends.
    assert_eq!(sim.at(id, "AT"), "");
    sim.advance(Duration::from_secs(3));
    assert_eq!(sim.take(id), "\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n");
    sim.quiet(id);
    assert!(sim.at(id, "AT+CMGL=4").starts_with("\r\n+CMGL: 1,0,,"));
}

#[test]
fn soft_reset_on_every_profile() {
    // TS 27.007 8.2 AT+CFUN=1,1 (or the profile's own reset command): OK,
    // then the power-on URCs. USB modems whose device re-enumerates
    // vanish and come back.
    for p in all_profiles() {
        let mut sim = Sim::fast();
        let id = sim.add(p.clone());
        let boot = sim.take(id);
        sim.quiet(id);
        sim.drain_events();
        let reset = p.recovery.soft_reset[0].to_string();
        assert_eq!(sim.at(id, &reset), format!("\r\nOK\r\n{boot}"), "{}: {reset}", p.name);
        let plug: Vec<Event> = sim
            .drain_events()
            .into_iter()
            .filter(|e| matches!(e, Event::Unplugged { .. } | Event::Replugged { .. }))
            .collect();
        if p.recovery.usb_reenumerates {
            assert_eq!(plug, vec![Event::Unplugged { id }, Event::Replugged { id }], "{}", p.name);
        } else {
            assert!(plug.is_empty(), "{}", p.name);
        }
        assert_eq!(sim.at(id, "AT"), "AT\r\r\nOK\r\n");
    }
}

#[test]
fn registration_loss_and_regain() {
    // TS 27.007 7.2: +CREG: <stat> URCs with <n>=1, location with <n>=2.
    let mut sim = Sim::fast();
    let id = sim.add(profile("quectel-ec25"));
    sim.quiet(id);
    sim.at(id, "AT+CREG=1");
    sim.at(id, "AT+CEREG=2");
    sim.net.inject_fault(id, Fault::RegistrationLost, sim.now).unwrap();
    assert_eq!(sim.take(id), "\r\n+CREG: 2\r\n\r\n+CEREG: 2\r\n");
    assert_eq!(sim.at(id, "AT+CREG?"), "\r\n+CREG: 1,2\r\n\r\nOK\r\n");
    assert_eq!(sim.at(id, "AT+COPS?"), "\r\n+COPS: 0\r\n\r\nOK\r\n");
    // Sends fail: 331 no network service.
    assert_eq!(send_pdu(&mut sim, id, OUTSIDE, "x", false), vec!["\r\n+CMS ERROR: 331\r\n"]);
    sim.net.inject_text("+31600000001", FROM, "queued", sim.now).unwrap();
    assert_eq!(sim.take(id), "");
    sim.net.inject_fault(id, Fault::RegistrationRegained, sim.now).unwrap();
    assert_eq!(
        sim.take(id),
        "\r\n+CREG: 1\r\n\r\n+CEREG: 1,\"00C3\",\"0102A13B\",7\r\n\r\n+CMTI: \"ME\",1\r\n"
    );
    assert!(sim.net.modem(id).unwrap().registered);
}

#[test]
fn storage_full() {
    // TS 27.005 3.2.5: 322 memory full; the network keeps new messages
    // until there is room.
    let mut sim = Sim::fast();
    let id = sim.add(profile("simcom-sim800"));
    sim.quiet(id);
    sim.net.inject_text("+31600000001", FROM, "first", sim.now).unwrap();
    sim.take(id);
    sim.net.inject_fault(id, Fault::StorageFull { full: true }, sim.now).unwrap();
    assert_eq!(sim.at(id, "AT+CPMS?"), "\r\n+CPMS: \"SM\",1,1,\"SM\",1,1,\"SM\",1,1\r\n\r\nOK\r\n");
    let (len, hex) = submit_pdus(OUTSIDE, "draft", false, 0).remove(0);
    sim.at(id, &format!("AT+CMGW={len}"));
    sim.write(id, format!("{hex}\x1a").as_bytes());
    assert_eq!(sim.take(id), "\r\n+CMS ERROR: 322\r\n");
    sim.net.inject_text("+31600000001", FROM, "second", sim.now).unwrap();
    assert_eq!(sim.take(id), "");
    sim.net.inject_fault(id, Fault::StorageFull { full: false }, sim.now).unwrap();
    assert_eq!(sim.take(id), "\r\n+CMTI: \"SM\",2\r\n");
}

#[test]
fn real_capacity_runs_out_too() {
    let mut sim = Sim::fast();
    let mut spec = ModemSpec::new(profile("simcom-sim800"), 0);
    spec.sim_capacity = 2;
    let id = sim.add_spec(spec);
    sim.quiet(id);
    for text in ["a", "b", "c"] {
        sim.net.inject_text("+31600000001", FROM, text, sim.now).unwrap();
    }
    assert_eq!(sim.take(id), "\r\n+CMTI: \"SM\",1\r\n\r\n+CMTI: \"SM\",2\r\n");
    // Deleting makes room; the waiting message comes in.
    assert_eq!(sim.at(id, "AT+CMGD=1"), "\r\nOK\r\n\r\n+CMTI: \"SM\",1\r\n");
}

#[test]
fn signal_level() {
    let mut sim = Sim::fast();
    let id = sim.add(profile("simcom-sim800"));
    sim.quiet(id);
    sim.net.inject_fault(id, Fault::Signal { rssi: 5 }, sim.now).unwrap();
    assert_eq!(sim.at(id, "AT+CSQ"), "\r\n+CSQ: 5,99\r\n\r\nOK\r\n");
    assert!(matches!(
        sim.net.inject_fault(id, Fault::Signal { rssi: 40 }, sim.now),
        Err(SimError::InvalidFault(_))
    ));
    assert_eq!(
        sim.net.inject_fault(bubblegate_sim::ModemId(9), Fault::Hang, sim.now),
        Err(SimError::UnknownModem(bubblegate_sim::ModemId(9)))
    );
}

#[test]
fn huawei_periodic_urcs_until_curc_0() {
    // HUAWEI UMTS Datacard Modem AT Command Interface Specification:
    // ^RSSI and ^BOOT arrive unsolicited until ^CURC=0.
    let interval = Duration::from_secs(30);
    let mut sim = Sim::new(NetworkConfig { urc_interval: interval, ..NetworkConfig::fast() });
    let id = sim.add(profile("huawei-e173"));
    sim.quiet(id);
    sim.advance(interval);
    assert_eq!(sim.take(id), "\r\n^RSSI:20\r\n\r\n^BOOT:37673864,0,0,0,77\r\n");
    assert_eq!(sim.at(id, "AT^CURC=0"), "\r\nOK\r\n");
    sim.advance(interval * 3);
    assert_eq!(sim.take(id), "");
    // Other models print nothing periodic.
    let q = sim.add(profile("quectel-ec25"));
    sim.take(q);
    sim.advance(interval * 3);
    assert_eq!(sim.take(q), "");
}

#[test]
fn power_down_by_command() {
    // SIM800 AT+CPOWD=1 prints NORMAL POWER DOWN; Quectel AT+QPOWD=1
    // prints POWERED DOWN and, being a USB device, leaves the bus.
    let mut sim = Sim::fast();
    let s = sim.add(profile("simcom-sim800"));
    let q = sim.add(profile("quectel-ec25"));
    sim.quiet(s);
    sim.quiet(q);
    sim.drain_events();
    assert_eq!(sim.at(s, "AT+CPOWD=1"), "\r\nOK\r\n\r\nNORMAL POWER DOWN\r\n");
    assert_eq!(sim.at(s, "AT"), "");
    assert_eq!(sim.at(q, "AT+QPOWD=1"), "\r\nOK\r\n\r\nPOWERED DOWN\r\n");
    let plug: Vec<Event> =
        sim.drain_events().into_iter().filter(|e| matches!(e, Event::Unplugged { .. })).collect();
    assert_eq!(plug, vec![Event::Unplugged { id: q }]);
    sim.net.inject_fault(s, Fault::Reboot, sim.now).unwrap();
    assert!(sim.take(s).ends_with("SMS Ready\r\n"));
}

#[test]
fn urcs_wait_for_the_running_command() {
    // An SMS arriving during the radio time of a send is announced after
    // the final result, never inside it (+CNMI <mode> 2, TS 27.005 3.4.1).
    let mut sim =
        Sim::new(NetworkConfig { radio_time: Duration::from_secs(2), ..NetworkConfig::fast() });
    let id = sim.add(profile("quectel-ec25"));
    sim.quiet(id);
    let (len, hex) = submit_pdus(OUTSIDE, "x", false, 0).remove(0);
    sim.at(id, &format!("AT+CMGS={len}"));
    sim.write(id, format!("{hex}\x1a").as_bytes());
    sim.net.inject_text("+31600000001", FROM, "meanwhile", sim.now).unwrap();
    assert_eq!(sim.take(id), "");
    sim.advance(Duration::from_secs(2));
    assert_eq!(sim.take(id), "\r\n+CMGS: 1\r\n\r\nOK\r\n\r\n+CMTI: \"ME\",1\r\n");
}

#[test]
fn faults_serialize_for_the_control_api() {
    let f: Fault = serde_json::from_str(r#"{"fault":"cms_error","code":500,"count":2}"#).unwrap();
    assert_eq!(f, Fault::CmsError { code: 500, count: 2 });
    let json = serde_json::to_string(&Fault::StorageFull { full: true }).unwrap();
    assert_eq!(json, r#"{"fault":"storage_full","full":true}"#);
    let _ = Arc::new(());
}
