//! Control of the modem itself: the attention check, echo (ITU-T V.250),
//! error reporting (TS 27.007 9.1) and functionality level (TS 27.007 8.2).

use super::{execute, no_lines, set, Arg, AtRequest, ParseError};
use crate::command::{CommandError, Expect};

/// `AT`: the attention command, used as a ping (ITU-T V.250 5.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attention;

impl AtRequest for Attention {
    type Output = ();

    fn line(&self) -> Result<String, CommandError> {
        Ok("AT".to_owned())
    }

    fn expect(&self) -> Expect {
        Expect::nothing()
    }

    fn parse(&self, lines: &[String]) -> Result<(), ParseError> {
        no_lines(lines)
    }
}

/// `ATE0` / `ATE1`: command echo off or on (ITU-T V.250 6.2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetEcho(pub bool);

impl AtRequest for SetEcho {
    type Output = ();

    fn line(&self) -> Result<String, CommandError> {
        execute(if self.0 { "E1" } else { "E0" })
    }

    fn expect(&self) -> Expect {
        Expect::nothing()
    }

    fn parse(&self, lines: &[String]) -> Result<(), ParseError> {
        no_lines(lines)
    }
}

/// The `<n>` of `+CMEE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorReporting {
    /// Plain `ERROR`.
    Off = 0,
    /// `+CME ERROR: <n>` with numeric codes.
    Numeric = 1,
    /// `+CME ERROR: <text>` with verbose texts.
    Verbose = 2,
}

/// `AT+CMEE=<n>`: report mobile termination errors (TS 27.007 9.1). It also
/// switches `+CMS ERROR` between numeric and verbose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportErrors(pub ErrorReporting);

impl AtRequest for ReportErrors {
    type Output = ();

    fn line(&self) -> Result<String, CommandError> {
        set("+CMEE", &[Arg::Int(self.0 as i32)])
    }

    fn expect(&self) -> Expect {
        Expect::nothing()
    }

    fn parse(&self, lines: &[String]) -> Result<(), ParseError> {
        no_lines(lines)
    }
}

/// `AT+CFUN=<fun>[,<rst>]`: set phone functionality (TS 27.007 8.2).
/// `AT+CFUN=1,1` is the soft reset that modem profiles use for recovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetFunctionality {
    /// 0 minimum, 1 full, 4 radio off; other values are vendor specific.
    pub fun: u8,
    /// Reset the modem before applying `fun`.
    pub reset: bool,
}

impl AtRequest for SetFunctionality {
    type Output = ();

    fn line(&self) -> Result<String, CommandError> {
        let fun = Arg::Int(i32::from(self.fun));
        if self.reset {
            set("+CFUN", &[fun, Arg::Int(1)])
        } else {
            set("+CFUN", &[fun])
        }
    }

    fn expect(&self) -> Expect {
        Expect::nothing()
    }

    fn parse(&self, lines: &[String]) -> Result<(), ParseError> {
        no_lines(lines)
    }
}
