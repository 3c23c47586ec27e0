//! One modem's inbox worker: takes what the modem's actor hands over and
//! makes it durable before the modem may forget it.
//!
//! - A received part is stored (deduplicated, joined with the parts held
//!   for its message) and only then confirmed to the driver, which then
//!   deletes the SIM copy or acknowledges the routed message. A part whose
//!   commit failed is not confirmed: the modem keeps it and hands it over
//!   again after its next restart.
//! - A status report is matched to the part it reports on through TP-MR,
//!   then confirmed, whether the modem stored it (`+CDSI`, or the startup
//!   sweep, TS 27.005 3.4.1 `<ds>`=2) or routed it (`+CDS`): the match is
//!   committed before the driver deletes the stored copy, so a report that
//!   came while the daemon was down is matched at the next start. A
//!   report handed over again after a crash (committed, not yet deleted)
//!   changes nothing in the store and is deleted like one that matches no
//!   part.
//! - An undecodable PDU is logged and confirmed, so that a broken message
//!   cannot fill the SIM.
//! - A complete message is committed pending for the encrypted network's
//!   hub; the inbox then wakes the hand-off task (`network.rs`), which
//!   hands the hub what is pending in the store. A crash between the two
//!   loses nothing: the next start hands it over.
//! - State changes go to the API's event stream; an identified modem's
//!   profile and IMEI are recorded.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bubblegate_api::{GatewayEvent, Timestamp};
use bubblegate_modem::{
    EventKind, InboundMessage, InboundToken, ModemEvent, Origin, StatusReportMessage,
};
use bubblegate_store::{ModemRecord, NewInboundPart, Report};
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::clock::scts_instant;
use crate::daemon::Inner;
use crate::mapping::{self, message_status, part_state};
use crate::pool::PoolModem;

/// Tries of one store write before the message is left on the modem.
const STORE_TRIES: u32 = 4;

/// Status reports that matched no part yet, with when to try again: a
/// report can overtake the commit of its part's `submitted` state.
type Unmatched = VecDeque<(Instant, u32, StatusReportMessage)>;

/// How often an unmatched report is tried again before it is dropped.
const REPORT_TRIES: u32 = 4;

pub(crate) async fn run(
    inner: Arc<Inner>,
    modem: Arc<PoolModem>,
    mut events: broadcast::Receiver<ModemEvent>,
    token: CancellationToken,
) {
    let mut unmatched = Unmatched::new();
    loop {
        let next_retry = unmatched.front().map(|(at, _, _)| *at);
        let event = tokio::select! {
            () = token.cancelled() => return,
            event = events.recv() => event,
            () = sleep_until(next_retry) => {
                if let Some((_, tries, report)) = unmatched.pop_front() {
                    status_report(&inner, &modem, report, tries, &mut unmatched).await;
                }
                continue;
            }
        };
        match event {
            Ok(ModemEvent { kind: EventKind::StatusReport(report), .. }) => {
                status_report(&inner, &modem, report, 0, &mut unmatched).await;
            }
            Ok(event) => handle(&inner, &modem, event.kind).await,
            Err(RecvError::Lagged(missed)) => {
                // Unconfirmed messages stay on the modem and come again
                // after its next restart or storage sweep.
                tracing::warn!(missed, "fell behind the modem's events");
            }
            Err(RecvError::Closed) => return,
        }
    }
}

async fn handle(inner: &Inner, modem: &PoolModem, kind: EventKind) {
    match kind {
        EventKind::Inbound(message) => inbound(inner, modem, message).await,
        EventKind::Undecodable(u) => {
            tracing::warn!(error = %u.error, "the modem handed over a PDU that does not decode; deleting it");
            tracing::trace!(pdu = %u.pdu, "undecodable PDU");
            confirm(modem, u.token).await;
        }
        EventKind::State(state) => {
            tracing::debug!(%state, "modem state");
            inner.publish(GatewayEvent::ModemState {
                modem: modem.id.to_string(),
                state: mapping::modem_state(&state),
                at: Timestamp::now(),
            });
        }
        EventKind::Identified { profile, .. } => {
            let imei = modem.handle.status().identity.and_then(|i| i.imei);
            let record = ModemRecord {
                id: bubblegate_store::ModemId(modem.id.to_string()),
                profile,
                imei,
                node: inner.node.clone(),
            };
            if let Err(err) = inner.store.upsert_modem(&record, SystemTime::now()).await {
                tracing::warn!(%err, "cannot record the modem's identity");
            }
        }
        _ => {}
    }
}

