//! The README's first steps, end to end: `bubblegate demo` starts the
//! gateway with simulated modems on PTYs, prints where its API and admin
//! token are, `bubblegate send` through it is delivered to the other
//! simulated modem and shows up in the inbox, and SIGTERM stops it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bubblegate_api::client::Client;
use bubblegate_api::MessageStatus;

use crate::daemon_support::{runtime, Guard, WAIT};

#[test]
fn demo_delivers_a_first_message_sent_with_the_cli() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("state");
    let log = std::fs::File::create(dir.path().join("demo.log")).expect("log");
    let child = Command::new(env!("CARGO_BIN_EXE_bubblegate"))
        .args(["demo", "--modems", "2", "--fast", "--listen", "127.0.0.1:0", "--dir"])
        .arg(&state)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("bubblegate demo starts");
    let mut demo = Guard(child);
    let stdout = demo.0.stdout.take().expect("stdout");
    let lines = crate::support::startup_lines(stdout, "Ctrl-C", WAIT);
    let hint = lines.join("\n");
    let api = lines
        .iter()
        .find_map(|l| l.trim().strip_prefix("API").map(|rest| rest.trim().to_owned()))
        .unwrap_or_else(|| panic!("no API line in:\n{hint}"));
    let token_file = state.join("admin-token");
    assert!(hint.contains(&token_file.display().to_string()), "{hint}");
    let token = std::fs::read_to_string(&token_file).expect("token file").trim().to_owned();
    assert!(!hint.contains(&token), "the hint must not print the token:\n{hint}");
    // The hint's own command, pointed at this demo.
    let send_line = lines
        .iter()
        .find(|l| l.trim_start().starts_with("bubblegate send"))
        .unwrap_or_else(|| panic!("no send command in:\n{hint}"));
    let to = send_line.split_whitespace().nth(3).expect("number in the send line").to_owned();

    let output = Command::new(env!("CARGO_BIN_EXE_bubblegate"))
        .args(["send", "--to", &to, "--text", "hi from the demo test", "--wait"])
        .env("BUBBLEGATE_API", &api)
        .env("BUBBLEGATE_TOKEN_FILE", &token_file)
        .env_remove("BUBBLEGATE_TOKEN")
        .output()
        .expect("bubblegate send runs");
    assert!(
        output.status.success(),
        "send failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );

    runtime().block_on(async {
        let client =
            Client::new(&api, Some(token.clone()), Duration::from_secs(10)).expect("client");
        let start = Instant::now();
        loop {
            let page = client.inbox(None, Some(10)).await.expect("inbox");
            if let Some(m) = page.messages.iter().find(|m| m.text == "hi from the demo test") {
                assert!(m.complete);
                break;
            }
            assert!(start.elapsed() < WAIT, "the message never reached the other modem's inbox");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // Delivered, per the status report the network sent back.
        let request = bubblegate_api::SmsRequest {
            to: to.clone(),
            text: "second".into(),
            ..Default::default()
        };
        let id = client.submit(&request).await.expect("submit").id;
        let start = Instant::now();
        loop {
            let m = client.message(&id).await.expect("message").expect("known");
            if m.status == MessageStatus::Delivered {
                break;
            }
            assert!(start.elapsed() < WAIT, "not delivered: {m:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });

    let pid = demo.0.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = demo.0.try_wait().expect("wait") {
            break status;
        }
        assert!(start.elapsed() < WAIT, "demo did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "demo exit: {status}");
    assert!(!state.join("sim/modem0").exists(), "the PTY paths are removed at exit");
}
