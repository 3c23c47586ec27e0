//! The inbox: received parts, deduplicated and reassembled from the store.
//!
//! A part is stored, checked against the dedup key (sender, SCTS,
//! concatenation reference and sequence, PDU hash) and joined with the
//! parts already held, all in one transaction; the driver deletes the SIM
//! copy only after it returns. Parts of a concatenated message wait in a
//! reassembly buffer row, so a restart loses nothing. Joining reuses
//! [`bubblegate_sms::reassembly::Reassembler`], fed with the stored parts,
//! so the store and the codec agree on how bodies join and which parts are
//! missing.
//!
//! ## The hand-off to the hub
//!
//! A message is stored *pending* (`hub_done_at` NULL): the encrypted
//! network's hub has not handled it yet (a `STOP`, owned-SIM forwarding).
//! [`Store::pending_hand_offs`] lists the pending messages of some modems,
//! oldest first; [`Store::finish_hand_off`] queues the hub's envelopes for
//! one message and marks it handled in one transaction, and does nothing
//! for a message handled already, so handing a message over again after a
//! crash queues no second copy; [`Store::settle_hand_offs`] marks them
//! handled with nothing queued, for a node without a hub. Messages stored
//! before migration 3 count as handled.

use std::time::{Duration, SystemTime};

use bubblegate_sms::reassembly::{Message, Outcome, Reassembler};
use bubblegate_sms::{Body, Concat};
use sha2::{Digest, Sha256};

use crate::db::{args, row, Arg, Backend, Tx};
use crate::error::{Error, Result};
use crate::idempotency::hex;
use crate::model::{
    from_ms, narrow, to_ms, Cursor, Iccid, InboundId, InboundMessage, InboxPage, ModemId,
    NewEnvelope, NewInboundPart, Stored,
};
use crate::Store;

/// The most messages one inbox page holds.
pub const MAX_PAGE: u32 = 500;

row! {
    struct HeldPart {
        concat_seq: i64,
        body_text: Option<String>,
        body_data: Option<Vec<u8>>,
        scts: i64,
        modem_id: String,
        sim_iccid: Option<String>,
    }
}

row! {
    struct BufferRow {
        id: i64,
        sender: String,
        concat_ref: i64,
        total: i64,
        first_seen_at: i64,
    }
}

row! {
    struct MessageRow {
        id: String,
        modem_id: String,
        sim_iccid: Option<String>,
        sender: String,
        concat_ref: Option<i64>,
        total: i64,
        body_text: Option<String>,
        body_data: Option<Vec<u8>>,
        complete: bool,
        missing: String,
        scts: i64,
        received_at: i64,
        stored_at: i64,
    }
}

const MESSAGE_COLUMNS: &str = "id, modem_id, sim_iccid, sender, concat_ref, total, body_text, \
     body_data, complete, missing, scts, received_at, stored_at";

