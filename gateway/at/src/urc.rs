//! Unsolicited result codes: what the modem says without being asked.
//!
//! This module owns the built-in URC set and the typed [`Urc`] value. It
//! classifies one line as it would be seen with no command pending; the
//! engine asks it only after the pending command's own response prefixes
//! have had their say (so `+CREG: 0,1` during `AT+CREG?` never gets here).
//!
//! Profile-specific URCs are matched by prefix and come back as
//! [`Urc::Other`].
//!
//! `+CMT`, `+CDS` (PDU mode) and `+CBM` are two lines long: a header and a
//! data line. [`classify`] returns a [`UrcHeader`] for them, and the engine
//! finishes it with the next line.

use crate::commands::network::{Domain, Registration};
use crate::commands::sim::PinStatus;
use crate::fields::{after_prefix, all_digits, at_parse, split};

/// A typed unsolicited result code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Urc {
    /// `+CMTI: <mem>,<index>`: a message was stored (TS 27.005 3.4.1).
    NewMessage { storage: String, index: u32 },
    /// `+CMT: [<alpha>],<length>` and the PDU line (TS 27.005 3.4.1, PDU
    /// mode). `length` counts TPDU octets, without the SMSC address.
    Message { alpha: Option<String>, length: u32, pdu: String },
    /// `+CMT: <oa>,[<alpha>],<scts>[,...]` and the text line (text mode).
    MessageText { header: String, text: String },
    /// `+CDSI: <mem>,<index>`: a status report was stored (TS 27.005 3.4.1).
    StatusReportStored { storage: String, index: u32 },
    /// `+CDS: <length>` and the PDU line (TS 27.005 3.4.1, PDU mode).
    StatusReport { length: u32, pdu: String },
    /// `+CDS: <fo>,<mr>,...` on one line (text mode); the parameters as sent.
    StatusReportText { fields: String },
    /// `+CBM:` header and data line (TS 27.005 3.4.1).
    CellBroadcast { header: String, data: String },
    /// `+CREG`, `+CGREG`, `+CEREG` or `+C5GREG` in unsolicited form (TS
    /// 27.007 7.2, 10.1.20, 10.1.22, 10.1.74). `mode` is always `None`.
    Registration { domain: Domain, registration: Registration },
    /// `RING` or `+CRING: <type>` (V.250 / TS 27.007 6.11).
    Ring,
    /// `+CLIP: <number>,<type>[,...]` (TS 27.007 7.6).
    CallerId { number: String, number_type: Option<u8> },
    /// `NO CARRIER` while no command is pending: a call or data link ended.
    NoCarrier,
    /// `+CPIN: <code>` as sent by modems when the SIM state changes.
    Sim(PinStatus),
    /// `+CFUN: <fun>`, sent by SIMCom and Quectel modems at start-up.
    Functionality(u8),
    /// A modem's start-up progress.
    Ready(Ready),
    /// Huawei `^RSSI:<rssi>`, in `+CSQ` units.
    HuaweiRssi(u8),
    /// Huawei `^MODE:<sys_mode>[,<sys_submode>]`.
    HuaweiMode { mode: u8, submode: Option<u8> },
    /// The modem announces that it is switching off (`NORMAL POWER DOWN`,
    /// `POWERED DOWN`, under- or over-voltage power down).
    PowerDown(String),
    /// A URC recognised by prefix whose content the engine does not type:
    /// a built-in vendor URC (e.g. Huawei `^BOOT:`), a built-in URC whose
    /// parameters did not parse, or a prefix supplied by a modem profile.
    Other { prefix: String, line: String },
}

/// Start-up milestones that modems announce unsolicited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ready {
    /// `RDY`: the AT interface is up (SIMCom, Quectel).
    Rdy,
    /// `Call Ready` (SIMCom SIM800).
    CallReady,
    /// SMS functions are usable: `SMS Ready` (SIM800), `SMS DONE`
    /// (SIM7600), `+QIND: SMS DONE` (Quectel).
    SmsReady,
    /// The phonebook is loaded: `PB DONE` (SIM7600), `+QIND: PB DONE`.
    PhonebookReady,
}

/// A two-line URC whose header has arrived and whose data line has not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UrcHeader {
    kind: TwoLine,
    line: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TwoLine {
    Cmt,
    Cds,
    Cbm,
}

