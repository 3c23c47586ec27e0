//! Block lists: a handle blocks another, and gets nothing from it. The
//! hub answers the blocked sender `blue` and drops the message, so the
//! store only answers who blocked whom.

use std::time::SystemTime;

use super::{placeholders, Network, IN_CHUNK};
use crate::db::{args, Arg};
use crate::error::Result;
use crate::model::to_ms;

impl Network<'_> {
    /// `blocker` blocks `blocked`. Blocking again changes nothing (the
    /// first time stays); returns whether the block is new.
    pub async fn block(&self, blocker: &str, blocked: &str, now: SystemTime) -> Result<bool> {
        let mut tx = self.db.write().await?;
        let n = tx
            .execute(
                "INSERT INTO net_blocks (blocker_handle, blocked_handle, created_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (blocker_handle, blocked_handle) DO NOTHING",
                args![blocker, blocked, to_ms(now)],
            )
            .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Lifts a block; false when there was none.
    pub async fn unblock(&self, blocker: &str, blocked: &str) -> Result<bool> {
        let mut tx = self.db.write().await?;
        let n = tx
            .execute(
                "DELETE FROM net_blocks WHERE blocker_handle = $1 AND blocked_handle = $2",
                args![blocker, blocked],
            )
            .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    /// The handles `blocker` blocks, sorted.
    pub async fn blocks(&self, blocker: &str) -> Result<Vec<String>> {
        let mut tx = self.db.read().await?;
        let rows: Vec<(String,)> = tx
            .fetch_all(
                "SELECT blocked_handle FROM net_blocks WHERE blocker_handle = $1 \
                 ORDER BY blocked_handle",
                args![blocker],
            )
            .await?;
        tx.commit().await?;
        Ok(rows.into_iter().map(|(h,)| h).collect())
    }

    /// Which of `candidates` (a send's recipients) block `sender`, sorted
    /// and without repeats.
    pub async fn blockers_of(&self, sender: &str, candidates: &[String]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        if candidates.is_empty() {
            return Ok(out);
        }
        let mut tx = self.db.read().await?;
        for chunk in candidates.chunks(IN_CHUNK) {
            let sql = format!(
                "SELECT blocker_handle FROM net_blocks \
                 WHERE blocked_handle = $1 AND blocker_handle IN ({})",
                placeholders(2, chunk.len())
            );
            let mut args = args![sender];
            args.extend(chunk.iter().map(Arg::from));
            let rows: Vec<(String,)> = tx.fetch_all(&sql, args).await?;
            out.extend(rows.into_iter().map(|(h,)| h));
        }
        tx.commit().await?;
        out.sort();
        out.dedup();
        Ok(out)
    }
}
