//! The encrypted network's hub tables (PROTOCOL.md): devices and handles,
//! verification codes, daily budgets, sends with their idempotency record,
//! queued envelopes, SMS fallback text, and block lists. Reach them through
//! [`crate::Store::network`], a [`Network`] that borrows the store.
//!
//! The hub makes every id (devices, sends, envelopes: UUIDv7 strings, so
//! they sort by time) and normalises every handle (E.164) before it calls
//! here; the store checks neither. Keys, token hashes and envelope bodies
//! are opaque bytes and text. Each method is one transaction, and every
//! guarantee below holds on SQLite and on PostgreSQL with several nodes.
//!
//! ## The API
//!
//! All methods are `async` and return [`crate::Result`]; times are
//! `SystemTime`, and the records (`model/network.rs`) are at the crate
//! root.
//!
//! Devices and handles (`devices.rs`):
//! - `add_device(&NewDevice, now) -> Vec<DeviceRecord>`: registers, clears
//!   a deregistration of the handle, returns the handle's other devices
//!   that are not revoked (by id). A used id or token hash is an error.
//! - `device_by_token(token_hash: &[u8]) -> Option<DeviceRecord>`: not
//!   revoked only. `device(id) -> Option<DeviceRecord>`: revoked too.
//! - `touch_device(id, now)`: `last_seen_at`, which only moves forward.
//! - `active_devices(handle, seen_since) -> Vec<DeviceRecord>`: not
//!   revoked and seen at or after `seen_since`, by id.
//! - `set_enc_key(id, kem, key: &[u8], key_id: u32) -> bool`: false when
//!   there is no such device that is not revoked.
//! - `handle(handle) -> Option<HandleRecord>`: registration and
//!   deregistration times.
//! - `deregister(handle, now) -> Deregistered { revoked, envelopes,
//!   fallbacks, unregistered }`: revokes every device (token hash
//!   dropped), deletes and returns their queued envelopes, keeps the
//!   fallback rows addressed to the handle but makes them due now (and
//!   returns them), returns the sends whose senders are told
//!   `unregistered` (deleted envelopes, no fallback row for the handle),
//!   marks the handle. Idempotent.
//!
//! Codes and budgets (`codes.rs`):
//! - `put_code(handle, CodePurpose, salt, hash, expires_at, now)`: replaces
//!   any code of that handle and purpose, attempts 0.
//! - `code_attempt(handle, purpose, now) -> Option<CodeRecord>`: counts an
//!   attempt on an unexpired code and returns it with the new count.
//! - `delete_code(handle, purpose) -> bool`; `purge_codes(now) -> u64`.
//! - `take_budget(name, Day, limit: u64) -> bool`: counts one unit only
//!   while fewer than `limit` were taken that day.
//!   `budget_used(name, Day) -> u64`; `purge_budget(before: Day) -> u64`.
//!
//! Sends (`sends.rs`):
//! - `send(sender_device, client_message_id) -> Option<StoredSend>`.
//! - `record_send(&NewSend, now) -> SendRecorded::{New, Existing(StoredSend)}`:
//!   the send, its envelopes and fallback rows; a repeated key (even a
//!   concurrent one) writes nothing and returns the first.
//! - `purge_sends(created_before) -> u64`: old sends nothing refers to.
//!
//! Envelopes (`envelopes.rs`):
//! - `insert_envelopes(&[NewEnvelope])`: the hub's own envelopes.
//! - `envelopes_for(device, limit, now) -> Vec<EnvelopeRecord>`: unexpired,
//!   oldest first, at most [`MAX_BATCH`]; `envelopes_after(device, after_id,
//!   limit, now)`: the same after a given id, for a stream's next page.
//! - `ack(device, &[String]) -> Vec<Acked>`: deletes the device's own
//!   envelopes among the ids, and the fallback rows of what it deleted.
//! - `expire(now) -> u64`; `next_expiry() -> Option<SystemTime>`.
//!
//! SMS fallbacks (`fallbacks.rs`, which also describes the worker):
//! - `due_fallbacks(now, limit) -> Vec<FallbackRecord>`, earliest first,
//!   each with its send's client message id;
//!   `next_fallback_due() -> Option<SystemTime>`.
//! - `finish_fallback(send_id, recipient_handle) -> Option<FinishedFallback>`:
//!   deletes the row and the recipient's unacked envelopes of the send;
//!   `None` when the row was gone (an ack or another node won).
//! - `drop_fallback(send_id, recipient_handle) -> bool`: deletes the row
//!   only, for a fallback the SMS policy refuses for good.
//!
//! Blocks (`blocks.rs`):
//! - `block(blocker, blocked, now) -> bool` (new?), `unblock(blocker,
//!   blocked) -> bool`, `blocks(blocker) -> Vec<String>`,
//!   `blockers_of(sender, candidates: &[String]) -> Vec<String>`: which
//!   candidates block the sender.
//!
//! Errors: [`crate::Error::Invalid`] for input the store refuses (empty
//! ids, an envelope of a send naming another send); a constraint the
//! database enforces (a used device id or token hash, an envelope to an
//! unknown device) is [`crate::Error::Query`]; [`crate::Error::Busy`] may
//! be retried.
//!
//! Wake-ups (`wake.rs`): `record_send` and `insert_envelopes` announce the
//! devices they queued envelopes for, and `deregister` announces that
//! fallbacks fell due, when it made any due. Each tells this process
//! after its commit, and on PostgreSQL every node through `pg_notify` in
//! its transaction (so only on commit); [`crate::Store::network_wakeups`]
//! subscribes.

