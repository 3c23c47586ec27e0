//! Schema migrations, embedded from `schemas/migrations/{sqlite,postgres}/`.
//! The two directories hold the same versions with the same tables and
//! columns; `tests/it/schema.rs` compares the migrated databases. sqlx
//! records applied versions and checksums in `_sqlx_migrations`, and on
//! PostgreSQL takes an advisory lock, so nodes starting together migrate
//! once.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};

use crate::db::{Backend, Db};
use crate::error::Result;

/// (version, description, SQLite text, PostgreSQL text), oldest first.
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../../../schemas/migrations/sqlite/0001_init.sql"),
        include_str!("../../../schemas/migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "network",
        include_str!("../../../schemas/migrations/sqlite/0002_network.sql"),
        include_str!("../../../schemas/migrations/postgres/0002_network.sql"),
    ),
    (
        3,
        "inbound hub",
        include_str!("../../../schemas/migrations/sqlite/0003_inbound_hub.sql"),
        include_str!("../../../schemas/migrations/postgres/0003_inbound_hub.sql"),
    ),
];

#[derive(Debug)]
struct Embedded(Backend);

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(
        self,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 's>> {
        let migrations = MIGRATIONS
            .iter()
            .map(|&(version, description, sqlite, postgres)| {
                let sql = match self.0 {
                    Backend::Sqlite => sqlite,
                    Backend::Postgres => postgres,
                };
                Migration::new(
                    version,
                    Cow::Borrowed(description),
                    MigrationType::Simple,
                    Cow::Borrowed(sql),
                    false,
                )
            })
            .collect();
        Box::pin(async move { Ok(migrations) })
    }
}

pub(crate) async fn run(db: &Db) -> Result<()> {
    let migrator = Migrator::new(Embedded(db.backend())).await?;
    match db {
        Db::Sqlite(pool) => migrator.run(pool).await?,
        Db::Postgres(pool) => migrator.run(pool).await?,
    }
    Ok(())
}
