//! The `ApiError` trait: what `#[derive(ApiError)]` implements.
//!
//! Layer 3: the `ApiError` trait (above the formats and decoded data).

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, HeaderValue, Response, StatusCode, header};
use serde::Serializer;

use crate::decode::DecodeError;
use crate::decode::input::DecodeInput;
use crate::format::{Context, Envelope, Format, Message};
use crate::hint::retry_after;
use crate::retry_class::Retry;

/// An HTTP API error: its status, code, public message and retry class, and its
/// envelope in one wire format, in both directions.
///
/// Derive it with `#[derive(ApiError)]`; the required methods are generated from the
/// declaration and the provided ones build on them. A hand-written impl needs only the
/// public items its signatures name (the format, [`Context`], [`DecodeError`]):
///
/// ```
/// use std::borrow::Cow;
/// use std::time::SystemTime;
///
/// use apierror::format::{Envelope, Format, Message, Plain};
/// use apierror::{ApiError, Context, DecodeError, Retry, Unknown};
/// use http::{HeaderMap, StatusCode};
///
/// /// Every failure of a legacy backend: its status and nothing else.
/// #[derive(Debug)]
/// struct Legacy(StatusCode);
///
/// impl ApiError for Legacy {
///     type Format = Plain;
///
///     fn status(&self) -> StatusCode {
///         self.0
///     }
///     fn code(&self) -> &str {
///         "legacy"
///     }
///     fn message(&self) -> Cow<'_, str> {
///         Cow::Borrowed(self.0.canonical_reason().unwrap_or("Error"))
///     }
///     fn retry(&self) -> Retry {
///         Retry::for_status(self.0)
///     }
///     fn encode<S: serde::Serializer>(
///         &self,
///         serializer: S,
///         context: &Context<'_>,
///     ) -> Result<S::Ok, S::Error> {
///         let message = self.message();
///         let envelope = Envelope::new(self.0, "legacy", Message::Str(&message), context);
///         Plain::serialize(&envelope, serializer)
///     }
///     fn from_response_at(
///         status: StatusCode,
///         _: &HeaderMap,
///         _: &[u8],
///         _: SystemTime,
///     ) -> Result<Self, DecodeError> {
///         Ok(Legacy(status))
///     }
/// }
///
/// let error = Legacy(StatusCode::BAD_GATEWAY);
/// assert_eq!(error.to_body(), br#"{"error":"Bad Gateway"}"#);
/// assert_eq!(error.retry(), Retry::Backoff);
/// let decoded = apierror::Decoded::<Legacy>::from_response(
///     StatusCode::NOT_FOUND,
///     &HeaderMap::new(),
///     br#"{"error":"no such item"}"#,
/// )
/// .unwrap();
/// assert_eq!(decoded.error.status(), 404);
/// assert_eq!(decoded.meta.message.as_deref(), Some("no such item"));
/// # let _ = Unknown::new(StatusCode::NOT_FOUND);
/// ```
pub trait ApiError: Sized {
    /// The wire format of the envelope.
    type Format: Format;

    /// The retry signals the declaration names beyond `Retry-After` and the rate-limit
    /// headers (`#[api_error(retry(...))]`): none by default.
    const RETRY_SIGNALS: crate::hint::signals::RetrySignals =
        crate::hint::signals::RetrySignals::NONE;

    /// Whether a decoded response keeps its headers in
    /// [`ResponseMeta::headers`](crate::decode::ResponseMeta::headers) (bounded), for the
    /// classify hook (`#[api_error(classify = path)]`) to read: only then.
    const KEEPS_HEADERS: bool = false;

    /// Not a public API: the classify hook, `#[api_error(classify = path)]`; `None` keeps
    /// the classification the declaration gives.
    #[doc(hidden)]
    fn __classify(
        &self,
        meta: &crate::decode::ResponseMeta,
    ) -> Option<crate::hint::failure::Failure> {
        let _ = meta;
        None
    }

    /// One entry per declared variant except `unknown`, in declaration order: what a
    /// documentation page or a compile-time check needs (see [`catalogue`](crate::catalogue)).
    /// Empty for a hand-written impl unless it says otherwise.
    const CATALOGUE: &'static [crate::catalogue::ErrorSpec] = &[];

    /// The HTTP status.
    fn status(&self) -> StatusCode;

    /// The machine-readable code.
    fn code(&self) -> &str;

    /// The public message: what clients may see. For a 5xx that is not `expose`d this is
    /// the status's reason phrase, never the error's `Display`.
    fn message(&self) -> Cow<'_, str>;

    /// How a client should react.
    fn retry(&self) -> Retry;

    /// The level a server logs this error at when it answers with it, when the variant
    /// sets one (`#[api_error(log = "warn")]`); `None` leaves it to the server (5xx at
    /// error level, other statuses not at all).
    fn log_level(&self) -> Option<crate::LogLevel> {
        None
    }

    /// The gRPC code it crosses gRPC with: the variant's `#[api_error(grpc = "…")]`, else
    /// its status's by google.rpc.Code's mapping
    /// ([`GrpcCode::for_status`](crate::GrpcCode::for_status)).
    fn grpc_code(&self) -> crate::GrpcCode {
        crate::GrpcCode::for_status(self.status())
    }

    /// The domain of the `ErrorInfo` it crosses gRPC with
    /// (`#[api_error(domain = "…")]`), if any.
    const GRPC_DOMAIN: Option<&'static str> = None;

