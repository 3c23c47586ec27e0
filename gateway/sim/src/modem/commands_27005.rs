//! 3GPP TS 27.005: the SMS commands. Configuration (3.2 `+CSMS`, `+CPMS`,
//! `+CMGF`; 3.3 `+CSCA`, `+CSMP`, `+CSDH`), new message indications (3.4
//! `+CNMI` with `+CMTI`/`+CMT`/`+CDSI`/`+CDS`, and `+CNMA`), and the
//! message commands (3.5 `+CMGS`, `+CMGW`, `+CMSS`, `+CMGL`, `+CMGR`,
//! `+CMGD`, `+CMMS`), in PDU mode (chapter 3) and text mode (chapter 4).
//! How the messages themselves look in answers is `message_view`.

use std::time::Instant;

use bubblegate_sms::{hex, Dcs, Pdu, Submit, Tpdu, UserData, Validity};

use super::parser::{params, Command, Kind, Param};
use super::storage::{Filter, Stat, Stored};
use super::text_mode;
use super::{Modem, PromptTarget, Step};
use crate::results::{cms, Final};

/// The longest TPDU `+CMGS=<length>` takes: SUBMIT with a 20-digit
/// address, a 7-octet validity period and 140 octets of user data.
const MAX_TPDU: usize = 164;

