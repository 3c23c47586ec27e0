//! The watchdog's last step: cutting the modem's power by hardware.
//!
//! [`PowerCycleHook`] is what the actor calls; [`CommandHook`] runs a
//! configured command line (e.g. `uhubctl -l 1-1 -p 2 -a cycle`, or a GPIO
//! script for a HAT's power key) with a bound, and is what the daemon
//! configures. Tests use their own hook that reboots a simulated modem.

use std::future::Future;
use std::pin::Pin;
use std::process::Stdio;
use std::time::Duration;

use thiserror::Error;

/// A boxed future, as the object-safe traits of this crate return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a power cycle did not happen.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("power cycle with {hook} failed: {reason}")]
pub struct HookError {
    pub hook: String,
    pub reason: String,
}

/// Power-cycles one modem by hardware.
pub trait PowerCycleHook: Send + Sync + 'static {
    /// Cuts and restores power. Returns once power is back; the modem then
    /// boots, which the actor waits for separately.
    fn power_cycle(&self) -> BoxFuture<'_, Result<(), HookError>>;

    /// For logs and events, e.g. the command line.
    fn describe(&self) -> String;
}

/// Runs a program with arguments, without a shell. Success is exit status
/// 0 within the bound; the process is killed when the bound passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandHook {
    pub program: String,
    pub args: Vec<String>,
    pub timeout: Duration,
}

impl CommandHook {
    /// Splits `line` at whitespace: program first, then its arguments.
    /// Quoting is not interpreted; use [`CommandHook`]'s fields directly
    /// for arguments with spaces.
    pub fn from_line(line: &str, timeout: Duration) -> Option<Self> {
        let mut words = line.split_whitespace().map(str::to_owned);
        let program = words.next()?;
        Some(CommandHook { program, args: words.collect(), timeout })
    }
}

impl PowerCycleHook for CommandHook {
    fn power_cycle(&self) -> BoxFuture<'_, Result<(), HookError>> {
        Box::pin(async move {
            let fail = |reason: String| HookError { hook: self.describe(), reason };
            let mut child = tokio::process::Command::new(&self.program)
                .args(&self.args)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .kill_on_drop(true)
                .spawn()
                .map_err(|err| fail(format!("cannot start: {err}")))?;
            match tokio::time::timeout(self.timeout, child.wait()).await {
                Ok(Ok(status)) if status.success() => Ok(()),
                Ok(Ok(status)) => Err(fail(format!("exited with {status}"))),
                Ok(Err(err)) => Err(fail(format!("cannot wait for it: {err}"))),
                Err(_) => {
                    // kill_on_drop also covers this; killing here reaps it now.
                    let _ = child.kill().await;
                    Err(fail(format!("still running after {:?}; killed", self.timeout)))
                }
            }
        })
    }

    fn describe(&self) -> String {
        let mut line = self.program.clone();
        for arg in &self.args {
            line.push(' ');
            line.push_str(arg);
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_command_runs_and_its_status_counts() {
        let ok = CommandHook::from_line("true", Duration::from_secs(5)).unwrap();
        assert_eq!(ok.power_cycle().await, Ok(()));
        let failing = CommandHook::from_line("false --flag", Duration::from_secs(5)).unwrap();
        assert_eq!(failing.describe(), "false --flag");
        assert!(failing.power_cycle().await.unwrap_err().reason.contains("exited"));
        let missing = CommandHook::from_line("/nonexistent/uhubctl", Duration::from_secs(5));
        assert!(missing.unwrap().power_cycle().await.unwrap_err().reason.contains("cannot start"));
        let slow = CommandHook::from_line("sleep 10", Duration::from_millis(50)).unwrap();
        assert!(slow.power_cycle().await.unwrap_err().reason.contains("killed"));
        assert!(CommandHook::from_line("   ", Duration::from_secs(1)).is_none());
    }
}
