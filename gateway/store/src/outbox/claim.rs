//! Handing parts to senders, and taking them back from senders that died.

use std::time::SystemTime;

use super::common::{self, Part, PartRow, PART_COLUMNS};
use crate::db::{args, row, Backend, Tx};
use crate::error::{Error, Result};
use crate::model::{
    narrow, to_ms, ClaimedPart, Claimer, ErrorClass, MessageId, NodeId, PartId, PartState,
    Transition,
};
use crate::Store;

row! {
    struct Candidate {
        id: i64,
        message_id: String,
        seq: i64,
        total: i64,
        pdu: String,
        tpdu_length: i64,
        attempts: i64,
        destination: String,
        delivery_report: bool,
    }
}

/// Every claimable part for `$2`'s SIM at time `$1`, best first: highest
/// priority, then oldest message, then part order.
const CANDIDATES: &str = "SELECT p.id, p.message_id, p.seq, p.total, p.pdu, p.tpdu_length, \
       p.attempts, m.destination, m.delivery_report \
     FROM outbound_parts p JOIN outbound_messages m ON m.id = p.message_id \
     WHERE p.state = 'queued' \
       AND (p.next_attempt_at IS NULL OR p.next_attempt_at <= $1) \
       AND (m.send_after IS NULL OR m.send_after <= $1) \
       AND (m.expires_at IS NULL OR m.expires_at > $1) \
       AND (m.sim_iccid IS NULL OR m.sim_iccid = $2) \
     ORDER BY m.priority DESC, m.created_at, m.id, p.seq \
     LIMIT 1";

/// How often a claim starts over after losing a race for a message's SIM
/// pin to another claimer (PostgreSQL only).
const CLAIM_RACES: usize = 4;

impl Store {
    /// Claims the next part to send through `claimer`'s SIM and marks it
    /// `submitting`. Skips parts not yet due (`send_after`, retry backoff),
    /// expired ones, and those of messages pinned to another SIM. Two
    /// claimers never get the same part.
    pub async fn claim_next_part(
        &self,
        claimer: &Claimer,
        now: SystemTime,
    ) -> Result<Option<ClaimedPart>> {
        let now = to_ms(now);
        for _ in 0..CLAIM_RACES {
            let mut tx = self.db.write().await?;
            let sql = match tx.backend() {
                Backend::Sqlite => CANDIDATES.to_string(),
                Backend::Postgres => format!("{CANDIDATES} FOR UPDATE OF p SKIP LOCKED"),
            };
            let found: Option<Candidate> =
                tx.fetch_optional(&sql, args![now, &claimer.sim.0]).await?;
            let Some(c) = found else {
                tx.rollback().await?;
                return Ok(None);
            };
            let message = MessageId::parse_stored(&c.message_id)?;
            // Lock the message and look at its pin again: another claimer
            // may have pinned it since our snapshot. If so, step aside and
            // wake the others, since the claimer the message is pinned to
            // may have skipped this part while we held its lock.
            let sql = format!(
                "SELECT sim_iccid FROM outbound_messages WHERE id = $1{}",
                common::for_update(&tx)
            );
            let (pin,): (Option<String>,) = tx.fetch_one(&sql, args![&c.message_id]).await?;
            if pin.as_ref().is_some_and(|p| *p != claimer.sim.0) {
                tracing::debug!(message = %message, "claim lost the race for the message's SIM");
                tx.rollback().await?;
                self.wake_everyone().await?;
                continue;
            }
            let attempt = c.attempts + 1;
            let n = tx.execute(
                "UPDATE outbound_parts SET state = 'submitting', attempts = $2, claimed_by = $3, \
                 claimed_at = $4, modem_id = $5, sim_iccid = $6, updated_at = $4 \
                 WHERE id = $1 AND state = 'queued'",
                args![c.id, attempt, &claimer.node.0, now, &claimer.modem.0, &claimer.sim.0],
            )
            .await?;
            if n != 1 {
                // Held under lock, so this cannot happen; stay on the safe
                // side and hand out nothing.
                tx.rollback().await?;
                return Err(Error::Corrupt(format!("part {} left the queue under lock", c.id)));
            }
            if pin.is_none() {
                tx.execute(
                    "UPDATE outbound_messages SET sim_iccid = $2 WHERE id = $1",
                    args![&c.message_id, &claimer.sim.0],
                )
                .await?;
            }
            let seq = narrow(c.seq, "part seq")?;
            let detail = format!("attempt {attempt} on modem {}", claimer.modem);
            common::history(
                &mut tx,
                message,
                Some(seq),
                Some("queued"),
                "submitting",
                now,
                Some(detail),
            )
            .await?;
            common::roll_up(&mut tx, message, now).await?;
            tx.commit().await?;
            return Ok(Some(ClaimedPart {
                part: PartId(c.id),
                message,
                seq,
                total: narrow(c.total, "part total")?,
                destination: c.destination,
                pdu_hex: c.pdu,
                tpdu_length: narrow(c.tpdu_length, "TPDU length")?,
                delivery_report: c.delivery_report,
                attempt: narrow(attempt, "attempts")?,
                claimer: claimer.clone(),
            }));
        }
        Ok(None)
    }

