//! The encrypted network's tables, part one: devices and handles, codes,
//! budgets, deregistration and blocks. `network_queues.rs` has sends,
//! envelopes and fallbacks. The fixtures here serve both.

use std::collections::BTreeSet;

use bubblegate_store::{
    CodePurpose, Day, DeviceRecord, Error, FallbackRecord, NewDevice, NewEnvelope, NewFallback,
    NewSend, SendRecorded, Store, UnregisteredSend,
};

use crate::support::{at, on_both_backends, TestDb};

on_both_backends!(
    devices_register_and_meet_the_others,
    active_devices_follow_last_seen,
    encryption_keys_rotate_on_live_devices_only,
    codes_count_attempts_and_expire,
    code_attempts_are_counted_atomically,
    budget_stops_at_its_limit,
    concurrent_budget_takers_never_pass_the_limit,
    deregister_revokes_and_returns_queued_work,
    deregister_keeps_fallbacks_due_now_and_names_the_unregistered,
    deregister_and_acks_race_to_one_end,
    deregister_and_registration_race_to_one_end,
    blocks_are_per_handle,
);

pub const ALICE: &str = "+31612345678";
pub const BOB: &str = "+447700900123";
pub const CAROL: &str = "+15550100";

/// A device `id` on `handle`, its token hash derived from the id.
pub fn new_device(id: &str, handle: &str) -> NewDevice {
    NewDevice {
        id: id.into(),
        handle: handle.into(),
        name: format!("{id}'s phone"),
        enc_kem: "x-wing".into(),
        enc_key: format!("enc-{id}").into_bytes(),
        enc_key_id: 1,
        sign_key: format!("sign-{id}").into_bytes(),
        token_hash: token(id),
    }
}

pub fn token(id: &str) -> Vec<u8> {
    format!("token-hash-{id}").into_bytes()
}

/// Registers devices at time 0: `(id, handle)`.
pub async fn devices(s: &Store, list: &[(&str, &str)]) {
    for (id, handle) in list {
        s.network().add_device(&new_device(id, handle), at(0)).await.unwrap();
    }
}

/// An envelope of send `send` (or the hub's, with `None`) to `device` of
/// `handle`, created at time 0 and expiring after an hour.
pub fn envelope(id: &str, device: &str, handle: &str, send: Option<&str>) -> NewEnvelope {
    NewEnvelope {
        id: id.into(),
        recipient_device: device.into(),
        recipient_handle: handle.into(),
        send_id: send.map(str::to_string),
        sender_device: None,
        body: format!("{{\"id\":\"{id}\"}}"),
        created_at: at(0),
        expires_at: at(3600),
    }
}

/// A send from `sender` with the given envelopes `(id, device, handle)`
/// and fallbacks `(handle, due seconds)`.
pub fn new_send(
    id: &str,
    sender: &str,
    client_message_id: &str,
    envelopes: &[(&str, &str, &str)],
    fallbacks: &[(&str, u64)],
) -> NewSend {
    NewSend {
        id: id.into(),
        sender_device: sender.into(),
        client_message_id: client_message_id.into(),
        request_hash: format!("hash-{client_message_id}").into_bytes(),
        answer: format!("{{\"message_id\":\"{id}\"}}"),
        envelopes: envelopes.iter().map(|(e, d, h)| envelope(e, d, h, Some(id))).collect(),
        fallbacks: fallbacks
            .iter()
            .map(|(h, due)| NewFallback {
                recipient_handle: h.to_string(),
                text: format!("see you at 8, {h}"),
                due_at: at(*due),
            })
            .collect(),
    }
}

pub async fn record(s: &Store, send: &NewSend) {
    let r = s.network().record_send(send, at(0)).await.unwrap();
    assert_eq!(r, SendRecorded::New, "{}", send.id);
}

fn ids(devices: &[DeviceRecord]) -> Vec<&str> {
    devices.iter().map(|d| d.id.as_str()).collect()
}

