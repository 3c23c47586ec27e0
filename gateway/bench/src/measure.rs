//! What the simulator's AT transcripts say: how many commands a host sent
//! in a time window, and when each benchmark message reached `AT+CMGS` and
//! was accepted by the network. Pure functions over the transcript text
//! (`<RFC 3339 UTC> >> line` / `<< line`, see `bubblegate-simulator`'s
//! `transcript.rs`), plus the percentiles the report shows.
//!
//! Messages are recognised by their text, `bgbench <tag>`: the body line
//! after `AT+CMGS` is decoded (PDU mode, or the text itself in text mode),
//! so the match does not depend on the order in which a system sends.

use std::collections::BTreeMap;

use bubblegate_bench::percentile;
use bubblegate_sms::{Body, Pdu, Tpdu};

/// The word every benchmark message starts with.
pub const TAG_PREFIX: &str = "bgbench ";

/// Milliseconds since 1970-01-01 UTC: the clock of the transcripts and of
/// the enqueue times.
pub type Millis = i64;

/// Which side wrote a transcript line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// `>>`: from the host (the system under test).
    Host,
    /// `<<`: from the simulated modem.
    Modem,
}

/// One transcript line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    pub at: Millis,
    pub dir: Dir,
    pub text: &'a str,
}

/// Parses `2026-05-01T12:00:00.123Z >> AT<CR>`; `None` for anything else.
pub fn parse_line(line: &str) -> Option<Line<'_>> {
    let (stamp, rest) = line.split_once(' ')?;
    let at = parse_timestamp(stamp)?;
    let (dir, text) = if let Some(text) = rest.strip_prefix(">>") {
        (Dir::Host, text)
    } else {
        (Dir::Modem, rest.strip_prefix("<<")?)
    };
    Some(Line { at, dir, text: text.strip_prefix(' ').unwrap_or(text) })
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` to milliseconds since the epoch.
pub fn parse_timestamp(stamp: &str) -> Option<Millis> {
    let b = stamp.as_bytes();
    if b.len() != 24 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[19] != b'.' {
        return None;
    }
    if b[13] != b':' || b[16] != b':' || b[23] != b'Z' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = stamp.get(range)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second, milli) = (num(11..13)?, num(14..16)?, num(17..19)?, num(20..23)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + milli)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`), the inverse of the simulator's `civil_from_days`.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Whether a host line is an AT command line (not an SMS body, not the
/// `<ESC>` that cancels a prompt).
fn is_command(text: &str) -> bool {
    text.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("AT"))
}

/// AT command lines the host sent in `[from, to)`.
pub fn count_commands(transcript: &str, from: Millis, to: Millis) -> u64 {
    transcript
        .lines()
        .filter_map(parse_line)
        .filter(|l| l.dir == Dir::Host && l.at >= from && l.at < to && is_command(l.text))
        .count() as u64
}

/// The time of the last line in the transcript, if any.
pub fn last_line_at(transcript: &str) -> Option<Millis> {
    transcript.lines().rev().find_map(parse_line).map(|l| l.at)
}

/// One `AT+CMGS` of a benchmark message, as the transcript shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Send {
    /// The tag after [`TAG_PREFIX`] in the message text.
    pub tag: String,
    /// When the host wrote `AT+CMGS=...`.
    pub cmgs_at: Millis,
    /// When the modem answered `+CMGS: <mr>`: the network has the
    /// message. `None` when it answered an error or nothing.
    pub accepted_at: Option<Millis>,
}