    /// Not a public API: whether the variant said `#[retryable(false)]`, which no signal
    /// in a response overrides (an exhausted rate limit or a `Retry-After` makes a
    /// response that is otherwise [`Retry::Never`] retryable).
    #[doc(hidden)]
    fn __retry_pinned(&self) -> bool {
        false
    }

    /// The delay a server asks clients to wait before retrying (`Retry-After`), when the
    /// variant carries one in an `#[api_error(retry_after)]` field.
    fn retry_after(&self) -> Option<Duration> {
        None
    }

    /// Writes the envelope through `serializer` with per-response `context`.
    ///
    /// # Errors
    ///
    /// Whatever the serializer or a details field reports.
    fn encode<S: Serializer>(
        &self,
        serializer: S,
        context: &Context<'_>,
    ) -> Result<S::Ok, S::Error>;

    /// Appends the encoded body to `buf`.
    ///
    /// # Errors
    ///
    /// When a details field fails to serialize.
    fn write_body(
        &self,
        buf: &mut Vec<u8>,
        context: &Context<'_>,
    ) -> Result<(), serde_json::Error> {
        self.encode(&mut serde_json::Serializer::new(buf), context)
    }

    /// The encoded body, without context.
    fn to_body(&self) -> Vec<u8> {
        self.to_body_with(&Context::EMPTY)
    }

    /// The encoded body with per-response `context`. If a details field fails to
    /// serialize, the body is written without details rather than lost.
    fn to_body_with(&self, context: &Context<'_>) -> Vec<u8> {
        // Room for a typical envelope with details, so most bodies never reallocate.
        let mut body = Vec::with_capacity(256);
        if self.write_body(&mut body, context).is_err() {
            body.clear();
            let message = self.message();
            let envelope =
                Envelope::new(self.status(), self.code(), Message::Str(&message), context);
            let mut serializer = serde_json::Serializer::new(&mut body);
            // Without details only strings and numbers are written: this cannot fail.
            let _ = <Self::Format as Format>::serialize(&envelope, &mut serializer);
        }
        body
    }

    /// The HTTP response: status, `Content-Type`, `Retry-After` when the variant has a
    /// delay, and the body. A status that carries no content (304 Not Modified, and 1xx,
    /// 204 and 205 for hand-written impls; RFC 9110 §15) is answered with neither body nor
    /// `Content-Type`.
    fn to_response(&self) -> Response<Vec<u8>> {
        self.to_response_with(&Context::EMPTY)
    }

    /// [`to_response`](Self::to_response) with per-response `context`.
    fn to_response_with(&self, context: &Context<'_>) -> Response<Vec<u8>> {
        let status = self.status();
        let bodyless = status.is_informational() || matches!(status.as_u16(), 204 | 205 | 304);
        let body = if bodyless {
            Vec::new()
        } else {
            self.to_body_with(context)
        };
        let mut response = Response::new(body);
        *response.status_mut() = status;
        let headers = response.headers_mut();
        if !bodyless {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(<Self::Format as Format>::CONTENT_TYPE),
            );
        }
        if let Some(delay) = self.retry_after() {
            headers.insert(header::RETRY_AFTER, retry_after::header_value(delay));
        }
        response
    }

    /// Decodes a response's status, headers and body into this enum.
    ///
    /// Lenient and total: an unknown code, a non-JSON body, an empty or truncated body
    /// all become the `unknown` variant with the status kept. An HTTP-date `Retry-After`
    /// is measured from the system clock; [`from_response_at`](Self::from_response_at)
    /// takes the caller's.
    ///
    /// # Errors
    ///
    /// Only when no variant fits and the enum has no `unknown` variant.
    fn from_response(
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Self, DecodeError> {
        Self::from_response_at(status, headers, body, SystemTime::now())
    }

    /// [`from_response`](Self::from_response), with `now` as the time an HTTP-date
    /// `Retry-After` is measured from (for an `#[api_error(retry_after)]` field).
    ///
    /// # Errors
    ///
    /// Only when no variant fits and the enum has no `unknown` variant.
    fn from_response_at(
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Self, DecodeError>;

    /// Decodes a response and reads its metadata from the same parse, whether or not a
    /// variant fits; `now` is `None` for the system clock, read only when needed. Not a
    /// public API: the derive overrides it to decode the details in the same pass, and a
    /// hand-written impl keeps this default, which decodes through
    /// [`__decode`](Self::__decode).
    #[doc(hidden)]
    fn __decode_with_meta(
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        now: Option<SystemTime>,
    ) -> (Result<Self, DecodeError>, Box<crate::decode::ResponseMeta>) {
        let now = now.unwrap_or_else(SystemTime::now);
        let mut input = DecodeInput::read_at::<Self::Format>(status, headers, body, now);
        input.read_signals(&Self::RETRY_SIGNALS, Self::KEEPS_HEADERS);
        (Self::__decode(&input), input.meta())
    }

    /// Picks the variant for a response its format has already read, so that one parse
    /// serves both the error and [`Decoded`](crate::Decoded)'s metadata. Not a public API:
    /// the derive overrides it, and a hand-written impl keeps this default, which decodes
    /// through [`from_response_at`](Self::from_response_at).
    #[doc(hidden)]
    fn __decode(input: &DecodeInput<'_>) -> Result<Self, DecodeError> {
        match (input.status(), input.headers()) {
            (Some(status), Some(headers)) => {
                Self::from_response_at(status, headers, input.body(), input.now())
            }
            (Some(status), None) => {
                Self::from_response_at(status, &HeaderMap::new(), input.body(), input.now())
            }
            (None, _) => Err(input.error(crate::decode::DecodeErrorKind::NeedsStatus)),
        }
    }
}
