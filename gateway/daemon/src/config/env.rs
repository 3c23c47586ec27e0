//! Environment overrides: `BUBBLEGATE_<SECTION>__<KEY>` replaces `key` in
//! `[section]`, `BUBBLEGATE_<KEY>` a top-level key, so that a service
//! manager or a container can change a setting without editing the file.
//! Only the keys in [`OVERRIDES`] can be overridden; any other variable
//! with a `__` in its name is an error, so that a misspelt override does
//! not pass unnoticed. `BUBBLEGATE_ADMIN_TOKEN` is a short form of
//! `BUBBLEGATE_API__ADMIN_TOKEN`.
//!
//! Setting the store's `sqlite` clears its `postgres`, and the other way
//! round: an override chooses the backend. Any `BUBBLEGATE_NETWORK__*`
//! override creates the `[network]` section (and so turns the hub on,
//! unless `BUBBLEGATE_NETWORK__ENABLED=false`).

use super::raw::{RawConfig, RawCountry};
use super::ConfigError;

/// Every variable that overrides a key, and the key.
pub const OVERRIDES: &[(&str, &str)] = &[
    ("BUBBLEGATE_NODE", "node"),
    ("BUBBLEGATE_HEALTH_INTERVAL", "health_interval"),
    ("BUBBLEGATE_SHUTDOWN_GRACE", "shutdown_grace"),
    ("BUBBLEGATE_POWER_CYCLE", "power_cycle"),
    ("BUBBLEGATE_STORE__SQLITE", "store.sqlite"),
    ("BUBBLEGATE_STORE__POSTGRES", "store.postgres"),
    ("BUBBLEGATE_STORE__SCHEMA", "store.schema"),
    ("BUBBLEGATE_STORE__MAX_CONNECTIONS", "store.max_connections"),
    ("BUBBLEGATE_API__LISTEN", "api.listen"),
    ("BUBBLEGATE_API__ADMIN_TOKEN", "api.admin_token"),
    ("BUBBLEGATE_ADMIN_TOKEN", "api.admin_token"),
    ("BUBBLEGATE_API__ADMIN_TOKEN_FILE", "api.admin_token_file"),
    ("BUBBLEGATE_POLICY__BLOCKED_PREFIXES", "policy.blocked_prefixes"),
    ("BUBBLEGATE_POLICY__ALLOWED_COUNTRIES", "policy.allowed_countries"),
    ("BUBBLEGATE_POLICY__DAILY_BUDGET", "policy.daily_budget"),
    ("BUBBLEGATE_OUTBOX__MAX_ATTEMPTS", "outbox.max_attempts"),
    ("BUBBLEGATE_OUTBOX__RETRY_BACKOFF", "outbox.retry_backoff"),
    ("BUBBLEGATE_OUTBOX__RETRY_MAX", "outbox.retry_max"),
    ("BUBBLEGATE_OUTBOX__DEFAULT_VALIDITY", "outbox.default_validity"),
    ("BUBBLEGATE_INBOX__REASSEMBLY_TIMEOUT", "inbox.reassembly_timeout"),
    ("BUBBLEGATE_NETWORK__ENABLED", "network.enabled"),
    ("BUBBLEGATE_NETWORK__KEY_FILE", "network.key_file"),
    ("BUBBLEGATE_NETWORK__DEFAULT_REGION", "network.default_region"),
    ("BUBBLEGATE_NETWORK__RETENTION", "network.retention"),
    ("BUBBLEGATE_NETWORK__FALLBACK_AFTER", "network.fallback_after"),
    ("BUBBLEGATE_NETWORK__INACTIVE_AFTER", "network.inactive_after"),
    ("BUBBLEGATE_NETWORK__GREEN_REACTIONS", "network.green_reactions"),
    ("BUBBLEGATE_NETWORK__DAILY_VERIFICATION_SMS", "network.daily_verification_sms"),
    ("BUBBLEGATE_NETWORK__CODE_REQUESTS_PER_NUMBER", "network.code_requests_per_number"),
    ("BUBBLEGATE_NETWORK__CODE_REQUESTS_PER_ADDRESS", "network.code_requests_per_address"),
    ("BUBBLEGATE_NETWORK__CODE_ATTEMPTS", "network.code_attempts"),
    ("BUBBLEGATE_NETWORK__DIRECTORY_LOOKUPS", "network.directory_lookups"),
    ("BUBBLEGATE_NETWORK__SENDS", "network.sends"),
    ("BUBBLEGATE_NETWORK__MAX_BODY_BYTES", "network.max_body_bytes"),
];

/// Applies the overrides found in `vars` to `raw`.
pub fn apply(
    raw: &mut RawConfig,
    vars: impl IntoIterator<Item = (String, String)>,
) -> Result<(), ConfigError> {
    for (name, value) in vars {
        if !name.starts_with("BUBBLEGATE_") {
            continue;
        }
        match OVERRIDES.iter().find(|(var, _)| *var == name) {
            Some((_, key)) => set(raw, key, &name, value)?,
            None if name.contains("__") => {
                return Err(ConfigError::invalid(
                    name,
                    "not a known override (see the README's configuration section)",
                ));
            }
            None => {}
        }
    }
    Ok(())
}

