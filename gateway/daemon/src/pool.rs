//! The modem pool: every configured modem with its handle, its SIM's
//! sending limits (a token bucket in segments per minute, daily and
//! monthly quotas counted in the store) and its current load, and the
//! routing rules that choose a modem for a destination.
//!
//! Work reaches modems by pull: each modem's outbox worker claims the next
//! part while its modem is ready and within its limits, so an idle modem
//! takes work at once and a busy or dead one takes none (least loaded and
//! failover by construction). Destination prefixes and stickiness are
//! preferences on top: a worker that claimed the first part of a message
//! that another modem should send (the recipient's usual sender, or a
//! modem configured for the destination's prefix) hands it back once, if
//! that modem is ready, idle and within its limits, and wakes it.
//!
//! Invariant: a part is handed back at most once, so routing can never
//! keep a part from being sent.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bubblegate_modem::{ModemHandle, ModemId};
use bubblegate_store::{Day, Iccid, Usage};
use tokio::sync::Notify;

use crate::clock::{next_utc_midnight, next_utc_month, utc_day};
use crate::config::{Limits, ModemSettings};

/// Recipients remembered for stickiness; the oldest are forgotten first.
const STICKY_ENTRIES: usize = 10_000;
/// Parts remembered as handed back once.
const HANDED_BACK: usize = 10_000;

/// Whether a modem may take a part now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capacity {
    Now,
    /// Not before this time (rate limit or quota).
    At(SystemTime),
}

/// A token bucket: `per_minute` segments a minute, at most a minute's
/// worth saved up.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    per_minute: u32,
    tokens: f64,
    updated: SystemTime,
}

impl RateLimiter {
    pub fn new(per_minute: u32, now: SystemTime) -> Self {
        RateLimiter { per_minute, tokens: f64::from(per_minute), updated: now }
    }

    fn refill(&mut self, now: SystemTime) {
        let elapsed = now.duration_since(self.updated).unwrap_or(Duration::ZERO);
        let rate = f64::from(self.per_minute) / 60.0;
        self.tokens = (self.tokens + elapsed.as_secs_f64() * rate).min(f64::from(self.per_minute));
        self.updated = now;
    }

    /// When the next segment may go.
    pub fn capacity(&mut self, now: SystemTime) -> Capacity {
        self.refill(now);
        if self.tokens >= 1.0 {
            Capacity::Now
        } else {
            let rate = f64::from(self.per_minute) / 60.0;
            let wait = (1.0 - self.tokens) / rate;
            Capacity::At(now + Duration::from_secs_f64(wait.max(0.001)))
        }
    }

    /// Takes one segment.
    pub fn take(&mut self, now: SystemTime) {
        self.refill(now);
        self.tokens -= 1.0;
    }
}

/// Quota use as last read from or written to the store.
#[derive(Debug, Clone, Copy)]
struct Used {
    day: Option<Day>,
    usage: Usage,
}

/// One modem of the pool.
#[derive(Debug)]
pub struct PoolModem {
    pub id: ModemId,
    pub handle: ModemHandle,
    /// The SIM the modem's work is counted against.
    pub sim: Iccid,
    /// The SIM's own number, when configured.
    pub number: Option<String>,
    pub limits: Limits,
    pub prefixes: Vec<String>,
    limiter: Mutex<Option<RateLimiter>>,
    used: Mutex<Used>,
    in_flight: AtomicU32,
    /// Wakes this modem's outbox worker (a hand-back for it).
    pub wake: Notify,
}

impl PoolModem {
    pub fn new(settings: &ModemSettings, handle: ModemHandle, sim: Iccid, now: SystemTime) -> Self {
        PoolModem {
            id: settings.id.clone(),
            handle,
            sim,
            number: settings.number.clone(),
            limits: settings.limits,
            prefixes: settings.destination_prefixes.clone(),
            limiter: Mutex::new(settings.limits.per_minute.map(|n| RateLimiter::new(n.get(), now))),
            used: Mutex::new(Used { day: None, usage: Usage::default() }),
            in_flight: AtomicU32::new(0),
            wake: Notify::new(),
        }
    }

    pub fn is_ready(&self) -> bool {
        self.handle.status().state.is_ready()
    }

    pub fn is_idle(&self) -> bool {
        self.in_flight.load(Ordering::SeqCst) == 0
    }

