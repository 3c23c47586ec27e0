//! The test environment: a simulator with in-process modems, a supervisor
//! running actors on them through [`DuplexOpener`], short intervals, and
//! helpers to wait for events and build parts.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bubblegate_modem::{
    Backoff, BoxFuture, EventKind, ModemConfig, ModemEvent, ModemHandle, ModemId, ModemIo,
    OpenError, OutgoingPart, PortOpener, ProfileChoice, SendRetry, Supervisor,
};
use bubblegate_sim::{NetworkConfig, Profile, ProfileSet};
use bubblegate_simulator::{
    Adapter, ModemConfig as SimModem, SimHandle, Simulator, SimulatorConfig,
};
use bubblegate_sms::segment::{plan_text, SegmentOptions, TextEncoding};
use bubblegate_sms::{Address, Dcs, Submit, UserData};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

/// The longest any single wait of a test may take (virtual time where the
/// test pauses it).
pub const WAIT: Duration = Duration::from_secs(600);

/// An outside phone number (not a simulated modem).
pub const OUTSIDE: &str = "+31612345678";

pub fn profiles() -> Arc<ProfileSet> {
    Arc::new(ProfileSet::builtin().expect("built-in profiles load"))
}

pub fn profile(name: &str) -> Arc<Profile> {
    Arc::new(profiles().get(name).unwrap_or_else(|| panic!("no profile {name}")).clone())
}

pub fn all_profiles() -> Vec<Arc<Profile>> {
    profiles().iter().map(|p| Arc::new(p.clone())).collect()
}

/// A variant of `name` that routes new messages (`+CMT`) and needs
/// `+CNMA` for each, as the profile schema allows.
pub fn routing(name: &str) -> Arc<Profile> {
    let mut p = (*profile(name)).clone();
    p.sms.delivery = bubblegate_profiles::Delivery::Route;
    p.sms.cnmi.mt = 2;
    p.sms.needs_cnma = true;
    // Phase 2 (`+CSMS=0`) would make the modem acknowledge by itself.
    p.init.retain(|line| line.command_name() != "+CSMS");
    Arc::new(p)
}

/// A variant of `name` that stores status reports and announces them with
/// `+CDSI` (TS 27.005 3.4.1 `<ds>`=2), as the profiles of models that can
/// do it have it; every built-in profile reads the storage it receives in.
pub fn storing(name: &str) -> Arc<Profile> {
    let mut p = (*profile(name)).clone();
    p.sms.cnmi.ds = 2;
    Arc::new(p)
}

/// Messages in storage `storage` of simulated modem `i`.
pub async fn used(sim: &SimHandle, i: usize, storage: &str) -> u32 {
    let modems = sim.modems().await.expect("modems");
    modems[i].info.storage.iter().find(|(s, _, _)| s == storage).map_or(0, |(_, u, _)| *u)
}

/// Opens a simulated modem's in-process port; counts command lines (CRs)
/// written, for the idle-traffic test.
pub struct DuplexOpener {
    pub sim: SimHandle,
    pub id: bubblegate_sim::ModemId,
    pub commands: Arc<AtomicUsize>,
}

impl PortOpener for DuplexOpener {
    fn open(&self) -> BoxFuture<'_, Result<Box<dyn ModemIo>, OpenError>> {
        Box::pin(async move {
            match self.sim.open_duplex(self.id).await {
                Ok(stream) => Ok(Box::new(Counting { inner: stream, crs: self.commands.clone() })
                    as Box<dyn ModemIo>),
                Err(err) => Err(OpenError::Absent { port: format!("{}: {err}", self.id) }),
            }
        })
    }

    fn describe(&self) -> String {
        format!("sim {}", self.id)
    }
}

/// A stream that counts the CR bytes written through it.
struct Counting<T> {
    inner: T,
    crs: Arc<AtomicUsize>,
}

