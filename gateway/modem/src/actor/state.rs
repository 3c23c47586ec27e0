//! The actor's actual state and the status it publishes.
//!
//! The actual state only moves forward along the bring-up (probing →
//! identified → SIM ready → registered → ready), drops back to SIM ready
//! when registration is lost, and leaves the path for `recovering`,
//! `waiting for port`, `failed` and `disabled`. The desired state
//! ([`Desired`]) is kept apart: only the operator changes it.

use std::fmt;
use std::time::Duration;

use bubblegate_at::commands::network::{Csq, RegistrationStatus};

use crate::config::Desired;
use crate::event::WatchdogStep;

/// Where the modem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModemState {
    /// Desired state is disabled; the port is closed.
    Disabled,
    /// The port is absent or closed under us; reopening with backoff.
    WaitingForPort,
    /// Asking `AT` until the modem answers.
    Probing,
    /// Identified and profile resolved.
    Identified,
    /// SIM unlocked and SMS set up, but not registered to a network.
    SimReady,
    /// Registered; the next step is ready.
    Registered,
    /// Sending and receiving.
    Ready,
    /// The watchdog is at this step.
    Recovering(WatchdogStep),
    /// Something went wrong. With `retry_in`, the actor starts over after
    /// that long; without, it waits for a person (a PIN or PUK problem).
    Failed { reason: FailReason, retry_in: Option<Duration> },
}

impl ModemState {
    pub fn is_ready(&self) -> bool {
        matches!(self, ModemState::Ready)
    }
}

impl fmt::Display for ModemState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModemState::Disabled => f.write_str("disabled"),
            ModemState::WaitingForPort => f.write_str("waiting for port"),
            ModemState::Probing => f.write_str("probing"),
            ModemState::Identified => f.write_str("identified"),
            ModemState::SimReady => f.write_str("SIM ready, not registered"),
            ModemState::Registered => f.write_str("registered"),
            ModemState::Ready => f.write_str("ready"),
            ModemState::Recovering(step) => write!(f, "recovering ({step:?})"),
            ModemState::Failed { reason, .. } => write!(f, "failed: {reason}"),
        }
    }
}

/// Why the actor is in `failed`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FailReason {
    #[error("the SIM asks for a PIN and none is configured")]
    PinRequired,
    /// Never retried by the actor: another wrong PIN could block the card.
    #[error("the SIM refused the configured PIN; fix the PIN and re-enable the modem")]
    PinRejected,
    #[error("the SIM is blocked and asks for its PUK; unblock it by hand")]
    PukRequired,
    #[error("the SIM is locked ({0}); unlock it by hand")]
    SimLocked(String),
    #[error("no SIM card")]
    SimNotInserted,
    #[error("SIM failure: {0}")]
    SimFailure(String),
    #[error("not ready within {0:?} after power-on")]
    BootTimeout(Duration),
    #[error("{command} failed: {result}")]
    Setup { command: String, result: String },
    #[error("the modem does not answer and every recovery step failed")]
    Unresponsive,
}

impl FailReason {
    /// Whether starting over can help without a person.
    pub fn is_retryable(&self) -> bool {
        !matches!(
            self,
            FailReason::PinRequired
                | FailReason::PinRejected
                | FailReason::PukRequired
                | FailReason::SimLocked(_)
        )
    }
}

/// Identity answers of the modem.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identity {
    pub manufacturer: String,
    pub model: String,
    pub revision: Option<String>,
    pub imei: Option<String>,
}

/// What a modem's handle shows at any time (a `watch` channel).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModemStatus {
    pub state: ModemState,
    pub desired: Desired,
    pub profile: Option<String>,
    pub identity: Option<Identity>,
    pub signal: Option<Csq>,
    /// Best registration over the domains the profile queries.
    pub registration: Option<RegistrationStatus>,
    pub operator: Option<String>,
    /// Used and total slots of the storage new messages go to.
    pub storage: Option<(u32, u32)>,
    /// Messages handed over and not yet confirmed.
    pub unconfirmed: usize,
    /// Restarts of the actor after a panic or kill.
    pub restarts: u32,
}

impl ModemStatus {
    pub(crate) fn new(desired: Desired) -> Self {
        ModemStatus {
            state: if desired == Desired::Enabled {
                ModemState::WaitingForPort
            } else {
                ModemState::Disabled
            },
            desired,
            profile: None,
            identity: None,
            signal: None,
            registration: None,
            operator: None,
            storage: None,
            unconfirmed: 0,
            restarts: 0,
        }
    }
}
