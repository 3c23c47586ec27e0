//! The loaded set of profiles and profile resolution.
//!
//! Built-in profiles come from the binary; a user directory may add
//! profiles or replace built-in ones by name. Resolution tries, in order,
//! the USB id, then the `+CGMI`/`+CGMM` answers, then falls back to
//! `generic` with a warning.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::error::ProfileError;
use crate::model::{Origin, Profile, UsbId};
use crate::validate::{parse_profile, GENERIC};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/builtin_profiles.rs"));
}

/// What is known about a modem when choosing its profile.
#[derive(Debug, Clone, Copy, Default)]
pub struct Probe<'a> {
    /// The USB id of the device the port belongs to; `None` for a UART.
    pub usb: Option<UsbId>,
    /// The answer to `AT+CGMI`, if the modem has been asked.
    pub manufacturer: Option<&'a str>,
    /// The answer to `AT+CGMM`, if the modem has been asked.
    pub model: Option<&'a str>,
}

/// How a profile was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    Usb(UsbId),
    Identity,
    /// Nothing matched; this is `generic`.
    Fallback,
}

/// The chosen profile and why.
#[derive(Debug, Clone, Copy)]
pub struct Resolution<'a> {
    pub profile: &'a Profile,
    pub matched_by: MatchedBy,
}

/// All profiles, by name. Always holds `generic`.
#[derive(Debug, Clone)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Profile>,
}

impl ProfileSet {
    /// The profiles embedded in the binary.
    pub fn builtin() -> Result<Self, ProfileError> {
        let mut profiles = Vec::with_capacity(embedded::BUILTIN.len());
        for (file, text) in embedded::BUILTIN {
            let stem = file.strip_suffix(".toml").unwrap_or(file);
            let shown = format!("modem-profiles/{file}");
            profiles.push(parse_profile(&shown, stem, text, Origin::Builtin { file })?);
        }
        Self::from_layers(profiles, Vec::new())
    }

