//! One run, in phases, each bounded:
//!
//! 1. **Setup.** Start the simulator and the daemon; register the
//!    devices; each looks up every other (unless `--no-warm`); open every
//!    device's stream; a check round in which each device sends one
//!    message to the next proves that every stream delivers.
//! 2. **One at a time.** `--probes` pairs, each a `GET /healthz` (the
//!    HTTP floor) followed by one relay message from a random device to a
//!    random other one, waited for (then `--probe-gap-ms`, 0 by default):
//!    latency on an otherwise idle hub, the floor measured beside it under
//!    the same conditions.
//! 3. **HTTP under load.** `--burst` `GET /healthz`, every device's share
//!    in a task of its own, one after the other, all tasks at once:
//!    the bare request rate, and request latency under that load.
//! 4. **Relay under load.** `--burst` messages in the same shape: each
//!    device sends its share one after the other to random others, all
//!    devices at once; throughput from the first send to the last
//!    receipt, and latency under load.
//!
//! Latency is from just before `send_with` to the recipient's listener
//! yielding the opened envelope. CPU time of the daemon and of this
//! process is read from `/proc` around phases 3 and 4.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use bubblegate_api::client::Client;
use bubblegate_bench::process::Usage;
use bubblegate_client::Device;
use serde::Serialize;
use tokio::task::JoinSet;

use crate::devices::{self, phone, Inbox, Sent, CALL_TIMEOUT};
use crate::rig::{Rig, Store};
use crate::stats::{rate, Rng, Spread};

/// The longest all streams may take to open.
const CONNECT_WAIT: Duration = Duration::from_secs(60);
/// Send errors tolerated in a phase before the run stops.
const MAX_ERRORS: usize = 10;

/// What to run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub devices: usize,
    pub probes: usize,
    pub burst: usize,
    /// Quiet time before each probe.
    pub probe_gap: Duration,
    pub seed: u64,
    pub warm: bool,
    /// Bound on waiting for one probe, the check round, or a burst.
    pub wait: Duration,
    pub binary: PathBuf,
    pub store: Store,
    pub keep: bool,
}

/// The setup's timings.
#[derive(Debug, Clone, Serialize)]
pub struct Setup {
    pub register_secs: f64,
    /// Directory look-ups of the warm-up (0 without it).
    pub lookups: usize,
    pub warm_secs: Option<f64>,
    pub connect_secs: f64,
}

/// Phase 2: one at a time.
#[derive(Debug, Clone, Serialize)]
pub struct Idle {
    pub relay: Option<Spread>,
    pub http: Option<Spread>,
    /// The `send_with` call alone.
    pub send_call: Option<Spread>,
    pub sent: usize,
    pub delivered: usize,
}

/// Phases 3 and 4: everything at once.
#[derive(Debug, Clone, Serialize)]
pub struct Load {
    pub relay: Option<Spread>,
    pub http: Option<Spread>,
    pub send_call: Option<Spread>,
    /// Messages per second, first send to last receipt.
    pub relay_rate: Option<f64>,
    /// Requests per second, first request to last answer.
    pub http_rate: Option<f64>,
    pub sent: usize,
    pub delivered: usize,
    pub requests: usize,
    pub relay_secs: f64,
    pub http_secs: f64,
}

/// CPU seconds in phases 3 and 4, of the daemon and of this process (the
/// devices: sealing, signing, opening, verifying, acking).
#[derive(Debug, Clone, Serialize)]
pub struct Cpu {
    pub daemon_http_secs: f64,
    pub daemon_relay_secs: f64,
    pub bench_http_secs: f64,
    pub bench_relay_secs: f64,
    /// The daemon's resident memory after the burst, MiB.
    pub daemon_rss_mib: f64,
}

/// Everything one run measured.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub setup: Setup,
    pub idle: Idle,
    pub load: Load,
    pub cpu: Cpu,
    /// Lost or refused messages, rejected envelopes, and the like.
    pub notes: Vec<String>,
}

impl Outcome {
    /// Every message sent and delivered, nothing refused or rejected.
    pub fn complete(&self, settings: &Settings) -> bool {
        self.notes.is_empty()
            && self.idle.delivered == settings.probes
            && self.load.delivered == settings.burst
            && self.load.requests == settings.burst
    }
}