    /// Puts back every part that `node` left `submitting`: run at start,
    /// before any claim. Whether the network took such a part is unknown,
    /// so it is sent again (at least once): duplicates are bounded by the
    /// parts in flight at the crash, one per modem.
    pub async fn recover_after_crash(
        &self,
        node: &NodeId,
        now: SystemTime,
    ) -> Result<Vec<Transition>> {
        self.requeue_where("claimed_by = $1", args![&node.0], "recovered after a crash", now).await
    }

    /// Puts back parts claimed before `claimed_before` by any node: for a
    /// node that died and does not come back. Choose the cut-off well past
    /// the longest `+CMGS` time-out, or a live sender loses its claim (it
    /// then gets [`crate::Error::ClaimLost`], and the part may go out
    /// twice).
    pub async fn recover_stale(
        &self,
        claimed_before: SystemTime,
        now: SystemTime,
    ) -> Result<Vec<Transition>> {
        self.requeue_where("claimed_at < $1", args![to_ms(claimed_before)], "claim went stale", now)
            .await
    }

    async fn requeue_where(
        &self,
        filter: &str,
        filter_args: Vec<crate::db::Arg>,
        why: &str,
        now: SystemTime,
    ) -> Result<Vec<Transition>> {
        let now = to_ms(now);
        let mut tx = self.db.write().await?;
        let lock = match tx.backend() {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        };
        let sql = format!(
            "SELECT {PART_COLUMNS} FROM outbound_parts \
             WHERE state = 'submitting' AND {filter} ORDER BY message_id, seq{lock}"
        );
        let rows: Vec<PartRow> = tx.fetch_all(&sql, filter_args).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let part: Part = row.try_into()?;
            out.push(requeue_unknown(&mut tx, &part, why, now).await?);
        }
        if !out.is_empty() {
            self.notify(&mut tx).await?;
        }
        tx.commit().await?;
        if !out.is_empty() {
            tracing::warn!(parts = out.len(), why, "parts requeued; they may go out twice");
            self.woke();
        }
        Ok(out)
    }
}

/// `submitting → queued` for a part whose send may or may not have reached
/// the network; claimable again at once.
pub(super) async fn requeue_unknown(
    tx: &mut Tx,
    part: &Part,
    why: &str,
    now: i64,
) -> Result<Transition> {
    let t = common::move_part(
        tx,
        part,
        PartState::Queued,
        "next_attempt_at = NULL, claimed_by = NULL, claimed_at = NULL, \
         last_error_code = $4, last_error_class = $5",
        args!["outcome-unknown", ErrorClass::Unknown.name()],
        now,
        Some(why.to_string()),
    )
    .await?;
    common::unpin_if_unsent(tx, part.message).await?;
    Ok(t)
}
