//! `bubblegate-bench`: the Bubblegate daemon against Debian's gammu-smsd,
//! both driving the same simulated modems over real PTYs, measured in the
//! same run: latency from enqueue to `AT+CMGS`, throughput with 1, 2 and
//! 4 modems at a fixed simulated radio time, AT commands per minute when
//! idle, and resident memory. It prints one table with both systems side
//! by side and their ratio (or JSON with `--json`).
//!
//! Arguments are parsed here and checked into a [`run::Common`] and a list
//! of [`run::Plan`]s; `run.rs` does one measurement, `report.rs` prints.
//! Progress goes to standard error, the report to standard output.

mod bubblegate;
mod gammu;
mod measure;
mod report;
mod run;
mod sim;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context};
use bubblegate_bench::{http, process};
use clap::{Parser, ValueEnum};

use report::{Conditions, Report, System};
use run::{Common, Plan};

const AFTER_HELP: &str = "\
Build the daemon first; the benchmark runs the `bubblegate` binary that
sits beside it:

  cargo build --release -p bubblegate -p bubblegate-bench
  target/release/bubblegate-bench --messages 40 --radio-ms 500 --modems 1,2,4

gammu-smsd comes from Debian (`apt-get install gammu-smsd`). Each
measurement starts a fresh simulator, so a run takes a few minutes: with
gammu-smsd's default 30 s outbox scan, its probes alone take about a
minute per modem count.";

