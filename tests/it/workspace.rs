//! The workspace's shape that the README's commands rely on.

use std::path::Path;

/// `cargo run --release -- demo` needs exactly one binary among the
/// default members, so every crate but the benchmarks must be one: a new
/// crate left out would be skipped by a bare `cargo build` or `cargo test`.
#[test]
fn every_crate_but_the_benchmarks_is_a_default_member() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("workspace manifest");
    let start = manifest.find("default-members = [").expect("default-members is set");
    let end = start + manifest[start..].find(']').expect("the list ends");
    let members = &manifest[start..end];
    let mut crates: Vec<String> = std::fs::read_dir(root.join("gateway"))
        .expect("gateway/")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("Cargo.toml").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    crates.sort();
    assert!(crates.len() > 10, "found the crates: {crates:?}");
    for name in &crates {
        let listed = members.contains(&format!("\"gateway/{name}\""));
        assert_eq!(listed, name != "bench", "gateway/{name} in default-members: {listed}");
    }
}
