//! Table-driven engine tests: `(commands pending, input bytes, expected
//! events, bytes consumed)`.

use bubblegate_at::{Body, Command, Engine, EngineConfig, Expect};

use crate::support::{cmd, drain_transmits, escape, retry, run, t0};

const PDU: &str = "07913366003051F5040B913366304381F900005180719120348004D4F29C0E";

/// `consumed` value meaning "the whole input".
const ALL: usize = usize::MAX;

struct Case {
    name: &'static str,
    config: EngineConfig,
    commands: Vec<Command>,
    input: Vec<u8>,
    events: Vec<String>,
    consumed: usize,
}

fn case(
    name: &'static str,
    commands: Vec<Command>,
    input: impl AsRef<[u8]>,
    events: &[&str],
    consumed: usize,
) -> Case {
    Case {
        name,
        config: EngineConfig::default(),
        commands,
        input: input.as_ref().to_vec(),
        events: events.iter().map(|e| e.to_string()).collect(),
        consumed: if consumed == ALL { input.as_ref().len() } else { consumed },
    }
}

fn with_config(mut case: Case, config: EngineConfig) -> Case {
    case.config = config;
    case
}

fn check(cases: Vec<Case>) {
    for case in cases {
        let mut engine = Engine::new(case.config.clone());
        let (events, consumed) = run(&mut engine, &case.commands, &case.input);
        assert_eq!(events, case.events, "case {:?}, input {:?}", case.name, escape(&case.input));
        assert_eq!(consumed, case.consumed, "case {:?}: consumed", case.name);
    }
}

fn at() -> Vec<Command> {
    vec![cmd("AT", Expect::nothing())]
}

fn dial() -> Vec<Command> {
    vec![cmd("ATD+31612345678;", Expect::nothing())]
}

fn csq() -> Vec<Command> {
    vec![cmd("AT+CSQ", Expect::lines(&["+CSQ:"]))]
}

fn creg() -> Vec<Command> {
    vec![cmd("AT+CREG?", Expect::lines(&["+CREG:"]))]
}

fn cmgl() -> Vec<Command> {
    vec![cmd("AT+CMGL=4", Expect::lines_with_data(&["+CMGL:"]))]
}

fn cmgs() -> Vec<Command> {
    let body = Body::new("0011000B911326880736F40000A900").expect("body");
    vec![Command::with_body("AT+CMGS=14", Expect::lines(&["+CMGS:"]), body, retry(60_000, 1))
        .expect("cmgs")]
}

#[test]
fn final_result_codes_verbose() {
    check(vec![
        case("OK", at(), "OK\r\n", &["response 0 AT -> OK"], ALL),
        case("ERROR", at(), "\r\nERROR\r\n", &["response 0 AT -> ERROR"], ALL),
        case(
            "NO CARRIER",
            dial(),
            "\r\nNO CARRIER\r\n",
            &["response 0 ATD+31612345678; -> NO CARRIER"],
            ALL,
        ),
        case("BUSY", dial(), "\r\nBUSY\r\n", &["response 0 ATD+31612345678; -> BUSY"], ALL),
        case(
            "NO ANSWER",
            dial(),
            "\r\nNO ANSWER\r\n",
            &["response 0 ATD+31612345678; -> NO ANSWER"],
            ALL,
        ),
        case(
            "NO DIALTONE",
            dial(),
            "\r\nNO DIALTONE\r\n",
            &["response 0 ATD+31612345678; -> NO DIALTONE"],
            ALL,
        ),
        case(
            "CONNECT",
            dial(),
            "\r\nCONNECT\r\n",
            &["response 0 ATD+31612345678; -> CONNECT"],
            ALL,
        ),
        case(
            "CONNECT text",
            dial(),
            "\r\nCONNECT 115200\r\n",
            &["response 0 ATD+31612345678; -> CONNECT 115200"],
            ALL,
        ),
        case(
            "vendor",
            at(),
            "\r\nCOMMAND NOT SUPPORT\r\n",
            &["response 0 AT -> COMMAND NOT SUPPORT"],
            ALL,
        ),
        case(
            "vendor Huawei",
            at(),
            "\r\nTOO MANY PARAMETERS\r\n",
            &["response 0 AT -> TOO MANY PARAMETERS"],
            ALL,
        ),
    ]);
}