impl Modem {
    pub(super) fn exec_27005(
        &mut self,
        cmd: &Command,
        _now: Instant,
    ) -> Option<Result<Step, Final>> {
        let info = |line: String| Ok(Step::Info(vec![line]));
        let done = || Ok(Step::Info(Vec::new()));
        let text = self.s.cmgf == 1;
        let bad_param =
            Final::Cms(if text { cms::INVALID_TEXT_PARAMETER } else { cms::INVALID_PDU_PARAMETER });
        let result = match (cmd.name.as_str(), &cmd.kind) {
            // 3.2.1: <service>,<mt>,<mo>,<bm>.
            ("+CSMS", Kind::Read) => info(format!("+CSMS: {},1,1,1", self.s.csms)),
            ("+CSMS", Kind::Test) => info("+CSMS: (0,1)".to_owned()),
            ("+CSMS", Kind::Set(raw)) => match first_int(raw) {
                Some(n @ 0..=1) => {
                    self.s.csms = n as u8;
                    info("+CSMS: 1,1,1".to_owned())
                }
                _ => Err(Final::Cms(cms::OPERATION_NOT_SUPPORTED)),
            },
            // 3.2.2.
            ("+CPMS", Kind::Read) => self.sms_ready_check().map(|()| {
                let parts: Vec<String> = self
                    .s
                    .mems
                    .iter()
                    .map(|m| {
                        let (used, total) = self.usage(m);
                        format!("\"{m}\",{used},{total}")
                    })
                    .collect();
                Step::Info(vec![format!("+CPMS: {}", parts.join(","))])
            }),
            ("+CPMS", Kind::Test) => {
                let names: Vec<String> = self.storages.keys().map(|n| format!("\"{n}\"")).collect();
                let list = format!("({})", names.join(","));
                info(format!("+CPMS: {list},{list},{list}"))
            }
            ("+CPMS", Kind::Set(raw)) => self.set_cpms(raw),
            // 3.2.3.
            ("+CMGF", Kind::Read) => info(format!("+CMGF: {}", self.s.cmgf)),
            ("+CMGF", Kind::Test) => {
                let modes = self.profile.sms.modes;
                let list = match (modes.pdu, modes.text) {
                    (true, true) => "(0,1)",
                    (true, false) => "(0)",
                    _ => "(1)",
                };
                info(format!("+CMGF: {list}"))
            }
            ("+CMGF", Kind::Set(raw)) => {
                let modes = self.profile.sms.modes;
                match first_int(raw) {
                    Some(0) if modes.pdu => {
                        self.s.cmgf = 0;
                        done()
                    }
                    Some(1) if modes.text => {
                        self.s.cmgf = 1;
                        done()
                    }
                    _ => Err(Final::Cms(cms::OPERATION_NOT_SUPPORTED)),
                }
            }
            // 3.3.1: the service centre address, stored on the SIM.
            ("+CSCA", Kind::Read) => self.sms_ready_check().map(|()| {
                let (number, toa) = &self.sim.smsc;
                Step::Info(vec![format!("+CSCA: \"{number}\",{toa}")])
            }),
            ("+CSCA", Kind::Test) => done(),
            ("+CSCA", Kind::Set(raw)) => self.sms_ready_check().and_then(|()| {
                let p = params(raw);
                let number = p.first().and_then(Param::text).unwrap_or_default().to_owned();
                let toa = p.get(1).and_then(Param::int).unwrap_or(if number.starts_with('+') {
                    145
                } else {
                    129
                });
                if number.is_empty() || toa > 255 {
                    return Err(Final::Cms(cms::OPERATION_NOT_SUPPORTED));
                }
                self.sim.smsc = (number, toa as u8);
                Ok(Step::Info(Vec::new()))
            }),
            // 3.3.2: <fo>,<vp>,<pid>,<dcs> for text mode.
            ("+CSMP", Kind::Read) => {
                let [fo, vp, pid, dcs] = self.s.csmp;
                info(format!("+CSMP: {fo},{vp},{pid},{dcs}"))
            }
            ("+CSMP", Kind::Test) => done(),
            ("+CSMP", Kind::Set(raw)) => {
                let p = params(raw);
                let mut csmp = self.s.csmp;
                for (i, slot) in csmp.iter_mut().enumerate() {
                    match p.get(i) {
                        None | Some(Param::Empty) => {}
                        Some(param) => match param.int().filter(|v| *v <= 255) {
                            Some(v) => *slot = v as u8,
                            None => return Some(Err(Final::Cms(cms::OPERATION_NOT_SUPPORTED))),
                        },
                    }
                }
                self.s.csmp = csmp;
                done()
            }
            // 3.3.3.
            ("+CSDH", Kind::Read) => info(format!("+CSDH: {}", u8::from(self.s.csdh))),
            ("+CSDH", Kind::Test) => info("+CSDH: (0,1)".to_owned()),
            ("+CSDH", Kind::Execute) => {
                self.s.csdh = false;
                done()
            }
            ("+CSDH", Kind::Set(raw)) => match first_int(raw) {
                Some(n @ 0..=1) => {
                    self.s.csdh = n == 1;
                    done()
                }
                _ => Err(Final::Cms(cms::OPERATION_NOT_SUPPORTED)),
            },
            // 3.4.1.
            ("+CNMI", Kind::Read) => {
                let [mode, mt, bm, ds, bfr] = self.s.cnmi;
                info(format!("+CNMI: {mode},{mt},{bm},{ds},{bfr}"))
            }
            ("+CNMI", Kind::Test) => info("+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)".to_owned()),
            ("+CNMI", Kind::Set(raw)) => {
                const MAX: [u32; 5] = [2, 3, 2, 2, 1];
                let p = params(raw);
                let mut cnmi = [0u8; 5];
                for (i, slot) in cnmi.iter_mut().enumerate() {
                    match p.get(i) {
                        None | Some(Param::Empty) => {
                            *slot = if i == 0 { self.s.cnmi[0] } else { 0 }
                        }
                        Some(param) => match param.int().filter(|v| *v <= MAX[i]) {
                            Some(v) => *slot = v as u8,
                            None => return Some(Err(Final::Cms(cms::OPERATION_NOT_SUPPORTED))),
                        },
                    }
                }
                if p.len() > 5 {
                    return Some(Err(Final::Cms(cms::OPERATION_NOT_SUPPORTED)));
                }
                self.s.cnmi = cnmi;
                done()
            }
            // 3.4.4: acknowledge a routed +CMT/+CDS (only with +CSMS=1).
            ("+CNMA", Kind::Test) => {
                info(if text { "+CNMA:".to_owned() } else { "+CNMA: (0-2)".to_owned() })
            }
            ("+CNMA", Kind::Execute) => self.acknowledge(true),
            ("+CNMA", Kind::Set(raw)) if !text => {
                let p = params(raw);
                if p.len() > 1 {
                    // An RP-ACK/RP-ERROR PDU after a prompt: not simulated.
                    return Some(Err(Final::Cms(cms::OPERATION_NOT_SUPPORTED)));
                }
                match p.first().and_then(Param::int) {
                    Some(0 | 1) => self.acknowledge(true),
                    Some(2) => self.acknowledge(false),
                    _ => Err(bad_param),
                }
            }
            // 3.5.1.
            ("+CMGS", Kind::Test) | ("+CMGW", Kind::Test) => done(),
            ("+CMGS", Kind::Set(raw)) => self.sms_ready_check().and_then(|()| {
                let p = params(raw);
                if text {
                    let toda = p.get(1).and_then(Param::int);
                    match p
                        .first()
                        .and_then(Param::text)
                        .and_then(|da| text_mode::parse_address(da, toda))
                    {
                        Some(da) => Ok(Step::Prompt(PromptTarget::SendText { da })),
                        None => Err(bad_param),
                    }
                } else {
                    match p.first().and_then(Param::int) {
                        Some(n @ 1..) if n as usize <= MAX_TPDU => {
                            Ok(Step::Prompt(PromptTarget::SendPdu { length: n as usize }))
                        }
                        _ => Err(bad_param),
                    }
                }
            }),
            // 3.5.3.
            ("+CMGW", Kind::Execute) if text => self.sms_ready_check().map(|()| {
                Step::Prompt(PromptTarget::WriteText { da: None, stat: Stat::StoUnsent })
            }),
            ("+CMGW", Kind::Set(raw)) => self.sms_ready_check().and_then(|()| {
                let p = params(raw);
                if text {
                    let toda = p.get(1).and_then(Param::int);
                    let da = p
                        .first()
                        .and_then(Param::text)
                        .and_then(|da| text_mode::parse_address(da, toda));
                    let stat = match p.get(2).and_then(Param::text) {
                        None => Some(Stat::StoUnsent),
                        Some(s) => Stat::from_text(s),
                    };
                    match stat {
                        Some(stat) => Ok(Step::Prompt(PromptTarget::WriteText { da, stat })),
                        None => Err(bad_param),
                    }
                } else {
                    let length = p
                        .first()
                        .and_then(Param::int)
                        .filter(|n| (1..=MAX_TPDU as u32).contains(n));
                    let stat = match p.get(1) {
                        None | Some(Param::Empty) => Some(Stat::StoUnsent),
                        Some(s) => s.int().and_then(Stat::from_code),
                    };
                    match (length, stat) {
                        (Some(length), Some(stat)) => Ok(Step::Prompt(PromptTarget::WritePdu {
                            length: length as usize,
                            stat,
                        })),
                        _ => Err(bad_param),
                    }
                }
            }),
            // 3.5.2.
            ("+CMSS", Kind::Test) => done(),
            ("+CMSS", Kind::Set(raw)) => self.sms_ready_check().and_then(|()| self.cmss(raw)),
            // 3.5.2 (+CMGL).
            ("+CMGL", Kind::Test) => {
                if text {
                    info(
                        "+CMGL: (\"REC UNREAD\",\"REC READ\",\"STO UNSENT\",\"STO SENT\",\"ALL\")"
                            .to_owned(),
                    )
                } else {
                    info("+CMGL: (0-4)".to_owned())
                }
            }
            ("+CMGL", Kind::Execute) => self.sms_ready_check().and_then(|()| self.cmgl(None)),
            ("+CMGL", Kind::Set(raw)) => {
                self.sms_ready_check().and_then(|()| self.cmgl(params(raw).first()))
            }
            // 3.5.3 (+CMGR).
            ("+CMGR", Kind::Test) => done(),
            ("+CMGR", Kind::Set(raw)) => {
                self.sms_ready_check().and_then(|()| match first_int(raw) {
                    Some(index) => self.cmgr(index),
                    None => Err(bad_param),
                })
            }
            // 3.5.4.
            ("+CMGD", Kind::Test) => self.sms_ready_check().map(|()| {
                let indexes =
                    self.storages.get(&self.s.mems[0]).map(|s| s.indexes()).unwrap_or_default();
                let list: Vec<String> = indexes.iter().map(u32::to_string).collect();
                Step::Info(vec![format!("+CMGD: ({}),(0-4)", list.join(","))])
            }),
            ("+CMGD", Kind::Set(raw)) => self.sms_ready_check().and_then(|()| self.cmgd(raw)),
            // 3.5.6.
            ("+CMMS", Kind::Read) => info(format!("+CMMS: {}", self.s.cmms)),
            ("+CMMS", Kind::Test) => info("+CMMS: (0-2)".to_owned()),
            ("+CMMS", Kind::Set(raw)) => match first_int(raw) {
                Some(n @ 0..=2) => {
                    self.s.cmms = n as u8;
                    done()
                }
                _ => Err(Final::Cms(cms::OPERATION_NOT_SUPPORTED)),
            },
            // 3.3.4/3.3.5 and cell broadcast (3.3.4 +CSCB): accepted, no
            // effect in the simulation.
            ("+CSAS" | "+CRES", Kind::Execute | Kind::Set(_)) => done(),
            ("+CSCB", Kind::Set(_)) => done(),
            ("+CSCB", Kind::Read) => info("+CSCB: 0,\"\",\"\"".to_owned()),
            _ => return None,
        };
        Some(result)
    }

