//! The baseline: Debian's `gammu-smsd`, one process per modem (it drives
//! one phone per process), each with the FILES backend in its own
//! directory. The configuration is Debian's shipped `/etc/gammu-smsdrc`
//! (files backend, debug level 0) with this modem's port and the spool
//! paths filled in; every timing option keeps gammu's default, as a user
//! who installs the package and sets the port has it:
//!
//! - `CommTimeout = 30`: an empty outbox is scanned again after 30 s.
//! - `ReceiveFrequency = 15`: the modem is checked for received messages
//!   (`AT+CPIN?`, `AT+CPMS`) every 15 s.
//! - `StatusFrequency = 60`: battery, signal and network
//!   (`AT+CBC`, `AT+CSQ`, `AT+CREG`, ...) every 60 s.
//! - `LoopSleep = 1`, `CheckSecurity`/`CheckBattery`/`CheckSignal`/
//!   `CheckNetwork = 1`, `DeliveryReport = no`.
//!
//! `--gammu-set KEY=VALUE` adds `[smsd]` keys, to see what tuning buys.
//! A message is enqueued as gammu-smsd-files(7) documents: a file
//! `OUT<priority>_<recipient>_<serial>.txt` with the text, written beside
//! the outbox and renamed into it so that gammu never reads half a file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use tokio::process::Command;

use crate::process::{Process, Usage};
use crate::sim::SimModem;

/// One gammu-smsd and its spool.
struct Instance {
    process: Process,
    outbox: PathBuf,
    staging: PathBuf,
    error: PathBuf,
    transcript: PathBuf,
}

/// One gammu-smsd per simulated modem.
pub struct Gammu {
    instances: Vec<Instance>,
    serial: u64,
}

impl Gammu {
    /// Starts one gammu-smsd per modem. `lifetime` bounds each process
    /// (`--suicide`), a last resort should the benchmark lose track of it.
    pub fn start(
        modems: &[SimModem],
        dir: &Path,
        overrides: &[(String, String)],
        lifetime: Duration,
    ) -> anyhow::Result<Gammu> {
        let mut instances = Vec::new();
        for modem in modems {
            let base = dir.join(format!("gammu-{}", modem.name));
            let spool = |name: &str| -> anyhow::Result<PathBuf> {
                let path = base.join(name);
                std::fs::create_dir_all(&path)
                    .with_context(|| format!("cannot create {}", path.display()))?;
                Ok(path)
            };
            let (inbox, outbox, sent, error) =
                (spool("inbox")?, spool("outbox")?, spool("sent")?, spool("error")?);
            let staging = spool("staging")?;
            let rc = base.join("smsdrc");
            let text = smsdrc(&SmsdPaths {
                device: &modem.path,
                log: &base.join("smsd.log"),
                inbox: &inbox,
                outbox: &outbox,
                sent: &sent,
                error: &error,
                overrides,
            });
            std::fs::write(&rc, text).with_context(|| format!("cannot write {}", rc.display()))?;
            let mut command = Command::new("gammu-smsd");
            command.arg("--config").arg(&rc).arg(format!("--suicide={}", lifetime.as_secs()));
            let process = Process::spawn(
                &format!("gammu-smsd ({})", modem.name),
                command,
                &base.join("stdout.log"),
            )?;
            instances.push(Instance {
                process,
                outbox,
                staging,
                error,
                transcript: modem.transcript.clone(),
            });
        }
        Ok(Gammu { instances, serial: 0 })
    }

