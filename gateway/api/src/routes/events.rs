//! `WS /v1/events`: a WebSocket that carries every [`GatewayEvent`] as one
//! JSON text message. The subscription is taken before the upgrade, so an
//! event that happens right after the `101` is not lost; a client that
//! falls behind the broadcast buffer gets a `lagged` event with the count
//! it missed instead of stalling the others. Streams end with a close
//! frame when the server shuts down or the gateway's channel closes.

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::broadcast::Receiver;

use super::AppState;
use crate::error::ApiError;
use crate::types::GatewayEvent;

/// Close code 1001 "going away", sent at shutdown.
const GOING_AWAY: u16 = 1001;

pub(super) async fn subscribe(
    State(state): State<AppState>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    let upgrade = upgrade.map_err(|_| {
        ApiError::new(
            crate::ErrorCode::InvalidRequest,
            "this route is a WebSocket: send an Upgrade: websocket request",
        )
    })?;
    let events = state.gw.events();
    Ok(upgrade.on_upgrade(move |socket| stream(socket, events, state)))
}

async fn stream(mut socket: WebSocket, mut events: Receiver<GatewayEvent>, state: AppState) {
    let _client = state.metrics.ws_client();
    tracing::debug!("event stream opened");
    loop {
        let event = tokio::select! {
            () = state.shutdown.cancelled() => {
                let frame = CloseFrame { code: GOING_AWAY, reason: "server shutting down".into() };
                let _ = socket.send(Message::Close(Some(frame))).await;
                break;
            }
            incoming = socket.recv() => match incoming {
                // Pings are answered by the library; text from the client
                // has no meaning and is ignored.
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => continue,
            },
            event = events.recv() => match event {
                Ok(event) => event,
                Err(RecvError::Lagged(missed)) => GatewayEvent::Lagged { missed },
                Err(RecvError::Closed) => {
                    let _ = socket.send(Message::Close(None)).await;
                    break;
                }
            },
        };
        let text = match serde_json::to_string(&event) {
            Ok(text) => text,
            Err(e) => {
                tracing::error!(error = %e, "cannot serialize an event");
                continue;
            }
        };
        state.metrics.event_sent(event.kind());
        if socket.send(Message::Text(text.into())).await.is_err() {
            break;
        }
    }
    tracing::debug!("event stream closed");
}
