//! The results: one [`Outcome`] per system and modem count, and the report
//! that puts both systems side by side with their ratio, as a markdown
//! table (for `BENCHMARKS.md`) or as JSON.

use serde::Serialize;

use crate::measure::Spread;
use crate::process::Usage;

/// A system under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum System {
    Bubblegate,
    Gammu,
}

impl System {
    pub fn name(self) -> &'static str {
        match self {
            System::Bubblegate => "Bubblegate",
            System::Gammu => "gammu-smsd",
        }
    }

    /// For directory names.
    pub fn slug(self) -> &'static str {
        match self {
            System::Bubblegate => "bubblegate",
            System::Gammu => "gammu",
        }
    }
}

/// AT traffic of an idle system.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Idle {
    pub secs: f64,
    /// AT command lines over all modems.
    pub commands: u64,
    pub modems: usize,
    /// CPU time the system used in the window, over all its processes.
    pub cpu_secs: f64,
}

impl Idle {
    pub fn per_minute_per_modem(&self) -> f64 {
        if self.secs <= 0.0 || self.modems == 0 {
            return 0.0;
        }
        self.commands as f64 * 60.0 / self.secs / self.modems as f64
    }

    /// CPU milliseconds per minute of idling, for the whole system.
    pub fn cpu_ms_per_minute(&self) -> f64 {
        if self.secs <= 0.0 {
            return 0.0;
        }
        self.cpu_secs * 1000.0 * 60.0 / self.secs
    }
}

/// What one measurement found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub system: System,
    pub modems: usize,
    /// Enqueue to `AT+CMGS` of single messages on an idle system, seconds.
    pub probe_latency: Option<Spread>,
    /// Enqueue to `AT+CMGS` of the burst's messages, seconds.
    pub burst_latency: Option<Spread>,
    /// How long handing one message over took (the API call, or writing
    /// the outbox file), milliseconds, over probes and burst.
    pub enqueue_call_ms: Option<Spread>,
    /// Burst messages per second, first enqueue to last `+CMGS` answer.
    pub throughput: Option<f64>,
    /// Burst messages per second, first `AT+CMGS` to last answer: the
    /// sending pipeline without the wait before it starts.
    pub send_rate: Option<f64>,
    pub idle: Option<Idle>,
    /// After the burst, summed over the system's processes.
    pub usage: Usage,
    /// CPU time from the burst's first enqueue to its last delivery.
    pub cpu_burst_secs: f64,
    pub delivered: usize,
    pub expected: usize,
    pub notes: Vec<String>,
}

/// The whole run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub command: String,
    pub conditions: Conditions,
    pub outcomes: Vec<Outcome>,
    /// Measurements that failed, with the reason.
    pub failures: Vec<String>,
}

/// The machine and the parameters, for reading the figures.
#[derive(Debug, Clone, Serialize)]
pub struct Conditions {
    pub cores: usize,
    pub load_before: String,
    pub load_after: String,
    pub gammu_version: String,
    pub profile: String,
    pub radio_ms: u64,
    pub messages: usize,
    pub probes: usize,
    pub probe_gap_ms: u64,
    pub modem_counts: Vec<usize>,
}

/// How a row reads a figure from an outcome.
type Pick = fn(&Outcome, &[Outcome]) -> Option<f64>;

