//! Every denied path: each protected route in the route table, with each
//! way of not holding the token, answers 401 in the common shape and
//! never reaches the gateway; the public route needs nothing.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use bubblegate_api::routes::{Access, Verb, ROUTES};
use bubblegate_api::*;
use serde_json::json;

use crate::support::*;

/// A request for a route, with the `Authorization` value given.
fn request(verb: Verb, template: &str, authorization: Option<&str>) -> Request<Body> {
    let path = template.replace("{id}", "msg-0001");
    let mut builder = Request::builder().method(verb.method()).uri(path);
    if let Some(value) = authorization {
        builder = builder.header(header::AUTHORIZATION, value);
    }
    match verb {
        Verb::Post | Verb::Put => builder
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({"to": "+447911123456", "text": "x"}).to_string()))
            .unwrap(),
        Verb::Get | Verb::Delete => builder.body(Body::empty()).unwrap(),
    }
}

const DENIED: &[Option<&str>] = &[
    None,
    Some(""),
    Some("Bearer"),
    Some("Bearer "),
    Some("Bearer wrong-token"),
    Some("Bearer test-admin-token-012345678"),
    Some("Bearer test-admin-token-01234567890"),
    Some("Basic dGVzdDp0ZXN0"),
    Some("test-admin-token-0123456789"),
    Some("Token test-admin-token-0123456789"),
];

#[tokio::test]
async fn every_protected_route_refuses_every_missing_or_wrong_token() {
    let gw = FakeGateway::new();
    let app = app(&gw);
    let protected: Vec<_> = ROUTES.iter().filter(|r| r.access == Access::Admin).collect();
    assert_eq!(protected.len(), ROUTES.len() - 1, "only /healthz is public");
    for route in protected {
        for auth in DENIED {
            let answer = send(&app, request(route.verb, route.path, *auth)).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{} {auth:?}", route.path);
            assert_eq!(answer.headers[header::WWW_AUTHENTICATE], "Bearer");
            assert_eq!(error_of(&answer).0, "unauthorized");
        }
    }
    assert!(gw.state.lock().unwrap().submitted.is_empty(), "a denied request reached the gateway");
}

#[tokio::test]
async fn an_empty_configured_token_denies_everything() {
    let gw = FakeGateway::new();
    let app = router(gw.clone(), ApiConfig { admin_token: String::new(), ..ApiConfig::default() });
    for route in ROUTES.iter().filter(|r| r.access == Access::Admin) {
        for auth in [None, Some("Bearer "), Some("Bearer x")] {
            let answer = send(&app, request(route.verb, route.path, auth)).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{} {auth:?}", route.path);
        }
    }
}

#[tokio::test]
async fn the_right_token_passes_on_every_route() {
    let gw = FakeGateway::new();
    let app = app(&gw);
    let bearer = format!("Bearer {TOKEN}");
    let lower = format!("bearer {TOKEN}");
    for route in ROUTES {
        for auth in [&bearer, &lower] {
            let answer = send(&app, request(route.verb, route.path, Some(auth))).await;
            assert_ne!(answer.status, StatusCode::UNAUTHORIZED, "{}", route.path);
        }
    }
}

#[tokio::test]
async fn public_routes_need_no_token() {
    let app = app(&FakeGateway::new());
    for route in ROUTES.iter().filter(|r| r.access == Access::Public) {
        let answer = send(&app, request(route.verb, route.path, None)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", route.path);
    }
}
