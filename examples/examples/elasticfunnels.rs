//! `ElasticFunnels` (seed 002): `{"message": "…", "errors": {"field": ["…"]}}`, where the
//! HTTP status alone says which error it is. Prints what each variant sends, then decodes
//! every sample body of the reference.
//!
//! The enum is declared in `apierror_examples::vendors::elasticfunnels`, which the seed tests
//! share.
//!
//! ```text
//! cargo run -p apierror-examples --example elasticfunnels
//! ```

use apierror::{ApiError, FieldErrors};
use apierror_examples::vendors::elasticfunnels::ElasticFunnelsError;
use http::{HeaderMap, StatusCode};

fn main() {
    let errors = [
        ElasticFunnelsError::BadRequest {
            message: "Error message describing what went wrong".into(),
            errors: Some(
                FieldErrors::new()
                    .with_field("field_name", "Specific validation error for this field"),
            ),
        },
        ElasticFunnelsError::Unauthorized {
            message: "Invalid API key".into(),
        },
        ElasticFunnelsError::NoBrandAccess,
        ElasticFunnelsError::Forbidden,
        ElasticFunnelsError::NotFound,
        ElasticFunnelsError::ValidationFailed {
            errors: FieldErrors::new()
                .with_field("price", "The price must be a number.")
                .with_field("price", "The price must be at least 0."),
        },
        ElasticFunnelsError::TooManyRequests,
        ElasticFunnelsError::InternalServerError,
        ElasticFunnelsError::ServiceUnavailable,
    ];

    println!("What each variant sends:\n");
    for error in &errors {
        println!(
            "{} retry {:<10} {}",
            error.status().as_u16(),
            format!("{:?}", error.retry()),
            String::from_utf8_lossy(&error.to_body()),
        );
    }

    println!("\nThe reference's sample bodies, decoded:\n");
    let samples = [
        (
            StatusCode::BAD_REQUEST,
            include_str!("../../tests/fixtures/002_error_format.json"),
        ),
        (
            StatusCode::UNAUTHORIZED,
            include_str!("../../tests/fixtures/002_invalid_api_key.json"),
        ),
        (
            StatusCode::UNAUTHORIZED,
            include_str!("../../tests/fixtures/002_no_brand_access.json"),
        ),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            include_str!("../../tests/fixtures/002_validation_missing.json"),
        ),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            include_str!("../../tests/fixtures/002_validation_invalid_values.json"),
        ),
        (
            StatusCode::FORBIDDEN,
            include_str!("../../tests/fixtures/002_insufficient_permissions.json"),
        ),
        (
            StatusCode::NOT_FOUND,
            include_str!("../../tests/fixtures/002_resource_not_found.json"),
        ),
        (
            StatusCode::TOO_MANY_REQUESTS,
            include_str!("../../tests/fixtures/002_too_many_requests.json"),
        ),
    ];
    for (status, body) in samples {
        let decoded =
            ElasticFunnelsError::from_response(status, &HeaderMap::new(), body.as_bytes());
        println!(
            "{} {}",
            status.as_u16(),
            body.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        match decoded {
            Ok(ElasticFunnelsError::Other(unknown)) => println!("    -> Other({unknown})\n"),
            Ok(error) => println!("    -> {error:?}, retry {:?}\n", error.retry()),
            Err(error) => println!("    -> {error}\n"),
        }
    }
}
