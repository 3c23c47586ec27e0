//! `POST /v1/sms` and `GET /v1/sms/{id}`. Submission validates the request
//! into a [`NewSms`] here, so the gateway only ever sees checked input.

use std::time::{Duration, SystemTime};

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::AppState;
use crate::error::ApiError;
use crate::types::{limits, MessageView, NewSms, SmsRequest, E164};

pub(super) async fn submit(
    State(state): State<AppState>,
    body: Result<Json<SmsRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(request) = body?;
    let sms = validate(request, state.cfg.default_region.as_deref(), SystemTime::now())?;
    tracing::trace!(to = %sms.to, text = %sms.text, "submitting an SMS");
    let submitted = state.gw.submit(sms).await?;
    state.metrics.submitted(submitted.created);
    tracing::debug!(id = %submitted.id, created = submitted.created, "SMS accepted");
    let status = if submitted.created { StatusCode::CREATED } else { StatusCode::OK };
    let mut response = (status, Json(&submitted)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/v1/sms/{}", submitted.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

pub(super) async fn show(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<MessageView>, ApiError> {
    let Path(id) = id?;
    // Ids are UUIDs; anything else cannot name a message and is not worth
    // a trip to the store.
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(ApiError::not_found("no such message"));
    }
    state.gw.message(&id).await?.map(Json).ok_or_else(|| ApiError::not_found("no such message"))
}

/// Checks a submission and turns it into what the gateway takes. `now`
/// decides whether `send_after` is in the future; errors name the field.
pub fn validate(
    request: SmsRequest,
    default_region: Option<&str>,
    now: SystemTime,
) -> Result<NewSms, ApiError> {
    let to =
        E164::parse(&request.to, default_region).map_err(|why| ApiError::invalid("to", why))?;

    let chars = request.text.chars().count();
    if chars == 0 {
        return Err(ApiError::invalid("text", "is empty"));
    }
    if chars > limits::MAX_TEXT_CHARS {
        return Err(ApiError::invalid(
            "text",
            format!("has {chars} characters; at most {} are allowed", limits::MAX_TEXT_CHARS),
        ));
    }
    if request.text.contains('\0') {
        return Err(ApiError::invalid("text", "contains a NUL character"));
    }

    if let Some(key) = &request.idempotency_key {
        let printable = key.bytes().all(|b| b.is_ascii_graphic());
        if key.is_empty() || key.len() > limits::MAX_IDEMPOTENCY_KEY || !printable {
            return Err(ApiError::invalid(
                "idempotency_key",
                format!("must be 1 to {} printable ASCII characters", limits::MAX_IDEMPOTENCY_KEY),
            ));
        }
    }

    let validity = match request.validity {
        None => None,
        Some(secs) if (limits::MIN_VALIDITY_SECS..=limits::MAX_VALIDITY_SECS).contains(&secs) => {
            Some(Duration::from_secs(secs))
        }
        Some(_) => {
            return Err(ApiError::invalid(
                "validity",
                format!(
                    "must be {} to {} seconds",
                    limits::MIN_VALIDITY_SECS,
                    limits::MAX_VALIDITY_SECS
                ),
            ))
        }
    };

    let priority = request.priority.unwrap_or(0);
    if !(limits::MIN_PRIORITY..=limits::MAX_PRIORITY).contains(&priority) {
        return Err(ApiError::invalid(
            "priority",
            format!("must be {} to {}", limits::MIN_PRIORITY, limits::MAX_PRIORITY),
        ));
    }

    let send_after = match request.send_after {
        Some(t) if t.system_time() > now => {
            let ahead = t.system_time().duration_since(now).unwrap_or_default();
            if ahead > Duration::from_secs(limits::MAX_SEND_AFTER_SECS) {
                return Err(ApiError::invalid(
                    "send_after",
                    format!("is more than {} days ahead", limits::MAX_SEND_AFTER_SECS / 86_400),
                ));
            }
            Some(t)
        }
        // A time in the past means "now".
        _ => None,
    };
    if let (Some(validity), Some(after)) = (validity, send_after) {
        // The message would expire before it may be sent.
        let ahead = after.system_time().duration_since(now).unwrap_or_default();
        if ahead >= validity {
            return Err(ApiError::invalid("send_after", "is after the message's validity ends"));
        }
    }

    Ok(NewSms {
        to,
        text: request.text,
        idempotency_key: request.idempotency_key,
        validity,
        priority,
        delivery_report: request.delivery_report.unwrap_or(true),
        send_after,
    })
}
