//! Time-driven store work: queued parts whose validity ran out become
//! `expired`, and concatenated inbound messages still missing parts after
//! the reassembly timeout are released incomplete. The task sleeps until
//! the store's next due time (or a wake-up after an enqueue, which may
//! bring an earlier one), bounded by an hour.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bubblegate_api::{GatewayEvent, Timestamp};
use bubblegate_store::Wakeups;
use tokio_util::sync::CancellationToken;

use crate::daemon::Inner;
use crate::mapping::{self, message_status, part_state};

const BOUND: Duration = Duration::from_secs(3600);

pub(crate) async fn run(inner: Arc<Inner>, mut wakeups: Wakeups, token: CancellationToken) {
    let mut due_now = true;
    loop {
        let now = SystemTime::now();
        if due_now {
            expire(&inner, now).await;
        }
        let due = inner.store.next_due(now).await.ok().flatten();
        let wait = due
            .and_then(|d| d.duration_since(now).ok())
            .unwrap_or(BOUND)
            .min(BOUND)
            .min(inner.inbox.reassembly_timeout / 4)
            // Never spin: a due time in the past is handled on the next turn.
            .max(Duration::from_millis(500));
        // A wake-up (an enqueue) only recomputes the next due time.
        tokio::select! {
            () = token.cancelled() => return,
            _ = wakeups.wait() => due_now = false,
            () = tokio::time::sleep(wait) => due_now = true,
        }
    }
}

async fn expire(inner: &Inner, now: SystemTime) {
    match inner.store.expire_due(now).await {
        Ok(expired) => {
            if !expired.is_empty() {
                tracing::info!(parts = expired.len(), "parts expired unsent");
            }
            for t in expired {
                inner.publish(GatewayEvent::MessageStatus {
                    id: t.message.to_string(),
                    status: message_status(t.status),
                    part: Some(u32::from(t.seq)),
                    part_state: Some(part_state(t.part_state)),
                    at: Timestamp::now(),
                });
            }
        }
        Err(err) => tracing::warn!(%err, "cannot expire parts"),
    }
    match inner.store.expire_incomplete(now, inner.inbox.reassembly_timeout).await {
        Ok(released) => {
            for message in released {
                tracing::info!(
                    missing = message.missing.len(),
                    "inbound message released incomplete"
                );
                crate::network::forward(inner, &message).await;
                let to = inner.number_of(&message.modem.0);
                inner.publish(GatewayEvent::Inbound { message: mapping::inbound(message, to) });
            }
        }
        Err(err) => tracing::warn!(%err, "cannot release incomplete inbound messages"),
    }
}
