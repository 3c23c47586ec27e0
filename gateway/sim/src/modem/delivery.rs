//! Messages from the network: where `+CNMI` (TS 27.005 3.4.1) sends
//! them, storage with `+CMTI`/`+CDSI`, routing with `+CMT`/`+CDS` and the
//! wait for `+CNMA` (3.4.4), and refusing what cannot be taken now.

use std::time::Instant;

use bubblegate_sms::{Address, Pdu, Tpdu};

use super::storage::{self, Stat, Storage};
use super::{AckWait, Inbound, Mode, Modem, Refused};
use crate::clock::later;

impl Modem {
    /// Whether the modem can take a message from the network now.
    pub(super) fn reachable(&self) -> bool {
        self.plugged
            && self.sms_ready
            && self.reg_stat() == 1
            && matches!(self.mode, Mode::Command | Mode::Busy { .. } | Mode::Prompt { .. })
    }

    /// A message from the SMSC. TS 27.005 3.4.1 decides by `+CNMI` where
    /// it goes: stored and announced with `+CMTI`/`+CDSI`, routed as
    /// `+CMT`/`+CDS`, or (status reports with `<ds>` 0) dropped.
    pub(crate) fn offer(&mut self, item: Inbound, now: Instant) -> Result<(), Refused> {
        if !self.reachable() {
            return Err(Refused(item));
        }
        let [mode, mt, _, ds, _] = self.s.cnmi;
        let route = match &item {
            Inbound::Deliver(d) => {
                let class = d.dcs.class();
                mode != 0 && ((mt == 2 && class != Some(2)) || (mt == 3 && class == Some(3)))
            }
            Inbound::Report(_) => {
                if ds == 0 {
                    return Ok(());
                }
                mode != 0 && ds == 1
            }
        };
        if route {
            self.route_queue.push_back(item);
            self.pump_routes(now);
            return Ok(());
        }
        let mem = self.s.mems[2].clone();
        let full = self.storage_full(&mem);
        let smsc = self.smsc_address();
        let Some(storage) = self.storages.get_mut(&mem) else { return Err(Refused(item)) };
        if full {
            return Err(Refused(item));
        }
        let is_report = matches!(item, Inbound::Report(_));
        let tpdu = match item {
            Inbound::Deliver(d) => Tpdu::Deliver(d),
            Inbound::Report(r) => Tpdu::StatusReport(r),
        };
        let stored = storage::Stored { stat: Stat::RecUnread, pdu: Pdu { smsc, tpdu } };
        let index = match storage.insert(stored) {
            Ok(index) => index,
            Err(stored) => {
                return match stored.pdu.tpdu {
                    Tpdu::Deliver(d) => Err(Refused(Inbound::Deliver(d))),
                    Tpdu::StatusReport(r) => Err(Refused(Inbound::Report(r))),
                    // Only the two kinds above are ever built here.
                    Tpdu::Submit(_) => Ok(()),
                };
            }
        };
        if mode != 0 {
            if is_report && ds == 2 {
                self.urc(vec![format!("+CDSI: \"{mem}\",{index}")]);
            } else if !is_report && mt != 0 {
                self.urc(vec![format!("+CMTI: \"{mem}\",{index}")]);
            }
        }
        Ok(())
    }

    /// Sends the next routed message if none waits for `+CNMA`.
    pub(super) fn pump_routes(&mut self, now: Instant) {
        while self.ack.is_none() && matches!(self.mode, Mode::Command) {
            let Some(item) = self.route_queue.pop_front() else { return };
            let lines = self.routed_lines(&item);
            self.send_urc(&lines);
            if self.s.csms == 1 {
                self.ack = Some(AckWait { deadline: later(now, self.timing.cnma_timeout), item });
            }
        }
    }

    pub(crate) fn smsc_address(&self) -> Option<Address> {
        let (number, _) = &self.sim.smsc;
        Address::phone(number).ok()
    }

    pub(super) fn effective_capacity(&self, storage: &Storage) -> u32 {
        if self.faults.storage_full {
            storage.used()
        } else {
            storage.capacity()
        }
    }

    pub(super) fn storage_full(&self, mem: &str) -> bool {
        self.storages.get(mem).is_none_or(|s| s.used() >= self.effective_capacity(s))
    }
}