/// Bubblegate against gammu-smsd on the same simulated modems.
#[derive(Parser, Debug)]
#[command(name = "bubblegate-bench", after_help = AFTER_HELP)]
struct Args {
    /// Messages in the burst that measures throughput.
    #[arg(long, default_value_t = 40, value_name = "N")]
    messages: usize,
    /// Simulated radio time: Ctrl-Z to `+CMGS: <mr>`.
    #[arg(long, default_value_t = 500, value_name = "MS")]
    radio_ms: u64,
    /// Modem counts to measure, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,2,4", value_name = "LIST")]
    modems: Vec<usize>,
    /// Idle window for counting AT commands, measured once per system with
    /// the largest modem count; 0 skips it.
    #[arg(long, default_value_t = 60, value_name = "S")]
    idle_secs: u64,
    /// Single messages enqueued on an idle system, for latency.
    #[arg(long, default_value_t = 6, value_name = "P")]
    probes: usize,
    /// Time between probes.
    #[arg(long, default_value_t = 7000, value_name = "MS")]
    probe_gap_ms: u64,
    /// Measure one system only.
    #[arg(long, value_enum)]
    only: Option<OnlyArg>,
    /// The modem model every simulated modem plays.
    #[arg(long, default_value = "simcom-sim800", value_name = "NAME")]
    profile: String,
    /// The `bubblegate` binary. Default: beside this one.
    #[arg(long, value_name = "PATH")]
    bubblegate: Option<PathBuf>,
    /// An extra `[smsd]` key for gammu-smsd, e.g. `CommTimeout=1`; repeat it.
    #[arg(long = "gammu-set", value_name = "KEY=VALUE")]
    gammu_set: Vec<String>,
    /// Bound on waiting for the probes or the burst to reach the network.
    /// Default: 60 s plus 5 s and the radio time per message.
    #[arg(long, value_name = "S")]
    delivery_timeout_secs: Option<u64>,
    /// Print the report as JSON instead of a markdown table.
    #[arg(long)]
    json: bool,
    /// Keep each measurement's directory (transcripts, logs, configs).
    #[arg(long)]
    keep: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OnlyArg {
    Bubblegate,
    Gammu,
}

/// The checked arguments.
struct Checked {
    common: Common,
    plans: Vec<Plan>,
    conditions: Conditions,
    json: bool,
}

fn check(args: Args) -> anyhow::Result<Checked> {
    if args.messages == 0 {
        bail!("--messages must be at least 1");
    }
    let mut counts = args.modems.clone();
    counts.sort_unstable();
    counts.dedup();
    if counts.is_empty() || counts.iter().any(|&k| k == 0 || k > 16) {
        bail!("--modems takes counts from 1 to 16, e.g. 1,2,4");
    }
    if args.radio_ms > 60_000 {
        bail!("--radio-ms must be at most 60000");
    }
    let gammu_overrides = args
        .gammu_set
        .iter()
        .map(|kv| {
            let (key, value) = kv
                .split_once('=')
                .with_context(|| format!("--gammu-set `{kv}` is not KEY=VALUE"))?;
            let (key, value) = (key.trim(), value.trim());
            if key.is_empty()
                || !key.chars().all(|c| c.is_ascii_alphanumeric())
                || value.contains('\n')
            {
                bail!("--gammu-set `{kv}`: the key must be a gammu-smsdrc option name");
            }
            Ok((key.to_owned(), value.to_owned()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let systems: Vec<System> = match args.only {
        Some(OnlyArg::Bubblegate) => vec![System::Bubblegate],
        Some(OnlyArg::Gammu) => vec![System::Gammu],
        None => vec![System::Bubblegate, System::Gammu],
    };
    if systems.contains(&System::Bubblegate) {
        // Fail before the first measurement, not in the middle.
        bubblegate::locate(args.bubblegate.clone())?;
    }
    let radio_time = Duration::from_millis(args.radio_ms);
    let per_message = Duration::from_secs(5) + radio_time;
    let delivery_wait = match args.delivery_timeout_secs {
        Some(secs) => Duration::from_secs(secs),
        None => Duration::from_secs(60) + per_message * (args.messages + args.probes) as u32,
    };
    let largest = counts.iter().copied().max().unwrap_or(1);
    let idle = (args.idle_secs > 0).then(|| Duration::from_secs(args.idle_secs));
    // Both systems at each modem count in turn, so that a change in the
    // machine's load touches both alike.
    let plans = counts
        .iter()
        .flat_map(|&modems| {
            systems.iter().map(move |&system| Plan {
                system,
                modems,
                idle: if modems == largest { idle } else { None },
            })
        })
        .collect();
    let conditions = Conditions {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        load_before: load_average(),
        load_after: String::new(),
        gammu_version: gammu_version(),
        profile: args.profile.clone(),
        radio_ms: args.radio_ms,
        messages: args.messages,
        probes: args.probes,
        probe_gap_ms: args.probe_gap_ms,
        modem_counts: counts,
    };
    let common = Common {
        messages: args.messages,
        probes: args.probes,
        probe_gap: Duration::from_millis(args.probe_gap_ms),
        radio_time,
        profile: args.profile,
        bubblegate: args.bubblegate,
        gammu_overrides,
        delivery_wait,
        keep: args.keep,
    };
    Ok(Checked { common, plans, conditions, json: args.json })
}

fn main() -> ExitCode {
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let checked = match check(Args::parse()) {
        Ok(checked) => checked,
        Err(err) => {
            eprintln!("bubblegate-bench: {err:#}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("bubblegate-bench: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        tokio::select! {
            code = bench(checked, command) => code,
            _ = tokio::signal::ctrl_c() => {
                // Dropping the measurement kills its processes and removes
                // its directory.
                eprintln!("bubblegate-bench: interrupted; cleaning up");
                ExitCode::from(130)
            }
        }
    })
}

async fn bench(checked: Checked, command: String) -> ExitCode {
    let Checked { common, plans, mut conditions, json } = checked;
    let mut outcomes = Vec::new();
    let mut failures = Vec::new();
    for plan in &plans {
        match run::measure(plan, &common).await {
            Ok(outcome) => outcomes.push(outcome),
            Err(err) => {
                let what =
                    format!("{} with {} modem(s) failed: {err:#}", plan.system.name(), plan.modems);
                eprintln!("bubblegate-bench: {what}");
                failures.push(what);
            }
        }
    }
    conditions.load_after = load_average();
    let report = Report { command, conditions, outcomes, failures };
    if json {
        println!("{}", report.json());
    } else {
        println!("{}", report.markdown());
    }
    if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The 1, 5 and 15 minute load averages from `/proc/loadavg`.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| text.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// `gammu-smsd --version`'s first line, for the report.
fn gammu_version() -> String {
    std::process::Command::new("gammu-smsd")
        .arg("--version")
        .output()
        .ok()
        .and_then(|out| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .find(|l| !l.trim().is_empty())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "gammu-smsd not found".to_owned())
}
