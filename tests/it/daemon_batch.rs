//! The daemon binary against three simulated modems on real PTYs, through
//! its HTTP API: a batch of single and multipart messages spread over the
//! modems, every part and message delivered, exactly once at the network;
//! webhooks fire, signed; an inbound concatenated message whose parts
//! arrive out of order becomes one inbox entry.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bubblegate_api::{MessageStatus, PartState};
use serde_json::json;

use crate::daemon_support::{
    batch_text, batch_to, deliver_pdus, inject, message_count, received_parts, runtime, Daemon,
    Sim, WAIT,
};

/// A webhook receiver: answers 200 to every request and keeps each
/// request's head and body.
fn webhook_receiver() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut request = Vec::new();
            let mut buf = [0u8; 8192];
            // Read the head, then as much body as Content-Length says.
            loop {
                let n = stream.read(&mut buf).unwrap_or(0);
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&request).to_string();
                if let Some(head_end) = text.find("\r\n\r\n") {
                    let length = text[..head_end]
                        .lines()
                        .find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case("content-length")
                                .then(|| v.trim().parse().ok())?
                        })
                        .unwrap_or(0usize);
                    if request.len() >= head_end + 4 + length {
                        break;
                    }
                }
            }
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            keep.lock().expect("lock").push(String::from_utf8_lossy(&request).to_string());
        }
    });
    (port, seen)
}

