//! The one error shape, for axum's rejections, unknown routes and
//! methods, and the gateway's own errors; internal detail never leaks.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use bubblegate_api::*;
use serde_json::json;

use crate::support::*;

fn raw_post(path: &str, content_type: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut builder = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"));
    if let Some(ct) = content_type {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    builder.body(body.into()).unwrap()
}

#[tokio::test]
async fn body_rejections_share_the_shape() {
    let app = app(&FakeGateway::new());
    let big = format!("{{\"to\":\"+447911123456\",\"text\":\"{}\"}}", "x".repeat(70_000));
    let cases = [
        (
            raw_post("/v1/sms", Some("application/json"), "{\"to\": "),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            raw_post("/v1/sms", Some("application/json"), "[1,2]"),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            raw_post("/v1/sms", Some("application/json"), ""),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            raw_post("/v1/sms", None, "{}"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            raw_post("/v1/sms", Some("text/plain"), "{}"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            raw_post("/v1/sms", Some("application/json"), big),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
    ];
    for (request, status, code) in cases {
        let answer = send(&app, request).await;
        assert_eq!(answer.status, status, "{}", answer.text);
        assert_eq!(error_of(&answer).0, code, "{}", answer.text);
    }
}

#[tokio::test]
async fn unknown_routes_and_methods_share_the_shape() {
    let app = app(&FakeGateway::new());
    for (method, path, status, code) in [
        (Method::GET, "/", StatusCode::NOT_FOUND, "not_found"),
        (Method::GET, "/v2/sms", StatusCode::NOT_FOUND, "not_found"),
        (Method::GET, "/v1/sms/a/b", StatusCode::NOT_FOUND, "not_found"),
        (Method::DELETE, "/v1/sms/msg-1", StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
        (Method::GET, "/v1/sms", StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
        (Method::POST, "/v1/inbox", StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
        (Method::PUT, "/healthz", StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
    ] {
        let answer = call(&app, method.clone(), path, Some(TOKEN), None).await;
        assert_eq!(answer.status, status, "{method} {path}");
        assert_eq!(error_of(&answer).0, code, "{method} {path}");
    }
}

#[tokio::test]
async fn gateway_errors_pass_through_and_internals_stay_hidden() {
    let gw = FakeGateway::new();
    let app = app(&gw);
    let sms = json!({"to": "+447911123456", "text": "x"});
    let cases = [
        (
            ApiError::internal("database is locked: SELECT * FROM outbound"),
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
        ),
        (
            ApiError::unavailable("the gateway is shutting down"),
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
        ),
        (
            ApiError::invalid("to", "is in a blocked prefix"),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (ApiError::conflict("idempotency key reused"), StatusCode::CONFLICT, "conflict"),
    ];
    for (error, status, code) in cases {
        gw.state.lock().unwrap().fail_next = Some(error);
        let answer = post(&app, "/v1/sms", sms.clone()).await;
        assert_eq!(answer.status, status);
        assert_eq!(error_of(&answer).0, code);
        assert!(
            !answer.text.contains("SELECT") && !answer.text.contains("database"),
            "{}",
            answer.text
        );
    }
    gw.state.lock().unwrap().fail_next =
        Some(ApiError::internal("serial port /dev/ttyUSB0 vanished"));
    let answer = get(&app, "/v1/modems").await;
    assert_eq!(answer.body, json!({"error": {"code": "internal", "message": "internal error"}}));
}

#[tokio::test]
async fn events_without_an_upgrade_is_a_400_in_the_shape() {
    let answer = get(&app(&FakeGateway::new()), "/v1/events").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_of(&answer).0, "invalid_request");
}
