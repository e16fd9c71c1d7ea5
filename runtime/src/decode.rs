//! Layer 2, decoded data: what a response said beside its error ([`ResponseMeta`]),
//! why a response decodes to no variant ([`DecodeError`], also at the crate root), the
//! bounds on what is read and kept, and what a derived decoder reads
//! ([`DecodeInput`](crate::__private::DecodeInput)). Below the `ApiError` trait, whose
//! signatures name these; [`Decoded`](crate::Decoded), which needs the trait, is above it.

use std::fmt;

use http::{HeaderMap, HeaderValue, StatusCode};

use crate::format::{Format, RawEnvelope};
use crate::hint::rate_limit::RateLimit;
use crate::hint::rate_limit::RateLimitScan;
use crate::hint::retry_after::RetryAfter;
use crate::unknown::Unknown;

pub(crate) mod in_place;
pub(crate) mod input;

use crate::limits::kept_text;
pub use crate::limits::{KEPT_BODY_BYTES, KEPT_HEADERS, KEPT_TEXT_BYTES, MAX_DECODED_BODY};

/// Why a response decoded to no declared variant.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The body was empty.
    Empty,
    /// The body was longer than [`MAX_DECODED_BODY`].
    TooLarge,
    /// The body was not JSON of the format's shape.
    Malformed(MalformedBody),
    /// The envelope's code (or the status, for codeless formats) matches no variant.
    Unrecognized,
    /// A variant matched, but its details did not fit the declared type.
    Details(String),
    /// The format cannot tell variants apart without the response's status; decode the
    /// whole response instead of a body alone.
    NeedsStatus,
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeErrorKind::Empty => f.write_str("the body is empty"),
            DecodeErrorKind::TooLarge => {
                write!(f, "the body is longer than {MAX_DECODED_BODY} bytes")
            }
            DecodeErrorKind::Malformed(why) => {
                write!(f, "the body is not an error envelope: {why}")
            }
            DecodeErrorKind::Unrecognized => f.write_str("no variant has this code or status"),
            DecodeErrorKind::Details(why) => write!(f, "the details do not fit: {why}"),
            DecodeErrorKind::NeedsStatus => {
                f.write_str("this format needs the response's status to pick a variant")
            }
        }
    }
}

/// Why and where a body failed to read as the format's envelope.
///
/// Described without allocating: a body that is not an envelope is common (an HTML
/// error page from a proxy) and usually ends in the `unknown` variant, so the parser's
/// message is not kept, only its kind and position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MalformedBody {
    kind: MalformedKind,
    line: usize,
    column: usize,
}

/// The ways a body can fail to be an envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MalformedKind {
    /// Not JSON at all (HTML, plain text, invalid UTF-8), or nested too deeply.
    InvalidJson,
    /// JSON that ends early.
    Truncated,
    /// JSON, but not an object of the format's shape.
    WrongShape,
}

impl MalformedBody {
    /// Describes a parser error.
    pub(crate) fn of(error: &serde_json::Error) -> Self {
        use serde_json::error::Category;
        let kind = match error.classify() {
            Category::Eof => MalformedKind::Truncated,
            Category::Data => MalformedKind::WrongShape,
            Category::Syntax | Category::Io => MalformedKind::InvalidJson,
        };
        MalformedBody {
            kind,
            line: error.line(),
            column: error.column(),
        }
    }

    /// How the body failed.
    pub fn kind(&self) -> MalformedKind {
        self.kind
    }

    /// Where, as a 1-based line and column.
    pub fn position(&self) -> (usize, usize) {
        (self.line, self.column)
    }
}

impl fmt::Display for MalformedBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            MalformedKind::InvalidJson => "invalid JSON",
            MalformedKind::Truncated => "JSON that ends early",
            MalformedKind::WrongShape => "JSON that is not this format's envelope",
        };
        write!(f, "{what} (line {}, column {})", self.line, self.column)
    }
}

