//! How a message looks in an answer: `+CMGL` entries and `+CMGR` answers
//! (TS 27.005 3.5.2 and 3.5.3 in PDU mode, 4.1 and 4.2 in text mode), and
//! routed `+CMT` and `+CDS` (3.4.1), with `+CSDH` header values in text
//! mode.

use bubblegate_sms::{Pdu, Tpdu, Validity};

use super::storage::Stored;
use super::text_mode::{self, quoted, toa};
use super::{Inbound, Modem};
use crate::clock::text_timestamp;

impl Modem {
    /// The lines of one `+CMGL` entry.
    pub(super) fn listing(&self, index: u32, stored: &Stored) -> Vec<String> {
        if self.s.cmgf == 0 {
            let (length, pdu) = pdu_hex(&stored.pdu);
            return vec![format!("+CMGL: {index},{},,{length}", stored.stat.code()), pdu];
        }
        let stat = stored.stat.text();
        let cscs = &self.s.cscs;
        match &stored.pdu.tpdu {
            Tpdu::Deliver(d) => {
                let mut head = format!(
                    "+CMGL: {index},\"{stat}\",{},,\"{}\"",
                    quoted_or_empty(&d.originator),
                    text_timestamp(&d.scts)
                );
                if self.s.csdh {
                    head.push_str(&format!(
                        ",{},{}",
                        toa(&d.originator),
                        text_mode::length(&stored.pdu.tpdu)
                    ));
                }
                vec![head, text_mode::data(&stored.pdu.tpdu, cscs)]
            }
            Tpdu::Submit(s) => {
                let mut head =
                    format!("+CMGL: {index},\"{stat}\",{},,", quoted_or_empty(&s.destination));
                if self.s.csdh {
                    head.push_str(&format!(
                        ",{},{}",
                        toa(&s.destination),
                        text_mode::length(&stored.pdu.tpdu)
                    ));
                }
                vec![head, text_mode::data(&stored.pdu.tpdu, cscs)]
            }
            Tpdu::StatusReport(r) => vec![format!(
                "+CMGL: {index},\"{stat}\",{},{},{},{},\"{}\",\"{}\",{}",
                first_octet(&stored.pdu.tpdu),
                r.message_ref,
                quoted(&r.recipient),
                toa(&r.recipient),
                text_timestamp(&r.scts),
                text_timestamp(&r.discharge_time),
                r.status.0
            )],
        }
    }

    /// The lines of a `+CMGR` answer.
    pub(super) fn reading(&self, stored: &Stored) -> Vec<String> {
        if self.s.cmgf == 0 {
            let (length, pdu) = pdu_hex(&stored.pdu);
            return vec![format!("+CMGR: {},,{length}", stored.stat.code()), pdu];
        }
        let stat = stored.stat.text();
        let tpdu = &stored.pdu.tpdu;
        let sca = stored.pdu.smsc.as_ref();
        let (sca_text, tosca) =
            sca.map(|a| (quoted(a), toa(a))).unwrap_or(("\"\"".to_owned(), 129));
        match tpdu {
            Tpdu::Deliver(d) => {
                let mut head = format!(
                    "+CMGR: \"{stat}\",{},,\"{}\"",
                    quoted_or_empty(&d.originator),
                    text_timestamp(&d.scts)
                );
                if self.s.csdh {
                    head.push_str(&format!(
                        ",{},{},{},{},{sca_text},{tosca},{}",
                        toa(&d.originator),
                        first_octet(tpdu),
                        d.pid,
                        d.dcs.0,
                        text_mode::length(tpdu)
                    ));
                }
                vec![head, text_mode::data(tpdu, &self.s.cscs)]
            }
            Tpdu::Submit(s) => {
                let mut head = format!("+CMGR: \"{stat}\",{},", quoted_or_empty(&s.destination));
                if self.s.csdh {
                    let vp = match s.validity {
                        Some(Validity::Relative { code }) => code.to_string(),
                        _ => String::new(),
                    };
                    head.push_str(&format!(
                        ",{},{},{},{},{vp},{sca_text},{tosca},{}",
                        toa(&s.destination),
                        first_octet(tpdu),
                        s.pid,
                        s.dcs.0,
                        text_mode::length(tpdu)
                    ));
                }
                vec![head, text_mode::data(tpdu, &self.s.cscs)]
            }
            Tpdu::StatusReport(r) => vec![format!(
                "+CMGR: \"{stat}\",{},{},{},{},\"{}\",\"{}\",{}",
                first_octet(tpdu),
                r.message_ref,
                quoted(&r.recipient),
                toa(&r.recipient),
                text_timestamp(&r.scts),
                text_timestamp(&r.discharge_time),
                r.status.0
            )],
        }
    }

