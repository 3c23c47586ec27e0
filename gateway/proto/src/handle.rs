//! Handles: who a message is for. In protocol v1 a handle is an E.164
//! phone number, normalised by a libphonenumber port (`phonenumber`), so
//! that `0612345678` in the Netherlands, `+31 6 1234 5678` and
//! `+31612345678` are one handle. E-mail handles are recognised only to be
//! refused with a reason of their own: nothing can reach them by SMS.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// A phone number in E.164 form (`+` and up to 15 digits), checked by
/// libphonenumber's rules for the country. Only [`E164::parse`] makes one.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct E164(String);

impl E164 {
    /// Parses and validates a number. Without a `+`, the number is read
    /// as a national number of `default_region` (an ISO 3166 code such as
    /// `DE`); with no default region it must start with `+`.
    pub fn parse(text: &str, default_region: Option<&str>) -> Result<E164, &'static str> {
        let text = text.trim();
        if text.is_empty() {
            return Err("is empty");
        }
        let region = match default_region {
            Some(code) => Some(code.parse().map_err(|_| "cannot be read: bad default region")?),
            None if !text.starts_with('+') => {
                return Err("must be in international form, starting with +");
            }
            None => None,
        };
        let number = phonenumber::parse(region, text).map_err(|_| "is not a phone number")?;
        if !phonenumber::is_valid(&number) {
            return Err("is not a valid phone number for its country");
        }
        Ok(E164(number.format().mode(phonenumber::Mode::E164).to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Numbers are personal data: `Debug` hides all but the country part so
/// that a stray `{:?}` in a log line does not leak one.
impl fmt::Debug for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self.0.chars().take(3).collect();
        write!(f, "E164({shown}…)")
    }
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// On the wire a number is always international: a value that is not
/// already valid E.164 is refused rather than guessed at.
impl<'de> Deserialize<'de> for E164 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<E164, D::Error> {
        let text = String::deserialize(d)?;
        let number = E164::parse(&text, None).map_err(serde::de::Error::custom)?;
        if number.as_str() != text {
            return Err(serde::de::Error::custom("is not in normalised E.164 form"));
        }
        Ok(number)
    }
}

/// Why a recipient is not a reachable handle.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HandleError {
    /// An e-mail address: v1 registers phone numbers only, and SMS cannot
    /// reach an address.
    #[error("e-mail handles cannot be reached")]
    Email,
    #[error("the handle {0}")]
    Invalid(&'static str),
}

impl HandleError {
    /// The machine-readable reason the hub answers with.
    pub fn reason(&self) -> &'static str {
        match self {
            HandleError::Email => "email_unreachable",
            HandleError::Invalid(_) => "invalid_handle",
        }
    }
}

/// A handle of protocol v1: a phone number.
pub type Handle = E164;

/// Parses a recipient as a client wrote it: an e-mail address is
/// [`HandleError::Email`]; anything else must be a phone number.
pub fn parse_recipient(text: &str, default_region: Option<&str>) -> Result<Handle, HandleError> {
    if text.contains('@') {
        return Err(HandleError::Email);
    }
    E164::parse(text, default_region).map_err(HandleError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_and_international_forms_normalise_alike() {
        let a = parse_recipient("0612345678", Some("NL")).unwrap();
        let b = parse_recipient("+31 6 1234 5678", None).unwrap();
        let c = parse_recipient("+31612345678", Some("DE")).unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(a.as_str(), "+31612345678");
    }

    #[test]
    fn refusals_have_reasons() {
        assert_eq!(parse_recipient("me@example.org", None), Err(HandleError::Email));
        assert_eq!(
            parse_recipient("me@example.org", None).unwrap_err().reason(),
            "email_unreachable"
        );
        assert_eq!(parse_recipient("12345", None).unwrap_err().reason(), "invalid_handle");
        assert!(parse_recipient("+999123", None).is_err());
        assert!(parse_recipient("", Some("NL")).is_err());
    }

    #[test]
    fn wire_form_must_be_normalised() {
        let ok: E164 = serde_json::from_str("\"+31612345678\"").unwrap();
        assert_eq!(ok.as_str(), "+31612345678");
        assert!(serde_json::from_str::<E164>("\"+31 6 12345678\"").is_err());
        assert!(serde_json::from_str::<E164>("\"0612345678\"").is_err());
    }

    #[test]
    fn debug_hides_the_number() {
        let n = E164::parse("+31612345678", None).unwrap();
        assert_eq!(format!("{n:?}"), "E164(+31…)");
    }
}
