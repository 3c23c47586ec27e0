//! Outbox transitions and roll-up, idempotency, status reports and crash
//! recovery.

use std::collections::HashMap;
use std::time::Duration;

use bubblegate_sms::Status;
use bubblegate_store::{
    ClaimedPart, Error, ErrorClass, MessageStatus, NodeId, PartState, SendError,
};

use crate::support::{at, message, on_both_backends, sender, TestDb};

on_both_backends!(
    enqueue_stores_a_queued_message,
    transitions_and_roll_up,
    stale_and_repeated_transitions_are_refused,
    idempotency_key_returns_the_first_message,
    idempotency_key_with_another_request_is_refused,
    concurrent_submissions_with_one_key_make_one_message,
    status_report_matches_the_latest_part_with_its_mr,
    a_duplicate_status_report_changes_nothing,
    crash_recovery_requeues_this_nodes_submitting_parts,
    stale_claims_are_recovered_from_dead_nodes,
    invalid_messages_are_refused,
);

async fn enqueue_stores_a_queued_message(db: TestDb) {
    let s = &db.store;
    let e = s.enqueue(&message("+15550100", 3), at(0)).await.unwrap();
    assert!(e.created);
    let m = s.message(e.id).await.unwrap().unwrap();
    assert_eq!(m.status, MessageStatus::Queued);
    assert_eq!(m.destination, "+15550100");
    assert_eq!(m.created_at, at(0));
    assert_eq!(
        m.parts.iter().map(|p| (p.seq, p.total)).collect::<Vec<_>>(),
        [(1, 3), (2, 3), (3, 3)]
    );
    assert!(m.parts.iter().all(|p| p.state == PartState::Queued && p.attempts == 0));
    assert_eq!(m.parts[1].pdu_hex, "004101");
    assert_eq!(m.history.len(), 1);
    assert_eq!((m.history[0].from.as_deref(), m.history[0].to.as_str()), (None, "queued"));
    assert!(s
        .message("0190f3c4-0000-7000-8000-000000000000".parse().unwrap())
        .await
        .unwrap()
        .is_none());
}

/// One step of a scenario on a two-part message.
#[derive(Clone, Copy, Debug)]
enum Step {
    /// Claim the next part (at time 0 unless a retry pushed it later).
    Claim,
    Submit {
        seq: u8,
        mr: u8,
    },
    Retry {
        seq: u8,
    },
    Fail {
        seq: u8,
    },
    Unknown {
        seq: u8,
    },
    Report {
        mr: u8,
        st: u8,
    },
    ExpireAt {
        secs: u64,
    },
}

use PartState::{
    Delivered as D, Expired as E, Failed as F, Queued as Q, Submitted as S, Submitting as G,
};
use Step::*;

type Scenario = (&'static str, Option<u64>, &'static [(Step, [PartState; 2], MessageStatus)]);

