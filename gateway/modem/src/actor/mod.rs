//! One modem's actor: the task that owns the port and the AT engine.
//!
//! Everything the actor waits for is one closed set, `Wake`: bytes from
//! the port (or its closing), the engine's timeout, a request, the health
//! tick, the deadline of the step in progress (a backoff, a boot wait, the
//! shutdown grace), and shutdown. `Actor::turn` (in `conversation`) is the
//! only `select!`; every wait in the actor goes through it, so URCs are
//! read and requests are taken whatever the actor is doing.
//!
//! The actor's life is a loop of sessions ([`Actor::run`]): open the port,
//! bring the modem up (`init`), serve (`serve` here, with `send`,
//! `receive` and `health`), until something stops the session ([`Stop`]).
//! The stop says what comes next: recovery through the watchdog
//! (`watchdog`), waiting for the port to come back, backoff in `failed`,
//! the disabled state, or the end.
//!
//! The files, by what they own:
//!
//! - `link`: the port and the engine, reads and bounded writes;
//! - `conversation`: the `select!`, sending a command and awaiting its
//!   answer, typed or raw;
//! - `state`: the public state and status types;
//! - `init`: probing, identification and profile, SIM and PIN, SMS setup,
//!   the startup sweep;
//! - `send`: one part per request, `+CMMS`, bounded retries;
//! - `receive`: `+CMTI`/`+CDSI`/`+CMT`/`+CDS`, tokens and confirmation;
//! - `health`: signal, registration, operator, storage;
//! - `watchdog`: ping, soft reset, reopen, power cycle;
//! - `text`: text mode, for modems without PDU mode.

mod conversation;
mod health;
mod init;
mod link;
mod receive;
mod send;
pub(crate) mod state;
mod text;
mod watchdog;

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use bubblegate_at::commands::network::{Domain, RegistrationStatus};
use bubblegate_at::{Response, Urc};
use bubblegate_profiles::{Profile, ProfileSet};
use tokio::sync::{broadcast, mpsc, watch, OwnedMutexGuard};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::config::{Desired, ModemConfig, ProfileChoice};
use crate::error::{ConfirmError, SendError};
use crate::event::{EventKind, ModemEvent};
use crate::handle::{Request, SendOutcome};
use crate::opener::PortOpener;
use conversation::{CallError, Turn};
use link::Link;
use receive::Inbox;
use state::{FailReason, ModemState, ModemStatus};

/// What outlives one run of the actor: the supervisor keeps it and hands
/// it to the next run after a panic.
pub(crate) struct Shared {
    pub(crate) config: ModemConfig,
    pub(crate) profiles: Arc<ProfileSet>,
    pub(crate) opener: Arc<dyn PortOpener>,
    /// Locked by the running actor; a panic unwinds the guard, so requests
    /// still in the channel reach the next run.
    pub(crate) requests: Arc<tokio::sync::Mutex<mpsc::Receiver<Request>>>,
    pub(crate) events: broadcast::Sender<ModemEvent>,
    pub(crate) status: watch::Sender<ModemStatus>,
    /// The SIM refused the configured PIN (or its answer was lost). Kept
    /// across restarts so that a crash loop cannot burn the PIN attempts.
    pub(crate) pin_rejected: AtomicBool,
}

/// Why a session (or a step of it) ended, and so what comes next.
#[derive(Debug)]
pub(crate) enum Stop {
    Shutdown,
    Disabled,
    /// The port closed, failed or could not be opened.
    PortGone(String),
    /// This command timed out: the watchdog takes over.
    Unresponsive(String),
    /// The modem restarted by itself (ready URCs while serving).
    Rebooted,
    Failed(FailReason),
}

