//! A failed attempt, as the retry machinery sees it: its class and what the server
//! signalled. Layer 0 (status, retry class and header parsing only), so that the
//! `ApiError` trait's classify hook can name it.

use http::{HeaderMap, StatusCode};

use crate::hint::rate_limit::RateLimit;
use crate::hint::retry_after::RetryAfter;
use crate::retry_class::Retry;

/// A failed attempt, as the retry machinery sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Failure {
    /// How to react.
    pub class: Retry,
    /// The server's hint: `Retry-After`, or for a 429 a rate-limit reset with no requests
    /// remaining.
    pub retry_after: Option<RetryAfter>,
    /// Whether the request may have reached the server. A request that provably did not
    /// (the connection was refused) is safe to repeat whatever its method.
    pub sent: bool,
}

impl Failure {
    /// A failure of class `class`, without a hint, that may have reached the server.
    pub const fn new(class: Retry) -> Self {
        Failure {
            class,
            retry_after: None,
            sent: true,
        }
    }

    /// Sets the server's hint.
    #[must_use]
    pub const fn with_retry_after(mut self, hint: Option<RetryAfter>) -> Self {
        self.retry_after = hint;
        self
    }

    /// Sets whether the request may have reached the server (`false`: it provably did
    /// not, so it is safe to repeat whatever its method).
    #[must_use]
    pub const fn with_sent(mut self, sent: bool) -> Self {
        self.sent = sent;
        self
    }

    /// The failure an error status means by default ([`Retry::for_status`]), with the
    /// hint its headers give.
    pub fn for_status(status: StatusCode, headers: &HeaderMap) -> Self {
        let retry_after = headers
            .get(http::header::RETRY_AFTER)
            .and_then(RetryAfter::from_header);
        Failure::signalled(
            Retry::for_status(status),
            false,
            retry_after,
            RateLimit::from_headers(headers),
        )
    }

    /// A failure of `class` with what the server signalled: its `Retry-After`, else (for
    /// a throttled failure) an exhausted rate limit's reset. A failure the status alone
    /// would not retry ([`Retry::Never`]) is [`Retry::Throttled`] when the server sent
    /// either signal (GitHub's 403 with `x-ratelimit-remaining: 0`, or with
    /// `retry-after: 60`): the server said when to come back. `pinned` (a variant's
    /// `#[retryable(false)]`) keeps the class as it is.
    pub fn signalled(
        class: Retry,
        pinned: bool,
        retry_after: Option<RetryAfter>,
        limit: Option<RateLimit>,
    ) -> Self {
        let exhausted = limit.and_then(|limit| limit.exhausted_until());
        let class = if class == Retry::Never && !pinned && (retry_after.or(exhausted)).is_some() {
            Retry::Throttled
        } else {
            class
        };
        let hint = retry_after.or(exhausted.filter(|_| class == Retry::Throttled));
        Failure::new(class).with_retry_after(hint)
    }

    /// This failure as a should-retry header has it (Stripe's `Stripe-Should-Retry`):
    /// `false` is never retried; `true` retries (with backoff) what would not be, unless
    /// `pinned` (the variant's `#[retryable(false)]`).
    #[must_use]
    pub const fn with_should_retry(mut self, should_retry: Option<bool>, pinned: bool) -> Self {
        match should_retry {
            Some(false) => self.class = Retry::Never,
            Some(true) if !pinned && matches!(self.class, Retry::Never) => {
                self.class = Retry::Backoff;
            }
            _ => {}
        }
        self
    }
}
