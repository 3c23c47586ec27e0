//! Fuzzes the engine's input side: arbitrary bytes, clock steps, timeouts,
//! sends and cancellations in arbitrary order. Checks the engine's
//! invariants on the way and, at the end, that every command sent
//! completed exactly once.

#![no_main]

use std::collections::HashMap;
use std::num::NonZeroU8;
use std::time::{Duration, Instant};

use bubblegate_at::commands::sms::SendPdu;
use bubblegate_at::commands::AtRequest;
use bubblegate_at::{Command, Engine, EngineConfig, Event, Expect, Retry};
use libfuzzer_sys::fuzz_target;

const MAX_LINE: usize = 96;

fn command(kind: u8) -> Command {
    let attempts = NonZeroU8::new(kind % 3 + 1).unwrap_or(NonZeroU8::MIN);
    let retry = Retry::new(Duration::from_millis(50 + u64::from(kind) * 5), attempts);
    let command = match kind % 5 {
        0 => Command::new("AT", Expect::nothing(), retry),
        1 => Command::new("AT+CSQ", Expect::lines(&["+CSQ:"]), retry),
        2 => Command::new("AT+CMGL=4", Expect::lines_with_data(&["+CMGL:"]), retry),
        3 => Command::new("AT+CGSN", Expect::bare(&["+CGSN:"]), retry),
        _ => SendPdu::new("0011000B911326880736F40000A900").and_then(|s| s.command(retry)),
    };
    command.expect("fixed commands are valid")
}

struct Harness {
    engine: Engine,
    now: Instant,
    sent: Vec<u64>,
    completions: HashMap<u64, u32>,
}

impl Harness {
    fn drain(&mut self) {
        while let Some(event) = self.engine.poll_event() {
            if let Event::Response(response) = event {
                *self.completions.entry(response.id.get()).or_default() += 1;
            }
        }
        while self.engine.poll_transmit().is_some() {}
        assert!(self.engine.buffered() <= MAX_LINE);
        assert_eq!(self.engine.poll_timeout().is_some(), self.engine.pending().is_some());
        if self.engine.pending().is_none() {
            assert_eq!(self.engine.queued(), 0);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut harness = Harness {
        engine: Engine::new(EngineConfig {
            extra_urc_prefixes: vec!["+QIND:".to_owned(), "^".to_owned()],
            max_line_len: MAX_LINE,
            max_response_lines: 16,
        }),
        now: Instant::now(),
        sent: Vec::new(),
        completions: HashMap::new(),
    };
    let mut rest = data;
    while let Some((&op, tail)) = rest.split_first() {
        rest = tail;
        match op % 8 {
            0..=3 => {
                let len = usize::from(op / 8).min(rest.len());
                let (bytes, tail) = rest.split_at(len);
                rest = tail;
                let now = harness.now;
                harness.engine.handle_input(bytes, now);
            }
            4 => {
                let ms = rest.first().copied().unwrap_or(0);
                rest = rest.get(1..).unwrap_or_default();
                harness.now += Duration::from_millis(u64::from(ms) * 4);
            }
            5 => harness.engine.handle_timeout(harness.now),
            6 => {
                let kind = op / 8;
                let id = harness.engine.send(command(kind), harness.now);
                harness.sent.push(id.get());
            }
            _ => {
                if op / 8 == 0 {
                    harness.engine.cancel_all();
                } else {
                    harness.engine.handle_timeout(harness.now);
                }
            }
        }
        harness.drain();
    }
    for _ in 0..harness.sent.len() * 3 + 1 {
        let Some(deadline) = harness.engine.poll_timeout() else {
            break;
        };
        harness.now = harness.now.max(deadline);
        let now = harness.now;
        harness.engine.handle_timeout(now);
        harness.drain();
    }
    assert_eq!(harness.engine.pending(), None);
    for id in &harness.sent {
        assert_eq!(harness.completions.get(id), Some(&1), "command {id} lost or doubled");
    }
    assert_eq!(harness.completions.len(), harness.sent.len());
});
