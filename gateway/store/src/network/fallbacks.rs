//! SMS fallback text: plaintext a sender handed over for SMS, kept for a
//! blue recipient of a send until one of three things deletes the row: an
//! ack from a device of the recipient ([`Network::ack`]), the fallback
//! going out as SMS ([`Network::finish_fallback`]), or the recipient's
//! deregistration ([`Network::deregister`]). No copy of the text is kept
//! anywhere else in these tables.
//!
//! Every transaction that deletes fallback rows and envelopes deletes the
//! fallback rows first, so on PostgreSQL they lock rows in one order and
//! never deadlock; whichever of an ack and a fallback commits first wins,
//! and the other finds the row gone.
//!
//! The hub's fallback worker: take [`Network::due_fallbacks`], enqueue each
//! as an SMS with an outbox idempotency key made from the send id and the
//! handle, then call [`Network::finish_fallback`]. A crash between the two
//! sends nothing twice (the key), and the row is still there to retry; an
//! ack in between means the SMS goes out although a device has the
//! message, the price of never losing one.

use std::time::SystemTime;

use super::{batch, fallback, FallbackRow, Network, FALLBACK_COLUMNS};
use crate::db::args;
use crate::error::Result;
use crate::model::{from_ms, to_ms, FallbackRecord, FinishedFallback};

impl Network<'_> {
    /// Up to `limit` (at most [`super::MAX_BATCH`]) fallbacks due at or
    /// before `now`, earliest first.
    pub async fn due_fallbacks(&self, now: SystemTime, limit: u32) -> Result<Vec<FallbackRecord>> {
        let sql = format!(
            "SELECT {FALLBACK_COLUMNS} FROM net_fallbacks WHERE due_at <= $1 \
             ORDER BY due_at, send_id, recipient_handle LIMIT $2"
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
    /// device acked, the handle was deregistered, or another node finished
    /// it first.
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
}
