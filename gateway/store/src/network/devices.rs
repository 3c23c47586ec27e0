//! Devices and handles: registration, look-up by token, last sighting,
//! key rotation, the directory's active devices, and deregistration.
//!
//! A device is never deleted, only revoked: `revoked_at` set and its token
//! hash dropped, so no token opens it again. On PostgreSQL the handle's
//! `net_handles` row is the lock that orders a registration against a
//! deregistration of the same handle: both write it first.

use std::collections::BTreeSet;
use std::time::SystemTime;

use super::{
    envelope, fallback, for_update, placeholders, EnvelopeRow, FallbackRow, Network,
    ENVELOPE_COLUMNS, FALLBACK_COLUMNS, FALLBACK_FROM, IN_CHUNK,
};
use crate::db::{args, row, Arg};
use crate::error::{Error, Result};
use crate::model::{
    from_ms, narrow, to_ms, Deregistered, DeviceRecord, HandleRecord, NewDevice, UnregisteredSend,
};

row! {
    struct DeviceRow {
        id: String,
        handle: String,
        name: String,
        enc_kem: String,
        enc_key: Vec<u8>,
        enc_key_id: i64,
        sign_key: Vec<u8>,
        created_at: i64,
        last_seen_at: i64,
        revoked_at: Option<i64>,
    }
}

const DEVICE_COLUMNS: &str = "id, handle, name, enc_kem, enc_key, enc_key_id, sign_key, \
     created_at, last_seen_at, revoked_at";

row! {
    struct UnregisteredRow {
        id: String,
        sender_device: String,
        client_message_id: String,
    }
}

row! {
    struct HandleRow {
        handle: String,
        registered_at: i64,
        deregistered_at: Option<i64>,
    }
}

