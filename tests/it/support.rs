//! Helpers shared by the integration tests.

/// Reports that a test cannot run because optional third-party software is
/// missing. It skips (returns after printing why), unless
/// `BUBBLEGATE_REQUIRE_GAMMU` is set, as CI sets it, where a skip would hide
/// a missing install step: then it fails.
pub fn skip_without_gammu(test: &str, reason: &str) {
    if std::env::var_os("BUBBLEGATE_REQUIRE_GAMMU").is_some() {
        panic!("{test}: {reason}, and BUBBLEGATE_REQUIRE_GAMMU is set");
    }
    eprintln!("SKIPPED {test}: {reason} (install Debian's gammu and python3-gammu)");
}

/// Reads a child's stdout until the line starting with `last` (the
/// start-up banner of `bubblegate sim` and `bubblegate demo` ends with
/// "Ctrl-C ..."), and returns the lines so far. Fails the test when that
/// line does not come within `wait`. The rest of the output is drained in
/// the background so the child never blocks on a full pipe.
pub fn startup_lines(
    stdout: std::process::ChildStdout,
    last: &str,
    wait: std::time::Duration,
) -> Vec<String> {
    use std::io::{BufRead, BufReader};

    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    loop {
        let line = rx.recv_timeout(wait).unwrap_or_else(|_| panic!("start-up output: {lines:?}"));
        let done = line.starts_with(last);
        lines.push(line);
        if done {
            return lines;
        }
    }
}
