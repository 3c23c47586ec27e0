//! Command line syntax: ITU-T V.250 clause 5.2 to 5.4.
//!
//! This module decides whether a raw command line, as a modem profile or a
//! typed command writes it, is one a modem will accept: the `AT` prefix,
//! then basic commands (`E0`, `&F`, `S0=0`, `D...`) and extended commands
//! (`+CMEE=2`, `^CURC=0`, `#SIMDET?`), extended ones separated by `;`.
//!
//! It is deliberately a little wider than V.250 where vendors are: command
//! names may start with `^ # $ ! % * @` besides `+`, unquoted parameter
//! values may be hexadecimal (`AT^SYSCFG=2,2,3FFFFFFF,1,2`), and basic
//! commands may use the `\` prefix (`AT\Q3`). It is strict where mistakes
//! hurt: no control characters (a CR or Ctrl-Z inside a line would end the
//! command or start an SMS body early), no non-ASCII bytes, and every string
//! constant closed.

use thiserror::Error;

/// The longest command line accepted. V.250 only promises 40 characters;
/// modems take a few hundred. A longer profile line is a mistake.
pub const MAX_COMMAND_LINE: usize = 1024;

/// Why a command line is not well-formed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SyntaxError {
    #[error("command line does not start with AT")]
    MissingPrefix,
    #[error("command line is {len} bytes long; the limit is {MAX_COMMAND_LINE}")]
    TooLong { len: usize },
    #[error("byte 0x{byte:02X} at offset {at} is not printable ASCII")]
    NotPrintable { at: usize, byte: u8 },
    #[error("string constant opened at offset {at} is not closed")]
    UnterminatedString { at: usize },
    #[error("command name missing at offset {at}")]
    MissingName { at: usize },
    #[error("unexpected {found:?} at offset {at}")]
    Unexpected { at: usize, found: char },
}

