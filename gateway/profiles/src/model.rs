//! Validated runtime types for a modem profile.
//!
//! Every value here has passed `validate`: command lines are single AT lines,
//! timeouts are in range, the CNMI parameters agree with the delivery mode,
//! and every ready URC named in `[boot]` is declared in `[[urcs]]`. Code that
//! drives a modem can rely on these facts without checking again.

use std::collections::BTreeMap;
use std::fmt;
use std::num::NonZeroU8;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use crate::glob::Glob;

/// A USB vendor and product id, as in `lsusb`: `2c7c:0125`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UsbId {
    pub vendor: u16,
    pub product: u16,
}

impl UsbId {
    pub const fn new(vendor: u16, product: u16) -> Self {
        Self { vendor, product }
    }
}

impl fmt::Display for UsbId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04x}:{:04x}", self.vendor, self.product)
    }
}

/// Why a string is not a `vvvv:pppp` USB id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a USB id: expected four hex digits, a colon, four hex digits (e.g. `2c7c:0125`)"
)]
pub struct UsbIdError(pub String);

impl FromStr for UsbId {
    type Err = UsbIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || UsbIdError(s.to_owned());
        let (vendor, product) = s.split_once(':').ok_or_else(err)?;
        let hex4 = |part: &str| {
            if part.len() == 4 && part.bytes().all(|b| b.is_ascii_hexdigit()) {
                u16::from_str_radix(part, 16).map_err(|_| err())
            } else {
                Err(err())
            }
        };
        Ok(Self::new(hex4(vendor)?, hex4(product)?))
    }
}

/// One AT command line as sent to the modem, without the trailing CR.
///
/// It starts with `AT` (any case), is at most [`AtLine::MAX_LEN`] bytes and
/// holds no control characters, so it can be written to a port as it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AtLine(String);

impl AtLine {
    /// V.250 requires a DCE to accept command lines of at least 40
    /// characters; 3GPP modems accept far more. Profiles stay well below
    /// the common 556-byte buffer of Qualcomm-based modules.
    pub const MAX_LEN: usize = 512;

    pub(crate) fn new_unchecked(line: String) -> Self {
        Self(line)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The command name: `+CMGS` for `AT+CMGS=20`, `^HCSQ` for `AT^HCSQ?`,
    /// `E0` style basic commands return their letter (`E`), upper-cased.
    pub fn command_name(&self) -> String {
        let body = &self.0[2..];
        let mut name = String::new();
        let mut chars = body.chars();
        match chars.next() {
            Some(first) if "+^#!$%*@&".contains(first) => {
                name.push(first);
                name.extend(
                    chars
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .map(|c| c.to_ascii_uppercase()),
                );
            }
            Some(first) => name.push(first.to_ascii_uppercase()),
            None => {}
        }
        name
    }
}

impl fmt::Display for AtLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for AtLine {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Serial flow control on the AT port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowControl {
    None,
    /// RTS/CTS.
    Hardware,
    /// XON/XOFF. No profile should need it: it corrupts binary data.
    Software,
}

/// How the host reaches the AT port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    /// The USB interface number (`bInterfaceNumber`) of the AT port, when
    /// the modem is a USB device and the number is known. `None` for UART
    /// modules, and for USB modems whose layout varies: probe every port.
    pub usb_interface: Option<u8>,
    /// Exceptions to `usb_interface` for USB ids whose layout differs (one
    /// vendor often moves the AT port between product ids).
    pub usb_interface_by_id: BTreeMap<UsbId, u8>,
    /// Baud rate for a UART. USB CDC/vendor serial ports ignore it.
    pub baud: u32,
    pub flow_control: FlowControl,
}

impl Port {
    /// The AT port's interface number on a device with this USB id.
    pub fn usb_interface_for(&self, usb: UsbId) -> Option<u8> {
        self.usb_interface_by_id.get(&usb).copied().or(self.usb_interface)
    }
}

/// How long to wait for one command, and how many times to send it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeout {
    pub duration: Duration,
    /// Total sends, including the first. Always 1 for `sms_send`.
    pub attempts: NonZeroU8,
}

