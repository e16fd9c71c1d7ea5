//! Declare an HTTP API's errors once, as an enum, and get everything both ends of the
//! wire need: the JSON envelope in both directions, the status mapping, the retry
//! classification, and compile-time rejection of mappings that cannot be right.
//!
//! ```
//! use apierror::{ApiError, FieldErrors, Retry};
//!
//! #[derive(Debug, thiserror::Error, ApiError)]
//! #[api_error(format = "nested", rename_all = "SCREAMING_SNAKE_CASE")]
//! pub enum ServiceError {
//!     #[error("malformed request")]
//!     #[status(400)]
//!     InvalidRequest,
//!
//!     #[error("validation failed")]
//!     #[status(422)]
//!     ValidationError {
//!         #[api_error(details)]
//!         fields: FieldErrors,
//!     },
//!
//!     #[error("too many requests")]
//!     #[status(429)]
//!     RateLimitExceeded,
//!
//!     #[error("database unreachable: {0}")]
//!     #[status(500)]
//!     Internal(#[source] std::io::Error),
//!
//!     #[api_error(unknown)]
//!     #[error("{0}")]
//!     Other(apierror::Unknown),
//! }
//!
//! let error = ServiceError::ValidationError {
//!     fields: FieldErrors::new().with_field("email", "is not an email address"),
//! };
//! assert_eq!(error.status(), 422);
//! assert_eq!(error.code(), "VALIDATION_ERROR");
//! assert_eq!(
//!     serde_json::to_string(&error).unwrap(),
//!     r#"{"error":{"code":"VALIDATION_ERROR","message":"validation failed","details":{"email":["is not an email address"]}}}"#,
//! );
//!
//! // A 5xx's Display never reaches the client.
//! let internal = ServiceError::Internal(std::io::Error::other("password=hunter2"));
//! assert_eq!(internal.message(), "Internal Server Error");
//! assert_eq!(internal.retry(), Retry::Backoff);
//!
//! // Clients decode a response back into the same enum.
//! let body = br#"{"error":{"code":"RATE_LIMIT_EXCEEDED","message":"slow down"}}"#;
//! let decoded = ServiceError::from_response(
//!     http::StatusCode::TOO_MANY_REQUESTS,
//!     &http::HeaderMap::new(),
//!     body,
//! )
//! .unwrap();
//! assert!(matches!(decoded, ServiceError::RateLimitExceeded));
//! assert_eq!(decoded.retry(), Retry::Throttled);
//! ```
//!
//! # What the derive gives
//!
//! - [`ApiError`]: `status()`, `code()`, `message()` (a 5xx's `Display` is masked to its
//!   reason phrase unless `#[api_error(expose)]`), `retry()` ([`Retry`]: 408, 425, 500,
//!   502, 503, 504 back off; 429 is throttled; the rest never retry), `to_response()`,
//!   and the decoding constructor `from_response(status, &headers, body)`.
//! - `serde::Serialize` (the envelope body) and, for formats whose body names the error,
//!   `serde::Deserialize`.
//! - With the `axum` feature, `axum::response::IntoResponse`.
//! - Compile errors, all at once and each on its token, for mappings that cannot be right.
//!
//! # Modules
//!
//! The root holds what every derive user names; each other audience has a module.
//!
//! - [`decode`](mod@decode): what a decoded error keeps of its response. Decoding is
//!   lenient and total: anything unrecognisable becomes the `unknown` variant
//!   ([`Unknown`]) with the status kept, or a [`DecodeError`]; its cost is linear in the
//!   body's length whatever the body holds. [`Decoded`] keeps what the response said
//!   beside the error ([`ResponseMeta`](decode::ResponseMeta): status, `Retry-After`,
//!   rate limits, request id, and the body's code, message and timestamp as received).
//! - [`format`](mod@format): the six wire formats (`plain`, `nested`, `fields`, `reason`,
//!   `flat`, `problem`), each a [declaration](format::declared) run by one lenient
//!   single-pass reader and writer, the same that run a vendor's format declared in
//!   `#[api_error(format(json = "…"))]`; [`format::Auto`] to recognise a body's shape; and
//!   for a shape no declaration can say, the [`Format`](format::Format) trait, the envelope
//!   view, the raw parts and [`format::object`], a lenient object walker.
//! - [`retry`](mod@retry): [`RetryPolicy`](retry::RetryPolicy) (pure delays: exponential,
//!   capped, jittered, with `Retry-After` as a floor), [`CircuitBreaker`](retry::CircuitBreaker),
//!   [`RetryBudget`](retry::RetryBudget), [`RetryDriver`](retry::RetryDriver), and what a
//!   response asks of the client ([`RetryAfter`](retry::RetryAfter),
//!   [`RateLimit`](retry::RateLimit)), with injectable clock, sleep and randomness.
//! - [`catalogue`](mod@catalogue): [`ApiError::CATALOGUE`], one const entry per variant,
//!   for a vendor-style Markdown table, JSON, or a compile-time check against a vendor's
//!   published table.
//! - `axum` (feature `axum`): request ids, timestamps, masked 5xx logging (at the level a
//!   variant or the layer sets), rejections with their kind, panics.
//! - `reqwest` (feature `reqwest`): bounded reading and decoding of responses.
//!
//! # Features
//!
//! | feature | default | gives |
//! |---|---|---|
//! | `derive` | yes | `#[derive(ApiError)]` |
//! | `axum` | | `IntoResponse`, the request-context layer, rejection mapping |
//! | `reqwest` | | decoding `reqwest::Response`s with a size bound |
//! | `tokio` | | the retry driver on tokio's timer |
//! | `tower` | | a `tower::retry::Policy` |
//! | `utoipa` | | OpenAPI responses for derived types (module `openapi`), `ToSchema` for the envelopes |
//! | `tracing` | with `axum` | spans and events with OpenTelemetry's names, client and server |
//!
//! The README has the attribute reference, every check, and the format table with a
//! literal body for each format.

