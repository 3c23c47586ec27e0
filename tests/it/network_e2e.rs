//! The encrypted network end to end: the daemon binary with its hub, over
//! the real HTTP API and WebSocket, with registration codes sent as SMS
//! through simulated modems on real PTYs and read off the simulated
//! network. Devices are `bubblegate-client` devices with their own state
//! files, so every envelope is sealed, signed, verified and opened for
//! real.

use std::time::Duration;

use bubblegate_client::proto::content::{Content, GroupInfo, StatusKind};
use bubblegate_client::proto::wire::Route;
use bubblegate_client::proto::Kind;
use bubblegate_client::{Incoming, SmsChoice};

use crate::daemon_support::{inject, runtime, text_sms};
use crate::network_support::{body, fetch_until, send, sms, text, Net};

const ALICE: &str = "+31611111111";
const BOB: &str = "+31622222222";
const CAROL: &str = "+31633333333";
const DAVE: &str = "+31644444444";

/// Whether `haystack` contains `needle`.
fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn two_accounts_with_two_devices_each_exchange_messages() {
    let dir = tempfile::tempdir().expect("tempdir");
    runtime().block_on(async {
        let net = Net::start(dir.path(), 1, "").await;
        let mut alice1 = net.device(dir.path(), "alice-phone", ALICE).await;
        let mut alice2 = net.device(dir.path(), "alice-laptop", ALICE).await;
        let mut bob1 = net.device(dir.path(), "bob-phone", BOB).await;
        let mut bob2 = net.device(dir.path(), "bob-tablet", BOB).await;

        // Adding a device to a handle tells the devices it already has.
        let notices = fetch_until(&mut alice1, |r| r.meta.kind == Kind::DeviceAdded).await;
        let added = notices.iter().find(|r| r.meta.kind == Kind::DeviceAdded).unwrap();
        assert!(added.meta.sender.is_none(), "the hub signs device notices");
        match &added.content {
            Content::DeviceAdded { device_id, name } => {
                assert_eq!(device_id, &alice2.state().registration.as_ref().unwrap().device_id);
                assert_eq!(name, "alice-laptop");
            }
            other => panic!("not a device notice: {other:?}"),
        }
        let ids: Vec<String> = notices.iter().map(|r| r.meta.id.clone()).collect();
        alice1.ack(&ids).await.expect("ack");

        // Alice to Bob: both of Bob's devices, and her other device's sent
        // copy. Bob's phone listens on the WebSocket; the rest poll.
        let mut listener = bob1.listen().await.expect("listen");
        let report =
            send(&mut alice1, &[BOB], text("blue one: see you at 8"), SmsChoice::Never).await;
        assert_eq!(report.answer.recipients.len(), 1);
        assert_eq!(report.answer.recipients[0].route, Route::Blue);
        assert_eq!(report.envelopes, 3, "two for Bob, one sync copy");

        // The stream first hands over what was queued (the notice that
        // Bob's tablet joined), then the message as it arrives.
        let pushed = loop {
            let next = tokio::time::timeout(Duration::from_secs(30), listener.next())
                .await
                .expect("pushed in time")
                .expect("stream open")
                .expect("envelope");
            let Incoming::Received(next) = next else { panic!("rejected: {next:?}") };
            listener.ack(std::slice::from_ref(&next.meta.id)).await.expect("ack on the stream");
            if next.meta.kind == Kind::Text {
                break next;
            }
            assert_eq!(next.meta.kind, Kind::DeviceAdded);
        };
        assert_eq!(body(&pushed), Some("blue one: see you at 8"));
        assert_eq!(pushed.meta.sender.as_ref().unwrap().handle.as_str(), ALICE);
        listener.close().await;

        let got = fetch_until(&mut bob2, |r| body(r) == Some("blue one: see you at 8")).await;
        assert_eq!(got.len(), 1);
        let sync = fetch_until(&mut alice2, |r| body(r) == Some("blue one: see you at 8")).await;
        let sync = sync.iter().find(|r| body(r).is_some()).unwrap();
        assert_eq!(
            sync.meta.sender.as_ref().unwrap().device_id,
            alice1.state().registration.as_ref().unwrap().device_id,
            "the sent copy comes from the sending device"
        );
        match &sync.content {
            Content::Text { to, .. } => assert_eq!(to, &vec![BOB.to_owned()], "filed under Bob"),
            other => panic!("not a text: {other:?}"),
        }

        // Acks delete: Bob's tablet acks by HTTP; nothing is left for it,
        // and the phone's stream ack emptied its queue too.
        let deleted = bob2.ack(&[got[0].meta.id.clone()]).await.expect("ack");
        assert_eq!(deleted, 1);
        assert!(bob2.fetch(None).await.expect("fetch").is_empty());
        let left = bob1.fetch(None).await.expect("fetch");
        assert!(left.is_empty(), "the stream ack deleted the phone's copy: {left:?}");

        // Bob answers from his tablet: both of Alice's devices get it, and
        // his phone the sent copy.
        let report = send(&mut bob2, &[ALICE], text("blue two: on my way"), SmsChoice::Never).await;
        assert_eq!(report.answer.recipients[0].route, Route::Blue);
        for device in [&mut alice1, &mut alice2, &mut bob1] {
            let got = fetch_until(device, |r| body(r) == Some("blue two: on my way")).await;
            let ids: Vec<String> = got.iter().map(|r| r.meta.id.clone()).collect();
            device.ack(&ids).await.expect("ack");
            assert!(device.fetch(None).await.expect("fetch").is_empty());
        }

        // The hub's database holds none of the plaintext: not the file,
        // not its write-ahead log.
        let mut bytes = Vec::new();
        for name in ["bubblegate.db", "bubblegate.db-wal", "bubblegate.db-shm"] {
            bytes.extend(std::fs::read(dir.path().join(name)).unwrap_or_default());
        }
        assert!(bytes.len() > 4096, "the database was read");
        for plaintext in ["blue one: see you at 8", "blue two: on my way", "see you at 8"] {
            assert!(!contains(&bytes, plaintext), "{plaintext:?} is in the database");
        }
    });
}

