//! The authorization matrix: every device route refuses a missing, wrong
//! or revoked token with 401 in the common shape, and no device reaches
//! another device's queue (its list shows only its own, an ack of another
//! device's envelope deletes nothing).

use axum::http::{header, Method, StatusCode};
use bubblegate_api::routes::{Access, Verb};
use bubblegate_hub::routes::ROUTES;
use bubblegate_hub::HubConfig;
use serde_json::json;

use crate::support::*;

on_both_backends!(device_routes_refuse_bad_tokens, devices_reach_only_their_own_queue);

fn path(template: &str) -> String {
    template.replace("{phone}", BOB)
}

async fn device_routes_refuse_bad_tokens(db: Db) {
    let env = db.env(HubConfig::default()).await;
    let carol = env.register(CAROL, "phone").await;
    // Carol leaves: her token is revoked.
    env.call(Method::POST, "/v1/deregister/request", None, Some(json!({"phone": CAROL})))
        .await
        .expect(StatusCode::ACCEPTED);
    let code = env.sms.last_code(CAROL);
    env.call(
        Method::POST,
        "/v1/deregister/confirm",
        None,
        Some(json!({"phone": CAROL, "code": code})),
    )
    .await
    .expect(StatusCode::OK);

    let device_routes: Vec<_> = ROUTES.iter().filter(|r| r.access == Access::Device).collect();
    assert_eq!(device_routes.len(), 10, "the device routes of PROTOCOL.md");
    let revoked = carol.token.clone();
    let bad = [None, Some(""), Some("not-a-token"), Some(revoked.as_str())];
    for route in device_routes {
        for token in bad {
            let body = matches!(route.verb, Verb::Post | Verb::Put).then(|| json!({}));
            let answer = env.call(route.verb.method(), &path(route.path), token, body).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{} {token:?}", route.path);
            assert_eq!(answer.code(), "unauthorized");
            assert_eq!(answer.headers[header::WWW_AUTHENTICATE], "Bearer");
        }
    }
    // Public routes need nothing.
    for route in ROUTES.iter().filter(|r| r.access == Access::Public) {
        let body = (route.verb == Verb::Post).then(|| json!({"phone": DAVE}));
        let answer = env.call(route.verb.method(), route.path, None, body).await;
        for refused in
            [StatusCode::UNAUTHORIZED, StatusCode::NOT_FOUND, StatusCode::METHOD_NOT_ALLOWED]
        {
            assert_ne!(answer.status, refused, "{}", route.path);
        }
    }
}

async fn devices_reach_only_their_own_queue(db: Db) {
    let env = db.env(HubConfig::default()).await;
    let alice = env.register(ALICE, "phone").await;
    let bob = env.register(BOB, "phone").await;
    env.send(&alice, "m1", &[BOB], &text("for bob"), None).await.expect(StatusCode::CREATED);

    let bobs = env.inbox(&bob).await;
    assert_eq!(bobs.len(), 1);
    let id = bobs[0].0.id.clone();
    // Alice sees none of Bob's envelopes and cannot ack them.
    assert!(env.inbox(&alice).await.is_empty());
    assert_eq!(env.ack(&alice, &[&id]).await, 0);
    assert_eq!(env.inbox(&bob).await.len(), 1, "Bob's envelope is still there");
    // Bob can, once.
    assert_eq!(env.ack(&bob, &[&id, &id]).await, 1);
    assert_eq!(env.ack(&bob, &[&id]).await, 0);
    assert!(env.inbox(&bob).await.is_empty());
    assert_eq!(env.metric("bubblegate_hub_envelopes_total{event=\"acked\"}"), 1);

    // Key rotation changes only the caller's own key, and only upwards.
    let next = bubblegate_proto::EncKeyPair::generate(2);
    let answer = env
        .call(
            Method::PUT,
            "/v1/devices/me/keys",
            Some(&bob.token),
            Some(json!({"enc_key": next.public()})),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(answer.body["device_id"], bob.id.as_str());
    assert_eq!(answer.body["enc_key"]["key_id"], 2);
    let stale = bubblegate_proto::EncKeyPair::generate(2);
    env.call(
        Method::PUT,
        "/v1/devices/me/keys",
        Some(&bob.token),
        Some(json!({"enc_key": stale.public()})),
    )
    .await
    .expect(StatusCode::BAD_REQUEST);
    let alice_entry = env.directory(&bob, ALICE).await;
    assert_eq!(alice_entry[0].enc_key.key_id, 1, "Alice's key is untouched");
}
