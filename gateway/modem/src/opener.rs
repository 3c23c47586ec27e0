//! How an actor gets (and, after a failure, gets again) the byte stream to
//! its modem.
//!
//! The actor only knows [`PortOpener`]: it calls [`PortOpener::open`] when
//! it starts, after the port closed under it (unplug, read error), and in
//! the watchdog's reopen step, with backoff between failures. A real port
//! is a [`SerialOpener`], which finds the port with `bubblegate-serial`'s
//! [`PortLocator`] and opens it exclusively; tests open a simulator's
//! in-process port.

use std::io;

use bubblegate_serial::{open_exclusive, PortLocator, SerialError, SerialSettings};
use thiserror::Error;
use tokio::io::{AsyncRead, AsyncWrite};

pub use crate::hook::BoxFuture;

/// The stream to one modem's AT port.
pub trait ModemIo: AsyncRead + AsyncWrite + Send + Unpin {}

impl<T: AsyncRead + AsyncWrite + Send + Unpin> ModemIo for T {}

/// Why a port could not be opened. Every kind is retried with backoff; the
/// variants tell the operator what to look at.
#[derive(Debug, Error)]
pub enum OpenError {
    /// The device is not there (unplugged, not yet enumerated).
    #[error("{port} is not present")]
    Absent { port: String },
    /// Another process has it open.
    #[error("{port} is busy: {}", holder.as_deref().unwrap_or("held by a process that could not be identified"))]
    Busy { port: String, holder: Option<String> },
    #[error("cannot open {port}: {source}")]
    Io { port: String, source: io::Error },
}

/// Opens (and after a failure, reopens) the byte stream to one modem.
pub trait PortOpener: Send + Sync + 'static {
    fn open(&self) -> BoxFuture<'_, Result<Box<dyn ModemIo>, OpenError>>;

    /// The port for logs and errors, e.g. its stable path.
    fn describe(&self) -> String;
}

/// A real serial port: found by stable path or USB identity, opened for
/// this process alone with the profile's baud rate and flow control.
#[derive(Debug, Clone)]
pub struct SerialOpener {
    pub locator: PortLocator,
    pub settings: SerialSettings,
}

impl PortOpener for SerialOpener {
    fn open(&self) -> BoxFuture<'_, Result<Box<dyn ModemIo>, OpenError>> {
        Box::pin(async move {
            let Some(path) = self.locator.locate().await else {
                return Err(OpenError::Absent { port: self.describe() });
            };
            match open_exclusive(&path, &self.settings).await {
                Ok(stream) => Ok(Box::new(stream) as Box<dyn ModemIo>),
                Err(err) => Err(open_error(err)),
            }
        })
    }

    fn describe(&self) -> String {
        match &self.locator {
            PortLocator::ByPath(path) => path.display().to_string(),
            PortLocator::ByUsb { vid, pid, serial, interface } => {
                let mut text = format!("usb {vid:04x}:{pid:04x}");
                if let Some(serial) = serial {
                    text.push_str(&format!(" serial {serial}"));
                }
                if let Some(interface) = interface {
                    text.push_str(&format!(" interface {interface}"));
                }
                text
            }
        }
    }
}

fn open_error(err: SerialError) -> OpenError {
    let port = err.path().display().to_string();
    match err {
        SerialError::NotFound { .. } => OpenError::Absent { port },
        SerialError::Busy { holder, .. } => {
            OpenError::Busy { port, holder: holder.map(|h| format!("held by {h}")) }
        }
        other => OpenError::Io { port, source: io::Error::other(other.reason()) },
    }
}
