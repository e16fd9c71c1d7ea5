//! What a derived decoder reads: the response as its format read it.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde::de::value::{MapDeserializer, UnitDeserializer};

use super::{DecodeError, DecodeErrorKind, MAX_DECODED_BODY, MalformedBody, ResponseMeta};
use crate::format::{DetailsReader, Format, RawEnvelope, Undecoded};
use crate::hint::retry_after::RetryAfter;
use crate::hint::signals::RetrySignals;
use crate::hint::signals::later;
use crate::unknown::Unknown;

/// A response, as a derived decoder sees it: the status, the body, what the enum's
/// format read of the body (or why it read nothing) with the details reader `R` it read
/// with, and the `Retry-After` hint with the time it is measured from.
#[derive(Debug)]
pub struct DecodeInput<'a, R = Undecoded> {
    status: Option<StatusCode>,
    headers: Option<&'a HeaderMap>,
    body: &'a [u8],
    /// What the format read (empty unless `read` is `Ok`).
    raw: RawEnvelope<'a>,
    /// The details reader the format read with.
    reader: R,
    /// Whether the format read the body, or why not.
    read: Result<(), Unread>,
    /// The headers' hint: `Retry-After`, or the later of it and a declared header's.
    retry_after: Option<RetryAfter>,
    /// What a declared header said about retrying.
    should_retry: Option<bool>,
    /// Whether the metadata keeps the headers (for a classify hook).
    keep_headers: bool,
    /// `None`: the system clock, read only if needed.
    now: Option<SystemTime>,
}

/// Why a body was not read as an envelope of its format.
#[derive(Debug)]
enum Unread {
    /// Longer than [`MAX_DECODED_BODY`].
    TooLarge,
    /// Nothing but whitespace.
    Empty,
    /// Not JSON, or not of the format's shape.
    Malformed(serde_json::Error),
}

impl<'a> DecodeInput<'a> {
    /// Reads a response with format `F`, measuring an HTTP-date `Retry-After` from the
    /// system clock; see [`read_at`](Self::read_at).
    pub fn read<F: Format>(status: StatusCode, headers: &'a HeaderMap, body: &'a [u8]) -> Self {
        Self::read_at::<F>(status, headers, body, SystemTime::now())
    }

    /// Reads a response with format `F`, measuring an HTTP-date `Retry-After` from `now`
    /// (the caller's clock). Never fails: a body that is too long, empty, not JSON, or not
    /// of `F`'s shape is recorded as such.
    pub fn read_at<F: Format>(
        status: StatusCode,
        headers: &'a HeaderMap,
        body: &'a [u8],
        now: SystemTime,
    ) -> Self {
        let mut input = DecodeInput::unread(status, headers, body, Some(now), Undecoded);
        input.read_body::<F>();
        input
    }

    /// Input read from a body alone (a `Deserialize` impl): the status is the one the
    /// body states, if any.
    pub fn from_body(raw: RawEnvelope<'a>) -> Self {
        DecodeInput {
            status: raw.status.and_then(|s| StatusCode::from_u16(s).ok()),
            headers: None,
            body: &[],
            raw,
            reader: Undecoded,
            read: Ok(()),
            retry_after: None,
            should_retry: None,
            keep_headers: false,
            now: Some(SystemTime::UNIX_EPOCH),
        }
    }
}

impl<'a, R> DecodeInput<'a, R> {
    /// The same input, with `body` as the raw body that the metadata and an `unknown`
    /// variant keep (a gRPC status's details, say).
    #[cfg(feature = "tonic")]
    pub(crate) fn with_body(mut self, body: &'a [u8]) -> Self {
        self.body = body;
        self
    }
}

impl<'a, R: DetailsReader<'a>> DecodeInput<'a, R> {
    /// A response whose body is not read yet: [`read_body`](Self::read_body) reads it.
    /// (Two steps, so that a caller that keeps the input where it is builds it there; the
    /// envelope is large, and each move of it would copy it.)
    #[inline]
    pub(crate) fn unread(
        status: StatusCode,
        headers: &'a HeaderMap,
        body: &'a [u8],
        now: Option<SystemTime>,
        reader: R,
    ) -> Self {
        let retry_after = if headers.is_empty() {
            None
        } else {
            headers
                .get(http::header::RETRY_AFTER)
                .and_then(RetryAfter::from_header)
        };
        DecodeInput {
            status: Some(status),
            headers: Some(headers),
            body,
            raw: RawEnvelope::default(),
            reader,
            read: Ok(()),
            retry_after,
            should_retry: None,
            keep_headers: false,
            now,
        }
    }

    /// Reads the body with format `F`, in place.
    #[inline]
    pub(crate) fn read_body<F: Format>(&mut self) {
        let body = self.body;
        self.read = if body.len() > MAX_DECODED_BODY {
            Err(Unread::TooLarge)
        } else if body.iter().all(u8::is_ascii_whitespace) {
            Err(Unread::Empty)
        } else {
            F::decode_with(body, &mut self.reader, &mut self.raw).map_err(Unread::Malformed)
        };
    }

    /// Takes what the reader decoded, leaving an empty reader.
    pub fn take_reader(&mut self) -> R {
        match self.read {
            Ok(()) => std::mem::take(&mut self.reader),
            Err(_) => R::default(),
        }
    }
}

