//! The encrypted network's tables, part two: sends and their idempotency,
//! envelope queues, acks, expiry and SMS fallbacks.

use bubblegate_store::{Acked, Error, FinishedFallback, NewSend, SendRecorded};

use crate::network::{devices, envelope, new_send, record, ALICE, BOB, CAROL};
use crate::support::{at, on_both_backends, TestDb};

on_both_backends!(
    a_send_is_recorded_once,
    concurrent_sends_with_one_key_record_once,
    inconsistent_sends_are_refused,
    envelopes_come_oldest_first_until_they_expire,
    ack_deletes_only_own_envelopes_and_cancels_the_fallback,
    fallbacks_fall_due_and_finish_once,
    concurrent_finishes_and_acks_end_one_way,
    old_sends_are_purged_once_unreferenced,
);

/// Alice (a1, a2) and Carol (c1) receive; Bob (b1, b2) sends.
async fn people(db: &TestDb) {
    devices(&db.store, &[("a1", ALICE), ("a2", ALICE), ("b1", BOB), ("b2", BOB), ("c1", CAROL)])
        .await;
}

fn queued(envelopes: &[bubblegate_store::EnvelopeRecord]) -> Vec<&str> {
    envelopes.iter().map(|e| e.id.as_str()).collect()
}

async fn a_send_is_recorded_once(db: TestDb) {
    people(&db).await;
    let net = db.store.network();
    assert_eq!(net.send("b1", "m1").await.unwrap(), None);
    let first =
        new_send("s1", "b1", "m1", &[("e1", "a1", ALICE), ("e2", "b2", BOB)], &[(ALICE, 60)]);
    record(&db.store, &first).await;

    let stored = net.send("b1", "m1").await.unwrap().expect("the send");
    assert_eq!(
        (stored.id.as_str(), stored.request_hash.as_slice(), stored.answer.as_str()),
        ("s1", &b"hash-m1"[..], "{\"message_id\":\"s1\"}")
    );
    assert_eq!(stored.created_at, at(0));
    // The store filled in the send and the sender of each envelope.
    let e1 = &net.envelopes_for("a1", 10, at(1)).await.unwrap()[0];
    assert_eq!((e1.send_id.as_deref(), e1.sender_device.as_deref()), (Some("s1"), Some("b1")));
    assert_eq!((e1.created_at, e1.expires_at), (at(0), at(3600)));

    // A repeat, even with other ids and contents, writes nothing and gets
    // the first send back.
    let mut repeat =
        new_send("s2", "b1", "m1", &[("e3", "a2", ALICE), ("e4", "c1", CAROL)], &[(CAROL, 60)]);
    repeat.request_hash = b"another request".to_vec();
    assert_eq!(net.record_send(&repeat, at(5)).await.unwrap(), SendRecorded::Existing(stored));
    assert!(net.envelopes_for("a2", 10, at(1)).await.unwrap().is_empty());
    assert!(net.envelopes_for("c1", 10, at(1)).await.unwrap().is_empty());
    let due = net.due_fallbacks(at(100), 10).await.unwrap();
    assert_eq!(due.iter().map(|f| f.recipient_handle.as_str()).collect::<Vec<_>>(), [ALICE]);

    // The key is per sending device.
    record(&db.store, &new_send("s3", "b2", "m1", &[("e5", "a2", ALICE)], &[])).await;
    assert_eq!(net.send("b2", "m1").await.unwrap().unwrap().id, "s3");
}

