//! Internal failures and how they reach a client: a busy or unreachable
//! store is a 503 the client may retry; anything else is a 500 whose
//! cause goes to the log only (never SQL or crypto text to the client).

use bubblegate_api::ApiError;

/// A failure inside the hub.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HubError {
    #[error("store: {0}")]
    Store(#[from] bubblegate_store::Error),
    #[error("crypto: {0}")]
    Crypto(#[from] bubblegate_proto::ProtoError),
    #[error(transparent)]
    Random(#[from] crate::secrets::RandomFailed),
    #[error("a stored value does not parse: {0}")]
    Corrupt(String),
}

impl From<HubError> for ApiError {
    fn from(err: HubError) -> ApiError {
        match err {
            HubError::Store(
                e @ (bubblegate_store::Error::Unavailable(_) | bubblegate_store::Error::Busy(_)),
            ) => {
                tracing::warn!(err = %e, "the store cannot serve a hub request now");
                ApiError::unavailable("the database is busy or unavailable; try again")
            }
            other => ApiError::internal(other),
        }
    }
}
