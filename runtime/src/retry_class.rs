//! The retry class of an error: whether a failed call is worth repeating, and how.
//!
//! Layer 0: the ground floor (plain data and header parsing; imports nothing above it).

use http::StatusCode;

/// How a client should react to an error.
///
/// Every [`ApiError`](crate::ApiError) variant has one class, chosen from its status
/// (see [`Retry::for_status`]) unless `#[retryable(...)]` overrides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Retry {
    /// Repeating the same request cannot succeed: fix the request instead.
    Never,
    /// A transient server-side failure: retry with exponential backoff and jitter.
    Backoff,
    /// The server asked the client to slow down (429): retry, waiting at least the
    /// server's `Retry-After` hint.
    Throttled,
    /// The credentials expired: refresh them once, then retry.
    Reauthenticate,
}

impl Retry {
    /// The default class of a status: 408, 425, 500, 502, 503 and 504 are
    /// [`Backoff`](Retry::Backoff), 429 is [`Throttled`](Retry::Throttled), every other
    /// status is [`Never`](Retry::Never).
    ///
    /// ```
    /// use apierror::Retry;
    /// use http::StatusCode;
    ///
    /// assert_eq!(Retry::for_status(StatusCode::SERVICE_UNAVAILABLE), Retry::Backoff);
    /// assert_eq!(Retry::for_status(StatusCode::TOO_MANY_REQUESTS), Retry::Throttled);
    /// assert_eq!(Retry::for_status(StatusCode::NOT_FOUND), Retry::Never);
    /// ```
    pub const fn for_status(status: StatusCode) -> Self {
        match status.as_u16() {
            408 | 425 | 500 | 502 | 503 | 504 => Retry::Backoff,
            429 => Retry::Throttled,
            _ => Retry::Never,
        }
    }

    /// The class's name, as the catalogue and the OpenAPI `x-retry` extension write it:
    /// `never`, `backoff`, `throttled` or `reauthenticate`.
    ///
    /// ```
    /// assert_eq!(apierror::Retry::Throttled.as_str(), "throttled");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Retry::Never => "never",
            Retry::Backoff => "backoff",
            Retry::Throttled => "throttled",
            Retry::Reauthenticate => "reauthenticate",
        }
    }

    /// Whether a call that failed with this class may be attempted again.
    pub const fn is_retryable(self) -> bool {
        !matches!(self, Retry::Never)
    }
}
