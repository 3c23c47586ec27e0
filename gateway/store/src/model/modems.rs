//! Modems, SIMs and quota periods.

use std::time::SystemTime;

use super::{Iccid, ModemId, NodeId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModemRecord {
    pub id: ModemId,
    /// The profile name it resolved to.
    pub profile: String,
    pub imei: Option<String>,
    /// The node whose port the modem is on.
    pub node: NodeId,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimRecord {
    pub iccid: Iccid,
    pub imsi: Option<String>,
    /// The SIM's own number, when known (`+CNUM` or config).
    pub msisdn: Option<String>,
    /// The modem it sits in now.
    pub modem: Option<ModemId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Modem {
    pub record: ModemRecord,
    pub first_seen_at: SystemTime,
    pub last_seen_at: SystemTime,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sim {
    pub record: SimRecord,
    pub first_seen_at: SystemTime,
    pub last_seen_at: SystemTime,
}

/// A calendar day in the SIM's billing time zone, which the caller
/// applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    year: u16,
    month: u8,
    day: u8,
}

/// A calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: u16,
    month: u8,
}

impl Day {
    /// `None` unless the date exists in the proleptic Gregorian calendar
    /// with a four-digit year.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Day> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1000..=9999).contains(&year) && (1..=days).contains(&day)).then_some(Day {
            year,
            month,
            day,
        })
    }

    pub fn month(self) -> Month {
        Month { year: self.year, month: self.month }
    }

    /// `yyyymmdd`, the stored form, which sorts like the days.
    pub(crate) fn key(self) -> i64 {
        i64::from(self.year) * 10_000 + i64::from(self.month) * 100 + i64::from(self.day)
    }
}

impl Month {
    pub fn new(year: u16, month: u8) -> Option<Month> {
        Day::new(year, month, 1).map(Day::month)
    }

    /// The first and last day keys of the month, inclusive.
    pub(crate) fn key_range(self) -> (i64, i64) {
        let base = i64::from(self.year) * 10_000 + i64::from(self.month) * 100;
        (base + 1, base + 31)
    }
}

/// Segments counted against a SIM's quotas.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub day: u64,
    pub month: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_real_dates() {
        assert!(Day::new(2024, 2, 29).is_some());
        assert!(Day::new(2023, 2, 29).is_none());
        assert!(Day::new(2100, 2, 29).is_none());
        assert!(Day::new(2000, 2, 29).is_some());
        assert!(Day::new(2024, 13, 1).is_none());
        assert!(Day::new(2024, 4, 31).is_none());
        assert_eq!(Day::new(2024, 3, 9).unwrap().key(), 20240309);
        assert_eq!(Month::new(2024, 3).unwrap().key_range(), (20240301, 20240331));
    }
}
