//! Line framing: the rules that cut the modem's byte stream into lines and
//! prompts.
//!
//! Framing is pure, in the manner of mini-redis: [`next_frame`] looks at the
//! unconsumed bytes and either returns one frame with the number of bytes it
//! used, or reports that it needs more input by consuming nothing. The engine
//! owns the buffer and calls it in a loop.
//!
//! The rules, from ITU-T V.250 clause 5.7.1 and what real modems do:
//!
//! - A line ends at CR, at LF, or at Ctrl-Z (0x1A, which ends an echoed SMS
//!   body). CRLF, lone CR (ATV0 and some vendors) and lone LF all work,
//!   because empty lines are dropped.
//! - The AT repertoire is printable ASCII plus TAB. Any other byte (NUL, other
//!   control characters, bytes of 0x80 and above from a wrong baud rate or a
//!   rebooting modem) is skipped and counted.
//! - A line longer than the configured limit is dropped as a whole, even if
//!   its terminator arrives much later, and counted once.
//! - The text-entry prompt `> ` of +CMGS and +CMGW (TS 27.005 clause 3.5.1)
//!   comes without a terminator. It is recognised at the start of a line when
//!   the caller allows it (the engine forbids it while it waits for the data
//!   line of a two-line response, which may itself start with `>`).

/// Carriage return, the S3 command line terminator.
pub const CR: u8 = 0x0D;
/// Line feed, the S4 response formatting character.
pub const LF: u8 = 0x0A;
/// Ctrl-Z, which ends an SMS body after the prompt.
pub const SUB: u8 = 0x1A;
/// Escape, which cancels an SMS body after the prompt.
pub const ESC: u8 = 0x1B;

/// One unit cut from the byte stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A complete, non-empty line without its terminator, trimmed of
    /// surrounding spaces. `garbage` bytes were removed from inside it.
    Line { text: String, garbage: usize },
    /// The `> ` prompt.
    Prompt,
    /// A run of bytes outside the AT repertoire, outside any line.
    Garbage(usize),
    /// Bytes of an over-long line were dropped. `ended` is true once the
    /// line's terminator has been consumed too.
    Overlong { dropped: usize, ended: bool },
}

/// What the engine's state allows the framer to recognise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Longest line kept, in bytes, terminator excluded. At least 1.
    pub max_line_len: usize,
    /// Whether `>` at the start of a line is the prompt.
    pub prompt: bool,
    /// Whether the framer is in the middle of dropping an over-long line.
    pub discarding: bool,
}

/// The result of one framing step. `consumed == 0` means "need more bytes".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub frame: Option<Frame>,
    pub consumed: usize,
}

fn is_terminator(b: u8) -> bool {
    b == CR || b == LF || b == SUB
}

fn is_text(b: u8) -> bool {
    (0x20..=0x7E).contains(&b) || b == b'\t'
}