/// (name, validity in seconds, steps with the part states and status after
/// each).
const SCENARIOS: &[Scenario] = &[
    (
        "both delivered",
        None,
        &[
            (Claim, [G, Q], MessageStatus::Sending),
            (Submit { seq: 1, mr: 10 }, [S, Q], MessageStatus::Sending),
            (Claim, [S, G], MessageStatus::Sending),
            (Submit { seq: 2, mr: 11 }, [S, S], MessageStatus::Submitted),
            (Report { mr: 10, st: 0x00 }, [D, S], MessageStatus::PartiallyDelivered),
            (Report { mr: 11, st: 0x00 }, [D, D], MessageStatus::Delivered),
        ],
    ),
    (
        "one part fails, the other is delivered",
        None,
        &[
            (Claim, [G, Q], MessageStatus::Sending),
            (Fail { seq: 1 }, [F, Q], MessageStatus::Sending),
            (Claim, [F, G], MessageStatus::Sending),
            (Submit { seq: 2, mr: 7 }, [F, S], MessageStatus::Failed),
            (Report { mr: 7, st: 0x00 }, [F, D], MessageStatus::PartiallyDelivered),
        ],
    ),
    (
        "retry, then success",
        None,
        &[
            (Claim, [G, Q], MessageStatus::Sending),
            (Retry { seq: 1 }, [Q, Q], MessageStatus::Queued),
            (Claim, [G, Q], MessageStatus::Sending),
            (Submit { seq: 1, mr: 1 }, [S, Q], MessageStatus::Sending),
            (Claim, [S, G], MessageStatus::Sending),
            (Submit { seq: 2, mr: 2 }, [S, S], MessageStatus::Submitted),
        ],
    ),
    (
        "unknown outcome is sent again",
        None,
        &[
            (Claim, [G, Q], MessageStatus::Sending),
            (Unknown { seq: 1 }, [Q, Q], MessageStatus::Queued),
            (Claim, [G, Q], MessageStatus::Sending),
            (Submit { seq: 1, mr: 3 }, [S, Q], MessageStatus::Sending),
        ],
    ),
    (
        "reports: still trying, failed, stopped trying",
        None,
        &[
            (Claim, [G, Q], MessageStatus::Sending),
            (Submit { seq: 1, mr: 20 }, [S, Q], MessageStatus::Sending),
            (Claim, [S, G], MessageStatus::Sending),
            (Submit { seq: 2, mr: 21 }, [S, S], MessageStatus::Submitted),
            (Report { mr: 20, st: 0x21 }, [S, S], MessageStatus::Submitted),
            (Report { mr: 20, st: 0x43 }, [F, S], MessageStatus::Failed),
            (Report { mr: 21, st: 0x62 }, [F, E], MessageStatus::Failed),
        ],
    ),
    (
        "validity runs out for the unsent part",
        Some(60),
        &[
            (Claim, [G, Q], MessageStatus::Sending),
            (Submit { seq: 1, mr: 30 }, [S, Q], MessageStatus::Sending),
            (ExpireAt { secs: 59 }, [S, Q], MessageStatus::Sending),
            (ExpireAt { secs: 60 }, [S, E], MessageStatus::Expired),
            (Report { mr: 30, st: 0x00 }, [D, E], MessageStatus::PartiallyDelivered),
        ],
    ),
    (
        "a part on the wire does not expire",
        Some(60),
        &[
            (Claim, [G, Q], MessageStatus::Sending),
            (ExpireAt { secs: 100 }, [G, E], MessageStatus::Sending),
            (Submit { seq: 1, mr: 31 }, [S, E], MessageStatus::Expired),
            (Report { mr: 31, st: 0x00 }, [D, E], MessageStatus::PartiallyDelivered),
        ],
    ),
];