/// Runs everything in a fresh directory, and always stops the children.
pub async fn run(settings: &Settings) -> anyhow::Result<Outcome> {
    let dir = tempfile::Builder::new()
        .prefix("bubblegate-relay-bench-")
        .tempdir()
        .context("cannot create a temporary directory")?;
    eprintln!("starting `bubblegate sim` and `bubblegate run` in {}", dir.path().display());
    let mut rig = Rig::start(&settings.binary, settings.store.clone(), dir.path()).await?;
    let result = phases(settings, &mut rig, dir.path()).await;
    if result.is_err() {
        // The daemon's own account of what went wrong, if it died.
        if let Err(err) = rig.check_running() {
            eprintln!("bubblegate-relay-bench: {err:#}");
        }
    }
    rig.stop().await;
    if settings.keep {
        eprintln!("kept {}", dir.keep().display());
    }
    result
}

async fn phases(settings: &Settings, rig: &mut Rig, dir: &Path) -> anyhow::Result<Outcome> {
    let n = settings.devices;
    let handles: Vec<String> = (0..n).map(phone).collect();

    eprintln!("registering {n} device(s), codes by SMS through the simulated modem");
    let started = Instant::now();
    let devices = devices::register_all(&rig.network(), &dir.join("devices"), n).await?;
    let register_secs = started.elapsed().as_secs_f64();
    rig.check_running()?;

    let (devices, lookups, warm_secs) = if settings.warm {
        eprintln!("each device looks up the other {}", n - 1);
        let started = Instant::now();
        let (devices, lookups) = devices::warm_directories(devices, &handles).await?;
        (devices, lookups, Some(started.elapsed().as_secs_f64()))
    } else {
        (devices, 0, None)
    };

    // A Listener holds its Device; each handle sends through a second one
    // on the same state file.
    let senders = devices
        .iter()
        .map(|d| Device::open(d.state_path(), None, CALL_TIMEOUT))
        .collect::<Result<Vec<_>, _>>()
        .context("cannot open a device a second time for sending")?;
    eprintln!("opening {n} stream(s)");
    let started = Instant::now();
    let (listeners, mut inbox) = devices::spawn_listeners(devices);
    let result = async {
        if !inbox.wait(Instant::now() + CONNECT_WAIT, |i| i.connected == n).await? {
            bail!("only {} of {n} streams opened within {CONNECT_WAIT:?}", inbox.connected);
        }
        let setup = Setup {
            register_secs,
            lookups,
            warm_secs,
            connect_secs: started.elapsed().as_secs_f64(),
        };
        measure(settings, rig, senders, &mut inbox, &handles, setup).await
    }
    .await;
    listeners.stop().await;
    result
}

async fn measure(
    settings: &Settings,
    rig: &mut Rig,
    senders: Vec<Device>,
    inbox: &mut Inbox,
    handles: &[String],
    setup: Setup,
) -> anyhow::Result<Outcome> {
    let mut notes = Vec::new();
    let mut rng = Rng::new(settings.seed);
    let senders = check_round(settings, senders, inbox, handles).await?;
    rig.check_running()?;

    eprintln!("{} probe(s), one at a time, each beside a GET /healthz", settings.probes);
    let http = Client::new(&rig.hub, None, CALL_TIMEOUT).map_err(|e| anyhow!("{e}"))?;
    let (senders, idle) =
        one_at_a_time(settings, senders, inbox, handles, &http, &mut rng, &mut notes).await?;
    rig.check_running()?;

    let shares = shares(settings.burst, settings.devices);
    eprintln!("{} GET /healthz from {} task(s) at once", settings.burst, settings.devices);
    let daemon_before = rig.daemon_usage()?;
    let bench_before = own_usage()?;
    let floor = http_burst(&http, &shares, settings.wait).await?;
    let daemon_http = rig.daemon_usage()?;
    let bench_http = own_usage()?;
    rig.check_running()?;

    eprintln!("{} message(s) from {} device(s) at once", settings.burst, settings.devices);
    let plan: Vec<Vec<usize>> = shares
        .iter()
        .enumerate()
        .map(|(from, &share)| (0..share).map(|_| rng.other_than(from, settings.devices)).collect())
        .collect();
    let relay = relay_burst(settings, senders, inbox, handles, plan, &mut notes).await?;
    let daemon_relay = rig.daemon_usage()?;
    let bench_relay = own_usage()?;
    if inbox.duplicates > 0 {
        notes.push(format!("{} envelope(s) arrived twice", inbox.duplicates));
    }
    notes.extend(inbox.rejected.iter().cloned());
    rig.check_running()?;

    let load = Load {
        relay: Spread::of(&relay.latencies),
        http: Spread::of(&floor.latencies),
        send_call: Spread::of(&relay.calls),
        relay_rate: rate(relay.latencies.len(), relay.window),
        http_rate: rate(floor.latencies.len(), floor.window),
        sent: relay.calls.len(),
        delivered: relay.latencies.len(),
        requests: floor.latencies.len(),
        relay_secs: relay.window.as_secs_f64(),
        http_secs: floor.window.as_secs_f64(),
    };
    let cpu = Cpu {
        daemon_http_secs: daemon_http.cpu_secs - daemon_before.cpu_secs,
        daemon_relay_secs: daemon_relay.cpu_secs - daemon_http.cpu_secs,
        bench_http_secs: bench_http.cpu_secs - bench_before.cpu_secs,
        bench_relay_secs: bench_relay.cpu_secs - bench_http.cpu_secs,
        daemon_rss_mib: daemon_relay.rss_kib as f64 / 1024.0,
    };
    Ok(Outcome { setup, idle, load, cpu, notes })
}

