//! Result codes and the framing of what a modem sends: ITU-T V.250 clause
//! 5.7 (`ATV1` verbose `<CR><LF>OK<CR><LF>`, `ATV0` numeric `0<CR>`), and
//! the error result codes `+CME ERROR` (TS 27.007 9.2, switched by
//! `+CMEE`) and `+CMS ERROR` (TS 27.005 3.2.5).

use bubblegate_at::{CmeCode, CmsCode};

/// A final result code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Final {
    Ok,
    /// V.250 `ERROR`: unknown command or bad syntax.
    Error,
    /// `+CME ERROR: <err>` (TS 27.007 9.2.1).
    Cme(u16),
    /// `+CMS ERROR: <err>` (TS 27.005 3.2.5).
    Cms(u16),
    /// V.250 `NO CARRIER`: a call could not be set up.
    NoCarrier,
}

/// TS 27.007 9.2.1 codes the simulator uses.
pub(crate) mod cme {
    pub const OPERATION_NOT_ALLOWED: u16 = 3;
    pub const OPERATION_NOT_SUPPORTED: u16 = 4;
    pub const SIM_NOT_INSERTED: u16 = 10;
    pub const SIM_PIN_REQUIRED: u16 = 11;
    pub const SIM_PUK_REQUIRED: u16 = 12;
    pub const SIM_FAILURE: u16 = 13;
    pub const INCORRECT_PASSWORD: u16 = 16;
}

/// TS 27.005 3.2.5 codes the simulator uses.
pub(crate) mod cms {
    pub const OPERATION_NOT_ALLOWED: u16 = 302;
    pub const OPERATION_NOT_SUPPORTED: u16 = 303;
    pub const INVALID_PDU_PARAMETER: u16 = 304;
    pub const INVALID_TEXT_PARAMETER: u16 = 305;
    pub const SIM_NOT_INSERTED: u16 = 310;
    pub const SIM_PIN_REQUIRED: u16 = 311;
    pub const SIM_PUK_REQUIRED: u16 = 316;
    pub const INVALID_INDEX: u16 = 321;
    pub const MEMORY_FULL: u16 = 322;
    pub const NO_NETWORK_SERVICE: u16 = 331;
    pub const NO_CNMA_EXPECTED: u16 = 340;
}

/// The result-code settings of one modem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Format {
    /// `ATV1` (default) or `ATV0`.
    pub verbose: bool,
    /// `AT+CMEE=<n>`: 0 plain `ERROR`, 1 numeric, 2 verbose.
    pub cmee: u8,
}

impl Format {
    /// The verbose text of a final result code, without framing.
    pub(crate) fn final_text(self, result: Final) -> String {
        match result {
            Final::Ok => "OK".to_owned(),
            Final::Error => "ERROR".to_owned(),
            Final::NoCarrier => "NO CARRIER".to_owned(),
            // TS 27.007 9.1: with +CMEE=0 the plain ERROR is used instead.
            Final::Cme(_) if self.cmee == 0 => "ERROR".to_owned(),
            Final::Cme(code) => match CmeCode::from_code(code) {
                Some(named) if self.cmee == 2 => format!("+CME ERROR: {}", named.name()),
                _ => format!("+CME ERROR: {code}"),
            },
            // TS 27.005 3.2.5: +CMS ERROR is the final result of the
            // message service commands whatever +CMEE says; +CMEE=2 only
            // makes it verbose.
            Final::Cms(code) => match CmsCode::from_code(code) {
                Some(named) if self.cmee == 2 => format!("+CMS ERROR: {}", named.name()),
                _ => format!("+CMS ERROR: {code}"),
            },
        }
    }

    /// The bytes of a final result code (V.250 5.7.1): verbose
    /// `<CR><LF>text<CR><LF>`; numeric `0<CR>` / `4<CR>`, and extended
    /// error codes as `text<CR>`.
    pub(crate) fn final_bytes(self, result: Final) -> (String, Vec<u8>) {
        let text = self.final_text(result);
        let bytes = if self.verbose {
            format!("\r\n{text}\r\n").into_bytes()
        } else {
            match text.as_str() {
                "OK" => b"0\r".to_vec(),
                "ERROR" => b"4\r".to_vec(),
                "NO CARRIER" => b"3\r".to_vec(),
                _ => format!("{text}\r").into_bytes(),
            }
        };
        (text, bytes)
    }

    /// The bytes of one information response made of `lines` (V.250
    /// 5.7.2): verbose `<CR><LF>line<CR><LF>line<CR><LF>`, numeric
    /// `line<CR><LF>line<CR><LF>`.
    pub(crate) fn info_bytes(self, lines: &[String]) -> Vec<u8> {
        let mut out = Vec::new();
        if lines.is_empty() {
            return out;
        }
        if self.verbose {
            out.extend_from_slice(b"\r\n");
        }
        for line in lines {
            out.extend_from_slice(line.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finals() {
        let v = Format { verbose: true, cmee: 1 };
        assert_eq!(v.final_bytes(Final::Ok).1, b"\r\nOK\r\n");
        assert_eq!(v.final_bytes(Final::Cme(10)).1, b"\r\n+CME ERROR: 10\r\n");
        let verbose = Format { verbose: true, cmee: 2 };
        assert_eq!(verbose.final_bytes(Final::Cme(10)).1, b"\r\n+CME ERROR: SIM not inserted\r\n");
        assert_eq!(verbose.final_bytes(Final::Cms(322)).1, b"\r\n+CMS ERROR: memory full\r\n");
        let off = Format { verbose: true, cmee: 0 };
        assert_eq!(off.final_bytes(Final::Cme(11)).1, b"\r\nERROR\r\n");
        assert_eq!(off.final_bytes(Final::Cms(304)).1, b"\r\n+CMS ERROR: 304\r\n");
        let numeric = Format { verbose: false, cmee: 1 };
        assert_eq!(numeric.final_bytes(Final::Ok).1, b"0\r");
        assert_eq!(numeric.final_bytes(Final::Error).1, b"4\r");
    }
}