impl<T: AsyncRead + Unpin> AsyncRead for Counting<T> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Counting<T> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let result = std::pin::Pin::new(&mut self.inner).poll_write(cx, buf);
        if let std::task::Poll::Ready(Ok(n)) = &result {
            let crs = buf[..*n].iter().filter(|&&b| b == b'\r').count();
            self.crs.fetch_add(crs, Ordering::SeqCst);
        }
        result
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Test settings: fast retries and backoff, health every minute.
pub fn config(index: usize, profile: Option<Arc<Profile>>) -> ModemConfig {
    let mut cfg = ModemConfig::new(ModemId::new(format!("modem{index}")).expect("id"));
    cfg.profile = match profile {
        Some(p) => ProfileChoice::Fixed(p),
        None => ProfileChoice::Detect,
    };
    cfg.health_interval = Duration::from_secs(60);
    let quick = Backoff::new(Duration::from_millis(500), Duration::from_secs(5)).expect("backoff");
    cfg.send_retry = SendRetry { attempts: cfg.send_retry.attempts, backoff: quick };
    cfg.backoff = quick;
    cfg.watchdog.reopen_wait = Duration::from_secs(5);
    cfg.shutdown_grace = Duration::from_secs(30);
    cfg.request_timeout = Duration::from_secs(300);
    cfg
}

/// A simulator with one modem per profile, and a supervisor driving them.
pub struct Rig {
    pub sim: Simulator,
    pub supervisor: Option<Supervisor>,
    pub handles: Vec<ModemHandle>,
    pub profiles: Vec<Arc<Profile>>,
    pub commands: Vec<Arc<AtomicUsize>>,
    _dir: tempfile::TempDir,
}

pub struct RigOptions {
    pub network: NetworkConfig,
    /// Fix the profile in the actor's configuration instead of detecting.
    pub fixed: bool,
    pub sim_capacity: Option<u32>,
    /// The SIM PIN of every simulated card.
    pub pin: Option<String>,
    /// Do not start actors yet (for messages stored before the daemon).
    pub start_actors: bool,
    pub tweak: fn(&mut ModemConfig),
}

impl Default for RigOptions {
    fn default() -> Self {
        RigOptions {
            network: NetworkConfig::fast(),
            fixed: false,
            sim_capacity: None,
            pin: None,
            start_actors: true,
            tweak: |_| {},
        }
    }
}

impl Rig {
    pub async fn start(profiles: Vec<Arc<Profile>>, options: RigOptions) -> Rig {
        let dir = tempfile::tempdir().expect("temp dir");
        let modems = profiles
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut m = SimModem::new(p.clone(), i as u32, Adapter::Duplex);
                if let Some(capacity) = options.sim_capacity {
                    m.spec.sim_capacity = capacity;
                }
                m.spec.pin.clone_from(&options.pin);
                m
            })
            .collect();
        let sim = Simulator::start(SimulatorConfig {
            dir: dir.path().to_path_buf(),
            modems,
            control: None,
            network: options.network.clone(),
        })
        .await
        .expect("simulator starts");
        let mut rig = Rig {
            sim,
            supervisor: None,
            handles: Vec::new(),
            commands: Vec::new(),
            profiles,
            _dir: dir,
        };
        if options.start_actors {
            rig.start_actors(&options);
        }
        rig
    }

    pub fn start_actors(&mut self, options: &RigOptions) {
        let fixed = options.fixed;
        let tweak = options.tweak;
        let profiles = self.profiles.clone();
        self.start_actors_with(|i, cfg, _| {
            if fixed {
                cfg.profile = ProfileChoice::Fixed(profiles[i].clone());
            }
            tweak(cfg);
        });
    }

    /// Starts one actor per modem; `tweak` adjusts each configuration.
    pub fn start_actors_with(&mut self, mut tweak: impl FnMut(usize, &mut ModemConfig, SimHandle)) {
        let mut supervisor = Supervisor::new(profiles(), CancellationToken::new());
        self.handles.clear();
        self.commands.clear();
        for i in 0..self.profiles.len() {
            let mut cfg = config(i, None);
            tweak(i, &mut cfg, self.sim.handle());
            let commands = Arc::new(AtomicUsize::new(0));
            let opener = DuplexOpener {
                sim: self.sim.handle(),
                id: bubblegate_sim::ModemId(i as u32),
                commands: commands.clone(),
            };
            self.handles.push(supervisor.spawn(cfg, Arc::new(opener)).expect("spawns"));
            self.commands.push(commands);
        }
        self.supervisor = Some(supervisor);
    }

    pub fn handle(&self, i: usize) -> &ModemHandle {
        &self.handles[i]
    }

    pub fn sim(&self) -> SimHandle {
        self.sim.handle()
    }

    pub fn number(&self, i: usize) -> String {
        self.sim.modems()[i].info.number.clone()
    }

    /// The modem's AT transcript so far.
    pub fn transcript(&self, i: usize) -> String {
        std::fs::read_to_string(&self.sim.modems()[i].transcript).unwrap_or_default()
    }

    pub async fn stop(mut self) {
        if let Some(supervisor) = self.supervisor.take() {
            assert!(supervisor.shutdown(WAIT).await, "actors stop in time");
        }
        self.sim.shutdown().await;
    }
}

