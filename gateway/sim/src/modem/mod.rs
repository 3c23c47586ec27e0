//! One simulated modem: the DCE side of an AT serial line as a state
//! machine. Bytes from the host come in, bytes for the host go out, and
//! time is passed in.
//!
//! This file owns the modem's state (settings, mode, SIM, storages, fault
//! switches) and its clock-driven work (replies due, boot finished, `+CNMA`
//! timeouts, periodic vendor URCs). The rest, by what it owns:
//!
//! - `line`: bytes from the host, command lines, the `> ` prompt;
//! - `reply`: bytes to the host, result framing, held replies and URCs;
//! - `power`: boot, reset, SIM ready, registration;
//! - `delivery`: messages from the network into storage or to the host;
//! - `injected`: the fault switches;
//! - `commands_v25`, `commands_27007`, `commands_27005`, `vendor`: the
//!   commands, by specification chapter and by vendor;
//! - `message_view`, `text_mode`: how messages look in answers;
//! - `parser`, `sim_card`, `storage`: V.250 syntax, PIN state, message slots.

mod commands_27005;
mod commands_27007;
mod commands_v25;
mod delivery;
mod injected;
mod line;
mod message_view;
mod parser;
mod power;
mod reply;
mod sim_card;
mod storage;
mod text_mode;
mod vendor;

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bubblegate_profiles::Profile;
use bubblegate_sms::{Address, Deliver, StatusReport, Submit};

use crate::clock::{later, Clock};
use crate::event::Direction;
use crate::results::Format;
use crate::spec::{ModemId, ModemInfo, ModemSpec};

use sim_card::SimCard;
use storage::{Stat, Storage};

/// The longest command line the modem takes; longer lines get `ERROR`.
/// Qualcomm-based modules take 556 bytes, SIM800 556 as well.
const MAX_LINE: usize = 556;

/// The most text taken after a `> ` prompt: a 164-octet TPDU with a
/// 12-octet SMSC field is 352 hex digits; text mode in UCS-2 hex is 560.
const MAX_PROMPT_TEXT: usize = 1024;

/// Ctrl-Z ends the text after the prompt and sends it.
const CTRL_Z: u8 = 0x1A;
/// ESC ends the text after the prompt and cancels.
const ESC: u8 = 0x1B;

/// Timing the modem takes from the network configuration.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timing {
    pub radio_time: Duration,
    pub boot_time: Duration,
    pub urc_interval: Duration,
    pub cnma_timeout: Duration,
}

/// A message the network hands to the modem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Inbound {
    Deliver(Deliver),
    Report(StatusReport),
}

/// What the modem tells the network, drained by [`Modem::poll_outgoing`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outgoing {
    /// The SMSC accepted this SUBMIT (its TP-MR is the one the host saw).
    Submit(Submit),
    Unplugged,
    Replugged,
    Transcript(Direction, String),
    /// A routed message the host did not acknowledge with `+CNMA` in time,
    /// or acknowledged negatively: the network keeps it and tries later.
    Returned(Inbound),
}

/// Why the modem refused a message from the network. The network keeps it
/// and offers it again later, as an SMSC does after RP-ERROR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused(pub Inbound);

/// Settings that power-on, `ATZ` and `AT&F` reset.
#[derive(Debug, Clone)]
struct Settings {
    /// `ATE`: echo of the command line (V.250 6.2.4), on by default.
    echo: bool,
    /// `ATQ`: suppress result codes (V.250 6.2.5).
    quiet: bool,
    /// `ATV` and `+CMEE`.
    format: Format,
    /// `+CMGF`: 0 PDU, 1 text.
    cmgf: u8,
    /// `+CSCS`: the TE character set (TS 27.007 5.5).
    cscs: String,
    /// `+CSMP`: `<fo>,<vp>,<pid>,<dcs>` for text-mode sends (TS 27.005 3.3.2).
    csmp: [u8; 4],
    /// `+CSDH`: show text-mode header values (TS 27.005 3.3.3).
    csdh: bool,
    /// `+CNMI`: `<mode>,<mt>,<bm>,<ds>,<bfr>` (TS 27.005 3.4.1).
    cnmi: [u8; 5],
    /// `<n>` of `+CREG`, `+CGREG`, `+CEREG`.
    reg_n: [u8; 3],
    /// `+CSMS` `<service>`: 1 means routed messages need `+CNMA`.
    csms: u8,
    /// `+CPMS` `<mem1>`, `<mem2>`, `<mem3>`.
    mems: [String; 3],
    /// `+CMMS`: keep the relay link open between sends (TS 27.005 3.5.6).
    cmms: u8,
    /// Huawei `^CURC`: periodic status URCs on (1) or off (0).
    curc: u8,
    /// S-registers other than S3/S4/S5, which are fixed.
    sregs: BTreeMap<u32, u32>,
}

