//! `bubblegate run` as systemd and a person meet it: a configuration error
//! exits 2 naming the key, `--check` accepts the example file, and a
//! running daemon tells systemd READY=1, pings WATCHDOG=1 and says
//! STOPPING=1 on SIGTERM, then exits 0.

use std::os::unix::net::UnixDatagram;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::daemon_support::{write_config, Guard, Sim, WAIT};

fn bubblegate() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bubblegate"))
}

#[test]
fn a_bad_configuration_exits_2_naming_the_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bad.toml");
    let table = [
        ("[store]\nsqlite = \"x.db\"\n[api]\nadmin_token = \"0123456789abcdef\"\n[[modems]]\nid = \"m\"\nport = \"/dev/x\"\nrate_limit = 0\n", "modems[0].rate_limit"),
        ("[store]\nsqlite = \"x.db\"\n[api]\nadmin_tokn = \"x\"\n", "admin_tokn"),
        ("[api]\nadmin_token = \"0123456789abcdef\"\n", "`store`"),
    ];
    for (text, key) in table {
        std::fs::write(&path, text).expect("write");
        let output =
            bubblegate().args(["run", "--check", "--config"]).arg(&path).output().expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{text}: {stderr}");
        assert!(stderr.contains(key), "{text}: {stderr}");
    }
}

#[test]
fn the_example_configuration_passes_check() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../hw/bubblegate.example.toml");
    let output = bubblegate()
        .args(["run", "--check", "--config", example])
        .env("BUBBLEGATE_ADMIN_TOKEN", "0123456789abcdef0123")
        .env("BUBBLEGATE_PIN_HAT", "1234")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("configuration is valid (2 modems)"), "{stdout}");
    // A misspelt override is refused, naming it.
    let output = bubblegate()
        .args(["run", "--check", "--config", example])
        .env("BUBBLEGATE_ADMIN_TOKEN", "0123456789abcdef0123")
        .env("BUBBLEGATE_PIN_HAT", "1234")
        .env("BUBBLEGATE_API__LISTN", "0.0.0.0:1")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("BUBBLEGATE_API__LISTN"));
}

#[test]
fn run_notifies_systemd_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = Sim::start(dir.path(), 1);
    let config = write_config(dir.path(), &sim, "");
    let socket_path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).expect("notify socket");
    socket.set_read_timeout(Some(Duration::from_millis(200))).expect("timeout");
    let child = bubblegate()
        .args(["run", "--config"])
        .arg(&config)
        .env("NOTIFY_SOCKET", &socket_path)
        .env("WATCHDOG_USEC", "1000000")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("bubblegate run starts");
    let mut daemon = Guard(child);
    let mut seen = Vec::new();
    let read_until = |want: &str, seen: &mut Vec<String>| {
        let start = Instant::now();
        let mut buf = [0u8; 512];
        while !seen.iter().any(|m| m.contains(want)) {
            assert!(start.elapsed() < WAIT, "no {want} in {seen:?}");
            if let Ok(n) = socket.recv(&mut buf) {
                seen.push(String::from_utf8_lossy(&buf[..n]).to_string());
            }
        }
    };
    read_until("READY=1", &mut seen);
    read_until("WATCHDOG=1", &mut seen);
    let pid = daemon.0.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
    read_until("STOPPING=1", &mut seen);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = daemon.0.try_wait().expect("wait") {
            break status;
        }
        assert!(start.elapsed() < WAIT, "did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
}