/// Waits until modem `handle` is ready.
pub async fn ready(handle: &ModemHandle) {
    let name = handle.id().to_string();
    if let Err(err) = handle.wait_for(WAIT, |s| s.state.is_ready()).await {
        panic!("{name} not ready: {err}; status {:?}", handle.status());
    }
}

/// The next event for which `pick` returns something, within [`WAIT`].
pub async fn next<T>(
    events: &mut broadcast::Receiver<ModemEvent>,
    what: &str,
    mut pick: impl FnMut(&EventKind) -> Option<T>,
) -> T {
    let found = tokio::time::timeout(WAIT, async {
        loop {
            match events.recv().await {
                Ok(event) => {
                    if let Some(found) = pick(&event.kind) {
                        return found;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(n)) => panic!("lagged by {n} events"),
                Err(broadcast::error::RecvError::Closed) => panic!("events closed"),
            }
        }
    })
    .await;
    found.unwrap_or_else(|_| panic!("no {what} within {WAIT:?}"))
}

/// The parts of `text` to `to`, as the outbox would hand them over.
pub fn parts(to: &str, text: &str, encoding: TextEncoding, report: bool) -> Vec<OutgoingPart> {
    let options = SegmentOptions { encoding, ..SegmentOptions::default() };
    let plan = plan_text(text, &options).expect("plan");
    let template = Submit {
        reject_duplicates: false,
        status_report_request: report,
        reply_path: false,
        message_ref: 0,
        destination: Address::phone(to).expect("number"),
        pid: 0,
        dcs: Dcs::new(plan.coding, None),
        validity: None,
        user_data: UserData::text(""),
    };
    let submits = plan.submits(&template, 7);
    let last = submits.len() - 1;
    submits
        .into_iter()
        .enumerate()
        .map(|(i, submit)| OutgoingPart { submit, more_to_follow: i < last })
        .collect()
}

/// The text of a received DELIVER event.
pub fn text_of(kind: &EventKind) -> Option<(bubblegate_modem::InboundToken, String)> {
    match kind {
        EventKind::Inbound(m) => match &m.deliver.user_data.body {
            bubblegate_sms::Body::Text(t) => Some((m.token, t.clone())),
            bubblegate_sms::Body::Data(_) => None,
        },
        _ => None,
    }
}

/// Whether the host sent `line` according to a transcript.
pub fn sent(transcript: &str, line: &str) -> bool {
    transcript.lines().any(|l| l.ends_with(&format!(">> {line}")))
}

/// How many command lines the host sent according to a transcript.
pub fn sent_count(transcript: &str, prefix: &str) -> usize {
    transcript.lines().filter(|l| l.contains(&format!(">> {prefix}"))).count()
}
