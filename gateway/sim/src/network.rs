//! The virtual cellular network: it owns the simulated modems, moves bytes
//! and time into them, routes what they send through the SMSC and turns
//! their doings into [`Event`]s.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bubblegate_profiles::Profile;
use bubblegate_sms::segment::{plan_text, SegmentOptions};
use bubblegate_sms::{Address, Deliver, Pdu, Tpdu};
use serde::{Deserialize, Serialize};

use crate::clock::{later, Clock};
use crate::error::SimError;
use crate::event::Event;
use crate::faults::Fault;
use crate::modem::{Inbound, Modem, Outgoing, Refused, Timing};
use crate::smsc::{deliver_for, reaches, report_for, Held, ReceivedMessage, Smsc};
use crate::spec::{ModemId, ModemInfo, ModemSpec};

/// The outcome that status reports announce (TS 23.040 9.2.3.15 TP-Status).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportOutcome {
    /// TP-Status 0x00, "short message received by the SME".
    #[default]
    Delivered,
    /// TP-Status 0x43, "not obtainable": a permanent error.
    Failed,
    /// TP-Status 0x21, "SME busy": a temporary error, the SC still tries.
    Pending,
}

/// How the network behaves. [`Default`] is realistic; [`NetworkConfig::fast`]
/// takes all waiting out for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkConfig {
    /// Time from Ctrl-Z to the `+CMGS: <mr>` answer: the round trip to
    /// the SMSC over the radio.
    pub radio_time: Duration,
    /// Time from the SMSC accepting a message to the status report.
    pub report_delay: Duration,
    /// Time from power-on (reboot, replug, `AT+CFUN=1,1`) to the ready URCs.
    /// The modem ignores input meanwhile.
    pub boot_time: Duration,
    /// How often vendor status URCs (Huawei `^RSSI`, `^BOOT`) are sent
    /// while the modem has them switched on.
    pub urc_interval: Duration,
    /// How long a routed `+CMT`/`+CDS` waits for `+CNMA` where one is due
    /// (TS 27.005 3.4.4) before the modem gives up routing and the network
    /// keeps the message for later.
    pub cnma_timeout: Duration,
    /// How long the SMSC waits for missing parts of a concatenated message
    /// before logging it incomplete.
    pub reassembly_timeout: Duration,
    pub report_outcome: ReportOutcome,
    /// The service centre number `+CSCA?` shows.
    pub smsc: String,
    /// The operator name `+COPS?` shows.
    pub operator: String,
    /// Calendar time (seconds since 1970, UTC) at the first `now` the
    /// network sees; SMS time stamps count on from it.
    pub unix_time_at_start: u64,
    /// Time zone of the time stamps, in quarter hours east of UTC.
    pub tz_quarters: i8,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig {
            radio_time: Duration::from_millis(1500),
            report_delay: Duration::from_secs(2),
            boot_time: Duration::from_secs(2),
            urc_interval: Duration::from_secs(30),
            cnma_timeout: Duration::from_secs(15),
            reassembly_timeout: Duration::from_secs(300),
            report_outcome: ReportOutcome::Delivered,
            smsc: "+31653131313".to_owned(),
            operator: "Bubblegate".to_owned(),
            // 2025-01-01T00:00:00Z.
            unix_time_at_start: 1_735_689_600,
            tz_quarters: 4,
        }
    }
}

impl NetworkConfig {
    /// No radio time, no boot time, immediate status reports: for tests
    /// that check behaviour rather than timing.
    pub fn fast() -> Self {
        NetworkConfig {
            radio_time: Duration::ZERO,
            report_delay: Duration::ZERO,
            boot_time: Duration::ZERO,
            ..NetworkConfig::default()
        }
    }
}

/// The virtual network. See the crate docs for how an adapter drives it.
#[derive(Debug)]
pub struct Network {
    cfg: NetworkConfig,
    clock: Clock,
    modems: Vec<Modem>,
    smsc: Smsc,
    events: VecDeque<Event>,
    /// The latest `now` seen, so that `poll_timeout` does not report
    /// deadlines that already passed and could not be acted on.
    last_now: Option<Instant>,
}

/// How many rounds of "drain the modems, route, deliver" one call may take
/// before it stops; each round needs new work, so this only guards against
/// a bug turning into a hang.
const MAX_ROUNDS: usize = 64;

