//! `POST /v1/messages`: one send, routed per recipient (PROTOCOL.md,
//! "Routing rule"):
//!
//! 1. not a phone number: `failed` (`email_unreachable`, `invalid_handle`);
//! 2. the recipient blocked the sender: answered `blue`, dropped;
//! 3. the handle has an active device: `blue`;
//! 4. otherwise green: `sms.text` through the SMS policy (`green`, or
//!    `failed` with `no_sms_text` / `policy`); reactions, edits and
//!    unsends by `network.green_reactions`; receipts and delete-sync never
//!    (`suppressed`).
//!
//! Everything that can refuse the send comes before the first side
//! effect: validation, the idempotency record, the device-set check (409
//! with the missing and extra devices) and the signature of every
//! envelope against the sending device's key (400). Then green SMS are
//! queued (each with an outbox idempotency key made of the sending device,
//! the client message id and the recipient, so a retried send never
//! sends twice), and the send, its envelopes and fallback rows are
//! committed in one transaction. A blocked recipient's envelopes are
//! never stored.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use axum::http::StatusCode;
use bubblegate_api::ApiError;
use bubblegate_proto::wire::{
    DeviceMismatch, DeviceRef, Envelope, RecipientOutcome, Route, SendAnswer, SendRequest,
};
use bubblegate_proto::{parse_recipient, verify, E164};
use bubblegate_store::{DeviceRecord, NewFallback, NewSend, SendRecorded, StoredSend};
use sha2::{Digest, Sha256};

use crate::auth::Device;
use crate::clock::millis;
use crate::config::GreenReactions;
use crate::envelope::{device_header, new_id, to_store};
use crate::error::HubError;
use crate::routes::directory::active_devices;
use crate::sms::SmsError;
use crate::Inner;

pub(crate) const MAX_RECIPIENTS: usize = 100;
pub(crate) const MAX_ENVELOPES: usize = 1000;
pub(crate) const MAX_SEALED: usize = 64 * 1024;
pub(crate) const MAX_ID: usize = 128;
pub(crate) const MAX_SMS_TEXT: usize = 1600;
pub(crate) const MAX_GROUP_NAME: usize = 64;

/// One recipient, as routed.
enum Target {
    Failed {
        given: String,
        reason: &'static str,
    },
    /// Blocked the sender: answered blue; its devices must be addressed
    /// (the sender cannot tell) but get nothing.
    Blocked {
        handle: E164,
        devices: Vec<DeviceRecord>,
    },
    Blue {
        handle: E164,
        devices: Vec<DeviceRecord>,
    },
    Green {
        handle: E164,
    },
}

impl Target {
    fn devices(&self) -> &[DeviceRecord] {
        match self {
            Target::Blocked { devices, .. } | Target::Blue { devices, .. } => devices,
            _ => &[],
        }
    }
}

fn check_text(field: &str, value: &str, max: usize) -> Result<(), ApiError> {
    let n = value.chars().count();
    if n == 0 || n > max || value.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            field,
            format!("must be 1 to {max} characters, without control characters"),
        ));
    }
    Ok(())
}

fn validate(req: &SendRequest) -> Result<(), ApiError> {
    check_text("client_message_id", &req.client_message_id, MAX_ID)?;
    if req.kind.is_hub_only() {
        return Err(ApiError::invalid("kind", "is sent by the hub only"));
    }
    if req.recipients.is_empty() || req.recipients.len() > MAX_RECIPIENTS {
        return Err(ApiError::invalid("recipients", format!("must hold 1 to {MAX_RECIPIENTS}")));
    }
    if req.created_at <= 0 {
        return Err(ApiError::invalid("created_at", "must be milliseconds since the epoch"));
    }
    if req.envelopes.len() > MAX_ENVELOPES {
        return Err(ApiError::invalid("envelopes", format!("at most {MAX_ENVELOPES}")));
    }
    let min = bubblegate_proto::Kem::XWing.encapped_len();
    for (i, e) in req.envelopes.iter().enumerate() {
        if e.sealed.len() <= min || e.sealed.len() > MAX_SEALED {
            return Err(ApiError::invalid(
                &format!("envelopes[{i}].sealed"),
                format!(
                    "must be an X-Wing encapsulation and a ciphertext, at most {MAX_SEALED} bytes"
                ),
            ));
        }
        if e.key_id == 0 {
            return Err(ApiError::invalid(&format!("envelopes[{i}].key_id"), "starts at 1"));
        }
    }
    if let Some(sms) = &req.sms {
        // Newlines are fine in an SMS; other control characters are not.
        let n = sms.text.chars().count();
        if n == 0 || n > MAX_SMS_TEXT || sms.text.chars().any(|c| c.is_control() && c != '\n') {
            return Err(ApiError::invalid(
                "sms.text",
                format!("must be 1 to {MAX_SMS_TEXT} characters"),
            ));
        }
    }
    if let Some(group) = &req.group {
        check_text("group.name", &group.name, MAX_GROUP_NAME)?;
        check_text("group.id", &group.id, MAX_ID)?;
        if group.members.len() > MAX_RECIPIENTS {
            return Err(ApiError::invalid("group.members", format!("at most {MAX_RECIPIENTS}")));
        }
    }
    Ok(())
}

