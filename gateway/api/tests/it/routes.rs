//! Every route's happy path and its input checks, through `oneshot`.

use std::time::{Duration, SystemTime};

use axum::http::{header, Method, StatusCode};
use bubblegate_api::routes::validate;
use bubblegate_api::*;
use serde_json::{json, Value};

use crate::support::*;

#[tokio::test]
async fn submit_queues_a_normalised_message() {
    let gw = FakeGateway::new();
    let app = app(&gw);
    let answer = post(&app, "/v1/sms", json!({"to": "+44 7911 123456", "text": "hello"})).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    assert_eq!(
        answer.body,
        json!({"id": "msg-0001", "created": true, "status": "queued", "parts": 1})
    );
    assert_eq!(answer.headers.get(header::LOCATION).unwrap(), "/v1/sms/msg-0001");
    let sms = gw.state.lock().unwrap().submitted[0].clone();
    assert_eq!(sms.to.as_str(), "+447911123456");
    assert_eq!(
        (sms.priority, sms.delivery_report, sms.validity, sms.send_after),
        (0, true, None, None)
    );
}

#[tokio::test]
async fn submit_passes_every_option() {
    let gw = FakeGateway::new();
    let app = app(&gw);
    let later = Timestamp::from(SystemTime::now() + Duration::from_secs(600));
    let body = json!({
        "to": "+447911123456", "text": "hi", "idempotency_key": "k-1", "validity": 3600,
        "priority": -5, "delivery_report": false, "send_after": later.to_string(),
    });
    assert_eq!(post(&app, "/v1/sms", body).await.status, StatusCode::CREATED);
    let sms = gw.state.lock().unwrap().submitted[0].clone();
    assert_eq!(sms.idempotency_key.as_deref(), Some("k-1"));
    assert_eq!(sms.validity, Some(Duration::from_secs(3600)));
    assert_eq!((sms.priority, sms.delivery_report), (-5, false));
    assert_eq!(sms.send_after.map(|t| t.to_string()), Some(later.to_string()));
}

#[tokio::test]
async fn a_repeated_idempotency_key_returns_the_first_message_with_200() {
    let gw = FakeGateway::new();
    let app = app(&gw);
    let body = json!({"to": "+447911123456", "text": "once", "idempotency_key": "order-1"});
    let first = post(&app, "/v1/sms", body.clone()).await;
    let second = post(&app, "/v1/sms", body).await;
    assert_eq!((first.status, second.status), (StatusCode::CREATED, StatusCode::OK));
    assert_eq!(first.body["id"], second.body["id"]);
    assert_eq!(second.body["created"], json!(false));
    assert_eq!(gw.state.lock().unwrap().submitted.len(), 1);
}

