//! `GET /metrics`: the Prometheus text exposition of [`crate::metrics`],
//! plus a few gauges read from the gateway's health at scrape time, and
//! the extension's counters (the hub's) when there is one.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use super::AppState;

pub(super) async fn render(State(state): State<AppState>) -> impl IntoResponse {
    let health = state.gw.health().await;
    let mut text = state.metrics.render(Some(&health));
    if let Some(extra) = &state.extra_metrics {
        extra.render(&mut text);
    }
    ([(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)], text)
}
