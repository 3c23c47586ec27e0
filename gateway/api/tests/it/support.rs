//! The test environment: an in-memory [`Gateway`], request helpers for
//! `oneshot`, and a server on 127.0.0.1:0 for the socket tests.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use bubblegate_api::*;
use http_body_util::BodyExt;
use serde_json::Value;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

pub const TOKEN: &str = "test-admin-token-0123456789";

pub fn at(ms: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_738_324_800_000 + ms)
}

/// What the fake holds.
#[derive(Default)]
pub struct State {
    pub messages: Vec<MessageView>,
    pub keys: HashMap<String, String>,
    /// Oldest first; pages go newest first.
    pub inbox: Vec<InboxMessage>,
    pub modems: Vec<ModemView>,
    pub submitted: Vec<NewSms>,
    /// Returned by the next call of any method, once.
    pub fail_next: Option<ApiError>,
}

pub struct FakeGateway {
    pub state: Mutex<State>,
    pub events: broadcast::Sender<GatewayEvent>,
    pub health: Mutex<Health>,
}

impl FakeGateway {
    pub fn new() -> Arc<FakeGateway> {
        Arc::new(FakeGateway {
            state: Mutex::new(State::default()),
            events: broadcast::channel(16).0,
            health: Mutex::new(Health {
                status: HealthStatus::Ok,
                modems_ready: 1,
                modems_total: 1,
                queued: 0,
                detail: None,
            }),
        })
    }

    pub fn with_inbox(n: usize) -> Arc<FakeGateway> {
        let gw = FakeGateway::new();
        gw.state.lock().unwrap().inbox = (0..n).map(inbox_message).collect();
        gw
    }

    fn failure(&self) -> Result<(), ApiError> {
        match self.state.lock().unwrap().fail_next.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

pub fn inbox_message(i: usize) -> InboxMessage {
    InboxMessage {
        id: format!("in-{i:04}"),
        from: "+447911654321".into(),
        to: Some("+447911123456".into()),
        modem: "modem0".into(),
        sim: None,
        text: format!("message {i}"),
        parts: 1,
        complete: true,
        missing: vec![],
        sent_at: at(i as i64 * 1000),
        received_at: at(i as i64 * 1000 + 500),
    }
}

pub fn modem() -> ModemView {
    ModemView {
        id: "modem0".into(),
        profile: Some("simcom-sim800".into()),
        state: ModemState::Ready,
        signal: Some(Signal { csq: 20, dbm: -73 }),
        operator: Some("Simulated".into()),
        registration: Some(Registration::Home),
        sim: Some(SimView { iccid: "8900000000000000001".into(), msisdn: None }),
        quota: Some(QuotaView {
            per_minute_limit: Some(20),
            day_used: 3,
            day_limit: Some(500),
            month_used: 3,
            month_limit: None,
        }),
        last_error: None,
    }
}

#[async_trait]
impl Gateway for FakeGateway {
    async fn submit(&self, sms: NewSms) -> Result<Submitted, ApiError> {
        self.failure()?;
        let mut state = self.state.lock().unwrap();
        if let Some(key) = &sms.idempotency_key {
            if let Some(id) = state.keys.get(key) {
                let m = state.messages.iter().find(|m| &m.id == id).unwrap();
                return Ok(Submitted {
                    id: id.clone(),
                    created: false,
                    status: m.status,
                    parts: 1,
                });
            }
        }
        let id = format!("msg-{:04}", state.messages.len() + 1);
        if let Some(key) = &sms.idempotency_key {
            state.keys.insert(key.clone(), id.clone());
        }
        let now = at(0);
        state.messages.push(MessageView {
            id: id.clone(),
            to: sms.to.to_string(),
            text: sms.text.clone(),
            status: MessageStatus::Queued,
            priority: sms.priority,
            delivery_report: sms.delivery_report,
            sim: None,
            created_at: now,
            updated_at: now,
            send_after: sms.send_after,
            expires_at: None,
            parts: vec![PartView {
                seq: 1,
                state: PartState::Queued,
                attempts: 0,
                modem: None,
                reference: None,
                error: None,
                submitted_at: None,
                delivered_at: None,
            }],
            history: vec![HistoryEntry {
                part: None,
                from: None,
                to: "queued".into(),
                at: now,
                detail: None,
            }],
        });
        state.submitted.push(sms);
        Ok(Submitted { id, created: true, status: MessageStatus::Queued, parts: 1 })
    }

    async fn message(&self, id: &str) -> Result<Option<MessageView>, ApiError> {
        self.failure()?;
        Ok(self.state.lock().unwrap().messages.iter().find(|m| m.id == id).cloned())
    }

    async fn inbox(&self, cursor: Option<String>, limit: u32) -> Result<InboxPage, ApiError> {
        self.failure()?;
        let state = self.state.lock().unwrap();
        // The cursor is the id of the last message of the previous page.
        let newest_first: Vec<&InboxMessage> = state.inbox.iter().rev().collect();
        let start = match cursor {
            None => 0,
            Some(c) => match newest_first.iter().position(|m| m.id == c) {
                Some(i) => i + 1,
                None => {
                    return Err(ApiError::invalid("cursor", "is not a cursor from an earlier page"))
                }
            },
        };
        let page: Vec<InboxMessage> =
            newest_first.iter().skip(start).take(limit as usize).map(|m| (*m).clone()).collect();
        let more = start + page.len() < newest_first.len();
        let next_cursor = if more { page.last().map(|m| m.id.clone()) } else { None };
        Ok(InboxPage { messages: page, next_cursor })
    }

    async fn modems(&self) -> Result<Vec<ModemView>, ApiError> {
        self.failure()?;
        Ok(self.state.lock().unwrap().modems.clone())
    }

    fn events(&self) -> broadcast::Receiver<GatewayEvent> {
        self.events.subscribe()
    }

    async fn health(&self) -> Health {
        self.health.lock().unwrap().clone()
    }
}

pub fn config() -> ApiConfig {
    ApiConfig { admin_token: TOKEN.into(), ..ApiConfig::default() }
}

pub fn app(gw: &Arc<FakeGateway>) -> Router {
    router(gw.clone(), config())
}

/// An answer: status, headers and the body as JSON (or a string for text).
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
    pub text: String,
}

/// A request through `oneshot`: `token` is sent as a bearer token when
/// given; `body` as JSON when given.
pub async fn call(
    app: &Router,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Answer {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
        None => request.body(Body::empty()).unwrap(),
    };
    send(app, request).await
}

pub async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer { status, headers, body, text }
}