pub(crate) struct Actor {
    shared: Arc<Shared>,
    requests: OwnedMutexGuard<mpsc::Receiver<Request>>,
    requests_open: bool,
    shutdown: CancellationToken,
    /// Set once shutdown was seen, so that a send can finish within its
    /// grace and the cancelled token does not wake every turn.
    stopping: bool,
    link: Option<Link>,
    /// `generic` until identified, unless the configuration fixes one.
    profile: Arc<Profile>,
    desired: Desired,
    /// Whether the modem is up and sends are taken (`ready` or `SIM ready`).
    serving: bool,
    responses: VecDeque<Response>,
    urcs: VecDeque<Urc>,
    /// Requests taken during a command, handled when it is done.
    backlog: VecDeque<Request>,
    /// The body of the command in flight went to the port.
    body_written: bool,
    next_health: Option<Instant>,
    registration: HashMap<Domain, RegistrationStatus>,
    inbox: Inbox,
    /// Whether `+CMMS` works on this modem; `None` until tried.
    cmms: Option<bool>,
    /// Consecutive failed sessions, for the backoff.
    failures: u32,
    /// The PIN was accepted once since this run started.
    pin_accepted: bool,
}

impl Actor {
    pub(crate) fn new(
        shared: Arc<Shared>,
        requests: OwnedMutexGuard<mpsc::Receiver<Request>>,
        shutdown: CancellationToken,
    ) -> Self {
        let profile = match &shared.config.profile {
            ProfileChoice::Fixed(profile) => profile.clone(),
            ProfileChoice::Detect => Arc::new(shared.profiles.generic().clone()),
        };
        let desired = shared.status.borrow().desired;
        Actor {
            requests,
            requests_open: true,
            shutdown,
            stopping: false,
            link: None,
            profile,
            desired,
            serving: false,
            responses: VecDeque::new(),
            urcs: VecDeque::new(),
            backlog: VecDeque::new(),
            body_written: false,
            next_health: None,
            registration: HashMap::new(),
            inbox: Inbox::default(),
            cmms: None,
            failures: 0,
            pin_accepted: false,
            shared,
        }
    }

    fn config(&self) -> &ModemConfig {
        &self.shared.config
    }

    /// Runs sessions until shutdown. See the module documentation.
    pub(crate) async fn run(mut self) {
        let mut next: Option<Stop> = None;
        loop {
            let stop = match next.take() {
                Some(stop) => stop,
                None if self.stopping || self.shutdown.is_cancelled() => Stop::Shutdown,
                None if self.desired == Desired::Disabled => Stop::Disabled,
                None => self.session().await,
            };
            self.serving = false;
            if !matches!(stop, Stop::Shutdown) {
                self.interrupt_waiting_sends(&stop);
            }
            next = match stop {
                Stop::Shutdown => break,
                Stop::Disabled => self.disabled().await.err(),
                Stop::PortGone(why) => {
                    tracing::warn!(port = %self.shared.opener.describe(), %why, "port lost");
                    self.close();
                    self.wait_for_port().await.err()
                }
                Stop::Unresponsive(command) => self.recover(&command).await.err(),
                Stop::Rebooted => {
                    tracing::warn!("the modem restarted by itself; setting it up again");
                    None
                }
                Stop::Failed(reason) => self.failed(reason).await.err(),
            };
        }
        self.close();
        for request in self.backlog.drain(..) {
            refuse(request, None);
        }
        tracing::debug!("actor stopped");
    }

    /// One session: open the port if needed, bring the modem up, serve.
    async fn session(&mut self) -> Stop {
        if self.link.is_none() {
            if let Err(stop) = self.open_port().await {
                return stop;
            }
        }
        if let Err(stop) = self.bring_up().await {
            return stop;
        }
        self.failures = 0;
        self.serve().await
    }

    /// Opens the port once, within the reopen bound.
    async fn open_port(&mut self) -> Result<(), Stop> {
        let bound = self.config().watchdog.reopen_wait;
        let opener = self.shared.opener.clone();
        let opened = tokio::select! {
            () = self.shutdown.cancelled() => return Err(Stop::Shutdown),
            opened = tokio::time::timeout(bound, opener.open()) => opened,
        };
        match opened {
            Ok(Ok(io)) => {
                tracing::debug!(port = %opener.describe(), "port open");
                self.link = Some(Link::new(io, &self.profile));
                Ok(())
            }
            Ok(Err(err)) => Err(Stop::PortGone(err.to_string())),
            Err(_) => Err(Stop::PortGone(format!("open took longer than {bound:?}"))),
        }
    }