impl Settings {
    fn defaults(profile: &Profile) -> Self {
        let [m1, m2, m3] = &profile.sms.storage;
        Settings {
            echo: true,
            quiet: false,
            format: Format { verbose: true, cmee: 0 },
            cmgf: if profile.sms.modes.pdu { 0 } else { 1 },
            cscs: "IRA".to_owned(),
            csmp: [17, 167, 0, 0],
            csdh: false,
            // After power-on new messages are stored and announced with
            // +CMTI, status reports are off; the daemon sets its own values.
            cnmi: [2, 1, 0, 0, 0],
            reg_n: [0; 3],
            csms: u8::from(profile.sms.needs_cnma),
            mems: [m1.to_string(), m2.to_string(), m3.to_string()],
            cmms: 0,
            curc: 1,
            sregs: BTreeMap::new(),
        }
    }
}

/// Injected faults that persist until used up or cleared.
#[derive(Debug, Clone, Default)]
struct Faults {
    delay: Duration,
    /// `+CMS ERROR` code and how many more sends get it.
    cms: Option<(u16, u32)>,
    drop_replies: u32,
    truncate_next: bool,
    /// The network has lost this modem (coverage gone).
    no_coverage: bool,
    storage_full: bool,
}

/// A reply being built for one command line, or held until its time.
#[derive(Debug, Clone, Default)]
struct Reply {
    bytes: Vec<u8>,
    after: Vec<After>,
    silent: bool,
}

/// What happens once a reply has gone out.
#[derive(Debug, Clone, PartialEq, Eq)]
enum After {
    Submit(Submit),
    Reset,
    PowerOff,
    SimUnlocked,
}

/// What one command did.
#[derive(Debug, Clone)]
enum Step {
    /// Information lines (maybe none); go on with the next command.
    Info(Vec<String>),
    /// Open the `> ` prompt; must be the last command of the line.
    Prompt(PromptTarget),
    /// Send this SUBMIT after the radio time and answer `<prefix>: <mr>`.
    Send { submit: Submit, prefix: &'static str, from: Option<(String, u32)> },
    /// `OK`, then restart.
    Reset,
    /// `OK`, then power down.
    PowerOff,
}

/// What the text after the prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PromptTarget {
    /// `+CMGS=<length>` in PDU mode.
    SendPdu { length: usize },
    /// `+CMGS=<da>[,<toda>]` in text mode.
    SendText { da: Address },
    /// `+CMGW=<length>[,<stat>]` in PDU mode.
    WritePdu { length: usize, stat: Stat },
    /// `+CMGW[=<oa/da>[,<type>[,<stat>]]]` in text mode.
    WriteText { da: Option<Address>, stat: Stat },
}

#[derive(Debug, Clone)]
enum Mode {
    /// Reading command lines.
    Command,
    /// After `> `: collecting text until Ctrl-Z or ESC.
    Prompt { target: PromptTarget, text: Vec<u8> },
    /// A reply waits for its time; input waits in the buffer.
    Busy { until: Instant, reply: Reply },
    /// Powering up; input is lost. `replug`: announce the device again
    /// when done (a USB modem that re-enumerates).
    Booting { until: Instant, replug: bool },
    /// Powered down by command; only a reboot or replug wakes it.
    Off,
    /// Crashed firmware: takes nothing, says nothing.
    Hung,
}

/// A routed `+CMT`/`+CDS` waiting for `+CNMA`.
#[derive(Debug, Clone)]
struct AckWait {
    deadline: Instant,
    item: Inbound,
}

#[derive(Debug)]
pub(crate) struct Modem {
    id: ModemId,
    profile: Arc<Profile>,
    imei: String,
    timing: Timing,
    clock: Clock,
    operator: String,
    plugged: bool,
    mode: Mode,
    s: Settings,
    /// `+CFUN` `<fun>`: 1 full, 0 minimum, 4 radio off.
    cfun: u8,
    sim: SimCard,
    storages: BTreeMap<String, Storage>,
    faults: Faults,
    /// SMS commands usable: boot finished and SIM unlocked.
    sms_ready: bool,
    /// Last registration state announced per `+CREG`, `+CGREG`, `+CEREG`.
    reported_reg: [u8; 3],
    rssi: u8,
    input: VecDeque<u8>,
    line: Vec<u8>,
    last_line: Vec<u8>,
    out: Vec<u8>,
    held_urcs: Vec<Vec<String>>,
    ack: Option<AckWait>,
    route_queue: VecDeque<Inbound>,
    next_periodic: Option<Instant>,
    outgoing: VecDeque<Outgoing>,
    after: Vec<After>,
}