impl UrcHeader {
    pub fn line(&self) -> &str {
        &self.line
    }

    /// Completes the URC with its data line.
    pub fn finish(self, data: String) -> Urc {
        match self.kind {
            TwoLine::Cmt => {
                let params = after_prefix(&self.line, "+CMT:").unwrap_or_default();
                let fields = split(params);
                let pdu_form = match fields.as_slice() {
                    [length] => length.int::<u32>().map(|l| (None, l)),
                    [alpha, length] => {
                        length.int::<u32>().map(|l| (alpha.opt_str().map(str::to_owned), l))
                    }
                    _ => None,
                };
                match pdu_form {
                    Some((alpha, length)) => Urc::Message { alpha, length, pdu: data },
                    None => Urc::MessageText { header: params.to_owned(), text: data },
                }
            }
            TwoLine::Cds => {
                let length = after_prefix(&self.line, "+CDS:")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or_default();
                Urc::StatusReport { length, pdu: data }
            }
            TwoLine::Cbm => Urc::CellBroadcast {
                header: after_prefix(&self.line, "+CBM:").unwrap_or_default().to_owned(),
                data,
            },
        }
    }
}

/// The result of classifying one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Classified {
    Complete(Urc),
    Header(UrcHeader),
}

/// Vendor URCs that are recognised, so that they are never mistaken for a
/// response or reported as unexpected, but are not typed.
const UNTYPED: &[&str] = &[
    // Huawei (E173/E1752/E3372 interface specifications).
    "^BOOT:",
    "^SRVST:",
    "^SIMST:",
    "^HCSQ:",
    "^DSFLOWRPT:",
    "^RSSILVL:",
    "^HRSSILVL:",
    "^CSNR:",
    "^STIN:",
    "^NWTIME:",
    "^SYSSTART",
    "^CEND:",
    "^ORIG:",
    "^CONF:",
    "^CONN:",
    "^SMMEMFULL:",
    // SIMCom.
    "+PACSP",
    "+CSMINS:",
    "+SIMCARD:",
    "+CMTE:",
    "*PSUTTZ:",
    "DST:",
    "UNDER-VOLTAGE WARNNING",
    "OVER-VOLTAGE WARNNING",
    "UNDER-VOLTAGE WARNING",
    "OVER-VOLTAGE WARNING",
    // Quectel.
    "+QUSIM:",
    "+QIURC:",
    // Telit.
    "#QSS:",
    // TS 27.007.
    "+CIEV:",
    "+CTZV:",
    "+CTZE:",
    "+CUSD:",
    "+CGEV:",
    "+CSSI:",
    "+CSSU:",
    "+CCWA:",
    "+STIN:",
];

const POWER_DOWN: &[&str] =
    &["NORMAL POWER DOWN", "POWERED DOWN", "UNDER-VOLTAGE POWER DOWN", "OVER-VOLTAGE POWER DOWN"];

/// Classifies `line` as a URC seen while no command is pending: a built-in
/// URC, or one starting with one of `extra_prefixes` (from a modem profile).
///
/// For the two-line URCs (`+CMT`, `+CDS` in PDU mode, `+CBM`) the engine
/// fills in the data line; here it is left empty.
pub fn classify_unsolicited(line: &str, extra_prefixes: &[&str]) -> Option<Urc> {
    match classify(line.trim(), extra_prefixes)? {
        Classified::Complete(urc) => Some(urc),
        Classified::Header(header) => Some(header.finish(String::new())),
    }
}

pub(crate) fn classify<S: AsRef<str>>(line: &str, extra_prefixes: &[S]) -> Option<Classified> {
    if let Some(classified) = builtin(line) {
        return Some(classified);
    }
    extra_prefixes
        .iter()
        .map(AsRef::as_ref)
        .find(|prefix| !prefix.is_empty() && line.starts_with(prefix))
        .map(|prefix| Classified::Complete(other(prefix, line)))
}

fn other(prefix: &str, line: &str) -> Urc {
    Urc::Other { prefix: prefix.to_owned(), line: line.to_owned() }
}

