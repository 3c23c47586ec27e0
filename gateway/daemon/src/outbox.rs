//! One modem's outbox worker: claims parts for its SIM while the modem is
//! ready and within its limits, sends each through the modem's actor, and
//! commits the outcome.
//!
//! Nothing polls. With no work the worker sleeps until the store wakes it
//! (an enqueue, a retry, a recovery), until the next part falls due
//! (`send_after`, a retry's backoff), until the modem's state changes or
//! its limits allow more, or until a long idle bound passes.
//!
//! Each side effect follows a committed state: the claim commits the part
//! as `submitting` before the PDU goes to the modem; the outcome (`submitted`
//! with its TP-MR, a retry, a failure, or back to `queued` when unknown) is
//! committed before the next claim. A commit that fails is retried a few
//! times; if it still fails the part stays `submitting` and is sent again
//! after the next start (the at-least-once window).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bubblegate_api::{GatewayEvent, Timestamp};
use bubblegate_at::ErrorClass as AtClass;
use bubblegate_modem::{OutgoingPart, SendError as ModemError, SendOutcome};
use bubblegate_store::{ClaimedPart, Claimer, ErrorClass, SendError, Transition, Wakeups};
use tokio_util::sync::CancellationToken;

use crate::compose::stored_submit;
use crate::daemon::Inner;
use crate::mapping::{message_status, part_state};
use crate::pool::{Capacity, PoolModem, Route};

/// The longest a worker sleeps with nothing to do before it looks again.
/// Wake-ups make this a safety net, not a polling interval.
const IDLE_BOUND: Duration = Duration::from_secs(600);
/// Tries of one outcome commit before the part is left to crash recovery.
const COMMIT_TRIES: u32 = 5;
/// How long a worker that handed a part back waits before claiming again.
const HAND_BACK_PAUSE: Duration = Duration::from_millis(250);

