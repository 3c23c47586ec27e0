//! A claimed part's fate (submitted, retry, failed, unknown), expiry, and
//! status reports.

use std::time::SystemTime;

use super::claim::requeue_unknown;
use super::common::{self, Part, PartRow, PART_COLUMNS};
use crate::db::{args, row, Backend, Tx};
use crate::error::Result;
use crate::model::{to_ms, ClaimedPart, PartState, Report, SendError, Transition};
use crate::Store;

impl Store {
    /// `submitting → submitted`: the modem answered `+CMGS: <mr>`. Without
    /// a delivery report this is the part's last state.
    pub async fn mark_submitted(
        &self,
        claim: &ClaimedPart,
        mr: u8,
        now: SystemTime,
    ) -> Result<Transition> {
        let now = to_ms(now);
        let mut tx = self.db.write().await?;
        let part = common::claimed(&mut tx, claim, PartState::Submitted).await?;
        let detail = format!("mr {mr} on modem {}", claim.claimer.modem);
        let t = common::move_part(
            &mut tx,
            &part,
            PartState::Submitted,
            "mr = $4, submitted_at = $3, claimed_by = NULL, claimed_at = NULL",
            args![i64::from(mr)],
            now,
            Some(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(t)
    }

    /// `submitting → queued` after a temporary error: claimable again from
    /// `next_attempt_at`. The caller picks the backoff and bounds the
    /// attempts ([`ClaimedPart::attempt`]).
    pub async fn mark_retry(
        &self,
        claim: &ClaimedPart,
        error: &SendError,
        next_attempt_at: SystemTime,
        now: SystemTime,
    ) -> Result<Transition> {
        let now = to_ms(now);
        let mut tx = self.db.write().await?;
        let part = common::claimed(&mut tx, claim, PartState::Queued).await?;
        let t = common::move_part(
            &mut tx,
            &part,
            PartState::Queued,
            "next_attempt_at = $4, claimed_by = NULL, claimed_at = NULL, \
             last_error_code = $5, last_error_class = $6",
            args![to_ms(next_attempt_at), &error.code, error.class.name()],
            now,
            Some(error_detail(error)),
        )
        .await?;
        common::unpin_if_unsent(&mut tx, part.message).await?;
        self.notify(&mut tx).await?;
        tx.commit().await?;
        self.woke();
        Ok(t)
    }

    /// `submitting → failed` after a permanent error.
    pub async fn mark_failed(
        &self,
        claim: &ClaimedPart,
        error: &SendError,
        now: SystemTime,
    ) -> Result<Transition> {
        let now = to_ms(now);
        let mut tx = self.db.write().await?;
        let part = common::claimed(&mut tx, claim, PartState::Failed).await?;
        let t = common::move_part(
            &mut tx,
            &part,
            PartState::Failed,
            "claimed_by = NULL, claimed_at = NULL, last_error_code = $4, last_error_class = $5",
            args![&error.code, error.class.name()],
            now,
            Some(error_detail(error)),
        )
        .await?;
        common::unpin_if_unsent(&mut tx, part.message).await?;
        tx.commit().await?;
        Ok(t)
    }

    /// `submitting → queued` when the outcome is unknown, e.g. the modem
    /// was unplugged mid-send: the part is claimable again at once, by any
    /// modem if no other part of its message went out. At least once: the
    /// recipient may get it twice.
    pub async fn mark_unknown(&self, claim: &ClaimedPart, now: SystemTime) -> Result<Transition> {
        let now = to_ms(now);
        let mut tx = self.db.write().await?;
        let part = common::claimed(&mut tx, claim, PartState::Queued).await?;
        let t = requeue_unknown(&mut tx, &part, "outcome unknown", now).await?;
        self.notify(&mut tx).await?;
        tx.commit().await?;
        self.woke();
        Ok(t)
    }

    /// `queued → expired` for every part whose message's validity ran out
    /// before it was claimed. Parts on the wire finish normally; the SMSC
    /// applies the validity to submitted ones.
    pub async fn expire_due(&self, now: SystemTime) -> Result<Vec<Transition>> {
        let now = to_ms(now);
        let mut tx = self.db.write().await?;
        let lock = match tx.backend() {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE OF p SKIP LOCKED",
        };
        let sql = format!(
            "SELECT p.id, p.message_id, p.seq, p.state, p.attempts \
             FROM outbound_parts p JOIN outbound_messages m ON m.id = p.message_id \
             WHERE p.state = 'queued' AND m.expires_at IS NOT NULL AND m.expires_at <= $1 \
             ORDER BY p.message_id, p.seq{lock}"
        );
        let rows: Vec<PartRow> = tx.fetch_all(&sql, args![now]).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let part: Part = row.try_into()?;
            let detail = Some("validity ran out".to_string());
            out.push(
                common::move_part(&mut tx, &part, PartState::Expired, "", vec![], now, detail)
                    .await?,
            );
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Matches a status report to the most recent `submitted` part that
    /// went out through the report's SIM with its TP-MR and asked for a
    /// report. TP-MR wraps at 256, so only the latest such part can be
    /// meant. A final report moves the part to `delivered`, `failed` or
    /// `expired`; a "still trying" report only records TP-ST. `None` when
    /// no part matches (late, duplicate or foreign reports).
    ///
    /// Idempotent: a report stored on the modem (TS 27.005 3.4.1 `<ds>`=2)
    /// is deleted only after this commit, so a crash in between hands the
    /// same report over again. When the latest part with the report's SIM
    /// and TP-MR already holds it (the same final state and TP-ST, and for
    /// `delivered` the same discharge time), it is that duplicate and
    /// changes nothing, rather than falling through to an older part that
    /// shares the wrapped TP-MR. A failure report carries no time the part
    /// keeps, so there the TP-ST alone decides.
    pub async fn match_status_report(
        &self,
        report: &Report,
        now: SystemTime,
    ) -> Result<Option<Transition>> {
        let now = to_ms(now);
        let mut tx = self.db.write().await?;
        if is_duplicate(&mut tx, report).await? {
            tx.rollback().await?;
            return Ok(None);
        }
        let sql = format!(
            "SELECT {PART_COLUMNS} FROM outbound_parts \
             WHERE sim_iccid = $1 AND mr = $2 AND state = 'submitted' AND message_id IN ( \
               SELECT id FROM outbound_messages WHERE delivery_report) \
             ORDER BY submitted_at DESC, id DESC LIMIT 1{}",
            common::for_update(&tx)
        );
        let row: Option<PartRow> =
            tx.fetch_optional(&sql, args![&report.sim.0, i64::from(report.mr)]).await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(None);
        };
        let part: Part = row.try_into()?;
        let st = i64::from(report.status.0);
        let t = match report.part_state() {
            Some(to) => {
                let delivered_at =
                    (to == PartState::Delivered).then(|| report.discharged_at.map_or(now, to_ms));
                let detail = format!("tp-st 0x{:02x}: {}", report.status.0, report.status.name());
                common::move_part(
                    &mut tx,
                    &part,
                    to,
                    "report_status = $4, delivered_at = $5",
                    args![st, delivered_at],
                    now,
                    Some(detail),
                )
                .await?
            }
            None => {
                tx.execute(
                    "UPDATE outbound_parts SET report_status = $2, updated_at = $3 WHERE id = $1",
                    args![part.id.0, st, now],
                )
                .await?;
                let (status, _) = common::roll_up(&mut tx, part.message, now).await?;
                Transition {
                    message: part.message,
                    seq: part.seq,
                    part_state: part.state,
                    status,
                    status_changed: false,
                }
            }
        };
        tx.commit().await?;
        Ok(Some(t))
    }
}

row! {
    struct LatestRow {
        state: String,
        report_status: Option<i64>,
        delivered_at: Option<i64>,
    }
}

/// Whether `report` is the one the latest part sent through its SIM with
/// its TP-MR (and a report asked for) already took: see
/// [`Store::match_status_report`].
async fn is_duplicate(tx: &mut Tx, report: &Report) -> Result<bool> {
    let Some(to) = report.part_state() else {
        // "Still trying" reports only record TP-ST; applying one twice is
        // harmless.
        return Ok(false);
    };
    let latest: Option<LatestRow> = tx
        .fetch_optional(
            "SELECT state, report_status, delivered_at FROM outbound_parts \
             WHERE sim_iccid = $1 AND mr = $2 AND submitted_at IS NOT NULL AND message_id IN ( \
               SELECT id FROM outbound_messages WHERE delivery_report) \
             ORDER BY submitted_at DESC, id DESC LIMIT 1",
            args![&report.sim.0, i64::from(report.mr)],
        )
        .await?;
    let Some(latest) = latest else { return Ok(false) };
    if PartState::parse_stored(&latest.state)? != to
        || latest.report_status != Some(i64::from(report.status.0))
    {
        return Ok(false);
    }
    Ok(match to {
        PartState::Delivered => {
            report.discharged_at.is_some_and(|t| latest.delivered_at == Some(to_ms(t)))
        }
        _ => true,
    })
}

fn error_detail(e: &SendError) -> String {
    format!("{} ({})", e.code, e.class)
}
