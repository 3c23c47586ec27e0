//! Registration: a code by SMS, a device with a token, the hub's key, and
//! `device_added` to the handle's other devices; codes are single-use,
//! replaced by a new request, and void after 5 wrong attempts.

use axum::http::{Method, StatusCode};
use bubblegate_hub::HubConfig;
use bubblegate_proto::Content;
use serde_json::json;

use crate::support::*;

on_both_backends!(registers_a_device_and_tells_the_others, five_wrong_codes_void_the_code);

async fn registers_a_device_and_tells_the_others(db: Db) {
    let env = db.env(HubConfig::default()).await;
    let answer = env
        .call(Method::POST, "/v1/register/request", None, Some(json!({"phone": "+31 6 1111 1111"})))
        .await
        .expect(StatusCode::ACCEPTED);
    assert_eq!(answer.body, json!({"expires_in": 600}));
    let sent = env.sms.to(ALICE);
    assert_eq!(sent.len(), 1, "the code goes to the normalised number");
    assert!(sent[0].urgent);
    let code = env.sms.last_code(ALICE);
    assert_eq!(sent[0].text, format!("Your Bubblegate code is {code}. It expires in 10 minutes."));

    let phone = env.verify(ALICE, &code, "phone").await;
    assert_eq!(phone.handle.as_str(), ALICE);
    assert_eq!(phone.token.len(), 43, "32 bytes in unpadded base64url");
    // The code is used up.
    let (again, _) = env.try_verify(ALICE, &code, "again").await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "{}", again.text);
    assert_eq!(again.body["error"]["field"], "code");

    let me = env.call(Method::GET, "/v1/devices/me", Some(&phone.token), None).await;
    let me = me.expect(StatusCode::OK);
    assert_eq!(me.body["device_id"], phone.id.as_str());
    assert_eq!(me.body["handle"], ALICE);
    assert_eq!(me.body["name"], "phone");

    // A second device: the first hears of it, signed by the hub.
    let laptop = env.register(ALICE, "laptop").await;
    let inbox = env.inbox(&phone).await;
    assert_eq!(inbox.len(), 1);
    let (envelope, content) = &inbox[0];
    assert_eq!(envelope.sender, None);
    assert_eq!(
        *content,
        Content::DeviceAdded { device_id: laptop.id.clone(), name: "laptop".into() }
    );
    assert!(env.inbox(&laptop).await.is_empty());
    assert_eq!(env.directory(&laptop, ALICE).await.len(), 2);
}

async fn five_wrong_codes_void_the_code(db: Db) {
    let env = db.env(HubConfig::default()).await;
    env.call(Method::POST, "/v1/register/request", None, Some(json!({"phone": BOB})))
        .await
        .expect(StatusCode::ACCEPTED);
    let first = env.sms.last_code(BOB);
    // A new request replaces the code.
    env.call(Method::POST, "/v1/register/request", None, Some(json!({"phone": BOB})))
        .await
        .expect(StatusCode::ACCEPTED);
    let code = env.sms.last_code(BOB);
    if first != code {
        let (old, _) = env.try_verify(BOB, &first, "x").await;
        assert_eq!(old.status, StatusCode::BAD_REQUEST, "the replaced code is dead");
    }
    let wrong = if code == "000000" { "000001" } else { "000000" };
    // A malformed code is refused without using an attempt.
    let (malformed, _) = env.try_verify(BOB, "12ab56", "x").await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    // With the replaced code tried above, attempts left: 5 or 4.
    let tries = if first != code { 4 } else { 5 };
    for i in 1..=tries {
        let (answer, _) = env.try_verify(BOB, wrong, "x").await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "attempt {i}");
        assert_eq!(answer.body["error"]["field"], "code");
        if i == tries {
            assert!(answer.text.contains("void"), "the last attempt says so: {}", answer.text);
        }
    }
    // The right code no longer works: the number must ask again.
    let (late, device) = env.try_verify(BOB, &code, "x").await;
    assert_eq!(late.status, StatusCode::BAD_REQUEST, "{}", late.text);
    assert!(device.is_none());
    assert!(env
        .store
        .network()
        .active_devices(BOB, std::time::UNIX_EPOCH)
        .await
        .unwrap()
        .is_empty());
    // A fresh code does.
    env.register(BOB, "phone").await;
}
