//! Command line syntax as the modem reads it: ITU-T V.250 clause 5.2 to
//! 5.4. A line is `AT` (any case) then basic commands (`E0`, `V1`, `&F`,
//! `S0=0`, `Z`) and extended commands (`+CMGF=0`, `^CURC=0`, `#CCID`,
//! `!ICCID?`), extended commands separated by `;`. Names are
//! case-insensitive; string constants in double quotes keep their case.

/// How an extended command is invoked (V.250 5.4.2 and 5.4.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `AT+CGMI`: action, or a basic command.
    Execute,
    /// `AT+CMGF?`: read the current value.
    Read,
    /// `AT+CMGF=?`: test, list supported values.
    Test,
    /// `AT+CMGF=1`: set, with the raw parameter text.
    Set(String),
}

/// One command of a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Command {
    /// Upper case: `E`, `&F`, `S3`, `+CMGS`, `^CURC`, `!ICCID`.
    pub name: String,
    pub kind: Kind,
    /// The numeric value of a basic command (`E1` → 1); `None` when absent.
    pub value: Option<u32>,
}

impl Command {
    fn basic(name: String, value: Option<u32>) -> Command {
        Command { name, kind: Kind::Execute, value }
    }
}

/// Why a line cannot be read. The modem answers `ERROR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SyntaxError;

const EXTENDED_PREFIXES: &[u8] = b"+^#!$%*@";

/// Parses the part of a command line after `AT`.
pub(crate) fn parse(body: &[u8]) -> Result<Vec<Command>, SyntaxError> {
    let mut p = Parser { bytes: body, pos: 0 };
    let mut out = Vec::new();
    loop {
        p.skip_spaces();
        let Some(b) = p.peek() else { break };
        if EXTENDED_PREFIXES.contains(&b) {
            out.push(p.extended()?);
            p.skip_spaces();
            match p.peek() {
                Some(b';') => p.pos += 1,
                None => break,
                Some(_) => return Err(SyntaxError),
            }
        } else if b == b';' {
            p.pos += 1;
        } else {
            out.push(p.basic()?);
        }
    }
    Ok(out)
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits = std::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
        if digits.is_empty() {
            None
        } else {
            // Absurdly long numbers saturate rather than fail: the command
            // rejects the value anyway.
            Some(digits.parse().unwrap_or(u32::MAX))
        }
    }

    /// V.250 5.3: a letter, or `&` and a letter, with an optional number;
    /// `S<n>?` and `S<n>=<v>`; `D` takes the rest of the command.
    fn basic(&mut self) -> Result<Command, SyntaxError> {
        let Some(first) = self.peek() else { return Err(SyntaxError) };
        self.pos += 1;
        let letter =
            |b: Option<u8>| b.filter(u8::is_ascii_alphabetic).map(|b| b.to_ascii_uppercase());
        match first.to_ascii_uppercase() {
            b'&' | b'\\' => {
                let second = letter(self.peek()).ok_or(SyntaxError)?;
                self.pos += 1;
                let name = format!("{}{}", char::from(first), char::from(second));
                Ok(Command::basic(name, self.number()))
            }
            b'S' => {
                let reg = self.number().ok_or(SyntaxError)?;
                let name = format!("S{reg}");
                match self.peek() {
                    Some(b'?') => {
                        self.pos += 1;
                        Ok(Command { name, kind: Kind::Read, value: None })
                    }
                    Some(b'=') => {
                        self.pos += 1;
                        let value = self.number();
                        let raw = value.map(|v| v.to_string()).unwrap_or_default();
                        Ok(Command { name, kind: Kind::Set(raw), value })
                    }
                    _ => Ok(Command::basic(name, None)),
                }
            }
            b'D' => {
                let start = self.pos;
                while self.peek().is_some_and(|b| b != b';') {
                    self.pos += 1;
                }
                let dial = String::from_utf8_lossy(&self.bytes[start..self.pos]).into_owned();
                if self.peek() == Some(b';') {
                    self.pos += 1;
                }
                Ok(Command { name: "D".to_owned(), kind: Kind::Set(dial), value: None })
            }
            c if c.is_ascii_alphabetic() => {
                Ok(Command::basic(char::from(c).to_string(), self.number()))
            }
            _ => Err(SyntaxError),
        }
    }

    /// V.250 5.4: prefix, name, then `=?`, `?`, `=<params>` or nothing.
    fn extended(&mut self) -> Result<Command, SyntaxError> {
        let mut name = String::new();
        if let Some(prefix) = self.peek() {
            name.push(char::from(prefix));
            self.pos += 1;
        }
        while let Some(b) = self.peek() {
            if b.is_ascii_alphanumeric() || b"!%-./:_".contains(&b) {
                name.push(char::from(b.to_ascii_uppercase()));
                self.pos += 1;
            } else {
                break;
            }
        }
        if name.len() < 2 {
            return Err(SyntaxError);
        }
        let kind = match self.peek() {
            Some(b'?') => {
                self.pos += 1;
                Kind::Read
            }
            Some(b'=') if self.bytes.get(self.pos + 1) == Some(&b'?') => {
                self.pos += 2;
                Kind::Test
            }
            Some(b'=') => {
                self.pos += 1;
                Kind::Set(self.params()?)
            }
            _ => Kind::Execute,
        };
        Ok(Command { name, kind, value: None })
    }

    /// Everything up to the next `;` outside a string constant.
    fn params(&mut self) -> Result<String, SyntaxError> {
        let start = self.pos;
        let mut quoted = false;
        while let Some(b) = self.peek() {
            match b {
                b'"' => quoted = !quoted,
                b';' if !quoted => break,
                _ => {}
            }
            self.pos += 1;
        }
        if quoted {
            return Err(SyntaxError);
        }
        Ok(String::from_utf8_lossy(&self.bytes[start..self.pos]).into_owned())
    }
}