impl Network<'_> {
    /// Registers a device on its handle and clears a deregistration of the
    /// handle. Returns the handle's other devices that are not revoked, by
    /// id, so the hub can tell them (`device_added`). A device id or token
    /// hash in use already is an error.
    pub async fn add_device(&self, d: &NewDevice, now: SystemTime) -> Result<Vec<DeviceRecord>> {
        if d.id.is_empty() || d.handle.is_empty() {
            return Err(Error::Invalid("a device needs an id and a handle"));
        }
        if d.token_hash.is_empty() {
            return Err(Error::Invalid("a device needs a token hash"));
        }
        let now = to_ms(now);
        let mut tx = self.db.write().await?;
        // A handle coming back after a deregistration starts a new
        // registration; one still registered keeps its date.
        tx.execute(
            "INSERT INTO net_handles (handle, registered_at) VALUES ($1, $2) \
             ON CONFLICT (handle) DO UPDATE SET registered_at = CASE \
               WHEN net_handles.deregistered_at IS NULL THEN net_handles.registered_at \
               ELSE excluded.registered_at END, \
             deregistered_at = NULL",
            args![&d.handle, now],
        )
        .await?;
        tx.execute(
            "INSERT INTO net_devices (id, handle, name, enc_kem, enc_key, enc_key_id, sign_key, \
             token_hash, created_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
            args![
                &d.id,
                &d.handle,
                &d.name,
                &d.enc_kem,
                Some(d.enc_key.clone()),
                i64::from(d.enc_key_id),
                Some(d.sign_key.clone()),
                Some(d.token_hash.clone()),
                now,
            ],
        )
        .await?;
        let sql = format!(
            "SELECT {DEVICE_COLUMNS} FROM net_devices \
             WHERE handle = $1 AND id <> $2 AND revoked_at IS NULL ORDER BY id"
        );
        let others: Vec<DeviceRow> = tx.fetch_all(&sql, args![&d.handle, &d.id]).await?;
        tx.commit().await?;
        others.into_iter().map(device).collect()
    }

    /// The device whose token hashes to `token_hash`, unless it is revoked.
    pub async fn device_by_token(&self, token_hash: &[u8]) -> Result<Option<DeviceRecord>> {
        let sql = format!(
            "SELECT {DEVICE_COLUMNS} FROM net_devices \
             WHERE token_hash = $1 AND revoked_at IS NULL"
        );
        let mut tx = self.db.read().await?;
        let row: Option<DeviceRow> =
            tx.fetch_optional(&sql, args![Some(token_hash.to_vec())]).await?;
        tx.commit().await?;
        row.map(device).transpose()
    }

    /// A device by id, revoked or not.
    pub async fn device(&self, id: &str) -> Result<Option<DeviceRecord>> {
        let sql = format!("SELECT {DEVICE_COLUMNS} FROM net_devices WHERE id = $1");
        let mut tx = self.db.read().await?;
        let row: Option<DeviceRow> = tx.fetch_optional(&sql, args![id]).await?;
        tx.commit().await?;
        row.map(device).transpose()
    }

    /// Records that the device was seen at `now`. The time only moves
    /// forward: an older `now` (another node's clock, a late request)
    /// changes nothing.
    pub async fn touch_device(&self, id: &str, now: SystemTime) -> Result<()> {
        let mut tx = self.db.write().await?;
        tx.execute(
            "UPDATE net_devices SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2",
            args![id, to_ms(now)],
        )
        .await?;
        tx.commit().await
    }

    /// The handle's devices that are not revoked and were seen at or after
    /// `seen_since`, by id: the directory entry, and the devices a send
    /// must address.
    pub async fn active_devices(
        &self,
        handle: &str,
        seen_since: SystemTime,
    ) -> Result<Vec<DeviceRecord>> {
        let sql = format!(
            "SELECT {DEVICE_COLUMNS} FROM net_devices \
             WHERE handle = $1 AND revoked_at IS NULL AND last_seen_at >= $2 ORDER BY id"
        );
        let mut tx = self.db.read().await?;
        let rows: Vec<DeviceRow> = tx.fetch_all(&sql, args![handle, to_ms(seen_since)]).await?;
        tx.commit().await?;
        rows.into_iter().map(device).collect()
    }

    /// Replaces the device's public encryption key (rotation). False when
    /// there is no such device that is not revoked. The caller checks that
    /// `key_id` went up.
    pub async fn set_enc_key(&self, id: &str, kem: &str, key: &[u8], key_id: u32) -> Result<bool> {
        let mut tx = self.db.write().await?;
        let n = tx
            .execute(
                "UPDATE net_devices SET enc_kem = $2, enc_key = $3, enc_key_id = $4 \
                 WHERE id = $1 AND revoked_at IS NULL",
                args![id, kem, Some(key.to_vec()), i64::from(key_id)],
            )
            .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    /// The handle's registration, if it ever had a device.
    pub async fn handle(&self, handle: &str) -> Result<Option<HandleRecord>> {
        let mut tx = self.db.read().await?;
        let row: Option<HandleRow> = tx
            .fetch_optional(
                "SELECT handle, registered_at, deregistered_at FROM net_handles WHERE handle = $1",
                args![handle],
            )
            .await?;
        tx.commit().await?;
        Ok(row.map(|r| HandleRecord {
            handle: r.handle,
            registered_at: from_ms(r.registered_at),
            deregistered_at: r.deregistered_at.map(from_ms),
        }))
    }

    /// Deregisters a handle: revokes every device of it (their tokens stop
    /// working at once), deletes and returns their queued envelopes, makes
    /// every fallback row addressed to the handle due at `now` (at the
    /// latest) and returns those rows, decides which senders are told that
    /// the handle is unregistered, and marks the handle deregistered, all
    /// in one transaction.
    ///
    /// The fallback rows stay in the store: the hub's fallback timer sends
    /// them as it sends any due fallback (outbox key, then
    /// [`Network::finish_fallback`]), so a crash loses none. The senders
    /// to tell (`unregistered`) are those of the deleted envelopes whose
    /// send keeps no fallback row for the handle, sends from the handle's
    /// own devices left out.
    ///
    /// Calling it again revokes and deletes nothing more and tells nobody;
    /// it returns the fallback rows still kept.
    ///
    /// When it returns fallback rows, it announces that fallbacks are due
    /// (`wake.rs`), so that every node's fallback timer looks.
    pub async fn deregister(&self, handle: &str, now: SystemTime) -> Result<Deregistered> {
        let now = to_ms(now);
        let mut tx = self.db.write().await?;
        // The handle row first: see the module doc. The first
        // deregistration's time stays.
        tx.execute(
            "UPDATE net_handles SET deregistered_at = COALESCE(deregistered_at, $2) \
             WHERE handle = $1",
            args![handle, now],
        )
        .await?;
        let revoked: Vec<(String,)> = tx
            .fetch_all(
                "UPDATE net_devices SET revoked_at = $2, token_hash = NULL \
                 WHERE handle = $1 AND revoked_at IS NULL RETURNING id",
                args![handle, now],
            )
            .await?;
        // Fallback rows before envelopes: the lock order of every
        // transaction that writes both (see `fallbacks.rs`), and by send
        // id, as an ack takes them. Every row of the handle is locked, so
        // none is finished or cancelled before this commits.
        let sql = format!(
            "SELECT send_id FROM net_fallbacks WHERE recipient_handle = $1 \
             ORDER BY send_id{}",
            for_update(&tx)
        );
        let _: Vec<(String,)> = tx.fetch_all(&sql, args![handle]).await?;
        tx.execute(
            "UPDATE net_fallbacks SET due_at = CASE WHEN due_at > $2 THEN $2 ELSE due_at END \
             WHERE recipient_handle = $1",
            args![handle, now],
        )
        .await?;
        let sql = format!(
            "DELETE FROM net_envelopes \
             WHERE recipient_device IN (SELECT id FROM net_devices WHERE handle = $1) \
             RETURNING {ENVELOPE_COLUMNS}"
        );
        let envelopes: Vec<EnvelopeRow> = tx.fetch_all(&sql, args![handle]).await?;
        // Read after the delete: a send that committed its envelopes (and
        // so its fallback row) before the delete saw them is seen here.
        let sql = format!(
            "SELECT {FALLBACK_COLUMNS} FROM {FALLBACK_FROM} \
             WHERE f.recipient_handle = $1 ORDER BY f.send_id"
        );
        let fallbacks: Vec<FallbackRow> = tx.fetch_all(&sql, args![handle]).await?;
        let kept: BTreeSet<&str> = fallbacks.iter().map(|f| f.send_id.as_str()).collect();
        let sends: BTreeSet<&str> = envelopes
            .iter()
            .filter(|e| e.sender_device.is_some())
            .filter_map(|e| e.send_id.as_deref())
            .filter(|send| !kept.contains(send))
            .collect();
        let sends: Vec<&str> = sends.into_iter().collect();
        let mut unregistered = Vec::new();
        for chunk in sends.chunks(IN_CHUNK) {
            let sql = format!(
                "SELECT s.id, s.sender_device, s.client_message_id \
                 FROM net_sends s JOIN net_devices d ON d.id = s.sender_device \
                 WHERE d.handle <> $1 AND s.id IN ({}) ORDER BY s.id",
                placeholders(2, chunk.len())
            );
            let mut args = args![handle];
            args.extend(chunk.iter().map(|&id| Arg::from(id)));
            let rows: Vec<UnregisteredRow> = tx.fetch_all(&sql, args).await?;
            unregistered.extend(rows.into_iter().map(|r| UnregisteredSend {
                send_id: r.id,
                sender_device: r.sender_device,
                client_message_id: r.client_message_id,
            }));
        }
        let fell_due = !fallbacks.is_empty();
        if fell_due {
            self.wake.announce_fallbacks(&mut tx).await?;
        }
        tx.commit().await?;
        if fell_due {
            self.wake.fallbacks_committed();
        }
        let mut revoked: Vec<String> = revoked.into_iter().map(|(id,)| id).collect();
        revoked.sort();
        let mut envelopes: Vec<_> = envelopes.into_iter().map(envelope).collect();
        envelopes.sort_by(|a, b| a.id.cmp(&b.id));
        let fallbacks: Vec<_> = fallbacks.into_iter().map(fallback).collect();
        if !revoked.is_empty() {
            tracing::info!(
                devices = revoked.len(),
                envelopes = envelopes.len(),
                fallbacks = fallbacks.len(),
                unregistered = unregistered.len(),
                "deregistered a handle"
            );
        }
        Ok(Deregistered { revoked, envelopes, fallbacks, unregistered })
    }
}

fn device(r: DeviceRow) -> Result<DeviceRecord> {
    Ok(DeviceRecord {
        id: r.id,
        handle: r.handle,
        name: r.name,
        enc_kem: r.enc_kem,
        enc_key: r.enc_key,
        enc_key_id: narrow(r.enc_key_id, "key id")?,
        sign_key: r.sign_key,
        created_at: from_ms(r.created_at),
        last_seen_at: from_ms(r.last_seen_at),
        revoked_at: r.revoked_at.map(from_ms),
    })
}
