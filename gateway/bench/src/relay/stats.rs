//! The figures' arithmetic: percentiles of a sample of durations, and a
//! small seeded random number generator, so that a run's choice of
//! senders and recipients can be repeated with `--seed`.

use std::time::Duration;

use bubblegate_bench::percentile;
use serde::Serialize;

/// A sample of durations, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    pub count: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Spread {
    /// `None` for an empty sample.
    pub fn of(sample: &[Duration]) -> Option<Spread> {
        let mut ms: Vec<f64> = sample.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
        if ms.is_empty() {
            return None;
        }
        ms.sort_by(f64::total_cmp);
        Some(Spread {
            count: ms.len(),
            p50_ms: percentile(&ms, 50.0),
            p99_ms: percentile(&ms, 99.0),
            max_ms: ms[ms.len() - 1],
        })
    }
}

/// `count` over `window`, per second; `None` for an empty window.
pub fn rate(count: usize, window: Duration) -> Option<f64> {
    (count > 0 && !window.is_zero()).then(|| count as f64 / window.as_secs_f64())
}

/// SplitMix64: small, fast, and the same sequence for the same seed on
/// every machine. Not for anything secret.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must be above zero.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Any index in `0..n` but `not`; `n` must be at least 2.
    pub fn other_than(&mut self, not: usize, n: usize) -> usize {
        let pick = self.below(n.saturating_sub(1));
        if pick >= not {
            pick + 1
        } else {
            pick
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let sample: Vec<Duration> = (1..=300).map(Duration::from_millis).collect();
        let spread = Spread::of(&sample).expect("not empty");
        assert_eq!(spread.count, 300);
        assert_eq!(spread.p50_ms, 150.0);
        assert_eq!(spread.p99_ms, 297.0);
        assert_eq!(spread.max_ms, 300.0);
        assert_eq!(Spread::of(&[]), None);
        let one = Spread::of(&[Duration::from_micros(1500)]).expect("one");
        assert_eq!((one.p50_ms, one.p99_ms, one.max_ms), (1.5, 1.5, 1.5));
    }

    #[test]
    fn rates_need_a_window() {
        assert_eq!(rate(10, Duration::from_secs(2)), Some(5.0));
        assert_eq!(rate(10, Duration::ZERO), None);
        assert_eq!(rate(0, Duration::from_secs(1)), None);
    }

    #[test]
    fn the_other_index_is_never_the_excluded_one_and_covers_the_rest() {
        let mut rng = Rng::new(7);
        let mut seen = [0usize; 5];
        for _ in 0..5000 {
            let pick = rng.other_than(2, 5);
            assert!(pick < 5 && pick != 2);
            seen[pick] += 1;
        }
        assert_eq!(seen[2], 0);
        assert!(seen.iter().enumerate().all(|(i, &n)| i == 2 || n > 1000), "{seen:?}");
        // The same seed gives the same sequence.
        assert_eq!(Rng::new(42).next_u64(), Rng::new(42).next_u64());
    }
}
