//! The serial layer's one error type, with variants named for causes, and
//! [`Holder`], the process found holding a busy port.

use std::fmt;
use std::io;
use std::path::PathBuf;

use thiserror::Error;

/// A process that has a serial port open, as found in `/proc`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: u32,
    /// The program name (`/proc/<pid>/comm`, e.g. `ModemManager`).
    pub command: String,
}

impl fmt::Display for Holder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pid {} ({})", self.pid, self.command)
    }
}

/// Why a serial port could not be opened or used. Every variant names the
/// path as the caller gave it.
#[derive(Debug, Error)]
pub enum SerialError {
    /// Nothing at the path, or a device node whose device is gone (a
    /// dangling `/dev/serial/by-id` link, `ENXIO`, `ENODEV`).
    #[error("{}: no such serial port (unplugged, or a wrong path)", path.display())]
    NotFound { path: PathBuf },
    /// The user may not open the device.
    #[error(
        "{}: permission denied (the user needs to be in the port's group, usually `dialout`)",
        path.display()
    )]
    PermissionDenied { path: PathBuf },
    /// Another process has the port: it holds the exclusive lock or
    /// `TIOCEXCL`, or (for a real serial device) simply has it open.
    /// `holder` is `None` when no holder could be seen, usually because
    /// the holder belongs to another user and its `/proc` entries are
    /// closed to this one.
    #[error("{}: busy: {}", path.display(), HolderText(holder.as_ref()))]
    Busy { path: PathBuf, holder: Option<Holder> },
    /// The path is not a terminal device (a regular file, a directory, a
    /// socket), so it cannot be a modem's serial port.
    #[error("{}: not a serial port (not a terminal device)", path.display())]
    NotATty { path: PathBuf },
    /// Any other failure of the system calls that open and set up the port.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl SerialError {
    /// The path the caller gave.
    pub fn path(&self) -> &std::path::Path {
        match self {
            SerialError::NotFound { path }
            | SerialError::PermissionDenied { path }
            | SerialError::Busy { path, .. }
            | SerialError::NotATty { path }
            | SerialError::Io { path, .. } => path,
        }
    }

    /// The message without the leading path, for output that shows the
    /// path already (`busy: held by pid 812 (ModemManager)`).
    pub fn reason(&self) -> String {
        let message = self.to_string();
        let prefix = format!("{}: ", self.path().display());
        message.strip_prefix(&prefix).map(str::to_owned).unwrap_or(message)
    }

    /// True when trying again later may succeed: after a replug, when the
    /// holder lets go, or when udev has applied its permissions to a node
    /// that just appeared (a fresh node is briefly root-only). False only
    /// for a path that is not a terminal at all.
    pub fn is_transient(&self) -> bool {
        !matches!(self, SerialError::NotATty { .. })
    }
}

struct HolderText<'a>(Option<&'a Holder>);

impl fmt::Display for HolderText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(holder) => write!(f, "held by {holder}"),
            None => f.write_str(
                "held by a process that could not be identified (its /proc entries are not \
                 readable by this user; `sudo fuser -v` on the path names it)",
            ),
        }
    }
}
