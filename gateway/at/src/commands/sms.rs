//! Sending, reading, deleting and acknowledging messages, TS 27.005 clauses
//! 3.4 and 3.5 (text mode) and chapter 4 (PDU mode).
//!
//! PDUs stay hexadecimal strings here; `bubblegate-sms` decodes them.
//! The listing and read headers are parsed with the field splitter, not
//! `at-commands`, because `<alpha>` is an empty field in the middle
//! (`+CMGL: 1,0,,23`).

use super::{execute, no_lines, set, Arg, AtRequest, ParseError};
use crate::command::{Body, CommandError, Expect};
use crate::fields::{after_prefix, all_digits, all_hex, at_parse, split, Param};

/// `<stat>` of stored messages (TS 27.005 3.1): numeric in PDU mode, text
/// in text mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageStatus {
    /// 0, "REC UNREAD".
    ReceivedUnread,
    /// 1, "REC READ".
    ReceivedRead,
    /// 2, "STO UNSENT".
    StoredUnsent,
    /// 3, "STO SENT".
    StoredSent,
    /// 4, "ALL": only as a listing filter.
    All,
}

impl MessageStatus {
    pub fn code(self) -> u8 {
        match self {
            Self::ReceivedUnread => 0,
            Self::ReceivedRead => 1,
            Self::StoredUnsent => 2,
            Self::StoredSent => 3,
            Self::All => 4,
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            Self::ReceivedUnread => "REC UNREAD",
            Self::ReceivedRead => "REC READ",
            Self::StoredUnsent => "STO UNSENT",
            Self::StoredSent => "STO SENT",
            Self::All => "ALL",
        }
    }

    fn from_param(param: Param<'_>) -> Option<Self> {
        [Self::ReceivedUnread, Self::ReceivedRead, Self::StoredUnsent, Self::StoredSent, Self::All]
            .into_iter()
            .find(|s| param.int::<u8>() == Some(s.code()) || param.text == s.text())
    }
}

/// The answer to a message submission: `+CMGS: <mr>[,...]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cmgs {
    /// TP-Message-Reference, which the status report will carry.
    pub mr: u8,
}

fn parse_cmgs(lines: &[String]) -> Result<Cmgs, ParseError> {
    let line =
        lines.iter().find(|l| l.starts_with("+CMGS:")).ok_or(ParseError::Missing("+CMGS:"))?;
    let (mr,) = at_parse(line, |p| p.expect_identifier(b"+CMGS:").expect_int_parameter().finish())
        .ok_or_else(|| ParseError::malformed("+CMGS", line))?;
    let mr = u8::try_from(mr).map_err(|_| ParseError::malformed("+CMGS", line))?;
    Ok(Cmgs { mr })
}

/// `AT+CMGS=<length>`, then the PDU after the prompt: send a message in PDU
/// mode (TS 27.005 4.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendPdu {
    pdu: String,
    length: u8,
}

impl SendPdu {
    /// `pdu` is the hexadecimal SMSC address (`00` for the default) followed
    /// by the SMS-SUBMIT TPDU. `<length>` counts the TPDU octets only.
    pub fn new(pdu: &str) -> Result<Self, CommandError> {
        let invalid = CommandError::Parameter("a PDU is an even number of hex digits");
        if !all_hex(pdu) || pdu.len() % 2 != 0 {
            return Err(invalid);
        }
        let octets = pdu.len() / 2;
        let sca = usize::from(u8::from_str_radix(&pdu[..2], 16).map_err(|_| invalid)?);
        let tpdu = octets
            .checked_sub(1 + sca)
            .filter(|&n| n > 0)
            .and_then(|n| u8::try_from(n).ok())
            .ok_or(CommandError::Parameter("the PDU has no TPDU after its SMSC address"))?;
        Ok(SendPdu { pdu: pdu.to_owned(), length: tpdu })
    }

    /// The `<length>` parameter.
    pub fn length(&self) -> u8 {
        self.length
    }
}

impl AtRequest for SendPdu {
    type Output = Cmgs;

    fn line(&self) -> Result<String, CommandError> {
        set("+CMGS", &[Arg::Int(i32::from(self.length))])
    }

    fn expect(&self) -> Expect {
        Expect::lines(&["+CMGS:"])
    }

    fn body(&self) -> Result<Option<Body>, CommandError> {
        Body::new(self.pdu.as_bytes()).map(Some)
    }

    fn parse(&self, lines: &[String]) -> Result<Cmgs, ParseError> {
        parse_cmgs(lines)
    }
}

/// `AT+CMGS="<da>"`, then the text after the prompt: send a message in text
/// mode (TS 27.005 3.5.1), for modems that cannot do PDU mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendText {
    destination: String,
    text: Body,
}