impl Network {
    pub fn new(cfg: NetworkConfig) -> Self {
        Network {
            clock: Clock::new(cfg.unix_time_at_start, cfg.tz_quarters),
            smsc: Smsc::new(cfg.reassembly_timeout),
            cfg,
            modems: Vec::new(),
            events: VecDeque::new(),
            last_now: None,
        }
    }

    pub fn config(&self) -> &NetworkConfig {
        &self.cfg
    }

    /// Adds a modem and powers it on: its ready URCs follow after the boot
    /// time. Ids count up from 0 in the order of this call.
    pub fn add_modem(&mut self, spec: ModemSpec, now: Instant) -> ModemId {
        self.observe(now);
        let id = ModemId(self.modems.len() as u32);
        let timing = Timing {
            radio_time: self.cfg.radio_time,
            boot_time: self.cfg.boot_time,
            urc_interval: self.cfg.urc_interval,
            cnma_timeout: self.cfg.cnma_timeout,
        };
        let modem = Modem::new(
            id,
            spec,
            timing,
            self.clock.clone(),
            &self.cfg.smsc,
            &self.cfg.operator,
            now,
        );
        self.modems.push(modem);
        self.settle(now);
        id
    }

    pub fn modems(&self) -> Vec<ModemInfo> {
        self.modems.iter().map(Modem::info).collect()
    }

    pub fn modem(&self, id: ModemId) -> Option<ModemInfo> {
        self.get(id).map(Modem::info)
    }

    /// The profile a modem plays.
    pub fn profile(&self, id: ModemId) -> Option<Arc<Profile>> {
        self.get(id).map(Modem::profile)
    }

    /// The modem with this number (E.164 with `+`).
    pub fn modem_by_number(&self, number: &str) -> Option<ModemId> {
        let dest = Address::phone(number).ok()?;
        self.route(&dest)
    }

    /// Bytes the host wrote to the modem's serial line. Ignored for an
    /// unknown or unplugged modem.
    pub fn handle_input(&mut self, id: ModemId, bytes: &[u8], now: Instant) {
        self.observe(now);
        if let Some(modem) = self.get_mut(id) {
            modem.handle_input(bytes, now);
        }
        self.settle(now);
    }

    /// Bytes the modem sends to the host, if any are waiting.
    pub fn poll_transmit(&mut self, id: ModemId) -> Option<Vec<u8>> {
        self.get_mut(id).and_then(Modem::poll_transmit)
    }

    /// Like [`Network::poll_transmit`], for whichever modem has bytes.
    pub fn poll_transmit_any(&mut self) -> Option<(ModemId, Vec<u8>)> {
        self.modems
            .iter_mut()
            .enumerate()
            .find_map(|(i, m)| m.poll_transmit().map(|b| (ModemId(i as u32), b)))
    }

