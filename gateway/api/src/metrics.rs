//! The API's Prometheus metrics, in the text exposition format (0.0.4),
//! written by hand: a handful of counters and gauges do not need a
//! metrics library.
//!
//! - `bubblegate_http_requests_total{route,method,status}`: `route` is the
//!   matched template (`/v1/sms/{id}`) or `unmatched`, so label values
//!   are bounded.
//! - `bubblegate_sms_submitted_total{result="created"|"duplicate"}`
//! - `bubblegate_events_sent_total{type}`: events written to WebSockets.
//! - `bubblegate_event_stream_clients`: open WebSockets.
//! - `bubblegate_webhook_deliveries_total{result="delivered"|"retried"|"failed"|"dropped"}`
//! - from the gateway's health at scrape time: `bubblegate_up`,
//!   `bubblegate_modems_ready`, `bubblegate_modems`,
//!   `bubblegate_messages_queued`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::types::{Health, HealthStatus};

pub(crate) const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Webhook delivery outcomes, the `result` label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Delivery {
    Delivered,
    Retried,
    Failed,
    Dropped,
}

impl Delivery {
    fn name(self) -> &'static str {
        match self {
            Delivery::Delivered => "delivered",
            Delivery::Retried => "retried",
            Delivery::Failed => "failed",
            Delivery::Dropped => "dropped",
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    created: AtomicU64,
    duplicate: AtomicU64,
    events: Mutex<BTreeMap<&'static str, u64>>,
    clients: AtomicI64,
    webhooks: Mutex<BTreeMap<Delivery, u64>>,
}

/// Counts an open WebSocket while it lives.
pub(crate) struct ClientGuard(Arc<Metrics>);

impl Drop for ClientGuard {
    fn drop(&mut self) {
        self.0.clients.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Metrics {
    pub fn request(&self, route: &str, method: &str, status: u16) {
        let mut map = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        *map.entry((route.to_owned(), method.to_owned(), status)).or_default() += 1;
    }

    pub fn submitted(&self, created: bool) {
        let counter = if created { &self.created } else { &self.duplicate };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn event_sent(&self, kind: &'static str) {
        let mut map = self.events.lock().unwrap_or_else(PoisonError::into_inner);
        *map.entry(kind).or_default() += 1;
    }

    pub fn ws_client(self: &Arc<Self>) -> ClientGuard {
        self.clients.fetch_add(1, Ordering::Relaxed);
        ClientGuard(self.clone())
    }

    pub fn webhook(&self, outcome: Delivery) {
        let mut map = self.webhooks.lock().unwrap_or_else(PoisonError::into_inner);
        *map.entry(outcome).or_default() += 1;
    }

    /// The exposition text.
    pub fn render(&self, health: Option<&Health>) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write(&mut out, health);
        out
    }

    fn write(&self, out: &mut String, health: Option<&Health>) -> std::fmt::Result {
        header(
            out,
            "bubblegate_http_requests_total",
            "counter",
            "HTTP requests answered, by route template, method and status.",
        )?;
        for ((route, method, status), n) in
            self.requests.lock().unwrap_or_else(PoisonError::into_inner).iter()
        {
            writeln!(
                out,
                "bubblegate_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                escape(route),
                escape(method)
            )?;
        }
        header(
            out,
            "bubblegate_sms_submitted_total",
            "counter",
            "SMS submissions accepted, new or matched by idempotency key.",
        )?;
        writeln!(
            out,
            "bubblegate_sms_submitted_total{{result=\"created\"}} {}",
            self.created.load(Ordering::Relaxed)
        )?;
        writeln!(
            out,
            "bubblegate_sms_submitted_total{{result=\"duplicate\"}} {}",
            self.duplicate.load(Ordering::Relaxed)
        )?;
        header(
            out,
            "bubblegate_events_sent_total",
            "counter",
            "Events written to WebSocket clients, by type.",
        )?;
        for (kind, n) in self.events.lock().unwrap_or_else(PoisonError::into_inner).iter() {
            writeln!(out, "bubblegate_events_sent_total{{type=\"{kind}\"}} {n}")?;
        }
        header(out, "bubblegate_event_stream_clients", "gauge", "Open WebSocket event streams.")?;
        writeln!(out, "bubblegate_event_stream_clients {}", self.clients.load(Ordering::Relaxed))?;
        header(
            out,
            "bubblegate_webhook_deliveries_total",
            "counter",
            "Webhook delivery attempts by outcome.",
        )?;
        for (outcome, n) in self.webhooks.lock().unwrap_or_else(PoisonError::into_inner).iter() {
            writeln!(
                out,
                "bubblegate_webhook_deliveries_total{{result=\"{}\"}} {n}",
                outcome.name()
            )?;
        }
        if let Some(h) = health {
            header(
                out,
                "bubblegate_up",
                "gauge",
                "1 when the gateway can take messages (ok or degraded).",
            )?;
            writeln!(out, "bubblegate_up {}", u8::from(h.status != HealthStatus::Down))?;
            header(out, "bubblegate_modems", "gauge", "Modems known.")?;
            writeln!(out, "bubblegate_modems {}", h.modems_total)?;
            header(out, "bubblegate_modems_ready", "gauge", "Modems ready to send.")?;
            writeln!(out, "bubblegate_modems_ready {}", h.modems_ready)?;
            header(
                out,
                "bubblegate_messages_queued",
                "gauge",
                "Outbound messages waiting to be sent.",
            )?;
            writeln!(out, "bubblegate_messages_queued {}", h.queued)?;
        }
        Ok(())
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) -> std::fmt::Result {
    writeln!(out, "# HELP {name} {help}")?;
    writeln!(out, "# TYPE {name} {kind}")
}

/// Label values escape `\`, `"` and newlines.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Middleware counting every answer, including errors, 404s and 401s.
pub(crate) async fn track(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    metrics.request(&route, &method, response.status().as_u16());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_exposition_format() {
        let m = Arc::new(Metrics::default());
        m.request("/v1/sms", "POST", 201);
        m.request("/v1/sms", "POST", 201);
        m.request("unmatched", "GET", 404);
        m.submitted(true);
        m.event_sent("inbound");
        m.webhook(Delivery::Retried);
        let guard = m.ws_client();
        let text = m.render(None);
        assert!(text.contains("bubblegate_http_requests_total{route=\"/v1/sms\",method=\"POST\",status=\"201\"} 2\n"), "{text}");
        assert!(text.contains("bubblegate_sms_submitted_total{result=\"created\"} 1\n"));
        assert!(text.contains("bubblegate_events_sent_total{type=\"inbound\"} 1\n"));
        assert!(text.contains("bubblegate_event_stream_clients 1\n"));
        assert!(text.contains("bubblegate_webhook_deliveries_total{result=\"retried\"} 1\n"));
        drop(guard);
        assert!(m.render(None).contains("bubblegate_event_stream_clients 0\n"));
        // Every sample line belongs to a declared family.
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let name = line.split(['{', ' ']).next().unwrap();
            assert!(text.contains(&format!("# TYPE {name} ")), "{line}");
        }
    }

    #[test]
    fn escapes_label_values() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
