//! The SQLite and PostgreSQL migrations define the same tables and
//! columns, with the same nullability, and the same keys and indexes.

use std::collections::BTreeSet;

use bubblegate_store::{Store, StoreConfig};
use sqlx::Connection;

/// (table, column, not null)
type Columns = BTreeSet<(String, String, bool)>;

/// (table, what, columns in order): `what` is `primary key`, `unique` (a
/// table constraint) or `index <name>` / `unique index <name>`.
type Keys = BTreeSet<(String, String, Vec<String>)>;

/// The encrypted network's tables (migration 2), and a key of each that
/// its code relies on; and the hand-off's index (migration 3).
const NETWORK_KEYS: &[(&str, &str, &[&str])] = &[
    ("net_handles", "primary key", &["handle"]),
    ("net_devices", "unique", &["token_hash"]),
    ("net_devices", "index net_devices_handle", &["handle"]),
    ("net_codes", "primary key", &["handle", "purpose"]),
    ("net_budget", "primary key", &["name", "day"]),
    ("net_sends", "unique", &["sender_device", "client_message_id"]),
    ("net_envelopes", "index net_envelopes_recipient", &["recipient_device", "id"]),
    ("net_envelopes", "index net_envelopes_expires", &["expires_at"]),
    ("net_fallbacks", "primary key", &["send_id", "recipient_handle"]),
    ("net_fallbacks", "index net_fallbacks_due", &["due_at"]),
    ("net_blocks", "primary key", &["blocker_handle", "blocked_handle"]),
    // Migration 3: the messages not handed to the hub yet, per modem.
    ("inbound_messages", "index inbound_messages_hub_pending", &["modem_id", "id"]),
];

const INTERNAL: &[&str] = &["_sqlx_migrations", "sqlite_sequence"];

#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema.db");
    let store = Store::open(&StoreConfig::Sqlite { path: path.clone() }).await.unwrap();
    store.close().await;
    let sqlite = sqlite_columns(&path).await;
    assert!(sqlite.iter().any(|(t, c, _)| t == "outbound_parts" && c == "mr"));
    assert!(sqlite.iter().any(|(t, c, _)| t == "net_envelopes" && c == "body"));
    let pending = ("inbound_messages".to_owned(), "hub_done_at".to_owned(), false);
    assert!(sqlite.contains(&pending), "hub_done_at is a nullable column");
    let sqlite_keys = sqlite_keys(&path).await;
    for (table, what, columns) in NETWORK_KEYS {
        let key =
            (table.to_string(), what.to_string(), columns.iter().map(|c| c.to_string()).collect());
        assert!(sqlite_keys.contains(&key), "SQLite lacks {key:?}");
    }

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

    let postgres_keys = postgres_keys(&db).await;
    let only_sqlite: Vec<_> = sqlite_keys.difference(&postgres_keys).collect();
    let only_postgres: Vec<_> = postgres_keys.difference(&sqlite_keys).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "keys only in SQLite: {only_sqlite:#?}\nkeys only in PostgreSQL: {only_postgres:#?}"
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

async fn sqlite_keys(path: &std::path::Path) -> Keys {
    let mut c =
        sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let tables: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut c)
            .await
            .unwrap();
    let mut keys = Keys::new();
    for (table,) in tables.into_iter().filter(|(t,)| !INTERNAL.contains(&t.as_str())) {
        // The primary key from the table's columns: an INTEGER PRIMARY KEY
        // is the rowid and has no index of its own.
        let mut pk: Vec<(i64, String)> =
            sqlx::query_as("SELECT pk, name FROM pragma_table_info($1) WHERE pk > 0")
                .bind(&table)
                .fetch_all(&mut c)
                .await
                .unwrap();
        pk.sort();
        if !pk.is_empty() {
            keys.insert((
                table.clone(),
                "primary key".into(),
                pk.into_iter().map(|(_, n)| n).collect(),
            ));
        }
        let indexes: Vec<(String, bool, String)> = sqlx::query_as(
            "SELECT name, \"unique\", origin FROM pragma_index_list($1) WHERE origin <> 'pk'",
        )
        .bind(&table)
        .fetch_all(&mut c)
        .await
        .unwrap();
        for (index, unique, origin) in indexes {
            let columns: Vec<(String,)> =
                sqlx::query_as("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(&mut c)
                    .await
                    .unwrap();
            let what = match (origin.as_str(), unique) {
                ("u", _) => "unique".to_string(),
                (_, true) => format!("unique index {index}"),
                (_, false) => format!("index {index}"),
            };
            keys.insert((table.clone(), what, columns.into_iter().map(|(n,)| n).collect()));
        }
    }
    keys
}

async fn postgres_keys(db: &crate::support::TestDb) -> Keys {
    let (url, schema) = db.postgres_schema().expect("a PostgreSQL test database");
    let mut c = sqlx::PgConnection::connect(url).await.unwrap();
    let rows: Vec<(String, String, bool, bool, bool, Vec<String>)> = sqlx::query_as(
        "SELECT t.relname::text, i.relname::text, x.indisprimary, x.indisunique, \
           EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid), \
           ARRAY(SELECT a.attname::text \
                 FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS u(attnum, n) \
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = u.attnum \
                 ORDER BY u.n) \
         FROM pg_index x \
         JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_namespace s ON s.oid = t.relnamespace \
         WHERE s.nspname = $1",
    )
    .bind(schema)
    .fetch_all(&mut c)
    .await
    .unwrap();
    rows.into_iter()
        .filter(|(t, ..)| !INTERNAL.contains(&t.as_str()))
        .map(|(table, index, primary, unique, constraint, columns)| {
            let what = match (primary, unique, constraint) {
                (true, ..) => "primary key".to_string(),
                (false, true, true) => "unique".to_string(),
                (false, true, false) => format!("unique index {index}"),
                (false, false, _) => format!("index {index}"),
            };
            (table, what, columns)
        })
        .collect()
}
