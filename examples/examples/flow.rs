//! FLOW (seed 003): `{"error": {"code": <status>, "reason": "<reason>", "message": "…"}}`.
//! A reason may be declared under several statuses (`required` is both a 400 and a 401):
//! decoding tells them apart by the HTTP status. Prints what each variant sends, then
//! decodes the reference's sample body and a few others.
//!
//! The enum is declared in `apierror_examples::vendors::flow`, which the seed tests
//! share.
//!
//! ```text
//! cargo run -p apierror-examples --example flow
//! ```

use apierror::ApiError;
use apierror_examples::vendors::flow::FlowError;
use http::{HeaderMap, StatusCode};

fn main() {
    use FlowError as E;
    let errors = [
        E::NotModified,
        E::BadRequest,
        E::InvalidParameter,
        E::ParseError,
        E::InvalidArgument,
        E::MissingProperty,
        E::ApiVersionMismatch,
        E::SequenceNumberFormatError,
        E::AuthError,
        E::InvalidBearerToken,
        E::AuthenticationRequired,
        E::SessionExpired,
        E::Forbidden,
        E::AccountDisabled,
        E::NotFound,
        E::MethodNotAllowed,
        E::Conflict,
        E::OutdatedSequenceNumber,
        E::ResourceExists,
        E::PayloadTooLarge,
        E::UnsupportedMediaType,
        E::RateLimitExceeded,
        E::InternalError,
        E::NotImplementedYet,
        E::AnalyticsDataLoading,
    ];

    println!("What each variant sends:\n");
    for error in &errors {
        println!(
            "retry {:<15} {}",
            format!("{:?}", error.retry()),
            String::from_utf8_lossy(&error.to_body())
        );
    }

    println!("\nBodies a client receives, decoded:\n");
    let samples = [
        (
            StatusCode::BAD_REQUEST,
            include_str!("../../tests/fixtures/003_invalid_argument.json"),
        ),
        (
            StatusCode::BAD_REQUEST,
            r#"{"error":{"code":400,"reason":"required","message":"name is required"}}"#,
        ),
        (
            StatusCode::UNAUTHORIZED,
            r#"{"error":{"code":401,"reason":"required","message":"log in first"}}"#,
        ),
        (
            StatusCode::NOT_IMPLEMENTED,
            r#"{"error":{"code":501,"reason":"analytics_data_loading","message":"Analytics data is loading and currently not available."}}"#,
        ),
        (
            StatusCode::CONFLICT,
            r#"{"error":{"code":409,"reason":"widget_locked","message":"The widget is locked."}}"#,
        ),
    ];
    for (status, body) in samples {
        let decoded = FlowError::from_response(status, &HeaderMap::new(), body.as_bytes());
        println!(
            "{} {}",
            status.as_u16(),
            body.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        match decoded {
            Ok(FlowError::Other(unknown)) => println!("    -> Other({unknown})\n"),
            Ok(error) => println!("    -> {error:?}, retry {:?}\n", error.retry()),
            Err(error) => println!("    -> {error}\n"),
        }
    }
}