impl SendText {
    /// `destination` is an optional `+` and 1 to 20 digits. `text` must
    /// already be in the character set selected with `+CSCS` and be one
    /// line.
    pub fn new(destination: &str, text: &str) -> Result<Self, CommandError> {
        let digits = destination.strip_prefix('+').unwrap_or(destination);
        if !all_digits(digits) || digits.len() > 20 {
            return Err(CommandError::Parameter("a destination is +digits"));
        }
        Ok(SendText { destination: destination.to_owned(), text: Body::new(text.as_bytes())? })
    }
}

impl AtRequest for SendText {
    type Output = Cmgs;

    fn line(&self) -> Result<String, CommandError> {
        set("+CMGS", &[Arg::Str(&self.destination)])
    }

    fn expect(&self) -> Expect {
        Expect::lines(&["+CMGS:"])
    }

    fn body(&self) -> Result<Option<Body>, CommandError> {
        Ok(Some(self.text.clone()))
    }

    fn parse(&self, lines: &[String]) -> Result<Cmgs, ParseError> {
        parse_cmgs(lines)
    }
}

/// One message from a PDU-mode listing: `+CMGL: <index>,<stat>,[<alpha>],
/// <length>` and the PDU line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CmglEntry {
    pub index: u32,
    pub stat: MessageStatus,
    pub alpha: Option<String>,
    /// TPDU octets, without the SMSC address.
    pub length: u32,
    /// Hexadecimal, SMSC address first.
    pub pdu: String,
}

/// One message read in PDU mode: `+CMGR: <stat>,[<alpha>],<length>` and the
/// PDU line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CmgrEntry {
    pub stat: MessageStatus,
    pub alpha: Option<String>,
    pub length: u32,
    pub pdu: String,
}

/// Splits a two-line listing into (header parameters, data line) pairs. A
/// header without a data line (an empty slot, some firmware) gets `None`.
fn pairs<'a>(lines: &'a [String], prefix: &str) -> Vec<(&'a str, &'a str, Option<&'a str>)> {
    let mut out = Vec::new();
    let mut iter = lines.iter().peekable();
    while let Some(line) = iter.next() {
        let Some(params) = after_prefix(line, prefix) else {
            continue;
        };
        let data = match iter.peek() {
            Some(next) if !next.starts_with(prefix) => iter.next().map(String::as_str),
            _ => None,
        };
        out.push((line.as_str(), params, data));
    }
    out
}

/// `<stat>,[<alpha>],<length>` with the alpha field optional altogether, as
/// some firmware leaves it out.
fn pdu_header(fields: &[Param<'_>]) -> Option<(MessageStatus, Option<String>, u32)> {
    let (stat, alpha, length) = match fields {
        [stat, length] => (stat, None, length),
        [stat, alpha, length] => (stat, alpha.opt_str().filter(|a| !a.is_empty()), length),
        _ => return None,
    };
    Some((MessageStatus::from_param(*stat)?, alpha.map(str::to_owned), length.int()?))
}

/// `AT+CMGL=<stat>`: list stored messages in PDU mode (TS 27.005 4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListMessages(pub MessageStatus);

impl AtRequest for ListMessages {
    type Output = Vec<CmglEntry>;

    fn line(&self) -> Result<String, CommandError> {
        set("+CMGL", &[Arg::Int(i32::from(self.0.code()))])
    }

    fn expect(&self) -> Expect {
        Expect::lines_with_data(&["+CMGL:"])
    }

    fn parse(&self, lines: &[String]) -> Result<Vec<CmglEntry>, ParseError> {
        pairs(lines, "+CMGL:")
            .into_iter()
            .map(|(line, params, data)| {
                let fields = split(params);
                let index = fields.first().and_then(|p| p.int());
                let header = fields.get(1..).and_then(pdu_header);
                match (index, header, data) {
                    (Some(index), Some((stat, alpha, length)), Some(pdu)) => {
                        Ok(CmglEntry { index, stat, alpha, length, pdu: pdu.to_owned() })
                    }
                    _ => Err(ParseError::malformed("+CMGL", line)),
                }
            })
            .collect()
    }
}

/// `AT+CMGR=<index>`: read one stored message in PDU mode (TS 27.005 4.2).
/// An empty slot answers `OK` alone on most modems (or a header without a
/// PDU), which parses to `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadMessage(pub u16);

impl AtRequest for ReadMessage {
    type Output = Option<CmgrEntry>;

    fn line(&self) -> Result<String, CommandError> {
        set("+CMGR", &[Arg::Int(i32::from(self.0))])
    }

    fn expect(&self) -> Expect {
        Expect::lines_with_data(&["+CMGR:"])
    }

    fn parse(&self, lines: &[String]) -> Result<Option<CmgrEntry>, ParseError> {
        let Some((line, params, data)) = pairs(lines, "+CMGR:").into_iter().next() else {
            return Ok(None);
        };
        let Some(pdu) = data else {
            return Ok(None);
        };
        let (stat, alpha, length) =
            pdu_header(&split(params)).ok_or_else(|| ParseError::malformed("+CMGR", line))?;
        Ok(Some(CmgrEntry { stat, alpha, length, pdu: pdu.to_owned() }))
    }
}

/// One message from a text-mode listing: `+CMGL: <index>,<stat>,<oa/da>,
/// [<alpha>],[<scts>][,...]` and the text line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextEntry {
    pub index: u32,
    pub stat: MessageStatus,
    pub address: Option<String>,
    pub alpha: Option<String>,
    pub timestamp: Option<String>,
    /// In the `+CSCS` character set, as sent.
    pub text: String,
}

