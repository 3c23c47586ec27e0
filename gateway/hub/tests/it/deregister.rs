//! Deregistration: devices revoked, queued envelopes re-routed (a kept
//! fallback falls due at once and the fallback timer sends it, surviving
//! a crash or a failed first try; otherwise the sender hears
//! `unregistered`, once per send), the number green from then on; the
//! web page, and `STOP` by SMS starting the same flow.

use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::http::{header, Method, StatusCode};
use bubblegate_hub::{Clock, HubConfig};
use bubblegate_proto::wire::Envelope;
use bubblegate_proto::{Content, StatusKind};
use serde_json::json;

use crate::support::*;

on_both_backends!(
    deregistration_reroutes_what_was_queued,
    a_fallback_survives_a_crash_and_a_failure_at_deregistration,
    stop_by_sms_sends_a_code,
);

fn statuses(list: Vec<(Envelope, Content)>) -> Vec<Content> {
    list.into_iter().map(|(_, c)| c).filter(|c| matches!(c, Content::Status { .. })).collect()
}

fn status(cmid: &str, recipient: &str, status: StatusKind) -> Content {
    Content::Status { client_message_id: cmid.into(), recipient: recipient.into(), status }
}

async fn deregister(env: &Env, phone: &str) -> Answer {
    env.call(Method::POST, "/v1/deregister/request", None, Some(json!({"phone": phone})))
        .await
        .expect(StatusCode::ACCEPTED);
    let code = env.sms.last_code(phone);
    env.call(
        Method::POST,
        "/v1/deregister/confirm",
        None,
        Some(json!({"phone": phone, "code": code})),
    )
    .await
}

