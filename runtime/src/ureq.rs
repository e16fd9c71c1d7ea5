//! ureq integration: send a request and get a success or a decoded API error, reading
//! the body with a size bound; classify ureq's errors for the blocking retry driver
//! ([`RetryDriver::run_blocking`](crate::retry::RetryDriver::run_blocking)).
//!
//! Layer 6: an integration (on top of the rest).
//!
//! ureq turns a 4xx or 5xx into `ureq::Error::StatusCode` and drops the response by
//! default. [`call`] and [`send`] ask for the response instead (for that request only),
//! so the error's body, `Retry-After` and request id are decoded; for a response you got
//! yourself, build the agent with `http_status_as_error(false)` and read it with
//! [`ResponseExt::api_error`].
//!
//! ```no_run
//! use apierror::retry::{Idempotency, RetryDriver, RetryPolicy};
//! use apierror::ureq::{ClientError, ResponseExt as _};
//!
//! #[derive(Debug, thiserror::Error, apierror::ApiError)]
//! #[api_error(format = "flat")]
//! enum VendorError {
//!     #[error("slow down")]
//!     #[status(429)]
//!     RateLimitExceeded,
//!     #[api_error(unknown)]
//!     #[error("{0}")]
//!     Other(apierror::Unknown),
//! }
//!
//! let agent = ureq::Agent::new_with_defaults();
//! let driver = RetryDriver::blocking(RetryPolicy::new());
//! let items: Result<Vec<String>, _> = driver.run_blocking(Idempotency::Idempotent, |attempt| {
//!     let request = agent
//!         .get("http://127.0.0.1:3000/items")
//!         .config()
//!         .timeout_global(attempt.timeout)
//!         .build();
//!     let response = apierror::ureq::call::<VendorError>(request)?;
//!     response.api_json::<Vec<String>, VendorError>()
//! });
//! match items {
//!     Ok(items) => println!("{items:?}"),
//!     Err(stopped) => match stopped.last() {
//!         Some(ClientError::Api(decoded)) => println!("{} ({:?})", decoded.error, decoded.meta.request_id),
//!         _ => println!("{stopped}"),
//!     },
//! }
//! ```

use std::io::{self, Read};

use ::ureq::typestate::{WithBody, WithoutBody};
use ::ureq::{AsSendBody, Body, RequestBuilder, Timeout};
use http::{HeaderMap, Response, StatusCode};
use serde::de::DeserializeOwned;

use crate::api_error::ApiError;
use crate::client::{api_error_of, is_error};
use crate::format::Format;
use crate::retry::{Classify, Failure, Summary};
use crate::retry_class::Retry;

#[doc(no_inline)]
pub use crate::client::{BoundedBody, ERROR_BODY_LIMIT, SUCCESS_BODY_LIMIT};

/// Why a call through ureq did not produce the expected value: see
/// [`client::ClientError`](crate::client::ClientError).
pub type ClientError<E> = crate::client::ClientError<E, ::ureq::Error>;

impl<E> From<::ureq::Error> for ClientError<E> {
    fn from(error: ::ureq::Error) -> Self {
        ClientError::Transport(error)
    }
}

impl Classify for ::ureq::Error {
    /// Timeouts, refused or failed connections, unknown hosts, I/O and protocol errors
    /// are transient ([`Retry::Backoff`]); those that happened before the request was
    /// written (resolving, connecting) never reached the server. A status turned into an
    /// error (`http_status_as_error`) has the status's class. Everything else (a bad URI,
    /// TLS, a redirect refused, a body past ureq's limit) is [`Retry::Never`].
    fn failure(&self) -> Option<Failure> {
        use ::ureq::Error as U;
        let unsent = Failure::new(Retry::Backoff).with_sent(false);
        Some(match self {
            U::StatusCode(status) => StatusCode::from_u16(*status)
                .map_or(Failure::new(Retry::Never), |s| {
                    Failure::new(Retry::for_status(s))
                }),
            U::Timeout(Timeout::Resolve | Timeout::Connect)
            | U::HostNotFound
            | U::ConnectionFailed => unsent,
            U::Io(error) if error.kind() == io::ErrorKind::ConnectionRefused => unsent,
            U::Timeout(_) | U::Io(_) | U::Protocol(_) => Failure::new(Retry::Backoff),
            _ => Failure::new(Retry::Never),
        })
    }

