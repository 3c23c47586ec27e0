//! Webhooks: every [`GatewayEvent`] is POSTed as JSON to each configured
//! URL, signed with HMAC-SHA256, and retried with exponential backoff up
//! to a bound.
//!
//! The API never waits for a receiver. One task reads the gateway's
//! broadcast and puts each event on a bounded queue per webhook; a worker
//! per webhook delivers them in order. A full queue drops the new event
//! (counted in `bubblegate_webhook_deliveries_total{result="dropped"}`),
//! so a dead receiver costs bounded memory and never slows the others.
//! Deliveries live in memory only: events not yet delivered when the
//! daemon stops are lost, and receivers should reconcile through
//! `GET /v1/sms/{id}` and `GET /v1/inbox` after an outage.
//!
//! ## Signature
//!
//! Each attempt carries
//!
//! - `Bubblegate-Timestamp`: Unix seconds when the attempt was signed;
//! - `Bubblegate-Signature`: `v1=` and the lower-case hex HMAC-SHA256,
//!   keyed with the webhook's secret, of `"{timestamp}.{body}"`;
//! - `Bubblegate-Event`: the event's `type`;
//! - `Bubblegate-Delivery`: an id that stays the same across retries of
//!   one delivery, for deduplication.
//!
//! A receiver recomputes the HMAC over the raw body bytes, compares in
//! constant time, and rejects timestamps more than five minutes from its
//! clock ([`verify`] does all three). Any 2xx answer counts as delivered;
//! anything else, or no answer within the timeout, is retried.
//!
//! Webhook URLs are plain `http://` for now: the body is signed, so a
//! receiver can trust what it gets, but it is not encrypted in transit.
//! Point webhooks at receivers on the same host or a trusted network. TLS
//! would bring a whole TLS stack into a daemon meant for a Raspberry Pi;
//! it can follow behind a local TLS-terminating proxy or a feature flag.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::http::{HeaderName, HeaderValue, Method};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::broadcast::Receiver;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::{ApiConfig, RetryPolicy};
use crate::http1::{self, HttpUrl};
use crate::metrics::{Delivery, Metrics};
use crate::types::GatewayEvent;

pub const TIMESTAMP_HEADER: &str = "bubblegate-timestamp";
pub const SIGNATURE_HEADER: &str = "bubblegate-signature";
pub const EVENT_HEADER: &str = "bubblegate-event";
pub const DELIVERY_HEADER: &str = "bubblegate-delivery";
/// How far a signed timestamp may be from the receiver's clock.
pub const TOLERANCE: Duration = Duration::from_secs(300);

type HmacSha256 = Hmac<Sha256>;

/// The `Bubblegate-Signature` value for a body signed at `timestamp`.
pub fn sign(secret: &[u8], timestamp: u64, body: &[u8]) -> String {
    let mut mac = keyed(secret);
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1={}", hex(&mac.finalize().into_bytes()))
}

fn keyed(secret: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    match HmacSha256::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of every length"),
    }
}

/// Why a webhook request does not verify.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VerifyError {
    #[error("the timestamp header is missing or not a number")]
    BadTimestamp,
    #[error("the timestamp is more than five minutes from now")]
    Stale,
    #[error("the signature does not match")]
    BadSignature,
}

