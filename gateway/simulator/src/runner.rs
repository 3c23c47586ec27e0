//! The runner: the one task that owns the [`Network`] and drives it.
//!
//! It waits on a closed set of wake-ups ([`Wake`]): bytes from a port, a
//! control request, the network's next timer, or shutdown. After each it
//! hands the network's output to the ports and the transcripts, then sleeps
//! until the network's next deadline. Nothing polls: with no traffic and no
//! timer the task sleeps until a host writes or a request comes.
//!
//! Time: the runner passes `tokio::time::Instant::now()` (as a std
//! `Instant`) to the network, so tests on paused tokio time run the
//! network's timers (radio time, boot time) at once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use bubblegate_sim::{
    Event, Fault, ModemId, ModemInfo, Network, ReceivedMessage, ReportOutcome, SimError,
};
use serde::Serialize;
use tokio::io::DuplexStream;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::port::{self, PortEvent, PortHandle};
use crate::pty::Pty;
use crate::transcript::Transcript;
use crate::Adapter;

/// Buffer of an in-process duplex stream, per direction.
const DUPLEX_BUFFER: usize = 64 * 1024;

/// One simulated modem as the control interface lists it: what the network
/// knows ([`ModemInfo`]) plus where its port is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModemStatus {
    /// `modem0`, `modem1`, ...: the name of its symlink and transcript.
    pub name: String,
    #[serde(flatten)]
    pub info: ModemInfo,
    /// `pty` or `duplex`.
    pub adapter: Adapter,
    /// The stable path to open (the symlink), for a PTY modem that is
    /// plugged in.
    pub path: Option<PathBuf>,
    /// The PTY device the path points at now, e.g. `/dev/pts/7`.
    pub device: Option<PathBuf>,
    /// The AT transcript file.
    pub transcript: PathBuf,
}

/// A control request, with the channel its answer goes back on.
#[derive(Debug)]
pub(crate) enum Request {
    Modems(oneshot::Sender<Vec<ModemStatus>>),
    InjectText {
        to: Recipient,
        from: String,
        text: String,
        reply: oneshot::Sender<Result<(), SimError>>,
    },
    InjectPdus {
        to: Recipient,
        pdus: Vec<Vec<u8>>,
        reply: oneshot::Sender<Result<(), SimError>>,
    },
    Received(oneshot::Sender<Vec<ReceivedMessage>>),
    ReportOutcome(oneshot::Sender<ReportOutcome>),
    SetReportOutcome(ReportOutcome, oneshot::Sender<()>),
    InjectFault {
        id: ModemId,
        fault: Fault,
        reply: oneshot::Sender<Result<(), SimError>>,
    },
    /// Opens an in-process modem's port: the host end of a duplex stream.
    OpenDuplex(ModemId, oneshot::Sender<Result<DuplexStream, OpenError>>),
}

/// Where an injected SMS goes: a simulated modem by id, or by number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    Modem(ModemId),
    Number(String),
}

/// Why [`crate::SimHandle::open_duplex`] gave no stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error("no such modem")]
    UnknownModem,
    #[error("the modem is on a pseudo-terminal; open its path instead")]
    NotDuplex,
    #[error("the modem is unplugged")]
    Unplugged,
}

/// What woke the runner.
enum Wake {
    Shutdown,
    Port(PortEvent),
    Request(Request),
    NoMoreRequests,
    Timer,
}

/// One modem's adapter state.
struct Slot {
    name: String,
    /// The SIM's number, for injecting by modem id.
    number: String,
    adapter: Adapter,
    transcript: Transcript,
    transcript_path: PathBuf,
    /// The open connection, if the modem is plugged in (and, for a duplex
    /// modem, its host end has not been dropped).
    port: Option<PortHandle>,
    /// For a PTY: the symlink and the device it points at while plugged.
    pty: Option<(PathBuf, PathBuf)>,
    /// For a duplex modem: the host end made at plug time, until taken.
    host_end: Option<DuplexStream>,
    plugged: bool,
}

pub(crate) struct Runner {
    network: Network,
    dir: PathBuf,
    slots: BTreeMap<ModemId, Slot>,
    next_generation: u64,
    port_tx: mpsc::Sender<PortEvent>,
    port_rx: mpsc::Receiver<PortEvent>,
    requests: mpsc::Receiver<Request>,
    shutdown: CancellationToken,
    tracker: TaskTracker,
}

impl Runner {
    pub(crate) fn new(
        network: Network,
        dir: &Path,
        requests: mpsc::Receiver<Request>,
        shutdown: CancellationToken,
    ) -> Runner {
        let (port_tx, port_rx) = mpsc::channel(256);
        Runner {
            network,
            dir: dir.to_path_buf(),
            slots: BTreeMap::new(),
            next_generation: 0,
            port_tx,
            port_rx,
            requests,
            shutdown,
            tracker: TaskTracker::new(),
        }
    }

