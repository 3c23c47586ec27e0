//! The service centre: takes the SMS-SUBMITs modems send, routes each part
//! as an SMS-DELIVER to the modem with the destination number (parts stay
//! parts, as phones receive them) or to the outside world, logs every
//! message joined from its parts, and makes status reports.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use bubblegate_sms::reassembly::{Outcome, Reassembler};
use bubblegate_sms::{Address, Body, Deliver, Status, StatusReport, Submit, Ton};
use serde::{Deserialize, Serialize};

use crate::modem::Inbound;
use crate::network::ReportOutcome;
use crate::spec::ModemId;

/// One message a modem sent, as the network received it: concatenated
/// parts joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedMessage {
    /// The sending modem.
    pub from_modem: ModemId,
    /// The sender's number, E.164 with `+`.
    pub from: String,
    /// The destination as dialled: `+` and digits for an international
    /// number, else the digits.
    pub to: String,
    /// The receiving modem, when the destination is a simulated modem;
    /// `None` for the outside world.
    pub to_modem: Option<ModemId>,
    /// The joined text (or data for 8-bit messages).
    pub body: Body,
    /// Parts the message was sent in.
    pub parts: u8,
    /// `false` when the reassembly timeout passed before every part came.
    pub complete: bool,
    /// Sequence numbers of the parts that never came.
    pub missing: Vec<u8>,
    /// TP-MR of each part, in the order the parts arrived.
    pub message_refs: Vec<u8>,
    /// Whether the sender asked for status reports (TP-SRR).
    pub status_report_requested: bool,
}

/// A message waiting to be handed to a modem: a DELIVER part or a status
/// report. It waits while the modem is unplugged, off, unregistered, full
/// or busy with an unacknowledged `+CMT`, as a real SMSC retries.
#[derive(Debug, Clone)]
pub(crate) struct Held {
    pub to: ModemId,
    pub item: Inbound,
    pub not_before: Instant,
}

/// What the SMSC knows about a message whose parts are still coming.
#[derive(Debug, Clone)]
struct Pending {
    from_modem: ModemId,
    from: String,
    to: String,
    to_modem: Option<ModemId>,
    refs: Vec<u8>,
    srr: bool,
}

#[derive(Debug)]
pub(crate) struct Smsc {
    reassembler: Reassembler,
    /// By the reassembler's sender key, then reference and part count.
    pending: BTreeMap<(String, u16, u8), Pending>,
    pub received: Vec<ReceivedMessage>,
    pub held: Vec<Held>,
    /// Concatenation reference for messages the network itself splits.
    next_reference: u8,
}

impl Smsc {
    pub(crate) fn new(reassembly_timeout: Duration) -> Self {
        Smsc {
            reassembler: Reassembler::new(reassembly_timeout),
            pending: BTreeMap::new(),
            received: Vec::new(),
            held: Vec::new(),
            next_reference: 0,
        }
    }

    pub(crate) fn next_reference(&mut self) -> u16 {
        self.next_reference = self.next_reference.wrapping_add(1);
        u16::from(self.next_reference)
    }

    /// Logs one part a modem sent. Returns the message once its last part
    /// is in.
    pub(crate) fn log_part(
        &mut self,
        from_modem: ModemId,
        from: &str,
        to_modem: Option<ModemId>,
        submit: &Submit,
        now: std::time::SystemTime,
    ) -> Option<ReceivedMessage> {
        let to = submit.destination.to_string();
        let key = format!("{from}\u{1f}{to}");
        let concat = submit.user_data.udh.as_ref().and_then(|u| u.concat()).filter(|c| c.total > 1);
        let mut meta = Pending {
            from_modem,
            from: from.to_owned(),
            to: to.clone(),
            to_modem,
            refs: Vec::new(),
            srr: submit.status_report_request,
        };
        if let Some(c) = concat {
            let entry =
                self.pending.entry((key.clone(), c.reference, c.total)).or_insert(meta.clone());
            entry.refs.push(submit.message_ref);
            entry.srr |= submit.status_report_request;
            meta = entry.clone();
        } else {
            meta.refs.push(submit.message_ref);
        }
        match self.reassembler.push(&key, concat, submit.user_data.body.clone(), now) {
            Outcome::Complete(message) => {
                if let Some(c) = concat {
                    self.pending.remove(&(key, c.reference, c.total));
                }
                let received = ReceivedMessage {
                    from_modem: meta.from_modem,
                    from: meta.from,
                    to: meta.to,
                    to_modem: meta.to_modem,
                    body: message.body,
                    parts: message.total,
                    complete: message.complete,
                    missing: message.missing,
                    message_refs: meta.refs,
                    status_report_requested: meta.srr,
                };
                self.received.push(received.clone());
                Some(received)
            }
            Outcome::Pending | Outcome::Duplicate => None,
        }
    }