/// Command classes with their own timeouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandClass {
    Default,
    /// `+CMGS`, `+CMSS`: the network round trip to the SMSC.
    SmsSend,
    /// `+CMGL`, `+CMGR`: reading SIM storage, slow on full SIMs.
    SmsRead,
    /// `+CMGD`.
    SmsDelete,
    /// `+COPS`: a network scan can take minutes.
    Operator,
    /// `+CFUN` and vendor reset commands.
    Reset,
    /// The modem's own MMS commands.
    Mms,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeouts {
    pub default: Timeout,
    pub sms_send: Timeout,
    pub sms_read: Timeout,
    pub sms_delete: Timeout,
    pub operator: Timeout,
    pub reset: Timeout,
    /// Present exactly when the MMS method is `modem_at`.
    pub mms: Option<Timeout>,
}

impl Timeouts {
    pub fn get(&self, class: CommandClass) -> Timeout {
        match class {
            CommandClass::Default => self.default,
            CommandClass::SmsSend => self.sms_send,
            CommandClass::SmsRead => self.sms_read,
            CommandClass::SmsDelete => self.sms_delete,
            CommandClass::Operator => self.operator,
            CommandClass::Reset => self.reset,
            CommandClass::Mms => self.mms.unwrap_or(self.default),
        }
    }
}

/// SMS transfer modes of `+CMGF`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmsModes {
    pub pdu: bool,
    pub text: bool,
}

impl SmsModes {
    /// PDU mode whenever the modem has it (DESIGN.md: text mode only for
    /// modems that cannot do PDU).
    pub fn preferred_cmgf(&self) -> u8 {
        if self.pdu {
            0
        } else {
            1
        }
    }
}

/// A message storage name of `+CPMS`, e.g. `SM` (SIM) or `ME` (modem).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Storage(pub(crate) String);

impl Storage {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a new SMS goes (3GPP TS 27.005 §3.4.1, `+CNMI` `<mt>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Stored in `<mem3>` and announced with `+CMTI: <mem>,<index>`
    /// (`<mt>` = 1). The daemon reads it with `+CMGR` and deletes it only
    /// after committing it, so a crash loses nothing.
    Store,
    /// Routed straight to the port as `+CMT: ,<len>` plus the PDU
    /// (`<mt>` = 2 or 3). Only safe with `+CNMA`, else a message the daemon
    /// misses is lost.
    Route,
}

/// The five `+CNMI` parameters: `<mode>,<mt>,<bm>,<ds>,<bfr>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cnmi {
    pub mode: u8,
    pub mt: u8,
    pub bm: u8,
    pub ds: u8,
    pub bfr: u8,
}

impl Cnmi {
    /// Whether status reports arrive as `+CDS` (`<ds>` = 1) or are stored
    /// and announced with `+CDSI` (`<ds>` = 2).
    pub fn status_reports(&self) -> bool {
        self.ds != 0
    }

    /// Whether status reports are stored and announced with `+CDSI:
    /// <mem>,<index>` (TS 27.005 3.4.1, `<ds>` = 2), so that a report that
    /// arrives while the daemon is down waits in storage for the startup
    /// sweep and is deleted only after it was committed. With `<ds>` = 1 a
    /// routed `+CDS` that nobody reads is lost unless `+CNMA` is needed.
    pub fn stores_reports(&self) -> bool {
        self.ds == 2
    }
}

impl fmt::Display for Cnmi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{},{},{},{}", self.mode, self.mt, self.bm, self.ds, self.bfr)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sms {
    pub modes: SmsModes,
    /// `+CPMS` `<mem1>` (read, list, delete), `<mem2>` (write, send from
    /// storage), `<mem3>` (where new messages are stored).
    pub storage: [Storage; 3],
    /// Known capacities by storage name. The SIM's own capacity varies by
    /// card and is read from `+CPMS?` at run time.
    pub capacity: BTreeMap<Storage, u32>,
    pub delivery: Delivery,
    pub cnmi: Cnmi,
    /// Whether each routed `+CMT`/`+CDS` must be acknowledged with `+CNMA`
    /// (`+CSMS=1`); the network resends unacknowledged messages.
    pub needs_cnma: bool,
}

/// What a URC tells the daemon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrcKind {
    /// The modem, SIM or SMS stack became ready after boot.
    Ready,
    Signal,
    Registration,
    Sim,
    Sms,
    NetworkTime,
    Power,
    Call,
    Data,
    Info,
}

