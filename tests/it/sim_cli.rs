//! `bubblegate sim` as a person runs it: it prints each modem's path and
//! number and the control address, the paths answer AT, the control
//! interface lists the modems, and Ctrl-C (SIGINT) stops it cleanly with
//! every path removed. Bad arguments exit 2 with a message.

use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use bubblegate_simulator::client::ControlClient;
use bubblegate_simulator::serial::SerialClient;

const WAIT: Duration = Duration::from_secs(20);

fn bubblegate() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bubblegate"))
}

/// Kills the child if a test fails half-way, so no simulator outlives it.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn sim_prints_paths_that_answer_and_stops_cleanly_on_ctrl_c() {
    let dir = tempfile::tempdir().expect("temp dir");
    let child = bubblegate()
        .args(["sim", "--modems", "2", "--profile", "simcom-sim800", "--fast"])
        .args(["--control", "127.0.0.1:0", "--dir"])
        .arg(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bubblegate sim starts");
    let mut running = Running(child);
    let stdout = running.0.stdout.take().expect("stdout");
    let lines = crate::support::startup_lines(stdout, "Ctrl-C", WAIT);

    // modem0  path <dir>/modem0  number +31600000001  imsi ...  profile simcom-sim800
    let modems: Vec<Vec<&str>> = lines
        .iter()
        .filter(|l| l.starts_with("modem"))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(modems.len(), 2, "{lines:?}");
    for (i, fields) in modems.iter().enumerate() {
        assert_eq!(fields[0], format!("modem{i}"));
        assert_eq!(
            fields[1..3],
            ["path", dir.path().join(format!("modem{i}")).to_str().expect("UTF-8")]
        );
        assert_eq!(fields[3], "number");
        assert!(fields[4].starts_with('+'), "{fields:?}");
        assert_eq!(fields[7..9], ["profile", "simcom-sim800"]);
    }
    let control = lines
        .iter()
        .find_map(|l| l.strip_prefix("control http://"))
        .expect("control line")
        .parse()
        .expect("a socket address");

    let paths: Vec<PathBuf> = (0..2).map(|i| dir.path().join(format!("modem{i}"))).collect();
    for path in &paths {
        let mut port = SerialClient::open(path).expect("opens the printed path");
        let ok = port.command("AT", WAIT).expect("AT");
        assert!(ok.ends_with("OK\r\n"), "{ok:?}");
    }

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let listed = rt.block_on(ControlClient::new(control).get("/modems")).expect("GET /modems");
    assert_eq!(listed.status, 200);
    assert_eq!(listed.body[1]["path"], paths[1].to_str().expect("UTF-8"));
    assert_eq!(listed.body[1]["number"], modems[1][4]);

    let interrupt =
        Command::new("kill").arg("-INT").arg(running.0.id().to_string()).status().expect("kill");
    assert!(interrupt.success());
    let status = wait_timeout(&mut running.0, WAIT).expect("stops after Ctrl-C");
    assert!(status.success(), "exit: {status:?}");
    for path in &paths {
        assert!(std::fs::symlink_metadata(path).is_err(), "{} removed", path.display());
    }
}

/// Waits for the child to exit, for at most `timeout`.
fn wait_timeout(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn sim_help_teaches_how_to_point_software_at_a_modem() {
    let out = bubblegate().args(["sim", "--help"]).output().expect("runs");
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).expect("UTF-8");
    for needle in
        ["--modems", "--profile", "--dir", "--control", "gammu", "picocom", "minicom", "curl"]
    {
        assert!(help.contains(needle), "{needle} in:\n{help}");
    }
}

#[test]
fn sim_rejects_bad_arguments_with_status_2() {
    let cases: [(&[&str], &str); 3] = [
        (&["--control", "0.0.0.0:8725"], "loopback"),
        (&["--profile", "no-such-modem"], "no profile `no-such-modem`"),
        (&["--modems", "1", "--profile", "generic", "--profile", "generic"], "2 --profile options"),
    ];
    for (args, message) in cases {
        let out = bubblegate().arg("sim").args(args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}
