//! Small helpers for reading the parameters of an information text line.
//!
//! Most typed responses are parsed with the `at-commands` crate. This module
//! owns the two things that crate cannot do safely for us:
//!
//! - [`at_parse`] runs an `at-commands` parser only on input it cannot panic
//!   on (its integer parser overflows on ten or more digits when overflow
//!   checks are on, as in debug and fuzz builds).
//! - [`split`] splits a parameter list that has empty fields in the middle
//!   (`+CMGL: 1,0,,23`) or unquoted hexadecimal fields (Huawei's
//!   `+CREG: 1, E006B, ABE0016`); `at-commands` stops at the first empty
//!   string parameter and insists on quotes.

use at_commands::parser::{CommandParser, ParseError};

/// One comma-separated parameter, trimmed, with its quotes removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Param<'a> {
    pub text: &'a str,
    pub quoted: bool,
}

impl<'a> Param<'a> {
    /// The parameter as text, or `None` when it was omitted (`,,`).
    pub fn opt_str(self) -> Option<&'a str> {
        if self.text.is_empty() && !self.quoted {
            None
        } else {
            Some(self.text)
        }
    }

    /// The parameter as a decimal number.
    pub fn int<T: std::str::FromStr>(self) -> Option<T> {
        self.text.parse().ok()
    }

    /// The parameter as a hexadecimal number, as lac, tac and ci are given.
    pub fn hex(self) -> Option<u32> {
        if self.text.is_empty() || self.text.len() > 8 {
            return None;
        }
        u32::from_str_radix(self.text, 16).ok()
    }
}

/// Returns the text after `prefix` with leading spaces removed, or `None`
/// when the line does not start with `prefix`.
pub(crate) fn after_prefix<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    line.strip_prefix(prefix).map(str::trim_start)
}

/// Splits a parameter list at commas that are not inside double quotes.
///
/// An unterminated quote runs to the end of the line; modems that cut a
/// line short should not make the caller fail harder than a missing field.
pub(crate) fn split(list: &str) -> Vec<Param<'_>> {
    let mut params = Vec::new();
    let mut start = 0;
    let mut in_quotes = false;
    for (i, c) in list.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => {
                params.push(param(&list[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    if !list.trim().is_empty() || !params.is_empty() {
        params.push(param(&list[start..]));
    }
    params
}

fn param(raw: &str) -> Param<'_> {
    let trimmed = raw.trim();
    match trimmed.strip_prefix('"') {
        Some(inner) => Param { text: inner.strip_suffix('"').unwrap_or(inner), quoted: true },
        None => Param { text: trimmed, quoted: false },
    }
}

/// Runs an `at-commands` parser over `line` if the line is safe for it.
///
/// `at-commands` 0.5 accumulates integers in an `i32` without checking for
/// overflow, so an unquoted run of ten or more digits would panic in builds
/// with overflow checks. Such a line is never a valid answer to the commands
/// we parse with it, so it is rejected up front.
pub(crate) fn at_parse<'a, T>(
    line: &'a str,
    parse: impl FnOnce(CommandParser<'a, ()>) -> Result<T, ParseError>,
) -> Option<T> {
    if !safe_for_at_commands(line) {
        return None;
    }
    parse(CommandParser::parse(line.as_bytes())).ok()
}

fn safe_for_at_commands(line: &str) -> bool {
    let mut in_quotes = false;
    let mut digits = 0;
    for b in line.bytes() {
        if b == b'"' {
            in_quotes = !in_quotes;
        }
        if !in_quotes && b.is_ascii_digit() {
            digits += 1;
            if digits >= 10 {
                return false;
            }
        } else {
            digits = 0;
        }
    }
    true
}

/// True if every byte is an ASCII decimal digit and there is at least one.
pub(crate) fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// True if every byte is an ASCII hexadecimal digit and there is at least one.
pub(crate) fn all_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(list: &str) -> Vec<(&str, bool)> {
        split(list).into_iter().map(|p| (p.text, p.quoted)).collect()
    }

    #[test]
    fn split_keeps_empty_fields_and_quoted_commas() {
        assert_eq!(
            texts(r#"1,0,,23"#),
            vec![("1", false), ("0", false), ("", false), ("23", false)]
        );
        assert_eq!(
            texts(r#""REC UNREAD","+31,6",,"24/01/01""#),
            vec![("REC UNREAD", true), ("+31,6", true), ("", false), ("24/01/01", true)]
        );
        assert_eq!(texts(""), vec![]);
        assert_eq!(
            texts(" 1, E006B, ABE0016"),
            vec![("1", false), ("E006B", false), ("ABE0016", false)]
        );
        assert_eq!(texts(r#""abc"#), vec![("abc", true)]);
    }

    #[test]
    fn at_parse_refuses_long_digit_runs_outside_quotes() {
        assert!(safe_for_at_commands(r#"+CNUM: "","+491234567890",145"#));
        assert!(!safe_for_at_commands("+CSQ: 99999999999,1"));
        assert_eq!(
            at_parse("+CSQ: 99999999999,1", |p| p
                .expect_identifier(b"+CSQ:")
                .expect_int_parameter()
                .finish()),
            None
        );
    }
}
