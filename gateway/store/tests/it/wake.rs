//! Wake-ups: an enqueue wakes an idle sender at once, on this node and,
//! on PostgreSQL, on another node sharing the database; queued envelopes
//! and fallbacks made due announce themselves to the network's
//! subscribers, in-process and, on PostgreSQL, on other nodes, on commit
//! only; a lost listening connection is made again and says so.

use std::time::Duration;

use bubblegate_store::{Backend, Error, NetworkWake, NetworkWakeups};

use crate::network::{devices, envelope, new_send, record, ALICE, BOB, CAROL};
use crate::support::{at, message, on_both_backends, TestDb};

on_both_backends!(
    an_enqueue_wakes_idle_senders,
    queued_envelopes_and_due_fallbacks_announce_themselves
);

const PATIENCE: Duration = Duration::from_secs(10);
/// How long "nothing comes" is watched.
const QUIET: Duration = Duration::from_millis(300);

async fn an_enqueue_wakes_idle_senders(db: TestDb) {
    let s = &db.store;
    let mut here = s.wakeups().await.unwrap();
    // Nothing happened yet: the wait does not return.
    assert!(tokio::time::timeout(Duration::from_millis(200), here.wait()).await.is_err());
    s.enqueue(&message("+15550100", 1), at(0)).await.unwrap();
    tokio::time::timeout(PATIENCE, here.wait()).await.expect("woken").unwrap();

    if s.backend() == Backend::Postgres {
        // Another node's enqueue reaches this node through NOTIFY.
        let other = db.second_node().await;
        let waiter = tokio::spawn(async move {
            tokio::time::timeout(PATIENCE, here.wait()).await.map(|r| r.is_ok())
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        other.enqueue(&message("+15550101", 1), at(0)).await.unwrap();
        assert_eq!(waiter.await.unwrap(), Ok(true));
        other.close().await;
    }
}

/// The next network wake-up, within [`PATIENCE`].
async fn next(sub: &mut NetworkWakeups) -> NetworkWake {
    tokio::time::timeout(PATIENCE, sub.recv()).await.expect("a wake-up in time").unwrap()
}

#[track_caller]
fn assert_quiet(sub: &mut NetworkWakeups) -> impl std::future::Future<Output = ()> + '_ {
    let caller = std::panic::Location::caller();
    async move {
        if let Ok(w) = tokio::time::timeout(QUIET, sub.recv()).await {
            panic!("{caller}: expected no wake-up, got {w:?}");
        }
    }
}

fn for_devices(ids: &[&str]) -> NetworkWake {
    NetworkWake::Envelopes(ids.iter().map(|d| d.to_string()).collect())
}

/// One store (one node): what a subscriber hears of each write, and of
/// writes that do not commit. On PostgreSQL the store's own notices come
/// back through LISTEN too, and are skipped: each write is heard once.
async fn queued_envelopes_and_due_fallbacks_announce_themselves(db: TestDb) {
    let s = &db.store;
    devices(s, &[("a1", ALICE), ("a2", ALICE), ("b1", BOB), ("c1", CAROL)]).await;
    let net = s.network();
    let mut sub = s.network_wakeups().await.unwrap();
    assert_quiet(&mut sub).await;

    // A send: its envelopes' devices, sorted, each once.
    let e = [("e1", "c1", CAROL), ("e2", "a2", ALICE), ("e3", "a1", ALICE)];
    record(s, &new_send("s1", "b1", "m1", &e, &[(CAROL, 60)])).await;
    assert_eq!(next(&mut sub).await, for_devices(&["a1", "a2", "c1"]));
    assert_quiet(&mut sub).await;

    // A repeat writes nothing and announces nothing; nor does a send that
    // fails (an unknown device) or is refused.
    let repeat = new_send("s2", "b1", "m1", &[("e4", "a1", ALICE)], &[]);
    assert!(matches!(
        net.record_send(&repeat, at(0)).await.unwrap(),
        bubblegate_store::SendRecorded::Existing(_)
    ));
    let ghost = new_send("s3", "b1", "m3", &[("e5", "a1", ALICE), ("e6", "ghost", ALICE)], &[]);
    assert!(matches!(net.record_send(&ghost, at(0)).await.unwrap_err(), Error::Query(_)));
    let mut refused = new_send("s4", "b1", "m4", &[("e7", "a1", ALICE)], &[]);
    refused.envelopes[0].send_id = Some("s9".into());
    assert!(matches!(net.record_send(&refused, at(0)).await.unwrap_err(), Error::Invalid(_)));
    let bad_hub = [envelope("h0", "b1", BOB, None), envelope("h1", "ghost", BOB, None)];
    assert!(matches!(net.insert_envelopes(&bad_hub).await.unwrap_err(), Error::Query(_)));
    assert_quiet(&mut sub).await;

    // The hub's own envelopes.
    net.insert_envelopes(&[envelope("h2", "b1", BOB, None), envelope("h3", "b1", BOB, None)])
        .await
        .unwrap();
    assert_eq!(next(&mut sub).await, for_devices(&["b1"]));

    // A deregistration that makes a fallback due; a second one finds it
    // still kept and says so again; one without fallbacks says nothing.
    net.deregister(CAROL, at(5)).await.unwrap();
    assert_eq!(next(&mut sub).await, NetworkWake::FallbacksDue);
    net.deregister(CAROL, at(6)).await.unwrap();
    assert_eq!(next(&mut sub).await, NetworkWake::FallbacksDue);
    net.deregister(BOB, at(7)).await.unwrap();
    assert_quiet(&mut sub).await;
}

/// Two stores on one schema: two nodes. What one queues is announced on
/// the other with its devices, and only at commit: a write that rolls
/// back (after its `pg_notify` ran in the transaction) announces nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_envelopes_reach_other_nodes_on_commit_only() {
    let Some(db) = TestDb::postgres("envelopes_reach_other_nodes_on_commit_only").await else {
        return;
    };
    let one = &db.store;
    let two = db.second_node().await;
    devices(one, &[("a1", ALICE), ("b1", BOB), ("c1", CAROL)]).await;
    let mut heard_by_one = one.network_wakeups().await.unwrap();
    let mut heard_by_two = two.network_wakeups().await.unwrap();

    // Rolled back: the announcement of a1 and ghost ran before the insert
    // that fails.
    let ghost = new_send("s0", "b1", "m0", &[("e0", "a1", ALICE), ("e1", "ghost", ALICE)], &[]);
    assert!(one.network().record_send(&ghost, at(0)).await.is_err());
    let ghost_hub = [envelope("h0", "c1", CAROL, None), envelope("h1", "ghost", CAROL, None)];
    assert!(two.network().insert_envelopes(&ghost_hub).await.is_err());

    // Committed: node two hears node one's send, and nothing of the
    // rolled-back writes before it (notices come in commit order).
    let e = [("e2", "a1", ALICE), ("e3", "c1", CAROL)];
    record(one, &new_send("s1", "b1", "m1", &e, &[(ALICE, 60)])).await;
    assert_eq!(next(&mut heard_by_two).await, for_devices(&["a1", "c1"]));
    // Node one heard it in-process, once: its own notice is skipped.
    assert_eq!(next(&mut heard_by_one).await, for_devices(&["a1", "c1"]));
    assert_quiet(&mut heard_by_one).await;
    assert_quiet(&mut heard_by_two).await;

    // The other way, for the hub's own envelopes.
    two.network().insert_envelopes(&[envelope("h2", "b1", BOB, None)]).await.unwrap();
    assert_eq!(next(&mut heard_by_one).await, for_devices(&["b1"]));
    assert_eq!(next(&mut heard_by_two).await, for_devices(&["b1"]));

    // A deregistration on node two makes Alice's fallback due: node one's
    // fallback timer is told.
    two.network().deregister(ALICE, at(5)).await.unwrap();
    assert_eq!(next(&mut heard_by_one).await, NetworkWake::FallbacksDue);
    assert_eq!(next(&mut heard_by_two).await, NetworkWake::FallbacksDue);

    // Many devices in one commit (some 200 UUIDs fit in a notice): split
    // over notices, each device named once. Past a few notices one says
    // "every queue" instead (the unit tests in `wake.rs` show that).
    let ids: Vec<String> = (0..250).map(|i| format!("0190b6d2-6c1e-7000-8000-{i:012}")).collect();
    let many: Vec<(&str, &str)> = ids.iter().map(|id| (id.as_str(), CAROL)).collect();
    devices(one, &many).await;
    let hub: Vec<_> = ids.iter().map(|id| envelope(&format!("m-{id}"), id, CAROL, None)).collect();
    one.network().insert_envelopes(&hub).await.unwrap();
    let mut notices = 0;
    let mut named = Vec::new();
    while named.len() < ids.len() {
        match next(&mut heard_by_two).await {
            NetworkWake::Envelopes(d) => named.extend(d),
            other => panic!("expected devices, got {other:?}"),
        }
        notices += 1;
    }
    named.sort();
    assert_eq!(named, ids, "every device, once");
    assert_eq!(notices, 2);
    assert_quiet(&mut heard_by_two).await;
    // A pool closes once its listening connection is back.
    drop(heard_by_two);
    two.close().await;
}

