//! `bubblegate-relay-bench`: the encrypted network's relay, measured end
//! to end with real devices (`bubblegate-client`) against a real daemon:
//! `bubblegate sim` with one modem carries the registration codes,
//! `bubblegate run` with `[network]` on is the hub, and every device
//! listens on its own WebSocket. It measures relay latency one message at
//! a time and under a burst from all devices, and relay throughput; and,
//! against the same daemon in the same run, the HTTP floor (`GET
//! /healthz`, the cheapest route, through the same client plumbing) in
//! the same shapes, and prints the ratios.
//!
//! `run.rs` does the phases, `devices.rs` registers and listens,
//! `rig.rs` runs the children, `report.rs` prints. Progress goes to
//! standard error, the report to standard output.

mod devices;
mod report;
mod rig;
mod run;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::bail;
use clap::Parser;

use report::{Conditions, Report};
use rig::Store;
use run::Settings;

const AFTER_HELP: &str = "\
Build the daemon and the benchmark first; the benchmark runs the
`bubblegate` binary that sits beside it:

  cargo build --release -p bubblegate -p bubblegate-bench
  target/release/bubblegate-relay-bench

That registers 100 devices (+31610000000 to +31610000099, codes by SMS
through a simulated modem), opens 100 WebSockets, sends 300 probes one at a
time and a burst of 2000 messages, and prints a table: about 20 seconds on
two cores. `TMPDIR` picks where the run's directory (SQLite database, device
state files) goes. A smaller run, on PostgreSQL, as JSON:

  target/release/bubblegate-relay-bench --devices 20 --probes 50 --burst 200 \\
      --postgres postgres://127.0.0.1:5432/test --json

Latency is from just before the sender's `send_with` (two directory
look-ups, sealing, signing, `POST /v1/messages`) to the recipient's
listener yielding the opened envelope. The floor is `GET /healthz` through
the same HTTP client, one connection per request, as every device call.
Everything runs on this machine: the devices' cryptography shares the CPU
with the daemon, and the report shows both processes' CPU time.";

/// The encrypted network's relay: latency and throughput with connected
/// devices, against the HTTP floor of the same daemon.
#[derive(Parser, Debug)]
#[command(name = "bubblegate-relay-bench", after_help = AFTER_HELP)]
struct Args {
    /// Devices, one per number, each with its own WebSocket (2 to 1000).
    #[arg(long, default_value_t = 100, value_name = "N")]
    devices: usize,
    /// Messages sent one at a time, each from a random device to a random
    /// other one; each beside one `GET /healthz`.
    #[arg(long, default_value_t = 300, value_name = "P")]
    probes: usize,
    /// Messages in the burst (and `GET /healthz` in the floor's burst):
    /// every device sends its share one after the other, all at once.
    #[arg(long, default_value_t = 2000, value_name = "M")]
    burst: usize,
    /// Quiet time before each probe. With none, each probe starts as soon
    /// as the previous one arrived, while its ack is still on the way.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    probe_gap_ms: u64,
    /// Store the hub in a fresh schema of this PostgreSQL database (made
    /// and dropped with `psql`) instead of SQLite in the run's directory.
    #[arg(long, value_name = "URL")]
    postgres: Option<String>,
    /// The seed that picks senders and recipients. Default: from the clock
    /// (the report shows it).
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Skip the warm-up in which each device looks up every other one
    /// (N×(N−1) look-ups); a receiver then looks a new sender up before
    /// opening its first envelope, inside the measured latency.
    #[arg(long)]
    no_warm: bool,
    /// Bound on waiting for one probe, the check round, or a burst.
    #[arg(long, default_value_t = 120, value_name = "S")]
    wait_secs: u64,
    /// The `bubblegate` binary. Default: beside this one.
    #[arg(long, value_name = "PATH")]
    bubblegate: Option<PathBuf>,
    /// Print the report as JSON instead of a markdown table.
    #[arg(long)]
    json: bool,
    /// Keep the run's directory (logs, configuration, device state files).
    #[arg(long)]
    keep: bool,
}

fn check(args: Args) -> anyhow::Result<(Settings, bool)> {
    if !(2..=1000).contains(&args.devices) {
        bail!("--devices takes 2 to 1000 (each device holds a socket in both processes)");
    }
    if args.probes == 0 || args.burst == 0 {
        bail!("--probes and --burst must be at least 1");
    }
    if args.wait_secs == 0 {
        bail!("--wait-secs must be at least 1");
    }
    if args.probe_gap_ms > 60_000 {
        bail!("--probe-gap-ms must be at most 60000");
    }
    let binary = bubblegate_bench::process::locate(args.bubblegate)?;
    let seed = args.seed.unwrap_or_else(|| {
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
    });
    let store = match args.postgres {
        None => Store::Sqlite,
        Some(url) => {
            if !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
                bail!("--postgres takes a URL like postgres://127.0.0.1:5432/test");
            }
            let schema = format!("relay_bench_{}_{}", std::process::id(), seed % 1_000_000);
            Store::Postgres { url, schema }
        }
    };
    let settings = Settings {
        devices: args.devices,
        probes: args.probes,
        burst: args.burst,
        probe_gap: Duration::from_millis(args.probe_gap_ms),
        seed,
        warm: !args.no_warm,
        wait: Duration::from_secs(args.wait_secs),
        binary,
        store,
        keep: args.keep,
    };
    Ok((settings, args.json))
}

fn main() -> ExitCode {
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let (settings, json) = match check(Args::parse()) {
        Ok(checked) => checked,
        Err(err) => {
            eprintln!("bubblegate-relay-bench: {err:#}");
            return ExitCode::from(2);
        }
    };
    // Several workers: an ack's fsync blocks its worker (see devices.rs),
    // and the devices' cryptography should not wait behind one core.
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("bubblegate-relay-bench: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let code = runtime.block_on(async move {
        tokio::select! {
            code = bench(settings, command, json) => code,
            _ = tokio::signal::ctrl_c() => {
                // Dropping the run kills the children and removes its
                // directory (a PostgreSQL schema stays).
                eprintln!("bubblegate-relay-bench: interrupted; cleaning up");
                ExitCode::from(130)
            }
        }
    });
    runtime.shutdown_timeout(Duration::from_secs(5));
    code
}

async fn bench(settings: Settings, command: String, json: bool) -> ExitCode {
    let mut conditions = Conditions {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        cpu: cpu_model(),
        load_before: load_average(),
        load_after: String::new(),
        store: settings.store.name().to_owned(),
        devices: settings.devices,
        probes: settings.probes,
        burst: settings.burst,
        probe_gap_ms: settings.probe_gap.as_millis() as u64,
        seed: settings.seed,
        warm: settings.warm,
    };
    let outcome = match run::run(&settings).await {
        Ok(outcome) => outcome,
        Err(err) => {
            eprintln!("bubblegate-relay-bench: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    conditions.load_after = load_average();
    let complete = outcome.complete(&settings);
    let report = Report::new(command, conditions, outcome, complete);
    if json {
        println!("{}", report.json());
    } else {
        println!("{}", report.markdown());
    }
    if complete {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "bubblegate-relay-bench: not every message or request went through; see the notes"
        );
        ExitCode::FAILURE
    }
}

/// The 1, 5 and 15 minute load averages from `/proc/loadavg`.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| text.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// The first `model name` of `/proc/cpuinfo`.
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_owned())
}
