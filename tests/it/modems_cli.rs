//! `bubblegate modems profiles`: lists every profile with its sources, and
//! reports a broken user profile by file and key.

use std::fs;
use std::path::Path;
use std::process::Command;

fn bubblegate(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bubblegate"))
        .args(args)
        .output()
        .expect("the bubblegate binary runs")
}

fn profile_names() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../modem-profiles");
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("modem-profiles/ is readable")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
        .map(|p| p.file_stem().expect("stem").to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn lists_every_profile_with_its_sources() {
    let out = bubblegate(&["modems", "profiles"]);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let names = profile_names();
    assert!(names.len() >= 14, "{names:?}");
    for name in &names {
        let header = stdout.lines().find(|l| l.starts_with(&format!("{name}  ")));
        assert!(header.is_some(), "{name} is listed:\n{stdout}");
    }
    // One block per profile, each with its match rules, MMS method, sources.
    for label in ["  match:", "  mms:", "  sources:", "  file:"] {
        assert_eq!(stdout.matches(label).count(), names.len(), "{label}");
    }
    assert!(stdout.contains("SIM800 Series AT Command Manual, V1.09 (2015-08-03)"));
    assert!(stdout.contains("usb 2c7c:0125 (AT if 2)"));
    assert!(stdout.contains("modem AT (+QMMSCFG, +QMMSEDIT, +QMMSEND)"));
    assert!(stdout.contains("generic  Any"));
    assert!(stdout.contains("fallback when nothing else matches"));
}

#[test]
fn a_user_directory_extends_the_list_and_errors_name_the_file() {
    // A private directory under the system temp dir, removed at the end.
    let dir = std::env::temp_dir().join(format!("bubblegate-modems-cli-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("temp dir");
    let generic = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../modem-profiles/generic.toml"),
    )
    .expect("generic profile");
    let site = generic.replacen("name = \"generic\"", "name = \"site-modem\"", 1).replacen(
        "usb = []",
        "usb = [\"1234:5678\"]",
        1,
    );
    fs::write(dir.join("site-modem.toml"), site).expect("write profile");
    let dir_arg = dir.to_str().expect("UTF-8 path");

    let out = bubblegate(&["modems", "profiles", "--dir", dir_arg]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("site-modem  Any"), "{stdout}");
    assert!(stdout.contains("usb 1234:5678"), "{stdout}");

    fs::write(dir.join("broken.toml"), "name = \"broken\"\n").expect("write profile");
    let out = bubblegate(&["modems", "profiles", "--dir", dir_arg]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken.toml"), "{stderr}");
    let _ = fs::remove_dir_all(&dir);
}
