//! Health: signal, registration, operator and storage, read at the slow
//! configured interval and soon after a registration URC, and what the
//! readings mean for the state (ready only while registered).
//!
//! Invariant: an idle modem gets exactly these commands once per health
//! interval (`+CSQ`, one registration query per domain the profile lists,
//! `+COPS?`, `+CPMS?`), and nothing else.

use std::time::Duration;

use bubblegate_at::commands::network::{
    Csq, Domain, OperatorQuery, RegistrationQuery, RegistrationStatus, SignalQuality,
};
use bubblegate_at::commands::sms_config::StorageQuery;
use bubblegate_profiles::CommandClass;

use super::state::ModemState;
use super::{Actor, CallError, Stop};
use crate::event::EventKind;

/// After a registration URC, the health read follows this soon (unless
/// one is due earlier), so that a flapping network cannot flood the port.
const AFTER_URC: Duration = Duration::from_secs(2);

impl Actor {
    /// One health read. Refusals and unreadable answers are logged and
    /// skipped; a timeout goes to the watchdog.
    pub(super) async fn health(&mut self) -> Result<(), Stop> {
        self.schedule_health(self.config().health_interval);
        if let Some(csq) = soft(self.call(&SignalQuality, CommandClass::Default).await)? {
            self.on_signal(csq);
        }
        for domain in self.domains() {
            let query = RegistrationQuery(domain);
            if let Some(reg) = soft(self.call(&query, CommandClass::Default).await)? {
                self.on_registration(domain, reg.status);
            }
        }
        if let Some(op) = soft(self.call(&OperatorQuery, CommandClass::Operator).await)? {
            let name = op.name;
            let changed = self.shared.status.borrow().operator != name;
            if changed {
                tracing::info!(operator = name.as_deref().unwrap_or("none"), "operator");
                self.shared.status.send_modify(|s| s.operator = name.clone());
                self.emit(EventKind::Operator(name));
            }
        }
        let receive = self.profile.sms.storage[2].to_string();
        if let Some(storages) = soft(self.call(&StorageQuery, CommandClass::Default).await)? {
            let usage = storages
                .iter()
                .find(|s| s.memory.eq_ignore_ascii_case(&receive))
                .or(storages.last())
                .map(|s| s.usage);
            if let Some(usage) = usage {
                self.note_storage(&receive, usage.used, usage.total);
                if usage.is_full() && self.serving {
                    // Whatever a consumer missed is handed over again, so
                    // that its confirmations can make room.
                    self.sweep().await?;
                }
            }
        }
        Ok(())
    }

    pub(super) fn on_signal(&mut self, csq: Csq) {
        let changed = self.shared.status.borrow().signal != Some(csq);
        if changed {
            tracing::debug!(rssi = csq.rssi, dbm = ?csq.dbm(), "signal");
            self.shared.status.send_modify(|s| s.signal = Some(csq));
            self.emit(EventKind::Signal(csq));
        }
    }

    /// A registration reading (answer or URC) for one domain.
    pub(super) fn on_registration(&mut self, domain: Domain, status: RegistrationStatus) {
        let previous = self.registration.insert(domain, status);
        if previous == Some(status) {
            return;
        }
        tracing::info!(?domain, ?status, "registration");
        self.emit(EventKind::Registration { domain, status });
        let best = best(self.registration.values().copied());
        self.shared.status.send_modify(|s| s.registration = best);
        if self.serving {
            // During bring-up the state moves once every reading is in.
            self.update_readiness();
        }
        if previous.is_some() {
            // A change the network announced: read the rest soon.
            let soon = tokio::time::Instant::now() + AFTER_URC;
            if self.next_health.is_none_or(|at| at > soon) {
                self.next_health = Some(soon);
            }
        }
    }

    /// Ready while registered in any domain the profile queries; SIM ready
    /// otherwise. Only once set up (SIM ready or later).
    pub(super) fn update_readiness(&mut self) {
        let registered = self.registration.values().any(|s| s.is_registered());
        let state = self.shared.status.borrow().state.clone();
        match state {
            ModemState::SimReady | ModemState::Registered if registered => {
                self.set_state(ModemState::Registered);
                self.set_state(ModemState::Ready);
            }
            ModemState::Ready | ModemState::Registered if !registered => {
                self.set_state(ModemState::SimReady);
            }
            _ => {}
        }
    }

    /// The first registration check of a session.
    pub(super) async fn check_registration(&mut self) -> Result<(), Stop> {
        self.registration.clear();
        self.health().await?;
        self.update_readiness();
        Ok(())
    }
}

/// Turns a refused or unreadable answer into "no reading".
fn soft<T>(result: Result<T, CallError>) -> Result<Option<T>, Stop> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(CallError::Stop(stop)) => Err(stop),
        Err(err) => {
            tracing::debug!(?err, "health reading skipped");
            Ok(None)
        }
    }
}

/// The most useful registration of several domains: registered beats
/// searching beats anything else.
fn best(statuses: impl Iterator<Item = RegistrationStatus>) -> Option<RegistrationStatus> {
    statuses.max_by_key(|s| match s {
        s if s.is_registered() => 3,
        RegistrationStatus::Searching => 2,
        RegistrationStatus::Denied => 1,
        _ => 0,
    })
}
