//! 3GPP TS 27.007: identification (chapter 5), SIM and PIN (8.3, 8.18),
//! network service (7.1 `+CNUM`, 7.2 `+CREG`, 7.3 `+COPS`, 10.1.20
//! `+CGREG`, 10.1.22 `+CEREG`), phone control (8.2 `+CFUN`, 8.5 `+CSQ`),
//! the character set (5.5 `+CSCS`) and error reporting (9.1 `+CMEE`).

use std::time::Instant;

use super::parser::{params, Command, Kind};
use super::{After, Modem, Step};
use crate::clock::text_timestamp;
use crate::results::{cme, Final};

/// The registration commands, in the order of `Settings::reg_n`.
pub(super) const REG_COMMANDS: [&str; 3] = ["+CREG", "+CGREG", "+CEREG"];

/// Character sets `+CSCS` takes (TS 27.007 5.5).
const CHARSETS: [&str; 4] = ["IRA", "GSM", "UCS2", "HEX"];

impl Modem {
    pub(super) fn exec_27007(
        &mut self,
        cmd: &Command,
        now: Instant,
    ) -> Option<Result<Step, Final>> {
        let id = &self.profile.identity;
        let info = |line: String| Ok(Step::Info(vec![line]));
        let done = || Ok(Step::Info(Vec::new()));
        let result = match (cmd.name.as_str(), &cmd.kind) {
            // TS 27.007 5.1 to 5.4 (and V.250 6.1.4 to 6.1.7): answered
            // bare, as the modules named in the profiles do.
            ("+CGMI" | "+GMI", Kind::Execute) => info(id.manufacturer.clone()),
            ("+CGMM" | "+GMM", Kind::Execute) => info(id.model.clone()),
            ("+CGMR" | "+GMR", Kind::Execute) => info(id.revision.clone()),
            ("+CGSN" | "+GSN", Kind::Execute) => info(self.imei.clone()),
            (
                "+CGMI" | "+GMI" | "+CGMM" | "+GMM" | "+CGMR" | "+GMR" | "+CGSN" | "+GSN",
                Kind::Test,
            ) => done(),
            // TS 27.007 5.6: the IMSI, once the SIM is unlocked.
            ("+CIMI", Kind::Execute) => match self.sim.check() {
                Ok(()) => info(self.sim.imsi.clone()),
                Err(problem) => Err(Final::Cme(problem.cme())),
            },
            ("+CIMI", Kind::Test) => done(),
            // TS 27.007 8.3.
            ("+CPIN", Kind::Read) => match self.sim.cpin_code() {
                Some(code) => info(format!("+CPIN: {code}")),
                None => Err(Final::Cme(cme::SIM_NOT_INSERTED)),
            },
            ("+CPIN", Kind::Test) => done(),
            ("+CPIN", Kind::Set(raw)) => {
                let p = params(raw);
                match p.first().and_then(|p| p.text()) {
                    Some(pin) => {
                        let newpin = p.get(1).and_then(|p| p.text());
                        match self.sim.enter(pin, newpin) {
                            Ok(()) => {
                                self.after.push(After::SimUnlocked);
                                done()
                            }
                            Err(code) => Err(Final::Cme(code)),
                        }
                    }
                    None => Err(Final::Cme(cme::OPERATION_NOT_SUPPORTED)),
                }
            }
            // TS 27.007 8.5: <rssi>,<ber>; 99,99 with the radio off.
            ("+CSQ", Kind::Execute) => {
                if self.cfun == 1 && self.sim.inserted {
                    info(format!("+CSQ: {},99", self.rssi))
                } else {
                    info("+CSQ: 99,99".to_owned())
                }
            }
            ("+CSQ", Kind::Test) => info("+CSQ: (0-31,99),(0-7,99)".to_owned()),
            (name, kind) if REG_COMMANDS.contains(&name) => {
                let i = REG_COMMANDS.iter().position(|n| *n == name).unwrap_or(0);
                if !self.supports_reg(i) {
                    return None;
                }
                self.registration(i, kind)
            }
            // TS 27.007 7.3.
            ("+COPS", Kind::Read) => {
                if self.reg_stat() == 1 {
                    let act = self.act().map(|a| format!(",{a}")).unwrap_or_default();
                    info(format!("+COPS: 0,0,\"{}\"{act}", self.operator))
                } else {
                    info("+COPS: 0".to_owned())
                }
            }
            ("+COPS", Kind::Test) => {
                let plmn: String = self.sim.imsi.chars().take(5).collect();
                let act = self.act().map(|a| format!(",{a}")).unwrap_or_default();
                info(format!(
                    "+COPS: (2,\"{op}\",\"{op}\",\"{plmn}\"{act}),,(0-4),(0-2)",
                    op = self.operator
                ))
            }
            ("+COPS", Kind::Set(raw)) => match params(raw).first().and_then(|p| p.int()) {
                Some(0..=4) => done(),
                _ => Err(Final::Cme(cme::OPERATION_NOT_SUPPORTED)),
            },
            // TS 27.007 8.2.
            ("+CFUN", Kind::Read) => info(format!("+CFUN: {}", self.cfun)),
            ("+CFUN", Kind::Test) => info("+CFUN: (0,1,4),(0-1)".to_owned()),
            ("+CFUN", Kind::Set(raw)) => {
                let p = params(raw);
                let fun = p.first().and_then(|p| p.int());
                let rst = p.get(1).and_then(|p| p.int()).unwrap_or(0);
                match (fun, rst) {
                    // <rst> 1: reset the MT before setting <fun>.
                    (Some(1), 1) => Ok(Step::Reset),
                    (Some(f @ (0 | 1 | 4)), 0) => {
                        self.cfun = f as u8;
                        done()
                    }
                    _ if self.is_soft_reset(cmd) => Ok(Step::Reset),
                    _ => Err(Final::Cme(cme::OPERATION_NOT_SUPPORTED)),
                }
            }
            // TS 27.007 7.1: [<alpha>],<number>,<type>.
            ("+CNUM", Kind::Execute) => match self.sim.check() {
                Ok(()) => {
                    let number = &self.sim.number;
                    let toa = if number.starts_with('+') { 145 } else { 129 };
                    info(format!("+CNUM: \"\",\"{number}\",{toa}"))
                }
                Err(problem) => Err(Final::Cme(problem.cme())),
            },
            ("+CNUM", Kind::Test) => done(),
            // TS 27.007 5.5.
            ("+CSCS", Kind::Read) => info(format!("+CSCS: \"{}\"", self.s.cscs)),
            ("+CSCS", Kind::Test) => {
                let list: Vec<String> = CHARSETS.iter().map(|c| format!("\"{c}\"")).collect();
                info(format!("+CSCS: ({})", list.join(",")))
            }
            ("+CSCS", Kind::Set(raw)) => {
                let wanted =
                    params(raw).first().and_then(|p| p.text()).map(str::to_ascii_uppercase);
                match wanted.filter(|w| CHARSETS.contains(&w.as_str())) {
                    Some(charset) => {
                        self.s.cscs = charset;
                        done()
                    }
                    None => Err(Final::Cme(cme::OPERATION_NOT_SUPPORTED)),
                }
            }
            // TS 27.007 9.1.
            ("+CMEE", Kind::Read) => info(format!("+CMEE: {}", self.s.format.cmee)),
            ("+CMEE", Kind::Test) => info("+CMEE: (0-2)".to_owned()),
            ("+CMEE", Kind::Execute) => {
                self.s.format.cmee = 0;
                done()
            }
            ("+CMEE", Kind::Set(raw)) => match params(raw).first().and_then(|p| p.int()) {
                Some(n @ 0..=2) => {
                    self.s.format.cmee = n as u8;
                    done()
                }
                _ => Err(Final::Cme(cme::OPERATION_NOT_SUPPORTED)),
            },
            // TS 27.007 8.18: restricted SIM access; only READ BINARY of
            // EF_ICCID (file 2FE2 = 12258), which needs no PIN.
            ("+CRSM", Kind::Set(raw)) => {
                if !self.sim.inserted {
                    return Some(Err(Final::Cme(cme::SIM_NOT_INSERTED)));
                }
                let p: Vec<Option<u32>> = params(raw).iter().map(|p| p.int()).collect();
                match p.as_slice() {
                    [Some(176), Some(12258), ..] => {
                        info(format!("+CRSM: 144,0,\"{}\"", swapped_iccid(&self.sim.iccid)))
                    }
                    // SW 94 04: file not found.
                    _ => info("+CRSM: 148,4".to_owned()),
                }
            }
            ("+CRSM", Kind::Test) => done(),
            // TS 27.007 8.1: ready.
            ("+CPAS", Kind::Execute) => info("+CPAS: 0".to_owned()),
            ("+CPAS", Kind::Test) => info("+CPAS: (0-5)".to_owned()),
            // TS 27.007 8.15: the network's time.
            ("+CCLK", Kind::Read) => {
                info(format!("+CCLK: \"{}\"", text_timestamp(&self.clock.timestamp(now))))
            }
            ("+CCLK", Kind::Set(_)) => done(),
            _ => return None,
        };
        Some(result)
    }

