//! A minimal HTTP/1.1 client for the control interface, for tests and
//! scripts: one request per connection (`Connection: close`), JSON in and
//! out, a timeout on every call. It speaks only what the control server
//! answers (a `Content-Length` body or a body up to the end of the
//! connection), which keeps a full HTTP client out of the dependency tree.

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Talks to one simulator's control interface.
#[derive(Debug, Clone, Copy)]
pub struct ControlClient {
    addr: SocketAddr,
    timeout: Duration,
}

/// A control response: status code and JSON body (`Null` when empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

/// Why a control call failed before an answer came.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("control request failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("control request timed out after {0:?}")]
    Timeout(Duration),
    #[error("malformed control response: {0}")]
    Malformed(String),
}

impl ControlClient {
    /// A client with a 10 s timeout per call.
    pub fn new(addr: SocketAddr) -> ControlClient {
        ControlClient { addr, timeout: Duration::from_secs(10) }
    }

    pub fn with_timeout(addr: SocketAddr, timeout: Duration) -> ControlClient {
        ControlClient { addr, timeout }
    }

    pub async fn get(&self, path: &str) -> Result<Reply, ClientError> {
        self.request("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Result<Reply, ClientError> {
        self.request("POST", path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Result<Reply, ClientError> {
        self.request("PUT", path, Some(body)).await
    }

    /// One request with an optional JSON body.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Reply, ClientError> {
        tokio::time::timeout(self.timeout, self.exchange(method, path, body))
            .await
            .map_err(|_| ClientError::Timeout(self.timeout))?
    }

    async fn exchange(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Reply, ClientError> {
        let mut stream = TcpStream::connect(self.addr).await?;
        let body = body.map(Value::to_string).unwrap_or_default();
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAccept: application/json\r\n",
            self.addr
        );
        if !body.is_empty() {
            request.push_str("Content-Type: application/json\r\n");
        }
        request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        stream.write_all(request.as_bytes()).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        parse_response(&raw)
    }
}

fn parse_response(raw: &[u8]) -> Result<Reply, ClientError> {
    let malformed = |what: &str| ClientError::Malformed(what.to_owned());
    let end =
        raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| malformed("no header end"))?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| malformed("header is not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| malformed("no status code"))?;
    let mut body = &raw[end + 4..];
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        if name.eq_ignore_ascii_case("content-length") {
            let len: usize = value.trim().parse().map_err(|_| malformed("bad Content-Length"))?;
            body = body.get(..len).ok_or_else(|| malformed("body shorter than Content-Length"))?;
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(malformed("chunked bodies are not supported"));
        }
    }
    let body = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(body).map_err(|err| ClientError::Malformed(err.to_string()))?
    };
    Ok(Reply { status, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_json_response() {
        let raw = b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 17\r\n\r\n{\"error\":\"nope\"}\n";
        let reply = parse_response(raw).expect("parses");
        assert_eq!(reply.status, 404);
        assert_eq!(reply.body, serde_json::json!({"error": "nope"}));
    }

    #[test]
    fn rejects_a_response_without_header_end() {
        assert!(parse_response(b"HTTP/1.1 200 OK\r\n").is_err());
    }
}
