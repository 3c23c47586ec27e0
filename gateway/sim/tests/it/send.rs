//! Sending: `+CMGS` in PDU mode (TS 27.005 3.5.1) and text mode (4.3),
//! `+CMGW`/`+CMSS` (3.5.3, 3.5.2), on every profile, single and
//! concatenated, and what the network log then holds.

use std::time::Duration;

use bubblegate_sim::{Body, NetworkConfig};

use crate::support::*;

const OUTSIDE: &str = "+31612345678";

#[test]
fn pdu_sends_single_and_concatenated_on_every_profile() {
    let long = "This message is long enough to need three parts. ".repeat(8);
    for p in all_profiles() {
        let mut sim = Sim::fast();
        let id = sim.add(p.clone());
        sim.quiet(id);
        let answers = send_pdu(&mut sim, id, OUTSIDE, "Hello", false);
        // TS 27.005 3.5.1: +CMGS: <mr>, then OK.
        assert_eq!(answers, vec!["\r\n+CMGS: 1\r\n\r\nOK\r\n"], "{}", p.name);
        let answers = send_pdu(&mut sim, id, OUTSIDE, &long, false);
        assert_eq!(answers.len(), 3, "{}", p.name);
        for (i, a) in answers.iter().enumerate() {
            assert_eq!(a, &format!("\r\n+CMGS: {}\r\n\r\nOK\r\n", i + 2), "{}", p.name);
        }
        let got = sim.net.received();
        assert_eq!(got.len(), 2, "{}", p.name);
        assert_eq!(got[0].body, Body::Text("Hello".into()));
        assert_eq!(got[0].to, OUTSIDE);
        assert_eq!(got[0].from, "+31600000001");
        assert_eq!(got[0].to_modem, None);
        assert_eq!(got[1].body, Body::Text(long.clone()));
        assert_eq!((got[1].parts, got[1].complete), (3, true));
        assert_eq!(got[1].message_refs, vec![2, 3, 4]);
    }
}

#[test]
fn text_mode_send_on_every_profile() {
    for p in all_profiles() {
        let mut sim = Sim::fast();
        let id = sim.add(p.clone());
        sim.quiet(id);
        assert_eq!(sim.at(id, "AT+CMGF=1"), "\r\nOK\r\n", "{}", p.name);
        assert_eq!(sim.at(id, "AT+CSCS=\"GSM\""), "\r\nOK\r\n");
        assert_eq!(sim.at(id, &format!("AT+CMGS=\"{OUTSIDE}\"")), "\r\n> ");
        sim.write(id, b"Hello text\x1a");
        assert_eq!(sim.take(id), "\r\n+CMGS: 1\r\n\r\nOK\r\n", "{}", p.name);
        // UCS-2 in text mode: +CSMP <dcs> 8 and the text as hex octets
        // (TS 27.005 3.1 <data>), the way gammu sends Unicode.
        assert_eq!(sim.at(id, "AT+CSMP=17,167,0,8"), "\r\nOK\r\n");
        assert_eq!(sim.at(id, "AT+CMGS=\"31612345678\",145"), "\r\n> ");
        sim.write(id, b"00C900E9\x1a");
        assert_eq!(sim.take(id), "\r\n+CMGS: 2\r\n\r\nOK\r\n");
        let bodies: Vec<Body> = sim.net.received().iter().map(|m| m.body.clone()).collect();
        assert_eq!(bodies, vec![Body::Text("Hello text".into()), Body::Text("Éé".into())]);
    }
}

#[test]
fn text_mode_multi_line_prompt() {
    // TS 27.005 3.5.1 / 4.3: each CR in the text gives a new prompt line.
    let mut sim = Sim::fast();
    let id = sim.add(profile("simcom-sim800"));
    sim.quiet(id);
    sim.at(id, "AT+CMGF=1");
    sim.at(id, &format!("AT+CMGS=\"{OUTSIDE}\""));
    sim.write(id, b"one\r");
    assert_eq!(sim.take(id), "\r\n> ");
    sim.write(id, b"two\x1a");
    assert_eq!(sim.take(id), "\r\n+CMGS: 1\r\n\r\nOK\r\n");
    assert_eq!(sim.net.received()[0].body, Body::Text("one\ntwo".into()));
}

#[test]
fn esc_cancels_and_nothing_is_sent() {
    let mut sim = Sim::fast();
    let id = sim.add(profile("quectel-ec25"));
    sim.quiet(id);
    let (len, hex) = submit_pdus(OUTSIDE, "never", false, 0).remove(0);
    assert_eq!(sim.at(id, &format!("AT+CMGS={len}")), "\r\n> ");
    sim.write(id, format!("{hex}\x1b").as_bytes());
    assert_eq!(sim.take(id), "\r\nOK\r\n");
    assert!(sim.net.received().is_empty());
}

#[test]
fn invalid_pdus_are_cms_304() {
    // TS 27.005 3.2.5: 304 invalid PDU mode parameter.
    let mut sim = Sim::fast();
    let id = sim.add(profile("simcom-sim800"));
    sim.quiet(id);
    let (len, hex) = submit_pdus(OUTSIDE, "hi", false, 0).remove(0);
    let cases = [
        (format!("AT+CMGS={}", len + 1), format!("{hex}\x1a")),
        (format!("AT+CMGS={len}"), "0011ZZ\x1a".to_owned()),
        (format!("AT+CMGS={len}"), format!("{}\x1a", &hex[..hex.len() - 1])),
    ];
    for (line, body) in cases {
        assert_eq!(sim.at(id, &line), "\r\n> ");
        sim.write(id, body.as_bytes());
        assert_eq!(sim.take(id), "\r\n+CMS ERROR: 304\r\n", "{line}");
    }
    assert_eq!(sim.at(id, "AT+CMGS=0"), "\r\n+CMS ERROR: 304\r\n");
    assert_eq!(sim.at(id, "AT+CMGS=200"), "\r\n+CMS ERROR: 304\r\n");
    assert!(sim.net.received().is_empty());
}

