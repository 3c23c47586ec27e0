//! The serial line, modem to host: framing answers (V.250 5.7), replies
//! held for radio time or an injected delay, dropped or truncated replies,
//! what happens after a reply (the SMSC gets the SUBMIT, a reset starts),
//! and unsolicited result codes, held while a command runs.

use std::time::{Duration, Instant};

use super::{vendor, After, Mode, Modem, Outgoing, Reply};
use crate::clock::later;
use crate::event::Direction;
use crate::results::Final;
use crate::transcript::escape;

impl Modem {
    /// Sends bytes to the host and records them in the transcript, one
    /// entry per line.
    pub(super) fn send(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        self.out.extend_from_slice(bytes);
        for piece in bytes.split(|b| *b == b'\r' || *b == b'\n') {
            if !piece.is_empty() {
                self.transcript(Direction::Out, escape(piece));
            }
        }
    }

    pub(super) fn transcript(&mut self, dir: Direction, line: String) {
        self.outgoing.push_back(Outgoing::Transcript(dir, line));
    }

    pub(super) fn add_info(&self, reply: &mut Reply, lines: &[String]) {
        if !lines.is_empty() {
            reply.bytes.extend(self.s.format.info_bytes(lines));
        }
    }

    pub(super) fn finish(&self, reply: &mut Reply, result: Final) {
        if !self.s.quiet {
            reply.bytes.extend(self.s.format.final_bytes(result).1);
        }
    }

    /// Sends a reply now, or holds it for `extra` plus any injected delay.
    pub(super) fn dispatch(&mut self, mut reply: Reply, extra: Duration, now: Instant) {
        if self.faults.drop_replies > 0 {
            self.faults.drop_replies -= 1;
            reply.silent = true;
        }
        let delay = extra.saturating_add(self.faults.delay);
        if delay.is_zero() {
            self.emit(reply, now);
        } else {
            self.mode = Mode::Busy { until: later(now, delay), reply };
        }
    }

    pub(super) fn emit(&mut self, reply: Reply, now: Instant) {
        if matches!(self.mode, Mode::Busy { .. }) {
            self.mode = Mode::Command;
        }
        if !reply.silent {
            let mut bytes = reply.bytes;
            if self.faults.truncate_next && !bytes.is_empty() {
                self.faults.truncate_next = false;
                // Cut inside the text of the last line, so that what
                // arrives is a line start with no end.
                let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).unwrap_or(0);
                let start = bytes[..end].iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
                let cut = start + (end + 1 - start).div_ceil(2);
                bytes.truncate(cut.max(1));
            }
            self.send(&bytes);
        }
        for after in reply.after {
            self.run_after(after, now);
        }
        self.settle(now);
    }

    pub(super) fn run_after(&mut self, after: After, now: Instant) {
        match after {
            After::Submit(submit) => self.outgoing.push_back(Outgoing::Submit(submit)),
            After::Reset => {
                let reenumerates = self.profile.recovery.usb_reenumerates;
                if reenumerates {
                    // The OK is on its way before the device leaves the
                    // bus: it stays in `out` for the adapter to write.
                    self.plugged = false;
                    self.outgoing.push_back(Outgoing::Unplugged);
                }
                self.power_on(now, reenumerates);
            }
            After::PowerOff => {
                if let Some(line) = vendor::power_down_urc(&self.profile) {
                    self.send_urc(&[line]);
                }
                self.return_routed();
                self.mode = Mode::Off;
                self.sms_ready = false;
                if !self.profile.recognition.usb.is_empty() {
                    // A USB modem that powers down leaves the bus.
                    self.plugged = false;
                    self.outgoing.push_back(Outgoing::Unplugged);
                }
            }
            After::SimUnlocked => self.announce_sim_ready(),
        }
    }

    /// Once the modem is idle again: held URCs go out, the registration
    /// state is announced if it changed, the next routed message goes out.
    pub(super) fn settle(&mut self, now: Instant) {
        if !matches!(self.mode, Mode::Command) {
            return;
        }
        for lines in std::mem::take(&mut self.held_urcs) {
            self.send_urc(&lines);
        }
        self.update_registration();
        self.pump_routes(now);
    }

    /// Raises an unsolicited result code: now when the line is idle, after
    /// the current command otherwise (`+CNMI` `<mode>` 2 buffering), lost
    /// while the modem is off or booting.
    pub(super) fn urc(&mut self, lines: Vec<String>) {
        if !self.plugged {
            return;
        }
        match self.mode {
            Mode::Command => self.send_urc(&lines),
            Mode::Prompt { .. } | Mode::Busy { .. } => self.held_urcs.push(lines),
            Mode::Booting { .. } | Mode::Off | Mode::Hung => {}
        }
    }

    pub(super) fn send_urc(&mut self, lines: &[String]) {
        let bytes = self.s.format.info_bytes(lines);
        self.send(&bytes);
    }
}
