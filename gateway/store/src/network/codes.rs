//! Verification codes and daily budgets.
//!
//! A code is stored as its salt and SHA-256(salt ‖ code), one per handle
//! and purpose. Each attempt is counted before the caller compares, in the
//! same statement that reads the code, so concurrent guesses each see
//! their own count and none gets past the limit unseen. A budget is a
//! counter per name and day that stops at its limit, also in one
//! statement, so concurrent takers never overspend it.

use std::time::SystemTime;

use super::Network;
use crate::db::{args, row};
use crate::error::{Error, Result};
use crate::model::{from_ms, narrow, to_ms, CodePurpose, CodeRecord, Day};

row! {
    struct CodeRow {
        salt: Vec<u8>,
        code_hash: Vec<u8>,
        attempts: i64,
        expires_at: i64,
    }
}

impl Network<'_> {
    /// Stores a code for `handle` and `purpose`, replacing any earlier one,
    /// with no attempts counted.
    pub async fn put_code(
        &self,
        handle: &str,
        purpose: CodePurpose,
        salt: &[u8],
        hash: &[u8],
        expires_at: SystemTime,
        now: SystemTime,
    ) -> Result<()> {
        // An empty hash would only ever match a caller's mistake.
        if salt.is_empty() || hash.is_empty() {
            return Err(Error::Invalid("a code needs a salt and a hash"));
        }
        let mut tx = self.db.write().await?;
        tx.execute(
            "INSERT INTO net_codes (handle, purpose, salt, code_hash, expires_at, attempts, \
             created_at) VALUES ($1, $2, $3, $4, $5, 0, $6) \
             ON CONFLICT (handle, purpose) DO UPDATE SET salt = excluded.salt, \
             code_hash = excluded.code_hash, expires_at = excluded.expires_at, attempts = 0, \
             created_at = excluded.created_at",
            args![
                handle,
                purpose.name(),
                Some(salt.to_vec()),
                Some(hash.to_vec()),
                to_ms(expires_at),
                to_ms(now)
            ],
        )
        .await?;
        tx.commit().await
    }

    /// Counts one attempt at the code for `handle` and `purpose` and
    /// returns it with the count, this attempt included. `None` when there
    /// is no code, or it expired (at or before `now`).
    ///
    /// The caller compares the hash only while `attempts` is within its
    /// limit, and deletes the code ([`Network::delete_code`]) when the
    /// limit is used up or the code matched.
    pub async fn code_attempt(
        &self,
        handle: &str,
        purpose: CodePurpose,
        now: SystemTime,
    ) -> Result<Option<CodeRecord>> {
        let mut tx = self.db.write().await?;
        let row: Option<CodeRow> = tx
            .fetch_optional(
                "UPDATE net_codes SET attempts = attempts + 1 \
                 WHERE handle = $1 AND purpose = $2 AND expires_at > $3 \
                 RETURNING salt, code_hash, attempts, expires_at",
                args![handle, purpose.name(), to_ms(now)],
            )
            .await?;
        tx.commit().await?;
        row.map(|r| {
            Ok(CodeRecord {
                salt: r.salt,
                hash: r.code_hash,
                attempts: narrow(r.attempts, "code attempts")?,
                expires_at: from_ms(r.expires_at),
            })
        })
        .transpose()
    }

    /// Deletes the code for `handle` and `purpose`; false if there was none.
    pub async fn delete_code(&self, handle: &str, purpose: CodePurpose) -> Result<bool> {
        let mut tx = self.db.write().await?;
        let n = tx
            .execute(
                "DELETE FROM net_codes WHERE handle = $1 AND purpose = $2",
                args![handle, purpose.name()],
            )
            .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Deletes every code that expired at or before `now`; returns how
    /// many. Housekeeping: an expired code is refused anyway.
    pub async fn purge_codes(&self, now: SystemTime) -> Result<u64> {
        let mut tx = self.db.write().await?;
        let n =
            tx.execute("DELETE FROM net_codes WHERE expires_at <= $1", args![to_ms(now)]).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Takes one unit of budget `name` on `day`: true, and counted, if
    /// fewer than `limit` were taken that day; false, and nothing counted,
    /// otherwise. Safe under concurrent callers on every node.
    pub async fn take_budget(&self, name: &str, day: Day, limit: u64) -> Result<bool> {
        if limit == 0 {
            return Ok(false);
        }
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut tx = self.db.write().await?;
        // On PostgreSQL the upsert locks the row and evaluates its WHERE on
        // the latest committed count, so two takers cannot both pass the
        // last unit.
        let n = tx
            .execute(
                "INSERT INTO net_budget (name, day, used) VALUES ($1, $2, 1) \
                 ON CONFLICT (name, day) DO UPDATE SET used = net_budget.used + 1 \
                 WHERE net_budget.used < $3",
                args![name, day.key(), limit],
            )
            .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    /// How much of budget `name` was taken on `day`.
    pub async fn budget_used(&self, name: &str, day: Day) -> Result<u64> {
        let mut tx = self.db.read().await?;
        let row: Option<(i64,)> = tx
            .fetch_optional(
                "SELECT used FROM net_budget WHERE name = $1 AND day = $2",
                args![name, day.key()],
            )
            .await?;
        tx.commit().await?;
        row.map_or(Ok(0), |(used,)| narrow(used, "budget used"))
    }

    /// Deletes every budget day before `before`; returns how many rows.
    pub async fn purge_budget(&self, before: Day) -> Result<u64> {
        let mut tx = self.db.write().await?;
        let n = tx.execute("DELETE FROM net_budget WHERE day < $1", args![before.key()]).await?;
        tx.commit().await?;
        Ok(n)
    }
}