#[test]
fn final_result_codes_numeric() {
    check(vec![
        case("0", at(), "0\r", &["response 0 AT -> OK"], ALL),
        case("1", dial(), "1\r", &["response 0 ATD+31612345678; -> CONNECT"], ALL),
        case("3", dial(), "3\r", &["response 0 ATD+31612345678; -> NO CARRIER"], ALL),
        case("4", at(), "4\r", &["response 0 AT -> ERROR"], ALL),
        case("6", dial(), "6\r", &["response 0 ATD+31612345678; -> NO DIALTONE"], ALL),
        case("7", dial(), "7\r", &["response 0 ATD+31612345678; -> BUSY"], ALL),
        case("8", dial(), "8\r", &["response 0 ATD+31612345678; -> NO ANSWER"], ALL),
        // RING shares the numeric space but never ends a command.
        case("2 is RING", at(), "2\r", &["urc Ring"], 2),
        case(
            "information text then numeric code",
            csq(),
            "+CSQ: 20,99\r\n0\r",
            &["response 0 AT+CSQ -> OK\n  +CSQ: 20,99"],
            ALL,
        ),
    ]);
}

#[test]
fn error_code_families() {
    check(vec![
        case("CMS numeric", at(), "\r\n+CMS ERROR: 331\r\n", &["response 0 AT -> +CMS ERROR 331 (no network service)"], ALL),
        case("CMS verbose", at(), "+CMS ERROR: SMSC address unknown\r\n", &["response 0 AT -> +CMS ERROR 330 (SMSC address unknown)"], ALL),
        case("CMS RP-cause", at(), "+CMS ERROR: 38\r\n", &["response 0 AT -> +CMS ERROR 38 (Network out of order)"], ALL),
        case("CMS TP-FCS", at(), "+CMS ERROR: 197\r\n", &["response 0 AT -> +CMS ERROR 197 (SM Rejected-Duplicate SM)"], ALL),
        case("CMS manufacturer", at(), "+CMS ERROR: 512\r\n", &["response 0 AT -> +CMS ERROR 512 (manufacturer specific)"], ALL),
        case("CME numeric", at(), "+CME ERROR: 10\r\n", &["response 0 AT -> +CME ERROR 10 (SIM not inserted)"], ALL),
        case("CME verbose", at(), "+CME ERROR: SIM PIN required\r\n", &["response 0 AT -> +CME ERROR 11 (SIM PIN required)"], ALL),
        case("CME GPRS", at(), "+CME ERROR: 133\r\n", &["response 0 AT -> +CME ERROR 133 (requested service option not subscribed)"], ALL),
        case(
            "CME without space",
            at(),
            "+CME ERROR:53\r\n",
            &["response 0 AT -> +CME ERROR 53 (not attached to network due to MT functionality restrictions)"],
            ALL,
        ),
        case("CME unknown text", at(), "+CME ERROR: flux capacitor\r\n", &["response 0 AT -> +CME ERROR (flux capacitor)"], ALL),
    ]);
}

#[test]
fn urcs_mid_command_never_touch_the_response() {
    check(vec![
        case(
            "+CMTI before the answer",
            csq(),
            "\r\n+CMTI: \"SM\",3\r\n\r\n+CSQ: 20,99\r\n\r\nOK\r\n",
            &[
                "urc NewMessage { storage: \"SM\", index: 3 }",
                "response 0 AT+CSQ -> OK\n  +CSQ: 20,99",
            ],
            ALL,
        ),
        case(
            "RING and ^RSSI between answer and OK",
            csq(),
            "+CSQ: 20,99\r\nRING\r\n^RSSI:18\r\nOK\r\n",
            &["urc Ring", "urc HuaweiRssi(18)", "response 0 AT+CSQ -> OK\n  +CSQ: 20,99"],
            ALL,
        ),
        case(
            "+CREG URC during +CSQ",
            csq(),
            "+CREG: 1\r\n+CSQ: 20,99\r\nOK\r\n",
            &[
                "urc Registration { domain: Cs, registration: Registration { mode: None, status: Home, lac: None, ci: None, act: None } }",
                "response 0 AT+CSQ -> OK\n  +CSQ: 20,99",
            ],
            ALL,
        ),
        case(
            "ready URCs during a command",
            at(),
            "\r\nCall Ready\r\n\r\nSMS Ready\r\n\r\nOK\r\n",
            &["urc Ready(CallReady)", "urc Ready(SmsReady)", "response 0 AT -> OK"],
            ALL,
        ),
    ]);
}

