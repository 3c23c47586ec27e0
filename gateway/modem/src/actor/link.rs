//! The open port and the AT engine that talks over it: bytes read go into
//! the engine, the engine's transmits go out, each write with a bound.

use std::io;
use std::time::Duration;

use bubblegate_at::{Engine, EngineConfig};
use bubblegate_profiles::Profile;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::opener::ModemIo;

/// A write that takes longer means the port is stuck (flow control held
/// by a dead device), and is treated as the port being gone.
const WRITE_BOUND: Duration = Duration::from_secs(5);

/// Ctrl-Z: the end of an SMS body after the prompt.
const SUB: u8 = 0x1A;

pub(super) struct Link {
    io: Box<dyn ModemIo>,
    pub(super) engine: Engine,
    buf: Vec<u8>,
}

impl Link {
    pub(super) fn new(io: Box<dyn ModemIo>, profile: &Profile) -> Self {
        Link { io, engine: Engine::new(engine_config(profile)), buf: vec![0; 4096] }
    }

    /// Starts a new engine that knows `profile`'s URCs. Only between
    /// commands: a pending one would be lost.
    pub(super) fn adopt(&mut self, profile: &Profile) {
        self.engine = Engine::new(engine_config(profile));
    }

    /// Reads what the port has; 0 means it closed.
    pub(super) async fn read(&mut self) -> io::Result<usize> {
        self.io.read(&mut self.buf).await
    }

    /// Feeds `n` bytes just read into the engine.
    pub(super) fn input(&mut self, n: usize, now: std::time::Instant) {
        let n = n.min(self.buf.len());
        self.engine.handle_input(&self.buf[..n], now);
    }

    /// Writes everything the engine wants sent. Returns whether an SMS body
    /// (ending in Ctrl-Z) went out.
    pub(super) async fn flush(&mut self) -> io::Result<bool> {
        let mut body = false;
        let mut wrote = false;
        while let Some(bytes) = self.engine.poll_transmit() {
            body |= bytes.last() == Some(&SUB);
            wrote = true;
            match tokio::time::timeout(WRITE_BOUND, self.io.write_all(&bytes)).await {
                Ok(result) => result?,
                Err(_) => return Err(io::Error::new(io::ErrorKind::TimedOut, "write stuck")),
            }
        }
        if wrote {
            match tokio::time::timeout(WRITE_BOUND, self.io.flush()).await {
                Ok(result) => result?,
                Err(_) => return Err(io::Error::new(io::ErrorKind::TimedOut, "flush stuck")),
            }
        }
        Ok(body)
    }
}

fn engine_config(profile: &Profile) -> EngineConfig {
    EngineConfig {
        extra_urc_prefixes: profile.urc_prefixes().into_iter().map(str::to_owned).collect(),
        ..EngineConfig::default()
    }
}