    /// SMS commands need the SIM unlocked and the SMS stack up: `+CMS
    /// ERROR` 310 (no SIM), 311 (PIN), 316 (PUK), 313 (failure).
    fn sms_ready_check(&self) -> Result<(), Final> {
        self.sim.check().map_err(|problem| Final::Cms(problem.cms()))?;
        if self.sms_ready {
            Ok(())
        } else {
            // 314: SIM busy, the SMS stack is still initialising.
            Err(Final::Cms(314))
        }
    }

    /// `(used, total)` of a storage as `+CPMS` shows it.
    fn usage(&self, mem: &str) -> (u32, u32) {
        self.storages.get(mem).map(|s| (s.used(), self.effective_capacity(s))).unwrap_or((0, 0))
    }

    fn set_cpms(&mut self, raw: &str) -> Result<Step, Final> {
        self.sms_ready_check()?;
        let p = params(raw);
        if p.is_empty() || p.len() > 3 {
            return Err(Final::Cms(cms::OPERATION_NOT_SUPPORTED));
        }
        let mut mems = self.s.mems.clone();
        for (i, param) in p.iter().enumerate() {
            match param.text().map(str::to_ascii_uppercase) {
                Some(name) if self.storages.contains_key(&name) => mems[i] = name,
                // 27.005 leaves the code to the vendor; 302 is the usual.
                _ => return Err(Final::Cms(cms::OPERATION_NOT_ALLOWED)),
            }
        }
        self.s.mems = mems;
        let parts: Vec<String> = self
            .s
            .mems
            .iter()
            .map(|m| {
                let (used, total) = self.usage(m);
                format!("{used},{total}")
            })
            .collect();
        Ok(Step::Info(vec![format!("+CPMS: {}", parts.join(","))]))
    }

