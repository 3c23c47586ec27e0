//! Bubblegate's HTTP API: the [`Gateway`] trait that the daemon implements,
//! and everything between it and the network.
//!
//! The crate owns the wire contract: the request and view types in
//! [`types`] (their field names are the API), the one error shape
//! ([`ApiError`]), the route table ([`routes::ROUTES`], which
//! `schemas/openapi.json` must agree with), admin-token auth, the
//! WebSocket event stream, signed webhooks, Prometheus metrics, and a small
//! client for the CLI. It knows nothing about the store or modems: the
//! daemon maps its own types into the views.
//!
//! ```text
//! HTTP ──> router (auth, metrics, errors) ──> routes/* ──> dyn Gateway (daemon)
//! Gateway::events() ──> WS /v1/events clients
//!                   └─> webhooks (signed POSTs, retried, never blocking the API)
//! ```

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::serve::ListenerExt;
use tokio::net::TcpListener;

mod auth;
pub mod client;
mod config;
mod error;
mod http1;
mod metrics;
pub mod routes;
mod time;
pub mod types;
pub mod webhooks;

pub use async_trait::async_trait;
pub use config::{ApiConfig, ConfigError, RetryPolicy, Webhook};
pub use error::{ApiError, ErrorBody, ErrorCode, ErrorDetail};
pub use time::Timestamp;
pub use tokio_util::sync::CancellationToken;
pub use types::*;

/// What the daemon provides to the API. Implement it with
/// `#[bubblegate_api::async_trait]` on the `impl` block.
///
/// Every method is called from request handlers, concurrently. Errors are
/// [`ApiError`]s: build them with its constructors, e.g.
/// [`ApiError::invalid`] for a field the daemon rejects (too many
/// segments, a blocked destination), [`ApiError::unavailable`] while
/// starting or stopping, and [`ApiError::internal`] for anything else,
/// whose detail is logged but never sent to the client.
#[async_trait]
pub trait Gateway: Send + Sync + 'static {
    /// Queues a message. `sms` is validated: `to` is E.164, the text and
    /// bounds are checked. With an idempotency key seen before, returns
    /// the earlier message with `created: false`.
    async fn submit(&self, sms: NewSms) -> Result<Submitted, ApiError>;

    /// An outbound message with its parts and history; `None` if there is
    /// no message with that id (a malformed id is `None` too).
    async fn message(&self, id: &str) -> Result<Option<MessageView>, ApiError>;

    /// Received messages, newest first. `cursor` is a `next_cursor` from
    /// an earlier page, passed through unchecked: answer
    /// [`ApiError::invalid`] with field `cursor` if it is not one of
    /// yours. `limit` is 1..=[`routes::MAX_PAGE`].
    async fn inbox(&self, cursor: Option<String>, limit: u32) -> Result<InboxPage, ApiError>;

    /// Every modem known, with its state, signal, operator, registration
    /// and quota use.
    ///
    /// (For every method: an [`ApiError::internal`] cause is logged at
    /// error level, so it must not carry a phone number or a body.)
    async fn modems(&self) -> Result<Vec<ModemView>, ApiError>;

    /// A new subscription to message status changes and inbound messages.
    /// The WebSocket and the webhooks each hold one.
    fn events(&self) -> tokio::sync::broadcast::Receiver<GatewayEvent>;

    /// Liveness and readiness, for `/healthz`; must answer quickly.
    async fn health(&self) -> Health;
}

/// The API's routes for a gateway, without a socket: what tests drive with
/// `tower::ServiceExt::oneshot`. Webhooks are not started; [`serve`] does
/// that. WebSocket streams end when the gateway's event channel closes.
pub fn router(gw: Arc<dyn Gateway>, cfg: ApiConfig) -> axum::Router {
    router_with(gw, cfg, Extension::default())
}

/// [`router`] with an [`Extension`]'s routes beside the API's.
pub fn router_with(gw: Arc<dyn Gateway>, cfg: ApiConfig, extension: Extension) -> axum::Router {
    let metrics = Arc::new(metrics::Metrics::default());
    routes::app(gw, cfg, CancellationToken::new(), metrics, extension)
}

/// Routes served beside the API's own, by the same server: the hub of the
/// encrypted network. They sit outside the admin-token check (they do
/// their own auth), inside the metrics layer, the body limit and the
/// common error fallbacks. Their handlers answer errors with [`ApiError`].
///
/// The server's graceful shutdown waits for every open connection, so a
/// WebSocket route in `router` must close its sockets when the `shutdown`
/// token given to [`serve_with`] is cancelled.
#[derive(Default)]
pub struct Extension {
    pub router: axum::Router,
    /// Counters appended to `GET /metrics`.
    pub metrics: Option<Arc<dyn MetricsSource>>,
}

/// Something that writes Prometheus text-format families (with their
/// `# HELP` and `# TYPE` lines) for `GET /metrics`.
pub trait MetricsSource: Send + Sync + 'static {
    fn render(&self, out: &mut String);
}

/// Serves the API on `listener` and delivers webhooks, until `shutdown`
/// is cancelled. Then it stops accepting, closes WebSocket streams with
/// 1001, lets requests in flight finish, and stops webhook delivery
/// (events not yet delivered are dropped, see [`webhooks`]). Bound the
/// wait for requests in flight from outside if it matters.
pub async fn serve(
    listener: TcpListener,
    gw: Arc<dyn Gateway>,
    cfg: ApiConfig,
    shutdown: CancellationToken,
) -> io::Result<()> {
    serve_with(listener, gw, cfg, shutdown, Extension::default()).await
}

/// [`serve`] with an [`Extension`]'s routes beside the API's. Handlers
/// can read the peer's address as `axum::extract::ConnectInfo<SocketAddr>`.
pub async fn serve_with(
    listener: TcpListener,
    gw: Arc<dyn Gateway>,
    cfg: ApiConfig,
    shutdown: CancellationToken,
    extension: Extension,
) -> io::Result<()> {
    let metrics = Arc::new(metrics::Metrics::default());
    let hooks = webhooks::spawn(gw.events(), &cfg, shutdown.clone(), metrics.clone());
    let app = routes::app(gw, cfg, shutdown.clone(), metrics, extension);
    // Without TCP_NODELAY, a small frame written right after another (an
    // envelope pushed just after an `acked` answer) waits for the peer's
    // delayed ACK, about 40 ms: Nagle's algorithm (RFC 896) meeting
    // delayed ACKs (RFC 1122 4.2.3.2).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "cannot set TCP_NODELAY on a connection");
        }
    });
    let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown.clone().cancelled_owned())
        .await;
    // A failed server must not leave the webhook task behind.
    shutdown.cancel();
    hooks.wait().await;
    served
}