    /// The status of an error made from one; otherwise the failure's kind (`timeout`,
    /// `connect`, `io`, `protocol`, `request`), as OpenTelemetry's `error.type`.
    fn summary(&self) -> Summary<'_> {
        use ::ureq::Error as U;
        let (status, kind) = match self {
            U::StatusCode(status) => (StatusCode::from_u16(*status).ok(), None),
            U::Timeout(_) => (None, Some("timeout")),
            U::HostNotFound | U::ConnectionFailed => (None, Some("connect")),
            U::Io(_) => (None, Some("io")),
            U::Protocol(_) => (None, Some("protocol")),
            _ => (None, Some("request")),
        };
        Summary::new(status, kind, None)
    }
}

/// Reads `response`'s body, keeping at most `limit` bytes and reading no further.
///
/// # Errors
///
/// The transport error that interrupted the body.
pub fn read_body(
    response: &mut Response<Body>,
    limit: usize,
) -> Result<BoundedBody, ::ureq::Error> {
    let mut bytes = Vec::new();
    let truncated = read_into(response, limit, &mut bytes)?;
    Ok(BoundedBody { bytes, truncated })
}

/// Appends at most `limit` bytes of the body to `bytes` (which keeps what was read even
/// when an error interrupts); `true` if the body was longer.
fn read_into(
    response: &mut Response<Body>,
    limit: usize,
    bytes: &mut Vec<u8>,
) -> Result<bool, ::ureq::Error> {
    let announced = response
        .body()
        .content_length()
        .and_then(|length| usize::try_from(length).ok())
        .unwrap_or(0);
    bytes.reserve(announced.min(limit).min(ERROR_BODY_LIMIT));
    // One byte past the bound tells a body that goes on from one that ends there.
    let bound = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    response
        .body_mut()
        .as_reader()
        .take(bound)
        .read_to_end(bytes)
        .map_err(::ureq::Error::from)?;
    if bytes.len() > limit {
        bytes.truncate(limit);
        return Ok(true);
    }
    Ok(false)
}

/// Decodes an error response into `E` with its metadata, reading at most `limit` bytes
/// of the body. A body cut at the bound, or interrupted by a transport error, is decoded
/// from what was read: the status is never lost.
pub fn decode_error<E: ApiError>(mut response: Response<Body>, limit: usize) -> ClientError<E> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let mut body = Vec::new();
    // An interrupted body is decoded from what arrived.
    let _ = read_into(&mut response, limit, &mut body);
    api_error_of(status, &headers, &body)
}

/// What [`ResponseExt::api_error`] does.
pub(crate) fn check<E: ApiError>(
    response: Response<Body>,
) -> Result<Response<Body>, ClientError<E>> {
    let status = response.status();
    if is_error(status) {
        return Err(decode_error(response, ERROR_BODY_LIMIT));
    }
    if !(<E::Format as Format>::MARKS_ERRORS && status.is_success()) {
        return Ok(response);
    }
    let (mut parts, bytes) = read_success::<E>(response, SUCCESS_BODY_LIMIT)?;
    let mut body = Body::builder();
    if let Some(mime) = content_type(&parts.headers) {
        body = body.mime_type(mime);
    }
    parts.headers.remove(http::header::CONTENT_ENCODING);
    Ok(Response::from_parts(parts, body.data(bytes)))
}

/// The media type of a `Content-Type` header, without its parameters.
fn content_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(http::header::CONTENT_TYPE)?.to_str().ok()?;
    let mime = value.split(';').next()?.trim();
    (!mime.is_empty()).then(|| mime.to_owned())
}

/// Reads a 2xx body of at most `limit` bytes; an error envelope of `E`'s format is
/// decoded into `E`.
fn read_success<E: ApiError>(
    response: Response<Body>,
    limit: usize,
) -> Result<(http::response::Parts, Vec<u8>), ClientError<E>> {
    let (parts, body) = response.into_parts();
    let mut response = Response::from_parts(parts, body);
    let status = response.status();
    let body = read_body(&mut response, limit)?;
    if body.truncated {
        return Err(ClientError::TooLarge { status, limit });
    }
    if <E::Format as Format>::is_error_body(&body.bytes) {
        return Err(api_error_of(status, response.headers(), &body.bytes));
    }
    let (parts, _) = response.into_parts();
    Ok((parts, body.bytes))
}

/// What [`ResponseExt::api_json_within`] does.
pub(crate) fn json<T: DeserializeOwned, E: ApiError>(
    response: Response<Body>,
    limit: usize,
) -> Result<T, ClientError<E>> {
    if is_error(response.status()) {
        return Err(decode_error(response, ERROR_BODY_LIMIT));
    }
    let status = response.status();
    let (_, body) = read_success::<E>(response, limit)?;
    serde_json::from_slice(&body).map_err(|error| ClientError::InvalidBody { status, error })
}

