//! `GET /metrics`: the Prometheus text exposition of [`crate::metrics`],
//! plus a few gauges read from the gateway's health at scrape time.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use super::AppState;

pub(super) async fn render(State(state): State<AppState>) -> impl IntoResponse {
    let health = state.gw.health().await;
    ([(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)], state.metrics.render(Some(&health)))
}