/// One parameter of a set command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Param {
    /// Left out: `AT+CNMI=2,,0`.
    Empty,
    /// A string constant, without its quotes.
    Str(String),
    /// Anything else: numbers, hex, bare words.
    Raw(String),
}

impl Param {
    /// The value as a decimal number; `None` if it is not one.
    pub(crate) fn int(&self) -> Option<u32> {
        match self {
            Param::Raw(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                s.parse().ok()
            }
            _ => None,
        }
    }

    /// The value as text, quoted or not; `None` when left out.
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Param::Empty => None,
            Param::Str(s) | Param::Raw(s) => Some(s),
        }
    }
}

/// Splits set-command parameters at commas outside string constants.
pub(crate) fn params(raw: &str) -> Vec<Param> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let push = |current: &mut String, was_quoted: &mut bool, out: &mut Vec<Param>| {
        let trimmed = current.trim();
        out.push(if *was_quoted {
            Param::Str(trimmed.trim_matches('"').to_owned())
        } else if trimmed.is_empty() {
            Param::Empty
        } else {
            Param::Raw(trimmed.to_owned())
        });
        current.clear();
        *was_quoted = false;
    };
    for c in raw.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                was_quoted = true;
                current.push(c);
            }
            ',' if !quoted => push(&mut current, &mut was_quoted, &mut out),
            _ => current.push(c),
        }
    }
    if !raw.is_empty() {
        push(&mut current, &mut was_quoted, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    type Row<'a> = (&'a str, &'a [(&'a str, Kind, Option<u32>)]);

    fn names(line: &str) -> Vec<(String, Kind, Option<u32>)> {
        parse(line.as_bytes()).unwrap().into_iter().map(|c| (c.name, c.kind, c.value)).collect()
    }

    #[test]
    fn lines() {
        let table: &[Row<'_>] = &[
            ("", &[]),
            ("E0V1", &[("E", Kind::Execute, Some(0)), ("V", Kind::Execute, Some(1))]),
            ("&F", &[("&F", Kind::Execute, None)]),
            ("S3?", &[("S3", Kind::Read, None)]),
            ("+cmgf=0", &[("+CMGF", Kind::Set("0".into()), None)]),
            (
                "+CGMI;+CGMM;E1",
                &[
                    ("+CGMI", Kind::Execute, None),
                    ("+CGMM", Kind::Execute, None),
                    ("E", Kind::Execute, Some(1)),
                ],
            ),
            ("+CSCA=\"+31;6\",145", &[("+CSCA", Kind::Set("\"+31;6\",145".into()), None)]),
            ("^ICCID?", &[("^ICCID", Kind::Read, None)]),
            ("!ICCID?", &[("!ICCID", Kind::Read, None)]),
            ("+CMGL=?", &[("+CMGL", Kind::Test, None)]),
            ("I", &[("I", Kind::Execute, None)]),
        ];
        for (line, want) in table {
            let want: Vec<_> =
                want.iter().map(|(n, k, v)| (n.to_string(), k.clone(), *v)).collect();
            assert_eq!(names(line), want, "{line}");
        }
    }

    #[test]
    fn bad_lines() {
        for line in ["+CMGF=\"0", "+", "+CGMI+CGMM", "S=1", "&", "\x01"] {
            assert!(parse(line.as_bytes()).is_err(), "{line:?}");
        }
    }

    #[test]
    fn param_split() {
        assert_eq!(
            params("\"SM\", 2,,\"a,b\""),
            vec![
                Param::Str("SM".into()),
                Param::Raw("2".into()),
                Param::Empty,
                Param::Str("a,b".into())
            ]
        );
        assert_eq!(params(""), vec![]);
        assert_eq!(params("1").first().and_then(Param::int), Some(1));
    }
}
