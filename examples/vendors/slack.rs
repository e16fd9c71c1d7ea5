//! Slack's Web API: every answer has `ok`, and an error is `{"ok":false,"error":"<code>"}`,
//! sent with HTTP 200 (and 429 when rate limited, with `Retry-After`).

use std::time::Duration;

use apierror::{ApiError, Unknown};

/// Slack's errors. Its envelope tells an error from a success by `"ok":false`, so the
/// errors it sends with 200 are declared with `#[status(200)]`.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format(json = r#"{"ok":false,"error":"{code}"}"#))]
pub enum SlackError {
    /// The channel does not exist, or the token cannot see it.
    #[error("channel not found")]
    #[status(200)]
    ChannelNotFound,
    /// The token is invalid.
    #[error("invalid authentication")]
    #[status(200)]
    InvalidAuth,
    /// Over the method's rate limit: wait for `Retry-After`.
    #[error("rate limited")]
    #[status(429)]
    Ratelimited {
        /// How long to wait.
        #[api_error(retry_after)]
        retry_after: Duration,
    },
    /// Any other error.
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}
