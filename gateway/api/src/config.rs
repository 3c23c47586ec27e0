//! [`ApiConfig`]: what the daemon's config file says about the API. The
//! daemon parses its TOML and fills this in; [`ApiConfig::validate`]
//! checks it at start, with errors naming the key.

use std::fmt;
use std::time::Duration;

use crate::http1::HttpUrl;

/// The API's settings.
#[derive(Clone)]
pub struct ApiConfig {
    /// The bearer token every route but `/healthz` requires. An empty
    /// token denies everything (fail closed).
    pub admin_token: String,
    /// Where events are POSTed, signed.
    pub webhooks: Vec<Webhook>,
    pub webhook_retry: RetryPolicy,
    /// An ISO 3166 region (e.g. `DE`) for numbers given without `+`;
    /// `None` requires international form.
    pub default_region: Option<String>,
    /// Request bodies larger than this are refused (413).
    pub max_body_bytes: usize,
}

impl Default for ApiConfig {
    fn default() -> ApiConfig {
        ApiConfig {
            admin_token: String::new(),
            webhooks: Vec::new(),
            webhook_retry: RetryPolicy::default(),
            default_region: None,
            max_body_bytes: 64 * 1024,
        }
    }
}

/// Secrets stay out of logs: `Debug` shows only whether they are set.
impl fmt::Debug for ApiConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiConfig")
            .field("admin_token", &if self.admin_token.is_empty() { "<empty>" } else { "<set>" })
            .field("webhooks", &self.webhooks)
            .field("webhook_retry", &self.webhook_retry)
            .field("default_region", &self.default_region)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}

/// One webhook receiver. Plain `http://` only for now (see the README):
/// the receiver is expected on the same host or network, and the HMAC
/// signature, not the transport, proves the sender.
#[derive(Clone)]
pub struct Webhook {
    pub url: String,
    /// The HMAC-SHA256 key the receiver verifies with.
    pub secret: String,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook").field("url", &self.url).field("secret", &"<set>").finish()
    }
}

/// How webhook deliveries are retried: `attempts` in all, waiting
/// `initial`, then doubling up to `max_delay`, between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub initial: Duration,
    pub max_delay: Duration,
    /// One attempt's limit, from connect to the status line.
    pub timeout: Duration,
    /// Deliveries waiting per webhook; past it new ones are dropped
    /// (and counted), so a dead receiver cannot grow memory.
    pub queue: usize,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            attempts: 8,
            initial: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
            timeout: Duration::from_secs(10),
            queue: 1024,
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt `n` (1-based).
    pub fn delay_after(&self, n: u32) -> Duration {
        let factor = 2u32.saturating_pow(n.saturating_sub(1));
        self.initial.saturating_mul(factor).min(self.max_delay)
    }
}

/// A config value the API cannot work with; `key` is the config path.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{key}: {problem}")]
pub struct ConfigError {
    pub key: String,
    pub problem: String,
}

impl ApiConfig {
    /// Checks the settings; key names are relative to the daemon's `[api]`
    /// table (`admin_token`, `webhooks[0].url`).
    pub fn validate(&self) -> Result<(), ConfigError> {
        let err = |key: String, problem: &str| ConfigError { key, problem: problem.to_owned() };
        if self.admin_token.len() < 16 {
            return Err(err("admin_token".into(), "must be at least 16 characters"));
        }
        for (i, hook) in self.webhooks.iter().enumerate() {
            if let Err(problem) = HttpUrl::parse(&hook.url) {
                return Err(err(format!("webhooks[{i}].url"), problem));
            }
            if hook.secret.len() < 16 {
                return Err(err(format!("webhooks[{i}].secret"), "must be at least 16 characters"));
            }
        }
        if let Some(region) = &self.default_region {
            if region.parse::<phonenumber::country::Id>().is_err() {
                return Err(err("default_region".into(), "is not an ISO 3166 region code"));
            }
        }
        let retry = &self.webhook_retry;
        if retry.attempts == 0 || retry.attempts > 100 {
            return Err(err("webhook_retry.attempts".into(), "must be 1 to 100"));
        }
        if retry.queue == 0 {
            return Err(err("webhook_retry.queue".into(), "must be at least 1"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy {
            initial: Duration::from_secs(1),
            max_delay: Duration::from_secs(5),
            ..RetryPolicy::default()
        };
        let waits: Vec<u64> = (1..=5).map(|n| p.delay_after(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 5, 5]);
        assert_eq!(p.delay_after(200), Duration::from_secs(5));
    }

    #[test]
    fn validation_names_the_key() {
        let good = ApiConfig {
            admin_token: "0123456789abcdef".into(),
            webhooks: vec![Webhook {
                url: "http://127.0.0.1:9/hook".into(),
                secret: "fedcba9876543210".into(),
            }],
            ..ApiConfig::default()
        };
        assert_eq!(good.validate(), Ok(()));
        let short = ApiConfig { admin_token: "short".into(), ..good.clone() };
        assert_eq!(short.validate().unwrap_err().key, "admin_token");
        let mut tls = good.clone();
        tls.webhooks[0].url = "https://example.org/hook".into();
        assert_eq!(tls.validate().unwrap_err().key, "webhooks[0].url");
        let region = ApiConfig { default_region: Some("XX".into()), ..good };
        assert_eq!(region.validate().unwrap_err().key, "default_region");
    }

    #[test]
    fn debug_hides_secrets() {
        let cfg = ApiConfig {
            admin_token: "0123456789abcdef".into(),
            webhooks: vec![Webhook { url: "http://h/".into(), secret: "s3cr3t-s3cr3t-s3".into() }],
            ..ApiConfig::default()
        };
        let shown = format!("{cfg:?}");
        assert!(!shown.contains("0123456789abcdef") && !shown.contains("s3cr3t"), "{shown}");
    }
}
