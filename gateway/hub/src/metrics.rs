//! The hub's Prometheus counters, appended to the API's `GET /metrics`
//! (through [`bubblegate_api::MetricsSource`]). Every label value comes
//! from a fixed set, so the series stay bounded; nothing here names a
//! handle or a device.
//!
//! - `bubblegate_hub_envelopes_total{event="queued"|"acked"|"expired"|"cancelled"}`
//! - `bubblegate_hub_recipients_total{route="blue"|"green"|"suppressed"|"failed"}`
//! - `bubblegate_hub_blocked_drops_total`
//! - `bubblegate_hub_fallbacks_sent_total`
//! - `bubblegate_hub_fallbacks_refused_total`
//! - `bubblegate_hub_codes_sent_total{purpose="register"|"deregister"}`
//! - `bubblegate_hub_rate_limited_total{limit}`
//! - `bubblegate_hub_forwarded_sms_total`
//! - `bubblegate_hub_stream_clients` (gauge)

use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;

use bubblegate_proto::wire::Route;

/// Which abuse limit refused a request: the `limit` label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    CodeRequestsPerNumber,
    CodeRequestsPerAddress,
    CodeAttempts,
    Directory,
    Sends,
    DailyCodeBudget,
}

impl Limit {
    const ALL: [Limit; 6] = [
        Limit::CodeRequestsPerNumber,
        Limit::CodeRequestsPerAddress,
        Limit::CodeAttempts,
        Limit::Directory,
        Limit::Sends,
        Limit::DailyCodeBudget,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Limit::CodeRequestsPerNumber => "code_requests_per_number",
            Limit::CodeRequestsPerAddress => "code_requests_per_address",
            Limit::CodeAttempts => "code_attempts",
            Limit::Directory => "directory",
            Limit::Sends => "sends",
            Limit::DailyCodeBudget => "daily_code_budget",
        }
    }
}

/// What a code was sent for: the `purpose` label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Register,
    Deregister,
}

impl Purpose {
    pub fn name(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::Deregister => "deregister",
        }
    }
}

/// The counters. Shared by the routes and the timers.
#[derive(Debug, Default)]
pub struct HubMetrics {
    queued: AtomicU64,
    acked: AtomicU64,
    expired: AtomicU64,
    cancelled: AtomicU64,
    routes: [AtomicU64; 4],
    blocked: AtomicU64,
    fallbacks: AtomicU64,
    fallbacks_refused: AtomicU64,
    codes: [AtomicU64; 2],
    limited: [AtomicU64; 6],
    forwarded: AtomicU64,
    clients: AtomicI64,
}

const ROUTES: [Route; 4] = [Route::Blue, Route::Green, Route::Suppressed, Route::Failed];

fn route_name(route: Route) -> &'static str {
    match route {
        Route::Blue => "blue",
        Route::Green => "green",
        Route::Suppressed => "suppressed",
        Route::Failed => "failed",
    }
}

fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

/// Counts an open device stream while it lives.
pub struct StreamGuard(Arc<HubMetrics>);

impl Drop for StreamGuard {
    fn drop(&mut self) {
        self.0.clients.fetch_sub(1, Ordering::Relaxed);
    }
}

impl HubMetrics {
    pub fn queued(&self, n: u64) {
        add(&self.queued, n);
    }

    pub fn acked(&self, n: u64) {
        add(&self.acked, n);
    }

    pub fn expired(&self, n: u64) {
        add(&self.expired, n);
    }

    /// Envelopes deleted because their message went out as SMS instead.
    pub fn cancelled(&self, n: u64) {
        add(&self.cancelled, n);
    }

    pub fn routed(&self, route: Route) {
        let i = ROUTES.iter().position(|r| *r == route).unwrap_or(3);
        add(&self.routes[i], 1);
    }

    pub fn blocked_drop(&self) {
        add(&self.blocked, 1);
    }

    pub fn fallback_sent(&self) {
        add(&self.fallbacks, 1);
    }

    /// A fallback the SMS policy refused for good: dropped, never sent.
    pub fn fallback_refused(&self) {
        add(&self.fallbacks_refused, 1);
    }

    pub fn code_sent(&self, purpose: Purpose) {
        add(&self.codes[purpose as usize], 1);
    }

    pub fn rate_limited(&self, limit: Limit) {
        let i = Limit::ALL.iter().position(|l| *l == limit).unwrap_or(0);
        add(&self.limited[i], 1);
    }

    pub fn forwarded_sms(&self) {
        add(&self.forwarded, 1);
    }