/// Checks that `line` (without the trailing CR) is a well-formed command
/// line: `AT` followed by basic and extended commands, extended commands
/// concatenated with `;`.
pub fn validate_command_line(line: &str) -> Result<(), SyntaxError> {
    let bytes = line.as_bytes();
    if bytes.len() > MAX_COMMAND_LINE {
        return Err(SyntaxError::TooLong { len: bytes.len() });
    }
    if let Some(at) = bytes.iter().position(|b| !(0x20..=0x7E).contains(b)) {
        return Err(SyntaxError::NotPrintable { at, byte: bytes[at] });
    }
    if bytes.len() < 2 || !bytes[..2].eq_ignore_ascii_case(b"AT") {
        return Err(SyntaxError::MissingPrefix);
    }
    Parser { bytes, pos: 2 }.commands()
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

const EXTENDED_PREFIXES: &[u8] = b"+^#$!%*@";

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn unexpected(&self) -> SyntaxError {
        SyntaxError::Unexpected { at: self.pos, found: self.peek().map_or('\0', char::from) }
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
    }

    fn take_while(&mut self, pred: impl Fn(u8) -> bool) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(&pred) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn commands(&mut self) -> Result<(), SyntaxError> {
        loop {
            self.skip_spaces();
            let Some(c) = self.peek() else {
                return Ok(());
            };
            match c {
                b';' => self.pos += 1,
                _ if EXTENDED_PREFIXES.contains(&c) => self.extended()?,
                b'D' | b'd' => {
                    // The dial command takes the rest of the line (V.250 6.3.1).
                    self.pos = self.bytes.len();
                }
                b'S' | b's' => self.s_parameter()?,
                b'&' | b'\\' => {
                    self.pos += 1;
                    if !self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
                        return Err(self.unexpected());
                    }
                    self.pos += 1;
                    self.take_while(|b| b.is_ascii_digit());
                }
                _ if c.is_ascii_alphabetic() => {
                    self.pos += 1;
                    self.take_while(|b| b.is_ascii_digit());
                }
                _ => return Err(self.unexpected()),
            }
        }
    }

    /// `S<n>?` or `S<n>=[<value>]` (V.250 5.3.2).
    fn s_parameter(&mut self) -> Result<(), SyntaxError> {
        self.pos += 1;
        if self.take_while(|b| b.is_ascii_digit()) == 0 {
            return Err(self.unexpected());
        }
        match self.peek() {
            Some(b'?') => self.pos += 1,
            Some(b'=') => {
                self.pos += 1;
                self.take_while(|b| b.is_ascii_digit());
            }
            _ => return Err(self.unexpected()),
        }
        Ok(())
    }

    /// `+NAME`, `+NAME?`, `+NAME=?` or `+NAME=<values>` (V.250 5.4), ended
    /// by `;` or the end of the line.
    fn extended(&mut self) -> Result<(), SyntaxError> {
        self.pos += 1;
        let name = self.take_while(|b| b.is_ascii_alphanumeric() || b"!%-./:_".contains(&b));
        if name == 0 {
            return Err(SyntaxError::MissingName { at: self.pos });
        }
        self.skip_spaces();
        match self.peek() {
            None | Some(b';') => {}
            Some(b'?') => self.pos += 1,
            Some(b'=') => {
                self.pos += 1;
                self.skip_spaces();
                if self.peek() == Some(b'?') {
                    self.pos += 1;
                } else {
                    self.values()?;
                }
            }
            Some(_) => return Err(self.unexpected()),
        }
        self.skip_spaces();
        match self.peek() {
            None => Ok(()),
            Some(b';') => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => Err(self.unexpected()),
        }
    }

    /// A comma-separated list of values, each a string constant, an unquoted
    /// token, or empty (an omitted parameter).
    fn values(&mut self) -> Result<(), SyntaxError> {
        loop {
            self.skip_spaces();
            if self.peek() == Some(b'"') {
                let start = self.pos;
                self.pos += 1;
                self.take_while(|b| b != b'"');
                if self.peek() != Some(b'"') {
                    return Err(SyntaxError::UnterminatedString { at: start });
                }
                self.pos += 1;
            } else {
                self.take_while(|b| b.is_ascii_alphanumeric() || b"+-.:/_*#@()".contains(&b));
            }
            self.skip_spaces();
            match self.peek() {
                Some(b',') => self.pos += 1,
                None | Some(b';') => return Ok(()),
                Some(_) => return Err(self.unexpected()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_profile_lines() {
        for line in [
            "AT",
            "at",
            "AT+CMEE=2",
            "ATE0",
            "ATE0V1&D2",
            "AT+CNMI=2,1,0,2,0",
            "AT^CURC=0",
            r#"AT+QURCCFG="urcport","usbat""#,
            "AT&F",
            "ATZ",
            "AT+CFUN=1,1",
            "AT+CMEE=2;+CREG=2",
            "AT+CREG?",
            "AT+CREG=?",
            "AT+CMGS=23",
            r#"AT+CMGS="+31612345678",145"#,
            "AT^SYSCFG=2,2,3FFFFFFF,1,2",
            "ATS0=0",
            "ATS7?",
            "AT#SIMDET=1",
            "AT!ICCID?",
            "AT$QCSIMSTAT?",
            "AT\\Q3",
            "ATD+31612345678;",
            "AT+CPMS=\"SM\",\"SM\",\"SM\"",
            "AT+CSCA=,145",
            "AT+CMGL=4",
            "AT+CNMA",
            "AT+CMEE=2;E0",
        ] {
            assert_eq!(validate_command_line(line), Ok(()), "{line}");
        }
    }

    #[test]
    fn rejects_malformed_lines() {
        let cases: &[(&str, SyntaxError)] = &[
            ("", SyntaxError::MissingPrefix),
            ("A", SyntaxError::MissingPrefix),
            ("+CMEE=2", SyntaxError::MissingPrefix),
            ("AT+CMGS=23\r", SyntaxError::NotPrintable { at: 10, byte: 0x0D }),
            ("AT+CMGF=0\u{1a}", SyntaxError::NotPrintable { at: 9, byte: 0x1A }),
            ("AT+CPMS=\"SM", SyntaxError::UnterminatedString { at: 8 }),
            ("AT+=1", SyntaxError::MissingName { at: 3 }),
            ("AT+CMEE=2 3", SyntaxError::Unexpected { at: 10, found: '3' }),
            ("AT+CMEE=\"a\"b", SyntaxError::Unexpected { at: 11, found: 'b' }),
            ("ATS=1", SyntaxError::Unexpected { at: 3, found: '=' }),
            ("AT&", SyntaxError::Unexpected { at: 3, found: '\0' }),
            ("AT=1", SyntaxError::Unexpected { at: 2, found: '=' }),
        ];
        for (line, error) in cases {
            assert_eq!(validate_command_line(line).as_ref(), Err(error), "{line:?}");
        }
        let long = format!("AT+X={}", "1".repeat(MAX_COMMAND_LINE));
        assert!(matches!(validate_command_line(&long), Err(SyntaxError::TooLong { .. })));
    }
}
