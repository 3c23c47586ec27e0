//! A client of the API for the CLI (`bubblegate send|status|inbox|modems
//! list`) and for tests: typed calls over the crate's minimal HTTP/1.1
//! client, and the event stream over a WebSocket. Every call has a
//! timeout; failures are sorted into what a user can act on: the server
//! is unreachable, the token is wrong, or the server said no (with its
//! error code and message).
//!
//! Besides the admin API's typed calls, [`Client`] offers its plumbing to
//! other clients of the same server (the device client of the encrypted
//! network): [`Client::call_json`] and [`Client::exchange_json`] for JSON
//! calls on any path, and [`Client::websocket`] for a JSON WebSocket.

use std::time::Duration;

use axum::body::Bytes;
use axum::http::{header, HeaderValue, StatusCode};
use futures_util::{SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::WebSocketStream;

use crate::error::{ErrorBody, ErrorCode, ErrorDetail};
use crate::http1::{self, HttpError, HttpUrl};
use crate::types::{
    GatewayEvent, Health, InboxPage, MessageView, ModemView, SmsRequest, Submitted,
};

/// The HTTP method type the generic calls take, so that their callers need
/// no HTTP crate of their own.
pub use axum::http::Method;

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The API URL is not usable (not `http://`, no host).
    #[error("bad API URL {url:?}: {problem}")]
    BadUrl { url: String, problem: &'static str },
    /// Nothing listens there, or the network is down.
    #[error("cannot reach the Bubblegate API at {url}: {reason} (is `bubblegate run` or `bubblegate demo` running? set --api or BUBBLEGATE_API)")]
    Unreachable { url: String, reason: String },
    #[error("the API at {url} did not answer within {timeout:?}")]
    Timeout { url: String, timeout: Duration },
    /// 401: no token, or the wrong one.
    #[error("the API refused the token (401): {0}; pass --token or set BUBBLEGATE_TOKEN")]
    Unauthorized(String),
    /// Any other error answer, in the API's error shape.
    #[error("{}", describe(.status, .error))]
    Api { status: u16, error: ErrorDetail },
    /// An answer that is not what this API sends.
    #[error("unexpected answer from {url}: {reason}")]
    Protocol { url: String, reason: String },
}

fn describe(status: &u16, error: &ErrorDetail) -> String {
    format!("the API answered {status}: {}", error.message)
}

impl ClientError {
    /// The API's error code, for answers that had one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Api { error, .. } => Some(error.code),
            ClientError::Unauthorized(_) => Some(ErrorCode::Unauthorized),
            _ => None,
        }
    }
}

/// A connection-less client: each call opens its own connection.
#[derive(Clone, Debug)]
pub struct Client {
    base: HttpUrl,
    /// For messages: the URL as the user gave it.
    shown: String,
    token: Option<String>,
    timeout: Duration,
}

impl Client {
    /// A client of the API at `url` (e.g. `http://127.0.0.1:8025`), with a
    /// timeout per call.
    pub fn new(url: &str, token: Option<String>, timeout: Duration) -> Result<Client, ClientError> {
        let base = HttpUrl::parse(url)
            .map_err(|problem| ClientError::BadUrl { url: url.to_owned(), problem })?;
        if base.path.contains('?') {
            return Err(ClientError::BadUrl {
                url: url.to_owned(),
                problem: "must not have a query",
            });
        }
        Ok(Client { base, shown: url.trim_end_matches('/').to_owned(), token, timeout })
    }

    /// The server's URL as given, without a trailing `/`.
    pub fn url(&self) -> &str {
        &self.shown
    }

    /// The timeout of each call.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// `method path` with `body` as JSON, if any; the answer decoded as
    /// `T` when its status is a success (an empty body decodes as JSON
    /// `null`, so `()` and `Option<_>` fit a 204), else the error it
    /// carries. The path may hold a query; percent-encode its parts with
    /// [`encode_path_segment`].
    pub async fn call_json<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, ClientError> {
        let answer = self.exchange_json(method, path, body).await?;
        if !(200..300).contains(&answer.status) {
            return Err(self.answer_error(answer.status, &answer.body));
        }
        let body: &[u8] = if answer.body.is_empty() { b"null" } else { &answer.body };
        serde_json::from_slice(body).map_err(|e| self.protocol(e.to_string()))
    }

    /// `method path` with `body` as JSON, if any, and the answer whatever
    /// its status: for callers that read an error body's own fields.
    /// Only failures to get an answer at all are errors here.
    pub async fn exchange_json<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<RawAnswer, ClientError> {
        let body = match body {
            Some(body) => Some(serde_json::to_vec(body).map_err(|e| self.protocol(e.to_string()))?),
            None => None,
        };
        let answer = self.send(method, path, body).await?;
        Ok(RawAnswer {
            status: answer.status.as_u16(),
            body: answer.body.to_vec(),
            retry_after: answer.retry_after,
        })
    }

