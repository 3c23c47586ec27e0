//! Replays the real AT transcripts in `tests/transcripts/` through the
//! engine (format in that folder's README), then checks typed answers for
//! a few of them.

use std::path::{Path, PathBuf};

use bubblegate_at::commands::network::{Domain, RegistrationQuery};
use bubblegate_at::commands::sim::PinQuery;
use bubblegate_at::commands::sms::{ListMessages, MessageStatus, ReadMessage, SendPdu};
use bubblegate_at::commands::sms_config::{ServiceCentreQuery, SetStorage};
use bubblegate_at::commands::{AtRequest, ResponseError};
use bubblegate_at::{
    Body, Command, Engine, EngineConfig, ErrorClass, Event, Expect, FinalResult, Response,
};

use crate::support::{describe, escape, retry, t0, unescape};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts")
}

fn parse_expect(spec: &str) -> Expect {
    let mut words = spec.split_whitespace();
    let kind = words.next().unwrap_or("nothing");
    let prefixes: Vec<&str> = words.collect();
    match kind {
        "nothing" => Expect::nothing(),
        "lines" => Expect::lines(&prefixes),
        "data" => Expect::lines_with_data(&prefixes),
        "bare" => Expect::bare(&prefixes),
        other => panic!("unknown expect kind {other:?}"),
    }
}

fn parse_command(spec: &str) -> Command {
    let mut parts = spec.split(" | ");
    let line = parts.next().expect("command line");
    let expect = parse_expect(parts.next().unwrap_or("nothing"));
    let retry = retry(10_000, 1);
    match parts.next().and_then(|b| b.strip_prefix("body ")) {
        Some(body) => {
            Command::with_body(line, expect, Body::new(unescape(body)).expect("body"), retry)
        }
        None => Command::new(line, expect, retry),
    }
    .unwrap_or_else(|e| panic!("{line}: {e}"))
}

/// Replays one transcript, checks every `=` line, and returns the
/// responses in order.
fn replay(name: &str) -> Vec<Response> {
    let text = std::fs::read_to_string(dir().join(name)).expect("transcript");
    assert!(text.lines().any(|l| l.starts_with("# source: ")), "{name} names no source");
    let mut engine = Engine::new(EngineConfig::default());
    let mut actual = Vec::new();
    let mut expected = Vec::new();
    let mut responses = Vec::new();
    for line in text.lines() {
        if let Some(command) = line.strip_prefix("> ") {
            engine.send(parse_command(command), t0());
        } else if let Some(bytes) = line.strip_prefix("< ") {
            engine.handle_input(&unescape(bytes), t0());
        } else if let Some(output) = line.strip_prefix("= ") {
            expected.push(output.to_owned());
            continue;
        } else {
            assert!(line.starts_with('#') || line.is_empty(), "{name}: bad line {line:?}");
            continue;
        }
        while let Some(bytes) = engine.poll_transmit() {
            actual.push(format!("transmit {}", escape(&bytes)));
        }
        while let Some(event) = engine.poll_event() {
            actual.extend(describe(&event).lines().map(str::to_owned));
            if let Event::Response(response) = event {
                responses.push(response);
            }
        }
    }
    assert_eq!(actual, expected, "{name}");
    assert_eq!(engine.pending(), None, "{name}: a command never completed");
    assert_eq!(engine.buffered(), 0, "{name}: bytes left unframed");
    responses
}

#[test]
fn every_transcript_replays() {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .expect("transcripts folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    for name in names {
        replay(&name);
    }
}

#[test]
fn huawei_listing_parses_into_entries() {
    let responses = replay("gammu-126-huawei-e1752-cmgl.txt");
    let entries = ListMessages(MessageStatus::All).parse_response(&responses[0]).expect("cmgl");
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].index, entries[0].length, entries[0].alpha.as_deref()), (0, 23, None));
    assert_eq!(entries[0].stat, MessageStatus::ReceivedUnread);
}

#[test]
fn huawei_submission_returns_the_message_reference() {
    let responses = replay("gammu-45-huawei-e1750-cmgs.txt");
    let pdu = "079124608000651831000C912470774919390000FF1A54747A0E4ACF4161D034CA04D1CB733AA85D9ECFC3E732";
    let send = SendPdu::new(pdu).expect("pdu");
    assert_eq!(send.length(), 37, "the length the modem was given");
    assert_eq!(send.parse_response(&responses[0]).map(|c| c.mr), Ok(249));
}

#[test]
fn urcs_around_commands_leave_answers_intact() {
    let responses = replay("gammu-126-huawei-e1752-urcs.txt");
    let usage =
        SetStorage::new(&["SM", "SM"]).expect("cpms").parse_response(&responses[0]).expect("usage");
    assert_eq!(usage.len(), 3);
    assert_eq!(usage[0].total, 50);
    assert!(PinQuery.parse_response(&responses[1]).is_ok());
}

#[test]
fn invalid_index_is_a_permanent_cms_error() {
    let responses = replay("gammu-89-cmgr-invalid-index.txt");
    match ReadMessage(34).parse_response(&responses[0]) {
        Err(ResponseError::Failed(FinalResult::Cms(error))) => {
            assert_eq!(error.code(), Some(321));
            assert_eq!(error.class(), ErrorClass::Permanent);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn service_centre_and_empty_slot() {
    let responses = replay("gammu-133-huawei-k4510-csca.txt");
    let sca = ServiceCentreQuery.parse_response(&responses[0]).expect("csca");
    assert_eq!(sca.address, "+32475161616");
    let responses = replay("quectel-ec25-cdsi-empty-cmgr.txt");
    assert_eq!(ReadMessage(0).parse_response(&responses[0]), Ok(None));
    // The same answer to a registration query would be an error, not an
    // empty success.
    assert!(RegistrationQuery(Domain::Cs).parse_response(&responses[0]).is_err());
}
