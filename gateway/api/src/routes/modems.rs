//! `GET /v1/modems`: every modem with its state, signal, operator,
//! registration and quota use, as the gateway reports them.

use axum::extract::State;
use axum::Json;

use super::AppState;
use crate::error::ApiError;
use crate::types::ModemView;

pub(super) async fn list(State(state): State<AppState>) -> Result<Json<Vec<ModemView>>, ApiError> {
    Ok(Json(state.gw.modems().await?))
}
