//! Message storages (TS 27.005 3.1 `<mem1>`..`<mem3>`, 3.2.2 `+CPMS`): the
//! SIM's `SM` and the modem's own `ME`, each a numbered set of slots with a
//! capacity. Stored messages survive reboots, as they do on real cards.

use std::collections::BTreeMap;

use bubblegate_sms::Pdu;

/// `<stat>` of a stored message (TS 27.005 3.1): numbers in PDU mode,
/// strings in text mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Stat {
    RecUnread = 0,
    RecRead = 1,
    StoUnsent = 2,
    StoSent = 3,
}

impl Stat {
    pub(crate) fn code(self) -> u8 {
        self as u8
    }

    pub(crate) fn text(self) -> &'static str {
        match self {
            Stat::RecUnread => "REC UNREAD",
            Stat::RecRead => "REC READ",
            Stat::StoUnsent => "STO UNSENT",
            Stat::StoSent => "STO SENT",
        }
    }

    pub(crate) fn from_code(code: u32) -> Option<Stat> {
        match code {
            0 => Some(Stat::RecUnread),
            1 => Some(Stat::RecRead),
            2 => Some(Stat::StoUnsent),
            3 => Some(Stat::StoSent),
            _ => None,
        }
    }

    pub(crate) fn from_text(text: &str) -> Option<Stat> {
        [Stat::RecUnread, Stat::RecRead, Stat::StoUnsent, Stat::StoSent]
            .into_iter()
            .find(|s| s.text().eq_ignore_ascii_case(text))
    }
}

/// Which messages `+CMGL` lists: one `<stat>`, or all (4 / `"ALL"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Filter {
    Only(Stat),
    All,
}

impl Filter {
    fn admits(self, stat: Stat) -> bool {
        match self {
            Filter::Only(s) => s == stat,
            Filter::All => true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stored {
    pub stat: Stat,
    /// The SMSC address and the TPDU: a DELIVER or STATUS-REPORT received,
    /// or a SUBMIT written with `+CMGW`.
    pub pdu: Pdu,
}

#[derive(Debug, Clone)]
pub(crate) struct Storage {
    capacity: u32,
    slots: BTreeMap<u32, Stored>,
}

/// The first index of every storage. Vendors differ (some count from 0);
/// the profiles do not say which, so the simulator uses 1 throughout.
pub(crate) const FIRST_INDEX: u32 = 1;

impl Storage {
    pub(crate) fn new(capacity: u32) -> Self {
        Storage { capacity, slots: BTreeMap::new() }
    }

    pub(crate) fn used(&self) -> u32 {
        self.slots.len() as u32
    }

    pub(crate) fn capacity(&self) -> u32 {
        self.capacity
    }

    /// Whether `index` names a slot of this storage, used or not.
    pub(crate) fn in_range(&self, index: u32) -> bool {
        (FIRST_INDEX..FIRST_INDEX.saturating_add(self.capacity)).contains(&index)
    }

    /// Stores in the lowest free slot; gives the message back when full.
    pub(crate) fn insert(&mut self, stored: Stored) -> Result<u32, Box<Stored>> {
        match (FIRST_INDEX..FIRST_INDEX.saturating_add(self.capacity))
            .find(|i| !self.slots.contains_key(i))
        {
            Some(index) => {
                self.slots.insert(index, stored);
                Ok(index)
            }
            None => Err(Box::new(stored)),
        }
    }

    pub(crate) fn get(&self, index: u32) -> Option<&Stored> {
        self.slots.get(&index)
    }

    pub(crate) fn get_mut(&mut self, index: u32) -> Option<&mut Stored> {
        self.slots.get_mut(&index)
    }

    pub(crate) fn remove(&mut self, index: u32) -> Option<Stored> {
        self.slots.remove(&index)
    }

    /// `+CMGD` `<delflag>` 1 to 4 (TS 27.005 3.5.4): 1 every read message,
    /// 2 also sent ones, 3 also unsent ones, 4 everything.
    pub(crate) fn delete_by_flag(&mut self, flag: u32) {
        self.slots.retain(|_, m| match flag {
            1 => m.stat != Stat::RecRead,
            2 => !matches!(m.stat, Stat::RecRead | Stat::StoSent),
            3 => !matches!(m.stat, Stat::RecRead | Stat::StoSent | Stat::StoUnsent),
            4 => false,
            _ => true,
        });
    }

    /// Indexes of the messages `filter` admits, in order.
    pub(crate) fn list(&self, filter: Filter) -> Vec<u32> {
        self.slots.iter().filter(|(_, m)| filter.admits(m.stat)).map(|(i, _)| *i).collect()
    }

    /// Every used index, in order.
    pub(crate) fn indexes(&self) -> Vec<u32> {
        self.slots.keys().copied().collect()
    }
}
