//! The `headers` target: `Retry-After` parsing and delays from any clock, and the
//! response metadata (request ids, `Retry-After`, rate limits) read from any headers.
//!
//! Byte layout:
//!
//! ```text
//! [0]      control: low nibble = header count (0..=15), bit 4 = body with a request id
//! [1..9]   now: i64 big-endian seconds from the Unix epoch (negative: before it)
//! [9..13]  now's nanoseconds (mod 10⁹)
//! ...      headers: per header [name index into HEADER_NAMES][len][len bytes]
//! ...      the rest: one Retry-After value, as raw bytes
//! ```

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use apierror::decode::ResponseMeta;
use apierror::format::Format;
use apierror::format::Nested;
use apierror::http::{HeaderValue, StatusCode, header};
use apierror::retry::{HintUnit, MAX_RETRY_AFTER, RateLimit, RetryAfter, RetrySignals};

use super::input::{self, Bytes};
use super::oracles;

/// A `nested` body naming a request id.
const BODY_WITH_ID: &[u8] = br#"{"error":{"code":"c","message":"m","request_id":"from-body"}}"#;

/// The target.
pub fn run(data: &[u8]) {
    let mut bytes = Bytes::new(data);
    let control = bytes.u8();
    let seconds = i64::from_be_bytes(bytes.u64().to_be_bytes());
    let now = clock(seconds, bytes.u32() % 1_000_000_000);
    let headers = input::headers(&mut bytes, usize::from(control & 0x0f));
    let value = bytes.rest();

    check_parse(&String::from_utf8_lossy(value), now);
    check_units(&String::from_utf8_lossy(value), now);
    if let Ok(value) = HeaderValue::from_bytes(value) {
        let hint = RetryAfter::from_header(&value);
        assert_eq!(hint, value.to_str().ok().and_then(RetryAfter::parse));
        if let Some(hint) = hint {
            check_delay(hint, now);
        }
    }
    for value in headers.get_all(header::RETRY_AFTER) {
        if let Some(hint) = RetryAfter::from_header(value) {
            check_delay(hint, now);
        }
    }

    let body: &[u8] = if control & 0x10 == 0 {
        b""
    } else {
        BODY_WITH_ID
    };
    let status = StatusCode::TOO_MANY_REQUESTS;
    let meta = ResponseMeta::read(status, &headers, body);
    let raw = Nested::decode(body).ok();
    oracles::check_meta(&meta, status, &headers, body, raw.as_ref());
    oracles::check_rate_limit(&headers, RateLimit::from_headers(&headers));
}

/// Every declared hint unit reads any text without panicking, clamps a delay like
/// `Retry-After`, and agrees with `Retry-After` where it is one; a should-retry header is
/// `true`, `false` or no answer.
fn check_units(text: &str, now: SystemTime) {
    for name in HintUnit::NAMES {
        let unit = HintUnit::from_name(name).expect("a known unit");
        let hint = unit.parse(text);
        if let Some(hint) = hint {
            check_delay(hint, now);
            if let RetryAfter::Delay(delay) = hint {
                assert!(delay <= MAX_RETRY_AFTER, "{name}: {delay:?} not clamped");
            }
        }
        if unit == HintUnit::RetryAfter {
            assert_eq!(hint, RetryAfter::parse(text), "retry_after is Retry-After");
        }
    }
    if let Ok(value) = HeaderValue::from_str(text) {
        let mut headers = apierror::http::HeaderMap::new();
        headers.insert("x-should-retry", value);
        let answer = RetrySignals::NONE
            .with_should_retry("x-should-retry")
            .should_retry(&headers);
        let trimmed = text.trim();
        let expected = if trimmed.eq_ignore_ascii_case("true") {
            Some(true)
        } else if trimmed.eq_ignore_ascii_case("false") {
            Some(false)
        } else {
            None
        };
        assert_eq!(answer, expected, "should-retry {text:?}");
    }
}

/// The Unix epoch moved by `seconds` and `nanos`, or the epoch when that is not a time.
fn clock(seconds: i64, nanos: u32) -> SystemTime {
    let offset = Duration::new(seconds.unsigned_abs(), nanos);
    let moved = if seconds < 0 {
        UNIX_EPOCH.checked_sub(offset)
    } else {
        UNIX_EPOCH.checked_add(offset)
    };
    moved.unwrap_or(UNIX_EPOCH)
}

/// `RetryAfter::parse` as documented: digits (after trimming) are a delay, saturating
/// and capped at one day; nothing else is a delay.
fn check_parse(text: &str, now: SystemTime) {
    let hint = RetryAfter::parse(text);
    let trimmed = text.trim();
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        let seconds = trimmed.parse::<u64>().unwrap_or(u64::MAX);
        let expected = Duration::from_secs(seconds).min(MAX_RETRY_AFTER);
        assert_eq!(hint, Some(RetryAfter::Delay(expected)), "{trimmed:?}");
    } else {
        assert!(
            !matches!(hint, Some(RetryAfter::Delay(_))),
            "{text:?} is not delta-seconds, yet {hint:?}"
        );
    }
    if let Some(hint) = hint {
        check_delay(hint, now);
    }
}

/// `delay_from`: never above the cap, zero for a date already past.
fn check_delay(hint: RetryAfter, now: SystemTime) {
    let delay = hint.delay_from(now);
    assert!(delay <= MAX_RETRY_AFTER, "{hint:?} from {now:?}: {delay:?}");
    match hint {
        RetryAfter::Delay(wait) => {
            assert!(wait <= MAX_RETRY_AFTER);
            assert_eq!(delay, wait);
        }
        RetryAfter::At(at) => {
            let expected = at
                .duration_since(now)
                .unwrap_or(Duration::ZERO)
                .min(MAX_RETRY_AFTER);
            assert_eq!(delay, expected);
        }
    }
}
