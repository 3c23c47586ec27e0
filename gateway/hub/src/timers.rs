//! The hub's two timers. Neither polls: each sleeps on the hub's
//! [`crate::Clock`] until the store's next due time, or until a send
//! wakes it, or until it is cancelled.
//!
//! - Fallbacks: a due fallback is queued as SMS with the outbox key
//!   `fallback:<send id>:<handle>`, then finished in the store (its row
//!   and the recipient's unacked envelopes of the send go), then the
//!   sender's devices get `status: sent_as_sms`, naming the send's client
//!   message id as its send record keeps it. A crash between the first
//!   two steps finds the row again and queues nothing twice. A fallback
//!   the SMS policy refuses for good is dropped (its row only: its
//!   envelopes may still be acked, or expire); one that cannot be queued
//!   now is tried again a minute later. A deregistration makes the
//!   handle's fallbacks due at once and wakes this timer (on every node,
//!   through the store's wake-ups and `notify::relay`), so they go out by
//!   this same durable path. A wake-up makes the timer look at once, even
//!   during the minute it waits after a failed try.
//! - Expiry: envelopes past `expires_at` are deleted, acked or not; once
//!   an hour, expired codes, old budget days and sends nothing refers to
//!   any more go too.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bubblegate_proto::{StatusKind, E164};
use bubblegate_store::FallbackRecord;
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;

use crate::clock::utc_day;
use crate::deregister::{fallback_key, tell_sender};
use crate::sms::SmsError;
use crate::Inner;

/// The wait before a fallback that could not be queued is tried again.
const RETRY: Duration = Duration::from_secs(60);
/// How often the expiry timer does its housekeeping.
const HOUSEKEEPING: Duration = Duration::from_secs(3600);
/// Fallbacks read per turn.
const BATCH: u32 = 100;
/// The longest the fallback timer waits for the relay to listen before
/// its first look (real time: this is start-up, not a hub decision).
const RELAY_BOUND: Duration = Duration::from_secs(10);

/// What became of one due fallback.
enum Fired {
    /// Sent and finished, dropped, or gone already.
    Done,
    /// Not queued or not finished now: the row stays, to try again.
    Later,
}

pub(crate) async fn fallbacks(
    inner: Arc<Inner>,
    token: CancellationToken,
    relay_listens: oneshot::Receiver<()>,
) {
    // Look first once the relay hears other nodes (or has failed to, or
    // after a bound): a deregistration elsewhere after that wakes this
    // timer, and one before it is seen by the first look.
    tokio::select! {
        () = token.cancelled() => return,
        _ = tokio::time::timeout(RELAY_BOUND, relay_listens) => {}
    }
    loop {
        let now = inner.clock.now();
        let network = inner.store.network();
        let mut retry = false;
        let mut full = false;
        match network.due_fallbacks(now, BATCH).await {
            Ok(due) => {
                full = due.len() == BATCH as usize;
                for f in due {
                    if token.is_cancelled() {
                        return;
                    }
                    match fire(&inner, &f).await {
                        Fired::Done => {}
                        Fired::Later => retry = true,
                    }
                }
            }
            Err(err) => {
                tracing::warn!(%err, "cannot read due fallbacks");
                retry = true;
            }
        }
        let next = network.next_fallback_due().await.unwrap_or_else(|err| {
            tracing::warn!(%err, "cannot read the next fallback time");
            Some(now + RETRY)
        });
        let deadline = match next {
            // More due than one batch, all handled: go on at once.
            Some(t) if t <= now && full && !retry => continue,
            // Still due: ones that failed, or one that fell due while
            // this turn ran. Look again later (a wake-up comes sooner).
            Some(t) if t <= now => Some(now + RETRY),
            other => other,
        };
        let deadline = if retry {
            Some(deadline.map_or(now + RETRY, |d| d.min(now + RETRY)))
        } else {
            deadline
        };
        tokio::select! {
            () = token.cancelled() => return,
            () = inner.fallback_wake.notified() => {}
            () = sleep_until(&inner, deadline) => {}
        }
    }
}

async fn sleep_until(inner: &Inner, deadline: Option<SystemTime>) {
    match deadline {
        Some(t) => inner.clock.sleep_until(t).await,
        None => std::future::pending().await,
    }
}

