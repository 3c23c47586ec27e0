//! `WS /v1/stream`: a device's queue, pushed. Every queued envelope goes
//! out first, then each new one as it is committed, each as a text frame
//! `{"type": "envelope", "envelope": {…}}`. The device acks with
//! `{"type": "ack", "ids": [...]}` and is answered `{"type": "acked",
//! "deleted": n}`.
//!
//! The subscription to wake-ups is taken before the upgrade, so nothing
//! committed after the `101` is missed. On each wake-up the stream reads
//! the queue from its start and sends what it has not sent on this
//! connection: envelopes of concurrent sends may commit out of id order,
//! so a cursor alone could skip one. What it sent and was not acked stays
//! queued; a reconnect sends it again.
//!
//! Envelopes that another node queued (PostgreSQL) wake the stream too:
//! the hub's relay (`notify.rs`, started by [`crate::Hub::start`]) passes
//! on the store's LISTEN/NOTIFY wake-ups.
//!
//! The stream closes with 1001 at shutdown, 1008 when the device is
//! revoked, and 1011 when the store fails. Every minute it pings; every
//! ten it records the device as seen (an open stream is an active
//! device). On PostgreSQL the minute tick also re-reads the queue: the
//! safety net for when the relay's listening connection is down (notices
//! sent meanwhile are lost), or the relay is not running.

use std::collections::HashSet;
use std::time::Duration;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use bubblegate_api::{ApiError, ErrorCode};
use bubblegate_proto::wire::StreamFrame;
use bubblegate_store::Backend;

use super::envelopes::ack_ids;
use super::HubState;
use crate::auth::{touch, Device};
use crate::envelope::wire;
use crate::notify::Subscription;
use crate::Inner;

const GOING_AWAY: u16 = 1001;
const POLICY: u16 = 1008;
const INTERNAL: u16 = 1011;
/// Envelopes read per page.
const PAGE: u32 = 200;
const TICK: Duration = Duration::from_secs(60);
/// Ticks between records of the device as seen.
const TOUCH_TICKS: u32 = 10;

pub(super) async fn open(
    State(state): State<HubState>,
    device: Device,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    let upgrade = upgrade.map_err(|_| {
        ApiError::new(
            ErrorCode::InvalidRequest,
            "this route is a WebSocket: send an Upgrade: websocket request",
        )
    })?;
    let subscription = state.hub.inner.notifier.subscribe(device.id());
    let span = tracing::debug_span!("stream", device = %device.id());
    Ok(upgrade.on_upgrade(move |socket| {
        tracing::Instrument::instrument(run(socket, state, device, subscription), span)
    }))
}

/// Why a stream ended.
enum End {
    Closed,
    Close(u16, &'static str),
}

async fn run(mut socket: WebSocket, state: HubState, device: Device, mut sub: Subscription) {
    let inner = &state.hub.inner;
    let _client = inner.metrics.stream_client();
    tracing::debug!("device stream opened");
    let mut sent = HashSet::new();
    let mut dirty = true;
    let mut ticks = 0u32;
    let multi_node = inner.store.backend() == Backend::Postgres;
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + TICK, TICK);
    let end = loop {
        if dirty {
            dirty = false;
            if let Err(end) = push(&mut socket, inner, device.id(), &mut sent).await {
                break end;
            }
        }
        tokio::select! {
            () = state.shutdown.cancelled() => break End::Close(GOING_AWAY, "server shutting down"),
            changed = sub.rx.changed() => {
                if changed.is_err() || sub.rx.borrow_and_update().revoked {
                    break End::Close(POLICY, "device revoked");
                }
                dirty = true;
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    if let Err(end) = frame(&mut socket, inner, device.id(), &text, &mut sent).await {
                        break end;
                    }
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => break End::Closed,
                // Pings are answered by the library; binary has no meaning.
                Some(Ok(_)) => {}
            },
            _ = tick.tick() => {
                ticks = ticks.wrapping_add(1);
                if ticks % TOUCH_TICKS == 0 {
                    touch(inner, device.id()).await;
                }
                // The safety re-read: see the module doc.
                dirty = multi_node;
                if socket.send(Message::Ping(Vec::new().into())).await.is_err() {
                    break End::Closed;
                }
            }
        }
    };
    if let End::Close(code, reason) = end {
        let frame = CloseFrame { code, reason: reason.into() };
        let _ = socket.send(Message::Close(Some(frame))).await;
    }
    tracing::debug!("device stream closed");
}

/// Sends every queued envelope not yet sent on this connection.
async fn push(
    socket: &mut WebSocket,
    inner: &Inner,
    device: &str,
    sent: &mut HashSet<String>,
) -> Result<(), End> {
    let network = inner.store.network();
    let now = inner.clock.now();
    let mut queued = HashSet::new();
    let mut after: Option<String> = None;
    loop {
        let page = match &after {
            None => network.envelopes_for(device, PAGE, now).await,
            Some(id) => network.envelopes_after(device, id, PAGE, now).await,
        };
        let page = page.map_err(|err| {
            tracing::warn!(%err, "cannot read a device's queue; closing its stream");
            End::Close(INTERNAL, "cannot read the queue")
        })?;
        for record in &page {
            queued.insert(record.id.clone());
            if sent.contains(&record.id) {
                continue;
            }
            let envelope = match wire(record) {
                Ok(e) => e,
                Err(err) => {
                    tracing::error!(%err, "a queued envelope cannot be handed out");
                    continue;
                }
            };
            send(socket, &StreamFrame::Envelope { envelope }).await?;
            sent.insert(record.id.clone());
        }
        if page.len() < PAGE as usize {
            break;
        }
        after = page.last().map(|r| r.id.clone());
    }
    // Forget what is gone (acked elsewhere, expired).
    sent.retain(|id| queued.contains(id));
    Ok(())
}

async fn frame(
    socket: &mut WebSocket,
    inner: &Inner,
    device: &str,
    text: &str,
    sent: &mut HashSet<String>,
) -> Result<(), End> {
    match serde_json::from_str::<StreamFrame>(text) {
        Ok(StreamFrame::Ack { ids }) => {
            let deleted = match ack_ids(inner, device, &ids).await {
                Ok(n) => n,
                Err(e) if e.code() == ErrorCode::InvalidRequest => {
                    return Err(End::Close(POLICY, "too many ids in one ack"));
                }
                Err(_) => return Err(End::Close(INTERNAL, "cannot record the ack")),
            };
            for id in &ids {
                sent.remove(id);
            }
            send(socket, &StreamFrame::Acked { deleted }).await
        }
        Ok(_) | Err(_) => {
            tracing::debug!("a device sent a frame that is not an ack; ignored");
            Ok(())
        }
    }
}

async fn send(socket: &mut WebSocket, frame: &StreamFrame) -> Result<(), End> {
    let text = serde_json::to_string(frame).map_err(|_| End::Close(INTERNAL, "encoding"))?;
    socket.send(Message::Text(text.into())).await.map_err(|_| End::Closed)
}