impl Modem {
    pub(crate) fn new(
        id: ModemId,
        spec: ModemSpec,
        timing: Timing,
        clock: Clock,
        smsc: &str,
        operator: &str,
        now: Instant,
    ) -> Self {
        let profile = spec.profile.clone();
        let mut storages = BTreeMap::new();
        storages.insert("SM".to_owned(), Storage::new(spec.sim_capacity));
        for (name, capacity) in &profile.sms.capacity {
            storages.insert(name.to_string(), Storage::new(*capacity));
        }
        for name in &profile.sms.storage {
            storages.entry(name.to_string()).or_insert_with(|| Storage::new(DEFAULT_ME_CAPACITY));
        }
        storages.entry("ME".to_owned()).or_insert_with(|| Storage::new(DEFAULT_ME_CAPACITY));
        let sim = SimCard::new(
            spec.sim_inserted,
            spec.number,
            spec.imsi,
            spec.iccid,
            spec.pin,
            spec.puk,
            smsc.to_owned(),
        );
        let mut modem = Modem {
            id,
            s: Settings::defaults(&profile),
            profile,
            imei: spec.imei,
            timing,
            clock,
            operator: operator.to_owned(),
            plugged: true,
            mode: Mode::Off,
            cfun: 1,
            sim,
            storages,
            faults: Faults::default(),
            sms_ready: false,
            reported_reg: [0; 3],
            rssi: 20,
            input: VecDeque::new(),
            line: Vec::new(),
            last_line: Vec::new(),
            out: Vec::new(),
            held_urcs: Vec::new(),
            ack: None,
            route_queue: VecDeque::new(),
            next_periodic: None,
            outgoing: VecDeque::new(),
            after: Vec::new(),
        };
        modem.power_on(now, false);
        modem
    }

    pub(crate) fn number(&self) -> &str {
        &self.sim.number
    }

    pub(crate) fn profile(&self) -> Arc<Profile> {
        self.profile.clone()
    }

    pub(crate) fn info(&self) -> ModemInfo {
        ModemInfo {
            id: self.id,
            profile: self.profile.name.clone(),
            number: self.sim.number.clone(),
            imsi: self.sim.imsi.clone(),
            iccid: self.sim.iccid.clone(),
            imei: self.imei.clone(),
            plugged: self.plugged,
            registered: self.reg_stat() == 1,
            storage: self
                .storages
                .iter()
                .map(|(name, s)| (name.clone(), s.used(), self.effective_capacity(s)))
                .collect(),
        }
    }

    pub(crate) fn poll_outgoing(&mut self) -> Option<Outgoing> {
        self.outgoing.pop_front()
    }

    pub(crate) fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        if self.out.is_empty() {
            None
        } else {
            Some(std::mem::take(&mut self.out))
        }
    }

    // ----- time ----------------------------------------------------------

    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        let mode = match &self.mode {
            Mode::Busy { until, .. } | Mode::Booting { until, .. } => Some(*until),
            _ => None,
        };
        let periodic = self.next_periodic.filter(|_| self.plugged && self.s.curc == 1);
        [mode, self.ack.as_ref().map(|a| a.deadline), periodic].into_iter().flatten().min()
    }

    pub(crate) fn handle_timeout(&mut self, now: Instant) {
        match &self.mode {
            Mode::Busy { until, .. } if *until <= now => {
                if let Mode::Busy { reply, .. } = std::mem::replace(&mut self.mode, Mode::Command) {
                    self.emit(reply, now);
                    self.pump(now);
                }
            }
            Mode::Booting { until, replug } if *until <= now => {
                let replug = *replug;
                self.finish_boot(now, replug);
                self.pump(now);
            }
            _ => {}
        }
        if self.ack.as_ref().is_some_and(|a| a.deadline <= now) {
            if let Some(wait) = self.ack.take() {
                // TS 27.005 3.4.4: without an acknowledgement in time the
                // ME gives up routing: <mt> and <ds> drop to 0.
                self.s.cnmi[1] = 0;
                self.s.cnmi[3] = 0;
                self.outgoing.push_back(Outgoing::Returned(wait.item));
            }
            self.pump_routes(now);
        }
        if let Some(at) = self.next_periodic.filter(|at| *at <= now) {
            let interval = self.timing.urc_interval.max(Duration::from_millis(100));
            let next = later(at, interval);
            // After a long jump in time, count on from now rather than
            // catching up interval by interval.
            let next = if next <= now { later(now, interval) } else { next };
            self.next_periodic = Some(next);
            if self.s.curc == 1
                && matches!(self.mode, Mode::Command | Mode::Busy { .. } | Mode::Prompt { .. })
            {
                for line in vendor::periodic_urcs(&self.profile, self.rssi) {
                    self.urc(vec![line]);
                }
            }
        }
    }
}

/// Capacity of the modem's own storage when the profile does not say.
const DEFAULT_ME_CAPACITY: u32 = 100;
