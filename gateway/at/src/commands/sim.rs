//! The SIM: subscriber identity (`+CIMI`, TS 27.007 5.6), card identity
//! (ICCID), and PIN state (`+CPIN`, TS 27.007 8.3).
//!
//! The ICCID has no command in TS 27.007, so each vendor has its own. Which
//! modems use which, from their AT command manuals:
//!
//! | command | answer | modems |
//! |---|---|---|
//! | `AT+CCID` | bare number, or `+CCID: <iccid>` | SIMCom SIM800 (bare), u-blox SARA/LARA, Telit LE910 |
//! | `AT+CICCID` | `+ICCID: <iccid>` | SIMCom SIM7500/SIM7600 |
//! | `AT+QCCID` | `+QCCID: <iccid>` | Quectel EC2x/EG25-G/EG91/BG96 |
//! | `AT^ICCID?` | `^ICCID: <iccid>` | Huawei E3372, E173, E1752 |
//! | `AT+CRSM=176,12258,0,0,10` | `+CRSM: 144,0,"<EF_ICCID>"` | any modem with restricted SIM access (TS 27.007 8.18); the fallback for models whose profile names no vendor command (Sierra Wireless, ZTE) |
//!
//! Some answers come nibble-swapped as stored on the card (`+CRSM` always,
//! some Huawei firmware too). An ICCID always starts with `89` (ITU-T
//! E.118 telecom industry identifier), so an answer starting with `98` is
//! swapped back; the `F` padding is removed.

use super::{execute, find, no_lines, query, set, Arg, AtRequest, ParseError};
use crate::command::{CommandError, Expect};
use crate::fields::{after_prefix, all_digits, all_hex, split};

/// `AT+CIMI`: request international mobile subscriber identity (TS 27.007
/// 5.6). Answered bare by most modems, with `+CIMI:` by a few.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imsi;

impl AtRequest for Imsi {
    type Output = String;

    fn line(&self) -> Result<String, CommandError> {
        execute("+CIMI")
    }

    fn expect(&self) -> Expect {
        Expect::bare(&["+CIMI:"])
    }

    /// Checks that the answer is an IMSI: 6 to 15 digits.
    fn parse(&self, lines: &[String]) -> Result<String, ParseError> {
        let line = lines.first().ok_or(ParseError::Missing("IMSI"))?;
        let imsi = after_prefix(line, "+CIMI:").unwrap_or(line).trim_matches('"');
        if all_digits(imsi) && (6..=15).contains(&imsi.len()) {
            Ok(imsi.to_owned())
        } else {
            Err(ParseError::malformed("IMSI", line))
        }
    }
}

/// Reads the SIM's ICCID with one of the vendor commands in the module
/// table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IccidQuery {
    /// `AT+CCID`: SIMCom SIM800, u-blox, Telit.
    Ccid,
    /// `AT+CICCID`: SIMCom SIM7500/SIM7600.
    Ciccid,
    /// `AT+QCCID`: Quectel.
    Qccid,
    /// `AT^ICCID?`: Huawei.
    Huawei,
    /// `AT+CRSM=176,12258,0,0,10`: READ BINARY of EF_ICCID (file 2FE2, 10
    /// bytes) through restricted SIM access, TS 27.007 8.18.
    RestrictedSimAccess,
}

const ICCID_PREFIXES: &[&str] = &["+CCID:", "+ICCID:", "^ICCID:", "+QCCID:", "+CRSM:"];

impl AtRequest for IccidQuery {
    type Output = String;

    fn line(&self) -> Result<String, CommandError> {
        match self {
            IccidQuery::Ccid => execute("+CCID"),
            IccidQuery::Ciccid => execute("+CICCID"),
            IccidQuery::Qccid => execute("+QCCID"),
            IccidQuery::Huawei => query("^ICCID"),
            IccidQuery::RestrictedSimAccess => set(
                "+CRSM",
                &[Arg::Int(176), Arg::Int(0x2FE2), Arg::Int(0), Arg::Int(0), Arg::Int(10)],
            ),
        }
    }

    fn expect(&self) -> Expect {
        Expect::bare(ICCID_PREFIXES)
    }

    fn parse(&self, lines: &[String]) -> Result<String, ParseError> {
        let line = lines.first().ok_or(ParseError::Missing("ICCID"))?;
        let raw = match after_prefix(line, "+CRSM:") {
            Some(rest) => {
                // `<sw1>,<sw2>,<response>`: 144,0 (0x9000) is success.
                let fields = split(rest);
                match fields.as_slice() {
                    [sw1, _, data, ..] if sw1.int::<u16>() == Some(144) => data.text,
                    _ => return Err(ParseError::malformed("+CRSM", line)),
                }
            }
            None => ICCID_PREFIXES
                .iter()
                .find_map(|p| after_prefix(line, p))
                .unwrap_or(line)
                .trim_matches('"'),
        };
        normalize_iccid(raw).ok_or_else(|| ParseError::malformed("ICCID", line))
    }
}