    /// `+CREG`, `+CGREG`, `+CEREG` set, read and test (TS 27.007 7.2).
    fn registration(&mut self, i: usize, kind: &Kind) -> Result<Step, Final> {
        let name = REG_COMMANDS[i];
        match kind {
            Kind::Read => {
                let stat = self.reg_stat();
                let n = self.s.reg_n[i];
                let loc = if n == 2 { self.location(i, stat) } else { String::new() };
                Ok(Step::Info(vec![format!("{name}: {n},{stat}{loc}")]))
            }
            Kind::Test => Ok(Step::Info(vec![format!("{name}: (0-2)")])),
            Kind::Set(raw) => match params(raw).first().and_then(|p| p.int()) {
                Some(n @ 0..=2) => {
                    self.s.reg_n[i] = n as u8;
                    // Enabling reports does not report by itself; the next
                    // change does.
                    self.reported_reg[i] = self.reg_stat();
                    Ok(Step::Info(Vec::new()))
                }
                _ => Err(Final::Cme(cme::OPERATION_NOT_SUPPORTED)),
            },
            Kind::Execute => {
                self.s.reg_n[i] = 0;
                Ok(Step::Info(Vec::new()))
            }
        }
    }

    /// Whether the model has this registration command: `+CREG` always,
    /// `+CGREG` and `+CEREG` when the profile queries them.
    pub(super) fn supports_reg(&self, i: usize) -> bool {
        i == 0
            || self.profile.queries.registration.iter().any(|l| l.command_name() == REG_COMMANDS[i])
    }

