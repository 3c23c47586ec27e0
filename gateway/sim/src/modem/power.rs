//! Power and network state: power-on and reset with the profile's ready
//! URCs, the SIM becoming ready after its PIN, and network registration
//! (TS 27.007 7.2 `<stat>`) with its URCs.

use std::time::{Duration, Instant};

use super::{commands_27007, vendor, Mode, Modem, Outgoing, Settings};
use crate::clock::later;

impl Modem {
    /// Power-on or restart: settings back to defaults, SIM asks for its PIN
    /// again, ready URCs after the boot time.
    pub(super) fn power_on(&mut self, now: Instant, replug: bool) {
        self.return_routed();
        self.s = Settings::defaults(&self.profile);
        self.cfun = 1;
        self.sim.power_on();
        self.sms_ready = false;
        self.reported_reg = [0; 3];
        self.input.clear();
        self.line.clear();
        self.held_urcs.clear();
        self.next_periodic = None;
        // Glitches of the old firmware run end with it; conditions set
        // from outside (delay, CMS errors, coverage, full storage) stay.
        self.faults.drop_replies = 0;
        self.faults.truncate_next = false;
        self.mode = Mode::Booting { until: later(now, self.timing.boot_time), replug };
        if self.timing.boot_time.is_zero() {
            self.finish_boot(now, replug);
        }
    }

    /// The end of boot: the ready URCs of the profile, in this order: the
    /// first declared ready URC (power-on, e.g. `RDY`), then `+CFUN: 1` and
    /// `+CPIN: <code>` where the model prints them, then, once the SIM is
    /// usable, the remaining ready URCs (`Call Ready`, `SMS Ready`,
    /// `+QIND: SMS DONE`). This is the order of the SIM800 and Quectel
    /// power-on sequences in their manuals.
    pub(super) fn finish_boot(&mut self, now: Instant, replug: bool) {
        self.mode = Mode::Command;
        if replug {
            self.plugged = true;
            self.outgoing.push_back(Outgoing::Replugged);
        }
        let ready = vendor::ready_urcs(&self.profile);
        if let Some(first) = ready.first() {
            self.urc(vec![first.clone()]);
        }
        if vendor::declares(&self.profile, "+CFUN:") {
            self.urc(vec!["+CFUN: 1".to_owned()]);
        }
        if vendor::declares(&self.profile, "+CPIN:") {
            let code = self.sim.cpin_code().unwrap_or("NOT INSERTED");
            self.urc(vec![format!("+CPIN: {code}")]);
        }
        if self.sim.ready() {
            for line in ready.iter().skip(1) {
                self.urc(vec![line.clone()]);
            }
            self.sms_ready = true;
        }
        if !vendor::periodic_urcs(&self.profile, self.rssi).is_empty() {
            self.next_periodic =
                Some(later(now, self.timing.urc_interval.max(Duration::from_millis(100))));
        }
        self.settle(now);
    }

    /// After the right PIN: `+CPIN: READY` where the model prints it, then
    /// the ready URCs that wait for the SIM.
    pub(super) fn announce_sim_ready(&mut self) {
        if vendor::declares(&self.profile, "+CPIN:") {
            self.urc(vec!["+CPIN: READY".to_owned()]);
        }
        for line in vendor::ready_urcs(&self.profile).into_iter().skip(1) {
            self.urc(vec![line]);
        }
        self.sms_ready = true;
    }

    /// Routed messages not yet acknowledged go back to the network.
    pub(super) fn return_routed(&mut self) {
        if let Some(wait) = self.ack.take() {
            self.outgoing.push_back(Outgoing::Returned(wait.item));
        }
        while let Some(item) = self.route_queue.pop_front() {
            self.outgoing.push_back(Outgoing::Returned(item));
        }
    }

    /// `<stat>` of `+CREG` (TS 27.007 7.2): 1 registered (home), 2 not
    /// registered but searching (coverage lost), 0 not searching (radio
    /// off, no usable SIM).
    pub(super) fn reg_stat(&self) -> u8 {
        if !self.sim.ready()
            || self.cfun != 1
            || !matches!(self.mode, Mode::Command | Mode::Busy { .. } | Mode::Prompt { .. })
        {
            0
        } else if self.faults.no_coverage {
            2
        } else {
            1
        }
    }

    pub(super) fn update_registration(&mut self) {
        let stat = self.reg_stat();
        for (i, name) in commands_27007::REG_COMMANDS.iter().enumerate() {
            if self.reported_reg[i] == stat {
                continue;
            }
            self.reported_reg[i] = stat;
            if !self.supports_reg(i) {
                continue;
            }
            match self.s.reg_n[i] {
                1 => self.urc(vec![format!("{name}: {stat}")]),
                2 => {
                    let loc = self.location(i, stat);
                    self.urc(vec![format!("{name}: {stat}{loc}")]);
                }
                _ => {}
            }
        }
    }
}
