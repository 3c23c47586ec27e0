//! The watchdog: what happens after a command timed out. Each step is
//! announced as an event and ends within its bound:
//!
//! 1. ping: `AT`, one attempt of the default timeout;
//! 2. soft reset: the profile's reset lines, then the modem must answer
//!    again within its boot wait (after the port comes back, for a USB
//!    modem that re-enumerates);
//! 3. reopen: close the port, open it again within the reopen wait, and
//!    probe within the boot wait;
//! 4. power cycle: the configured hook within its timeout, then as 3.
//!
//! The first step that gets an answer ends the escalation and the session
//! starts again from probing. If none does, the actor goes to `failed` and
//! starts over after its backoff. A port that disappears during a step is
//! the hotplug case, and waiting for it takes over.

use bubblegate_at::commands::control::Attention;
use bubblegate_at::commands::AtRequest;
use bubblegate_at::{Command, Expect, Outcome, Retry};
use bubblegate_profiles::CommandClass;
use tokio::time::Instant;

use super::state::{FailReason, ModemState};
use super::{Actor, Stop};
use crate::event::{EventKind, StepResult, WatchdogStep};

impl Actor {
    /// Escalates until the modem answers. `Ok` means it does: start a
    /// session. See the module documentation.
    pub(super) async fn recover(&mut self, command: &str) -> Result<(), Stop> {
        tracing::warn!(command, "command timed out; the watchdog takes over");
        self.step(WatchdogStep::Ping, StepResult::Started);
        if self.ping().await? {
            self.step(WatchdogStep::Ping, StepResult::Recovered);
            return Ok(());
        }
        self.step(WatchdogStep::Ping, StepResult::Failed("no answer to AT".to_owned()));

        if self.profile.recovery.soft_reset.is_empty() {
            self.step(WatchdogStep::SoftReset, StepResult::Skipped);
        } else {
            self.step(WatchdogStep::SoftReset, StepResult::Started);
            match self.soft_reset().await {
                Ok(()) => {
                    self.step(WatchdogStep::SoftReset, StepResult::Recovered);
                    return Ok(());
                }
                Err(Stop::Unresponsive(why)) | Err(Stop::PortGone(why)) => {
                    self.step(WatchdogStep::SoftReset, StepResult::Failed(why));
                }
                Err(stop) => return Err(stop),
            }
        }

        self.step(WatchdogStep::Reopen, StepResult::Started);
        match self.reopen_and_probe().await {
            Ok(()) => {
                self.step(WatchdogStep::Reopen, StepResult::Recovered);
                return Ok(());
            }
            Err(Stop::Unresponsive(why)) | Err(Stop::PortGone(why)) => {
                self.step(WatchdogStep::Reopen, StepResult::Failed(why));
            }
            Err(stop) => return Err(stop),
        }

        let Some(hook) = self.config().watchdog.power_cycle.clone() else {
            self.step(WatchdogStep::PowerCycle, StepResult::Skipped);
            return Err(Stop::Failed(FailReason::Unresponsive));
        };
        self.step(WatchdogStep::PowerCycle, StepResult::Started);
        self.close();
        let bound = self.config().watchdog.hook_timeout;
        tracing::warn!(hook = %hook.describe(), "power cycling the modem");
        let ran = tokio::select! {
            () = self.shutdown.cancelled() => return Err(Stop::Shutdown),
            ran = tokio::time::timeout(bound, hook.power_cycle()) => ran,
        };
        let failure = match ran {
            Ok(Ok(())) => match self.reopen_and_probe().await {
                Ok(()) => None,
                Err(Stop::Unresponsive(why)) | Err(Stop::PortGone(why)) => Some(why),
                Err(stop) => return Err(stop),
            },
            Ok(Err(err)) => Some(err.to_string()),
            Err(_) => Some(format!("the hook took longer than {bound:?}")),
        };
        match failure {
            None => {
                self.step(WatchdogStep::PowerCycle, StepResult::Recovered);
                Ok(())
            }
            Some(why) => {
                self.step(WatchdogStep::PowerCycle, StepResult::Failed(why));
                Err(Stop::Failed(FailReason::Unresponsive))
            }
        }
    }

    fn step(&mut self, step: WatchdogStep, result: StepResult) {
        match &result {
            StepResult::Failed(why) => tracing::warn!(?step, %why, "watchdog step failed"),
            other => tracing::info!(?step, result = ?other, "watchdog"),
        }
        if result == StepResult::Started {
            self.set_state(ModemState::Recovering(step));
        }
        self.emit(EventKind::Watchdog { step, result });
    }

    /// `AT` once, with the default timeout. A closed port is passed on.
    async fn ping(&mut self) -> Result<bool, Stop> {
        let timeout = self.profile.timeouts.get(CommandClass::Default).duration;
        let command = Attention
            .command(Retry::once(timeout))
            .map_err(|err| Stop::Failed(setup_failure("AT", err)))?;
        let response = self.exec(command).await?;
        Ok(matches!(response.outcome, Outcome::Final(_)))
    }

    /// The profile's reset lines, then waiting for the modem to answer.
    async fn soft_reset(&mut self) -> Result<(), Stop> {
        let lines = self.profile.recovery.soft_reset.clone();
        let retry = self.retry(CommandClass::Reset);
        for line in &lines {
            let command =
                Command::new(line.as_str(), Expect::bare(&[]), Retry::once(retry.timeout()))
                    .map_err(|err| Stop::Failed(setup_failure(line.as_str(), err)))?;
            match self.exec(command).await {
                Ok(response) => tracing::debug!(outcome = ?response.outcome, "reset answered"),
                // A modem that re-enumerates drops the port right away.
                Err(Stop::PortGone(why)) => {
                    tracing::debug!(%why, "port went away with the reset");
                    break;
                }
                Err(stop) => return Err(stop),
            }
        }
        if self.profile.recovery.usb_reenumerates || self.link.is_none() {
            self.reopen_and_probe().await
        } else {
            self.probe(self.profile.boot.wait).await
        }
    }

    /// Closes the port, opens it again within the reopen wait (retrying
    /// while it is absent), and probes within the boot wait.
    async fn reopen_and_probe(&mut self) -> Result<(), Stop> {
        self.close();
        let deadline = Instant::now() + self.config().watchdog.reopen_wait + self.profile.boot.wait;
        let mut tries = 0u32;
        loop {
            match self.open_port().await {
                Ok(()) => break,
                Err(Stop::PortGone(why)) => {
                    if Instant::now() >= deadline {
                        return Err(Stop::PortGone(why));
                    }
                    let delay = self
                        .config()
                        .backoff
                        .delay(tries)
                        .min(deadline.saturating_duration_since(Instant::now()));
                    tries = tries.saturating_add(1);
                    self.pause(delay).await?;
                }
                Err(stop) => return Err(stop),
            }
        }
        self.probe(self.profile.boot.wait).await
    }
}

fn setup_failure(command: &str, err: impl std::fmt::Display) -> FailReason {
    FailReason::Setup { command: command.to_owned(), result: err.to_string() }
}