impl Report {
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// The side-by-side table, with the conditions above it.
    pub fn markdown(&self) -> String {
        let c = &self.conditions;
        let mut out = format!(
            "`{}`\n\n{} cores, load average {} before and {} after; {}; \
             profile `{}`, radio time {} ms, {} probe(s) {} ms apart, burst of {} message(s).\n\n",
            self.command,
            c.cores,
            c.load_before,
            c.load_after,
            c.gammu_version,
            c.profile,
            c.radio_ms,
            c.probes,
            c.probe_gap_ms,
            c.messages
        );
        out.push_str("| metric | modems | Bubblegate | gammu-smsd | Bubblegate / gammu-smsd |\n");
        out.push_str("|---|---|---|---|---|\n");
        let rows: [(&str, Pick, usize); 19] = [
            ("latency, idle system, p50 (s)", |o, _| o.probe_latency.map(|s| s.p50), 2),
            ("latency, idle system, p95 (s)", |o, _| o.probe_latency.map(|s| s.p95), 2),
            ("latency, idle system, max (s)", |o, _| o.probe_latency.map(|s| s.max), 2),
            ("latency in the burst, p50 (s)", |o, _| o.burst_latency.map(|s| s.p50), 2),
            ("latency in the burst, p95 (s)", |o, _| o.burst_latency.map(|s| s.p95), 2),
            ("latency in the burst, max (s)", |o, _| o.burst_latency.map(|s| s.max), 2),
            ("enqueue call, p50 (ms)", |o, _| o.enqueue_call_ms.map(|s| s.p50), 2),
            ("enqueue call, max (ms)", |o, _| o.enqueue_call_ms.map(|s| s.max), 2),
            ("throughput, enqueue → last +CMGS (msg/s)", |o, _| o.throughput, 2),
            ("throughput vs 1 modem (×)", |o, all| scaling(o, all, |x| x.throughput), 2),
            ("send rate, first AT+CMGS → last (msg/s)", |o, _| o.send_rate, 2),
            ("send rate vs 1 modem (×)", |o, all| scaling(o, all, |x| x.send_rate), 2),
            (
                "idle AT commands per minute per modem",
                |o, _| o.idle.map(|i| i.per_minute_per_modem()),
                1,
            ),
            ("resident memory after the burst, VmRSS (MiB)", |o, _| Some(mib(o.usage.rss_kib)), 1),
            ("peak resident memory, VmHWM (MiB)", |o, _| Some(mib(o.usage.hwm_kib)), 1),
            (
                "proportional memory after the burst, PSS (MiB)",
                |o, _| Some(mib(o.usage.pss_kib)),
                1,
            ),
            ("CPU time in the burst (s)", |o, _| Some(o.cpu_burst_secs), 2),
            (
                "CPU time while idle (ms per minute)",
                |o, _| o.idle.map(|i| i.cpu_ms_per_minute()),
                1,
            ),
            ("CPU time, start to end of the burst (s)", |o, _| Some(o.usage.cpu_secs), 2),
        ];
        for (label, pick, digits) in rows {
            for &k in &c.modem_counts {
                let bg = self.find(System::Bubblegate, k).and_then(|o| pick(o, &self.outcomes));
                let gm = self.find(System::Gammu, k).and_then(|o| pick(o, &self.outcomes));
                if bg.is_none() && gm.is_none() {
                    continue;
                }
                out.push_str(&format!(
                    "| {label} | {k} | {} | {} | {} |\n",
                    figure(bg, digits),
                    figure(gm, digits),
                    ratio(bg, gm)
                ));
            }
        }
        for &k in &c.modem_counts {
            let cell = |s| {
                self.find(s, k)
                    .map_or("–".to_owned(), |o| format!("{}/{}", o.delivered, o.expected))
            };
            out.push_str(&format!(
                "| delivered | {k} | {} | {} | |\n",
                cell(System::Bubblegate),
                cell(System::Gammu)
            ));
        }
        let notes: Vec<String> = self
            .outcomes
            .iter()
            .flat_map(|o| {
                o.notes.iter().map(move |n| format!("{} with {}: {n}", o.system.name(), o.modems))
            })
            .chain(self.failures.iter().cloned())
            .collect();
        if !notes.is_empty() {
            out.push('\n');
            for note in notes {
                out.push_str(&format!("- {note}\n"));
            }
        }
        out
    }

    fn find(&self, system: System, modems: usize) -> Option<&Outcome> {
        self.outcomes.iter().find(|o| o.system == system && o.modems == modems)
    }
}

