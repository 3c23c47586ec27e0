//! The IO half of `bubblegate sim`: it runs the sans-IO virtual network of
//! `bubblegate-sim` on tokio and connects it to the world.
//!
//! - [`Simulator::start`] builds the [`Network`], plugs every modem into a
//!   port and spawns the runner, the one task that owns the network.
//! - A modem's port is a real pseudo-terminal with a stable symlink
//!   (`<dir>/modem0 -> /dev/pts/N`, [`Adapter::Pty`]) that gammu, minicom
//!   or `tokio-serial` open like a USB modem, or an in-process duplex
//!   stream for fast tests ([`Adapter::Duplex`], [`SimHandle::open_duplex`]).
//! - Every modem writes a time-stamped AT transcript to `<dir>/modem0.log`.
//! - [`SimHandle`] sends control requests to the runner; [`control::router`]
//!   serves the same requests as HTTP with JSON on loopback, and
//!   [`client::ControlClient`] is a minimal client for tests and scripts.
//!
//! Shutdown goes through one `CancellationToken`: [`Simulator::shutdown`]
//! (or dropping the [`Simulator`]) stops the runner, the ports and the
//! control server, and every PTY symlink is removed.
//!
//! # Invariants
//!
//! - Only the runner touches the [`Network`]; ports and the control server
//!   talk to it through channels, so the core needs no locks.
//! - The runner never waits on a port or a client: bytes for a host that
//!   does not read are dropped (bounded buffers), never queued without
//!   limit, and a slow host cannot stall the other modems.
//! - Nothing polls: the runner sleeps until a port or request wakes it or
//!   until [`Network::poll_timeout`].
//! - A request that changes the network answers only after the network's
//!   output was handed on, so a caller who got the answer sees the effect
//!   (a removed path, a queued URC).
//! - A PTY modem's path exists exactly while the modem is plugged in, and
//!   never outlives [`Simulator::shutdown`].
//! - Phone numbers and message bodies reach `tracing` only at trace level.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bubblegate_sim::{
    Fault, ModemId, ModemSpec, Network, NetworkConfig, Profile, ReceivedMessage, ReportOutcome,
};
use serde::{Deserialize, Serialize};
use tokio::io::DuplexStream;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub mod client;
pub mod control;
mod error;
mod port;
mod pty;
mod runner;
pub mod serial;
mod transcript;

pub use bubblegate_sim;
pub use error::SimulatorError;
pub use runner::{ModemStatus, OpenError, Recipient};

use runner::{Request, Runner};

/// How long a stopping control server may take to finish its requests.
const SERVER_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// How a simulated modem is connected to its host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Adapter {
    /// A real pseudo-terminal behind a stable symlink in the simulator
    /// directory: the path for real serial software.
    Pty,
    /// An in-process `tokio::io::DuplexStream`: no kernel, no file, for
    /// fast tests.
    Duplex,
}

/// One modem to simulate: its model and SIM ([`ModemSpec`]) and its port.
#[derive(Debug, Clone)]
pub struct ModemConfig {
    pub spec: ModemSpec,
    pub adapter: Adapter,
}

impl ModemConfig {
    /// The `index`-th modem (0, 1, ...) playing `profile`, with the SIM
    /// identities [`ModemSpec::new`] derives from the index.
    pub fn new(profile: Arc<Profile>, index: u32, adapter: Adapter) -> ModemConfig {
        ModemConfig { spec: ModemSpec::new(profile, index), adapter }
    }
}

/// What to simulate and where.
#[derive(Debug, Clone)]
pub struct SimulatorConfig {
    /// Holds the PTY symlinks (`modem0`, ...) and transcripts
    /// (`modem0.log`, ...). Created if missing.
    pub dir: PathBuf,
    pub modems: Vec<ModemConfig>,
    /// Where to serve the HTTP control interface, e.g. `127.0.0.1:0`;
    /// `None` for none (tests that use [`SimHandle`] directly).
    pub control: Option<SocketAddr>,
    pub network: NetworkConfig,
}

