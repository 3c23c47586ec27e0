//! Deregistration: devices revoked, queued envelopes re-routed (a kept
//! fallback goes out as SMS at once, otherwise the sender hears
//! `unregistered`, once per send), the number green from then on; the
//! web page, and `STOP` by SMS starting the same flow.

use axum::http::{header, Method, StatusCode};
use bubblegate_hub::HubConfig;
use bubblegate_proto::{Content, StatusKind};
use serde_json::json;

use crate::support::*;

on_both_backends!(deregistration_reroutes_what_was_queued, stop_by_sms_sends_a_code);

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
    let env = db.env(HubConfig::default()).await;
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
    // The kept fallback went out at once, with the timer's key.
    let fallback: Vec<_> = env.sms.to(BOB).into_iter().filter(|s| !s.urgent).collect();
    assert_eq!(fallback.len(), 1, "{fallback:?}");
    assert_eq!(fallback[0].text, "dinner?");
    assert_eq!(fallback[0].key.as_deref(), Some(format!("fallback:{send1}:{BOB}").as_str()));

    let statuses = |list: Vec<(bubblegate_proto::wire::Envelope, Content)>| -> Vec<Content> {
        list.into_iter().map(|(_, c)| c).filter(|c| matches!(c, Content::Status { .. })).collect()
    };
    let mut alice_got = statuses(env.inbox(&alice).await);
    alice_got.sort_by_key(|c| format!("{c:?}"));
    let status = |cmid: &str, status| Content::Status {
        client_message_id: cmid.into(),
        recipient: BOB.into(),
        status,
    };
    let mut want =
        vec![status("m1", StatusKind::SentAsSms), status("m2", StatusKind::Unregistered)];
    want.sort_by_key(|c| format!("{c:?}"));
    assert_eq!(alice_got, want, "one status per send, though Bob had two devices");
    assert_eq!(statuses(env.inbox(&carol).await), [status("c1", StatusKind::Unregistered)]);

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
