//! An [`Extension`] (the hub's routes) served beside the API's: outside
//! the admin-token check, inside the metrics layer and the common error
//! fallbacks, with its counters on `/metrics`; and the `rate_limited`
//! error with its `Retry-After`.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, Method, StatusCode};
use axum::routing::get;
use axum::Router;
use bubblegate_api::*;

use crate::support::*;

struct Counters;

impl MetricsSource for Counters {
    fn render(&self, out: &mut String) {
        out.push_str("# HELP test_extension_total A test.\n# TYPE test_extension_total counter\n");
        out.push_str("test_extension_total 7\n");
    }
}

fn app_with_extension() -> Router {
    let extension = Extension {
        router: Router::new().route("/x/open", get(|| async { "open" })).route(
            "/x/limited",
            get(|| async { ApiError::rate_limited(Duration::from_millis(2_500)) }),
        ),
        metrics: Some(Arc::new(Counters)),
    };
    router_with(FakeGateway::new(), config(), extension)
}

#[tokio::test]
async fn extension_routes_sit_beside_the_api() {
    let app = app_with_extension();
    let open = call(&app, Method::GET, "/x/open", None, None).await;
    assert_eq!(open.status, StatusCode::OK, "no admin token needed");
    assert_eq!(open.text, "open");
    // The API's own routes still need the token.
    let modems = call(&app, Method::GET, "/v1/modems", None, None).await;
    assert_eq!(modems.status, StatusCode::UNAUTHORIZED);

    let limited = call(&app, Method::GET, "/x/limited", None, None).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.headers[header::RETRY_AFTER], "3");
    assert_eq!(error_of(&limited).0, "rate_limited");

    // The common error shape for wrong methods and unknown paths.
    let wrong = call(&app, Method::POST, "/x/open", None, None).await;
    assert_eq!(wrong.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(error_of(&wrong).0, "method_not_allowed");
    let missing = call(&app, Method::GET, "/x/missing", None, None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(error_of(&missing).0, "not_found");

    // Counted by the API's metrics layer, with the extension's counters.
    let metrics = call(&app, Method::GET, "/metrics", Some(TOKEN), None).await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(
        metrics.text.contains(
            "bubblegate_http_requests_total{route=\"/x/limited\",method=\"GET\",status=\"429\"} 1"
        ),
        "{}",
        metrics.text
    );
    assert!(metrics.text.contains("test_extension_total 7\n"), "{}", metrics.text);
}
