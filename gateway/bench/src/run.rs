//! One measurement: a fresh simulator with `k` modems, one system under
//! test started against its PTYs, then four phases, each bounded:
//!
//! 1. **Settle.** Wait until the system reports ready and the modems'
//!    transcripts have been quiet for [`QUIET`].
//! 2. **Idle** (when asked). No traffic for the idle window; the AT
//!    command lines the host sent in it are counted.
//! 3. **Probes.** Single messages enqueued at a fixed gap on an idle
//!    system; their latency from enqueue to `AT+CMGS` is what one user
//!    sending one message sees. The gap is not a divisor of gammu's 30 s
//!    outbox scan, so the probes fall at different phases of it.
//! 4. **Burst.** `N` messages enqueued at once (for gammu-smsd, round
//!    robin over its instances); throughput is `N` over the time from the
//!    first enqueue to the network's last `+CMGS` answer.
//!
//! Then resident memory and CPU time are read from `/proc`, the system is
//! stopped with SIGTERM and the simulator is shut down; the run's
//! directory goes with it unless kept.

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context};

use crate::bubblegate::Bubblegate;
use crate::gammu::Gammu;
use crate::measure::{self, Millis, Spread, TAG_PREFIX};
use crate::process::Usage;
use crate::report::{Idle, Outcome, System};
use crate::sim::{SimRig, SimSpec};

/// The destinations: outside numbers (not a simulated modem's), so that
/// the messages land in the simulated network's log; a different one for
/// each message, as in a fan-out of notifications, so that Bubblegate's
/// per-recipient stickiness has nothing to hold on to.
fn destination(seq: usize) -> String {
    format!("+3162{:07}", seq % 10_000_000)
}
/// How long the transcripts must stay quiet before a phase starts.
const QUIET: Duration = Duration::from_secs(2);
/// The longest a system may take to come up.
const READY_WAIT: Duration = Duration::from_secs(120);
/// The longest the start-up chatter may go on after ready.
const SETTLE_WAIT: Duration = Duration::from_secs(60);
/// How long a stopping system may take.
const STOP_GRACE: Duration = Duration::from_secs(15);
/// How often progress is polled: slowly, so that the benchmark's own
/// reads are no load.
const POLL: Duration = Duration::from_millis(250);

/// What every measurement shares.
#[derive(Debug, Clone)]
pub struct Common {
    pub messages: usize,
    pub probes: usize,
    pub probe_gap: Duration,
    pub radio_time: Duration,
    pub profile: String,
    pub bubblegate: Option<PathBuf>,
    pub gammu_overrides: Vec<(String, String)>,
    /// Bound on waiting for the probes or the burst to be delivered.
    pub delivery_wait: Duration,
    pub keep: bool,
}

/// One measurement's parameters.
#[derive(Debug, Clone)]
pub struct Plan {
    pub system: System,
    pub modems: usize,
    /// The idle window, when this run measures idle traffic.
    pub idle: Option<Duration>,
}

/// The system under test, started.
enum Sut {
    // Boxed: a daemon handle is ten times the size of the gammu fleet's.
    Bubblegate(Box<Bubblegate>),
    Gammu(Gammu),
}

impl Sut {
    async fn is_ready(&mut self) -> anyhow::Result<bool> {
        match self {
            Sut::Bubblegate(b) => b.is_ready().await,
            Sut::Gammu(g) => g.is_ready(),
        }
    }

    /// Enqueues message number `seq` (its text carries `tag`); `lane`
    /// picks the gammu-smsd instance.
    async fn enqueue(&mut self, seq: usize, lane: usize, tag: &str) -> anyhow::Result<Enqueued> {
        let text = format!("{TAG_PREFIX}{tag}");
        let to = destination(seq);
        let at = now_ms();
        let call = Instant::now();
        match self {
            Sut::Bubblegate(b) => b.enqueue(&to, &text).await?,
            Sut::Gammu(g) => g.enqueue(lane, &to, &text)?,
        }
        Ok(Enqueued { tag: tag.to_owned(), at, call_ms: call.elapsed().as_secs_f64() * 1000.0 })
    }

    fn check_running(&mut self) -> anyhow::Result<()> {
        match self {
            Sut::Bubblegate(b) => b.check_running(),
            Sut::Gammu(g) => g.check_running(),
        }
    }

    fn usage(&self) -> anyhow::Result<Usage> {
        match self {
            Sut::Bubblegate(b) => b.usage(),
            Sut::Gammu(g) => g.usage(),
        }
    }

    async fn stop(self) {
        match self {
            Sut::Bubblegate(b) => b.stop(STOP_GRACE).await,
            Sut::Gammu(g) => g.stop(STOP_GRACE).await,
        }
    }
}