async fn transitions_and_roll_up(db: TestDb) {
    let s = &db.store;
    let me = sender(s, "n1", "m1").await;
    for (n, (name, validity, steps)) in SCENARIOS.iter().enumerate() {
        let mut m = message(&format!("+1555{name}"), 2);
        m.validity = validity.map(Duration::from_secs);
        // Each scenario outranks what earlier ones left queued.
        m.priority = n as i32;
        let id = s.enqueue(&m, at(0)).await.unwrap().id;
        let mut claims: HashMap<u8, ClaimedPart> = HashMap::new();
        for (i, (step, parts, status)) in steps.iter().enumerate() {
            let ctx = format!("{name}, step {i} {step:?}");
            let t = match *step {
                Claim => {
                    let c = s.claim_next_part(&me, at(0)).await.unwrap().expect(&ctx);
                    assert_eq!(c.message, id, "{ctx}");
                    let t = (c.seq, c.attempt);
                    claims.insert(c.seq, c);
                    assert!(t.1 >= 1, "{ctx}");
                    None
                }
                Submit { seq, mr } => {
                    Some(s.mark_submitted(&claims[&seq], mr, at(1)).await.unwrap())
                }
                Retry { seq } => {
                    let e = SendError { code: "cms-42".into(), class: ErrorClass::Temporary };
                    Some(s.mark_retry(&claims[&seq], &e, at(0), at(1)).await.unwrap())
                }
                Fail { seq } => {
                    let e = SendError { code: "cms-21".into(), class: ErrorClass::Permanent };
                    Some(s.mark_failed(&claims[&seq], &e, at(1)).await.unwrap())
                }
                Unknown { seq } => Some(s.mark_unknown(&claims[&seq], at(1)).await.unwrap()),
                Report { mr, st } => {
                    let r = bubblegate_store::Report {
                        sim: me.sim.clone(),
                        mr,
                        status: Status(st),
                        discharged_at: Some(at(5)),
                    };
                    Some(s.match_status_report(&r, at(6)).await.unwrap().expect(&ctx))
                }
                ExpireAt { secs } => {
                    s.expire_due(at(secs)).await.unwrap();
                    None
                }
            };
            let got = s.message(id).await.unwrap().unwrap();
            let states: Vec<PartState> = got.parts.iter().map(|p| p.state).collect();
            assert_eq!(states, parts, "{ctx}");
            assert_eq!(got.status, *status, "{ctx}");
            if let Some(t) = t {
                assert_eq!(t.status, *status, "{ctx}");
                assert_eq!(t.part_state, parts[usize::from(t.seq) - 1], "{ctx}");
            }
            // Every change is in the history: the part's last row says its
            // state, the message's last row its status.
            for (seq, state) in (1..).zip(parts) {
                let last = got.history.iter().rev().find(|h| h.part == Some(seq));
                let want = if *state == Q && last.is_none() { None } else { Some(state.name()) };
                assert_eq!(last.map(|h| h.to.as_str()), want, "{ctx}, part {seq}");
            }
            let last = got.history.iter().rev().find(|h| h.part.is_none()).unwrap();
            assert_eq!(last.to, status.name(), "{ctx}");
        }
    }
}

async fn stale_and_repeated_transitions_are_refused(db: TestDb) {
    let s = &db.store;
    let me = sender(s, "n1", "m1").await;
    s.enqueue(&message("+15550100", 1), at(0)).await.unwrap();
    let first = s.claim_next_part(&me, at(0)).await.unwrap().unwrap();
    s.mark_submitted(&first, 5, at(1)).await.unwrap();
    let again = s.mark_submitted(&first, 5, at(2)).await.unwrap_err();
    assert!(
        matches!(
            again,
            Error::InvalidTransition {
                actual: PartState::Submitted,
                wanted: PartState::Submitted,
                ..
            }
        ),
        "{again:?}"
    );

    s.enqueue(&message("+15550101", 1), at(0)).await.unwrap();
    let old = s.claim_next_part(&me, at(0)).await.unwrap().unwrap();
    s.recover_after_crash(&me.node, at(1)).await.unwrap();
    let new = s.claim_next_part(&me, at(2)).await.unwrap().unwrap();
    assert_eq!((new.part, new.attempt), (old.part, 2));
    for e in [
        s.mark_submitted(&old, 1, at(3)).await.unwrap_err(),
        s.mark_failed(&old, &SendError { code: "x".into(), class: ErrorClass::Permanent }, at(3))
            .await
            .unwrap_err(),
        s.mark_unknown(&old, at(3)).await.unwrap_err(),
    ] {
        assert!(matches!(e, Error::ClaimLost { part } if part == old.part), "{e:?}");
    }
    s.mark_submitted(&new, 1, at(3)).await.unwrap();
}

async fn idempotency_key_returns_the_first_message(db: TestDb) {
    let s = &db.store;
    let mut m = message("+15550100", 2);
    m.idempotency_key = Some("order-1".into());
    m.validity = Some(Duration::from_secs(600));
    let first = s.enqueue(&m, at(0)).await.unwrap();
    // A retry later, with parts encoded differently (another concat
    // reference), is the same request.
    m.parts[0].pdu_hex = "ff".into();
    let second = s.enqueue(&m, at(30)).await.unwrap();
    assert!(first.created);
    assert!(!second.created);
    assert_eq!(first.id, second.id);
    let stored = s.message(first.id).await.unwrap().unwrap();
    assert_eq!(stored.parts[0].pdu_hex, "004100");
    assert_eq!(stored.expires_at, Some(at(600)));
    // Another key is another message.
    m.idempotency_key = Some("order-2".into());
    let third = s.enqueue(&m, at(0)).await.unwrap();
    assert!(third.created);
    assert_ne!(third.id, first.id);
}