#[test]
fn a_batch_over_three_modems_is_delivered_once_with_webhooks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = Sim::start(dir.path(), 3);
    let (port, hooks) = webhook_receiver();
    let extra = format!(
        "[[webhooks]]\nurl = \"http://127.0.0.1:{port}/hook\"\nsecret = \"webhook-secret-0123456789\"\n"
    );
    let config = crate::daemon_support::write_config(dir.path(), &sim, &extra);
    let daemon = Daemon::start(dir.path(), &config, 1);
    let count = message_count(200);
    runtime().block_on(async {
        daemon.wait_ready(3).await;
        let mut ids = Vec::new();
        for i in 0..count {
            ids.push(daemon.submit(&batch_to(i), &batch_text(i)).await);
        }
        let done = daemon.wait_final(&ids).await;
        let mut modems = BTreeSet::new();
        for (i, id) in ids.iter().enumerate() {
            let m = &done[id];
            assert_eq!(m.status, MessageStatus::Delivered, "message {i}: {m:?}");
            let want_parts = if i % 3 == 0 { 3 } else { 1 };
            assert_eq!(m.parts.len(), want_parts, "message {i}");
            for p in &m.parts {
                assert_eq!(p.state, PartState::Delivered, "message {i} part {}", p.seq);
                assert!(
                    p.reference.is_some() && p.submitted_at.is_some() && p.delivered_at.is_some()
                );
                modems.insert(p.modem.clone().expect("modem"));
            }
            // All parts of a message leave through one modem.
            assert!(m.parts.iter().all(|p| p.modem == m.parts[0].modem), "{m:?}");
            let history: Vec<&str> =
                m.history.iter().filter(|h| h.part.is_none()).map(|h| h.to.as_str()).collect();
            assert_eq!(history.first(), Some(&"queued"));
            assert_eq!(history.last(), Some(&"delivered"));
        }
        assert_eq!(modems.len(), 3, "work spread over every modem: {modems:?}");

        // Exactly once at the network, every part.
        let received = received_parts(&sim.received().await);
        for i in 0..count {
            let want = if i % 3 == 0 { 3 } else { 1 };
            assert_eq!(received.get(&batch_text(i)), Some(&want), "message {i} at the network");
        }

        // Webhooks fired, signed, for status changes.
        let start = Instant::now();
        loop {
            let seen = hooks.lock().expect("lock").clone();
            let delivered = seen.iter().filter(|r| r.contains("\"delivered\"")).count();
            if delivered > 0 {
                let r = seen.iter().find(|r| r.contains("\"delivered\"")).expect("one");
                assert!(r.starts_with("POST /hook"), "{r}");
                assert!(r.to_ascii_lowercase().contains("bubblegate-signature: v1="), "{r}");
                break;
            }
            assert!(start.elapsed() < WAIT, "no webhook for a delivery: {seen:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    assert!(daemon.terminate().success());
}

#[test]
fn an_inbound_concatenated_message_out_of_order_is_one_inbox_entry() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = Sim::start(dir.path(), 2);
    let config = crate::daemon_support::write_config(dir.path(), &sim, "");
    let daemon = Daemon::start(dir.path(), &config, 1);
    runtime().block_on(async {
        daemon.wait_ready(2).await;
        let text = format!("inbound {}", "concatenated and shuffled ".repeat(14));
        let mut pdus = deliver_pdus("+31687654321", &text, 77);
        assert_eq!(pdus.len(), 3);
        pdus.swap(0, 2);
        pdus.swap(1, 2);
        inject(&sim, 1, json!({ "pdus": pdus })).await;
        // And a single-part one beside it.
        inject(&sim, 0, crate::daemon_support::text_sms("+31687654322", "plain")).await;
        let start = Instant::now();
        loop {
            let page = daemon.api.inbox(None, Some(50)).await.expect("inbox");
            let long: Vec<_> =
                page.messages.iter().filter(|m| m.text.starts_with("inbound ")).collect();
            let plain = page.messages.iter().any(|m| m.text == "plain");
            if !long.is_empty() && plain {
                assert_eq!(long.len(), 1, "{long:?}");
                let m = long[0];
                assert_eq!(m.text, text);
                assert_eq!((m.parts, m.complete, m.from.as_str()), (3, true, "+31687654321"));
                assert_eq!(m.modem, "modem1");
                assert_eq!(page.messages.len(), 2, "nothing else: {:?}", page.messages);
                break;
            }
            assert!(start.elapsed() < WAIT, "inbox: {:?}\n{}", page.messages, daemon.log_text());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The SIM copies are deleted once stored.
        let modems = sim.control.get("/modems").await.expect("modems").body;
        for m in modems.as_array().expect("list") {
            for storage in m["storage"].as_array().expect("storage") {
                assert_eq!(storage[1], 0, "{m}");
            }
        }
    });
    assert!(daemon.terminate().success());
}

#[test]
fn priority_and_send_after_are_honoured() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = Sim::start(dir.path(), 1);
    let config = crate::daemon_support::write_config(dir.path(), &sim, "");
    let daemon = Daemon::start(dir.path(), &config, 1);
    runtime().block_on(async {
        daemon.wait_ready(1).await;
        // Slow answers, so that a queue builds up behind the modem.
        sim.fault(0, json!({"fault": "delay", "ms": 150})).await;
        let later = bubblegate_api::Timestamp::from_unix_millis(
            bubblegate_api::Timestamp::now().unix_millis() + 3000,
        );
        let request = |i: usize, priority: i32| bubblegate_api::SmsRequest {
            to: batch_to(i),
            text: format!("priority {i} at {priority}"),
            priority: Some(priority),
            ..Default::default()
        };
        let scheduled = bubblegate_api::SmsRequest { send_after: Some(later), ..request(100, 0) };
        let scheduled = daemon.api.submit(&scheduled).await.expect("submit").id;
        let mut low = Vec::new();
        for i in 0..6 {
            low.push(daemon.api.submit(&request(i, -10)).await.expect("submit").id);
        }
        let high = daemon.api.submit(&request(50, 50)).await.expect("submit").id;
        let mut all = low.clone();
        all.push(high.clone());
        all.push(scheduled.clone());
        let done = daemon.wait_final(&all).await;
        let sent = |id: &String| done[id].parts[0].submitted_at.expect("submitted");
        let last_low = low.iter().map(sent).max().expect("low");
        assert!(sent(&high) < last_low, "the high-priority message overtook the queue");
        assert!(sent(&scheduled) >= later, "sent before its send_after");
        assert!(all.iter().all(|id| done[id].status == MessageStatus::Delivered));
    });
    assert!(daemon.terminate().success());
}
