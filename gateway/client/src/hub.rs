//! The HTTP side: JSON calls to the hub through the admin API client's
//! plumbing ([`bubblegate_api::client::Client`]), with the hub's error
//! answers read in full (the 409 device mismatch included).

use std::time::Duration;

use bubblegate_api::client::{Client, ClientError, JsonSocket, Method};
use bubblegate_proto::wire::DeviceMismatch;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{DeviceError, HubError};

pub use bubblegate_api::client::encode_path_segment;

/// A connection to one hub, with or without a device token.
#[derive(Clone, Debug)]
pub(crate) struct Hub {
    client: Client,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    devices: Option<DeviceMismatch>,
}

impl Hub {
    pub fn new(url: &str, token: Option<String>, timeout: Duration) -> Result<Hub, DeviceError> {
        let client = Client::new(url, token, timeout).map_err(from_client)?;
        Ok(Hub { client })
    }

    pub fn url(&self) -> &str {
        self.client.url()
    }

    /// `method path` with an optional JSON body; the JSON answer on
    /// success (an empty body reads as `null`), else the hub's error.
    pub async fn call<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, DeviceError> {
        let answer = self.client.exchange_json(method, path, body).await.map_err(from_client)?;
        if !(200..300).contains(&answer.status) {
            return Err(self.error(answer.status, &answer.body, answer.retry_after));
        }
        let body: &[u8] = if answer.body.is_empty() { b"null" } else { &answer.body };
        serde_json::from_slice(body).map_err(|e| DeviceError::Protocol {
            url: self.url().to_owned(),
            reason: format!("an answer to {path} that does not parse: {e}"),
        })
    }

    /// `GET path` without a body.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, DeviceError> {
        self.call(Method::GET, path, None::<&()>).await
    }

    /// Opens a WebSocket on `path`.
    pub async fn websocket(&self, path: &str) -> Result<JsonSocket, DeviceError> {
        self.client.websocket(path).await.map_err(from_client)
    }

    fn error(&self, status: u16, body: &[u8], retry_after: Option<u64>) -> DeviceError {
        let Ok(ErrorBody { error }) = serde_json::from_slice::<ErrorBody>(body) else {
            return DeviceError::Protocol {
                url: self.url().to_owned(),
                reason: format!("status {status} without an API error body"),
            };
        };
        match status {
            401 => DeviceError::Unauthorized { message: error.message },
            429 => DeviceError::RateLimited {
                message: error.message,
                wait: match retry_after {
                    Some(s) => format!("try again in {s} s"),
                    None => "try again later".to_owned(),
                },
                retry_after,
            },
            _ => DeviceError::Hub(Box::new(HubError {
                status,
                code: error.code,
                message: error.message,
                field: error.field,
                devices: error.devices,
            })),
        }
    }
}

/// The admin client's errors in the device's words.
pub(crate) fn from_client(e: ClientError) -> DeviceError {
    match e {
        ClientError::BadUrl { url, problem } => {
            let problem = if url.to_ascii_lowercase().starts_with("https:") {
                "https is not supported yet: use http:// on a trusted network, or to a \
                 TLS-terminating proxy on this machine (messages are end-to-end encrypted, but \
                 the device token is not)"
                    .to_owned()
            } else {
                problem.to_owned()
            };
            DeviceError::BadUrl { url, problem }
        }
        ClientError::Unreachable { url, reason } => DeviceError::Unreachable { url, reason },
        ClientError::Timeout { url, timeout } => DeviceError::Timeout { url, timeout },
        ClientError::Unauthorized(message) => DeviceError::Unauthorized { message },
        ClientError::Api { status, error } => DeviceError::Hub(Box::new(HubError {
            status,
            code: serde_json::to_value(error.code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            message: error.message,
            field: error.field,
            devices: None,
        })),
        ClientError::Protocol { url, reason } => DeviceError::Protocol { url, reason },
    }
}