/// Un-swaps a nibble-swapped ICCID, drops `F` padding and checks the result
/// is 18 to 20 digits (ITU-T E.118 allows up to 19 plus a check digit).
pub fn normalize_iccid(raw: &str) -> Option<String> {
    if !all_hex(raw) {
        return None;
    }
    let mut iccid: String = if raw.starts_with("98") {
        raw.as_bytes()
            .chunks(2)
            .flat_map(|pair| pair.iter().rev())
            .map(|&b| char::from(b))
            .collect()
    } else {
        raw.to_owned()
    };
    while iccid.ends_with(['F', 'f']) {
        iccid.pop();
    }
    (all_digits(&iccid) && (18..=20).contains(&iccid.len())).then_some(iccid)
}

/// The SIM state from `+CPIN: <code>` (TS 27.007 8.3), as a response to
/// `AT+CPIN?` or unsolicited.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PinStatus {
    /// `READY`: no password is wanted.
    Ready,
    /// `SIM PIN`.
    SimPin,
    /// `SIM PUK`.
    SimPuk,
    /// `PH-SIM PIN`: the phone-to-SIM lock.
    PhSimPin,
    /// `PH-FSIM PIN`.
    PhFsimPin,
    /// `PH-FSIM PUK`.
    PhFsimPuk,
    /// `SIM PIN2`.
    SimPin2,
    /// `SIM PUK2`.
    SimPuk2,
    /// `PH-NET PIN`, `PH-NETSUB PIN`, `PH-SP PIN`, `PH-CORP PIN` and their
    /// PUKs: a personalisation lock, with its code as sent.
    Personalisation(String),
    /// `NOT READY` (SIMCom, Quectel): the SIM is still initialising.
    NotReady,
    /// `NOT INSERTED` (SIMCom): no SIM.
    NotInserted,
    /// Anything else, as sent.
    Other(String),
}

impl PinStatus {
    /// Parses the text after `+CPIN:`.
    pub fn parse(code: &str) -> PinStatus {
        let code = code.trim().trim_matches('"');
        match code {
            "READY" => PinStatus::Ready,
            "SIM PIN" => PinStatus::SimPin,
            "SIM PUK" => PinStatus::SimPuk,
            "PH-SIM PIN" => PinStatus::PhSimPin,
            "PH-FSIM PIN" => PinStatus::PhFsimPin,
            "PH-FSIM PUK" => PinStatus::PhFsimPuk,
            "SIM PIN2" => PinStatus::SimPin2,
            "SIM PUK2" => PinStatus::SimPuk2,
            "NOT READY" => PinStatus::NotReady,
            "NOT INSERTED" => PinStatus::NotInserted,
            _ if code.starts_with("PH-") => PinStatus::Personalisation(code.to_owned()),
            _ => PinStatus::Other(code.to_owned()),
        }
    }
}

/// `AT+CPIN?`: read the SIM state (TS 27.007 8.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinQuery;

impl AtRequest for PinQuery {
    type Output = PinStatus;

    fn line(&self) -> Result<String, CommandError> {
        query("+CPIN")
    }

    fn expect(&self) -> Expect {
        Expect::lines(&["+CPIN:"])
    }

    fn parse(&self, lines: &[String]) -> Result<PinStatus, ParseError> {
        find(lines, "+CPIN:").map(PinStatus::parse)
    }
}

/// `AT+CPIN=<pin>[,<newpin>]`: enter the PIN, or the PUK and a new PIN
/// (TS 27.007 8.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterPin {
    pin: String,
    new_pin: Option<String>,
}

fn check_pin(pin: &str) -> Result<(), CommandError> {
    if all_digits(pin) && (4..=8).contains(&pin.len()) {
        Ok(())
    } else {
        Err(CommandError::Parameter("a PIN or PUK is 4 to 8 digits"))
    }
}

impl EnterPin {
    /// Enters `pin` (4 to 8 digits).
    pub fn new(pin: &str) -> Result<Self, CommandError> {
        check_pin(pin)?;
        Ok(EnterPin { pin: pin.to_owned(), new_pin: None })
    }

    /// Enters `puk` and sets `new_pin`.
    pub fn with_puk(puk: &str, new_pin: &str) -> Result<Self, CommandError> {
        check_pin(puk)?;
        check_pin(new_pin)?;
        Ok(EnterPin { pin: puk.to_owned(), new_pin: Some(new_pin.to_owned()) })
    }
}

impl AtRequest for EnterPin {
    type Output = ();

    fn line(&self) -> Result<String, CommandError> {
        match &self.new_pin {
            Some(new_pin) => set("+CPIN", &[Arg::Str(&self.pin), Arg::Str(new_pin)]),
            None => set("+CPIN", &[Arg::Str(&self.pin)]),
        }
    }

    fn expect(&self) -> Expect {
        Expect::nothing()
    }

    fn parse(&self, lines: &[String]) -> Result<(), ParseError> {
        no_lines(lines)
    }
}