impl Store {
    /// Stores one received part, deduplicated, and returns the message it
    /// completes, if any. A message in one part completes at once.
    pub async fn store_inbound_part(&self, p: &NewInboundPart) -> Result<Stored> {
        let pdu = bubblegate_sms::hex::decode(&p.pdu_hex)
            .map_err(|_| Error::Invalid("the inbound PDU is not hex"))?;
        let pdu_hash = hex(&Sha256::digest(&pdu));
        let concat = p.concat.filter(|c| c.total > 1);
        if let Some(c) = concat {
            if c.seq == 0 || c.seq > c.total {
                return Err(Error::Invalid("a part's sequence number is outside 1..=total"));
            }
        }
        let (reference, seq, total) = match concat {
            Some(c) => (c.reference, c.seq, c.total),
            None => (p.concat.map_or(0, |c| c.reference), 1, 1),
        };
        let receiver = receiver(&p.modem, p.sim.as_ref());
        let (text, data) = body_columns(&p.body);
        let mut tx = self.db.write().await?;

        let buffer = match concat {
            None => None,
            Some(_) => {
                let id = open_buffer(&mut tx, &receiver, p, reference, total).await?;
                let held: Option<(i64,)> = tx
                    .fetch_optional(
                        "SELECT id FROM inbound_parts WHERE buffer_id = $1 AND concat_seq = $2",
                        args![id, i64::from(seq)],
                    )
                    .await?;
                if held.is_some() {
                    // The same part again, with another SCTS or PDU: the
                    // first copy stands.
                    tx.rollback().await?;
                    return Ok(Stored { new: false, complete_message: None });
                }
                Some(id)
            }
        };
        let inserted: Option<(i64,)> = tx
            .fetch_optional(
                "INSERT INTO inbound_parts (sender, scts, concat_ref, concat_seq, total, \
                 pdu_sha256, pdu, body_text, body_data, receiver, modem_id, sim_iccid, \
                 received_at, buffer_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
                 ON CONFLICT (sender, scts, concat_ref, concat_seq, pdu_sha256) DO NOTHING \
                 RETURNING id",
                args![
                    &p.sender,
                    to_ms(p.scts),
                    i64::from(reference),
                    i64::from(seq),
                    i64::from(total),
                    pdu_hash,
                    p.pdu_hex.to_ascii_lowercase(),
                    text,
                    data,
                    &receiver,
                    &p.modem.0,
                    p.sim.as_ref().map(|s| s.0.clone()),
                    to_ms(p.received_at),
                    buffer,
                ],
            )
            .await?;
        let Some((part_id,)) = inserted else {
            tx.rollback().await?;
            return Ok(Stored { new: false, complete_message: None });
        };

        let complete_message = match buffer {
            None => {
                let message = Message {
                    sender: p.sender.clone(),
                    reference: p.concat.map(|c| c.reference),
                    total: 1,
                    body: p.body.clone(),
                    complete: true,
                    missing: Vec::new(),
                };
                let at = to_ms(p.received_at);
                let m = insert_message(&mut tx, &receiver, message, &Source::of_part(p), at, at)
                    .await?;
                tx.execute(
                    "UPDATE inbound_parts SET message_id = $2 WHERE id = $1",
                    args![part_id, m.id.to_string()],
                )
                .await?;
                Some(m)
            }
            Some(buffer) => {
                join_if_complete(&mut tx, &receiver, buffer, to_ms(p.received_at)).await?
            }
        };
        tx.commit().await?;
        Ok(Stored { new: true, complete_message })
    }

    /// Releases every concatenated message that has waited `timeout` since
    /// its first part, marked incomplete with its missing part numbers.
    pub async fn expire_incomplete(
        &self,
        now: SystemTime,
        timeout: Duration,
    ) -> Result<Vec<InboundMessage>> {
        let cutoff = now.checked_sub(timeout).map_or(i64::MIN, to_ms);
        let mut tx = self.db.write().await?;
        let lock = match tx.backend() {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        };
        let sql = format!(
            "SELECT id, receiver, sender, concat_ref, total, first_seen_at \
             FROM reassembly_buffers WHERE first_seen_at <= $1 ORDER BY id{lock}"
        );
        let buffers: Vec<(i64, String, String, i64, i64, i64)> =
            tx.fetch_all(&sql, args![cutoff]).await?;
        let mut out = Vec::new();
        for (id, receiver, sender, concat_ref, total, first_seen_at) in buffers {
            let b = BufferRow { id, sender, concat_ref, total, first_seen_at };
            let parts = held_parts(&mut tx, id).await?;
            let mut r = Reassembler::new(timeout);
            for part in &parts {
                push(&mut r, &b, part)?;
            }
            for message in r.expire(now) {
                out.push(release(&mut tx, &receiver, &b, message, &parts, to_ms(now)).await?);
            }
            if parts.is_empty() {
                tx.execute("DELETE FROM reassembly_buffers WHERE id = $1", args![id]).await?;
            }
        }
        tx.commit().await?;
        if !out.is_empty() {
            tracing::info!(messages = out.len(), "released incomplete messages after the timeout");
        }
        Ok(out)
    }

    /// One page of the inbox, newest first. Pass the previous page's
    /// `next` to continue; `limit` is capped at [`MAX_PAGE`].
    pub async fn inbox_page(&self, cursor: Option<&Cursor>, limit: u32) -> Result<InboxPage> {
        let limit = limit.clamp(1, MAX_PAGE);
        let mut tx = self.db.read().await?;
        let rows: Vec<MessageRow> = match cursor {
            None => {
                let sql = format!(
                    "SELECT {MESSAGE_COLUMNS} FROM inbound_messages ORDER BY id DESC LIMIT $1"
                );
                tx.fetch_all(&sql, args![i64::from(limit) + 1]).await?
            }
            Some(c) => {
                let sql = format!(
                    "SELECT {MESSAGE_COLUMNS} FROM inbound_messages WHERE id < $1 \
                     ORDER BY id DESC LIMIT $2"
                );
                tx.fetch_all(&sql, args![&c.0, i64::from(limit) + 1]).await?
            }
        };
        tx.commit().await?;
        let more = rows.len() > limit as usize;
        let messages: Vec<InboundMessage> =
            rows.into_iter().take(limit as usize).map(message).collect::<Result<_>>()?;
        let next = if more { messages.last().map(|m| Cursor(m.id.to_string())) } else { None };
        Ok(InboxPage { messages, next })
    }

