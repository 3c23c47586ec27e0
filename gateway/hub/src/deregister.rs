//! Deregistration and what it re-routes: every device of the handle is
//! revoked (its streams close), and each queued envelope to them is
//! resolved. Where the envelope's send kept SMS fallback text for this
//! handle, that text goes out now (with the same outbox key the fallback
//! timer would use) and the sender is told `sent_as_sms`; otherwise the
//! sender's devices get one `status: unregistered` per send. From then
//! on the handle has no device and routes green.

use std::collections::{BTreeMap, BTreeSet};
use std::time::UNIX_EPOCH;

use bubblegate_proto::{Content, StatusKind, E164};
use bubblegate_store::EnvelopeRecord;

use crate::envelope::{queue_from_hub, wire};
use crate::error::HubError;
use crate::sms::SmsError;
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
        "handle deregistered"
    );
    tracing::trace!(%handle, "deregistered");

    // One envelope per send is enough to know its client message id.
    let mut by_send: BTreeMap<&str, &EnvelopeRecord> = BTreeMap::new();
    for e in &done.envelopes {
        if let (Some(send), Some(_)) = (&e.send_id, &e.sender_device) {
            by_send.entry(send.as_str()).or_insert(e);
        }
    }
    let mut resolved = BTreeSet::new();
    for f in &done.fallbacks {
        let key = fallback_key(&f.send_id, handle.as_str());
        match inner.sms.send_sms(handle, &f.text, Some(key), false).await {
            Ok(_) => {
                inner.metrics.fallback_sent();
                resolved.insert(f.send_id.as_str());
                let cmid = by_send.get(f.send_id.as_str()).and_then(|e| wire(e).ok());
                match cmid {
                    Some(envelope) => {
                        tell_sender(
                            inner,
                            &f.sender_device,
                            &envelope.client_message_id,
                            handle,
                            StatusKind::SentAsSms,
                        )
                        .await;
                    }
                    None => tracing::debug!(send = %f.send_id, "no envelope left to name the send"),
                }
            }
            // The row is gone: tell the sender the number left instead.
            Err(SmsError::Refused(why) | SmsError::Unavailable(why)) => {
                tracing::warn!(%why, send = %f.send_id, "a fallback of a deregistered number could not be queued");
            }
        }
    }
    for (send, e) in &by_send {
        if resolved.contains(send) {
            continue;
        }
        let (Some(sender), Ok(envelope)) = (&e.sender_device, wire(e)) else { continue };
        tell_sender(inner, sender, &envelope.client_message_id, handle, StatusKind::Unregistered)
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
