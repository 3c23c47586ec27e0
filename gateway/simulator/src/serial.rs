//! A blocking serial client for a simulated modem's path, the way a
//! program opens a USB modem: `O_NOCTTY`, raw mode, reads that give up
//! after a deadline. For tests and small tools; the daemon uses
//! `tokio-serial`.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::OwnedFd;
use std::path::Path;
use std::time::{Duration, Instant};

use rustix::fs::{Mode, OFlags};
use rustix::termios::{OptionalActions, SpecialCodeIndex};

/// An open serial port. Everything it has read is kept in
/// [`SerialClient::seen`], so a test can look back at the whole exchange.
#[derive(Debug)]
pub struct SerialClient {
    file: File,
    seen: Vec<u8>,
    /// Where the next [`SerialClient::expect`] starts looking.
    mark: usize,
}

impl SerialClient {
    /// Opens `path` (a PTY symlink or a real tty) in raw mode, with reads
    /// that return after at most 100 ms.
    pub fn open(path: &Path) -> io::Result<SerialClient> {
        let fd: OwnedFd =
            rustix::fs::open(path, OFlags::RDWR | OFlags::NOCTTY | OFlags::CLOEXEC, Mode::empty())?;
        let mut termios = rustix::termios::tcgetattr(&fd)?;
        termios.make_raw();
        termios.special_codes[SpecialCodeIndex::VMIN] = 0;
        termios.special_codes[SpecialCodeIndex::VTIME] = 1;
        rustix::termios::tcsetattr(&fd, OptionalActions::Now, &termios)?;
        Ok(SerialClient { file: File::from(fd), seen: Vec::new(), mark: 0 })
    }

    /// Writes all of `bytes`.
    pub fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)?;
        self.file.flush()
    }

    /// Reads until what arrived since the last `expect` contains `needle`,
    /// and returns that text (lossy UTF-8). Fails with `TimedOut`, naming
    /// what did arrive, if `needle` does not come within `timeout`.
    pub fn expect(&mut self, needle: &str, timeout: Duration) -> io::Result<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let fresh = &self.seen[self.mark..];
            if let Some(at) = find(fresh, needle.as_bytes()) {
                let end = self.mark + at + needle.len();
                let text = String::from_utf8_lossy(&self.seen[self.mark..end]).into_owned();
                self.mark = end;
                return Ok(text);
            }
            if Instant::now() >= deadline {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "waited {timeout:?} for {needle:?}; got {:?}",
                        String::from_utf8_lossy(fresh)
                    ),
                ));
            }
            self.read_some()?;
        }
    }

    /// Reads whatever arrives within `window` and returns it (lossy UTF-8),
    /// moving the `expect` mark past it.
    pub fn drain(&mut self, window: Duration) -> io::Result<String> {
        let deadline = Instant::now() + window;
        while Instant::now() < deadline {
            self.read_some()?;
        }
        let text = String::from_utf8_lossy(&self.seen[self.mark..]).into_owned();
        self.mark = self.seen.len();
        Ok(text)
    }

    /// Sends `line` and a CR, and waits for a verbose final result code
    /// (`OK`, `ERROR`, `+CMS ERROR`, `+CME ERROR`) or the `> ` prompt. Returns
    /// everything up to and including it.
    pub fn command(&mut self, line: &str, timeout: Duration) -> io::Result<String> {
        self.send(format!("{line}\r").as_bytes())?;
        let deadline = Instant::now() + timeout;
        loop {
            let fresh = &self.seen[self.mark..];
            if let Some(end) = final_result_end(fresh) {
                let text = String::from_utf8_lossy(&fresh[..end]).into_owned();
                self.mark += end;
                return Ok(text);
            }
            if Instant::now() >= deadline {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "no final result for {line:?} within {timeout:?}; got {:?}",
                        String::from_utf8_lossy(fresh)
                    ),
                ));
            }
            self.read_some()?;
        }
    }

    /// Everything read so far.
    pub fn seen(&self) -> &[u8] {
        &self.seen
    }

    /// One read of at most 100 ms (VTIME).
    fn read_some(&mut self) -> io::Result<usize> {
        let mut buf = [0u8; 1024];
        let n = self.file.read(&mut buf)?;
        self.seen.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The end of the first complete final result line (or of a `> ` prompt).
fn final_result_end(bytes: &[u8]) -> Option<usize> {
    let mut start = 0;
    while start < bytes.len() {
        let rest = &bytes[start..];
        if rest.starts_with(b"> ") {
            return Some(start + 2);
        }
        let line_end = rest.iter().position(|&b| b == b'\n')?;
        let line = String::from_utf8_lossy(&rest[..line_end]);
        let line = line.trim();
        let is_final = matches!(line, "OK" | "ERROR" | "NO CARRIER")
            || line.starts_with("+CMS ERROR")
            || line.starts_with("+CME ERROR");
        if is_final {
            return Some(start + line_end + 1);
        }
        start += line_end + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::final_result_end;

    #[test]
    fn finds_final_results_and_prompts() {
        let cases: [(&[u8], Option<usize>); 6] = [
            (b"\r\nOK\r\n", Some(6)),
            (b"AT\r\r\nOK\r\n", Some(9)),
            (b"\r\n+CMGS: 4\r\n\r\nOK\r\n", Some(18)),
            (b"\r\n+CMS ERROR: 500\r\n", Some(19)),
            (b"\r\n> ", Some(4)),
            (b"\r\n+CSQ: 20,99\r\n", None),
        ];
        for (input, expected) in cases {
            assert_eq!(final_result_end(input), expected, "{:?}", String::from_utf8_lossy(input));
        }
    }
}