    /// Runs everything due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.observe(now);
        for modem in &mut self.modems {
            modem.handle_timeout(now);
        }
        for message in self.smsc.expire(self.clock.system_time(now)) {
            self.events.push_back(Event::Received { message });
        }
        self.settle(now);
    }

    /// When [`Network::handle_timeout`] next has work.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let modems = self.modems.iter().filter_map(Modem::poll_timeout);
        let held = self
            .smsc
            .held
            .iter()
            .map(|h| h.not_before)
            .filter(|t| self.last_now.is_none_or(|now| *t > now));
        let reassembly = self.smsc.next_deadline().and_then(|t| self.clock.instant_of(t));
        modems.chain(held).chain(reassembly).min()
    }

    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// An SMS from `from` (a number, or an alphanumeric sender such as
    /// `Bank`) to the simulated modem with number `to`. Long text is split
    /// into concatenated SMS-DELIVER parts as a real SMSC does; each part
    /// reaches the modem on its own.
    pub fn inject_text(
        &mut self,
        to: &str,
        from: &str,
        text: &str,
        now: Instant,
    ) -> Result<(), SimError> {
        self.observe(now);
        let target = self.target(to)?;
        let originator = originator(from)?;
        let plan = plan_text(text, &SegmentOptions::default())
            .map_err(|e| SimError::Encode(e.to_string()))?;
        let reference = self.smsc.next_reference();
        let dcs = plan.dcs(None);
        let scts = self.clock.timestamp(now);
        for user_data in plan.user_data(reference) {
            let deliver = Deliver {
                more_messages: false,
                loop_prevention: false,
                status_report_indication: false,
                reply_path: false,
                originator: originator.clone(),
                pid: 0,
                dcs,
                scts,
                user_data,
            };
            self.smsc.held.push(Held {
                to: target,
                item: Inbound::Deliver(deliver),
                not_before: now,
            });
        }
        self.settle(now);
        Ok(())
    }

    /// Raw SMS-DELIVER TPDUs for the modem with number `to`, delivered in
    /// the order given (concatenated parts may come in any order). Each
    /// PDU is a TPDU without the SMSC field; a PDU that only decodes with
    /// a leading SMSC field (as `bubblegate pdu encode` prints it) is taken
    /// as such.
    pub fn inject_pdus(
        &mut self,
        to: &str,
        pdus: &[Vec<u8>],
        now: Instant,
    ) -> Result<(), SimError> {
        self.observe(now);
        let target = self.target(to)?;
        if pdus.is_empty() {
            return Err(SimError::NoPdus);
        }
        let mut delivers = Vec::with_capacity(pdus.len());
        for (index, bytes) in pdus.iter().enumerate() {
            let decoded = match Pdu::decode(bytes, false) {
                Ok(Pdu { tpdu: Tpdu::Deliver(d), .. }) => Ok(d),
                first => match Pdu::decode(bytes, true) {
                    Ok(Pdu { tpdu: Tpdu::Deliver(d), .. }) => Ok(d),
                    _ => Err(match first {
                        Ok(_) => "not an SMS-DELIVER".to_owned(),
                        Err(e) => e.to_string(),
                    }),
                },
            };
            delivers.push(decoded.map_err(|reason| SimError::InvalidPdu { index, reason })?);
        }
        for deliver in delivers {
            self.smsc.held.push(Held {
                to: target,
                item: Inbound::Deliver(deliver),
                not_before: now,
            });
        }
        self.settle(now);
        Ok(())
    }

    /// Every message the modems sent, reassembled, in the order completed.
    pub fn received(&self) -> &[ReceivedMessage] {
        &self.smsc.received
    }

    pub fn report_outcome(&self) -> ReportOutcome {
        self.cfg.report_outcome
    }

    /// Sets the outcome of status reports for messages sent from now on.
    pub fn set_report_outcome(&mut self, outcome: ReportOutcome) {
        self.cfg.report_outcome = outcome;
    }

    pub fn inject_fault(
        &mut self,
        id: ModemId,
        fault: Fault,
        now: Instant,
    ) -> Result<(), SimError> {
        self.observe(now);
        let modem = self.get_mut(id).ok_or(SimError::UnknownModem(id))?;
        match fault {
            Fault::Delay { ms } => modem.set_delay(Duration::from_millis(ms)),
            Fault::CmsError { code, count } => modem.set_cms_errors(code, count),
            Fault::DropReply { count } => modem.drop_replies(count),
            Fault::Hang => modem.hang(),
            Fault::Garbage { bytes } => modem.garbage(&bytes),
            Fault::Truncate => modem.truncate_next(),
            Fault::Unplug => modem.unplug(),
            Fault::Replug | Fault::Reboot => modem.power_cycle(now),
            Fault::RegistrationLost => modem.set_coverage(false, now),
            Fault::RegistrationRegained => modem.set_coverage(true, now),
            Fault::StorageFull { full } => modem.set_storage_full(full),
            Fault::Signal { rssi } => {
                if rssi > 31 && rssi != 99 {
                    return Err(SimError::InvalidFault(format!("rssi {rssi} is not 0-31 or 99")));
                }
                modem.set_signal(rssi);
            }
        }
        self.settle(now);
        Ok(())
    }

    // ----- internals -------------------------------------------------------

    fn observe(&mut self, now: Instant) {
        self.clock.observe(now);
        if self.last_now.is_none_or(|last| now > last) {
            self.last_now = Some(now);
        }
    }

    fn get(&self, id: ModemId) -> Option<&Modem> {
        self.modems.get(id.0 as usize)
    }

    fn get_mut(&mut self, id: ModemId) -> Option<&mut Modem> {
        self.modems.get_mut(id.0 as usize)
    }

    fn route(&self, dest: &Address) -> Option<ModemId> {
        self.modems.iter().position(|m| reaches(m.number(), dest)).map(|i| ModemId(i as u32))
    }

    fn target(&self, to: &str) -> Result<ModemId, SimError> {
        let dest = Address::phone(to).map_err(|_| SimError::InvalidAddress(to.to_owned()))?;
        self.route(&dest).ok_or_else(|| SimError::UnknownNumber(to.to_owned()))
    }

    /// Drains what the modems did, routes what they sent and hands waiting
    /// messages to modems that can take them, until nothing moves.
    fn settle(&mut self, now: Instant) {
        for _ in 0..MAX_ROUNDS {
            let mut moved = false;
            for i in 0..self.modems.len() {
                while let Some(out) = self.modems[i].poll_outgoing() {
                    moved = true;
                    self.take(ModemId(i as u32), out, now);
                }
            }
            moved |= self.deliver_held(now);
            if !moved {
                return;
            }
        }
    }

    fn take(&mut self, id: ModemId, out: Outgoing, now: Instant) {
        match out {
            Outgoing::Transcript(dir, line) => {
                self.events.push_back(Event::Transcript { id, dir, line })
            }
            Outgoing::Unplugged => self.events.push_back(Event::Unplugged { id }),
            Outgoing::Replugged => self.events.push_back(Event::Replugged { id }),
            Outgoing::Submit(submit) => self.submitted(id, submit, now),
            Outgoing::Returned(item) => {
                let not_before = later(now, self.cfg.cnma_timeout);
                self.smsc.held.push(Held { to: id, item, not_before });
            }
        }
    }

    /// The SMSC accepted a SUBMIT from modem `from`: log it, deliver it to
    /// a simulated modem, and schedule the status report if asked.
    fn submitted(&mut self, from: ModemId, submit: bubblegate_sms::Submit, now: Instant) {
        let Some(sender) = self.get(from).map(|m| m.number().to_owned()) else { return };
        let target = self.route(&submit.destination);
        let scts = self.clock.timestamp(now);
        if let Some(message) =
            self.smsc.log_part(from, &sender, target, &submit, self.clock.system_time(now))
        {
            self.events.push_back(Event::Received { message });
        }
        if let (Some(to), Ok(originator)) = (target, Address::phone(&sender)) {
            let deliver = deliver_for(&submit, originator, scts);
            self.smsc.held.push(Held { to, item: Inbound::Deliver(deliver), not_before: now });
        }
        if submit.status_report_request {
            let due = later(now, self.cfg.report_delay);
            let report =
                report_for(&submit, self.cfg.report_outcome, scts, self.clock.timestamp(due));
            self.smsc.held.push(Held { to: from, item: Inbound::Report(report), not_before: due });
        }
    }

    /// Offers every due message to its modem, in order. Returns whether
    /// any went.
    fn deliver_held(&mut self, now: Instant) -> bool {
        let mut moved = false;
        let held = std::mem::take(&mut self.smsc.held);
        for h in held {
            if h.not_before > now {
                self.smsc.held.push(h);
                continue;
            }
            let Some(modem) = self.modems.get_mut(h.to.0 as usize) else { continue };
            let event = match &h.item {
                Inbound::Deliver(d) => {
                    let concat = d.user_data.udh.as_ref().and_then(|u| u.concat());
                    Some(Event::Delivered {
                        id: h.to,
                        from: d.originator.to_string(),
                        part: concat.map_or(1, |c| c.seq),
                        total: concat.map_or(1, |c| c.total),
                    })
                }
                Inbound::Report(_) => None,
            };
            match modem.offer(h.item, now) {
                Ok(()) => {
                    moved = true;
                    self.events.extend(event);
                }
                Err(Refused(item)) => self.smsc.held.push(Held { item, ..h }),
            }
        }
        moved
    }
}

/// TP-OA for an injected message: a phone number, else an alphanumeric
/// sender.
fn originator(from: &str) -> Result<Address, SimError> {
    let looks_numeric = from
        .trim()
        .trim_start_matches('+')
        .chars()
        .all(|c| c.is_ascii_digit() || " -.()".contains(c));
    let parsed = if looks_numeric { Address::phone(from) } else { Address::alphanumeric(from) };
    parsed.map_err(|_| SimError::InvalidAddress(from.to_owned()))
}
