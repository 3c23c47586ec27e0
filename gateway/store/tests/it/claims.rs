//! Who gets which part, in which order, and never twice.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bubblegate_store::{ErrorClass, MessageId, MessageStatus, PartState, SendError};

use crate::support::{at, message, on_both_backends, sender, TestDb};

on_both_backends!(
    claims_follow_priority_send_after_and_expiry,
    retry_backoff_delays_the_next_claim,
    parts_of_a_message_leave_through_one_sim,
    work_of_a_dead_modem_fails_over,
    concurrent_claimers_never_share_a_part,
);

/// (label, priority, send_after, validity), enqueued in this order at
/// time 0.
const QUEUE: &[(&str, i32, Option<u64>, Option<u64>)] = &[
    ("normal-1", 0, None, None),
    ("urgent", 5, None, None),
    ("later", 0, Some(100), None),
    ("expires", 9, None, Some(5)),
    ("normal-2", 0, None, None),
    ("low", -1, None, None),
    ("urgent-later", 7, Some(50), None),
];

/// (claim time, label claimed or `None`).
const CLAIMS: &[(u64, Option<&str>)] = &[
    (1, Some("expires")),
    (10, Some("urgent")),
    (10, Some("normal-1")),
    (10, Some("normal-2")),
    (10, Some("low")),
    (10, None),
    (50, Some("urgent-later")),
    (99, None),
    (100, Some("later")),
    (100, None),
];

async fn claims_follow_priority_send_after_and_expiry(db: TestDb) {
    let s = &db.store;
    let me = sender(s, "n1", "m1").await;
    let mut labels = BTreeMap::new();
    for (label, priority, send_after, validity) in QUEUE {
        let mut m = message(label, 1);
        m.priority = *priority;
        m.send_after = send_after.map(at);
        m.validity = validity.map(Duration::from_secs);
        labels.insert(s.enqueue(&m, at(0)).await.unwrap().id, *label);
    }
    // A second "expires" that nobody claims in time: expiry takes it.
    let mut m = message("expires-unclaimed", 1);
    m.priority = 9;
    m.validity = Some(Duration::from_secs(5));
    let unclaimed = s.enqueue(&m, at(0)).await.unwrap().id;
    labels.insert(unclaimed, "expires-unclaimed");

    for (i, (time, want)) in CLAIMS.iter().enumerate() {
        if *time == 10 && i == 1 {
            let expired = s.expire_due(at(10)).await.unwrap();
            assert_eq!(expired.len(), 1);
            assert_eq!(expired[0].message, unclaimed);
            assert_eq!(expired[0].status, MessageStatus::Expired);
        }
        let got = s.claim_next_part(&me, at(*time)).await.unwrap();
        let got = got.map(|c| labels[&c.message]);
        assert_eq!(got, *want, "claim {i} at {time}");
    }
}

async fn retry_backoff_delays_the_next_claim(db: TestDb) {
    let s = &db.store;
    let me = sender(s, "n1", "m1").await;
    let mut m = message("+15550100", 1);
    m.send_after = Some(at(20));
    m.validity = Some(Duration::from_secs(1000));
    s.enqueue(&m, at(0)).await.unwrap();
    assert_eq!(s.next_due(at(0)).await.unwrap(), Some(at(20)));
    assert!(s.claim_next_part(&me, at(19)).await.unwrap().is_none());
    let c = s.claim_next_part(&me, at(20)).await.unwrap().unwrap();
    let e = SendError { code: "cms-42".into(), class: ErrorClass::Temporary };
    s.mark_retry(&c, &e, at(50), at(21)).await.unwrap();
    assert_eq!(s.next_due(at(21)).await.unwrap(), Some(at(50)));
    assert!(s.claim_next_part(&me, at(49)).await.unwrap().is_none());
    let c = s.claim_next_part(&me, at(50)).await.unwrap().unwrap();
    assert_eq!(c.attempt, 2);
    let part = &s.message(c.message).await.unwrap().unwrap().parts[0];
    assert_eq!(part.last_error.as_ref().map(|e| e.code.as_str()), Some("cms-42"));
    // With nothing waiting on a backoff, the expiry is the next event.
    s.mark_retry(&c, &e, at(51), at(50)).await.unwrap();
    assert_eq!(s.next_due(at(51)).await.unwrap(), Some(at(1000)));
    assert_eq!(s.next_due(at(1000)).await.unwrap(), None);
}

async fn parts_of_a_message_leave_through_one_sim(db: TestDb) {
    let s = &db.store;
    let a = sender(s, "n1", "a").await;
    let b = sender(s, "n1", "b").await;
    let id = s.enqueue(&message("+15550100", 3), at(0)).await.unwrap().id;
    let p1 = s.claim_next_part(&a, at(0)).await.unwrap().unwrap();
    // b may not take part 2: the phone would not join parts from two
    // numbers.
    assert!(s.claim_next_part(&b, at(0)).await.unwrap().is_none());
    s.mark_submitted(&p1, 1, at(1)).await.unwrap();
    assert!(s.claim_next_part(&b, at(1)).await.unwrap().is_none());
    let p2 = s.claim_next_part(&a, at(1)).await.unwrap().unwrap();
    assert_eq!((p2.message, p2.seq), (id, 2));
    let m = s.message(id).await.unwrap().unwrap();
    assert_eq!(m.sim, Some(a.sim.clone()));
    assert_eq!(m.parts[0].modem, Some(a.modem.clone()));
    // Another message is free for b meanwhile.
    let other = s.enqueue(&message("+15550101", 1), at(2)).await.unwrap().id;
    assert_eq!(s.claim_next_part(&b, at(2)).await.unwrap().unwrap().message, other);
}