#[test]
fn creg_is_a_response_during_the_query_and_a_urc_otherwise() {
    check(vec![
        case("response", creg(), "\r\n+CREG: 0,1\r\n\r\nOK\r\n", &["response 0 AT+CREG? -> OK\n  +CREG: 0,1"], ALL),
        case(
            "URC, idle",
            vec![],
            "\r\n+CREG: 5,\"00C3\",\"0010AAD1\",7\r\n",
            &["urc Registration { domain: Cs, registration: Registration { mode: None, status: Roaming, lac: Some(195), ci: Some(1092305), act: Some(EUtran) } }"],
            ALL,
        ),
        case(
            "URC, other command pending",
            at(),
            "\r\n+CREG: 2\r\n",
            &["urc Registration { domain: Cs, registration: Registration { mode: None, status: Searching, lac: None, ci: None, act: None } }"],
            ALL,
        ),
    ]);
}

#[test]
fn two_line_urcs() {
    let cmt = format!("\r\n+CMT: ,23\r\n{PDU}\r\n");
    let cmt_alpha = format!("+CMT: \"+358401234567\",23\r\n{PDU}\r\n");
    let cds = format!("+CDS: 25\r\n{PDU}\r\n");
    let mid = format!("+CMT: ,23\r\n{PDU}\r\n+CSQ: 1,2\r\nOK\r\n");
    check(vec![
        case(
            "+CMT PDU",
            vec![],
            &cmt,
            &[&format!("urc Message {{ alpha: None, length: 23, pdu: \"{PDU}\" }}")],
            ALL,
        ),
        case(
            "+CMT PDU with alpha",
            vec![],
            &cmt_alpha,
            &[&format!("urc Message {{ alpha: Some(\"+358401234567\"), length: 23, pdu: \"{PDU}\" }}")],
            ALL,
        ),
        case(
            "+CDS PDU",
            vec![],
            &cds,
            &[&format!("urc StatusReport {{ length: 25, pdu: \"{PDU}\" }}")],
            ALL,
        ),
        case(
            "+CMT in the middle of a command",
            csq(),
            &mid,
            &[
                &format!("urc Message {{ alpha: None, length: 23, pdu: \"{PDU}\" }}"),
                "response 0 AT+CSQ -> OK\n  +CSQ: 1,2",
            ],
            ALL,
        ),
        case(
            "+CMT text mode",
            vec![],
            "+CMT: \"+31612345678\",,\"24/01/01,12:00:00+04\"\r\nOK see you\r\n",
            &["urc MessageText { header: \"\\\"+31612345678\\\",,\\\"24/01/01,12:00:00+04\\\"\", text: \"OK see you\" }"],
            ALL,
        ),
        case(
            "+CDS text mode is one line",
            vec![],
            "+CDS: 6,12,\"+31612345678\",145,\"24/01/01,12:00:00+04\",\"24/01/01,12:00:05+04\",0\r\n",
            &["urc StatusReportText { fields: \"6,12,\\\"+31612345678\\\",145,\\\"24/01/01,12:00:00+04\\\",\\\"24/01/01,12:00:05+04\\\",0\" }"],
            ALL,
        ),
        case(
            "data line never came",
            at(),
            "+CMT: ,23\r\nOK\r\n",
            &["warning TruncatedUrc { header: \"+CMT: ,23\" }", "response 0 AT -> OK"],
            ALL,
        ),
        case("header waits for its data line", vec![], "+CMT: ,23\r\n", &[], 11),
    ]);
}

#[test]
fn echo_on_and_off() {
    check(vec![
        case(
            "echo on",
            csq(),
            "AT+CSQ\r\r\n+CSQ: 20,99\r\n\r\nOK\r\n",
            &["response 0 AT+CSQ -> OK\n  +CSQ: 20,99"],
            ALL,
        ),
        case(
            "echo off",
            csq(),
            "\r\n+CSQ: 20,99\r\n\r\nOK\r\n",
            &["response 0 AT+CSQ -> OK\n  +CSQ: 20,99"],
            ALL,
        ),
        case(
            "echo of a basic command",
            vec![cmd("ATE0", Expect::nothing())],
            "ATE0\r\r\nOK\r\n",
            &["response 0 ATE0 -> OK"],
            ALL,
        ),
        case(
            "echo in lower case",
            csq(),
            "at+csq\r+CSQ: 1,2\rOK\r",
            &["response 0 AT+CSQ -> OK\n  +CSQ: 1,2"],
            ALL,
        ),
        case(
            "an echo while idle is unexpected",
            vec![],
            "AT+CSQ\r\n",
            &["warning UnexpectedLine(\"AT+CSQ\")"],
            ALL,
        ),
    ]);
}