/// A figure relative to the same system's 1-modem figure.
fn scaling(o: &Outcome, all: &[Outcome], pick: fn(&Outcome) -> Option<f64>) -> Option<f64> {
    if o.modems == 1 {
        return None;
    }
    let one = all.iter().find(|x| x.system == o.system && x.modems == 1)?;
    let (value, base) = (pick(o)?, pick(one)?);
    (base > 0.0).then(|| value / base)
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn figure(value: Option<f64>, digits: usize) -> String {
    value.map_or("–".to_owned(), |v| format!("{v:.digits$}"))
}

/// Bubblegate over gammu-smsd, with enough digits for small ratios.
fn ratio(bg: Option<f64>, gm: Option<f64>) -> String {
    match (bg, gm) {
        (Some(a), Some(b)) if b != 0.0 => {
            let r = a / b;
            if r != 0.0 && r.abs() < 0.01 {
                format!("{r:.4}")
            } else {
                format!("{r:.2}")
            }
        }
        (Some(_), Some(_)) => "∞".to_owned(),
        _ => "–".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(system: System, modems: usize, throughput: f64) -> Outcome {
        Outcome {
            system,
            modems,
            probe_latency: Spread::of(&[0.1, 0.2]),
            burst_latency: None,
            enqueue_call_ms: None,
            throughput: Some(throughput),
            send_rate: None,
            idle: (modems == 2).then_some(Idle {
                secs: 30.0,
                commands: 6,
                modems: 2,
                cpu_secs: 0.5,
            }),
            usage: Usage { rss_kib: 2048, hwm_kib: 4096, pss_kib: 1024, cpu_secs: 1.5 },
            cpu_burst_secs: 1.0,
            delivered: 10,
            expected: 10,
            notes: vec![],
        }
    }

    #[test]
    fn idle_rate_is_per_minute_per_modem() {
        let idle = Idle { secs: 30.0, commands: 6, modems: 2, cpu_secs: 0.5 };
        assert_eq!(idle.per_minute_per_modem(), 6.0);
        assert_eq!(idle.cpu_ms_per_minute(), 1000.0);
    }

    #[test]
    fn table_shows_both_systems_ratios_and_scaling() {
        let report = Report {
            command: "bubblegate-bench".into(),
            conditions: Conditions {
                cores: 2,
                load_before: "1.00".into(),
                load_after: "1.50".into(),
                gammu_version: "gammu-smsd 1.42.0".into(),
                profile: "simcom-sim800".into(),
                radio_ms: 500,
                messages: 10,
                probes: 2,
                probe_gap_ms: 7000,
                modem_counts: vec![1, 2],
            },
            outcomes: vec![
                outcome(System::Bubblegate, 1, 1.0),
                outcome(System::Gammu, 1, 0.5),
                outcome(System::Bubblegate, 2, 2.0),
                outcome(System::Gammu, 2, 0.8),
            ],
            failures: vec![],
        };
        let table = report.markdown();
        assert!(
            table.contains("| throughput, enqueue → last +CMGS (msg/s) | 1 | 1.00 | 0.50 | 2.00 |")
        );
        assert!(table.contains("| throughput vs 1 modem (×) | 2 | 2.00 | 1.60 | 1.25 |"));
        assert!(!table.contains("| throughput vs 1 modem (×) | 1 |"));
        assert!(table.contains("| idle AT commands per minute per modem | 2 | 6.0 | 6.0 | 1.00 |"));
        assert!(!table.contains("| idle AT commands per minute per modem | 1 |"));
        assert!(table
            .contains("| resident memory after the burst, VmRSS (MiB) | 1 | 2.0 | 2.0 | 1.00 |"));
        assert!(table.contains("| delivered | 2 | 10/10 | 10/10 | |"));
        assert!(!table.contains("latency in the burst"));
    }

    #[test]
    fn small_ratios_keep_their_digits() {
        assert_eq!(ratio(Some(0.02), Some(14.0)), "0.0014");
        assert_eq!(ratio(Some(1.0), Some(0.0)), "∞");
        assert_eq!(ratio(None, Some(1.0)), "–");
    }
}
