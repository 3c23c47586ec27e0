//! Webhooks against a local axum receiver on 127.0.0.1:0 that verifies
//! every signature: delivery, retries with the same delivery id, the
//! retry bound, and that a stuck receiver never slows the API.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use bubblegate_api::webhooks::{self, verify};
use bubblegate_api::*;

use crate::support::*;

const SECRET: &str = "webhook-secret-0123456789";

/// One request the receiver saw.
#[derive(Clone, Debug)]
struct Seen {
    delivery: String,
    event: String,
    body: serde_json::Value,
    verified: bool,
}

#[derive(Clone, Default)]
struct Receiver {
    seen: Arc<Mutex<Vec<Seen>>>,
    /// Answer 500 to this many requests first.
    fail_first: Arc<Mutex<usize>>,
    /// Never answer (hang) when set.
    hang: bool,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    if r.hang {
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
    let h = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let verified = verify(
        SECRET.as_bytes(),
        &h(webhooks::TIMESTAMP_HEADER),
        &h(webhooks::SIGNATURE_HEADER),
        &body,
        SystemTime::now(),
    )
    .is_ok();
    r.seen.lock().unwrap().push(Seen {
        delivery: h(webhooks::DELIVERY_HEADER),
        event: h(webhooks::EVENT_HEADER),
        body: serde_json::from_slice(&body).unwrap_or_default(),
        verified,
    });
    let mut fail = r.fail_first.lock().unwrap();
    if *fail > 0 {
        *fail -= 1;
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::NO_CONTENT
    }
}

async fn start_receiver(receiver: Receiver) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new().route("/hook", post(receive)).with_state(receiver);
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/hook")
}

fn hook_config(url: &str, attempts: u32) -> ApiConfig {
    ApiConfig {
        webhooks: vec![Webhook { url: url.into(), secret: SECRET.into() }],
        webhook_retry: RetryPolicy {
            attempts,
            initial: Duration::from_millis(10),
            max_delay: Duration::from_millis(40),
            timeout: Duration::from_secs(2),
            queue: 4,
        },
        ..config()
    }
}

fn inbound(i: usize) -> GatewayEvent {
    GatewayEvent::Inbound { message: inbox_message(i) }
}

/// Waits until `check` holds, for up to 5 s.
async fn eventually(what: &str, check: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn events_are_signed_and_retried_until_delivered() {
    let receiver = Receiver { fail_first: Arc::new(Mutex::new(2)), ..Receiver::default() };
    let url = start_receiver(receiver.clone()).await;
    let gw = FakeGateway::new();
    let server = Server::start(gw.clone(), hook_config(&url, 5)).await;
    gw.events.send(inbound(1)).unwrap();
    let seen = receiver.seen.clone();
    eventually("three attempts", || seen.lock().unwrap().len() == 3).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let seen = receiver.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3, "no attempt after the 2xx");
    assert!(seen.iter().all(|s| s.verified), "every attempt is signed");
    assert!(seen.iter().all(|s| s.delivery == seen[0].delivery), "one delivery id across retries");
    assert!(seen.iter().all(|s| s.event == "inbound"));
    assert_eq!(seen[0].body, serde_json::to_value(inbound(1)).unwrap());
    server.stop().await;
}

#[tokio::test]
async fn retries_stop_at_the_bound_and_later_events_still_go() {
    let receiver = Receiver { fail_first: Arc::new(Mutex::new(3)), ..Receiver::default() };
    let url = start_receiver(receiver.clone()).await;
    let gw = FakeGateway::new();
    let server = Server::start(gw.clone(), hook_config(&url, 3)).await;
    gw.events.send(inbound(1)).unwrap();
    gw.events.send(inbound(2)).unwrap();
    let seen = receiver.seen.clone();
    eventually("both deliveries", || seen.lock().unwrap().len() == 4).await;
    let seen = receiver.seen.lock().unwrap().clone();
    let first: Vec<_> = seen.iter().filter(|s| s.delivery == seen[0].delivery).collect();
    assert_eq!(first.len(), 3, "three attempts, then it gives up");
    assert_eq!(seen[3].body["message"]["id"], "in-0002");
    let metrics = fetch_metrics(&server).await;
    assert!(
        metrics.contains("bubblegate_webhook_deliveries_total{result=\"failed\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("bubblegate_webhook_deliveries_total{result=\"retried\"} 2"),
        "{metrics}"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_stuck_receiver_never_blocks_the_api() {
    let receiver = Receiver { hang: true, ..Receiver::default() };
    let url = start_receiver(receiver).await;
    let gw = FakeGateway::new();
    let server = Server::start(gw.clone(), hook_config(&url, 2)).await;
    // Far more events than the queue holds.
    for i in 0..50 {
        gw.events.send(inbound(i)).unwrap();
    }
    let client =
        client::Client::new(&server.url(), Some(TOKEN.into()), Duration::from_secs(2)).unwrap();
    let started = Instant::now();
    let request =
        SmsRequest { to: "+447911123456".into(), text: "hi".into(), ..SmsRequest::default() };
    client.submit(&request).await.unwrap();
    client.modems().await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(1), "the API waited on a webhook");
    let metrics = fetch_metrics(&server).await;
    let dropped: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("bubblegate_webhook_deliveries_total{result=\"dropped\"} "))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(dropped >= 40, "a full queue drops events: {metrics}");
    // Shutdown does not wait for the stuck receiver either.
    let stopping = Instant::now();
    server.stop().await;
    assert!(stopping.elapsed() < Duration::from_secs(3));
}

#[test]
fn bad_webhook_urls_are_config_errors() {
    let mut cfg = hook_config("https://example.invalid/hook", 1);
    assert_eq!(cfg.validate().unwrap_err().key, "webhooks[0].url");
    cfg.webhooks[0].url = "http://127.0.0.1:1/hook".into();
    assert_eq!(cfg.validate(), Ok(()));
    cfg.webhooks[0].secret = "short".into();
    assert_eq!(cfg.validate().unwrap_err().key, "webhooks[0].secret");
}