/// Runs until `token` is cancelled; finishes the part in hand first.
pub(crate) async fn run(
    inner: Arc<Inner>,
    modem: Arc<PoolModem>,
    mut wakeups: Wakeups,
    token: CancellationToken,
) {
    let claimer = Claimer {
        node: inner.node.clone(),
        modem: bubblegate_store::ModemId(modem.id.to_string()),
        sim: modem.sim.clone(),
    };
    let mut status = modem.handle.watch_status();
    let mut store_failures = 0u32;
    loop {
        if token.is_cancelled() {
            return;
        }
        if !modem.is_ready() {
            tokio::select! {
                () = token.cancelled() => return,
                changed = status.changed() => if changed.is_err() { return },
                () = tokio::time::sleep(IDLE_BOUND) => {}
            }
            continue;
        }
        let now = SystemTime::now();
        if let Capacity::At(when) = modem.capacity(now) {
            let wait = when.duration_since(now).unwrap_or(Duration::ZERO).min(IDLE_BOUND);
            tracing::debug!(?wait, "at the SIM's rate limit or quota; waiting");
            tokio::select! {
                () = token.cancelled() => return,
                () = tokio::time::sleep(wait) => {}
            }
            continue;
        }
        match inner.store.claim_next_part(&claimer, now).await {
            Ok(Some(part)) => {
                store_failures = 0;
                if handle(&inner, &modem, part).await == Handled::HandedBack {
                    // Give the preferred modem a head start on the part.
                    tokio::select! {
                        () = token.cancelled() => return,
                        () = tokio::time::sleep(HAND_BACK_PAUSE) => {}
                    }
                }
            }
            Ok(None) => {
                store_failures = 0;
                let due = inner.store.next_due(now).await.ok().flatten();
                let wait = due
                    .and_then(|d| d.duration_since(now).ok())
                    .unwrap_or(IDLE_BOUND)
                    .min(IDLE_BOUND);
                tokio::select! {
                    () = token.cancelled() => return,
                    woke = wakeups.wait() => if let Err(err) = woke {
                        tracing::warn!(%err, "outbox wake-ups failed; relying on timers");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    },
                    () = modem.wake.notified() => {}
                    changed = status.changed() => if changed.is_err() { return },
                    () = tokio::time::sleep(wait) => {}
                }
            }
            Err(err) => {
                store_failures = store_failures.saturating_add(1);
                let wait = Duration::from_millis(200 << store_failures.min(7));
                tracing::warn!(%err, ?wait, "cannot claim from the outbox");
                tokio::select! {
                    () = token.cancelled() => return,
                    () = tokio::time::sleep(wait) => {}
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Handled {
    Done,
    HandedBack,
}

/// Sends one claimed part and commits its outcome.
async fn handle(inner: &Inner, modem: &PoolModem, part: ClaimedPart) -> Handled {
    tracing::debug!(message = %part.message, seq = part.seq, total = part.total, attempt = part.attempt, "claimed a part");
    tracing::trace!(to = %part.destination, "part is for");
    let now = SystemTime::now();
    if part.seq == 1 {
        if let Route::HandTo(target) =
            inner.pool.route(part.part_id(), &part.destination, &modem.id, now)
        {
            tracing::debug!(%target, "handing the part to the recipient's preferred modem");
            let error =
                SendError { code: format!("rerouted-to-{target}"), class: ErrorClass::Temporary };
            let result = commit(|| inner.store.mark_retry(&part, &error, now, now)).await;
            if let Some(m) = inner.pool.get(&target) {
                m.wake.notify_one();
            }
            publish(inner, &part, result);
            return Handled::HandedBack;
        }
    }
    let submit = match stored_submit(&part.pdu_hex) {
        Ok(submit) => submit,
        Err(reason) => {
            tracing::error!(%reason, "a stored part cannot be sent; failing it");
            let error = SendError { code: "bad-pdu".into(), class: ErrorClass::Permanent };
            let result = commit(|| inner.store.mark_failed(&part, &error, now)).await;
            publish(inner, &part, result);
            return Handled::Done;
        }
    };
    let outcome = {
        let _busy = modem.busy();
        modem.take(now);
        let request = OutgoingPart { submit, more_to_follow: part.seq < part.total };
        modem.handle.send(request).await
    };
    let now = SystemTime::now();
    let result = match outcome {
        SendOutcome::Sent { mr } => {
            let result = commit(|| inner.store.mark_submitted(&part, mr, now)).await;
            inner.pool.remember(&part.destination, &modem.id);
            match inner.store.add_usage(&modem.sim, crate::clock::utc_day(now), 1).await {
                Ok(usage) => modem.set_usage(now, usage),
                Err(err) => tracing::warn!(%err, "cannot count the segment against the quota"),
            }
            result
        }
        SendOutcome::Failed { error, class } => {
            let code = error_code(&error);
            let nothing_sent = matches!(
                error,
                ModemError::NotReady(_)
                    | ModemError::NotRunning
                    | ModemError::NoPrompt
                    | ModemError::Interrupted(_)
            );
            let last = part.attempt >= inner.outbox.max_attempts;
            if class == AtClass::Permanent || last {
                tracing::warn!(%code, attempt = part.attempt, "part failed");
                let error = SendError { code, class: store_class(class) };
                commit(|| inner.store.mark_failed(&part, &error, now)).await
            } else {
                // A part the modem never took may go to another modem at
                // once; one the network refused waits its backoff.
                let next = if nothing_sent { now } else { now + backoff(inner, part.attempt) };
                tracing::info!(%code, attempt = part.attempt, "part will be retried");
                let error = SendError { code, class: ErrorClass::Temporary };
                commit(|| inner.store.mark_retry(&part, &error, next, now)).await
            }
        }
        SendOutcome::Unknown { reason } => {
            tracing::warn!(%reason, "part outcome unknown; queued again (at least once)");
            if part.attempt >= inner.outbox.max_attempts {
                let error =
                    SendError { code: "outcome-unknown".into(), class: ErrorClass::Unknown };
                commit(|| inner.store.mark_failed(&part, &error, now)).await
            } else {
                commit(|| inner.store.mark_unknown(&part, now)).await
            }
        }
    };
    publish(inner, &part, result);
    Handled::Done
}

/// Retries a commit on a busy or unreachable database, a bounded number
/// of times.
async fn commit<F, Fut>(mut op: F) -> Option<Transition>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bubblegate_store::Result<Transition>>,
{
    for attempt in 1..=COMMIT_TRIES {
        match op().await {
            Ok(t) => return Some(t),
            Err(bubblegate_store::Error::ClaimLost { part }) => {
                tracing::warn!(%part, "the claim was taken away; the part is someone else's now");
                return None;
            }
            Err(
                err @ (bubblegate_store::Error::Busy(_) | bubblegate_store::Error::Unavailable(_)),
            ) if attempt < COMMIT_TRIES => {
                tracing::warn!(%err, attempt, "cannot commit a part's outcome yet; retrying");
                tokio::time::sleep(Duration::from_millis(250 << attempt)).await;
            }
            Err(err) => {
                tracing::error!(
                    %err,
                    "cannot commit a part's outcome; it stays submitting until the next start"
                );
                return None;
            }
        }
    }
    None
}

fn publish(inner: &Inner, part: &ClaimedPart, t: Option<Transition>) {
    let Some(t) = t else { return };
    inner.publish(GatewayEvent::MessageStatus {
        id: part.message.to_string(),
        status: message_status(t.status),
        part: Some(u32::from(t.seq)),
        part_state: Some(part_state(t.part_state)),
        at: Timestamp::now(),
    });
}

fn backoff(inner: &Inner, attempt: u32) -> Duration {
    let factor = 1u32.checked_shl(attempt.saturating_sub(1).min(20)).unwrap_or(u32::MAX);
    inner.outbox.retry_backoff.saturating_mul(factor).min(inner.outbox.retry_max)
}

fn store_class(class: AtClass) -> ErrorClass {
    match class {
        AtClass::Temporary => ErrorClass::Temporary,
        AtClass::Permanent => ErrorClass::Permanent,
    }
}

/// A stable name for an error, for the part's history: never a number or
/// a body.
fn error_code(error: &ModemError) -> String {
    match error {
        ModemError::Cms(e) => e.code().map_or_else(|| "cms".to_owned(), |c| format!("cms-{c}")),
        ModemError::Cme(e) => e.code().map_or_else(|| "cme".to_owned(), |c| format!("cme-{c}")),
        ModemError::Rejected(_) => "rejected".to_owned(),
        ModemError::NotReady(_) => "modem-not-ready".to_owned(),
        ModemError::NoPrompt => "no-prompt".to_owned(),
        ModemError::Interrupted(_) => "interrupted".to_owned(),
        ModemError::Invalid(_) => "invalid-part".to_owned(),
        ModemError::NotRunning => "modem-not-running".to_owned(),
    }
}

/// The part's row id, for routing's hand-back memory.
trait PartKey {
    fn part_id(&self) -> i64;
}

impl PartKey for ClaimedPart {
    fn part_id(&self) -> i64 {
        // PartId prints as its row id.
        self.part.to_string().parse().unwrap_or(0)
    }
}