    pub fn stream_client(self: &Arc<Self>) -> StreamGuard {
        self.clients.fetch_add(1, Ordering::Relaxed);
        StreamGuard(self.clone())
    }

    /// The exposition text of every family.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) -> std::fmt::Result {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        family(out, "bubblegate_hub_envelopes_total", "counter", "Envelopes by event.")?;
        for (event, c) in [
            ("queued", &self.queued),
            ("acked", &self.acked),
            ("expired", &self.expired),
            ("cancelled", &self.cancelled),
        ] {
            writeln!(out, "bubblegate_hub_envelopes_total{{event=\"{event}\"}} {}", get(c))?;
        }
        family(out, "bubblegate_hub_recipients_total", "counter", "Send recipients by route.")?;
        for (route, c) in ROUTES.iter().zip(&self.routes) {
            let name = route_name(*route);
            writeln!(out, "bubblegate_hub_recipients_total{{route=\"{name}\"}} {}", get(c))?;
        }
        family(
            out,
            "bubblegate_hub_blocked_drops_total",
            "counter",
            "Recipients who blocked the sender: answered blue, dropped.",
        )?;
        writeln!(out, "bubblegate_hub_blocked_drops_total {}", get(&self.blocked))?;
        family(
            out,
            "bubblegate_hub_fallbacks_sent_total",
            "counter",
            "Blue messages sent as SMS after no device acked in time, or on deregistration.",
        )?;
        writeln!(out, "bubblegate_hub_fallbacks_sent_total {}", get(&self.fallbacks))?;
        family(
            out,
            "bubblegate_hub_fallbacks_refused_total",
            "counter",
            "Fallbacks the SMS policy refused: dropped, never sent.",
        )?;
        writeln!(out, "bubblegate_hub_fallbacks_refused_total {}", get(&self.fallbacks_refused))?;
        family(out, "bubblegate_hub_codes_sent_total", "counter", "Verification codes sent.")?;
        for (purpose, c) in [Purpose::Register, Purpose::Deregister].iter().zip(&self.codes) {
            let name = purpose.name();
            writeln!(out, "bubblegate_hub_codes_sent_total{{purpose=\"{name}\"}} {}", get(c))?;
        }
        family(
            out,
            "bubblegate_hub_rate_limited_total",
            "counter",
            "Requests refused by an abuse limit (429).",
        )?;
        for (limit, c) in Limit::ALL.iter().zip(&self.limited) {
            let name = limit.name();
            writeln!(out, "bubblegate_hub_rate_limited_total{{limit=\"{name}\"}} {}", get(c))?;
        }
        family(
            out,
            "bubblegate_hub_forwarded_sms_total",
            "counter",
            "SMS received on an owned SIM and sealed to its owner's devices.",
        )?;
        writeln!(out, "bubblegate_hub_forwarded_sms_total {}", get(&self.forwarded))?;
        family(out, "bubblegate_hub_stream_clients", "gauge", "Open device WebSockets.")?;
        writeln!(out, "bubblegate_hub_stream_clients {}", self.clients.load(Ordering::Relaxed))
    }
}

impl bubblegate_api::MetricsSource for HubMetrics {
    fn render(&self, out: &mut String) {
        out.push_str(&self.render_text());
    }
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) -> std::fmt::Result {
    writeln!(out, "# HELP {name} {help}")?;
    writeln!(out, "# TYPE {name} {kind}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_render_in_their_families() {
        let m = Arc::new(HubMetrics::default());
        m.queued(3);
        m.routed(Route::Green);
        m.code_sent(Purpose::Deregister);
        m.rate_limited(Limit::Sends);
        let guard = m.stream_client();
        let text = m.render_text();
        assert!(text.contains("bubblegate_hub_envelopes_total{event=\"queued\"} 3\n"), "{text}");
        assert!(text.contains("bubblegate_hub_recipients_total{route=\"green\"} 1\n"));
        assert!(text.contains("bubblegate_hub_codes_sent_total{purpose=\"deregister\"} 1\n"));
        assert!(text.contains("bubblegate_hub_rate_limited_total{limit=\"sends\"} 1\n"));
        assert!(text.contains("bubblegate_hub_stream_clients 1\n"));
        drop(guard);
        assert!(m.render_text().contains("bubblegate_hub_stream_clients 0\n"));
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let name = line.split(['{', ' ']).next().unwrap();
            assert!(text.contains(&format!("# TYPE {name} ")), "{line}");
        }
    }
}
