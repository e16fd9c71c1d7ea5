//! Retry hints as vendors write them: in a header or a body member, in one of several
//! units, each read leniently and clamped like `Retry-After`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::retry_after::{MAX_RETRY_AFTER, RetryAfter};

/// How a vendor writes a retry hint.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use apierror::retry::{HintUnit, RetryAfter};
///
/// let secs = |s| Some(RetryAfter::Delay(Duration::from_secs_f64(s)));
/// assert_eq!(HintUnit::Seconds.parse("64.57"), secs(64.57));
/// assert_eq!(HintUnit::Milliseconds.parse("1500"), secs(1.5));
/// assert_eq!(HintUnit::ProtoDuration.parse("30s"), secs(30.0));
/// assert_eq!(HintUnit::ProtoDuration.parse("1.5s"), secs(1.5));
/// assert_eq!(
///     HintUnit::UnixTime.parse("1735689645"),
///     Some(RetryAfter::At(UNIX_EPOCH + Duration::from_secs(1_735_689_645)))
/// );
/// assert_eq!(HintUnit::Seconds.parse("-1"), None);
/// assert_eq!(HintUnit::Seconds.parse("soon"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HintUnit {
    /// As `Retry-After`: delta-seconds or an HTTP-date.
    RetryAfter,
    /// Seconds from now, whole or fractional (`30`, `64.57`).
    Seconds,
    /// Milliseconds from now, whole or fractional (`1500`).
    Milliseconds,
    /// A Unix time in seconds, whole or fractional (`1735689600`).
    UnixTime,
    /// A protobuf `Duration` in its JSON form (`"30s"`, `"1.5s"`; google.rpc.RetryInfo).
    ProtoDuration,
    /// An HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`).
    HttpDate,
}

impl HintUnit {
    /// The unit a declaration names: `retry_after`, `seconds`, `ms`, `unix`,
    /// `duration` or `http_date`.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "retry_after" => HintUnit::RetryAfter,
            "seconds" => HintUnit::Seconds,
            "ms" => HintUnit::Milliseconds,
            "unix" => HintUnit::UnixTime,
            "duration" => HintUnit::ProtoDuration,
            "http_date" => HintUnit::HttpDate,
            _ => return None,
        })
    }

    /// The names [`from_name`](Self::from_name) knows, for messages.
    pub const NAMES: [&'static str; 6] = [
        "retry_after",
        "seconds",
        "ms",
        "unix",
        "duration",
        "http_date",
    ];

    /// Reads a hint written in this unit, with surrounding whitespace. Anything else (a
    /// negative or non-finite number, text of another unit) is `None`; a delay is clamped
    /// to [`MAX_RETRY_AFTER`], never an error, however large.
    pub fn parse(self, text: &str) -> Option<RetryAfter> {
        let text = text.trim();
        match self {
            HintUnit::RetryAfter => RetryAfter::parse(text),
            HintUnit::Seconds => seconds(text, false).map(RetryAfter::Delay),
            HintUnit::Milliseconds => seconds(text, true).map(RetryAfter::Delay),
            HintUnit::ProtoDuration => {
                seconds(text.strip_suffix('s')?, false).map(RetryAfter::Delay)
            }
            HintUnit::UnixTime => {
                let since = number(text)?;
                // Past the longest delay ahead of any plausible clock, still a time: the
                // delay it gives is clamped when measured.
                let since = Duration::try_from_secs_f64(since).unwrap_or(Duration::MAX);
                Some(RetryAfter::At(
                    UNIX_EPOCH.checked_add(since).unwrap_or(far_future()),
                ))
            }
            HintUnit::HttpDate => httpdate::parse_http_date(text).ok().map(RetryAfter::At),
        }
    }
}

