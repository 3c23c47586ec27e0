//! Calendar arithmetic that the standard library lacks, for the counters
//! kept per UTC day and month (SIM quotas, the SMS budget, the hub's
//! verification budget): the UTC day and month of an instant, the next UTC
//! midnight and month, and day counts from dates. Days are counted with
//! Howard Hinnant's `days_from_civil` and `civil_from_days`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::model::{Day, Month};

/// Seconds in a UTC day (no leap seconds, as Unix time counts).
pub const DAY: u64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn epoch_days(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() / DAY) as i64,
        Err(_) => 0,
    }
}

/// The UTC day of `t`, for quota counters. Times outside years 1000 to
/// 9999 (a clock gone mad) count as 1970-01-01.
pub fn utc_day(t: SystemTime) -> Day {
    let (y, m, d) = civil_from_days(epoch_days(t));
    u16::try_from(y)
        .ok()
        .and_then(|y| Day::new(y, m as u8, d as u8))
        .or_else(|| Day::new(1970, 1, 1))
        // Proven: 1970-01-01 is a date with a four-digit year.
        .expect("1970-01-01 is a valid day")
}

/// The UTC month of `t`.
pub fn utc_month(t: SystemTime) -> Month {
    utc_day(t).month()
}

/// The next UTC midnight after `t`, when daily quotas start over.
pub fn next_utc_midnight(t: SystemTime) -> SystemTime {
    let days = epoch_days(t).max(0) as u64 + 1;
    UNIX_EPOCH + Duration::from_secs(days * DAY)
}

/// The first instant of the next UTC month after `t`.
pub fn next_utc_month(t: SystemTime) -> SystemTime {
    let (y, m, _) = civil_from_days(epoch_days(t));
    let (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let days = days_from_civil(y, m, 1).max(0) as u64;
    UNIX_EPOCH + Duration::from_secs(days * DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn days_round_trip() {
        for days in [-800_000, -1, 0, 1, 11_016, 19_782, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn utc_days_and_midnights() {
        // 2024-02-29T23:59:59Z
        let t = at(1_709_251_199);
        assert_eq!(utc_day(t), Day::new(2024, 2, 29).unwrap());
        assert_eq!(next_utc_midnight(t), at(1_709_251_200));
        assert_eq!(utc_day(at(1_709_251_200)), Day::new(2024, 3, 1).unwrap());
        assert_eq!(next_utc_month(t), at(1_709_251_200));
        // 2024-12-15 → 2025-01-01
        assert_eq!(next_utc_month(at(1_734_220_800)), at(1_735_689_600));
    }
}