async fn idempotency_key_with_another_request_is_refused(db: TestDb) {
    let s = &db.store;
    let mut m = message("+15550100", 1);
    m.idempotency_key = Some("k".into());
    let first = s.enqueue(&m, at(0)).await.unwrap();
    let changes: [fn(&mut bubblegate_store::NewMessage); 6] = [
        |m| m.body.push('!'),
        |m| m.destination = "+15550199".into(),
        |m| m.priority = 9,
        |m| m.delivery_report = false,
        |m| m.send_after = Some(at(9)),
        |m| m.validity = Some(Duration::from_secs(9)),
    ];
    for (i, change) in changes.iter().enumerate() {
        let mut other = m.clone();
        change(&mut other);
        let e = s.enqueue(&other, at(1)).await.unwrap_err();
        assert!(
            matches!(e, Error::IdempotencyConflict { message } if message == first.id),
            "{i}: {e:?}"
        );
        assert!(e.to_string().contains("idempotency key reused"), "{e}");
    }
}

async fn concurrent_submissions_with_one_key_make_one_message(db: TestDb) {
    let mut m = message("+15550100", 1);
    m.idempotency_key = Some("same".into());
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (s, m) = (db.store.clone(), m.clone());
            tokio::spawn(async move { s.enqueue(&m, at(0)).await.unwrap() })
        })
        .collect();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    assert_eq!(results.iter().filter(|e| e.created).count(), 1, "{results:?}");
    assert!(results.iter().all(|e| e.id == results[0].id));
    // Exactly one part to claim.
    let me = sender(&db.store, "n1", "m1").await;
    assert!(db.store.claim_next_part(&me, at(1)).await.unwrap().is_some());
    assert!(db.store.claim_next_part(&me, at(1)).await.unwrap().is_none());
}

async fn status_report_matches_the_latest_part_with_its_mr(db: TestDb) {
    let s = &db.store;
    let a = sender(s, "n1", "a").await;
    let b = sender(s, "n1", "b").await;
    // Two parts through SIM a with the same TP-MR (it wrapped): the report
    // belongs to the later one.
    let old = s.enqueue(&message("+15550100", 1), at(0)).await.unwrap().id;
    let c = s.claim_next_part(&a, at(0)).await.unwrap().unwrap();
    s.mark_submitted(&c, 9, at(1)).await.unwrap();
    let new = s.enqueue(&message("+15550101", 1), at(2)).await.unwrap().id;
    let c = s.claim_next_part(&a, at(2)).await.unwrap().unwrap();
    s.mark_submitted(&c, 9, at(3)).await.unwrap();
    // Same TP-MR through SIM b.
    let other = s.enqueue(&message("+15550102", 1), at(4)).await.unwrap().id;
    let c = s.claim_next_part(&b, at(4)).await.unwrap().unwrap();
    s.mark_submitted(&c, 9, at(5)).await.unwrap();
    // No report asked: never matched.
    let mut quiet = message("+15550103", 1);
    quiet.delivery_report = false;
    let quiet = s.enqueue(&quiet, at(6)).await.unwrap().id;
    let c = s.claim_next_part(&a, at(6)).await.unwrap().unwrap();
    s.mark_submitted(&c, 10, at(7)).await.unwrap();

    let report = |sim: &bubblegate_store::Claimer, mr| bubblegate_store::Report {
        sim: sim.sim.clone(),
        mr,
        status: Status::DELIVERED,
        discharged_at: None,
    };
    let t = s.match_status_report(&report(&a, 9), at(10)).await.unwrap().unwrap();
    assert_eq!((t.message, t.part_state, t.status), (new, D, MessageStatus::Delivered));
    let delivered = s.message(new).await.unwrap().unwrap();
    assert_eq!(delivered.parts[0].delivered_at, Some(at(10)));
    assert_eq!(delivered.parts[0].report_status, Some(0));
    // The next report with that MR on a now goes to the older part.
    let t = s.match_status_report(&report(&a, 9), at(11)).await.unwrap().unwrap();
    assert_eq!(t.message, old);
    // Nothing left to match on a; b's part is untouched until its report.
    assert!(s.match_status_report(&report(&a, 9), at(12)).await.unwrap().is_none());
    assert!(s.match_status_report(&report(&a, 10), at(12)).await.unwrap().is_none());
    assert_eq!(s.message(other).await.unwrap().unwrap().status, MessageStatus::Submitted);
    assert_eq!(s.message(quiet).await.unwrap().unwrap().status, MessageStatus::Submitted);
    let t = s.match_status_report(&report(&b, 9), at(13)).await.unwrap().unwrap();
    assert_eq!(t.message, other);
}

