//! Who holds a serial port: the processes that have the device open, found
//! the way `fuser` and `lsof` find them, by reading `/proc`.
//!
//! Two sources, best first:
//!
//! - `/proc/locks` names the pid that holds a `flock`/POSIX lock on the
//!   device's inode. It is readable by every user, so it names a holder of
//!   another user too. `tokio-serial` (serialport), pyserial with
//!   `exclusive=True` and picocom lock the port this way.
//! - `/proc/<pid>/fd/*` links name every open file of a process. Only the
//!   caller's own processes (or all, for root) can be read; the others are
//!   counted as unreadable, and the error message says so.
//!
//! The `/proc` root is a parameter so that the scan can be tested against
//! a fake tree in a temporary directory.

use std::fs;
use std::path::Path;

use crate::error::Holder;

/// The system's `/proc`.
pub const PROC: &str = "/proc";

/// What a search for a device's holders found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolderSearch {
    /// Processes holding the device, lock holders first, each pid once.
    pub holders: Vec<Holder>,
    /// How many of the first `holders` hold a lock on the device.
    pub lock_holders: usize,
    /// Processes whose open files could not be read (another user's,
    /// without root): a holder may hide among them.
    pub unreadable: usize,
}

impl HolderSearch {
    /// The process to name in a "busy" error: the lock holder if there is
    /// one (it is the one that keeps others out), else the first other
    /// process with the device open, else this process itself (a second
    /// open from the same program).
    pub fn best(&self) -> Option<Holder> {
        if self.lock_holders > 0 {
            return self.holders.first().cloned();
        }
        let own = std::process::id();
        self.holders.iter().find(|h| h.pid != own).or(self.holders.first()).cloned()
    }

    /// The holders other than this process.
    pub fn others(&self) -> impl Iterator<Item = &Holder> {
        let own = std::process::id();
        self.holders.iter().filter(move |h| h.pid != own)
    }
}

/// Finds the processes that hold the device at `path` (a symlink such as
/// `/dev/serial/by-id/…` is followed), in the system's `/proc`.
pub fn holders(path: &Path) -> HolderSearch {
    holders_in(Path::new(PROC), path)
}

/// [`holders`] against another `/proc` root.
pub fn holders_in(proc_root: &Path, path: &Path) -> HolderSearch {
    let device = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut search = HolderSearch::default();
    for pid in lock_holders(proc_root, &device) {
        push(&mut search.holders, proc_root, pid);
    }
    search.lock_holders = search.holders.len();
    let (pids, unreadable) = fd_holders(proc_root, &device);
    search.unreadable = unreadable;
    for pid in pids {
        push(&mut search.holders, proc_root, pid);
    }
    search
}

fn push(holders: &mut Vec<Holder>, proc_root: &Path, pid: u32) {
    if !holders.iter().any(|h| h.pid == pid) {
        holders.push(Holder { pid, command: command(proc_root, pid) });
    }
}

/// The program name of `pid`: `comm` (readable for every process), else
/// the first word of `cmdline`, else `?`.
fn command(proc_root: &Path, pid: u32) -> String {
    let dir = proc_root.join(pid.to_string());
    if let Ok(comm) = fs::read_to_string(dir.join("comm")) {
        let comm = comm.trim();
        if !comm.is_empty() {
            return comm.to_owned();
        }
    }
    if let Ok(cmdline) = fs::read(dir.join("cmdline")) {
        let first = cmdline.split(|&b| b == 0).next().unwrap_or_default();
        if !first.is_empty() {
            return String::from_utf8_lossy(first).into_owned();
        }
    }
    "?".to_owned()
}

/// Pids from `/proc/locks` that hold a lock on `device`'s inode. Empty when
/// the file or the device cannot be read.
fn lock_holders(proc_root: &Path, device: &Path) -> Vec<u32> {
    let Ok(stat) = rustix::fs::stat(device) else {
        return Vec::new();
    };
    let (major, minor) = (rustix::fs::major(stat.st_dev), rustix::fs::minor(stat.st_dev));
    let Ok(text) = fs::read_to_string(proc_root.join("locks")) else {
        return Vec::new();
    };
    let mut pids = Vec::new();
    for line in text.lines() {
        if let Some(pid) = parse_lock_line(line, (major, minor, stat.st_ino)) {
            if !pids.contains(&pid) {
                pids.push(pid);
            }
        }
    }
    pids
}

