//! Everflow (seed 000): `{"error": "<message>"}`, where the HTTP status alone says which
//! error it is.

use apierror::{ApiError, Unknown};

/// Everflow's errors, one per documented status; each carries the server's message.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "plain")]
pub enum EverflowError {
    /// Missing or malformed parameters. Fix the request.
    #[error("{message}")]
    #[status(400)]
    BadRequest {
        /// What was wrong.
        #[api_error(message)]
        message: String,
    },
    /// Missing, invalid or revoked API key.
    #[error("{message}")]
    #[status(401)]
    Unauthorized {
        /// What was wrong.
        #[api_error(message)]
        message: String,
    },
    /// Wrong key type or insufficient permissions.
    #[error("{message}")]
    #[status(403)]
    Forbidden {
        /// What was wrong.
        #[api_error(message)]
        message: String,
    },
    /// No such resource or path.
    #[error("{message}")]
    #[status(404)]
    NotFound {
        /// What was wrong.
        #[api_error(message)]
        message: String,
    },
    /// Rate limit exceeded: retry after a backoff.
    #[error("{message}")]
    #[status(429)]
    TooManyRequests {
        /// What was wrong.
        #[api_error(message)]
        message: String,
    },
    /// A problem on Everflow's side: retry with backoff.
    #[error("{message}")]
    #[status(500)]
    InternalServerError {
        /// What was wrong.
        #[api_error(message)]
        message: String,
    },
    /// Anything else a server or proxy sends.
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}