async fn work_of_a_dead_modem_fails_over(db: TestDb) {
    let s = &db.store;
    let a = sender(s, "n1", "a").await;
    let b = sender(s, "n1", "b").await;
    let claim = |who| async move { s.claim_next_part(who, at(1)).await.unwrap() };
    let sent = |ids: Vec<(MessageId, u8)>| ids.into_iter().collect::<BTreeSet<_>>();

    // a is unplugged while sending part 1: nothing of the message is known
    // to be out, so b takes all of it.
    let x = s.enqueue(&message("+15550100", 2), at(0)).await.unwrap().id;
    let c = claim(&a).await.unwrap();
    s.mark_unknown(&c, at(1)).await.unwrap();
    assert_eq!(s.message(x).await.unwrap().unwrap().sim, None);
    let mut got = Vec::new();
    while let Some(c) = claim(&b).await {
        got.push((c.message, c.seq));
        s.mark_submitted(&c, c.seq, at(1)).await.unwrap();
    }
    assert_eq!(sent(got), sent(vec![(x, 1), (x, 2)]));

    // Part 1 went out through a before it died: part 2 waits for a (or the
    // expiry), since from b it would not join on the phone.
    let y = s.enqueue(&message("+15550101", 2), at(0)).await.unwrap().id;
    let c = claim(&a).await.unwrap();
    s.mark_submitted(&c, 1, at(1)).await.unwrap();
    let c = claim(&a).await.unwrap();
    s.mark_unknown(&c, at(1)).await.unwrap();
    assert_eq!(s.message(y).await.unwrap().unwrap().sim, Some(a.sim.clone()));
    assert!(claim(&b).await.is_none());
    let c = claim(&a).await.unwrap();
    assert_eq!((c.message, c.seq, c.attempt), (y, 2, 2));
    s.mark_submitted(&c, 2, at(1)).await.unwrap();

    // A part refused for good leaves nothing out either: the rest may go
    // through b.
    let z = s.enqueue(&message("+15550102", 2), at(0)).await.unwrap().id;
    let c = claim(&a).await.unwrap();
    let e = SendError { code: "cms-21".into(), class: ErrorClass::Permanent };
    s.mark_failed(&c, &e, at(1)).await.unwrap();
    let c = claim(&b).await.unwrap();
    assert_eq!((c.message, c.seq), (z, 2));
}

async fn concurrent_claimers_never_share_a_part(db: TestDb) {
    let s = &db.store;
    let mut expected = BTreeSet::new();
    for i in 0..24 {
        let parts = 1 + i % 3;
        let id = s.enqueue(&message(&format!("+1555{i:04}"), parts), at(0)).await.unwrap().id;
        for seq in 1..=parts as u8 {
            expected.insert((id, seq));
        }
    }
    let mut claimers = Vec::new();
    for n in 0..6 {
        claimers.push(sender(s, &format!("node-{}", n % 2), &format!("m{n}")).await);
    }
    // Each claimer behaves as a modem's sender does: claim until there is
    // nothing, then sleep until a wake-up. A claim that steps aside from a
    // part (it lost the race for the message's SIM) wakes the others, so
    // no part is stranded.
    let total = expected.len();
    let claimed = Arc::new(AtomicUsize::new(0));
    let (all_claimed, done) = tokio::sync::watch::channel(false);
    let mut tasks = Vec::new();
    for me in claimers {
        let (s, claimed, all_claimed) = (s.clone(), claimed.clone(), all_claimed.clone());
        let mut done = done.clone();
        let mut wake = s.wakeups().await.unwrap();
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            loop {
                match s.claim_next_part(&me, at(1)).await.unwrap() {
                    Some(c) => {
                        if claimed.fetch_add(1, Ordering::SeqCst) + 1 == total {
                            all_claimed.send_replace(true);
                        }
                        got.push((c.message, c.seq, me.sim.clone()));
                        s.mark_submitted(&c, c.seq, at(2)).await.unwrap();
                    }
                    // Nothing for us: sleep until a wake-up, or the end.
                    // A part stranded without a wake-up ends the wait by
                    // the time-out, and the check below finds it.
                    None => tokio::select! {
                        _ = done.wait_for(|d| *d) => break,
                        _ = tokio::time::sleep(Duration::from_secs(5)) => break,
                        woken = wake.wait() => woken.unwrap(),
                    },
                }
            }
            got
        }));
    }
    let mut seen = BTreeSet::new();
    let mut sims: BTreeMap<MessageId, BTreeSet<String>> = BTreeMap::new();
    for t in tasks {
        for (message, seq, sim) in t.await.unwrap() {
            assert!(seen.insert((message, seq)), "part {message}/{seq} handed out twice");
            sims.entry(message).or_default().insert(sim.0);
        }
    }
    assert_eq!(seen, expected);
    for (message, sims) in sims {
        assert_eq!(sims.len(), 1, "message {message} went out through {sims:?}");
        let m = s.message(message).await.unwrap().unwrap();
        assert!(m.parts.iter().all(|p| p.state == PartState::Submitted && p.attempts == 1));
        assert_eq!(m.status, MessageStatus::Submitted);
    }
}
