//! Items the derive's generated code names; not a public API.

use std::time::Duration;

pub use core;
pub use serde;
pub use serde_json;
pub use std::borrow::Cow;
pub use std::format;
pub use std::string::{String, ToString};
pub use std::time::Duration as StdDuration;

pub use http::{HeaderMap, HeaderValue, StatusCode};

pub use crate::api_error::ApiError;
pub use crate::decode::{DecodeError, DecodeErrorKind, DecodeInput, decode_details};
pub use crate::envelope::{Context, Envelope, Message, NoDetails, RawEnvelope};
pub use crate::format::{DecodeKey, Fields, Flat, Format, Nested, Plain, Problem, Reason};
pub use crate::retry_class::Retry;
pub use crate::unknown::Unknown;

/// A status the macro has already checked to be in 100..=599.
#[inline]
pub const fn status(code: u16) -> StatusCode {
    match StatusCode::from_u16(code) {
        Ok(status) => status,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The canonical reason phrase of a status, or `"Error"` for unassigned codes.
#[inline]
pub fn reason_phrase(status: StatusCode) -> &'static str {
    status.canonical_reason().unwrap_or("Error")
}

/// The message an `#[api_error(message)]` field receives when decoding: the body's
/// message, or empty when it had none.
pub fn decoded_message<T: From<String>>(raw: &RawEnvelope<'_>) -> T {
    T::from(raw.message.as_deref().unwrap_or_default().to_owned())
}

/// A `Retry-After` header value in whole seconds, rounded up (saturating: the longest
/// delay asks for `u64::MAX` seconds, never wraps to "retry now").
pub fn retry_after_value(delay: Duration) -> HeaderValue {
    let seconds = delay
        .as_secs()
        .saturating_add(u64::from(delay.subsec_nanos() > 0));
    HeaderValue::from(seconds)
}

/// Converts a field's value to a `Retry-After` delay.
pub trait IntoRetryAfter {
    /// The delay, if any.
    fn to_retry_after(&self) -> Option<Duration>;
}

impl IntoRetryAfter for Duration {
    fn to_retry_after(&self) -> Option<Duration> {
        Some(*self)
    }
}

impl IntoRetryAfter for Option<Duration> {
    fn to_retry_after(&self) -> Option<Duration> {
        *self
    }
}

impl IntoRetryAfter for u64 {
    fn to_retry_after(&self) -> Option<Duration> {
        Some(Duration::from_secs(*self))
    }
}

impl IntoRetryAfter for Option<u64> {
    fn to_retry_after(&self) -> Option<Duration> {
        self.map(Duration::from_secs)
    }
}

/// Builds an `#[api_error(retry_after)]` field from a decoded response's `Retry-After`.
pub trait FromRetryAfter {
    /// The field's value for this delay (zero or `None` when the response had none).
    fn from_retry_after(delay: Option<Duration>) -> Self;
}

impl FromRetryAfter for Duration {
    fn from_retry_after(delay: Option<Duration>) -> Self {
        delay.unwrap_or_default()
    }
}

impl FromRetryAfter for Option<Duration> {
    fn from_retry_after(delay: Option<Duration>) -> Self {
        delay
    }
}

impl FromRetryAfter for u64 {
    fn from_retry_after(delay: Option<Duration>) -> Self {
        delay.map_or(0, |d| d.as_secs())
    }
}

impl FromRetryAfter for Option<u64> {
    fn from_retry_after(delay: Option<Duration>) -> Self {
        delay.map(|d| d.as_secs())
    }
}

/// Implements the optional integrations' traits for a derived type; expands to nothing
/// for integrations whose feature is off.
#[cfg(feature = "axum")]
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_integrations {
    (impl [$($generics:tt)*] $ty:ty where [$($bounds:tt)*]) => {
        impl<$($generics)*> $crate::__private::axum::IntoResponse for $ty where $($bounds)* {
            fn into_response(self) -> $crate::__private::axum::Response {
                // Autoref picks the error's Display and source chain for logging when
                // the type implements std::error::Error, and nothing otherwise.
                use $crate::__private::axum::probe::*;
                let __error = (&$crate::__private::axum::Probe(&self)).as_error();
                $crate::__private::axum::into_response_with_source(&self, __error)
            }
        }
    };
}

/// Implements the optional integrations' traits for a derived type; expands to nothing
/// for integrations whose feature is off.
#[cfg(not(feature = "axum"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_integrations {
    (impl [$($generics:tt)*] $ty:ty where [$($bounds:tt)*]) => {};
}

pub use crate::__impl_integrations as impl_integrations;

/// What the `axum` arm of `impl_integrations!` calls.
#[cfg(feature = "axum")]
pub use crate::axum::private as axum;
