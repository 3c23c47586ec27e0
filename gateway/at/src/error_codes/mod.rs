//! Typed `+CMS ERROR` and `+CME ERROR` codes with names and a retry class.
//!
//! Each table lists every code its specification names, with the verbose
//! text a modem prints after `AT+CMEE=2`, so both forms parse to the same
//! value. `cms` covers TS 27.005 clause 3.2.5 (and the TS 24.011 and TS 23.040
//! causes it refers to); `cme` covers TS 27.007 clauses 9.2.1 to 9.2.3.
//!
//! The classification answers one question for the caller: is it worth
//! trying the same thing again later?
//!
//! - **Temporary**: the network, the SIM or the modem is busy, congested,
//!   out of service or not ready yet. Retry with backoff; retries are bounded
//!   elsewhere.
//! - **Permanent**: the request itself is wrong (bad PDU, bad number, barred,
//!   not subscribed, not supported) or the SIM needs a person (not inserted,
//!   PIN or PUK required). Retrying the same request cannot succeed.
//!
//! Codes that no table names (reserved, manufacturer-specific, or verbose
//! text we do not know) are classified temporary: the retry budget is
//! bounded, and wrongly giving up would lose a message that might still go
//! out, while wrongly retrying only costs a few attempts.

/// Whether an error is worth retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// Try again later, with backoff.
    Temporary,
    /// Do not retry the same request.
    Permanent,
}

/// Reduces a verbose error text to lowercase letters and digits, dropping the
/// "(U)" that newer spec versions put before "SIM" and folding British
/// "personalisation", so that vendor spellings ("SIM not inserted",
/// "(U)SIM not inserted", "PH_SIM PIN required") meet.
pub(crate) fn normalize(text: &str) -> String {
    let lower =
        text.to_ascii_lowercase().replace("(u)", "").replace("personalisation", "personalization");
    lower.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// Declares a code table: an enum with one variant per named code, and
/// `code`, `name`, `class`, `from_code`, `from_text` and `ALL`.
macro_rules! code_table {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $code:literal => $variant:ident, $text:literal, $class:ident; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( #[doc = $text] $variant, )*
        }

        impl $name {
            /// Every named code, in table order. Where two codes share a verbose
            /// text, `from_text` picks the first.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The numeric code.
            pub fn code(self) -> u16 {
                match self { $($name::$variant => $code,)* }
            }

            /// The name from the specification, as verbose mode prints it.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            /// Whether retrying can help.
            pub fn class(self) -> $crate::error_codes::ErrorClass {
                match self { $($name::$variant => $crate::error_codes::ErrorClass::$class,)* }
            }

            /// The named code with this number, if the table has one.
            pub fn from_code(code: u16) -> Option<Self> {
                match code { $($code => Some($name::$variant),)* _ => None }
            }

            /// The named code whose verbose text matches, ignoring case,
            /// punctuation and "(U)".
            pub fn from_text(text: &str) -> Option<Self> {
                let wanted = $crate::error_codes::normalize(text);
                Self::ALL
                    .iter()
                    .copied()
                    .find(|c| $crate::error_codes::normalize(c.name()) == wanted)
            }
        }
    };
}

mod cme;
mod cms;

pub use cme::{CmeCode, CmeError};
pub use cms::{CmsCode, CmsError};