#[test]
fn a_mixed_group_routes_each_member_and_blocking_drops_silently() {
    let dir = tempfile::tempdir().expect("tempdir");
    runtime().block_on(async {
        let net = Net::start(dir.path(), 1, "").await;
        let mut alice = net.device(dir.path(), "alice", ALICE).await;
        let mut bob = net.device(dir.path(), "bob", BOB).await;

        let group = GroupInfo {
            id: "friday".into(),
            name: "Friday".into(),
            members: vec![ALICE.into(), BOB.into(), CAROL.into(), "dan@example.org".into()],
        };
        let recipients: Vec<String> =
            [BOB, CAROL, "dan@example.org"].iter().map(|s| (*s).to_owned()).collect();
        let content = Content::Text {
            body: "pizza at 7?".into(),
            group: Some(group.clone()),
            to: Vec::new(),
        };
        let report = alice
            .send_with(&recipients, &content, Some(group), SmsChoice::Auto { fallback: false })
            .await
            .expect("send");
        let route = |h: &str| {
            report.answer.recipients.iter().find(|r| r.handle == h).map(|r| r.route).unwrap()
        };
        assert_eq!(route(BOB), Route::Blue);
        assert_eq!(route(CAROL), Route::Green);
        assert_eq!(route("dan@example.org"), Route::Failed);
        let dan = report.answer.recipients.iter().find(|r| r.handle == "dan@example.org").unwrap();
        assert_eq!(dan.reason.as_deref(), Some("email_unreachable"));

        // Carol has no device: an SMS with the group's name in front.
        let carol_sms = net.wait_sms(CAROL, "pizza at 7?").await;
        assert_eq!(carol_sms, "[Friday] pizza at 7?");
        // Bob gets the ciphertext, group and all.
        let got = fetch_until(&mut bob, |r| body(r) == Some("pizza at 7?")).await;
        let msg = got.iter().find(|r| body(r).is_some()).unwrap();
        match &msg.content {
            Content::Text { group: Some(g), .. } => assert_eq!(g.name, "Friday"),
            other => panic!("no group: {other:?}"),
        }
        let ids: Vec<String> = got.iter().map(|r| r.meta.id.clone()).collect();
        bob.ack(&ids).await.expect("ack");

        // Bob blocks Alice: she is answered as usual, he gets nothing.
        bob.block(ALICE).await.expect("block");
        assert_eq!(bob.blocks().await.expect("blocks")[0].as_str(), ALICE);
        let report = send(&mut alice, &[BOB], text("are you there?"), SmsChoice::Never).await;
        assert_eq!(report.answer.recipients[0].route, Route::Blue, "a block is never revealed");
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(bob.fetch(None).await.expect("fetch").is_empty(), "blocked messages are dropped");
        assert!(net.sms_to(BOB).await.iter().all(|t| !t.contains("are you there?")));

        // Unblocked, messages flow again.
        bob.unblock(ALICE).await.expect("unblock");
        send(&mut alice, &[BOB], text("and now?"), SmsChoice::Never).await;
        fetch_until(&mut bob, |r| body(r) == Some("and now?")).await;
    });
}

