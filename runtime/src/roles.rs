//! The field types the derive accepts for a field's role, and how it reads and writes
//! them: a `retry_after` field's delay.

use std::time::Duration;

/// Converts an `#[api_error(retry_after)]` field's value to a `Retry-After` delay.
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
