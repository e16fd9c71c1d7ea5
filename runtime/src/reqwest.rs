//! reqwest integration: turn a `reqwest::Response` into a success or a decoded API
//! error, reading the body with a size bound, and classify transport errors for retries.
//!
//! Layer 6: an integration (on top of the rest).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use apierror::reqwest::{ClientError, ResponseExt};
//!
//! #[derive(Debug, apierror::ApiError)]
//! #[api_error(format = "flat")]
//! enum VendorError {
//!     #[status(429)]
//!     RateLimitExceeded,
//!     #[api_error(unknown)]
//!     Other(apierror::Unknown),
//! }
//! # impl std::fmt::Display for VendorError {
//! #     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
//! #         f.write_str(apierror::ApiError::code(self))
//! #     }
//! # }
//!
//! let client = reqwest::Client::new();
//! let response = client.get("http://127.0.0.1:3000/items").send().await?;
//! match response.api_json::<Vec<String>, VendorError>().await {
//!     Ok(items) => println!("{items:?}"),
//!     Err(ClientError::Api(decoded)) => {
//!         println!("{} (request id {:?})", decoded.error, decoded.meta.request_id);
//!     }
//!     Err(other) => println!("{other}"),
//! }
//! # Ok(())
//! # }
//! ```

use std::future::Future;

use ::reqwest::{RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;

use crate::api_error::ApiError;
use crate::format::Format;
use crate::retry::{Classify, Failure, Summary};
use crate::retry_class::Retry;

#[doc(no_inline)]
pub use crate::client::{BoundedBody, ERROR_BODY_LIMIT, SUCCESS_BODY_LIMIT};

/// Why a call through reqwest did not produce the expected value: see
/// [`client::ClientError`](crate::client::ClientError).
pub type ClientError<E> = crate::client::ClientError<E, ::reqwest::Error>;

impl<E> From<::reqwest::Error> for ClientError<E> {
    fn from(error: ::reqwest::Error) -> Self {
        ClientError::Transport(error)
    }
}

impl Classify for ::reqwest::Error {
    /// Connect failures and timeouts are transient ([`Retry::Backoff`]); a refused
    /// connection never reached the server. An error made from a status
    /// (`error_for_status`) has the status's class. A request that could not be built,
    /// a redirect loop and an undecodable body are [`Retry::Never`].
    fn failure(&self) -> Option<Failure> {
        if let Some(status) = self.status() {
            return Some(Failure::new(Retry::for_status(status)));
        }
        if self.is_builder() || self.is_redirect() || self.is_decode() {
            return Some(Failure::new(Retry::Never));
        }
        let failure = Failure::new(Retry::Backoff);
        Some(if self.is_connect() {
            failure.with_sent(false)
        } else {
            failure
        })
    }

    /// The status of an error made from one; otherwise the transport failure's kind
    /// (`timeout`, `connect`, `request`, `body`, `decode`, `redirect`, `builder`), as
    /// OpenTelemetry's `error.type`.
    fn summary(&self) -> Summary<'_> {
        let kind = if self.is_timeout() {
            "timeout"
        } else if self.is_connect() {
            "connect"
        } else if self.is_builder() {
            "builder"
        } else if self.is_redirect() {
            "redirect"
        } else if self.is_decode() {
            "decode"
        } else if self.is_body() {
            "body"
        } else {
            "request"
        };
        Summary::new(self.status(), Some(kind), None)
    }
}

impl Classify for Response {
    /// A 4xx or 5xx is a failure of the status's default class, with its hint; any
    /// other status succeeds.
    fn failure(&self) -> Option<Failure> {
        crate::retry::classify::response_failure(self.status(), self.headers())
    }

    fn summary(&self) -> Summary<'_> {
        Summary::of_response(self.status(), self.headers())
    }
}

/// Reads `response`'s body chunk by chunk, keeping at most `limit` bytes and reading no
/// further chunk once the bound is reached.
///
/// # Errors
///
/// The transport error that interrupted the body.
pub async fn read_body(
    response: &mut Response,
    limit: usize,
) -> Result<BoundedBody, ::reqwest::Error> {
    let mut bytes = Vec::new();
    let truncated = read_into(response, limit, &mut bytes).await?;
    Ok(BoundedBody { bytes, truncated })
}

