//! The derived `serde` impls: `Serialize` is the envelope body; `Deserialize` reads a
//! body alone for formats whose body names the error.

use apierror::decode::DecodeErrorKind;
use apierror::{ApiError, FieldErrors, Unknown};
use http::StatusCode;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested", rename_all = "SCREAMING_SNAKE_CASE")]
enum Nested {
    #[error("validation failed")]
    #[status(422)]
    ValidationError {
        #[api_error(details)]
        fields: FieldErrors,
    },
    #[error("not found")]
    #[status(404)]
    NotFound,
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "reason")]
enum Reason {
    #[error("a required parameter is missing")]
    #[status(400)]
    #[code("required")]
    MissingParameter,
    #[error("authentication required")]
    #[status(401)]
    #[code("required")]
    AuthenticationRequired,
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "problem")]
enum Problem {
    #[error("gone")]
    #[status(410)]
    Gone,
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat")]
enum Strict {
    #[error("bad")]
    #[status(400)]
    Bad,
}

#[test]
fn serialize_is_the_envelope_body() {
    let error = Nested::ValidationError {
        fields: FieldErrors::new().with_field("name", "is required"),
    };
    assert_eq!(
        serde_json::to_string(&error).unwrap(),
        r#"{"error":{"code":"VALIDATION_ERROR","message":"validation failed","details":{"name":["is required"]}}}"#
    );
    assert_eq!(serde_json::to_vec(&error).unwrap(), error.to_body());
}

#[test]
fn deserialize_reads_a_body_alone() {
    let error: Nested = serde_json::from_str(
        r#"{"error":{"message":"validation failed","details":{"name":["is required"]},"code":"VALIDATION_ERROR"}}"#,
    )
    .unwrap();
    let Nested::ValidationError { fields } = error else {
        panic!("{error:?}");
    };
    assert_eq!(fields.get("name").unwrap(), ["is required"]);
}

#[test]
fn a_body_that_states_its_status_tells_shared_codes_apart() {
    let missing: Reason =
        serde_json::from_str(r#"{"error":{"code":401,"reason":"required","message":"m"}}"#)
            .unwrap();
    assert!(matches!(missing, Reason::AuthenticationRequired));
    let parameter: Reason =
        serde_json::from_str(r#"{"error":{"code":400,"reason":"required","message":"m"}}"#)
            .unwrap();
    assert!(matches!(parameter, Reason::MissingParameter));
}

#[test]
fn an_unknown_code_with_a_stated_status_is_the_unknown_variant() {
    let error: Problem = serde_json::from_str(
        r#"{"type":"about:blank","title":"Conflict","status":409,"detail":"taken","code":"taken"}"#,
    )
    .unwrap();
    let Problem::Other(unknown) = error else {
        panic!("{error:?}");
    };
    assert_eq!(unknown.status(), StatusCode::CONFLICT);
    assert_eq!(unknown.code(), "taken");
    assert_eq!(unknown.message(), "taken");
}

#[test]
fn an_unknown_code_without_a_status_is_an_error_not_a_guess() {
    let error =
        serde_json::from_str::<Nested>(r#"{"error":{"code":"TEAPOT","message":"m"}}"#).unwrap_err();
    assert!(
        error.to_string().contains("needs the response's status"),
        "{error}"
    );
    // The full response path knows the status, and keeps it.
    let decoded = Nested::from_response(
        StatusCode::IM_A_TEAPOT,
        &http::HeaderMap::new(),
        br#"{"error":{"code":"TEAPOT","message":"m"}}"#,
    )
    .unwrap();
    assert_eq!(decoded.status(), StatusCode::IM_A_TEAPOT);
}

#[test]
fn without_an_unknown_variant_an_unrecognised_body_is_a_typed_error() {
    let error = Strict::from_response(
        StatusCode::BAD_GATEWAY,
        &http::HeaderMap::new(),
        b"<html>502</html>",
    )
    .unwrap_err();
    assert!(matches!(error.kind(), DecodeErrorKind::Malformed(_)));
    assert_eq!(error.status(), Some(StatusCode::BAD_GATEWAY));
    assert_eq!(error.unknown().body(), b"<html>502</html>");
    assert!(serde_json::from_str::<Strict>(r#"{"error":"nope","message":"m"}"#).is_err());
}

#[test]
fn deserialize_works_inside_a_larger_document() {
    #[derive(serde::Deserialize)]
    struct Batch {
        results: Vec<Nested>,
    }
    let batch: Batch = serde_json::from_str(
        r#"{"results":[{"error":{"code":"NOT_FOUND","message":"m"}},{"error":{"code":"VALIDATION_ERROR","message":"v"}}]}"#,
    )
    .unwrap();
    assert!(matches!(batch.results[0], Nested::NotFound));
    assert!(matches!(
        &batch.results[1],
        Nested::ValidationError { fields } if fields.is_empty()
    ));
}

/// One client enum under `format = Auto`, fed each built-in shape: a body with a code
/// picks its variant by code, a codeless one (`plain`, `fields`) by status.
mod auto_reads_every_shape {
    use apierror::{ApiError, FieldErrors, Unknown};
    use http::{HeaderMap, StatusCode};

    #[derive(Debug, thiserror::Error, ApiError)]
    #[api_error(format = apierror::format::Auto)]
    enum VendorError {
        #[error("bad request")]
        #[status(400)]
        InvalidParameters {
            #[api_error(message)]
            message: String,
        },
        #[error("validation failed")]
        #[status(422)]
        ValidationError {
            #[api_error(details)]
            errors: FieldErrors,
        },
        #[error("rate limited")]
        #[status(429)]
        RateLimitExceeded,
        #[error("not found")]
        #[status(404)]
        NotFound,
        #[error("gone")]
        #[status(404)]
        #[code("gone")]
        Gone,
        #[api_error(unknown)]
        #[error("{0}")]
        Other(Unknown),
    }

    fn decode(status: u16, body: &str) -> VendorError {
        VendorError::from_response(
            StatusCode::from_u16(status).unwrap(),
            &HeaderMap::new(),
            body.as_bytes(),
        )
        .unwrap()
    }

    #[test]
    fn each_shape_reaches_its_variant() {
        // plain (seed 000): codeless, so the status picks.
        assert!(matches!(
            decode(400, r#"{"error":"Invalid parameters."}"#),
            VendorError::InvalidParameters { message } if message == "Invalid parameters."
        ));
        // fields (seed 002): codeless, with details.
        let VendorError::ValidationError { errors } = decode(
            422,
            r#"{"message":"The given data was invalid.","errors":{"price":["must be a number"]}}"#,
        ) else {
            panic!("not a validation error");
        };
        assert_eq!(
            errors.get("price"),
            Some(&["must be a number".to_owned()][..])
        );
        // nested (seed 001), flat (seed 004), problem, reason (seed 003): by code.
        for body in [
            r#"{"error":{"code":"rate_limit_exceeded","message":"slow down"}}"#,
            r#"{"error":"rate_limit_exceeded","message":"slow down"}"#,
            r#"{"type":"about:blank","title":"Too Many Requests","status":429,"detail":"slow down","code":"rate_limit_exceeded"}"#,
            r#"{"error":{"code":429,"reason":"rate_limit_exceeded","message":"slow down"}}"#,
        ] {
            assert!(
                matches!(decode(429, body), VendorError::RateLimitExceeded),
                "{body}"
            );
        }
        // A code picks among variants that share a status.
        assert!(matches!(
            decode(404, r#"{"error":"gone","message":"deleted"}"#),
            VendorError::Gone
        ));
        // A codeless body at a status two variants share, neither the decode default,
        // is unknown rather than either of them.
        let VendorError::Other(unknown) = decode(404, r#"{"error":"Not here."}"#) else {
            panic!("expected unknown");
        };
        assert_eq!(unknown.status(), 404);
        assert_eq!(unknown.raw_message(), Some("Not here."));
        // An unknown code stays unknown, whatever the status.
        assert!(matches!(
            decode(400, r#"{"error":"nope","message":"x"}"#),
            VendorError::Other(_)
        ));
    }
}
