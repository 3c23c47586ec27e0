//! The hub never holds the plaintext of a blue message: after a few
//! sends (queued, acked, and still queued), neither the SQLite file nor
//! its write-ahead log contains the words of any of them, while both
//! together do contain the envelopes' ids (so the scan sees the data).

use axum::http::StatusCode;
use bubblegate_hub::HubConfig;

use crate::support::*;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_holds_no_plaintext_of_blue_messages() {
    let env = Db::Sqlite.env(HubConfig::default()).await;
    let alice = env.register(ALICE, "phone").await;
    let _alice2 = env.register(ALICE, "laptop").await;
    let bob = env.register(BOB, "phone").await;
    let words: Vec<String> = (0..5).map(|i| format!("canary-plaintext-{i}-see-you-at-8")).collect();
    for (i, w) in words.iter().enumerate() {
        env.send(&alice, &format!("m{i}"), &[BOB], &text(w), None)
            .await
            .expect(StatusCode::CREATED);
    }
    let group = group_text("canary-group-body", "Friday", &[ALICE, BOB]);
    env.send(&alice, "g1", &[BOB], &group, None).await.expect(StatusCode::CREATED);
    // Bob receives and acks some; the rest stay queued.
    let got = env.inbox(&bob).await;
    assert_eq!(got.len(), 6);
    let ids: Vec<&str> = got.iter().take(3).map(|(e, _)| e.id.as_str()).collect();
    env.ack(&bob, &ids).await;
    let kept = got[5].0.id.clone();

    let path = env.db_path.clone().unwrap();
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.clone().into_os_string();
        p.push(suffix);
        if let Ok(b) = std::fs::read(&p) {
            bytes.extend_from_slice(&b);
        }
    }
    assert!(contains(&bytes, kept.as_bytes()), "the scan sees the queued envelope's row");
    for w in words.iter().map(String::as_str).chain(["canary-group-body", "see-you-at-8"]) {
        assert!(!contains(&bytes, w.as_bytes()), "plaintext `{w}` found in the database");
    }
}
