//! Received SMS, after the daemon's inbox committed them:
//!
//! - `STOP` or `DEREGISTER` (any case, alone in the message) from a number
//!   with a device starts its deregistration: a code goes out, as from the
//!   web page. Only a code confirms it, so a stray "stop" costs one SMS.
//! - An SMS to a SIM in `network.owned_sims` is sealed by the hub to every
//!   active device of the owner's handle (kind `sms`, signed by the hub)
//!   and queued: "text message forwarding". The network tables keep only
//!   the sealed copies; the inbox keeps the SMS as it keeps every other.
//!
//! [`hand_off`] is the durable way in, for a message the inbox stored
//! pending: the STOP's code is queued first, then the forwarded envelopes
//! are queued in the same transaction that marks the message handled
//! ([`bubblegate_store::Store::finish_hand_off`]). A message handed over
//! again (the process died before that commit, or a store error made the
//! daemon retry) is forwarded once: the second commit finds it handled and
//! queues nothing. Its STOP may be answered twice: a second code replaces
//! the first, which is acceptable for a message that asks for a code.

use bubblegate_proto::{Content, E164};
use bubblegate_store::{CodePurpose, DeviceRecord, InboundId, NewEnvelope};

use crate::clock::millis;
use crate::codes::{self, Origin};
use crate::envelope::from_hub;
use crate::error::HubError;
use crate::routes::directory::active_devices;
use crate::sms::InboundSms;
use crate::Inner;

/// Whether a body asks to leave the network.
fn is_stop(body: &str) -> bool {
    let word = body.trim().trim_end_matches(['.', '!']);
    word.eq_ignore_ascii_case("stop") || word.eq_ignore_ascii_case("deregister")
}

/// Acts on `sms`, the inbox's pending message `id`, and marks it handled.
/// A store error leaves it pending, for the caller to hand over again.
pub(crate) async fn hand_off(
    inner: &Inner,
    id: InboundId,
    sms: InboundSms,
) -> Result<(), bubblegate_store::Error> {
    stop_if_asked(inner, &sms).await.map_err(store_error)?;
    let devices = owner_devices(inner, &sms).await.map_err(store_error)?;
    let now = inner.clock.now();
    let content = content(sms.clone());
    let mut envelopes: Vec<NewEnvelope> = Vec::with_capacity(devices.len());
    for device in &devices {
        match from_hub(inner, device, &content, now) {
            Ok(e) => envelopes.push(e),
            // A device whose stored key is unusable never gets a copy;
            // the others still do.
            Err(err) => {
                tracing::error!(%err, device = %device.id, "cannot seal an SMS to a device")
            }
        }
    }
    if !inner.store.finish_hand_off(id, &envelopes, now).await? {
        tracing::debug!(%id, "a received SMS was handled already");
        return Ok(());
    }
    if !envelopes.is_empty() {
        inner.metrics.forwarded_sms();
        inner.metrics.queued(envelopes.len() as u64);
        tracing::info!(modem = %sms.modem, devices = envelopes.len(), "SMS forwarded, sealed");
    }
    Ok(())
}

/// The active devices of the owner of the SIM `sms` came to; none when
/// the SIM is not owned.
async fn owner_devices(inner: &Inner, sms: &InboundSms) -> Result<Vec<DeviceRecord>, HubError> {
    let Some(owned) = inner.config.owned_sims.iter().find(|o| o.modem == sms.modem) else {
        return Ok(Vec::new());
    };
    let devices = active_devices(inner, &owned.handle).await?;
    if devices.is_empty() {
        tracing::info!(modem = %sms.modem, "no active device to forward an SMS to");
    }
    Ok(devices)
}

fn content(sms: InboundSms) -> Content {
    Content::Sms { from: sms.from, body: sms.body, received_at: millis(sms.received_at) }
}

/// Starts the deregistration a `STOP` asks for. Only the lookup of the
/// sender fails this: a code that cannot go out (limits, budget, policy)
/// is logged, and the sender may text `STOP` again.
async fn stop_if_asked(inner: &Inner, sms: &InboundSms) -> Result<(), HubError> {
    if !is_stop(&sms.body) {
        return Ok(());
    }
    // A sender in national form is read in the default region.
    let Ok(handle) = E164::parse(&sms.from, inner.config.default_region.as_deref()) else {
        return Ok(());
    };
    if !crate::deregister::registered(inner, &handle).await? {
        return Ok(());
    }
    match codes::send(inner, &handle, CodePurpose::Deregister, Origin::Sms).await {
        Ok(()) => tracing::info!("a STOP started a deregistration: code sent"),
        Err(e) => tracing::warn!(error = %e, "a STOP could not start a deregistration"),
    }
    Ok(())
}

fn store_error(err: HubError) -> bubblegate_store::Error {
    match err {
        HubError::Store(e) => e,
        other => bubblegate_store::Error::Corrupt(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::is_stop;

    #[test]
    fn stop_words() {
        for yes in ["STOP", "stop", " Stop. ", "DEREGISTER", "deregister!"] {
            assert!(is_stop(yes), "{yes}");
        }
        for no in ["stop it", "please stop", "", "STOPP", "unsubscribe"] {
            assert!(!is_stop(no), "{no}");
        }
    }
}
