//! Per-model behaviour that the profiles name but 27.005/27.007 do not
//! define: the ICCID command and its answer format, the vendor signal and
//! system-info queries, soft reset and power-down commands, Huawei
//! `^CURC` and its periodic URCs, and the ready URCs printed at boot.
//!
//! Every command a profile lists (init, queries, recovery, MMS) is
//! accepted: the driver sends them, so the simulated model must take them.

use bubblegate_profiles::{AtLine, Profile, UrcKind};

use super::commands_27007::swapped_iccid;
use super::parser::{params, Command, Kind, Param};
use super::{Modem, Step};
use crate::results::{cme, Final};

impl Modem {
    pub(super) fn exec_vendor(&mut self, cmd: &Command) -> Option<Result<Step, Final>> {
        if self.is_soft_reset(cmd) {
            return Some(Ok(Step::Reset));
        }
        if self.profile.recovery.power_off.as_ref().is_some_and(|l| same_command(l, cmd)) {
            return Some(Ok(Step::PowerOff));
        }
        if self.profile.queries.iccid.command_name() == cmd.name && cmd.name != "+CRSM" {
            return Some(self.iccid(cmd));
        }
        if !self.knows(&cmd.name) {
            return None;
        }
        let info = |line: &str| Some(Ok(Step::Info(vec![line.to_owned()])));
        let rssi = self.rssi;
        let registered = self.reg_stat() == 1;
        match (cmd.name.as_str(), &cmd.kind) {
            // Huawei ^CURC: periodic status reports on or off.
            ("^CURC", Kind::Set(raw)) => match params(raw).first().and_then(Param::int) {
                Some(n @ 0..=1) => {
                    self.s.curc = n as u8;
                    Some(Ok(Step::Info(Vec::new())))
                }
                _ => Some(Err(Final::Cme(cme::OPERATION_NOT_SUPPORTED))),
            },
            ("^CURC", Kind::Read) => info(&format!("^CURC: {}", self.s.curc)),
            // Huawei ^SYSINFO: <srv_status>,<srv_domain>,<roam>,<sys_mode>,
            // <sim_state>[,<lock_state>,<sys_submode>]; 2 = valid service,
            // 3 = CS+PS, sys_mode 5 = WCDMA.
            ("^SYSINFO", Kind::Execute) => {
                if registered {
                    info("^SYSINFO:2,3,0,5,1,,4")
                } else {
                    info("^SYSINFO:1,0,0,0,1,,0")
                }
            }
            ("^SYSINFOEX", Kind::Execute) => {
                if registered {
                    info("^SYSINFOEX:2,3,0,1,,6,\"LTE\",101,\"LTE\"")
                } else {
                    info("^SYSINFOEX:1,0,0,1,,0,\"\",0,\"\"")
                }
            }
            ("^CSNR", Kind::Read) => info(&format!("^CSNR:{},-10", -113 + 2 * i32::from(rssi.min(31)))),
            ("^HCSQ", Kind::Read) => info(&format!("^HCSQ:\"LTE\",{},{},131,20", rssi * 2, rssi * 2)),
            // Quectel +QCSQ: <sysmode>,<rssi>,<rsrp>,<sinr>,<rsrq>.
            ("+QCSQ", Kind::Execute) => {
                info(&format!("+QCSQ: \"LTE\",{},-95,150,-10", -113 + 2 * i32::from(rssi.min(31))))
            }
            // TS 27.007 8.69: <rxlev>,<ber>,<rscp>,<ecno>,<rsrq>,<rsrp>.
            ("+CESQ", Kind::Execute) => info("+CESQ: 99,99,255,255,20,45"),
            // SIMCom +CPSI?: system information.
            ("+CPSI", Kind::Read) => {
                if registered {
                    info("+CPSI: LTE,Online,204-04,0x00C3,16884027,300,EUTRAN-BAND3,1300,5,5,-95,-1050,-750,15")
                } else {
                    info("+CPSI: NO SERVICE,Online")
                }
            }
            // Sierra !GSTATUS?: a multi-line status report.
            ("!GSTATUS", Kind::Read) => Some(Ok(Step::Info(vec![
                "!GSTATUS: ".to_owned(),
                "Current Time:  1000\t\tTemperature: 38".to_owned(),
                format!("Mode:          {}", if registered { "ONLINE" } else { "LOW POWER MODE" }),
                "System mode:   LTE        \tPS state:    Attached".to_owned(),
                "LTE band:      B3     \tLTE bw:      20 MHz".to_owned(),
                format!("RSSI (dBm):    {}", -113 + 2 * i32::from(rssi.min(31))),
            ]))),
            // Telit #RFSTS: serving cell information (LTE form).
            ("#RFSTS", Kind::Execute) => {
                info("#RFSTS: \"204 04\",1300,-95,-65,-10,00C3,FF,0,128,19,1,1,\"204040000000001\",\"Bubblegate\",3,3")
            }
            // Huawei ^PORTSEL: which port gets URCs (gammu sends =1).
            ("^PORTSEL", Kind::Set(_)) => Some(Ok(Step::Info(Vec::new()))),
            ("^PORTSEL", Kind::Read) => info("^PORTSEL: 0"),
            // ZTE +ZCDRUN: 8 turns the CD-ROM autorun off, 9 on; the
            // firmware answers with a result line before OK.
            ("+ZCDRUN", Kind::Set(raw)) => match raw.trim() {
                "8" => info("Close autorun state result(0:FAIL 1:SUCCESS):1"),
                "9" => info("Open autorun state result(0:FAIL 1:SUCCESS):1"),
                _ => Some(Ok(Step::Info(Vec::new()))),
            },
            // Telit #QSS: SIM status reporting.
            ("#QSS", Kind::Read) => info(&format!("#QSS: 2,{}", if self.sim.ready() { 3 } else { 0 })),
            // Anything else the profile sends (init settings, MMS setup,
            // vendor configuration) is accepted without an answer.
            _ => Some(Ok(Step::Info(Vec::new()))),
        }
    }

