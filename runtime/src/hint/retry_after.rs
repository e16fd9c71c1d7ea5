//! `Retry-After` (RFC 9110 §10.2.3): delta-seconds or an HTTP-date.

use std::time::{Duration, SystemTime};

use http::HeaderValue;

/// The longest hint accepted: anything larger is clamped here (one day).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// A server's `Retry-After` hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryAfter {
    /// `Retry-After: 120`: wait this long (clamped to [`MAX_RETRY_AFTER`]).
    Delay(Duration),
    /// `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`: wait until then.
    At(SystemTime),
}

impl RetryAfter {
    /// Parses a header value: non-negative delta-seconds, or an HTTP-date in any of its
    /// three forms (IMF-fixdate, obsolete RFC 850, and asctime). Surrounding whitespace is
    /// allowed; anything else is `None`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use apierror::retry::RetryAfter;
    ///
    /// assert_eq!(RetryAfter::parse("30"), Some(RetryAfter::Delay(Duration::from_secs(30))));
    /// assert!(RetryAfter::parse("Sun, 06 Nov 1994 08:49:37 GMT").is_some());
    /// assert!(RetryAfter::parse("Sunday, 06-Nov-94 08:49:37 GMT").is_some());
    /// assert!(RetryAfter::parse("Sun Nov  6 08:49:37 1994").is_some());
    /// assert_eq!(RetryAfter::parse("-1"), None);
    /// ```
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        if value.bytes().all(|b| b.is_ascii_digit()) {
            // Saturate rather than fail on absurdly long digit strings.
            let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
            let delay = Duration::from_secs(seconds).min(MAX_RETRY_AFTER);
            return Some(RetryAfter::Delay(delay));
        }
        httpdate::parse_http_date(value).ok().map(RetryAfter::At)
    }

    /// Parses a header value; see [`parse`](Self::parse).
    pub fn from_header(value: &HeaderValue) -> Option<Self> {
        value.to_str().ok().and_then(Self::parse)
    }

    /// How long to wait from `now`: zero for a date already past, clamped to
    /// [`MAX_RETRY_AFTER`].
    pub fn delay_from(&self, now: SystemTime) -> Duration {
        match *self {
            RetryAfter::Delay(delay) => delay,
            RetryAfter::At(at) => at
                .duration_since(now)
                .unwrap_or(Duration::ZERO)
                .min(MAX_RETRY_AFTER),
        }
    }
}

/// A `Retry-After` header value for `delay`, in whole seconds rounded up (saturating:
/// the longest delay asks for `u64::MAX` seconds, never wraps to "retry now").
pub fn header_value(delay: Duration) -> HeaderValue {
    let seconds = delay
        .as_secs()
        .saturating_add(u64::from(delay.subsec_nanos() > 0));
    HeaderValue::from(seconds)
}