fn set(raw: &mut RawConfig, key: &str, var: &str, value: String) -> Result<(), ConfigError> {
    let number = |v: &str| -> Result<u64, ConfigError> {
        v.trim().parse().map_err(|_| ConfigError::invalid(var, format!("`{v}` is not a number")))
    };
    let list = |v: &str| -> Vec<String> {
        v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
    };
    match key {
        "node" => raw.node = Some(value),
        "health_interval" => raw.health_interval = Some(value),
        "shutdown_grace" => raw.shutdown_grace = Some(value),
        "power_cycle" => raw.power_cycle = Some(value),
        "store.sqlite" => {
            raw.store.sqlite = Some(value);
            raw.store.postgres = None;
        }
        "store.postgres" => {
            raw.store.postgres = Some(value);
            raw.store.sqlite = None;
        }
        "store.schema" => raw.store.schema = Some(value),
        "store.max_connections" => {
            let n = number(&value)?;
            raw.store.max_connections = Some(
                u32::try_from(n).map_err(|_| ConfigError::invalid(var, "too large a number"))?,
            );
        }
        "api.listen" => raw.api.listen = Some(value),
        "api.admin_token" => {
            raw.api.admin_token = Some(value);
            raw.api.admin_token_file = None;
        }
        "api.admin_token_file" => {
            raw.api.admin_token_file = Some(value);
            raw.api.admin_token = None;
        }
        "policy.blocked_prefixes" => raw.policy.blocked_prefixes = list(&value),
        "policy.allowed_countries" => {
            let countries = list(&value)
                .into_iter()
                .map(|c| match c.parse::<i64>() {
                    Ok(code) => RawCountry::Code(code),
                    Err(_) => RawCountry::Region(c),
                })
                .collect();
            raw.policy.allowed_countries = Some(countries);
        }
        "policy.daily_budget" => raw.policy.daily_budget = Some(number(&value)?),
        "outbox.max_attempts" => {
            let n = number(&value)?;
            raw.outbox.max_attempts = Some(
                u32::try_from(n).map_err(|_| ConfigError::invalid(var, "too large a number"))?,
            );
        }
        "outbox.retry_backoff" => raw.outbox.retry_backoff = Some(value),
        "outbox.retry_max" => raw.outbox.retry_max = Some(value),
        "outbox.default_validity" => raw.outbox.default_validity = Some(value),
        "inbox.reassembly_timeout" => raw.inbox.reassembly_timeout = Some(value),
        network if network.starts_with("network.") => {
            let n = raw.network.get_or_insert_with(Default::default);
            match &network["network.".len()..] {
                "enabled" => {
                    n.enabled = Some(match value.trim().to_ascii_lowercase().as_str() {
                        "1" | "true" | "yes" | "on" => true,
                        "0" | "false" | "no" | "off" => false,
                        _ => return Err(ConfigError::invalid(var, "use true or false")),
                    })
                }
                "key_file" => n.key_file = Some(value),
                "default_region" => n.default_region = Some(value),
                "retention" => n.retention = Some(value),
                "fallback_after" => n.fallback_after = Some(value),
                "inactive_after" => n.inactive_after = Some(value),
                "green_reactions" => n.green_reactions = Some(value),
                "daily_verification_sms" => n.daily_verification_sms = Some(number(&value)?),
                "code_requests_per_number" => n.code_requests_per_number = Some(value),
                "code_requests_per_address" => n.code_requests_per_address = Some(value),
                "code_attempts" => n.code_attempts = Some(value),
                "directory_lookups" => n.directory_lookups = Some(value),
                "sends" => n.sends = Some(value),
                "max_body_bytes" => n.max_body_bytes = Some(number(&value)?),
                _ => {
                    return Err(ConfigError::invalid(var, "override table names an unhandled key"))
                }
            }
        }
        _ => return Err(ConfigError::invalid(var, "override table names an unhandled key")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn every_override_is_handled() {
        for (var, _) in OVERRIDES {
            let mut raw = RawConfig::default();
            let value = if var.ends_with("__ENABLED") { "true" } else { "7" };
            apply(&mut raw, vars(&[(var, value)])).unwrap_or_else(|e| panic!("{var}: {e}"));
        }
    }

    #[test]
    fn overrides_replace_keys_and_choose_the_backend() {
        let mut raw = RawConfig::default();
        raw.store.postgres = Some("postgres://db".into());
        apply(
            &mut raw,
            vars(&[
                ("BUBBLEGATE_API__LISTEN", "0.0.0.0:9000"),
                ("BUBBLEGATE_ADMIN_TOKEN", "t0ken"),
                ("BUBBLEGATE_STORE__SQLITE", "/var/lib/bg.db"),
                ("BUBBLEGATE_POLICY__ALLOWED_COUNTRIES", "31, BE"),
                ("BUBBLEGATE_REQUIRE_GAMMU", "1"),
                ("HOME", "/root"),
            ]),
        )
        .unwrap();
        assert_eq!(raw.api.listen.as_deref(), Some("0.0.0.0:9000"));
        assert_eq!(raw.api.admin_token.as_deref(), Some("t0ken"));
        assert_eq!(raw.store.sqlite.as_deref(), Some("/var/lib/bg.db"));
        assert_eq!(raw.store.postgres, None);
        assert_eq!(
            raw.policy.allowed_countries,
            Some(vec![RawCountry::Code(31), RawCountry::Region("BE".into())])
        );
    }

    #[test]
    fn a_misspelt_override_is_named() {
        let mut raw = RawConfig::default();
        let err = apply(&mut raw, vars(&[("BUBBLEGATE_API__LISTN", "x")])).unwrap_err();
        assert!(err.to_string().contains("BUBBLEGATE_API__LISTN"), "{err}");
        let err = apply(&mut raw, vars(&[("BUBBLEGATE_POLICY__DAILY_BUDGET", "lots")]));
        assert!(err.unwrap_err().to_string().contains("BUBBLEGATE_POLICY__DAILY_BUDGET"));
    }
}
