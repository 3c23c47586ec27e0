//! Bubblegate's AT layer: a sans-IO engine that talks to one modem port,
//! plus typed commands and responses for what the gateway needs.
//!
//! Nothing here does IO, reads a clock or spawns a task. A thin tokio
//! adapter owns the serial port, feeds [`Engine::handle_input`] with the
//! bytes it reads, writes what [`Engine::poll_transmit`] returns, sleeps
//! until [`Engine::poll_timeout`], and acts on [`Engine::poll_event`].
//!
//! - [`Engine`] frames lines, classifies them against the pending command's
//!   [`Expect`]ed prefixes before the URC table, handles the `> ` prompt,
//!   and enforces one command in flight with per-command timeout and
//!   attempts.
//! - [`FinalResult`], [`CmsError`] and [`CmeError`] type every result code,
//!   with a name and an [`ErrorClass`] for each error code.
//! - [`Urc`] types the unsolicited result codes; [`classify_unsolicited`]
//!   is the same classification for one line, for profile validation.
//! - [`commands`] builds command lines and parses their answers.
//! - [`validate_command_line`] checks V.250 syntax of raw command lines,
//!   such as a modem profile's init sequence.

mod command;
pub mod commands;
mod engine;
mod error_codes;
mod event;
mod fields;
pub mod framing;
mod result;
mod syntax;
mod urc;

pub use command::{Body, Command, CommandError, CommandId, Expect, Retry};
pub use engine::{Engine, EngineConfig};
pub use error_codes::{CmeCode, CmeError, CmsCode, CmsError, ErrorClass};
pub use event::{Event, Outcome, Response, Stats, Warning};
pub use result::FinalResult;
pub use syntax::{validate_command_line, SyntaxError, MAX_COMMAND_LINE};
pub use urc::{classify_unsolicited, Ready, Urc};
