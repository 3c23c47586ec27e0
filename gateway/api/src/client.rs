//! A client of the API for the CLI (`bubblegate send|status|inbox|modems
//! list`) and for tests: typed calls over the crate's minimal HTTP/1.1
//! client, and the event stream over a WebSocket. Every call has a
//! timeout; failures are sorted into what a user can act on: the server
//! is unreachable, the token is wrong, or the server said no (with its
//! error code and message).

use std::time::Duration;

use axum::body::Bytes;
use axum::http::{header, HeaderValue, Method, StatusCode};
use futures_util::{SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::WebSocketStream;

use crate::error::{ErrorBody, ErrorCode, ErrorDetail};
use crate::http1::{self, HttpError, HttpUrl};
use crate::types::{
    GatewayEvent, Health, InboxPage, MessageView, ModemView, SmsRequest, Submitted,
};

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
        tokio::time::timeout(self.timeout, self.open_events())
            .await
            .map_err(|_| ClientError::Timeout { url: self.shown.clone(), timeout: self.timeout })?
    }

    async fn open_events(&self) -> Result<EventStream, ClientError> {
        let url = self.base.join("/v1/events");
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
            Ok((ws, _)) => Ok(EventStream { ws, url: self.shown.clone() }),
            Err(tungstenite::Error::Http(response)) => {
                let status = response.status().as_u16();
                let body = response.body().clone().unwrap_or_default();
                Err(self.error_answer(
                    StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY),
                    &body,
                ))
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
/// for a path segment or a query value.
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

/// `WS /v1/events`, open.
pub struct EventStream {
    ws: WebSocketStream<TcpStream>,
    url: String,
}

impl EventStream {
    /// The next event; `None` when the server closed the stream.
    pub async fn next(&mut self) -> Option<Result<GatewayEvent, ClientError>> {
        loop {
            let message = match self.ws.next().await? {
                Ok(message) => message,
                Err(e) => {
                    return Some(Err(ClientError::Protocol {
                        url: self.url.clone(),
                        reason: e.to_string(),
                    }))
                }
            };
            match message {
                Message::Text(text) => {
                    return Some(serde_json::from_str(text.as_str()).map_err(|e| {
                        ClientError::Protocol {
                            url: self.url.clone(),
                            reason: format!("an event that does not parse: {e}"),
                        }
                    }))
                }
                Message::Close(_) => return None,
                _ => continue,
            }
        }
    }

    /// Closes the stream politely.
    pub async fn close(mut self) {
        let _ = self.ws.send(Message::Close(None)).await;
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
