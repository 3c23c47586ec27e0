//! The simulator through real pseudo-terminals, opened the way serial
//! software opens a USB modem: a blocking client on the symlink path, in
//! raw mode. The simulator runs on its own runtime thread, as it would in
//! another process.

mod common;

use std::time::Duration;

use bubblegate_simulator::client::ControlClient;
use bubblegate_simulator::serial::SerialClient;
use bubblegate_simulator::{Adapter, Simulator};
use common::{config, submit_pdus, WAIT};
use serde_json::json;
use tokio::runtime::Runtime;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn at_and_a_pdu_send_through_a_real_pty_reach_the_network_log() {
    let rt = runtime();
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = rt
        .block_on(Simulator::start(config(dir.path(), &["quectel-ec25"], Adapter::Pty)))
        .expect("starts");
    let path = sim.modems()[0].path.clone().expect("a PTY path");
    assert_eq!(path, dir.path().join("modem0"));
    assert!(std::fs::read_link(&path).expect("a symlink").starts_with("/dev/pts"));

    let mut port = SerialClient::open(&path).expect("opens the path");
    let ok = port.command("AT", WAIT).expect("AT");
    assert!(ok.ends_with("OK\r\n"), "{ok:?}");
    assert!(port.command("AT+CMGF=0", WAIT).expect("CMGF").ends_with("OK\r\n"));

    let text = "Hello through a real PTY";
    for (hex, len) in submit_pdus("+15551234567", text, false) {
        let prompt = port.command(&format!("AT+CMGS={len}"), WAIT).expect("CMGS");
        assert!(prompt.ends_with("> "), "{prompt:?}");
        port.send(format!("{hex}\x1a").as_bytes()).expect("PDU");
        let answer = port.expect("OK\r\n", WAIT).expect("+CMGS answer");
        assert!(answer.contains("+CMGS: "), "{answer:?}");
    }

    let client = ControlClient::new(sim.control_addr().expect("control"));
    let received = rt.block_on(client.get("/received")).expect("GET /received");
    assert_eq!(received.body[0]["to"], "+15551234567");
    assert_eq!(received.body[0]["body"], json!({"text": text}));

    // The transcript names both directions.
    let log = std::fs::read_to_string(dir.path().join("modem0.log")).expect("transcript");
    assert!(log.lines().any(|l| l.contains(" >> AT")), "{log}");
    assert!(log.lines().any(|l| l.contains(" << ") && l.contains("OK")), "{log}");
    assert!(log.lines().all(|l| l.len() > 24 && l.as_bytes()[4] == b'-'), "time stamps: {log}");

    rt.block_on(sim.shutdown());
    assert!(std::fs::symlink_metadata(&path).is_err(), "shutdown removes the path");
}

#[test]
fn unplug_removes_the_path_and_replug_brings_it_back_on_a_new_pty() {
    let rt = runtime();
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = rt
        .block_on(Simulator::start(config(dir.path(), &["generic", "generic"], Adapter::Pty)))
        .expect("starts");
    let path = dir.path().join("modem1");
    let before = std::fs::read_link(&path).expect("symlink");
    let mut port = SerialClient::open(&path).expect("opens");
    assert!(port.command("AT", WAIT).expect("AT").ends_with("OK\r\n"));

    let client = ControlClient::new(sim.control_addr().expect("control"));
    let unplug =
        rt.block_on(client.post("/modems/1/faults", &json!({"fault": "unplug"}))).expect("unplug");
    assert_eq!(unplug.status, 200, "{}", unplug.body);
    assert!(std::fs::symlink_metadata(&path).is_err(), "the path disappears at once");
    // The old descriptor is dead, as a pulled USB modem's is.
    let dead = wait_until(|| port.send(b"AT\r").is_err() || port.drain(WAIT / 50).is_err());
    assert!(dead, "the old port fails after unplug");
    let modems = rt.block_on(client.get("/modems")).expect("modems");
    assert_eq!(modems.body[1]["plugged"], false);
    assert_eq!(modems.body[1]["path"], serde_json::Value::Null);
    // The other modem is untouched.
    assert!(std::fs::read_link(dir.path().join("modem0")).is_ok());

    let replug =
        rt.block_on(client.post("/modems/1/faults", &json!({"fault": "replug"}))).expect("replug");
    assert_eq!(replug.status, 200, "{}", replug.body);
    let after = std::fs::read_link(&path).expect("the path is back");
    assert_ne!(before, after, "a new PTY behind the same path");
    let mut port = SerialClient::open(&path).expect("opens again");
    assert!(port.command("AT", WAIT).expect("AT").ends_with("OK\r\n"));

    rt.block_on(sim.shutdown());
    assert!(std::fs::symlink_metadata(&path).is_err());
    assert!(std::fs::symlink_metadata(dir.path().join("modem0")).is_err());
}

/// Polls `check` for up to [`WAIT`].
fn wait_until(mut check: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + WAIT;
    while std::time::Instant::now() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}