async fn devices_register_and_meet_the_others(db: TestDb) {
    let net = db.store.network();
    // (device, handle, the other live devices of the handle it is told of)
    let table: &[(&str, &str, &[&str])] = &[
        ("d1", ALICE, &[]),
        ("d2", ALICE, &["d1"]),
        ("d3", BOB, &[]),
        ("d0", ALICE, &["d1", "d2"]),
    ];
    for (i, (id, handle, others)) in table.iter().enumerate() {
        let got = net.add_device(&new_device(id, handle), at(i as u64)).await.unwrap();
        assert_eq!(ids(&got), *others, "{id}");
    }

    let d2 = net.device("d2").await.unwrap().expect("d2 is stored");
    let want = new_device("d2", ALICE);
    assert_eq!(
        (&d2.handle, &d2.name, &d2.enc_kem, &d2.enc_key, d2.enc_key_id, &d2.sign_key),
        (&want.handle, &want.name, &want.enc_kem, &want.enc_key, 1, &want.sign_key)
    );
    assert_eq!((d2.created_at, d2.last_seen_at, d2.revoked_at), (at(1), at(1), None));
    assert_eq!(net.device_by_token(&token("d2")).await.unwrap(), Some(d2));
    assert_eq!(net.device_by_token(b"no such token").await.unwrap(), None);
    assert_eq!(net.device("d9").await.unwrap(), None);

    let alice = net.handle(ALICE).await.unwrap().expect("alice's handle");
    assert_eq!((alice.registered_at, alice.deregistered_at), (at(0), None));
    assert_eq!(net.handle(CAROL).await.unwrap(), None);

    // An id or a token hash in use is refused, and nothing else changes.
    let mut again = new_device("d1", BOB);
    again.token_hash = token("fresh");
    assert!(matches!(net.add_device(&again, at(9)).await.unwrap_err(), Error::Query(_)));
    let stolen = new_device("d8", BOB);
    let stolen = NewDevice { token_hash: token("d3"), ..stolen };
    assert!(matches!(net.add_device(&stolen, at(9)).await.unwrap_err(), Error::Query(_)));
    assert_eq!(net.device("d8").await.unwrap(), None);
    assert_eq!(net.device("d1").await.unwrap().unwrap().handle, ALICE);
    let empty = NewDevice { token_hash: Vec::new(), ..new_device("d7", BOB) };
    assert!(matches!(net.add_device(&empty, at(9)).await.unwrap_err(), Error::Invalid(_)));
}

async fn active_devices_follow_last_seen(db: TestDb) {
    let net = db.store.network();
    devices(&db.store, &[("d1", ALICE), ("d2", ALICE), ("d3", ALICE), ("b1", BOB)]).await;
    net.touch_device("d2", at(100)).await.unwrap();
    net.touch_device("d3", at(200)).await.unwrap();
    // A late touch with an older time does not move last_seen_at back.
    net.touch_device("d3", at(150)).await.unwrap();
    net.touch_device("b1", at(500)).await.unwrap();
    // Touching an unknown device is no error.
    net.touch_device("nobody", at(500)).await.unwrap();
    assert_eq!(net.device("d3").await.unwrap().unwrap().last_seen_at, at(200));

    // (seen since, alice's active devices)
    let table: &[(u64, &[&str])] = &[
        (0, &["d1", "d2", "d3"]),
        (1, &["d2", "d3"]),
        (100, &["d2", "d3"]),
        (101, &["d3"]),
        (200, &["d3"]),
        (201, &[]),
    ];
    for (since, want) in table {
        let got = net.active_devices(ALICE, at(*since)).await.unwrap();
        assert_eq!(ids(&got), *want, "seen since {since}");
    }
    assert_eq!(ids(&net.active_devices(BOB, at(0)).await.unwrap()), ["b1"]);
    assert!(net.active_devices(CAROL, at(0)).await.unwrap().is_empty());
}

async fn encryption_keys_rotate_on_live_devices_only(db: TestDb) {
    let net = db.store.network();
    devices(&db.store, &[("d1", ALICE), ("b1", BOB)]).await;
    assert!(net.set_enc_key("d1", "x-wing", b"new key", 2).await.unwrap());
    let d1 = net.device("d1").await.unwrap().unwrap();
    assert_eq!(
        (d1.enc_kem.as_str(), d1.enc_key.as_slice(), d1.enc_key_id),
        ("x-wing", &b"new key"[..], 2)
    );
    // The other device keeps its key.
    assert_eq!(net.device("b1").await.unwrap().unwrap().enc_key, b"enc-b1");
    assert!(!net.set_enc_key("nobody", "x-wing", b"k", 2).await.unwrap());
    net.deregister(ALICE, at(10)).await.unwrap();
    assert!(!net.set_enc_key("d1", "x-wing", b"newer key", 3).await.unwrap());
    assert_eq!(net.device("d1").await.unwrap().unwrap().enc_key, b"new key");
}