/// `AT+CMGL="<stat>"`: list stored messages in text mode (TS 27.005 3.4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListMessagesText(pub MessageStatus);

impl AtRequest for ListMessagesText {
    type Output = Vec<TextEntry>;

    fn line(&self) -> Result<String, CommandError> {
        set("+CMGL", &[Arg::Str(self.0.text())])
    }

    fn expect(&self) -> Expect {
        Expect::lines_with_data(&["+CMGL:"])
    }

    fn parse(&self, lines: &[String]) -> Result<Vec<TextEntry>, ParseError> {
        let text = |p: Option<&Param<'_>>| {
            p.and_then(|p| p.opt_str()).filter(|s| !s.is_empty()).map(str::to_owned)
        };
        pairs(lines, "+CMGL:")
            .into_iter()
            .map(|(line, params, data)| {
                let fields = split(params);
                let index = fields.first().and_then(|p| p.int());
                let stat = fields.get(1).and_then(|p| MessageStatus::from_param(*p));
                match (index, stat) {
                    (Some(index), Some(stat)) => Ok(TextEntry {
                        index,
                        stat,
                        address: text(fields.get(2)),
                        alpha: text(fields.get(3)),
                        timestamp: text(fields.get(4)),
                        text: data.unwrap_or_default().to_owned(),
                    }),
                    _ => Err(ParseError::malformed("+CMGL", line)),
                }
            })
            .collect()
    }
}

/// `<delflag>` of `+CMGD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteFlag {
    /// 0: the message at `<index>` only.
    Index = 0,
    /// 1: all read messages.
    Read = 1,
    /// 2: all read and sent messages.
    ReadAndSent = 2,
    /// 3: all read, sent and unsent messages.
    AllButUnread = 3,
    /// 4: every message.
    All = 4,
}

/// `AT+CMGD=<index>[,<delflag>]`: delete messages (TS 27.005 3.5.4). The
/// gateway deletes a message only after it is committed to the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeleteMessage {
    pub index: u16,
    pub flag: DeleteFlag,
}

impl AtRequest for DeleteMessage {
    type Output = ();

    fn line(&self) -> Result<String, CommandError> {
        set("+CMGD", &[Arg::Int(i32::from(self.index)), Arg::Int(self.flag as i32)])
    }

    fn expect(&self) -> Expect {
        Expect::nothing()
    }

    fn parse(&self, lines: &[String]) -> Result<(), ParseError> {
        no_lines(lines)
    }
}

/// `AT+CNMA`: acknowledge a message routed directly with `+CMT` or `+CDS`
/// (TS 27.005 3.4.4 and 4.6). Needed after `AT+CSMS=1`; without it the
/// network resends the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acknowledge {
    /// `AT+CNMA`: RP-ACK.
    Positive,
    /// `AT+CNMA=2`: RP-ERROR (PDU mode).
    Negative,
}

impl AtRequest for Acknowledge {
    type Output = ();

    fn line(&self) -> Result<String, CommandError> {
        match self {
            Acknowledge::Positive => execute("+CNMA"),
            Acknowledge::Negative => set("+CNMA", &[Arg::Int(2)]),
        }
    }

    fn expect(&self) -> Expect {
        Expect::nothing()
    }

    fn parse(&self, lines: &[String]) -> Result<(), ParseError> {
        no_lines(lines)
    }
}

/// `<n>` of `+CMMS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoreMessagesMode {
    /// 0: close the relay link after each message.
    Disabled = 0,
    /// 1: keep it open until 1 to 5 seconds pass without a send, then
    /// fall back to 0.
    Once = 1,
    /// 2: keep it open while sends follow within 1 to 5 seconds.
    Enabled = 2,
}

/// `AT+CMMS=<n>`: more messages to send (TS 27.005 3.5.6), which keeps the
/// radio link open between the parts of a concatenated message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoreMessages(pub MoreMessagesMode);

impl AtRequest for MoreMessages {
    type Output = ();

    fn line(&self) -> Result<String, CommandError> {
        set("+CMMS", &[Arg::Int(self.0 as i32)])
    }

    fn expect(&self) -> Expect {
        Expect::nothing()
    }

    fn parse(&self, lines: &[String]) -> Result<(), ParseError> {
        no_lines(lines)
    }
}