async fn fire(inner: &Inner, f: &FallbackRecord) -> Fired {
    let Ok(handle) = E164::parse(&f.recipient_handle, None) else {
        tracing::error!(send = %f.send_id, "a fallback's handle does not parse; dropped");
        return drop_refused(inner, f).await;
    };
    let key = fallback_key(&f.send_id, handle.as_str());
    match inner.sms.send_sms(&handle, &f.text, Some(key), false).await {
        Ok(_) => {}
        Err(SmsError::Refused(why)) => {
            // The reason may name a number prefix: trace only.
            tracing::warn!(send = %f.send_id, "a fallback SMS is refused by the SMS policy; dropped");
            tracing::trace!(%why, send = %f.send_id, "fallback refusal");
            return drop_refused(inner, f).await;
        }
        Err(SmsError::Unavailable(why)) => {
            tracing::info!(%why, send = %f.send_id, "a fallback SMS cannot be queued yet");
            return Fired::Later;
        }
    }
    match inner.store.network().finish_fallback(&f.send_id, handle.as_str()).await {
        Ok(Some(finished)) => {
            inner.metrics.fallback_sent();
            inner.metrics.cancelled(finished.deleted_envelopes);
            tracing::info!(send = %f.send_id, "fallback sent as SMS");
            tell_sender(
                inner,
                &f.sender_device,
                &f.client_message_id,
                &handle,
                StatusKind::SentAsSms,
            )
            .await;
            Fired::Done
        }
        // A device acked, or another node finished it: the SMS went out
        // anyway (its key kept it single), the price of never losing one.
        Ok(None) => Fired::Done,
        Err(err) => {
            tracing::warn!(%err, send = %f.send_id, "cannot finish a fallback; trying again");
            Fired::Later
        }
    }
}

/// Ends a fallback that can never go out: its row goes, its envelopes
/// stay (undelivered, they expire as any other).
async fn drop_refused(inner: &Inner, f: &FallbackRecord) -> Fired {
    match inner.store.network().drop_fallback(&f.send_id, &f.recipient_handle).await {
        Ok(dropped) => {
            if dropped {
                inner.metrics.fallback_refused();
            }
            Fired::Done
        }
        Err(err) => {
            tracing::warn!(%err, send = %f.send_id, "cannot drop a refused fallback; trying again");
            Fired::Later
        }
    }
}

pub(crate) async fn expiry(inner: Arc<Inner>, token: CancellationToken) {
    let mut next: Option<SystemTime> = Some(UNIX_EPOCH);
    let mut housekeeping_at = UNIX_EPOCH;
    loop {
        let now = inner.clock.now();
        if next.is_some_and(|t| t <= now) {
            let network = inner.store.network();
            match network.expire(now).await {
                Ok(n) => {
                    inner.metrics.expired(n);
                    if n > 0 {
                        tracing::info!(envelopes = n, "envelopes expired");
                    }
                }
                Err(err) => tracing::warn!(%err, "cannot expire envelopes"),
            }
            next = match network.next_expiry().await {
                Ok(t) => t,
                Err(err) => {
                    tracing::warn!(%err, "cannot read the next expiry");
                    Some(now + RETRY)
                }
            };
        }
        if housekeeping_at <= now {
            housekeeping(&inner, now).await;
            housekeeping_at = now + HOUSEKEEPING;
        }
        let deadline = next.map_or(housekeeping_at, |t| t.min(housekeeping_at));
        tokio::select! {
            () = token.cancelled() => return,
            () = inner.expiry_wake.notified() => {
                // New envelopes expire a retention from now, never before
                // the earliest queued one: only an empty queue changes.
                if next.is_none() {
                    next = Some(inner.clock.now() + inner.config.retention);
                }
            }
            () = inner.clock.sleep_until(deadline) => {}
        }
    }
}

async fn housekeeping(inner: &Inner, now: SystemTime) {
    let network = inner.store.network();
    if let Err(err) = network.purge_codes(now).await {
        tracing::warn!(%err, "cannot purge expired codes");
    }
    let (yesterday, _) = utc_day(now.checked_sub(Duration::from_secs(86_400)).unwrap_or(now));
    if let Err(err) = network.purge_budget(yesterday).await {
        tracing::warn!(%err, "cannot purge old budget days");
    }
    // A repeat of a send older than this is taken as new: keep sends well
    // past the retention of their envelopes.
    let cutoff = now.checked_sub(inner.config.retention * 2).unwrap_or(UNIX_EPOCH);
    match network.purge_sends(cutoff).await {
        Ok(n) if n > 0 => tracing::debug!(sends = n, "old sends purged"),
        Ok(_) => {}
        Err(err) => tracing::warn!(%err, "cannot purge old sends"),
    }
}
