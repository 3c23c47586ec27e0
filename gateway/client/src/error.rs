//! [`DeviceError`]: why a device operation failed, sorted into what a
//! user can act on.

use std::path::PathBuf;
use std::time::Duration;

use bubblegate_proto::wire::DeviceMismatch;
use bubblegate_proto::ProtoError;

use crate::state::StateError;

/// An error answer of the hub, in the API's one shape, with the device
/// mismatch of a 409 when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubError {
    pub status: u16,
    /// The API's error code, e.g. `invalid_request`, `not_found`.
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    /// For a 409 to a send: the devices the hub expected and did not get,
    /// and the ones it did not expect.
    pub devices: Option<DeviceMismatch>,
}

/// Why a device operation failed.
#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error("this device is not registered yet (state file {path}): run `bubblegate device register --phone NUMBER`, then `bubblegate device verify --code CODE`")]
    NotRegistered { path: PathBuf },
    #[error("no registration is pending in {path}: run `bubblegate device register --phone NUMBER` first, then verify the code it sends")]
    NoPendingRegistration { path: PathBuf },
    #[error("the state file {path} already holds a registered device ({device_id} of {handle}); use another --state file for another device, or deregister first")]
    AlreadyRegistered { path: PathBuf, handle: String, device_id: String },
    #[error("this device is registered at {registered}, not {given}; leave out --hub, or use another --state file")]
    HubMismatch { registered: String, given: String },
    #[error("no hub URL: pass --hub URL")]
    NoHub,
    #[error("bad hub URL {url:?}: {problem}")]
    BadUrl { url: String, problem: String },
    #[error("cannot reach the hub at {url}: {reason} (is `bubblegate run` running there? pass --hub URL)")]
    Unreachable { url: String, reason: String },
    #[error("the hub at {url} did not answer within {timeout:?}")]
    Timeout { url: String, timeout: Duration },
    #[error("the hub refused this device's token (401: {message}); the device was probably deregistered: register it again")]
    Unauthorized { message: String },
    #[error("the hub is rate limiting this device or number (429): {message}; {wait}")]
    RateLimited {
        message: String,
        /// The hub's `Retry-After`, in seconds.
        retry_after: Option<u64>,
        /// What to tell a person: when to try again.
        wait: String,
    },
    #[error("the hub answered {}: {}{}", .0.status, .0.message, field_note(.0.field.as_deref()))]
    Hub(Box<HubError>),
    #[error("unexpected answer from the hub at {url}: {reason}")]
    Protocol { url: String, reason: String },
    #[error(
        "the hub's idea of the recipients' devices kept changing ({attempts} attempts); try again"
    )]
    DeviceMismatch { attempts: u32, devices: Box<DeviceMismatch> },
    #[error("the hub sent a key that does not belong to this device: {0}")]
    KeyMismatch(String),
    #[error("{what}: {source}")]
    Crypto {
        what: &'static str,
        #[source]
        source: ProtoError,
    },
    #[error("nothing to send: {0}")]
    NothingToSend(&'static str),
}

fn field_note(field: Option<&str>) -> String {
    field.map(|f| format!(" [field `{f}`]")).unwrap_or_default()
}

impl DeviceError {
    /// The hub's error code, for answers that had one.
    pub fn hub_code(&self) -> Option<&str> {
        match self {
            DeviceError::Hub(e) => Some(&e.code),
            DeviceError::Unauthorized { .. } => Some("unauthorized"),
            _ => None,
        }
    }

    /// Whether the hub could not be reached or answered nonsense (as
    /// opposed to refusing the request).
    pub fn is_transport(&self) -> bool {
        matches!(
            self,
            DeviceError::Unreachable { .. }
                | DeviceError::Timeout { .. }
                | DeviceError::Protocol { .. }
        )
    }
}
