//! The test environment: a hub on a real store (a SQLite file, or a fresh
//! PostgreSQL schema), a manual clock, a recording SMS sender, request
//! helpers for `oneshot`, and test devices with real keys that register,
//! seal, sign, send and open like the device client does.
//!
//! PostgreSQL tests use the database at `BUBBLEGATE_TEST_POSTGRES_URL`
//! (default `postgres://postgres@127.0.0.1:5432/test`), one schema per
//! test, dropped at the end. Without a server they skip and say so,
//! unless `BUBBLEGATE_REQUIRE_POSTGRES=1`, when they fail.

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use bubblegate_hub::{
    Clock, Hub, HubConfig, HubOptions, InboundSms, ManualClock, SmsError, SmsSender, Timers,
};
use bubblegate_proto::wire::{
    DirectoryDevice, DirectoryEntry, Envelope, EnvelopeList, OutEnvelope, Registered, SmsPart,
};
use bubblegate_proto::{
    open, seal_and_sign, Content, EncKeyPair, GroupInfo, Header, Sender, SignPublicKey,
    SigningKeyPair, E164,
};
use bubblegate_store::{Store, StoreConfig};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use sqlx::Connection;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

/// Declares each named `async fn(Db)` as a test on both backends:
/// `sqlite::name` and `postgres::name`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(crate::support::Db::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if crate::support::postgres_available(stringify!($name)).await {
                        super::$name(crate::support::Db::Postgres).await;
                    }
                }
            )*
        }
    };
}
pub(crate) use on_both_backends;

pub const ALICE: &str = "+31611111111";
pub const BOB: &str = "+31622222222";
pub const CAROL: &str = "+31633333333";
/// A number with no device: green.
pub const DAVE: &str = "+31644444444";
/// A number the fake SMS policy refuses.
pub const REFUSED: &str = "+447911123456";

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

fn postgres_url() -> String {
    std::env::var("BUBBLEGATE_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.into())
}

/// Whether PostgreSQL tests can run; says so once when they cannot.
pub async fn postgres_available(test: &str) -> bool {
    let url = postgres_url();
    match sqlx::PgConnection::connect(&url).await {
        Ok(c) => {
            let _ = c.close().await;
            true
        }
        Err(e) if std::env::var("BUBBLEGATE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") => {
            panic!("BUBBLEGATE_REQUIRE_POSTGRES=1 but {url} is unreachable: {e}")
        }
        Err(e) => {
            eprintln!("skipping postgres::{test}: cannot connect to {url} ({e})");
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "PostgreSQL tests skip: cannot connect to {url} ({e}); \
                     set BUBBLEGATE_REQUIRE_POSTGRES=1 to fail instead"
                );
            });
            false
        }
    }
}

/// Which backend a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

impl Db {
    /// A hub on a fresh store of this backend.
    pub async fn env(self, config: HubConfig) -> Env {
        match self {
            Db::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join("bubblegate.db");
                let config_store = StoreConfig::Sqlite { path: path.clone() };
                let store = Store::open(&config_store).await.expect("open SQLite store");
                Env::new(store, config_store, config, Some(dir), Some(path), None)
            }
            Db::Postgres => {
                let url = postgres_url();
                let mut admin = sqlx::PgConnection::connect(&url).await.expect("connect");
                let schema = format!("bg_hub_{}", uuid_like());
                sqlx::query(&format!("CREATE SCHEMA {schema}"))
                    .execute(&mut admin)
                    .await
                    .expect("create schema");
                let _ = admin.close().await;
                let config_store = StoreConfig::Postgres {
                    url: url.clone(),
                    schema: Some(schema.clone()),
                    max_connections: 8,
                };
                let store = Store::open(&config_store).await.expect("open PostgreSQL store");
                Env::new(store, config_store, config, None, None, Some((url, schema)))
            }
        }
    }
}

