//! `ElasticFunnels` (seed 002): `{"message": "…", "errors": {"field": ["…"]}}`, where the
//! HTTP status alone says which error it is.

use apierror::{ApiError, FieldErrors, Unknown};

/// `ElasticFunnels`' errors, by status.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "fields")]
pub enum ElasticFunnelsError {
    /// The request was malformed or has invalid parameters.
    #[error("{message}")]
    #[status(400)]
    BadRequest {
        /// What was wrong.
        #[api_error(message)]
        message: String,
        /// Per-field messages, when there are any.
        #[api_error(details)]
        errors: Option<FieldErrors>,
    },
    /// Authentication failed. Every 401 decodes to this variant, with the body's message.
    #[error("{message}")]
    #[status(401)]
    #[api_error(decode_default)]
    Unauthorized {
        /// What was wrong.
        #[api_error(message)]
        message: String,
    },
    /// The key has no access to the brand (sent as a 401; decoded as `Unauthorized`).
    #[error("Invalid API key or brand access denied")]
    #[status(401)]
    NoBrandAccess,
    /// The action needs a higher role.
    #[error("You don't have permission to perform this action.")]
    #[status(403)]
    Forbidden,
    /// No such resource.
    #[error("Resource not found")]
    #[status(404)]
    NotFound,
    /// Validation failed: see `errors`.
    #[error("The given data was invalid.")]
    #[status(422)]
    ValidationFailed {
        /// Per-field messages.
        #[api_error(details)]
        errors: FieldErrors,
    },
    /// Slow down.
    #[error("Too many requests. Please slow down.")]
    #[status(429)]
    TooManyRequests,
    /// Something went wrong on `ElasticFunnels`' end.
    #[error("Something went wrong on our end.")]
    #[status(500)]
    InternalServerError,
    /// Temporarily unavailable.
    #[error("The service is temporarily unavailable.")]
    #[status(503)]
    ServiceUnavailable,
    /// Anything else.
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}
