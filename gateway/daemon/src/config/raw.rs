//! The configuration file as written: serde structs that mirror the TOML,
//! with `deny_unknown_fields` so that a misspelt key is an error naming it,
//! not a silent default. Nothing here is checked beyond its TOML type;
//! [`super::validate`] turns these into the runtime types.

use serde::Deserialize;

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// This gateway's name among nodes sharing a PostgreSQL database.
    pub node: Option<String>,
    /// How often an idle modem's signal, registration and storage are read.
    pub health_interval: Option<String>,
    /// How long a stopping daemon waits for work in flight.
    pub shutdown_grace: Option<String>,
    /// The watchdog's last step for every modem without its own.
    pub power_cycle: Option<String>,
    #[serde(default)]
    pub store: RawStore,
    #[serde(default)]
    pub api: RawApi,
    #[serde(default)]
    pub policy: RawPolicy,
    #[serde(default)]
    pub outbox: RawOutbox,
    #[serde(default)]
    pub inbox: RawInbox,
    #[serde(default)]
    pub modems: Vec<RawModem>,
    #[serde(default)]
    pub webhooks: Vec<RawWebhook>,
    /// The encrypted network's hub; off without this section.
    pub network: Option<RawNetwork>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStore {
    /// Path of the SQLite file.
    pub sqlite: Option<String>,
    /// A PostgreSQL URL.
    pub postgres: Option<String>,
    /// PostgreSQL only: the schema to use (`search_path`).
    pub schema: Option<String>,
    /// PostgreSQL only: the pool size.
    pub max_connections: Option<u32>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawApi {
    pub listen: Option<String>,
    pub admin_token: Option<String>,
    pub admin_token_file: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    #[serde(default)]
    pub blocked_prefixes: Vec<String>,
    /// E.164 country calling codes (`31`) or ISO 3166 region codes (`"NL"`).
    pub allowed_countries: Option<Vec<RawCountry>>,
    /// Segments per day over all SIMs.
    pub daily_budget: Option<u64>,
}

/// A country as a calling code or a region code.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum RawCountry {
    Code(i64),
    Region(String),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutbox {
    /// Claims of one part before it fails for good.
    pub max_attempts: Option<u32>,
    /// The first retry's wait; it doubles up to `retry_max`.
    pub retry_backoff: Option<String>,
    pub retry_max: Option<String>,
    /// Validity of a message submitted without one.
    pub default_validity: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInbox {
    /// How long parts of a concatenated message wait for the rest.
    pub reassembly_timeout: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModem {
    pub id: Option<String>,
    /// A device path, best a stable one under `/dev/serial/by-id/`.
    pub port: Option<String>,
    /// `vid:pid[:serial[:interface]]`, hexadecimal ids.
    pub usb: Option<String>,
    pub profile: Option<String>,
    /// The SIM's own number, E.164, shown as `to` of received messages.
    pub number: Option<String>,
    /// The name of the variable that holds the SIM PIN.
    pub pin_env: Option<String>,
    /// A file that holds the SIM PIN.
    pub pin_file: Option<String>,
    pub smsc: Option<String>,
    /// Segments per minute.
    pub rate_limit: Option<u32>,
    pub daily_quota: Option<u64>,
    pub monthly_quota: Option<u64>,
    #[serde(default)]
    pub destination_prefixes: Vec<String>,
    pub power_cycle: Option<String>,
    pub enabled: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWebhook {
    pub url: Option<String>,
    pub secret: Option<String>,
    pub secret_file: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNetwork {
    /// On when the section is present, unless this says `false`.
    pub enabled: Option<bool>,
    /// The hub's Ed25519 key; made at first start.
    pub key_file: Option<String>,
    /// ISO 3166 region for numbers written without `+`.
    pub default_region: Option<String>,
    /// How long envelopes are kept, acked or not.
    pub retention: Option<String>,
    /// How long blue devices have to ack before an SMS fallback goes out.
    pub fallback_after: Option<String>,
    /// Devices not seen for this long do not count for routing.
    pub inactive_after: Option<String>,
    /// `render` or `suppress`: reactions, edits and unsends to green
    /// recipients.
    pub green_reactions: Option<String>,
    /// Verification SMS per UTC day, over all numbers.
    pub daily_verification_sms: Option<u64>,
    /// Rates, `count/duration`: `"3/h"`.
    pub code_requests_per_number: Option<String>,
    pub code_requests_per_address: Option<String>,
    pub code_attempts: Option<String>,
    pub directory_lookups: Option<String>,
    pub sends: Option<String>,
    /// The largest request body of the hub's routes.
    pub max_body_bytes: Option<u64>,
    #[serde(default)]
    pub owned_sims: Vec<RawOwnedSim>,
}

/// `[[network.owned_sims]]`: SMS received on `modem` are forwarded, sealed,
/// to the devices of `handle`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOwnedSim {
    pub modem: Option<String>,
    pub handle: Option<String>,
}
