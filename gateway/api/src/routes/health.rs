//! `GET /healthz`, the one public route: 200 while the gateway can take
//! messages (`ok` or `degraded`), 503 when it is `down`. It carries
//! counts only, nothing a stranger could use.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

use super::AppState;
use crate::types::{Health, HealthStatus};

pub(super) async fn check(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let health = state.gw.health().await;
    let status = match health.status {
        HealthStatus::Ok | HealthStatus::Degraded => StatusCode::OK,
        HealthStatus::Down => StatusCode::SERVICE_UNAVAILABLE,
    };
    (status, Json(health))
}
