//! A minimal HTTP/1.1 client over hyper's connection API, for webhooks and
//! the CLI: one request per connection, plain `http://` only, a timeout
//! around the whole exchange and a cap on the answer's size. This keeps a
//! full client stack (pools, TLS, proxies) out of the daemon.

use std::time::Duration;

use axum::body::Bytes;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// The largest answer read; more is an error.
const MAX_RESPONSE: usize = 4 * 1024 * 1024;

/// A parsed `http://host[:port][/path]` URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HttpUrl {
    /// `host:port`, as connected to and sent in `Host`.
    pub authority: String,
    pub host: String,
    pub port: u16,
    /// The path with a leading `/` and the query, if any.
    pub path: String,
}

impl HttpUrl {
    pub fn parse(url: &str) -> Result<HttpUrl, &'static str> {
        let rest = match url.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
            Some((scheme, _)) if scheme.eq_ignore_ascii_case("https") => {
                return Err("https is not supported yet: use http:// to a receiver on a trusted network (the body is signed)");
            }
            _ => return Err("must be an http:// URL"),
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) if rest.as_bytes()[i] == b'/' => (&rest[..i], rest[i..].to_owned()),
            Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
            None => (rest, "/".to_owned()),
        };
        if authority.contains('@') {
            return Err("must not carry credentials; the signature authenticates");
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || host.starts_with('[') => {
                (host, port.parse::<u16>().map_err(|_| "has a bad port")?)
            }
            _ => (authority, 80),
        };
        if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("has no host");
        }
        if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("has spaces or control characters in its path");
        }
        Ok(HttpUrl {
            authority: format!("{host}:{port}"),
            host: host.trim_start_matches('[').trim_end_matches(']').to_owned(),
            port,
            path,
        })
    }

    /// This URL's base with another path, for an API base URL.
    pub fn join(&self, path: &str) -> HttpUrl {
        let base = self.path.trim_end_matches('/');
        HttpUrl { path: format!("{base}{path}"), ..self.clone() }
    }
}

/// Why an exchange failed before a status line came back.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HttpError {
    #[error("cannot connect to {0}: {1}")]
    Connect(String, std::io::Error),
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("HTTP error: {0}")]
    Protocol(String),
}

/// One answer.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: StatusCode,
    pub body: Bytes,
    /// `Retry-After` in seconds (RFC 9110 10.2.3), when the server sent
    /// one in that form.
    pub retry_after: Option<u64>,
}

/// Sends one request and reads the whole answer, within `timeout`.
pub(crate) async fn exchange(
    url: &HttpUrl,
    method: Method,
    headers: &[(header::HeaderName, HeaderValue)],
    body: Option<(Bytes, &'static str)>,
    timeout: Duration,
) -> Result<Answer, HttpError> {
    tokio::time::timeout(timeout, exchange_inner(url, method, headers, body))
        .await
        .map_err(|_| HttpError::Timeout(timeout))?
}

async fn exchange_inner(
    url: &HttpUrl,
    method: Method,
    headers: &[(header::HeaderName, HeaderValue)],
    body: Option<(Bytes, &'static str)>,
) -> Result<Answer, HttpError> {
    let stream = TcpStream::connect((url.host.as_str(), url.port))
        .await
        .map_err(|e| HttpError::Connect(url.authority.clone(), e))?;
    let _ = stream.set_nodelay(true);
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| HttpError::Protocol(e.to_string()))?;
    // The connection task ends with the exchange (Connection: close) or
    // when `sender` is dropped.
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let mut builder = Request::builder()
        .method(method)
        .uri(url.path.as_str())
        .header(header::HOST, url.authority.as_str())
        .header(header::CONNECTION, "close")
        .header(header::USER_AGENT, concat!("bubblegate/", env!("CARGO_PKG_VERSION")));
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    let bytes = match body {
        Some((bytes, content_type)) => {
            builder = builder.header(header::CONTENT_TYPE, content_type);
            bytes
        }
        None => Bytes::new(),
    };
    let request = builder.body(Full::new(bytes)).map_err(|e| HttpError::Protocol(e.to_string()))?;
    let response =
        sender.send_request(request).await.map_err(|e| HttpError::Protocol(e.to_string()))?;
    let (parts, body) = response.into_parts();
    let body = Limited::new(body, MAX_RESPONSE)
        .collect()
        .await
        .map_err(|e| HttpError::Protocol(e.to_string()))?
        .to_bytes();
    let retry_after = parts
        .headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    Ok(Answer { status: parts.status, body, retry_after })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_http_urls() {
        let u = HttpUrl::parse("http://127.0.0.1:8080/hooks/sms?x=1").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("127.0.0.1", 8080, "/hooks/sms?x=1")
        );
        let u = HttpUrl::parse("HTTP://receiver.lan").unwrap();
        assert_eq!((u.authority.as_str(), u.path.as_str()), ("receiver.lan:80", "/"));
        let u = HttpUrl::parse("http://[::1]:9000?q").unwrap();
        assert_eq!((u.host.as_str(), u.port, u.path.as_str()), ("::1", 9000, "/?q"));
        let base = HttpUrl::parse("http://h:1/api/").unwrap();
        assert_eq!(base.join("/v1/sms").path, "/api/v1/sms");
    }

    #[test]
    fn refuses_what_it_cannot_do() {
        for url in [
            "https://h/",
            "ftp://h/",
            "h:80",
            "http://",
            "http://u:p@h/",
            "http://h:99999/",
            "http://h/a b",
        ] {
            assert!(HttpUrl::parse(url).is_err(), "{url}");
        }
    }
}
