//! The simulator through its in-process adapter and its HTTP control
//! interface: every profile answers, two modems text each other, injected
//! messages arrive, faults reach the port, and the control interface keeps
//! its JSON contract.

mod common;

use bubblegate_simulator::bubblegate_sim::{Fault, ModemId, ReportOutcome};
use bubblegate_simulator::client::ControlClient;
use bubblegate_simulator::{Adapter, Recipient, Simulator, SimulatorError};
use common::{config, profile_names, AtClient};
use serde_json::json;

#[tokio::test]
async fn every_profile_answers_its_identity_through_the_duplex_port() {
    let dir = tempfile::tempdir().expect("temp dir");
    let names = profile_names();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let sim = Simulator::start(config(dir.path(), &refs, Adapter::Duplex)).await.expect("starts");
    let handle = sim.handle();
    for (i, name) in names.iter().enumerate() {
        let profile = common::profile(name);
        let mut at = AtClient::new(handle.open_duplex(ModemId(i as u32)).await.expect("opens"));
        assert!(at.command("AT").await.ends_with("OK\r\n"), "{name}: AT");
        let cgmi = at.command("AT+CGMI").await;
        assert!(cgmi.contains(&profile.identity.manufacturer), "{name}: {cgmi:?}");
        let cgmm = at.command("AT+CGMM").await;
        assert!(cgmm.contains(&profile.identity.model), "{name}: {cgmm:?}");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn two_modems_text_each_other_and_the_receiver_sees_cmti_or_cmt() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = Simulator::start(config(dir.path(), &["generic", "quectel-ec25"], Adapter::Duplex))
        .await
        .expect("starts");
    let handle = sim.handle();
    let receiver_number = sim.modems()[1].info.number.clone();
    let mut a = AtClient::new(handle.open_duplex(ModemId(0)).await.expect("opens a"));
    let mut b = AtClient::new(handle.open_duplex(ModemId(1)).await.expect("opens b"));
    for at in [&mut a, &mut b] {
        assert!(at.command("ATE0").await.ends_with("OK\r\n"));
        assert!(at.command("AT+CMGF=0").await.ends_with("OK\r\n"));
    }

    // Store mode: the message goes to storage and the host gets +CMTI.
    assert!(b.command("AT+CNMI=2,1,0,0,0").await.ends_with("OK\r\n"));
    a.send_pdus(&receiver_number, "Stored, then read", false).await;
    let cmti = b.expect("+CMTI: ").await;
    let line = b.expect("\r\n").await;
    assert!(line.contains(','), "+CMTI: <mem>,<index>: {cmti:?}{line:?}");

    // Routing mode: the message comes straight to the host with +CMT.
    assert!(b.command("AT+CNMI=2,2,0,0,0").await.ends_with("OK\r\n"));
    a.send_pdus(&receiver_number, "Routed at once", false).await;
    b.expect("+CMT: ").await;

    let received = handle.received().await.expect("received");
    let texts: Vec<_> = received.iter().map(|m| (m.to_modem, json!(m.body))).collect();
    assert_eq!(
        texts,
        [
            (Some(ModemId(1)), json!({"text": "Stored, then read"})),
            (Some(ModemId(1)), json!({"text": "Routed at once"}))
        ]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn the_control_interface_lists_injects_and_reports() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = Simulator::start(config(dir.path(), &["generic", "simcom-sim800"], Adapter::Duplex))
        .await
        .expect("starts");
    let client = ControlClient::new(sim.control_addr().expect("control address"));
    let handle = sim.handle();

    let modems = client.get("/modems").await.expect("GET /modems");
    assert_eq!(modems.status, 200);
    let list = modems.body.as_array().expect("a list");
    assert_eq!(list.len(), 2);
    assert_eq!(list[1]["name"], "modem1");
    assert_eq!(list[1]["profile"], "simcom-sim800");
    assert_eq!(list[1]["adapter"], "duplex");
    assert_eq!(list[0]["number"], sim.modems()[0].info.number.as_str());
    for key in ["id", "imsi", "iccid", "imei", "plugged", "path", "transcript"] {
        assert!(list[0].get(key).is_some(), "{key} in {}", list[0]);
    }
    let one = client.get("/modems/modem1").await.expect("GET /modems/modem1");
    assert_eq!(one.body["profile"], "simcom-sim800");

    // An inbound text from an outside number reaches the modem's host.
    let mut at = AtClient::new(handle.open_duplex(ModemId(0)).await.expect("opens"));
    assert!(at.command("AT+CNMI=2,1,0,0,0").await.ends_with("OK\r\n"));
    let injected = client
        .post("/modems/0/sms", &json!({"from": "+15551234567", "text": "Hello from outside"}))
        .await
        .expect("POST sms");
    assert_eq!(injected.status, 200, "{}", injected.body);
    at.expect("+CMTI: ").await;

    // By number, with raw PDUs.
    let number = sim.modems()[0].info.number.clone();
    let by_number = client
        .post("/sms", &json!({"to": number, "pdus": [DELIVER_HOW_ARE_YOU]}))
        .await
        .expect("POST /sms");
    assert_eq!(by_number.status, 200, "{}", by_number.body);
    at.expect("+CMTI: ").await;

    // Report outcome round trip.
    let put = client.put("/report-outcome", &json!({"outcome": "failed"})).await.expect("PUT");
    assert_eq!(put.status, 200);
    let get = client.get("/report-outcome").await.expect("GET");
    assert_eq!(get.body, json!({"outcome": "failed"}));
    assert_eq!(handle.report_outcome().await.expect("outcome"), ReportOutcome::Failed);

    // What the network received, as JSON.
    at.send_pdus("+15557654321", "Out into the world", false).await;
    let received = client.get("/received").await.expect("GET /received");
    assert_eq!(received.status, 200);
    assert_eq!(received.body[0]["to"], "+15557654321");
    assert_eq!(received.body[0]["to_modem"], serde_json::Value::Null);
    assert_eq!(received.body[0]["body"], json!({"text": "Out into the world"}));

    sim.shutdown().await;
}

/// A DELIVER from +31641600986, "How are you?" (the README's example),
/// with its SMSC field.
const DELIVER_HOW_ARE_YOU: &str =
    "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07";

#[tokio::test]
async fn control_errors_are_json_with_the_right_status() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim =
        Simulator::start(config(dir.path(), &["generic"], Adapter::Duplex)).await.expect("starts");
    let client = ControlClient::new(sim.control_addr().expect("control address"));
    let cases = [
        ("GET", "/modems/7", None, 404),
        ("GET", "/modems/nonsense", None, 404),
        ("GET", "/nowhere", None, 404),
        ("POST", "/modems/0/sms", Some(json!({"text": "no sender"})), 400),
        ("POST", "/modems/0/sms", Some(json!({"from": "+1555", "text": "x", "pdus": []})), 400),
        ("POST", "/modems/0/sms", Some(json!({"pdus": ["zz"]})), 400),
        ("POST", "/modems/0/sms", Some(json!({"frm": "+1555", "text": "typo"})), 422),
        ("POST", "/modems/5/sms", Some(json!({"from": "+1555", "text": "x"})), 404),
        ("POST", "/sms", Some(json!({"to": "+999", "from": "+1555", "text": "x"})), 404),
        ("POST", "/sms", Some(json!({"from": "+1555", "text": "x"})), 400),
        ("PUT", "/report-outcome", Some(json!({"outcome": "maybe"})), 422),
        ("POST", "/modems/0/faults", Some(json!({"fault": "meteor"})), 422),
        ("POST", "/modems/3/faults", Some(json!({"fault": "hang"})), 404),
    ];
    for (method, path, body, status) in cases {
        let reply = client.request(method, path, body.as_ref()).await.expect("answers");
        assert_eq!(reply.status, status, "{method} {path}: {}", reply.body);
        assert!(reply.body["error"].is_string(), "{method} {path}: {}", reply.body);
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn unplug_closes_the_duplex_port_and_replug_opens_a_new_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim =
        Simulator::start(config(dir.path(), &["generic"], Adapter::Duplex)).await.expect("starts");
    let handle = sim.handle();
    let mut at = AtClient::new(handle.open_duplex(ModemId(0)).await.expect("opens"));
    assert!(at.command("AT").await.ends_with("OK\r\n"));

    handle.inject_fault(ModemId(0), Fault::Unplug).await.expect("unplug");
    at.expect_closed().await;
    let modems = handle.modems().await.expect("modems");
    assert!(!modems[0].info.plugged);
    assert!(matches!(
        handle.open_duplex(ModemId(0)).await,
        Err(SimulatorError::Open(bubblegate_simulator::OpenError::Unplugged))
    ));

    handle.inject_fault(ModemId(0), Fault::Replug).await.expect("replug");
    let mut at = AtClient::new(handle.open_duplex(ModemId(0)).await.expect("opens again"));
    assert!(at.command("AT").await.ends_with("OK\r\n"));

    // Injecting for a modem that does not exist is an error, not a panic.
    assert!(matches!(
        handle.inject_text(Recipient::Modem(ModemId(9)), "+1555", "x").await,
        Err(SimulatorError::Sim(_))
    ));
    sim.shutdown().await;
}

#[tokio::test]
async fn faults_sent_to_the_control_interface_reach_the_port() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = Simulator::start(config(dir.path(), &["simcom-sim800"], Adapter::Duplex))
        .await
        .expect("starts");
    let client = ControlClient::new(sim.control_addr().expect("control address"));
    let handle = sim.handle();
    let mut at = AtClient::new(handle.open_duplex(ModemId(0)).await.expect("opens"));
    assert!(at.command("ATE0").await.ends_with("OK\r\n"));
    assert!(at.command("AT+CMGF=0").await.ends_with("OK\r\n"));

    let fault = |body: serde_json::Value| async move {
        let reply = client.post("/modems/0/faults", &body).await.expect("POST fault");
        assert_eq!(reply.status, 200, "{body}: {}", reply.body);
    };

    // +CMS ERROR on the next send only.
    fault(json!({"fault": "cms_error", "code": 500, "count": 1})).await;
    let (hex, len) = common::submit_pdus("+15551234567", "fails once", false).remove(0);
    assert!(at.command(&format!("AT+CMGS={len}")).await.ends_with("> "));
    at.send(format!("{hex}\x1a").as_bytes()).await;
    at.expect("+CMS ERROR: 500\r\n").await;
    at.send_pdus("+15551234567", "then works", false).await;

    // Line noise arrives as given.
    fault(json!({"fault": "garbage", "bytes": [0xff, 0x00, 0x41]})).await;
    at.expect("\u{0}A").await;

    // A reboot sends the model's ready URCs again.
    fault(json!({"fault": "reboot"})).await;
    at.expect("SMS Ready").await;

    sim.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn the_runner_sleeps_until_the_networks_next_deadline() {
    // Realistic radio time on paused tokio time: the +CMGS answer comes
    // only when the runner's timer for the network's deadline fires.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cfg = config(dir.path(), &["generic"], Adapter::Duplex);
    cfg.control = None;
    cfg.network = bubblegate_simulator::bubblegate_sim::NetworkConfig::default();
    let radio_time = cfg.network.radio_time;
    let boot_time = cfg.network.boot_time;
    let sim = Simulator::start(cfg).await.expect("starts");
    let mut at = AtClient::new(sim.handle().open_duplex(ModemId(0)).await.expect("opens"));
    tokio::time::sleep(boot_time).await;
    assert!(at.command("AT+CMGF=0").await.ends_with("OK\r\n"));
    let started = tokio::time::Instant::now();
    at.send_pdus("+15551234567", "takes radio time", false).await;
    assert!(started.elapsed() >= radio_time, "answered after {:?}", started.elapsed());
    sim.shutdown().await;
}

#[tokio::test]
async fn a_host_that_never_reads_does_not_stall_the_other_modems() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cfg = config(dir.path(), &["generic", "generic"], Adapter::Duplex);
    cfg.control = None;
    let sim = Simulator::start(cfg).await.expect("starts");
    let handle = sim.handle();
    // modem0's host holds its port open and never reads, while the modem
    // sends far more than every buffer on the way holds.
    let _deaf = handle.open_duplex(ModemId(0)).await.expect("opens");
    for _ in 0..4 {
        let noise = Fault::Garbage { bytes: vec![b'x'; 256 * 1024] };
        handle.inject_fault(ModemId(0), noise).await.expect("garbage");
    }
    let mut at = AtClient::new(handle.open_duplex(ModemId(1)).await.expect("opens"));
    assert!(at.command("AT").await.ends_with("OK\r\n"));
    sim.shutdown().await;
}

/// A reset that re-enumerates USB (Quectel EC25 `AT+CFUN=1,1`, EC25 AT
/// Commands Manual 2.21) answers OK before the port goes away; the host must
/// see that OK, then the port close.
#[tokio::test]
async fn reset_that_reenumerates_usb_answers_ok_before_the_port_closes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = Simulator::start(config(dir.path(), &["quectel-ec25"], Adapter::Duplex))
        .await
        .expect("starts");
    let handle = sim.handle();
    let mut at = AtClient::new(handle.open_duplex(ModemId(0)).await.expect("opens"));
    assert!(at.command("ATE0").await.ends_with("OK\r\n"));
    let reply = at.command("AT+CFUN=1,1").await;
    assert!(reply.ends_with("OK\r\n"), "the reset is acknowledged: {reply:?}");
    at.expect_closed().await;
    sim.shutdown().await;
}

