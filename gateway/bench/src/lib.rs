//! What the benchmark binaries share: child processes that die with the
//! benchmark and are measured through `/proc` ([`process`]), and a
//! minimal HTTP/1.1 client for loopback APIs ([`http`]).
//!
//! - `bubblegate-bench` (`src/main.rs`): the SMS gateway against Debian's
//!   gammu-smsd on the same simulated modems.
//! - `bubblegate-relay-bench` (`src/relay/`): the encrypted network's
//!   relay, device to hub to device, with 100 connected devices.

pub mod http;
pub mod process;

/// The nearest-rank percentile `p` (0 < p <= 100) of a sorted, non-empty
/// sample: the smallest value with at least p % of the sample at or below
/// it. With 300 values, p99 is the 297th.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    let rank = ((p / 100.0) * n as f64).ceil() as usize;
    sorted[rank.clamp(1, n) - 1]
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_by_nearest_rank() {
        let sorted: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&sorted, 50.0), 10.0);
        assert_eq!(percentile(&sorted, 95.0), 19.0);
        assert_eq!(percentile(&sorted, 100.0), 20.0);
        assert_eq!(percentile(&[7.0], 95.0), 7.0);
    }
}