    /// One received message.
    pub async fn inbound_message(&self, id: InboundId) -> Result<Option<InboundMessage>> {
        let mut tx = self.db.read().await?;
        let sql = format!("SELECT {MESSAGE_COLUMNS} FROM inbound_messages WHERE id = $1");
        let row: Option<MessageRow> = tx.fetch_optional(&sql, args![id.to_string()]).await?;
        tx.commit().await?;
        row.map(message).transpose()
    }

    /// The messages received by `modems` that the hub has not handled
    /// yet, oldest first: at most `limit` (capped at [`MAX_PAGE`]), and
    /// only those after message `after` when it is given.
    pub async fn pending_hand_offs(
        &self,
        modems: &[ModemId],
        after: Option<InboundId>,
        limit: u32,
    ) -> Result<Vec<InboundMessage>> {
        if modems.is_empty() {
            return Ok(Vec::new());
        }
        let limit = limit.clamp(1, MAX_PAGE);
        let mut params: Vec<Arg> = modems.iter().map(|m| Arg::from(m.0.as_str())).collect();
        let list = placeholders(1, modems.len());
        let mut filter = format!("hub_done_at IS NULL AND modem_id IN ({list})");
        if let Some(after) = after {
            params.push(after.to_string().into());
            filter.push_str(&format!(" AND id > ${}", params.len()));
        }
        params.push(i64::from(limit).into());
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM inbound_messages WHERE {filter} \
             ORDER BY id LIMIT ${}",
            params.len()
        );
        let mut tx = self.db.read().await?;
        let rows: Vec<MessageRow> = tx.fetch_all(&sql, params).await?;
        tx.commit().await?;
        rows.into_iter().map(message).collect()
    }

    /// Marks message `id` handled by the hub and queues `envelopes` (the
    /// hub's own: forwarded copies), in one transaction. Returns false,
    /// and queues nothing, when the message was handled already: a
    /// message handed over twice (after a crash, or by a retry whose first
    /// commit went through) is forwarded once. An unknown id is
    /// [`Error::Invalid`].
    pub async fn finish_hand_off(
        &self,
        id: InboundId,
        envelopes: &[NewEnvelope],
        now: SystemTime,
    ) -> Result<bool> {
        if envelopes.iter().any(|e| e.id.is_empty() || e.recipient_device.is_empty()) {
            return Err(Error::Invalid("an envelope needs an id and a recipient device"));
        }
        let mut tx = self.db.write().await?;
        // The update locks the row on PostgreSQL: a concurrent hand-off of
        // the same message waits, then finds it handled.
        let marked = tx
            .execute(
                "UPDATE inbound_messages SET hub_done_at = $2 \
                 WHERE id = $1 AND hub_done_at IS NULL",
                args![id.to_string(), to_ms(now)],
            )
            .await?;
        if marked == 0 {
            let known: Option<(String,)> = tx
                .fetch_optional(
                    "SELECT id FROM inbound_messages WHERE id = $1",
                    args![id.to_string()],
                )
                .await?;
            tx.rollback().await?;
            return match known {
                Some(_) => Ok(false),
                None => Err(Error::Invalid("no such inbound message")),
            };
        }
        // Announced like `Network::insert_envelopes`: other nodes' streams
        // hear of them at commit.
        let devices = crate::network::recipients(envelopes);
        self.wake.announce_envelopes(&mut tx, &devices).await?;
        for e in envelopes {
            let (send, sender) = (e.send_id.as_deref(), e.sender_device.as_deref());
            crate::network::insert_envelope(&mut tx, e, send, sender).await?;
        }
        tx.commit().await?;
        self.wake.envelopes_committed(devices);
        Ok(true)
    }

    /// Marks every message received by `modems` and not handled yet as
    /// handled, with nothing queued: for a node that runs without a hub,
    /// so that a hub enabled later never acts on old messages. Returns how
    /// many it marked.
    pub async fn settle_hand_offs(&self, modems: &[ModemId], now: SystemTime) -> Result<u64> {
        if modems.is_empty() {
            return Ok(0);
        }
        let mut params = args![to_ms(now)];
        params.extend(modems.iter().map(|m| Arg::from(m.0.as_str())));
        let sql = format!(
            "UPDATE inbound_messages SET hub_done_at = $1 \
             WHERE hub_done_at IS NULL AND modem_id IN ({})",
            placeholders(2, modems.len())
        );
        let mut tx = self.db.write().await?;
        let marked = tx.execute(&sql, params).await?;
        tx.commit().await?;
        Ok(marked)
    }
}

