//! A simulated modem's serial port as the runner sees it: one task per open
//! connection (a PTY or one end of an in-process duplex stream) that moves
//! bytes between the host and the runner.
//!
//! The runner never waits on a port: it hands bytes over with `try_send`,
//! and when a host stops reading until every buffer is full, further bytes
//! are dropped with a warning, as a real modem's USB endpoint would drop
//! them. The other way round, a port waits for the runner (`send().await`),
//! which only slows the host down, as hardware flow control does.

use std::collections::VecDeque;

use bubblegate_sim::ModemId;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Bytes a port buffers for a host that does not read, beyond the channel.
const OUT_BUFFER: usize = 64 * 1024;
/// Chunks in flight from the runner to one port.
const OUT_CHANNEL: usize = 64;
/// How long a finished port keeps writing what it holds to a slow host.
const LINGER: std::time::Duration = std::time::Duration::from_secs(1);

/// What a port tells the runner.
#[derive(Debug)]
pub(crate) enum PortEvent {
    /// The host wrote these bytes.
    Bytes { id: ModemId, generation: u64, bytes: Vec<u8> },
    /// The host side is gone (a duplex stream's host end was dropped) or
    /// the port failed; the connection is over.
    Closed { id: ModemId, generation: u64 },
}

/// The runner's handle on one open connection.
#[derive(Debug)]
pub(crate) struct PortHandle {
    /// Tells the runner's bookkeeping which connection an event is from:
    /// after an unplug and replug, the old connection's last bytes must not
    /// reach the modem.
    pub(crate) generation: u64,
    tx: mpsc::Sender<Vec<u8>>,
    cancel: CancellationToken,
    /// Dropping the handle cuts the connection at once, unless `finish`
    /// asked for the bytes already handed over to be written first.
    cut_on_drop: bool,
}

impl PortHandle {
    /// Hands bytes to the port without waiting. Returns `false` if they
    /// were dropped because the host is not reading or the port is closed.
    pub(crate) fn send(&self, bytes: Vec<u8>) -> bool {
        self.tx.try_send(bytes).is_ok()
    }

    /// Ends the connection after writing what was already handed over (for
    /// at most [`LINGER`]), as a modem's last words before it drops off the
    /// USB bus still reach the host.
    pub(crate) fn finish(mut self) {
        self.cut_on_drop = false;
    }
}

impl Drop for PortHandle {
    fn drop(&mut self) {
        if self.cut_on_drop {
            self.cancel.cancel();
        }
    }
}

/// Starts the task that serves `io` for modem `id`. The task ends when the
/// handle is dropped, `shutdown` fires, or the host side closes; dropping
/// `io` then closes the connection (for a PTY: removes its symlink).
pub(crate) fn spawn<T>(
    io: T,
    id: ModemId,
    generation: u64,
    events: mpsc::Sender<PortEvent>,
    shutdown: &CancellationToken,
    tracker: &TaskTracker,
) -> PortHandle
where
    T: AsyncRead + AsyncWrite + Send + 'static,
{
    let (tx, rx) = mpsc::channel(OUT_CHANNEL);
    let cancel = shutdown.child_token();
    let task = pump(io, id, generation, events, rx, cancel.clone());
    tracker.spawn(task);
    PortHandle { generation, tx, cancel, cut_on_drop: true }
}

async fn pump<T>(
    io: T,
    id: ModemId,
    generation: u64,
    events: mpsc::Sender<PortEvent>,
    mut from_runner: mpsc::Receiver<Vec<u8>>,
    cancel: CancellationToken,
) where
    T: AsyncRead + AsyncWrite,
{
    let (mut reader, mut writer) = tokio::io::split(io);
    let mut buf = vec![0u8; 4096];
    let mut out: VecDeque<u8> = VecDeque::new();
    // Set when the runner finished the port: write out, then end.
    let mut finishing: Option<tokio::time::Instant> = None;
    loop {
        if finishing.is_some() && out.is_empty() {
            let _ = writer.flush().await;
            return;
        }
        let linger = finishing.unwrap_or_else(tokio::time::Instant::now);
        tokio::select! {
            () = cancel.cancelled() => return,
            () = tokio::time::sleep_until(linger), if finishing.is_some() => return,
            read = reader.read(&mut buf) => match read {
                Ok(0) | Err(_) => {
                    if let Err(err) = &read {
                        tracing::debug!(modem = %id, %err, "port read failed");
                    }
                    tell(&events, PortEvent::Closed { id, generation }, &cancel).await;
                    return;
                }
                Ok(n) => {
                    let bytes = buf[..n].to_vec();
                    if !tell(&events, PortEvent::Bytes { id, generation, bytes }, &cancel).await {
                        return;
                    }
                }
            },
            chunk = from_runner.recv(), if finishing.is_none() && out.len() < OUT_BUFFER => match chunk {
                Some(chunk) => out.extend(chunk),
                None => finishing = Some(tokio::time::Instant::now() + LINGER),
            },
            written = writer.write(out.as_slices().0), if !out.is_empty() => match written {
                Ok(n) => {
                    out.drain(..n);
                }
                Err(err) => {
                    tracing::debug!(modem = %id, %err, "port write failed");
                    tell(&events, PortEvent::Closed { id, generation }, &cancel).await;
                    return;
                }
            },
        }
    }
}

/// Hands an event to the runner, waiting for room, unless the port is
/// cancelled meanwhile: a runner that is shutting down no longer reads
/// events, and must not wait for a port that waits for it. Returns whether
/// the event was delivered.
async fn tell(
    events: &mpsc::Sender<PortEvent>,
    event: PortEvent,
    cancel: &CancellationToken,
) -> bool {
    tokio::select! {
        () = cancel.cancelled() => false,
        sent = events.send(event) => sent.is_ok(),
    }
}