    /// Closes the port and forgets what the engine held.
    fn close(&mut self) {
        if self.link.take().is_some() {
            tracing::debug!("port closed");
        }
        self.responses.clear();
        self.body_written = false;
    }

    /// Waits for the port to come back: reopens with backoff until it
    /// opens, then the next session starts.
    async fn wait_for_port(&mut self) -> Result<(), Stop> {
        self.set_state(ModemState::WaitingForPort);
        let mut tries = 0u32;
        loop {
            let delay = self.config().backoff.delay(tries);
            self.pause(delay).await?;
            match self.open_port().await {
                Ok(()) => return Ok(()),
                Err(Stop::PortGone(why)) => {
                    tracing::debug!(%why, "port not back yet");
                    tries = tries.saturating_add(1);
                }
                Err(stop) => return Err(stop),
            }
        }
    }

    /// The `failed` state: backoff and start over, or wait for a person.
    async fn failed(&mut self, reason: FailReason) -> Result<(), Stop> {
        self.close();
        if reason.is_retryable() {
            let delay = self.config().backoff.delay(self.failures);
            self.failures = self.failures.saturating_add(1);
            tracing::warn!(%reason, ?delay, "modem failed; starting over after the backoff");
            self.set_state(ModemState::Failed { reason, retry_in: Some(delay) });
            self.pause(delay).await
        } else {
            tracing::error!(%reason, "modem failed; it needs a person");
            self.set_state(ModemState::Failed { reason, retry_in: None });
            // Only the operator moves it on: disabling and enabling it again.
            loop {
                self.pause(Duration::from_secs(3600)).await?;
            }
        }
    }

    /// The disabled state: port closed, until enabled or shutdown.
    async fn disabled(&mut self) -> Result<(), Stop> {
        self.close();
        self.set_state(ModemState::Disabled);
        loop {
            match self.pause(Duration::from_secs(3600)).await {
                Ok(()) if self.desired == Desired::Enabled => return Ok(()),
                Ok(()) | Err(Stop::Disabled) => {}
                Err(stop) => return Err(stop),
            }
        }
    }

    /// Waits for `duration` while reading the port and taking requests.
    /// Returns early when the desired state changes.
    async fn pause(&mut self, duration: Duration) -> Result<(), Stop> {
        let deadline = Instant::now() + duration;
        let desired = self.desired;
        loop {
            match self.turn(Some(deadline), false).await? {
                Turn::Progress | Turn::Health => {}
                Turn::Request(request) => self.on_request_busy(request),
                Turn::Deadline => return Ok(()),
                Turn::Shutdown => return Err(Stop::Shutdown),
            }
            if self.desired != desired {
                return match self.desired {
                    Desired::Disabled => Err(Stop::Disabled),
                    Desired::Enabled => Ok(()),
                };
            }
        }
    }

    /// Serves until something stops the session: URCs first, then queued
    /// requests, then whatever comes next.
    async fn serve(&mut self) -> Stop {
        match self.serve_loop().await {
            Ok(never) => match never {},
            Err(stop) => stop,
        }
    }

    async fn serve_loop(&mut self) -> Result<std::convert::Infallible, Stop> {
        self.serving = true;
        self.schedule_health(self.config().health_interval);
        loop {
            if self.stopping {
                return Err(Stop::Shutdown);
            }
            if self.desired == Desired::Disabled {
                return Err(Stop::Disabled);
            }
            if let Some(urc) = self.urcs.pop_front() {
                self.on_urc(urc).await?;
                continue;
            }
            if let Some(request) = self.backlog.pop_front() {
                self.on_request(request).await?;
                continue;
            }
            let deadline = self.inbox.ack_deadline();
            match self.turn(deadline, true).await? {
                Turn::Progress => {}
                Turn::Request(request) => self.on_request(request).await?,
                Turn::Health => self.health().await?,
                Turn::Deadline => self.ack_overdue().await?,
                Turn::Shutdown => return Err(Stop::Shutdown),
            }
        }
    }

