//! The route table and the app around it.
//!
//! [`ROUTES`] is the single list of what the API serves: the router is
//! built from it, and the OpenAPI agreement test compares it with
//! `schemas/openapi.json`. Around the handlers sit, outermost first: the
//! metrics layer (every answer counted by route and status), the body
//! limit, and per protected route the admin-token check. Unknown paths
//! and methods answer in the common error shape.
//!
//! An [`crate::Extension`] (the hub's routes) is merged in before those
//! layers: its routes get the metrics layer, the body limit (which a route
//! may raise with its own `DefaultBodyLimit`) and the error fallbacks, but
//! not the admin-token check: they bring their own auth.

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use tokio_util::sync::CancellationToken;

use crate::auth::AdminToken;
use crate::error::{ApiError, ErrorCode};
use crate::metrics::Metrics;
use crate::{ApiConfig, Gateway};

mod events;
mod health;
mod inbox;
mod metrics;
mod modems;
mod sms;

pub use inbox::{DEFAULT_PAGE, MAX_PAGE};
pub use sms::validate;

/// An HTTP method the API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Put,
    Delete,
}

impl Verb {
    /// The lower-case name, as OpenAPI writes it.
    pub fn name(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::Post => "post",
            Verb::Put => "put",
            Verb::Delete => "delete",
        }
    }

    /// The HTTP method.
    pub fn method(self) -> axum::http::Method {
        match self {
            Verb::Get => axum::http::Method::GET,
            Verb::Post => axum::http::Method::POST,
            Verb::Put => axum::http::Method::PUT,
            Verb::Delete => axum::http::Method::DELETE,
        }
    }

    /// The method filter for axum's `on`, for route tables built like
    /// [`ROUTES`] (the hub's).
    pub fn filter(self) -> MethodFilter {
        match self {
            Verb::Get => MethodFilter::GET,
            Verb::Post => MethodFilter::POST,
            Verb::Put => MethodFilter::PUT,
            Verb::Delete => MethodFilter::DELETE,
        }
    }
}

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// `Authorization: Bearer <admin token>`.
    Admin,
    /// Anyone: `/healthz`, which a load balancer or systemd probes, and
    /// the hub's registration and deregistration routes.
    Public,
    /// `Authorization: Bearer <device token>`: the hub's device routes,
    /// checked by the hub itself.
    Device,
}

/// What a route does; one handler each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    SubmitSms,
    GetSms,
    Inbox,
    Modems,
    Events,
    Metrics,
    Health,
}

/// One row of the route table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    pub verb: Verb,
    /// In axum's (and OpenAPI's) template syntax: `/v1/sms/{id}`.
    pub path: &'static str,
    pub access: Access,
    pub endpoint: Endpoint,
}

/// Everything the API serves.
pub const ROUTES: &[Route] = &[
    Route {
        verb: Verb::Post,
        path: "/v1/sms",
        access: Access::Admin,
        endpoint: Endpoint::SubmitSms,
    },
    Route {
        verb: Verb::Get,
        path: "/v1/sms/{id}",
        access: Access::Admin,
        endpoint: Endpoint::GetSms,
    },
    Route { verb: Verb::Get, path: "/v1/inbox", access: Access::Admin, endpoint: Endpoint::Inbox },
    Route {
        verb: Verb::Get,
        path: "/v1/modems",
        access: Access::Admin,
        endpoint: Endpoint::Modems,
    },
    Route {
        verb: Verb::Get,
        path: "/v1/events",
        access: Access::Admin,
        endpoint: Endpoint::Events,
    },
    Route { verb: Verb::Get, path: "/metrics", access: Access::Admin, endpoint: Endpoint::Metrics },
    Route { verb: Verb::Get, path: "/healthz", access: Access::Public, endpoint: Endpoint::Health },
];

/// What every handler gets.
#[derive(Clone)]
pub(crate) struct AppState {
    pub gw: Arc<dyn Gateway>,
    pub cfg: Arc<ApiConfig>,
    pub token: Arc<AdminToken>,
    pub metrics: Arc<Metrics>,
    /// Counters of the extension, appended to `/metrics`.
    pub extra_metrics: Option<Arc<dyn crate::MetricsSource>>,
    /// Cancelled when the server stops; WebSocket streams end with it.
    pub shutdown: CancellationToken,
}

/// The whole API as a router.
pub(crate) fn app(
    gw: Arc<dyn Gateway>,
    cfg: ApiConfig,
    shutdown: CancellationToken,
    metrics: Arc<Metrics>,
    extension: crate::Extension,
) -> Router {
    let max_body = cfg.max_body_bytes;
    let state = AppState {
        gw,
        token: Arc::new(AdminToken::new(&cfg.admin_token)),
        cfg: Arc::new(cfg),
        metrics: metrics.clone(),
        extra_metrics: extension.metrics,
        shutdown,
    };
    let mut router = Router::new();
    for route in ROUTES {
        let mut handler = method_router(route);
        if route.access == Access::Admin {
            handler = handler.route_layer(middleware::from_fn_with_state(
                state.token.clone(),
                crate::auth::require_admin,
            ));
        }
        router = router.route(route.path, handler);
    }
    router
        .with_state(state)
        .merge(extension.router)
        .fallback(|| async { ApiError::not_found("no such route") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(ErrorCode::MethodNotAllowed, "method not allowed on this route")
        })
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(metrics, crate::metrics::track))
}

fn method_router(route: &Route) -> MethodRouter<AppState> {
    let filter = route.verb.filter();
    match route.endpoint {
        Endpoint::SubmitSms => on(filter, sms::submit),
        Endpoint::GetSms => on(filter, sms::show),
        Endpoint::Inbox => on(filter, inbox::list),
        Endpoint::Modems => on(filter, modems::list),
        Endpoint::Events => on(filter, events::subscribe),
        Endpoint::Metrics => on(filter, metrics::render),
        Endpoint::Health => on(filter, health::check),
    }
}