    /// The ICCID in the format of the profile's command (see the table in
    /// `bubblegate_at::commands::sim`): bare for SIMCom `+CCID`, prefixed
    /// for the others; Sierra answers `ICCID: ` without the `!`.
    fn iccid(&self, cmd: &Command) -> Result<Step, Final> {
        if !self.sim.inserted {
            return Err(Final::Cme(cme::SIM_NOT_INSERTED));
        }
        if matches!(cmd.kind, Kind::Test) {
            return Ok(Step::Info(Vec::new()));
        }
        let iccid = &self.sim.iccid;
        let line = match cmd.name.as_str() {
            "+CCID"
                if self
                    .profile
                    .identity
                    .manufacturer
                    .to_ascii_uppercase()
                    .starts_with("SIMCOM") =>
            {
                iccid.clone()
            }
            "+CCID" => format!("+CCID: {iccid}"),
            "+CICCID" => format!("+ICCID: {iccid}"),
            "+QCCID" => format!("+QCCID: {iccid}"),
            "^ICCID" => format!("^ICCID: {iccid}"),
            "!ICCID" => format!("ICCID: {iccid}"),
            "#CCID" => format!("#CCID: {iccid}"),
            _ => format!("{}: {}", cmd.name, swapped_iccid(iccid)),
        };
        Ok(Step::Info(vec![line]))
    }

    /// Whether the model takes this vendor command: the profile lists it,
    /// or the vendor's firmware has it and well-known clients send it.
    fn knows(&self, name: &str) -> bool {
        let listed = self.profile.commands().iter().any(|(_, l)| l.command_name() == name)
            || self.profile.init.iter().any(|l| l.command_name() == name);
        let vendor = self.profile.vendor.to_ascii_lowercase();
        listed
            || VENDOR_COMMANDS
                .iter()
                .any(|(v, names)| vendor.starts_with(v) && names.contains(&name))
    }

    /// Whether this command is one of the profile's soft-reset commands.
    pub(super) fn is_soft_reset(&self, cmd: &Command) -> bool {
        self.profile.recovery.soft_reset.iter().any(|l| same_command(l, cmd))
    }
}

/// Vendor commands every model of a vendor has, beyond what its profile
/// lists: gammu sends `^CURC=0` and `^PORTSEL=1` to Huawei modems and
/// `+ZCDRUN=8` and `+ZOPRT=5` to ZTE modems, and stops on `ERROR`.
const VENDOR_COMMANDS: &[(&str, &[&str])] =
    &[("huawei", &["^CURC", "^PORTSEL", "^SYSINFO"]), ("zte", &["+ZCDRUN", "+ZOPRT"])];

/// Whether a profile's command line is this command with these arguments.
fn same_command(line: &AtLine, cmd: &Command) -> bool {
    let body = line.as_str().get(2..).unwrap_or_default();
    canonical(body) == canonical(&command_text(cmd))
}

fn command_text(cmd: &Command) -> String {
    let value = cmd.value.map(|v| v.to_string()).unwrap_or_default();
    match &cmd.kind {
        Kind::Execute => format!("{}{value}", cmd.name),
        Kind::Read => format!("{}?", cmd.name),
        Kind::Test => format!("{}=?", cmd.name),
        Kind::Set(raw) => format!("{}={raw}", cmd.name),
    }
}

/// Upper case outside string constants, no spaces.
fn canonical(text: &str) -> String {
    let mut quoted = false;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '"' {
            quoted = !quoted;
        }
        if quoted {
            out.push(c);
        } else if c != ' ' {
            out.push(c.to_ascii_uppercase());
        }
    }
    out
}

/// The examples of the profile's `ready` URCs, in declared order.
pub(super) fn ready_urcs(profile: &Profile) -> Vec<String> {
    profile.urcs.iter().filter(|u| u.kind == UrcKind::Ready).map(|u| u.example.clone()).collect()
}

/// Whether the profile declares a URC with this prefix.
pub(super) fn declares(profile: &Profile, prefix: &str) -> bool {
    profile.urcs.iter().any(|u| u.prefix == prefix)
}

/// The periodic status URCs of a Huawei-style modem (`^`-prefixed signal
/// and info URCs such as `^RSSI` and `^BOOT`), which `^CURC=0` stops.
/// `^RSSI` carries the current signal level.
pub(super) fn periodic_urcs(profile: &Profile, rssi: u8) -> Vec<String> {
    profile
        .urcs
        .iter()
        .filter(|u| u.prefix.starts_with('^') && matches!(u.kind, UrcKind::Signal | UrcKind::Info))
        .map(|u| if u.prefix == "^RSSI:" { format!("^RSSI:{rssi}") } else { u.example.clone() })
        .collect()
}

/// The URC a model prints when it powers down by command (SIM800 `NORMAL
/// POWER DOWN`, Quectel `POWERED DOWN`), if the profile declares one.
pub(super) fn power_down_urc(profile: &Profile) -> Option<String> {
    profile
        .urcs
        .iter()
        .find(|u| {
            u.kind == UrcKind::Power
                && u.example.contains("POWER")
                && !u.example.contains("VOLTAGE")
        })
        .map(|u| u.example.clone())
}
