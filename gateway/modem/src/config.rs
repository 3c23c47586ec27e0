//! What one modem actor is told at start: which modem it is, how to choose
//! its profile, its SIM PIN and service centre, and every interval, bound
//! and backoff it works with.
//!
//! Preconditions live in the types: a [`ModemId`] is a short printable
//! name, a [`Pin`] is 4 to 8 digits and never printed, a [`Backoff`] grows
//! from a non-zero start to a cap. [`ModemConfig::new`] fills in defaults
//! that suit a real modem; tests shorten them.

use std::fmt;
use std::num::NonZeroU8;
use std::sync::Arc;
use std::time::Duration;

use bubblegate_profiles::{Profile, UsbId};
use thiserror::Error;

use crate::hook::PowerCycleHook;

/// The name of a configured modem, e.g. `modem0` or `attic-ec25`. Used in
/// log spans (`modem{id}`), events and the CLI.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModemId(String);

impl ModemId {
    /// 1 to 64 ASCII letters, digits, `-`, `_` or `.`.
    pub fn new(id: impl Into<String>) -> Result<Self, ConfigError> {
        let id = id.into();
        let valid = (1..=64).contains(&id.len())
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
        if valid {
            Ok(ModemId(id))
        } else {
            Err(ConfigError::ModemId(id))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ModemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A SIM PIN: 4 to 8 digits (TS 31.101). Its `Debug` form hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

impl Pin {
    pub fn new(pin: impl Into<String>) -> Result<Self, ConfigError> {
        let pin = pin.into();
        if (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Pin(pin))
        } else {
            Err(ConfigError::Pin)
        }
    }

    pub(crate) fn digits(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(****)")
    }
}

/// A service centre number for `AT+CSCA`: `+` and 1 to 20 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceCentre(String);

impl ServiceCentre {
    pub fn new(number: impl Into<String>) -> Result<Self, ConfigError> {
        let number = number.into();
        let digits = number.strip_prefix('+').unwrap_or(&number);
        if (1..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(ServiceCentre(number))
        } else {
            Err(ConfigError::ServiceCentre(number))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a configuration value was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    #[error("`{0}` is not a modem id: use 1 to 64 letters, digits, `-`, `_` or `.`")]
    ModemId(String),
    #[error("a SIM PIN is 4 to 8 digits")]
    Pin,
    #[error("`{0}` is not a service centre number: use `+` and 1 to 20 digits")]
    ServiceCentre(String),
    #[error("a backoff must start above zero and its cap must not be below its start")]
    Backoff,
}

/// How the actor picks the modem's profile.
#[derive(Debug, Clone)]
pub enum ProfileChoice {
    /// From the identify answers (and [`ModemConfig::usb`]), through
    /// `ProfileSet::resolve`; `generic` with a warning if nothing matches.
    Detect,
    /// This profile, whatever the modem answers (configured by name, or a
    /// variant built by a test).
    Fixed(Arc<Profile>),
}

/// Whether the operator wants the modem in use. The actor moves its actual
/// state towards this and never changes it by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Desired {
    Enabled,
    /// The port is closed and nothing is sent until enabled again.
    Disabled,
}

/// Exponential backoff: `initial`, doubled after each failure, at most
/// `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    initial: Duration,
    max: Duration,
}

impl Backoff {
    pub fn new(initial: Duration, max: Duration) -> Result<Self, ConfigError> {
        if initial.is_zero() || max < initial {
            return Err(ConfigError::Backoff);
        }
        Ok(Backoff { initial, max })
    }

    /// The wait before try number `failures + 1`.
    pub fn delay(&self, failures: u32) -> Duration {
        let factor = 1u32.checked_shl(failures.min(20)).unwrap_or(u32::MAX);
        self.initial.saturating_mul(factor).min(self.max)
    }
}

/// How the actor retries a part that failed with a temporary error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendRetry {
    /// Total `+CMGS` attempts for one part, the first included. A part
    /// whose body may have gone out is never sent again, whatever this says.
    pub attempts: NonZeroU8,
    /// The wait before the second attempt; it doubles for each further one.
    pub backoff: Backoff,
}

/// The watchdog's bounds. Each escalation step ends within its bound.
#[derive(Clone)]
pub struct WatchdogConfig {
    /// How long a reopened port may take to appear and answer, after a
    /// reset or a power cycle, on top of the profile's boot wait.
    pub reopen_wait: Duration,
    /// The last step: a power cycle by hardware (e.g. `uhubctl`). Without
    /// one the actor goes to `failed` and starts over after its backoff.
    pub power_cycle: Option<Arc<dyn PowerCycleHook>>,
    /// How long the power-cycle hook may run.
    pub hook_timeout: Duration,
}

impl fmt::Debug for WatchdogConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WatchdogConfig")
            .field("reopen_wait", &self.reopen_wait)
            .field("power_cycle", &self.power_cycle.as_ref().map(|h| h.describe()))
            .field("hook_timeout", &self.hook_timeout)
            .finish()
    }
}

