//! Flextell (seed 004): `{"error": "<code>", "message": "…"}`. Prints what each variant
//! sends, then decodes the reference's sample bodies.
//!
//! The enum is declared in `apierror_examples::vendors::flextell`, which the seed tests
//! share.
//!
//! ```text
//! cargo run -p apierror-examples --example flextell
//! ```

use apierror::ApiError;
use apierror_examples::vendors::flextell::FlextellError;
use http::{HeaderMap, StatusCode};

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
