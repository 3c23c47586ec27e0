//! The AT transcript: what the host wrote (`>>`) and what the modem sent
//! (`<<`), one logical line per entry, with control bytes made visible so
//! that a transcript line never breaks.

/// Shows `bytes` as one printable line: printable ASCII as is, the usual
/// control bytes by name (`<CR>`, `<LF>`, `<SUB>` for Ctrl-Z, `<ESC>`),
/// everything else as `\xNN`.
pub(crate) fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'\r' => out.push_str("<CR>"),
            b'\n' => out.push_str("<LF>"),
            0x1A => out.push_str("<SUB>"),
            0x1B => out.push_str("<ESC>"),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7E => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn control_bytes_are_named() {
        assert_eq!(escape(b"0011\x1a"), "0011<SUB>");
        assert_eq!(escape(b"A\r\n\x00\xff\\"), "A<CR><LF>\\x00\\xFF\\\\");
    }
}
