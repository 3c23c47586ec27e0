//! A minimal HTTP/1.1 client for the daemon's API on loopback: one request
//! per connection (`Connection: close`), JSON bodies, a bearer token and a
//! timeout on every call. It reads what axum answers (a `Content-Length`
//! body, or one up to the end of the connection), as the simulator's
//! `ControlClient` does, and keeps a full HTTP client out of the build.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{anyhow, bail, Context};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// An answer: status code and JSON body (`Null` when empty or not JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

/// Talks to one server.
#[derive(Debug, Clone)]
pub struct Client {
    addr: SocketAddr,
    token: Option<String>,
    timeout: Duration,
}

impl Client {
    pub fn new(addr: SocketAddr, token: Option<String>, timeout: Duration) -> Client {
        Client { addr, token, timeout }
    }

    pub async fn get(&self, path: &str) -> anyhow::Result<Reply> {
        self.request("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> anyhow::Result<Reply> {
        self.request("POST", path, Some(body)).await
    }

    async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Reply> {
        tokio::time::timeout(self.timeout, self.exchange(method, path, body))
            .await
            .map_err(|_| anyhow!("{method} {path}: no answer within {:?}", self.timeout))?
    }

    async fn exchange(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Reply> {
        let mut stream = TcpStream::connect(self.addr)
            .await
            .with_context(|| format!("cannot connect to {}", self.addr))?;
        let body = body.map(Value::to_string).unwrap_or_default();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAccept: application/json\r\n",
            self.addr
        );
        if let Some(token) = &self.token {
            head.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        if !body.is_empty() {
            head.push_str("Content-Type: application/json\r\n");
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        head.push_str(&body);
        stream.write_all(head.as_bytes()).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        parse_response(&raw)
    }
}

fn parse_response(raw: &[u8]) -> anyhow::Result<Reply> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| anyhow!("malformed HTTP response: no header end"))?;
    let head = std::str::from_utf8(&raw[..end]).context("HTTP header is not UTF-8")?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| anyhow!("malformed HTTP response: no status code"))?;
    let mut body = &raw[end + 4..];
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        if name.eq_ignore_ascii_case("content-length") {
            let len: usize = value.trim().parse().context("bad Content-Length")?;
            body = body.get(..len).ok_or_else(|| anyhow!("body shorter than Content-Length"))?;
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            bail!("chunked HTTP bodies are not supported");
        }
    }
    let body = serde_json::from_slice(body).unwrap_or(Value::Null);
    Ok(Reply { status, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_json_and_empty_answers() {
        let raw = b"HTTP/1.1 201 Created\r\ncontent-length: 11\r\n\r\n{\"id\":\"x\"}\n";
        let reply = parse_response(raw).expect("parses");
        assert_eq!(reply, Reply { status: 201, body: serde_json::json!({"id": "x"}) });
        let reply = parse_response(b"HTTP/1.1 204 No Content\r\n\r\n").expect("parses");
        assert_eq!(reply, Reply { status: 204, body: Value::Null });
        assert!(parse_response(b"HTTP/1.1 200 OK\r\n").is_err());
    }
}
