//! Bringing a modem up: probing until it answers, identification and the
//! profile, the SIM and its PIN, the profile's init sequence and SMS setup,
//! the startup sweep of stored messages, and the first registration check.
//!
//! A PIN is entered only while it has never been refused: a refusal (or an
//! entry whose answer was lost) stops the actor with a clear error, because
//! three wrong PINs block the card.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use bubblegate_at::commands::control::Attention;
use bubblegate_at::commands::identify::{Manufacturer, Model, Revision, SerialNumber};
use bubblegate_at::commands::network::{Domain, RegistrationReporting, SetRegistrationReporting};
use bubblegate_at::commands::sim::{EnterPin, PinQuery, PinStatus};
use bubblegate_at::commands::sms_config::{
    MessageFormat, NewMessageIndications, SetMessageFormat, SetServiceCentre, SetStorage,
};
use bubblegate_at::commands::AtRequest;
use bubblegate_at::{CmeCode, CmeError, CmsCode, CmsError, FinalResult, Outcome, Retry, Urc};
use bubblegate_profiles::{CommandClass, Probe};
use tokio::time::Instant;

use super::state::{FailReason, Identity, ModemState};
use super::{Actor, CallError, Stop};
use crate::config::ProfileChoice;
use crate::event::EventKind;

/// How long one probing `AT` waits for its answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);
/// The wait between polls of a SIM or SMS stack that is not ready yet.
const POLL: Duration = Duration::from_secs(1);

impl Actor {
    /// From an open port to serving. See the module documentation.
    pub(super) async fn bring_up(&mut self) -> Result<(), Stop> {
        self.set_state(ModemState::Probing);
        let boot = self.profile.boot.wait;
        self.probe(boot).await?;
        self.identify().await?;
        let ready_by = Instant::now() + self.profile.boot.wait;
        self.unlock_sim(ready_by).await?;
        self.setup(ready_by).await?;
        // Power-on chatter seen so far (RDY, +CPIN: READY, SMS Ready) is the
        // boot just handled, not a new restart.
        self.urcs.retain(|urc| !is_boot_urc(urc));
        self.sweep().await?;
        self.check_registration().await?;
        Ok(())
    }

    /// Sends `AT` until the modem answers, for at most `bound`. Any final
    /// result counts: a modem that says `ERROR` is alive.
    pub(super) async fn probe(&mut self, bound: Duration) -> Result<(), Stop> {
        let deadline = Instant::now() + bound;
        loop {
            let command = Attention
                .command(Retry::once(PROBE_TIMEOUT))
                .map_err(|err| Stop::Failed(setup_error("AT", err)))?;
            let response = self.exec(command).await?;
            if let Outcome::Final(_) = response.outcome {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(Stop::Unresponsive("AT".to_owned()));
            }
        }
    }

    /// `+CGMI`, `+CGMM`, `+CGMR`, `+CGSN`, then the profile.
    async fn identify(&mut self) -> Result<(), Stop> {
        let manufacturer = self.optional(&Manufacturer).await?;
        let model = self.optional(&Model).await?;
        let revision = self.optional(&Revision).await?;
        let imei = self.optional(&SerialNumber).await?;
        let (profile, matched) = match &self.config().profile {
            ProfileChoice::Fixed(profile) => (profile.clone(), "configured".to_owned()),
            ProfileChoice::Detect => {
                let probe = Probe {
                    usb: self.config().usb,
                    manufacturer: manufacturer.as_deref(),
                    model: model.as_deref(),
                };
                let resolution = self.shared.profiles.resolve(&probe);
                (Arc::new(resolution.profile.clone()), format!("{:?}", resolution.matched_by))
            }
        };
        tracing::info!(
            profile = %profile.name,
            matched_by = %matched,
            manufacturer = manufacturer.as_deref().unwrap_or("?"),
            model = model.as_deref().unwrap_or("?"),
            "identified"
        );
        if let Some(link) = &mut self.link {
            link.adopt(&profile);
        }
        self.profile = profile;
        let identity = Identity {
            manufacturer: manufacturer.unwrap_or_default(),
            model: model.unwrap_or_default(),
            revision,
            imei,
        };
        let name = self.profile.name.clone();
        self.shared.status.send_modify(|s| {
            s.profile = Some(name.clone());
            s.identity = Some(identity.clone());
        });
        self.emit(EventKind::Identified {
            manufacturer: identity.manufacturer,
            model: identity.model,
            profile: name,
        });
        self.set_state(ModemState::Identified);
        Ok(())
    }