/// The request's fingerprint: a retry must be this request exactly.
fn fingerprint(req: &SendRequest) -> Result<Vec<u8>, HubError> {
    let bytes = serde_json::to_vec(req).map_err(|e| HubError::Corrupt(e.to_string()))?;
    Ok(Sha256::digest(&bytes).to_vec())
}

/// The answer to a send seen before: the stored one, or 409.
fn repeat(stored: StoredSend, hash: &[u8]) -> Result<(StatusCode, SendAnswer), ApiError> {
    if stored.request_hash != hash {
        return Err(ApiError::conflict(
            "`client_message_id` was used by this device for another message",
        ));
    }
    let answer: SendAnswer = serde_json::from_str(&stored.answer)
        .map_err(|e| HubError::Corrupt(format!("send {}: {e}", stored.id)))?;
    Ok((StatusCode::OK, answer))
}

/// What green recipients get, if anything: the text, or why not.
fn green_text(inner: &Inner, req: &SendRequest) -> Result<String, &'static str> {
    let kind = req.kind;
    if kind.is_device_only() {
        return Err("device_only");
    }
    if kind.is_annotation() && inner.config.green_reactions == GreenReactions::Suppress {
        return Err("green_policy");
    }
    let Some(sms) = &req.sms else {
        return Err(if kind.is_annotation() { "green_policy" } else { "no_sms_text" });
    };
    Ok(match &req.group {
        Some(group) => format!("[{}] {}", group.name, sms.text),
        None => sms.text.clone(),
    })
}

