//! The test environment: a fresh database per test on each backend, and
//! fixtures.
//!
//! SQLite tests use a real file in a temporary directory. PostgreSQL tests
//! use a fresh schema in the database at `BUBBLEGATE_TEST_POSTGRES_URL`
//! (default `postgres://postgres@127.0.0.1:5432/test`), dropped when the
//! test ends, so tests run in parallel. Without a server they skip and say
//! so, unless `BUBBLEGATE_REQUIRE_POSTGRES=1`, when they fail.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bubblegate_sms::Coding;
use bubblegate_store::{
    Claimer, Iccid, ModemId, ModemRecord, NewMessage, NewPart, NodeId, SimRecord, Store,
    StoreConfig,
};
use sqlx::Connection;

/// Declares each named `async fn(TestDb)` as a test on both backends:
/// `sqlite::name` and `postgres::name`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(crate::support::TestDb::sqlite().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(db) = crate::support::TestDb::postgres(stringify!($name)).await {
                        super::$name(db).await;
                    }
                }
            )*
        }
    };
}
pub(crate) use on_both_backends;

pub struct TestDb {
    pub store: Store,
    config: StoreConfig,
    /// Keeps the SQLite file's directory alive.
    _dir: Option<tempfile::TempDir>,
    /// The PostgreSQL schema to drop at the end.
    schema: Option<(String, String)>,
}

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

pub fn postgres_url() -> String {
    std::env::var("BUBBLEGATE_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.into())
}

fn postgres_required() -> bool {
    std::env::var("BUBBLEGATE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let path: PathBuf = dir.path().join("bubblegate.db");
        let config = StoreConfig::Sqlite { path };
        let store = Store::open(&config).await.expect("open SQLite store");
        TestDb { store, config, _dir: Some(dir), schema: None }
    }

    /// `None` (after saying why) when no server answers and none is
    /// required.
    pub async fn postgres(test: &str) -> Option<TestDb> {
        let url = postgres_url();
        let mut admin = match sqlx::PgConnection::connect(&url).await {
            Ok(c) => c,
            Err(e) if !postgres_required() => {
                eprintln!("skipping postgres::{test}: cannot connect to {url} ({e})");
                // Once per run, past the test harness's capture, so that a
                // skip is never silent.
                static SAID: std::sync::Once = std::sync::Once::new();
                SAID.call_once(|| {
                    let _ = writeln!(
                        std::io::stderr(),
                        "PostgreSQL tests skip: cannot connect to {url} ({e}); \
                         set BUBBLEGATE_REQUIRE_POSTGRES=1 to fail instead"
                    );
                });
                return None;
            }
            Err(e) => panic!("BUBBLEGATE_REQUIRE_POSTGRES=1 but {url} is unreachable: {e}"),
        };
        let schema = format!("bg_test_{}", uuid::Uuid::now_v7().simple());
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut admin)
            .await
            .expect("create schema");
        admin.close().await.expect("close admin connection");
        let config = StoreConfig::Postgres {
            url: url.clone(),
            schema: Some(schema.clone()),
            max_connections: 8,
        };
        let store = Store::open(&config).await.expect("open PostgreSQL store");
        Some(TestDb { store, config, _dir: None, schema: Some((url, schema)) })
    }

    /// Closes the pool and opens the same database again, as a restart
    /// does.
    pub async fn reopen(&mut self) {
        self.store.close().await;
        self.store = Store::open(&self.config).await.expect("reopen store");
    }

    /// The PostgreSQL URL and schema, for tests that look inside.
    pub fn postgres_schema(&self) -> Option<(&str, &str)> {
        self.schema.as_ref().map(|(u, s)| (u.as_str(), s.as_str()))
    }

    /// A second, independent handle on the same database: another node.
    pub async fn second_node(&self) -> Store {
        Store::open(&self.config).await.expect("open second handle")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((url, schema)) = self.schema.take() else { return };
        // Drop runs outside async; a short-lived runtime on its own thread
        // does the clean-up.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build();
            if let Ok(rt) = rt {
                rt.block_on(async {
                    if let Ok(mut c) = sqlx::PgConnection::connect(&url).await {
                        let sql = format!("DROP SCHEMA IF EXISTS {schema} CASCADE");
                        let _ = sqlx::query(&sql).execute(&mut c).await;
                        let _ = c.close().await;
                    }
                });
            }
        })
        .join();
    }
}

/// The tests' epoch: times are `at(seconds)` after it.
pub fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
}

/// A message of `parts` parts, with a delivery report and no key.
pub fn message(destination: &str, parts: usize) -> NewMessage {
    NewMessage {
        idempotency_key: None,
        destination: destination.into(),
        body: format!("hello {destination}"),
        coding: Coding::Gsm7,
        priority: 0,
        delivery_report: true,
        send_after: None,
        validity: None,
        parts: (0..parts)
            .map(|i| NewPart { pdu_hex: format!("0041{i:02x}"), tpdu_length: 3 })
            .collect(),
    }
}

/// Records modem `name` with SIM `sim-<name>` on node `node`, and returns
/// the claimer that sends through them.
pub async fn sender(store: &Store, node: &str, name: &str) -> Claimer {
    let modem = ModemId::from(name);
    let sim = Iccid(format!("sim-{name}"));
    let record = ModemRecord {
        id: modem.clone(),
        profile: "generic".into(),
        imei: None,
        node: NodeId::from(node),
    };
    store.upsert_modem(&record, at(0)).await.expect("upsert modem");
    let sim_record =
        SimRecord { iccid: sim.clone(), imsi: None, msisdn: None, modem: Some(modem.clone()) };
    store.upsert_sim(&sim_record, at(0)).await.expect("upsert sim");
    Claimer { node: NodeId::from(node), modem, sim }
}
