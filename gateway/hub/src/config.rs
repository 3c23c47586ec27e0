//! [`HubConfig`]: the hub's settings, as the daemon's `[network]` section
//! gives them (validated there, with errors naming the key).

use std::time::Duration;

use bubblegate_proto::E164;

use crate::limits::Rate;

/// What green recipients get for a reaction, an edit or an unsend.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GreenReactions {
    /// The sender's `sms.text` (e.g. `Liked "see you at 8"`) goes out as
    /// SMS, when the sender supplied one.
    #[default]
    Render,
    /// Nothing goes out: the recipient is answered `suppressed`.
    Suppress,
}

/// A SIM whose received SMS are forwarded, sealed, to a handle's devices
/// ("text message forwarding").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedSim {
    /// The daemon's modem id, e.g. `attic-ec25`.
    pub modem: String,
    pub handle: E164,
}

/// The abuse limits. Each is a token bucket per key (see [`Rate`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Code requests (registration and deregistration) per number.
    pub code_requests_per_number: Rate,
    /// Code requests per source address.
    pub code_requests_per_address: Rate,
    /// Code attempts per number and purpose, over all its codes.
    pub code_attempts: Rate,
    /// Directory look-ups per device.
    pub directory: Rate,
    /// Sends per device.
    pub sends: Rate,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            code_requests_per_number: Rate::new(3, Duration::from_secs(3600)),
            code_requests_per_address: Rate::new(20, Duration::from_secs(3600)),
            code_attempts: Rate::new(10, Duration::from_secs(3600)),
            directory: Rate::new(120, Duration::from_secs(60)),
            sends: Rate::new(120, Duration::from_secs(60)),
        }
    }
}

/// The hub's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubConfig {
    /// How long an envelope is kept, acked or not.
    pub retention: Duration,
    /// How long blue recipients' devices have to ack before a message
    /// with `sms.fallback` goes out as SMS.
    pub fallback_after: Duration,
    /// Devices not seen for this long do not count: their handle routes
    /// green, and sends need not address them.
    pub inactive_after: Duration,
    pub green_reactions: GreenReactions,
    /// An ISO 3166 region for numbers written without `+`.
    pub default_region: Option<String>,
    pub owned_sims: Vec<OwnedSim>,
    pub limits: Limits,
    /// Verification SMS per UTC day over all numbers (registration and
    /// deregistration codes), counted in the store.
    pub daily_verification_sms: u64,
    /// The largest request body the hub's routes take (a send carries an
    /// envelope of about 1.7 KiB per device).
    pub max_body_bytes: usize,
}

impl Default for HubConfig {
    fn default() -> HubConfig {
        HubConfig {
            retention: Duration::from_secs(7 * 86_400),
            fallback_after: Duration::from_secs(5 * 60),
            inactive_after: Duration::from_secs(30 * 86_400),
            green_reactions: GreenReactions::Render,
            default_region: None,
            owned_sims: Vec::new(),
            limits: Limits::default(),
            daily_verification_sms: 500,
            max_body_bytes: 2 * 1024 * 1024,
        }
    }
}