/// A host that goes away (a killed daemon closes its port) before the
/// status report comes: with `+CNMI` `<ds>`=2 (TS 27.005 3.4.1) the report
/// is stored all the same, and the next host lists it with `+CMGL=4`.
#[tokio::test(start_paused = true)]
async fn a_report_that_comes_while_the_port_is_closed_is_stored_for_the_next_host() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cfg = config(dir.path(), &["quectel-ec25"], Adapter::Duplex);
    cfg.control = None;
    cfg.network.report_delay = std::time::Duration::from_secs(30);
    let sim = Simulator::start(cfg).await.expect("starts");
    let handle = sim.handle();
    let mut at = AtClient::new(handle.open_duplex(ModemId(0)).await.expect("opens"));
    assert!(at.command("ATE0").await.ends_with("OK\r\n"));
    assert!(at.command("AT+CMGF=0").await.ends_with("OK\r\n"));
    assert!(at.command("AT+CNMI=2,1,0,2,0").await.ends_with("OK\r\n"));
    let answers = at.send_pdus("+15551234567", "report after I am gone", true).await;
    assert!(answers[0].contains("+CMGS: 1"), "{answers:?}");
    drop(at);
    let stored = |modems: Vec<bubblegate_simulator::ModemStatus>| {
        modems[0].info.storage.iter().find(|(m, _, _)| m == "ME").map(|(_, used, _)| *used)
    };
    assert_eq!(stored(handle.modems().await.expect("modems")), Some(0));
    tokio::time::sleep(std::time::Duration::from_secs(31)).await;
    assert_eq!(stored(handle.modems().await.expect("modems")), Some(1), "stored with no host");

    let mut at = AtClient::new(handle.open_duplex(ModemId(0)).await.expect("opens again"));
    let list = at.command("AT+CMGL=4").await;
    let lines: Vec<&str> = list.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3, "one entry and OK: {list:?}");
    assert!(lines[0].starts_with("+CMGL: 1,0,"), "{list:?}");
    let pdu = bubblegate_sms::Pdu::decode_hex(lines[1], true).expect("decodes");
    match pdu.tpdu {
        bubblegate_sms::Tpdu::StatusReport(r) => assert_eq!(r.message_ref, 1),
        other => panic!("not a status report: {other:?}"),
    }
    assert!(at.command("AT+CMGD=1").await.ends_with("OK\r\n"));
    assert_eq!(stored(handle.modems().await.expect("modems")), Some(0));
    sim.shutdown().await;
}