/// One message handed to the system under test.
struct Enqueued {
    tag: String,
    /// Just before the hand-over.
    at: Millis,
    /// How long the hand-over took (the API call, or writing the file).
    call_ms: f64,
}

/// Wall-clock milliseconds since 1970, the transcripts' clock.
pub fn now_ms() -> Millis {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as Millis)
}

/// Runs one measurement and always cleans up after it.
pub async fn measure(plan: &Plan, common: &Common) -> anyhow::Result<Outcome> {
    let dir = tempfile::Builder::new()
        .prefix(&format!("bubblegate-bench-{}-{}-", plan.system.slug(), plan.modems))
        .tempdir()
        .context("cannot create a temporary directory")?;
    let spec = SimSpec {
        modems: plan.modems,
        profile: common.profile.clone(),
        radio_time: common.radio_time,
    };
    let rig = SimRig::start(&spec, &dir.path().join("sim")).await?;
    rig.wait_booted().await?;
    let sut = match plan.system {
        System::Bubblegate => {
            let binary = crate::bubblegate::locate(common.bubblegate.clone())?;
            Sut::Bubblegate(Box::new(Bubblegate::start(
                &binary,
                &rig.modems,
                &common.profile,
                dir.path(),
            )?))
        }
        System::Gammu => {
            // gammu-smsd's --suicide: far beyond any phase's bound.
            let lifetime = READY_WAIT
                + SETTLE_WAIT
                + common.delivery_wait * 3
                + Duration::from_secs(600)
                + plan.idle.unwrap_or_default();
            Sut::Gammu(Gammu::start(&rig.modems, dir.path(), &common.gammu_overrides, lifetime)?)
        }
    };
    let result = phases(plan, common, &rig, sut).await;
    drop(rig);
    if common.keep {
        let kept = dir.keep();
        eprintln!("  kept {}", kept.display());
    }
    result
}

/// The phases, with the system stopped at the end whatever happened.
async fn phases(
    plan: &Plan,
    common: &Common,
    rig: &SimRig,
    mut sut: Sut,
) -> anyhow::Result<Outcome> {
    let result = drive(plan, common, rig, &mut sut).await;
    let gammu_errors = match &sut {
        Sut::Gammu(g) => g.failed(),
        Sut::Bubblegate(_) => 0,
    };
    sut.stop().await;
    let mut outcome = result?;
    if gammu_errors > 0 {
        outcome
            .notes
            .push(format!("gammu-smsd moved {gammu_errors} message(s) to its error folder"));
    }
    Ok(outcome)
}

