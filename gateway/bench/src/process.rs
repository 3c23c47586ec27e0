//! The systems under test as child processes: started so that they die
//! with the benchmark (killed on drop, and by the kernel if the benchmark
//! itself is killed), stopped gracefully with SIGTERM and a bound, and
//! measured through `/proc/<pid>`; and where the `bubblegate` binary is.

use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use anyhow::{bail, Context};
use rustix::process::{Pid, Signal};
use tokio::process::{Child, Command};

/// Linux reports CPU times in `/proc/<pid>/stat` in clock ticks of
/// `USER_HZ`, which is 100 on every architecture's user ABI.
const USER_HZ: f64 = 100.0;

/// A running child process; killed when dropped.
#[derive(Debug)]
pub struct Process {
    name: String,
    child: Child,
    pid: u32,
}

impl Process {
    /// Starts `command` with stdin closed and stdout and stderr appended
    /// to `log`.
    pub fn spawn(name: &str, mut command: Command, log: &Path) -> anyhow::Result<Process> {
        let out = std::fs::File::create(log)
            .with_context(|| format!("cannot create {}", log.display()))?;
        let err = out.try_clone().with_context(|| format!("cannot reopen {}", log.display()))?;
        command.stdin(Stdio::null()).stdout(out).stderr(err).kill_on_drop(true);
        // SAFETY: the closure runs in the forked child before exec and
        // makes one prctl(2) call, which is async-signal-safe; it touches
        // no memory shared with the parent.
        unsafe {
            command.pre_exec(|| {
                // If the benchmark dies without cleaning up (SIGKILL), the
                // kernel kills the child too: no daemon holds a PTY after us.
                rustix::process::set_parent_process_death_signal(Some(Signal::KILL))
                    .map_err(std::io::Error::from)
            });
        }
        let child = command.spawn().with_context(|| format!("cannot start {name}"))?;
        let pid = child.id().context("the child has no pid")?;
        Ok(Process { name: name.to_owned(), child, pid })
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Fails when the process has already exited.
    pub fn check_running(&mut self) -> anyhow::Result<()> {
        if let Some(status) = self.child.try_wait().context("waitpid")? {
            bail!("{} exited early ({status})", self.name);
        }
        Ok(())
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`.
    pub async fn stop(mut self, grace: Duration) -> Option<ExitStatus> {
        if let Ok(Some(status)) = self.child.try_wait() {
            return Some(status);
        }
        if let Some(pid) = Pid::from_raw(self.pid as i32) {
            // A process that exited in between is not an error.
            let _ = rustix::process::kill_process(pid, Signal::TERM);
        }
        match tokio::time::timeout(grace, self.child.wait()).await {
            Ok(status) => status.ok(),
            Err(_) => {
                eprintln!("{} did not stop within {grace:?}; killing it", self.name);
                let _ = self.child.kill().await;
                None
            }
        }
    }
}

/// Where `bubblegate` is: beside this binary (both built into
/// `target/release`), unless given.
pub fn locate(given: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    let path = match given {
        Some(path) => path,
        None => std::env::current_exe()
            .context("cannot find this binary's path")?
            .with_file_name("bubblegate"),
    };
    if !path.is_file() {
        bail!(
            "no bubblegate binary at {}: build it first (`cargo build --release -p bubblegate`) \
             or pass --bubblegate PATH",
            path.display()
        );
    }
    Ok(path)
}

/// Memory and CPU use of one process, from `/proc`.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Usage {
    /// Resident set now (`VmRSS`), KiB.
    pub rss_kib: u64,
    /// Peak resident set (`VmHWM`), KiB.
    pub hwm_kib: u64,
    /// Proportional set size (`Pss` of `smaps_rollup`), KiB: pages shared
    /// with other processes count by their share, so a sum over several
    /// gammu-smsd processes does not count their shared libraries again
    /// and again, as a sum of RSS does.
    pub pss_kib: u64,
    /// User plus system CPU time since start, seconds.
    pub cpu_secs: f64,
}

impl Usage {
    /// Reads `/proc/<pid>/status` and `/proc/<pid>/stat`.
    pub fn of(pid: u32) -> anyhow::Result<Usage> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .with_context(|| format!("cannot read /proc/{pid}/status"))?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .with_context(|| format!("cannot read /proc/{pid}/stat"))?;
        let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
            .with_context(|| format!("cannot read /proc/{pid}/smaps_rollup"))?;
        Ok(Usage {
            rss_kib: status_kib(&status, "VmRSS:").context("no VmRSS")?,
            hwm_kib: status_kib(&status, "VmHWM:").context("no VmHWM")?,
            pss_kib: status_kib(&rollup, "Pss:").context("no Pss")?,
            cpu_secs: stat_cpu_ticks(&stat).context("unreadable /proc/pid/stat")? as f64 / USER_HZ,
        })
    }

    /// The sum over several processes (one gammu-smsd per modem).
    pub fn sum(all: &[Usage]) -> Usage {
        all.iter().fold(Usage::default(), |a, u| Usage {
            rss_kib: a.rss_kib + u.rss_kib,
            hwm_kib: a.hwm_kib + u.hwm_kib,
            pss_kib: a.pss_kib + u.pss_kib,
            cpu_secs: a.cpu_secs + u.cpu_secs,
        })
    }
}

/// A `Key:   1234 kB` line of `/proc/<pid>/status` or `smaps_rollup`.
fn status_kib(status: &str, key: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(key))?;
    line[key.len()..].split_whitespace().next()?.parse().ok()
}

/// `utime + stime` from `/proc/<pid>/stat`: fields 14 and 15, counted
/// after the command name, which is in parentheses and may hold spaces.
fn stat_cpu_ticks(stat: &str) -> Option<u64> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // after_name starts at field 3 (state); utime is field 14.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_proc_fields() {
        let status = "Name:\tgammu-smsd\nVmHWM:\t    5120 kB\nVmRSS:\t    4096 kB\n";
        assert_eq!(status_kib(status, "VmRSS:"), Some(4096));
        assert_eq!(status_kib(status, "VmHWM:"), Some(5120));
        assert_eq!(status_kib(status, "VmSwap:"), None);
        let stat = "42 (gammu smsd) S 1 42 42 0 -1 4194560 300 0 0 0 17 5 0 0 20 0 1 0 100";
        assert_eq!(stat_cpu_ticks(stat), Some(22));
    }

    #[test]
    fn our_own_usage_is_readable() {
        let usage = Usage::of(std::process::id()).expect("own /proc entry");
        assert!(usage.rss_kib > 0 && usage.hwm_kib >= usage.rss_kib);
        assert!(usage.pss_kib > 0 && usage.pss_kib <= usage.rss_kib);
    }
}
