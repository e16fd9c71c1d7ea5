//! The main demonstration: one enum, and what a server sends and a client reads for
//! each of its variants.
//!
//! ```text
//! cargo run --example quickstart
//! ```

use apierror::{ApiError, FieldErrors, Unknown};
use http::{HeaderMap, StatusCode};

/// A service's errors, declared once.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ServiceError {
    /// The request could not be parsed.
    #[error("malformed request")]
    #[status(400)]
    InvalidRequest,

    /// Fields failed validation.
    #[error("validation failed")]
    #[status(422)]
    ValidationError {
        /// Which fields, and why.
        #[api_error(details)]
        fields: FieldErrors,
    },

    /// The client is over its rate limit (retryable: throttled).
    #[error("too many requests")]
    #[status(429)]
    RateLimitExceeded,

    /// The database is down: the message is masked for clients.
    #[error("database unreachable: {0}")]
    #[status(500)]
    Internal(#[source] std::io::Error),

    /// A 501 that is worth retrying.
    #[error("analytics data is loading")]
    #[status(501)]
    #[retryable]
    AnalyticsDataLoading,

    /// Whatever the server sent that this enum does not know.
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

fn main() {
    let errors = [
        ServiceError::InvalidRequest,
        ServiceError::ValidationError {
            fields: FieldErrors::new()
                .with_field("email", "is not an email address")
                .with_field("age", "must be at least 18"),
        },
        ServiceError::RateLimitExceeded,
        ServiceError::Internal(std::io::Error::other(
            "connection refused: db.internal:5432",
        )),
        ServiceError::AnalyticsDataLoading,
    ];

    println!("Server side: what each variant sends\n");
    println!(
        "{:<22} {:>6}  {:<24} {:<12} message",
        "variant", "status", "code", "retry"
    );
    for error in &errors {
        let variant = format!("{error:?}");
        let variant = variant.split(['(', ' ', '{']).next().unwrap_or_default();
        println!(
            "{variant:<22} {:>6}  {:<24} {:<12} {}",
            error.status().as_u16(),
            error.code(),
            format!("{:?}", error.retry()),
            error.message(),
        );
    }

    println!("\nEnvelopes on the wire:\n");
    for error in &errors {
        let response = error.to_response();
        println!(
            "{} {}\n  {}\n",
            response.status().as_u16(),
            response.headers()["content-type"]
                .to_str()
                .unwrap_or_default(),
            String::from_utf8_lossy(response.body()),
        );
    }
    println!(
        "(the 500's Display, \"{}\", never leaves the server)\n",
        errors[3]
    );

    println!("Client side: decoding responses back into the enum\n");
    let responses: [(u16, &str); 4] = [
        (
            422,
            r#"{"error":{"code":"VALIDATION_ERROR","message":"validation failed","details":{"email":["is not an email address"]},"request_id":"req_1"}}"#,
        ),
        (
            429,
            r#"{"error":{"code":"RATE_LIMIT_EXCEEDED","message":"slow down"}}"#,
        ),
        (
            409,
            r#"{"error":{"code":"CONFLICT","message":"version mismatch"}}"#,
        ),
        (502, "<html><body><h1>502 Bad Gateway</h1></body></html>"),
    ];
    for (status, body) in responses {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        match ServiceError::from_response(status, &HeaderMap::new(), body.as_bytes()) {
            Ok(error) => println!(
                "{} {:<60} -> {error:?}\n    retry: {:?}",
                status.as_u16(),
                truncate(body, 60),
                error.retry()
            ),
            Err(error) => println!("{} {} -> {error}", status.as_u16(), truncate(body, 60)),
        }
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        text.chars().take(max - 1).chain(['…']).collect()
    }
}
