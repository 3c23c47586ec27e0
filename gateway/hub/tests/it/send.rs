//! Sending: the device-set check (409 with missing and extra devices),
//! idempotent retries, blocked senders answered blue and dropped, green
//! routing with the group prefix and the SMS policy, the green policy for
//! reactions and receipts, and forged envelopes refused before anything
//! happens.

use axum::http::{Method, StatusCode};
use bubblegate_hub::{GreenReactions, HubConfig};
use bubblegate_proto::wire::{DeviceMismatch, SendAnswer};
use bubblegate_proto::{Content, SigningKeyPair};
use serde_json::json;

use crate::support::*;

on_both_backends!(
    a_device_mismatch_is_409,
    a_retried_send_is_answered_from_the_store,
    a_blocked_sender_is_answered_blue_and_dropped,
    green_recipients_get_sms_and_group_members_a_prefix,
    reactions_and_receipts_follow_the_green_policy,
    forged_envelopes_are_refused_before_anything_happens,
);

fn answer(a: &Answer) -> SendAnswer {
    serde_json::from_value(a.body.clone()).unwrap_or_else(|e| panic!("{e}: {}", a.text))
}

fn route_of(a: &SendAnswer, handle: &str) -> (String, Option<String>) {
    let r = a.recipients.iter().find(|r| r.handle == handle).unwrap();
    (serde_json::to_value(r.route).unwrap().as_str().unwrap().to_owned(), r.reason.clone())
}

async fn a_device_mismatch_is_409(db: Db) {
    let env = db.env(HubConfig::default()).await;
    let alice = env.register(ALICE, "phone").await;
    let alice2 = env.register(ALICE, "laptop").await;
    let bob = env.register(BOB, "phone").await;
    let bob2 = env.register(BOB, "tablet").await;
    let carol = env.register(CAROL, "phone").await;

    // Only one of Bob's devices, none of Alice's others, and Carol's,
    // who is no recipient.
    let bobs = env.directory(&alice, BOB).await;
    let carols = env.directory(&alice, CAROL).await;
    let only = bobs.iter().find(|d| d.device_id == bob.id).unwrap().clone();
    let targets = vec![only, carols[0].clone()];
    let body = env.request_body(&alice, "m1", &[BOB], &text("hi"), &targets, None);
    let conflict = env
        .call(Method::POST, "/v1/messages", Some(&alice.token), Some(body))
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(conflict.code(), "conflict");
    let devices: DeviceMismatch =
        serde_json::from_value(conflict.body["error"]["devices"].clone()).unwrap();
    let mut missing: Vec<_> =
        devices.missing.iter().map(|d| (d.handle.as_str(), d.device_id.as_str())).collect();
    missing.sort();
    let mut want = vec![(ALICE, alice2.id.as_str()), (BOB, bob2.id.as_str())];
    want.sort();
    assert_eq!(missing, want);
    let extra: Vec<_> =
        devices.extra.iter().map(|d| (d.handle.as_str(), d.device_id.as_str())).collect();
    assert_eq!(extra, [(CAROL, carol.id.as_str())]);
    let texts = |list: Vec<(bubblegate_proto::wire::Envelope, Content)>| {
        list.into_iter().filter(|(_, c)| matches!(c, Content::Text { .. })).count()
    };
    assert_eq!(texts(env.inbox(&bob).await), 0, "nothing was queued");

    // An envelope for a device that does not exist is a bad request.
    let mut bogus = bobs[0].clone();
    bogus.device_id = "no-such-device".into();
    let body = env.request_body(&alice, "m2", &[BOB], &text("hi"), &[bogus], None);
    let bad = env.call(Method::POST, "/v1/messages", Some(&alice.token), Some(body)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text);

    // The full set goes through: both of Bob's devices, Alice's other.
    env.send(&alice, "m3", &[BOB], &text("hi"), None).await.expect(StatusCode::CREATED);
    assert_eq!(texts(env.inbox(&bob).await), 1);
    assert_eq!(texts(env.inbox(&bob2).await), 1);
    let copy = env.inbox(&alice2).await;
    assert!(copy.iter().any(|(_, c)| *c == text("hi")), "the sent copy reaches Alice's laptop");
}

