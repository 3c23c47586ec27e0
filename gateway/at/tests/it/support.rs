//! Helpers shared by the integration tests: a fixed clock origin, command
//! shorthands, and a driver that runs input through an engine and collects
//! what comes out.

use std::num::NonZeroU8;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use bubblegate_at::{Command, Engine, Event, Expect, Retry};

/// The test clock's origin. Tests only add durations to it, so they are
/// deterministic.
pub fn t0() -> Instant {
    static T0: OnceLock<Instant> = OnceLock::new();
    *T0.get_or_init(Instant::now)
}

pub fn at(ms: u64) -> Instant {
    t0() + Duration::from_millis(ms)
}

pub fn retry(timeout_ms: u64, attempts: u8) -> Retry {
    Retry::new(Duration::from_millis(timeout_ms), NonZeroU8::new(attempts).expect("attempts > 0"))
}

/// A command with a 1 s timeout and one attempt.
pub fn cmd(line: &str, expect: Expect) -> Command {
    Command::new(line, expect, retry(1000, 1)).expect("valid command")
}

pub fn drain_events(engine: &mut Engine) -> Vec<Event> {
    std::iter::from_fn(|| engine.poll_event()).collect()
}

pub fn drain_transmits(engine: &mut Engine) -> Vec<Vec<u8>> {
    std::iter::from_fn(|| engine.poll_transmit()).collect()
}

/// Renders bytes with `\r`, `\n` and `\xHH` escapes, as transcripts write
/// them.
pub fn escape(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        match b {
            b'\r' => out.push_str("\\r"),
            b'\n' => out.push_str("\\n"),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7E => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02X}")),
        }
    }
    out
}

/// The inverse of [`escape`].
pub fn unescape(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            match bytes[i + 1] {
                b'r' => out.push(b'\r'),
                b'n' => out.push(b'\n'),
                b'\\' => out.push(b'\\'),
                b'x' if i + 3 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 2..i + 4]).expect("ascii");
                    out.push(u8::from_str_radix(hex, 16).expect("hex escape"));
                    i += 4;
                    continue;
                }
                other => panic!("unknown escape \\{}", char::from(other)),
            }
            i += 2;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// A one-line (or, for responses, multi-line) rendering of an event, used
/// as the expected value in tables and transcripts.
pub fn describe(event: &Event) -> String {
    use bubblegate_at::Outcome;
    match event {
        Event::Response(r) => {
            let outcome = match &r.outcome {
                Outcome::Final(result) => result.to_string(),
                Outcome::TimedOut { attempts, body_sent } => {
                    format!("timed out after {attempts} attempts, body sent: {body_sent}")
                }
                Outcome::Cancelled => "cancelled".to_owned(),
            };
            let mut out = format!("response {} {} -> {outcome}", r.id.get(), r.command);
            for line in &r.lines {
                out.push_str("\n  ");
                out.push_str(line);
            }
            out
        }
        Event::Urc(urc) => format!("urc {urc:?}"),
        Event::Warning(warning) => format!("warning {warning:?}"),
    }
}

/// Sends `commands` at `t0`, throws away their transmits, feeds `input`,
/// and returns the described events and the number of bytes the engine
/// consumed from its buffer (what was buffered before plus `input`).
pub fn run(engine: &mut Engine, commands: &[Command], input: &[u8]) -> (Vec<String>, usize) {
    for command in commands {
        engine.send(command.clone(), t0());
    }
    drain_transmits(engine);
    let before = engine.buffered();
    engine.handle_input(input, t0());
    let events = drain_events(engine).iter().map(describe).collect();
    (events, before + input.len() - engine.buffered())
}
