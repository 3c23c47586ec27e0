//! The daemon as a service: the gateway plus its HTTP API, the encrypted
//! network's hub when `[network]` enables it, systemd notification, and
//! shutdown on SIGTERM or SIGINT. `bubblegate run` and `bubblegate demo`
//! both end here.
//!
//! Start order: the hub key is read (or made) first, so a bad key file
//! stops nothing half-started; then the gateway; then the hub, attached
//! to the gateway (its SMS sender and inbox hook) with its timers; then
//! the API, serving the hub's routes beside its own.
//!
//! Stop order: tell systemd, stop the API (no new submissions; requests in
//! flight finish; device and event streams close), then the hub's timers
//! (a fallback in hand is finished), then the gateway (workers finish the
//! part in hand, the modem actors stop, the store closes), each with a
//! bound.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bubblegate_api::{ApiConfig, Extension, Gateway, Webhook};
use bubblegate_hub::{Clock, Hub, HubOptions, SystemClock};
use bubblegate_profiles::ProfileSet;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::daemon::{Daemon, StartError};
use crate::notify;

/// How long the API may take to finish its requests at shutdown.
const API_GRACE: Duration = Duration::from_secs(10);
/// How long the hub's timers may take to stop.
const HUB_GRACE: Duration = Duration::from_secs(10);

/// What an in-process caller (an end-to-end test) may choose beyond the
/// configuration.
#[derive(Clone, Default)]
pub struct ServeOptions {
    /// The hub's clock, for every time decision of the encrypted network
    /// (code expiry, activity, fallbacks, retention, rate limits). `None`
    /// is the system clock; a test passes a [`bubblegate_hub::ManualClock`]
    /// and moves it to fire fallback and retention timers.
    pub clock: Option<Arc<dyn Clock>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("`api.listen`: cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("`{key}`: {problem}")]
    ApiConfig { key: String, problem: String },
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("`network.key_file`: {0}")]
    HubKey(#[from] bubblegate_hub::KeyError),
}

/// The API's settings from the daemon's.
pub fn api_config(config: &Config) -> Result<ApiConfig, ServeError> {
    let api = ApiConfig {
        admin_token: config.api.admin_token.expose().to_owned(),
        webhooks: config
            .webhooks
            .iter()
            .map(|w| Webhook { url: w.url.clone(), secret: w.secret.expose().to_owned() })
            .collect(),
        ..ApiConfig::default()
    };
    api.validate().map_err(|e| ServeError::ApiConfig {
        key: if e.key.starts_with("webhooks") { e.key } else { format!("api.{}", e.key) },
        problem: e.problem,
    })?;
    Ok(api)
}

/// Runs until `stop` is cancelled or a signal arrives. `ready` is called
/// with the API's address once everything runs.
pub async fn serve(
    config: Config,
    profiles: Arc<ProfileSet>,
    stop: CancellationToken,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    serve_with(config, profiles, ServeOptions::default(), stop, ready).await
}

/// [`serve`] with [`ServeOptions`].
pub async fn serve_with(
    config: Config,
    profiles: Arc<ProfileSet>,
    options: ServeOptions,
    stop: CancellationToken,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let api_config = api_config(&config)?;
    let hub_key = match &config.network {
        Some(network) => Some(bubblegate_hub::load_or_create_key(&network.key_file)?),
        None => None,
    };
    let listener = tokio::net::TcpListener::bind(config.api.listen)
        .await
        .map_err(|source| ServeError::Listen { addr: config.api.listen, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| ServeError::Listen { addr: config.api.listen, source })?;
    let running = Daemon::start(&config, profiles, CancellationToken::new()).await?;
    let daemon = running.daemon();
    let api_stop = CancellationToken::new();
    let hub_stop = CancellationToken::new();
    let (extension, timers) = match (&config.network, hub_key) {
        (Some(network), Some(key)) => {
            let hub = Hub::new(HubOptions {
                store: daemon.store().clone(),
                key,
                config: network.hub.clone(),
                sms: Arc::new(daemon.clone()),
                clock: options.clock.clone().unwrap_or_else(|| Arc::new(SystemClock)),
            });
            daemon.attach_hub(hub.clone());
            let timers = hub.start(&hub_stop);
            tracing::info!(key = ?hub.public_key(), "encrypted network hub started");
            (hub.extension(api_stop.clone()), Some(timers))
        }
        _ => (Extension::default(), None),
    };
    let gateway: Arc<dyn Gateway> = Arc::new(daemon);
    let mut api = tokio::spawn(bubblegate_api::serve_with(
        listener,
        gateway,
        api_config,
        api_stop.clone(),
        extension,
    ));
    tracing::info!(%addr, "API listening");

    notify::ready();
    let watchdog_stop = CancellationToken::new();
    if let Some(interval) = notify::watchdog_interval() {
        tokio::spawn(notify::watchdog(interval, watchdog_stop.clone()));
    }
    ready(addr);

    let api_ended = tokio::select! {
        () = signalled() => { tracing::info!("signal received; stopping"); false }
        () = stop.cancelled() => false,
        result = &mut api => {
            match result {
                Ok(Ok(())) => tracing::error!("the API server stopped; stopping"),
                Ok(Err(err)) => tracing::error!(%err, "the API server failed; stopping"),
                Err(err) => tracing::error!(%err, "the API server task failed; stopping"),
            }
            true
        }
    };
    notify::stopping();
    api_stop.cancel();
    if !api_ended && tokio::time::timeout(API_GRACE, &mut api).await.is_err() {
        tracing::warn!("API requests still open after {API_GRACE:?}; closing them");
        api.abort();
    }
    if let Some(timers) = timers {
        if tokio::time::timeout(HUB_GRACE, timers.stop()).await.is_err() {
            tracing::warn!("the hub's timers did not stop within {HUB_GRACE:?}");
        }
    }
    hub_stop.cancel();
    let clean = running.shutdown().await;
    watchdog_stop.cancel();
    if !clean {
        tracing::warn!("some work did not finish within the shutdown grace");
    }
    Ok(())
}

/// SIGTERM (a service manager) or SIGINT (Ctrl-C).
async fn signalled() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}