/// A response that decoded to no variant of an enum that has no `unknown` variant.
///
/// It keeps what an `unknown` variant would have: status, code and message when the
/// body had them, and the start of the raw body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    kind: DecodeErrorKind,
    status_known: bool,
    unknown: Unknown,
}

impl DecodeError {
    /// The error for a response that decoded to no variant for `kind`'s reason, keeping
    /// what was read of it (for a hand-written [`ApiError`](crate::ApiError) impl).
    pub fn new(kind: DecodeErrorKind, response: Unknown) -> Self {
        DecodeError {
            kind,
            status_known: true,
            unknown: response,
        }
    }

    /// Why no variant was chosen.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.kind
    }

    /// The response's status; `None` when a body alone was decoded and stated none.
    pub fn status(&self) -> Option<StatusCode> {
        self.status_known.then(|| self.unknown.status())
    }

    /// Everything that was read of the response, as an `unknown` variant would hold it.
    pub fn unknown(&self) -> &Unknown {
        &self.unknown
    }

    /// Takes the response apart: what an `unknown` variant would hold.
    pub fn into_unknown(self) -> Unknown {
        self.unknown
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status() {
            Some(status) => write!(
                f,
                "cannot decode a {} error response: {}",
                status.as_u16(),
                self.kind
            ),
            None => write!(f, "cannot decode the error body: {}", self.kind),
        }
    }
}

impl std::error::Error for DecodeError {}

impl std::error::Error for DecodeErrorKind {}

impl std::error::Error for MalformedBody {}

/// What a response said beside its body's error: its status and headers of interest, and
/// what its body said, as received (each text bounded: [`KEPT_TEXT_BYTES`] for a code,
/// request id or timestamp, [`KEPT_BODY_BYTES`] for the message and the raw body).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseMeta {
    /// The status.
    pub status: StatusCode,
    /// The `Retry-After` hint.
    pub retry_after: Option<RetryAfter>,
    /// Rate-limit headers.
    pub rate_limit: Option<RateLimit>,
    /// `X-Request-Id` (or `X-Amzn-RequestId`, `Request-Id`), else the body's `request_id`.
    pub request_id: Option<String>,
    /// The code the body carried (`code`, `reason` or `error`, by format).
    pub code: Option<String>,
    /// The message the body carried.
    pub message: Option<String>,
    /// The timestamp the body carried.
    pub timestamp: Option<String>,
    /// The start of the raw body, at most [`KEPT_BODY_BYTES`].
    pub body: Vec<u8>,
    /// The members of the body that its format does not bind, each as its JSON Pointer
    /// (RFC 6901) and its JSON text as received: Stripe's `request_log_url`, say, when the
    /// declaration has no place for it. Bounded like the rest (see
    /// [`RawEnvelope::unbound`](crate::format::RawEnvelope::unbound)).
    pub unbound: Vec<(String, String)>,
    /// What the header the enum declares for it said about retrying
    /// ([`RetrySignals::should_retry`](crate::retry::RetrySignals)): Stripe's
    /// `Stripe-Should-Retry`.
    pub should_retry: Option<bool>,
    /// The response's headers, for an enum with a classify hook
    /// (`#[api_error(classify = path)]`; `None` otherwise): at most [`KEPT_HEADERS`]
    /// fields and [`KEPT_BODY_BYTES`] of values, in the order received.
    pub headers: Option<HeaderMap>,
}

impl ResponseMeta {
    /// The metadata of a response with `status` and nothing else; set the other fields
    /// as needed (in a test double, say).
    pub fn new(status: StatusCode) -> Self {
        ResponseMeta {
            status,
            retry_after: None,
            rate_limit: None,
            request_id: None,
            code: None,
            message: None,
            timestamp: None,
            body: Vec::new(),
            unbound: Vec::new(),
            should_retry: None,
            headers: None,
        }
    }