fn uuid_like() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("{:x}{}{}", nanos, std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// One SMS the hub asked for.
#[derive(Clone, Debug)]
pub struct Sent {
    pub to: String,
    pub text: String,
    pub key: Option<String>,
    pub urgent: bool,
    pub id: String,
}

/// Records SMS instead of sending them; keys deduplicate like the
/// outbox's. Numbers starting with `+44`, and those in `refused`, are
/// refused by "policy".
#[derive(Default)]
pub struct FakeSms {
    pub sent: Mutex<Vec<Sent>>,
    keys: Mutex<HashMap<String, String>>,
    pub unavailable: AtomicBool,
    /// The next this many calls that are not codes answer `Unavailable`.
    pub fail_next: AtomicU64,
    /// More numbers the "policy" refuses.
    pub refused: Mutex<Vec<String>>,
    /// The key of every call, sent or not, in order.
    pub attempts: Mutex<Vec<Option<String>>>,
}

#[bubblegate_api::async_trait]
impl SmsSender for FakeSms {
    async fn send_sms(
        &self,
        to: &E164,
        text: &str,
        key: Option<String>,
        urgent: bool,
    ) -> Result<String, SmsError> {
        self.attempts.lock().unwrap().push(key.clone());
        if self.unavailable.load(Ordering::SeqCst) {
            return Err(SmsError::Unavailable("test: down".into()));
        }
        if !urgent
            && self
                .fail_next
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok()
        {
            return Err(SmsError::Unavailable("test: down this once".into()));
        }
        if to.as_str().starts_with("+44")
            || self.refused.lock().unwrap().iter().any(|r| r == to.as_str())
        {
            return Err(SmsError::Refused("test: country not allowed".into()));
        }
        if let Some(k) = &key {
            if let Some(id) = self.keys.lock().unwrap().get(k) {
                return Ok(id.clone());
            }
        }
        let mut sent = self.sent.lock().unwrap();
        let id = format!("sms-{}", sent.len() + 1);
        sent.push(Sent {
            to: to.as_str().to_owned(),
            text: text.to_owned(),
            key: key.clone(),
            urgent,
            id: id.clone(),
        });
        if let Some(k) = key {
            self.keys.lock().unwrap().insert(k, id.clone());
        }
        Ok(id)
    }
}

impl FakeSms {
    pub fn to(&self, number: &str) -> Vec<Sent> {
        self.sent.lock().unwrap().iter().filter(|s| s.to == number).cloned().collect()
    }

    /// What went to `number`, codes left out.
    pub fn texts_to(&self, number: &str) -> Vec<Sent> {
        self.to(number).into_iter().filter(|s| !s.urgent).collect()
    }

    /// How many calls used `key`, sent or not.
    pub fn attempts_with(&self, key: &str) -> usize {
        self.attempts.lock().unwrap().iter().filter(|k| k.as_deref() == Some(key)).count()
    }

    pub fn count(&self) -> usize {
        self.sent.lock().unwrap().len()
    }

    /// The digits of the last code sent to `number`.
    pub fn last_code(&self, number: &str) -> String {
        let sent = self.to(number);
        let text = &sent.last().unwrap_or_else(|| panic!("no SMS to {number}")).text;
        let start = text.find(|c: char| c.is_ascii_digit()).expect("a code in the SMS");
        text[start..start + 6].to_owned()
    }
}

/// An answer: status, headers and the body as JSON (or text).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    #[track_caller]
    pub fn expect(self, status: StatusCode) -> Answer {
        assert_eq!(self.status, status, "{}", self.text);
        self
    }
}

pub struct Env {
    pub hub: Hub,
    pub app: Router,
    pub store: Store,
    store_config: StoreConfig,
    pub clock: ManualClock,
    pub sms: Arc<FakeSms>,
    /// The SQLite file, when on SQLite.
    pub db_path: Option<PathBuf>,
    pub shutdown: CancellationToken,
    key: SigningKeyPair,
    config: HubConfig,
    timers: Option<Timers>,
    _dir: Option<tempfile::TempDir>,
    schema: Option<(String, String)>,
}

/// A point in time well inside a valid UTC day.
pub fn start_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_763_750_000)
}

impl Env {
    fn new(
        store: Store,
        store_config: StoreConfig,
        config: HubConfig,
        dir: Option<tempfile::TempDir>,
        db_path: Option<PathBuf>,
        schema: Option<(String, String)>,
    ) -> Env {
        let clock = ManualClock::new(start_time());
        let sms = Arc::new(FakeSms::default());
        let key = SigningKeyPair::generate().unwrap();
        Env::with(store, store_config, config, key, clock, sms, dir, db_path, schema)
    }