#[test]
fn cr_only_and_lf_only_devices() {
    check(vec![
        case(
            "CR only",
            csq(),
            "\r+CSQ: 20,99\r\rOK\r",
            &["response 0 AT+CSQ -> OK\n  +CSQ: 20,99"],
            ALL,
        ),
        case(
            "LF only",
            csq(),
            "\n+CSQ: 20,99\n\nOK\n",
            &["response 0 AT+CSQ -> OK\n  +CSQ: 20,99"],
            ALL,
        ),
        case(
            "LF CR",
            csq(),
            "\n\r+CSQ: 20,99\n\r\n\rOK\n\r",
            &["response 0 AT+CSQ -> OK\n  +CSQ: 20,99"],
            ALL,
        ),
        case("URC with CR only", vec![], "\r^RSSI:7\r", &["urc HuaweiRssi(7)"], ALL),
    ]);
}

#[test]
fn garbage_and_partial_input() {
    check(vec![
        case(
            "garbage before a line",
            at(),
            b"\0\0\xff\r\nOK\r\n",
            &["warning Garbage { bytes: 3 }", "response 0 AT -> OK"],
            ALL,
        ),
        case(
            "garbage inside a line",
            at(),
            b"O\0K\r\n",
            &["warning Garbage { bytes: 1 }", "response 0 AT -> OK"],
            ALL,
        ),
        case("garbage alone", vec![], b"\x01\x02\x80", &["warning Garbage { bytes: 3 }"], ALL),
        case("partial line", at(), "OK", &[], 0),
        case("terminators first", at(), "\r\nOK", &[], 2),
        case("line then partial", csq(), "+CSQ: 20,99\r\nO", &[], 13),
        case(
            "unknown line during a command",
            csq(),
            "+FOO: 1\r\n",
            &["warning UnexpectedLine(\"+FOO: 1\")"],
            ALL,
        ),
        case(
            "stray final result while idle",
            vec![],
            "\r\nOK\r\n",
            &["warning UnexpectedLine(\"OK\")"],
            ALL,
        ),
        case("NO CARRIER while idle", vec![], "\r\nNO CARRIER\r\n", &["urc NoCarrier"], ALL),
        case("numeric NO CARRIER while idle", vec![], "3\r", &["urc NoCarrier"], ALL),
    ]);
}

#[test]
fn extra_urc_prefixes_from_the_profile() {
    let config = EngineConfig {
        extra_urc_prefixes: vec!["+FOO:".to_owned(), "$GPS".to_owned()],
        ..EngineConfig::default()
    };
    check(vec![
        with_config(
            case(
                "profile URC during a command",
                csq(),
                "+FOO: 1\r\n$GPSACP: 1\r\n+CSQ: 9,9\r\nOK\r\n",
                &[
                    "urc Other { prefix: \"+FOO:\", line: \"+FOO: 1\" }",
                    "urc Other { prefix: \"$GPS\", line: \"$GPSACP: 1\" }",
                    "response 0 AT+CSQ -> OK\n  +CSQ: 9,9",
                ],
                ALL,
            ),
            config.clone(),
        ),
        with_config(
            case(
                "the command's own prefix wins over a profile prefix",
                vec![cmd("AT+FOO?", Expect::lines(&["+FOO:"]))],
                "+FOO: 1\r\nOK\r\n",
                &["response 0 AT+FOO? -> OK\n  +FOO: 1"],
                ALL,
            ),
            config,
        ),
    ]);
}

