//! The SQLite and PostgreSQL migrations define the same tables and
//! columns, with the same nullability.

use std::collections::BTreeSet;

use bubblegate_store::{Store, StoreConfig};
use sqlx::Connection;

/// (table, column, not null)
type Columns = BTreeSet<(String, String, bool)>;

const INTERNAL: &[&str] = &["_sqlx_migrations", "sqlite_sequence"];

#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema.db");
    let store = Store::open(&StoreConfig::Sqlite { path: path.clone() }).await.unwrap();
    store.close().await;
    let sqlite = sqlite_columns(&path).await;
    assert!(sqlite.iter().any(|(t, c, _)| t == "outbound_parts" && c == "mr"));

    let Some(db) =
        crate::support::TestDb::postgres("schema::sqlite_and_postgres_schemas_match").await
    else {
        return;
    };
    let postgres = postgres_columns(&db).await;
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_postgres:#?}"
    );
}

async fn sqlite_columns(path: &std::path::Path) -> Columns {
    let mut c =
        sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let mode: (String,) = sqlx::query_as("PRAGMA journal_mode").fetch_one(&mut c).await.unwrap();
    assert_eq!(mode.0, "wal", "the store file is in WAL mode");
    let rows: Vec<(String, String, bool, i64)> = sqlx::query_as(
        "SELECT m.name, p.name, p.\"notnull\", p.pk FROM sqlite_master m \
         JOIN pragma_table_info(m.name) p WHERE m.type = 'table'",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    rows.into_iter()
        .filter(|(t, ..)| !INTERNAL.contains(&t.as_str()))
        // An INTEGER PRIMARY KEY is the rowid: never NULL, whatever the
        // pragma says.
        .map(|(t, c, not_null, pk)| (t, c, not_null || pk > 0))
        .collect()
}

async fn postgres_columns(db: &crate::support::TestDb) -> Columns {
    let (url, schema) = db.postgres_schema().expect("a PostgreSQL test database");
    let mut c = sqlx::PgConnection::connect(url).await.unwrap();
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = $1",
    )
    .bind(schema)
    .fetch_all(&mut c)
    .await
    .unwrap();
    rows.into_iter()
        .filter(|(t, ..)| !INTERNAL.contains(&t.as_str()))
        .map(|(t, c, nullable)| (t, c, nullable == "NO"))
        .collect()
}
