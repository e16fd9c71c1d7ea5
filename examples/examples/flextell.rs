//! Flextell (seed 004): `{"error": "<code>", "message": "…"}`. Prints what each variant
//! sends, then decodes the reference's sample bodies.
//!
//! ```text
//! cargo run -p apierror-examples --example flextell
//! ```

use apierror::{ApiError, Unknown};
use http::{HeaderMap, StatusCode};

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

fn main() {
    let errors = [
        FlextellError::InvalidRequest {
            message: "The 'name' field is required.".into(),
        },
        FlextellError::InvalidToken,
        FlextellError::InsufficientScope,
        FlextellError::NotFound,
        FlextellError::Conflict {
            message: "A contact with this phone number already exists.".into(),
        },
        FlextellError::ValidationError {
            message: "The 'email' field must be a valid email address.".into(),
        },
        FlextellError::RateLimitExceeded {
            message: "You have exceeded the allowed request rate. Please retry after 30 seconds."
                .into(),
        },
        FlextellError::InternalError,
        FlextellError::ServiceUnavailable,
    ];

    println!("What each variant sends:\n");
    for error in &errors {
        println!(
            "{} retry {:<15} {}",
            error.status().as_u16(),
            format!("{:?}", error.retry()),
            String::from_utf8_lossy(&error.to_body()),
        );
    }

    println!("\nThe reference's sample bodies, decoded:\n");
    let samples = [
        (
            StatusCode::UNAUTHORIZED,
            include_str!("../../tests/fixtures/004_invalid_token.json"),
        ),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            include_str!("../../tests/fixtures/004_validation_error.json"),
        ),
        (
            StatusCode::TOO_MANY_REQUESTS,
            include_str!("../../tests/fixtures/004_rate_limit_exceeded.json"),
        ),
        (
            StatusCode::PAYMENT_REQUIRED,
            r#"{"error":"plan_limit_reached","message":"Upgrade your plan."}"#,
        ),
    ];
    for (status, body) in samples {
        let decoded = FlextellError::from_response(status, &HeaderMap::new(), body.as_bytes());
        println!(
            "{} {}",
            status.as_u16(),
            body.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        match decoded {
            Ok(FlextellError::Other(unknown)) => println!("    -> Other({unknown})\n"),
            Ok(error) => println!("    -> {error:?}, retry {:?}\n", error.retry()),
            Err(error) => println!("    -> {error}\n"),
        }
    }
}