fn builtin(line: &str) -> Option<Classified> {
    let header = |kind| Some(Classified::Header(UrcHeader { kind, line: line.to_owned() }));
    let urc = match line {
        "RING" => Urc::Ring,
        "NO CARRIER" => Urc::NoCarrier,
        "RDY" => Urc::Ready(Ready::Rdy),
        "Call Ready" => Urc::Ready(Ready::CallReady),
        "SMS Ready" | "SMS DONE" => Urc::Ready(Ready::SmsReady),
        "PB DONE" => Urc::Ready(Ready::PhonebookReady),
        _ if POWER_DOWN.contains(&line) => Urc::PowerDown(line.to_owned()),
        _ if line.starts_with("+CMT:") => return header(TwoLine::Cmt),
        _ if line.starts_with("+CBM:") => return header(TwoLine::Cbm),
        _ if after_prefix(line, "+CDS:").is_some_and(all_digits) => return header(TwoLine::Cds),
        _ => match typed(line) {
            Some(urc) => urc,
            None => {
                let prefix = UNTYPED.iter().find(|p| line.starts_with(*p))?;
                other(prefix, line)
            }
        },
    };
    Some(Classified::Complete(urc))
}

/// Parses the built-in URCs that carry parameters. A known prefix whose
/// parameters do not parse still comes back, as [`Urc::Other`].
fn typed(line: &str) -> Option<Urc> {
    const REGISTRATION: &[(&str, Domain)] = &[
        ("+CREG:", Domain::Cs),
        ("+CGREG:", Domain::Ps),
        ("+CEREG:", Domain::Eps),
        ("+C5GREG:", Domain::FiveG),
    ];
    for &(prefix, domain) in REGISTRATION {
        if let Some(rest) = after_prefix(line, prefix) {
            return Some(match Registration::parse_unsolicited(rest) {
                Some(registration) => Urc::Registration { domain, registration },
                None => other(prefix, line),
            });
        }
    }
    for (prefix, stored) in [("+CMTI:", true), ("+CDSI:", false)] {
        if line.starts_with(prefix) {
            let parsed = at_parse(line, |p| {
                p.expect_identifier(prefix.as_bytes())
                    .expect_string_parameter()
                    .expect_int_parameter()
                    .finish()
            });
            return Some(match parsed {
                Some((storage, index)) if index >= 0 => {
                    let storage = storage.to_owned();
                    let index = index.unsigned_abs();
                    if stored {
                        Urc::NewMessage { storage, index }
                    } else {
                        Urc::StatusReportStored { storage, index }
                    }
                }
                _ => other(prefix, line),
            });
        }
    }
    if let Some(rest) = after_prefix(line, "+CDS:") {
        return Some(Urc::StatusReportText { fields: rest.to_owned() });
    }
    if line.starts_with("+CRING:") {
        return Some(Urc::Ring);
    }
    if let Some(rest) = after_prefix(line, "+CLIP:") {
        let fields = split(rest);
        return Some(match fields.first() {
            Some(number) => Urc::CallerId {
                number: number.text.to_owned(),
                number_type: fields.get(1).and_then(|t| t.int()),
            },
            None => other("+CLIP:", line),
        });
    }
    if let Some(rest) = after_prefix(line, "+CPIN:") {
        return Some(Urc::Sim(PinStatus::parse(rest)));
    }
    if let Some(rest) = after_prefix(line, "+CFUN:") {
        return Some(match rest.parse() {
            Ok(fun) => Urc::Functionality(fun),
            Err(_) => other("+CFUN:", line),
        });
    }
    if let Some(rest) = after_prefix(line, "+QIND:") {
        let rest = rest.trim_matches('"');
        return Some(match rest {
            "SMS DONE" => Urc::Ready(Ready::SmsReady),
            "PB DONE" => Urc::Ready(Ready::PhonebookReady),
            _ => other("+QIND:", line),
        });
    }
    if let Some(rest) = after_prefix(line, "^RSSI:") {
        return Some(match rest.parse() {
            Ok(rssi) => Urc::HuaweiRssi(rssi),
            Err(_) => other("^RSSI:", line),
        });
    }
    if let Some(rest) = after_prefix(line, "^MODE:") {
        let fields = split(rest);
        let mode = fields.first().and_then(|m| m.int());
        return Some(match mode {
            Some(mode) => Urc::HuaweiMode { mode, submode: fields.get(1).and_then(|s| s.int()) },
            None => other("^MODE:", line),
        });
    }
    None
}
