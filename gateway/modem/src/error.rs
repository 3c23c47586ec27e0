//! The errors of this layer, one enum per question a caller asks.

use bubblegate_at::{CmeError, CmsError, ErrorClass, FinalResult};
use thiserror::Error;

use crate::actor::state::ModemState;

/// Why a part was not sent. Paired with an [`ErrorClass`] in
/// [`crate::SendOutcome::Failed`]: temporary errors are worth another try
/// later (maybe on another modem), permanent ones are not.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SendError {
    /// The network or the modem refused it, e.g. `+CMS ERROR: 500`.
    #[error("{0}")]
    Cms(CmsError),
    #[error("{0}")]
    Cme(CmeError),
    /// Another final result, e.g. a bare `ERROR`.
    #[error("the modem answered {0}")]
    Rejected(FinalResult),
    /// The modem is not ready to send (still starting, not registered,
    /// recovering, disabled, failed).
    #[error("the modem is not ready to send ({0})")]
    NotReady(ModemState),
    /// The modem did not answer before the body was sent, so nothing went
    /// out.
    #[error("the modem did not answer before the message body was sent")]
    NoPrompt,
    /// The modem stopped answering, went away or the actor stopped before
    /// the body was sent: nothing went out.
    #[error("interrupted before the message body was sent: {0}")]
    Interrupted(String),
    /// The part cannot be sent as given (encoding, text mode limits).
    #[error("the part cannot be sent: {0}")]
    Invalid(String),
    /// The actor is not running (shutting down, or the request could not be
    /// delivered).
    #[error("the modem actor is not running")]
    NotRunning,
}

impl SendError {
    /// The error of a final result code, with its class.
    pub(crate) fn from_final(result: FinalResult) -> (SendError, ErrorClass) {
        match result {
            FinalResult::Cms(e) => {
                let class = e.class();
                (SendError::Cms(e), class)
            }
            FinalResult::Cme(e) => {
                let class = e.class();
                (SendError::Cme(e), class)
            }
            // A bare ERROR says nothing about the cause; the retry budget is
            // bounded, so treat it as worth another try.
            other => (SendError::Rejected(other), ErrorClass::Temporary),
        }
    }
}

/// Why a confirmation did not delete (or acknowledge) a message.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfirmError {
    /// The token is not (or no longer) known: it was confirmed already, or
    /// the actor restarted since. The message, if still stored, is handed
    /// over again with a new token.
    #[error("unknown or already confirmed token")]
    UnknownToken,
    /// The delete or acknowledgement failed; the message stays and is
    /// handed over again later.
    #[error("the modem refused: {0}")]
    Refused(FinalResult),
    #[error("the modem actor is not running")]
    NotRunning,
}

/// Why a request to the actor got no answer.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HandleError {
    #[error("the modem actor is not running")]
    NotRunning,
    #[error("no answer within {0:?}")]
    TimedOut(std::time::Duration),
}
