//! Raw configuration to runtime types. Every check names the key it is
//! about (`modems[1].rate_limit`) and says what is wrong; secrets are read
//! here from their files and variables, and never appear in an error.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use bubblegate_modem::{CommandHook, ModemId, Pin, PortLocator, ServiceCentre};
use bubblegate_profiles::ProfileSet;
use bubblegate_store::{NodeId, StoreConfig};

use bubblegate_hub::{GreenReactions, HubConfig, OwnedSim, Rate};

use super::raw::{RawConfig, RawCountry, RawModem, RawNetwork, RawWebhook};
use super::{
    parse_duration, ApiSettings, Config, ConfigError, Country, InboxSettings, Limits,
    ModemSettings, NetworkSettings, OutboxSettings, PolicySettings, PortSpec, Secret,
    WebhookSettings, DEFAULT_LISTEN,
};

/// How long the power-cycle command may run.
const HOOK_TIMEOUT: Duration = Duration::from_secs(60);
/// The shortest admin token accepted: guessing it must be hopeless.
const MIN_TOKEN_LEN: usize = 16;

/// Looks up an environment variable.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Validates `raw`. Relative paths are taken from `base`, the directory of
/// the configuration file.
pub fn validate(
    raw: RawConfig,
    profiles: &ProfileSet,
    base: &Path,
    env: EnvLookup<'_>,
) -> Result<Config, ConfigError> {
    let node = match raw.node {
        Some(node) if node.trim().is_empty() => {
            return Err(ConfigError::invalid("node", "must not be empty"));
        }
        Some(node) => NodeId(node),
        None => NodeId(hostname()),
    };
    let health_interval =
        duration("health_interval", raw.health_interval.as_deref(), Duration::from_secs(300))?;
    if health_interval < Duration::from_secs(1) {
        return Err(ConfigError::invalid("health_interval", "must be at least 1s"));
    }
    let shutdown_grace =
        duration("shutdown_grace", raw.shutdown_grace.as_deref(), Duration::from_secs(75))?;
    let store = store(&raw.store, base)?;
    let api = api(&raw.api, base)?;
    let policy = policy(&raw.policy)?;
    let outbox = outbox(&raw.outbox)?;
    let inbox = InboxSettings {
        reassembly_timeout: duration(
            "inbox.reassembly_timeout",
            raw.inbox.reassembly_timeout.as_deref(),
            InboxSettings::default().reassembly_timeout,
        )?,
    };
    let mut modems = Vec::with_capacity(raw.modems.len());
    let mut ids = BTreeSet::new();
    for (i, m) in raw.modems.iter().enumerate() {
        let settings = modem(i, m, raw.power_cycle.as_deref(), profiles, base, env)?;
        if !ids.insert(settings.id.clone()) {
            return Err(ConfigError::invalid(
                format!("modems[{i}].id"),
                format!("`{}` is used by another modem", settings.id),
            ));
        }
        modems.push(settings);
    }
    let webhooks = raw
        .webhooks
        .iter()
        .enumerate()
        .map(|(i, w)| webhook(i, w, base))
        .collect::<Result<_, _>>()?;
    let network = match &raw.network {
        Some(n) if n.enabled != Some(false) => Some(network(n, &store, &modems, base, env)?),
        _ => None,
    };
    Ok(Config {
        node,
        store,
        api,
        health_interval,
        shutdown_grace,
        policy,
        outbox,
        inbox,
        modems,
        webhooks,
        network,
    })
}

fn duration(key: &str, value: Option<&str>, default: Duration) -> Result<Duration, ConfigError> {
    match value {
        None => Ok(default),
        Some(text) => parse_duration(text).map_err(|problem| ConfigError::invalid(key, problem)),
    }
}

fn path(base: &Path, value: &str) -> PathBuf {
    let p = Path::new(value);
    if p.is_absolute() {
        p.to_owned()
    } else {
        base.join(p)
    }
}

/// Reads a secret from a file: its first line, trimmed.
fn read_secret(key: &str, file: &Path) -> Result<String, ConfigError> {
    let text = std::fs::read_to_string(file).map_err(|err| {
        ConfigError::invalid(key, format!("cannot read {}: {err}", file.display()))
    })?;
    let secret = text.lines().next().unwrap_or("").trim().to_owned();
    if secret.is_empty() {
        return Err(ConfigError::invalid(key, format!("{} is empty", file.display())));
    }
    Ok(secret)
}