/// Appends at most `limit` bytes of the body to `bytes` (which keeps what was read even
/// when an error interrupts); `true` if the body was longer.
async fn read_into(
    response: &mut Response,
    limit: usize,
    bytes: &mut Vec<u8>,
) -> Result<bool, ::reqwest::Error> {
    let announced = response
        .content_length()
        .and_then(|length| usize::try_from(length).ok())
        .unwrap_or(0);
    bytes.reserve(announced.min(limit).min(ERROR_BODY_LIMIT));
    while let Some(chunk) = response.chunk().await? {
        let room = limit - bytes.len();
        if chunk.len() > room {
            bytes.extend_from_slice(&chunk[..room]);
            return Ok(true);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(false)
}

/// Decodes an error response into `E` with its metadata, reading at most `limit` bytes
/// of the body. A body cut at the bound, or interrupted by a transport error, is decoded
/// from what was read: the status is never lost.
pub async fn decode_error<E: ApiError>(mut response: Response, limit: usize) -> ClientError<E> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let mut body = Vec::new();
    // An interrupted body is decoded from what arrived.
    let _ = read_into(&mut response, limit, &mut body).await;
    crate::client::api_error_of(status, &headers, &body)
}

/// What [`ResponseExt::api_error`] does.
pub(crate) async fn check<E: ApiError>(response: Response) -> Result<Response, ClientError<E>> {
    let status = response.status();
    if crate::client::is_error(status) {
        return Err(decode_error(response, ERROR_BODY_LIMIT).await);
    }
    if !(<E::Format as Format>::MARKS_ERRORS && status.is_success()) {
        return Ok(response);
    }
    let (parts, body) = read_success(response, SUCCESS_BODY_LIMIT).await?;
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = parts.status;
    *rebuilt.version_mut() = parts.version;
    *rebuilt.headers_mut() = parts.headers;
    *rebuilt.extensions_mut() = parts.extensions;
    Ok(Response::from(rebuilt))
}

/// What [`read_success`] keeps of a response beside its body.
struct Parts {
    status: StatusCode,
    version: ::reqwest::Version,
    headers: http::HeaderMap,
    extensions: http::Extensions,
}

/// Reads a 2xx body of at most `limit` bytes; an error envelope of `E`'s format is
/// decoded into `E`.
async fn read_success<E: ApiError>(
    mut response: Response,
    limit: usize,
) -> Result<(Parts, Vec<u8>), ClientError<E>> {
    let status = response.status();
    let body = read_body(&mut response, limit).await?;
    if body.truncated {
        return Err(ClientError::TooLarge { status, limit });
    }
    let headers = std::mem::take(response.headers_mut());
    if <E::Format as Format>::is_error_body(&body.bytes) {
        return Err(crate::client::api_error_of(status, &headers, &body.bytes));
    }
    let parts = Parts {
        status,
        version: response.version(),
        headers,
        extensions: std::mem::take(response.extensions_mut()),
    };
    Ok((parts, body.bytes))
}

/// What [`ResponseExt::api_json_within`] does.
pub(crate) async fn json<T: DeserializeOwned, E: ApiError>(
    response: Response,
    limit: usize,
) -> Result<T, ClientError<E>> {
    if crate::client::is_error(response.status()) {
        return Err(decode_error(response, ERROR_BODY_LIMIT).await);
    }
    let (parts, body) = read_success::<E>(response, limit).await?;
    serde_json::from_slice(&body).map_err(|error| ClientError::InvalidBody {
        status: parts.status,
        error,
    })
}

/// Sends `request` and reads the response as [`ResponseExt::api_error`] does: the
/// one-liner for a retry driver's call.
///
/// # Errors
///
/// `Transport` when no response arrived, `Api` for an error status.
pub async fn send<E: ApiError>(request: RequestBuilder) -> Result<Response, ClientError<E>> {
    let (client, request) = request.build_split();
    let request = request?;
    // Inside a retry driver's attempt span, the request's method and server.
    crate::retry::trace::request(request.method(), request.url().host_str());
    check(client.execute(request).await?).await
}

/// Reading a `reqwest::Response` as a success or a decoded API error: the crate's one way
/// to do it (and [`send`], which sends and reads).
///
/// Sealed: implemented for `reqwest::Response` only, so methods can be added to it
/// without breaking anyone.
pub trait ResponseExt: Sized + sealed::Sealed {
    /// Passes a success (1xx–3xx) through; decodes an error status into `E` (body bound:
    /// [`ERROR_BODY_LIMIT`]).
    ///
    /// A success's body is left unread, except where `E`'s format tells an error from a
    /// success by its body (a declared literal such as Slack's `"ok":false`): then a 2xx body
    /// is read (at most [`SUCCESS_BODY_LIMIT`] bytes), an error envelope is decoded into `E`,
    /// and any other body is handed back in a response with the same status, headers and
    /// extensions (its `url()` is then reqwest's placeholder).
    ///
    /// # Errors
    ///
    /// [`ClientError::Api`] (or `Undecodable`) for a 4xx or 5xx, or for a 2xx whose body is
    /// `E`'s error envelope; `Transport` when such a body could not be read; `TooLarge` when
    /// it is longer than the bound.
    fn api_error<E: ApiError + Send>(
        self,
    ) -> impl Future<Output = Result<Response, ClientError<E>>> + Send;

    /// [`api_json_within`](Self::api_json_within) the bound [`SUCCESS_BODY_LIMIT`].
    ///
    /// # Errors
    ///
    /// As [`api_json_within`](Self::api_json_within).
    fn api_json<T: DeserializeOwned + Send, E: ApiError + Send>(
        self,
    ) -> impl Future<Output = Result<T, ClientError<E>>> + Send;

    /// Reads a success body of at most `limit` bytes as JSON `T`; decodes an error status
    /// into `E`, and a 2xx whose body is `E`'s error envelope (see [`api_error`](Self::api_error)).
    ///
    /// # Errors
    ///
    /// [`ClientError::Api`] for an error status or envelope, `TooLarge` or `InvalidBody` for
    /// a success body that does not fit, `Transport` when the body could not be read.
    fn api_json_within<T: DeserializeOwned + Send, E: ApiError + Send>(
        self,
        limit: usize,
    ) -> impl Future<Output = Result<T, ClientError<E>>> + Send;
}

/// Keeps [`ResponseExt`] implemented for `reqwest::Response` alone.
mod sealed {
    pub trait Sealed {}

    impl Sealed for ::reqwest::Response {}
}

impl ResponseExt for Response {
    fn api_error<E: ApiError + Send>(
        self,
    ) -> impl Future<Output = Result<Response, ClientError<E>>> + Send {
        check(self)
    }

    fn api_json<T: DeserializeOwned + Send, E: ApiError + Send>(
        self,
    ) -> impl Future<Output = Result<T, ClientError<E>>> + Send {
        json(self, SUCCESS_BODY_LIMIT)
    }

    fn api_json_within<T: DeserializeOwned + Send, E: ApiError + Send>(
        self,
        limit: usize,
    ) -> impl Future<Output = Result<T, ClientError<E>>> + Send {
        json(self, limit)
    }
}