#[test]
fn the_fallback_timer_sends_unacked_messages_as_sms() {
    let dir = tempfile::tempdir().expect("tempdir");
    runtime().block_on(async {
        let net = Net::start(dir.path(), 1, "fallback_after = \"2s\"").await;
        let mut alice = net.device(dir.path(), "alice", ALICE).await;
        let mut bob = net.device(dir.path(), "bob", BOB).await;

        let report =
            send(&mut alice, &[BOB], text("dinner at 8"), sms("dinner at 8 (sms)", true)).await;
        assert_eq!(report.answer.recipients[0].route, Route::Blue);
        // Bob's device never acks: the hub sends the fallback as SMS...
        let delivered = net.wait_sms(BOB, "dinner at 8 (sms)").await;
        assert_eq!(delivered, "dinner at 8 (sms)");
        // ...tells Alice's devices...
        let got = fetch_until(&mut alice, |r| r.meta.kind == Kind::Status).await;
        let status = got.iter().find(|r| r.meta.kind == Kind::Status).unwrap();
        match &status.content {
            Content::Status { client_message_id, recipient, status } => {
                assert_eq!(client_message_id, &report.client_message_id);
                assert_eq!(recipient, BOB);
                assert_eq!(*status, StatusKind::SentAsSms);
            }
            other => panic!("not a status: {other:?}"),
        }
        // ...and withdraws the blue copy.
        let left = bob.fetch(None).await.expect("fetch");
        assert!(left.iter().all(|i| i.meta().client_message_id != report.client_message_id));

        // A message that Bob acks in time never goes out as SMS.
        let report = send(&mut alice, &[BOB], text("acked"), sms("acked (sms)", true)).await;
        let got = fetch_until(&mut bob, |r| body(r) == Some("acked")).await;
        let ids: Vec<String> = got.iter().map(|r| r.meta.id.clone()).collect();
        bob.ack(&ids).await.expect("ack");
        tokio::time::sleep(Duration::from_secs(4)).await;
        assert!(
            net.sms_to(BOB).await.iter().all(|t| t != "acked (sms)"),
            "{} went out as SMS although acked",
            report.client_message_id
        );
    });
}

