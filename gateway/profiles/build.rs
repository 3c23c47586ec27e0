//! Embeds every `modem-profiles/*.toml` into the library at build time.
//!
//! The generated file is a sorted list of `(file name, contents)` pairs made
//! of `include_str!` calls, so the profiles ship inside the binary and adding
//! a profile needs no code change: only a new data file.

use std::env;
use std::error::Error;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    let profiles_dir = manifest_dir.join("../../modem-profiles").canonicalize()?;
    // Cargo rescans a directory given here for any change inside it, so a
    // new, edited or removed profile triggers a rebuild.
    println!("cargo::rerun-if-changed={}", profiles_dir.display());

    let mut files = Vec::new();
    for entry in fs::read_dir(&profiles_dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "toml") {
            println!("cargo::rerun-if-changed={}", path.display());
            files.push(path);
        }
    }
    files.sort();

    let mut out = String::from(
        "/// Built-in profiles: `(file name, TOML text)`, sorted by file name.\n\
         pub(crate) static BUILTIN: &[(&str, &str)] = &[\n",
    );
    for path in &files {
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .ok_or_else(|| format!("profile file name is not UTF-8: {}", path.display()))?;
        let full = path
            .to_str()
            .ok_or_else(|| format!("profile path is not UTF-8: {}", path.display()))?;
        writeln!(out, "    ({name:?}, include_str!({full:?})),")?;
    }
    out.push_str("];\n");

    let out_path = PathBuf::from(env::var("OUT_DIR")?).join("builtin_profiles.rs");
    fs::write(out_path, out)?;
    Ok(())
}
