//! Envelope queues: one row per envelope and recipient device, handed out
//! oldest first (UUIDv7 ids sort by time), deleted when that device acks
//! it or when it expires, acked or not.
//!
//! An ack also cancels the SMS fallback of what it acks: a device of the
//! recipient has the message, so no SMS goes out. Acking someone else's
//! envelope does nothing, and says nothing about whether it exists.

use std::collections::BTreeSet;
use std::time::SystemTime;

use super::{
    batch, envelope, for_update, placeholders, EnvelopeRow, Network, ENVELOPE_COLUMNS, IN_CHUNK,
};
use crate::db::{args, row, Arg, Tx};
use crate::error::{Error, Result};
use crate::model::{from_ms, to_ms, Acked, EnvelopeRecord, NewEnvelope};

row! {
    struct AckRow {
        id: String,
        send_id: Option<String>,
        recipient_handle: String,
    }
}

impl Network<'_> {
    /// Queues envelopes the hub made (forwarded SMS, notices, status), in
    /// one transaction, and announces their devices (`wake.rs`). Envelopes
    /// of a send go in with [`Network::record_send`] instead.
    pub async fn insert_envelopes(&self, envelopes: &[NewEnvelope]) -> Result<()> {
        if envelopes.is_empty() {
            return Ok(());
        }
        let devices = recipients(envelopes);
        let mut tx = self.db.write().await?;
        // Delivered at commit only, whatever follows in the transaction.
        self.wake.announce_envelopes(&mut tx, &devices).await?;
        for e in envelopes {
            insert_envelope(&mut tx, e, e.send_id.as_deref(), e.sender_device.as_deref()).await?;
        }
        tx.commit().await?;
        self.wake.envelopes_committed(devices);
        Ok(())
    }

    /// Up to `limit` (at most [`super::MAX_BATCH`]) of the device's queued
    /// envelopes that have not expired at `now`, oldest first.
    pub async fn envelopes_for(
        &self,
        device: &str,
        limit: u32,
        now: SystemTime,
    ) -> Result<Vec<EnvelopeRecord>> {
        let sql = format!(
            "SELECT {ENVELOPE_COLUMNS} FROM net_envelopes \
             WHERE recipient_device = $1 AND expires_at > $2 ORDER BY id LIMIT $3"
        );
        let mut tx = self.db.read().await?;
        let rows: Vec<EnvelopeRow> =
            tx.fetch_all(&sql, vec![device.into(), to_ms(now).into(), batch(limit)]).await?;
        tx.commit().await?;
        Ok(rows.into_iter().map(envelope).collect())
    }

    /// As [`Network::envelopes_for`], but only envelopes after the one
    /// with id `after`: the next page for a stream that handed out the
    /// earlier ones and waits for their acks.
    pub async fn envelopes_after(
        &self,
        device: &str,
        after: &str,
        limit: u32,
        now: SystemTime,
    ) -> Result<Vec<EnvelopeRecord>> {
        let sql = format!(
            "SELECT {ENVELOPE_COLUMNS} FROM net_envelopes \
             WHERE recipient_device = $1 AND id > $2 AND expires_at > $3 ORDER BY id LIMIT $4"
        );
        let mut tx = self.db.read().await?;
        let rows: Vec<EnvelopeRow> = tx
            .fetch_all(&sql, vec![device.into(), after.into(), to_ms(now).into(), batch(limit)])
            .await?;
        tx.commit().await?;
        Ok(rows.into_iter().map(envelope).collect())
    }

    /// Deletes the envelopes among `ids` that are queued for `device`, and
    /// the fallback rows of what it deletes (its send and recipient
    /// handle), in one transaction. Ids of other devices' envelopes, of
    /// envelopes gone already and repeats are ignored. Returns what was
    /// deleted, by id.
    ///
    /// A fallback row goes only when this ack deletes an envelope of its
    /// send for its handle: an envelope that a deregistration, a finished
    /// fallback or the expiry deleted first cancels nothing.
    pub async fn ack(&self, device: &str, ids: &[String]) -> Result<Vec<Acked>> {
        let ids: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
        let ids: Vec<&str> = ids.into_iter().collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.db.write().await?;
        // Fallback rows before envelopes, the lock order of every
        // transaction that writes both (see `fallbacks.rs`). So first
        // find which fallbacks this ack may cancel, and lock them.
        let mut candidates = BTreeSet::new();
        for chunk in ids.chunks(IN_CHUNK) {
            let sql = format!(
                "SELECT id, send_id, recipient_handle FROM net_envelopes \
                 WHERE recipient_device = $1 AND id IN ({})",
                placeholders(2, chunk.len())
            );
            let rows: Vec<AckRow> = tx.fetch_all(&sql, with_ids(device, chunk)).await?;
            candidates
                .extend(rows.into_iter().filter_map(|r| Some((r.send_id?, r.recipient_handle))));
        }
        let lock = format!(
            "SELECT send_id FROM net_fallbacks WHERE send_id = $1 AND recipient_handle = $2{}",
            for_update(&tx)
        );
        let mut locked = BTreeSet::new();
        for (send_id, handle) in candidates {
            let row: Option<(String,)> = tx.fetch_optional(&lock, args![&send_id, &handle]).await?;
            if row.is_some() {
                locked.insert((send_id, handle));
            }
        }
        let mut acked = Vec::new();
        for chunk in ids.chunks(IN_CHUNK) {
            let sql = format!(
                "DELETE FROM net_envelopes WHERE recipient_device = $1 AND id IN ({}) \
                 RETURNING id, send_id, recipient_handle",
                placeholders(2, chunk.len())
            );
            let rows: Vec<AckRow> = tx.fetch_all(&sql, with_ids(device, chunk)).await?;
            acked.extend(rows.into_iter().map(|r| Acked {
                id: r.id,
                send_id: r.send_id,
                recipient_handle: r.recipient_handle,
            }));
        }
        // Cancel only what this ack delivered; these rows are locked, so
        // this takes no new lock.
        let delivered: BTreeSet<(&str, &str)> = acked
            .iter()
            .filter_map(|a| Some((a.send_id.as_deref()?, a.recipient_handle.as_str())))
            .collect();
        for (send_id, handle) in &locked {
            if delivered.contains(&(send_id.as_str(), handle.as_str())) {
                tx.execute(
                    "DELETE FROM net_fallbacks WHERE send_id = $1 AND recipient_handle = $2",
                    args![send_id, handle],
                )
                .await?;
            }
        }
        tx.commit().await?;
        acked.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(acked)
    }

    /// Deletes every envelope that expired at or before `now`, acked or
    /// not; returns how many.
    pub async fn expire(&self, now: SystemTime) -> Result<u64> {
        let mut tx = self.db.write().await?;
        let n = tx
            .execute("DELETE FROM net_envelopes WHERE expires_at <= $1", args![to_ms(now)])
            .await?;
        tx.commit().await?;
        if n > 0 {
            tracing::debug!(envelopes = n, "expired envelopes");
        }
        Ok(n)
    }

    /// When the next queued envelope expires: the time to call
    /// [`Network::expire`] again. `None` when nothing is queued.
    pub async fn next_expiry(&self) -> Result<Option<SystemTime>> {
        let mut tx = self.db.read().await?;
        let (t,): (Option<i64>,) =
            tx.fetch_one("SELECT MIN(expires_at) FROM net_envelopes", vec![]).await?;
        tx.commit().await?;
        Ok(t.map(from_ms))
    }
}

/// The devices that `envelopes` go to, each once.
pub(crate) fn recipients(envelopes: &[NewEnvelope]) -> BTreeSet<&str> {
    envelopes.iter().map(|e| e.recipient_device.as_str()).collect()
}

/// Inserts one envelope with the given send and sender.
pub(crate) async fn insert_envelope(
    tx: &mut Tx,
    e: &NewEnvelope,
    send_id: Option<&str>,
    sender_device: Option<&str>,
) -> Result<()> {
    if e.id.is_empty() || e.recipient_device.is_empty() {
        return Err(Error::Invalid("an envelope needs an id and a recipient device"));
    }
    tx.execute(
        "INSERT INTO net_envelopes (id, recipient_device, recipient_handle, send_id, \
         sender_device, body, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        args![
            &e.id,
            &e.recipient_device,
            &e.recipient_handle,
            send_id,
            sender_device,
            &e.body,
            to_ms(e.created_at),
            to_ms(e.expires_at),
        ],
    )
    .await?;
    Ok(())
}

/// `$1` the device, then the ids.
fn with_ids(device: &str, ids: &[&str]) -> Vec<Arg> {
    let mut args = args![device];
    args.extend(ids.iter().map(|&id| Arg::from(id)));
    args
}