async fn codes_count_attempts_and_expire(db: TestDb) {
    let net = db.store.network();
    let (reg, dereg) = (CodePurpose::Register, CodePurpose::Deregister);
    net.put_code(ALICE, reg, b"salt-1", b"hash-1", at(600), at(0)).await.unwrap();
    net.put_code(ALICE, dereg, b"salt-d", b"hash-d", at(600), at(0)).await.unwrap();

    // (time of the attempt, the attempts counted, or None for no code)
    let table: &[(u64, Option<u32>)] =
        &[(1, Some(1)), (2, Some(2)), (599, Some(3)), (600, None), (601, None)];
    for (t, want) in table {
        let got = net.code_attempt(ALICE, reg, at(*t)).await.unwrap();
        assert_eq!(got.as_ref().map(|c| c.attempts), *want, "attempt at {t}");
        if let Some(c) = got {
            assert_eq!(
                (c.salt.as_slice(), c.hash.as_slice(), c.expires_at),
                (&b"salt-1"[..], &b"hash-1"[..], at(600))
            );
        }
    }
    // Attempts on an expired code are not counted.
    net.put_code(ALICE, reg, b"salt-2", b"hash-2", at(1200), at(700)).await.unwrap();
    let c = net.code_attempt(ALICE, reg, at(701)).await.unwrap().expect("the new code");
    assert_eq!(
        (c.attempts, c.salt.as_slice(), c.hash.as_slice()),
        (1, &b"salt-2"[..], &b"hash-2"[..])
    );

    // The purposes and handles are separate codes.
    assert_eq!(net.code_attempt(ALICE, dereg, at(1)).await.unwrap().unwrap().attempts, 1);
    assert_eq!(net.code_attempt(BOB, reg, at(1)).await.unwrap(), None);

    assert!(net.delete_code(ALICE, reg).await.unwrap());
    assert!(!net.delete_code(ALICE, reg).await.unwrap());
    assert_eq!(net.code_attempt(ALICE, reg, at(702)).await.unwrap(), None);

    // Housekeeping takes the expired deregistration code only.
    net.put_code(BOB, reg, b"s", b"h", at(2000), at(0)).await.unwrap();
    assert_eq!(net.purge_codes(at(1000)).await.unwrap(), 1);
    assert_eq!(net.code_attempt(BOB, reg, at(1000)).await.unwrap().unwrap().attempts, 1);

    let e = net.put_code(BOB, reg, b"", b"h", at(2000), at(0)).await.unwrap_err();
    assert!(matches!(e, Error::Invalid(_)), "{e:?}");
}

async fn code_attempts_are_counted_atomically(db: TestDb) {
    let other = db.second_node().await;
    db.store
        .network()
        .put_code(ALICE, CodePurpose::Register, b"salt", b"hash", at(600), at(0))
        .await
        .unwrap();
    const N: u32 = 16;
    let tasks: Vec<_> = (0..N)
        .map(|i| {
            let s = if i % 2 == 0 { db.store.clone() } else { other.clone() };
            tokio::spawn(async move {
                s.network().code_attempt(ALICE, CodePurpose::Register, at(1)).await.unwrap()
            })
        })
        .collect();
    let mut counts = BTreeSet::new();
    for t in tasks {
        let c = t.await.unwrap().expect("the code is there");
        assert!(counts.insert(c.attempts), "attempt {} counted twice", c.attempts);
    }
    assert_eq!(counts, (1..=N).collect::<BTreeSet<_>>());
    other.close().await;
}

async fn budget_stops_at_its_limit(db: TestDb) {
    let net = db.store.network();
    let day = |d| Day::new(2025, 3, d).unwrap();
    // (budget, day, limit, taken?, used that day afterwards)
    let table: &[(&str, u8, u64, bool, u64)] = &[
        ("verify", 1, 2, true, 1),
        ("verify", 1, 2, true, 2),
        ("verify", 1, 2, false, 2),
        ("verify", 1, 3, true, 3),
        ("verify", 1, 3, false, 3),
        ("verify", 2, 3, true, 1),
        ("other", 1, 1, true, 1),
        ("other", 1, 1, false, 1),
        ("zero", 1, 0, false, 0),
    ];
    for (i, (name, d, limit, taken, used)) in table.iter().enumerate() {
        assert_eq!(net.take_budget(name, day(*d), *limit).await.unwrap(), *taken, "row {i}");
        assert_eq!(net.budget_used(name, day(*d)).await.unwrap(), *used, "row {i}");
    }
    assert_eq!(net.purge_budget(day(2)).await.unwrap(), 2);
    assert_eq!(net.budget_used("verify", day(1)).await.unwrap(), 0);
    assert_eq!(net.budget_used("verify", day(2)).await.unwrap(), 1);
}

