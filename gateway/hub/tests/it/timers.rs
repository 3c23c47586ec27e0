//! The timers, driven by the manual clock: an unacked message with a
//! fallback goes out as SMS after `fallback_after` (with its outbox key,
//! its envelopes gone, the sender told `sent_as_sms`), an acked one never;
//! one the SMS policy refuses is dropped and never tried again; and
//! envelopes are deleted at the end of the retention, acked or not.

use std::time::Duration;

use axum::http::StatusCode;
use bubblegate_hub::{Clock, HubConfig};
use bubblegate_proto::{Content, StatusKind};

use crate::support::*;

on_both_backends!(
    an_unacked_fallback_goes_out_as_sms,
    a_refused_fallback_is_dropped_and_not_retried,
    envelopes_expire_after_the_retention,
);

async fn an_unacked_fallback_goes_out_as_sms(db: Db) {
    let config = HubConfig { fallback_after: Duration::from_secs(300), ..HubConfig::default() };
    let mut env = db.env(config).await;
    env.start_timers();
    let alice = env.register(ALICE, "phone").await;
    let bob = env.register(BOB, "phone").await;
    let m1 = env
        .send(&alice, "m1", &[BOB], &text("see you at 8"), sms("see you at 8", true))
        .await
        .expect(StatusCode::CREATED);
    let send_id = m1.body["message_id"].as_str().unwrap().to_owned();
    env.send(&alice, "m2", &[BOB], &text("acked in time"), sms("acked in time", true))
        .await
        .expect(StatusCode::CREATED);
    // Bob's phone gets m2 only (say, m1 arrived while it was off).
    let queued = env.inbox(&bob).await;
    let m2 = queued.iter().find(|(_, c)| *c == text("acked in time")).unwrap();
    assert_eq!(env.ack(&bob, &[&m2.0.id]).await, 1);

    env.advance(Duration::from_secs(240)).await;
    assert!(env.sms.texts_to(BOB).is_empty(), "not due yet");
    env.advance(Duration::from_secs(61)).await;
    eventually("the fallback SMS", || async { !env.sms.texts_to(BOB).is_empty() }).await;
    env.advance(Duration::from_secs(600)).await;
    let sent = env.sms.texts_to(BOB);
    assert_eq!(sent.len(), 1, "only the unacked message: {sent:?}");
    assert_eq!(sent[0].text, "see you at 8");
    assert_eq!(sent[0].key.as_deref(), Some(format!("fallback:{send_id}:{BOB}").as_str()));
    assert!(env.inbox(&bob).await.is_empty(), "its envelope is gone");

    eventually("the sender's status", || async { !env.inbox(&alice).await.is_empty() }).await;
    let status = env.inbox(&alice).await;
    assert_eq!(status.len(), 1);
    assert_eq!(status[0].0.sender, None, "from the hub");
    assert_eq!(
        status[0].1,
        Content::Status {
            client_message_id: "m1".into(),
            recipient: BOB.into(),
            status: StatusKind::SentAsSms
        }
    );
    assert_eq!(env.metric("bubblegate_hub_fallbacks_sent_total"), 1);
    assert_eq!(env.store.network().next_fallback_due().await.unwrap(), None);
    env.stop_timers().await;
}

async fn a_refused_fallback_is_dropped_and_not_retried(db: Db) {
    let config = HubConfig { fallback_after: Duration::from_secs(300), ..HubConfig::default() };
    let mut env = db.env(config).await;
    env.start_timers();
    let alice = env.register(ALICE, "phone").await;
    let bob = env.register(BOB, "phone").await;
    let m1 = env
        .send(&alice, "m1", &[BOB], &text("see you at 8"), sms("see you at 8", true))
        .await
        .expect(StatusCode::CREATED);
    let key = format!("fallback:{}:{BOB}", m1.body["message_id"].as_str().unwrap());
    // From now on the policy refuses Bob's number.
    env.sms.refused.lock().unwrap().push(BOB.into());

    env.advance(Duration::from_secs(301)).await;
    eventually("the refused try", || async { env.sms.attempts_with(&key) == 1 }).await;
    eventually("the row dropped", || async {
        env.store.network().next_fallback_due().await.unwrap().is_none()
    })
    .await;
    assert!(env.sms.texts_to(BOB).is_empty());
    assert_eq!(env.metric("bubblegate_hub_fallbacks_refused_total"), 1);
    assert_eq!(env.metric("bubblegate_hub_fallbacks_sent_total"), 0);
    // The envelope stays for Bob's device (to ack, or to expire), and
    // Alice hears nothing.
    let queued = env.inbox(&bob).await;
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].1, text("see you at 8"));
    assert!(env.inbox(&alice).await.is_empty());

    // Never tried again: not later, not after a restart.
    env.advance(Duration::from_secs(600)).await;
    env.stop_timers().await;
    env.start_timers();
    env.advance(Duration::from_secs(600)).await;
    assert_eq!(env.sms.attempts_with(&key), 1);
    assert_eq!(env.metric("bubblegate_hub_fallbacks_refused_total"), 1);
    // Bob's ack finds no fallback to cancel, and is fine.
    assert_eq!(env.ack(&bob, &[&queued[0].0.id]).await, 1);
    env.stop_timers().await;
}

async fn envelopes_expire_after_the_retention(db: Db) {
    let config = HubConfig {
        retention: Duration::from_secs(3600),
        fallback_after: Duration::from_secs(60),
        ..HubConfig::default()
    };
    let mut env = db.env(config).await;
    env.start_timers();
    let alice = env.register(ALICE, "phone").await;
    let bob = env.register(BOB, "phone").await;
    env.send(&alice, "m1", &[BOB], &text("soon gone"), None).await.expect(StatusCode::CREATED);
    let queued = env.inbox(&bob).await;
    assert_eq!(queued.len(), 1);
    let expires_at = queued[0].0.expires_at;
    let now = bubblegate_hub::clock::millis(env.clock.now());
    assert_eq!(expires_at - now, 3_600_000, "expires a retention after it was queued");

    env.advance(Duration::from_secs(3500)).await;
    assert!(env.store.network().next_expiry().await.unwrap().is_some(), "still kept");
    assert_eq!(env.metric("bubblegate_hub_envelopes_total{event=\"expired\"}"), 0);
    env.advance(Duration::from_secs(101)).await;
    eventually("the expiry", || async {
        env.store.network().next_expiry().await.unwrap().is_none()
    })
    .await;
    assert_eq!(env.metric("bubblegate_hub_envelopes_total{event=\"expired\"}"), 1);
    assert!(env.inbox(&bob).await.is_empty());
    env.stop_timers().await;
}