/// A running simulator. Dropping it stops everything (as
/// [`Simulator::shutdown`] does, without waiting).
#[derive(Debug)]
pub struct Simulator {
    handle: SimHandle,
    modems: Vec<ModemStatus>,
    control_addr: Option<SocketAddr>,
    shutdown: CancellationToken,
    runner: Option<JoinHandle<()>>,
    server: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Builds the network, opens every modem's port and starts serving.
    /// Must run inside a tokio runtime with IO and time enabled.
    pub async fn start(config: SimulatorConfig) -> Result<Simulator, SimulatorError> {
        std::fs::create_dir_all(&config.dir)
            .map_err(|source| SimulatorError::Dir { path: config.dir.clone(), source })?;
        let shutdown = CancellationToken::new();
        let (requests_tx, requests_rx) = mpsc::channel(64);
        let mut runner =
            Runner::new(Network::new(config.network), &config.dir, requests_rx, shutdown.clone());
        let now = tokio::time::Instant::now().into_std();
        for modem in config.modems {
            let number = modem.spec.number.clone();
            let id = runner.network_mut().add_modem(modem.spec, now);
            if let Err(err) = runner.attach(id, number, modem.adapter) {
                // Unwinds the ports opened so far: their symlinks go too.
                drop(runner);
                shutdown.cancel();
                return Err(err);
            }
        }
        let modems = runner.status();
        let handle = SimHandle { requests: requests_tx };
        let mut simulator = Simulator {
            handle: handle.clone(),
            modems,
            control_addr: None,
            shutdown: shutdown.clone(),
            runner: Some(tokio::spawn(runner.run())),
            server: None,
        };
        if let Some(addr) = config.control {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|source| SimulatorError::Bind { addr, source })?;
            let local =
                listener.local_addr().map_err(|source| SimulatorError::Bind { addr, source })?;
            simulator.control_addr = Some(local);
            let app = control::router(handle);
            let token = shutdown.clone();
            simulator.server = Some(tokio::spawn(async move {
                let serve = axum::serve(listener, app)
                    .with_graceful_shutdown(async move { token.cancelled().await });
                if let Err(err) = serve.await {
                    tracing::error!(%err, "control server failed");
                }
            }));
            tracing::info!(addr = %local, "control interface listening");
        }
        Ok(simulator)
    }

    /// A handle for control requests; clone it freely.
    pub fn handle(&self) -> SimHandle {
        self.handle.clone()
    }

    /// The modems as they were at start (paths, numbers); ask
    /// [`SimHandle::modems`] for the current state.
    pub fn modems(&self) -> &[ModemStatus] {
        &self.modems
    }

    /// The control interface's actual address (with the port the system
    /// picked for port 0).
    pub fn control_addr(&self) -> Option<SocketAddr> {
        self.control_addr
    }

    /// The token that stops the simulator; cancelling it is the same as
    /// calling [`Simulator::shutdown`] without waiting.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// Stops the simulator and waits until every port is closed and every
    /// symlink removed.
    pub async fn shutdown(mut self) {
        self.shutdown.cancel();
        self.wait().await;
    }

    /// Waits until the simulator stops (its shutdown token is cancelled,
    /// e.g. by Ctrl-C handling), then for its cleanup.
    pub async fn wait(&mut self) {
        if let Some(runner) = self.runner.take() {
            if let Err(err) = runner.await {
                tracing::error!(%err, "simulator runner failed");
            }
        }
        if let Some(mut server) = self.server.take() {
            // Graceful shutdown lets requests in flight finish; a client
            // that keeps its connection busy must not hold the exit up.
            if tokio::time::timeout(SERVER_GRACE, &mut server).await.is_err() {
                tracing::warn!(
                    "control connections still open after {SERVER_GRACE:?}; closing them"
                );
                server.abort();
            }
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// Sends control requests to a running simulator. Every method fails with
/// [`SimulatorError::Stopped`] once it has stopped.
#[derive(Debug, Clone)]
pub struct SimHandle {
    requests: mpsc::Sender<Request>,
}

impl SimHandle {
    async fn call<T>(
        &self,
        request: impl FnOnce(oneshot::Sender<T>) -> Request,
    ) -> Result<T, SimulatorError> {
        let (tx, rx) = oneshot::channel();
        self.requests.send(request(tx)).await.map_err(|_| SimulatorError::Stopped)?;
        rx.await.map_err(|_| SimulatorError::Stopped)
    }

    /// Every modem with its path, number, IMSI, profile and state.
    pub async fn modems(&self) -> Result<Vec<ModemStatus>, SimulatorError> {
        self.call(Request::Modems).await
    }

    /// An SMS from `from` (a number or an alphanumeric sender) to a
    /// simulated modem; long text arrives as concatenated parts.
    pub async fn inject_text(
        &self,
        to: Recipient,
        from: &str,
        text: &str,
    ) -> Result<(), SimulatorError> {
        let (from, text) = (from.to_owned(), text.to_owned());
        Ok(self.call(|reply| Request::InjectText { to, from, text, reply }).await??)
    }

    /// Raw SMS-DELIVER TPDUs for a simulated modem, in the order given.
    pub async fn inject_pdus(
        &self,
        to: Recipient,
        pdus: Vec<Vec<u8>>,
    ) -> Result<(), SimulatorError> {
        Ok(self.call(|reply| Request::InjectPdus { to, pdus, reply }).await??)
    }

    /// Every message the modems sent, reassembled, in the order completed.
    pub async fn received(&self) -> Result<Vec<ReceivedMessage>, SimulatorError> {
        self.call(Request::Received).await
    }

    pub async fn report_outcome(&self) -> Result<ReportOutcome, SimulatorError> {
        self.call(Request::ReportOutcome).await
    }

    /// The outcome status reports announce for messages sent from now on.
    pub async fn set_report_outcome(&self, outcome: ReportOutcome) -> Result<(), SimulatorError> {
        self.call(|reply| Request::SetReportOutcome(outcome, reply)).await
    }

    pub async fn inject_fault(&self, id: ModemId, fault: Fault) -> Result<(), SimulatorError> {
        Ok(self.call(|reply| Request::InjectFault { id, fault, reply }).await??)
    }

    /// Opens an in-process modem's serial port. See [`Adapter::Duplex`]:
    /// the first open after a plug-in also gets what the modem sent
    /// before it (its ready URCs); opening again replaces the connection.
    pub async fn open_duplex(&self, id: ModemId) -> Result<DuplexStream, SimulatorError> {
        Ok(self.call(|reply| Request::OpenDuplex(id, reply)).await??)
    }
}

/// The default simulator directory for a person's run:
/// `$XDG_RUNTIME_DIR/bubblegate-sim`, else `/tmp/bubblegate-sim-<uid>`.
pub fn default_dir() -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR") {
        Some(runtime) if Path::new(&runtime).is_absolute() => {
            Path::new(&runtime).join("bubblegate-sim")
        }
        _ => std::env::temp_dir().join(format!("bubblegate-sim-{}", rustix::process::getuid())),
    }
}
