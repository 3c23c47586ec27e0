//! The pseudo-terminal adapter: one PTY pair per plugged-in simulated modem,
//! and a stable symlink (`<dir>/modem0 -> /dev/pts/N`) that other programs
//! open like a USB modem's `/dev/ttyUSB2`.
//!
//! The simulator keeps the slave side open itself. Without that, the
//! master would report a hang-up (`EIO`) every time a client closes the
//! port, and the only way to notice the next open would be to poll. It also
//! puts the slave in raw mode once, so a client that does not configure the
//! port (e.g. `cat`) still sees bytes unchanged and gets no echo from the
//! line discipline; clients that do configure it (gammu, `tokio-serial`)
//! overwrite those settings anyway.
//!
//! Because the slave stays open, what a modem sends while no client has
//! the port open (ready URCs at boot, a `+CMTI`) waits in the kernel's
//! PTY buffer (about 4 KiB) for the next client, which should flush its
//! input on open as serial software does; anything beyond that buffer is
//! dropped (see `port.rs`).
//!
//! Unplugging drops the symlink first and then both descriptors, so a
//! client's next read fails as it does when a USB modem is pulled.

use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use rustix::fs::{Mode, OFlags};
use rustix::pty::OpenptFlags;
use rustix::termios::OptionalActions;
use tokio::io::unix::AsyncFd;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// An open PTY pair and the symlink that names it. Dropping it removes the
/// symlink and closes the pair (the "unplug").
#[derive(Debug)]
pub(crate) struct Pty {
    master: AsyncFd<OwnedFd>,
    /// Held only so that the master never sees a hang-up between clients.
    _slave: OwnedFd,
    device: PathBuf,
    link: PathBuf,
}

impl Pty {
    /// Opens a PTY pair in raw mode and points `link` at its slave device,
    /// replacing whatever `link` was (an old symlink from a crashed run).
    /// Must be called inside a tokio runtime with IO enabled.
    pub(crate) fn open(link: &Path) -> io::Result<Pty> {
        let master =
            rustix::pty::openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC)?;
        rustix::pty::grantpt(&master)?;
        rustix::pty::unlockpt(&master)?;
        let device = PathBuf::from(
            rustix::pty::ptsname(&master, Vec::new())?
                .into_string()
                .map_err(|_| io::Error::other("PTY device name is not UTF-8"))?,
        );
        let slave = rustix::fs::open(
            &device,
            OFlags::RDWR | OFlags::NOCTTY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        let mut termios = rustix::termios::tcgetattr(&slave)?;
        termios.make_raw();
        rustix::termios::tcsetattr(&slave, OptionalActions::Now, &termios)?;
        rustix::io::ioctl_fionbio(&master, true)?;
        // SAFETY: `master` is an `OwnedFd` that the `AsyncFd` owns from here
        // on; nothing else holds, replaces or closes that descriptor.
        let master = unsafe { AsyncFd::register(master)? };
        replace_symlink(&device, link)?;
        Ok(Pty { master, _slave: slave, device, link: link.to_path_buf() })
    }

    /// The slave device, e.g. `/dev/pts/7`.
    pub(crate) fn device(&self) -> &Path {
        &self.device
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        // Only remove the link if it still names this PTY: a replug may
        // already have pointed it at a newer one.
        if std::fs::read_link(&self.link).is_ok_and(|target| target == self.device) {
            if let Err(err) = std::fs::remove_file(&self.link) {
                tracing::warn!(link = %self.link.display(), %err, "cannot remove PTY symlink");
            }
        }
    }
}

/// Points `link` at `target` atomically: a client never finds the path
/// missing or half-written while it is being replaced.
fn replace_symlink(target: &Path, link: &Path) -> io::Result<()> {
    let name = link.file_name().ok_or_else(|| io::Error::other("symlink path has no file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = link.with_file_name(tmp_name);
    let _ = std::fs::remove_file(&tmp);
    std::os::unix::fs::symlink(target, &tmp)?;
    std::fs::rename(&tmp, link)
}

impl AsyncRead for Pty {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            let mut guard = ready!(self.master.poll_read_ready(cx))?;
            let unfilled = buf.initialize_unfilled();
            match guard.try_io(|fd| {
                rustix::io::read(fd.get_ref().as_fd(), &mut *unfilled).map_err(io::Error::from)
            }) {
                Ok(Ok(n)) => {
                    buf.advance(n);
                    return Poll::Ready(Ok(()));
                }
                Ok(Err(err)) => return Poll::Ready(Err(err)),
                Err(_would_block) => continue,
            }
        }
    }
}

impl AsyncWrite for Pty {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        loop {
            let mut guard = ready!(self.master.poll_write_ready(cx))?;
            match guard
                .try_io(|fd| rustix::io::write(fd.get_ref().as_fd(), data).map_err(io::Error::from))
            {
                Ok(result) => return Poll::Ready(result),
                Err(_would_block) => continue,
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::Pty;
    use crate::serial::SerialClient;

    const WAIT: Duration = Duration::from_secs(5);

    #[tokio::test]
    async fn bytes_cross_the_pty_unchanged_and_unplug_removes_the_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let link = dir.path().join("modem0");
        let mut pty = Pty::open(&link).expect("PTY opens");
        assert_eq!(std::fs::read_link(&link).expect("symlink"), pty.device());

        let mut client = SerialClient::open(&link).expect("client opens the symlink");
        // Every byte value, CR and LF included, must pass untouched: raw mode.
        let all: Vec<u8> = (0..=255).collect();
        client.send(&all).expect("client writes");
        let mut got = vec![0u8; all.len()];
        tokio::time::timeout(WAIT, pty.read_exact(&mut got))
            .await
            .expect("bytes arrive in time")
            .expect("read");
        assert_eq!(got, all);

        pty.write_all(b"\r\nOK\r\n").await.expect("modem writes");
        client.expect("\r\nOK\r\n", WAIT).expect("client reads");

        drop(pty);
        assert!(std::fs::symlink_metadata(&link).is_err(), "unplug removes the path");
        assert!(client.send(b"AT\r").is_err(), "the old port is dead after unplug");
    }

    #[tokio::test]
    async fn replug_points_the_same_path_at_a_new_device() {
        let dir = tempfile::tempdir().expect("temp dir");
        let link = dir.path().join("modem0");
        let first = Pty::open(&link).expect("PTY opens");
        let second = Pty::open(&link).expect("second PTY opens");
        assert_ne!(first.device(), second.device());
        // The old one going away must not take the new one's path along.
        drop(first);
        assert_eq!(std::fs::read_link(&link).expect("symlink"), second.device());
        drop(second);
        assert!(std::fs::symlink_metadata(&link).is_err());
    }
}
