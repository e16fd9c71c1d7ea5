//! FLOW (seed 003): `{"error": {"code": <status>, "reason": "<reason>", "message": "…"}}`.
//! A reason may be declared under several statuses (`required` is both a 400 and a 401):
//! decoding tells them apart by the HTTP status. Prints what each variant sends, then
//! decodes the reference's sample body and a few others.
//!
//! ```text
//! cargo run -p apierror-examples --example flow
//! ```

use apierror::{ApiError, Unknown};
use http::{HeaderMap, StatusCode};

/// FLOW's errors, by status and reason. The reference lost the headings of the statuses
/// after 404 other than 409 and 501; the statuses used here for `method_not_allowed`,
/// `payload_too_large`, `unsupported_media_type`, `rate_limit_exceeded` and
/// `internal_error` are the ones their names state.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "reason")]
pub enum FlowError {
    /// The condition was false; no body was sent.
    #[error("The conditional request would have been successful, but the condition was false.")]
    #[status(304)]
    NotModified,
    /// The request is invalid or improperly formed.
    #[error("The API request is invalid or improperly formed.")]
    #[status(400)]
    BadRequest,
    /// A URI parameter was invalid.
    #[error("The value for one of the URI parameters was invalid.")]
    #[status(400)]
    InvalidParameter,
    /// The body could not be parsed.
    #[error("Could not parse the body of the request according to the provided Content-Type.")]
    #[status(400)]
    ParseError,
    /// A field of the JSON body was invalid.
    #[error("The value for one of the fields in the request body was invalid.")]
    #[status(400)]
    InvalidArgument,
    /// A required parameter or property is missing (`required`, as a 400).
    #[error("A required URL parameter or required request body JSON property is missing.")]
    #[status(400)]
    #[code("required")]
    MissingProperty,
    /// The `Accept-Version` header is missing or mismatched.
    #[error("The Accept-Version header is missing or does not match the API version.")]
    #[status(400)]
    ApiVersionMismatch,
    /// A sequence number was sent as an integer.
    #[error("The sequence number must be a string, not an integer.")]
    #[status(400)]
    SequenceNumberFormatError,
    /// Wrong username or password.
    #[error("The provided username or password is invalid.")]
    #[status(401)]
    AuthError,
    /// The bearer token is invalid.
    #[error("The provided bearer token in the Authorization header is invalid.")]
    #[status(401)]
    InvalidBearerToken,
    /// Bearer authentication is required (`required`, as a 401).
    #[error("This method requires bearer authentication, but none has been provided.")]
    #[status(401)]
    #[code("required")]
    AuthenticationRequired,
    /// The session expired: log in again, then retry.
    #[error("Your session has expired. Log in again to continue.")]
    #[status(401)]
    #[retryable(reauthenticate)]
    SessionExpired,
    /// The user may not perform the action.
    #[error("The current user does not have access to perform the requested action.")]
    #[status(403)]
    Forbidden,
    /// The account is disabled.
    #[error("The account associated with the resource has been disabled.")]
    #[status(403)]
    AccountDisabled,
    /// No such method or resource.
    #[error("The requested resource was not found.")]
    #[status(404)]
    NotFound,
    /// The HTTP verb is not supported here.
    #[error("The HTTP verb is not supported by the URL endpoint used in the request.")]
    #[status(405)]
    MethodNotAllowed,
    /// A concurrent change conflicted.
    #[error("A conflicting concurrent change to the same resource.")]
    #[status(409)]
    Conflict,
    /// The sequence number is outdated.
    #[error("The sequence number is outdated.")]
    #[status(409)]
    OutdatedSequenceNumber,
    /// The element already exists.
    #[error("POST method has been used on an existing element of a collection.")]
    #[status(409)]
    ResourceExists,
    /// The body is too large.
    #[error("The message body was larger than what FLOW supports.")]
    #[status(413)]
    PayloadTooLarge,
    /// The `Content-Type` is missing or unsupported.
    #[error("The request's Content-Type header is missing or contains an unsupported format.")]
    #[status(415)]
    UnsupportedMediaType,
    /// The usage limit has been exceeded: throttle.
    #[error("The usage limit has been exceeded.")]
    #[status(429)]
    RateLimitExceeded,
    /// An internal error (masked for clients).
    #[error("We encountered an internal error.")]
    #[status(500)]
    InternalError,
    /// Not supported at the moment.
    #[error(
        "The server does not support the functionality required to fulfill the request at the moment."
    )]
    #[status(501)]
    #[api_error(expose)]
    NotImplementedYet,
    /// Analytics data is loading: a 501 worth retrying.
    #[error("Analytics data is loading and currently not available.")]
    #[status(501)]
    #[api_error(expose)]
    #[retryable]
    AnalyticsDataLoading,
    /// A reason this client does not know.
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

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
