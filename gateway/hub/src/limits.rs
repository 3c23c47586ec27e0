//! Abuse limits: a small keyed token bucket per kind of request (code
//! requests per number and per source address, code attempts per number,
//! directory look-ups and sends per device).
//!
//! Each key's bucket holds up to `count` tokens and refills at `count`
//! per `per`; a request takes one, and without one it is refused with the
//! wait until the next. The buckets live in memory: a restart forgets
//! them, and several hub nodes each count on their own. That is enough
//! for what they guard: the durable bounds are in the store (a code's 5
//! attempts, the daily verification-SMS budget). Time comes from the
//! hub's [`crate::Clock`], so tests move it.
//!
//! Memory is bounded: past [`MAX_KEYS`] keys, full buckets (which say
//! nothing a fresh one would not) are dropped, and if that is not enough
//! the map starts over. An attacker who can make that happen spends the
//! SMS budget long before, which is the bound that matters.

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// Keys kept per limiter before pruning.
pub const MAX_KEYS: usize = 50_000;

/// `count` requests per `per`, in bursts of up to `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub count: u32,
    pub per: Duration,
}

impl Rate {
    pub const fn new(count: u32, per: Duration) -> Rate {
        Rate { count, per }
    }

    /// Parses `5/h`, `20/10m`, `60/1m`: a count, `/`, and a duration
    /// (`ms`, `s`, `m`, `h`, `d`; a unit alone means one of it).
    pub fn parse(text: &str) -> Result<Rate, String> {
        let bad = || format!("`{text}` is not a rate: write a count per duration, e.g. \"5/h\"");
        let (count, per) = text.trim().split_once('/').ok_or_else(bad)?;
        let count: u32 = count.trim().parse().map_err(|_| bad())?;
        let per = per.trim();
        let split = per.find(|c: char| !c.is_ascii_digit()).unwrap_or(per.len());
        let (digits, unit) = per.split_at(split);
        let n: u64 = if digits.is_empty() { 1 } else { digits.parse().map_err(|_| bad())? };
        let unit_ms: u64 = match unit {
            "ms" => 1,
            "s" | "" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            _ => return Err(bad()),
        };
        let per = Duration::from_millis(n.checked_mul(unit_ms).ok_or_else(bad)?);
        if count == 0 || per.is_zero() {
            return Err(format!("`{text}`: the count and the duration must be above zero"));
        }
        Ok(Rate { count, per })
    }

    fn refill_per_sec(self) -> f64 {
        f64::from(self.count) / self.per.as_secs_f64()
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}s", self.count, self.per.as_secs_f64())
    }
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at: SystemTime,
}

/// A token bucket per key.
#[derive(Debug)]
pub struct Limiter<K> {
    rate: Rate,
    buckets: Mutex<HashMap<K, Bucket>>,
}

impl<K: Eq + Hash + Clone> Limiter<K> {
    pub fn new(rate: Rate) -> Limiter<K> {
        Limiter { rate, buckets: Mutex::new(HashMap::new()) }
    }

    pub fn rate(&self) -> Rate {
        self.rate
    }

    /// Takes a token for `key`, or says how long until there is one.
    pub fn check(&self, key: &K, now: SystemTime) -> Result<(), Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() >= MAX_KEYS && !buckets.contains_key(key) {
            self.prune(&mut buckets, now);
        }
        let capacity = f64::from(self.rate.count);
        let refill = self.rate.refill_per_sec();
        let bucket = buckets.entry(key.clone()).or_insert(Bucket { tokens: capacity, at: now });
        // A clock set back refills nothing (and takes nothing away).
        let elapsed = now.duration_since(bucket.at).unwrap_or(Duration::ZERO);
        bucket.tokens = (bucket.tokens + elapsed.as_secs_f64() * refill).min(capacity);
        bucket.at = now.max(bucket.at);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / refill))
        }
    }

    /// Forgets `key`'s use, e.g. after a successful verification.
    pub fn reset(&self, key: &K) {
        self.buckets.lock().unwrap_or_else(PoisonError::into_inner).remove(key);
    }

    fn prune(&self, buckets: &mut HashMap<K, Bucket>, now: SystemTime) {
        let capacity = f64::from(self.rate.count);
        let refill = self.rate.refill_per_sec();
        buckets.retain(|_, b| {
            let elapsed = now.duration_since(b.at).unwrap_or(Duration::ZERO);
            b.tokens + elapsed.as_secs_f64() * refill < capacity
        });
        if buckets.len() >= MAX_KEYS {
            tracing::warn!(keys = buckets.len(), "a rate limiter is full; starting it over");
            buckets.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000 + secs)
    }

    #[test]
    fn rates_parse() {
        let table = [
            ("5/h", Some((5, 3_600_000))),
            ("20/10m", Some((20, 600_000))),
            (" 60 / 1m ", Some((60, 60_000))),
            ("3/500ms", Some((3, 500))),
            ("1/d", Some((1, 86_400_000))),
            ("0/h", None),
            ("5", None),
            ("5/y", None),
            ("x/h", None),
            ("5/0s", None),
        ];
        for (text, want) in table {
            let got = Rate::parse(text).ok().map(|r| (r.count, r.per.as_millis() as u64));
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn a_bucket_empties_refills_and_says_when() {
        let limiter = Limiter::new(Rate::new(3, Duration::from_secs(60)));
        let key = "+31612345678".to_owned();
        for _ in 0..3 {
            assert_eq!(limiter.check(&key, at(0)), Ok(()));
        }
        let wait = limiter.check(&key, at(0)).unwrap_err();
        assert_eq!(wait.as_secs(), 20);
        // Other keys have their own bucket.
        assert_eq!(limiter.check(&"other".to_owned(), at(0)), Ok(()));
        // One token back after 20 s, not two.
        assert_eq!(limiter.check(&key, at(20)), Ok(()));
        assert!(limiter.check(&key, at(20)).is_err());
        // A clock set back neither refills nor panics.
        assert!(limiter.check(&key, at(10)).is_err());
        limiter.reset(&key);
        assert_eq!(limiter.check(&key, at(20)), Ok(()));
    }

    #[test]
    fn full_buckets_are_pruned_first() {
        let limiter = Limiter::new(Rate::new(1, Duration::from_secs(1)));
        for i in 0..MAX_KEYS {
            let _ = limiter.check(&i, at(0));
        }
        // A minute later every bucket is full again and can go.
        assert_eq!(limiter.check(&usize::MAX, at(60)), Ok(()));
        assert_eq!(limiter.buckets.lock().unwrap().len(), 1);
    }
}
