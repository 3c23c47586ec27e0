//! The toll-fraud defence every submission passes before it is stored:
//! the destination must be an international number (normalised to E.164
//! with libphonenumber's metadata, through the `phonenumber` crate), must
//! not start with a blocked prefix, must be in an allowed country when a
//! list is configured, and the day's SMS budget must hold its segments.
//!
//! The budget counts segments accepted per UTC day over all SIMs. At start
//! it is seeded with what the SIMs sent today (from the store), so a
//! restart does not hand out a second budget.

use std::sync::Mutex;
use std::time::SystemTime;

use bubblegate_store::Day;
use thiserror::Error;

use crate::clock::utc_day;
use crate::config::{Country, PolicySettings};

/// Why a destination or a submission was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Refusal {
    #[error("the destination is not an international phone number (E.164, starting with +)")]
    NotANumber,
    #[error("the destination starts with the blocked prefix {0}")]
    Blocked(String),
    #[error("the destination's country (+{0}) is not in the allowed countries")]
    CountryNotAllowed(u16),
    #[error("today's SMS budget of {budget} segments is spent")]
    BudgetSpent { budget: u64 },
}

/// An E.164 number: `+` and up to 15 digits, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct E164(String);

impl E164 {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether libphonenumber knows the ISO 3166 region `code` (upper case).
pub fn region_known(code: &str) -> bool {
    code.parse::<phonenumber::country::Id>().is_ok()
}

/// Parses and normalises a destination. Only international numbers are
/// taken: a national one would need a home country to read it in.
pub fn normalise(input: &str) -> Result<(E164, u16, Option<String>), Refusal> {
    let trimmed = input.trim();
    if !trimmed.starts_with('+') {
        return Err(Refusal::NotANumber);
    }
    let number = phonenumber::parse(None, trimmed).map_err(|_| Refusal::NotANumber)?;
    let code = number.country().code();
    let national = number.national().value();
    let e164 = format!("+{code}{national}");
    let digits = e164.len() - 1;
    if !(4..=15).contains(&digits) {
        return Err(Refusal::NotANumber);
    }
    let region = number.country().id().map(|id| id.as_ref().to_owned());
    Ok((E164(e164), code, region))
}

/// The policy in force, with today's budget use.
#[derive(Debug)]
pub struct Policy {
    settings: PolicySettings,
    spent: Mutex<(Option<Day>, u64)>,
}

impl Policy {
    pub fn new(settings: PolicySettings) -> Self {
        Policy { settings, spent: Mutex::new((None, 0)) }
    }

    pub fn settings(&self) -> &PolicySettings {
        &self.settings
    }

    /// Checks a destination; returns it normalised.
    pub fn check_destination(&self, input: &str) -> Result<E164, Refusal> {
        let (number, code, region) = normalise(input)?;
        if let Some(prefix) =
            self.settings.blocked_prefixes.iter().find(|p| number.as_str().starts_with(p.as_str()))
        {
            return Err(Refusal::Blocked(prefix.clone()));
        }
        if let Some(allowed) = &self.settings.allowed_countries {
            let ok = allowed.iter().any(|c| match c {
                Country::Code(c) => *c == code,
                Country::Region(r) => region.as_deref() == Some(r.as_str()),
            });
            if !ok {
                return Err(Refusal::CountryNotAllowed(code));
            }
        }
        Ok(number)
    }

    /// Seeds today's use, e.g. with what the SIMs sent today before a
    /// restart.
    pub fn seed(&self, now: SystemTime, segments: u64) {
        if let Ok(mut spent) = self.spent.lock() {
            *spent = (Some(utc_day(now)), segments);
        }
    }

    /// Takes `segments` from today's budget, or refuses without taking
    /// any.
    pub fn reserve(&self, now: SystemTime, segments: u64) -> Result<(), Refusal> {
        let Some(budget) = self.settings.daily_budget else { return Ok(()) };
        // A poisoned lock only means another thread panicked mid-update of
        // two integers; the values are still usable.
        let mut spent = self.spent.lock().unwrap_or_else(|p| p.into_inner());
        let today = utc_day(now);
        if spent.0 != Some(today) {
            *spent = (Some(today), 0);
        }
        if spent.1.saturating_add(segments) > budget {
            return Err(Refusal::BudgetSpent { budget });
        }
        spent.1 += segments;
        Ok(())
    }

    /// Gives back segments reserved for a submission that was not stored.
    pub fn release(&self, segments: u64) {
        let mut spent = self.spent.lock().unwrap_or_else(|p| p.into_inner());
        spent.1 = spent.1.saturating_sub(segments);
    }

    /// Segments taken from today's budget so far.
    pub fn spent_today(&self, now: SystemTime) -> u64 {
        let spent = self.spent.lock().unwrap_or_else(|p| p.into_inner());
        if spent.0 == Some(utc_day(now)) {
            spent.1
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(blocked: &[&str], allowed: Option<Vec<Country>>, budget: Option<u64>) -> Policy {
        Policy::new(PolicySettings {
            blocked_prefixes: blocked.iter().map(|s| s.to_string()).collect(),
            allowed_countries: allowed,
            daily_budget: budget,
        })
    }

    #[test]
    fn destinations_are_normalised_and_checked() {
        let p = policy(
            &["+44909", "+1900"],
            Some(vec![Country::Code(31), Country::Region("GB".into()), Country::Code(1)]),
            None,
        );
        let table: &[(&str, Result<&str, Refusal>)] = &[
            ("+31612345678", Ok("+31612345678")),
            (" +31 6 1234 5678 ", Ok("+31612345678")),
            ("+44 20 7946 0000", Ok("+442079460000")),
            ("+31600000002", Ok("+31600000002")),
            ("+44 909 8790000", Err(Refusal::Blocked("+44909".into()))),
            ("+1 900 555 0100", Err(Refusal::Blocked("+1900".into()))),
            ("+49 151 23456789", Err(Refusal::CountryNotAllowed(49))),
            ("0612345678", Err(Refusal::NotANumber)),
            ("hello", Err(Refusal::NotANumber)),
            ("+", Err(Refusal::NotANumber)),
        ];
        for (input, want) in table {
            let got = p.check_destination(input);
            assert_eq!(got.as_ref().map(E164::as_str), want.as_ref().copied(), "{input}");
        }
    }

    #[test]
    fn regions_are_matched_by_metadata() {
        let p = policy(&[], Some(vec![Country::Region("NL".into())]), None);
        assert!(p.check_destination("+31612345678").is_ok());
        assert_eq!(p.check_destination("+32470123456"), Err(Refusal::CountryNotAllowed(32)));
        assert!(region_known("NL"));
        assert!(!region_known("XX"));
    }

    #[test]
    fn the_budget_is_per_day_and_refuses_whole_messages() {
        let p = policy(&[], None, Some(5));
        let day1 = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(86_400 * 20_000);
        p.seed(day1, 2);
        assert!(p.reserve(day1, 3).is_ok());
        assert_eq!(p.reserve(day1, 1), Err(Refusal::BudgetSpent { budget: 5 }));
        p.release(2);
        assert!(p.reserve(day1, 2).is_ok());
        let day2 = day1 + std::time::Duration::from_secs(86_400);
        assert!(p.reserve(day2, 5).is_ok());
        assert_eq!(p.spent_today(day2), 5);
    }
}
