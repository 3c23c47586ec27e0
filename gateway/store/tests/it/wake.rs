//! Wake-ups: an enqueue wakes an idle sender at once, on this node and,
//! on PostgreSQL, on another node sharing the database.

use std::time::Duration;

use bubblegate_store::Backend;

use crate::support::{at, message, on_both_backends, TestDb};

on_both_backends!(an_enqueue_wakes_idle_senders);

const PATIENCE: Duration = Duration::from_secs(10);

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