/// A report stored on the modem is deleted only after its commit, so a
/// crash in between hands the same report over again: it must change
/// nothing, and above all not move an older part that shares the wrapped
/// TP-MR. That older part's own report (another discharge time) still
/// matches it.
async fn a_duplicate_status_report_changes_nothing(db: TestDb) {
    let s = &db.store;
    let a = sender(s, "n1", "a").await;
    let old = s.enqueue(&message("+15550100", 1), at(0)).await.unwrap().id;
    let c = s.claim_next_part(&a, at(0)).await.unwrap().unwrap();
    s.mark_submitted(&c, 9, at(1)).await.unwrap();
    let new = s.enqueue(&message("+15550101", 1), at(2)).await.unwrap().id;
    let c = s.claim_next_part(&a, at(2)).await.unwrap().unwrap();
    s.mark_submitted(&c, 9, at(3)).await.unwrap();
    let failing = s.enqueue(&message("+15550102", 1), at(4)).await.unwrap().id;
    let c = s.claim_next_part(&a, at(4)).await.unwrap().unwrap();
    s.mark_submitted(&c, 11, at(5)).await.unwrap();

    let report = |mr, status, discharged| bubblegate_store::Report {
        sim: a.sim.clone(),
        mr,
        status,
        discharged_at: Some(at(discharged)),
    };
    let delivered = report(9, Status::DELIVERED, 8);
    let t = s.match_status_report(&delivered, at(10)).await.unwrap().unwrap();
    assert_eq!((t.message, t.part_state), (new, PartState::Delivered));
    let history = s.message(new).await.unwrap().unwrap().history.len();
    for now in [11, 12] {
        assert!(s.match_status_report(&delivered, at(now)).await.unwrap().is_none(), "{now}");
    }
    let m = s.message(new).await.unwrap().unwrap();
    assert_eq!(m.parts[0].delivered_at, Some(at(8)));
    assert_eq!(m.history.len(), history, "no new history rows");
    assert_eq!(s.message(old).await.unwrap().unwrap().status, MessageStatus::Submitted);
    // The older part's own report is no duplicate.
    let t = s.match_status_report(&report(9, Status::DELIVERED, 9), at(13)).await.unwrap();
    assert_eq!(t.map(|t| (t.message, t.part_state)), Some((old, PartState::Delivered)));

    let failed = report(11, Status::FAILED_NOT_OBTAINABLE, 14);
    let t = s.match_status_report(&failed, at(14)).await.unwrap().unwrap();
    assert_eq!((t.message, t.part_state), (failing, PartState::Failed));
    assert!(s.match_status_report(&failed, at(15)).await.unwrap().is_none());
    assert_eq!(s.message(failing).await.unwrap().unwrap().status, MessageStatus::Failed);
}

