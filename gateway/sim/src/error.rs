//! Errors of the control operations. AT-level errors are not here: they are
//! bytes (`+CMS ERROR: 322`) that the simulated modem sends.

use crate::spec::ModemId;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    #[error("no modem {0}")]
    UnknownModem(ModemId),
    #[error("no simulated modem has the number {0}")]
    UnknownNumber(String),
    #[error("`{0}` is neither a phone number nor an alphanumeric sender")]
    InvalidAddress(String),
    #[error("PDU {index} is not an SMS-DELIVER TPDU: {reason}")]
    InvalidPdu { index: usize, reason: String },
    #[error("no PDUs given")]
    NoPdus,
    #[error("cannot encode the message: {0}")]
    Encode(String),
    #[error("invalid fault: {0}")]
    InvalidFault(String),
}