mod blocks;
mod codes;
mod devices;
mod envelopes;
pub(crate) use envelopes::{insert_envelope, recipients};
mod fallbacks;
mod sends;

use crate::db::{row, Arg, Backend, Db, Tx};
use crate::model::{from_ms, EnvelopeRecord, FallbackRecord};
use crate::wake::Local;

/// The network's tables, borrowed from a [`crate::Store`]. Copying it is
/// free; clone the store to move one into a task.
#[derive(Clone, Copy, Debug)]
pub struct Network<'a> {
    db: &'a Db,
    /// The store's wake-ups, for what this queues.
    wake: &'a Local,
}

impl<'a> Network<'a> {
    pub(crate) fn new(db: &'a Db, wake: &'a Local) -> Network<'a> {
        Network { db, wake }
    }
}

/// The most envelopes or fallbacks one call hands out.
pub const MAX_BATCH: u32 = 1000;

/// Values bound per `IN (…)` list: long lists are split, well below
/// SQLite's limit on parameters.
const IN_CHUNK: usize = 500;

/// `$first, $first+1, …`: `n` parameters for an `IN (…)` list.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// `" FOR UPDATE"` on PostgreSQL; nothing on SQLite, whose write
/// transaction holds the whole database.
fn for_update(tx: &Tx) -> &'static str {
    match tx.backend() {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE",
    }
}

/// `limit` clamped to `1..=MAX_BATCH`, as a bound parameter.
fn batch(limit: u32) -> Arg {
    Arg::from(i64::from(limit.clamp(1, MAX_BATCH)))
}

row! {
    struct EnvelopeRow {
        id: String,
        recipient_device: String,
        recipient_handle: String,
        send_id: Option<String>,
        sender_device: Option<String>,
        body: String,
        created_at: i64,
        expires_at: i64,
    }
}

const ENVELOPE_COLUMNS: &str =
    "id, recipient_device, recipient_handle, send_id, sender_device, body, created_at, expires_at";

fn envelope(r: EnvelopeRow) -> EnvelopeRecord {
    EnvelopeRecord {
        id: r.id,
        recipient_device: r.recipient_device,
        recipient_handle: r.recipient_handle,
        send_id: r.send_id,
        sender_device: r.sender_device,
        body: r.body,
        created_at: from_ms(r.created_at),
        expires_at: from_ms(r.expires_at),
    }
}

row! {
    struct FallbackRow {
        send_id: String,
        recipient_handle: String,
        sender_device: String,
        client_message_id: String,
        text: String,
        due_at: i64,
    }
}

/// The columns of a [`FallbackRow`], selected from [`FALLBACK_FROM`].
const FALLBACK_COLUMNS: &str =
    "f.send_id, f.recipient_handle, f.sender_device, s.client_message_id, f.text, f.due_at";

/// Fallback rows with their send, for its client message id. Every
/// fallback row has its send: a foreign key, and `purge_sends` keeps a
/// send while a fallback row refers to it.
const FALLBACK_FROM: &str = "net_fallbacks f JOIN net_sends s ON s.id = f.send_id";

fn fallback(r: FallbackRow) -> FallbackRecord {
    FallbackRecord {
        send_id: r.send_id,
        recipient_handle: r.recipient_handle,
        sender_device: r.sender_device,
        client_message_id: r.client_message_id,
        text: r.text,
        due_at: from_ms(r.due_at),
    }
}
