//! The report: a markdown table of the relay beside the HTTP floor with
//! their ratio, and the conditions of the run; or the same as JSON.

use serde::Serialize;

use crate::run::Outcome;
use crate::stats::Spread;

/// What the run was and where.
#[derive(Debug, Clone, Serialize)]
pub struct Conditions {
    pub cores: usize,
    pub cpu: String,
    pub load_before: String,
    pub load_after: String,
    pub store: String,
    pub devices: usize,
    pub probes: usize,
    pub burst: usize,
    pub probe_gap_ms: u64,
    pub seed: u64,
    pub warm: bool,
}

/// Relay ÷ floor, for each pair the table shows.
#[derive(Debug, Clone, Serialize)]
pub struct Ratios {
    pub latency_p50: Option<f64>,
    pub latency_p99: Option<f64>,
    pub load_latency_p50: Option<f64>,
    pub load_latency_p99: Option<f64>,
    pub throughput: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub command: String,
    pub conditions: Conditions,
    pub outcome: Outcome,
    pub ratios: Ratios,
    pub complete: bool,
}

impl Report {
    pub fn new(
        command: String,
        conditions: Conditions,
        outcome: Outcome,
        complete: bool,
    ) -> Report {
        let ratio = |relay: Option<f64>, floor: Option<f64>| match (relay, floor) {
            (Some(a), Some(b)) if b > 0.0 => Some(a / b),
            _ => None,
        };
        let (idle, load) = (&outcome.idle, &outcome.load);
        let p50 = |s: Option<Spread>| s.map(|s| s.p50_ms);
        let p99 = |s: Option<Spread>| s.map(|s| s.p99_ms);
        let ratios = Ratios {
            latency_p50: ratio(p50(idle.relay), p50(idle.http)),
            latency_p99: ratio(p99(idle.relay), p99(idle.http)),
            load_latency_p50: ratio(p50(load.relay), p50(load.http)),
            load_latency_p99: ratio(p99(load.relay), p99(load.http)),
            throughput: ratio(load.relay_rate, load.http_rate),
        };
        Report { command, conditions, outcome, ratios, complete }
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    pub fn markdown(&self) -> String {
        let c = &self.conditions;
        let o = &self.outcome;
        let (idle, load, cpu, setup) = (&o.idle, &o.load, &o.cpu, &o.setup);
        let gap = match c.probe_gap_ms {
            0 => "each as soon as the previous one arrived".to_owned(),
            ms => format!("{ms} ms after the previous one arrived"),
        };
        let mut out = String::new();
        out.push_str("# Relay benchmark (bubblegate-relay-bench)\n\n");
        out.push_str(&format!("`{}`\n\n", self.command));
        out.push_str(&format!(
            "{} devices, each on its own WebSocket; {} probes one at a time, {}; a burst of {} \
             messages from all devices at once; {}; seed {}.\n",
            c.devices, c.probes, gap, c.burst, c.store, c.seed
        ));
        out.push_str(&format!(
            "Machine: {} core(s), {}; load average {} before, {} after.\n",
            c.cores, c.cpu, c.load_before, c.load_after
        ));
        let warm = match setup.warm_secs {
            Some(secs) => format!(
                "{} directory look-ups in {secs:.1} s ({}/s)",
                setup.lookups,
                per_sec(setup.lookups, secs)
            ),
            None => "no directory warm-up (`--no-warm`)".to_owned(),
        };
        out.push_str(&format!(
            "Setup: {} registrations in {:.1} s; {warm}; streams open in {:.2} s.\n\n",
            c.devices, setup.register_secs, setup.connect_secs
        ));

        out.push_str(
            "| metric | relay: device → hub → device | HTTP floor: `GET /healthz` | relay ÷ floor |\n\
             |---|---|---|---|\n",
        );
        let r = &self.ratios;
        let mut row = |metric: &str, relay: Option<f64>, floor: Option<f64>, ratio: Option<f64>| {
            out.push_str(&format!(
                "| {metric} | {} | {} | {} |\n",
                num(relay),
                num(floor),
                num(ratio)
            ));
        };
        let get = |s: Option<Spread>, f: fn(Spread) -> f64| s.map(f);
        row(
            "latency, one at a time, p50 (ms)",
            get(idle.relay, |s| s.p50_ms),
            get(idle.http, |s| s.p50_ms),
            r.latency_p50,
        );
        row(
            "latency, one at a time, p99 (ms)",
            get(idle.relay, |s| s.p99_ms),
            get(idle.http, |s| s.p99_ms),
            r.latency_p99,
        );
        row(
            "latency, one at a time, max (ms)",
            get(idle.relay, |s| s.max_ms),
            get(idle.http, |s| s.max_ms),
            None,
        );
        row(
            "latency under load, p50 (ms)",
            get(load.relay, |s| s.p50_ms),
            get(load.http, |s| s.p50_ms),
            r.load_latency_p50,
        );
        row(
            "latency under load, p99 (ms)",
            get(load.relay, |s| s.p99_ms),
            get(load.http, |s| s.p99_ms),
            r.load_latency_p99,
        );
        row(
            "latency under load, max (ms)",
            get(load.relay, |s| s.max_ms),
            get(load.http, |s| s.max_ms),
            None,
        );
        row(
            "throughput (messages or requests per s)",
            load.relay_rate,
            load.http_rate,
            r.throughput,
        );
        let per = |secs: f64, count: usize| (count > 0).then(|| secs * 1000.0 / count as f64);
        row(
            "daemon CPU per message or request (ms)",
            per(cpu.daemon_relay_secs, load.delivered),
            per(cpu.daemon_http_secs, load.requests),
            None,
        );
        row(
            "benchmark CPU per message or request (ms)",
            per(cpu.bench_relay_secs, load.delivered),
            per(cpu.bench_http_secs, load.requests),
            None,
        );
        row(
            "`send_with` call, one at a time, p50 (ms)",
            get(idle.send_call, |s| s.p50_ms),
            None,
            None,
        );
        row(
            "`send_with` call, under load, p50 (ms)",
            get(load.send_call, |s| s.p50_ms),
            None,
            None,
        );
        out.push_str(&format!(
            "| delivered (one at a time; under load) | {}/{}; {}/{} | {}/{} answered under load | |\n",
            idle.delivered, c.probes, load.delivered, c.burst, load.requests, c.burst
        ));
        out.push_str(&format!(
            "\nUnder load: {:.2} s from the first send to the last receipt, {:.3} s for the \
             requests. CPU in those windows: daemon {:.2} s (relay) and {:.2} s (requests), this \
             benchmark's devices {:.2} s and {:.2} s. Daemon resident memory after the burst: \
             {:.1} MiB.\n",
            load.relay_secs,
            load.http_secs,
            cpu.daemon_relay_secs,
            cpu.daemon_http_secs,
            cpu.bench_relay_secs,
            cpu.bench_http_secs,
            cpu.daemon_rss_mib
        ));
        if !o.notes.is_empty() {
            out.push_str("\nNotes:\n\n");
            for note in &o.notes {
                out.push_str(&format!("- {note}\n"));
            }
        }
        out
    }
}

/// A figure with three significant digits below 100 (one decimal above
/// 100, none above 10,000); `–` when there is none.
fn num(value: Option<f64>) -> String {
    match value {
        Some(v) if v.abs() >= 10_000.0 => format!("{v:.0}"),
        Some(v) if v.abs() >= 100.0 => format!("{v:.1}"),
        Some(v) if v == 0.0 || v.abs() >= 1.0 => format!("{v:.2}"),
        Some(v) => {
            let decimals = (2.0 - v.abs().log10().floor()).clamp(2.0, 6.0) as usize;
            format!("{v:.decimals$}")
        }
        None => "–".to_owned(),
    }
}

fn per_sec(count: usize, secs: f64) -> String {
    if secs > 0.0 {
        format!("{:.0}", count as f64 / secs)
    } else {
        "–".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(Some(0.123)), "0.123");
        assert_eq!(num(Some(0.0132)), "0.0132");
        assert_eq!(num(Some(1.5)), "1.50");
        assert_eq!(num(Some(0.0)), "0.00");
        assert_eq!(num(Some(123.45)), "123.5");
        assert_eq!(num(Some(12345.6)), "12346");
        assert_eq!(num(None), "–");
    }
}
