//! The modem's side of fault injection (`crate::Fault`): the switches the
//! network flips on request of a test or the control interface.

use std::time::{Duration, Instant};

use super::{Mode, Modem, Outgoing};

impl Modem {
    pub(crate) fn set_delay(&mut self, delay: Duration) {
        self.faults.delay = delay;
    }

    pub(crate) fn set_cms_errors(&mut self, code: u16, count: u32) {
        self.faults.cms = (count > 0).then_some((code, count));
    }

    pub(crate) fn drop_replies(&mut self, count: u32) {
        self.faults.drop_replies = count;
    }

    pub(crate) fn hang(&mut self) {
        self.mode = Mode::Hung;
        self.input.clear();
        self.line.clear();
        self.held_urcs.clear();
    }

    pub(crate) fn garbage(&mut self, bytes: &[u8]) {
        if self.plugged {
            self.send(bytes);
        }
    }

    pub(crate) fn truncate_next(&mut self) {
        self.faults.truncate_next = true;
    }

    pub(crate) fn unplug(&mut self) {
        if !self.plugged {
            return;
        }
        self.return_routed();
        self.plugged = false;
        self.mode = Mode::Off;
        self.sms_ready = false;
        self.out.clear();
        self.input.clear();
        self.line.clear();
        self.held_urcs.clear();
        self.outgoing.push_back(Outgoing::Unplugged);
    }

    /// Replug, or a power cycle (`reboot`): the device is there again and
    /// boots.
    pub(crate) fn power_cycle(&mut self, now: Instant) {
        if !self.plugged {
            self.plugged = true;
            self.outgoing.push_back(Outgoing::Replugged);
        }
        self.out.clear();
        self.power_on(now, false);
    }

    pub(crate) fn set_coverage(&mut self, covered: bool, now: Instant) {
        self.faults.no_coverage = !covered;
        self.settle(now);
    }

    pub(crate) fn set_storage_full(&mut self, full: bool) {
        self.faults.storage_full = full;
    }

    pub(crate) fn set_signal(&mut self, rssi: u8) {
        self.rssi = rssi;
    }
}
