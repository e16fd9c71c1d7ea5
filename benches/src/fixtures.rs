//! The errors the benchmarks encode and decode: one enum per wire format, declared as a
//! user would, and the realistic validation error they all carry.

use apierror::{ApiError, FieldErrors, Unknown};
use http::StatusCode;

/// The public message of the validation error.
pub const MESSAGE: &str = "validation failed";

/// The code of the validation error (the variant name through the default `snake_case`).
pub const CODE: &str = "validation_error";

/// The status of the validation error.
pub const STATUS: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

/// The realistic details: two fields, three messages.
pub fn field_errors() -> FieldErrors {
    FieldErrors::new()
        .with_field("email", "is not an email address")
        .with_field("password", "is too short")
        .with_field("password", "must contain a digit")
}

/// What the benchmarks need of each format's enum beyond [`ApiError`].
pub trait Sample: ApiError + std::fmt::Debug {
    /// The format's name, as written in `#[api_error(format = "…")]`.
    const FORMAT: &'static str;

    /// The validation error (422, details, message from `Display`).
    fn validation(fields: FieldErrors) -> Self;

    /// A variant whose message is a static string (400, no details).
    fn invalid_request() -> Self;

    /// The details, when this is the validation error.
    fn details(&self) -> Option<&FieldErrors>;

    /// Whether this is the `unknown` variant.
    fn is_unknown(&self) -> bool;

    /// The body of the validation error with the realistic details, as this crate
    /// encodes it: the input of every decoding benchmark.
    fn validation_body() -> Vec<u8> {
        Self::validation(field_errors()).to_body()
    }
}

/// Declares one format's enum the way the README does, and its [`Sample`] impl.
macro_rules! service_error {
    ($(#[$doc:meta])* $name:ident, $format:tt) => {
        $(#[$doc])*
        #[derive(Debug, thiserror::Error, ApiError)]
        #[api_error(format = $format)]
        pub enum $name {
            /// 400, static message.
            #[error("malformed request")]
            #[status(400)]
            InvalidRequest,

            /// 404, static message.
            #[error("no such resource")]
            #[status(404)]
            NotFound,

            /// 422 with field errors as details.
            #[error("validation failed")]
            #[status(422)]
            ValidationError {
                /// The field errors.
                #[api_error(details)]
                fields: FieldErrors,
            },

            /// 429, throttled.
            #[error("too many requests")]
            #[status(429)]
            RateLimited,

            /// 500 with a source; masked on the wire, encode-only.
            #[error("database unreachable: {0}")]
            #[status(500)]
            Internal(#[source] std::io::Error),

            /// 503, backoff.
            #[error("service unavailable")]
            #[status(503)]
            Unavailable,

            /// Whatever the enum does not know.
            #[api_error(unknown)]
            #[error("{0}")]
            Other(Unknown),
        }

        impl Sample for $name {
            const FORMAT: &'static str = $format;

            fn validation(fields: FieldErrors) -> Self {
                $name::ValidationError { fields }
            }

            fn invalid_request() -> Self {
                $name::InvalidRequest
            }

            fn details(&self) -> Option<&FieldErrors> {
                match self {
                    $name::ValidationError { fields } => Some(fields),
                    _ => None,
                }
            }

            fn is_unknown(&self) -> bool {
                matches!(self, $name::Other(_))
            }
        }
    };
}

service_error!(
    /// `{"error":"<message>","details":{…}}`.
    PlainError,
    "plain"
);
service_error!(
    /// `{"error":{"code":"…","message":"…","details":{…}}}`.
    NestedError,
    "nested"
);
service_error!(
    /// `{"message":"…","errors":{…}}`.
    FieldsError,
    "fields"
);
service_error!(
    /// `{"error":{"code":422,"reason":"…","message":"…","details":{…}}}`.
    ReasonError,
    "reason"
);
service_error!(
    /// `{"error":"<code>","message":"…","details":{…}}`.
    FlatError,
    "flat"
);
service_error!(
    /// RFC 9457 problem details, the details as extension members.
    ProblemError,
    "problem"
);

/// A body a proxy sends instead of the API's envelope.
pub const HTML_BODY: &[u8] =
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// A `nested` body with a code the enum does not declare.
pub const UNKNOWN_CODE_BODY: &[u8] =
    br#"{"error":{"code":"quota_exceeded","message":"monthly quota exceeded","request_id":"req_8f2c"}}"#;

/// A `nested` body of a variant without details.
pub const RATE_LIMITED_BODY: &[u8] =
    br#"{"error":{"code":"rate_limited","message":"too many requests"}}"#;
