//! The daemon's configuration: one TOML file, overridden by environment
//! variables, validated at start into the runtime types below.
//!
//! Three steps, each in its own file: [`raw`] mirrors the file (serde,
//! unknown keys refused), [`env`] applies the `BUBBLEGATE_*` overrides to
//! the raw form, and [`validate`] checks every value and reads secrets
//! from their files and variables. Every error names the key (or variable)
//! and the problem. Secrets ([`Secret`], [`Pin`]) never print.

pub mod env;
pub mod raw;
pub mod validate;

use std::fmt;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bubblegate_modem::{CommandHook, ModemId, Pin, PortLocator, PortOpener, ServiceCentre};
use bubblegate_profiles::{Profile, ProfileSet};
use bubblegate_store::{NodeId, StoreConfig};
use thiserror::Error;

pub use raw::RawConfig;

/// Where the API listens unless configured.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// Why the configuration was refused.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    /// The file is not TOML, or has a key of the wrong type or an unknown
    /// key; toml's message names the line and the key.
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    /// A value is out of range, missing or contradicts another.
    #[error("`{key}`: {problem}")]
    Invalid { key: String, problem: String },
}

impl ConfigError {
    pub(crate) fn invalid(key: impl Into<String>, problem: impl Into<String>) -> Self {
        ConfigError::Invalid { key: key.into(), problem: problem.into() }
    }
}

/// A secret string (admin token, webhook secret). `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(****)")
    }
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub node: NodeId,
    pub store: StoreConfig,
    pub api: ApiSettings,
    pub health_interval: Duration,
    pub shutdown_grace: Duration,
    pub policy: PolicySettings,
    pub outbox: OutboxSettings,
    pub inbox: InboxSettings,
    pub modems: Vec<ModemSettings>,
    pub webhooks: Vec<WebhookSettings>,
    /// The encrypted network's hub, when `[network]` enables it.
    pub network: Option<NetworkSettings>,
}

/// The hub's settings and where its key lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkSettings {
    pub hub: bubblegate_hub::HubConfig,
    /// The hub's signing key (made at first start, mode 0600).
    pub key_file: PathBuf,
}

#[derive(Debug, Clone)]
pub struct ApiSettings {
    pub listen: SocketAddr,
    pub admin_token: Secret,
}

/// Toll-fraud defence, applied to every submission.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicySettings {
    /// Destinations starting with one of these (E.164 with `+`) are refused.
    pub blocked_prefixes: Vec<String>,
    /// When set, only destinations in these countries are accepted.
    pub allowed_countries: Option<Vec<Country>>,
    /// Segments per UTC day over all SIMs; submissions past it are refused.
    pub daily_budget: Option<u64>,
}

/// A destination country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Country {
    /// An E.164 country calling code, e.g. 31; covers every region that
    /// shares it (1 is the whole NANP).
    Code(u16),
    /// An ISO 3166-1 alpha-2 region, upper case, e.g. `NL`.
    Region(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxSettings {
    /// Claims of one part before a temporary error fails it for good.
    pub max_attempts: u32,
    pub retry_backoff: Duration,
    pub retry_max: Duration,
    pub default_validity: Option<Duration>,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        OutboxSettings {
            max_attempts: 8,
            retry_backoff: Duration::from_secs(30),
            retry_max: Duration::from_secs(30 * 60),
            default_validity: Some(Duration::from_secs(2 * 86_400)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxSettings {
    pub reassembly_timeout: Duration,
}

impl Default for InboxSettings {
    fn default() -> Self {
        InboxSettings { reassembly_timeout: Duration::from_secs(24 * 3600) }
    }
}

/// How the daemon reaches a modem's port.
#[derive(Clone)]
pub enum PortSpec {
    /// A serial port by path or USB identity.
    Serial(PortLocator),
    /// Anything else, e.g. a simulator's in-process port.
    Opener(Arc<dyn PortOpener>),
}

impl fmt::Debug for PortSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortSpec::Serial(locator) => locator.fmt(f),
            PortSpec::Opener(opener) => write!(f, "Opener({})", opener.describe()),
        }
    }
}

/// Per-SIM sending limits, in billed segments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    pub per_minute: Option<NonZeroU32>,
    pub daily: Option<u64>,
    pub monthly: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct ModemSettings {
    pub id: ModemId,
    pub port: PortSpec,
    /// `None`: detected from the modem's answers.
    pub profile: Option<Arc<Profile>>,
    /// The SIM's own number, when configured.
    pub number: Option<String>,
    pub pin: Option<Pin>,
    pub smsc: Option<ServiceCentre>,
    pub limits: Limits,
    /// When not empty, this modem sends only to destinations starting with
    /// one of these, and is preferred for them.
    pub destination_prefixes: Vec<String>,
    pub power_cycle: Option<CommandHook>,
    pub enabled: bool,
}

#[derive(Debug, Clone)]
pub struct WebhookSettings {
    pub url: String,
    pub secret: Secret,
}

/// Reads, overrides and validates the file at `path`, with the process
/// environment.
pub fn load(path: &Path, profiles: &ProfileSet) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
    let mut raw = parse(&text, path)?;
    env::apply(&mut raw, std::env::vars())?;
    let base = path.parent().unwrap_or(Path::new("."));
    validate::validate(raw, profiles, base, &|name| std::env::var(name).ok())
}

/// Parses the file's text into its raw form.
pub fn parse(text: &str, path: &Path) -> Result<RawConfig, ConfigError> {
    toml::from_str(text)
        .map_err(|err| ConfigError::Parse { path: path.to_owned(), message: err.to_string() })
}

/// `500ms`, `90s`, `5m`, `2h`, `7d`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let value: u64 = digits.parse().map_err(|_| format!("`{text}` is not a duration"))?;
    let millis = match unit.trim() {
        "ms" => Some(value),
        "" | "s" => value.checked_mul(1000),
        "m" => value.checked_mul(60_000),
        "h" => value.checked_mul(3_600_000),
        "d" => value.checked_mul(86_400_000),
        other => {
            return Err(format!("unknown unit `{other}` in `{text}`: use ms, s, m, h or d"));
        }
    };
    millis.map(Duration::from_millis).ok_or_else(|| format!("`{text}` is too long a duration"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let table = [
            ("500ms", Some(500)),
            ("90s", Some(90_000)),
            ("90", Some(90_000)),
            ("5m", Some(300_000)),
            ("2h", Some(7_200_000)),
            ("1d", Some(86_400_000)),
            ("", None),
            ("m", None),
            ("5y", None),
            ("-1s", None),
            ("99999999999999999999d", None),
        ];
        for (text, want) in table {
            let got = parse_duration(text).ok().map(|d| d.as_millis() as u64);
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn secrets_do_not_print() {
        assert_eq!(format!("{:?}", Secret::new("hunter2")), "Secret(****)");
    }
}