async fn inbound(inner: &Inner, modem: &PoolModem, m: InboundMessage) {
    let deliver = &m.deliver;
    let part = NewInboundPart {
        modem: bubblegate_store::ModemId(modem.id.to_string()),
        sim: Some(modem.sim.clone()),
        sender: deliver.originator.to_string(),
        scts: scts_instant(&deliver.scts),
        concat: deliver.user_data.udh.as_ref().and_then(|udh| udh.concat()),
        body: deliver.user_data.body.clone(),
        pdu_hex: m.pdu.clone(),
        received_at: SystemTime::now(),
    };
    let mut stored = None;
    for attempt in 1..=STORE_TRIES {
        match inner.store.store_inbound_part(&part).await {
            Ok(s) => {
                stored = Some(s);
                break;
            }
            Err(err @ bubblegate_store::Error::Invalid(_)) => {
                // A part the store refuses outright will never be stored;
                // keeping it would block the SIM's storage for good.
                tracing::error!(%err, "an inbound part was refused by the store; deleting it");
                tracing::trace!(pdu = %m.pdu, "refused part");
                confirm(modem, m.token).await;
                return;
            }
            Err(err) => {
                tracing::warn!(%err, attempt, "cannot store an inbound part yet");
                tokio::time::sleep(Duration::from_millis(250 << attempt)).await;
            }
        }
    }
    let Some(stored) = stored else {
        tracing::error!("an inbound part could not be stored; it stays on the modem");
        return;
    };
    // Committed: the modem may forget it now.
    confirm(modem, m.token).await;
    tracing::info!(
        new = stored.new,
        complete = stored.complete_message.is_some(),
        "inbound part stored"
    );
    if let Some(message) = stored.complete_message {
        tracing::trace!(from = %message.sender, "inbound message from");
        // Committed, pending: the hand-off task gives it to the hub (STOP,
        // owned-SIM forwarding).
        crate::network::forward(inner, &message).await;
        let to = modem.number.clone();
        inner.publish(GatewayEvent::Inbound { message: mapping::inbound(message, to) });
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

async fn status_report(
    inner: &Inner,
    modem: &PoolModem,
    r: StatusReportMessage,
    tries: u32,
    unmatched: &mut Unmatched,
) {
    let report = Report {
        sim: modem.sim.clone(),
        mr: r.mr,
        status: r.report.status,
        discharged_at: Some(scts_instant(&r.report.discharge_time)),
    };
    let mut matched = None;
    let mut committed = false;
    for attempt in 1..=STORE_TRIES {
        match inner.store.match_status_report(&report, SystemTime::now()).await {
            Ok(t) => {
                matched = t;
                committed = true;
                break;
            }
            Err(err) => {
                tracing::warn!(%err, attempt, "cannot match a status report yet");
                tokio::time::sleep(Duration::from_millis(250 << attempt)).await;
            }
        }
    }
    if !committed {
        match r.origin {
            Origin::Stored { .. } => {
                tracing::error!("a status report could not be matched; it stays on the modem");
            }
            // Not confirmed: where the profile needs +CNMA, the network
            // delivers it again; otherwise it is gone.
            Origin::Routed => tracing::error!("a routed status report could not be matched"),
        }
        return;
    }
    if matched.is_none() && tries < REPORT_TRIES {
        // The part's `submitted` state may not be committed yet.
        let at = Instant::now() + Duration::from_millis(250 << tries);
        let slot = unmatched.iter().position(|(t, _, _)| *t > at).unwrap_or(unmatched.len());
        unmatched.insert(slot, (at, tries + 1, r));
        return;
    }
    confirm(modem, r.token).await;
    match matched {
        Some(t) => {
            tracing::debug!(message = %t.message, seq = t.seq, state = %t.part_state, "status report");
            inner.publish(GatewayEvent::MessageStatus {
                id: t.message.to_string(),
                status: message_status(t.status),
                part: Some(u32::from(t.seq)),
                part_state: Some(part_state(t.part_state)),
                at: Timestamp::now(),
            });
        }
        None => tracing::debug!(mr = r.mr, "a status report matched no part (late or foreign)"),
    }
}

async fn confirm(modem: &PoolModem, token: InboundToken) {
    if let Err(err) = modem.handle.confirm(token).await {
        // The message stays on the modem and comes again; the store's
        // dedup makes the second copy harmless.
        tracing::warn!(%err, "the modem did not confirm a handed-over message");
    }
}