async fn drive(
    plan: &Plan,
    common: &Common,
    rig: &SimRig,
    sut: &mut Sut,
) -> anyhow::Result<Outcome> {
    let label = format!("{} with {} modem(s)", plan.system.name(), plan.modems);
    eprintln!("{label}: starting");
    let started = Instant::now();
    wait_ready(sut).await?;
    settle(rig, sut).await?;
    eprintln!("{label}: ready after {:.1} s", started.elapsed().as_secs_f64());

    let idle = match plan.idle {
        Some(window) => {
            eprintln!("{label}: idle for {} s", window.as_secs());
            let before = sut.usage()?;
            let from = now_ms();
            tokio::time::sleep(window).await;
            sut.check_running()?;
            let to = now_ms();
            let cpu_secs = sut.usage()?.cpu_secs - before.cpu_secs;
            let commands: u64 =
                rig.transcripts()?.iter().map(|t| measure::count_commands(t, from, to)).sum();
            Some(Idle {
                secs: (to - from) as f64 / 1000.0,
                commands,
                modems: plan.modems,
                cpu_secs,
            })
        }
        None => None,
    };

    // Probes: one message at a time on an idle system.
    let mut enqueued: Vec<Enqueued> = Vec::new();
    let probe_start = Instant::now();
    for i in 0..common.probes {
        let due = common.probe_gap * i as u32;
        tokio::time::sleep_until((probe_start + due).into()).await;
        let tag = format!("p{i:04}");
        let message = sut.enqueue(enqueued.len(), i, &tag).await?;
        enqueued.push(message);
    }
    let mut notes = Vec::new();
    if common.probes > 0 {
        eprintln!("{label}: {} probe(s) enqueued; waiting for them", common.probes);
        let got = wait_delivered(rig, sut, common.probes, common.delivery_wait).await?;
        if got < common.probes {
            notes.push(format!(
                "only {got} of {} probe(s) reached the network within {:?}",
                common.probes, common.delivery_wait
            ));
        }
    }

    // The burst: everything at once.
    eprintln!("{label}: burst of {} message(s)", common.messages);
    let burst_from = enqueued.len();
    let before_burst = sut.usage()?;
    for i in 0..common.messages {
        let tag = format!("b{i:04}");
        let message = sut.enqueue(enqueued.len(), i, &tag).await?;
        enqueued.push(message);
    }
    let total = common.probes + common.messages;
    let delivered = wait_delivered(rig, sut, total, common.delivery_wait).await?;
    if delivered < total {
        notes.push(format!(
            "only {delivered} of {total} message(s) reached the network within {:?}",
            common.delivery_wait
        ));
    }
    let usage = sut.usage()?;

    let sends = measure::first_sends(&rig.transcripts()?);
    let latency = |range: std::ops::Range<usize>| -> Vec<f64> {
        enqueued[range]
            .iter()
            .filter_map(|m| sends.get(&m.tag).map(|s| (s.cmgs_at - m.at) as f64 / 1000.0))
            .collect()
    };
    let burst = &enqueued[burst_from..];
    let first_enqueue = burst.iter().map(|m| m.at).min();
    let burst_sends: Vec<&measure::Send> = burst.iter().filter_map(|m| sends.get(&m.tag)).collect();
    let last_accept = burst_sends.iter().filter_map(|s| s.accepted_at).max();
    let first_cmgs = burst_sends.iter().map(|s| s.cmgs_at).min();
    let accepted = burst_sends.iter().filter(|s| s.accepted_at.is_some()).count();
    let throughput = match (first_enqueue, last_accept) {
        (Some(a), Some(b)) if b > a => Some(accepted as f64 / ((b - a) as f64 / 1000.0)),
        _ => None,
    };
    let send_rate = match (first_cmgs, last_accept) {
        (Some(a), Some(b)) if b > a => Some(accepted as f64 / ((b - a) as f64 / 1000.0)),
        _ => None,
    };
    let missing = enqueued.iter().filter(|m| !sends.contains_key(&m.tag)).count();
    let calls: Vec<f64> = enqueued.iter().map(|m| m.call_ms).collect();
    if missing > 0 {
        notes.push(format!("{missing} message(s) never reached AT+CMGS"));
    }
    eprintln!(
        "{label}: {delivered}/{total} delivered; {:.2} msg/s",
        throughput.unwrap_or_default()
    );
    Ok(Outcome {
        system: plan.system,
        modems: plan.modems,
        probe_latency: Spread::of(&latency(0..burst_from)),
        burst_latency: Spread::of(&latency(burst_from..enqueued.len())),
        enqueue_call_ms: Spread::of(&calls),
        throughput,
        send_rate,
        idle,
        cpu_burst_secs: usage.cpu_secs - before_burst.cpu_secs,
        usage,
        delivered,
        expected: total,
        notes,
    })
}

/// Polls the system until it says it is ready, within [`READY_WAIT`].
async fn wait_ready(sut: &mut Sut) -> anyhow::Result<()> {
    let deadline = Instant::now() + READY_WAIT;
    loop {
        if sut.is_ready().await? {
            return Ok(());
        }
        if Instant::now() >= deadline {
            bail!("the system did not come up within {READY_WAIT:?}");
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Waits until no modem's transcript has grown for [`QUIET`].
async fn settle(rig: &SimRig, sut: &mut Sut) -> anyhow::Result<()> {
    let deadline = Instant::now() + SETTLE_WAIT;
    loop {
        sut.check_running()?;
        let last = rig.transcripts()?.iter().filter_map(|t| measure::last_line_at(t)).max();
        let quiet_since = last.map_or(Duration::MAX, |at| {
            Duration::from_millis(now_ms().saturating_sub(at).max(0) as u64)
        });
        if quiet_since >= QUIET {
            return Ok(());
        }
        if Instant::now() >= deadline {
            bail!("the modems' traffic did not settle within {SETTLE_WAIT:?}");
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Waits until the network has received `count` benchmark messages, at
/// most `bound`; returns how many it has (fewer when the bound passed).
async fn wait_delivered(
    rig: &SimRig,
    sut: &mut Sut,
    count: usize,
    bound: Duration,
) -> anyhow::Result<usize> {
    let deadline = Instant::now() + bound;
    loop {
        sut.check_running()?;
        let got = rig.received_texts().await?.iter().filter(|t| t.starts_with(TAG_PREFIX)).count();
        if got >= count {
            return Ok(got);
        }
        if Instant::now() >= deadline {
            return Ok(got);
        }
        tokio::time::sleep(POLL).await;
    }
}