impl UrcKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            UrcKind::Ready => "ready",
            UrcKind::Signal => "signal",
            UrcKind::Registration => "registration",
            UrcKind::Sim => "sim",
            UrcKind::Sms => "sms",
            UrcKind::NetworkTime => "network_time",
            UrcKind::Power => "power",
            UrcKind::Call => "call",
            UrcKind::Data => "data",
            UrcKind::Info => "info",
        }
    }

    pub(crate) const ALL: [UrcKind; 10] = [
        UrcKind::Ready,
        UrcKind::Signal,
        UrcKind::Registration,
        UrcKind::Sim,
        UrcKind::Sms,
        UrcKind::NetworkTime,
        UrcKind::Power,
        UrcKind::Call,
        UrcKind::Data,
        UrcKind::Info,
    ];
}

/// A vendor URC the modem may print at any time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrcSpec {
    /// The start of the line that identifies the URC, e.g. `^RSSI:` or
    /// `SMS Ready`. Passed to the AT engine as an extra URC prefix.
    pub prefix: String,
    /// A real line of this URC, from the manual; it starts with `prefix`.
    pub example: String,
    pub kind: UrcKind,
    pub meaning: String,
}

/// What to wait for after power-on or reset before sending SMS commands.
///
/// A USB modem often prints its ready URCs before the host has opened the
/// new port, so the URCs are a fast path, not a requirement: a successful
/// `AT+CPIN?` then `AT+CPMS?` also counts as ready, and after `wait` the
/// actor gives up and backs off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Boot {
    /// Prefixes of `ready` URCs that, once all seen, mean the SMS stack is
    /// up. Empty when the modem prints none worth waiting for.
    pub wait_for: Vec<String>,
    /// How long after power-on or reset the modem may take to become ready.
    pub wait: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// A full modem restart over AT, e.g. `AT+CFUN=1,1`.
    pub soft_reset: Vec<AtLine>,
    /// A radio off/on cycle that keeps the USB device, e.g. `AT+CFUN=0`
    /// then `AT+CFUN=1`. Empty when the modem has none worth using.
    pub radio_cycle: Vec<AtLine>,
    /// An orderly power-down before cutting power, if the modem has one.
    pub power_off: Option<AtLine>,
    /// How to power-cycle by hardware (power key GPIO or USB power), for
    /// the operator and the watchdog's last step.
    pub power_key: Option<String>,
    /// Whether `soft_reset` makes the USB device disappear and come back,
    /// so the serial port must be reopened.
    pub usb_reenumerates: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queries {
    /// Signal quality queries; the first is the one to poll.
    pub signal: Vec<AtLine>,
    /// Registration queries (`+CREG?`, `+CGREG?`, `+CEREG?`).
    pub registration: Vec<AtLine>,
    pub iccid: AtLine,
    pub operator: AtLine,
}

/// How this modem sends and receives MMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MmsMethod {
    /// The modem's own MMS client, driven with vendor AT commands. The
    /// listed lines show the command family, in the order they are used.
    ModemAt { commands: Vec<AtLine> },
    /// The daemon speaks MM1 (HTTP) to the MMSC over the modem's data
    /// interface, which the OS brings up.
    HostHttp,
    /// No MMS with this modem.
    None,
}

impl MmsMethod {
    pub fn as_str(&self) -> &'static str {
        match self {
            MmsMethod::ModemAt { .. } => "modem_at",
            MmsMethod::HostHttp => "host_http",
            MmsMethod::None => "none",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mms {
    pub method: MmsMethod,
    pub note: Option<String>,
}

/// A known bug and what the daemon or operator does about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quirk {
    pub problem: String,
    pub workaround: String,
}

/// A document the profile's facts come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub title: String,
    pub version: String,
    pub date: Option<String>,
    pub sections: Vec<String>,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {}", self.title, self.version)?;
        if let Some(date) = &self.date {
            write!(f, " ({date})")?;
        }
        Ok(())
    }
}

/// What the modem answers to identification commands. A simulator plays
/// these answers; the daemon does not rely on them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// `AT+CGMI`.
    pub manufacturer: String,
    /// `AT+CGMM`.
    pub model: String,
    /// `AT+CGMR`.
    pub revision: String,
}

/// How to recognise the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognition {
    pub usb: Vec<UsbId>,
    /// Patterns for the `+CGMI` answer.
    pub manufacturer: Vec<Glob>,
    /// Patterns for the `+CGMM` answer.
    pub model: Vec<Glob>,
}

impl Recognition {
    pub fn is_empty(&self) -> bool {
        self.usb.is_empty() && self.manufacturer.is_empty() && self.model.is_empty()
    }
}

