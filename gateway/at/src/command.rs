//! What the engine is asked to send: a command line, the shape of its
//! answer, an optional body for the `> ` prompt, and its retry budget.
//!
//! Preconditions live in the types: a [`Command`] always holds a line that
//! passed [`validate_command_line`], a [`Body`] never holds a byte that
//! would end or cancel the text-entry mode early, and a [`Retry`] always
//! allows at least one attempt.

use std::num::NonZeroU8;
use std::time::Duration;

use thiserror::Error;

use crate::framing::{CR, ESC, LF, SUB};
use crate::syntax::{validate_command_line, SyntaxError};

/// Identifies one [`Command`] handed to the engine, for matching its
/// response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommandId(pub(crate) u64);

impl CommandId {
    /// The sequence number, in the order commands were sent.
    pub fn get(self) -> u64 {
        self.0
    }
}

/// How long one attempt may take and how many attempts a command gets.
/// The caller takes both from the modem profile's command class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    timeout: Duration,
    attempts: NonZeroU8,
}

impl Retry {
    /// The longest timeout kept; longer ones are cut to it, so that a
    /// deadline can always be computed.
    pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

    /// `attempts` attempts of at most `timeout` each.
    pub fn new(timeout: Duration, attempts: NonZeroU8) -> Self {
        Retry { timeout: timeout.min(Self::MAX_TIMEOUT), attempts }
    }

    /// A single attempt of at most `timeout`.
    pub fn once(timeout: Duration) -> Self {
        Self::new(timeout, NonZeroU8::MIN)
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn attempts(&self) -> NonZeroU8 {
        self.attempts
    }
}

/// Which lines, besides the final result code, belong to a command.
///
/// This is what makes classification context-aware, as huawei-modem's
/// `AtCommand::expected()` does: a line that starts with one of these
/// prefixes is part of the response while the command is pending, and a
/// URC at any other time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expect {
    prefixes: Vec<String>,
    data_lines: bool,
    bare_lines: bool,
}

impl Expect {
    /// Only a final result code (`AT+CMGF=0`).
    pub fn nothing() -> Self {
        Expect::default()
    }

    /// Information lines that start with one of `prefixes` (`+CSQ:`).
    pub fn lines(prefixes: &[&str]) -> Self {
        Expect { prefixes: prefixes.iter().map(|&p| p.to_owned()).collect(), ..Expect::default() }
    }

    /// Header lines that start with one of `prefixes`, each followed by one
    /// data line that may look like anything (`+CMGL:` and its PDU).
    pub fn lines_with_data(prefixes: &[&str]) -> Self {
        Expect { data_lines: true, ..Expect::lines(prefixes) }
    }

    /// Lines that start with one of `prefixes`, or any line that is not a
    /// known URC: for commands that some modems answer without a prefix
    /// (`AT+CGSN` answers the bare IMEI).
    pub fn bare(prefixes: &[&str]) -> Self {
        Expect { bare_lines: true, ..Expect::lines(prefixes) }
    }

    pub fn prefixes(&self) -> &[String] {
        &self.prefixes
    }

    /// Whether a line starting with a prefix is followed by a data line.
    pub fn data_lines(&self) -> bool {
        self.data_lines
    }

    /// Whether unprefixed lines belong to the response.
    pub fn bare_lines(&self) -> bool {
        self.bare_lines
    }

    pub(crate) fn matches(&self, line: &str) -> bool {
        self.prefixes.iter().any(|p| line.starts_with(p.as_str()))
    }
}

/// The text sent after the `> ` prompt, without the Ctrl-Z the engine adds:
/// a hexadecimal PDU, or the text of a text-mode message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body(Vec<u8>);

impl Body {
    /// Refuses CR, LF, Ctrl-Z, ESC and NUL: Ctrl-Z and ESC would end the
    /// text entry early, and a CR makes the modem print another prompt,
    /// which the engine does not follow (text-mode bodies are one line).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, CommandError> {
        let bytes = bytes.into();
        if let Some(at) = bytes.iter().position(|b| [CR, LF, SUB, ESC, 0].contains(b)) {
            return Err(CommandError::BodyByte { at, byte: bytes[at] });
        }
        Ok(Body(bytes))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Why a command could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CommandError {
    #[error("invalid command line: {0}")]
    Syntax(#[from] SyntaxError),
    #[error("byte 0x{byte:02X} at offset {at} cannot be part of a message body")]
    BodyByte { at: usize, byte: u8 },
    #[error("invalid parameter: {0}")]
    Parameter(&'static str),
}

/// One command for the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    line: String,
    expect: Expect,
    body: Option<Body>,
    retry: Retry,
}

impl Command {
    /// A command without a body. `line` is the command line without the
    /// trailing CR, e.g. `AT+CSQ`.
    pub fn new(
        line: impl Into<String>,
        expect: Expect,
        retry: Retry,
    ) -> Result<Self, CommandError> {
        let line = line.into();
        validate_command_line(&line)?;
        Ok(Command { line, expect, body: None, retry })
    }

    /// A command that waits for the `> ` prompt and then sends `body`
    /// followed by Ctrl-Z (`AT+CMGS`, `AT+CMGW`).
    pub fn with_body(
        line: impl Into<String>,
        expect: Expect,
        body: Body,
        retry: Retry,
    ) -> Result<Self, CommandError> {
        let mut command = Command::new(line, expect, retry)?;
        command.body = Some(body);
        Ok(command)
    }

    pub fn line(&self) -> &str {
        &self.line
    }

    pub fn expect(&self) -> &Expect {
        &self.expect
    }

    pub fn body(&self) -> Option<&Body> {
        self.body.as_ref()
    }

    pub fn retry(&self) -> Retry {
        self.retry
    }
}