pub async fn get(app: &Router, path: &str) -> Answer {
    call(app, Method::GET, path, Some(TOKEN), None).await
}

pub async fn post(app: &Router, path: &str, body: Value) -> Answer {
    call(app, Method::POST, path, Some(TOKEN), Some(body)).await
}

/// Checks the common error shape and returns (code, field).
pub fn error_of(answer: &Answer) -> (String, Option<String>) {
    let error =
        answer.body.get("error").unwrap_or_else(|| panic!("not an error body: {}", answer.text));
    let keys: Vec<&String> = error.as_object().unwrap().keys().collect();
    assert!(keys.iter().all(|k| ["code", "message", "field"].contains(&k.as_str())), "{keys:?}");
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", answer.text);
    assert_eq!(
        answer.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/json",
        "error bodies are JSON"
    );
    (
        error["code"].as_str().unwrap().to_owned(),
        error.get("field").and_then(|f| f.as_str()).map(str::to_owned),
    )
}

/// A real server on 127.0.0.1:0; cancel the token to stop it.
pub struct Server {
    pub addr: SocketAddr,
    pub shutdown: CancellationToken,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    pub async fn start(gw: Arc<FakeGateway>, cfg: ApiConfig) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(serve(listener, gw, cfg, shutdown.clone()));
        // Once it answers, `serve` has subscribed its webhooks to the
        // gateway's events.
        let probe = bubblegate_api::client::Client::new(
            &format!("http://{addr}"),
            None,
            std::time::Duration::from_secs(5),
        )
        .unwrap();
        probe.health().await.expect("the server answers");
        Server { addr, shutdown, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub async fn stop(self) {
        self.shutdown.cancel();
        tokio::time::timeout(std::time::Duration::from_secs(10), self.task)
            .await
            .expect("server stops within 10 s")
            .unwrap()
            .unwrap();
    }
}

/// `GET /metrics` from a running server, as text.
pub async fn fetch_metrics(server: &Server) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let request = format!(
        "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n"
    );
    s.write_all(request.as_bytes()).await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out
}