/// Each device sends one message to the next, all at once; every one
/// must arrive at the right device before anything is timed.
async fn check_round(
    settings: &Settings,
    senders: Vec<Device>,
    inbox: &mut Inbox,
    handles: &[String],
) -> anyhow::Result<Vec<Device>> {
    let n = settings.devices;
    let plan = (0..n).map(|i| vec![(i + 1) % n]).collect();
    let deadline = Instant::now() + settings.wait;
    let before = inbox.count();
    let (senders, sent, errors) =
        devices::fan_out(senders, plan, handles, "check", deadline).await?;
    if let Some(first) = errors.first() {
        bail!("the check round failed: {first}");
    }
    if !inbox.wait(deadline, |i| all_received(i, before, &sent)).await? {
        let got = sent.iter().filter(|m| inbox.receipt(&m.client_message_id).is_some()).count();
        bail!("the check round: {got} of {n} message(s) arrived within {:?}", settings.wait);
    }
    if sent.iter().any(|m| inbox.receipt(&m.client_message_id).map(|r| r.0) != Some(m.to)) {
        bail!("the check round: a message reached the wrong device");
    }
    Ok(senders)
}

/// The probes: after the gap (if any), one `GET /healthz`, then one
/// message from a random device to a random other one, waited for.
async fn one_at_a_time(
    settings: &Settings,
    mut senders: Vec<Device>,
    inbox: &mut Inbox,
    handles: &[String],
    http: &Client,
    rng: &mut Rng,
    notes: &mut Vec<String>,
) -> anyhow::Result<(Vec<Device>, Idle)> {
    let n = settings.devices;
    let mut http_idle = Vec::new();
    let mut relay_idle = Vec::new();
    let mut calls = Vec::new();
    let mut problems = Vec::new();
    for k in 0..settings.probes {
        if problems.len() > MAX_ERRORS {
            bail!("too many failed probes; the last: {}", problems[problems.len() - 1]);
        }
        if !settings.probe_gap.is_zero() {
            tokio::time::sleep(settings.probe_gap).await;
        }
        let start = Instant::now();
        healthz(http).await?;
        http_idle.push(start.elapsed());
        let from = rng.below(n);
        let to = rng.other_than(from, n);
        let body = format!("relay bench probe {k}");
        let sent = match devices::send_one(&mut senders[from], handles, to, body).await {
            Ok(sent) => sent,
            Err(err) => {
                problems.push(format!("probe {k} from {}: {err:#}", phone(from)));
                continue;
            }
        };
        calls.push(sent.call);
        let id = sent.client_message_id.as_str();
        inbox.wait(Instant::now() + settings.wait, |i| i.receipt(id).is_some()).await?;
        match inbox.receipt(id) {
            Some((device, at)) if device == to => {
                relay_idle.push(at.saturating_duration_since(sent.start))
            }
            Some(_) => problems.push(format!("probe {k} reached the wrong device")),
            None => problems.push(format!("probe {k} did not arrive within {:?}", settings.wait)),
        }
        if (k + 1) % 50 == 0 {
            eprintln!("  {}/{} probe(s)", k + 1, settings.probes);
        }
    }
    notes.append(&mut problems);
    let idle = Idle {
        relay: Spread::of(&relay_idle),
        http: Spread::of(&http_idle),
        send_call: Spread::of(&calls),
        sent: calls.len(),
        delivered: relay_idle.len(),
    };
    Ok((senders, idle))
}

/// What a burst measured.
struct Burst {
    /// Of every request answered, or message delivered to its recipient.
    latencies: Vec<Duration>,
    /// Of every `send_with` that succeeded (relay only).
    calls: Vec<Duration>,
    /// First request or send to the last answer or receipt.
    window: Duration,
}