async fn concurrent_budget_takers_never_pass_the_limit(db: TestDb) {
    let other = db.second_node().await;
    let day = Day::new(2025, 3, 1).unwrap();
    const LIMIT: u64 = 7;
    let tasks: Vec<_> = (0..24)
        .map(|i| {
            let s = if i % 2 == 0 { db.store.clone() } else { other.clone() };
            tokio::spawn(
                async move { s.network().take_budget("verify", day, LIMIT).await.unwrap() },
            )
        })
        .collect();
    let mut taken = 0;
    for t in tasks {
        taken += u64::from(t.await.unwrap());
    }
    assert_eq!(taken, LIMIT);
    assert_eq!(db.store.network().budget_used("verify", day).await.unwrap(), LIMIT);
    other.close().await;
}

async fn deregister_revokes_and_returns_queued_work(db: TestDb) {
    let s = &db.store;
    let net = s.network();
    devices(s, &[("a1", ALICE), ("a2", ALICE), ("b1", BOB), ("b2", BOB), ("c1", CAROL)]).await;
    // Bob writes to Alice and Carol, with fallbacks for both; his other
    // device gets the sent copy. The hub forwards an SMS to a1.
    let send = new_send(
        "s1",
        "b1",
        "m1",
        &[("e-a1", "a1", ALICE), ("e-a2", "a2", ALICE), ("e-c1", "c1", CAROL), ("e-b2", "b2", BOB)],
        &[(ALICE, 60), (CAROL, 60)],
    );
    record(s, &send).await;
    net.insert_envelopes(&[envelope("e-hub", "a1", ALICE, None)]).await.unwrap();

    let d = net.deregister(ALICE, at(10)).await.unwrap();
    assert_eq!(d.revoked, ["a1", "a2"]);
    let got: Vec<_> = d.envelopes.iter().map(|e| (e.id.as_str(), e.send_id.as_deref())).collect();
    assert_eq!(got, [("e-a1", Some("s1")), ("e-a2", Some("s1")), ("e-hub", None)]);
    assert_eq!(d.envelopes[0].body, "{\"id\":\"e-a1\"}");
    // Alice's fallback is kept, due now, with what the hub needs to send
    // it and tell Bob; s1 keeps a fallback, so nobody hears `unregistered`.
    assert_eq!(fallbacks(&d.fallbacks), [("s1", ALICE, "b1", "m1", "see you at 8, +31612345678")]);
    assert_eq!(d.fallbacks[0].due_at, at(10));
    assert!(d.unregistered.is_empty(), "{:?}", d.unregistered);

    // The tokens are dead, the devices revoked, the queues empty.
    for id in ["a1", "a2"] {
        assert_eq!(net.device_by_token(&token(id)).await.unwrap(), None, "{id}");
        let dev = net.device(id).await.unwrap().unwrap();
        assert_eq!(dev.revoked_at, Some(at(10)), "{id}");
        assert!(net.envelopes_for(id, 100, at(11)).await.unwrap().is_empty(), "{id}");
    }
    assert!(net.active_devices(ALICE, at(0)).await.unwrap().is_empty());
    assert_eq!(net.handle(ALICE).await.unwrap().unwrap().deregistered_at, Some(at(10)));

    // Nobody else lost anything, and Carol's fallback keeps its time.
    assert!(net.device_by_token(&token("b1")).await.unwrap().is_some());
    assert_eq!(net.envelopes_for("c1", 100, at(11)).await.unwrap().len(), 1);
    assert_eq!(net.envelopes_for("b2", 100, at(11)).await.unwrap().len(), 1);
    let due = net.due_fallbacks(at(10), 100).await.unwrap();
    assert_eq!(due.iter().map(|f| f.recipient_handle.as_str()).collect::<Vec<_>>(), [ALICE]);
    let due = net.due_fallbacks(at(60), 100).await.unwrap();
    let due: Vec<_> = due.iter().map(|f| f.recipient_handle.as_str()).collect();
    assert_eq!(due, [ALICE, CAROL]);

    // Again: nothing more to do, the first time stays, and the kept
    // fallback is still there (the hub's timer has not sent it yet).
    let again = net.deregister(ALICE, at(20)).await.unwrap();
    assert!(
        again.revoked.is_empty() && again.envelopes.is_empty() && again.unregistered.is_empty()
    );
    assert_eq!(again.fallbacks, d.fallbacks, "kept, still due at 10");
    assert_eq!(net.handle(ALICE).await.unwrap().unwrap().deregistered_at, Some(at(10)));
    // Sending it ends it; its envelopes went with the devices.
    let finished = net.finish_fallback("s1", ALICE).await.unwrap().expect("kept");
    assert_eq!(finished.deleted_envelopes, 0);
    assert_eq!(net.deregister(ALICE, at(20)).await.unwrap(), Default::default());
    // A handle never registered: nothing, and no error.
    assert_eq!(net.deregister("+15559999", at(20)).await.unwrap(), Default::default());

    // A new device registers the handle again: it meets no revoked device.
    let others = net.add_device(&new_device("a3", ALICE), at(30)).await.unwrap();
    assert!(others.is_empty(), "{others:?}");
    let h = net.handle(ALICE).await.unwrap().unwrap();
    assert_eq!((h.registered_at, h.deregistered_at), (at(30), None));
    assert_eq!(ids(&net.active_devices(ALICE, at(0)).await.unwrap()), ["a3"]);
    assert_eq!(net.deregister(ALICE, at(40)).await.unwrap().revoked, ["a3"]);
}

