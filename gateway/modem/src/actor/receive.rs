//! Receiving: what URCs mean, reading stored messages, the startup sweep,
//! handing messages over with tokens, and confirmation.
//!
//! Invariant: a stored message is deleted only after the consumer
//! confirmed its token, and one storage slot has at most one live token.
//! A slot read again (by a sweep, or a repeated `+CMTI`) keeps its token,
//! so that a late confirmation can never delete a newer message that took
//! the same index.

use std::collections::{BTreeMap, VecDeque};

use bubblegate_at::commands::sms::{
    Acknowledge, DeleteFlag, DeleteMessage, ListMessages, MessageStatus, ReadMessage,
};
use bubblegate_at::{CmsCode, CmsError, FinalResult, Urc};
use bubblegate_profiles::CommandClass;
use bubblegate_sms::{Pdu, Tpdu};
use tokio::sync::oneshot;
use tokio::time::Instant;

use super::{Actor, CallError, Stop};
use crate::error::ConfirmError;
use crate::event::{
    EventKind, InboundMessage, InboundToken, Origin, StatusReportMessage, UndecodableMessage,
};

/// Routed messages handed over without need of an acknowledgement are
/// remembered only so that confirming them succeeds; this many at most.
const MAX_UNACKED_ROUTED: usize = 1024;

/// Messages handed over and not yet confirmed.
#[derive(Debug, Default)]
pub(super) struct Inbox {
    stored: BTreeMap<InboundToken, Slot>,
    /// The routed message waiting for its confirmation and `+CNMA`, and
    /// when to give up on it.
    routed: Option<(InboundToken, Instant)>,
    /// Routed tokens that need no acknowledgement, oldest first.
    unacked: VecDeque<InboundToken>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Slot {
    storage: String,
    index: u32,
    pdu: String,
}

impl Inbox {
    pub(super) fn ack_deadline(&self) -> Option<Instant> {
        self.routed.map(|(_, at)| at)
    }

    fn token_of(&self, storage: &str, index: u32) -> Option<(InboundToken, &Slot)> {
        self.stored
            .iter()
            .find(|(_, slot)| slot.index == index && slot.storage.eq_ignore_ascii_case(storage))
            .map(|(token, slot)| (*token, slot))
    }

    pub(super) fn unconfirmed(&self) -> usize {
        self.stored.len() + usize::from(self.routed.is_some())
    }
}

/// What kind of routed message a `+CMT`/`+CDS` was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Routed {
    Message,
    Report,
}

impl Actor {
    /// Acts on one URC while serving.
    pub(super) async fn on_urc(&mut self, urc: Urc) -> Result<(), Stop> {
        match urc {
            Urc::NewMessage { storage, index } | Urc::StatusReportStored { storage, index } => {
                self.read_stored(&storage, index).await
            }
            Urc::Message { pdu, .. } => self.routed(pdu, Routed::Message).await,
            Urc::StatusReport { pdu, .. } => self.routed(pdu, Routed::Report).await,
            Urc::MessageText { .. } | Urc::StatusReportText { .. } => {
                tracing::warn!("a routed text-mode message arrived; the profile should store them");
                self.acknowledge_text().await
            }
            Urc::Registration { domain, registration } => {
                self.on_registration(domain, registration.status);
                Ok(())
            }
            Urc::HuaweiRssi(rssi) => {
                self.on_signal(bubblegate_at::commands::network::Csq { rssi, ber: 99 });
                Ok(())
            }
            Urc::Ready(bubblegate_at::Ready::Rdy) | Urc::PowerDown(_) => Err(Stop::Rebooted),
            Urc::Sim(status) if status != bubblegate_at::commands::sim::PinStatus::Ready => {
                tracing::warn!(?status, "the SIM changed state");
                Err(Stop::Rebooted)
            }
            Urc::Other { prefix, .. } if prefix == "^SMMEMFULL:" => {
                let storage = self.profile.sms.storage[2].to_string();
                self.emit(EventKind::StorageFull { storage, used: 0, total: 0 });
                self.sweep().await
            }
            other => {
                tracing::trace!(?other, "URC");
                Ok(())
            }
        }
    }

    /// `+CMTI`/`+CDSI`: reads the slot and hands the message over.
    async fn read_stored(&mut self, storage: &str, index: u32) -> Result<(), Stop> {
        let reads_from = self.profile.sms.storage[0].to_string();
        if !storage.eq_ignore_ascii_case(&reads_from) {
            tracing::warn!(
                storage,
                reads_from,
                "a message went to a storage the modem does not read"
            );
            return Ok(());
        }
        let Ok(slot) = u16::try_from(index) else {
            tracing::warn!(index, "storage index out of range");
            return Ok(());
        };
        if self.profile.sms.modes.pdu {
            match self.call(&ReadMessage(slot), CommandClass::SmsRead).await {
                Ok(Some(entry)) => {
                    self.hand_over_stored(storage, index, entry.pdu, false);
                    Ok(())
                }
                Ok(None) => Ok(()),
                Err(CallError::Stop(stop)) => Err(stop),
                Err(err) => {
                    tracing::warn!(?err, index, "cannot read a stored message; the sweep will");
                    Ok(())
                }
            }
        } else {
            self.read_stored_text(storage, index).await
        }
    }

