//! `hw/bubblegate.service` is a unit that systemd accepts: `systemd-analyze
//! verify` runs on it, with `ExecStart` pointed at the binary under test
//! (verify checks that the executable exists).

use std::path::Path;
use std::process::Command;

fn unit_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../hw/bubblegate.service");
    std::fs::read_to_string(path).expect("hw/bubblegate.service exists")
}

/// Runs `systemd-analyze verify` on `text`; `None` when systemd-analyze is
/// missing. Returns whether it passed, and what it printed about the unit.
fn verify(text: &str) -> Option<(bool, String)> {
    let dir =
        std::env::temp_dir().join(format!("bubblegate-unit-{}-{}", std::process::id(), text.len()));
    std::fs::create_dir_all(&dir).ok()?;
    let unit = dir.join("bubblegate.service");
    let text = text.replace("/usr/bin/bubblegate", env!("CARGO_BIN_EXE_bubblegate"));
    std::fs::write(&unit, text).ok()?;
    let out = Command::new("systemd-analyze").arg("verify").arg(&unit).output().ok()?;
    let _ = std::fs::remove_dir_all(&dir);
    let said =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    let about_unit: String =
        said.lines().filter(|l| l.contains("bubblegate.service")).collect::<Vec<_>>().join("\n");
    Some((out.status.success() && about_unit.is_empty(), about_unit))
}

#[test]
fn systemd_accepts_the_unit() {
    let text = unit_text();
    let Some((ok, said)) = verify(&text) else {
        eprintln!("SKIPPED systemd_accepts_the_unit: systemd-analyze is not installed");
        return;
    };
    assert!(ok, "systemd-analyze verify rejects hw/bubblegate.service:\n{said}");
    for needed in ["Type=notify", "WatchdogSec=", "NoNewPrivileges=yes", "ProtectSystem=strict"] {
        assert!(text.contains(needed), "the unit sets {needed}");
    }
    // The same check rejects a broken unit, so a pass means something.
    let broken = text.replace("Type=notify", "Type=notifyy");
    let (broken_ok, _) = verify(&broken).expect("systemd-analyze ran once already");
    assert!(!broken_ok, "a unit with an invalid Type= must not verify");
}