/// The listening connection is killed: the subscription makes it again
/// and says that wake-ups may have been missed, then hears on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_lost_listener_reconnects_and_says_so() {
    use sqlx::Connection;
    let Some(db) = TestDb::postgres("a_lost_listener_reconnects_and_says_so").await else {
        return;
    };
    let (url, schema) = db.postgres_schema().unwrap();
    let one = &db.store;
    let two = db.second_node().await;
    devices(one, &[("a1", ALICE)]).await;
    let mut sub = two.network_wakeups().await.unwrap();

    let mut admin = sqlx::PgConnection::connect(url).await.unwrap();
    let killed: Vec<(bool,)> = sqlx::query_as(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE query LIKE 'LISTEN %' AND query LIKE $1",
    )
    .bind(format!("%bubblegate_envelopes.{schema}%"))
    .fetch_all(&mut admin)
    .await
    .unwrap();
    assert_eq!(killed, [(true,)], "one listening connection");
    admin.close().await.unwrap();

    // An error first is allowed (call again: that reconnects); then
    // `Missed`.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        assert!(tokio::time::Instant::now() < deadline, "reconnected in time");
        match tokio::time::timeout_at(deadline, sub.recv()).await.expect("reconnected in time") {
            Ok(NetworkWake::Missed) => break,
            Ok(other) => panic!("expected Missed, got {other:?}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    one.network().insert_envelopes(&[envelope("h1", "a1", ALICE, None)]).await.unwrap();
    assert_eq!(next(&mut sub).await, for_devices(&["a1"]));
    // A pool closes once its listening connection is back.
    drop(sub);
    two.close().await;
}
