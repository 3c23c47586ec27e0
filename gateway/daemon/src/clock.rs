//! Time for the daemon: the calendar of quotas and budgets (from the
//! store's [`bubblegate_store::calendar`]), and an SMS time stamp (SCTS,
//! local time with an offset) as an instant.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bubblegate_sms::Timestamp;
use bubblegate_store::calendar::{days_from_civil, DAY};
pub use bubblegate_store::calendar::{next_utc_midnight, next_utc_month, utc_day, utc_month};

/// An SMS time stamp as an instant: its local time less its offset.
pub fn scts_instant(ts: &Timestamp) -> SystemTime {
    let days = days_from_civil(i64::from(ts.year), u32::from(ts.month), u32::from(ts.day));
    let local = days * DAY as i64
        + i64::from(ts.hour) * 3600
        + i64::from(ts.minute) * 60
        + i64::from(ts.second);
    let utc = local - i64::from(ts.offset_seconds());
    if utc >= 0 {
        UNIX_EPOCH + Duration::from_secs(utc as u64)
    } else {
        UNIX_EPOCH - Duration::from_secs(utc.unsigned_abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn scts_takes_off_its_offset() {
        let ts = Timestamp {
            year: 2002,
            month: 8,
            day: 26,
            hour: 19,
            minute: 37,
            second: 41,
            tz_quarters: 8,
        };
        // 19:37:41+02:00 is 17:37:41Z.
        assert_eq!(scts_instant(&ts), at(1_030_383_461));
    }
}