#[tokio::test]
async fn submit_validation_names_the_field() {
    let long = "x".repeat(limits::MAX_TEXT_CHARS + 1);
    let far = Timestamp::from(SystemTime::now() + Duration::from_secs(31 * 86_400)).to_string();
    let cases: Vec<(Value, &str)> = vec![
        (json!({"to": "", "text": "t"}), "to"),
        (json!({"to": "07911123456", "text": "t"}), "to"),
        (json!({"to": "+999123", "text": "t"}), "to"),
        (json!({"to": "+44 12", "text": "t"}), "to"),
        (json!({"to": "not a number", "text": "t"}), "to"),
        (json!({"to": "+447911123456", "text": ""}), "text"),
        (json!({"to": "+447911123456", "text": long}), "text"),
        (json!({"to": "+447911123456", "text": "a\u{0}b"}), "text"),
        (json!({"to": "+447911123456", "text": "t", "idempotency_key": ""}), "idempotency_key"),
        (
            json!({"to": "+447911123456", "text": "t", "idempotency_key": "has space"}),
            "idempotency_key",
        ),
        (
            json!({"to": "+447911123456", "text": "t", "idempotency_key": "k".repeat(129)}),
            "idempotency_key",
        ),
        (json!({"to": "+447911123456", "text": "t", "validity": 59}), "validity"),
        (json!({"to": "+447911123456", "text": "t", "validity": 604_801}), "validity"),
        (json!({"to": "+447911123456", "text": "t", "priority": 101}), "priority"),
        (json!({"to": "+447911123456", "text": "t", "priority": -101}), "priority"),
        (json!({"to": "+447911123456", "text": "t", "send_after": far}), "send_after"),
        // Shape errors come from serde, with the field named too.
        (json!({"to": "+447911123456"}), "text"),
        (json!({"text": "t"}), "to"),
        (json!({"to": "+447911123456", "text": "t", "priority": "high"}), "priority"),
        (json!({"to": "+447911123456", "text": "t", "validity": -1}), "validity"),
        (json!({"to": "+447911123456", "text": "t", "send_after": "tomorrow"}), "send_after"),
        (json!({"to": "+447911123456", "text": "t", "delivery_report": "yes"}), "delivery_report"),
        (json!({"to": "+447911123456", "text": "t", "prio": 1}), "prio"),
    ];
    let gw = FakeGateway::new();
    let app = app(&gw);
    for (body, field) in cases {
        let answer = post(&app, "/v1/sms", body.clone()).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}: {}", answer.text);
        let (code, named) = error_of(&answer);
        assert!(code == "invalid_request" || code == "invalid_json", "{body}: {code}");
        assert_eq!(named.as_deref(), Some(field), "{body}: {}", answer.text);
    }
    assert!(gw.state.lock().unwrap().submitted.is_empty());
}

#[test]
fn validation_reads_send_after_against_now() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let request = |send_after: SystemTime, validity: Option<u64>| SmsRequest {
        to: "+447911123456".into(),
        text: "t".into(),
        send_after: Some(send_after.into()),
        validity,
        ..SmsRequest::default()
    };
    // A past time means now.
    let past = validate(request(now - Duration::from_secs(5), None), None, now).unwrap();
    assert_eq!(past.send_after, None);
    let ahead = validate(request(now + Duration::from_secs(5), None), None, now).unwrap();
    assert_eq!(ahead.send_after, Some((now + Duration::from_secs(5)).into()));
    // Sending after the validity ends could never succeed.
    let late = validate(request(now + Duration::from_secs(120), Some(60)), None, now).unwrap_err();
    assert_eq!(late.field(), Some("send_after"));
}

#[test]
fn national_numbers_need_a_default_region() {
    let now = SystemTime::now();
    let request =
        SmsRequest { to: "07911 123456".into(), text: "t".into(), ..SmsRequest::default() };
    assert_eq!(validate(request.clone(), None, now).unwrap_err().field(), Some("to"));
    let sms = validate(request, Some("GB"), now).unwrap();
    assert_eq!(sms.to.as_str(), "+447911123456");
    // Debug output of a number hides it.
    assert!(!format!("{:?}", sms.to).contains("123456"));
}

#[tokio::test]
async fn show_returns_status_parts_and_history() {
    let gw = FakeGateway::new();
    let app = app(&gw);
    post(&app, "/v1/sms", json!({"to": "+447911123456", "text": "hello"})).await;
    let answer = get(&app, "/v1/sms/msg-0001").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let view: MessageView = serde_json::from_value(answer.body.clone()).unwrap();
    assert_eq!((view.status, view.parts.len(), view.history.len()), (MessageStatus::Queued, 1, 1));
    assert_eq!(answer.body["to"], "+447911123456");
    assert_eq!(answer.body["created_at"], "2025-01-31T12:00:00.000Z");
}

#[tokio::test]
async fn unknown_and_malformed_ids_are_404() {
    let app = app(&FakeGateway::new());
    for path in ["/v1/sms/msg-9999", "/v1/sms/a%20b", &format!("/v1/sms/{}", "a".repeat(65))] {
        let answer = get(&app, path).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(error_of(&answer).0, "not_found");
    }
}

