//! Properties over arbitrary input: the engine never panics, never holds
//! more than a line's worth of bytes, never loses a command (each one
//! completes or times out exactly once), and does not care how its input is
//! split into reads.

use std::collections::HashMap;
use std::time::Duration;

use bubblegate_at::commands::sms::SendPdu;
use bubblegate_at::commands::AtRequest;
use bubblegate_at::{Command, Engine, EngineConfig, Event, Expect, Warning};
use proptest::prelude::*;

use crate::support::{describe, retry, t0};

const MAX_LINE: usize = 64;

/// Fragments of real modem output, so that random sequences reach deep
/// states (prompts, two-line URCs, listings) and not only garbage.
const SNIPPETS: &[&str] = &[
    "OK\r\n",
    "ERROR\r\n",
    "\r\n> ",
    ">",
    "\r\n",
    "\r",
    "\n",
    "+CMT: ,23\r\n",
    "+CDS: 25\r\n",
    "0791AB12\r\n",
    "+CREG: 1\r\n",
    "+CREG: 0,1\r\n",
    "+CSQ: 1,2\r\n",
    "+CMGL: 1,0,,23\r\n",
    "+CMS ERROR: 500\r\n",
    "+CME ERROR: SIM busy\r\n",
    "AT+CSQ\r",
    "RING\r\n",
    "0\r",
    "3\r",
    "\x00",
    "\x1a",
    "\u{7f}",
    "^RSSI:3\r\n",
    "+CMTI: \"SM\",1\r\n",
    "0011000B911326880736F40000A900",
];

#[derive(Debug, Clone)]
enum Op {
    Input(Vec<u8>),
    Advance(u16),
    Timeout,
    Send(u8),
    Cancel,
}

fn chunk() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => proptest::collection::vec(any::<u8>(), 0..24),
        5 => proptest::sample::select(SNIPPETS).prop_map(|s| s.as_bytes().to_vec()),
        1 => proptest::collection::vec(proptest::sample::select(b"AOK+CMS: ,\r\n>".to_vec()), 0..80),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        10 => chunk().prop_map(Op::Input),
        3 => any::<u16>().prop_map(Op::Advance),
        3 => Just(Op::Timeout),
        3 => any::<u8>().prop_map(Op::Send),
        1 => Just(Op::Cancel),
    ]
}

fn command(kind: u8) -> Command {
    let timeout = 100 + u64::from(kind) * 7;
    match kind % 4 {
        0 => Command::new("AT", Expect::nothing(), retry(timeout, 1)),
        1 => Command::new("AT+CSQ", Expect::lines(&["+CSQ:"]), retry(timeout, 2)),
        2 => Command::new("AT+CMGL=4", Expect::lines_with_data(&["+CMGL:"]), retry(timeout, 1)),
        _ => {
            SendPdu::new("0011000B911326880736F40000A900").expect("pdu").command(retry(timeout, 3))
        }
    }
    .expect("command")
}

fn config() -> EngineConfig {
    EngineConfig { max_line_len: MAX_LINE, max_response_lines: 8, ..EngineConfig::default() }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_and_never_loses_a_command(ops in proptest::collection::vec(op(), 0..80)) {
        let mut engine = Engine::new(config());
        let mut now = t0();
        let mut sent = Vec::new();
        let mut completions: HashMap<u64, usize> = HashMap::new();
        let mut record = |engine: &mut Engine| {
            while let Some(event) = engine.poll_event() {
                if let Event::Response(r) = event {
                    *completions.entry(r.id.get()).or_default() += 1;
                }
            }
            while engine.poll_transmit().is_some() {}
        };
        for op in ops {
            match op {
                Op::Input(bytes) => engine.handle_input(&bytes, now),
                Op::Advance(ms) => now += Duration::from_millis(u64::from(ms)),
                Op::Timeout => engine.handle_timeout(now),
                Op::Send(kind) => sent.push(engine.send(command(kind), now).get()),
                Op::Cancel => engine.cancel_all(),
            }
            record(&mut engine);
            prop_assert!(engine.buffered() <= MAX_LINE);
            prop_assert_eq!(engine.poll_timeout().is_some(), engine.pending().is_some());
            if engine.pending().is_none() {
                prop_assert_eq!(engine.queued(), 0);
            }
        }
        // Let every command run out of time; each attempt needs one call.
        for _ in 0..sent.len() * 3 + 1 {
            let Some(deadline) = engine.poll_timeout() else { break };
            now = now.max(deadline);
            engine.handle_timeout(now);
            record(&mut engine);
        }
        prop_assert_eq!(engine.pending(), None);
        prop_assert_eq!(engine.queued(), 0);
        for id in &sent {
            prop_assert_eq!(completions.get(id).copied(), Some(1), "command {} lost or doubled", id);
        }
        prop_assert_eq!(completions.len(), sent.len());
    }

    #[test]
    fn splitting_input_does_not_change_events(
        chunks in proptest::collection::vec(chunk(), 0..30),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..8),
        kinds in proptest::collection::vec(any::<u8>(), 0..4),
    ) {
        let input: Vec<u8> = chunks.concat();
        let mut points: Vec<usize> = cuts.iter().map(|c| c.index(input.len() + 1)).collect();
        points.sort_unstable();
        let run = |pieces: &[&[u8]]| {
            let mut engine = Engine::new(config());
            for &kind in &kinds {
                engine.send(command(kind), t0());
            }
            let mut events = Vec::new();
            let mut transmits = Vec::new();
            for piece in pieces {
                engine.handle_input(piece, t0());
                while let Some(event) = engine.poll_event() {
                    if !matches!(event, Event::Warning(Warning::Garbage { .. })) {
                        events.push(describe(&event));
                    }
                }
                while let Some(bytes) = engine.poll_transmit() {
                    transmits.push(bytes);
                }
            }
            (events, transmits.concat(), engine.stats().garbage_bytes)
        };
        let whole = run(&[&input]);
        let mut pieces = Vec::new();
        let mut start = 0;
        for point in points {
            pieces.push(&input[start..point]);
            start = point;
        }
        pieces.push(&input[start..]);
        prop_assert_eq!(run(&pieces), whole);
    }
}