    #[allow(clippy::too_many_arguments)]
    fn with(
        store: Store,
        store_config: StoreConfig,
        config: HubConfig,
        key: SigningKeyPair,
        clock: ManualClock,
        sms: Arc<FakeSms>,
        dir: Option<tempfile::TempDir>,
        db_path: Option<PathBuf>,
        schema: Option<(String, String)>,
    ) -> Env {
        let hub = Hub::new(HubOptions {
            store: store.clone(),
            key: key.clone(),
            config: config.clone(),
            sms: sms.clone(),
            clock: Arc::new(clock.clone()),
        });
        let shutdown = CancellationToken::new();
        let app = hub.router(shutdown.clone());
        Env {
            hub,
            app,
            store,
            store_config,
            clock,
            sms,
            db_path,
            shutdown,
            key,
            config,
            timers: None,
            _dir: dir,
            schema,
        }
    }

    /// A restart after a crash: the hub is made anew (no wake-up, limit,
    /// cache or counter survives) on the same store, key, clock and SMS
    /// sender. Its timers are not started.
    pub async fn restart(&mut self) {
        self.stop_timers().await;
        self.hub = Hub::new(HubOptions {
            store: self.store.clone(),
            key: self.key.clone(),
            config: self.config.clone(),
            sms: self.sms.clone(),
            clock: Arc::new(self.clock.clone()),
        });
        self.app = self.hub.router(self.shutdown.clone());
    }

    /// Another node on the same database: a hub of its own (its own
    /// notifier, limits and timers, not started) on a second store handle,
    /// with the same key, configuration, clock and SMS sender, as nodes
    /// that share a key file. Dropping it leaves the database to this one.
    pub async fn second_node(&self) -> Env {
        let store = Store::open(&self.store_config).await.expect("open a second store handle");
        Env::with(
            store,
            self.store_config.clone(),
            self.config.clone(),
            self.key.clone(),
            self.clock.clone(),
            self.sms.clone(),
            None,
            self.db_path.clone(),
            None,
        )
    }

    /// Starts the fallback and expiry timers, and the relay of the
    /// store's wake-ups.
    pub fn start_timers(&mut self) {
        self.timers = Some(self.hub.start(&self.shutdown));
    }

    pub async fn stop_timers(&mut self) {
        if let Some(t) = self.timers.take() {
            t.stop().await;
        }
    }

    /// Moves the clock and lets the timers run.
    pub async fn advance(&self, by: Duration) {
        self.clock.advance(by);
        settle().await;
    }

