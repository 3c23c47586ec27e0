//! Sending one part per request: `+CMMS` when more parts follow, `+CMGS`
//! in PDU mode (or text mode where the profile has no PDU mode), and a
//! bounded number of retries with backoff for temporary errors.
//!
//! Invariant: a part whose body reached the port is never sent again by
//! the actor, and is reported as sent only with its `+CMGS: <mr>`. If the
//! answer is lost (timeout, unplug, shutdown past its grace) the outcome is
//! [`SendOutcome::Unknown`].

use bubblegate_at::commands::sms::{Cmgs, MoreMessages, MoreMessagesMode, SendPdu, SendText};
use bubblegate_at::commands::AtRequest;
use bubblegate_at::{Command, ErrorClass, Outcome};
use bubblegate_profiles::CommandClass;
use bubblegate_sms::{Pdu, Tpdu};
use tokio::sync::oneshot;

use super::text::text_commands;
use super::{Actor, CallError, Stop};
use crate::error::SendError;
use crate::handle::{OutgoingPart, SendOutcome};

/// The commands for one part.
enum Plan {
    Pdu(SendPdu),
    Text { csmp: String, send: SendText },
}

impl Actor {
    /// Sends one part and replies with its outcome. A stop (the watchdog,
    /// the port gone, shutdown) is passed on after the reply.
    pub(super) async fn send(
        &mut self,
        part: OutgoingPart,
        reply: oneshot::Sender<SendOutcome>,
    ) -> Result<(), Stop> {
        let (outcome, stop) = self.send_part(&part).await;
        match &outcome {
            SendOutcome::Sent { mr } => tracing::info!(mr, "part sent"),
            SendOutcome::Failed { error, class } => tracing::warn!(%error, ?class, "part not sent"),
            SendOutcome::Unknown { reason } => tracing::warn!(%reason, "part outcome unknown"),
        }
        tracing::trace!(to = %part.submit.destination, "part was for");
        if reply.send(outcome).is_err() {
            tracing::debug!("the sender stopped waiting for the outcome");
        }
        match stop {
            Some(stop) => Err(stop),
            None => Ok(()),
        }
    }

    async fn send_part(&mut self, part: &OutgoingPart) -> (SendOutcome, Option<Stop>) {
        let state = self.shared.status.borrow().state.clone();
        if !state.is_ready() {
            return (SendOutcome::failed(SendError::NotReady(state), ErrorClass::Temporary), None);
        }
        let plan = match self.plan(part) {
            Ok(plan) => plan,
            Err(reason) => {
                let error = SendError::Invalid(reason);
                return (SendOutcome::failed(error, ErrorClass::Permanent), None);
            }
        };
        let attempts = self.config().send_retry.attempts.get();
        let mut attempt = 1u8;
        loop {
            let (outcome, stop) = self.attempt(part, &plan).await;
            let retry = match &outcome {
                SendOutcome::Failed { class: ErrorClass::Temporary, error }
                    if stop.is_none() && attempt < attempts =>
                {
                    !matches!(error, SendError::NotReady(_) | SendError::Invalid(_))
                }
                _ => false,
            };
            if !retry {
                return (outcome, stop);
            }
            let delay = self.config().send_retry.backoff.delay(u32::from(attempt - 1));
            tracing::info!(attempt, ?delay, ?outcome, "temporary send error; trying again");
            if let Err(stop) = self.pause(delay).await {
                return (outcome, Some(stop));
            }
            attempt += 1;
        }
    }

    fn plan(&self, part: &OutgoingPart) -> Result<Plan, String> {
        if self.profile.sms.modes.pdu {
            let pdu = Pdu { smsc: None, tpdu: Tpdu::Submit(part.submit.clone()) };
            let encoded = pdu.encode().map_err(|err| err.to_string())?;
            SendPdu::new(&encoded.hex()).map(Plan::Pdu).map_err(|err| err.to_string())
        } else {
            let (csmp, send) = text_commands(&part.submit)?;
            Ok(Plan::Text { csmp, send })
        }
    }

    /// One try: `+CMMS`, `+CSMP` in text mode, then the send itself.
    async fn attempt(&mut self, part: &OutgoingPart, plan: &Plan) -> (SendOutcome, Option<Stop>) {
        let nothing_sent = |stop: Stop| {
            let error = SendError::Interrupted(format!("{stop:?}"));
            (SendOutcome::failed(error, ErrorClass::Temporary), Some(stop))
        };
        if part.more_to_follow && self.cmms != Some(false) {
            match self.call(&MoreMessages(MoreMessagesMode::Once), CommandClass::Default).await {
                Ok(()) => self.cmms = Some(true),
                Err(CallError::Stop(stop)) => return nothing_sent(stop),
                Err(err) => {
                    tracing::info!(?err, "no +CMMS on this modem; parts go one by one");
                    self.cmms = Some(false);
                }
            }
        }
        let (command, request): (Command, &(dyn AtRequest<Output = Cmgs> + Sync)) = match plan {
            Plan::Pdu(send) => match send.command(self.retry(CommandClass::SmsSend)) {
                Ok(command) => (command, send),
                Err(err) => {
                    let error = SendError::Invalid(err.to_string());
                    return (SendOutcome::failed(error, ErrorClass::Permanent), None);
                }
            },
            Plan::Text { csmp, send } => {
                match self.set_text_parameters(csmp).await {
                    Ok(()) => {}
                    Err(CallError::Stop(stop)) => return nothing_sent(stop),
                    Err(CallError::Rejected { result, .. }) => {
                        let (error, class) = SendError::from_final(result);
                        return (SendOutcome::failed(error, class), None);
                    }
                    Err(CallError::Parse { .. }) => {}
                }
                match send.command(self.retry(CommandClass::SmsSend)) {
                    Ok(command) => (command, send),
                    Err(err) => {
                        let error = SendError::Invalid(err.to_string());
                        return (SendOutcome::failed(error, ErrorClass::Permanent), None);
                    }
                }
            }
        };
        let response = match self.exec(command).await {
            Ok(response) => response,
            Err(stop) => {
                let outcome = if self.body_written {
                    SendOutcome::Unknown { reason: format!("the body was sent, then {stop:?}") }
                } else {
                    return nothing_sent(stop);
                };
                return (outcome, Some(stop));
            }
        };
        match response.outcome {
            Outcome::Final(result) if result.is_success() => match request.parse(&response.lines) {
                Ok(cmgs) => (SendOutcome::Sent { mr: cmgs.mr }, None),
                Err(err) => {
                    let reason = format!("the modem said OK without a message reference: {err}");
                    (SendOutcome::Unknown { reason }, None)
                }
            },
            Outcome::Final(result) => {
                let (error, class) = SendError::from_final(result);
                (SendOutcome::failed(error, class), None)
            }
            Outcome::TimedOut { body_sent: true, .. } => {
                let reason = "no answer after the body was sent".to_owned();
                (SendOutcome::Unknown { reason }, Some(Stop::Unresponsive(response.command)))
            }
            Outcome::TimedOut { body_sent: false, .. } => (
                SendOutcome::failed(SendError::NoPrompt, ErrorClass::Temporary),
                Some(Stop::Unresponsive(response.command)),
            ),
            Outcome::Cancelled if self.body_written => {
                let reason = "the send was cancelled after the body was sent".to_owned();
                (SendOutcome::Unknown { reason }, None)
            }
            Outcome::Cancelled => {
                (SendOutcome::failed(SendError::NotRunning, ErrorClass::Temporary), None)
            }
        }
    }
}