    /// `+CNMA` (3.4.4): 340 when no acknowledgement is expected.
    fn acknowledge(&mut self, positive: bool) -> Result<Step, Final> {
        match self.ack.take() {
            Some(wait) => {
                if !positive {
                    self.outgoing.push_back(super::Outgoing::Returned(wait.item));
                }
                Ok(Step::Info(Vec::new()))
            }
            None => Err(Final::Cms(cms::NO_CNMA_EXPECTED)),
        }
    }

    /// The text after the prompt of `+CMGS`/`+CMGW`, after Ctrl-Z.
    pub(super) fn finish_prompt(
        &mut self,
        target: PromptTarget,
        text: &[u8],
    ) -> Result<Step, Final> {
        match target {
            PromptTarget::SendPdu { length } => {
                let submit = self.read_submit_pdu(text, length)?;
                Ok(Step::Send { submit, prefix: "+CMGS", from: None })
            }
            PromptTarget::SendText { da } => {
                let submit = self.text_submit(text, Some(da))?;
                Ok(Step::Send { submit, prefix: "+CMGS", from: None })
            }
            PromptTarget::WritePdu { length, stat } => {
                let pdu = read_pdu(text, length).ok_or(Final::Cms(cms::INVALID_PDU_PARAMETER))?;
                let stat = match (&pdu.tpdu, stat) {
                    (Tpdu::Submit(_), Stat::StoSent | Stat::StoUnsent)
                    | (Tpdu::Deliver(_), Stat::RecRead | Stat::RecUnread) => stat,
                    _ => return Err(Final::Cms(cms::INVALID_PDU_PARAMETER)),
                };
                self.write(Stored { stat, pdu })
            }
            PromptTarget::WriteText { da, stat } => {
                let submit = self.text_submit(text, da)?;
                let smsc = self.smsc_address();
                self.write(Stored { stat, pdu: Pdu { smsc, tpdu: Tpdu::Submit(submit) } })
            }
        }
    }