    /// The built-in profiles, extended and overridden by every `*.toml` in
    /// `user_dir`. A user profile replaces the built-in one of the same name.
    pub fn load(user_dir: Option<&Path>) -> Result<Self, ProfileError> {
        let builtin = Self::builtin()?;
        let Some(dir) = user_dir else {
            return Ok(builtin);
        };
        let io = |source| ProfileError::Io { path: dir.to_owned(), source };
        let mut paths = Vec::new();
        for entry in fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.extension().is_some_and(|ext| ext == "toml") {
                paths.push(path);
            }
        }
        paths.sort();
        let mut user = Vec::with_capacity(paths.len());
        for path in paths {
            let text = fs::read_to_string(&path)
                .map_err(|source| ProfileError::Io { path: path.clone(), source })?;
            let shown = path.display().to_string();
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
            user.push(parse_profile(&shown, &stem, &text, Origin::User { path: path.clone() })?);
        }
        Self::from_layers(builtin.profiles.into_values().collect(), user)
    }

    fn from_layers(builtin: Vec<Profile>, user: Vec<Profile>) -> Result<Self, ProfileError> {
        check_layer(&builtin)?;
        check_layer(&user)?;
        let mut profiles: BTreeMap<String, Profile> =
            builtin.into_iter().map(|p| (p.name.clone(), p)).collect();
        for profile in user {
            if let Some(old) = profiles.get(&profile.name) {
                tracing::info!(
                    profile = %profile.name,
                    user = %profile.origin,
                    builtin = %old.origin,
                    "user modem profile overrides the built-in one"
                );
            }
            profiles.insert(profile.name.clone(), profile);
        }
        if !profiles.contains_key(GENERIC) {
            return Err(ProfileError::MissingGeneric);
        }
        Ok(Self { profiles })
    }

    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// Profiles in name order.
    pub fn iter(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.values()
    }

    pub fn len(&self) -> usize {
        self.profiles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }

    /// The fallback profile.
    pub fn generic(&self) -> &Profile {
        // `from_layers` refuses a set without `generic`, and nothing
        // removes profiles afterwards.
        match self.profiles.get(GENERIC) {
            Some(profile) => profile,
            None => unreachable!("ProfileSet always holds `generic`"),
        }
    }

    /// Chooses the profile for a modem: by USB id, else by identity
    /// answers, else `generic` with a logged warning.
    pub fn resolve(&self, probe: &Probe<'_>) -> Resolution<'_> {
        if let Some(usb) = probe.usb {
            // A user profile wins over a built-in one claiming the same id.
            let hit = self
                .iter()
                .filter(|p| p.recognition.usb.contains(&usb))
                .max_by_key(|p| matches!(p.origin, Origin::User { .. }));
            if let Some(profile) = hit {
                return Resolution { profile, matched_by: MatchedBy::Usb(usb) };
            }
        }
        if let Some(profile) = self.by_identity(probe.manufacturer, probe.model) {
            return Resolution { profile, matched_by: MatchedBy::Identity };
        }
        tracing::warn!(
            usb = ?probe.usb.map(|id| id.to_string()),
            manufacturer = ?probe.manufacturer,
            model = ?probe.model,
            "no modem profile matches; falling back to `generic`"
        );
        Resolution { profile: self.generic(), matched_by: MatchedBy::Fallback }
    }

    fn by_identity(&self, manufacturer: Option<&str>, model: Option<&str>) -> Option<&Profile> {
        let manufacturer = manufacturer.map(|a| clean_answer(a, "+CGMI:"));
        let model = model.map(|a| clean_answer(a, "+CGMM:"));
        let mut best: Option<(usize, bool, &Profile)> = None;
        for profile in self.iter() {
            let rec = &profile.recognition;
            if rec.manufacturer.is_empty() && rec.model.is_empty() {
                continue;
            }
            let score_of = |globs: &[crate::glob::Glob], answer: Option<&str>| -> Option<usize> {
                if globs.is_empty() {
                    return Some(0);
                }
                let answer = answer?;
                globs.iter().filter(|g| g.matches(answer)).map(|g| g.specificity()).max()
            };
            let (Some(a), Some(b)) =
                (score_of(&rec.manufacturer, manufacturer), score_of(&rec.model, model))
            else {
                continue;
            };
            let key = (a + b, matches!(profile.origin, Origin::User { .. }));
            // Strictly greater: on a full tie the first profile in name
            // order stays, so resolution is deterministic.
            if best.is_none_or(|(score, user, _)| key > (score, user)) {
                best = Some((key.0, key.1, profile));
            }
        }
        best.map(|(_, _, profile)| profile)
    }
}

/// Identity answers arrive trimmed or not, and some modems prefix them
/// with the command name (`+CGMM: EC25`).
fn clean_answer<'a>(answer: &'a str, prefix: &str) -> &'a str {
    let answer = answer.trim();
    match answer.get(..prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(prefix) => answer[prefix.len()..].trim(),
        _ => answer,
    }
}

/// Names and USB ids must be unique within one layer.
fn check_layer(layer: &[Profile]) -> Result<(), ProfileError> {
    let mut names: BTreeMap<&str, &Profile> = BTreeMap::new();
    let mut usb: BTreeMap<UsbId, &Profile> = BTreeMap::new();
    for profile in layer {
        if let Some(first) = names.insert(&profile.name, profile) {
            return Err(ProfileError::DuplicateName {
                name: profile.name.clone(),
                first: first.origin.to_string(),
                second: profile.origin.to_string(),
            });
        }
        for id in &profile.recognition.usb {
            if let Some(first) = usb.insert(*id, profile) {
                return Err(ProfileError::DuplicateUsbId {
                    usb: *id,
                    first: first.name.clone(),
                    second: profile.name.clone(),
                });
            }
        }
    }
    Ok(())
}
