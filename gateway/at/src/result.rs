//! Final result codes: the line that ends a command.
//!
//! ITU-T V.250 clause 5.7 defines the basic codes in verbose (`ATV1`) and
//! numeric (`ATV0`) form; TS 27.005 and TS 27.007 add `+CMS ERROR` and
//! `+CME ERROR`, whose parameter is numeric or verbose after `AT+CMEE=1/2`
//! whatever `ATV` says. A few vendors end commands with their own error
//! text; those are recognised too so that a command never hangs on them.

use std::fmt;

use crate::error_codes::{CmeError, CmsError};

/// How a command ended, as the modem reported it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FinalResult {
    /// `OK` / `0`.
    Ok,
    /// `CONNECT` / `1`, with the optional text after it (`CONNECT 115200`).
    Connect(Option<String>),
    /// `NO CARRIER` / `3`.
    NoCarrier,
    /// `ERROR` / `4`.
    Error,
    /// `NO DIALTONE` / `6`.
    NoDialtone,
    /// `BUSY` / `7`.
    Busy,
    /// `NO ANSWER` / `8`.
    NoAnswer,
    /// `+CMS ERROR: <err>` (TS 27.005 clause 3.2.5).
    Cms(CmsError),
    /// `+CME ERROR: <err>` (TS 27.007 clause 9.2).
    Cme(CmeError),
    /// A vendor's own final error text: ZTE's `COMMAND NOT SUPPORT`,
    /// Huawei's `TOO MANY PARAMETERS`, u-blox's `ABORTED`.
    Vendor(String),
}

impl FinalResult {
    /// True for `OK` and `CONNECT`.
    pub fn is_success(&self) -> bool {
        matches!(self, FinalResult::Ok | FinalResult::Connect(_))
    }

    /// Parses a final result code line. `RING` is not one: it is
    /// unsolicited, and [`crate::classify_unsolicited`] knows it.
    pub fn parse(line: &str) -> Option<FinalResult> {
        match parse_result_code(line)? {
            ResultCode::Final(result) => Some(result),
            ResultCode::Ring => None,
        }
    }
}

impl fmt::Display for FinalResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FinalResult::Ok => f.write_str("OK"),
            FinalResult::Connect(None) => f.write_str("CONNECT"),
            FinalResult::Connect(Some(text)) => write!(f, "CONNECT {text}"),
            FinalResult::NoCarrier => f.write_str("NO CARRIER"),
            FinalResult::Error => f.write_str("ERROR"),
            FinalResult::NoDialtone => f.write_str("NO DIALTONE"),
            FinalResult::Busy => f.write_str("BUSY"),
            FinalResult::NoAnswer => f.write_str("NO ANSWER"),
            FinalResult::Cms(e) => e.fmt(f),
            FinalResult::Cme(e) => e.fmt(f),
            FinalResult::Vendor(text) => f.write_str(text),
        }
    }
}

/// A V.250 result code: a final one, or `RING`, which shares the numeric
/// code space (`2`) but never ends a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ResultCode {
    Final(FinalResult),
    Ring,
}

const VENDOR_ERRORS: &[&str] = &["COMMAND NOT SUPPORT", "TOO MANY PARAMETERS", "ABORTED"];

pub(crate) fn parse_result_code(line: &str) -> Option<ResultCode> {
    let result = match line {
        "OK" | "0" => FinalResult::Ok,
        "CONNECT" | "1" => FinalResult::Connect(None),
        "RING" | "2" => return Some(ResultCode::Ring),
        "NO CARRIER" | "3" => FinalResult::NoCarrier,
        "ERROR" | "4" => FinalResult::Error,
        "NO DIALTONE" | "6" => FinalResult::NoDialtone,
        "BUSY" | "7" => FinalResult::Busy,
        "NO ANSWER" | "8" => FinalResult::NoAnswer,
        _ => {
            if let Some(rest) = line.strip_prefix("+CMS ERROR:") {
                FinalResult::Cms(CmsError::parse(rest))
            } else if let Some(rest) = line.strip_prefix("+CME ERROR:") {
                FinalResult::Cme(CmeError::parse(rest))
            } else if let Some(rest) = line.strip_prefix("CONNECT ") {
                FinalResult::Connect(Some(rest.trim().to_owned()))
            } else if VENDOR_ERRORS.contains(&line) {
                FinalResult::Vendor(line.to_owned())
            } else {
                return None;
            }
        }
    };
    Some(ResultCode::Final(result))
}

/// True for the verbose final result codes that can never be the data line
/// of a two-line response or URC: a PDU is hexadecimal, so `OK` or an error
/// line in that position means the data line was never sent.
pub(crate) fn ends_data(line: &str) -> bool {
    matches!(line, "OK" | "ERROR")
        || line.starts_with("+CMS ERROR:")
        || line.starts_with("+CME ERROR:")
}
