//! The sans-IO core of `bubblegate sim`: simulated modems and the virtual
//! cellular network they live in.
//!
//! Like quinn-proto, nothing here does IO, reads a clock or spawns a task.
//! An adapter (crate `bubblegate-simulator`) owns the pseudo-terminals or
//! in-process streams, the control HTTP server and the timers, and drives one
//! [`Network`]:
//!
//! - bytes the host wrote to a modem's serial line go in through
//!   [`Network::handle_input`];
//! - bytes the modem sends back come out of [`Network::poll_transmit`]
//!   (or [`Network::poll_transmit_any`]);
//! - the adapter sleeps until [`Network::poll_timeout`] and then calls
//!   [`Network::handle_timeout`] (radio time of `+CMGS`, per-command delays,
//!   boot after a reset, periodic vendor URCs, status reports);
//! - [`Network::poll_event`] yields [`Event`]s: transcript lines (`>>` in,
//!   `<<` out), unplug and replug of a modem, and messages the network
//!   received or delivered.
//!
//! Time is a `std::time::Instant` passed in by the caller. Calendar time,
//! which SMS time stamps need, is [`NetworkConfig::unix_time_at_start`] plus
//! the `Instant`s elapsed since the first call.
//!
//! # API at a glance
//!
//! ```text
//! Network::new(NetworkConfig) -> Network
//! Network::add_modem(&mut self, ModemSpec, now) -> ModemId
//! Network::modems(&self) -> Vec<ModemInfo>
//! Network::modem(&self, ModemId) -> Option<ModemInfo>
//! Network::modem_by_number(&self, &str) -> Option<ModemId>
//! Network::profile(&self, ModemId) -> Option<Arc<Profile>>
//! Network::config(&self) -> &NetworkConfig
//! Network::handle_input(&mut self, ModemId, &[u8], now)
//! Network::poll_transmit(&mut self, ModemId) -> Option<Vec<u8>>
//! Network::poll_transmit_any(&mut self) -> Option<(ModemId, Vec<u8>)>
//! Network::handle_timeout(&mut self, now)
//! Network::poll_timeout(&self) -> Option<Instant>
//! Network::poll_event(&mut self) -> Option<Event>
//! Network::inject_text(&mut self, to, from, text, now) -> Result<(), SimError>
//! Network::inject_pdus(&mut self, to, &[Vec<u8>], now) -> Result<(), SimError>
//! Network::received(&self) -> &[ReceivedMessage]
//! Network::report_outcome(&self) -> ReportOutcome
//! Network::set_report_outcome(&mut self, ReportOutcome)
//! Network::inject_fault(&mut self, ModemId, Fault, now) -> Result<(), SimError>
//! ModemSpec::new(Arc<Profile>, index) -> ModemSpec   // numbers, IMSI, ICCID, IMEI from the index
//! NetworkConfig::default() / NetworkConfig::fast()     // realistic timing / no waiting
//! ```
//!
//! An adapter's loop: after every `handle_input`, `handle_timeout`,
//! `inject_*` or `inject_fault`, drain `poll_transmit_any` (bytes to the
//! ports) and `poll_event` (transcripts, unplug/replug), then sleep until
//! `poll_timeout`.
//!
//! # Invariants
//!
//! - No input, however malformed, panics the core (a property test feeds it
//!   arbitrary bytes).
//! - A modem answers one command line at a time: bytes that arrive while a
//!   command is still running (radio time, injected delay) wait in its input
//!   buffer, as in a real DCE's receive buffer.
//! - Unsolicited result codes never split a response: URCs raised while a
//!   command runs or a `> ` prompt is open are held and sent after the
//!   final result code (`+CNMI` `<mode>` 2 behaviour, TS 27.005 3.4.1).
//! - An unplugged modem takes no input and sends nothing; messages for it
//!   wait at the SMSC and are delivered after replug, as a network does.

mod clock;
mod error;
mod event;
mod faults;
mod modem;
mod network;
mod results;
mod smsc;
mod spec;
mod transcript;

pub use error::SimError;
pub use event::{Direction, Event};
pub use faults::Fault;
pub use network::{Network, NetworkConfig, ReportOutcome};
pub use smsc::ReceivedMessage;
pub use spec::{ModemId, ModemInfo, ModemSpec};

/// Re-exported so that adapters name the same types the core uses.
pub use bubblegate_profiles::{Profile, ProfileSet};
pub use bubblegate_sms::Body;