/// One `/proc/locks` line, e.g. `1: FLOCK  ADVISORY  WRITE 4321 00:1a:3 0
/// EOF`: the pid if it is a granted lock on the inode `(major, minor,
/// inode)`. Waiters (`1: -> FLOCK …`) and OFD locks (pid -1) give nothing.
fn parse_lock_line(line: &str, (major, minor, inode): (u32, u32, u64)) -> Option<u32> {
    let mut fields = line.split_whitespace().skip(1);
    let kind = fields.next()?;
    if kind == "->" {
        return None;
    }
    let pid: u32 = fields.nth(2)?.parse().ok()?;
    let mut id = fields.next()?.split(':');
    let (maj, min, ino) = (id.next()?, id.next()?, id.next()?);
    let same = u32::from_str_radix(maj, 16).ok()? == major
        && u32::from_str_radix(min, 16).ok()? == minor
        && ino.parse::<u64>().ok()? == inode;
    (same && pid > 0).then_some(pid)
}

/// Pids whose `/proc/<pid>/fd/*` links point at `device`, sorted, and the
/// number of processes whose fd directory could not be read.
fn fd_holders(proc_root: &Path, device: &Path) -> (Vec<u32>, usize) {
    let Ok(entries) = fs::read_dir(proc_root) else {
        return (Vec::new(), 0);
    };
    let mut pids = Vec::new();
    let mut unreadable = 0;
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(fds) = fs::read_dir(entry.path().join("fd")) else {
            // Another user's process, or one that exited during the scan.
            unreadable += 1;
            continue;
        };
        let holds =
            fds.flatten().any(|fd| fs::read_link(fd.path()).is_ok_and(|target| target == device));
        if holds {
            pids.push(pid);
        }
    }
    pids.sort_unstable();
    (pids, unreadable)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::symlink;

    use super::*;

    #[test]
    fn lock_lines_name_the_pid_of_a_granted_lock_on_the_inode() {
        let id = (0, 0x1a, 3);
        let cases: &[(&str, Option<u32>)] = &[
            ("1: FLOCK  ADVISORY  WRITE 30676 00:1a:3 0 EOF", Some(30676)),
            ("2: POSIX  ADVISORY  WRITE 77 00:1a:3 0 EOF", Some(77)),
            ("3: FLOCK  ADVISORY  WRITE 30676 00:1a:4 0 EOF", None),
            ("4: FLOCK  ADVISORY  WRITE 30676 fe:00:3 0 EOF", None),
            ("5: -> FLOCK  ADVISORY  WRITE 99 00:1a:3 0 EOF", None),
            ("6: OFDLCK ADVISORY  WRITE -1 00:1a:3 0 EOF", None),
            ("garbage", None),
            ("", None),
        ];
        for (line, want) in cases {
            assert_eq!(parse_lock_line(line, id), *want, "{line}");
        }
    }

    /// A fake `/proc`: pid 41 holds the device, pid 42 holds something
    /// else, pid 43's fd directory is missing (another user's).
    #[test]
    fn fd_links_to_the_device_name_the_holder_and_unreadable_processes_are_counted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let proc_root = dir.path().join("proc");
        let device = dir.path().join("ttyUSB2");
        fs::write(&device, b"").expect("fake device");
        let device = fs::canonicalize(&device).expect("canonical");
        let other = dir.path().join("other");
        fs::write(&other, b"").expect("other file");
        for (pid, comm, target) in
            [(41, "ModemManager", Some(&device)), (42, "bash", Some(&other)), (43, "x", None)]
        {
            let pid_dir = proc_root.join(pid.to_string());
            fs::create_dir_all(&pid_dir).expect("pid dir");
            fs::write(pid_dir.join("comm"), format!("{comm}\n")).expect("comm");
            if let Some(target) = target {
                fs::create_dir(pid_dir.join("fd")).expect("fd dir");
                symlink(target, pid_dir.join("fd").join("7")).expect("fd link");
            }
        }
        fs::create_dir_all(proc_root.join("self")).expect("non-numeric entry");

        let link = dir.path().join("by-id");
        symlink(&device, &link).expect("by-id link");
        let search = holders_in(&proc_root, &link);
        assert_eq!(search.holders, vec![Holder { pid: 41, command: "ModemManager".into() }]);
        assert_eq!(search.unreadable, 1);
        assert_eq!(search.best().map(|h| h.pid), Some(41));
    }

    #[test]
    fn the_lock_holder_is_named_first_and_otherwise_another_process_before_this_one() {
        let holder = |pid| Holder { pid, command: format!("p{pid}") };
        let own = std::process::id();
        let other = own.wrapping_add(1);
        let cases = [
            (vec![holder(own), holder(other)], 1, Some(own)),
            (vec![holder(own), holder(other)], 0, Some(other)),
            (vec![holder(own)], 0, Some(own)),
            (vec![], 0, None),
        ];
        for (holders, lock_holders, want) in cases {
            let search = HolderSearch { holders, lock_holders, unreadable: 0 };
            assert_eq!(search.best().map(|h| h.pid), want, "{search:?}");
        }
    }

    #[test]
    fn a_missing_proc_finds_nothing_and_does_not_fail() {
        let search = holders_in(Path::new("/nonexistent/proc"), Path::new("/dev/null"));
        assert_eq!(search, HolderSearch::default());
    }
}
