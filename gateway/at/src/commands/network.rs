//! Network service, TS 27.007 chapters 7, 8 and 10: signal quality, network
//! registration in each domain, the selected operator and the subscriber's
//! own number.

use super::{execute, no_lines, query, set, Arg, AtRequest, ParseError};
use crate::command::{CommandError, Expect};
use crate::fields::{at_parse, split, Param};

/// `AT+CSQ`: signal quality (TS 27.007 8.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalQuality;

/// The answer to `AT+CSQ`: `+CSQ: <rssi>,<ber>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Csq {
    /// 0 to 31, or 99 for "not known or not detectable".
    pub rssi: u8,
    /// Bit error rate class 0 to 7, or 99 for "not known".
    pub ber: u8,
}

impl Csq {
    /// The received signal strength in dBm, per TS 27.007 8.5: 0 is -113 dBm
    /// or less, 31 is -51 dBm or more, in 2 dB steps. `None` for 99 and for
    /// values outside the table.
    pub fn dbm(&self) -> Option<i16> {
        (self.rssi <= 31).then(|| -113 + 2 * i16::from(self.rssi))
    }
}

impl AtRequest for SignalQuality {
    type Output = Csq;

    fn line(&self) -> Result<String, CommandError> {
        execute("+CSQ")
    }

    fn expect(&self) -> Expect {
        Expect::lines(&["+CSQ:"])
    }

    fn parse(&self, lines: &[String]) -> Result<Csq, ParseError> {
        let line =
            lines.iter().find(|l| l.starts_with("+CSQ:")).ok_or(ParseError::Missing("+CSQ:"))?;
        let (rssi, ber) = at_parse(line, |p| {
            p.expect_identifier(b"+CSQ:").expect_int_parameter().expect_int_parameter().finish()
        })
        .ok_or_else(|| ParseError::malformed("+CSQ", line))?;
        match (u8::try_from(rssi), u8::try_from(ber)) {
            (Ok(rssi), Ok(ber)) => Ok(Csq { rssi, ber }),
            _ => Err(ParseError::malformed("+CSQ", line)),
        }
    }
}

/// A registration domain and its command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Domain {
    /// Circuit switched: `+CREG` (TS 27.007 7.2). SMS over CS depends on it.
    Cs,
    /// GPRS packet domain: `+CGREG` (TS 27.007 10.1.20).
    Ps,
    /// EPS (LTE): `+CEREG` (TS 27.007 10.1.22).
    Eps,
    /// 5GS: `+C5GREG` (TS 27.007 10.1.74).
    FiveG,
}

impl Domain {
    /// The command name, `+CREG` and so on.
    pub fn command(self) -> &'static str {
        match self {
            Domain::Cs => "+CREG",
            Domain::Ps => "+CGREG",
            Domain::Eps => "+CEREG",
            Domain::FiveG => "+C5GREG",
        }
    }

    /// The response and URC prefix, `+CREG:` and so on.
    pub fn prefix(self) -> &'static str {
        match self {
            Domain::Cs => "+CREG:",
            Domain::Ps => "+CGREG:",
            Domain::Eps => "+CEREG:",
            Domain::FiveG => "+C5GREG:",
        }
    }
}

/// `<stat>` of the registration commands (TS 27.007 7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegistrationStatus {
    /// 0: not registered, not searching.
    NotRegistered,
    /// 1: registered, home network.
    Home,
    /// 2: not registered, searching.
    Searching,
    /// 3: registration denied.
    Denied,
    /// 4: unknown.
    Unknown,
    /// 5: registered, roaming.
    Roaming,
    /// 6: registered for "SMS only", home network.
    HomeSmsOnly,
    /// 7: registered for "SMS only", roaming.
    RoamingSmsOnly,
    /// 8: attached for emergency bearer services only.
    EmergencyOnly,
    /// 9: registered for "CSFB not preferred", home network.
    HomeCsfbNotPreferred,
    /// 10: registered for "CSFB not preferred", roaming.
    RoamingCsfbNotPreferred,
    /// Any other value, as sent.
    Other(u8),
}

impl RegistrationStatus {
    pub fn from_code(code: u8) -> Self {
        match code {
            0 => Self::NotRegistered,
            1 => Self::Home,
            2 => Self::Searching,
            3 => Self::Denied,
            4 => Self::Unknown,
            5 => Self::Roaming,
            6 => Self::HomeSmsOnly,
            7 => Self::RoamingSmsOnly,
            8 => Self::EmergencyOnly,
            9 => Self::HomeCsfbNotPreferred,
            10 => Self::RoamingCsfbNotPreferred,
            other => Self::Other(other),
        }
    }

