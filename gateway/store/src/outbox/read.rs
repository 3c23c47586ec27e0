//! Reading the outbox: one message with its parts and history, and when
//! the next work falls due.

use std::time::SystemTime;

use crate::db::{args, row};
use crate::error::Result;
use crate::model::{
    from_ms, narrow, parse_coding, to_ms, ErrorClass, HistoryEntry, Iccid, MessageId,
    MessageStatus, ModemId, OutboundMessage, OutboundPart, PartId, PartState, SendError,
};
use crate::Store;

row! {
    struct MessageRow {
        destination: String,
        body: String,
        coding: String,
        priority: i64,
        delivery_report: bool,
        status: String,
        sim_iccid: Option<String>,
        created_at: i64,
        send_after: Option<i64>,
        expires_at: Option<i64>,
        updated_at: i64,
    }
}

row! {
    struct PartRow {
        id: i64,
        seq: i64,
        total: i64,
        pdu: String,
        tpdu_length: i64,
        state: String,
        attempts: i64,
        next_attempt_at: Option<i64>,
        modem_id: Option<String>,
        sim_iccid: Option<String>,
        mr: Option<i64>,
        report_status: Option<i64>,
        last_error_code: Option<String>,
        last_error_class: Option<String>,
        submitted_at: Option<i64>,
        delivered_at: Option<i64>,
    }
}

row! {
    struct HistoryRow {
        part_seq: Option<i64>,
        from_state: Option<String>,
        to_state: String,
        at: i64,
        detail: Option<String>,
    }
}

impl Store {
    /// A message with its parts (in order) and history (oldest first).
    pub async fn message(&self, id: MessageId) -> Result<Option<OutboundMessage>> {
        let key = id.to_string();
        let mut tx = self.db.read().await?;
        let row: Option<MessageRow> = tx
            .fetch_optional(
                "SELECT destination, body, coding, priority, delivery_report, status, sim_iccid, \
                 created_at, send_after, expires_at, updated_at \
                 FROM outbound_messages WHERE id = $1",
                args![&key],
            )
            .await?;
        let Some(m) = row else { return Ok(None) };
        let parts: Vec<PartRow> = tx
            .fetch_all(
                "SELECT id, seq, total, pdu, tpdu_length, state, attempts, next_attempt_at, \
                 modem_id, sim_iccid, mr, report_status, last_error_code, last_error_class, \
                 submitted_at, delivered_at \
                 FROM outbound_parts WHERE message_id = $1 ORDER BY seq",
                args![&key],
            )
            .await?;
        let history: Vec<HistoryRow> = tx
            .fetch_all(
                "SELECT part_seq, from_state, to_state, at, detail \
                 FROM outbound_history WHERE message_id = $1 ORDER BY id",
                args![&key],
            )
            .await?;
        tx.commit().await?;
        Ok(Some(OutboundMessage {
            id,
            destination: m.destination,
            body: m.body,
            coding: parse_coding(&m.coding)?,
            priority: narrow(m.priority, "priority")?,
            delivery_report: m.delivery_report,
            status: MessageStatus::parse_stored(&m.status)?,
            sim: m.sim_iccid.map(Iccid),
            created_at: from_ms(m.created_at),
            send_after: m.send_after.map(from_ms),
            expires_at: m.expires_at.map(from_ms),
            updated_at: from_ms(m.updated_at),
            parts: parts.into_iter().map(part).collect::<Result<_>>()?,
            history: history
                .into_iter()
                .map(|h| {
                    Ok(HistoryEntry {
                        part: h.part_seq.map(|s| narrow(s, "history part")).transpose()?,
                        from: h.from_state,
                        to: h.to_state,
                        at: from_ms(h.at),
                        detail: h.detail,
                    })
                })
                .collect::<Result<_>>()?,
        }))
    }

    /// The earliest time after `now` at which a queued part becomes
    /// claimable or expires, if any part waits for a time. A sender with
    /// nothing to claim sleeps until then (or a wake-up), not in a polling
    /// loop. Parts claimable already are not counted: claim them. The time
    /// is for any SIM, so a sender may wake for a part pinned to another.
    pub async fn next_due(&self, now: SystemTime) -> Result<Option<SystemTime>> {
        let mut tx = self.db.read().await?;
        let (due,): (Option<i64>,) = tx
            .fetch_one(
                "SELECT MIN(t) FROM ( \
                   SELECT CASE WHEN COALESCE(p.next_attempt_at, 0) > COALESCE(m.send_after, 0) \
                               THEN p.next_attempt_at ELSE m.send_after END AS t \
                   FROM outbound_parts p JOIN outbound_messages m ON m.id = p.message_id \
                   WHERE p.state = 'queued' \
                   UNION ALL \
                   SELECT m.expires_at AS t \
                   FROM outbound_parts p JOIN outbound_messages m ON m.id = p.message_id \
                   WHERE p.state = 'queued' \
                 ) AS due WHERE t > $1",
                args![to_ms(now)],
            )
            .await?;
        tx.commit().await?;
        Ok(due.map(from_ms))
    }
}

fn part(p: PartRow) -> Result<OutboundPart> {
    let last_error = match (p.last_error_code, p.last_error_class) {
        (Some(code), Some(class)) => {
            Some(SendError { code, class: ErrorClass::parse_stored(&class)? })
        }
        _ => None,
    };
    Ok(OutboundPart {
        id: PartId(p.id),
        seq: narrow(p.seq, "part seq")?,
        total: narrow(p.total, "part total")?,
        pdu_hex: p.pdu,
        tpdu_length: narrow(p.tpdu_length, "TPDU length")?,
        state: PartState::parse_stored(&p.state)?,
        attempts: narrow(p.attempts, "attempts")?,
        next_attempt_at: p.next_attempt_at.map(from_ms),
        modem: p.modem_id.map(ModemId),
        sim: p.sim_iccid.map(Iccid),
        mr: p.mr.map(|v| narrow(v, "TP-MR")).transpose()?,
        report_status: p.report_status.map(|v| narrow(v, "TP-ST")).transpose()?,
        last_error,
        submitted_at: p.submitted_at.map(from_ms),
        delivered_at: p.delivered_at.map(from_ms),
    })
}
