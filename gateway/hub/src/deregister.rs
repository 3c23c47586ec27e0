//! Deregistration and what it re-routes: every device of the handle is
//! revoked (its streams close), and each queued envelope to them is
//! resolved, as the store decided in the deregistering transaction. Where
//! the envelope's send kept SMS fallback text for this handle, the row
//! stays and is due now: this wakes the fallback timer, which sends it
//! (outbox key, finish, then `sent_as_sms` to the sender) as it sends any
//! due fallback, so a crash loses none. Otherwise the sender's devices
//! get one `status: unregistered` per send. From then on the handle has
//! no device and routes green.

use std::time::UNIX_EPOCH;

use bubblegate_proto::{Content, StatusKind, E164};

use crate::envelope::queue_from_hub;
use crate::error::HubError;
use crate::Inner;

/// Whether `handle` has a device that is not revoked.
pub(crate) async fn registered(inner: &Inner, handle: &E164) -> Result<bool, HubError> {
    let devices = inner.store.network().active_devices(handle.as_str(), UNIX_EPOCH).await?;
    Ok(!devices.is_empty())
}

/// The outbox key of a send's fallback for one recipient.
pub(crate) fn fallback_key(send_id: &str, handle: &str) -> String {
    format!("fallback:{send_id}:{handle}")
}

/// Deregisters `handle`; returns how many devices were revoked.
pub(crate) async fn deregister(inner: &Inner, handle: &E164) -> Result<u64, HubError> {
    let now = inner.clock.now();
    let done = inner.store.network().deregister(handle.as_str(), now).await?;
    for id in &done.revoked {
        inner.notifier.revoke(id);
    }
    inner.metrics.cancelled(done.envelopes.len() as u64);
    tracing::info!(
        devices = done.revoked.len(),
        envelopes = done.envelopes.len(),
        fallbacks = done.fallbacks.len(),
        unregistered = done.unregistered.len(),
        "handle deregistered"
    );
    tracing::trace!(%handle, "deregistered");
    if !done.fallbacks.is_empty() {
        // Due now: the timer sends them, durably.
        inner.fallback_wake.notify_one();
    }
    for send in &done.unregistered {
        tell_sender(
            inner,
            &send.sender_device,
            &send.client_message_id,
            handle,
            StatusKind::Unregistered,
        )
        .await;
    }
    Ok(done.revoked.len() as u64)
}

/// Queues a `status` envelope for every device of the handle of
/// `sender_device` (unless that handle is `recipient` itself, whose
/// devices are gone). Failures are logged.
pub(crate) async fn tell_sender(
    inner: &Inner,
    sender_device: &str,
    client_message_id: &str,
    recipient: &E164,
    status: StatusKind,
) {
    let network = inner.store.network();
    let result = async {
        let Some(sender) = network.device(sender_device).await? else { return Ok(0) };
        if sender.handle == recipient.as_str() {
            return Ok(0);
        }
        let devices = network.active_devices(&sender.handle, UNIX_EPOCH).await?;
        let content = Content::Status {
            client_message_id: client_message_id.to_owned(),
            recipient: recipient.as_str().to_owned(),
            status,
        };
        queue_from_hub(inner, &devices, &content).await
    }
    .await;
    match result {
        Ok(n) => tracing::debug!(devices = n, ?status, "sender told"),
        Err::<_, HubError>(err) => tracing::warn!(%err, ?status, "cannot tell a sender"),
    }
}
