//! Layer 4, above the `ApiError` trait: [`Decoded`], a decoded error with its
//! response's metadata, and the decoding entry points the derive's code calls (one parse
//! serving the error and the metadata).

use std::fmt;
use std::time::SystemTime;

use http::{HeaderMap, StatusCode};

use crate::api_error::ApiError;
use crate::decode::in_place::{InPlace, InPlaceDetails};
use crate::decode::input::DecodeInput;
use crate::decode::{DecodeError, ResponseMeta};
use crate::format::Format;

/// A decoded error with what the response said around it.
///
/// Its `Display` is the message the response carried, as received (a vendor's "Maintenance
/// until 06:00" where the variant's own message is "Service Unavailable"), or the error's
/// own `Display` when the body carried none; `source()` is the error when the two differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<E> {
    /// The decoded error.
    pub error: E,
    /// Status, headers of interest, what the body said, and the start of the raw body:
    /// boxed, so that a `Result<T, Decoded<E>>` stays small (the metadata is about 250
    /// bytes, more than clippy's `result_large_err` allows for an error).
    pub meta: Box<ResponseMeta>,
}

impl<E: ApiError> Decoded<E> {
    /// Decodes a response into `E`, keeping its metadata; an HTTP-date `Retry-After` is
    /// measured from the system clock (see [`from_response_at`](Self::from_response_at)).
    ///
    /// # Errors
    ///
    /// Only when `E` has no `unknown` variant and the response matches no variant.
    pub fn from_response(
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Self, DecodeError> {
        // The clock is read only if a `Retry-After` date needs it.
        let (error, meta) = decode_with_meta::<E>(status, headers, body, None);
        error.map(|error| Decoded { error, meta })
    }

    /// Decodes a response into `E`, keeping its metadata, with `now` as the time an
    /// HTTP-date `Retry-After` is measured from. The body is parsed once and the headers
    /// are read once.
    ///
    /// # Errors
    ///
    /// Only when `E` has no `unknown` variant and the response matches no variant.
    pub fn from_response_at(
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Self, DecodeError> {
        let (error, meta) = decode_with_meta::<E>(status, headers, body, Some(now));
        error.map(|error| Decoded { error, meta })
    }
}

/// Decodes a response into `E` and reads its metadata from the same parse, whether or
/// not a variant fits; `now` is `None` for the system clock, read only when needed.
pub(crate) fn decode_with_meta<E: ApiError>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    now: Option<SystemTime>,
) -> (Result<E, DecodeError>, Box<ResponseMeta>) {
    E::__decode_with_meta(status, headers, body, now)
}

impl<E> Decoded<E> {
    /// The message the response carried, unless it was absent or empty.
    fn received_message(&self) -> Option<&str> {
        self.meta.message.as_deref().filter(|m| !m.is_empty())
    }
}

impl<E: fmt::Display> fmt::Display for Decoded<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.received_message() {
            Some(message) => f.write_str(message),
            None => fmt::Display::fmt(&self.error, f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Decoded<E> {
    /// The decoded error when its `Display` adds to the received message; otherwise
    /// (`Display` is the error's own, or the error's text already holds the message) the
    /// error's own source, so no message appears twice in a chain.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self.received_message() {
            Some(message) if !self.error.to_string().contains(message) => Some(&self.error),
            _ => self.error.source(),
        }
    }
}

/// Decodes a response into `E`, its details in the same pass where they can be; `now`
/// as in [`DecodeInput::read_at`] (`None`: the system clock).
///
/// # Errors
///
/// When no variant fits and the enum has no `unknown` variant.
#[inline]
pub fn decode_in_place<E: ApiError + InPlaceDetails>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    now: Option<SystemTime>,
) -> Result<E, DecodeError> {
    let mut input =
        DecodeInput::unread(status, headers, body, now, InPlace::<E>::for_status(status));
    input.read_body::<E::Format>();
    input.read_signals(&E::RETRY_SIGNALS, false);
    let mut reader = input.take_reader();
    E::choose(&input, &mut reader.slots)
}

/// [`decode_in_place`], and the response's metadata from the same parse. (Its three lines repeat
/// `decode_in_place`'s: a helper returning the input with the choice costs a copy of the input,
/// about 100 instructions per call.)
pub fn decode_in_place_with_meta<E: ApiError + InPlaceDetails>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    now: Option<SystemTime>,
) -> (Result<E, DecodeError>, Box<ResponseMeta>) {
    let mut input =
        DecodeInput::unread(status, headers, body, now, InPlace::<E>::for_status(status));
    input.read_body::<E::Format>();
    input.read_signals(&E::RETRY_SIGNALS, E::KEEPS_HEADERS);
    let mut reader = input.take_reader();
    (E::choose(&input, &mut reader.slots), input.meta())
}

/// What a derived enum's `Deserialize` runs: reads the value's JSON text (as a
/// `RawValue`, so from `serde_json`'s deserializer or its `Value`), decodes it with `F` as
/// a response body is decoded (one pass, as leniently), and picks the variant from the
/// body alone.
///
/// # Errors
///
/// When the value is not `F`'s envelope, or no variant fits and `E` has no `unknown`
/// variant.
pub fn deserialize_body<'de, F, E, D>(deserializer: D) -> Result<E, D::Error>
where
    F: Format,
    E: ApiError,
    D: serde::Deserializer<'de>,
{
    use serde::de::Error as _;
    let text = <Box<serde_json::value::RawValue> as serde::Deserialize>::deserialize(deserializer)?;
    let raw = F::decode(text.get().as_bytes()).map_err(D::Error::custom)?;
    E::__decode(&DecodeInput::from_body(raw)).map_err(D::Error::custom)
}
