//! SMS fallback text: plaintext a sender handed over for SMS, kept for a
//! blue recipient of a send until one of three things deletes the row: an
//! ack from a device of the recipient ([`Network::ack`]), the fallback
//! going out as SMS ([`Network::finish_fallback`]), or the SMS policy
//! refusing it for good ([`Network::drop_fallback`]). The recipient's
//! deregistration ([`Network::deregister`]) keeps the row and makes it due
//! at once, so it goes out by the same durable path. No copy of the text
//! is kept anywhere else in these tables.
//!
//! Every transaction that writes fallback rows and envelopes locks the
//! fallback rows first (several by send id), so on PostgreSQL they lock
//! rows in one order; whichever of an ack and a fallback commits first
//! wins, and the other finds the row gone. An ack cancels a row only when
//! it deletes an envelope of it, so an ack that lost to a deregistration
//! (which keeps the row, due now) cancels nothing.
//!
//! The hub's fallback worker: take [`Network::due_fallbacks`], enqueue each
//! as an SMS with an outbox idempotency key made from the send id and the
//! handle, then call [`Network::finish_fallback`]. A crash between the two
//! sends nothing twice (the key), and the row is still there to retry; an
//! ack in between means the SMS goes out although a device has the
//! message, the price of never losing one. A fallback the policy refuses
//! for good is ended with [`Network::drop_fallback`] instead.

use std::time::SystemTime;

use super::{batch, fallback, FallbackRow, Network, FALLBACK_COLUMNS, FALLBACK_FROM};
use crate::db::args;
use crate::error::Result;
use crate::model::{from_ms, to_ms, FallbackRecord, FinishedFallback};

impl Network<'_> {
    /// Up to `limit` (at most [`super::MAX_BATCH`]) fallbacks due at or
    /// before `now`, earliest first, each with its send's client message
    /// id.
    pub async fn due_fallbacks(&self, now: SystemTime, limit: u32) -> Result<Vec<FallbackRecord>> {
        let sql = format!(
            "SELECT {FALLBACK_COLUMNS} FROM {FALLBACK_FROM} WHERE f.due_at <= $1 \
             ORDER BY f.due_at, f.send_id, f.recipient_handle LIMIT $2"
        );
        let mut tx = self.db.read().await?;
        let rows: Vec<FallbackRow> =
            tx.fetch_all(&sql, vec![to_ms(now).into(), batch(limit)]).await?;
        tx.commit().await?;
        Ok(rows.into_iter().map(fallback).collect())
    }

    /// When the next fallback falls due; `None` when none is kept.
    pub async fn next_fallback_due(&self) -> Result<Option<SystemTime>> {
        let mut tx = self.db.read().await?;
        let (t,): (Option<i64>,) =
            tx.fetch_one("SELECT MIN(due_at) FROM net_fallbacks", vec![]).await?;
        tx.commit().await?;
        Ok(t.map(from_ms))
    }

    /// Ends a fallback that went out as SMS: deletes its row and the
    /// recipient's unacked envelopes of the send, in one transaction.
    /// `None`, and nothing deleted, when the row was gone already: a
    /// device acked, or another node finished it first.
    pub async fn finish_fallback(
        &self,
        send_id: &str,
        recipient_handle: &str,
    ) -> Result<Option<FinishedFallback>> {
        let mut tx = self.db.write().await?;
        let n = tx
            .execute(
                "DELETE FROM net_fallbacks WHERE send_id = $1 AND recipient_handle = $2",
                args![send_id, recipient_handle],
            )
            .await?;
        if n == 0 {
            tx.rollback().await?;
            return Ok(None);
        }
        let deleted_envelopes = tx
            .execute(
                "DELETE FROM net_envelopes WHERE send_id = $1 AND recipient_handle = $2",
                args![send_id, recipient_handle],
            )
            .await?;
        tx.commit().await?;
        Ok(Some(FinishedFallback { deleted_envelopes }))
    }

    /// Ends a fallback that will never go out (the SMS policy refuses it
    /// for good): deletes its row only. The recipient's envelopes of the
    /// send stay, to be acked or to expire as any other. False when the
    /// row was gone already.
    pub async fn drop_fallback(&self, send_id: &str, recipient_handle: &str) -> Result<bool> {
        let mut tx = self.db.write().await?;
        let n = tx
            .execute(
                "DELETE FROM net_fallbacks WHERE send_id = $1 AND recipient_handle = $2",
                args![send_id, recipient_handle],
            )
            .await?;
        tx.commit().await?;
        Ok(n > 0)
    }
}
