//! Modem profiles: what Bubblegate knows about each modem model.
//!
//! A profile is a TOML file in `modem-profiles/`, one per model, described
//! by `schemas/modem-profile.schema.json`. This crate embeds those files at
//! build time, reads more from a user directory, validates them into the
//! runtime [`Profile`] type and picks the profile for a modem
//! ([`ProfileSet::resolve`]). Adding a modem means adding a file, not code.
//!
//! Two layers, as in ripgrep's argument handling: `raw` mirrors the file
//! with `deny_unknown_fields`; `validate` checks it and builds the richer
//! types in [`model`]. Validation guarantees, for every loaded profile:
//!
//! - `name` equals the file stem, and the set always holds `generic`,
//!   which has no recognition rules; every other profile has at least one.
//! - The profile's own `identity` answers match its own recognition
//!   patterns, so a simulated modem resolves to the profile it plays.
//! - No two profiles of one layer claim the same USB id.
//! - Every command is one ASCII `AT…` line without control characters.
//! - `init` never sets `+CMGF`, `+CPMS` or `+CNMI` (they come from `[sms]`,
//!   see [`Profile::sms_setup`]) and never resets the modem.
//! - Timeouts are 100 ms to 10 min with 1 to 5 attempts; `sms_send` has
//!   exactly one attempt, because a resent `+CMGS` may deliver twice.
//! - The `+CNMI` `<mt>` agrees with the delivery mode (`store` → 1,
//!   `route` → 2 or 3) and `<mode>` is never 0.
//! - Every URC example starts with its prefix, and every ready URC the
//!   boot step waits for is declared as a URC of kind `ready`.
//! - MMS commands and the `mms` timeout exist exactly for `modem_at`.
//! - At least one source document is named.

mod error;
mod glob;
pub mod model;
pub(crate) mod raw;
mod set;
mod udev;
mod validate;

pub use error::ProfileError;
pub use glob::Glob;
pub use model::{
    AtLine, Boot, Cnmi, CommandClass, Delivery, FlowControl, Identity, Mms, MmsMethod, Origin,
    Port, Profile, Queries, Quirk, Recognition, Recovery, Sms, SmsModes, Source, Storage, Timeout,
    Timeouts, UrcKind, UrcSpec, UsbId, UsbIdError,
};
pub use set::{MatchedBy, Probe, ProfileSet, Resolution};
pub use udev::udev_rules;
pub use validate::{GENERIC, SCHEMA_VERSION};

/// Parses and validates one profile from text, as if read from `file_name`
/// in the user directory. For tools and tests; the daemon uses
/// [`ProfileSet::load`].
pub fn parse_user_profile(file_name: &str, text: &str) -> Result<Profile, ProfileError> {
    let stem = file_name.strip_suffix(".toml").unwrap_or(file_name);
    validate::parse_profile(file_name, stem, text, Origin::User { path: file_name.into() })
}