    /// Marks a part in flight until the guard drops.
    pub fn busy(&self) -> Busy<'_> {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        Busy(&self.in_flight)
    }

    /// Records the store's count of segments sent today and this month.
    pub fn set_usage(&self, now: SystemTime, usage: Usage) {
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        *used = Used { day: Some(utc_day(now)), usage };
    }

    /// Segments sent today and this month, as last recorded.
    pub fn usage(&self, now: SystemTime) -> Usage {
        let used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        match used.day {
            Some(day) if day == utc_day(now) => used.usage,
            Some(day) if day.month() == utc_day(now).month() => {
                Usage { day: 0, month: used.usage.month }
            }
            _ => Usage::default(),
        }
    }

    /// Whether the modem's limits let it send a segment now.
    pub fn capacity(&self, now: SystemTime) -> Capacity {
        let usage = self.usage(now);
        if self.limits.monthly.is_some_and(|quota| usage.month >= quota) {
            return Capacity::At(next_utc_month(now));
        }
        if self.limits.daily.is_some_and(|quota| usage.day >= quota) {
            return Capacity::At(next_utc_midnight(now));
        }
        let mut limiter = self.limiter.lock().unwrap_or_else(|p| p.into_inner());
        match limiter.as_mut() {
            Some(limiter) => limiter.capacity(now),
            None => Capacity::Now,
        }
    }

    /// Takes a segment from the rate limit (the quotas count in the store).
    pub fn take(&self, now: SystemTime) {
        let mut limiter = self.limiter.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(limiter) = limiter.as_mut() {
            limiter.take(now);
        }
    }

    pub fn quota_left(&self, now: SystemTime) -> bool {
        matches!(self.capacity(now), Capacity::Now)
    }
}

/// Decrements the in-flight count when dropped.
pub struct Busy<'a>(&'a AtomicU32);

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What the routing rules say about a claimed first part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Send it from the modem that claimed it.
    Here,
    /// Hand it back for this modem, which is ready, idle and within its
    /// limits.
    HandTo(ModemId),
}

/// The pool.
#[derive(Debug, Default)]
pub struct Pool {
    modems: Vec<Arc<PoolModem>>,
    sticky: Mutex<Sticky>,
    handed_back: Mutex<(HashSet<i64>, VecDeque<i64>)>,
}

#[derive(Debug, Default)]
struct Sticky {
    by_destination: HashMap<String, ModemId>,
    order: VecDeque<String>,
}

impl Pool {
    pub fn new(modems: Vec<Arc<PoolModem>>) -> Self {
        Pool { modems, ..Pool::default() }
    }

    pub fn modems(&self) -> &[Arc<PoolModem>] {
        &self.modems
    }

    pub fn get(&self, id: &ModemId) -> Option<&Arc<PoolModem>> {
        self.modems.iter().find(|m| &m.id == id)
    }

    pub fn ready_count(&self) -> usize {
        self.modems.iter().filter(|m| m.is_ready()).count()
    }

    /// Remembers that `modem` sent to `destination`.
    pub fn remember(&self, destination: &str, modem: &ModemId) {
        let mut sticky = self.sticky.lock().unwrap_or_else(|p| p.into_inner());
        if sticky.by_destination.insert(destination.to_owned(), modem.clone()).is_none() {
            sticky.order.push_back(destination.to_owned());
            if sticky.order.len() > STICKY_ENTRIES {
                if let Some(old) = sticky.order.pop_front() {
                    sticky.by_destination.remove(&old);
                }
            }
        }
    }

    /// The modem the recipient last got messages from.
    pub fn usual_sender(&self, destination: &str) -> Option<ModemId> {
        let sticky = self.sticky.lock().unwrap_or_else(|p| p.into_inner());
        sticky.by_destination.get(destination).cloned()
    }

    /// Where the first part `part` of a message to `destination`, claimed
    /// by `here`, should go. Hands back at most once per part.
    pub fn route(&self, part: i64, destination: &str, here: &ModemId, now: SystemTime) -> Route {
        let candidates: Vec<Candidate<'_>> = self
            .modems
            .iter()
            .map(|m| Candidate {
                id: &m.id,
                prefixes: &m.prefixes,
                available: m.is_ready() && m.is_idle() && m.quota_left(now),
                day_use: m.usage(now).day,
            })
            .collect();
        let usual = self.usual_sender(destination);
        let Some(target) = route_choice(&candidates, destination, here, usual.as_ref()) else {
            return Route::Here;
        };
        let mut handed = self.handed_back.lock().unwrap_or_else(|p| p.into_inner());
        if !handed.0.insert(part) {
            return Route::Here;
        }
        handed.1.push_back(part);
        if handed.1.len() > HANDED_BACK {
            if let Some(old) = handed.1.pop_front() {
                handed.0.remove(&old);
            }
        }
        Route::HandTo(target)
    }
}

/// A modem as the routing rule sees it.
#[derive(Debug, Clone)]
struct Candidate<'a> {
    id: &'a ModemId,
    prefixes: &'a [String],
    /// Ready, idle and within its limits.
    available: bool,
    day_use: u64,
}

impl Candidate<'_> {
    fn serves_prefix_of(&self, destination: &str) -> bool {
        self.prefixes.iter().any(|p| destination.starts_with(p.as_str()))
    }
}