    /// The [`ClientError`] for an answer that is not a success, as
    /// [`Client::call_json`] makes it.
    pub fn answer_error(&self, status: u16, body: &[u8]) -> ClientError {
        self.error_answer(StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY), body)
    }

    /// Opens a WebSocket on `path` (`ws://` to the same server, with the
    /// token), exchanging JSON text frames.
    pub async fn websocket(&self, path: &str) -> Result<JsonSocket, ClientError> {
        tokio::time::timeout(self.timeout, self.open_websocket(path))
            .await
            .map_err(|_| ClientError::Timeout { url: self.shown.clone(), timeout: self.timeout })?
    }

    /// `POST /v1/sms`.
    pub async fn submit(&self, request: &SmsRequest) -> Result<Submitted, ClientError> {
        let body = serde_json::to_vec(request).map_err(|e| self.protocol(e.to_string()))?;
        self.call(Method::POST, "/v1/sms", Some(body)).await
    }

    /// `GET /v1/sms/{id}`; `None` for 404.
    pub async fn message(&self, id: &str) -> Result<Option<MessageView>, ClientError> {
        let path = format!("/v1/sms/{}", encode_segment(id));
        match self.call(Method::GET, &path, None).await {
            Err(ClientError::Api { status: 404, .. }) => Ok(None),
            other => other.map(Some),
        }
    }

    /// `GET /v1/inbox`.
    pub async fn inbox(
        &self,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<InboxPage, ClientError> {
        let mut query = Vec::new();
        if let Some(cursor) = cursor {
            query.push(format!("cursor={}", encode_segment(cursor)));
        }
        if let Some(limit) = limit {
            query.push(format!("limit={limit}"));
        }
        let path = if query.is_empty() {
            "/v1/inbox".to_owned()
        } else {
            format!("/v1/inbox?{}", query.join("&"))
        };
        self.call(Method::GET, &path, None).await
    }

    /// `GET /v1/modems`.
    pub async fn modems(&self) -> Result<Vec<ModemView>, ClientError> {
        self.call(Method::GET, "/v1/modems", None).await
    }

    /// `GET /healthz`, which answers 503 with the same body when down.
    pub async fn health(&self) -> Result<Health, ClientError> {
        let answer = self.send(Method::GET, "/healthz", None).await?;
        if answer.status != StatusCode::OK && answer.status != StatusCode::SERVICE_UNAVAILABLE {
            return Err(self.error_answer(answer.status, &answer.body));
        }
        serde_json::from_slice(&answer.body).map_err(|e| self.protocol(e.to_string()))
    }

    /// Opens `WS /v1/events`.
    pub async fn events(&self) -> Result<EventStream, ClientError> {
        Ok(EventStream { socket: self.websocket("/v1/events").await? })
    }

    async fn open_websocket(&self, path: &str) -> Result<JsonSocket, ClientError> {
        let url = self.base.join(path);
        let mut request = format!("ws://{}{}", url.authority, url.path)
            .into_client_request()
            .map_err(|e| self.protocol(e.to_string()))?;
        if let Some(value) = self.authorization()? {
            request.headers_mut().insert(header::AUTHORIZATION, value);
        }
        let stream = TcpStream::connect((url.host.as_str(), url.port)).await.map_err(|e| {
            ClientError::Unreachable { url: self.shown.clone(), reason: e.to_string() }
        })?;
        match tokio_tungstenite::client_async(request, stream).await {
            Ok((ws, _)) => Ok(JsonSocket { ws, url: self.shown.clone() }),
            Err(tungstenite::Error::Http(response)) => {
                let status = response.status().as_u16();
                let body = response.body().clone().unwrap_or_default();
                Err(self.answer_error(status, &body))
            }
            Err(e) => Err(self.protocol(e.to_string())),
        }
    }

    fn authorization(&self) -> Result<Option<HeaderValue>, ClientError> {
        let Some(token) = &self.token else { return Ok(None) };
        HeaderValue::from_str(&format!("Bearer {token}")).map(Some).map_err(|_| {
            ClientError::Unauthorized("the token has characters a header cannot carry".into())
        })
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Result<T, ClientError> {
        let answer = self.send(method, path, body).await?;
        if !answer.status.is_success() {
            return Err(self.error_answer(answer.status, &answer.body));
        }
        serde_json::from_slice(&answer.body).map_err(|e| self.protocol(e.to_string()))
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Result<http1::Answer, ClientError> {
        let mut headers = vec![(header::ACCEPT, HeaderValue::from_static("application/json"))];
        if let Some(value) = self.authorization()? {
            headers.push((header::AUTHORIZATION, value));
        }
        let body = body.map(|b| (Bytes::from(b), "application/json"));
        http1::exchange(&self.base.join(path), method, &headers, body, self.timeout).await.map_err(
            |e| match e {
                HttpError::Connect(_, io) => {
                    ClientError::Unreachable { url: self.shown.clone(), reason: io.to_string() }
                }
                HttpError::Timeout(timeout) => {
                    ClientError::Timeout { url: self.shown.clone(), timeout }
                }
                HttpError::Protocol(reason) => self.protocol(reason),
            },
        )
    }

    fn error_answer(&self, status: StatusCode, body: &[u8]) -> ClientError {
        let error = match serde_json::from_slice::<ErrorBody>(body) {
            Ok(body) => body.error,
            Err(_) => {
                return self.protocol(format!("status {status} without an API error body"));
            }
        };
        if status == StatusCode::UNAUTHORIZED {
            ClientError::Unauthorized(error.message)
        } else {
            ClientError::Api { status: status.as_u16(), error }
        }
    }

    fn protocol(&self, reason: String) -> ClientError {
        ClientError::Protocol { url: self.shown.clone(), reason }
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986 2.3),
/// for a path segment or a query value: `+31 6/1` becomes `%2B31%206%2F1`.
pub fn encode_path_segment(text: &str) -> String {
    encode_segment(text)
}

fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An answer of any status, from [`Client::exchange_json`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawAnswer {
    pub status: u16,
    pub body: Vec<u8>,
    /// The `Retry-After` header in seconds, e.g. with a 429.
    pub retry_after: Option<u64>,
}

/// An open WebSocket of JSON text frames, from [`Client::websocket`].
pub struct JsonSocket {
    ws: WebSocketStream<TcpStream>,
    url: String,
}

impl JsonSocket {
    /// The next text frame; `None` when the server closed the socket.
    /// Pings are answered and other frames skipped.
    pub async fn next_text(&mut self) -> Option<Result<String, ClientError>> {
        loop {
            let message = match self.ws.next().await? {
                Ok(message) => message,
                Err(e) => return Some(Err(self.protocol(e.to_string()))),
            };
            match message {
                Message::Text(text) => return Some(Ok(text.as_str().to_owned())),
                Message::Close(_) => return None,
                _ => continue,
            }
        }
    }

    /// The next text frame, decoded as `T`.
    pub async fn next_json<T: DeserializeOwned>(&mut self) -> Option<Result<T, ClientError>> {
        let text = match self.next_text().await? {
            Ok(text) => text,
            Err(e) => return Some(Err(e)),
        };
        Some(
            serde_json::from_str(&text)
                .map_err(|e| self.protocol(format!("a frame that does not parse: {e}"))),
        )
    }

    /// Sends `value` as one JSON text frame.
    pub async fn send_json<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ClientError> {
        let text = serde_json::to_string(value).map_err(|e| self.protocol(e.to_string()))?;
        self.ws.send(Message::text(text)).await.map_err(|e| self.protocol(e.to_string()))
    }

    /// Closes the socket politely.
    pub async fn close(mut self) {
        let _ = self.ws.send(Message::Close(None)).await;
    }

    fn protocol(&self, reason: String) -> ClientError {
        ClientError::Protocol { url: self.url.clone(), reason }
    }
}

/// `WS /v1/events`, open.
pub struct EventStream {
    socket: JsonSocket,
}

impl EventStream {
    /// The next event; `None` when the server closed the stream.
    pub async fn next(&mut self) -> Option<Result<GatewayEvent, ClientError>> {
        let text = match self.socket.next_text().await? {
            Ok(text) => text,
            Err(e) => return Some(Err(e)),
        };
        Some(
            serde_json::from_str(&text)
                .map_err(|e| self.socket.protocol(format!("an event that does not parse: {e}"))),
        )
    }

    /// Closes the stream politely.
    pub async fn close(self) {
        self.socket.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_path_segments() {
        assert_eq!(encode_segment("0190-ab_c.~"), "0190-ab_c.~");
        assert_eq!(encode_segment("a/b?c d"), "a%2Fb%3Fc%20d");
    }

    #[test]
    fn refuses_unusable_urls() {
        assert!(matches!(
            Client::new("https://h", None, Duration::from_secs(1)),
            Err(ClientError::BadUrl { .. })
        ));
        assert!(Client::new("http://127.0.0.1:8025/", None, Duration::from_secs(1)).is_ok());
    }
}