    /// A command whose refusal or unreadable answer is only a gap in what
    /// we know.
    async fn optional<R>(&mut self, request: &R) -> Result<Option<R::Output>, Stop>
    where
        R: AtRequest,
    {
        match self.call(request, CommandClass::Default).await {
            Ok(value) => Ok(Some(value)),
            Err(CallError::Stop(stop)) => Err(stop),
            Err(CallError::Rejected { command, result }) => {
                tracing::debug!(%command, %result, "identification refused");
                Ok(None)
            }
            Err(CallError::Parse { command, error }) => {
                tracing::debug!(%command, %error, "identification unreadable");
                Ok(None)
            }
        }
    }

    /// Waits until the SIM is unlocked, entering the configured PIN once.
    async fn unlock_sim(&mut self, ready_by: Instant) -> Result<(), Stop> {
        loop {
            let status = match self.call(&PinQuery, CommandClass::Default).await {
                Ok(status) => status,
                Err(CallError::Rejected { result, .. }) => match sim_problem(&result) {
                    Some(reason) => return Err(Stop::Failed(reason)),
                    // SIM busy, not ready yet, operation not allowed yet.
                    None => PinStatus::NotReady,
                },
                Err(err) => return Err(err.into()),
            };
            match status {
                PinStatus::Ready => break,
                PinStatus::SimPin => self.enter_pin().await?,
                PinStatus::SimPuk | PinStatus::SimPuk2 | PinStatus::PhFsimPuk => {
                    return Err(Stop::Failed(FailReason::PukRequired))
                }
                PinStatus::PhSimPin | PinStatus::PhFsimPin | PinStatus::Personalisation(_) => {
                    let code = format!("{status:?}");
                    return Err(Stop::Failed(FailReason::SimLocked(code)));
                }
                PinStatus::NotInserted => return Err(Stop::Failed(FailReason::SimNotInserted)),
                PinStatus::SimPin2 | PinStatus::NotReady | PinStatus::Other(_) => {}
            }
            if Instant::now() >= ready_by {
                return Err(Stop::Failed(FailReason::BootTimeout(self.profile.boot.wait)));
            }
            self.pause(POLL).await?;
        }
        self.set_state(ModemState::SimReady);
        Ok(())
    }

    async fn enter_pin(&mut self) -> Result<(), Stop> {
        if self.shared.pin_rejected.load(Ordering::SeqCst) {
            return Err(Stop::Failed(FailReason::PinRejected));
        }
        if self.pin_accepted {
            // Accepted before and asked again: the SIM restarted. The PIN
            // is known good, so entering it again cannot block the card.
            tracing::info!("the SIM asks for its PIN again");
        }
        let Some(pin) = self.config().pin.clone() else {
            return Err(Stop::Failed(FailReason::PinRequired));
        };
        let request =
            EnterPin::new(pin.digits()).map_err(|err| Stop::Failed(setup_error("+CPIN", err)))?;
        match self.call(&request, CommandClass::Default).await {
            Ok(()) => {
                tracing::info!("PIN accepted");
                self.pin_accepted = true;
                Ok(())
            }
            Err(err) => {
                // Refused, or the answer was lost: either way the attempt may
                // have counted. Never try again without a person.
                self.shared.pin_rejected.store(true, Ordering::SeqCst);
                match err {
                    CallError::Rejected { result, .. } => {
                        tracing::error!(%result, "the SIM refused the PIN");
                        Err(Stop::Failed(FailReason::PinRejected))
                    }
                    other => {
                        tracing::error!("the PIN entry got no answer; not trying again");
                        match Stop::from(other) {
                            Stop::Shutdown => Err(Stop::Shutdown),
                            _ => Err(Stop::Failed(FailReason::PinRejected)),
                        }
                    }
                }
            }
        }
    }