    /// Lists every stored message (`+CMGL` "all") and hands over those not
    /// confirmed yet: what arrived while the daemon was down, and what a
    /// consumer missed.
    pub(super) async fn sweep(&mut self) -> Result<(), Stop> {
        if !self.profile.sms.modes.pdu {
            return self.sweep_text().await;
        }
        let storage = self.profile.sms.storage[0].to_string();
        let entries =
            match self.call(&ListMessages(MessageStatus::All), CommandClass::SmsRead).await {
                Ok(entries) => entries,
                Err(CallError::Stop(stop)) => return Err(stop),
                Err(err) => {
                    tracing::warn!(?err, "cannot list stored messages");
                    return Ok(());
                }
            };
        tracing::debug!(count = entries.len(), "stored messages listed");
        for entry in entries {
            if matches!(entry.stat, MessageStatus::StoredSent | MessageStatus::StoredUnsent) {
                // Drafts and sent copies are not ours to take or delete.
                continue;
            }
            self.hand_over_stored(&storage, entry.index, entry.pdu, true);
        }
        Ok(())
    }

    /// Hands over the message in a slot. `again`: hand it over even if its
    /// token is live (a sweep), with the same token.
    pub(super) fn hand_over_stored(&mut self, storage: &str, index: u32, pdu: String, again: bool) {
        let token = match self.inbox.token_of(storage, index) {
            Some((token, slot)) if slot.pdu == pdu => {
                if !again {
                    return;
                }
                token
            }
            Some((old, _)) => {
                // The slot holds another message than the one handed over
                // under `old`, which is gone; forget it.
                self.inbox.stored.remove(&old);
                InboundToken::next()
            }
            None => InboundToken::next(),
        };
        let origin = Origin::Stored { storage: storage.to_owned(), index };
        let slot = Slot { storage: storage.to_owned(), index, pdu: pdu.clone() };
        match decode(&pdu) {
            Ok(Pdu { tpdu: Tpdu::Submit(_), .. }) => return,
            Ok(decoded) => self.emit_decoded(token, origin, pdu, decoded),
            Err(error) => {
                tracing::warn!(index, %error, "a stored PDU does not decode; handing it over raw");
                self.emit(EventKind::Undecodable(UndecodableMessage { token, origin, pdu, error }));
            }
        }
        self.inbox.stored.insert(token, slot);
        self.publish_unconfirmed();
    }

    fn emit_decoded(&self, token: InboundToken, origin: Origin, pdu: String, decoded: Pdu) {
        let smsc = decoded.smsc.as_ref().map(ToString::to_string);
        match decoded.tpdu {
            Tpdu::Deliver(deliver) => {
                tracing::info!(?origin, "message received");
                tracing::trace!(from = %deliver.originator, "message received from");
                self.emit(EventKind::Inbound(InboundMessage { token, origin, pdu, smsc, deliver }));
            }
            Tpdu::StatusReport(report) => {
                tracing::info!(mr = report.message_ref, status = report.status.0, "status report");
                let mr = report.message_ref;
                self.emit(EventKind::StatusReport(StatusReportMessage {
                    token,
                    origin,
                    mr,
                    report,
                }));
            }
            Tpdu::Submit(_) => {}
        }
    }

    /// `+CMT`/`+CDS`: hands the message over; where the profile needs
    /// `+CNMA`, the acknowledgement waits for the confirmation (bounded).
    async fn routed(&mut self, pdu: String, kind: Routed) -> Result<(), Stop> {
        // Whatever the delivery mode, a routed +CMT/+CDS after +CSMS=1 must
        // be acknowledged.
        let needs_ack = self.profile.sms.needs_cnma;
        if let Some((previous, _)) = self.inbox.routed.take() {
            // The modem routed another message before the last one was
            // acknowledged, so it does not wait for acknowledgements
            // (`+CSMS=0`): the last one needs none.
            tracing::debug!(?previous, "routed again before the acknowledgement");
            self.inbox.unacked.push_back(previous);
        }
        let token = InboundToken::next();
        match decode(&pdu) {
            Ok(decoded) => self.emit_decoded(token, Origin::Routed, pdu, decoded),
            Err(error) => {
                tracing::warn!(%error, ?kind, "a routed PDU does not decode; handing it over raw");
                let event = UndecodableMessage { token, origin: Origin::Routed, pdu, error };
                self.emit(EventKind::Undecodable(event));
            }
        }
        if needs_ack {
            self.inbox.routed = Some((token, Instant::now() + self.config().cnma_wait));
        } else {
            self.inbox.unacked.push_back(token);
            if self.inbox.unacked.len() > MAX_UNACKED_ROUTED {
                self.inbox.unacked.pop_front();
            }
        }
        self.publish_unconfirmed();
        Ok(())
    }