/// The floor under load: one task per device, each making its share of
/// `GET /healthz` one after the other, all at once.
async fn http_burst(http: &Client, shares: &[usize], wait: Duration) -> anyhow::Result<Burst> {
    let deadline = Instant::now() + wait;
    let mut set = JoinSet::new();
    for &share in shares {
        let http = http.clone();
        set.spawn(async move {
            let mut done = Vec::with_capacity(share);
            for _ in 0..share {
                let start = Instant::now();
                healthz(&http).await?;
                done.push((start, start.elapsed()));
            }
            anyhow::Ok(done)
        });
    }
    let mut requests = Vec::new();
    loop {
        match tokio::time::timeout_at(deadline.into(), set.join_next()).await {
            Err(_) => {
                set.abort_all();
                bail!("the GET /healthz burst did not finish within {wait:?}");
            }
            Ok(None) => break,
            Ok(Some(joined)) => {
                requests.extend(joined.map_err(|e| anyhow!("a request task failed: {e}"))??)
            }
        }
    }
    let first = requests.iter().map(|r| r.0).min();
    let last = requests.iter().map(|r| r.0 + r.1).max();
    Ok(Burst {
        latencies: requests.iter().map(|r| r.1).collect(),
        calls: Vec::new(),
        window: window(first, last),
    })
}

/// The relay under load: each device sends to its list of recipients one
/// after the other, all devices at once; then every message is waited
/// for, within `--wait-secs` of the start.
async fn relay_burst(
    settings: &Settings,
    senders: Vec<Device>,
    inbox: &mut Inbox,
    handles: &[String],
    plan: Vec<Vec<usize>>,
    notes: &mut Vec<String>,
) -> anyhow::Result<Burst> {
    let deadline = Instant::now() + settings.wait;
    let before = inbox.count();
    let (_senders, sent, errors) =
        devices::fan_out(senders, plan, handles, "burst", deadline).await?;
    inbox.wait(deadline, |i| all_received(i, before, &sent)).await?;
    let mut latencies = Vec::with_capacity(sent.len());
    let mut last_receipt = None;
    let mut wrong = 0;
    for m in &sent {
        match inbox.receipt(&m.client_message_id) {
            Some((device, at)) if device == m.to => {
                latencies.push(at.saturating_duration_since(m.start));
                last_receipt = last_receipt.max(Some(at));
            }
            Some(_) => wrong += 1,
            None => {}
        }
    }
    let lost = sent.len() - latencies.len() - wrong;
    if lost > 0 {
        notes.push(format!("{lost} burst message(s) did not arrive within {:?}", settings.wait));
    }
    if wrong > 0 {
        notes.push(format!("{wrong} burst message(s) reached the wrong device"));
    }
    if let Some(first) = errors.first() {
        notes.push(format!("{} burst send(s) failed; the first: {first}", errors.len()));
    }
    let first_send = sent.iter().map(|m| m.start).min();
    Ok(Burst {
        latencies,
        calls: sent.iter().map(|m| m.call).collect(),
        window: window(first_send, last_receipt),
    })
}

/// `last - first`, zero when either is missing.
fn window(first: Option<Instant>, last: Option<Instant>) -> Duration {
    match (first, last) {
        (Some(a), Some(b)) => b.saturating_duration_since(a),
        _ => Duration::ZERO,
    }
}

/// Whether every message of `sent` has arrived; cheap until the count of
/// receipts (`before` of them from earlier phases) says it can be so.
fn all_received(inbox: &Inbox, before: usize, sent: &[Sent]) -> bool {
    inbox.count() >= before + sent.len()
        && sent.iter().all(|m| inbox.receipt(&m.client_message_id).is_some())
}

/// `GET /healthz` through the same HTTP client the devices use (a
/// connection per request), its JSON answer read.
async fn healthz(http: &Client) -> anyhow::Result<()> {
    http.health().await.map(drop).map_err(|e| anyhow!("GET /healthz: {e}"))
}

/// `total` split over `n` as evenly as can be, the larger shares first.
fn shares(total: usize, n: usize) -> Vec<usize> {
    (0..n).map(|i| total / n + usize::from(i < total % n)).collect()
}

fn own_usage() -> anyhow::Result<Usage> {
    Usage::of(std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up() {
        assert_eq!(shares(2000, 100), vec![20; 100]);
        assert_eq!(shares(7, 3), vec![3, 2, 2]);
        assert_eq!(shares(2, 4), vec![1, 1, 0, 0]);
    }
}
