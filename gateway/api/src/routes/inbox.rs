//! `GET /v1/inbox?cursor=&limit=`: received messages, newest first, a page
//! at a time. The cursor is the gateway's opaque token; this layer only
//! bounds its size and the page size.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;

use super::AppState;
use crate::error::ApiError;
use crate::types::{InboxPage, InboxQuery};

/// The page size when `limit` is absent.
pub const DEFAULT_PAGE: u32 = 50;
/// The largest `limit`.
pub const MAX_PAGE: u32 = 200;
/// Cursors are ids; a longer one is not ours.
const MAX_CURSOR: usize = 128;

pub(super) async fn list(
    State(state): State<AppState>,
    query: Result<Query<InboxQuery>, QueryRejection>,
) -> Result<Json<InboxPage>, ApiError> {
    let Query(query) = query?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::invalid("limit", format!("must be 1 to {MAX_PAGE}")));
    }
    if let Some(cursor) = &query.cursor {
        if cursor.is_empty() || cursor.len() > MAX_CURSOR {
            return Err(ApiError::invalid("cursor", "is not a cursor from an earlier page"));
        }
    }
    Ok(Json(state.gw.inbox(query.cursor, limit).await?))
}