    /// Ready once every instance has finished its start-up, which ends
    /// with its first status poll (`AT+CSQ`).
    pub fn is_ready(&mut self) -> anyhow::Result<bool> {
        for instance in &mut self.instances {
            instance.process.check_running()?;
            let transcript = std::fs::read_to_string(&instance.transcript).unwrap_or_default();
            if !transcript.lines().any(|l| l.contains(">> AT+CSQ")) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Puts one message in the outbox of instance `lane % instances`.
    pub fn enqueue(&mut self, lane: usize, to: &str, text: &str) -> anyhow::Result<()> {
        let count = self.instances.len();
        let instance = &mut self.instances[lane % count];
        self.serial += 1;
        // Priority C, as gammu-smsd-inject uses by default; the serial
        // keeps the order of enqueueing (files go out sorted by name).
        let name = format!("OUTC_{to}_{:08}.txt", self.serial);
        let staged = instance.staging.join(&name);
        std::fs::write(&staged, text)
            .with_context(|| format!("cannot write {}", staged.display()))?;
        let target = instance.outbox.join(&name);
        std::fs::rename(&staged, &target)
            .with_context(|| format!("cannot move {} into the outbox", staged.display()))?;
        Ok(())
    }

    pub fn check_running(&mut self) -> anyhow::Result<()> {
        self.instances.iter_mut().try_for_each(|i| i.process.check_running())
    }

    /// Memory and CPU summed over every gammu-smsd.
    pub fn usage(&self) -> anyhow::Result<Usage> {
        let all = self
            .instances
            .iter()
            .map(|i| Usage::of(i.process.pid()))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Usage::sum(&all))
    }

    /// Messages gammu moved to its error folders.
    pub fn failed(&self) -> usize {
        self.instances
            .iter()
            .map(|i| std::fs::read_dir(&i.error).map(|d| d.count()).unwrap_or(0))
            .sum()
    }

    /// SIGTERM to every instance (gammu-smsd shuts down gracefully on it).
    pub async fn stop(self, grace: Duration) {
        for instance in self.instances {
            instance.process.stop(grace).await;
        }
    }
}

/// Where one gammu-smsd's files go.
struct SmsdPaths<'a> {
    device: &'a Path,
    log: &'a Path,
    inbox: &'a Path,
    outbox: &'a Path,
    sent: &'a Path,
    error: &'a Path,
    overrides: &'a [(String, String)],
}

/// Debian's `/etc/gammu-smsdrc` with the port and paths filled in.
fn smsdrc(p: &SmsdPaths<'_>) -> String {
    // gammu-smsd wants the folder paths with a trailing slash.
    let folder = |path: &Path| format!("{}/", path.display());
    let mut text = format!(
        "# Debian's /etc/gammu-smsdrc as shipped, with the port and paths set\n\
         # by bubblegate-bench; every timing option is gammu's default.\n\
         [gammu]\n\
         device = {}\n\
         connection = at\n\
         \n\
         [smsd]\n\
         service = files\n\
         logfile = {}\n\
         debuglevel = 0\n\
         inboxpath = {}\n\
         outboxpath = {}\n\
         sentsmspath = {}\n\
         errorsmspath = {}\n",
        p.device.display(),
        p.log.display(),
        folder(p.inbox),
        folder(p.outbox),
        folder(p.sent),
        folder(p.error),
    );
    for (key, value) in p.overrides {
        text.push_str(&format!("{key} = {value}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smsdrc_is_debians_with_paths_and_overrides() {
        let overrides = [("CommTimeout".to_owned(), "1".to_owned())];
        let text = smsdrc(&SmsdPaths {
            device: Path::new("/tmp/sim/modem0"),
            log: Path::new("/tmp/g/smsd.log"),
            inbox: Path::new("/tmp/g/inbox"),
            outbox: Path::new("/tmp/g/outbox"),
            sent: Path::new("/tmp/g/sent"),
            error: Path::new("/tmp/g/error"),
            overrides: &overrides,
        });
        assert!(text.contains("[gammu]\ndevice = /tmp/sim/modem0\nconnection = at\n"));
        assert!(text.contains("service = files\n"));
        assert!(text.contains("outboxpath = /tmp/g/outbox/\n"));
        assert!(text.ends_with("errorsmspath = /tmp/g/error/\nCommTimeout = 1\n"));
    }
}
