//! Envelopes as the hub stores and hands them out: the wire JSON of
//! [`Envelope`] is the store's opaque body, so what a device receives is
//! byte for byte what was checked at send time. The hub's own envelopes
//! (forwarded SMS, `device_added`, `status`) are sealed here to the
//! recipient device's current key and signed with the hub key.

use std::time::SystemTime;

use bubblegate_proto::wire::Envelope;
use bubblegate_proto::{seal_and_sign, Content, EncPublicKey, Header, Kem, Sender};
use bubblegate_store::{DeviceRecord, EnvelopeRecord, NewEnvelope};

use crate::clock::millis;
use crate::error::HubError;
use crate::Inner;

/// A fresh id: UUIDv7, so ids sort by time.
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The device's current public encryption key.
pub(crate) fn enc_key(device: &DeviceRecord) -> Result<EncPublicKey, HubError> {
    let kem = Kem::from_name(&device.enc_kem).ok_or_else(|| {
        HubError::Corrupt(format!("device {} has KEM {}", device.id, device.enc_kem))
    })?;
    Ok(EncPublicKey { kem, key_id: device.enc_key_id, public: device.enc_key.clone() })
}

/// One envelope to store, from its wire form.
pub(crate) fn to_store(
    wire: &Envelope,
    recipient_handle: &str,
    send_id: Option<&str>,
    sender_device: Option<&str>,
    now: SystemTime,
    expires_at: SystemTime,
) -> Result<NewEnvelope, HubError> {
    let body = serde_json::to_string(wire).map_err(|e| HubError::Corrupt(e.to_string()))?;
    Ok(NewEnvelope {
        id: wire.id.clone(),
        recipient_device: wire.recipient_device_id.clone(),
        recipient_handle: recipient_handle.to_owned(),
        send_id: send_id.map(str::to_owned),
        sender_device: sender_device.map(str::to_owned),
        body,
        created_at: now,
        expires_at,
    })
}

/// An envelope of a device, as stored at send time.
pub(crate) fn wire(record: &EnvelopeRecord) -> Result<Envelope, HubError> {
    serde_json::from_str(&record.body)
        .map_err(|e| HubError::Corrupt(format!("envelope {}: {e}", record.id)))
}

/// Seals `content` from the hub to `device` and signs it.
pub(crate) fn from_hub(
    inner: &Inner,
    device: &DeviceRecord,
    content: &Content,
    now: SystemTime,
) -> Result<NewEnvelope, HubError> {
    let key = enc_key(device)?;
    let header = Header {
        sender: None,
        recipient_device_id: device.id.clone(),
        client_message_id: new_id(),
        created_at: millis(now),
        key_id: key.key_id,
        kind: content.kind(),
    };
    let sealed = seal_and_sign(&header, &key, content, &inner.key)?;
    let expires_at = now + inner.config.retention;
    let wire = Envelope {
        id: new_id(),
        sender: None,
        recipient_device_id: header.recipient_device_id,
        client_message_id: header.client_message_id,
        kind: header.kind,
        created_at: header.created_at,
        key_id: header.key_id,
        sealed: sealed.sealed,
        signature: sealed.signature,
        expires_at: millis(expires_at),
    };
    to_store(&wire, &device.handle, None, None, now, expires_at)
}

/// Seals `content` to every device in `devices`, queues the envelopes in
/// one transaction and wakes their streams. Returns how many were queued.
pub(crate) async fn queue_from_hub(
    inner: &Inner,
    devices: &[DeviceRecord],
    content: &Content,
) -> Result<usize, HubError> {
    if devices.is_empty() {
        return Ok(0);
    }
    let now = inner.clock.now();
    let envelopes =
        devices.iter().map(|d| from_hub(inner, d, content, now)).collect::<Result<Vec<_>, _>>()?;
    inner.store.network().insert_envelopes(&envelopes).await?;
    inner.metrics.queued(envelopes.len() as u64);
    Ok(envelopes.len())
}

/// The header a device's envelope was signed over.
pub(crate) fn device_header(
    sender: &Sender,
    recipient_device: &str,
    client_message_id: &str,
    created_at: i64,
    key_id: u32,
    kind: bubblegate_proto::Kind,
) -> Header {
    Header {
        sender: Some(sender.clone()),
        recipient_device_id: recipient_device.to_owned(),
        client_message_id: client_message_id.to_owned(),
        created_at,
        key_id,
        kind,
    }
}