    /// Reads the PDU of `+CMGS` (3.5.1): the SMSC field (maybe empty) and
    /// an SMS-SUBMIT of `length` octets. 304 when it is anything else.
    fn read_submit_pdu(&self, text: &[u8], length: usize) -> Result<Submit, Final> {
        let pdu = read_pdu(text, length).ok_or(Final::Cms(cms::INVALID_PDU_PARAMETER))?;
        match pdu.tpdu {
            Tpdu::Submit(submit) => Ok(submit),
            _ => Err(Final::Cms(cms::INVALID_PDU_PARAMETER)),
        }
    }

    /// A SUBMIT from text-mode input and the `+CSMP` values (4.3, 3.3.2).
    fn text_submit(
        &self,
        text: &[u8],
        da: Option<bubblegate_sms::Address>,
    ) -> Result<Submit, Final> {
        let bad = Final::Cms(cms::INVALID_TEXT_PARAMETER);
        let [fo, vp, pid, dcs] = self.s.csmp;
        let dcs = Dcs(dcs);
        let body = text_mode::body_from_input(text, &self.s.cscs, dcs).ok_or(bad)?;
        let destination = match da {
            Some(da) => da,
            // +CMGW without <da> stores a message with an empty address.
            None => bubblegate_sms::Address {
                ton: bubblegate_sms::Ton::Unknown,
                npi: 1,
                value: String::new(),
            },
        };
        let validity = match (fo >> 3) & 3 {
            2 => Some(Validity::Relative { code: vp }),
            _ => None,
        };
        let submit = Submit {
            reject_duplicates: fo & 0x04 != 0,
            status_report_request: fo & 0x20 != 0,
            reply_path: fo & 0x80 != 0,
            message_ref: 0,
            destination,
            pid,
            dcs,
            validity,
            user_data: UserData { udh: None, body },
        };
        // The message must fit in one TPDU: text mode cannot concatenate.
        let encoded = Pdu { smsc: None, tpdu: Tpdu::Submit(submit.clone()) }.encode();
        match encoded {
            Ok(_) => Ok(submit),
            Err(_) => Err(bad),
        }
    }

    /// Stores a message in `<mem2>` (3.5.3): `+CMGW: <index>`, or 322 when
    /// the storage is full.
    fn write(&mut self, stored: Stored) -> Result<Step, Final> {
        let mem = self.s.mems[1].clone();
        if self.storage_full(&mem) {
            return Err(Final::Cms(cms::MEMORY_FULL));
        }
        let storage = self.storages.get_mut(&mem).ok_or(Final::Cms(cms::MEMORY_FULL))?;
        match storage.insert(stored) {
            Ok(index) => Ok(Step::Info(vec![format!("+CMGW: {index}")])),
            Err(_) => Err(Final::Cms(cms::MEMORY_FULL)),
        }
    }

    /// `+CMSS=<index>[,<da>[,<toda>]]` (3.5.2): sends a stored SUBMIT.
    fn cmss(&mut self, raw: &str) -> Result<Step, Final> {
        let p = params(raw);
        let index = p.first().and_then(Param::int).ok_or(Final::Cms(cms::INVALID_INDEX))?;
        let mem = self.s.mems[1].clone();
        let stored = self
            .storages
            .get(&mem)
            .and_then(|s| s.get(index))
            .ok_or(Final::Cms(cms::INVALID_INDEX))?;
        let Tpdu::Submit(mut submit) = stored.pdu.tpdu.clone() else {
            return Err(Final::Cms(cms::OPERATION_NOT_ALLOWED));
        };
        if let Some(da) = p.get(1).and_then(Param::text) {
            let toda = p.get(2).and_then(Param::int);
            submit.destination =
                text_mode::parse_address(da, toda).ok_or(Final::Cms(cms::OPERATION_NOT_ALLOWED))?;
        }
        if submit.destination.value.is_empty() {
            return Err(Final::Cms(cms::OPERATION_NOT_ALLOWED));
        }
        Ok(Step::Send { submit, prefix: "+CMSS", from: Some((mem, index)) })
    }