    /// The profile's init lines, registration URCs, then the SMS setup:
    /// format, storages, indications, service centre.
    async fn setup(&mut self, ready_by: Instant) -> Result<(), Stop> {
        let profile = self.profile.clone();
        for line in &profile.init {
            match self.call_line(line).await {
                Ok(_) => {}
                // A refused init line is a profile problem, not a reason to
                // give up on the modem.
                Err(CallError::Rejected { command, result }) => {
                    tracing::warn!(%command, %result, "init line refused");
                }
                Err(err) => return Err(err.into()),
            }
        }
        for domain in self.domains() {
            let request =
                SetRegistrationReporting { domain, reporting: RegistrationReporting::Enabled };
            match self.call(&request, CommandClass::Default).await {
                Ok(()) => {}
                Err(CallError::Rejected { command, result }) => {
                    tracing::debug!(%command, %result, "no registration URCs for this domain");
                }
                Err(err) => return Err(err.into()),
            }
        }
        let format = if profile.sms.modes.pdu { MessageFormat::Pdu } else { MessageFormat::Text };
        self.call_until_ready(&SetMessageFormat(format), ready_by).await?;
        let [mem1, mem2, mem3] = &profile.sms.storage;
        let storage = SetStorage::new(&[mem1.as_str(), mem2.as_str(), mem3.as_str()])
            .map_err(|err| Stop::Failed(setup_error("+CPMS", err)))?;
        let usage = self.call_until_ready(&storage, ready_by).await?;
        if let Some(receive) = usage.get(2).or(usage.last()) {
            self.note_storage(mem3.as_str(), receive.used, receive.total);
        }
        let cnmi = profile.sms.cnmi;
        let indications = NewMessageIndications {
            mode: cnmi.mode,
            mt: cnmi.mt,
            bm: cnmi.bm,
            ds: cnmi.ds,
            bfr: cnmi.bfr,
        };
        self.call_until_ready(&indications, ready_by).await?;
        if let Some(smsc) = self.config().smsc.clone() {
            let request = SetServiceCentre::new(smsc.as_str(), None)
                .map_err(|err| Stop::Failed(setup_error("+CSCA", err)))?;
            self.call(&request, CommandClass::Default).await.map_err(Stop::from)?;
        }
        Ok(())
    }

    /// Repeats a setup command while the SIM or SMS stack says "not yet"
    /// (`+CMS ERROR: 314`, `+CME ERROR: 14`), until `ready_by`.
    async fn call_until_ready<R: AtRequest>(
        &mut self,
        request: &R,
        ready_by: Instant,
    ) -> Result<R::Output, Stop> {
        loop {
            match self.call(request, CommandClass::Default).await {
                Ok(value) => return Ok(value),
                Err(CallError::Rejected { result, .. })
                    if not_yet(&result) && Instant::now() < ready_by =>
                {
                    self.pause(POLL).await?;
                }
                Err(err) => return Err(err.into()),
            }
        }
    }

    /// The registration domains the profile queries, in its order.
    pub(super) fn domains(&self) -> Vec<Domain> {
        let mut domains = Vec::new();
        for line in &self.profile.queries.registration {
            let domain = match line.command_name().as_str() {
                "+CREG" => Domain::Cs,
                "+CGREG" => Domain::Ps,
                "+CEREG" => Domain::Eps,
                "+C5GREG" => Domain::FiveG,
                _ => continue,
            };
            if !domains.contains(&domain) {
                domains.push(domain);
            }
        }
        if domains.is_empty() {
            domains.push(Domain::Cs);
        }
        domains
    }
}

/// A SIM problem that waiting cannot solve, from a refused `+CPIN?`.
fn sim_problem(result: &FinalResult) -> Option<FailReason> {
    let FinalResult::Cme(CmeError::Known(code)) = result else { return None };
    match code {
        CmeCode::SimNotInserted => Some(FailReason::SimNotInserted),
        CmeCode::SimPukRequired => Some(FailReason::PukRequired),
        CmeCode::SimPinRequired => Some(FailReason::PinRequired),
        CmeCode::SimFailure | CmeCode::SimWrong => Some(FailReason::SimFailure(code.name().into())),
        _ => None,
    }
}

/// "Not yet" answers of a modem whose SIM or SMS stack is still starting.
fn not_yet(result: &FinalResult) -> bool {
    match result {
        FinalResult::Cms(CmsError::Known(code)) => {
            matches!(code, CmsCode::SimBusy | CmsCode::OperationNotAllowed | CmsCode::MeFailure)
        }
        FinalResult::Cme(CmeError::Known(code)) => {
            matches!(code, CmeCode::SimBusy | CmeCode::OperationNotAllowed)
        }
        _ => false,
    }
}

/// URCs a modem prints while it powers on.
pub(super) fn is_boot_urc(urc: &Urc) -> bool {
    matches!(urc, Urc::Ready(_) | Urc::Sim(_) | Urc::Functionality(_))
}

fn setup_error(command: &str, err: impl std::fmt::Display) -> FailReason {
    FailReason::Setup { command: command.to_owned(), result: err.to_string() }
}
