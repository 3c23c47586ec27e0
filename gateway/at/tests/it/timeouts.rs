//! Timeouts, retries and retry exhaustion, with a fake clock: every instant
//! is `t0` plus a fixed number of milliseconds.

use bubblegate_at::commands::sms::SendPdu;
use bubblegate_at::commands::AtRequest;
use bubblegate_at::{Command, Engine, EngineConfig, Expect};

use crate::support::{at, describe, drain_events, drain_transmits, retry, t0};

fn described(engine: &mut Engine) -> Vec<String> {
    drain_events(engine).iter().map(describe).collect()
}

fn ping(attempts: u8) -> Command {
    Command::new("AT", Expect::nothing(), retry(1000, attempts)).expect("command")
}

/// One step of a timeout table: `(clock in ms, expected transmits, expected
/// events)`.
type Step = (u64, &'static [&'static [u8]], &'static [&'static str]);

#[test]
fn retries_then_times_out() {
    let mut engine = Engine::new(EngineConfig::default());
    engine.send(ping(3), t0());
    assert_eq!(drain_transmits(&mut engine), [b"AT\r".to_vec()]);
    assert_eq!(engine.poll_timeout(), Some(at(1000)));

    engine.handle_timeout(at(999));
    assert!(drain_transmits(&mut engine).is_empty());
    assert!(described(&mut engine).is_empty());

    let steps: &[Step] = &[
        (1000, &[b"AT\r"], &["warning Retrying { id: CommandId(0), attempt: 2 }"]),
        (2000, &[b"AT\r"], &["warning Retrying { id: CommandId(0), attempt: 3 }"]),
        (3000, &[], &["response 0 AT -> timed out after 3 attempts, body sent: false"]),
    ];
    for &(ms, transmits, events) in steps {
        engine.handle_timeout(at(ms));
        assert_eq!(
            drain_transmits(&mut engine),
            transmits.iter().map(|t| t.to_vec()).collect::<Vec<_>>(),
            "at {ms} ms"
        );
        assert_eq!(described(&mut engine), events, "at {ms} ms");
    }
    assert_eq!(engine.pending(), None);
    assert_eq!(engine.poll_timeout(), None);
    assert_eq!(engine.stats().retries, 2);
    assert_eq!(engine.stats().timeouts, 1);
}

#[test]
fn an_answer_on_the_last_attempt_completes_the_command() {
    let mut engine = Engine::new(EngineConfig::default());
    engine.send(ping(2), t0());
    engine.handle_timeout(at(1000));
    drain_events(&mut engine);
    engine.handle_input(b"\r\nOK\r\n", at(1500));
    assert_eq!(described(&mut engine), ["response 0 AT -> OK"]);
}

#[test]
fn lines_from_a_timed_out_attempt_are_dropped() {
    let mut engine = Engine::new(EngineConfig::default());
    let csq = Command::new("AT+CSQ", Expect::lines(&["+CSQ:"]), retry(1000, 2)).expect("csq");
    engine.send(csq, t0());
    engine.handle_input(b"+CSQ: 1,1\r\n", at(10));
    engine.handle_timeout(at(1000));
    drain_events(&mut engine);
    engine.handle_input(b"+CSQ: 2,2\r\nOK\r\n", at(1010));
    assert_eq!(described(&mut engine), ["response 0 AT+CSQ -> OK\n  +CSQ: 2,2"]);
}

#[test]
fn the_next_command_starts_when_one_times_out() {
    let mut engine = Engine::new(EngineConfig::default());
    engine.send(ping(1), t0());
    engine.send(ping(1), at(500));
    drain_transmits(&mut engine);
    engine.handle_timeout(at(1000));
    assert_eq!(
        described(&mut engine),
        ["response 0 AT -> timed out after 1 attempts, body sent: false"]
    );
    assert_eq!(drain_transmits(&mut engine), [b"AT\r".to_vec()]);
    // The second command's clock starts when it is transmitted.
    assert_eq!(engine.poll_timeout(), Some(at(2000)));
    // A late OK for the first command now answers the second; the actor's
    // watchdog, not the engine, has to resynchronise (see the crate notes).
    engine.handle_input(b"OK\r\n", at(1001));
    assert_eq!(described(&mut engine), ["response 1 AT -> OK"]);
}

#[test]
fn a_late_answer_while_idle_is_reported() {
    let mut engine = Engine::new(EngineConfig::default());
    engine.send(ping(1), t0());
    engine.handle_timeout(at(1000));
    drain_events(&mut engine);
    engine.handle_input(b"\r\nOK\r\n", at(1200));
    assert_eq!(described(&mut engine), ["warning UnexpectedLine(\"OK\")"]);
}

fn sms(attempts: u8) -> Command {
    SendPdu::new("0011000B911326880736F40000A900")
        .expect("pdu")
        .command(retry(60_000, attempts))
        .expect("command")
}

#[test]
fn waiting_for_the_prompt_retries_with_escape_first() {
    let mut engine = Engine::new(EngineConfig::default());
    engine.send(sms(2), t0());
    assert_eq!(drain_transmits(&mut engine), [b"AT+CMGS=14\r".to_vec()]);
    engine.handle_timeout(at(60_000));
    assert_eq!(drain_transmits(&mut engine), [b"\x1bAT+CMGS=14\r".to_vec()]);
    engine.handle_timeout(at(120_000));
    // Exhausted: ESC again, in case the prompt arrives late.
    assert_eq!(drain_transmits(&mut engine), [vec![0x1B]]);
    assert_eq!(
        described(&mut engine),
        [
            "warning Retrying { id: CommandId(0), attempt: 2 }",
            "response 0 AT+CMGS=14 -> timed out after 2 attempts, body sent: false",
        ]
    );
}

#[test]
fn a_sent_body_is_never_retried() {
    let mut engine = Engine::new(EngineConfig::default());
    engine.send(sms(3), t0());
    engine.handle_input(b"\r\n> ", at(100));
    assert_eq!(drain_transmits(&mut engine).len(), 2);
    engine.handle_timeout(at(60_000));
    assert!(drain_transmits(&mut engine).is_empty(), "no ESC and no second AT+CMGS");
    assert_eq!(
        described(&mut engine),
        ["response 0 AT+CMGS=14 -> timed out after 1 attempts, body sent: true"]
    );
}

#[test]
fn cancel_all_completes_every_command() {
    let mut engine = Engine::new(EngineConfig::default());
    engine.send(ping(1), t0());
    engine.send(ping(1), t0());
    engine.handle_input(b"+CMT: ,2\r\npartial", t0());
    engine.cancel_all();
    assert_eq!(
        described(&mut engine),
        ["response 0 AT -> cancelled", "response 1 AT -> cancelled"]
    );
    assert_eq!(engine.buffered(), 0);
    assert_eq!(engine.pending(), None);
    assert!(drain_transmits(&mut engine).is_empty());
    // The forgotten +CMT header does not swallow the next line.
    engine.handle_input(b"RING\r\n", t0());
    assert_eq!(described(&mut engine), ["urc Ring"]);
}

#[test]
fn zero_timeout_expires_at_once() {
    let mut engine = Engine::new(EngineConfig::default());
    let command = Command::new("AT", Expect::nothing(), retry(0, 1)).expect("command");
    engine.send(command, t0());
    engine.handle_timeout(t0());
    assert_eq!(
        described(&mut engine),
        ["response 0 AT -> timed out after 1 attempts, body sent: false"]
    );
}
