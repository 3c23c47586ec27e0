//! The daemon as the HTTP API's [`bubblegate_api::Gateway`]: submissions
//! pass the policy (destination, countries, budget), are segmented and
//! encoded, and are enqueued in one transaction, which wakes an idle
//! modem; reads map the store's records to the API's views. The hub's SMS
//! (codes, green messages, fallbacks) take the same submit path, see
//! `network.rs`.

use std::sync::atomic::Ordering;
use std::time::SystemTime;

use bubblegate_api::{
    self as api, ApiError, ErrorCode, GatewayEvent, Health, HealthStatus, NewSms, Submitted,
};
use bubblegate_store::{Cursor, Enqueued, MessageId, NewMessage};
use tokio::sync::broadcast;

use crate::daemon::Daemon;
use crate::mapping::{self, message_status};
use crate::policy::Refusal;

fn store_error(err: bubblegate_store::Error) -> ApiError {
    match err {
        bubblegate_store::Error::Unavailable(_) | bubblegate_store::Error::Busy(_) => {
            tracing::warn!(%err, "the store cannot serve an API request now");
            ApiError::unavailable("the database is busy or unavailable; try again")
        }
        bubblegate_store::Error::IdempotencyConflict { message } => ApiError::conflict(format!(
            "the idempotency key was used for another request (message {message})"
        )),
        other => ApiError::internal(other),
    }
}

fn refusal(r: Refusal) -> ApiError {
    match r {
        Refusal::BudgetSpent { .. } => ApiError::new(ErrorCode::Unavailable, r.to_string()),
        other => ApiError::invalid("to", other.to_string().trim_start_matches("the destination ")),
    }
}

/// Why [`Daemon::submit_sms`] did not queue a message.
#[derive(Debug)]
pub(crate) enum SubmitError {
    /// The destination policy or the day's budget refused it.
    Refused(Refusal),
    /// The text cannot be sent (too many segments).
    Text(String),
    Stopping,
    Store(bubblegate_store::Error),
}

impl From<SubmitError> for ApiError {
    fn from(e: SubmitError) -> ApiError {
        match e {
            SubmitError::Refused(r) => refusal(r),
            SubmitError::Text(problem) => ApiError::invalid("text", problem),
            SubmitError::Stopping => ApiError::unavailable("the gateway is shutting down"),
            SubmitError::Store(err) => store_error(err),
        }
    }
}

impl Daemon {
    /// The one submit path, for `POST /v1/sms` and the hub alike: the
    /// destination policy, segmentation, the day's budget, then the
    /// outbox (which wakes an idle modem).
    pub(crate) async fn submit_sms(&self, sms: NewSms) -> Result<Submitted, SubmitError> {
        let inner = &self.inner;
        if inner.stopping.load(Ordering::SeqCst) {
            return Err(SubmitError::Stopping);
        }
        let now = SystemTime::now();
        let to = inner.policy.check_destination(sms.to.as_str()).map_err(SubmitError::Refused)?;
        let validity = sms.validity.or(inner.outbox.default_validity);
        let composed = inner
            .composer
            .compose(to.as_str(), &sms.text, sms.delivery_report, validity)
            .map_err(|e| SubmitError::Text(e.to_string()))?;
        let segments = composed.parts.len() as u64;
        inner.policy.reserve(now, segments).map_err(SubmitError::Refused)?;
        let message = NewMessage {
            idempotency_key: sms.idempotency_key,
            destination: to.as_str().to_owned(),
            body: sms.text,
            coding: composed.coding,
            priority: sms.priority,
            delivery_report: sms.delivery_report,
            send_after: sms.send_after.map(|t| t.system_time()),
            validity,
            parts: composed.parts,
        };
        let enqueued = match inner.store.enqueue(&message, now).await {
            Ok(e) => e,
            Err(err) => {
                inner.policy.release(segments);
                return Err(SubmitError::Store(err));
            }
        };
        let Enqueued { id, created } = enqueued;
        if created {
            tracing::info!(message = %id, parts = segments, "message queued");
            tracing::trace!(to = %to.as_str(), "message is for");
            inner.publish(GatewayEvent::MessageStatus {
                id: id.to_string(),
                status: api::MessageStatus::Queued,
                part: None,
                part_state: None,
                at: api::Timestamp::now(),
            });
            return Ok(Submitted {
                id: id.to_string(),
                created,
                status: api::MessageStatus::Queued,
                parts: segments as u32,
            });
        }
        inner.policy.release(segments);
        let earlier = inner.store.message(id).await.map_err(SubmitError::Store)?;
        let (status, parts) = earlier
            .map(|m| (message_status(m.status), m.parts.len() as u32))
            .unwrap_or((api::MessageStatus::Queued, segments as u32));
        Ok(Submitted { id: id.to_string(), created, status, parts })
    }
}

#[bubblegate_api::async_trait]
impl bubblegate_api::Gateway for Daemon {
    async fn submit(&self, sms: NewSms) -> Result<Submitted, ApiError> {
        Ok(self.submit_sms(sms).await?)
    }

    async fn message(&self, id: &str) -> Result<Option<api::MessageView>, ApiError> {
        let Ok(id) = id.parse::<MessageId>() else { return Ok(None) };
        let found = self.inner.store.message(id).await.map_err(store_error)?;
        Ok(found.map(mapping::message))
    }

    async fn inbox(&self, cursor: Option<String>, limit: u32) -> Result<api::InboxPage, ApiError> {
        let cursor = cursor
            .map(|c| Cursor::parse(&c))
            .transpose()
            .map_err(|_| ApiError::invalid("cursor", "is not a cursor this server handed out"))?;
        let page =
            self.inner.store.inbox_page(cursor.as_ref(), limit).await.map_err(store_error)?;
        Ok(api::InboxPage {
            messages: page
                .messages
                .into_iter()
                .map(|m| {
                    let to = self.inner.number_of(&m.modem.0);
                    mapping::inbound(m, to)
                })
                .collect(),
            next_cursor: page.next.map(|c| c.to_string()),
        })
    }

    async fn modems(&self) -> Result<Vec<api::ModemView>, ApiError> {
        let now = SystemTime::now();
        Ok(self
            .inner
            .pool
            .modems()
            .iter()
            .map(|m| {
                let sim = api::SimView { iccid: m.sim.0.clone(), msisdn: m.number.clone() };
                mapping::modem(m.id.as_str(), &m.handle.status(), sim, m.limits, m.usage(now))
            })
            .collect())
    }

    fn events(&self) -> broadcast::Receiver<GatewayEvent> {
        self.inner.events.subscribe()
    }

    async fn health(&self) -> Health {
        let pool = &self.inner.pool;
        let total = pool.modems().len() as u32;
        let ready = pool.ready_count() as u32;
        let (status, detail) = if self.inner.stopping.load(Ordering::SeqCst) {
            (HealthStatus::Down, Some("shutting down".to_owned()))
        } else if total == 0 {
            (HealthStatus::Degraded, Some("no modems are configured; messages queue".to_owned()))
        } else if ready == 0 {
            (HealthStatus::Degraded, Some("no modem is ready; messages queue".to_owned()))
        } else if ready < total {
            (HealthStatus::Degraded, Some(format!("{} of {total} modems not ready", total - ready)))
        } else {
            (HealthStatus::Ok, None)
        };
        Health { status, modems_ready: ready, modems_total: total, queued: 0, detail }
    }
}