    /// Messages whose missing parts did not come in time, logged
    /// incomplete.
    pub(crate) fn expire(&mut self, now: std::time::SystemTime) -> Vec<ReceivedMessage> {
        let mut out = Vec::new();
        for message in self.reassembler.expire(now) {
            let key = (message.sender.clone(), message.reference.unwrap_or(0), message.total);
            let Some(meta) = self.pending.remove(&key) else { continue };
            let received = ReceivedMessage {
                from_modem: meta.from_modem,
                from: meta.from,
                to: meta.to,
                to_modem: meta.to_modem,
                body: message.body,
                parts: message.total,
                complete: message.complete,
                missing: message.missing,
                message_refs: meta.refs,
                status_report_requested: meta.srr,
            };
            self.received.push(received.clone());
            out.push(received);
        }
        out
    }

    pub(crate) fn next_deadline(&self) -> Option<std::time::SystemTime> {
        self.reassembler.next_deadline()
    }
}

/// The SMS-DELIVER a recipient gets for one SUBMIT part: same user data
/// (header included), coding and protocol id; the sender's number as
/// TP-OA; TP-SRI set when the sender asked for a report.
pub(crate) fn deliver_for(
    submit: &Submit,
    originator: Address,
    scts: bubblegate_sms::Timestamp,
) -> Deliver {
    Deliver {
        more_messages: false,
        loop_prevention: false,
        status_report_indication: submit.status_report_request,
        reply_path: false,
        originator,
        pid: submit.pid,
        dcs: submit.dcs,
        scts,
        user_data: submit.user_data.clone(),
    }
}

/// The SMS-STATUS-REPORT for a SUBMIT (TS 23.040 9.2.2.3): its TP-MR and
/// destination, when the SMSC took it and when it finished.
pub(crate) fn report_for(
    submit: &Submit,
    outcome: ReportOutcome,
    scts: bubblegate_sms::Timestamp,
    discharge_time: bubblegate_sms::Timestamp,
) -> StatusReport {
    let status = match outcome {
        ReportOutcome::Delivered => Status::DELIVERED,
        ReportOutcome::Failed => Status::FAILED_NOT_OBTAINABLE,
        ReportOutcome::Pending => Status::PENDING_SME_BUSY,
    };
    StatusReport {
        more_messages: false,
        loop_prevention: false,
        qualifier_command: false,
        message_ref: submit.message_ref,
        recipient: submit.destination.clone(),
        scts,
        discharge_time,
        status,
        pid: None,
        dcs: None,
        user_data: None,
    }
}

/// Whether a dialled destination reaches the SIM with this number (E.164
/// with `+`): the international form, `00` and the digits, or a national
/// number with a trunk `0` whose digits end the E.164 number after a
/// country code of one to three digits.
pub(crate) fn reaches(number: &str, dest: &Address) -> bool {
    let own = number.trim_start_matches('+');
    if own.is_empty() || dest.ton == Ton::Alphanumeric {
        return false;
    }
    let digits = dest.value.as_str();
    if dest.ton == Ton::International {
        return digits == own;
    }
    if let Some(rest) = digits.strip_prefix("00") {
        return rest == own;
    }
    if let Some(national) = digits.strip_prefix('0') {
        return !national.is_empty()
            && own.ends_with(national)
            && (1..=3).contains(&(own.len() - national.len()));
    }
    digits == own
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_reach_their_sim() {
        let n = "+31600000002";
        let table = [
            ("+31600000002", true),
            ("0031600000002", true),
            ("0600000002", true),
            ("31600000002", true),
            ("+31600000003", false),
            ("0600000003", false),
            ("600000002", false),
        ];
        for (dialled, want) in table {
            let dest = Address::phone(dialled).unwrap();
            assert_eq!(reaches(n, &dest), want, "{dialled}");
        }
        assert!(!reaches(n, &Address::alphanumeric("Bank").unwrap()));
    }
}
