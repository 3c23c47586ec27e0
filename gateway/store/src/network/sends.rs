//! Sends: the idempotency record of `POST /v1/messages`, committed with
//! the envelopes and fallback rows the send queues.
//!
//! The key is (sender device, client message id). A repeat, even one that
//! races the first on another node, inserts nothing and gets the first
//! send back: on SQLite the write lock orders the two, and on PostgreSQL
//! the second insert waits on the first's unique-index entry and then
//! finds it committed.

use std::collections::HashSet;
use std::time::SystemTime;

use super::envelopes::{insert_envelope, recipients};
use super::Network;
use crate::db::{args, row, Tx};
use crate::error::{Error, Result};
use crate::model::{from_ms, to_ms, NewSend, SendRecorded, StoredSend};

row! {
    struct SendRow {
        id: String,
        request_hash: Vec<u8>,
        answer: String,
        created_at: i64,
    }
}

impl Network<'_> {
    /// The send that `sender_device` made with `client_message_id`, if any.
    pub async fn send(
        &self,
        sender_device: &str,
        client_message_id: &str,
    ) -> Result<Option<StoredSend>> {
        let mut tx = self.db.read().await?;
        let found = find(&mut tx, sender_device, client_message_id).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// Records a send with its envelopes and fallback rows, in one
    /// transaction, and announces the envelopes' devices (`wake.rs`). If the sending device used the client message id
    /// before, nothing is written and the first send comes back as
    /// [`SendRecorded::Existing`]; the caller compares its `request_hash`.
    pub async fn record_send(&self, s: &NewSend, now: SystemTime) -> Result<SendRecorded> {
        validate(s)?;
        let mut tx = self.db.write().await?;
        let inserted: Option<(String,)> = tx
            .fetch_optional(
                "INSERT INTO net_sends (id, sender_device, client_message_id, request_hash, \
                 answer, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (sender_device, client_message_id) DO NOTHING RETURNING id",
                args![
                    &s.id,
                    &s.sender_device,
                    &s.client_message_id,
                    Some(s.request_hash.clone()),
                    &s.answer,
                    to_ms(now),
                ],
            )
            .await?;
        if inserted.is_none() {
            // Sent before, or a concurrent request with the same key
            // committed first: answer with that one. At READ COMMITTED
            // this statement sees the other's commit.
            let found = find(&mut tx, &s.sender_device, &s.client_message_id).await?;
            tx.rollback().await?;
            let found = found.ok_or(Error::Corrupt("a send's key vanished".into()))?;
            tracing::debug!(send = %found.id, "client message id seen before: same send");
            return Ok(SendRecorded::Existing(found));
        }
        let devices = recipients(&s.envelopes);
        // Delivered at commit only, whatever follows in the transaction.
        self.wake.announce_envelopes(&mut tx, &devices).await?;
        for e in &s.envelopes {
            insert_envelope(&mut tx, e, Some(&s.id), Some(&s.sender_device)).await?;
        }
        for f in &s.fallbacks {
            tx.execute(
                "INSERT INTO net_fallbacks (send_id, recipient_handle, sender_device, text, \
                 due_at) VALUES ($1, $2, $3, $4, $5)",
                args![&s.id, &f.recipient_handle, &s.sender_device, &f.text, to_ms(f.due_at)],
            )
            .await?;
        }
        tx.commit().await?;
        self.wake.envelopes_committed(devices);
        Ok(SendRecorded::New)
    }

    /// Deletes the sends created before `created_before` that nothing
    /// refers to any more (no envelope, no fallback row); returns how many.
    /// A repeat of such a send is then taken as a new one, so choose the
    /// cut-off well past the retention of envelopes.
    pub async fn purge_sends(&self, created_before: SystemTime) -> Result<u64> {
        let mut tx = self.db.write().await?;
        let n = tx
            .execute(
                "DELETE FROM net_sends WHERE created_at < $1 \
                 AND NOT EXISTS (SELECT 1 FROM net_envelopes e WHERE e.send_id = net_sends.id) \
                 AND NOT EXISTS (SELECT 1 FROM net_fallbacks f WHERE f.send_id = net_sends.id)",
                args![to_ms(created_before)],
            )
            .await?;
        tx.commit().await?;
        Ok(n)
    }
}

async fn find(
    tx: &mut Tx,
    sender_device: &str,
    client_message_id: &str,
) -> Result<Option<StoredSend>> {
    let row: Option<SendRow> = tx
        .fetch_optional(
            "SELECT id, request_hash, answer, created_at FROM net_sends \
             WHERE sender_device = $1 AND client_message_id = $2",
            args![sender_device, client_message_id],
        )
        .await?;
    Ok(row.map(|r| StoredSend {
        id: r.id,
        request_hash: r.request_hash,
        answer: r.answer,
        created_at: from_ms(r.created_at),
    }))
}

fn validate(s: &NewSend) -> Result<()> {
    if s.id.is_empty() || s.sender_device.is_empty() {
        return Err(Error::Invalid("a send needs an id and a sender device"));
    }
    if s.client_message_id.is_empty() {
        return Err(Error::Invalid("the client message id is empty"));
    }
    if s.envelopes.iter().any(|e| e.send_id.as_ref().is_some_and(|id| *id != s.id)) {
        return Err(Error::Invalid("an envelope of a send names another send"));
    }
    if s.envelopes.iter().any(|e| e.sender_device.as_ref().is_some_and(|d| *d != s.sender_device)) {
        return Err(Error::Invalid("an envelope of a send names another sender"));
    }
    let mut handles = HashSet::new();
    if !s.fallbacks.iter().all(|f| handles.insert(f.recipient_handle.as_str())) {
        return Err(Error::Invalid("two fallbacks of a send for one recipient"));
    }
    Ok(())
}