    /// Reads the metadata of a response whose body has not been decoded: a `nested`
    /// body's code, message, timestamp and request id are read when it is one.
    pub fn read(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Self {
        let raw = if body.len() > MAX_DECODED_BODY {
            None
        } else {
            crate::format::Nested::decode(body).ok()
        };
        let retry_after = headers
            .get(http::header::RETRY_AFTER)
            .and_then(RetryAfter::from_header);
        *Self::boxed_from_parts(
            status,
            headers,
            body,
            raw.as_ref(),
            retry_after,
            None,
            false,
        )
    }

    /// The metadata, from what the body's decoder already read (if anything) and the
    /// `Retry-After` hint it already parsed. The other headers are read in one pass.
    pub(crate) fn boxed_from_parts(
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        raw: Option<&RawEnvelope<'_>>,
        retry_after: Option<RetryAfter>,
        should_retry: Option<bool>,
        keep_headers: bool,
    ) -> Box<Self> {
        let (header_id, rate_limit) = if headers.is_empty() {
            (None, None)
        } else {
            scan_headers(headers)
        };
        let kept = |text: Option<&str>, bound: usize| text.map(|text| kept_text(text, bound));
        let (code, message, timestamp, body_id) = match raw {
            Some(raw) => (
                raw.code.as_deref(),
                raw.message.as_deref(),
                raw.timestamp.as_deref(),
                raw.request_id.as_deref(),
            ),
            None => (None, None, None, None),
        };
        Box::new(ResponseMeta {
            status,
            retry_after,
            rate_limit,
            request_id: kept(header_id.or(body_id), KEPT_TEXT_BYTES),
            code: kept(code, KEPT_TEXT_BYTES),
            message: kept(message, KEPT_BODY_BYTES),
            timestamp: kept(timestamp, KEPT_TEXT_BYTES),
            body: body[..body.len().min(KEPT_BODY_BYTES)].to_vec(),
            unbound: match raw {
                Some(raw) if !raw.unbound.is_empty() => raw
                    .unbound
                    .iter()
                    .map(|member| (member.pointer.clone(), member.value.to_string()))
                    .collect(),
                _ => Vec::new(),
            },
            should_retry,
            headers: keep_headers.then(|| kept_headers(headers)),
        })
    }
}

/// The request id (by preference: X-Request-Id, Request-Id, X-Amzn-RequestId) and the
/// rate limit `headers` give, in one pass over them.
fn scan_headers(headers: &HeaderMap) -> (Option<&str>, Option<RateLimit>) {
    let mut request_ids: [Option<&HeaderValue>; 3] = [None; 3];
    let mut rate_limit = RateLimitScan::default();
    for (name, value) in headers {
        let name = name.as_str();
        if let Some(rank) = REQUEST_ID_HEADERS.iter().position(|id| *id == name) {
            request_ids[rank].get_or_insert(value);
        } else if name != "retry-after" {
            rate_limit.offer(name, value);
        }
    }
    let header_id = request_ids
        .into_iter()
        .flatten()
        .find_map(|v| v.to_str().ok());
    (header_id, rate_limit.finish())
}

/// The first [`KEPT_HEADERS`] fields of `headers` whose values fit, together, in
/// [`KEPT_BODY_BYTES`].
fn kept_headers(headers: &HeaderMap) -> HeaderMap {
    let mut kept = HeaderMap::new();
    let mut bytes = 0;
    for (name, value) in headers.iter().take(KEPT_HEADERS) {
        bytes += name.as_str().len() + value.len();
        if bytes > KEPT_BODY_BYTES {
            break;
        }
        kept.append(name.clone(), value.clone());
    }
    kept
}

/// The names a response's request id comes under, by preference.
pub(crate) const REQUEST_ID_HEADERS: [&str; 3] = ["x-request-id", "request-id", "x-amzn-requestid"];

/// A response's request id, from the first of [`REQUEST_ID_HEADERS`] it has as text.
pub(crate) fn request_id_header(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()))
}