async fn deregistration_reroutes_what_was_queued(db: Db) {
    let mut env = db.env(HubConfig::default()).await;
    env.start_timers();
    let alice = env.register(ALICE, "phone").await;
    let carol = env.register(CAROL, "phone").await;
    let bob = env.register(BOB, "phone").await;
    let _bob2 = env.register(BOB, "tablet").await;
    let m1 = env
        .send(&alice, "m1", &[BOB], &text("dinner?"), sms("dinner?", true))
        .await
        .expect(StatusCode::CREATED);
    let send1 = m1.body["message_id"].as_str().unwrap().to_owned();
    env.send(&alice, "m2", &[BOB], &text("no sms for this"), None)
        .await
        .expect(StatusCode::CREATED);
    env.send(&carol, "c1", &[BOB], &text("hi bob"), None).await.expect(StatusCode::CREATED);
    assert!(env.sms.to(BOB).iter().all(|s| s.urgent), "only codes so far");

    let done = deregister(&env, BOB).await.expect(StatusCode::OK);
    assert_eq!(done.body, json!({"revoked_devices": 2}));
    // The kept fallback falls due at once: the timer sends it, with its key.
    eventually("the fallback SMS", || async { !env.sms.texts_to(BOB).is_empty() }).await;
    let fallback = env.sms.texts_to(BOB);
    assert_eq!(fallback.len(), 1, "{fallback:?}");
    assert_eq!(fallback[0].text, "dinner?");
    assert_eq!(fallback[0].key.as_deref(), Some(format!("fallback:{send1}:{BOB}").as_str()));

    // Alice hears `sent_as_sms` for m1 (named by its client message id,
    // though Bob's envelopes are gone) and `unregistered` for m2, once
    // each though Bob had two devices; Carol hears `unregistered` for c1.
    let mut want =
        vec![status("m1", BOB, StatusKind::SentAsSms), status("m2", BOB, StatusKind::Unregistered)];
    want.sort_by_key(|c| format!("{c:?}"));
    eventually("Alice's two statuses", || async { statuses(env.inbox(&alice).await).len() >= 2 })
        .await;
    let mut alice_got = statuses(env.inbox(&alice).await);
    alice_got.sort_by_key(|c| format!("{c:?}"));
    assert_eq!(alice_got, want, "one status per send, though Bob had two devices");
    assert_eq!(statuses(env.inbox(&carol).await), [status("c1", BOB, StatusKind::Unregistered)]);
    assert_eq!(env.metric("bubblegate_hub_fallbacks_sent_total"), 1);
    assert_eq!(env.store.network().next_fallback_due().await.unwrap(), None);

    // Bob's tokens are dead and his number routes green.
    let me = env.call(Method::GET, "/v1/devices/me", Some(&bob.token), None).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert!(env.directory(&alice, BOB).await.is_empty());
    let green = env.send(&alice, "m3", &[BOB], &text("now by sms"), sms("now by sms", false)).await;
    assert_eq!(green.expect(StatusCode::CREATED).body["recipients"][0]["route"], "green");
    assert_eq!(env.sms.to(BOB).last().unwrap().text, "now by sms");

    // A number without devices is answered alike, and gets no SMS.
    let before = env.sms.count();
    env.call(Method::POST, "/v1/deregister/request", None, Some(json!({"phone": DAVE})))
        .await
        .expect(StatusCode::ACCEPTED);
    assert_eq!(env.sms.count(), before);

    // The page is there, plain and self-contained.
    let page = env.call(Method::GET, "/deregister", None, None).await.expect(StatusCode::OK);
    assert!(page.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert!(page.text.contains("/v1/deregister/confirm"));
    assert!(page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
}

/// The crash window: the deregistration commits, and the process dies
/// before any SMS is queued (here: no timer runs, and the hub is made
/// anew). The fallback row is still there, due; after the restart the
/// timer's first try fails (`Unavailable`), and a minute later it goes
/// out, and Alice hears `sent_as_sms` for her message.
async fn a_fallback_survives_a_crash_and_a_failure_at_deregistration(db: Db) {
    let config = HubConfig { fallback_after: Duration::from_secs(3600), ..HubConfig::default() };
    let mut env = db.env(config).await;
    let alice = env.register(ALICE, "phone").await;
    env.register(BOB, "phone").await;
    let m1 = env
        .send(&alice, "m1", &[BOB], &text("see you at 8"), sms("see you at 8 (sms)", true))
        .await
        .expect(StatusCode::CREATED);
    let key = format!("fallback:{}:{BOB}", m1.body["message_id"].as_str().unwrap());
    env.send(&alice, "m2", &[BOB], &text("bare"), None).await.expect(StatusCode::CREATED);

    deregister(&env, BOB).await.expect(StatusCode::OK);
    settle().await;
    assert_eq!(env.sms.attempts_with(&key), 0, "the deregistration queues no SMS itself");
    assert!(env.sms.texts_to(BOB).is_empty());
    // Only the bare message is answered `unregistered`; m1 is not lost.
    assert_eq!(statuses(env.inbox(&alice).await), [status("m2", BOB, StatusKind::Unregistered)]);
    let now = env.clock.now();
    assert_eq!(env.store.network().next_fallback_due().await.unwrap(), Some(now), "due now");

    // The restart: the first try cannot queue it.
    env.restart().await;
    env.sms.fail_next.store(1, Ordering::SeqCst);
    env.start_timers();
    eventually("the first try", || async { env.sms.attempts_with(&key) == 1 }).await;
    settle().await;
    assert!(env.sms.texts_to(BOB).is_empty(), "not queued");
    assert_eq!(env.store.network().next_fallback_due().await.unwrap(), Some(now), "kept");
    assert_eq!(statuses(env.inbox(&alice).await).len(), 1, "no news for m1 yet");

    // A minute later it goes out, once, and Alice hears of it.
    env.advance(Duration::from_secs(61)).await;
    eventually("the fallback SMS", || async { !env.sms.texts_to(BOB).is_empty() }).await;
    eventually("the sender's status", || async { statuses(env.inbox(&alice).await).len() == 2 })
        .await;
    let sent = env.sms.texts_to(BOB);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(
        (sent[0].text.as_str(), sent[0].key.as_deref()),
        ("see you at 8 (sms)", Some(key.as_str()))
    );
    let mut got = statuses(env.inbox(&alice).await);
    got.sort_by_key(|c| format!("{c:?}"));
    let mut want =
        vec![status("m1", BOB, StatusKind::SentAsSms), status("m2", BOB, StatusKind::Unregistered)];
    want.sort_by_key(|c| format!("{c:?}"));
    assert_eq!(got, want);
    assert_eq!(env.store.network().next_fallback_due().await.unwrap(), None);
    assert_eq!(env.metric("bubblegate_hub_fallbacks_sent_total"), 1);
    env.advance(Duration::from_secs(120)).await;
    assert_eq!(env.sms.attempts_with(&key), 2, "no third try");
    env.stop_timers().await;
}

async fn stop_by_sms_sends_a_code(db: Db) {
    let env = db.env(HubConfig::default()).await;
    env.register(CAROL, "phone").await;
    let codes_before = env.sms.to(CAROL).len();
    // Other words are just a message.
    env.receive_sms("attic", CAROL, "stop please").await;
    assert_eq!(env.sms.to(CAROL).len(), codes_before);
    env.receive_sms("attic", CAROL, " stop ").await;
    let sent = env.sms.to(CAROL);
    assert_eq!(sent.len(), codes_before + 1, "a deregistration code");
    assert!(sent.last().unwrap().text.contains("off the encrypted network"));
    let code = env.sms.last_code(CAROL);
    let done = env
        .call(
            Method::POST,
            "/v1/deregister/confirm",
            None,
            Some(json!({"phone": CAROL, "code": code})),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(done.body["revoked_devices"], 1);
    // From a number without devices, nothing.
    env.receive_sms("attic", DAVE, "STOP").await;
    env.receive_sms("attic", CAROL, "DEREGISTER").await;
    assert!(env.sms.to(DAVE).is_empty());
    assert_eq!(env.sms.to(CAROL).len(), codes_before + 1);
}
