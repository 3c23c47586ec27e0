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