    /// The access technology `<AcT>` (TS 27.007 7.3): 7 (E-UTRAN) for the
    /// LTE modems, which are those with `+CEREG`; left out for the others,
    /// as 2G-only modules do.
    pub(super) fn act(&self) -> Option<u8> {
        self.supports_reg(2).then_some(7)
    }

    /// `,<lac>,<ci>[,<AcT>]` of `<n>` = 2, when registered.
    pub(super) fn location(&self, i: usize, stat: u8) -> String {
        if stat != 1 && stat != 5 {
            return String::new();
        }
        let act = self.act().map(|a| format!(",{a}")).unwrap_or_default();
        if i == 2 || self.act().is_some() {
            format!(",\"00C3\",\"0102A13B\"{act}")
        } else {
            ",\"00C3\",\"A13B\"".to_owned()
        }
    }
}

/// The ICCID as stored on the card (EF_ICCID, TS 102 221 13.2): BCD with
/// the nibbles of each byte swapped, padded with `F` to 20 digits.
pub(super) fn swapped_iccid(iccid: &str) -> String {
    let mut digits: Vec<u8> = iccid.bytes().collect();
    while digits.len() < 20 {
        digits.push(b'F');
    }
    digits.chunks(2).flat_map(|pair| pair.iter().rev()).map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::swapped_iccid;

    #[test]
    fn iccid_is_nibble_swapped() {
        assert_eq!(swapped_iccid("8931040000000000014"), "981340000000000010F4");
        assert_eq!(swapped_iccid("89310400000000000142"), "98134000000000001024");
    }
}
