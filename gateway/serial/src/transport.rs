//! Reading from an open port until it closes: the one place that decides
//! which errors mean "the device went away".
//!
//! A pulled USB modem (or an unplugged simulator PTY) does not return a
//! clean end of file on every kernel: the tty is hung up and reads fail
//! with `EIO`, `ENXIO` or `ENODEV`. Treating those as errors to retry would
//! spin on a dead descriptor; [`read_some`] turns them, and end of file,
//! into `None` so a transport ends once and cleanly.

use std::io;

use rustix::io::Errno;
use tokio::io::{AsyncRead, AsyncReadExt};

/// Reads what is available into `buf` (which must not be empty). `Ok(None)`
/// means the port is closed for good: end of file, or a hung-up device.
/// Cancel-safe, like [`AsyncReadExt::read`].
pub async fn read_some<R: AsyncRead + Unpin + ?Sized>(
    port: &mut R,
    buf: &mut [u8],
) -> io::Result<Option<usize>> {
    match port.read(buf).await {
        Ok(0) => Ok(None),
        Ok(n) => Ok(Some(n)),
        Err(err) if is_port_gone(&err) => Ok(None),
        Err(err) => Err(err),
    }
}

/// True for the errors a read or write gets once the device behind the
/// descriptor is gone (unplugged USB, closed PTY master).
pub fn is_port_gone(err: &io::Error) -> bool {
    matches!(err.kind(), io::ErrorKind::BrokenPipe | io::ErrorKind::UnexpectedEof)
        || matches!(
            Errno::from_io_error(err),
            Some(Errno::IO | Errno::NXIO | Errno::NODEV | Errno::BADF | Errno::PIPE)
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hang_up_errors_mean_gone_and_others_do_not() {
        for errno in [Errno::IO, Errno::NXIO, Errno::NODEV, Errno::PIPE] {
            assert!(is_port_gone(&io::Error::from(errno)), "{errno:?}");
        }
        for errno in [Errno::AGAIN, Errno::INTR, Errno::ACCESS] {
            assert!(!is_port_gone(&io::Error::from(errno)), "{errno:?}");
        }
    }

    #[tokio::test]
    async fn end_of_file_is_none_and_data_is_its_length() {
        let (mut a, b) = tokio::io::duplex(16);
        tokio::io::AsyncWriteExt::write_all(&mut a, b"OK").await.expect("write");
        drop(a);
        let mut b = b;
        let mut buf = [0u8; 8];
        assert_eq!(read_some(&mut b, &mut buf).await.expect("read"), Some(2));
        assert_eq!(read_some(&mut b, &mut buf).await.expect("read"), None);
    }
}
