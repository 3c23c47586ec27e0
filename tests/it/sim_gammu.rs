//! A real client against the simulator: Debian's `gammu` drives a
//! simulated modem through its pseudo-terminal, as it would a USB modem.
//!
//! - `gammu identify` succeeds and shows the profile's manufacturer and
//!   model;
//! - `gammu sendsms TEXT` sends a short text, and a 400-character Unicode
//!   text in concatenated UCS-2 parts (`-len 400 -unicode`);
//! - the simulated network then holds exactly those two messages,
//!   reassembled.
//!
//! Skips, saying so on stderr, when `gammu` is not installed, unless
//! `BUBBLEGATE_REQUIRE_GAMMU=1` (CI sets it), which makes that a failure.
//! On failure the message holds gammu's output and the modem's AT
//! transcript.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use bubblegate_profiles::ProfileSet;
use bubblegate_simulator::bubblegate_sim::NetworkConfig;
use bubblegate_simulator::client::ControlClient;
use bubblegate_simulator::{Adapter, ModemConfig, Simulator, SimulatorConfig};
use serde_json::{json, Value};

/// How long one gammu run may take.
const GAMMU_TIMEOUT: Duration = Duration::from_secs(60);

/// The profile the simulated modem plays.
const PROFILE: &str = "quectel-ec25";

fn gammu_binary() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join("gammu")).find(|p| p.is_file())
}

#[test]
fn gammu_identifies_the_modem_and_sends_short_and_long_unicode_texts() {
    let Some(gammu) = gammu_binary() else {
        if std::env::var("BUBBLEGATE_REQUIRE_GAMMU").as_deref() == Ok("1") {
            panic!("gammu is not installed, and BUBBLEGATE_REQUIRE_GAMMU=1 requires it");
        }
        eprintln!("skipping sim_gammu: gammu is not installed (apt-get install gammu)");
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let set = ProfileSet::builtin().expect("profiles");
    let profile = set.get(PROFILE).expect("profile").clone();
    let identity = profile.identity.clone();
    let config = SimulatorConfig {
        dir: dir.path().to_path_buf(),
        modems: vec![ModemConfig::new(profile.into(), 0, Adapter::Pty)],
        control: Some("127.0.0.1:0".parse().expect("address")),
        network: NetworkConfig::fast(),
    };
    let sim = rt.block_on(Simulator::start(config)).expect("simulator starts");
    let path = sim.modems()[0].path.clone().expect("PTY path");
    let rc = dir.path().join("gammurc");
    std::fs::write(&rc, format!("[gammu]\ndevice = {}\nconnection = at\n", path.display()))
        .expect("gammurc");
    let transcript = dir.path().join("modem0.log");
    let run = |args: &[&str]| run_gammu(&gammu, &rc, args, &transcript);

    let identify = run(&["identify"]);
    let stdout = String::from_utf8_lossy(&identify.stdout);
    assert!(stdout.contains(&identity.manufacturer), "manufacturer in:\n{stdout}");
    assert!(stdout.contains(&identity.model), "model in:\n{stdout}");

    let short = "Hello from gammu";
    run(&["sendsms", "TEXT", "+15551234567", "-text", short]);

    let long = long_unicode_text();
    assert_eq!(long.chars().count(), 400);
    run(&["sendsms", "TEXT", "+15557654321", "-len", "400", "-unicode", "-text", &long]);

    let client = ControlClient::new(sim.control_addr().expect("control"));
    let received = rt.block_on(client.get("/received")).expect("GET /received").body;
    let got: Vec<Value> = received
        .as_array()
        .expect("a list")
        .iter()
        .map(|m| json!({"to": m["to"], "body": m["body"], "complete": m["complete"]}))
        .collect();
    let want = [
        json!({"to": "+15551234567", "body": {"text": short}, "complete": true}),
        json!({"to": "+15557654321", "body": {"text": long}, "complete": true}),
    ];
    assert_eq!(got, want, "the network log:\n{received:#}\n{}", read(&transcript));
    assert_eq!(received[1]["parts"], 6, "400 UCS-2 units in 67-unit parts");

    rt.block_on(sim.shutdown());
}

/// 400 characters outside the GSM alphabet, none of them `~` (which
/// libgammu rewrites in UCS-2 for old Nokia phones) and all in the BMP.
fn long_unicode_text() -> String {
    let words = "Привет мир · Γειά σου κόσμε · 你好世界 · Grüße aus Köln · ";
    words.chars().cycle().take(400).collect()
}

/// Runs gammu with `rc`; panics with its output and the transcript if it
/// fails or does not end within [`GAMMU_TIMEOUT`].
fn run_gammu(gammu: &Path, rc: &Path, args: &[&str], transcript: &Path) -> Output {
    let child = Command::new(gammu)
        .arg("-c")
        .arg(rc)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gammu starts");
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let output = match rx.recv_timeout(GAMMU_TIMEOUT) {
        Ok(output) => output.expect("gammu output"),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("gammu {args:?} hung for {GAMMU_TIMEOUT:?}; transcript:\n{}", read(transcript));
        }
    };
    assert!(
        output.status.success(),
        "gammu {args:?} failed ({}):\nstdout:\n{}\nstderr:\n{}\ntranscript:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        read(transcript)
    );
    output
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| format!("({}: {e})", path.display()))
}
