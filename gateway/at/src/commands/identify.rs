//! Identification, TS 27.007 chapter 5: manufacturer, model, revision and
//! serial number (IMEI). Profile resolution matches the first two.
//!
//! Vendors differ in whether they put the command name before the answer
//! (`+CGMI: Quectel` or just `Quectel`) and in quoting, so each command
//! accepts both and strips what is there.

use super::{execute, AtRequest, ParseError};
use crate::command::{CommandError, Expect};
use crate::fields::{after_prefix, all_digits};

/// The first answer line with `prefix` and quotes removed.
fn identity_text(lines: &[String], prefix: &'static str) -> Result<String, ParseError> {
    let line = lines
        .iter()
        .map(|l| l.trim())
        .find(|l| !l.is_empty())
        .ok_or(ParseError::Missing(prefix))?;
    let text = after_prefix(line, prefix).unwrap_or(line).trim();
    let text = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
    if text.is_empty() {
        return Err(ParseError::malformed(prefix, line));
    }
    Ok(text.to_owned())
}

macro_rules! identity_command {
    ($(#[$doc:meta])* $name:ident, $command:literal, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name;

        impl AtRequest for $name {
            type Output = String;

            fn line(&self) -> Result<String, CommandError> {
                execute($command)
            }

            fn expect(&self) -> Expect {
                Expect::bare(&[$prefix])
            }

            fn parse(&self, lines: &[String]) -> Result<String, ParseError> {
                identity_text(lines, $prefix)
            }
        }
    };
}

identity_command!(
    /// `AT+CGMI`: request manufacturer identification (TS 27.007 5.1).
    /// SIM800 answers `SIMCOM_Ltd`, EC25 `Quectel`, E3372 `huawei`.
    Manufacturer,
    "+CGMI",
    "+CGMI:"
);

identity_command!(
    /// `AT+CGMM`: request model identification (TS 27.007 5.2).
    Model,
    "+CGMM",
    "+CGMM:"
);

identity_command!(
    /// `AT+CGMR`: request revision identification (TS 27.007 5.3). SIM800
    /// answers `Revision:1418B05SIM800C24`; the text is returned as sent.
    Revision,
    "+CGMR",
    "+CGMR:"
);

/// `AT+CGSN`: request product serial number identification, the IMEI for
/// 3GPP modems (TS 27.007 5.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SerialNumber;

impl AtRequest for SerialNumber {
    type Output = String;

    fn line(&self) -> Result<String, CommandError> {
        execute("+CGSN")
    }

    fn expect(&self) -> Expect {
        Expect::bare(&["+CGSN:"])
    }

    /// Checks that the answer is an IMEI (14 to 16 digits, 17 for an
    /// IMEISV).
    fn parse(&self, lines: &[String]) -> Result<String, ParseError> {
        let imei = identity_text(lines, "+CGSN:")?;
        if all_digits(&imei) && (14..=17).contains(&imei.len()) {
            Ok(imei)
        } else {
            Err(ParseError::malformed("IMEI", &imei))
        }
    }
}
