//! Opening a modem's serial port: exclusively, with the profile's line
//! settings, as a `tokio-serial` stream.
//!
//! "Exclusive" has two locks, because neither alone covers every opener:
//!
//! - `flock(LOCK_EX)` on the open file, as serialport (`tokio-serial`),
//!   pyserial and picocom take it. It binds root too, and it dies with the
//!   descriptor, so a crashed holder never leaves it behind.
//! - `TIOCEXCL`: the kernel refuses every further `open` of the tty with
//!   `EBUSY`, except to root. It is what keeps out programs that do not
//!   lock, such as ModemManager or `cat`, when we are first.
//!
//! A program that does not lock and opened the port *before* us is not
//! stopped by either, so for a real serial device we also look in `/proc`
//! for another process that has it open and refuse with its name. That
//! check is skipped for pseudo-terminals: the program on the other side of
//! a PTY (the simulator) keeps the slave open by design.
//!
//! The kernel keeps `TIOCEXCL` set for as long as any descriptor is open
//! on the tty, even after ours is closed (and a simulator's PTY slave is
//! always open). The stream clears it when dropped (serialport's `TTYPort`
//! does `TIOCNXCL` before `close`), so the next opener is not refused; a
//! test checks it.

use std::os::fd::{AsFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd};
use std::path::Path;

use bubblegate_profiles::{FlowControl, Port};
use rustix::fs::{FlockOperation, Mode, OFlags};
use rustix::io::Errno;
use rustix::termios::{ControlModes, InputModes, OptionalActions, QueueSelector};
use tokio_serial::SerialStream;

use crate::error::SerialError;
use crate::holder::holders;

/// Line settings for a port. USB CDC and vendor serial ports ignore the
/// baud rate; UART modules (HATs) need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SerialSettings {
    pub baud: u32,
    pub flow_control: FlowControl,
}

impl SerialSettings {
    /// The settings a modem profile gives its AT port.
    pub fn from_port(port: &Port) -> SerialSettings {
        SerialSettings { baud: port.baud, flow_control: port.flow_control }
    }
}

impl Default for SerialSettings {
    /// 115200 baud without flow control: what USB modems report and what
    /// most UART modules start at.
    fn default() -> Self {
        SerialSettings { baud: 115_200, flow_control: FlowControl::None }
    }
}

/// The Unix98 PTY slave majors (`/dev/pts/N`): 136 to 143.
const PTY_SLAVE_MAJORS: std::ops::RangeInclusive<u32> = 136..=143;

/// Opens the serial port at `path` (a symlink such as `/dev/serial/by-id/…`
/// is followed) for this process alone, in raw 8N1 mode with `settings`,
/// and discards whatever the device sent before it was opened.
///
/// Fails with [`SerialError::Busy`] naming the holder when another process
/// has the port (see the module documentation for what counts), and with
/// the other [`SerialError`] variants for their causes. Must run inside a
/// tokio runtime with IO enabled. Dropping the stream closes the port and
/// releases both locks.
pub async fn open_exclusive(
    path: &Path,
    settings: &SerialSettings,
) -> Result<SerialStream, SerialError> {
    let fd = open_fd(path, settings)?;
    // SAFETY: `fd` is an open descriptor that we own; ownership moves into
    // the `TTYPort`, which closes it on drop. `from_raw_fd` only takes the
    // (already held) exclusive lock and sets `TIOCEXCL` again.
    let port = unsafe { serialport::TTYPort::from_raw_fd(fd.into_raw_fd()) };
    SerialStream::try_from(port)
        .map_err(|err| SerialError::Io { path: path.to_path_buf(), source: err.into() })
}

/// The descriptor, opened, locked and configured.
fn open_fd(path: &Path, settings: &SerialSettings) -> Result<OwnedFd, SerialError> {
    let io = |errno: Errno| SerialError::Io { path: path.to_path_buf(), source: errno.into() };
    let busy = || SerialError::Busy { path: path.to_path_buf(), holder: holders(path).best() };
    // O_NONBLOCK: an open must never wait for carrier (DCD) on a UART.
    let flags = OFlags::RDWR | OFlags::NOCTTY | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = rustix::fs::open(path, flags, Mode::empty()).map_err(|errno| match errno {
        Errno::NOENT | Errno::NXIO | Errno::NODEV | Errno::NOTDIR => {
            SerialError::NotFound { path: path.to_path_buf() }
        }
        Errno::ACCESS | Errno::PERM | Errno::ROFS => {
            SerialError::PermissionDenied { path: path.to_path_buf() }
        }
        Errno::BUSY => busy(),
        Errno::ISDIR => SerialError::NotATty { path: path.to_path_buf() },
        other => io(other),
    })?;
    if !rustix::termios::isatty(&fd) {
        return Err(SerialError::NotATty { path: path.to_path_buf() });
    }
    match rustix::fs::flock(&fd, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => {}
        Err(Errno::WOULDBLOCK) => return Err(busy()),
        Err(other) => return Err(io(other)),
    }
    if !is_pty_slave(fd.as_fd()) {
        if let Some(other) = holders(path).others().next() {
            return Err(SerialError::Busy {
                path: path.to_path_buf(),
                holder: Some(other.clone()),
            });
        }
    }
    rustix::termios::ioctl_tiocexcl(&fd).map_err(io)?;
    configure(fd.as_fd(), settings).map_err(io)?;
    Ok(fd)
}

fn is_pty_slave(fd: BorrowedFd<'_>) -> bool {
    rustix::fs::fstat(fd).is_ok_and(|st| PTY_SLAVE_MAJORS.contains(&rustix::fs::major(st.st_rdev)))
}

/// Raw 8N1 with the receiver on and modem control lines ignored (a USB
/// modem has no carrier to wait for), then the speed and flow control.
fn configure(fd: BorrowedFd<'_>, settings: &SerialSettings) -> Result<(), Errno> {
    let mut termios = rustix::termios::tcgetattr(fd)?;
    termios.make_raw();
    termios.control_modes.insert(ControlModes::CLOCAL | ControlModes::CREAD);
    termios.control_modes.remove(ControlModes::CSTOPB | ControlModes::PARENB);
    let software = InputModes::IXON | InputModes::IXOFF | InputModes::IXANY;
    match settings.flow_control {
        FlowControl::None => {
            termios.control_modes.remove(ControlModes::CRTSCTS);
            termios.input_modes.remove(software);
        }
        FlowControl::Hardware => {
            termios.control_modes.insert(ControlModes::CRTSCTS);
            termios.input_modes.remove(software);
        }
        FlowControl::Software => {
            termios.control_modes.remove(ControlModes::CRTSCTS);
            termios.input_modes.insert(InputModes::IXON | InputModes::IXOFF);
        }
    }
    termios.set_speed(settings.baud)?;
    rustix::termios::tcsetattr(fd, OptionalActions::Now, &termios)?;
    // Bytes from before the open (a PTY's buffered boot URCs, line noise
    // from a UART) are not answers to anything we will send.
    rustix::termios::tcflush(fd, QueueSelector::IFlush)
}
