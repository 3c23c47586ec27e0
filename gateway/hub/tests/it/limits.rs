//! Abuse limits answer 429 with `Retry-After`: code requests per number
//! and per source address, code attempts, directory look-ups and sends
//! per device, and the daily verification-SMS budget (in the store).

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::{header, Method, StatusCode};
use bubblegate_hub::{HubConfig, Limits, Rate};
use serde_json::json;

use crate::support::*;

on_both_backends!(limits_answer_429_with_retry_after, the_daily_code_budget_is_kept_in_the_store);

fn tight() -> HubConfig {
    HubConfig {
        limits: Limits {
            code_requests_per_number: Rate::new(2, Duration::from_secs(3600)),
            code_requests_per_address: Rate::new(3, Duration::from_secs(3600)),
            code_attempts: Rate::new(3, Duration::from_secs(3600)),
            directory: Rate::new(2, Duration::from_secs(60)),
            sends: Rate::new(1, Duration::from_secs(60)),
        },
        ..HubConfig::default()
    }
}

#[track_caller]
fn limited(answer: &Answer) -> u64 {
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS, "{}", answer.text);
    assert_eq!(answer.code(), "rate_limited");
    let wait: u64 = answer.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!(wait >= 1);
    wait
}

async fn limits_answer_429_with_retry_after(db: Db) {
    let env = db.env(tight()).await;
    let request = |phone: &str| json!({"phone": phone});
    let peer: SocketAddr = "192.0.2.7:40000".parse().unwrap();
    let other: SocketAddr = "192.0.2.8:40000".parse().unwrap();
    let post = |phone: &'static str, from: SocketAddr| {
        let env = &env;
        async move {
            env.request(
                Method::POST,
                "/v1/register/request",
                None,
                Some(request(phone)),
                Some(from),
            )
            .await
        }
    };

    // Per number: 2 an hour.
    post(ALICE, peer).await.expect(StatusCode::ACCEPTED);
    post(ALICE, peer).await.expect(StatusCode::ACCEPTED);
    let wait = limited(&post(ALICE, other).await);
    assert!((1700..=1800).contains(&wait), "half an hour for one token of 2/h: {wait}");
    assert_eq!(env.sms.to(ALICE).len(), 2, "the refused request sent nothing");
    // Per address: 3 an hour, whatever the number.
    post(BOB, peer).await.expect(StatusCode::ACCEPTED);
    limited(&post(CAROL, peer).await);
    post(CAROL, other).await.expect(StatusCode::ACCEPTED);

    // Code attempts: 3 an hour per number.
    for _ in 0..3 {
        let (answer, _) = env.try_verify(CAROL, "999999", "x").await;
        assert_ne!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    }
    let (answer, _) = env.try_verify(CAROL, &env.sms.last_code(CAROL), "x").await;
    limited(&answer);

    // Directory look-ups per device: 2 a minute.
    let alice = env.verify(ALICE, &env.sms.last_code(ALICE), "phone").await;
    let lookup = || env.call(Method::GET, "/v1/directory/+31622222222", Some(&alice.token), None);
    assert_ne!(lookup().await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_ne!(lookup().await.status, StatusCode::TOO_MANY_REQUESTS);
    let wait = limited(&lookup().await);
    assert!((29..=30).contains(&wait), "{wait}");
    env.advance(Duration::from_secs(31)).await;
    assert_ne!(lookup().await.status, StatusCode::TOO_MANY_REQUESTS, "a token came back");

    // Sends per device: 1 a minute.
    let body = env.request_body(&alice, "m1", &[DAVE], &text("hi"), &[], sms("hi", false));
    env.call(Method::POST, "/v1/messages", Some(&alice.token), Some(body.clone()))
        .await
        .expect(StatusCode::CREATED);
    limited(&env.call(Method::POST, "/v1/messages", Some(&alice.token), Some(body)).await);

    let metrics = env.metrics();
    for limit in [
        "code_requests_per_number",
        "code_requests_per_address",
        "code_attempts",
        "directory",
        "sends",
    ] {
        let series = format!("bubblegate_hub_rate_limited_total{{limit=\"{limit}\"}}");
        assert!(env.metric(&series) >= 1, "{series}\n{metrics}");
    }
}

async fn the_daily_code_budget_is_kept_in_the_store(db: Db) {
    let env = db.env(HubConfig { daily_verification_sms: 2, ..HubConfig::default() }).await;
    for phone in [ALICE, BOB] {
        env.call(Method::POST, "/v1/register/request", None, Some(json!({"phone": phone})))
            .await
            .expect(StatusCode::ACCEPTED);
    }
    let answer =
        env.call(Method::POST, "/v1/register/request", None, Some(json!({"phone": CAROL}))).await;
    let wait = limited(&answer);
    assert!(wait <= 86_400, "until the next UTC midnight: {wait}");
    assert!(env.sms.to(CAROL).is_empty());
    assert_eq!(env.metric("bubblegate_hub_rate_limited_total{limit=\"daily_code_budget\"}"), 1);
    // The next day has a new budget.
    env.advance(Duration::from_secs(wait)).await;
    env.call(Method::POST, "/v1/register/request", None, Some(json!({"phone": CAROL})))
        .await
        .expect(StatusCode::ACCEPTED);
}
