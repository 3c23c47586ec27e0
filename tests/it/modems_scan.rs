//! `bubblegate modems scan` against a simulator running as its own
//! process, as a person would point it at `bubblegate sim`: the simulated
//! modem's PTY link is identified and matched to its profile, and paths
//! that are not modems are reported with their cause instead of failing
//! the scan. `--only` keeps the scan off the machine's real serial ports.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

const WAIT: Duration = Duration::from_secs(20);

fn bubblegate() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bubblegate"))
}

/// Kills the simulator when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `bubblegate sim` with one modem playing `profile` and returns
/// once it has printed its start-up lines (its PTY path exists by then).
fn start_sim(dir: &Path, profile: &str) -> Running {
    let child = bubblegate()
        .args(["sim", "--modems", "1", "--profile", profile, "--fast"])
        .args(["--control", "127.0.0.1:0", "--dir"])
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("bubblegate sim starts");
    let mut running = Running(child);
    let stdout = running.0.stdout.take().expect("stdout");
    crate::support::startup_lines(stdout, "Ctrl-C", WAIT);
    running
}

/// Runs `bubblegate modems scan` with `args`, bounded by the scan's own
/// per-port timeout (it probes concurrently).
fn scan(args: &[&str]) -> Output {
    bubblegate()
        .args(["modems", "scan", "--only", "--timeout", "3"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("bubblegate modems scan runs")
}

fn json_lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

#[test]
fn scan_identifies_a_simulated_modem_and_reports_a_missing_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let _sim = start_sim(dir.path(), "quectel-ec25");
    let modem = dir.path().join("modem0");
    let missing = dir.path().join("ttyUSB9");
    let (modem, missing) = (modem.to_str().expect("UTF-8"), missing.to_str().expect("UTF-8"));

    let output = scan(&[modem, missing, "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let ports = json_lines(&output);
    assert_eq!(ports.len(), 2, "{ports:?}");

    let found = &ports[0];
    assert_eq!(found["path"], modem);
    assert!(found["device"].as_str().is_some_and(|d| d.starts_with("/dev/pts/")), "{found}");
    assert_eq!(found["status"], "ok");
    assert_eq!(found["error"], Value::Null);
    assert_eq!(found["usb"], Value::Null, "a PTY has no USB id");
    assert_eq!(found["manufacturer"], "Quectel");
    assert_eq!(found["model"], "EC25");
    assert!(found["revision"].as_str().is_some_and(|r| !r.is_empty()), "{found}");
    assert_eq!(found["profile"], "quectel-ec25");
    assert_eq!(found["matched_by"], "identity");

    let gone = &ports[1];
    assert_eq!(gone["path"], missing);
    assert_eq!(gone["status"], "not_found");
    assert!(gone["error"].as_str().is_some_and(|e| e.contains("no such serial port")), "{gone}");
    assert_eq!(gone["profile"], Value::Null);

    // The text form: one line per port, in the order given.
    let output = scan(&[modem, missing]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with(&format!("{modem} -> /dev/pts/")), "{text}");
    assert!(lines[0].contains("Quectel EC25 rev "), "{text}");
    assert!(lines[0].ends_with("profile quectel-ec25 (by identity)"), "{text}");
    assert!(lines[1].starts_with(missing) && lines[1].contains("no such serial port"), "{text}");

    // The simulated modem still answers: the scan released its port.
    let output = scan(&[modem, "--json"]);
    assert_eq!(json_lines(&output)[0]["status"], "ok");
}

#[test]
fn scan_without_a_modem_exits_1_and_still_reports_every_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("not-a-tty");
    std::fs::write(&file, b"").expect("file");
    let missing = dir.path().join("ttyACM7");
    let output = scan(&[file.to_str().expect("UTF-8"), missing.to_str().expect("UTF-8"), "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let statuses: Vec<Value> = json_lines(&output).iter().map(|p| p["status"].clone()).collect();
    assert_eq!(statuses, ["not_a_tty", "not_found"]);
}

#[test]
fn scan_help_explains_the_output_and_the_candidates() {
    let output = bubblegate().args(["modems", "scan", "--help"]).output().expect("runs");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for needle in ["/dev/serial/by-id", "AT+CGMI", "busy", "--only", "Exit status", "--json"] {
        assert!(help.contains(needle), "--help mentions {needle}:\n{help}");
    }
    // `--only` without a path would probe nothing: refused by clap.
    let output = bubblegate().args(["modems", "scan", "--only"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
}
