//! Typed commands and their typed answers, grouped by specification chapter
//! as ublox-cellular-rs does. Every type's documentation cites its clause.
//!
//! A typed command implements [`AtRequest`]: it knows its command line,
//! which response prefixes it expects (the engine needs them to tell its
//! answer from URCs), its body if it has one, and how to parse its lines.
//! Command lines are built with the `at-commands` builder and checked by
//! [`crate::validate_command_line`] when turned into a [`Command`]; response
//! lines are parsed with `at-commands` where its parser fits, and with the
//! small field splitter in `fields` where a response has empty fields in the
//! middle or unquoted hexadecimal (each place says so).

pub mod control;
pub mod identify;
pub mod network;
pub mod sim;
pub mod sms;
pub mod sms_config;

use at_commands::builder::CommandBuilder;
use thiserror::Error;

use crate::command::{Body, Command, CommandError, Expect, Retry};
use crate::event::{Outcome, Response};
use crate::result::FinalResult;

/// A typed command.
pub trait AtRequest {
    /// What a successful answer parses into.
    type Output;

    /// The command line, without the trailing CR.
    fn line(&self) -> Result<String, CommandError>;

    /// The lines that belong to the answer.
    fn expect(&self) -> Expect;

    /// The text to send after the `> ` prompt, for commands that take one.
    fn body(&self) -> Result<Option<Body>, CommandError> {
        Ok(None)
    }

    /// Parses the information lines of a successful answer.
    fn parse(&self, lines: &[String]) -> Result<Self::Output, ParseError>;

    /// Builds the engine command with the caller's timeout and attempts.
    fn command(&self, retry: Retry) -> Result<Command, CommandError> {
        let line = self.line()?;
        match self.body()? {
            Some(body) => Command::with_body(line, self.expect(), body, retry),
            None => Command::new(line, self.expect(), retry),
        }
    }

    /// Turns a completed response into the typed answer.
    fn parse_response(&self, response: &Response) -> Result<Self::Output, ResponseError> {
        match &response.outcome {
            Outcome::Final(result) if result.is_success() => Ok(self.parse(&response.lines)?),
            Outcome::Final(result) => Err(ResponseError::Failed(result.clone())),
            Outcome::TimedOut { .. } => Err(ResponseError::TimedOut),
            Outcome::Cancelled => Err(ResponseError::Cancelled),
        }
    }
}

/// Why the lines of a successful answer could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    #[error("no {0} line in the response")]
    Missing(&'static str),
    #[error("malformed {what} line: {line:?}")]
    Malformed { what: &'static str, line: String },
}

impl ParseError {
    pub(crate) fn malformed(what: &'static str, line: &str) -> Self {
        ParseError::Malformed { what, line: line.to_owned() }
    }
}

/// Why a typed answer could not be had.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ResponseError {
    #[error("command failed: {0}")]
    Failed(FinalResult),
    #[error("command timed out")]
    TimedOut,
    #[error("command was cancelled")]
    Cancelled,
    #[error(transparent)]
    Parse(#[from] ParseError),
}

/// One parameter of a set command.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Arg<'a> {
    Int(i32),
    Str(&'a str),
}

/// Runs an `at-commands` builder into a buffer, growing the buffer once to
/// the size the builder asks for if the first one was too small.
fn build(write: impl Fn(&mut [u8]) -> Result<usize, usize>) -> Result<String, CommandError> {
    let mut buffer = vec![0u8; 64];
    let len = match write(&mut buffer) {
        Ok(len) => len,
        Err(needed) => {
            buffer = vec![0u8; needed];
            write(&mut buffer).map_err(|_| CommandError::Parameter("command too long to build"))?
        }
    };
    buffer.truncate(len);
    String::from_utf8(buffer).map_err(|_| CommandError::Parameter("command is not ASCII"))
}

/// `AT<name>`: an action or a basic command (`AT+CSQ`, `ATE0`).
pub(crate) fn execute(name: &str) -> Result<String, CommandError> {
    build(|buf| {
        CommandBuilder::create_execute(buf, true).named(name).finish_with(b"").map(<[u8]>::len)
    })
}

/// `AT<name>?`: the read form.
pub(crate) fn query(name: &str) -> Result<String, CommandError> {
    build(|buf| {
        CommandBuilder::create_query(buf, true).named(name).finish_with(b"").map(<[u8]>::len)
    })
}

/// `AT<name>=<args>`: the set form. String arguments are quoted as given;
/// callers check that they hold no quote.
pub(crate) fn set(name: &str, args: &[Arg<'_>]) -> Result<String, CommandError> {
    build(|buf| {
        let mut builder = CommandBuilder::create_set(buf, true).named(name);
        for arg in args {
            builder = match *arg {
                Arg::Int(value) => builder.with_int_parameter(value),
                Arg::Str(value) => builder.with_string_parameter(value),
            };
        }
        builder.finish_with(b"").map(<[u8]>::len)
    })
}

/// The first line starting with `prefix`, with the prefix and the spaces
/// after it removed.
pub(crate) fn find<'a>(lines: &'a [String], prefix: &'static str) -> Result<&'a str, ParseError> {
    lines
        .iter()
        .find_map(|l| crate::fields::after_prefix(l, prefix))
        .ok_or(ParseError::Missing(prefix))
}

/// Parses an answer that is only `OK`.
pub(crate) fn no_lines(_lines: &[String]) -> Result<(), ParseError> {
    Ok(())
}