#[test]
fn deregistration_by_code_and_by_stop_reroutes_queued_messages() {
    let dir = tempfile::tempdir().expect("tempdir");
    runtime().block_on(async {
        let net = Net::start(dir.path(), 1, "").await;
        let mut alice = net.device(dir.path(), "alice", ALICE).await;
        let mut bob = net.device(dir.path(), "bob", BOB).await;
        let _bob2 = net.device(dir.path(), "bob2", BOB).await;

        // Two messages wait for Bob: one with a fallback, one without.
        send(&mut alice, &[BOB], text("queued with fallback"), sms("queued (sms)", true)).await;
        let bare = send(&mut alice, &[BOB], text("queued bare"), SmsChoice::Never).await;

        // Bob leaves: a code by SMS, then confirm.
        let before = net.sms_to(BOB).await.len();
        bob.deregister_request(BOB).await.expect("deregister request");
        let code = net.wait_code(BOB, before + 1).await;
        let revoked = bob.deregister_confirm(BOB, &code).await.expect("confirm");
        assert_eq!(revoked.revoked_devices, 2, "both of Bob's devices");
        // The fallback goes out at once; the bare one is reported.
        net.wait_sms(BOB, "queued (sms)").await;
        let got = fetch_until(&mut alice, |r| {
            matches!(&r.content, Content::Status { status: StatusKind::Unregistered, .. })
        })
        .await;
        let reported: Vec<&str> = got
            .iter()
            .filter_map(|r| match &r.content {
                Content::Status { client_message_id, status: StatusKind::Unregistered, .. } => {
                    Some(client_message_id.as_str())
                }
                _ => None,
            })
            .collect();
        assert_eq!(reported, vec![bare.client_message_id.as_str()]);
        // Bob's old token is dead, and he routes green now.
        assert!(bob.me().await.is_err(), "a revoked device cannot call the hub");
        let report =
            send(&mut alice, &[BOB], text("back to green"), SmsChoice::Auto { fallback: false })
                .await;
        assert_eq!(report.answer.recipients[0].route, Route::Green);
        net.wait_sms(BOB, "back to green").await;

        // Dave leaves by texting STOP to the gateway's number.
        let mut dave = net.device(dir.path(), "dave", DAVE).await;
        send(&mut alice, &[DAVE], text("for dave"), sms("for dave (sms)", true)).await;
        let before = net.sms_to(DAVE).await.len();
        inject(&net.sim, 0, text_sms(DAVE, "STOP")).await;
        let code = net.wait_code(DAVE, before + 1).await;
        assert_eq!(dave.deregister_confirm(DAVE, &code).await.expect("confirm").revoked_devices, 1);
        net.wait_sms(DAVE, "for dave (sms)").await;
    });
}

#[test]
fn inbound_sms_reaches_every_device_of_the_sims_owner() {
    let dir = tempfile::tempdir().expect("tempdir");
    runtime().block_on(async {
        let net = Net::start(
            dir.path(),
            1,
            &format!("[[network.owned_sims]]\nmodem = \"modem0\"\nhandle = \"{ALICE}\"\n"),
        )
        .await;
        let mut phone = net.device(dir.path(), "alice-phone", ALICE).await;
        let mut laptop = net.device(dir.path(), "alice-laptop", ALICE).await;

        inject(&net.sim, 0, text_sms(CAROL, "forwarded: the keys are under the mat")).await;
        for device in [&mut phone, &mut laptop] {
            let got = fetch_until(device, |r| r.meta.kind == Kind::Sms).await;
            let sms = got.iter().find(|r| r.meta.kind == Kind::Sms).unwrap();
            assert!(sms.meta.sender.is_none(), "sealed and signed by the hub");
            match &sms.content {
                Content::Sms { from, body, .. } => {
                    assert_eq!(from, CAROL);
                    assert_eq!(body, "forwarded: the keys are under the mat");
                }
                other => panic!("not an SMS: {other:?}"),
            }
        }
    });
}

#[test]
fn envelopes_expire_after_the_retention_period_on_a_controlled_clock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let clock = bubblegate_daemon::ManualClock::starting_now();
        let net = Net::start_in_process(dir.path(), "retention = \"1h\"", clock.clone()).await;
        let mut alice = net.device(dir.path(), "alice", ALICE).await;
        let mut bob = net.device(dir.path(), "bob", BOB).await;

        send(&mut alice, &[BOB], text("read me within the hour"), SmsChoice::Never).await;
        fetch_until(&mut bob, |r| body(r) == Some("read me within the hour")).await;

        // Not acked, and a minute short of the hour: still queued.
        clock.advance(Duration::from_secs(59 * 60));
        tokio::time::sleep(Duration::from_millis(300)).await;
        let queued = bob.fetch(None).await.expect("fetch");
        assert_eq!(queued.len(), 1, "kept until the retention period ends");

        // Past the hour: gone, acked or not.
        clock.advance(Duration::from_secs(61));
        let start = std::time::Instant::now();
        while !bob.fetch(None).await.expect("fetch").is_empty() {
            assert!(start.elapsed() < crate::daemon_support::WAIT, "never expired");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
}