#[tokio::test]
async fn inbox_pages_with_a_cursor() {
    let app = app(&FakeGateway::with_inbox(5));
    let mut seen = Vec::new();
    let mut path = "/v1/inbox?limit=2".to_owned();
    let mut pages = 0;
    loop {
        let answer = get(&app, &path).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        let page: InboxPage = serde_json::from_value(answer.body).unwrap();
        assert!(page.messages.len() <= 2);
        seen.extend(page.messages.into_iter().map(|m| m.id));
        pages += 1;
        match page.next_cursor {
            Some(cursor) => path = format!("/v1/inbox?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, ["in-0004", "in-0003", "in-0002", "in-0001", "in-0000"]);
}

#[tokio::test]
async fn inbox_defaults_to_fifty_and_refuses_bad_limits_and_cursors() {
    let app = app(&FakeGateway::with_inbox(60));
    let page = get(&app, "/v1/inbox").await;
    assert_eq!(page.body["messages"].as_array().unwrap().len(), 50);
    assert_eq!(page.body["next_cursor"], "in-0010");
    let bad = [
        ("/v1/inbox?limit=0", "limit"),
        ("/v1/inbox?limit=201", "limit"),
        ("/v1/inbox?limit=ten", "limit"),
        ("/v1/inbox?limit=-1", "limit"),
        ("/v1/inbox?cursor=", "cursor"),
        ("/v1/inbox?cursor=nope", "cursor"),
        ("/v1/inbox?page=2", "page"),
    ];
    for (path, field) in bad {
        let answer = get(&app, path).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{path}: {}", answer.text);
        let (code, named) = error_of(&answer);
        assert_eq!((code.as_str(), named.as_deref()), ("invalid_request", Some(field)), "{path}");
    }
}

#[tokio::test]
async fn modems_lists_what_the_gateway_reports() {
    let gw = FakeGateway::new();
    gw.state.lock().unwrap().modems = vec![modem()];
    let answer = get(&app(&gw), "/v1/modems").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body[0]["state"], "ready");
    assert_eq!(answer.body[0]["signal"], json!({"csq": 20, "dbm": -73}));
    assert_eq!(answer.body[0]["quota"]["day_used"], 3);
    let modems: Vec<ModemView> = serde_json::from_value(answer.body).unwrap();
    assert_eq!(modems, vec![modem()]);
}

#[tokio::test]
async fn healthz_needs_no_token_and_reports_down_as_503() {
    let gw = FakeGateway::new();
    let app = app(&gw);
    let answer = call(&app, Method::GET, "/healthz", None, None).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body["status"], "ok");
    gw.health.lock().unwrap().status = HealthStatus::Degraded;
    assert_eq!(call(&app, Method::GET, "/healthz", None, None).await.status, StatusCode::OK);
    gw.health.lock().unwrap().status = HealthStatus::Down;
    let answer = call(&app, Method::GET, "/healthz", None, None).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.body["status"], "down");
}

#[tokio::test]
async fn metrics_count_requests_submissions_and_gateway_gauges() {
    let gw = FakeGateway::new();
    let app = app(&gw);
    post(&app, "/v1/sms", json!({"to": "+447911123456", "text": "a", "idempotency_key": "k"}))
        .await;
    post(&app, "/v1/sms", json!({"to": "+447911123456", "text": "a", "idempotency_key": "k"}))
        .await;
    get(&app, "/v1/sms/msg-0001").await;
    get(&app, "/nowhere").await;
    call(&app, Method::GET, "/v1/modems", None, None).await;
    let answer = get(&app, "/metrics").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = answer.text;
    for line in [
        "bubblegate_http_requests_total{route=\"/v1/sms\",method=\"POST\",status=\"201\"} 1",
        "bubblegate_http_requests_total{route=\"/v1/sms\",method=\"POST\",status=\"200\"} 1",
        "bubblegate_http_requests_total{route=\"/v1/sms/{id}\",method=\"GET\",status=\"200\"} 1",
        "bubblegate_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1",
        "bubblegate_http_requests_total{route=\"/v1/modems\",method=\"GET\",status=\"401\"} 1",
        "bubblegate_sms_submitted_total{result=\"created\"} 1",
        "bubblegate_sms_submitted_total{result=\"duplicate\"} 1",
        "bubblegate_modems_ready 1",
        "bubblegate_up 1",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
    }
}
