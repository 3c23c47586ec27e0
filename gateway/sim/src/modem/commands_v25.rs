//! ITU-T V.250 (V.25ter) basics: `E`, `V`, `Q`, `Z`, `&F`, `I`, `+GCAP`,
//! the S-registers, and the harmless rest (`&C`, `&D`, `&K`, `&W`, `X`,
//! `L`, `M`, `H`, `+IPR`, `+IFC`, `+ICF`) that init sequences send.
//! `+GMI`/`+GMM`/`+GMR`/`+GSN` are answered with the 27.007 identity.

use super::parser::{Command, Kind};
use super::{Modem, Settings, Step};
use crate::results::Final;

impl Modem {
    pub(super) fn exec_v25(&mut self, cmd: &Command) -> Option<Result<Step, Final>> {
        let value = cmd.value;
        let done = || Ok(Step::Info(Vec::new()));
        let result = match (cmd.name.as_str(), &cmd.kind) {
            // V.250 6.2.4: command echo, E0 off, E1 (default) on.
            ("E", Kind::Execute) => match value.unwrap_or(0) {
                v @ 0..=1 => {
                    self.s.echo = v == 1;
                    done()
                }
                _ => Err(Final::Error),
            },
            // V.250 6.2.6: V0 numeric, V1 verbose result codes.
            ("V", Kind::Execute) => match value.unwrap_or(0) {
                v @ 0..=1 => {
                    self.s.format.verbose = v == 1;
                    done()
                }
                _ => Err(Final::Error),
            },
            // V.250 6.2.5: Q1 suppresses result codes.
            ("Q", Kind::Execute) => match value.unwrap_or(0) {
                v @ 0..=1 => {
                    self.s.quiet = v == 1;
                    done()
                }
                _ => Err(Final::Error),
            },
            // V.250 6.1.1 and 6.1.2: reset to the stored, resp. factory
            // profile; the simulator has one profile, the defaults.
            ("Z", Kind::Execute) | ("&F", Kind::Execute) => {
                self.s = Settings::defaults(&self.profile);
                done()
            }
            // V.250 6.1.3: identification text.
            ("I", Kind::Execute) => Ok(Step::Info(self.ati())),
            // V.250 6.1.9: capabilities; a GSM/UMTS/LTE MT lists +CGSM.
            ("+GCAP", Kind::Execute) => Ok(Step::Info(vec!["+GCAP: +CGSM".to_owned()])),
            ("+GCAP", Kind::Test) => done(),
            // V.250 6.2.1 to 6.2.3: S3 (CR), S4 (LF) and S5 (backspace) are
            // fixed here; other registers hold what they are given.
            (reg, Kind::Read) if reg.starts_with('S') => {
                let n: u32 = reg[1..].parse().unwrap_or(u32::MAX);
                let v = match n {
                    3 => 13,
                    4 => 10,
                    5 => 8,
                    _ => self.s.sregs.get(&n).copied().unwrap_or(0),
                };
                Ok(Step::Info(vec![format!("{v:03}")]))
            }
            (reg, Kind::Set(_)) if reg.starts_with('S') => {
                let n: u32 = reg[1..].parse().unwrap_or(u32::MAX);
                match (n, value) {
                    (3, Some(13)) | (4, Some(10)) | (5, Some(8)) => done(),
                    (3..=5, _) | (_, None) => Err(Final::Error),
                    (n, Some(v)) if n <= 255 && v <= 255 => {
                        self.s.sregs.insert(n, v);
                        done()
                    }
                    _ => Err(Final::Error),
                }
            }
            ("&C" | "&D" | "&K" | "&W" | "X" | "L" | "M" | "H" | "&V", Kind::Execute) => done(),
            // No calls in this network: V.250 6.3.1/6.3.5 NO CARRIER.
            ("A" | "D", _) => Err(Final::NoCarrier),
            ("+IPR", Kind::Read) => {
                Ok(Step::Info(vec![format!("+IPR: {}", self.profile.port.baud)]))
            }
            ("+IPR", Kind::Test) => Ok(Step::Info(vec![
                "+IPR: (),(1200,2400,4800,9600,19200,38400,57600,115200,230400,460800,921600)"
                    .to_owned(),
            ])),
            ("+IPR" | "+IFC" | "+ICF", Kind::Set(_)) => done(),
            ("+IFC", Kind::Read) => Ok(Step::Info(vec!["+IFC: 0,0".to_owned()])),
            ("+ICF", Kind::Read) => Ok(Step::Info(vec!["+ICF: 3,3".to_owned()])),
            _ => return None,
        };
        Some(result)
    }

    /// `ATI`: manufacturer, model and revision, one per line, as most
    /// modules print them.
    fn ati(&self) -> Vec<String> {
        let id = &self.profile.identity;
        let revision = if id.revision.to_ascii_lowercase().starts_with("revision") {
            id.revision.clone()
        } else {
            format!("Revision: {}", id.revision)
        };
        vec![id.manufacturer.clone(), id.model.clone(), revision]
    }
}
