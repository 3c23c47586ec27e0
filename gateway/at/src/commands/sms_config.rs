//! SMS configuration, TS 27.005 clauses 3.2 to 3.4.1: message service,
//! message format, service centre address, preferred storage and new
//! message indications.

use super::{find, no_lines, query, set, Arg, AtRequest, ParseError};
use crate::command::{CommandError, Expect};
use crate::fields::{at_parse, split};

/// `<mode>` of `+CMGF`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageFormat {
    /// 0: PDU mode, the gateway's default.
    Pdu = 0,
    /// 1: text mode, only for modems that cannot do PDU.
    Text = 1,
}

/// `AT+CMGF=<mode>`: select the message format (TS 27.005 3.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetMessageFormat(pub MessageFormat);

impl AtRequest for SetMessageFormat {
    type Output = ();

    fn line(&self) -> Result<String, CommandError> {
        set("+CMGF", &[Arg::Int(self.0 as i32)])
    }

    fn expect(&self) -> Expect {
        Expect::nothing()
    }

    fn parse(&self, lines: &[String]) -> Result<(), ParseError> {
        no_lines(lines)
    }
}

/// `AT+CMGF?`: read the message format (TS 27.005 3.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageFormatQuery;

impl AtRequest for MessageFormatQuery {
    type Output = MessageFormat;

    fn line(&self) -> Result<String, CommandError> {
        query("+CMGF")
    }

    fn expect(&self) -> Expect {
        Expect::lines(&["+CMGF:"])
    }

    fn parse(&self, lines: &[String]) -> Result<MessageFormat, ParseError> {
        match find(lines, "+CMGF:")? {
            "0" => Ok(MessageFormat::Pdu),
            "1" => Ok(MessageFormat::Text),
            other => Err(ParseError::malformed("+CMGF", other)),
        }
    }
}

/// `AT+CSMS=<service>`: select the message service (TS 27.005 3.2.1).
/// Service 1 (phase 2+) is what `+CNMA` acknowledgements need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SelectService(pub u8);

/// The answer to `AT+CSMS=<service>`: `+CSMS: <mt>,<mo>,<bm>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ServiceSupport {
    pub mobile_terminated: bool,
    pub mobile_originated: bool,
    pub broadcast: bool,
}

impl AtRequest for SelectService {
    type Output = ServiceSupport;

    fn line(&self) -> Result<String, CommandError> {
        set("+CSMS", &[Arg::Int(i32::from(self.0))])
    }

    fn expect(&self) -> Expect {
        Expect::lines(&["+CSMS:"])
    }

    fn parse(&self, lines: &[String]) -> Result<ServiceSupport, ParseError> {
        let line =
            lines.iter().find(|l| l.starts_with("+CSMS:")).ok_or(ParseError::Missing("+CSMS:"))?;
        let (mt, mo, bm) = at_parse(line, |p| {
            p.expect_identifier(b"+CSMS:")
                .expect_int_parameter()
                .expect_int_parameter()
                .expect_int_parameter()
                .finish()
        })
        .ok_or_else(|| ParseError::malformed("+CSMS", line))?;
        Ok(ServiceSupport {
            mobile_terminated: mt == 1,
            mobile_originated: mo == 1,
            broadcast: bm == 1,
        })
    }
}

/// `AT+CSCA?`: read the service centre address (TS 27.005 3.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceCentreQuery;

/// The answer to `AT+CSCA?`: `+CSCA: <sca>,<tosca>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ServiceCentre {
    /// As sent; in the character set chosen with `+CSCS` (hexadecimal
    /// UCS-2 after `AT+CSCS="UCS2"`).
    pub address: String,
    pub address_type: Option<u8>,
}

impl AtRequest for ServiceCentreQuery {
    type Output = ServiceCentre;

    fn line(&self) -> Result<String, CommandError> {
        query("+CSCA")
    }

    fn expect(&self) -> Expect {
        Expect::lines(&["+CSCA:"])
    }

    fn parse(&self, lines: &[String]) -> Result<ServiceCentre, ParseError> {
        let line =
            lines.iter().find(|l| l.starts_with("+CSCA:")).ok_or(ParseError::Missing("+CSCA:"))?;
        let (address, address_type) = at_parse(line, |p| {
            p.expect_identifier(b"+CSCA:")
                .expect_string_parameter()
                .expect_optional_int_parameter()
                .finish()
        })
        .ok_or_else(|| ParseError::malformed("+CSCA", line))?;
        Ok(ServiceCentre {
            address: address.to_owned(),
            address_type: address_type.and_then(|t| u8::try_from(t).ok()),
        })
    }
}

/// `AT+CSCA=<sca>[,<tosca>]`: set the service centre address (TS 27.005
/// 3.3.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetServiceCentre {
    address: String,
    address_type: Option<u8>,
}

impl SetServiceCentre {
    /// `address` is a dialling number: an optional `+` and 1 to 20 digits.
    pub fn new(address: &str, address_type: Option<u8>) -> Result<Self, CommandError> {
        let digits = address.strip_prefix('+').unwrap_or(address);
        if !crate::fields::all_digits(digits) || digits.len() > 20 {
            return Err(CommandError::Parameter("a service centre address is +digits"));
        }
        Ok(SetServiceCentre { address: address.to_owned(), address_type })
    }
}