    /// A request while serving.
    async fn on_request(&mut self, request: Request) -> Result<(), Stop> {
        match request {
            Request::Send { part, reply } => self.send(*part, reply).await,
            Request::Confirm { token, reply } => self.confirm(token, reply).await,
            Request::SetDesired { desired, reply } => {
                self.set_desired(desired);
                let _ = reply.send(());
                Ok(())
            }
        }
    }

    /// A request while a command runs or the modem is not serving: sends
    /// wait for their turn when serving and are refused otherwise,
    /// confirmations wait, the desired state is taken at once.
    fn on_request_busy(&mut self, request: Request) {
        match request {
            Request::SetDesired { desired, reply } => {
                self.set_desired(desired);
                let _ = reply.send(());
            }
            Request::Send { .. } if !self.serving => {
                let state = self.shared.status.borrow().state.clone();
                refuse(request, Some(state));
            }
            request => self.backlog.push_back(request),
        }
    }

    /// Sends taken while a command ran wait in the backlog for the session
    /// to serve them. When the session ends first (port gone, watchdog,
    /// reboot, failure, disabled), they go back to their callers at once as
    /// interrupted, a temporary error: their bodies never reached the port,
    /// so another modem may take them rather than this one's return being
    /// awaited. Confirmations stay, as their tokens outlive the session.
    fn interrupt_waiting_sends(&mut self, stop: &Stop) {
        let (sends, rest): (VecDeque<Request>, VecDeque<Request>) =
            self.backlog.drain(..).partition(|r| matches!(r, Request::Send { .. }));
        self.backlog = rest;
        for request in sends {
            if let Request::Send { reply, .. } = request {
                tracing::debug!(?stop, "a waiting send is handed back");
                let error = SendError::Interrupted(format!("{stop:?}"));
                let _ =
                    reply.send(SendOutcome::failed(error, bubblegate_at::ErrorClass::Temporary));
            }
        }
    }

    fn set_desired(&mut self, desired: Desired) {
        if desired == self.desired {
            return;
        }
        tracing::info!(?desired, "desired state changed");
        if desired == Desired::Enabled {
            // Enabling again is the operator's word that the SIM and PIN
            // were looked at.
            self.shared.pin_rejected.store(false, std::sync::atomic::Ordering::SeqCst);
        }
        self.desired = desired;
        self.shared.status.send_modify(|s| s.desired = desired);
    }

    fn set_state(&mut self, state: ModemState) {
        let changed = self.shared.status.borrow().state != state;
        if !changed {
            return;
        }
        tracing::info!(%state, "state");
        self.shared.status.send_modify(|s| s.state = state.clone());
        self.emit(EventKind::State(state));
    }

    fn emit(&self, kind: EventKind) {
        // No subscriber is not an error: the status watch still has it, and
        // unconfirmed messages are handed over again.
        let _ = self.shared.events.send(ModemEvent { modem: self.config().id.clone(), kind });
    }

    fn schedule_health(&mut self, after: Duration) {
        self.next_health = Some(Instant::now() + after);
    }
}

/// Answers a request that cannot be served now (in `state`), or at all
/// (`None`: the actor is stopping).
fn refuse(request: Request, state: Option<ModemState>) {
    match request {
        Request::Send { reply, .. } => {
            let error = state.map_or(SendError::NotRunning, SendError::NotReady);
            let _ = reply.send(SendOutcome::failed(error, bubblegate_at::ErrorClass::Temporary));
        }
        Request::Confirm { reply, .. } => {
            let _ = reply.send(Err(ConfirmError::NotRunning));
        }
        Request::SetDesired { reply, .. } => {
            let _ = reply.send(());
        }
    }
}