    /// Adds a modem that is already in the network and plugs it in.
    pub(crate) fn attach(
        &mut self,
        id: ModemId,
        number: String,
        adapter: Adapter,
    ) -> Result<(), crate::SimulatorError> {
        let name = id.to_string();
        let transcript_path = self.dir.join(format!("{name}.log"));
        let transcript = Transcript::open(&transcript_path)?;
        let slot = Slot {
            name,
            number,
            adapter,
            transcript,
            transcript_path,
            port: None,
            pty: None,
            host_end: None,
            plugged: false,
        };
        self.slots.insert(id, slot);
        self.plug(id).map_err(|source| crate::SimulatorError::Pty {
            link: self.dir.join(id.to_string()),
            source,
        })
    }

    pub(crate) fn network_mut(&mut self) -> &mut Network {
        &mut self.network
    }

    pub(crate) fn status(&self) -> Vec<ModemStatus> {
        self.network
            .modems()
            .into_iter()
            .filter_map(|info| {
                let slot = self.slots.get(&info.id)?;
                Some(ModemStatus {
                    name: slot.name.clone(),
                    adapter: slot.adapter,
                    path: slot.pty.as_ref().map(|(link, _)| link.clone()),
                    device: slot.pty.as_ref().map(|(_, device)| device.clone()),
                    transcript: slot.transcript_path.clone(),
                    info,
                })
            })
            .collect()
    }

    /// Runs until shutdown. On the way out every port is closed and every
    /// PTY symlink removed before this returns.
    pub(crate) async fn run(mut self) {
        self.flush();
        let mut requests_open = true;
        loop {
            let deadline = self.network.poll_timeout();
            let wake = tokio::select! {
                () = self.shutdown.cancelled() => Wake::Shutdown,
                Some(event) = self.port_rx.recv() => Wake::Port(event),
                request = self.requests.recv(), if requests_open => match request {
                    Some(request) => Wake::Request(request),
                    None => Wake::NoMoreRequests,
                },
                () = sleep_until(deadline) => Wake::Timer,
            };
            match wake {
                Wake::Shutdown => break,
                Wake::Port(event) => self.on_port(event),
                Wake::Request(request) => self.on_request(request),
                Wake::Timer => self.network.handle_timeout(now()),
                // Every handle is gone, so nobody can send requests any
                // more; hosts on the ports still can, so keep running until
                // shutdown.
                Wake::NoMoreRequests => requests_open = false,
            }
            self.flush();
        }
        for slot in self.slots.values_mut() {
            close(slot);
        }
        self.tracker.close();
        self.tracker.wait().await;
    }

    fn on_port(&mut self, event: PortEvent) {
        match event {
            PortEvent::Bytes { id, generation, bytes } => {
                if self.current(id, generation) {
                    self.network.handle_input(id, &bytes, now());
                }
            }
            PortEvent::Closed { id, generation } => {
                if self.current(id, generation) {
                    if let Some(slot) = self.slots.get_mut(&id) {
                        tracing::debug!(modem = %id, "host closed the port");
                        slot.port = None;
                    }
                }
            }
        }
    }

    fn number_of(&self, to: &Recipient) -> Result<String, SimError> {
        match to {
            Recipient::Number(number) => Ok(number.clone()),
            Recipient::Modem(id) => self
                .slots
                .get(id)
                .map(|slot| slot.number.clone())
                .ok_or(SimError::UnknownModem(*id)),
        }
    }

    fn current(&self, id: ModemId, generation: u64) -> bool {
        self.slots
            .get(&id)
            .and_then(|slot| slot.port.as_ref())
            .is_some_and(|port| port.generation == generation)
    }

    fn on_request(&mut self, request: Request) {
        // Requests that change the network flush its output before they
        // answer, so that their effect (a closed port, a removed path, a
        // queued URC) is visible to whoever got the answer. A requester that
        // gave up no longer has a receiver; its answer is dropped.
        match request {
            Request::Modems(reply) => {
                let _ = reply.send(self.status());
            }
            Request::InjectText { to, from, text, reply } => {
                let result = self
                    .number_of(&to)
                    .and_then(|to| self.network.inject_text(&to, &from, &text, now()));
                self.flush();
                let _ = reply.send(result);
            }
            Request::InjectPdus { to, pdus, reply } => {
                let result =
                    self.number_of(&to).and_then(|to| self.network.inject_pdus(&to, &pdus, now()));
                self.flush();
                let _ = reply.send(result);
            }
            Request::Received(reply) => {
                let _ = reply.send(self.network.received().to_vec());
            }
            Request::ReportOutcome(reply) => {
                let _ = reply.send(self.network.report_outcome());
            }
            Request::SetReportOutcome(outcome, reply) => {
                self.network.set_report_outcome(outcome);
                let _ = reply.send(());
            }
            Request::InjectFault { id, fault, reply } => {
                let result = self.network.inject_fault(id, fault, now());
                self.flush();
                let _ = reply.send(result);
            }
            Request::OpenDuplex(id, reply) => {
                let _ = reply.send(self.open_duplex(id));
            }
        }
    }