/// What an enum's declaration says about retry signals beyond `Retry-After` and the
/// rate-limit headers, which are always read: another header that holds the hint, and a
/// header that says whether to retry at all. Written by the derive from
/// `#[api_error(retry(header = "…", unit = "…", should_retry = "…"))]`.
///
/// ```
/// use apierror::retry::{HintUnit, RetrySignals};
///
/// // Stripe: `Stripe-Should-Retry: true|false` overrides the status's class.
/// const STRIPE: RetrySignals = RetrySignals::NONE.with_should_retry("stripe-should-retry");
/// // A vendor that sends the delay in milliseconds.
/// const MS: RetrySignals = RetrySignals::NONE.with_header("x-retry-after-ms", HintUnit::Milliseconds);
/// assert!(STRIPE.header.is_none() && MS.should_retry.is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RetrySignals {
    /// A header holding the hint (lower-case name), and its unit. The later of it and
    /// `Retry-After` (and a body hint) is waited for.
    pub header: Option<(&'static str, HintUnit)>,
    /// A header (lower-case name) whose `true` makes a response retryable that the
    /// status alone would not retry, and whose `false` makes any response not retried.
    pub should_retry: Option<&'static str>,
}

impl RetrySignals {
    /// No signals beyond the standard headers.
    pub const NONE: RetrySignals = RetrySignals {
        header: None,
        should_retry: None,
    };

    /// These signals, with `name` holding the hint in `unit`.
    #[must_use]
    pub const fn with_header(mut self, name: &'static str, unit: HintUnit) -> Self {
        self.header = Some((name, unit));
        self
    }

    /// These signals, with `name` saying whether to retry.
    #[must_use]
    pub const fn with_should_retry(mut self, name: &'static str) -> Self {
        self.should_retry = Some(name);
        self
    }

    /// Whether there is anything to read.
    pub const fn is_none(&self) -> bool {
        self.header.is_none() && self.should_retry.is_none()
    }

    /// The hint the declared header holds, if any.
    pub fn header_hint(&self, headers: &http::HeaderMap) -> Option<RetryAfter> {
        let (name, unit) = self.header?;
        unit.parse(headers.get(name)?.to_str().ok()?)
    }

    /// What the declared header says about retrying: `true`/`false` (any case, trimmed);
    /// anything else is no answer.
    pub fn should_retry(&self, headers: &http::HeaderMap) -> Option<bool> {
        let value = headers.get(self.should_retry?)?.to_str().ok()?.trim();
        if value.eq_ignore_ascii_case("true") {
            Some(true)
        } else if value.eq_ignore_ascii_case("false") {
            Some(false)
        } else {
            None
        }
    }
}

/// A delay written in a unit: what a declared `{retry_after:…}` placeholder holds on the
/// wire. Seconds and milliseconds are numbers (whole when they are), a Unix time is whole
/// seconds (rounded up), a protobuf Duration is `"30s"`/`"1.5s"`, `retry_after` is
/// delta-seconds as text (rounded up), and an HTTP-date is the time the delay ends.
pub(crate) struct HintText(pub(crate) Duration, pub(crate) HintUnit);

impl serde::Serialize for HintText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let HintText(delay, unit) = *self;
        let ceil_secs = delay
            .as_secs()
            .saturating_add(u64::from(delay.subsec_nanos() > 0));
        match unit {
            HintUnit::Seconds if delay.subsec_nanos() == 0 => {
                serializer.serialize_u64(delay.as_secs())
            }
            HintUnit::Seconds => serializer.serialize_f64(delay.as_secs_f64()),
            HintUnit::Milliseconds if delay.subsec_nanos() % 1_000_000 == 0 => {
                serializer.serialize_u64(u64::try_from(delay.as_millis()).unwrap_or(u64::MAX))
            }
            HintUnit::Milliseconds => serializer.serialize_f64(delay.as_secs_f64() * 1e3),
            HintUnit::UnixTime => {
                let at = SystemTime::now().checked_add(delay).unwrap_or(far_future());
                let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
                serializer.serialize_u64(
                    since
                        .as_secs()
                        .saturating_add(u64::from(since.subsec_nanos() > 0)),
                )
            }
            HintUnit::ProtoDuration => {
                let nanos = delay.subsec_nanos();
                if nanos == 0 {
                    serializer.collect_str(&format_args!("{}s", delay.as_secs()))
                } else {
                    let fraction = format!("{nanos:09}");
                    serializer.collect_str(&format_args!(
                        "{}.{}s",
                        delay.as_secs(),
                        fraction.trim_end_matches('0')
                    ))
                }
            }
            HintUnit::RetryAfter => serializer.collect_str(&ceil_secs),
            HintUnit::HttpDate => {
                let at = SystemTime::now().checked_add(delay).unwrap_or(far_future());
                serializer.collect_str(&httpdate::fmt_http_date(at))
            }
        }
    }
}

