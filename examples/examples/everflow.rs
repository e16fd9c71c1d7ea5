//! Everflow (seed 000): `{"error": "<message>"}`, where the HTTP status alone says which
//! error it is. Prints what each variant sends, then decodes the reference's sample bodies.
//!
//! ```text
//! cargo run -p apierror-examples --example everflow
//! ```

use apierror::{ApiError, Unknown};
use http::{HeaderMap, StatusCode};

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