#[test]
fn overlong_lines_are_dropped_and_counted() {
    let config = EngineConfig { max_line_len: 32, ..EngineConfig::default() };
    let long = "A".repeat(40);
    check(vec![
        with_config(
            case(
                "complete over-long line",
                at(),
                format!("{long}\r\nOK\r\n"),
                &["warning LineTooLong { bytes: 40 }", "response 0 AT -> OK"],
                ALL,
            ),
            config.clone(),
        ),
        with_config(case("over-long line still arriving", at(), &long, &[], 40), config.clone()),
        with_config(
            case(
                "over-long data line of a two-line URC",
                at(),
                format!("+CMT: ,23\r\n{long}\r\nOK\r\n"),
                &[
                    "warning LineTooLong { bytes: 40 }",
                    "warning TruncatedUrc { header: \"+CMT: ,23\" }",
                    "response 0 AT -> OK",
                ],
                ALL,
            ),
            config,
        ),
    ]);
    // The warning comes once the line ends, however it was split.
    let mut engine = Engine::new(EngineConfig { max_line_len: 32, ..EngineConfig::default() });
    let (events, _) = run(&mut engine, &at(), long.as_bytes());
    assert!(events.is_empty());
    let (events, _) = run(&mut engine, &[], &b"AAAA\r\nOK\r\n"[..]);
    assert_eq!(events, ["warning LineTooLong { bytes: 44 }", "response 0 AT -> OK"]);
    assert_eq!(engine.stats().overlong_lines, 1);
}

#[test]
fn multi_line_responses() {
    let two = format!("+CMGL: 1,0,,23\r\n{PDU}\r\n+CMGL: 2,1,,23\r\n{PDU}\r\n\r\nOK\r\n");
    check(vec![
        case(
            "+CMGL listing",
            cmgl(),
            &two,
            &[&format!("response 0 AT+CMGL=4 -> OK\n  +CMGL: 1,0,,23\n  {PDU}\n  +CMGL: 2,1,,23\n  {PDU}")],
            ALL,
        ),
        case(
            "a data line that looks like a numeric result or a URC",
            vec![cmd("AT+CMGL=\"ALL\"", Expect::lines_with_data(&["+CMGL:"]))],
            "+CMGL: 1,\"REC READ\",\"+31612345678\",,\"24/01/01,12:00:00+04\"\r\n0\r\n+CMGL: 2,\"REC READ\",\"+31612345678\",,\"24/01/01,12:00:00+04\"\r\nRING\r\nOK\r\n",
            &["response 0 AT+CMGL=\"ALL\" -> OK\n  +CMGL: 1,\"REC READ\",\"+31612345678\",,\"24/01/01,12:00:00+04\"\n  0\n  +CMGL: 2,\"REC READ\",\"+31612345678\",,\"24/01/01,12:00:00+04\"\n  RING"],
            ALL,
        ),
        case(
            "a header without its data line",
            vec![cmd("AT+CMGR=3", Expect::lines_with_data(&["+CMGR:"]))],
            "+CMGR: 0,,0\r\n\r\nOK\r\n",
            &["response 0 AT+CMGR=3 -> OK\n  +CMGR: 0,,0"],
            ALL,
        ),
        case(
            "bare identification lines",
            vec![cmd("AT+CGMI", Expect::bare(&["+CGMI:"]))],
            "AT+CGMI\r\r\nSIMCOM_Ltd\r\n\r\nOK\r\n",
            &["response 0 AT+CGMI -> OK\n  SIMCOM_Ltd"],
            ALL,
        ),
    ]);
}

#[test]
fn prompt_and_urcs_mid_prompt() {
    check(vec![
        case("prompt", cmgs(), "AT+CMGS=14\r\r\n> ", &[], 15),
        case("prompt without space", cmgs(), "\r\n>", &[], 3),
        case(
            "URC before the prompt",
            cmgs(),
            "\r\n+CMTI: \"SM\",1\r\n\r\n> ",
            &["urc NewMessage { storage: \"SM\", index: 1 }"],
            ALL,
        ),
        case("unexpected prompt while idle", vec![], "\r\n> ", &["warning UnexpectedPrompt"], ALL),
        case(
            "error instead of the prompt",
            cmgs(),
            "\r\n+CMS ERROR: 304\r\n",
            &["response 0 AT+CMGS=14 -> +CMS ERROR 304 (invalid PDU mode parameter)"],
            ALL,
        ),
    ]);
}

