//! FLOW (seed 003): `{"error": {"code": <status>, "reason": "<reason>", "message": "…"}}`.
//! A reason may be declared under several statuses (`required` is both a 400 and a 401):
//! decoding tells them apart by the HTTP status.

use apierror::{ApiError, Unknown};

/// FLOW's errors, by status and reason. The reference lost the headings of the statuses
/// after 404 other than 409 and 501; the statuses used here for `method_not_allowed`
/// (405), `payload_too_large` (413), `unsupported_media_type` (415),
/// `rate_limit_exceeded` (429) and `internal_error` (500) are the ones their names and
/// descriptions state.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "reason")]
pub enum FlowError {
    /// The condition was false; no body was sent.
    #[error(
        "The conditional request would have been successful, but the condition was false, so no body was sent."
    )]
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
