//! The store's one error type. Variants are named for causes. Their
//! messages are safe to show a user: they never carry SQL text or a
//! database's own message, which stay behind `source()` for the logs.

use crate::model::{MessageId, PartId, PartState};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database could not be reached: connect, IO or pool time-out.
    #[error("the database is unavailable")]
    Unavailable(#[source] sqlx::Error),
    /// The database was too busy to take the write (SQLite's lock wait ran
    /// out, or PostgreSQL chose this transaction as a deadlock victim or
    /// serialization failure). Retrying later is safe.
    #[error("the database is busy; try again")]
    Busy(#[source] sqlx::Error),
    /// Any other failure of a statement: a bug or a damaged database.
    #[error("a database operation failed")]
    Query(#[source] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("the database schema could not be migrated")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    /// An idempotency key came back with a different request.
    #[error("idempotency key reused with a different request (first used for message {message})")]
    IdempotencyConflict { message: MessageId },
    /// A transition asked of a part in another state.
    #[error("part {part} is {actual}, so it cannot become {wanted}")]
    InvalidTransition { part: PartId, actual: PartState, wanted: PartState },
    /// The claim was taken away, by crash recovery or a stale-claim sweep,
    /// before this transition: someone else may be sending the part now.
    #[error("the claim on part {part} was lost")]
    ClaimLost { part: PartId },
    /// No such part.
    #[error("no outbound part {part}")]
    NoSuchPart { part: PartId },
    /// The caller's input breaks a rule the store enforces.
    #[error("invalid input: {0}")]
    Invalid(&'static str),
    /// A pagination cursor that this store did not hand out.
    #[error("invalid inbox cursor")]
    InvalidCursor,
    /// A stored value that the code cannot read: an unknown state name, a
    /// number out of range. The database was changed behind our back.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Configuration(_) => Error::Unavailable(e),
            sqlx::Error::Database(db) if is_busy(db.as_ref()) => Error::Busy(e),
            _ => Error::Query(e),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Error::Migrate(e)
    }
}

/// SQLite's BUSY (5) and LOCKED (6), with their extended codes, and
/// PostgreSQL's serialization failure, deadlock and lock-not-available.
fn is_busy(db: &dyn sqlx::error::DatabaseError) -> bool {
    let Some(code) = db.code() else { return false };
    if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
        code.parse::<i64>().is_ok_and(|n| matches!(n & 0xff, 5 | 6))
    } else {
        matches!(code.as_ref(), "40001" | "40P01" | "55P03")
    }
}
