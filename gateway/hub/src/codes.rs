//! Sending and checking verification codes, for registration and for
//! deregistration alike.
//!
//! Sending: the abuse limits first (per source address when there is
//! one, per number), then the daily verification-SMS budget in the store,
//! then the code is committed (replacing any earlier one) and only then
//! queued as SMS. Checking: the per-number attempt limit, then the
//! store's attempt count (taken before the comparison), then a
//! constant-time comparison; the code is deleted when it matched or its
//! last attempt failed.

use std::net::IpAddr;
use std::time::Duration;

use bubblegate_api::ApiError;
use bubblegate_proto::E164;
use bubblegate_store::CodePurpose;

use crate::auth::limited;
use crate::clock::utc_day;
use crate::error::HubError;
use crate::metrics::{Limit, Purpose};
use crate::secrets::{self, CODE_ATTEMPTS, CODE_TTL_SECS};
use crate::sms::SmsError;
use crate::Inner;

/// The store's name of the daily verification-SMS budget.
const BUDGET: &str = "verification_sms";

/// Where a code request came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// An HTTP request, from this address when known.
    Http(Option<IpAddr>),
    /// A `STOP`/`DEREGISTER` SMS from the number itself.
    Sms,
}

/// The limits on code requests, per source address and per number.
pub(crate) fn request_limits(inner: &Inner, handle: &E164, origin: Origin) -> Result<(), ApiError> {
    let now = inner.clock.now();
    if let Origin::Http(Some(address)) = origin {
        let check = inner.limits.code_address.check(&address, now);
        limited(inner, Limit::CodeRequestsPerAddress, check)?;
    }
    let check = inner.limits.code_number.check(&handle.as_str().to_owned(), now);
    limited(inner, Limit::CodeRequestsPerNumber, check)
}

/// Applies the limits, stores a new code and queues it by SMS.
pub(crate) async fn send(
    inner: &Inner,
    handle: &E164,
    purpose: CodePurpose,
    origin: Origin,
) -> Result<(), ApiError> {
    request_limits(inner, handle, origin)?;
    let now = inner.clock.now();
    let (day, midnight) = utc_day(now);
    let network = inner.store.network();
    let budget = inner.config.daily_verification_sms;
    if !network.take_budget(BUDGET, day, budget).await.map_err(HubError::from)? {
        inner.metrics.rate_limited(Limit::DailyCodeBudget);
        tracing::warn!(budget, "the daily budget of verification SMS is spent");
        let wait = midnight.duration_since(now).unwrap_or(Duration::from_secs(1));
        return Err(ApiError::rate_limited(wait));
    }
    let code = secrets::new_code().map_err(HubError::from)?;
    let expires_at = now + Duration::from_secs(CODE_TTL_SECS);
    network
        .put_code(handle.as_str(), purpose, &code.salt, &code.hash, expires_at, now)
        .await
        .map_err(HubError::from)?;
    let text = secrets::code_text(&code.code, purpose == CodePurpose::Deregister);
    match inner.sms.send_sms(handle, &text, None, true).await {
        Ok(_) => {
            let metric = match purpose {
                CodePurpose::Register => Purpose::Register,
                CodePurpose::Deregister => Purpose::Deregister,
            };
            inner.metrics.code_sent(metric);
            tracing::info!(purpose = %purpose, "verification code queued");
            tracing::trace!(to = %handle, "verification code for");
            Ok(())
        }
        Err(SmsError::Refused(why)) => {
            let _ = network.delete_code(handle.as_str(), purpose).await;
            tracing::debug!(%why, "a verification code was refused by the SMS policy");
            Err(ApiError::invalid("phone", "cannot be reached by SMS from this hub"))
        }
        Err(SmsError::Unavailable(why)) => {
            let _ = network.delete_code(handle.as_str(), purpose).await;
            tracing::warn!(%why, "cannot queue a verification code");
            Err(ApiError::unavailable("cannot send SMS now; try again later"))
        }
    }
}

/// Checks `code` for `handle`; on success the code is used up.
pub(crate) async fn check(
    inner: &Inner,
    handle: &E164,
    purpose: CodePurpose,
    code: &str,
) -> Result<(), ApiError> {
    let now = inner.clock.now();
    let key = (purpose == CodePurpose::Deregister, handle.as_str().to_owned());
    limited(inner, Limit::CodeAttempts, inner.limits.code_attempts.check(&key, now))?;
    let code = code.trim();
    if !secrets::code_well_formed(code) {
        return Err(ApiError::invalid("code", "must be the 6 digits sent by SMS"));
    }
    let network = inner.store.network();
    let wrong = || ApiError::invalid("code", "is wrong or has expired");
    let Some(stored) =
        network.code_attempt(handle.as_str(), purpose, now).await.map_err(HubError::from)?
    else {
        return Err(wrong());
    };
    if stored.attempts > CODE_ATTEMPTS {
        // Attempts past the limit raced the deletion; the code is dead.
        network.delete_code(handle.as_str(), purpose).await.map_err(HubError::from)?;
        return Err(too_many());
    }
    if secrets::code_matches(&stored.salt, &stored.hash, code) {
        network.delete_code(handle.as_str(), purpose).await.map_err(HubError::from)?;
        return Ok(());
    }
    if stored.attempts >= CODE_ATTEMPTS {
        network.delete_code(handle.as_str(), purpose).await.map_err(HubError::from)?;
        tracing::info!(purpose = %purpose, "a code was used up by wrong attempts");
        return Err(too_many());
    }
    Err(wrong())
}

fn too_many() -> ApiError {
    ApiError::invalid("code", "was wrong too often: it is void; request a new one")
}
