//! The daemon as a service: the gateway plus its HTTP API, systemd
//! notification, and shutdown on SIGTERM or SIGINT. `bubblegate run` and
//! `bubblegate demo` both end here.
//!
//! Stop order: tell systemd, stop the API (no new submissions; requests in
//! flight finish), then the gateway (workers finish the part in hand, the
//! modem actors stop, the store closes), each with a bound.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bubblegate_api::{ApiConfig, Gateway, Webhook};
use bubblegate_profiles::ProfileSet;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::daemon::{Daemon, StartError};
use crate::notify;

/// How long the API may take to finish its requests at shutdown.
const API_GRACE: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("`api.listen`: cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("`{key}`: {problem}")]
    ApiConfig { key: String, problem: String },
    #[error(transparent)]
    Start(#[from] StartError),
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
    let api_config = api_config(&config)?;
    let listener = tokio::net::TcpListener::bind(config.api.listen)
        .await
        .map_err(|source| ServeError::Listen { addr: config.api.listen, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| ServeError::Listen { addr: config.api.listen, source })?;
    let running = Daemon::start(&config, profiles, CancellationToken::new()).await?;
    let gateway: Arc<dyn Gateway> = Arc::new(running.daemon());
    let api_stop = CancellationToken::new();
    let mut api =
        tokio::spawn(bubblegate_api::serve(listener, gateway, api_config, api_stop.clone()));
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