/// Checks a webhook request as a receiver should: `timestamp` and
/// `signature` are the header values, `body` the raw bytes, `now` the
/// receiver's clock.
pub fn verify(
    secret: &[u8],
    timestamp: &str,
    signature: &str,
    body: &[u8],
    now: SystemTime,
) -> Result<(), VerifyError> {
    let ts: u64 = timestamp.trim().parse().map_err(|_| VerifyError::BadTimestamp)?;
    let now = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    if now.abs_diff(ts) > TOLERANCE.as_secs() {
        return Err(VerifyError::Stale);
    }
    let expected = sign(secret, ts, body);
    if expected.as_bytes().ct_eq(signature.trim().as_bytes()).into() {
        Ok(())
    } else {
        Err(VerifyError::BadSignature)
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// One event, serialized once, on its way to one webhook.
#[derive(Clone, Debug)]
struct Job {
    id: String,
    kind: &'static str,
    body: Bytes,
}

/// The running webhook tasks.
pub struct Hooks {
    tracker: TaskTracker,
}

impl Hooks {
    /// Waits until every webhook task has stopped (after shutdown).
    pub async fn wait(self) {
        self.tracker.close();
        self.tracker.wait().await;
    }
}

/// Starts delivering `events` to the configured webhooks until `shutdown`.
/// Webhooks whose URL does not parse are skipped with an error in the log
/// ([`ApiConfig::validate`] reports them at start).
pub(crate) fn spawn(
    events: Receiver<GatewayEvent>,
    cfg: &ApiConfig,
    shutdown: CancellationToken,
    metrics: Arc<Metrics>,
) -> Hooks {
    let tracker = TaskTracker::new();
    let mut queues = Vec::new();
    for (i, hook) in cfg.webhooks.iter().enumerate() {
        let url = match HttpUrl::parse(&hook.url) {
            Ok(url) => url,
            Err(problem) => {
                tracing::error!(webhook = i, problem, "webhook URL unusable; skipped");
                continue;
            }
        };
        let (tx, rx) = mpsc::channel(cfg.webhook_retry.queue.max(1));
        let worker = Worker {
            index: i,
            url,
            secret: hook.secret.clone().into_bytes(),
            policy: cfg.webhook_retry,
            metrics: metrics.clone(),
            shutdown: shutdown.clone(),
        };
        tracker.spawn(worker.run(rx));
        queues.push((i, tx));
    }
    if !queues.is_empty() {
        tracker.spawn(fan_out(events, queues, shutdown, metrics));
    }
    Hooks { tracker }
}

/// Reads the broadcast and queues each event for every webhook.
async fn fan_out(
    mut events: Receiver<GatewayEvent>,
    queues: Vec<(usize, mpsc::Sender<Job>)>,
    shutdown: CancellationToken,
    metrics: Arc<Metrics>,
) {
    let started = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis();
    let mut seq: u64 = 0;
    loop {
        let event = tokio::select! {
            () = shutdown.cancelled() => break,
            event = events.recv() => event,
        };
        let event = match event {
            Ok(GatewayEvent::Lagged { .. }) => continue,
            Ok(event) => event,
            Err(RecvError::Lagged(missed)) => {
                tracing::warn!(
                    missed,
                    "webhooks fell behind the gateway's events; some were not sent"
                );
                for _ in 0..missed.saturating_mul(queues.len() as u64).min(1_000_000) {
                    metrics.webhook(Delivery::Dropped);
                }
                continue;
            }
            Err(RecvError::Closed) => break,
        };
        let body = match serde_json::to_vec(&event) {
            Ok(body) => Bytes::from(body),
            Err(e) => {
                tracing::error!(error = %e, "cannot serialize an event for webhooks");
                continue;
            }
        };
        seq += 1;
        let job = Job { id: format!("{started:x}-{seq}"), kind: event.kind(), body };
        for (i, queue) in &queues {
            if queue.try_send(job.clone()).is_err() {
                tracing::warn!(webhook = i, "webhook queue full; event dropped");
                metrics.webhook(Delivery::Dropped);
            }
        }
    }
}

struct Worker {
    index: usize,
    url: HttpUrl,
    secret: Vec<u8>,
    policy: RetryPolicy,
    metrics: Arc<Metrics>,
    shutdown: CancellationToken,
}

impl Worker {
    async fn run(self, mut jobs: mpsc::Receiver<Job>) {
        loop {
            let job = tokio::select! {
                () = self.shutdown.cancelled() => break,
                job = jobs.recv() => match job {
                    Some(job) => job,
                    None => break,
                },
            };
            tokio::select! {
                () = self.shutdown.cancelled() => {
                    tracing::info!(webhook = self.index, delivery = %job.id, "shutdown; webhook delivery abandoned");
                    break;
                }
                () = self.deliver(&job) => {}
            }
        }
    }

    /// Tries one job up to the policy's bound.
    async fn deliver(&self, job: &Job) {
        for attempt in 1..=self.policy.attempts {
            match self.attempt(job).await {
                Ok(()) => {
                    self.metrics.webhook(Delivery::Delivered);
                    tracing::debug!(webhook = self.index, delivery = %job.id, attempt, "webhook delivered");
                    return;
                }
                Err(why) if attempt < self.policy.attempts => {
                    let wait = self.policy.delay_after(attempt);
                    self.metrics.webhook(Delivery::Retried);
                    tracing::debug!(webhook = self.index, delivery = %job.id, attempt, %why, ?wait, "webhook attempt failed; retrying");
                    tokio::time::sleep(wait).await;
                }
                Err(why) => {
                    self.metrics.webhook(Delivery::Failed);
                    tracing::warn!(webhook = self.index, delivery = %job.id, attempts = attempt, %why, "webhook delivery failed; giving up");
                }
            }
        }
    }

    async fn attempt(&self, job: &Job) -> Result<(), String> {
        let timestamp = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let signature = sign(&self.secret, timestamp, &job.body);
        let value = |s: &str| HeaderValue::from_str(s).map_err(|e| e.to_string());
        let headers = [
            (HeaderName::from_static(TIMESTAMP_HEADER), value(&timestamp.to_string())?),
            (HeaderName::from_static(SIGNATURE_HEADER), value(&signature)?),
            (HeaderName::from_static(EVENT_HEADER), HeaderValue::from_static(job.kind)),
            (HeaderName::from_static(DELIVERY_HEADER), value(&job.id)?),
        ];
        let answer = http1::exchange(
            &self.url,
            Method::POST,
            &headers,
            Some((job.body.clone(), "application/json")),
            self.policy.timeout,
        )
        .await
        .map_err(|e| e.to_string())?;
        if answer.status.is_success() {
            Ok(())
        } else {
            Err(format!("answered {}", answer.status))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_timestamp_dot_body() {
        // RFC 4231 does not cover this framing; the value is pinned so a
        // change to the signed string is caught.
        let sig = sign(b"whsec-0123456789", 1_700_000_000, b"{\"type\":\"inbound\"}");
        let mut mac = keyed(b"whsec-0123456789");
        mac.update(b"1700000000.{\"type\":\"inbound\"}");
        assert_eq!(sig, format!("v1={}", hex(&mac.finalize().into_bytes())));
        assert_eq!(sig.len(), 3 + 64);
    }

    #[test]
    fn verifies_like_a_receiver() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let sig = sign(b"secret", 1_700_000_000, b"body");
        assert_eq!(verify(b"secret", "1700000000", &sig, b"body", now), Ok(()));
        assert_eq!(
            verify(b"secret", "1700000000", &sig, b"body!", now),
            Err(VerifyError::BadSignature)
        );
        assert_eq!(
            verify(b"other", "1700000000", &sig, b"body", now),
            Err(VerifyError::BadSignature)
        );
        assert_eq!(
            verify(b"secret", "1700000001", &sig, b"body", now),
            Err(VerifyError::BadSignature)
        );
        assert_eq!(verify(b"secret", "x", &sig, b"body", now), Err(VerifyError::BadTimestamp));
        let later = now + TOLERANCE + Duration::from_secs(1);
        assert_eq!(verify(b"secret", "1700000000", &sig, b"body", later), Err(VerifyError::Stale));
    }

    #[test]
    fn hex_is_lower_case() {
        assert_eq!(hex(&[0x00, 0xab, 0xff, 0x10]), "00abff10");
    }
}