/// A time no clock reaches; its delay is clamped to [`MAX_RETRY_AFTER`].
pub(crate) fn far_future() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::from(u32::MAX) * 64)
}

/// A non-negative finite decimal number (JSON's grammar, or a leading `+`-free plain
/// decimal): no hex, no `inf`, no `NaN`.
fn number(text: &str) -> Option<f64> {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && text.as_bytes()[0].is_ascii_digit();
    if !plain {
        return None;
    }
    text.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)
}

/// `text` as a number of seconds (of milliseconds with `millis`), clamped to
/// [`MAX_RETRY_AFTER`].
fn seconds(text: &str, millis: bool) -> Option<Duration> {
    // A whole number, the common case, without a float parse.
    if !text.is_empty() && text.len() <= 18 && text.bytes().all(|b| b.is_ascii_digit()) {
        let whole: u64 = text.parse().ok()?;
        let delay = if millis {
            Duration::from_millis(whole)
        } else {
            Duration::from_secs(whole)
        };
        return Some(delay.min(MAX_RETRY_AFTER));
    }
    let seconds = number(text)? * if millis { 1e-3 } else { 1.0 };
    let max = MAX_RETRY_AFTER.as_secs_f64();
    Some(if seconds >= max {
        MAX_RETRY_AFTER
    } else {
        Duration::from_secs_f64(seconds)
    })
}

/// The later of two hints, as seen at `now`: a client never retries before either.
pub(crate) fn later(
    a: Option<RetryAfter>,
    b: Option<RetryAfter>,
    now: SystemTime,
) -> Option<RetryAfter> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.delay_from(now) > a.delay_from(now) {
            b
        } else {
            a
        }),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_reads_leniently_and_clamps() {
        let delay = |d: Duration| Some(RetryAfter::Delay(d));
        assert_eq!(
            HintUnit::Seconds.parse(" 30 "),
            delay(Duration::from_secs(30))
        );
        assert_eq!(
            HintUnit::Seconds.parse("1e3"),
            delay(Duration::from_secs(1000))
        );
        assert_eq!(HintUnit::Seconds.parse("1e400"), None);
        assert_eq!(
            HintUnit::Seconds.parse("99999999999999999999"),
            delay(MAX_RETRY_AFTER)
        );
        assert_eq!(HintUnit::Seconds.parse("NaN"), None);
        assert_eq!(HintUnit::Seconds.parse("inf"), None);
        assert_eq!(HintUnit::Seconds.parse("0x10"), None);
        assert_eq!(HintUnit::Seconds.parse(""), None);
        assert_eq!(
            HintUnit::Milliseconds.parse("250"),
            delay(Duration::from_millis(250))
        );
        assert_eq!(
            HintUnit::ProtoDuration.parse("0.5s"),
            delay(Duration::from_millis(500))
        );
        assert_eq!(HintUnit::ProtoDuration.parse("30"), None);
        assert_eq!(HintUnit::ProtoDuration.parse("s"), None);
        assert_eq!(
            HintUnit::RetryAfter.parse("120"),
            delay(Duration::from_secs(120))
        );
        assert!(matches!(
            HintUnit::HttpDate.parse("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(RetryAfter::At(_))
        ));
        assert_eq!(HintUnit::HttpDate.parse("30"), None);
        let far = HintUnit::UnixTime.parse("1e300").unwrap();
        assert_eq!(far.delay_from(SystemTime::now()), MAX_RETRY_AFTER);
        for name in HintUnit::NAMES {
            assert!(HintUnit::from_name(name).is_some(), "{name}");
        }
    }

    #[test]
    fn the_later_hint_wins() {
        let now = UNIX_EPOCH + Duration::from_secs(1000);
        let short = Some(RetryAfter::Delay(Duration::from_secs(5)));
        let long = Some(RetryAfter::At(now + Duration::from_secs(30)));
        assert_eq!(later(short, long, now), long);
        assert_eq!(later(long, short, now), long);
        assert_eq!(later(None, short, now), short);
        assert_eq!(later(short, None, now), short);
    }
}
