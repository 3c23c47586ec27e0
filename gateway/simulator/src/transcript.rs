//! Per-modem AT transcripts: one file per modem in the simulator directory
//! (`modem0.log`), one time-stamped line per line on the serial line:
//!
//! ```text
//! 2026-05-01T12:00:00.123Z >> AT+CMGF=0<CR>
//! 2026-05-01T12:00:00.124Z << <CR><LF>OK<CR><LF>
//! ```
//!
//! The same lines go to `tracing` at trace level only, because they carry
//! phone numbers and message bodies.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use bubblegate_sim::{Direction, ModemId};

use crate::error::SimulatorError;

/// An open transcript file. Lines are written unbuffered, one `write` per
/// line, so that the file is current while the simulator runs and a reader
/// never sees half a line.
#[derive(Debug)]
pub(crate) struct Transcript {
    file: File,
    path: PathBuf,
    failed: bool,
}

impl Transcript {
    /// Starts the transcript at `path`, replacing one from an earlier run:
    /// a transcript covers one simulator run, across unplugs and reboots.
    pub(crate) fn open(path: &Path) -> Result<Transcript, SimulatorError> {
        let file =
            OpenOptions::new().create(true).write(true).truncate(true).open(path).map_err(
                |source| SimulatorError::Transcript { path: path.to_path_buf(), source },
            )?;
        Ok(Transcript { file, path: path.to_path_buf(), failed: false })
    }

    /// Appends one line. A full disk must not stop the simulator, so a
    /// write error is logged once and further lines are dropped.
    pub(crate) fn write(&mut self, id: ModemId, dir: Direction, line: &str) {
        tracing::trace!(modem = %id, "{} {line}", dir.arrow());
        if self.failed {
            return;
        }
        let text = format!("{} {} {line}\n", utc_timestamp(SystemTime::now()), dir.arrow());
        if let Err(err) = self.file.write_all(text.as_bytes()) {
            tracing::warn!(path = %self.path.display(), %err, "cannot write transcript; dropping further lines");
            self.failed = true;
        }
    }
}

/// RFC 3339 UTC with milliseconds, e.g. `2026-05-01T12:00:00.123Z`.
pub(crate) fn utc_timestamp(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (year, month, day) = civil_from_days(secs / 86_400);
    let rem = secs % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_millis()
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `civil_from_days`, for non-negative day counts).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let cases = [
            (0, "1970-01-01T00:00:00.000Z"),
            (951_782_400_500, "2000-02-29T00:00:00.500Z"),
            (1_709_251_199_999, "2024-02-29T23:59:59.999Z"),
            (4_102_444_800_000, "2100-01-01T00:00:00.000Z"),
        ];
        for (ms, expected) in cases {
            assert_eq!(utc_timestamp(UNIX_EPOCH + Duration::from_millis(ms)), expected);
        }
    }
}