impl<'a, R> DecodeInput<'a, R> {
    /// The response's status, if known.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The status as a number, `0` when unknown (it then matches no variant's status).
    pub fn status_u16(&self) -> u16 {
        self.status.map_or(0, |s| s.as_u16())
    }

    /// The raw body.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// The response's headers; `None` for a body alone.
    pub fn headers(&self) -> Option<&'a HeaderMap> {
        self.headers
    }

    /// The time an HTTP-date `Retry-After` is measured from.
    pub fn now(&self) -> SystemTime {
        self.now.unwrap_or_else(SystemTime::now)
    }

    /// Reads the enum's declared retry signals from the headers: a hint header (the
    /// later of it and `Retry-After` counts) and a should-retry header; and whether the
    /// metadata keeps the headers (for a classify hook). In place: the input is large,
    /// and moving it costs more than reading signals that are not there.
    #[inline]
    pub fn read_signals(&mut self, signals: &RetrySignals, keep_headers: bool) {
        self.keep_headers = keep_headers;
        if signals.is_none() || self.headers.is_none_or(HeaderMap::is_empty) {
            return;
        }
        self.read_declared_signals(signals);
    }

    fn read_declared_signals(&mut self, signals: &RetrySignals) {
        if let Some(headers) = self.headers {
            let declared = signals.header_hint(headers);
            if declared.is_some() {
                self.retry_after = later(self.retry_after, declared, self.now());
            }
            self.should_retry = signals.should_retry(headers);
        }
    }

    /// What the response said beside the error, from the parse this input already made.
    /// Boxed where it is built, since a `Decoded` keeps it boxed: each move of it would
    /// copy about 300 bytes.
    pub(crate) fn meta(&self) -> Box<ResponseMeta> {
        let empty = HeaderMap::new();
        ResponseMeta::boxed_from_parts(
            self.status.unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            self.headers.unwrap_or(&empty),
            self.body,
            self.raw().ok(),
            self.retry_after_hint(),
            self.should_retry,
            self.keep_headers,
        )
    }

    /// The delay the response asked for, from the time the input was read at: the later
    /// of its headers' hint and its body's.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after_hint()
            .map(|hint| hint.delay_from(self.now()))
    }

    /// The hint as the response gave it: the headers' (`Retry-After`, a declared header),
    /// or the body's, or the later of the two.
    pub fn retry_after_hint(&self) -> Option<RetryAfter> {
        let body = match self.read {
            Ok(()) => self.raw.retry_after,
            Err(_) => None,
        };
        match (self.retry_after, body) {
            // Only two hints need a clock to compare.
            (Some(_), Some(_)) => later(self.retry_after, body, self.now()),
            (header, body) => header.or(body),
        }
    }

    /// What the format read.
    ///
    /// # Errors
    ///
    /// Why the body was not an envelope of the format.
    pub fn raw(&self) -> Result<&RawEnvelope<'a>, DecodeErrorKind> {
        match &self.read {
            Ok(()) => Ok(&self.raw),
            Err(Unread::Malformed(e)) => Err(DecodeErrorKind::Malformed(MalformedBody::of(e))),
            Err(Unread::TooLarge) => Err(DecodeErrorKind::TooLarge),
            Err(Unread::Empty) => Err(DecodeErrorKind::Empty),
        }
    }

    /// The `Unknown` for the enum's `unknown` variant, after no variant fitted for
    /// `kind`'s reason.
    ///
    /// # Errors
    ///
    /// When the status is not known (a body alone that states none): an `Unknown` needs it.
    pub fn fallback(&self, kind: DecodeErrorKind) -> Result<Unknown, DecodeError> {
        match self.status {
            Some(status) => Ok(Unknown::from_raw(status, self.raw().ok(), self.body)),
            None => Err(self.error(match kind {
                DecodeErrorKind::Unrecognized => DecodeErrorKind::NeedsStatus,
                other => other,
            })),
        }
    }

    /// The error for this response, for enums without an `unknown` variant.
    pub fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        let status = self.status.unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        DecodeError {
            kind,
            status_known: self.status.is_some(),
            unknown: Unknown::from_raw(status, self.raw().ok(), self.body),
        }
    }
}

/// Decodes a variant's details: the body's details if they fit `T`, else `T` built from
/// nothing: from `null` (so `Option<_>`, `FieldErrors` and other types that accept `null`
/// survive a missing or mistyped member), or from an empty object (a map, or a struct
/// whose fields all have defaults; `problem` writes no member for an empty map).
///
/// # Errors
///
/// When the details neither fit `T` nor can be left out.
pub(crate) fn decode_details<T: DeserializeOwned>(
    raw: &RawEnvelope<'_>,
) -> Result<T, DecodeErrorKind> {
    let first = match &raw.details {
        Some(details) => match details.decode::<T>() {
            Ok(value) => return Ok(value),
            Err(e) => Some(e),
        },
        None => None,
    };
    T::deserialize(UnitDeserializer::<serde_json::Error>::new())
        .or_else(|_| {
            T::deserialize(MapDeserializer::<_, serde_json::Error>::new(
                std::iter::empty::<(&str, &str)>(),
            ))
        })
        .map_err(|absent| {
            DecodeErrorKind::Details(first.map_or_else(|| absent.to_string(), |e| e.to_string()))
        })
}
