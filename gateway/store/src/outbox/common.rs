//! What every outbox transition shares: reading a part under lock, the
//! history row, the message's roll-up, and the SIM pin.
//!
//! Lock order on PostgreSQL is always part, then message, so transitions
//! on two parts of one message queue behind each other instead of
//! deadlocking, and the roll-up reads the parts only once it holds the
//! message row: it sees every committed part change. Sweeps over many
//! parts (expiry, recovery) take them in message order, so they lock
//! messages in one order too.

use crate::db::{args, row, Backend, Tx};
use crate::error::{Error, Result};
use crate::model::{narrow, ClaimedPart, MessageId, MessageStatus, PartId, PartState, Transition};

/// `" FOR UPDATE"` on PostgreSQL; nothing on SQLite, whose write
/// transaction holds the whole database.
pub(super) fn for_update(tx: &Tx) -> &'static str {
    match tx.backend() {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE",
    }
}

row! {
    pub(super) struct PartRow {
        pub id: i64,
        pub message_id: String,
        pub seq: i64,
        pub state: String,
        pub attempts: i64,
    }
}

pub(super) struct Part {
    pub id: PartId,
    pub message: MessageId,
    pub seq: u8,
    pub state: PartState,
    pub attempts: i64,
}

impl TryFrom<PartRow> for Part {
    type Error = Error;

    fn try_from(r: PartRow) -> Result<Part> {
        Ok(Part {
            id: PartId(r.id),
            message: MessageId::parse_stored(&r.message_id)?,
            seq: narrow(r.seq, "part seq")?,
            state: PartState::parse_stored(&r.state)?,
            attempts: r.attempts,
        })
    }
}

pub(super) const PART_COLUMNS: &str = "id, message_id, seq, state, attempts";

/// Locks the claimed part and checks that the claim still holds: the part
/// is `submitting` under the same attempt number.
pub(super) async fn claimed(tx: &mut Tx, claim: &ClaimedPart, wanted: PartState) -> Result<Part> {
    let sql = format!("SELECT {PART_COLUMNS} FROM outbound_parts WHERE id = $1{}", for_update(tx));
    let row: Option<PartRow> = tx.fetch_optional(&sql, args![claim.part.0]).await?;
    let part: Part = row.ok_or(Error::NoSuchPart { part: claim.part })?.try_into()?;
    if part.attempts != i64::from(claim.attempt) {
        return Err(Error::ClaimLost { part: claim.part });
    }
    if part.state != PartState::Submitting {
        return Err(Error::InvalidTransition { part: part.id, actual: part.state, wanted });
    }
    Ok(part)
}

pub(super) async fn history(
    tx: &mut Tx,
    message: MessageId,
    part_seq: Option<u8>,
    from: Option<&str>,
    to: &str,
    at: i64,
    detail: Option<String>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO outbound_history (message_id, part_seq, from_state, to_state, at, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        args![message.to_string(), part_seq.map(i64::from), from, to, at, detail],
    )
    .await?;
    Ok(())
}

/// Moves a part to `to`, with its history row, and rolls up the message.
/// `set` holds extra assignments for the part, numbered from `$4`.
pub(super) async fn move_part(
    tx: &mut Tx,
    part: &Part,
    to: PartState,
    set: &str,
    extra: Vec<crate::db::Arg>,
    now: i64,
    detail: Option<String>,
) -> Result<Transition> {
    let sql = format!(
        "UPDATE outbound_parts SET state = $2, updated_at = $3{}{set} WHERE id = $1",
        if set.is_empty() { "" } else { ", " }
    );
    let mut a = args![part.id.0, to.name(), now];
    a.extend(extra);
    tx.execute(&sql, a).await?;
    history(tx, part.message, Some(part.seq), Some(part.state.name()), to.name(), now, detail)
        .await?;
    let (status, status_changed) = roll_up(tx, part.message, now).await?;
    Ok(Transition { message: part.message, seq: part.seq, part_state: to, status, status_changed })
}

/// Recomputes the message's status from its parts and stores it, with a
/// history row, when it changed.
pub(super) async fn roll_up(
    tx: &mut Tx,
    message: MessageId,
    now: i64,
) -> Result<(MessageStatus, bool)> {
    let id = message.to_string();
    let sql = format!("SELECT status FROM outbound_messages WHERE id = $1{}", for_update(tx));
    let (old,): (String,) = tx.fetch_one(&sql, args![&id]).await?;
    let states: Vec<(String,)> =
        tx.fetch_all("SELECT state FROM outbound_parts WHERE message_id = $1", args![&id]).await?;
    let states =
        states.iter().map(|(s,)| PartState::parse_stored(s)).collect::<Result<Vec<_>>>()?;
    let new = MessageStatus::roll_up(states);
    if new.name() == old {
        return Ok((new, false));
    }
    tx.execute(
        "UPDATE outbound_messages SET status = $2, updated_at = $3 WHERE id = $1",
        args![&id, new.name(), now],
    )
    .await?;
    history(tx, message, None, Some(&old), new.name(), now, None).await?;
    Ok((new, true))
}

/// Frees a message from its SIM when none of its parts can have reached
/// the network through it, so another modem may take it (failover).
/// Parts whose outcome is unknown count as not sent: at worst the
/// recipient sees a part twice, from two numbers.
pub(super) async fn unpin_if_unsent(tx: &mut Tx, message: MessageId) -> Result<()> {
    tx.execute(
        "UPDATE outbound_messages SET sim_iccid = NULL WHERE id = $1 AND NOT EXISTS ( \
           SELECT 1 FROM outbound_parts WHERE message_id = $1 \
           AND state IN ('submitting', 'submitted', 'delivered'))",
        args![message.to_string()],
    )
    .await?;
    Ok(())
}