    /// True when the modem can send and receive SMS in this domain.
    pub fn is_registered(self) -> bool {
        matches!(
            self,
            Self::Home
                | Self::Roaming
                | Self::HomeSmsOnly
                | Self::RoamingSmsOnly
                | Self::HomeCsfbNotPreferred
                | Self::RoamingCsfbNotPreferred
        )
    }
}

/// `<AcT>` of the registration and operator commands (TS 27.007 7.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccessTechnology {
    Gsm,
    GsmCompact,
    Utran,
    GsmEgprs,
    UtranHsdpa,
    UtranHsupa,
    UtranHsdpaHsupa,
    EUtran,
    EcGsmIot,
    EUtranNbS1,
    EUtra5gcn,
    Nr5gcn,
    NgRan,
    EUtraNrDual,
    Other(u8),
}

impl AccessTechnology {
    pub fn from_code(code: u8) -> Self {
        match code {
            0 => Self::Gsm,
            1 => Self::GsmCompact,
            2 => Self::Utran,
            3 => Self::GsmEgprs,
            4 => Self::UtranHsdpa,
            5 => Self::UtranHsupa,
            6 => Self::UtranHsdpaHsupa,
            7 => Self::EUtran,
            8 => Self::EcGsmIot,
            9 => Self::EUtranNbS1,
            10 => Self::EUtra5gcn,
            11 => Self::Nr5gcn,
            12 => Self::NgRan,
            13 => Self::EUtraNrDual,
            other => Self::Other(other),
        }
    }
}

/// Registration state, from a query response or a URC.
///
/// Parsed with the field splitter, not `at-commands`: `+CEREG` leaves
/// fields empty in the middle (`+CEREG: 2,1,,,7`), and Huawei sends lac and
/// ci unquoted with spaces (`+CREG: 1, E006B, ABE0016`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Registration {
    /// `<n>`, the reporting mode; only in a query response.
    pub mode: Option<u8>,
    pub status: RegistrationStatus,
    /// Location (or tracking) area code.
    pub lac: Option<u32>,
    /// Cell id.
    pub ci: Option<u32>,
    pub act: Option<AccessTechnology>,
}

impl Registration {
    fn from_fields(mode: Option<u8>, fields: &[Param<'_>]) -> Option<Self> {
        let status = RegistrationStatus::from_code(fields.first()?.int()?);
        Some(Registration {
            mode,
            status,
            lac: fields.get(1).and_then(|p| p.hex()),
            ci: fields.get(2).and_then(|p| p.hex()),
            act: fields.get(3).and_then(|p| p.int()).map(AccessTechnology::from_code),
        })
    }

    /// The URC form, `<stat>[,<lac>,<ci>[,<AcT>...]]`.
    pub(crate) fn parse_unsolicited(params: &str) -> Option<Self> {
        Self::from_fields(None, &split(params))
    }

    /// The query response form, `<n>,<stat>[,<lac>,<ci>[,<AcT>...]]`. The
    /// second field must be a bare number, which tells it apart from a URC
    /// with location (`+CREG: 1,"00C3","0010AAD1"`) that arrived during the
    /// query.
    pub(crate) fn parse_response(params: &str) -> Option<Self> {
        let fields = split(params);
        let mode = fields.first()?.int()?;
        let rest = fields.get(1..)?;
        if rest.first()?.quoted {
            return None;
        }
        Self::from_fields(Some(mode), rest)
    }
}

/// `AT+CREG?`, `AT+CGREG?`, `AT+CEREG?` or `AT+C5GREG?`: read the
/// registration state of a domain (TS 27.007 7.2, 10.1.20, 10.1.22,
/// 10.1.74).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistrationQuery(pub Domain);

impl AtRequest for RegistrationQuery {
    type Output = Registration;

    fn line(&self) -> Result<String, CommandError> {
        query(self.0.command())
    }

    fn expect(&self) -> Expect {
        Expect::lines(&[self.0.prefix()])
    }