    /// A routed message (3.4.1): `+CMT` for SMS-DELIVER, `+CDS` for
    /// SMS-STATUS-REPORT, in PDU or text form.
    pub(super) fn routed_lines(&self, item: &Inbound) -> Vec<String> {
        let smsc = self.smsc_address();
        let tpdu = match item {
            Inbound::Deliver(d) => Tpdu::Deliver(d.clone()),
            Inbound::Report(r) => Tpdu::StatusReport(r.clone()),
        };
        let pdu = Pdu { smsc, tpdu };
        if self.s.cmgf == 0 {
            let (length, hex) = pdu_hex(&pdu);
            return match item {
                Inbound::Deliver(_) => vec![format!("+CMT: ,{length}"), hex],
                Inbound::Report(_) => vec![format!("+CDS: {length}"), hex],
            };
        }
        match (&pdu.tpdu, item) {
            (Tpdu::Deliver(d), _) => {
                let mut head = format!(
                    "+CMT: {},,\"{}\"",
                    quoted_or_empty(&d.originator),
                    text_timestamp(&d.scts)
                );
                if self.s.csdh {
                    let (sca, tosca) = pdu
                        .smsc
                        .as_ref()
                        .map(|a| (quoted(a), toa(a)))
                        .unwrap_or(("\"\"".to_owned(), 129));
                    head.push_str(&format!(
                        ",{},{},{},{},{sca},{tosca},{}",
                        toa(&d.originator),
                        first_octet(&pdu.tpdu),
                        d.pid,
                        d.dcs.0,
                        text_mode::length(&pdu.tpdu)
                    ));
                }
                vec![head, text_mode::data(&pdu.tpdu, &self.s.cscs)]
            }
            (Tpdu::StatusReport(r), _) => vec![format!(
                "+CDS: {},{},{},{},\"{}\",\"{}\",{}",
                first_octet(&pdu.tpdu),
                r.message_ref,
                quoted(&r.recipient),
                toa(&r.recipient),
                text_timestamp(&r.scts),
                text_timestamp(&r.discharge_time),
                r.status.0
            )],
            (Tpdu::Submit(_), _) => Vec::new(),
        }
    }
}

/// `<length>` (TPDU octets) and the hex of SMSC field plus TPDU.
pub(super) fn pdu_hex(pdu: &Pdu) -> (usize, String) {
    match pdu.encode() {
        Ok(encoded) => (encoded.tpdu_length, encoded.hex()),
        Err(_) => (0, String::new()),
    }
}

/// `<fo>`: the first octet of the TPDU.
fn first_octet(tpdu: &Tpdu) -> u8 {
    Pdu { smsc: None, tpdu: tpdu.clone() }
        .encode()
        .ok()
        .and_then(|e| e.bytes.get(1).copied())
        .unwrap_or(0)
}

fn quoted_or_empty(a: &bubblegate_sms::Address) -> String {
    if a.value.is_empty() && !text_mode::is_alphanumeric(a) {
        "\"\"".to_owned()
    } else {
        quoted(a)
    }
}