    /// `+CMGL[=<stat>]` (3.5.2, 4.1): the messages of `<mem1>`; received
    /// unread ones become read.
    fn cmgl(&mut self, stat: Option<&Param>) -> Result<Step, Final> {
        let text = self.s.cmgf == 1;
        let filter = if text {
            match stat.and_then(Param::text) {
                None => Filter::Only(Stat::RecUnread),
                Some(s) if s.eq_ignore_ascii_case("ALL") => Filter::All,
                Some(s) => {
                    Filter::Only(Stat::from_text(s).ok_or(Final::Cms(cms::INVALID_TEXT_PARAMETER))?)
                }
            }
        } else {
            match stat {
                None | Some(Param::Empty) => Filter::Only(Stat::RecUnread),
                Some(p) => match p.int() {
                    Some(4) => Filter::All,
                    Some(n) => Filter::Only(
                        Stat::from_code(n).ok_or(Final::Cms(cms::INVALID_PDU_PARAMETER))?,
                    ),
                    None => return Err(Final::Cms(cms::INVALID_PDU_PARAMETER)),
                },
            }
        };
        let mem = self.s.mems[0].clone();
        let Some(storage) = self.storages.get_mut(&mem) else { return Ok(Step::Info(Vec::new())) };
        let mut shown = Vec::new();
        for index in storage.list(filter) {
            let Some(stored) = storage.get_mut(index) else { continue };
            shown.push((index, stored.clone()));
            if stored.stat == Stat::RecUnread {
                stored.stat = Stat::RecRead;
            }
        }
        let lines = shown.iter().flat_map(|(index, stored)| self.listing(*index, stored)).collect();
        Ok(Step::Info(lines))
    }

    /// `+CMGR=<index>` (3.5.3, 4.2): 321 outside the storage; an empty
    /// slot answers just `OK`, as the SIM800 and Quectel modules do.
    fn cmgr(&mut self, index: u32) -> Result<Step, Final> {
        let mem = self.s.mems[0].clone();
        let storage = self.storages.get_mut(&mem).ok_or(Final::Cms(cms::INVALID_INDEX))?;
        if !storage.in_range(index) {
            return Err(Final::Cms(cms::INVALID_INDEX));
        }
        let Some(stored) = storage.get_mut(index) else { return Ok(Step::Info(Vec::new())) };
        let shown = stored.clone();
        if stored.stat == Stat::RecUnread {
            stored.stat = Stat::RecRead;
        }
        Ok(Step::Info(self.reading(&shown)))
    }

    /// `+CMGD=<index>[,<delflag>]` (3.5.4).
    fn cmgd(&mut self, raw: &str) -> Result<Step, Final> {
        let p = params(raw);
        let flag = match p.get(1) {
            None | Some(Param::Empty) => 0,
            Some(f) => {
                f.int().filter(|f| *f <= 4).ok_or(Final::Cms(cms::OPERATION_NOT_SUPPORTED))?
            }
        };
        let mem = self.s.mems[0].clone();
        let storage = self.storages.get_mut(&mem).ok_or(Final::Cms(cms::INVALID_INDEX))?;
        if flag == 0 {
            let index = p.first().and_then(Param::int).ok_or(Final::Cms(cms::INVALID_INDEX))?;
            if !storage.in_range(index) {
                return Err(Final::Cms(cms::INVALID_INDEX));
            }
            storage.remove(index);
        } else {
            storage.delete_by_flag(flag);
        }
        Ok(Step::Info(Vec::new()))
    }
}

fn first_int(raw: &str) -> Option<u32> {
    params(raw).first().and_then(Param::int)
}

/// Decodes the hex text typed after the prompt: with the SMSC field in
/// front (as TS 27.005 3.1 `<pdu>` has it) or, as many modems also take,
/// without. The TPDU must be exactly `length` octets (3.5.1).
fn read_pdu(text: &[u8], length: usize) -> Option<Pdu> {
    let text: String =
        text.iter().filter(|b| !b.is_ascii_whitespace()).map(|&b| char::from(b)).collect();
    let bytes = hex::decode(&text).ok()?;
    let smsc_len = usize::from(*bytes.first()?) + 1;
    if bytes.len() == smsc_len + length {
        return Pdu::decode(&bytes, true).ok();
    }
    if bytes.len() == length {
        return Pdu::decode(&bytes, false).ok();
    }
    None
}
