//! Idempotency keys on submissions. A key maps to the first message made
//! with it and to a fingerprint of that request, so a retried request
//! gets the same message back and a key reused for another request is
//! refused instead of silently answered with the wrong message.

use sha2::{Digest, Sha256};

use crate::db::{args, Tx};
use crate::error::Result;
use crate::model::{to_ms, MessageId, NewMessage};

/// SHA-256 over what the client sent: destination, body, priority,
/// delivery report, send-after and validity. The encoded parts and the
/// expiry instant derive from these and the time of arrival, so they stay
/// out: a retry seconds later must match.
pub(crate) fn fingerprint(m: &NewMessage) -> String {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    field(m.destination.as_bytes());
    field(m.body.as_bytes());
    field(&m.priority.to_be_bytes());
    field(&[u8::from(m.delivery_report)]);
    field(&m.send_after.map_or(Vec::new(), |t| to_ms(t).to_be_bytes().to_vec()));
    field(&m.validity.map_or(Vec::new(), |v| v.as_millis().to_be_bytes().to_vec()));
    hex(&h.finalize())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bubblegate_sms::hex::encode(bytes).to_ascii_lowercase()
}

/// The message and fingerprint stored under `key`.
pub(crate) async fn find(tx: &mut Tx, key: &str) -> Result<Option<(MessageId, String)>> {
    let row: Option<(String, String)> = tx
        .fetch_optional(
            "SELECT message_id, fingerprint FROM idempotency_keys WHERE key = $1",
            args![key],
        )
        .await?;
    row.map(|(id, fp)| Ok((MessageId::parse_stored(&id)?, fp))).transpose()
}

/// Records `key`; false when it was there already (another transaction
/// got in first).
pub(crate) async fn insert(
    tx: &mut Tx,
    key: &str,
    fingerprint: &str,
    message: MessageId,
    now: i64,
) -> Result<bool> {
    let n = tx
        .execute(
            "INSERT INTO idempotency_keys (key, fingerprint, message_id, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING",
            args![key, fingerprint, message.to_string(), now],
        )
        .await?;
    Ok(n == 1)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use bubblegate_sms::Coding;

    use super::*;
    use crate::model::NewPart;

    fn message() -> NewMessage {
        NewMessage {
            idempotency_key: Some("k".into()),
            destination: "+15550100".into(),
            body: "hello".into(),
            coding: Coding::Gsm7,
            priority: 0,
            delivery_report: true,
            send_after: None,
            validity: Some(Duration::from_secs(3600)),
            parts: vec![NewPart { pdu_hex: "00".into(), tpdu_length: 1 }],
        }
    }

    #[test]
    fn fingerprint_covers_the_request_and_not_the_encoding() {
        let base = fingerprint(&message());
        let same = NewMessage {
            parts: vec![NewPart { pdu_hex: "01".into(), tpdu_length: 1 }],
            idempotency_key: None,
            ..message()
        };
        assert_eq!(fingerprint(&same), base);
        let changes: Vec<NewMessage> = vec![
            NewMessage { destination: "+15550101".into(), ..message() },
            NewMessage { body: "hello!".into(), ..message() },
            NewMessage { priority: 1, ..message() },
            NewMessage { delivery_report: false, ..message() },
            NewMessage { send_after: Some(std::time::UNIX_EPOCH), ..message() },
            NewMessage { validity: None, ..message() },
        ];
        for m in changes {
            assert_ne!(fingerprint(&m), base, "{m:?}");
        }
        // Field boundaries count: moving a character from one field to the
        // next changes the print.
        let a = NewMessage { destination: "+1555010".into(), body: "0hello".into(), ..message() };
        assert_ne!(fingerprint(&a), base);
    }
}
