//! Decoding responses: the input a derived decoder reads, its errors, and the metadata
//! that travels beside a decoded error.

use std::fmt;

use http::{HeaderMap, StatusCode};
use serde::de::{Deserialize as _, DeserializeOwned, value::UnitDeserializer};

use crate::api_error::ApiError;
use crate::envelope::RawEnvelope;
use crate::format::Format;
use crate::rate_limit::RateLimit;
use crate::retry_after::RetryAfter;
use crate::unknown::{KEPT_BODY_BYTES, Unknown};

/// The largest body a decoder parses; a longer one is treated as unrecognisable and
/// decodes to the `unknown` variant with its start kept.
pub const MAX_DECODED_BODY: usize = 1024 * 1024;

/// A response, as a derived decoder sees it: the status, the body, and what the
/// enum's format read of the body (nothing if it was not an envelope).
#[derive(Debug)]
pub struct DecodeInput<'a> {
    status: StatusCode,
    body: &'a [u8],
    raw: Result<RawEnvelope<'a>, DecodeErrorKind>,
}

impl<'a> DecodeInput<'a> {
    /// Reads `body` with format `F`. Never fails: a body that is too long, empty, not
    /// JSON, or not of `F`'s shape is recorded as such.
    pub fn read<F: Format>(status: StatusCode, body: &'a [u8]) -> Self {
        let raw = if body.len() > MAX_DECODED_BODY {
            Err(DecodeErrorKind::TooLarge)
        } else if body.iter().all(u8::is_ascii_whitespace) {
            Err(DecodeErrorKind::Empty)
        } else {
            F::decode(body).map_err(|e| DecodeErrorKind::Malformed(e.to_string()))
        };
        DecodeInput { status, body, raw }
    }

    /// Input whose raw parts were read by other means (a `Deserialize` impl).
    pub fn from_raw(status: StatusCode, raw: RawEnvelope<'a>) -> Self {
        DecodeInput {
            status,
            body: &[],
            raw: Ok(raw),
        }
    }

    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The raw body.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// What the format read, or why it read nothing.
    ///
    /// # Errors
    ///
    /// When the body was not an envelope of the format.
    pub fn raw(&self) -> Result<&RawEnvelope<'a>, DecodeErrorKind> {
        self.raw.as_ref().map_err(Clone::clone)
    }

    /// The `Unknown` for this response, for the enum's `unknown` variant.
    pub fn unknown(&self) -> Unknown {
        Unknown::from_raw(self.status, self.raw.as_ref().ok(), self.body)
    }

    /// The error for this response, for enums without an `unknown` variant.
    pub fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError {
            kind,
            unknown: self.unknown(),
        }
    }
}

/// Why a response decoded to no declared variant.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The body was empty.
    Empty,
    /// The body was longer than [`MAX_DECODED_BODY`].
    TooLarge,
    /// The body was not JSON of the format's shape (the parser's message).
    Malformed(String),
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
            DecodeErrorKind::Malformed(why) => write!(f, "the body is not an error envelope: {why}"),
            DecodeErrorKind::Unrecognized => f.write_str("no variant has this code or status"),
            DecodeErrorKind::Details(why) => write!(f, "the details do not fit: {why}"),
            DecodeErrorKind::NeedsStatus => {
                f.write_str("this format needs the response's status to pick a variant")
            }
        }
    }
}

/// A response that decoded to no variant of an enum that has no `unknown` variant.
///
/// It keeps what an `unknown` variant would have: status, code and message when the
/// body had them, and the start of the raw body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    kind: DecodeErrorKind,
    unknown: Unknown,
}

impl DecodeError {
    /// Why no variant was chosen.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.kind
    }

    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.unknown.status()
    }

    /// Everything that was read of the response.
    pub fn response(&self) -> &Unknown {
        &self.unknown
    }

    /// Takes the response apart.
    pub fn into_response(self) -> Unknown {
        self.unknown
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot decode a {} error response: {}",
            self.unknown.status().as_u16(),
            self.kind
        )
    }
}

impl std::error::Error for DecodeError {}

/// A decoded error with what the response said around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<E> {
    /// The decoded error.
    pub error: E,
    /// Status, headers of interest, and the start of the raw body.
    pub meta: ResponseMeta,
}

impl<E: ApiError> Decoded<E> {
    /// Decodes a response into `E`, keeping its metadata.
    ///
    /// # Errors
    ///
    /// Only when `E` has no `unknown` variant and the response matches no variant.
    pub fn from_response(
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Self, DecodeError> {
        let error = E::from_response(status, headers, body)?;
        Ok(Decoded {
            error,
            meta: ResponseMeta::read(status, headers, body),
        })
    }
}

impl<E: fmt::Display> fmt::Display for Decoded<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Decoded<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// What a response said beside its body's error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseMeta {
    /// The status.
    pub status: StatusCode,
    /// The `Retry-After` hint.
    pub retry_after: Option<RetryAfter>,
    /// Rate-limit headers.
    pub rate_limit: Option<RateLimit>,
    /// `X-Request-Id` (or `X-Amzn-RequestId`, `Request-Id`), else the body's `request_id`.
    pub request_id: Option<String>,
    /// The start of the raw body, at most [`KEPT_BODY_BYTES`].
    pub body: Vec<u8>,
}

impl ResponseMeta {
    /// Reads the metadata of a response.
    pub fn read(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Self {
        let request_id = ["x-request-id", "request-id", "x-amzn-requestid"]
            .iter()
            .find_map(|name| headers.get(*name)?.to_str().ok())
            .map(str::to_owned)
            .or_else(|| body_request_id(body));
        ResponseMeta {
            status,
            retry_after: headers.get(http::header::RETRY_AFTER).and_then(RetryAfter::from_header),
            rate_limit: RateLimit::from_headers(headers),
            request_id,
            body: body[..body.len().min(KEPT_BODY_BYTES)].to_vec(),
        }
    }
}

/// The `request_id` a `nested` body carries, if the body is one.
fn body_request_id(body: &[u8]) -> Option<String> {
    if body.len() > MAX_DECODED_BODY {
        return None;
    }
    let raw = crate::format::Nested::decode(body).ok()?;
    raw.request_id.map(std::borrow::Cow::into_owned)
}

/// Decodes a variant's details: the body's details if they fit `T`, else `T` built from
/// nothing (so `Option<_>`, `FieldErrors` and other types that accept `null` survive a
/// missing or mistyped member).
///
/// # Errors
///
/// When the details neither fit `T` nor can be left out.
pub fn decode_details<T: DeserializeOwned>(raw: &RawEnvelope<'_>) -> Result<T, DecodeErrorKind> {
    let first = match &raw.details {
        Some(details) => match details.decode::<T>() {
            Ok(value) => return Ok(value),
            Err(e) => Some(e),
        },
        None => None,
    };
    T::deserialize(UnitDeserializer::<serde_json::Error>::new()).map_err(|absent| {
        DecodeErrorKind::Details(first.map_or_else(|| absent.to_string(), |e| e.to_string()))
    })
}
