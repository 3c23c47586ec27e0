//! What comes out of the engine: completed commands, URCs and warnings,
//! plus the running counters behind the warnings.

use crate::command::CommandId;
use crate::result::FinalResult;
use crate::urc::Urc;

/// One output of the engine, taken with [`crate::Engine::poll_event`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A command finished: with a final result code, by timing out, or by
    /// being cancelled.
    Response(Response),
    /// An unsolicited result code.
    Urc(Urc),
    /// Something on the line was wrong but the engine carried on.
    Warning(Warning),
}

/// The complete answer to one command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub id: CommandId,
    /// The command line as sent, without CR.
    pub command: String,
    /// The information lines that belong to the command, in order, without
    /// echo, URCs or the final result code.
    pub lines: Vec<String>,
    pub outcome: Outcome,
}

impl Response {
    /// True if the command ended with `OK` or `CONNECT`.
    pub fn is_success(&self) -> bool {
        matches!(&self.outcome, Outcome::Final(result) if result.is_success())
    }
}

/// How a command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The modem sent a final result code.
    Final(FinalResult),
    /// Every attempt timed out. `body_sent` says whether the SMS body had
    /// been sent after the prompt; if so the message may have gone out, and
    /// the engine did not retry, to avoid sending it twice.
    TimedOut { attempts: u8, body_sent: bool },
    /// [`crate::Engine::cancel_all`] was called before the command ended.
    Cancelled,
}

/// A recoverable problem on the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// Bytes outside the AT repertoire (NUL, control characters, 0x80 and
    /// above) were skipped.
    Garbage { bytes: usize },
    /// A line longer than the limit was dropped; `bytes` counts its content.
    LineTooLong { bytes: usize },
    /// A line that belongs to nothing: not part of the pending command's
    /// response, not a known URC, or a final result code with no command
    /// pending (often a late answer to a command that timed out).
    UnexpectedLine(String),
    /// A `> ` prompt arrived when no body was waiting for it. The engine sent
    /// ESC so that the modem leaves text-entry mode.
    UnexpectedPrompt,
    /// The header of a two-line URC was not followed by its data line.
    TruncatedUrc { header: String },
    /// The pending command's response grew past the configured number of
    /// lines; further lines were dropped.
    ResponseTooLong { id: CommandId },
    /// An attempt timed out and the command was sent again.
    Retrying { id: CommandId, attempt: u8 },
}

/// Running totals since the engine was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    pub garbage_bytes: u64,
    pub overlong_lines: u64,
    pub unexpected_lines: u64,
    pub unexpected_prompts: u64,
    pub truncated_urcs: u64,
    pub dropped_response_lines: u64,
    pub retries: u64,
    pub timeouts: u64,
    pub responses: u64,
    pub urcs: u64,
}