/// Cuts at most one frame from the front of `buf`.
///
/// The step may consume bytes without producing a frame (line terminators
/// and blank lines). The caller loops until a step consumes nothing.
pub fn next_frame(buf: &[u8], rules: &Rules) -> Step {
    let max_line_len = rules.max_line_len.max(1);
    if buf.is_empty() {
        return Step { frame: None, consumed: 0 };
    }

    if rules.discarding {
        return match buf.iter().position(|&b| is_terminator(b)) {
            Some(end) => Step {
                frame: Some(Frame::Overlong { dropped: end, ended: true }),
                consumed: end + 1,
            },
            None => Step {
                frame: Some(Frame::Overlong { dropped: buf.len(), ended: false }),
                consumed: buf.len(),
            },
        };
    }

    // Terminators and spaces at the start of a line carry nothing. Spaces
    // go here rather than in the line's trim so that a prompt after them is
    // still at the start of a line, however the bytes were split into reads.
    let terminators =
        buf.iter().take_while(|&&b| is_terminator(b) || b == b' ' || b == b'\t').count();
    if terminators > 0 {
        return Step { frame: None, consumed: terminators };
    }

    let garbage = buf.iter().take_while(|&&b| !is_text(b) && !is_terminator(b)).count();
    if garbage > 0 {
        return Step { frame: Some(Frame::Garbage(garbage)), consumed: garbage };
    }

    if rules.prompt && buf[0] == b'>' {
        let consumed = if buf.get(1) == Some(&b' ') { 2 } else { 1 };
        return Step { frame: Some(Frame::Prompt), consumed };
    }

    match buf.iter().position(|&b| is_terminator(b)) {
        Some(end) if end > max_line_len => {
            Step { frame: Some(Frame::Overlong { dropped: end, ended: true }), consumed: end + 1 }
        }
        Some(end) => {
            let raw = &buf[..end];
            let text: String =
                raw.iter().filter(|&&b| is_text(b)).map(|&b| char::from(b)).collect();
            let garbage = raw.len() - text.len();
            let text = text.trim_matches(|c| c == ' ' || c == '\t');
            let frame = if !text.is_empty() {
                Some(Frame::Line { text: text.to_owned(), garbage })
            } else if garbage > 0 {
                Some(Frame::Garbage(garbage))
            } else {
                None
            };
            Step { frame, consumed: end + 1 }
        }
        // `>` and not `>=`: a line of exactly the limit is kept whether or
        // not its terminator arrived in the same read.
        None if buf.len() > max_line_len => Step {
            frame: Some(Frame::Overlong { dropped: buf.len(), ended: false }),
            consumed: buf.len(),
        },
        None => Step { frame: None, consumed: 0 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: Rules = Rules { max_line_len: 16, prompt: true, discarding: false };

    fn line(text: &str) -> Option<Frame> {
        Some(Frame::Line { text: text.to_owned(), garbage: 0 })
    }

    /// `(input, rules, expected frame, consumed)`.
    #[test]
    fn single_steps() {
        let no_prompt = Rules { prompt: false, ..RULES };
        let discarding = Rules { discarding: true, ..RULES };
        let cases: Vec<(&[u8], Rules, Option<Frame>, usize)> = vec![
            (b"", RULES, None, 0),
            (b"OK", RULES, None, 0),
            (b"OK\r\n", RULES, line("OK"), 3),
            (b"\r\nOK\r\n", RULES, None, 2),
            (b"OK\n", RULES, line("OK"), 3),
            (b"OK\r", RULES, line("OK"), 3),
            (b"  OK \r", RULES, None, 2),
            (b"OK \r", RULES, line("OK"), 4),
            (b"  > ", RULES, None, 2),
            (b"   \r", RULES, None, 4),
            (b"> ", RULES, Some(Frame::Prompt), 2),
            (b">", RULES, Some(Frame::Prompt), 1),
            (b"> 0011\x1a", RULES, Some(Frame::Prompt), 2),
            (b"> 0011\r", no_prompt, line("> 0011"), 7),
            (b"0011\x1a\r\n", RULES, line("0011"), 5),
            (b"\0\0OK\r\n", RULES, Some(Frame::Garbage(2)), 2),
            (b"O\xffK\r\n", RULES, Some(Frame::Line { text: "OK".into(), garbage: 1 }), 4),
            (b"\x01\x02\r", RULES, Some(Frame::Garbage(2)), 2),
            (b"\x01 \r", RULES, Some(Frame::Garbage(1)), 1),
            (b"O \x01\r", RULES, Some(Frame::Line { text: "O".into(), garbage: 1 }), 4),
            (b"0123456789abcdefg", RULES, Some(Frame::Overlong { dropped: 17, ended: false }), 17),
            (b"0123456789abcdef", RULES, None, 0),
            (b"0123456789abcdef\r", RULES, line("0123456789abcdef"), 17),
            (
                b"0123456789abcdefg\rOK\r",
                RULES,
                Some(Frame::Overlong { dropped: 17, ended: true }),
                18,
            ),
            (b"tail\r\nOK\r\n", discarding, Some(Frame::Overlong { dropped: 4, ended: true }), 5),
            (b"tail", discarding, Some(Frame::Overlong { dropped: 4, ended: false }), 4),
        ];
        for (input, rules, frame, consumed) in cases {
            let step = next_frame(input, &rules);
            assert_eq!(
                step,
                Step { frame, consumed },
                "input {:?}",
                String::from_utf8_lossy(input)
            );
        }
    }
}
