//! Everflow (seed 000): `{"error": "<message>"}`, where the HTTP status alone says which
//! error it is. Prints what each variant sends, then decodes the reference's sample bodies.
//!
//! The enum is declared in `apierror_examples::vendors::everflow`, which the seed tests
//! share.
//!
//! ```text
//! cargo run -p apierror-examples --example everflow
//! ```

use apierror::ApiError;
use apierror_examples::vendors::everflow::EverflowError;
use http::{HeaderMap, StatusCode};

fn main() {
    let message = |text: &str| text.to_owned();
    let errors = [
        EverflowError::BadRequest {
            message: message("Invalid parameters."),
        },
        EverflowError::Unauthorized {
            message: message("Invalid API key."),
        },
        EverflowError::Forbidden {
            message: message("Wrong API key type for this endpoint."),
        },
        EverflowError::NotFound {
            message: message("Offer not found."),
        },
        EverflowError::TooManyRequests {
            message: message("Rate limit exceeded."),
        },
        EverflowError::InternalServerError {
            message: message("Unexpected error."),
        },
    ];

    println!("What each variant sends:\n");
    for error in &errors {
        println!(
            "{} {:<22} retry {:<10} {}",
            error.status().as_u16(),
            error.code(),
            format!("{:?}", error.retry()),
            String::from_utf8_lossy(&error.to_body()),
        );
    }

    println!("\nThe reference's sample bodies, decoded:\n");
    let samples = [
        (
            StatusCode::BAD_REQUEST,
            include_str!("../../tests/fixtures/000_invalid_parameters.json"),
        ),
        (
            StatusCode::UNAUTHORIZED,
            include_str!("../../tests/fixtures/000_error_body.json"),
        ),
        (
            StatusCode::TOO_MANY_REQUESTS,
            include_str!("../../tests/fixtures/000_error_body.json"),
        ),
        (
            StatusCode::BAD_GATEWAY,
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        ),
    ];
    for (status, body) in samples {
        let decoded = EverflowError::from_response(status, &HeaderMap::new(), body.as_bytes());
        println!(
            "{} {}",
            status.as_u16(),
            body.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        match decoded {
            Ok(EverflowError::Other(unknown)) => {
                println!("    -> Other({unknown}), retry {:?}\n", unknown.retry());
            }
            Ok(error) => println!("    -> {error:?}, retry {:?}\n", error.retry()),
            Err(error) => println!("    -> {error}\n"),
        }
    }
}