    /// The consumer stored the message with `token`: delete it from the
    /// modem, or acknowledge it.
    pub(super) async fn confirm(
        &mut self,
        token: InboundToken,
        reply: oneshot::Sender<Result<(), ConfirmError>>,
    ) -> Result<(), Stop> {
        let (result, stop) = self.confirm_inner(token).await;
        let _ = reply.send(result);
        self.publish_unconfirmed();
        match stop {
            Some(stop) => Err(stop),
            None => Ok(()),
        }
    }

    async fn confirm_inner(
        &mut self,
        token: InboundToken,
    ) -> (Result<(), ConfirmError>, Option<Stop>) {
        if let Some(slot) = self.inbox.stored.get(&token).cloned() {
            let Ok(index) = u16::try_from(slot.index) else {
                self.inbox.stored.remove(&token);
                return (Ok(()), None);
            };
            let delete = DeleteMessage { index, flag: DeleteFlag::Index };
            return match self.call(&delete, CommandClass::SmsDelete).await {
                Ok(()) => {
                    tracing::debug!(index, "deleted after confirmation");
                    self.inbox.stored.remove(&token);
                    (Ok(()), None)
                }
                Err(CallError::Rejected {
                    result: FinalResult::Cms(CmsError::Known(CmsCode::InvalidMemoryIndex)),
                    ..
                }) => {
                    // Already gone.
                    self.inbox.stored.remove(&token);
                    (Ok(()), None)
                }
                Err(CallError::Rejected { result, .. }) => {
                    (Err(ConfirmError::Refused(result)), None)
                }
                Err(CallError::Parse { .. }) => {
                    self.inbox.stored.remove(&token);
                    (Ok(()), None)
                }
                Err(CallError::Stop(stop)) => (Err(ConfirmError::NotRunning), Some(stop)),
            };
        }
        if self.inbox.routed.is_some_and(|(t, _)| t == token) {
            self.inbox.routed = None;
            return match self.call(&Acknowledge::Positive, CommandClass::Default).await {
                Ok(()) => (Ok(()), None),
                Err(CallError::Stop(stop)) => (Err(ConfirmError::NotRunning), Some(stop)),
                Err(CallError::Rejected { result, .. }) => {
                    // Most likely the modem gave up waiting; the network
                    // delivers the message again.
                    (Err(ConfirmError::Refused(result)), None)
                }
                Err(CallError::Parse { .. }) => (Ok(()), None),
            };
        }
        if let Some(at) = self.inbox.unacked.iter().position(|t| *t == token) {
            self.inbox.unacked.remove(at);
            return (Ok(()), None);
        }
        (Err(ConfirmError::UnknownToken), None)
    }

    /// The consumer did not confirm a routed message in time: refuse it
    /// (`AT+CNMA=2`, RP-ERROR), so that the network delivers it again
    /// instead of it being lost.
    pub(super) async fn ack_overdue(&mut self) -> Result<(), Stop> {
        let Some((token, at)) = self.inbox.routed else { return Ok(()) };
        if Instant::now() < at {
            return Ok(());
        }
        self.inbox.routed = None;
        self.publish_unconfirmed();
        tracing::warn!(?token, "no confirmation in time; asking the network to deliver again");
        let ack =
            if self.profile.sms.modes.pdu { Acknowledge::Negative } else { Acknowledge::Positive };
        match self.call(&ack, CommandClass::Default).await {
            Ok(()) | Err(CallError::Rejected { .. } | CallError::Parse { .. }) => Ok(()),
            Err(CallError::Stop(stop)) => Err(stop),
        }
    }

    async fn acknowledge_text(&mut self) -> Result<(), Stop> {
        if !self.profile.sms.needs_cnma {
            return Ok(());
        }
        match self.call(&Acknowledge::Positive, CommandClass::Default).await {
            Ok(()) | Err(CallError::Rejected { .. } | CallError::Parse { .. }) => Ok(()),
            Err(CallError::Stop(stop)) => Err(stop),
        }
    }

    /// Records the usage of the storage new messages go to.
    pub(super) fn note_storage(&mut self, storage: &str, used: u32, total: u32) {
        let previous = self.shared.status.borrow().storage;
        self.shared.status.send_modify(|s| s.storage = Some((used, total)));
        // A storage with no room at all (total 0) takes nothing either.
        let full = used >= total;
        let was_full = previous.is_some_and(|(u, t)| u >= t);
        if full && !was_full {
            tracing::warn!(storage, used, total, "message storage full");
            self.emit(EventKind::StorageFull { storage: storage.to_owned(), used, total });
        }
    }

    fn publish_unconfirmed(&self) {
        let count = self.inbox.unconfirmed();
        self.shared.status.send_if_modified(|s| {
            let changed = s.unconfirmed != count;
            s.unconfirmed = count;
            changed
        });
    }
}

/// Decodes a PDU as modems print it (SMSC field first). A few firmwares
/// leave the SMSC field out of `+CDS`; those are tried without.
fn decode(pdu: &str) -> Result<Pdu, String> {
    Pdu::decode_hex(pdu, true)
        .or_else(|first| Pdu::decode_hex(pdu, false).map_err(|_| first))
        .map_err(|err| err.to_string())
}
