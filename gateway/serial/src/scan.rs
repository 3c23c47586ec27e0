//! Port discovery for `bubblegate modems scan`: which candidate ports are
//! modems, and who they are.
//!
//! Each port is opened with [`open_exclusive`] (so a port in use by a
//! running gateway or anything else is reported busy, with its holder,
//! and never disturbed), asked `AT`, `AT+CGMI`, `AT+CGMM` and `AT+CGMR`
//! through the AT engine, and looked up in sysfs for its USB id. Profile
//! resolution is left to the caller, which has the profile set.
//!
//! Ports are probed concurrently and each probe has one deadline for
//! everything from open to the last answer, so a port that is not a modem
//! (a GPS streaming NMEA, a silent microcontroller) costs at most that
//! deadline and never stalls the scan.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::num::NonZeroU8;
use std::path::{Path, PathBuf};
use std::time::Duration;

use bubblegate_at::commands::control::Attention;
use bubblegate_at::commands::identify::{Manufacturer, Model, Revision};
use bubblegate_at::commands::AtRequest;
use bubblegate_at::{Command, CommandError, Engine, EngineConfig, Event, Outcome, Response, Retry};
use thiserror::Error;
use tokio::io::AsyncWriteExt;
use tokio::time::Instant;
use tokio_serial::SerialStream;

use crate::error::SerialError;
use crate::open::{open_exclusive, SerialSettings};
use crate::sysfs::{natural, Sysfs, UsbInfo};
use crate::transport::{is_port_gone, read_some};

/// How long `AT` may take per attempt. Two attempts: the first command
/// after an open is often lost to a modem that autobauds or still echoes.
const AT_TIMEOUT: Duration = Duration::from_millis(1000);
/// `AT` gets two attempts.
const TWO: NonZeroU8 = match NonZeroU8::new(2) {
    Some(two) => two,
    None => unreachable!(),
};
/// How long each identification command may take.
const IDENTIFY_TIMEOUT: Duration = Duration::from_millis(1500);

/// How to scan.
#[derive(Debug, Clone)]
pub struct ScanConfig {
    /// Line settings for every port (UART modules need the right baud
    /// rate; USB ports ignore it).
    pub settings: SerialSettings,
    /// The most one port may take, from open to the last answer.
    pub timeout: Duration,
    /// Where USB ids are read.
    pub sysfs: Sysfs,
}

impl Default for ScanConfig {
    fn default() -> Self {
        ScanConfig {
            settings: SerialSettings::default(),
            timeout: Duration::from_secs(3),
            sysfs: Sysfs::system(),
        }
    }
}

/// What a modem said about itself. Each answer is `None` when the command
/// failed or was not reached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// `AT+CGMI`.
    pub manufacturer: Option<String>,
    /// `AT+CGMM`.
    pub model: Option<String>,
    /// `AT+CGMR`.
    pub revision: Option<String>,
}

/// Why a port is not reported as a modem.
#[derive(Debug, Error)]
pub enum ProbeError {
    /// The port could not be opened: missing, busy, not permitted, not a
    /// terminal.
    #[error(transparent)]
    Open(#[from] SerialError),
    /// Nothing answered `AT` with `OK`: not a modem, or not its AT port.
    #[error("no answer to AT (not a modem, or not its AT interface)")]
    NoAnswer,
    /// Something answered `AT`, but not with `OK`.
    #[error("AT answered {0}")]
    Refused(String),
    /// The port went away during the probe.
    #[error("the port closed during the probe (unplugged?)")]
    Closed,
    /// The port's deadline ([`ScanConfig::timeout`]) passed before the
    /// probe finished.
    #[error("no complete answer within {0:?}")]
    TimedOut(Duration),
    /// A probe command could not be built (a bug, not a port problem).
    #[error("cannot build a probe command: {0}")]
    Command(#[from] CommandError),
    /// Reading or writing failed.
    #[error("{0}")]
    Io(io::Error),
}

/// The result for one port.
#[derive(Debug)]
pub struct PortReport {
    /// The path as given or found (a `/dev/serial/by-id` link stays one).
    pub path: PathBuf,
    /// The device node the path resolves to, when that is another path.
    pub device: Option<PathBuf>,
    /// The USB identity from sysfs; `None` for PTYs, UARTs and missing
    /// ports.
    pub usb: Option<UsbInfo>,
    /// What the modem answered, as far as it got.
    pub identity: Identity,
    /// `Ok` when the port answered `AT` with `OK`.
    pub outcome: Result<(), ProbeError>,
}

/// The ports worth probing on this system: `/dev/serial/by-id/*` (stable
/// names), then `ttyUSB*` and `ttyACM*` not already reached through one of
/// those links, then the Raspberry Pi's UART aliases `serial0`/`serial1`
/// (modem HATs). Each group sorted by name.
pub fn candidates(sysfs: &Sysfs) -> Vec<PathBuf> {
    let mut by_id = list(&sysfs.dev.join("serial/by-id"), |_| true);
    let mut ttys =
        list(&sysfs.dev, |name| name.starts_with("ttyUSB") || name.starts_with("ttyACM"));
    let mut uarts = list(&sysfs.dev, |name| name == "serial0" || name == "serial1");
    for group in [&mut by_id, &mut ttys, &mut uarts] {
        group.sort_by(|a, b| natural(file_name(a)).cmp(&natural(file_name(b))));
    }
    by_id.into_iter().chain(ttys).chain(uarts).collect()
}

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or_default()
}

fn list(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|entry| entry.file_name().to_str().is_some_and(&keep))
        .map(|entry| entry.path())
        .collect()
}

