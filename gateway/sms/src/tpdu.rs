//! The three TPDUs a gateway meets, TS 23.040 clause 9.2.2:
//! SMS-DELIVER (9.2.2.1), SMS-SUBMIT (9.2.2.2) and SMS-STATUS-REPORT
//! (9.2.2.3), each optionally preceded by the SMSC address that modems add
//! in `+CMGR`, `+CMGL` and `+CMT` (TS 27.005 clause 3.1, `<pdu>`).
//!
//! TP-MTI is ambiguous without the direction: 0b01 is SUBMIT from the phone
//! and SUBMIT-REPORT to it, 0b10 is STATUS-REPORT to the phone and COMMAND
//! from it. Modems hand the host stored SUBMITs and received
//! STATUS-REPORTs, so those are the readings used here.

use serde::{Deserialize, Serialize};

use crate::address::Address;
use crate::cursor::Cursor;
use crate::dcs::Dcs;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::hex;
use crate::status::Status;
use crate::time::{Timestamp, Validity};
use crate::user_data::UserData;

/// SMS-DELIVER: a message from the network to the phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deliver {
    /// TP-MMS inverted: the SC holds more messages for this phone.
    pub more_messages: bool,
    /// TP-LP, loop prevention.
    pub loop_prevention: bool,
    /// TP-SRI: the sender asked for a status report.
    pub status_report_indication: bool,
    /// TP-RP: a reply path is set.
    pub reply_path: bool,
    pub originator: Address,
    pub pid: u8,
    pub dcs: Dcs,
    pub scts: Timestamp,
    pub user_data: UserData,
}

/// SMS-SUBMIT: a message from the phone to the network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submit {
    /// TP-RD: the SC should reject a duplicate of a held message.
    pub reject_duplicates: bool,
    /// TP-SRR: ask for a status report.
    pub status_report_request: bool,
    pub reply_path: bool,
    /// TP-MR. Modems replace 0 with their own counter and report it in
    /// `+CMGS: <mr>`.
    pub message_ref: u8,
    pub destination: Address,
    pub pid: u8,
    pub dcs: Dcs,
    pub validity: Option<Validity>,
    pub user_data: UserData,
}

/// SMS-STATUS-REPORT: the outcome of a SUBMIT that asked for one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusReport {
    pub more_messages: bool,
    pub loop_prevention: bool,
    /// TP-SRQ: this reports on an SMS-COMMAND rather than a SUBMIT.
    pub qualifier_command: bool,
    /// The TP-MR of the SUBMIT this reports on.
    pub message_ref: u8,
    pub recipient: Address,
    /// When the SC received the SUBMIT.
    pub scts: Timestamp,
    /// When the SC delivered it, or tried for the last time.
    pub discharge_time: Timestamp,
    pub status: Status,
    /// Optional parameters, present when TP-PI says so.
    pub pid: Option<u8>,
    pub dcs: Option<Dcs>,
    pub user_data: Option<UserData>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Tpdu {
    Deliver(Deliver),
    Submit(Submit),
    StatusReport(StatusReport),
}

/// A TPDU with the SMSC address that may come in front of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pdu {
    /// `None` when the PDU had no SMSC field, or a zero-length one.
    pub smsc: Option<Address>,
    pub tpdu: Tpdu,
}

/// An encoded PDU, ready for `AT+CMGS=<tpdu_length>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Encoded {
    /// SMSC field and TPDU.
    pub bytes: Vec<u8>,
    /// Octets of the TPDU alone, which `+CMGS` and `+CMGW` take as length
    /// (TS 27.005 clause 3.5.1).
    pub tpdu_length: usize,
}

impl Encoded {
    pub fn hex(&self) -> String {
        hex::encode(&self.bytes)
    }
}

impl Pdu {
    /// Decodes a PDU. `with_smsc`: the bytes start with the SMSC field, as
    /// modems print them in PDU mode.
    pub fn decode(bytes: &[u8], with_smsc: bool) -> Result<Pdu, DecodeError> {
        let mut cur = Cursor::new(bytes, 0);
        let smsc = if with_smsc { Address::decode_smsc(&mut cur)? } else { None };
        let tpdu = Tpdu::decode(&mut cur)?;
        if cur.remaining() > 0 {
            return Err(cur.error(DecodeErrorKind::TrailingBytes { count: cur.remaining() }));
        }
        Ok(Pdu { smsc, tpdu })
    }

    pub fn decode_hex(text: &str, with_smsc: bool) -> Result<Pdu, DecodeError> {
        Pdu::decode(&hex::decode(text.trim())?, with_smsc)
    }

    /// Encodes with the SMSC field in front (a single 0 octet when `smsc`
    /// is `None`, meaning "the SMSC stored on the SIM").
    pub fn encode(&self) -> Result<Encoded, EncodeError> {
        let mut bytes = Vec::with_capacity(176);
        Address::encode_smsc(self.smsc.as_ref(), &mut bytes)?;
        let head = bytes.len();
        self.tpdu.encode(&mut bytes)?;
        Ok(Encoded { tpdu_length: bytes.len() - head, bytes })
    }
}