/// The routing rule, pure. When some modem is configured for the
/// destination's prefix, only such modems count as preferred. The
/// recipient's usual sender wins if it is another available, preferred
/// modem; else, when `here` is not preferred but another available modem
/// is, the least used of those. `None`: send from `here`.
fn route_choice(
    modems: &[Candidate<'_>],
    destination: &str,
    here: &ModemId,
    usual: Option<&ModemId>,
) -> Option<ModemId> {
    let here_modem = modems.iter().find(|m| m.id == here)?;
    let by_prefix = modems.iter().any(|m| m.serves_prefix_of(destination));
    let preferred = |m: &Candidate<'_>| !by_prefix || m.serves_prefix_of(destination);
    if let Some(usual) = usual.filter(|u| *u != here) {
        if let Some(m) = modems.iter().find(|m| m.id == usual) {
            if m.available && preferred(m) {
                return Some(m.id.clone());
            }
        }
    }
    if preferred(here_modem) {
        return None;
    }
    modems
        .iter()
        .filter(|m| m.id != here && m.available && preferred(m))
        .min_by_key(|m| m.day_use)
        .map(|m| m.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_bucket_spaces_segments() {
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut bucket = RateLimiter::new(6, t0);
        for _ in 0..6 {
            assert_eq!(bucket.capacity(t0), Capacity::Now);
            bucket.take(t0);
        }
        // 6 a minute: one every 10 s.
        match bucket.capacity(t0) {
            Capacity::At(t) => {
                let wait = t.duration_since(t0).unwrap();
                assert!((9_900..=10_100).contains(&wait.as_millis()), "{wait:?}");
            }
            Capacity::Now => panic!("bucket should be empty"),
        }
        assert_eq!(bucket.capacity(t0 + Duration::from_secs(10)), Capacity::Now);
        // Never more than a minute's worth saved.
        let later = t0 + Duration::from_secs(3600);
        for _ in 0..6 {
            bucket.take(later);
        }
        assert!(matches!(bucket.capacity(later), Capacity::At(_)));
    }

    #[test]
    fn routing_prefers_the_usual_sender_then_the_prefix() {
        let ids: Vec<ModemId> = ["a", "b", "c"].iter().map(|i| ModemId::new(*i).unwrap()).collect();
        let nl = vec!["+31".to_owned()];
        let none: Vec<String> = Vec::new();
        let build = |spec: &[(usize, bool, bool, u64)]| -> Vec<(ModemId, Vec<String>, bool, u64)> {
            spec.iter()
                .map(|&(i, nl_only, available, day_use)| {
                    (
                        ids[i].clone(),
                        if nl_only { nl.clone() } else { none.clone() },
                        available,
                        day_use,
                    )
                })
                .collect()
        };
        let check = |spec: &[(usize, bool, bool, u64)],
                     to: &str,
                     here: usize,
                     usual: Option<usize>|
         -> Option<String> {
            let owned = build(spec);
            let candidates: Vec<Candidate<'_>> = owned
                .iter()
                .map(|(id, prefixes, available, day_use)| Candidate {
                    id,
                    prefixes,
                    available: *available,
                    day_use: *day_use,
                })
                .collect();
            route_choice(&candidates, to, &ids[here], usual.map(|u| &ids[u]))
                .map(|m| m.as_str().to_owned())
        };
        let open = [(0, false, true, 0), (1, false, true, 0), (2, false, true, 0)];
        // No rules: send from where it was claimed.
        assert_eq!(check(&open, "+4915112345678", 0, None), None);
        // Sticky: the usual sender takes it when available.
        assert_eq!(check(&open, "+4915112345678", 0, Some(2)).as_deref(), Some("c"));
        let busy_usual = [(0, false, true, 0), (1, false, true, 0), (2, false, false, 0)];
        assert_eq!(check(&busy_usual, "+4915112345678", 0, Some(2)), None);
        // Prefix: b serves +31; a claimed a +31 message and hands it to b.
        let prefix = [(0, false, true, 0), (1, true, true, 0), (2, false, true, 0)];
        assert_eq!(check(&prefix, "+31612345678", 0, None).as_deref(), Some("b"));
        assert_eq!(check(&prefix, "+31612345678", 1, None), None);
        // Other destinations are not affected by b's prefix.
        assert_eq!(check(&prefix, "+4915112345678", 0, None), None);
        // A usual sender that does not serve the prefix loses to it.
        assert_eq!(check(&prefix, "+31612345678", 0, Some(2)).as_deref(), Some("b"));
        // The prefix modem busy: send from here rather than wait.
        let prefix_busy = [(0, false, true, 0), (1, true, false, 0), (2, false, true, 0)];
        assert_eq!(check(&prefix_busy, "+31612345678", 0, None), None);
        // Among several prefix modems, the least used.
        let two = [(0, false, true, 0), (1, true, true, 50), (2, true, true, 10)];
        assert_eq!(check(&two, "+31612345678", 0, None).as_deref(), Some("c"));
    }
}