/// Probes every path concurrently and reports them in the order given.
/// Paths that lead to the same device are probed once, under the first
/// of their names (opening one device twice at once would report it busy
/// to itself). Must run inside a tokio runtime with IO and time enabled.
pub async fn scan(paths: Vec<PathBuf>, config: &ScanConfig) -> Vec<PortReport> {
    let mut seen = HashSet::new();
    let mut probed = Vec::new();
    for path in paths {
        if seen.insert(fs::canonicalize(&path).unwrap_or_else(|_| path.clone())) {
            probed.push(path);
        }
    }
    let count = probed.len();
    let mut probes = tokio::task::JoinSet::new();
    for (index, path) in probed.iter().cloned().enumerate() {
        let config = config.clone();
        probes.spawn(async move { (index, probe(&path, &config).await) });
    }
    let mut reports: Vec<Option<PortReport>> = (0..count).map(|_| None).collect();
    while let Some(joined) = probes.join_next().await {
        match joined {
            Ok((index, report)) => reports[index] = Some(report),
            // A probe has no panicking code; if one did, its port is
            // reported as failed below rather than the whole scan failing.
            Err(err) => tracing::error!(%err, "a port probe failed"),
        }
    }
    reports
        .into_iter()
        .zip(probed)
        .map(|(report, path)| {
            report.unwrap_or_else(|| PortReport {
                path,
                device: None,
                usb: None,
                identity: Identity::default(),
                outcome: Err(ProbeError::Io(io::Error::other("the probe failed"))),
            })
        })
        .collect()
}

/// Probes one port within [`ScanConfig::timeout`].
pub async fn probe(path: &Path, config: &ScanConfig) -> PortReport {
    let device = fs::canonicalize(path).ok().filter(|device| device != path);
    let usb = config.sysfs.usb_info(path);
    let mut identity = Identity::default();
    let deadline = Instant::now() + config.timeout;
    let outcome = match open_exclusive(path, &config.settings).await {
        Ok(port) => {
            let engine = Engine::new(EngineConfig::default());
            let mut session = Session { port, engine, deadline, timeout: config.timeout };
            session.identify(&mut identity).await
        }
        Err(err) => Err(ProbeError::Open(err)),
    };
    PortReport { path: path.to_path_buf(), device, usb, identity, outcome }
}

/// An open port, the AT engine that talks over it, and the probe's
/// deadline.
struct Session {
    port: SerialStream,
    engine: Engine,
    deadline: Instant,
    /// The time limit the deadline came from, for the error message.
    timeout: Duration,
}

impl Session {
    /// `AT`, then the three identification commands. Only `AT` decides
    /// whether the port is a modem: a failed identification command leaves
    /// its field empty, and a port whose deadline passes after `AT` is
    /// still reported as a modem, with what it said so far.
    async fn identify(&mut self, identity: &mut Identity) -> Result<(), ProbeError> {
        let at = self.exchange(Attention.command(Retry::new(AT_TIMEOUT, TWO))?).await?;
        match &at.outcome {
            Outcome::Final(result) if result.is_success() => {}
            Outcome::Final(result) => return Err(ProbeError::Refused(result.to_string())),
            Outcome::TimedOut { .. } | Outcome::Cancelled => return Err(ProbeError::NoAnswer),
        }
        match self.identify_more(identity).await {
            Err(ProbeError::TimedOut(_)) => Ok(()),
            other => other,
        }
    }

    async fn identify_more(&mut self, identity: &mut Identity) -> Result<(), ProbeError> {
        let retry = Retry::once(IDENTIFY_TIMEOUT);
        let answer = self.exchange(Manufacturer.command(retry)?).await?;
        identity.manufacturer = Manufacturer.parse_response(&answer).ok();
        let answer = self.exchange(Model.command(retry)?).await?;
        identity.model = Model.parse_response(&answer).ok();
        let answer = self.exchange(Revision.command(retry)?).await?;
        identity.revision = Revision.parse_response(&answer).ok();
        Ok(())
    }

    /// Sends one command and drives the engine until its answer, a
    /// closed port or the deadline.
    async fn exchange(&mut self, command: Command) -> Result<Response, ProbeError> {
        let Session { port, engine, deadline, timeout } = self;
        let (deadline, timed_out) = (*deadline, ProbeError::TimedOut(*timeout));
        let id = engine.send(command, Instant::now().into_std());
        let mut buf = [0u8; 512];
        loop {
            while let Some(bytes) = engine.poll_transmit() {
                match tokio::time::timeout_at(deadline, port.write_all(&bytes)).await {
                    Err(_elapsed) => return Err(timed_out),
                    Ok(Err(err)) if is_port_gone(&err) => return Err(ProbeError::Closed),
                    Ok(Err(err)) => return Err(ProbeError::Io(err)),
                    Ok(Ok(())) => {}
                }
            }
            while let Some(event) = engine.poll_event() {
                // URCs and line warnings are not the probe's business.
                if let Event::Response(response) = event {
                    if response.id == id {
                        return Ok(response);
                    }
                }
            }
            let wake =
                engine.poll_timeout().map(Instant::from_std).map_or(deadline, |t| t.min(deadline));
            tokio::select! {
                read = read_some(port, &mut buf) => match read {
                    Ok(Some(n)) => engine.handle_input(&buf[..n], Instant::now().into_std()),
                    Ok(None) => return Err(ProbeError::Closed),
                    Err(err) => return Err(ProbeError::Io(err)),
                },
                () = tokio::time::sleep_until(wake) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return Err(timed_out);
                    }
                    engine.handle_timeout(now.into_std());
                }
            }
        }
    }
}
