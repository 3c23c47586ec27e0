//! Modems, SIMs, and per-SIM usage counted in billed segments for the
//! daily and monthly quotas. A modem row is written when its actor
//! identifies it, a SIM row when the SIM is ready; both keep their first
//! and last sighting.

use std::time::SystemTime;

use crate::db::{args, row, Tx};
use crate::error::Result;
use crate::model::{
    from_ms, narrow, to_ms, Day, Iccid, Modem, ModemId, ModemRecord, Month, NodeId, Sim, SimRecord,
    Usage,
};
use crate::Store;

row! {
    struct ModemRow {
        id: String,
        profile: String,
        imei: Option<String>,
        node: String,
        first_seen_at: i64,
        last_seen_at: i64,
    }
}

row! {
    struct SimRow {
        iccid: String,
        imsi: Option<String>,
        msisdn: Option<String>,
        modem_id: Option<String>,
        first_seen_at: i64,
        last_seen_at: i64,
    }
}

impl Store {
    /// Records a modem, or refreshes it (profile, IMEI, node, last seen).
    pub async fn upsert_modem(&self, m: &ModemRecord, now: SystemTime) -> Result<()> {
        let mut tx = self.db.write().await?;
        tx.execute(
            "INSERT INTO modems (id, profile, imei, node, first_seen_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (id) DO UPDATE SET profile = excluded.profile, imei = excluded.imei, \
             node = excluded.node, last_seen_at = excluded.last_seen_at",
            args![&m.id.0, &m.profile, m.imei.clone(), &m.node.0, to_ms(now)],
        )
        .await?;
        tx.commit().await
    }

    /// Records a SIM, or refreshes it. Its modem must be recorded first.
    pub async fn upsert_sim(&self, s: &SimRecord, now: SystemTime) -> Result<()> {
        let mut tx = self.db.write().await?;
        tx.execute(
            "INSERT INTO sims (iccid, imsi, msisdn, modem_id, first_seen_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (iccid) DO UPDATE SET imsi = excluded.imsi, msisdn = excluded.msisdn, \
             modem_id = excluded.modem_id, last_seen_at = excluded.last_seen_at",
            args![
                &s.iccid.0,
                s.imsi.clone(),
                s.msisdn.clone(),
                s.modem.as_ref().map(|m| m.0.clone()),
                to_ms(now)
            ],
        )
        .await?;
        tx.commit().await
    }

    /// Every recorded modem, by id.
    pub async fn modems(&self) -> Result<Vec<Modem>> {
        let mut tx = self.db.read().await?;
        let rows: Vec<ModemRow> = tx
            .fetch_all(
                "SELECT id, profile, imei, node, first_seen_at, last_seen_at \
                 FROM modems ORDER BY id",
                vec![],
            )
            .await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|r| Modem {
                record: ModemRecord {
                    id: ModemId(r.id),
                    profile: r.profile,
                    imei: r.imei,
                    node: NodeId(r.node),
                },
                first_seen_at: from_ms(r.first_seen_at),
                last_seen_at: from_ms(r.last_seen_at),
            })
            .collect())
    }

    /// Every recorded SIM, by ICCID.
    pub async fn sims(&self) -> Result<Vec<Sim>> {
        let mut tx = self.db.read().await?;
        let rows: Vec<SimRow> = tx
            .fetch_all(
                "SELECT iccid, imsi, msisdn, modem_id, first_seen_at, last_seen_at \
                 FROM sims ORDER BY iccid",
                vec![],
            )
            .await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|r| Sim {
                record: SimRecord {
                    iccid: Iccid(r.iccid),
                    imsi: r.imsi,
                    msisdn: r.msisdn,
                    modem: r.modem_id.map(ModemId),
                },
                first_seen_at: from_ms(r.first_seen_at),
                last_seen_at: from_ms(r.last_seen_at),
            })
            .collect())
    }

    /// Counts `segments` sent through `sim` on `day`; returns the usage of
    /// that day and its month afterwards.
    pub async fn add_usage(&self, sim: &Iccid, day: Day, segments: u32) -> Result<Usage> {
        let mut tx = self.db.write().await?;
        tx.execute(
            "INSERT INTO sim_usage (iccid, day, segments) VALUES ($1, $2, $3) \
             ON CONFLICT (iccid, day) DO UPDATE SET segments = sim_usage.segments + excluded.segments",
            args![&sim.0, day.key(), i64::from(segments)],
        )
        .await?;
        let usage = usage(&mut tx, sim, day, day.month()).await?;
        tx.commit().await?;
        Ok(usage)
    }

    /// Segments sent through `sim` on `day` and in `month`.
    pub async fn usage(&self, sim: &Iccid, day: Day, month: Month) -> Result<Usage> {
        let mut tx = self.db.read().await?;
        let usage = usage(&mut tx, sim, day, month).await?;
        tx.commit().await?;
        Ok(usage)
    }
}

async fn usage(tx: &mut Tx, sim: &Iccid, day: Day, month: Month) -> Result<Usage> {
    let (first, last) = month.key_range();
    // SUM of a BIGINT is NUMERIC on PostgreSQL: cast it back.
    let (d, m): (i64, i64) = tx
        .fetch_one(
            "SELECT \
               CAST(COALESCE(SUM(CASE WHEN day = $2 THEN segments ELSE 0 END), 0) AS BIGINT), \
               CAST(COALESCE(SUM(CASE WHEN day BETWEEN $3 AND $4 THEN segments ELSE 0 END), 0) \
                 AS BIGINT) \
             FROM sim_usage WHERE iccid = $1",
            args![&sim.0, day.key(), first, last],
        )
        .await?;
    Ok(Usage { day: narrow(d, "day usage")?, month: narrow(m, "month usage")? })
}
