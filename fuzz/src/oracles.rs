//! What the documentation promises about response metadata, checked against what the
//! runtime read: request ids, `Retry-After`, rate limits, the kept body.

use std::time::Duration;

use apierror::decode::{KEPT_BODY_BYTES, KEPT_TEXT_BYTES, ResponseMeta};
use apierror::format::RawEnvelope;
use apierror::http::{HeaderMap, StatusCode, header};
use apierror::retry::{MAX_RETRY_AFTER, RateLimit, RetryAfter};

use super::known_bugs::{KnownBug, tolerated};

/// The request id the headers name: `X-Request-Id`, `Request-Id` or
/// `X-Amzn-RequestId`, in that order, the first occurrence of each, skipping values
/// that are not text.
pub fn header_request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "request-id", "x-amzn-requestid"]
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
        .map(str::to_owned)
}

/// The `Retry-After` hint: the first `Retry-After` header, if it parses.
pub fn retry_after(headers: &HeaderMap) -> Option<RetryAfter> {
    headers
        .get(header::RETRY_AFTER)
        .and_then(RetryAfter::from_header)
}

/// `text` cut to at most `bound` bytes at a character boundary, as the runtime keeps
/// received text.
pub fn kept(text: &str, bound: usize) -> String {
    let mut end = text.len().min(bound);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

/// One text part of what a body said.
type Part = for<'r> fn(&'r RawEnvelope<'_>) -> Option<&'r str>;

/// Checks metadata read from a response: its status, the start of the body, the
/// `Retry-After` and rate-limit headers, the request id (a header's, else the body's),
/// and what the body said (`raw`: what the decoder's format read of it), each bounded.
pub fn check_meta(
    meta: &ResponseMeta,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    raw: Option<&RawEnvelope<'_>>,
) {
    assert_eq!(meta.status, status);
    assert!(meta.body.len() <= KEPT_BODY_BYTES);
    assert_eq!(meta.body, body[..body.len().min(KEPT_BODY_BYTES)]);
    assert_eq!(meta.retry_after, retry_after(headers));
    if let Some(RetryAfter::Delay(delay)) = meta.retry_after {
        assert!(
            delay <= MAX_RETRY_AFTER,
            "Retry-After {delay:?} over the cap"
        );
    }
    assert_eq!(meta.rate_limit, RateLimit::from_headers(headers));
    check_rate_limit(headers, meta.rate_limit);
    let said =
        |part: Part, bound: usize| raw.and_then(|raw| part(raw)).map(|text| kept(text, bound));
    let request_id = header_request_id(headers)
        .map(|id| kept(&id, KEPT_TEXT_BYTES))
        .or_else(|| said(|raw| raw.request_id.as_deref(), KEPT_TEXT_BYTES));
    assert_eq!(meta.request_id, request_id, "request id");
    assert_eq!(meta.code, said(|raw| raw.code.as_deref(), KEPT_TEXT_BYTES));
    assert_eq!(
        meta.message,
        said(|raw| raw.message.as_deref(), KEPT_BODY_BYTES)
    );
    assert_eq!(
        meta.timestamp,
        said(|raw| raw.timestamp.as_deref(), KEPT_TEXT_BYTES)
    );
}

const X_PREFIXED: [&str; 3] = [
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
];
const BARE: [&str; 3] = ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"];

/// The number the first occurrence of `name` holds, if it holds one.
fn number(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// A reset, in seconds, as a delay: larger than 10⁹ is a Unix time and is ignored.
const UNIX_TIME_FROM: u64 = 1_000_000_000;

/// Checks `RateLimit::from_headers` against its documentation: `None` without any
/// rate-limit header and never an empty `Some`; `X-RateLimit-*` wins over `RateLimit-*`;
/// a reset is a delay of at most 10⁹ s (and, once the known bug is fixed, at most
/// `MAX_RETRY_AFTER`).
pub fn check_rate_limit(headers: &HeaderMap, read: Option<RateLimit>) {
    let present = X_PREFIXED
        .iter()
        .chain(&BARE)
        .chain(&["ratelimit"])
        .any(|name| headers.contains_key(*name));
    if !present {
        assert_eq!(read, None, "a rate limit without rate-limit headers");
    }
    let Some(read) = read else {
        // Nothing read: no header held a limit, a remaining count or a reset (a delay or
        // a Unix time).
        for name in [
            X_PREFIXED[0],
            X_PREFIXED[1],
            BARE[0],
            BARE[1],
            X_PREFIXED[2],
            BARE[2],
        ] {
            assert_eq!(number(headers, name), None, "{name} ignored");
        }
        return;
    };
    assert_ne!(read, RateLimit::default(), "an empty Some");
    for (index, field) in [read.limit, read.remaining].into_iter().enumerate() {
        let expected = number(headers, X_PREFIXED[index]).or_else(|| number(headers, BARE[index]));
        if expected.is_some() {
            assert_eq!(field, expected, "{} / {}", X_PREFIXED[index], BARE[index]);
        }
    }
    if let Some(reset) = read.reset {
        assert!(
            reset <= Duration::from_secs(UNIX_TIME_FROM),
            "reset {reset:?} is a Unix time"
        );
        if !tolerated(KnownBug::RateLimitResetUnclamped) {
            assert!(reset <= MAX_RETRY_AFTER, "reset {reset:?} not clamped");
        }
    }
    let first_reset = number(headers, X_PREFIXED[2]).or_else(|| number(headers, BARE[2]));
    if let Some(seconds) = first_reset
        && Duration::from_secs(seconds) <= MAX_RETRY_AFTER
    {
        assert_eq!(read.reset, Some(Duration::from_secs(seconds)), "reset");
    }
    // A reset past 10⁹ seconds is a Unix time, kept as one; never both kinds.
    assert!(
        read.reset.is_none() || read.reset_at.is_none(),
        "two resets"
    );
    if let Some(seconds) = first_reset
        && seconds > UNIX_TIME_FROM
    {
        let at = read.reset_at.expect("a Unix-time reset is kept");
        if let Some(exact) = std::time::UNIX_EPOCH.checked_add(Duration::from_secs(seconds)) {
            assert_eq!(at, exact, "reset_at");
        }
        assert_eq!(
            read.exhausted_until().is_some(),
            read.remaining == Some(0),
            "exhausted"
        );
    }
}