/// `$first, $first+1, …`: `n` parameters for an `IN (…)` list.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Joins the buffer's parts once all are there, and releases the message.
async fn join_if_complete(
    tx: &mut Tx,
    receiver: &str,
    buffer: i64,
    now: i64,
) -> Result<Option<InboundMessage>> {
    let b = buffer_row(tx, buffer).await?;
    let parts = held_parts(tx, buffer).await?;
    if parts.len() < usize::try_from(b.total).unwrap_or(usize::MAX) {
        return Ok(None);
    }
    // This reassembler only joins: nothing asks it to expire.
    let mut r = Reassembler::new(Duration::from_secs(86_400));
    let mut outcome = None;
    for part in &parts {
        outcome = Some(push(&mut r, &b, part)?);
    }
    match outcome {
        Some(Outcome::Complete(message)) => {
            Ok(Some(release(tx, receiver, &b, message, &parts, now).await?))
        }
        _ => Ok(None),
    }
}

/// Parts join per receiving SIM, or per modem when the SIM is unknown:
/// two of our numbers may get messages from one sender with one reference.
fn receiver(modem: &ModemId, sim: Option<&Iccid>) -> String {
    match sim {
        Some(sim) => sim.0.clone(),
        None => format!("modem:{}", modem.0),
    }
}

fn body_columns(body: &Body) -> (Option<String>, Option<Vec<u8>>) {
    match body {
        Body::Text(t) => (Some(t.clone()), None),
        Body::Data(d) => (None, Some(d.clone())),
    }
}

fn body_from(text: Option<String>, data: Option<Vec<u8>>) -> Result<Body> {
    match (text, data) {
        (Some(t), None) => Ok(Body::Text(t)),
        (None, Some(d)) => Ok(Body::Data(d)),
        _ => Err(Error::Corrupt("a stored body is neither text nor data".into())),
    }
}

/// Where a joined message came from: its first part's modem and SIM, and
/// the earliest SCTS.
struct Source {
    modem_id: String,
    sim_iccid: Option<String>,
    scts: i64,
}

impl Source {
    fn of_part(p: &NewInboundPart) -> Source {
        Source {
            modem_id: p.modem.0.clone(),
            sim_iccid: p.sim.as_ref().map(|s| s.0.clone()),
            scts: to_ms(p.scts),
        }
    }

    fn of_held(parts: &[HeldPart]) -> Result<Source> {
        let first =
            parts.first().ok_or(Error::Corrupt("a reassembly buffer without parts".into()))?;
        Ok(Source {
            modem_id: first.modem_id.clone(),
            sim_iccid: first.sim_iccid.clone(),
            scts: parts.iter().map(|p| p.scts).min().unwrap_or(first.scts),
        })
    }
}

/// The buffer's id, creating it if this is the first part. On PostgreSQL
/// the row is locked, so two parts of one message are joined one after the
/// other.
async fn open_buffer(
    tx: &mut Tx,
    receiver: &str,
    p: &NewInboundPart,
    reference: u16,
    total: u8,
) -> Result<i64> {
    let key = args![receiver, &p.sender, i64::from(reference), i64::from(total)];
    let mut insert = key.clone();
    insert.push(to_ms(p.received_at).into());
    tx.execute(
        "INSERT INTO reassembly_buffers (receiver, sender, concat_ref, total, first_seen_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (receiver, sender, concat_ref, total) DO NOTHING",
        insert,
    )
    .await?;
    let lock = match tx.backend() {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE",
    };
    let sql = format!(
        "SELECT id FROM reassembly_buffers \
         WHERE receiver = $1 AND sender = $2 AND concat_ref = $3 AND total = $4{lock}"
    );
    let (id,): (i64,) = tx.fetch_one(&sql, key).await?;
    Ok(id)
}