impl Tpdu {
    fn decode(cur: &mut Cursor<'_>) -> Result<Tpdu, DecodeError> {
        let at = cur.offset();
        let fo = cur.u8("first octet")?;
        let bit = |n: u8| fo & (1 << n) != 0;
        match fo & 0b11 {
            0b00 => {
                let originator = Address::decode_tp(cur, "TP-OA")?;
                let pid = cur.u8("TP-PID")?;
                let dcs = Dcs(cur.u8("TP-DCS")?);
                let scts = Timestamp::decode(cur, "TP-SCTS")?;
                let user_data = UserData::decode(cur, dcs, bit(6))?;
                Ok(Tpdu::Deliver(Deliver {
                    more_messages: !bit(2),
                    loop_prevention: bit(3),
                    status_report_indication: bit(5),
                    reply_path: bit(7),
                    originator,
                    pid,
                    dcs,
                    scts,
                    user_data,
                }))
            }
            0b01 => {
                let message_ref = cur.u8("TP-MR")?;
                let destination = Address::decode_tp(cur, "TP-DA")?;
                let pid = cur.u8("TP-PID")?;
                let dcs = Dcs(cur.u8("TP-DCS")?);
                let validity = Validity::decode(fo >> 3, cur)?;
                let user_data = UserData::decode(cur, dcs, bit(6))?;
                Ok(Tpdu::Submit(Submit {
                    reject_duplicates: bit(2),
                    status_report_request: bit(5),
                    reply_path: bit(7),
                    message_ref,
                    destination,
                    pid,
                    dcs,
                    validity,
                    user_data,
                }))
            }
            0b10 => {
                let message_ref = cur.u8("TP-MR")?;
                let recipient = Address::decode_tp(cur, "TP-RA")?;
                let scts = Timestamp::decode(cur, "TP-SCTS")?;
                let discharge_time = Timestamp::decode(cur, "TP-DT")?;
                let status = Status(cur.u8("TP-ST")?);
                let mut report = StatusReport {
                    more_messages: !bit(2),
                    loop_prevention: bit(3),
                    qualifier_command: bit(5),
                    message_ref,
                    recipient,
                    scts,
                    discharge_time,
                    status,
                    pid: None,
                    dcs: None,
                    user_data: None,
                };
                if cur.remaining() > 0 {
                    let mut pi = cur.u8("TP-PI")?;
                    let first = pi;
                    // Extension octets (bit 7) carry no parameters we know.
                    while pi & 0x80 != 0 {
                        pi = cur.u8("TP-PI extension")?;
                    }
                    if first & 0x01 != 0 {
                        report.pid = Some(cur.u8("TP-PID")?);
                    }
                    if first & 0x02 != 0 {
                        report.dcs = Some(Dcs(cur.u8("TP-DCS")?));
                    }
                    if first & 0x04 != 0 {
                        let dcs = report.dcs.unwrap_or_default();
                        report.user_data = Some(UserData::decode(cur, dcs, bit(6))?);
                    }
                }
                Ok(Tpdu::StatusReport(report))
            }
            _ => Err(DecodeError::new(at, DecodeErrorKind::ReservedMessageType)),
        }
    }

    fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let flag = |on: bool, n: u8| (on as u8) << n;
        match self {
            Tpdu::Deliver(d) => {
                out.push(
                    flag(!d.more_messages, 2)
                        | flag(d.loop_prevention, 3)
                        | flag(d.status_report_indication, 5)
                        | flag(d.user_data.udh.is_some(), 6)
                        | flag(d.reply_path, 7),
                );
                d.originator.encode_tp(out)?;
                out.extend([d.pid, d.dcs.0]);
                d.scts.encode(out)?;
                d.user_data.encode(d.dcs, out)
            }
            Tpdu::Submit(s) => {
                out.push(
                    0b01 | flag(s.reject_duplicates, 2)
                        | Validity::vpf(s.validity.as_ref()) << 3
                        | flag(s.status_report_request, 5)
                        | flag(s.user_data.udh.is_some(), 6)
                        | flag(s.reply_path, 7),
                );
                out.push(s.message_ref);
                s.destination.encode_tp(out)?;
                out.extend([s.pid, s.dcs.0]);
                if let Some(v) = &s.validity {
                    v.encode(out)?;
                }
                s.user_data.encode(s.dcs, out)
            }
            Tpdu::StatusReport(r) => {
                let udhi = r.user_data.as_ref().is_some_and(|u| u.udh.is_some());
                out.push(
                    0b10 | flag(!r.more_messages, 2)
                        | flag(r.loop_prevention, 3)
                        | flag(r.qualifier_command, 5)
                        | flag(udhi, 6),
                );
                out.push(r.message_ref);
                r.recipient.encode_tp(out)?;
                r.scts.encode(out)?;
                r.discharge_time.encode(out)?;
                out.push(r.status.0);
                let pi = flag(r.pid.is_some(), 0)
                    | flag(r.dcs.is_some(), 1)
                    | flag(r.user_data.is_some(), 2);
                if pi != 0 {
                    out.push(pi);
                    out.extend(r.pid);
                    out.extend(r.dcs.map(|d| d.0));
                    if let Some(ud) = &r.user_data {
                        ud.encode(r.dcs.unwrap_or_default(), out)?;
                    }
                }
                Ok(())
            }
        }
    }

    /// The user data, where the TPDU has some.
    pub fn user_data(&self) -> Option<&UserData> {
        match self {
            Tpdu::Deliver(d) => Some(&d.user_data),
            Tpdu::Submit(s) => Some(&s.user_data),
            Tpdu::StatusReport(r) => r.user_data.as_ref(),
        }
    }

    pub fn dcs(&self) -> Dcs {
        match self {
            Tpdu::Deliver(d) => d.dcs,
            Tpdu::Submit(s) => s.dcs,
            Tpdu::StatusReport(r) => r.dcs.unwrap_or_default(),
        }
    }
}