pub(crate) async fn send(
    inner: &Inner,
    device: &Device,
    req: SendRequest,
) -> Result<(StatusCode, SendAnswer), ApiError> {
    validate(&req)?;
    let network = inner.store.network();
    let hash = fingerprint(&req)?;
    if let Some(stored) =
        network.send(device.id(), &req.client_message_id).await.map_err(HubError::from)?
    {
        return repeat(stored, &hash);
    }

    // Who is who: parse, deduplicate, look up blocks and devices.
    let region = inner.config.default_region.as_deref();
    let mut targets = Vec::new();
    let mut seen = BTreeSet::new();
    for given in &req.recipients {
        match parse_recipient(given, region) {
            Ok(handle) => {
                if seen.insert(handle.as_str().to_owned()) {
                    targets.push(Ok(handle));
                }
            }
            Err(e) => {
                if seen.insert(given.clone()) {
                    targets.push(Err(Target::Failed { given: given.clone(), reason: e.reason() }));
                }
            }
        }
    }
    let handles: Vec<String> =
        targets.iter().filter_map(|t| t.as_ref().ok()).map(|h| h.as_str().to_owned()).collect();
    let blockers: BTreeSet<String> = network
        .blockers_of(device.handle.as_str(), &handles)
        .await
        .map_err(HubError::from)?
        .into_iter()
        .collect();
    let mut routed = Vec::with_capacity(targets.len());
    for t in targets {
        let handle = match t {
            Ok(handle) => handle,
            Err(failed) => {
                routed.push(failed);
                continue;
            }
        };
        let mut devices = active_devices(inner, &handle).await?;
        let own = handle == device.handle;
        if own {
            devices.retain(|d| d.id != device.id());
        }
        routed.push(if blockers.contains(handle.as_str()) && !own {
            Target::Blocked { handle, devices }
        } else if !devices.is_empty() || own {
            Target::Blue { handle, devices }
        } else {
            Target::Green { handle }
        });
    }
    let mut own_devices = active_devices(inner, &device.handle).await?;
    own_devices.retain(|d| d.id != device.id());

    // The device set: every device of a blue (or blocking) recipient and
    // every other device of the sender, once each.
    let mut expected: BTreeMap<&str, (&E164, &DeviceRecord)> = BTreeMap::new();
    for t in &routed {
        if let Target::Blocked { handle, devices } | Target::Blue { handle, devices } = t {
            for d in devices {
                expected.insert(&d.id, (handle, d));
            }
        }
    }
    for d in &own_devices {
        expected.insert(&d.id, (&device.handle, d));
    }
    let mut provided = BTreeSet::new();
    for (i, e) in req.envelopes.iter().enumerate() {
        if !provided.insert(e.device_id.as_str()) {
            return Err(ApiError::invalid(
                &format!("envelopes[{i}].device_id"),
                "appears twice: one envelope per device",
            ));
        }
    }
    let mut mismatch = DeviceMismatch::default();
    for (id, (handle, _)) in &expected {
        if !provided.contains(id) {
            mismatch
                .missing
                .push(DeviceRef { handle: (*handle).clone(), device_id: (*id).to_owned() });
        }
    }
    for (i, e) in req.envelopes.iter().enumerate() {
        if expected.contains_key(e.device_id.as_str()) {
            continue;
        }
        let known = network.device(&e.device_id).await.map_err(HubError::from)?;
        let Some(handle) = known.and_then(|d| E164::parse(&d.handle, None).ok()) else {
            return Err(ApiError::invalid(&format!("envelopes[{i}].device_id"), "is not a device"));
        };
        mismatch.extra.push(DeviceRef { handle, device_id: e.device_id.clone() });
    }
    if !mismatch.missing.is_empty() || !mismatch.extra.is_empty() {
        tracing::debug!(
            missing = mismatch.missing.len(),
            extra = mismatch.extra.len(),
            "a send's envelopes do not match the devices"
        );
        let devices =
            serde_json::to_value(&mismatch).map_err(|e| HubError::Corrupt(e.to_string()))?;
        return Err(ApiError::conflict(
            "the envelopes do not match the recipients' devices: see `devices`",
        )
        .with_extra("devices", devices));
    }

    // Every envelope is signed by the sending device, for its header.
    let sign_key = crate::routes::directory::sign_key(&device.record)?;
    let sender = device.sender();
    for (i, e) in req.envelopes.iter().enumerate() {
        let (_, recipient) = expected[e.device_id.as_str()];
        if e.key_id > recipient.enc_key_id {
            return Err(ApiError::invalid(
                &format!("envelopes[{i}].key_id"),
                "is not a key of the recipient device",
            ));
        }
        let header = device_header(
            &sender,
            &e.device_id,
            &req.client_message_id,
            req.created_at,
            e.key_id,
            req.kind,
        );
        if verify(&header, &e.sealed, &e.signature, &sign_key).is_err() {
            tracing::info!("a send with an envelope that does not verify was refused");
            return Err(ApiError::invalid(
                &format!("envelopes[{i}].signature"),
                "does not verify with the sending device's key",
            ));
        }
    }

    // Side effects from here on: green SMS first (their ids go into the
    // stored answer), then the send with its envelopes and fallbacks.
    let text = green_text(inner, &req);
    let mut outcomes = Vec::with_capacity(routed.len());
    for t in &routed {
        let outcome = match t {
            Target::Failed { given, reason } => outcome(given, Route::Failed, None, Some(reason)),
            Target::Blocked { handle, .. } | Target::Blue { handle, .. } => {
                outcome(handle.as_str(), Route::Blue, None, None)
            }
            Target::Green { handle } => match &text {
                Err(reason @ ("device_only" | "green_policy")) => {
                    outcome(handle.as_str(), Route::Suppressed, None, Some(reason))
                }
                Err(reason) => outcome(handle.as_str(), Route::Failed, None, Some(reason)),
                Ok(text) => {
                    let key = format!("green:{}:{}:{handle}", device.id(), req.client_message_id);
                    match inner.sms.send_sms(handle, text, Some(key), false).await {
                        Ok(id) => outcome(handle.as_str(), Route::Green, Some(id), None),
                        Err(SmsError::Refused(why)) => {
                            tracing::debug!(%why, "a green recipient was refused by the SMS policy");
                            outcome(handle.as_str(), Route::Failed, None, Some("policy"))
                        }
                        Err(SmsError::Unavailable(why)) => {
                            // Nothing is stored yet: the client retries the
                            // same send, and the SMS already queued are
                            // found again by their keys.
                            tracing::warn!(%why, "cannot queue a green SMS now");
                            return Err(ApiError::unavailable("cannot send SMS now; try again"));
                        }
                    }
                }
            },
        };
        outcomes.push(outcome);
    }

    let now = inner.clock.now();
    let send_id = new_id();
    let expires_at = now + inner.config.retention;
    let recipients: HashMap<&str, &E164> = expected.iter().map(|(id, (h, _))| (*id, *h)).collect();
    let blocked: BTreeSet<&str> = routed
        .iter()
        .filter(|t| matches!(t, Target::Blocked { .. }))
        .flat_map(|t| t.devices().iter().map(|d| d.id.as_str()))
        .collect();
    let mut envelopes = Vec::new();
    for e in req.envelopes.iter().filter(|e| !blocked.contains(e.device_id.as_str())) {
        let wire = Envelope {
            id: new_id(),
            sender: Some(sender.clone()),
            recipient_device_id: e.device_id.clone(),
            client_message_id: req.client_message_id.clone(),
            kind: req.kind,
            created_at: req.created_at,
            key_id: e.key_id,
            sealed: e.sealed.clone(),
            signature: e.signature.clone(),
            expires_at: millis(expires_at),
        };
        let handle = recipients[e.device_id.as_str()];
        envelopes.push(to_store(
            &wire,
            handle.as_str(),
            Some(&send_id),
            Some(device.id()),
            now,
            expires_at,
        )?);
    }
    let mut fallbacks = Vec::new();
    if let (Some(sms), Ok(text)) = (&req.sms, &text) {
        if sms.fallback {
            for t in &routed {
                if let Target::Blue { handle, devices } = t {
                    if *handle != device.handle && !devices.is_empty() {
                        fallbacks.push(NewFallback {
                            recipient_handle: handle.as_str().to_owned(),
                            text: text.clone(),
                            due_at: now + inner.config.fallback_after,
                        });
                    }
                }
            }
        }
    }
    let answer = SendAnswer { message_id: send_id.clone(), recipients: outcomes };
    let answer_json =
        serde_json::to_string(&answer).map_err(|e| HubError::Corrupt(e.to_string()))?;
    let record = NewSend {
        id: send_id.clone(),
        sender_device: device.id().to_owned(),
        client_message_id: req.client_message_id.clone(),
        request_hash: hash.clone(),
        answer: answer_json,
        envelopes,
        fallbacks,
    };
    match network.record_send(&record, now).await.map_err(HubError::from)? {
        SendRecorded::Existing(stored) => return repeat(stored, &hash),
        SendRecorded::New => {}
    }

    inner.metrics.queued(record.envelopes.len() as u64);
    for o in &answer.recipients {
        inner.metrics.routed(o.route);
    }
    for _ in routed.iter().filter(|t| matches!(t, Target::Blocked { .. })) {
        inner.metrics.blocked_drop();
    }
    if !record.fallbacks.is_empty() {
        inner.fallback_wake.notify_one();
    }
    tracing::info!(
        send = %send_id,
        kind = req.kind.name(),
        envelopes = record.envelopes.len(),
        fallbacks = record.fallbacks.len(),
        "send accepted"
    );
    Ok((StatusCode::CREATED, answer))
}

fn outcome(
    handle: &str,
    route: Route,
    sms_id: Option<String>,
    reason: Option<&str>,
) -> RecipientOutcome {
    RecipientOutcome { handle: handle.to_owned(), route, sms_id, reason: reason.map(str::to_owned) }
}