    /// Hands the host end of a duplex modem's stream out. The first call
    /// after a plug gets the stream made at plug time, which holds what the
    /// modem sent since (its ready URCs); a later call replaces the
    /// connection, as closing and reopening a serial port does.
    fn open_duplex(&mut self, id: ModemId) -> Result<DuplexStream, OpenError> {
        let slot = self.slots.get_mut(&id).ok_or(OpenError::UnknownModem)?;
        if slot.adapter != Adapter::Duplex {
            return Err(OpenError::NotDuplex);
        }
        if !slot.plugged {
            return Err(OpenError::Unplugged);
        }
        if let Some(host) = slot.host_end.take() {
            return Ok(host);
        }
        let (host, device) = tokio::io::duplex(DUPLEX_BUFFER);
        let generation = self.next_generation;
        self.next_generation += 1;
        slot.port = Some(port::spawn(
            device,
            id,
            generation,
            self.port_tx.clone(),
            &self.shutdown,
            &self.tracker,
        ));
        Ok(host)
    }

    /// Opens the modem's port: a new PTY behind the stable symlink, or a
    /// new duplex stream whose host end waits for [`Request::OpenDuplex`].
    fn plug(&mut self, id: ModemId) -> std::io::Result<()> {
        let Some(slot) = self.slots.get_mut(&id) else { return Ok(()) };
        close(slot);
        let generation = self.next_generation;
        self.next_generation += 1;
        match slot.adapter {
            Adapter::Pty => {
                let link = self.dir.join(&slot.name);
                let pty = Pty::open(&link)?;
                tracing::info!(modem = %id, path = %link.display(), device = %pty.device().display(), "plugged in");
                slot.pty = Some((link, pty.device().to_path_buf()));
                slot.port = Some(port::spawn(
                    pty,
                    id,
                    generation,
                    self.port_tx.clone(),
                    &self.shutdown,
                    &self.tracker,
                ));
            }
            Adapter::Duplex => {
                let (host, device) = tokio::io::duplex(DUPLEX_BUFFER);
                tracing::info!(modem = %id, "plugged in (in-process)");
                slot.host_end = Some(host);
                slot.port = Some(port::spawn(
                    device,
                    id,
                    generation,
                    self.port_tx.clone(),
                    &self.shutdown,
                    &self.tracker,
                ));
            }
        }
        slot.plugged = true;
        Ok(())
    }

    /// Moves everything the network has for the outside to the ports and
    /// transcripts, until it has nothing more.
    fn flush(&mut self) {
        loop {
            let mut progressed = false;
            while let Some(event) = self.network.poll_event() {
                progressed = true;
                self.on_event(event);
            }
            while let Some((id, bytes)) = self.network.poll_transmit_any() {
                progressed = true;
                let Some(slot) = self.slots.get(&id) else { continue };
                let len = bytes.len();
                let sent = slot.port.as_ref().is_some_and(|port| port.send(bytes));
                if !sent {
                    tracing::debug!(modem = %id, len, "host is not reading; bytes dropped");
                }
            }
            if !progressed {
                break;
            }
        }
    }

    fn on_event(&mut self, event: Event) {
        match event {
            Event::Transcript { id, dir, line } => {
                if let Some(slot) = self.slots.get_mut(&id) {
                    slot.transcript.write(id, dir, &line);
                }
            }
            Event::Unplugged { id } => {
                if let Some(slot) = self.slots.get_mut(&id) {
                    tracing::info!(modem = %id, "unplugged");
                    // What the modem said before it went (the OK of a reset
                    // that re-enumerates USB) still reaches the host.
                    while let Some(bytes) = self.network.poll_transmit(id) {
                        if let Some(port) = &slot.port {
                            port.send(bytes);
                        }
                    }
                    if let Some(port) = slot.port.take() {
                        port.finish();
                    }
                    close(slot);
                }
            }
            Event::Replugged { id } => {
                if let Err(err) = self.plug(id) {
                    // The modem stays unplugged; the next replug tries again.
                    tracing::error!(modem = %id, %err, "cannot open a new port on replug");
                }
            }
            Event::Received { message } => {
                tracing::debug!("network received a message");
                tracing::trace!(?message, "received");
            }
            Event::Delivered { id, from, part, total } => {
                tracing::debug!(modem = %id, part, total, "delivered a part");
                tracing::trace!(modem = %id, from, "delivered from");
            }
        }
    }
}

/// Closes a slot's port: the PTY symlink goes at once, the descriptors when
/// the port's task ends, the duplex host end with it.
fn close(slot: &mut Slot) {
    slot.port = None;
    slot.host_end = None;
    slot.plugged = false;
    if let Some((link, device)) = slot.pty.take() {
        if std::fs::read_link(&link).is_ok_and(|target| target == device) {
            if let Err(err) = std::fs::remove_file(&link) {
                tracing::warn!(path = %link.display(), %err, "cannot remove PTY symlink");
            }
        }
    }
}

fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        None => std::future::pending().await,
    }
}