    /// Takes the first line in response form; a URC of the same domain that
    /// arrived during the query is skipped.
    fn parse(&self, lines: &[String]) -> Result<Registration, ParseError> {
        let prefix = self.0.prefix();
        lines
            .iter()
            .filter_map(|l| crate::fields::after_prefix(l, prefix))
            .find_map(Registration::parse_response)
            .ok_or(ParseError::Missing(prefix))
    }
}

/// The `<n>` of the registration set commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationReporting {
    /// 0: no URC.
    Disabled = 0,
    /// 1: URC with `<stat>`.
    Enabled = 1,
    /// 2: URC with `<stat>`, location and access technology.
    WithLocation = 2,
}

/// `AT+CREG=<n>` (and the other domains): choose what registration URCs
/// the modem sends (TS 27.007 7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetRegistrationReporting {
    pub domain: Domain,
    pub reporting: RegistrationReporting,
}

impl AtRequest for SetRegistrationReporting {
    type Output = ();

    fn line(&self) -> Result<String, CommandError> {
        set(self.domain.command(), &[Arg::Int(self.reporting as i32)])
    }

    fn expect(&self) -> Expect {
        Expect::nothing()
    }

    fn parse(&self, lines: &[String]) -> Result<(), ParseError> {
        no_lines(lines)
    }
}

/// `AT+COPS?`: the current operator (TS 27.007 7.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperatorQuery;

/// The answer to `AT+COPS?`: `+COPS: <mode>[,<format>,<oper>[,<AcT>]]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Operator {
    /// 0 automatic, 1 manual, 2 deregistered, 3 format only, 4 manual/auto.
    pub mode: u8,
    /// 0 long alphanumeric, 1 short alphanumeric, 2 numeric (MCC+MNC).
    pub format: Option<u8>,
    pub name: Option<String>,
    pub act: Option<AccessTechnology>,
}

impl AtRequest for OperatorQuery {
    type Output = Operator;

    fn line(&self) -> Result<String, CommandError> {
        query("+COPS")
    }

    fn expect(&self) -> Expect {
        Expect::lines(&["+COPS:"])
    }

    fn parse(&self, lines: &[String]) -> Result<Operator, ParseError> {
        let line =
            lines.iter().find(|l| l.starts_with("+COPS:")).ok_or(ParseError::Missing("+COPS:"))?;
        let (mode, format, name, act) = at_parse(line, |p| {
            p.expect_identifier(b"+COPS:")
                .expect_int_parameter()
                .expect_optional_int_parameter()
                .expect_optional_string_parameter()
                .expect_optional_int_parameter()
                .finish()
        })
        .ok_or_else(|| ParseError::malformed("+COPS", line))?;
        let small = |v: i32| u8::try_from(v).ok();
        Ok(Operator {
            mode: small(mode).ok_or_else(|| ParseError::malformed("+COPS", line))?,
            format: format.and_then(small),
            name: name.map(str::to_owned),
            act: act.and_then(small).map(AccessTechnology::from_code),
        })
    }
}

/// `AT+CNUM`: the subscriber's own numbers, as stored on the SIM (TS 27.007
/// 7.1). Often empty: operators rarely write them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnNumber;

/// One `+CNUM: [<alpha>],<number>,<type>[,...]` line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SubscriberNumber {
    pub alpha: Option<String>,
    pub number: String,
    /// Type of address octet: 145 international, 129 national/unknown.
    pub number_type: Option<u8>,
}

impl AtRequest for OwnNumber {
    type Output = Vec<SubscriberNumber>;

    fn line(&self) -> Result<String, CommandError> {
        execute("+CNUM")
    }

    fn expect(&self) -> Expect {
        Expect::lines(&["+CNUM:"])
    }

    /// Parsed with the field splitter: `<alpha>` is usually empty.
    fn parse(&self, lines: &[String]) -> Result<Vec<SubscriberNumber>, ParseError> {
        lines
            .iter()
            .filter_map(|l| crate::fields::after_prefix(l, "+CNUM:").map(|rest| (l, rest)))
            .map(|(line, rest)| {
                let fields = split(rest);
                match fields.as_slice() {
                    [alpha, number, rest @ ..] if !number.text.is_empty() => Ok(SubscriberNumber {
                        alpha: alpha.opt_str().filter(|a| !a.is_empty()).map(str::to_owned),
                        number: number.text.to_owned(),
                        number_type: rest.first().and_then(|t| t.int()),
                    }),
                    _ => Err(ParseError::malformed("+CNUM", line)),
                }
            })
            .collect()
    }
}