fn store(raw: &super::raw::RawStore, base: &Path) -> Result<StoreConfig, ConfigError> {
    match (&raw.sqlite, &raw.postgres) {
        (Some(_), Some(_)) => {
            Err(ConfigError::invalid("store", "set either `sqlite` or `postgres`, not both"))
        }
        (Some(file), None) => {
            if file.trim().is_empty() {
                return Err(ConfigError::invalid("store.sqlite", "must not be empty"));
            }
            if raw.schema.is_some() || raw.max_connections.is_some() {
                return Err(ConfigError::invalid(
                    "store",
                    "`schema` and `max_connections` apply to `postgres` only",
                ));
            }
            Ok(StoreConfig::Sqlite { path: path(base, file) })
        }
        (None, Some(url)) => {
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                return Err(ConfigError::invalid(
                    "store.postgres",
                    "must be a URL starting with postgres:// or postgresql://",
                ));
            }
            let max_connections = raw.max_connections.unwrap_or(8);
            if max_connections == 0 {
                return Err(ConfigError::invalid("store.max_connections", "must be at least 1"));
            }
            Ok(StoreConfig::Postgres { url: url.clone(), schema: raw.schema.clone(), max_connections })
        }
        (None, None) => Err(ConfigError::invalid(
            "store",
            "missing: set `sqlite = \"/var/lib/bubblegate/bubblegate.db\"` or `postgres = \"postgres://...\"`",
        )),
    }
}

fn api(raw: &super::raw::RawApi, base: &Path) -> Result<ApiSettings, ConfigError> {
    let listen_text = raw.listen.as_deref().unwrap_or(DEFAULT_LISTEN);
    let listen: SocketAddr = listen_text.parse().map_err(|_| {
        ConfigError::invalid("api.listen", format!("`{listen_text}` is not an address:port"))
    })?;
    let token = match (&raw.admin_token, &raw.admin_token_file) {
        (Some(_), Some(_)) => {
            return Err(ConfigError::invalid(
                "api",
                "set either `admin_token` or `admin_token_file`, not both",
            ));
        }
        (Some(token), None) => token.trim().to_owned(),
        (None, Some(file)) => read_secret("api.admin_token_file", &path(base, file))?,
        (None, None) => {
            return Err(ConfigError::invalid(
                "api.admin_token_file",
                "missing: the API needs an admin token (`admin_token_file`, `admin_token` or \
                 BUBBLEGATE_ADMIN_TOKEN)",
            ));
        }
    };
    if token.len() < MIN_TOKEN_LEN || token.chars().any(char::is_whitespace) {
        return Err(ConfigError::invalid(
            "api.admin_token",
            format!("must be at least {MIN_TOKEN_LEN} characters without spaces"),
        ));
    }
    Ok(ApiSettings { listen, admin_token: Secret::new(token) })
}

/// `+` and digits, as a prefix of an E.164 number.
fn prefix(key: &str, value: &str) -> Result<String, ConfigError> {
    let digits = value.strip_prefix('+').unwrap_or("");
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ConfigError::invalid(
            key,
            format!("`{value}` is not a number prefix: use `+` and digits, e.g. \"+44909\""),
        ));
    }
    Ok(value.to_owned())
}