async fn a_retried_send_is_answered_from_the_store(db: Db) {
    let env = db.env(HubConfig::default()).await;
    let alice = env.register(ALICE, "phone").await;
    let bob = env.register(BOB, "phone").await;
    let targets = env.targets(&alice, &[BOB, DAVE]).await;
    let body =
        env.request_body(&alice, "m1", &[BOB, DAVE], &text("hi"), &targets, sms("hi", false));
    let first = env
        .call(Method::POST, "/v1/messages", Some(&alice.token), Some(body.clone()))
        .await
        .expect(StatusCode::CREATED);
    let again = env
        .call(Method::POST, "/v1/messages", Some(&alice.token), Some(body.clone()))
        .await
        .expect(StatusCode::OK);
    assert_eq!(first.body, again.body);
    assert_eq!(env.inbox(&bob).await.len(), 1, "one envelope, not two");
    assert_eq!(env.sms.to(DAVE).len(), 1, "one SMS, not two");
    assert_eq!(route_of(&answer(&first), DAVE).0, "green");

    // The same id for another message is a conflict.
    let mut other = body;
    other["recipients"] = json!([BOB]);
    let conflict = env.call(Method::POST, "/v1/messages", Some(&alice.token), Some(other)).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.text);
    assert_eq!(conflict.code(), "conflict");
}

async fn a_blocked_sender_is_answered_blue_and_dropped(db: Db) {
    let env = db.env(HubConfig::default()).await;
    let alice = env.register(ALICE, "phone").await;
    let alice2 = env.register(ALICE, "laptop").await;
    let bob = env.register(BOB, "phone").await;
    let path = format!("/v1/blocks/{ALICE}");
    env.call(Method::PUT, &path, Some(&bob.token), None).await.expect(StatusCode::NO_CONTENT);
    let list = env.call(Method::GET, "/v1/blocks", Some(&bob.token), None).await;
    assert_eq!(list.expect(StatusCode::OK).body, json!({"blocked": [ALICE]}));

    let sent = env
        .send(&alice, "m1", &[BOB], &text("let me in"), sms("let me in", true))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(route_of(&answer(&sent), BOB), ("blue".to_owned(), None));
    assert!(env.inbox(&bob).await.is_empty(), "Bob gets nothing");
    let copies = env.inbox(&alice2).await;
    assert!(copies.iter().any(|(_, c)| *c == text("let me in")), "the sender's copy still syncs");
    assert_eq!(env.metric("bubblegate_hub_blocked_drops_total"), 1);
    assert!(env.sms.texts_to(BOB).is_empty(), "no fallback is kept for a blocker");
    assert_eq!(env.store.network().next_fallback_due().await.unwrap(), None);

    env.call(Method::DELETE, &path, Some(&bob.token), None).await.expect(StatusCode::NO_CONTENT);
    env.send(&alice, "m2", &[BOB], &text("hello?"), None).await.expect(StatusCode::CREATED);
    let got = env.inbox(&bob).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].1, text("hello?"));
}

async fn green_recipients_get_sms_and_group_members_a_prefix(db: Db) {
    let env = db.env(HubConfig::default()).await;
    let alice = env.register(ALICE, "phone").await;
    let bob = env.register(BOB, "phone").await;

    let sent = env
        .send(
            &alice,
            "m1",
            &[DAVE, REFUSED, "me@example.org", "12345", DAVE],
            &text("hi"),
            sms("hi", false),
        )
        .await
        .expect(StatusCode::CREATED);
    let a = answer(&sent);
    assert_eq!(a.recipients.len(), 4, "a repeated recipient counts once");
    assert_eq!(route_of(&a, DAVE).0, "green");
    let dave = &a.recipients.iter().find(|r| r.handle == DAVE).unwrap().sms_id;
    assert_eq!(dave.as_deref(), Some(env.sms.to(DAVE)[0].id.as_str()));
    assert_eq!(env.sms.to(DAVE)[0].text, "hi");
    assert_eq!(route_of(&a, REFUSED), ("failed".into(), Some("policy".into())));
    assert_eq!(route_of(&a, "me@example.org"), ("failed".into(), Some("email_unreachable".into())));
    assert_eq!(route_of(&a, "12345"), ("failed".into(), Some("invalid_handle".into())));

    let no_text =
        env.send(&alice, "m2", &[DAVE], &text("hi"), None).await.expect(StatusCode::CREATED);
    assert_eq!(route_of(&answer(&no_text), DAVE), ("failed".into(), Some("no_sms_text".into())));

    // A group: Bob gets ciphertext, Dave one SMS with the group's name.
    let content = group_text("pizza at 8", "Friday", &[ALICE, BOB, DAVE]);
    let group = env
        .send(&alice, "m3", &[BOB, DAVE], &content, sms("pizza at 8", false))
        .await
        .expect(StatusCode::CREATED);
    let a = answer(&group);
    assert_eq!(route_of(&a, BOB).0, "blue");
    assert_eq!(route_of(&a, DAVE).0, "green");
    assert_eq!(env.sms.to(DAVE).last().unwrap().text, "[Friday] pizza at 8");
    let got = env.inbox(&bob).await;
    assert_eq!(got.last().unwrap().1, content);
    assert!(env.sms.texts_to(BOB).is_empty(), "blue members get no SMS");
    assert_eq!(env.metric("bubblegate_hub_recipients_total{route=\"green\"}"), 2);
}

