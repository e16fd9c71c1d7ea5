//! Rate-limit headers: `X-RateLimit-*`, `RateLimit-*`, and the structured `RateLimit`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::retry_after::{MAX_RETRY_AFTER, RetryAfter};

use http::{HeaderMap, HeaderValue};

/// What a response said about the client's quota. Each part is optional: servers send
/// different subsets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed in the window.
    pub limit: Option<u64>,
    /// Requests left in the window.
    pub remaining: Option<u64>,
    /// Time until the window resets, clamped like `Retry-After` to [`MAX_RETRY_AFTER`].
    pub reset: Option<Duration>,
    /// When the window resets, for a reset sent as a Unix time (GitHub's
    /// `x-ratelimit-reset: 1735689600`): a value above 10⁹ seconds is read as one.
    pub reset_at: Option<SystemTime>,
}

impl RateLimit {
    /// A quota with the given parts (each optional: servers send different subsets);
    /// `reset` is clamped to [`MAX_RETRY_AFTER`].
    pub fn new(limit: Option<u64>, remaining: Option<u64>, reset: Option<Duration>) -> Self {
        RateLimit {
            limit,
            remaining,
            reset: reset.map(|reset| reset.min(MAX_RETRY_AFTER)),
            reset_at: None,
        }
    }

    /// The same quota, resetting at `at` (a Unix time as sent).
    #[must_use]
    pub fn with_reset_at(mut self, at: SystemTime) -> Self {
        self.reset_at = Some(at);
        self
    }

    /// When the window resets, as a hint: the delay, else the time.
    pub fn reset_hint(&self) -> Option<RetryAfter> {
        self.reset
            .map(RetryAfter::Delay)
            .or(self.reset_at.map(RetryAfter::At))
    }

    /// The reset, when no request is left in the window: how long every caller must
    /// wait, whatever the response's status.
    pub fn exhausted_until(&self) -> Option<RetryAfter> {
        (self.remaining == Some(0))
            .then(|| self.reset_hint())
            .flatten()
    }

    /// Reads the headers, or `None` when there are none. Recognised:
    /// `X-RateLimit-Limit`/`-Remaining`/`-Reset`, `RateLimit-Limit`/`-Remaining`/`-Reset`,
    /// and the structured `RateLimit: limit=10, remaining=0, reset=30` and
    /// `RateLimit: "default";r=0;t=30` forms. A reset larger than 10⁹ is a Unix time
    /// ([`reset_at`](Self::reset_at)); a smaller one is a delay.
    ///
    /// ```
    /// use apierror::retry::RateLimit;
    /// use http::{HeaderMap, HeaderValue};
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert("x-ratelimit-remaining", "0".parse().unwrap());
    /// headers.insert("x-ratelimit-reset", "30".parse().unwrap());
    /// let limit = RateLimit::from_headers(&headers).unwrap();
    /// assert_eq!(limit.remaining, Some(0));
    /// assert_eq!(limit.reset, Some(std::time::Duration::from_secs(30)));
    /// ```
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let mut scan = RateLimitScan::default();
        for (name, value) in headers {
            scan.offer(name.as_str(), value);
        }
        scan.finish()
    }
}

/// Collects rate-limit headers during one pass over a response's headers.
///
/// `X-RateLimit-*` wins over `RateLimit-*`, and either over the structured `RateLimit`.
#[derive(Default)]
pub(crate) struct RateLimitScan<'a> {
    x_prefixed: [Option<&'a HeaderValue>; 3],
    bare: [Option<&'a HeaderValue>; 3],
    structured: Option<&'a HeaderValue>,
}

impl<'a> RateLimitScan<'a> {
    /// Keeps `value` if `name` (lowercase, as `HeaderName` stores it) is a rate-limit
    /// header; the first occurrence of each wins.
    pub(crate) fn offer(&mut self, name: &str, value: &'a HeaderValue) {
        let slot = match name {
            "x-ratelimit-limit" => &mut self.x_prefixed[0],
            "x-ratelimit-remaining" => &mut self.x_prefixed[1],
            "x-ratelimit-reset" => &mut self.x_prefixed[2],
            "ratelimit-limit" => &mut self.bare[0],
            "ratelimit-remaining" => &mut self.bare[1],
            "ratelimit-reset" => &mut self.bare[2],
            "ratelimit" => &mut self.structured,
            _ => return,
        };
        slot.get_or_insert(value);
    }

    pub(crate) fn finish(self) -> Option<RateLimit> {
        if self
            .x_prefixed
            .iter()
            .chain(&self.bare)
            .all(Option::is_none)
            && self.structured.is_none()
        {
            return None;
        }
        let number = |index: usize| {
            [self.x_prefixed[index], self.bare[index]]
                .into_iter()
                .flatten()
                .find_map(|v| v.to_str().ok()?.trim().parse::<u64>().ok())
        };
        let (reset, reset_at) = split_reset(number(2));
        let mut limit = RateLimit {
            limit: number(0),
            remaining: number(1),
            reset,
            reset_at,
        };
        if let Some(structured) = self.structured.and_then(|v| v.to_str().ok()) {
            limit.merge_structured(structured);
        }
        (limit != RateLimit::default()).then_some(limit)
    }
}

impl RateLimit {
    fn merge_structured(&mut self, value: &str) {
        for part in value.split([',', ';']) {
            let Some((key, number)) = part.split_once('=') else {
                continue;
            };
            let Ok(number) = number.trim().trim_matches('"').parse::<u64>() else {
                continue;
            };
            match key.trim().to_ascii_lowercase().as_str() {
                "limit" | "l" => self.limit = self.limit.or(Some(number)),
                "remaining" | "r" => self.remaining = self.remaining.or(Some(number)),
                "reset" | "t" if self.reset.is_none() && self.reset_at.is_none() => {
                    (self.reset, self.reset_at) = split_reset(Some(number));
                }
                _ => {}
            }
        }
    }
}

/// A reset in seconds: up to 10⁹ a delay, clamped like `Retry-After` to
/// [`MAX_RETRY_AFTER`]; above, a Unix time (10⁹ seconds is 2001: no window is that long).
fn split_reset(seconds: Option<u64>) -> (Option<Duration>, Option<SystemTime>) {
    match seconds {
        Some(seconds) if seconds <= 1_000_000_000 => (
            Some(Duration::from_secs(seconds).min(MAX_RETRY_AFTER)),
            None,
        ),
        // A time past what the clock can hold is as far as it goes: its delay is clamped.
        Some(seconds) => (
            None,
            Some(
                UNIX_EPOCH
                    .checked_add(Duration::from_secs(seconds))
                    .unwrap_or_else(super::signals::far_future),
            ),
        ),
        None => (None, None),
    }
}
