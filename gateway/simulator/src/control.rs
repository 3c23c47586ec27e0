//! The control interface: HTTP with JSON on loopback, for tests and people.
//! Every route is a thin translation to a [`SimHandle`] request.
//!
//! | method and path | body | answer |
//! | --- | --- | --- |
//! | `GET /modems` | | `[ModemStatus]` |
//! | `GET /modems/{id}` | | `ModemStatus` |
//! | `POST /modems/{id}/sms` | `{"from","text"}` or `{"pdus":[hex]}` | `{}` |
//! | `POST /sms` | as above, plus `"to"`: a modem's number | `{}` |
//! | `GET /received` | | `[ReceivedMessage]` |
//! | `GET /report-outcome` | | `{"outcome"}` |
//! | `PUT /report-outcome` | `{"outcome":"delivered"\|"failed"\|"pending"}` | `{"outcome"}` |
//! | `POST /modems/{id}/faults` | a [`Fault`], e.g. `{"fault":"cms_error","code":500,"count":1}` | `{}` |
//!
//! `{id}` is `0` or `modem0`. Errors are `{"error": "..."}` with 400 (bad
//! request), 404 (no such modem or number) or 503 (simulator stopping),
//! including malformed JSON.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use bubblegate_sim::{Fault, ModemId, ReceivedMessage, ReportOutcome, SimError};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::runner::{ModemStatus, Recipient};
use crate::{SimHandle, SimulatorError};

/// The control interface's routes, served by [`crate::Simulator::start`]
/// when a control address is configured.
pub fn router(handle: SimHandle) -> Router {
    Router::new()
        .route("/modems", get(list_modems))
        .route("/modems/{id}", get(show_modem))
        .route("/modems/{id}/sms", post(inject_to_modem))
        .route("/modems/{id}/faults", post(inject_fault))
        .route("/sms", post(inject_to_number))
        .route("/received", get(received))
        .route("/report-outcome", get(report_outcome).put(set_report_outcome))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "no such route") })
        .with_state(handle)
}

/// An inbound SMS to inject: text from a sender, or raw SMS-DELIVER PDUs
/// (which carry their own sender).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InjectSms {
    /// A modem's number; only for `POST /sms`.
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    /// Hex TPDUs, e.g. the parts of a concatenated message in any order.
    #[serde(default)]
    pub pdus: Option<Vec<String>>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct OutcomeBody {
    pub outcome: ReportOutcome,
}

async fn list_modems(State(sim): State<SimHandle>) -> Result<Json<Vec<ModemStatus>>, ApiError> {
    Ok(Json(sim.modems().await?))
}

async fn show_modem(
    State(sim): State<SimHandle>,
    Path(id): Path<String>,
) -> Result<Json<ModemStatus>, ApiError> {
    let id = parse_id(&id)?;
    let modem = sim.modems().await?.into_iter().find(|m| m.info.id == id);
    modem.map(Json).ok_or_else(|| SimError::UnknownModem(id).into())
}

async fn inject_to_modem(
    State(sim): State<SimHandle>,
    Path(id): Path<String>,
    body: Result<Json<InjectSms>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(body) = body?;
    if body.to.is_some() {
        return Err(ApiError::bad_request("`to` is the modem in the path; leave it out"));
    }
    inject(&sim, Recipient::Modem(parse_id(&id)?), body).await
}

async fn inject_to_number(
    State(sim): State<SimHandle>,
    body: Result<Json<InjectSms>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(mut body) = body?;
    let to = body
        .to
        .take()
        .ok_or_else(|| ApiError::bad_request("`to` (a modem's number) is missing"))?;
    inject(&sim, Recipient::Number(to), body).await
}

async fn inject(sim: &SimHandle, to: Recipient, body: InjectSms) -> Result<Json<Value>, ApiError> {
    match (body.text, body.pdus) {
        (Some(text), None) => {
            let from = body
                .from
                .ok_or_else(|| ApiError::bad_request("`from` is missing: who sends the text?"))?;
            sim.inject_text(to, &from, &text).await?;
        }
        (None, Some(pdus)) => {
            if body.from.is_some() {
                return Err(ApiError::bad_request("`from` is in the PDUs; leave it out"));
            }
            let pdus = pdus
                .iter()
                .enumerate()
                .map(|(index, hex)| {
                    bubblegate_sms::hex::decode(hex.trim()).map_err(|err| {
                        ApiError::bad_request(format!("PDU {index} is not hex: {err}"))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            sim.inject_pdus(to, pdus).await?;
        }
        _ => return Err(ApiError::bad_request("give either `text` (with `from`) or `pdus`")),
    }
    Ok(Json(json!({})))
}

async fn received(State(sim): State<SimHandle>) -> Result<Json<Vec<ReceivedMessage>>, ApiError> {
    Ok(Json(sim.received().await?))
}

async fn report_outcome(State(sim): State<SimHandle>) -> Result<Json<OutcomeBody>, ApiError> {
    Ok(Json(OutcomeBody { outcome: sim.report_outcome().await? }))
}

async fn set_report_outcome(
    State(sim): State<SimHandle>,
    body: Result<Json<OutcomeBody>, JsonRejection>,
) -> Result<Json<OutcomeBody>, ApiError> {
    let Json(body) = body?;
    sim.set_report_outcome(body.outcome).await?;
    Ok(Json(body))
}

async fn inject_fault(
    State(sim): State<SimHandle>,
    Path(id): Path<String>,
    body: Result<Json<Fault>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(fault) = body?;
    sim.inject_fault(parse_id(&id)?, fault).await?;
    Ok(Json(json!({})))
}

/// `0` or `modem0`.
fn parse_id(text: &str) -> Result<ModemId, ApiError> {
    let digits = text.strip_prefix("modem").unwrap_or(text);
    digits
        .parse()
        .map(ModemId)
        .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, format!("no modem `{text}`")))
}

/// The one error shape of the control interface: `{"error": "..."}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into() }
    }

    fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.message }))).into_response()
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        ApiError::new(rejection.status(), rejection.body_text())
    }
}

impl From<SimError> for ApiError {
    fn from(err: SimError) -> ApiError {
        let status = match err {
            SimError::UnknownModem(_) | SimError::UnknownNumber(_) => StatusCode::NOT_FOUND,
            _ => StatusCode::BAD_REQUEST,
        };
        ApiError::new(status, err.to_string())
    }
}

impl From<SimulatorError> for ApiError {
    fn from(err: SimulatorError) -> ApiError {
        match err {
            SimulatorError::Sim(err) => err.into(),
            SimulatorError::Open(err) => ApiError::bad_request(err.to_string()),
            other => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, other.to_string()),
        }
    }
}