#![cfg_attr(docsrs, feature(doc_cfg))]

mod api_error;
pub mod catalogue;
pub mod client;
mod clock;
pub mod decode;
mod decoded;
mod field_errors;
pub mod format;
mod grpc_code;
mod hint;
mod integrations;
mod lenient;
mod limits;
mod log_level;
pub mod retry;
mod retry_class;
/// The traits a field's role asks of its type; not a public API (see the module).
#[doc(hidden)]
pub mod roles;
mod status;
mod unknown;

pub use api_error::ApiError;
// Each type has one page: `DecodeError`'s is in `decode`, linked from here.
#[doc(no_inline)]
pub use decode::DecodeError;
pub use decoded::Decoded;
pub use field_errors::FieldErrors;
pub use format::envelope::Context;
pub use grpc_code::GrpcCode;
pub use log_level::LogLevel;
pub use retry_class::Retry;
pub use unknown::Unknown;

/// Derives [`ApiError`](trait@ApiError), `serde::Serialize` (the envelope body) and, for
/// formats whose body names the error, `serde::Deserialize`; with the `axum` feature,
/// `axum::response::IntoResponse` too.
///
/// # The declaration
///
#[doc = include_str!("../docs/derive.md")]
#[cfg(feature = "derive")]
#[cfg_attr(docsrs, doc(cfg(feature = "derive")))]
#[doc(inline)]
pub use apierror_macros::ApiError;

/// The `http` crate this one speaks: `StatusCode`, `HeaderMap`, `Response`.
pub use http;

#[cfg(feature = "actix-web")]
#[cfg_attr(docsrs, doc(cfg(feature = "actix-web")))]
pub mod actix_web;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
#[cfg(feature = "utoipa")]
#[cfg_attr(docsrs, doc(cfg(feature = "utoipa")))]
pub mod openapi;
#[cfg(feature = "reqwest")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
pub mod reqwest;
#[cfg(feature = "reqwest-middleware")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest-middleware")))]
pub mod reqwest_middleware;
#[cfg(any(feature = "axum", feature = "actix-web", feature = "tonic"))]
#[cfg_attr(
    docsrs,
    doc(cfg(any(feature = "axum", feature = "actix-web", feature = "tonic")))
)]
pub mod server;
#[cfg(feature = "tonic")]
#[cfg_attr(docsrs, doc(cfg(feature = "tonic")))]
pub mod tonic;
#[cfg(feature = "ureq")]
#[cfg_attr(docsrs, doc(cfg(feature = "ureq")))]
pub mod ureq;

/// Items the derive's generated code names. Not a public API: it may change in any
/// release, which is why `apierror-macros` is pinned to an exact version.
#[doc(hidden)]
pub mod __private;

/// The README's Rust blocks, compiled (and run, but for `no_run` and `ignore`) by
/// `cargo test --doc -p apierror --all-features`.
#[cfg(all(
    doctest,
    feature = "derive",
    feature = "actix-web",
    feature = "axum",
    feature = "redis",
    feature = "reqwest",
    feature = "tokio",
    feature = "tonic",
    feature = "ureq",
    feature = "utoipa"
))]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
