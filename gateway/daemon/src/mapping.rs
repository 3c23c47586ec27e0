//! The store's and the driver's types as the API's views. Pure functions,
//! one per type; the API crate owns the wire names.

use std::time::SystemTime;

use bubblegate_api as api;
use bubblegate_at::commands::network::RegistrationStatus;
use bubblegate_modem::{ModemState, ModemStatus};
use bubblegate_sms::Body;
use bubblegate_store as store;

use crate::config::Limits;

pub fn ts(t: SystemTime) -> api::Timestamp {
    api::Timestamp::from_unix_millis(match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_millis()).map_or(i64::MIN, |m| -m),
    })
}

pub fn message_status(s: store::MessageStatus) -> api::MessageStatus {
    match s {
        store::MessageStatus::Queued => api::MessageStatus::Queued,
        store::MessageStatus::Sending => api::MessageStatus::Sending,
        store::MessageStatus::Submitted => api::MessageStatus::Submitted,
        store::MessageStatus::PartiallyDelivered => api::MessageStatus::PartiallyDelivered,
        store::MessageStatus::Delivered => api::MessageStatus::Delivered,
        store::MessageStatus::Failed => api::MessageStatus::Failed,
        store::MessageStatus::Expired => api::MessageStatus::Expired,
    }
}

pub fn part_state(s: store::PartState) -> api::PartState {
    match s {
        store::PartState::Queued => api::PartState::Queued,
        store::PartState::Submitting => api::PartState::Submitting,
        store::PartState::Submitted => api::PartState::Submitted,
        store::PartState::Delivered => api::PartState::Delivered,
        store::PartState::Failed => api::PartState::Failed,
        store::PartState::Expired => api::PartState::Expired,
    }
}

pub fn message(m: store::OutboundMessage) -> api::MessageView {
    api::MessageView {
        id: m.id.to_string(),
        to: m.destination,
        text: m.body,
        status: message_status(m.status),
        priority: m.priority,
        delivery_report: m.delivery_report,
        sim: m.sim.map(|s| s.0),
        created_at: ts(m.created_at),
        updated_at: ts(m.updated_at),
        send_after: m.send_after.map(ts),
        expires_at: m.expires_at.map(ts),
        parts: m
            .parts
            .into_iter()
            .map(|p| api::PartView {
                seq: u32::from(p.seq),
                state: part_state(p.state),
                attempts: p.attempts,
                modem: p.modem.map(|m| m.0),
                reference: p.mr,
                error: p
                    .last_error
                    .map(|e| api::PartError { code: e.code, class: e.class.name().to_owned() }),
                submitted_at: p.submitted_at.map(ts),
                delivered_at: p.delivered_at.map(ts),
            })
            .collect(),
        history: m
            .history
            .into_iter()
            .map(|h| api::HistoryEntry {
                part: h.part.map(u32::from),
                from: h.from,
                to: h.to,
                at: ts(h.at),
                detail: h.detail,
            })
            .collect(),
    }
}

pub fn inbound(m: store::InboundMessage, msisdn: Option<String>) -> api::InboxMessage {
    let text = match m.body {
        Body::Text(text) => text,
        // Data messages (ports, 8-bit) are shown as hex.
        Body::Data(bytes) => bubblegate_sms::hex::encode(&bytes),
    };
    api::InboxMessage {
        id: m.id.to_string(),
        from: m.sender,
        to: msisdn,
        modem: m.modem.0,
        sim: m.sim.map(|s| s.0),
        text,
        parts: u32::from(m.total),
        complete: m.complete,
        missing: m.missing.into_iter().map(u32::from).collect(),
        sent_at: ts(m.scts),
        received_at: ts(m.received_at),
    }
}

pub fn modem_state(s: &ModemState) -> api::ModemState {
    match s {
        ModemState::Disabled | ModemState::WaitingForPort => api::ModemState::Disconnected,
        ModemState::Probing | ModemState::Recovering(_) => api::ModemState::Probing,
        ModemState::Identified => api::ModemState::Initializing,
        ModemState::SimReady | ModemState::Registered => api::ModemState::Registering,
        ModemState::Ready => api::ModemState::Ready,
        ModemState::Failed { .. } => api::ModemState::Failed,
    }
}

pub fn registration(r: RegistrationStatus) -> api::Registration {
    match r {
        RegistrationStatus::Home
        | RegistrationStatus::HomeSmsOnly
        | RegistrationStatus::HomeCsfbNotPreferred => api::Registration::Home,
        RegistrationStatus::Roaming | RegistrationStatus::RoamingSmsOnly => {
            api::Registration::Roaming
        }
        RegistrationStatus::NotRegistered => api::Registration::NotRegistered,
        RegistrationStatus::Searching => api::Registration::Searching,
        RegistrationStatus::Denied => api::Registration::Denied,
        _ => api::Registration::Unknown,
    }
}

/// A modem's view from its status, SIM and quota use.
pub fn modem(
    id: &str,
    status: &ModemStatus,
    sim: api::SimView,
    limits: Limits,
    usage: store::Usage,
) -> api::ModemView {
    let last_error = match &status.state {
        ModemState::Failed { reason, .. } => Some(reason.to_string()),
        ModemState::Disabled => Some("disabled in the configuration".to_owned()),
        _ => None,
    };
    api::ModemView {
        id: id.to_owned(),
        profile: status.profile.clone(),
        state: modem_state(&status.state),
        signal: status.signal.as_ref().and_then(|csq| {
            csq.dbm().map(|dbm| api::Signal { csq: csq.rssi, dbm: i32::from(dbm) })
        }),
        operator: status.operator.clone(),
        registration: status.registration.map(registration),
        sim: Some(sim),
        quota: Some(api::QuotaView {
            per_minute_limit: limits.per_minute.map(|n| u64::from(n.get())),
            day_used: usage.day,
            day_limit: limits.daily,
            month_used: usage.month,
            month_limit: limits.monthly,
        }),
        last_error,
    }
}