/// Fallbacks as `(send, handle, sender, client message id, text)`.
fn fallbacks(list: &[FallbackRecord]) -> Vec<(&str, &str, &str, &str, &str)> {
    list.iter()
        .map(|f| {
            (
                f.send_id.as_str(),
                f.recipient_handle.as_str(),
                f.sender_device.as_str(),
                f.client_message_id.as_str(),
                f.text.as_str(),
            )
        })
        .collect()
}

/// Unregistered sends as `(send, sender, client message id)`.
fn unregistered(list: &[UnregisteredSend]) -> Vec<(&str, &str, &str)> {
    list.iter()
        .map(|u| (u.send_id.as_str(), u.sender_device.as_str(), u.client_message_id.as_str()))
        .collect()
}

async fn deregister_keeps_fallbacks_due_now_and_names_the_unregistered(db: TestDb) {
    let s = &db.store;
    let net = s.network();
    devices(s, &[("a1", ALICE), ("a2", ALICE), ("b1", BOB), ("b2", BOB), ("c1", CAROL)]).await;
    // s1: Bob to Alice and Carol, fallbacks for both, due at 300.
    let e = [("e1-a1", "a1", ALICE), ("e1-a2", "a2", ALICE), ("e1-c1", "c1", CAROL)];
    record(s, &new_send("s1", "b1", "m1", &e, &[(ALICE, 300), (CAROL, 300)])).await;
    // s2: Bob to Alice, no fallback: Bob hears `unregistered`.
    record(s, &new_send("s2", "b1", "m2", &[("e2-a1", "a1", ALICE), ("e2-a2", "a2", ALICE)], &[]))
        .await;
    // s3: Carol to Alice, a fallback due already (at 5): it keeps its time.
    record(s, &new_send("s3", "c1", "m3", &[("e3-a1", "a1", ALICE)], &[(ALICE, 5)])).await;
    // s4: Carol to Alice and Bob, a fallback for Bob only: Carol hears
    // `unregistered` for Alice.
    let e = [("e4-a2", "a2", ALICE), ("e4-b1", "b1", BOB)];
    record(s, &new_send("s4", "c1", "m4", &e, &[(BOB, 300)])).await;
    // s5: Alice to Carol, the sent copy on her other device: nobody to tell.
    let e = [("e5-c1", "c1", CAROL), ("e5-a2", "a2", ALICE)];
    record(s, &new_send("s5", "a1", "m5", &e, &[(CAROL, 300)])).await;
    // s6: Bob to Alice with a fallback, its envelope acked already.
    record(s, &new_send("s6", "b2", "m6", &[], &[(ALICE, 300)])).await;
    // The hub's own envelope names no send.
    net.insert_envelopes(&[envelope("e-hub", "a1", ALICE, None)]).await.unwrap();

    let d = net.deregister(ALICE, at(10)).await.unwrap();
    assert_eq!(d.revoked, ["a1", "a2"]);
    assert_eq!(d.envelopes.len(), 8);
    let text = "see you at 8, +31612345678";
    assert_eq!(
        fallbacks(&d.fallbacks),
        [
            ("s1", ALICE, "b1", "m1", text),
            ("s3", ALICE, "c1", "m3", text),
            ("s6", ALICE, "b2", "m6", text)
        ]
    );
    let due: Vec<_> = d.fallbacks.iter().map(|f| f.due_at).collect();
    assert_eq!(due, [at(10), at(5), at(10)], "due now, or earlier if due already");
    assert_eq!(unregistered(&d.unregistered), [("s2", "b1", "m2"), ("s4", "c1", "m4")]);

    // The store hands them out as due, with their client message ids.
    let due = net.due_fallbacks(at(10), 100).await.unwrap();
    assert_eq!(
        fallbacks(&due),
        [
            ("s3", ALICE, "c1", "m3", text),
            ("s1", ALICE, "b1", "m1", text),
            ("s6", ALICE, "b2", "m6", text)
        ]
    );
    assert_eq!(net.next_fallback_due().await.unwrap(), Some(at(5)));
    // The other handles' fallbacks keep their times.
    let later = net.due_fallbacks(at(300), 100).await.unwrap();
    let later: Vec<_> = later
        .iter()
        .filter(|f| f.recipient_handle != ALICE)
        .map(|f| (f.send_id.as_str(), f.recipient_handle.as_str(), f.due_at))
        .collect();
    assert_eq!(later, [("s1", CAROL, at(300)), ("s4", BOB, at(300)), ("s5", CAROL, at(300))]);
    assert!(net
        .due_fallbacks(at(10), 100)
        .await
        .unwrap()
        .iter()
        .all(|f| f.recipient_handle == ALICE));

    // A policy refusal drops a row and nothing else.
    assert!(net.drop_fallback("s3", ALICE).await.unwrap());
    assert!(!net.drop_fallback("s3", ALICE).await.unwrap());
    assert_eq!(net.finish_fallback("s3", ALICE).await.unwrap(), None);
    // The sends stay while a fallback row or an envelope refers to them:
    // s2 and s3 have neither any more.
    assert_eq!(net.purge_sends(at(1000)).await.unwrap(), 2);
    assert!(net.send("b1", "m2").await.unwrap().is_none());
    assert!(net.send("b2", "m6").await.unwrap().is_some());
    assert_eq!(fallbacks(&net.due_fallbacks(at(10), 100).await.unwrap()).len(), 2);
}