async fn crash_recovery_requeues_this_nodes_submitting_parts(db: TestDb) {
    let s = &db.store;
    let mine = sender(s, "n1", "m1").await;
    let theirs = sender(s, "n2", "m2").await;
    let m1 = s.enqueue(&message("+15550100", 1), at(0)).await.unwrap().id;
    let m2 = s.enqueue(&message("+15550101", 1), at(0)).await.unwrap().id;
    let m3 = s.enqueue(&message("+15550102", 1), at(0)).await.unwrap().id;
    let a = s.claim_next_part(&mine, at(0)).await.unwrap().unwrap();
    let b = s.claim_next_part(&theirs, at(0)).await.unwrap().unwrap();
    let c = s.claim_next_part(&mine, at(0)).await.unwrap().unwrap();
    s.mark_submitted(&c, 1, at(1)).await.unwrap();
    assert_eq!((a.message, b.message, c.message), (m1, m2, m3));

    let recovered = s.recover_after_crash(&mine.node, at(10)).await.unwrap();
    assert_eq!(recovered.iter().map(|t| t.message).collect::<Vec<_>>(), [m1]);
    let m = s.message(m1).await.unwrap().unwrap();
    assert_eq!((m.parts[0].state, m.parts[0].attempts, m.status), (Q, 1, MessageStatus::Queued));
    let err = m.parts[0].last_error.clone().unwrap();
    assert_eq!(err.class, ErrorClass::Unknown);
    assert!(m.history.iter().any(|h| h.detail.as_deref() == Some("recovered after a crash")));
    // Unpinned (nothing went out), so any SIM may take it now; node n2's
    // claim is left alone.
    assert_eq!(m.sim, None);
    assert_eq!(s.message(m2).await.unwrap().unwrap().parts[0].state, G);
    assert!(s.recover_after_crash(&NodeId::from("n3"), at(10)).await.unwrap().is_empty());

    let again = s.claim_next_part(&theirs, at(11)).await.unwrap().unwrap();
    assert_eq!((again.message, again.attempt), (m1, 2));
    s.mark_submitted(&b, 2, at(12)).await.unwrap();
}

async fn stale_claims_are_recovered_from_dead_nodes(db: TestDb) {
    let s = &db.store;
    let dead = sender(s, "dead", "m1").await;
    let live = sender(s, "live", "m2").await;
    let m1 = s.enqueue(&message("+15550100", 1), at(0)).await.unwrap().id;
    let m2 = s.enqueue(&message("+15550101", 1), at(0)).await.unwrap().id;
    s.claim_next_part(&dead, at(0)).await.unwrap().unwrap();
    let fresh = s.claim_next_part(&live, at(100)).await.unwrap().unwrap();
    let out = s.recover_stale(at(50), at(120)).await.unwrap();
    assert_eq!(out.iter().map(|t| t.message).collect::<Vec<_>>(), [m1]);
    assert_eq!(s.message(m2).await.unwrap().unwrap().parts[0].state, G);
    s.mark_submitted(&fresh, 1, at(121)).await.unwrap();
    let taken = s.claim_next_part(&live, at(122)).await.unwrap().unwrap();
    assert_eq!(taken.message, m1);
}

async fn invalid_messages_are_refused(db: TestDb) {
    let s = &db.store;
    let mut cases = vec![message("+15550100", 0), message("", 1), message("+15550100", 256)];
    let mut bad_hex = message("+15550100", 1);
    bad_hex.parts[0].pdu_hex = "zz".into();
    cases.push(bad_hex);
    let mut empty_key = message("+15550100", 1);
    empty_key.idempotency_key = Some(String::new());
    cases.push(empty_key);
    for m in cases {
        let e = s.enqueue(&m, at(0)).await.unwrap_err();
        assert!(matches!(e, Error::Invalid(_)), "{e:?}");
    }
    let me = sender(s, "n1", "m1").await;
    assert!(s.claim_next_part(&me, at(0)).await.unwrap().is_none());
}
