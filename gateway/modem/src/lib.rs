//! Bubblegate's modem driver: one supervised tokio actor per modem.
//!
//! An actor owns its modem's port (opened through a [`PortOpener`]) and a
//! sans-IO [`bubblegate_at::Engine`], and runs the modem through probing,
//! identification, SIM unlock, the profile's init sequence and SMS setup,
//! registration and service. Callers talk to it through a [`ModemHandle`]:
//! one SMS part per [`ModemHandle::send`], confirmations of received
//! messages with [`ModemHandle::confirm`], the desired state with
//! [`ModemHandle::set_desired`]; events ([`ModemEvent`]) come over a
//! broadcast channel and the [`ModemStatus`] over a watch channel. The
//! [`Supervisor`] runs all actors and restarts one that panics.
//!
//! # API at a glance
//!
//! ```text
//! Supervisor::new(Arc<ProfileSet>, CancellationToken) -> Supervisor
//! Supervisor::spawn(&mut self, ModemConfig, Arc<dyn PortOpener>) -> Result<ModemHandle, _>
//! Supervisor::kill(&self, &ModemId) -> bool          // crash it; it restarts
//! Supervisor::shutdown(self, Duration) -> bool       // waits for a +CMGS in flight
//! ModemHandle::send(&self, OutgoingPart) -> SendOutcome   // Sent { mr } | Failed { error, class } | Unknown
//! ModemHandle::confirm(&self, InboundToken) -> Result<(), ConfirmError>
//! ModemHandle::set_desired(&self, Desired) -> Result<(), HandleError>
//! ModemHandle::subscribe(&self) -> broadcast::Receiver<ModemEvent>
//! ModemHandle::status(&self) -> ModemStatus / wait_for(bound, predicate)
//! ModemConfig::new(ModemId) -> ModemConfig          // public fields, real-modem defaults
//! SerialOpener { locator, settings } : PortOpener    // bubblegate-serial, exclusive
//! CommandHook { program, args, timeout } : PowerCycleHook
//! ```
//!
//! # Invariants
//!
//! - Only the actor touches its port and engine; one AT command is in
//!   flight at a time, and every wait of the actor has a bound.
//! - A part is reported [`SendOutcome::Sent`] only with the modem's
//!   `+CMGS: <mr>`. Once its body reached the port it is never sent again
//!   by the actor; a lost answer is [`SendOutcome::Unknown`].
//! - A stored message is deleted only after its token was confirmed, and a
//!   storage slot has at most one live token; unconfirmed messages are
//!   handed over again after a restart.
//! - A PIN the SIM refused (or whose answer was lost) is never entered
//!   again, across actor restarts, until the operator re-enables the modem.
//! - An idle modem gets only the health commands, once per health
//!   interval.
//! - Phone numbers and message bodies reach `tracing` only at trace level.

mod actor;
mod config;
mod error;
mod event;
mod handle;
mod hook;
mod opener;
mod supervisor;

pub use actor::state::{FailReason, Identity, ModemState, ModemStatus};
pub use bubblegate_serial::{PortLocator, SerialSettings};
pub use config::{
    Backoff, ConfigError, Desired, ModemConfig, ModemId, Pin, ProfileChoice, SendRetry,
    ServiceCentre, WatchdogConfig,
};
pub use error::{ConfirmError, HandleError, SendError};
pub use event::{
    EventKind, InboundMessage, InboundToken, ModemEvent, Origin, StatusReportMessage, StepResult,
    UndecodableMessage, WatchdogStep,
};
pub use handle::{ModemHandle, OutgoingPart, SendOutcome};
pub use hook::{BoxFuture, CommandHook, HookError, PowerCycleHook};
pub use opener::{ModemIo, OpenError, PortOpener, SerialOpener};
pub use supervisor::{Supervisor, SupervisorError};