async fn deregister_and_acks_race_to_one_end(db: TestDb) {
    devices(&db.store, &[("b1", BOB)]).await;
    let other = db.second_node().await;
    for i in 0..8u64 {
        // A fresh handle per round, with one device and two messages for
        // it: one with a fallback, one without.
        let (handle, device) = (format!("+3161000000{i}"), format!("r{i}"));
        devices(&db.store, &[(&device, &handle)]).await;
        let (with, bare) = (format!("f{i}"), format!("n{i}"));
        let (ef, en) = (format!("ef{i}"), format!("en{i}"));
        record(
            &db.store,
            &new_send(&with, "b1", &with, &[(&ef, &device, &handle)], &[(&handle, 300)]),
        )
        .await;
        record(&db.store, &new_send(&bare, "b1", &bare, &[(&en, &device, &handle)], &[])).await;
        // The device acks both while its handle leaves on another node.
        let acker = {
            let (s, device, ids) = (db.store.clone(), device.clone(), vec![ef.clone(), en.clone()]);
            tokio::spawn(async move { s.network().ack(&device, &ids).await.unwrap() })
        };
        let leaver = {
            let (s, handle) = (other.clone(), handle.clone());
            tokio::spawn(async move { s.network().deregister(&handle, at(10)).await.unwrap() })
        };
        let acked = acker.await.unwrap();
        let left = leaver.await.unwrap();
        // Either the ack came first (the fallback is cancelled, nobody is
        // told), or the deregistration did (the fallback is kept, due now;
        // the bare message's sender is told): never both, never neither.
        let net = db.store.network();
        let due = net.due_fallbacks(at(10), 100).await.unwrap();
        let kept = due.iter().any(|f| f.send_id == with);
        if acked.is_empty() {
            assert_eq!(fallbacks(&left.fallbacks).len(), 1, "round {i}");
            assert!(kept, "round {i}");
            assert_eq!(unregistered(&left.unregistered), [(bare.as_str(), "b1", bare.as_str())]);
            assert_eq!(left.envelopes.len(), 2, "round {i}");
            net.finish_fallback(&with, &handle).await.unwrap().expect("kept");
        } else {
            assert_eq!(acked.len(), 2, "round {i}");
            assert!(!kept, "round {i}");
            assert!(left.fallbacks.is_empty() && left.unregistered.is_empty(), "round {i}");
            assert!(left.envelopes.is_empty(), "round {i}");
        }
        assert_eq!(left.revoked, [device.as_str()], "round {i}");
    }
    other.close().await;
}

