//! Probing ports the way `bubblegate modems scan` does: a simulated modem
//! on a real PTY identifies itself, a silent PTY and a held port do not
//! stall or disturb anything, and missing paths are reported.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bubblegate_serial::scan::{candidates, probe, scan, Identity, ProbeError, ScanConfig};
use bubblegate_serial::{open_exclusive, SerialError, SerialSettings, Sysfs};
use bubblegate_simulator::bubblegate_sim::{NetworkConfig, ProfileSet};
use bubblegate_simulator::{Adapter, ModemConfig, Simulator, SimulatorConfig};

async fn start(dir: &Path, profiles: &[&str]) -> Simulator {
    let set = ProfileSet::builtin().expect("built-in profiles");
    let modems = profiles
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let profile = set.get(name).expect("profile").clone();
            ModemConfig::new(Arc::new(profile), i as u32, Adapter::Pty)
        })
        .collect();
    let config = SimulatorConfig {
        dir: dir.to_path_buf(),
        modems,
        control: None,
        network: NetworkConfig::fast(),
    };
    Simulator::start(config).await.expect("simulator starts")
}

fn config(timeout: Duration) -> ScanConfig {
    ScanConfig { timeout, ..ScanConfig::default() }
}

#[tokio::test]
async fn a_simulated_modem_identifies_itself_and_the_rest_say_why_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = start(dir.path(), &["quectel-ec25", "simcom-sim800"]).await;
    let ec25 = dir.path().join("modem0");
    let sim800 = dir.path().join("modem1");
    let missing = dir.path().join("ttyUSB9");
    // A terminal nobody answers on: a PTY whose master is kept and ignored.
    let (_master, silent) = silent_pty();
    let file = dir.path().join("file");
    std::fs::write(&file, b"").expect("file");
    // The same modem under a second name is probed once.
    let alias = dir.path().join("alias");
    std::os::unix::fs::symlink(&ec25, &alias).expect("alias");

    let paths =
        vec![ec25.clone(), missing.clone(), silent.clone(), alias, file.clone(), sim800.clone()];
    let started = tokio::time::Instant::now();
    let reports = scan(paths, &config(Duration::from_secs(3))).await;
    assert!(started.elapsed() < Duration::from_secs(5), "probes run concurrently and bounded");

    let paths: Vec<&Path> = reports.iter().map(|r| r.path.as_path()).collect();
    assert_eq!(paths, [&ec25, &missing, &silent, &file, &sim800]);

    let ec25_report = &reports[0];
    assert!(ec25_report.outcome.is_ok(), "{:?}", ec25_report.outcome);
    assert_eq!(ec25_report.identity.manufacturer.as_deref(), Some("Quectel"));
    assert_eq!(ec25_report.identity.model.as_deref(), Some("EC25"));
    assert!(ec25_report.identity.revision.is_some());
    assert!(ec25_report.device.as_ref().is_some_and(|d| d.starts_with("/dev/pts")));
    assert_eq!(ec25_report.usb, None, "a PTY has no USB parent");

    assert!(matches!(reports[1].outcome, Err(ProbeError::Open(SerialError::NotFound { .. }))));
    assert!(
        matches!(reports[2].outcome, Err(ProbeError::NoAnswer | ProbeError::TimedOut(_))),
        "{:?}",
        reports[2].outcome
    );
    assert_eq!(reports[2].identity, Identity::default());
    assert!(matches!(reports[3].outcome, Err(ProbeError::Open(SerialError::NotATty { .. }))));
    assert!(reports[4].outcome.is_ok());
    assert_eq!(reports[4].identity.manufacturer.as_deref(), Some("SIMCOM_Ltd"));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_port_in_use_is_reported_busy_with_its_holder_and_keeps_working() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = start(dir.path(), &["generic"]).await;
    let path = dir.path().join("modem0");
    let held = open_exclusive(&path, &SerialSettings::default()).await.expect("opens");

    let report = probe(&path, &config(Duration::from_secs(3))).await;
    match &report.outcome {
        Err(ProbeError::Open(SerialError::Busy { holder: Some(holder), .. })) => {
            assert_eq!(holder.pid, std::process::id());
        }
        other => panic!("expected busy naming this process, got {other:?}"),
    }
    drop(held);
    let report = probe(&path, &config(Duration::from_secs(3))).await;
    assert!(report.outcome.is_ok(), "free again: {:?}", report.outcome);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_modem_that_stops_answering_after_at_is_still_a_modem_with_what_it_said() {
    let (master, path) = silent_pty();
    // A fake modem: answers `AT` and `AT+CGMI`, then goes quiet.
    let modem = std::thread::spawn(move || {
        let mut pending = Vec::new();
        let mut buf = [0u8; 256];
        while let Ok(n @ 1..) = rustix::io::read(&master, &mut buf) {
            pending.extend_from_slice(&buf[..n]);
            while let Some(end) = pending.iter().position(|&b| b == b'\r') {
                let line: Vec<u8> = pending.drain(..=end).collect();
                let reply: &[u8] = match &line[..] {
                    b"AT\r" => b"\r\nOK\r\n",
                    b"AT+CGMI\r" => b"\r\nAcme\r\n\r\nOK\r\n",
                    _ => b"",
                };
                if rustix::io::write(&master, reply).is_err() {
                    return;
                }
            }
        }
    });
    let timeout = Duration::from_millis(2500);
    let started = tokio::time::Instant::now();
    let report = probe(&path, &config(timeout)).await;
    assert!(started.elapsed() < timeout + Duration::from_millis(500), "bounded by the timeout");
    assert!(report.outcome.is_ok(), "{:?}", report.outcome);
    assert_eq!(
        report.identity,
        Identity { manufacturer: Some("Acme".into()), model: None, revision: None }
    );
    // The fake modem's reads end when the port is closed.
    drop(report);
    modem.join().expect("fake modem thread");
}

#[test]
fn candidates_are_by_id_links_then_usb_ttys_then_pi_uarts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dev = dir.path().join("dev");
    std::fs::create_dir_all(dev.join("serial/by-id")).expect("by-id");
    for name in ["ttyUSB10", "ttyUSB2", "ttyACM0", "ttyS0", "tty1", "serial0", "null"] {
        std::fs::write(dev.join(name), b"").expect("node");
    }
    std::os::unix::fs::symlink("../../ttyUSB2", dev.join("serial/by-id/usb-Quectel-if02"))
        .expect("by-id link");
    let sysfs = Sysfs { sys: dir.path().join("sys"), dev: dev.clone() };
    let names: Vec<String> = candidates(&sysfs)
        .iter()
        .map(|p| p.strip_prefix(&dev).expect("under dev").display().to_string())
        .collect();
    assert_eq!(
        names,
        ["serial/by-id/usb-Quectel-if02", "ttyACM0", "ttyUSB2", "ttyUSB10", "serial0"]
    );
}

/// A PTY pair: the master, for the test to keep or serve, and the slave's
/// path (the probe's open puts it in raw mode).
fn silent_pty() -> (std::os::fd::OwnedFd, std::path::PathBuf) {
    use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("openpt");
    grantpt(&master).expect("grantpt");
    unlockpt(&master).expect("unlockpt");
    let name = ptsname(&master, Vec::new()).expect("ptsname");
    (master, std::path::PathBuf::from(name.to_str().expect("UTF-8")))
}
