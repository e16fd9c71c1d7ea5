//! Seed 001 (a vendor the reference does not name): one `error` object with a
//! `SCREAMING_SNAKE_CASE` code, the message, details, the request id and a timestamp.

use apierror::{ApiError, FieldErrors, Unknown};

/// The reference's error table, one variant per row. 5xx messages are masked to the
/// status's reason phrase unless a variant is `expose`d.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ServiceError {
    /// Malformed request syntax.
    #[error("Malformed request syntax")]
    #[status(400)]
    InvalidRequest,
    /// Invalid or missing API key.
    #[error("Invalid or missing API key")]
    #[status(401)]
    Unauthorized,
    /// Insufficient permissions.
    #[error("Insufficient permissions")]
    #[status(403)]
    Forbidden,
    /// Resource does not exist.
    #[error("Resource does not exist")]
    #[status(404)]
    NotFound,
    /// Resource state conflict.
    #[error("Resource state conflict")]
    #[status(409)]
    Conflict,
    /// Request validation failed; the message can be shown to end users.
    #[error("Request validation failed")]
    #[status(422)]
    ValidationError {
        /// Which fields failed, and why.
        #[api_error(details)]
        details: FieldErrors,
    },
    /// Too many requests (retryable).
    #[error("Too many requests")]
    #[status(429)]
    RateLimitExceeded,
    /// Server error (retryable).
    #[error("Server error")]
    #[status(500)]
    InternalError,
    /// Upstream service error (retryable).
    #[error("Upstream service error")]
    #[status(502)]
    BadGateway,
    /// Temporary service outage (retryable); its message is shown to clients.
    #[error("Temporary service outage")]
    #[status(503)]
    #[api_error(expose)]
    ServiceUnavailable,
    /// Request timeout (retryable).
    #[error("Request timeout")]
    #[status(504)]
    Timeout,
    /// A code this client does not know.
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}