/// Where a profile was loaded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary from `modem-profiles/<file>`.
    Builtin { file: &'static str },
    /// Read from the user's profile directory; overrides a built-in
    /// profile of the same name.
    User { path: PathBuf },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Builtin { file } => write!(f, "modem-profiles/{file}"),
            Origin::User { path } => write!(f, "{}", path.display()),
        }
    }
}

/// A validated modem profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Equal to the file stem, e.g. `quectel-ec25`.
    pub name: String,
    pub vendor: String,
    pub model: String,
    pub summary: String,
    pub recognition: Recognition,
    pub identity: Identity,
    pub port: Port,
    /// Modem-specific setup, sent in order after the ready URCs. The SMS
    /// setup (`+CMGF`, `+CPMS`, `+CNMI`) is not here: it comes from `sms`,
    /// see [`Profile::sms_setup`].
    pub init: Vec<AtLine>,
    pub timeouts: Timeouts,
    pub sms: Sms,
    pub urcs: Vec<UrcSpec>,
    pub boot: Boot,
    pub recovery: Recovery,
    pub queries: Queries,
    pub mms: Mms,
    pub quirks: Vec<Quirk>,
    pub sources: Vec<Source>,
    pub origin: Origin,
}

impl Profile {
    /// The SMS setup lines derived from `[sms]`: format, storages, CNMI.
    pub fn sms_setup(&self) -> Vec<AtLine> {
        let [mem1, mem2, mem3] = &self.sms.storage;
        vec![
            AtLine::new_unchecked(format!("AT+CMGF={}", self.sms.modes.preferred_cmgf())),
            AtLine::new_unchecked(format!("AT+CPMS=\"{mem1}\",\"{mem2}\",\"{mem3}\"")),
            AtLine::new_unchecked(format!("AT+CNMI={}", self.sms.cnmi)),
        ]
    }

    /// Everything to send after boot: `init`, then the SMS setup.
    pub fn startup(&self) -> Vec<AtLine> {
        let mut lines = self.init.clone();
        lines.extend(self.sms_setup());
        lines
    }

    /// The URC prefixes to pass to the AT engine's classifier.
    pub fn urc_prefixes(&self) -> Vec<&str> {
        self.urcs.iter().map(|urc| urc.prefix.as_str()).collect()
    }

    /// Every command line the profile names, with the key it sits under.
    /// Tests feed these to the AT engine's parser.
    pub fn commands(&self) -> Vec<(String, &AtLine)> {
        fn push_all<'a>(out: &mut Vec<(String, &'a AtLine)>, key: &str, lines: &'a [AtLine]) {
            for (i, line) in lines.iter().enumerate() {
                out.push((format!("{key}[{i}]"), line));
            }
        }
        let mut out = Vec::new();
        push_all(&mut out, "init", &self.init);
        push_all(&mut out, "recovery.soft_reset", &self.recovery.soft_reset);
        push_all(&mut out, "recovery.radio_cycle", &self.recovery.radio_cycle);
        if let Some(line) = &self.recovery.power_off {
            out.push(("recovery.power_off".to_owned(), line));
        }
        push_all(&mut out, "queries.signal", &self.queries.signal);
        push_all(&mut out, "queries.registration", &self.queries.registration);
        out.push(("queries.iccid".to_owned(), &self.queries.iccid));
        out.push(("queries.operator".to_owned(), &self.queries.operator));
        if let MmsMethod::ModemAt { commands } = &self.mms.method {
            push_all(&mut out, "mms.commands", commands);
        }
        out
    }

    /// The timeout class of a command line, by its command name.
    pub fn command_class(&self, line: &AtLine) -> CommandClass {
        let name = line.command_name();
        match name.as_str() {
            "+CMGS" | "+CMSS" => CommandClass::SmsSend,
            "+CMGL" | "+CMGR" => CommandClass::SmsRead,
            "+CMGD" => CommandClass::SmsDelete,
            "+COPS" => CommandClass::Operator,
            "+CFUN" => CommandClass::Reset,
            _ if self.recovery.soft_reset.iter().any(|l| l.command_name() == name) => {
                CommandClass::Reset
            }
            _ => match &self.mms.method {
                MmsMethod::ModemAt { commands }
                    if commands.iter().any(|l| l.command_name() == name) =>
                {
                    CommandClass::Mms
                }
                _ => CommandClass::Default,
            },
        }
    }

    /// The timeout and attempts for a command line.
    pub fn timeout_for(&self, line: &AtLine) -> Timeout {
        self.timeouts.get(self.command_class(line))
    }
}
