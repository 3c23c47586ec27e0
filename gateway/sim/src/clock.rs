//! Calendar time without a clock: SMS time stamps (TP-SCTS, TP-DT) count on
//! from a configured start, by the `Instant`s the caller passes in.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bubblegate_sms::Timestamp;

#[derive(Debug, Clone)]
pub(crate) struct Clock {
    unix_at_start: u64,
    tz_quarters: i8,
    /// The first `now` seen; calendar time is `unix_at_start` there.
    anchor: Option<Instant>,
}

impl Clock {
    pub(crate) fn new(unix_at_start: u64, tz_quarters: i8) -> Self {
        Clock { unix_at_start, tz_quarters: tz_quarters.clamp(-79, 79), anchor: None }
    }

    /// Fixes the anchor at the first call; later calls leave it.
    pub(crate) fn observe(&mut self, now: Instant) {
        self.anchor.get_or_insert(now);
    }

    fn elapsed(&self, now: Instant) -> Duration {
        self.anchor.map(|a| now.saturating_duration_since(a)).unwrap_or_default()
    }

    /// Seconds since 1970 (UTC) at `now`.
    pub(crate) fn unix(&self, now: Instant) -> u64 {
        self.unix_at_start.saturating_add(self.elapsed(now).as_secs())
    }

    /// `now` as a `SystemTime`, for the codec's reassembler. Built from the
    /// configured start, not read from the system.
    pub(crate) fn system_time(&self, now: Instant) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.unix_at_start) + self.elapsed(now)
    }

    /// The `Instant` of a `SystemTime` from [`Clock::system_time`]; `None`
    /// before the anchor is known.
    pub(crate) fn instant_of(&self, t: SystemTime) -> Option<Instant> {
        let anchor = self.anchor?;
        let start = UNIX_EPOCH + Duration::from_secs(self.unix_at_start);
        Some(match t.duration_since(start) {
            Ok(after) => anchor + after,
            Err(_) => anchor,
        })
    }

    /// The local time stamp at `now`, in the configured zone.
    pub(crate) fn timestamp(&self, now: Instant) -> Timestamp {
        let offset = i64::from(self.tz_quarters) * 15 * 60;
        let local = (self.unix(now) as i64).saturating_add(offset).max(0) as u64;
        let days = local / 86_400;
        let secs = local % 86_400;
        let (year, month, day) = civil_from_days(days as i64);
        Timestamp {
            // TP-SCTS holds two year digits; the codec reads 00-89 as
            // 2000-2089, so keep the year in that window.
            year: year.clamp(2000, 2089) as u16,
            month,
            day,
            hour: (secs / 3600) as u8,
            minute: (secs % 3600 / 60) as u8,
            second: (secs % 60) as u8,
            tz_quarters: self.tz_quarters,
        }
    }
}

/// The longest wait the core schedules; longer configured or injected
/// durations are cut to it, so that no `Instant` arithmetic overflows.
const MAX_WAIT: Duration = Duration::from_secs(10 * 365 * 24 * 3600);

/// `now + d`, saturating: never panics, whatever `d` is.
pub(crate) fn later(now: Instant, d: Duration) -> Instant {
    now.checked_add(d.min(MAX_WAIT)).unwrap_or(now)
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `yy/MM/dd,hh:mm:ss±zz`, the text-mode time stamp of TS 27.005 3.1
/// (`<scts>`, `<dt>`), without the quotes.
pub(crate) fn text_timestamp(ts: &Timestamp) -> String {
    let sign = if ts.tz_quarters < 0 { '-' } else { '+' };
    format!(
        "{:02}/{:02}/{:02},{:02}:{:02}:{:02}{sign}{:02}",
        ts.year % 100,
        ts.month,
        ts.day,
        ts.hour,
        ts.minute,
        ts.second,
        ts.tz_quarters.unsigned_abs()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_of_2025_in_cet() {
        let t0 = Instant::now();
        let mut clock = Clock::new(1_735_689_600, 4);
        clock.observe(t0);
        let ts = clock.timestamp(t0 + Duration::from_secs(3661));
        assert_eq!(text_timestamp(&ts), "25/01/01,02:01:01+04");
    }

    #[test]
    fn leap_day() {
        // 2024-02-29T12:00:00Z.
        let t0 = Instant::now();
        let mut clock = Clock::new(1_709_208_000, 0);
        clock.observe(t0);
        assert_eq!(text_timestamp(&clock.timestamp(t0)), "24/02/29,12:00:00+00");
    }
}
