//! Seed 001 (a vendor the reference does not name): one `error` object with a
//! `SCREAMING_SNAKE_CASE` code, the message, details, the request id and a timestamp.
//! Prints what each row of the reference's table sends, then decodes bodies a client
//! would receive.
//!
//! ```text
//! cargo run -p apierror-examples --example nested_api
//! ```

use apierror::{ApiError, Context, Decoded, FieldErrors, Unknown};
use http::{HeaderMap, StatusCode};

/// The reference's error table, one variant per row. 5xx messages are masked to the
/// status's reason phrase unless a variant is `expose`d.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ApiFailure {
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

fn main() {
    let errors = [
        ApiFailure::InvalidRequest,
        ApiFailure::Unauthorized,
        ApiFailure::Forbidden,
        ApiFailure::NotFound,
        ApiFailure::Conflict,
        ApiFailure::ValidationError {
            details: FieldErrors::new().with("email", "must be a valid email address"),
        },
        ApiFailure::RateLimitExceeded,
        ApiFailure::InternalError,
        ApiFailure::BadGateway,
        ApiFailure::ServiceUnavailable,
        ApiFailure::Timeout,
    ];
    let context = Context {
        request_id: Some("req_7Hq2xK9"),
        timestamp: Some("2024-01-15T10:30:00Z"),
        ..Context::EMPTY
    };

    println!("What each row sends (with a request id and timestamp):\n");
    for error in &errors {
        println!(
            "{} retry {:<10} {}",
            error.status().as_u16(),
            format!("{:?}", error.retry()),
            String::from_utf8_lossy(&error.to_body_with(&context)),
        );
    }

    println!("\nBodies a client receives, decoded:\n");
    let samples: [(StatusCode, &str); 4] = [
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            r#"{"error":{"code":"VALIDATION_ERROR","message":"Request validation failed","details":{"email":["must be a valid email address"]},"request_id":"req_1","timestamp":"2024-01-15T10:30:00Z"}}"#,
        ),
        (
            StatusCode::TOO_MANY_REQUESTS,
            r#"{"error":{"code":"RATE_LIMIT_EXCEEDED","message":"Too many requests","request_id":"req_2"}}"#,
        ),
        (
            StatusCode::FORBIDDEN,
            r#"{"error":{"code":"QUOTA_EXCEEDED","message":"Monthly quota exceeded","request_id":"req_3"}}"#,
        ),
        (StatusCode::GATEWAY_TIMEOUT, ""),
    ];
    for (status, body) in samples {
        println!("{} {body}", status.as_u16());
        match Decoded::<ApiFailure>::from_response(status, &HeaderMap::new(), body.as_bytes()) {
            Ok(Decoded {
                error: ApiFailure::Other(unknown),
                meta,
            }) => println!(
                "    -> Other({unknown}), retry {:?}, request id {:?}\n",
                unknown.retry(),
                meta.request_id
            ),
            Ok(Decoded { error, meta }) => println!(
                "    -> {error:?}, retry {:?}, request id {:?}\n",
                error.retry(),
                meta.request_id
            ),
            Err(error) => println!("    -> {error}\n"),
        }
    }
}
