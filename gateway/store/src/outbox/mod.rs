//! The SMS outbox: messages, their parts, and the history of both.
//!
//! A part moves `queued → submitting → submitted → delivered | failed |
//! expired`. `submitting` is committed before the PDU goes to the modem and
//! `submitted` (with the TP-MR) after `+CMGS`, so every side effect follows
//! a committed state. A retry, an unknown outcome and crash recovery move
//! `submitting` back to `queued`. A message's status is rolled up from its
//! parts in the same transaction ([`crate::MessageStatus::roll_up`]).
//!
//! Claims: on SQLite one write transaction at a time picks the next part; on
//! PostgreSQL each node's claimers pick with `FOR UPDATE SKIP LOCKED`, so
//! they never wait on each other and never get the same part. Each claim
//! increments the part's attempt counter, which doubles as a fencing
//! token: a transition with an older claim is refused.
//!
//! All parts of a message leave through one SIM (pinned at the first
//! claim), because a phone joins the parts of a concatenated message only
//! when they come from one sender number.

mod claim;
mod common;
mod read;
mod transitions;

use std::time::SystemTime;

use crate::db::args;
use crate::error::{Error, Result};
use crate::model::{coding_name, to_ms, Enqueued, MessageId, MessageStatus, NewMessage};
use crate::{idempotency, Store};

impl Store {
    /// Stores a new message with its parts, all `queued`, and wakes the
    /// senders. With an idempotency key that was seen before, returns the
    /// first message (`created: false`) if the request is the same, and
    /// [`Error::IdempotencyConflict`] if it is not.
    pub async fn enqueue(&self, m: &NewMessage, now: SystemTime) -> Result<Enqueued> {
        validate(m)?;
        let fingerprint = idempotency::fingerprint(m);
        let now_ms = to_ms(now);
        let mut tx = self.db.write().await?;
        if let Some(key) = &m.idempotency_key {
            if let Some(found) = idempotency::find(&mut tx, key).await? {
                tx.rollback().await?;
                return same_request(found, &fingerprint);
            }
        }
        let id = MessageId::new();
        let expires_at = m.validity.map(|v| to_ms(now + v));
        tx.execute(
            "INSERT INTO outbound_messages (id, destination, body, coding, priority, \
             delivery_report, status, part_count, created_at, send_after, expires_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $9)",
            args![
                id.to_string(),
                &m.destination,
                &m.body,
                coding_name(m.coding),
                i64::from(m.priority),
                m.delivery_report,
                MessageStatus::Queued.name(),
                m.parts.len() as i64,
                now_ms,
                m.send_after.map(to_ms),
                expires_at,
            ],
        )
        .await?;
        let total = m.parts.len() as i64;
        for (i, p) in m.parts.iter().enumerate() {
            tx.execute(
                "INSERT INTO outbound_parts (message_id, seq, total, pdu, tpdu_length, state, \
                 attempts, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7)",
                args![
                    id.to_string(),
                    i as i64 + 1,
                    total,
                    &p.pdu_hex,
                    i64::from(p.tpdu_length),
                    crate::PartState::Queued.name(),
                    now_ms,
                ],
            )
            .await?;
        }
        common::history(&mut tx, id, None, None, MessageStatus::Queued.name(), now_ms, None)
            .await?;
        if let Some(key) = &m.idempotency_key {
            if !idempotency::insert(&mut tx, key, &fingerprint, id, now_ms).await? {
                // A concurrent request with the same key committed first
                // (PostgreSQL): drop ours and answer with theirs.
                tx.rollback().await?;
                let mut tx = self.db.read().await?;
                let found = idempotency::find(&mut tx, key).await?;
                let found = found.ok_or(Error::Corrupt("idempotency key vanished".into()))?;
                return same_request(found, &fingerprint);
            }
        }
        self.notify(&mut tx).await?;
        tx.commit().await?;
        self.woke();
        Ok(Enqueued { id, created: true })
    }
}

fn same_request((id, stored): (MessageId, String), fingerprint: &str) -> Result<Enqueued> {
    if stored == fingerprint {
        tracing::debug!(message = %id, "idempotency key seen before: same message");
        Ok(Enqueued { id, created: false })
    } else {
        tracing::debug!(message = %id, "idempotency key reused with another request");
        Err(Error::IdempotencyConflict { message: id })
    }
}

fn validate(m: &NewMessage) -> Result<()> {
    if m.parts.is_empty() {
        return Err(Error::Invalid("a message needs at least one part"));
    }
    if m.parts.len() > usize::from(u8::MAX) {
        return Err(Error::Invalid("a message has at most 255 parts"));
    }
    if m.destination.is_empty() {
        return Err(Error::Invalid("the destination is empty"));
    }
    if m.idempotency_key.as_deref().is_some_and(str::is_empty) {
        return Err(Error::Invalid("the idempotency key is empty"));
    }
    if m.parts
        .iter()
        .any(|p| p.pdu_hex.is_empty() || !p.pdu_hex.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(Error::Invalid("a part's PDU is not hex"));
    }
    Ok(())
}