async fn deregister_and_registration_race_to_one_end(db: TestDb) {
    let other = db.second_node().await;
    devices(&db.store, &[("a0", ALICE)]).await;
    for i in 0..8u64 {
        let id = format!("a{}", i + 1);
        let adder = {
            let (s, id) = (db.store.clone(), id.clone());
            tokio::spawn(
                async move { s.network().add_device(&new_device(&id, ALICE), at(i)).await },
            )
        };
        let leaver = {
            let s = other.clone();
            tokio::spawn(async move { s.network().deregister(ALICE, at(i)).await })
        };
        adder.await.unwrap().unwrap();
        let left = leaver.await.unwrap().unwrap();
        // Either the deregistration came second and revoked the new device
        // too, or the registration came second and the handle is live with
        // it: never a live device on a deregistered handle.
        let net = db.store.network();
        let device = net.device(&id).await.unwrap().unwrap();
        let handle = net.handle(ALICE).await.unwrap().unwrap();
        assert_eq!(device.revoked_at.is_some(), handle.deregistered_at.is_some(), "round {i}");
        assert_eq!(left.revoked.contains(&id), device.revoked_at.is_some(), "round {i}");
        assert_eq!(device_is_live(&db.store, &id).await, device.revoked_at.is_none());
    }
    other.close().await;
}

async fn device_is_live(s: &Store, id: &str) -> bool {
    s.network().device_by_token(&token(id)).await.unwrap().is_some()
}

async fn blocks_are_per_handle(db: TestDb) {
    let net = db.store.network();
    assert!(net.block(ALICE, BOB, at(0)).await.unwrap());
    assert!(!net.block(ALICE, BOB, at(1)).await.unwrap());
    assert!(net.block(ALICE, CAROL, at(2)).await.unwrap());
    assert!(net.block(CAROL, BOB, at(3)).await.unwrap());
    assert_eq!(net.blocks(ALICE).await.unwrap(), [CAROL, BOB]);
    assert!(net.blocks(BOB).await.unwrap().is_empty());

    // (sender, candidates, who of them blocks the sender)
    let table: &[(&str, &[&str], &[&str])] = &[
        (BOB, &[ALICE, CAROL, "+15559999"], &[CAROL, ALICE]),
        (BOB, &[ALICE, ALICE], &[ALICE]),
        (BOB, &[], &[]),
        (CAROL, &[ALICE, BOB], &[ALICE]),
        (ALICE, &[BOB, CAROL], &[]),
    ];
    for (sender, candidates, want) in table {
        let candidates: Vec<String> = candidates.iter().map(|c| c.to_string()).collect();
        let mut want = want.to_vec();
        want.sort();
        assert_eq!(
            net.blockers_of(sender, &candidates).await.unwrap(),
            want,
            "{sender} {candidates:?}"
        );
    }
    // A long candidate list (split into several queries) finds them too.
    let mut many: Vec<String> = (0..1200).map(|i| format!("+1555{i:07}")).collect();
    many.push(ALICE.into());
    assert_eq!(net.blockers_of(BOB, &many).await.unwrap(), [ALICE]);

    assert!(net.unblock(ALICE, BOB).await.unwrap());
    assert!(!net.unblock(ALICE, BOB).await.unwrap());
    assert_eq!(
        net.blockers_of(BOB, &[ALICE.to_string(), CAROL.to_string()]).await.unwrap(),
        [CAROL]
    );
}
