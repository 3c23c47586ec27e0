//! The callers' side of an actor: [`ModemHandle`] sends requests over an
//! mpsc channel and waits for each answer on a oneshot, with a bound;
//! events come from a broadcast channel and the status from a watch
//! channel.
//!
//! The caller owns segmentation and the outbox: it sends one part per
//! request and learns that part's outcome. An outcome it cannot learn (the
//! actor died, the answer took too long) is [`SendOutcome::Unknown`],
//! never success.

use std::time::Duration;

use bubblegate_at::ErrorClass;
use bubblegate_sms::Submit;
use tokio::sync::{broadcast, mpsc, oneshot, watch};

use crate::actor::state::ModemStatus;
use crate::config::{Desired, ModemId};
use crate::error::{ConfirmError, HandleError, SendError};
use crate::event::{InboundToken, ModemEvent};

/// One part to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingPart {
    /// TP-MR is filled in by the modem; ask for a status report with
    /// `status_report_request` to get one matched through `mr`.
    pub submit: Submit,
    /// More parts of the same batch follow at once: the actor keeps the
    /// radio link open between them (`AT+CMMS=1`) where the modem takes it.
    pub more_to_follow: bool,
}

/// How sending one part ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// The network took it; its status report will carry `mr`.
    Sent { mr: u8 },
    /// It was not sent.
    Failed { error: SendError, class: ErrorClass },
    /// It may or may not have been sent: the body went to the modem and
    /// then the answer was lost (timeout, unplug, actor death). Never
    /// counted as success, and never retried by the actor.
    Unknown { reason: String },
}

impl SendOutcome {
    pub(crate) fn failed(error: SendError, class: ErrorClass) -> Self {
        SendOutcome::Failed { error, class }
    }
}

/// A request to the actor, with the channel its answer goes back on.
#[derive(Debug)]
pub(crate) enum Request {
    Send { part: Box<OutgoingPart>, reply: oneshot::Sender<SendOutcome> },
    Confirm { token: InboundToken, reply: oneshot::Sender<Result<(), ConfirmError>> },
    SetDesired { desired: Desired, reply: oneshot::Sender<()> },
}

/// Talks to one modem's actor. Cheap to clone; valid across restarts of
/// the actor.
#[derive(Debug, Clone)]
pub struct ModemHandle {
    pub(crate) id: ModemId,
    pub(crate) requests: mpsc::Sender<Request>,
    pub(crate) events: broadcast::Sender<ModemEvent>,
    pub(crate) status: watch::Receiver<ModemStatus>,
    pub(crate) request_timeout: Duration,
}

impl ModemHandle {
    pub fn id(&self) -> &ModemId {
        &self.id
    }

    /// Events from now on. A receiver that falls behind loses the oldest
    /// events (`RecvError::Lagged`); unconfirmed messages come again after
    /// the actor's next restart or storage sweep.
    pub fn subscribe(&self) -> broadcast::Receiver<ModemEvent> {
        self.events.subscribe()
    }

    /// The current status.
    pub fn status(&self) -> ModemStatus {
        self.status.borrow().clone()
    }

    /// A receiver that sees every status change.
    pub fn watch_status(&self) -> watch::Receiver<ModemStatus> {
        self.status.clone()
    }

    /// Waits until the status satisfies `ready`, for at most `bound`.
    pub async fn wait_for(
        &self,
        bound: Duration,
        ready: impl FnMut(&ModemStatus) -> bool,
    ) -> Result<ModemStatus, HandleError> {
        let mut status = self.status.clone();
        let found = match tokio::time::timeout(bound, status.wait_for(ready)).await {
            Ok(Ok(found)) => Ok(found.clone()),
            Ok(Err(_)) => Err(HandleError::NotRunning),
            Err(_) => Err(HandleError::TimedOut(bound)),
        };
        found
    }

    /// Sends one part and returns its outcome.
    pub async fn send(&self, part: OutgoingPart) -> SendOutcome {
        let (reply, answer) = oneshot::channel();
        let request = Request::Send { part: Box::new(part), reply };
        if self.deliver(request).await.is_err() {
            // The actor never saw the request: nothing was sent.
            return SendOutcome::failed(SendError::NotRunning, ErrorClass::Temporary);
        }
        match tokio::time::timeout(self.request_timeout, answer).await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(_)) => SendOutcome::Unknown {
                reason: "the modem actor stopped while it held the part".to_owned(),
            },
            Err(_) => SendOutcome::Unknown {
                reason: format!("no outcome within {:?}", self.request_timeout),
            },
        }
    }

    /// Tells the actor that the message with `token` is stored for good;
    /// the actor then deletes it from the modem (or acknowledges it).
    pub async fn confirm(&self, token: InboundToken) -> Result<(), ConfirmError> {
        let (reply, answer) = oneshot::channel();
        if self.deliver(Request::Confirm { token, reply }).await.is_err() {
            return Err(ConfirmError::NotRunning);
        }
        match tokio::time::timeout(self.request_timeout, answer).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) | Err(_) => Err(ConfirmError::NotRunning),
        }
    }

    /// Enables or disables the modem. Returns once the actor took it in;
    /// the state follows (watch [`ModemHandle::status`]).
    pub async fn set_desired(&self, desired: Desired) -> Result<(), HandleError> {
        let (reply, answer) = oneshot::channel();
        self.deliver(Request::SetDesired { desired, reply }).await?;
        match tokio::time::timeout(self.request_timeout, answer).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(HandleError::NotRunning),
            Err(_) => Err(HandleError::TimedOut(self.request_timeout)),
        }
    }

    async fn deliver(&self, request: Request) -> Result<(), HandleError> {
        match tokio::time::timeout(self.request_timeout, self.requests.send(request)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(HandleError::NotRunning),
            Err(_) => Err(HandleError::TimedOut(self.request_timeout)),
        }
    }
}
