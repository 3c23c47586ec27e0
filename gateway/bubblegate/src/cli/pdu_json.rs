//! The JSON shape of `bubblegate pdu`. Field names here are the contract
//! that scripts and tests rely on: add fields, never rename them.

use bubblegate_sms::{hex, Address, Body, Encoded, Ie, Pdu, Tpdu, Validity};
use serde_json::{json, Value};

/// One decoded PDU as a JSON object.
pub fn decoded(pdu: &Pdu) -> Value {
    let tpdu = &pdu.tpdu;
    let dcs = tpdu.dcs();
    let ud = tpdu.user_data();
    let udh = ud.and_then(|u| u.udh.as_ref());
    let (kind, address, scts, flags) = match tpdu {
        Tpdu::Deliver(d) => (
            "deliver",
            &d.originator,
            Some(d.scts),
            Flags {
                srr: d.status_report_indication,
                reply_path: d.reply_path,
                reject_duplicates: false,
                more: d.more_messages,
            },
        ),
        Tpdu::Submit(s) => (
            "submit",
            &s.destination,
            None,
            Flags {
                srr: s.status_report_request,
                reply_path: s.reply_path,
                reject_duplicates: s.reject_duplicates,
                more: false,
            },
        ),
        Tpdu::StatusReport(r) => (
            "status-report",
            &r.recipient,
            Some(r.scts),
            Flags {
                srr: false,
                reply_path: false,
                reject_duplicates: false,
                more: r.more_messages,
            },
        ),
    };
    let mut obj = json!({
        "type": kind,
        "smsc": pdu.smsc.as_ref().map(Address::to_string),
        "address": address.to_string(),
        "ton": address.ton as u8,
        "npi": address.npi,
        "pid": match tpdu {
            Tpdu::Deliver(d) => Some(d.pid),
            Tpdu::Submit(s) => Some(s.pid),
            Tpdu::StatusReport(r) => r.pid,
        },
        "dcs": dcs.0,
        "coding": if dcs.compressed() { "8bit" } else { dcs.coding().name() },
        "class": dcs.class(),
        "udh": udh.map(|u| u.ies.iter().map(ie).collect::<Vec<_>>()).unwrap_or_default(),
        "concat": udh.and_then(|u| u.concat()).map(|c| json!({"ref": c.reference, "total": c.total, "seq": c.seq})),
        "ports": udh.and_then(|u| u.ports()).map(|p| json!({"src": p.src, "dst": p.dst})),
        "scts": scts.map(|t| t.to_string()),
        "discharge_time": match tpdu {
            Tpdu::StatusReport(r) => Some(r.discharge_time.to_string()),
            _ => None,
        },
        "status": None::<u8>,
        "message_ref": match tpdu {
            Tpdu::Deliver(_) => None,
            Tpdu::Submit(s) => Some(s.message_ref),
            Tpdu::StatusReport(r) => Some(r.message_ref),
        },
        "validity": match tpdu {
            Tpdu::Submit(s) => s.validity.as_ref().map(validity),
            _ => None,
        },
        "status_report_request": flags.srr,
        "reply_path": flags.reply_path,
        "reject_duplicates": flags.reject_duplicates,
        "more_messages_to_send": flags.more,
    });
    if let Tpdu::StatusReport(r) = tpdu {
        obj["status"] = json!(r.status.0);
        obj["status_class"] = json!(r.status.class());
        obj["status_text"] = json!(r.status.name());
    }
    if let Some(w) = dcs.waiting_indication() {
        obj["waiting_indication"] = json!(w);
    }
    match ud.map(|u| &u.body) {
        Some(Body::Text(t)) => obj["text"] = json!(t),
        Some(Body::Data(d)) => obj["data_hex"] = json!(hex::encode(d)),
        None => {}
    }
    obj
}

struct Flags {
    srr: bool,
    reply_path: bool,
    reject_duplicates: bool,
    more: bool,
}

fn ie(ie: &Ie) -> Value {
    let mut raw = Vec::new();
    let iei = match ie {
        Ie::Concat(c) if c.wide => {
            raw.extend(c.reference.to_be_bytes());
            raw.extend([c.total, c.seq]);
            0x08
        }
        Ie::Concat(c) => {
            raw.extend([c.reference as u8, c.total, c.seq]);
            0x00
        }
        Ie::Ports(p) if p.wide => {
            raw.extend(p.dst.to_be_bytes());
            raw.extend(p.src.to_be_bytes());
            0x05
        }
        Ie::Ports(p) => {
            raw.extend([p.dst as u8, p.src as u8]);
            0x04
        }
        Ie::SingleShift { language } => {
            raw.push(language.id());
            0x24
        }
        Ie::LockingShift { language } => {
            raw.push(language.id());
            0x25
        }
        Ie::Other { iei, data } => {
            raw.extend(data);
            *iei
        }
    };
    let mut v = json!({ "iei": iei, "data_hex": hex::encode(&raw) });
    match ie {
        Ie::Concat(c) => v["concat"] = json!({"ref": c.reference, "total": c.total, "seq": c.seq}),
        Ie::Ports(p) => v["ports"] = json!({"src": p.src, "dst": p.dst}),
        Ie::SingleShift { language } => v["single_shift"] = json!(language.name()),
        Ie::LockingShift { language } => v["locking_shift"] = json!(language.name()),
        Ie::Other { .. } => {}
    }
    v
}

fn validity(v: &Validity) -> Value {
    let mut out = serde_json::to_value(v).unwrap_or(Value::Null);
    if let Some(secs) = v.seconds() {
        out["seconds"] = json!(secs);
    }
    if let Validity::Absolute { time } = v {
        out["time"] = json!(time.to_string());
    }
    out
}

/// The parts of an encoded message as a JSON array.
pub fn encoded(parts: &[Encoded]) -> Value {
    Value::Array(
        parts.iter().map(|p| json!({ "pdu": p.hex(), "tpdu_length": p.tpdu_length })).collect(),
    )
}