/// Every send of a benchmark message in one transcript, in order.
pub fn sends(transcript: &str) -> Vec<Send> {
    let mut out: Vec<Send> = Vec::new();
    // When the host wrote AT+CMGS and its body has not come yet.
    let mut command_at: Option<Millis> = None;
    // Index in `out` of the send waiting for its final answer.
    let mut waiting: Option<usize> = None;
    for line in transcript.lines().filter_map(parse_line) {
        match line.dir {
            Dir::Host => {
                if let Some(at) = command_at.take() {
                    if let Some(tag) = body_tag(line.text) {
                        out.push(Send { tag, cmgs_at: at, accepted_at: None });
                        waiting = Some(out.len() - 1);
                        continue;
                    }
                }
                if starts_with_ignore_case(line.text, "AT+CMGS=") {
                    command_at = Some(line.at);
                    waiting = None;
                }
            }
            Dir::Modem => {
                let Some(index) = waiting else { continue };
                if line.text.starts_with("+CMGS:") {
                    out[index].accepted_at = Some(line.at);
                    waiting = None;
                } else if line.text.contains("ERROR") {
                    waiting = None;
                }
            }
        }
    }
    out
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

/// The benchmark tag in an `AT+CMGS` body line: a hex PDU (with the SMSC
/// field in front, as both systems send it) or text-mode text, ended by
/// `<SUB>`.
fn body_tag(line: &str) -> Option<String> {
    let body = line.trim_end_matches("<CR>").strip_suffix("<SUB>")?;
    let text = match Pdu::decode_hex(body, true) {
        Ok(Pdu { tpdu: Tpdu::Submit(submit), .. }) => match submit.user_data.body {
            Body::Text(text) => text,
            Body::Data(_) => return None,
        },
        _ => body.to_owned(),
    };
    let tag = text.strip_prefix(TAG_PREFIX)?.split_whitespace().next()?;
    Some(tag.to_owned())
}

/// The first send of each tag over several transcripts: a retried message
/// counts from its first `AT+CMGS`, and is accepted when any try was.
pub fn first_sends(transcripts: &[String]) -> BTreeMap<String, Send> {
    let mut by_tag: BTreeMap<String, Send> = BTreeMap::new();
    for send in transcripts.iter().flat_map(|t| sends(t)) {
        match by_tag.get_mut(&send.tag) {
            Some(first) => {
                if send.cmgs_at < first.cmgs_at {
                    first.cmgs_at = send.cmgs_at;
                }
                first.accepted_at = match (first.accepted_at, send.accepted_at) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            None => {
                by_tag.insert(send.tag.clone(), send);
            }
        }
    }
    by_tag
}

/// Percentiles of a sample, by the nearest-rank method.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Spread {
    pub count: usize,
    pub p50: f64,
    pub p95: f64,
    pub max: f64,
}

impl Spread {
    /// `None` for an empty sample.
    pub fn of(values: &[f64]) -> Option<Spread> {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        Some(Spread {
            count: sorted.len(),
            p50: percentile(&sorted, 50.0),
            p95: percentile(&sorted, 95.0),
            max: sorted[sorted.len() - 1],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: &str = "2026-11-21T17:25:48.055Z";

    fn t0() -> Millis {
        parse_timestamp(T0).expect("T0 parses")
    }

    /// A PDU-mode transcript as gammu-smsd writes it against the
    /// simulator (SIMCom SIM800): idle checks, one send, one more check.
    fn gammu_transcript() -> String {
        // "bgbench b7" to +31612345678, with the SMSC field in front.
        let pdu = pdu_hex("bgbench b7");
        [
            "2026-11-21T17:25:47.036Z >> AT+CPIN?".to_owned(),
            "2026-11-21T17:25:47.036Z << +CPIN: READY".to_owned(),
            "2026-11-21T17:25:47.036Z << OK".to_owned(),
            "2026-11-21T17:25:48.050Z >> AT+CPMS=\"SM\",\"SM\"".to_owned(),
            "2026-11-21T17:25:48.050Z << +CPMS: 0,30,0,30,0,30".to_owned(),
            "2026-11-21T17:25:48.050Z << OK".to_owned(),
            "2026-11-21T17:25:48.054Z >> AT+CMGF=0".to_owned(),
            "2026-11-21T17:25:48.054Z << OK".to_owned(),
            "2026-11-21T17:25:48.055Z >> AT+CMGS=26".to_owned(),
            "2026-11-21T17:25:48.055Z << > ".to_owned(),
            format!("2026-11-21T17:25:48.656Z >> {pdu}<SUB>"),
            "2026-11-21T17:25:50.159Z << +CMGS: 1".to_owned(),
            "2026-11-21T17:25:50.159Z << OK".to_owned(),
            "2026-11-21T17:26:02.191Z >> AT+CPIN?".to_owned(),
            "2026-11-21T17:26:02.192Z << +CPIN: READY".to_owned(),
        ]
        .join("\n")
    }

    fn pdu_hex(text: &str) -> String {
        // Built by hand so that the test does not depend on the encoder's
        // choices: SMSC +31653131313, SUBMIT to +31612345678, GSM 7-bit.
        let septets: Vec<u8> = text.bytes().collect();
        let mut packed = Vec::new();
        let (mut acc, mut bits) = (0u32, 0u32);
        for s in &septets {
            acc |= u32::from(*s) << bits;
            bits += 7;
            while bits >= 8 {
                packed.push((acc & 0xFF) as u8);
                acc >>= 8;
                bits -= 8;
            }
        }
        if bits > 0 {
            packed.push(acc as u8);
        }
        let mut hex = String::from("07911356131313F311000B911316325476F80000FF");
        hex.push_str(&format!("{:02X}", septets.len()));
        for b in packed {
            hex.push_str(&format!("{b:02X}"));
        }
        hex
    }

    #[test]
    fn timestamps_parse_to_unix_millis() {
        let table = [
            ("1970-01-01T00:00:00.000Z", Some(0)),
            ("2000-02-29T00:00:00.500Z", Some(951_782_400_500)),
            ("2024-02-29T23:59:59.999Z", Some(1_709_251_199_999)),
            ("2100-01-01T00:00:00.000Z", Some(4_102_444_800_000)),
            ("2024-13-01T00:00:00.000Z", None),
            ("2024-02-29 23:59:59.999Z", None),
            ("2024-02-29T23:59:59Z", None),
            ("", None),
        ];
        for (stamp, want) in table {
            assert_eq!(parse_timestamp(stamp), want, "{stamp}");
        }
    }

    #[test]
    fn lines_parse_with_direction() {
        let host = format!("{T0} >> AT+CMGS=26");
        let line = parse_line(&host).expect("parses");
        assert_eq!(line, Line { at: t0(), dir: Dir::Host, text: "AT+CMGS=26" });
        let modem = format!("{T0} << > ");
        let line = parse_line(&modem).expect("parses");
        assert_eq!(line, Line { at: t0(), dir: Dir::Modem, text: "> " });
        assert_eq!(parse_line("garbage"), None);
        assert_eq!(parse_line(&format!("{T0} -- AT")), None);
    }

    #[test]
    fn counts_commands_in_a_window_without_bodies() {
        let text = gammu_transcript();
        let all = count_commands(&text, 0, i64::MAX);
        // CPIN?, CPMS, CMGF, CMGS, CPIN? (the PDU body is no command).
        assert_eq!(all, 5);
        // [17:25:48.000, 17:25:50.000): CPMS, CMGF, CMGS.
        let from = parse_timestamp("2026-11-21T17:25:48.000Z").expect("from");
        assert_eq!(count_commands(&text, from, from + 2000), 3);
        assert_eq!(count_commands(&text, from + 20_000, from + 30_000), 0);
        assert_eq!(last_line_at(&text), parse_timestamp("2026-11-21T17:26:02.192Z"));
    }

    #[test]
    fn finds_a_pdu_mode_send_and_its_acceptance() {
        let sends = sends(&gammu_transcript());
        assert_eq!(
            sends,
            vec![Send { tag: "b7".into(), cmgs_at: t0(), accepted_at: Some(t0() + 2104) }]
        );
    }

    #[test]
    fn text_mode_errors_and_foreign_messages() {
        let text = [
            format!("{T0} >> AT+CMGS=\"+31612345678\""),
            format!("{T0} << > "),
            "2026-11-21T17:25:48.100Z >> bgbench p1<SUB>".to_owned(),
            "2026-11-21T17:25:48.600Z << +CMS ERROR: 500".to_owned(),
            "2026-11-21T17:25:49.000Z >> at+cmgs=\"+31612345678\"".to_owned(),
            "2026-11-21T17:25:49.000Z << > ".to_owned(),
            "2026-11-21T17:25:49.100Z >> bgbench p1<SUB>".to_owned(),
            "2026-11-21T17:25:49.600Z << +CMGS: 9".to_owned(),
            "2026-11-21T17:25:50.000Z >> AT+CMGS=\"+31612345678\"".to_owned(),
            "2026-11-21T17:25:50.000Z << > ".to_owned(),
            "2026-11-21T17:25:50.100Z >> hello from someone else<SUB>".to_owned(),
            "2026-11-21T17:25:50.600Z << +CMGS: 10".to_owned(),
        ]
        .join("\n");
        let found = sends(&text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].accepted_at, None);
        assert_eq!(found[1].accepted_at, Some(t0() + 1545));
        // The retry keeps the first AT+CMGS and the later acceptance.
        let first = first_sends(&[text]);
        let p1 = &first["p1"];
        assert_eq!((p1.cmgs_at, p1.accepted_at), (t0(), Some(t0() + 1545)));
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let spread = Spread::of(&[3.0, 1.0, 2.0, f64::NAN]).expect("not empty");
        assert_eq!(spread, Spread { count: 3, p50: 2.0, p95: 3.0, max: 3.0 });
        assert_eq!(Spread::of(&[]), None);
    }
}