async fn reactions_and_receipts_follow_the_green_policy(db: Db) {
    for policy in [GreenReactions::Suppress, GreenReactions::Render] {
        let env = db.env(HubConfig { green_reactions: policy, ..HubConfig::default() }).await;
        let alice = env.register(ALICE, "phone").await;
        let like = Content::Reaction { target: "m0".into(), emoji: "👍".into() };
        let sent = env
            .send(&alice, "r1", &[DAVE], &like, sms("Liked \"see you at 8\"", false))
            .await
            .expect(StatusCode::CREATED);
        let route = route_of(&answer(&sent), DAVE);
        match policy {
            GreenReactions::Suppress => {
                assert_eq!(route, ("suppressed".into(), Some("green_policy".into())));
                assert!(env.sms.to(DAVE).is_empty());
            }
            GreenReactions::Render => {
                assert_eq!(route.0, "green");
                assert_eq!(env.sms.to(DAVE)[0].text, "Liked \"see you at 8\"");
            }
        }
        // Receipts never go to SMS, whatever the sender supplies.
        let read = Content::Read { targets: vec!["m0".into()] };
        let sent = env.send(&alice, "r2", &[DAVE], &read, sms("read", false)).await;
        let route = route_of(&answer(&sent.expect(StatusCode::CREATED)), DAVE);
        assert_eq!(route, ("suppressed".into(), Some("device_only".into())));
        assert!(env.sms.to(DAVE).len() <= 1);
        // Hub kinds are the hub's.
        let fake = Content::Status {
            client_message_id: "x".into(),
            recipient: DAVE.into(),
            status: bubblegate_proto::StatusKind::SentAsSms,
        };
        let refused = env.send(&alice, "r3", &[DAVE], &fake, None).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.text);
        assert_eq!(refused.body["error"]["field"], "kind");
    }
}

async fn forged_envelopes_are_refused_before_anything_happens(db: Db) {
    let env = db.env(HubConfig::default()).await;
    let alice = env.register(ALICE, "phone").await;
    let bob = env.register(BOB, "phone").await;
    let targets = env.targets(&alice, &[BOB, DAVE]).await;
    // Mallory signs with her own key in Alice's name.
    let mallory = TestDevice {
        id: alice.id.clone(),
        handle: alice.handle.clone(),
        token: alice.token.clone(),
        enc: bubblegate_proto::EncKeyPair::generate(1),
        sign: SigningKeyPair::generate().unwrap(),
        hub_key: alice.hub_key,
    };
    let body = env.request_body(
        &mallory,
        "m1",
        &[BOB, DAVE],
        &text("forged"),
        &targets,
        sms("forged", false),
    );
    let refused =
        env.call(Method::POST, "/v1/messages", Some(&alice.token), Some(body.clone())).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.text);
    assert_eq!(refused.body["error"]["field"], "envelopes[0].signature");
    assert!(env.inbox(&bob).await.is_empty());
    assert!(env.sms.to(DAVE).is_empty(), "no SMS went out for a refused send");

    // A signature over another header (the envelope moved to another
    // message id) is refused too.
    let good = env.request_body(
        &alice,
        "m2",
        &[BOB],
        &text("real"),
        &env.targets(&alice, &[BOB]).await,
        None,
    );
    let mut moved = good.clone();
    moved["client_message_id"] = json!("m3");
    let refused = env.call(Method::POST, "/v1/messages", Some(&alice.token), Some(moved)).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.text);
    env.call(Method::POST, "/v1/messages", Some(&alice.token), Some(good))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(env.inbox(&bob).await.len(), 1);
}
