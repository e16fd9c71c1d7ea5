//! Flextell (seed 004): `{"error": "<code>", "message": "…"}`.

use apierror::{ApiError, Unknown};

/// Flextell's errors. Only 429, 500 and 503 are retried; a 401 `invalid_token` asks the
/// client to refresh its token and try again.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat")]
pub enum FlextellError {
    /// Invalid body or query parameters.
    #[error("{message}")]
    #[status(400)]
    InvalidRequest {
        /// Which field, and why.
        #[api_error(message)]
        message: String,
    },
    /// The bearer token is missing, invalid or expired: refresh it and retry.
    #[error("The bearer token is expired or malformed.")]
    #[status(401)]
    #[retryable(reauthenticate)]
    InvalidToken,
    /// The token lacks a scope: re-authorize.
    #[error("The token lacks the required scope or permissions.")]
    #[status(403)]
    InsufficientScope,
    /// No such resource.
    #[error("The requested resource does not exist.")]
    #[status(404)]
    NotFound,
    /// Already exists, or conflicts with the current state.
    #[error("{message}")]
    #[status(409)]
    Conflict {
        /// What conflicts.
        #[api_error(message)]
        message: String,
    },
    /// Well-formed but invalid.
    #[error("{message}")]
    #[status(422)]
    ValidationError {
        /// Which field failed validation.
        #[api_error(message)]
        message: String,
    },
    /// Over the rate limit: wait for `Retry-After`.
    #[error("{message}")]
    #[status(429)]
    RateLimitExceeded {
        /// How long to wait, in words.
        #[api_error(message)]
        message: String,
    },
    /// Unexpected server-side error: retry with backoff.
    #[error("An unexpected server-side error occurred.")]
    #[status(500)]
    InternalError,
    /// Temporarily unavailable: retry with backoff.
    #[error("The service is temporarily unavailable.")]
    #[status(503)]
    ServiceUnavailable,
    /// A code this client does not know.
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}
