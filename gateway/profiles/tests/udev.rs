//! `hw/99-bubblegate.rules` is exactly what the profiles generate, so a
//! new profile's USB ids reach the installed rules. After changing a
//! profile, regenerate with `BUBBLEGATE_BLESS=1 cargo test -p
//! bubblegate-profiles --test udev`.

use std::path::PathBuf;

use bubblegate_profiles::{udev_rules, ProfileSet};

#[test]
fn installed_rules_match_the_profiles() {
    let set = ProfileSet::builtin().expect("built-in profiles load");
    let generated = udev_rules(&set);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../hw/99-bubblegate.rules");
    if std::env::var_os("BUBBLEGATE_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write the rules");
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "hw/99-bubblegate.rules is stale; regenerate with BUBBLEGATE_BLESS=1 cargo test -p bubblegate-profiles --test udev"
    );
}

#[test]
fn every_usb_id_is_kept_from_modemmanager_and_at_ports_get_names() {
    let set = ProfileSet::builtin().expect("built-in profiles load");
    let rules = udev_rules(&set);
    for profile in set.iter() {
        for usb in &profile.recognition.usb {
            let ids = format!(
                "ATTRS{{idVendor}}==\"{:04x}\", ATTRS{{idProduct}}==\"{:04x}\"",
                usb.vendor, usb.product
            );
            let ignores = rules
                .lines()
                .filter(|l| l.contains(&ids) && l.contains("ID_MM_DEVICE_IGNORE}=\"1\""))
                .count();
            assert_eq!(ignores, 2, "{} {usb}: device and tty rules", profile.name);
            let named = rules.contains(&format!("SYMLINK+=\"bubblegate/{}-", profile.name));
            if profile.port.usb_interface_for(*usb).is_some() {
                assert!(named, "{} {usb}: the AT port gets a stable name", profile.name);
            }
        }
    }
    // Every rule line is a comment, a label/goto line, or a match with an
    // assignment, and quotes balance.
    for line in rules.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        assert_eq!(line.matches('"').count() % 2, 0, "unbalanced quotes: {line}");
        assert!(line.contains("==") || line.starts_with("LABEL="), "no match key: {line}");
    }
}