impl AtRequest for SetServiceCentre {
    type Output = ();

    fn line(&self) -> Result<String, CommandError> {
        match self.address_type {
            Some(t) => set("+CSCA", &[Arg::Str(&self.address), Arg::Int(i32::from(t))]),
            None => set("+CSCA", &[Arg::Str(&self.address)]),
        }
    }

    fn expect(&self) -> Expect {
        Expect::nothing()
    }

    fn parse(&self, lines: &[String]) -> Result<(), ParseError> {
        no_lines(lines)
    }
}

/// Used and total slots of one message storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StorageUsage {
    pub used: u32,
    pub total: u32,
}

impl StorageUsage {
    pub fn is_full(&self) -> bool {
        self.used >= self.total
    }
}

/// `AT+CPMS=<mem1>[,<mem2>[,<mem3>]]`: select the storages for reading and
/// deleting, for writing and sending, and for received messages (TS 27.005
/// 3.2.2). Storage names are the modem's: `SM`, `ME`, `MT`, `SR`, ...
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetStorage {
    memories: Vec<String>,
}

impl SetStorage {
    /// One to three storage names, each 1 to 4 ASCII letters or digits.
    pub fn new(memories: &[&str]) -> Result<Self, CommandError> {
        let valid =
            |m: &&str| (1..=4).contains(&m.len()) && m.bytes().all(|b| b.is_ascii_alphanumeric());
        if memories.is_empty() || memories.len() > 3 || !memories.iter().all(valid) {
            return Err(CommandError::Parameter("one to three storage names like \"SM\""));
        }
        Ok(SetStorage { memories: memories.iter().map(|&m| m.to_owned()).collect() })
    }
}

impl AtRequest for SetStorage {
    /// Usage of each storage given, in order.
    type Output = Vec<StorageUsage>;

    fn line(&self) -> Result<String, CommandError> {
        let args: Vec<Arg<'_>> = self.memories.iter().map(|m| Arg::Str(m)).collect();
        set("+CPMS", &args)
    }

    fn expect(&self) -> Expect {
        Expect::lines(&["+CPMS:"])
    }

    /// `+CPMS: <used1>,<total1>[,<used2>,<total2>[,<used3>,<total3>]]`.
    fn parse(&self, lines: &[String]) -> Result<Vec<StorageUsage>, ParseError> {
        let rest = find(lines, "+CPMS:")?;
        let numbers: Option<Vec<u32>> = split(rest).iter().map(|p| p.int()).collect();
        match numbers {
            Some(numbers) if !numbers.is_empty() && numbers.len() % 2 == 0 => Ok(numbers
                .chunks(2)
                .map(|pair| StorageUsage { used: pair[0], total: pair[1] })
                .collect()),
            _ => Err(ParseError::malformed("+CPMS", rest)),
        }
    }
}

/// `AT+CPMS?`: read the selected storages and their usage (TS 27.005
/// 3.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageQuery;

/// One storage in the answer to `AT+CPMS?`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Storage {
    pub memory: String,
    pub usage: StorageUsage,
}

impl AtRequest for StorageQuery {
    type Output = Vec<Storage>;

    fn line(&self) -> Result<String, CommandError> {
        query("+CPMS")
    }

    fn expect(&self) -> Expect {
        Expect::lines(&["+CPMS:"])
    }

    /// `+CPMS: <mem1>,<used1>,<total1>,<mem2>,...`.
    fn parse(&self, lines: &[String]) -> Result<Vec<Storage>, ParseError> {
        let rest = find(lines, "+CPMS:")?;
        let fields = split(rest);
        if fields.is_empty() || fields.len() % 3 != 0 {
            return Err(ParseError::malformed("+CPMS", rest));
        }
        fields
            .chunks(3)
            .map(|triple| match (triple[1].int(), triple[2].int()) {
                (Some(used), Some(total)) => Ok(Storage {
                    memory: triple[0].text.to_owned(),
                    usage: StorageUsage { used, total },
                }),
                _ => Err(ParseError::malformed("+CPMS", rest)),
            })
            .collect()
    }
}

/// `AT+CNMI=<mode>,<mt>,<bm>,<ds>,<bfr>`: new message indications to the
/// host (TS 27.005 3.4.1). The profile supplies the values; `2,1,0,2,0`
/// stores messages and reports `+CMTI` and `+CDSI`, `2,2,0,1,0` routes them
/// directly as `+CMT` and `+CDS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewMessageIndications {
    pub mode: u8,
    pub mt: u8,
    pub bm: u8,
    pub ds: u8,
    pub bfr: u8,
}

impl AtRequest for NewMessageIndications {
    type Output = ();

    fn line(&self) -> Result<String, CommandError> {
        let args = [self.mode, self.mt, self.bm, self.ds, self.bfr].map(|v| Arg::Int(i32::from(v)));
        set("+CNMI", &args)
    }

    fn expect(&self) -> Expect {
        Expect::nothing()
    }

    fn parse(&self, lines: &[String]) -> Result<(), ParseError> {
        no_lines(lines)
    }
}