#[test]
fn echo_shows_the_pdu_and_the_prompt() {
    // With ATE1 the modem echoes the command and the PDU text as typed.
    let mut sim = Sim::fast();
    let id = sim.add(profile("simcom-sim800"));
    sim.take(id);
    let (len, hex) = submit_pdus(OUTSIDE, "hi", false, 0).remove(0);
    assert_eq!(sim.at(id, &format!("AT+CMGS={len}")), format!("AT+CMGS={len}\r\r\n> "));
    sim.write(id, format!("{hex}\x1a").as_bytes());
    assert_eq!(sim.take(id), format!("{hex}\r\n+CMGS: 1\r\n\r\nOK\r\n"));
}

#[test]
fn radio_time_delays_the_answer() {
    // The +CMGS answer comes after the configured radio time; input sent
    // meanwhile waits (a DCE's receive buffer), then runs.
    let cfg = NetworkConfig { radio_time: Duration::from_secs(2), ..NetworkConfig::fast() };
    let mut sim = Sim::new(cfg);
    let id = sim.add(profile("quectel-ec25"));
    sim.quiet(id);
    let (len, hex) = submit_pdus(OUTSIDE, "later", false, 0).remove(0);
    sim.at(id, &format!("AT+CMGS={len}"));
    sim.write(id, format!("{hex}\x1aAT\r").as_bytes());
    assert_eq!(sim.take(id), "");
    assert_eq!(sim.net.poll_timeout(), Some(sim.now + Duration::from_secs(2)));
    sim.advance(Duration::from_millis(1999));
    assert_eq!(sim.take(id), "");
    assert!(sim.net.received().is_empty());
    sim.advance(Duration::from_millis(1));
    assert_eq!(sim.take(id), "\r\n+CMGS: 1\r\n\r\nOK\r\n\r\nOK\r\n");
    assert_eq!(sim.net.received().len(), 1);
}

#[test]
fn default_radio_time_is_realistic() {
    let cfg = NetworkConfig::default();
    assert!(cfg.radio_time >= Duration::from_secs(1) && cfg.radio_time <= Duration::from_secs(3));
}

#[test]
fn write_then_send_from_storage() {
    // TS 27.005 3.5.3 +CMGW: <index>, 3.5.2 +CMSS: <mr>; the stored
    // message turns STO SENT.
    for p in all_profiles() {
        let mut sim = Sim::fast();
        let id = sim.add(p.clone());
        sim.quiet(id);
        let (len, hex) = submit_pdus(OUTSIDE, "stored", false, 0).remove(0);
        assert_eq!(sim.at(id, &format!("AT+CMGW={len}")), "\r\n> ");
        sim.write(id, format!("{hex}\x1a").as_bytes());
        assert_eq!(sim.take(id), "\r\n+CMGW: 1\r\n\r\nOK\r\n", "{}", p.name);
        assert_eq!(sim.at(id, "AT+CMSS=1"), "\r\n+CMSS: 1\r\n\r\nOK\r\n");
        assert_eq!(sim.at(id, "AT+CMSS=1,\"+31687654321\""), "\r\n+CMSS: 2\r\n\r\nOK\r\n");
        assert_eq!(sim.at(id, "AT+CMSS=9"), "\r\n+CMS ERROR: 321\r\n");
        let listed = sim.at(id, "AT+CMGL=3");
        assert!(listed.starts_with(&format!("\r\n+CMGL: 1,3,,{len}\r\n")), "{listed:?}");
        let to: Vec<&str> = sim.net.received().iter().map(|m| m.to.as_str()).collect();
        assert_eq!(to, vec![OUTSIDE, "+31687654321"]);
    }
}

#[test]
fn text_only_and_pdu_only_models() {
    // A profile that lists one mode: +CMGF=? shows only it, the other is
    // refused (TS 27.005 3.2.3, 3.2.5 303 operation not supported).
    let mut text_only = (*profile("simcom-sim800")).clone();
    text_only.sms.modes.pdu = false;
    let mut pdu_only = (*profile("quectel-ec25")).clone();
    pdu_only.sms.modes.text = false;
    let mut sim = Sim::fast();
    let t = sim.add(std::sync::Arc::new(text_only));
    let p = sim.add(std::sync::Arc::new(pdu_only));
    sim.quiet(t);
    sim.quiet(p);
    assert_eq!(sim.at(t, "AT+CMGF?"), "\r\n+CMGF: 1\r\n\r\nOK\r\n");
    assert_eq!(sim.at(t, "AT+CMGF=?"), "\r\n+CMGF: (1)\r\n\r\nOK\r\n");
    assert_eq!(sim.at(t, "AT+CMGF=0"), "\r\n+CMS ERROR: 303\r\n");
    assert_eq!(sim.at(p, "AT+CMGF?"), "\r\n+CMGF: 0\r\n\r\nOK\r\n");
    assert_eq!(sim.at(p, "AT+CMGF=?"), "\r\n+CMGF: (0)\r\n\r\nOK\r\n");
    assert_eq!(sim.at(p, "AT+CMGF=1"), "\r\n+CMS ERROR: 303\r\n");
    assert_eq!(sim.at(t, &format!("AT+CMGS=\"{OUTSIDE}\"")), "\r\n> ");
    sim.write(t, b"text only\x1a");
    assert_eq!(sim.take(t), "\r\n+CMGS: 1\r\n\r\nOK\r\n");
}
