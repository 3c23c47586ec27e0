//! Received SMS, after the daemon's inbox committed them:
//!
//! - `STOP` or `DEREGISTER` (any case, alone in the message) from a number
//!   with a device starts its deregistration: a code goes out, as from the
//!   web page. Only a code confirms it, so a stray "stop" costs one SMS.
//! - An SMS to a SIM in `network.owned_sims` is sealed by the hub to every
//!   active device of the owner's handle (kind `sms`, signed by the hub)
//!   and queued: "text message forwarding". The network tables keep only
//!   the sealed copies; the inbox keeps the SMS as it keeps every other.

use bubblegate_proto::{Content, E164};
use bubblegate_store::CodePurpose;

use crate::clock::millis;
use crate::codes::{self, Origin};
use crate::envelope::queue_from_hub;
use crate::routes::directory::active_devices;
use crate::sms::InboundSms;
use crate::Inner;

/// Whether a body asks to leave the network.
fn is_stop(body: &str) -> bool {
    let word = body.trim().trim_end_matches(['.', '!']);
    word.eq_ignore_ascii_case("stop") || word.eq_ignore_ascii_case("deregister")
}

pub(crate) async fn handle(inner: &Inner, sms: InboundSms) {
    if is_stop(&sms.body) {
        // A sender in national form is read in the default region.
        if let Ok(handle) = E164::parse(&sms.from, inner.config.default_region.as_deref()) {
            stop(inner, &handle).await;
        }
    }
    let Some(owned) = inner.config.owned_sims.iter().find(|o| o.modem == sms.modem) else {
        return;
    };
    let devices = match active_devices(inner, &owned.handle).await {
        Ok(d) => d,
        Err(err) => {
            tracing::error!(%err, "cannot find the owner's devices; the SMS is not forwarded");
            return;
        }
    };
    if devices.is_empty() {
        tracing::info!(modem = %sms.modem, "no active device to forward an SMS to");
        return;
    }
    let content =
        Content::Sms { from: sms.from, body: sms.body, received_at: millis(sms.received_at) };
    match queue_from_hub(inner, &devices, &content).await {
        Ok(n) => {
            inner.metrics.forwarded_sms();
            tracing::info!(modem = %sms.modem, devices = n, "SMS forwarded, sealed");
        }
        Err(err) => tracing::error!(%err, "cannot forward an SMS"),
    }
}

async fn stop(inner: &Inner, handle: &E164) {
    match crate::deregister::registered(inner, handle).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(err) => {
            tracing::warn!(%err, "cannot look up the sender of a STOP");
            return;
        }
    }
    match codes::send(inner, handle, CodePurpose::Deregister, Origin::Sms).await {
        Ok(()) => tracing::info!("a STOP started a deregistration: code sent"),
        Err(e) => tracing::warn!(error = %e, "a STOP could not start a deregistration"),
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