    /// A request through `oneshot`, from `peer` when given.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        peer: Option<SocketAddr>,
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let mut request = match body {
            Some(body) => request
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
            None => request.body(Body::empty()).unwrap(),
        };
        if let Some(peer) = peer {
            request.extensions_mut().insert(ConnectInfo(peer));
        }
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer { status, headers, body, text }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        self.request(method, path, token, body, None).await
    }

    /// Registers a new device on `phone`.
    pub async fn register(&self, phone: &str, name: &str) -> TestDevice {
        self.call(Method::POST, "/v1/register/request", None, Some(json!({"phone": phone})))
            .await
            .expect(StatusCode::ACCEPTED);
        let code = self.sms.last_code(phone);
        self.verify(phone, &code, name).await
    }

    /// Verifies `code` for a new device; panics unless 201.
    pub async fn verify(&self, phone: &str, code: &str, name: &str) -> TestDevice {
        let (answer, device) = self.try_verify(phone, code, name).await;
        answer.expect(StatusCode::CREATED);
        device.unwrap()
    }

    pub async fn try_verify(
        &self,
        phone: &str,
        code: &str,
        name: &str,
    ) -> (Answer, Option<TestDevice>) {
        let enc = EncKeyPair::generate(1);
        let sign = SigningKeyPair::generate().unwrap();
        let body = json!({
            "phone": phone,
            "code": code,
            "device": {"name": name, "enc_key": enc.public(), "sign_key": sign.public()},
        });
        let answer = self.call(Method::POST, "/v1/register/verify", None, Some(body)).await;
        if answer.status != StatusCode::CREATED {
            return (answer, None);
        }
        let reg: Registered = serde_json::from_value(answer.body.clone()).unwrap();
        assert_eq!(reg.hub_key, self.hub.public_key());
        let device = TestDevice {
            id: reg.device_id,
            handle: reg.handle,
            token: reg.token,
            enc,
            sign,
            hub_key: reg.hub_key,
        };
        (answer, Some(device))
    }

    /// The active devices of `phone`, as `from` sees them (empty on 404).
    pub async fn directory(&self, from: &TestDevice, phone: &str) -> Vec<DirectoryDevice> {
        let answer = self
            .call(Method::GET, &format!("/v1/directory/{phone}"), Some(&from.token), None)
            .await;
        match answer.status {
            StatusCode::OK => {
                serde_json::from_value::<DirectoryEntry>(answer.body).unwrap().devices
            }
            // Unknown, or not a number (the hub answers the send `failed`).
            StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST => Vec::new(),
            other => panic!("directory: {other}: {}", answer.text),
        }
    }

    /// Every device a send from `from` to `recipients` must address.
    pub async fn targets(&self, from: &TestDevice, recipients: &[&str]) -> Vec<DirectoryDevice> {
        let mut out: Vec<DirectoryDevice> = Vec::new();
        for r in recipients.iter().copied().chain([from.handle.as_str()]) {
            for d in self.directory(from, r).await {
                if d.device_id != from.id && !out.iter().any(|o| o.device_id == d.device_id) {
                    out.push(d);
                }
            }
        }
        out
    }

    /// A send request sealed for `targets`.
    pub fn request_body(
        &self,
        from: &TestDevice,
        cmid: &str,
        recipients: &[&str],
        content: &Content,
        targets: &[DirectoryDevice],
        sms: Option<SmsPart>,
    ) -> Value {
        let created_at = bubblegate_hub::clock::millis(self.clock.now());
        let envelopes: Vec<OutEnvelope> =
            targets.iter().map(|d| from.seal(d, cmid, created_at, content)).collect();
        let group = match content {
            Content::Text { group, .. } => group.clone(),
            _ => None,
        };
        let mut body = json!({
            "client_message_id": cmid,
            "kind": content.kind(),
            "recipients": recipients,
            "created_at": created_at,
            "envelopes": envelopes,
        });
        if let Some(group) = group {
            body["group"] = serde_json::to_value(group).unwrap();
        }
        if let Some(sms) = sms {
            body["sms"] = serde_json::to_value(sms).unwrap();
        }
        body
    }

    /// Looks up the devices and sends `content`.
    pub async fn send(
        &self,
        from: &TestDevice,
        cmid: &str,
        recipients: &[&str],
        content: &Content,
        sms: Option<SmsPart>,
    ) -> Answer {
        let targets = self.targets(from, recipients).await;
        let body = self.request_body(from, cmid, recipients, content, &targets, sms);
        self.call(Method::POST, "/v1/messages", Some(&from.token), Some(body)).await
    }

    /// The device's queue, each envelope verified and opened.
    pub async fn inbox(&self, device: &TestDevice) -> Vec<(Envelope, Content)> {
        let answer = self
            .call(Method::GET, "/v1/envelopes?limit=1000", Some(&device.token), None)
            .await
            .expect(StatusCode::OK);
        let list: EnvelopeList = serde_json::from_value(answer.body).unwrap();
        let mut out = Vec::new();
        for e in list.envelopes {
            let content = self.open(device, &e).await;
            out.push((e, content));
        }
        out
    }

    /// Verifies (against the sender's key, or the hub's) and opens.
    pub async fn open(&self, device: &TestDevice, e: &Envelope) -> Content {
        assert_eq!(e.recipient_device_id, device.id, "an envelope for another device");
        let key = match &e.sender {
            None => device.hub_key,
            Some(sender) => {
                let record = self.store.network().device(&sender.device_id).await.unwrap().unwrap();
                SignPublicKey::from_bytes(&record.sign_key).unwrap()
            }
        };
        let header = e.header();
        bubblegate_proto::verify(&header, &e.sealed, &e.signature, &key).expect("signature");
        let plain = open(&header, &device.enc, &e.sealed).expect("opens");
        Content::from_bytes(&plain, e.kind).expect("content")
    }

    /// Acks envelopes by id; returns `deleted`.
    pub async fn ack(&self, device: &TestDevice, ids: &[&str]) -> u64 {
        let answer = self
            .call(Method::POST, "/v1/envelopes/ack", Some(&device.token), Some(json!({"ids": ids})))
            .await
            .expect(StatusCode::OK);
        answer.body["deleted"].as_u64().unwrap()
    }

    /// An SMS received on `modem`, as the daemon's inbox does it: stored
    /// (pending for the hub), then handed to the hub.
    pub async fn receive_sms(&self, modem: &str, from: &str, body: &str) {
        use bubblegate_store::{ModemId, ModemRecord, NewInboundPart, NodeId};
        let now = self.clock.now();
        let id = ModemId(modem.into());
        let record = ModemRecord {
            id: id.clone(),
            profile: "generic".into(),
            imei: None,
            node: NodeId("test".into()),
        };
        self.store.upsert_modem(&record, now).await.expect("record the modem");
        let part = NewInboundPart {
            modem: id,
            sim: None,
            sender: from.into(),
            scts: now,
            concat: None,
            body: bubblegate_sms::Body::Text(body.into()),
            // Unique per message, so the inbox's dedup keeps each one.
            pdu_hex: bubblegate_sms::hex::encode(format!("{from}{body}").as_bytes()),
            received_at: now,
        };
        let stored = self.store.store_inbound_part(&part).await.expect("store the SMS");
        let message = stored.complete_message.expect("a one-part message is complete");
        let sms = InboundSms {
            modem: modem.into(),
            from: from.into(),
            body: body.into(),
            received_at: now,
        };
        self.hub.hand_off(message.id, sms).await.expect("hand the SMS to the hub");
    }

    /// The hub's metrics text.
    pub fn metrics(&self) -> String {
        self.hub.metrics().render_text()
    }

    pub fn metric(&self, series: &str) -> u64 {
        let text = self.metrics();
        text.lines()
            .find_map(|l| l.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')))
            .unwrap_or_else(|| panic!("no series {series} in\n{text}"))
            .parse()
            .unwrap()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        self.shutdown.cancel();
        let Some((url, schema)) = self.schema.take() else { return };
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

/// Lets spawned tasks (timers) run after a clock move.
pub async fn settle() {
    for _ in 0..20 {
        tokio::task::yield_now().await;
    }
    tokio::time::sleep(Duration::from_millis(150)).await;
}

/// Waits until `check` holds, up to 5 s.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A device with real keys.
pub struct TestDevice {
    pub id: String,
    pub handle: E164,
    pub token: String,
    pub enc: EncKeyPair,
    pub sign: SigningKeyPair,
    pub hub_key: SignPublicKey,
}

impl TestDevice {
    pub fn sender(&self) -> Sender {
        Sender { handle: self.handle.clone(), device_id: self.id.clone() }
    }

    /// Seals and signs `content` for `to`.
    pub fn seal(
        &self,
        to: &DirectoryDevice,
        cmid: &str,
        created_at: i64,
        content: &Content,
    ) -> OutEnvelope {
        let header = Header {
            sender: Some(self.sender()),
            recipient_device_id: to.device_id.clone(),
            client_message_id: cmid.to_owned(),
            created_at,
            key_id: to.enc_key.key_id,
            kind: content.kind(),
        };
        seal_and_sign(&header, &to.enc_key, content, &self.sign).unwrap()
    }
}

pub fn text(body: &str) -> Content {
    Content::text(body)
}

pub fn group_text(body: &str, name: &str, members: &[&str]) -> Content {
    Content::Text {
        body: body.into(),
        group: Some(GroupInfo {
            id: "g1".into(),
            name: name.into(),
            members: members.iter().map(|m| m.to_string()).collect(),
        }),
        to: Vec::new(),
    }
}

pub fn sms(text: &str, fallback: bool) -> Option<SmsPart> {
    Some(SmsPart { text: text.into(), fallback })
}