async fn concurrent_sends_with_one_key_record_once(db: TestDb) {
    people(&db).await;
    let other = db.second_node().await;
    const N: usize = 8;
    let tasks: Vec<_> = (0..N)
        .map(|i| {
            let s = if i % 2 == 0 { db.store.clone() } else { other.clone() };
            // Each attempt brings its own ids, as the hub makes them per
            // request.
            let send = new_send(
                &format!("s{i}"),
                "b1",
                "same",
                &[(&format!("e{i}-a1"), "a1", ALICE), (&format!("e{i}-a2"), "a2", ALICE)],
                &[(ALICE, 60)],
            );
            tokio::spawn(
                async move { (send.id.clone(), s.network().record_send(&send, at(0)).await) },
            )
        })
        .collect();
    let mut winners = Vec::new();
    let mut existing = Vec::new();
    for t in tasks {
        match t.await.unwrap() {
            (id, Ok(SendRecorded::New)) => winners.push(id),
            (_, Ok(SendRecorded::Existing(s))) => existing.push(s.id),
            (id, Err(e)) => panic!("{id}: {e:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "{winners:?}");
    assert_eq!(existing.len(), N - 1);
    assert!(existing.iter().all(|id| *id == winners[0]), "{existing:?} vs {winners:?}");
    // One send's envelopes and one fallback row, nothing of the others.
    let net = db.store.network();
    for device in ["a1", "a2"] {
        let q = net.envelopes_for(device, 100, at(1)).await.unwrap();
        assert_eq!(q.len(), 1, "{device}");
        assert_eq!(q[0].send_id.as_deref(), Some(winners[0].as_str()));
    }
    assert_eq!(net.due_fallbacks(at(60), 100).await.unwrap().len(), 1);
    other.close().await;
}

/// A change that makes a good send bad.
type Change = fn(&mut NewSend);

async fn inconsistent_sends_are_refused(db: TestDb) {
    people(&db).await;
    let net = db.store.network();
    let ok = || new_send("s1", "b1", "m1", &[("e1", "a1", ALICE)], &[(ALICE, 60)]);
    let cases: &[(&str, Change)] = &[
        ("no id", |s| s.id.clear()),
        ("no client message id", |s| s.client_message_id.clear()),
        ("envelope of another send", |s| s.envelopes[0].send_id = Some("s9".into())),
        ("envelope of another sender", |s| s.envelopes[0].sender_device = Some("b2".into())),
        ("two fallbacks for one handle", |s| s.fallbacks.push(s.fallbacks[0].clone())),
        ("envelope without id", |s| s.envelopes[0].id.clear()),
    ];
    for (what, change) in cases {
        let mut s = ok();
        change(&mut s);
        let e = net.record_send(&s, at(0)).await.unwrap_err();
        assert!(matches!(e, Error::Invalid(_)), "{what}: {e:?}");
        // Nothing of it stays behind: the send can still be recorded.
        assert_eq!(net.send("b1", "m1").await.unwrap(), None, "{what}");
        assert!(net.envelopes_for("a1", 10, at(0)).await.unwrap().is_empty(), "{what}");
    }
    // An envelope to a device that does not exist fails the whole send.
    let bad = new_send("s1", "b1", "m1", &[("e1", "a1", ALICE), ("e2", "ghost", ALICE)], &[]);
    assert!(matches!(net.record_send(&bad, at(0)).await.unwrap_err(), Error::Query(_)));
    assert_eq!(net.send("b1", "m1").await.unwrap(), None);
    assert!(net.envelopes_for("a1", 10, at(0)).await.unwrap().is_empty());
    record(&db.store, &ok()).await;
}

async fn envelopes_come_oldest_first_until_they_expire(db: TestDb) {
    people(&db).await;
    let net = db.store.network();
    assert_eq!(net.next_expiry().await.unwrap(), None);
    // Hub envelopes, inserted out of order, expiring at different times.
    let mut list = Vec::new();
    for (id, expires) in [("e3", 300), ("e1", 100), ("e4", 400), ("e2", 200)] {
        let mut e = envelope(id, "a1", ALICE, None);
        e.expires_at = at(expires);
        list.push(e);
    }
    list.push(envelope("e0-other", "a2", ALICE, None));
    net.insert_envelopes(&list).await.unwrap();
    net.insert_envelopes(&[]).await.unwrap();
    assert_eq!(net.next_expiry().await.unwrap(), Some(at(100)));

    // (now, a1's queue)
    let table: &[(u64, &[&str])] = &[
        (0, &["e1", "e2", "e3", "e4"]),
        (99, &["e1", "e2", "e3", "e4"]),
        (100, &["e2", "e3", "e4"]),
        (250, &["e3", "e4"]),
        (400, &[]),
    ];
    for (now, want) in table {
        assert_eq!(queued(&net.envelopes_for("a1", 100, at(*now)).await.unwrap()), *want, "{now}");
    }
    assert_eq!(queued(&net.envelopes_for("a1", 2, at(0)).await.unwrap()), ["e1", "e2"]);
    // A limit of 0 still hands out one.
    assert_eq!(queued(&net.envelopes_for("a1", 0, at(0)).await.unwrap()), ["e1"]);
    assert_eq!(queued(&net.envelopes_after("a1", "e2", 100, at(0)).await.unwrap()), ["e3", "e4"]);
    assert_eq!(queued(&net.envelopes_after("a1", "e2", 1, at(0)).await.unwrap()), ["e3"]);
    assert_eq!(queued(&net.envelopes_after("a1", "e2", 100, at(350)).await.unwrap()), ["e4"]);
    assert!(net.envelopes_after("a1", "e4", 100, at(0)).await.unwrap().is_empty());

    // (now, deleted, next expiry)
    let expiries: &[(u64, u64, Option<u64>)] =
        &[(99, 0, Some(100)), (100, 1, Some(200)), (350, 2, Some(400)), (5000, 2, None)];
    for (now, deleted, next) in expiries {
        assert_eq!(net.expire(at(*now)).await.unwrap(), *deleted, "{now}");
        assert_eq!(net.next_expiry().await.unwrap(), next.map(at), "{now}");
    }
    assert!(net.envelopes_for("a1", 100, at(0)).await.unwrap().is_empty());
    assert!(net.envelopes_for("a2", 100, at(0)).await.unwrap().is_empty());
}

async fn ack_deletes_only_own_envelopes_and_cancels_the_fallback(db: TestDb) {
    people(&db).await;
    let net = db.store.network();
    let s1 = new_send(
        "s1",
        "b1",
        "m1",
        &[("e-a1", "a1", ALICE), ("e-a2", "a2", ALICE), ("e-c1", "c1", CAROL), ("e-b2", "b2", BOB)],
        &[(ALICE, 60), (CAROL, 60)],
    );
    record(&db.store, &s1).await;
    net.insert_envelopes(&[envelope("e-hub", "a2", ALICE, None)]).await.unwrap();

    // a2 acks its own envelope, a1's, Carol's, one that never existed and
    // its own again: only its own go.
    let ids: Vec<String> =
        ["e-a2", "e-a1", "e-c1", "nope", "e-a2", "e-hub"].iter().map(|s| s.to_string()).collect();
    let acked = net.ack("a2", &ids).await.unwrap();
    assert_eq!(
        acked,
        [
            Acked { id: "e-a2".into(), send_id: Some("s1".into()), recipient_handle: ALICE.into() },
            Acked { id: "e-hub".into(), send_id: None, recipient_handle: ALICE.into() },
        ]
    );
    assert_eq!(queued(&net.envelopes_for("a1", 10, at(1)).await.unwrap()), ["e-a1"]);
    assert_eq!(queued(&net.envelopes_for("c1", 10, at(1)).await.unwrap()), ["e-c1"]);
    assert!(net.envelopes_for("a2", 10, at(1)).await.unwrap().is_empty());
    // Alice's fallback is cancelled (a device of hers has the message);
    // Carol's stays, and finishing Alice's finds nothing.
    let due = net.due_fallbacks(at(60), 10).await.unwrap();
    assert_eq!(due.iter().map(|f| f.recipient_handle.as_str()).collect::<Vec<_>>(), [CAROL]);
    assert_eq!(net.finish_fallback("s1", ALICE).await.unwrap(), None);
    assert_eq!(queued(&net.envelopes_for("a1", 10, at(1)).await.unwrap()), ["e-a1"]);

    // Acking again, or nothing, deletes nothing.
    assert!(net.ack("a2", &ids).await.unwrap().is_empty());
    assert!(net.ack("a2", &[]).await.unwrap().is_empty());
    // A long list (several queries) works.
    let mut many: Vec<String> = (0..1200).map(|i| format!("x{i}")).collect();
    many.push("e-c1".into());
    assert_eq!(net.ack("c1", &many).await.unwrap().len(), 1);
    assert!(net.due_fallbacks(at(60), 10).await.unwrap().is_empty());
}

async fn fallbacks_fall_due_and_finish_once(db: TestDb) {
    people(&db).await;
    let net = db.store.network();
    assert_eq!(net.next_fallback_due().await.unwrap(), None);
    let s1 = new_send(
        "s1",
        "b1",
        "m1",
        &[
            ("e1-a1", "a1", ALICE),
            ("e1-a2", "a2", ALICE),
            ("e1-c1", "c1", CAROL),
            ("e1-b2", "b2", BOB),
        ],
        &[(ALICE, 60), (CAROL, 30)],
    );
    let s2 = new_send("s2", "b2", "m2", &[("e2-a1", "a1", ALICE)], &[(ALICE, 45)]);
    record(&db.store, &s1).await;
    record(&db.store, &s2).await;
    assert_eq!(net.next_fallback_due().await.unwrap(), Some(at(30)));

    // (now, the due fallbacks as (send, handle))
    let table: &[(u64, &[(&str, &str)])] = &[
        (29, &[]),
        (30, &[("s1", CAROL)]),
        (45, &[("s1", CAROL), ("s2", ALICE)]),
        (100, &[("s1", CAROL), ("s2", ALICE), ("s1", ALICE)]),
    ];
    for (now, want) in table {
        let due = net.due_fallbacks(at(*now), 100).await.unwrap();
        let got: Vec<_> =
            due.iter().map(|f| (f.send_id.as_str(), f.recipient_handle.as_str())).collect();
        assert_eq!(got, *want, "{now}");
    }
    let first = &net.due_fallbacks(at(100), 1).await.unwrap()[0];
    assert_eq!(
        (first.sender_device.as_str(), first.text.as_str(), first.due_at),
        ("b1", "see you at 8, +15550100", at(30))
    );

    // Sending Alice's fallback of s1 deletes her two unacked envelopes of
    // s1, and nothing else: not s2's, not Carol's, not Bob's sent copy.
    assert_eq!(
        net.finish_fallback("s1", ALICE).await.unwrap(),
        Some(FinishedFallback { deleted_envelopes: 2 })
    );
    assert_eq!(queued(&net.envelopes_for("a1", 10, at(1)).await.unwrap()), ["e2-a1"]);
    assert!(net.envelopes_for("a2", 10, at(1)).await.unwrap().is_empty());
    assert_eq!(queued(&net.envelopes_for("c1", 10, at(1)).await.unwrap()), ["e1-c1"]);
    assert_eq!(queued(&net.envelopes_for("b2", 10, at(1)).await.unwrap()), ["e1-b2"]);
    // Once only.
    assert_eq!(net.finish_fallback("s1", ALICE).await.unwrap(), None);
    assert_eq!(net.finish_fallback("nope", ALICE).await.unwrap(), None);
    assert_eq!(net.next_fallback_due().await.unwrap(), Some(at(30)));
    // Carol acked meanwhile: nothing is left to finish, and her envelope is
    // gone by the ack.
    net.ack("c1", &["e1-c1".to_string()]).await.unwrap();
    assert_eq!(net.finish_fallback("s1", CAROL).await.unwrap(), None);
    assert_eq!(
        net.finish_fallback("s2", ALICE).await.unwrap(),
        Some(FinishedFallback { deleted_envelopes: 1 })
    );
    assert_eq!(net.next_fallback_due().await.unwrap(), None);
}

async fn concurrent_finishes_and_acks_end_one_way(db: TestDb) {
    people(&db).await;
    let other = db.second_node().await;
    const ROUNDS: usize = 6;
    for i in 0..ROUNDS {
        let (send, env) = (format!("s{i}"), format!("e{i}"));
        record(
            &db.store,
            &new_send(&send, "b1", &format!("m{i}"), &[(&env, "a1", ALICE)], &[(ALICE, 0)]),
        )
        .await;
        // Two nodes finish the fallback while the device acks.
        let finishers: Vec<_> = [db.store.clone(), other.clone()]
            .into_iter()
            .map(|s| {
                let send = send.clone();
                tokio::spawn(
                    async move { s.network().finish_fallback(&send, ALICE).await.unwrap() },
                )
            })
            .collect();
        let acker = {
            let (s, env) = (other.clone(), env.clone());
            tokio::spawn(async move { s.network().ack("a1", &[env]).await.unwrap() })
        };
        let mut finished = 0;
        for f in finishers {
            if let Some(done) = f.await.unwrap() {
                finished += 1;
                assert_eq!(done.deleted_envelopes, 1, "round {i}");
            }
        }
        let acked = acker.await.unwrap();
        // Exactly one of them won: one finisher (the ack then finds the
        // envelope gone), or the ack (the finishers then find no row).
        assert!(finished <= 1, "round {i}: {finished} finishers");
        assert!((finished == 1) != (acked.len() == 1), "round {i}: {finished} {acked:?}");
        assert!(net_empty(&db, "a1").await, "round {i}");
        assert!(db.store.network().due_fallbacks(at(1), 10).await.unwrap().is_empty());
    }
    other.close().await;
}

async fn net_empty(db: &TestDb, device: &str) -> bool {
    db.store.network().envelopes_for(device, 10, at(0)).await.unwrap().is_empty()
}

async fn old_sends_are_purged_once_unreferenced(db: TestDb) {
    people(&db).await;
    let net = db.store.network();
    // s1: its envelope is acked. s2: still queued. s3: a fallback kept.
    record(&db.store, &new_send("s1", "b1", "m1", &[("e1", "a1", ALICE)], &[])).await;
    record(&db.store, &new_send("s2", "b1", "m2", &[("e2", "a1", ALICE)], &[])).await;
    record(&db.store, &new_send("s3", "b1", "m3", &[], &[(CAROL, 60)])).await;
    net.ack("a1", &["e1".to_string()]).await.unwrap();
    // Nothing is old enough yet.
    assert_eq!(net.purge_sends(at(0)).await.unwrap(), 0);
    assert_eq!(net.purge_sends(at(10)).await.unwrap(), 1);
    assert_eq!(net.send("b1", "m1").await.unwrap(), None);
    assert!(net.send("b1", "m2").await.unwrap().is_some());
    assert!(net.send("b1", "m3").await.unwrap().is_some());
    // Once the rest is gone, so are the sends.
    net.expire(at(3600)).await.unwrap();
    net.finish_fallback("s3", CAROL).await.unwrap().expect("the fallback");
    assert_eq!(net.purge_sends(at(10)).await.unwrap(), 2);
    // A purged key is free again.
    record(&db.store, &new_send("s4", "b1", "m1", &[], &[])).await;
}
