//! [`Clock`]: where every time decision of the hub reads the time, and
//! how its timers wait. [`SystemClock`] is the wall clock; [`ManualClock`]
//! stands still until a test moves it, and wakes the timers that a move
//! makes due, so retention and fallback can be tested without waiting.
//!
//! Times are [`SystemTime`]s because they are stored and put on the wire
//! (`created_at`, `expires_at`) as milliseconds since the epoch.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;

/// A boxed future, as [`Clock::sleep_until`] returns.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// The hub's source of time.
pub trait Clock: Send + Sync + 'static {
    /// Now.
    fn now(&self) -> SystemTime;

    /// Resolves once [`Clock::now`] has reached `deadline` (at once if it
    /// has). A timer should still re-read the clock when it wakes: the
    /// system clock may have been set back meanwhile.
    fn sleep_until(&self, deadline: SystemTime) -> Sleep;
}

/// Milliseconds since the epoch, the protocol's time unit (0 before it).
pub fn millis(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The instant of a millisecond count (the epoch for negative ones).
pub fn from_millis(ms: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

/// The UTC day of `t` (for the daily verification-SMS budget), and the
/// next UTC midnight after it.
pub fn utc_day(t: SystemTime) -> (bubblegate_store::Day, SystemTime) {
    use bubblegate_store::calendar;
    (calendar::utc_day(t), calendar::next_utc_midnight(t))
}

/// The wall clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

/// The longest one system-clock sleep lasts before it looks at the clock
/// again, so that a clock set forward is noticed within this bound.
const SYSTEM_SLEEP_BOUND: Duration = Duration::from_secs(300);

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep_until(&self, deadline: SystemTime) -> Sleep {
        Box::pin(async move {
            loop {
                let Ok(left) = deadline.duration_since(SystemTime::now()) else { return };
                if left.is_zero() {
                    return;
                }
                tokio::time::sleep(left.min(SYSTEM_SLEEP_BOUND)).await;
            }
        })
    }
}

/// A clock that moves only when told to. Cloning shares the time.
#[derive(Clone, Debug)]
pub struct ManualClock {
    now: Arc<Mutex<SystemTime>>,
    moved: watch::Sender<SystemTime>,
}

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: SystemTime) -> ManualClock {
        ManualClock { now: Arc::new(Mutex::new(start)), moved: watch::channel(start).0 }
    }

    /// A clock standing at the current wall-clock time (rounded down to
    /// the millisecond, as stored times are).
    pub fn starting_now() -> ManualClock {
        ManualClock::new(from_millis(millis(SystemTime::now())))
    }

    /// Moves the clock forward by `by` and wakes the sleepers now due.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
        self.moved.send_replace(*now);
    }

    /// Sets the clock (backwards too).
    pub fn set(&self, to: SystemTime) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now = to;
        self.moved.send_replace(to);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn sleep_until(&self, deadline: SystemTime) -> Sleep {
        let mut moved = self.moved.subscribe();
        let clock = self.clone();
        Box::pin(async move {
            while clock.now() < deadline {
                if moved.changed().await.is_err() {
                    // The clock is gone: nothing will ever move it again.
                    std::future::pending::<()>().await;
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_manual_sleep_ends_when_the_clock_gets_there() {
        let start = UNIX_EPOCH + Duration::from_secs(1_000);
        let clock = ManualClock::new(start);
        let mut sleep = clock.sleep_until(start + Duration::from_secs(10));
        let poll = |s: &mut Sleep| {
            let waker = std::task::Waker::noop();
            let mut cx = std::task::Context::from_waker(waker);
            s.as_mut().poll(&mut cx).is_ready()
        };
        assert!(!poll(&mut sleep));
        clock.advance(Duration::from_secs(5));
        tokio::task::yield_now().await;
        assert!(!poll(&mut sleep));
        clock.advance(Duration::from_secs(5));
        tokio::time::timeout(Duration::from_secs(5), sleep).await.expect("woken when due");
        // A deadline in the past does not wait.
        clock.sleep_until(start).await;
    }

    #[test]
    fn utc_days_and_midnights() {
        // 2024-02-29T23:59:59Z
        let t = UNIX_EPOCH + Duration::from_secs(1_709_251_199);
        let (day, midnight) = utc_day(t);
        assert_eq!(day, bubblegate_store::Day::new(2024, 2, 29).unwrap());
        assert_eq!(midnight, UNIX_EPOCH + Duration::from_secs(1_709_251_200));
        assert_eq!(utc_day(midnight).0, bubblegate_store::Day::new(2024, 3, 1).unwrap());
    }

    #[test]
    fn millis_round_trip() {
        let t = UNIX_EPOCH + Duration::from_millis(1_763_750_000_123);
        assert_eq!(millis(t), 1_763_750_000_123);
        assert_eq!(from_millis(millis(t)), t);
        assert_eq!(from_millis(-5), UNIX_EPOCH);
    }
}