fn policy(raw: &super::raw::RawPolicy) -> Result<PolicySettings, ConfigError> {
    let blocked_prefixes = raw
        .blocked_prefixes
        .iter()
        .enumerate()
        .map(|(i, p)| prefix(&format!("policy.blocked_prefixes[{i}]"), p))
        .collect::<Result<_, _>>()?;
    let allowed_countries = match &raw.allowed_countries {
        None => None,
        Some(list) => Some(
            list.iter()
                .enumerate()
                .map(|(i, c)| country(&format!("policy.allowed_countries[{i}]"), c))
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    Ok(PolicySettings { blocked_prefixes, allowed_countries, daily_budget: raw.daily_budget })
}

fn country(key: &str, raw: &RawCountry) -> Result<Country, ConfigError> {
    match raw {
        RawCountry::Code(code) => match u16::try_from(*code) {
            Ok(code) if (1..=999).contains(&code) => Ok(Country::Code(code)),
            _ => Err(ConfigError::invalid(key, format!("{code} is not a country calling code"))),
        },
        RawCountry::Region(region) => {
            let upper = region.trim().trim_start_matches('+').to_ascii_uppercase();
            if let Ok(code) = upper.parse::<i64>() {
                return country(key, &RawCountry::Code(code));
            }
            if upper.len() == 2
                && upper.bytes().all(|b| b.is_ascii_uppercase())
                && crate::policy::region_known(&upper)
            {
                return Ok(Country::Region(upper));
            }
            Err(ConfigError::invalid(
                key,
                format!("`{region}` is neither a calling code (31) nor a region code (\"NL\")"),
            ))
        }
    }
}

fn outbox(raw: &super::raw::RawOutbox) -> Result<OutboxSettings, ConfigError> {
    let d = OutboxSettings::default();
    let max_attempts = raw.max_attempts.unwrap_or(d.max_attempts);
    if max_attempts == 0 {
        return Err(ConfigError::invalid("outbox.max_attempts", "must be at least 1"));
    }
    let retry_backoff =
        duration("outbox.retry_backoff", raw.retry_backoff.as_deref(), d.retry_backoff)?;
    let retry_max = duration("outbox.retry_max", raw.retry_max.as_deref(), d.retry_max)?;
    if retry_backoff.is_zero() {
        return Err(ConfigError::invalid("outbox.retry_backoff", "must be above zero"));
    }
    if retry_max < retry_backoff {
        return Err(ConfigError::invalid("outbox.retry_max", "must not be below retry_backoff"));
    }
    let default_validity = match raw.default_validity.as_deref() {
        None => d.default_validity,
        Some("none") => None,
        Some(text) => Some(
            parse_duration(text)
                .map_err(|problem| ConfigError::invalid("outbox.default_validity", problem))?,
        ),
    };
    Ok(OutboxSettings { max_attempts, retry_backoff, retry_max, default_validity })
}

fn modem(
    i: usize,
    raw: &RawModem,
    default_power_cycle: Option<&str>,
    profiles: &ProfileSet,
    base: &Path,
    env: EnvLookup<'_>,
) -> Result<ModemSettings, ConfigError> {
    let key = |k: &str| format!("modems[{i}].{k}");
    let id_text = raw.id.as_deref().ok_or_else(|| ConfigError::invalid(key("id"), "missing"))?;
    let id = ModemId::new(id_text).map_err(|e| ConfigError::invalid(key("id"), e.to_string()))?;
    let port = match (&raw.port, &raw.usb) {
        (Some(_), Some(_)) => {
            return Err(ConfigError::invalid(key("port"), "set either `port` or `usb`, not both"));
        }
        (Some(p), None) if !p.trim().is_empty() => PortLocator::ByPath(path(base, p)),
        (None, Some(usb)) => usb_locator(&key("usb"), usb)?,
        _ => {
            return Err(ConfigError::invalid(
                key("port"),
                "missing: set `port = \"/dev/serial/by-id/...\"` or `usb = \"vid:pid\"`",
            ));
        }
    };
    let profile = match &raw.profile {
        None => None,
        Some(name) => Some(std::sync::Arc::new(
            profiles
                .get(name)
                .ok_or_else(|| {
                    ConfigError::invalid(
                        key("profile"),
                        format!("no profile `{name}` (`bubblegate modems profiles` lists them)"),
                    )
                })?
                .clone(),
        )),
    };
    let pin_text = match (&raw.pin_env, &raw.pin_file) {
        (Some(_), Some(_)) => {
            return Err(ConfigError::invalid(
                key("pin_env"),
                "set `pin_env` or `pin_file`, not both",
            ));
        }
        (Some(var), None) => Some(env(var).ok_or_else(|| {
            ConfigError::invalid(key("pin_env"), format!("the variable {var} is not set"))
        })?),
        (None, Some(file)) => Some(read_secret(&key("pin_file"), &path(base, file))?),
        (None, None) => None,
    };
    let pin = pin_text
        .map(|p| Pin::new(p.trim()))
        .transpose()
        .map_err(|e| ConfigError::invalid(key("pin"), e.to_string()))?;
    let number = raw
        .number
        .as_deref()
        .map(|n| {
            crate::policy::normalise(n).map(|(e164, _, _)| e164.as_str().to_owned()).map_err(|_| {
                ConfigError::invalid(key("number"), format!("`{n}` is not an E.164 number"))
            })
        })
        .transpose()?;
    let smsc = raw
        .smsc
        .as_deref()
        .map(ServiceCentre::new)
        .transpose()
        .map_err(|e| ConfigError::invalid(key("smsc"), e.to_string()))?;
    let per_minute = match raw.rate_limit {
        None => None,
        Some(n) => Some(
            NonZeroU32::new(n)
                .ok_or_else(|| ConfigError::invalid(key("rate_limit"), "must be at least 1"))?,
        ),
    };
    let limits = Limits { per_minute, daily: raw.daily_quota, monthly: raw.monthly_quota };
    if let (Some(day), Some(month)) = (limits.daily, limits.monthly) {
        if month < day {
            return Err(ConfigError::invalid(
                key("monthly_quota"),
                "is below daily_quota, which then never applies",
            ));
        }
    }
    let destination_prefixes = raw
        .destination_prefixes
        .iter()
        .enumerate()
        .map(|(j, p)| prefix(&key(&format!("destination_prefixes[{j}]")), p))
        .collect::<Result<_, _>>()?;
    let power_cycle = match raw.power_cycle.as_deref().or(default_power_cycle) {
        None => None,
        Some(line) => Some(CommandHook::from_line(line, HOOK_TIMEOUT).ok_or_else(|| {
            ConfigError::invalid(key("power_cycle"), "is empty: give a command line")
        })?),
    };
    Ok(ModemSettings {
        id,
        port: PortSpec::Serial(port),
        profile,
        number,
        pin,
        smsc,
        limits,
        destination_prefixes,
        power_cycle,
        enabled: raw.enabled.unwrap_or(true),
    })
}

/// `vid:pid[:serial[:interface]]`, ids in hexadecimal; an empty serial
/// (`2c7c:0125::2`) picks by interface alone.
fn usb_locator(key: &str, text: &str) -> Result<PortLocator, ConfigError> {
    let bad = |why: &str| {
        ConfigError::invalid(key, format!("`{text}`: {why}; use vid:pid[:serial[:interface]]"))
    };
    let fields: Vec<&str> = text.split(':').collect();
    if !(2..=4).contains(&fields.len()) {
        return Err(bad("wrong number of fields"));
    }
    let hex = |s: &str| {
        (s.len() == 4)
            .then(|| u16::from_str_radix(s, 16).ok())
            .flatten()
            .ok_or_else(|| bad("vendor and product ids are four hexadecimal digits"))
    };
    let vid = hex(fields[0])?;
    let pid = hex(fields[1])?;
    let serial = fields.get(2).filter(|s| !s.is_empty()).map(|s| (*s).to_owned());
    let interface = match fields.get(3) {
        None => None,
        Some(n) => Some(n.parse::<u8>().map_err(|_| bad("the interface is a number"))?),
    };
    Ok(PortLocator::ByUsb { vid, pid, serial, interface })
}

fn webhook(i: usize, raw: &RawWebhook, base: &Path) -> Result<WebhookSettings, ConfigError> {
    let key = |k: &str| format!("webhooks[{i}].{k}");
    let url = raw.url.clone().ok_or_else(|| ConfigError::invalid(key("url"), "missing"))?;
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(ConfigError::invalid(key("url"), "must start with http:// or https://"));
    }
    let secret = match (&raw.secret, &raw.secret_file) {
        (Some(_), Some(_)) => {
            return Err(ConfigError::invalid(
                key("secret"),
                "set `secret` or `secret_file`, not both",
            ));
        }
        (Some(s), None) if !s.trim().is_empty() => s.trim().to_owned(),
        (None, Some(file)) => read_secret(&key("secret_file"), &path(base, file))?,
        _ => {
            return Err(ConfigError::invalid(
                key("secret"),
                "missing: webhooks are signed with HMAC-SHA256, set `secret` or `secret_file`",
            ));
        }
    };
    Ok(WebhookSettings { url, secret: Secret::new(secret) })
}

/// The name of the hub key beside the database.
const KEY_FILE: &str = "hub.key";

fn network(
    raw: &RawNetwork,
    store: &StoreConfig,
    modems: &[ModemSettings],
    base: &Path,
    env: EnvLookup<'_>,
) -> Result<NetworkSettings, ConfigError> {
    let d = HubConfig::default();
    let key_file = match (&raw.key_file, store) {
        (Some(file), _) if !file.trim().is_empty() => path(base, file),
        (Some(_), _) => return Err(ConfigError::invalid("network.key_file", "must not be empty")),
        (None, StoreConfig::Sqlite { path }) => {
            path.parent().unwrap_or(Path::new(".")).join(KEY_FILE)
        }
        // systemd's StateDirectory= sets this; otherwise there is no
        // obvious data directory.
        (None, StoreConfig::Postgres { .. }) => match env("STATE_DIRECTORY") {
            Some(dir) if !dir.is_empty() => {
                PathBuf::from(dir.split(':').next().unwrap_or(&dir)).join(KEY_FILE)
            }
            _ => {
                return Err(ConfigError::invalid(
                    "network.key_file",
                    "missing: with PostgreSQL there is no database file to keep the hub key \
                     beside; set a path (the same key on every node)",
                ))
            }
        },
    };
    let default_region = match &raw.default_region {
        None => None,
        Some(r) => {
            let upper = r.trim().to_ascii_uppercase();
            if upper.len() != 2 || !crate::policy::region_known(&upper) {
                return Err(ConfigError::invalid(
                    "network.default_region",
                    format!("`{r}` is not an ISO 3166 region code such as \"NL\""),
                ));
            }
            Some(upper)
        }
    };
    let retention = duration("network.retention", raw.retention.as_deref(), d.retention)?;
    if retention < Duration::from_secs(60) {
        return Err(ConfigError::invalid("network.retention", "must be at least 1m"));
    }
    let fallback_after =
        duration("network.fallback_after", raw.fallback_after.as_deref(), d.fallback_after)?;
    if fallback_after.is_zero() || fallback_after >= retention {
        return Err(ConfigError::invalid(
            "network.fallback_after",
            "must be above zero and below network.retention",
        ));
    }
    let inactive_after =
        duration("network.inactive_after", raw.inactive_after.as_deref(), d.inactive_after)?;
    if inactive_after < Duration::from_secs(3600) {
        return Err(ConfigError::invalid("network.inactive_after", "must be at least 1h"));
    }
    let green_reactions = match raw.green_reactions.as_deref().map(str::trim) {
        None | Some("render") => GreenReactions::Render,
        Some("suppress") => GreenReactions::Suppress,
        Some(other) => {
            return Err(ConfigError::invalid(
                "network.green_reactions",
                format!("`{other}`: use \"render\" or \"suppress\""),
            ))
        }
    };
    let rate = |key: &str, value: &Option<String>, default: Rate| match value {
        None => Ok(default),
        Some(text) => Rate::parse(text).map_err(|p| ConfigError::invalid(key, p)),
    };
    let l = d.limits;
    let limits = bubblegate_hub::Limits {
        code_requests_per_number: rate(
            "network.code_requests_per_number",
            &raw.code_requests_per_number,
            l.code_requests_per_number,
        )?,
        code_requests_per_address: rate(
            "network.code_requests_per_address",
            &raw.code_requests_per_address,
            l.code_requests_per_address,
        )?,
        code_attempts: rate("network.code_attempts", &raw.code_attempts, l.code_attempts)?,
        directory: rate("network.directory_lookups", &raw.directory_lookups, l.directory)?,
        sends: rate("network.sends", &raw.sends, l.sends)?,
    };
    let max_body_bytes = match raw.max_body_bytes {
        None => d.max_body_bytes,
        Some(n) if (64 * 1024..=64 * 1024 * 1024).contains(&n) => n as usize,
        Some(_) => {
            return Err(ConfigError::invalid("network.max_body_bytes", "must be 64 KiB to 64 MiB"))
        }
    };
    let mut owned_sims: Vec<OwnedSim> = Vec::new();
    for (i, o) in raw.owned_sims.iter().enumerate() {
        let key = |k: &str| format!("network.owned_sims[{i}].{k}");
        let modem =
            o.modem.as_deref().ok_or_else(|| ConfigError::invalid(key("modem"), "missing"))?;
        if !modems.iter().any(|m| m.id.as_str() == modem) {
            return Err(ConfigError::invalid(
                key("modem"),
                format!("`{modem}` is not the id of a configured modem"),
            ));
        }
        if owned_sims.iter().any(|s| s.modem == modem) {
            return Err(ConfigError::invalid(key("modem"), format!("`{modem}` is owned twice")));
        }
        let handle =
            o.handle.as_deref().ok_or_else(|| ConfigError::invalid(key("handle"), "missing"))?;
        let handle = bubblegate_proto::E164::parse(handle, default_region.as_deref())
            .map_err(|problem| ConfigError::invalid(key("handle"), problem))?;
        owned_sims.push(OwnedSim { modem: modem.to_owned(), handle });
    }
    let hub = HubConfig {
        retention,
        fallback_after,
        inactive_after,
        green_reactions,
        default_region,
        owned_sims,
        limits,
        daily_verification_sms: raw.daily_verification_sms.unwrap_or(d.daily_verification_sms),
        max_body_bytes,
    };
    Ok(NetworkSettings { hub, key_file })
}

/// The machine's host name, the default node id.
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "local".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;

    fn profiles() -> ProfileSet {
        ProfileSet::builtin().expect("built-in profiles")
    }

    const BASE: &str = r#"
        [store]
        sqlite = "state/bubblegate.db"
        [api]
        admin_token = "0123456789abcdef0123"
    "#;

    fn check(extra: &str) -> Result<Config, ConfigError> {
        let text = format!("{BASE}\n{extra}");
        let raw = parse(&text, Path::new("test.toml"))?;
        let env = |name: &str| (name == "PIN_ATTIC").then(|| "1234".to_owned());
        validate(raw, &profiles(), Path::new("/etc/bubblegate"), &env)
    }

    fn error(extra: &str) -> String {
        match check(extra) {
            Ok(_) => panic!("accepted: {extra}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_minimal_file_gets_defaults() {
        let config = check("").unwrap();
        assert_eq!(
            config.store,
            StoreConfig::Sqlite { path: PathBuf::from("/etc/bubblegate/state/bubblegate.db") }
        );
        assert_eq!(config.api.listen.to_string(), DEFAULT_LISTEN);
        assert_eq!(config.health_interval, Duration::from_secs(300));
        assert!(config.modems.is_empty());
    }

    #[test]
    fn modems_are_checked_key_by_key() {
        let config = check(
            r#"
            [[modems]]
            id = "attic"
            usb = "2c7c:0125::2"
            profile = "quectel-ec25"
            pin_env = "PIN_ATTIC"
            rate_limit = 20
            daily_quota = 100
            monthly_quota = 1000
            destination_prefixes = ["+31"]
            "#,
        )
        .unwrap();
        let m = &config.modems[0];
        assert_eq!(m.id.as_str(), "attic");
        assert!(m.pin.is_some());
        assert_eq!(m.limits.per_minute.map(|n| n.get()), Some(20));
        match &m.port {
            PortSpec::Serial(PortLocator::ByUsb { vid, pid, serial, interface }) => {
                assert_eq!(
                    (*vid, *pid, serial.clone(), *interface),
                    (0x2c7c, 0x0125, None, Some(2))
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_name_the_key_and_the_problem() {
        let table = [
            ("[[modems]]\nport = \"/dev/x\"", "`modems[0].id`: missing"),
            ("[[modems]]\nid = \"a b\"\nport = \"/dev/x\"", "`modems[0].id`"),
            ("[[modems]]\nid = \"a\"", "`modems[0].port`: missing"),
            ("[[modems]]\nid = \"a\"\nusb = \"12:34\"", "`modems[0].usb`"),
            ("[[modems]]\nid = \"a\"\nport = \"/dev/x\"\nprofile = \"nokia-3310\"", "no profile"),
            ("[[modems]]\nid = \"a\"\nport = \"/dev/x\"\nrate_limit = 0", "`modems[0].rate_limit`"),
            ("[[modems]]\nid = \"a\"\nport = \"/dev/x\"\npin_env = \"NOPE\"", "NOPE is not set"),
            (
                "[[modems]]\nid = \"a\"\nport = \"/dev/x\"\n[[modems]]\nid = \"a\"\nport = \"/dev/y\"",
                "`modems[1].id`: `a` is used",
            ),
            ("[policy]\nblocked_prefixes = [\"0900\"]", "`policy.blocked_prefixes[0]`"),
            ("[policy]\nallowed_countries = [\"Narnia\"]", "`policy.allowed_countries[0]`"),
            ("[policy]\nallowed_countries = [1000]", "`policy.allowed_countries[0]`"),
            ("[outbox]\nretry_backoff = \"soon\"", "`outbox.retry_backoff`"),
            ("[[webhooks]]\nurl = \"ftp://x\"\nsecret = \"s\"", "`webhooks[0].url`"),
            ("[[webhooks]]\nurl = \"https://x\"", "`webhooks[0].secret`"),
            ("health_interval = \"0s\"", "`health_interval`"),
            ("[network]\ngreen_reactions = \"loud\"", "`network.green_reactions`"),
            ("[network]\nsends = \"lots\"", "`network.sends`"),
            ("[network]\nfallback_after = \"8d\"", "`network.fallback_after`"),
            ("[network]\ndefault_region = \"XX\"", "`network.default_region`"),
            ("[network]\nmax_body_bytes = 10", "`network.max_body_bytes`"),
            (
                "[network]\n[[network.owned_sims]]\nmodem = \"nope\"\nhandle = \"+31612345678\"",
                "`network.owned_sims[0].modem`",
            ),
            (
                "[[modems]]\nid = \"a\"\nport = \"/dev/x\"\n[network]\n[[network.owned_sims]]\nmodem = \"a\"\nhandle = \"12\"",
                "`network.owned_sims[0].handle`",
            ),
        ];
        for (extra, want) in table {
            let got = error(extra);
            assert!(got.contains(want), "{extra:?}: {got}");
        }
    }

    #[test]
    fn the_example_file_is_valid() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../hw/bubblegate.example.toml");
        let text = std::fs::read_to_string(&path).expect("hw/bubblegate.example.toml");
        let mut raw = parse(&text, &path).unwrap_or_else(|e| panic!("{e}"));
        // The token file does not exist here: the override stands in.
        let vars = [("BUBBLEGATE_ADMIN_TOKEN".to_owned(), "0123456789abcdef0123".to_owned())];
        crate::config::env::apply(&mut raw, vars).unwrap();
        let env = |name: &str| (name == "BUBBLEGATE_PIN_HAT").then(|| "0000".to_owned());
        let config = validate(raw, &profiles(), Path::new("/etc/bubblegate"), &env)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.modems.len(), 2);
        assert_eq!(config.modems[0].destination_prefixes, ["+31"]);
        assert!(config.modems[1].pin.is_some());
        assert_eq!(config.policy.daily_budget, Some(2000));
        assert_eq!(config.api.listen.to_string(), "127.0.0.1:8080");
        let network = config.network.as_ref().expect("the example enables the hub");
        assert_eq!(network.hub.default_region.as_deref(), Some("NL"));
        assert_eq!(network.key_file, PathBuf::from("/var/lib/bubblegate/hub.key"));
        assert_eq!(network.hub.limits.code_requests_per_number.count, 3);
        // Every commented-out key is a real key: uncommented, it parses.
        let uncommented: String = text
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.contains(" = ") && !rest.starts_with(' ') => rest.to_owned(),
                Some(rest) if rest.starts_with("[[webhooks]]") => rest.to_owned(),
                Some(rest) if rest.starts_with("[[network.owned_sims]]") => rest.to_owned(),
                _ => l.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        if let Err(err) = parse(&uncommented, &path) {
            // Uncommenting both alternatives of a choice is allowed to
            // clash only in validation, never in parsing.
            panic!("a commented key is not a key: {err}");
        }
    }

    #[test]
    fn the_network_section_turns_the_hub_on_with_defaults() {
        assert!(check("").unwrap().network.is_none());
        assert!(check("[network]\nenabled = false").unwrap().network.is_none());
        let config = check(
            r#"
            [[modems]]
            id = "attic"
            port = "/dev/x"
            [network]
            default_region = "nl"
            green_reactions = "suppress"
            sends = "10/m"
            [[network.owned_sims]]
            modem = "attic"
            handle = "0612345678"
            "#,
        )
        .unwrap();
        let network = config.network.unwrap();
        assert_eq!(network.key_file, PathBuf::from("/etc/bubblegate/state/hub.key"));
        let hub = &network.hub;
        assert_eq!(hub.default_region.as_deref(), Some("NL"));
        assert_eq!(hub.green_reactions, GreenReactions::Suppress);
        assert_eq!(hub.limits.sends, Rate::new(10, Duration::from_secs(60)));
        assert_eq!(hub.owned_sims[0].handle.as_str(), "+31612345678");
        assert_eq!(hub.retention, Duration::from_secs(7 * 86_400));
    }

    #[test]
    fn with_postgres_the_key_file_is_named_or_in_the_state_directory() {
        let text = "[store]\npostgres = \"postgres://db/x\"\n[api]\nadmin_token = \"0123456789abcdef0123\"\n[network]\n";
        let raw = parse(text, Path::new("c.toml")).unwrap();
        let err = validate(raw.clone(), &profiles(), Path::new("/etc"), &|_| None).unwrap_err();
        assert!(err.to_string().contains("`network.key_file`"), "{err}");
        let env = |n: &str| (n == "STATE_DIRECTORY").then(|| "/var/lib/bubblegate".to_owned());
        let config = validate(raw, &profiles(), Path::new("/etc"), &env).unwrap();
        assert_eq!(config.network.unwrap().key_file, PathBuf::from("/var/lib/bubblegate/hub.key"));
    }

    #[test]
    fn network_overrides_make_the_section() {
        let mut raw = parse(BASE, Path::new("c.toml")).unwrap();
        let vars = [
            ("BUBBLEGATE_NETWORK__FALLBACK_AFTER".to_owned(), "2m".to_owned()),
            ("BUBBLEGATE_NETWORK__KEY_FILE".to_owned(), "/run/hub.key".to_owned()),
        ];
        crate::config::env::apply(&mut raw, vars).unwrap();
        let config = validate(raw, &profiles(), Path::new("/etc"), &|_| None).unwrap();
        let network = config.network.unwrap();
        assert_eq!(network.hub.fallback_after, Duration::from_secs(120));
        assert_eq!(network.key_file, PathBuf::from("/run/hub.key"));
        let mut raw = parse(&format!("{BASE}\n[network]\n"), Path::new("c.toml")).unwrap();
        let off = [("BUBBLEGATE_NETWORK__ENABLED".to_owned(), "false".to_owned())];
        crate::config::env::apply(&mut raw, off).unwrap();
        assert!(validate(raw, &profiles(), Path::new("/etc"), &|_| None)
            .unwrap()
            .network
            .is_none());
    }

    #[test]
    fn unknown_keys_are_named_by_the_parser() {
        let err = parse("[api]\nlisten = \"x\"\nadmin_tokn = \"y\"\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("admin_tokn"), "{err}");
        assert!(err.contains("line 3"), "{err}");
    }

    #[test]
    fn the_store_and_token_are_required() {
        let raw = parse("", Path::new("c.toml")).unwrap();
        let err = validate(raw, &profiles(), Path::new("/"), &|_| None).unwrap_err();
        assert!(err.to_string().contains("`store`"), "{err}");
        let raw = parse("[store]\nsqlite = \"x.db\"\n", Path::new("c.toml")).unwrap();
        let err = validate(raw, &profiles(), Path::new("/"), &|_| None).unwrap_err();
        assert!(err.to_string().contains("admin token"), "{err}");
        let raw =
            parse("[store]\nsqlite = \"x.db\"\n[api]\nadmin_token = \"short\"\n", Path::new("c"))
                .unwrap();
        let err = validate(raw, &profiles(), Path::new("/"), &|_| None).unwrap_err();
        assert!(err.to_string().contains("`api.admin_token`"), "{err}");
    }
}