/// Sends a request without a body (`GET`, `DELETE`, …), asking ureq for the response
/// whatever its status, and reads it as [`ResponseExt::api_error`] does: the one-liner
/// for a blocking retry driver's call.
///
/// # Errors
///
/// `Transport` when no response arrived, `Api` for an error status.
pub fn call<E: ApiError>(
    request: RequestBuilder<WithoutBody>,
) -> Result<Response<Body>, ClientError<E>> {
    check(any_status(request).call()?)
}

/// [`call`] for a request with a body (`POST`, `PUT`, `PATCH`).
///
/// # Errors
///
/// `Transport` when no response arrived, `Api` for an error status.
pub fn send<E: ApiError>(
    request: RequestBuilder<WithBody>,
    body: impl AsSendBody,
) -> Result<Response<Body>, ClientError<E>> {
    check(any_status(request).send(body)?)
}

/// Inside a retry driver's attempt span, the request's method and server.
/// `request`, asking ureq for the response whatever its status; noted in the retry
/// driver's attempt span (its method and server).
fn any_status<B>(request: RequestBuilder<B>) -> RequestBuilder<B> {
    if let Some(method) = request.method_ref() {
        crate::retry::trace::request(method, request.uri_ref().and_then(http::Uri::host));
    }
    request.config().http_status_as_error(false).build()
}

/// Reading ureq's response as a success or a decoded API error: the crate's one way to
/// do it (and [`call`] and [`send`], which send and read).
///
/// Sealed: implemented for `http::Response<ureq::Body>` only, so methods can be added
/// to it without breaking anyone.
pub trait ResponseExt: Sized + sealed::Sealed {
    /// Passes a success (1xx–3xx) through; decodes an error status into `E` (body bound:
    /// [`ERROR_BODY_LIMIT`]).
    ///
    /// A success's body is left unread, except where `E`'s format tells an error from a
    /// success by its body (a declared literal such as Slack's `"ok":false`): then a 2xx body
    /// is read (at most [`SUCCESS_BODY_LIMIT`] bytes), an error envelope is decoded into `E`,
    /// and any other body is handed back in a response with the same status, headers and
    /// extensions.
    ///
    /// # Errors
    ///
    /// [`ClientError::Api`](crate::client::ClientError::Api) (or `Undecodable`) for a 4xx or
    /// 5xx, or for a 2xx whose body is `E`'s error envelope; `Transport` when such a body
    /// could not be read; `TooLarge` when it is longer than the bound.
    fn api_error<E: ApiError>(self) -> Result<Response<Body>, ClientError<E>>;

    /// [`api_json_within`](Self::api_json_within) the bound [`SUCCESS_BODY_LIMIT`].
    ///
    /// # Errors
    ///
    /// As [`api_json_within`](Self::api_json_within).
    fn api_json<T: DeserializeOwned, E: ApiError>(self) -> Result<T, ClientError<E>>;

    /// Reads a success body of at most `limit` bytes as JSON `T`; decodes an error status
    /// into `E`, and a 2xx whose body is `E`'s error envelope (see [`api_error`](Self::api_error)).
    ///
    /// # Errors
    ///
    /// [`ClientError::Api`](crate::client::ClientError::Api) for an error status or
    /// envelope, `TooLarge` or `InvalidBody` for a success body that does not fit,
    /// `Transport` when the body could not be read.
    fn api_json_within<T: DeserializeOwned, E: ApiError>(
        self,
        limit: usize,
    ) -> Result<T, ClientError<E>>;
}

/// Keeps [`ResponseExt`] implemented for ureq's response alone.
mod sealed {
    pub trait Sealed {}

    impl Sealed for http::Response<::ureq::Body> {}
}

impl ResponseExt for Response<Body> {
    fn api_error<E: ApiError>(self) -> Result<Response<Body>, ClientError<E>> {
        check(self)
    }

    fn api_json<T: DeserializeOwned, E: ApiError>(self) -> Result<T, ClientError<E>> {
        json(self, SUCCESS_BODY_LIMIT)
    }

    fn api_json_within<T: DeserializeOwned, E: ApiError>(
        self,
        limit: usize,
    ) -> Result<T, ClientError<E>> {
        json(self, limit)
    }
}