/// Everything one modem actor needs besides its port and the profile set.
#[derive(Debug, Clone)]
pub struct ModemConfig {
    pub id: ModemId,
    pub profile: ProfileChoice,
    /// The USB id of the modem's device, when known: profile detection
    /// tries it before the identify answers.
    pub usb: Option<UsbId>,
    /// Entered when the SIM asks for it. A PIN the SIM refuses once is
    /// never entered again (three wrong PINs block the card).
    pub pin: Option<Pin>,
    /// Set with `AT+CSCA` during init; `None` keeps the SIM's own.
    pub smsc: Option<ServiceCentre>,
    pub desired: Desired,
    /// How often signal, registration, operator and storage are read when
    /// nothing else happens. An idle modem sees no other commands.
    pub health_interval: Duration,
    pub send_retry: SendRetry,
    /// Backoff of the `failed` state and of waiting for a port to come back.
    pub backoff: Backoff,
    pub watchdog: WatchdogConfig,
    /// How long a routed `+CMT`/`+CDS` waits for the consumer's confirmation
    /// before it is acknowledged negatively (`AT+CNMA=2`), so that the
    /// network delivers it again. Below the network's own wait (about 15 s).
    pub cnma_wait: Duration,
    /// At shutdown, how long a `+CMGS` in flight may still take.
    pub shutdown_grace: Duration,
    /// How long a caller of [`crate::ModemHandle`] waits for an answer
    /// before it gives up (a send then counts as outcome unknown).
    pub request_timeout: Duration,
    /// Requests that may wait for the actor.
    pub queue: usize,
}

impl ModemConfig {
    /// Defaults for a real modem: health every 5 minutes, 3 send attempts
    /// 5 s apart and doubling, failure backoff from 5 s to 5 minutes.
    pub fn new(id: ModemId) -> Self {
        ModemConfig {
            id,
            profile: ProfileChoice::Detect,
            usb: None,
            pin: None,
            smsc: None,
            desired: Desired::Enabled,
            health_interval: Duration::from_secs(300),
            send_retry: SendRetry {
                attempts: NonZeroU8::new(3).unwrap_or(NonZeroU8::MIN),
                backoff: Backoff { initial: Duration::from_secs(5), max: Duration::from_secs(60) },
            },
            backoff: Backoff { initial: Duration::from_secs(5), max: Duration::from_secs(300) },
            watchdog: WatchdogConfig {
                reopen_wait: Duration::from_secs(30),
                power_cycle: None,
                hook_timeout: Duration::from_secs(60),
            },
            cnma_wait: Duration::from_secs(8),
            shutdown_grace: Duration::from_secs(70),
            request_timeout: Duration::from_secs(600),
            queue: 32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let b = Backoff::new(Duration::from_secs(1), Duration::from_secs(10)).unwrap();
        let delays: Vec<u64> = (0..6).map(|n| b.delay(n).as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 8, 10, 10]);
        assert_eq!(b.delay(u32::MAX), Duration::from_secs(10));
        assert!(Backoff::new(Duration::ZERO, Duration::from_secs(1)).is_err());
    }

    #[test]
    fn values_are_checked_and_the_pin_is_hidden() {
        assert!(ModemId::new("attic-ec25.1").is_ok());
        assert!(ModemId::new("bad id").is_err());
        assert!(ModemId::new("").is_err());
        let pin = Pin::new("1234").unwrap();
        assert_eq!(format!("{pin:?}"), "Pin(****)");
        assert!(Pin::new("123").is_err());
        assert!(Pin::new("12a4").is_err());
        assert!(ServiceCentre::new("+31653131313").is_ok());
        assert!(ServiceCentre::new("+3165x").is_err());
    }
}