/// The whole +CMGS exchange, checking what the engine transmits, with URCs
/// before the prompt, between the body and the answer, and an echoed body.
#[test]
fn cmgs_exchange_transmits_body_after_prompt() {
    let mut engine = Engine::new(EngineConfig::default());
    let id = engine.send(cmgs().remove(0), t0());
    assert_eq!(drain_transmits(&mut engine), [b"AT+CMGS=14\r".to_vec()]);
    let (events, _) = run(&mut engine, &[], &b"AT+CMGS=14\r\r\n+CMTI: \"SM\",1\r\n"[..]);
    assert_eq!(events, ["urc NewMessage { storage: \"SM\", index: 1 }"]);
    assert_eq!(drain_transmits(&mut engine), Vec::<Vec<u8>>::new(), "no body before the prompt");
    engine.handle_input(b"\r\n> ", t0());
    assert_eq!(drain_transmits(&mut engine), [b"0011000B911326880736F40000A900\x1a".to_vec()]);
    let answer =
        b"0011000B911326880736F40000A900\x1a\r\n+CDSI: \"SR\",2\r\n\r\n+CMGS: 7\r\n\r\nOK\r\n";
    let (events, consumed) = run(&mut engine, &[], answer);
    assert_eq!(
        events,
        [
            "urc StatusReportStored { storage: \"SR\", index: 2 }",
            "response 0 AT+CMGS=14 -> OK\n  +CMGS: 7",
        ]
    );
    assert_eq!(consumed, answer.len());
    assert_eq!(id.get(), 0);
    assert_eq!(engine.pending(), None);
}

#[test]
fn unexpected_prompt_is_cancelled_with_escape() {
    let mut engine = Engine::new(EngineConfig::default());
    engine.handle_input(b"\r\n> ", t0());
    assert_eq!(drain_transmits(&mut engine), [vec![0x1B]]);
    assert_eq!(engine.stats().unexpected_prompts, 1);
}

#[test]
fn queued_commands_go_out_one_at_a_time() {
    let mut engine = Engine::new(EngineConfig::default());
    engine.send(cmd("AT", Expect::nothing()), t0());
    engine.send(cmd("AT+CSQ", Expect::lines(&["+CSQ:"])), t0());
    assert_eq!(drain_transmits(&mut engine), [b"AT\r".to_vec()]);
    assert_eq!(engine.queued(), 1);
    let (events, _) = run(&mut engine, &[], &b"OK\r\n"[..]);
    assert_eq!(events, ["response 0 AT -> OK"]);
    assert_eq!(drain_transmits(&mut engine), [b"AT+CSQ\r".to_vec()]);
    let (events, _) = run(&mut engine, &[], &b"+CSQ: 5,0\r\nOK\r\n"[..]);
    assert_eq!(events, ["response 1 AT+CSQ -> OK\n  +CSQ: 5,0"]);
    assert_eq!(engine.poll_timeout(), None);
}

#[test]
fn response_line_limit() {
    let mut engine = Engine::new(EngineConfig { max_response_lines: 2, ..EngineConfig::default() });
    let (events, _) = run(
        &mut engine,
        &[cmd("AT+CPMS?", Expect::lines(&["+CPMS:"]))],
        &b"+CPMS: 1\r\n+CPMS: 2\r\n+CPMS: 3\r\n+CPMS: 4\r\nOK\r\n"[..],
    );
    assert_eq!(
        events,
        [
            "warning ResponseTooLong { id: CommandId(0) }",
            "response 0 AT+CPMS? -> OK\n  +CPMS: 1\n  +CPMS: 2",
        ]
    );
    assert_eq!(engine.stats().dropped_response_lines, 2);
}

#[test]
fn byte_at_a_time_gives_the_same_events() {
    let input = format!(
        "AT+CMGL=4\r\r\n^RSSI:9\r\n+CMGL: 1,0,,23\r\n{PDU}\r\n+CMT: ,23\r\n{PDU}\r\n\r\nOK\r\n"
    );
    let mut whole = Engine::new(EngineConfig::default());
    let (expected, _) = run(&mut whole, &cmgl(), input.as_bytes());
    let mut split = Engine::new(EngineConfig::default());
    let mut events = run(&mut split, &cmgl(), &[]).0;
    for byte in input.bytes() {
        events.extend(run(&mut split, &[], &[byte]).0);
    }
    assert_eq!(events, expected);
    assert_eq!(expected.len(), 3);
}