async fn buffer_row(tx: &mut Tx, id: i64) -> Result<BufferRow> {
    tx.fetch_one(
        "SELECT id, sender, concat_ref, total, first_seen_at FROM reassembly_buffers WHERE id = $1",
        args![id],
    )
    .await
}

async fn held_parts(tx: &mut Tx, buffer: i64) -> Result<Vec<HeldPart>> {
    tx.fetch_all(
        "SELECT concat_seq, body_text, body_data, scts, modem_id, sim_iccid \
         FROM inbound_parts WHERE buffer_id = $1 ORDER BY id",
        args![buffer],
    )
    .await
}

fn push(r: &mut Reassembler, b: &BufferRow, part: &HeldPart) -> Result<Outcome> {
    let concat = Concat {
        reference: narrow(b.concat_ref, "concat reference")?,
        total: narrow(b.total, "concat total")?,
        seq: narrow(part.concat_seq, "concat seq")?,
        wide: false,
    };
    let body = body_from(part.body_text.clone(), part.body_data.clone())?;
    Ok(r.push(&b.sender, Some(concat), body, from_ms(b.first_seen_at)))
}

/// Writes the message, points its parts at it and drops the buffer.
async fn release(
    tx: &mut Tx,
    receiver: &str,
    b: &BufferRow,
    message: Message,
    parts: &[HeldPart],
    now: i64,
) -> Result<InboundMessage> {
    let source = Source::of_held(parts)?;
    let m = insert_message(tx, receiver, message, &source, b.first_seen_at, now).await?;
    tx.execute(
        "UPDATE inbound_parts SET message_id = $2, buffer_id = NULL WHERE buffer_id = $1",
        args![b.id, m.id.to_string()],
    )
    .await?;
    tx.execute("DELETE FROM reassembly_buffers WHERE id = $1", args![b.id]).await?;
    Ok(m)
}

/// Inserts a joined message; `source` gives its modem, SIM and SCTS.
async fn insert_message(
    tx: &mut Tx,
    receiver: &str,
    message: Message,
    source: &Source,
    received_at: i64,
    stored_at: i64,
) -> Result<InboundMessage> {
    let id = InboundId::new();
    let (text, data) = body_columns(&message.body);
    let missing = message.missing.iter().map(u8::to_string).collect::<Vec<_>>().join(",");
    tx.execute(
        "INSERT INTO inbound_messages (id, receiver, modem_id, sim_iccid, sender, concat_ref, \
         total, body_text, body_data, complete, missing, scts, received_at, stored_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        args![
            id.to_string(),
            receiver,
            &source.modem_id,
            source.sim_iccid.clone(),
            &message.sender,
            message.reference.map(i64::from),
            i64::from(message.total),
            text,
            data,
            message.complete,
            missing,
            source.scts,
            received_at,
            stored_at,
        ],
    )
    .await?;
    Ok(InboundMessage {
        id,
        modem: ModemId(source.modem_id.clone()),
        sim: source.sim_iccid.clone().map(Iccid),
        sender: message.sender,
        reference: message.reference,
        total: message.total,
        body: message.body,
        complete: message.complete,
        missing: message.missing,
        scts: from_ms(source.scts),
        received_at: from_ms(received_at),
        stored_at: from_ms(stored_at),
    })
}

fn message(r: MessageRow) -> Result<InboundMessage> {
    let missing = if r.missing.is_empty() {
        Vec::new()
    } else {
        r.missing
            .split(',')
            .map(|s| s.parse().map_err(|_| Error::Corrupt(format!("bad missing list {s:?}"))))
            .collect::<Result<_>>()?
    };
    Ok(InboundMessage {
        id: InboundId::parse_stored(&r.id)?,
        modem: ModemId(r.modem_id),
        sim: r.sim_iccid.map(Iccid),
        sender: r.sender,
        reference: r.concat_ref.map(|v| narrow(v, "concat reference")).transpose()?,
        total: narrow(r.total, "concat total")?,
        body: body_from(r.body_text, r.body_data)?,
        complete: r.complete,
        missing,
        scts: from_ms(r.scts),
        received_at: from_ms(r.received_at),
        stored_at: from_ms(r.stored_at),
    })
}
