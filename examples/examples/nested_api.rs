//! Seed 001 (a vendor the reference does not name): one `error` object with a
//! `SCREAMING_SNAKE_CASE` code, the message, details, the request id and a timestamp.
//! Prints what each row of the reference's table sends, then decodes bodies a client
//! would receive.
//!
//! The enum is declared in `apierror_examples::vendors::nested_api`, which the seed tests
//! share.
//!
//! ```text
//! cargo run -p apierror-examples --example nested_api
//! ```

use apierror::{ApiError, Context, Decoded, FieldErrors};
use apierror_examples::vendors::nested_api::ServiceError;
use http::{HeaderMap, StatusCode};

fn main() {
    let errors = [
        ServiceError::InvalidRequest,
        ServiceError::Unauthorized,
        ServiceError::Forbidden,
        ServiceError::NotFound,
        ServiceError::Conflict,
        ServiceError::ValidationError {
            details: FieldErrors::new().with_field("email", "must be a valid email address"),
        },
        ServiceError::RateLimitExceeded,
        ServiceError::InternalError,
        ServiceError::BadGateway,
        ServiceError::ServiceUnavailable,
        ServiceError::Timeout,
    ];
    let context = Context::new()
        .with_request_id("req_7Hq2xK9")
        .with_timestamp("2024-01-15T10:30:00Z");

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
        match Decoded::<ServiceError>::from_response(status, &HeaderMap::new(), body.as_bytes()) {
            Ok(Decoded {
                error: ServiceError::Other(unknown),
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
