//! Vendors' retry signals, with no wrapper: the decoded error goes to the driver as it is,
//! on a manual clock, over scripted responses.

use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use apierror::http::{HeaderMap, HeaderValue, StatusCode};
use apierror::retry::{
    Classify, Clock, Idempotency, ManualClock, ManualSleep, RateLimit, RetryDriver, RetryPolicy,
    SplitMix64, StopReason,
};
use apierror::{ApiError, Decoded, Retry, Unknown};
use apierror_examples::vendors::github::GitHubError;

use crate::support::block_on;

/// A clock at a fixed wall time (2025-01-01T00:00:00Z), and a sleep that advances it.
fn clock() -> (ManualClock, ManualSleep) {
    let clock = ManualClock::starting_at(UNIX_EPOCH + Duration::from_secs(1_735_689_600));
    let sleep = ManualSleep::new(clock.clone());
    (clock, sleep)
}

fn headers(pairs: &[(&'static str, String)]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in pairs {
        headers.insert(*name, HeaderValue::from_str(value).unwrap());
    }
    headers
}

fn epoch(at: SystemTime) -> String {
    at.duration_since(UNIX_EPOCH).unwrap().as_secs().to_string()
}

const RATE_LIMITED: &str = r#"{"message":"API rate limit exceeded for 203.0.113.7.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api","status":"403"}"#;

/// Runs a GET whose first attempt gets `first` (status, headers) and whose second
/// succeeds: what the sleep waited, and how the call ended.
fn github_then_ok(
    clock: &ManualClock,
    sleep: &ManualSleep,
    first: impl Fn() -> (u16, HeaderMap),
) -> Result<u32, StopReason> {
    let driver = RetryDriver::new(RetryPolicy::new(), sleep.clone())
        .with_clock(clock.clone())
        .with_rng(SplitMix64::new(4));
    let seen = Mutex::new(0);
    block_on(driver.run(Idempotency::Idempotent, |attempt| {
        *seen.lock().unwrap() += 1;
        let response = (attempt == 1).then(&first);
        async move {
            match response {
                Some((status, headers)) => Err(Decoded::<GitHubError>::from_response(
                    StatusCode::from_u16(status).unwrap(),
                    &headers,
                    RATE_LIMITED.as_bytes(),
                )
                .unwrap()),
                None => Ok(attempt),
            }
        }
    }))
    .map_err(|e| e.reason())
}

#[test]
fn github_primary_limit_403_waits_until_the_reset() {
    let (clock, sleep) = clock();
    let reset = clock.system_now() + Duration::from_secs(45);
    let first = || {
        (
            403,
            headers(&[
                ("x-ratelimit-limit", "5000".into()),
                ("x-ratelimit-remaining", "0".into()),
                ("x-ratelimit-reset", epoch(reset)),
            ]),
        )
    };
    assert_eq!(github_then_ok(&clock, &sleep, first), Ok(2));
    // Exactly until the reset: the hint is a lower bound, and the first backoff (1 s) is
    // below it.
    assert_eq!(sleep.slept(), [Duration::from_secs(45)]);
}

#[test]
fn github_secondary_limit_403_waits_its_retry_after() {
    let (clock, sleep) = clock();
    let first = || (403, headers(&[("retry-after", "60".into())]));
    assert_eq!(github_then_ok(&clock, &sleep, first), Ok(2));
    assert_eq!(sleep.slept(), [Duration::from_secs(60)]);
}

#[test]
fn github_reset_past_the_policys_cap_stops_and_says_when() {
    let (clock, sleep) = clock();
    let reset = clock.system_now() + Duration::from_secs(40 * 60);
    let driver = RetryDriver::new(RetryPolicy::new(), sleep.clone())
        .with_clock(clock.clone())
        .with_rng(SplitMix64::new(4));
    let error = block_on(driver.run(Idempotency::Idempotent, |_| {
        let headers = headers(&[
            ("x-ratelimit-remaining", "0".into()),
            ("x-ratelimit-reset", epoch(reset)),
        ]);
        async move {
            Err::<(), _>(
                Decoded::<GitHubError>::from_response(
                    StatusCode::FORBIDDEN,
                    &headers,
                    RATE_LIMITED.as_bytes(),
                )
                .unwrap(),
            )
        }
    }))
    .unwrap_err();
    assert_eq!(
        error.reason(),
        StopReason::RetryAfterTooLong(Duration::from_secs(40 * 60))
    );
    assert_eq!(error.resumes_at(), Some(reset));
    assert!(sleep.slept().is_empty());
    // Every later call is held back by the gate, and stops at once too.
    clock.advance(Duration::from_secs(60));
    let later = block_on(driver.run(Idempotency::Idempotent, |_| async {
        Ok::<(), Decoded<GitHubError>>(())
    }))
    .unwrap_err();
    assert_eq!(
        later.reason(),
        StopReason::RetryAfterTooLong(Duration::from_secs(39 * 60))
    );
    assert_eq!(later.resumes_at(), Some(reset));
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat")]
enum Pinned {
    #[error("forbidden")]
    #[status(403)]
    #[retryable(false)]
    Forbidden,
    #[error("not found")]
    #[status(404)]
    NotFound,
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

#[test]
fn an_exhausted_rate_limit_throttles_any_status_unless_the_variant_says_never() {
    let exhausted = headers(&[
        ("x-ratelimit-remaining", "0".into()),
        ("x-ratelimit-reset", "30".into()),
    ]);
    let decode = |status: u16, code: &str, headers: &HeaderMap| {
        let body = format!(r#"{{"error":"{code}","message":"m"}}"#);
        Decoded::<Pinned>::from_response(
            StatusCode::from_u16(status).unwrap(),
            headers,
            body.as_bytes(),
        )
        .unwrap()
    };
    let not_found = decode(404, "not_found", &exhausted).failure().unwrap();
    assert_eq!(not_found.class, Retry::Throttled);
    assert_eq!(
        not_found.retry_after,
        Some(apierror::retry::RetryAfter::Delay(Duration::from_secs(30)))
    );
    let pinned = decode(403, "forbidden", &exhausted).failure().unwrap();
    assert_eq!(pinned.class, Retry::Never);
    // Quota left: nothing changes.
    let left = headers(&[
        ("x-ratelimit-remaining", "10".into()),
        ("x-ratelimit-reset", "30".into()),
    ]);
    assert_eq!(
        decode(404, "not_found", &left).failure().unwrap().class,
        Retry::Never
    );
    // A Unix-time reset is read as one.
    let at = headers(&[
        ("x-ratelimit-remaining", "0".into()),
        ("x-ratelimit-reset", "1735689645".into()),
    ]);
    let limit = RateLimit::from_headers(&at).unwrap();
    assert_eq!(limit.reset, None);
    assert_eq!(
        limit.reset_at,
        Some(UNIX_EPOCH + Duration::from_secs(1_735_689_645))
    );
}

mod stripe {
    use super::*;
    use apierror::retry::IdempotencyKey;
    use apierror_examples::vendors::stripe::StripeError;

    const IDEMPOTENCY: &str = r#"{"error":{"message":"Keys for idempotent requests can only be used with the same parameters they were first used with.","type":"idempotency_error"}}"#;
    const API_ERROR: &str =
        r#"{"error":{"message":"An unknown error occurred","type":"api_error"}}"#;

    fn decoded(status: u16, should_retry: Option<&str>, body: &str) -> Decoded<StripeError> {
        let mut headers = HeaderMap::new();
        if let Some(value) = should_retry {
            headers.insert("stripe-should-retry", HeaderValue::from_str(value).unwrap());
        }
        Decoded::<StripeError>::from_response(
            StatusCode::from_u16(status).unwrap(),
            &headers,
            body.as_bytes(),
        )
        .unwrap()
    }

    #[test]
    fn a_500_with_should_retry_false_is_not_retried() {
        let (clock, sleep) = clock();
        let driver = RetryDriver::new(RetryPolicy::new(), sleep.clone())
            .with_clock(clock)
            .with_rng(SplitMix64::new(4));
        let error = block_on(driver.run(Idempotency::Idempotent, |_| async {
            Err::<(), _>(decoded(500, Some("false"), API_ERROR))
        }))
        .unwrap_err();
        assert_eq!(
            (error.attempts(), error.reason()),
            (1, StopReason::NotRetryable)
        );
        // Without the header, a 500 is retried.
        assert_eq!(
            decoded(500, None, API_ERROR).failure().unwrap().class,
            Retry::Backoff
        );
    }

    #[test]
    fn a_409_idempotency_error_with_should_retry_true_is_retried_with_the_same_key() {
        let (clock, sleep) = clock();
        let driver = RetryDriver::new(RetryPolicy::new(), sleep.clone())
            .with_clock(clock)
            .with_rng(SplitMix64::new(4));
        let keys: Mutex<Vec<IdempotencyKey>> = Mutex::new(Vec::new());
        let result = block_on(driver.run_keyed(|attempt, key| {
            keys.lock().unwrap().push(key.clone());
            async move {
                if attempt == 1 {
                    Err(decoded(409, Some("true"), IDEMPOTENCY))
                } else {
                    Ok(attempt)
                }
            }
        }));
        assert_eq!(result.unwrap(), 2);
        let keys = keys.into_inner().unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0], keys[1]);
        // Without the header, a 409 is not retried.
        assert_eq!(
            decoded(409, None, IDEMPOTENCY).failure().unwrap().class,
            Retry::Never
        );
        // Anything but true or false is no answer.
        assert_eq!(
            decoded(409, Some("maybe"), IDEMPOTENCY)
                .failure()
                .unwrap()
                .class,
            Retry::Never
        );
    }
}

mod declared_hint_header {
    use super::*;

    #[derive(Debug, thiserror::Error, ApiError)]
    #[api_error(format = "flat", retry(header = "X-Retry-In-Ms", unit = "ms"))]
    enum Vendor {
        #[error("busy")]
        #[status(503)]
        Busy {
            #[api_error(retry_after)]
            retry_after: Option<Duration>,
        },
        #[api_error(unknown)]
        #[error("{0}")]
        Other(Unknown),
    }

    #[test]
    fn a_declared_header_gives_the_hint_in_its_unit_and_the_later_hint_wins() {
        let body = br#"{"error":"busy","message":"m"}"#;
        let decode = |pairs: &[(&'static str, String)]| {
            Decoded::<Vendor>::from_response(StatusCode::SERVICE_UNAVAILABLE, &headers(pairs), body)
                .unwrap()
        };
        let only = decode(&[("x-retry-in-ms", "2500".into())]);
        assert_eq!(only.error.retry_after(), Some(Duration::from_millis(2500)));
        let both = decode(&[
            ("x-retry-in-ms", "2500".into()),
            ("retry-after", "7".into()),
        ]);
        assert_eq!(both.error.retry_after(), Some(Duration::from_secs(7)));
        let longer = decode(&[
            ("x-retry-in-ms", "9000".into()),
            ("retry-after", "7".into()),
        ]);
        assert_eq!(longer.error.retry_after(), Some(Duration::from_secs(9)));
        assert_eq!(
            longer.failure().unwrap().retry_after,
            Some(apierror::retry::RetryAfter::Delay(Duration::from_secs(9)))
        );
        let garbage = decode(&[("x-retry-in-ms", "soon".into())]);
        assert_eq!(garbage.error.retry_after(), None);
    }
}

mod google_and_slack {
    use super::*;
    use apierror_examples::vendors::google::GoogleError;
    use apierror_examples::vendors::slack::SlackError;

    const QUOTA: &str = r#"{"error":{"code":429,"message":"Quota exceeded for quota metric 'Read requests'.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","domain":"googleapis.com","metadata":{"service":"pubsub.googleapis.com"}},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"30s"}]}}"#;

    /// A GET that first gets `first()`, then succeeds: what was slept.
    fn waits<E: ApiError + std::fmt::Debug>(
        status: u16,
        pairs: &[(&'static str, String)],
        body: &'static str,
    ) -> Vec<Duration> {
        let (clock, sleep) = clock();
        let driver = RetryDriver::new(RetryPolicy::new(), sleep.clone())
            .with_clock(clock)
            .with_rng(SplitMix64::new(4));
        let headers = headers(pairs);
        let result = block_on(driver.run(Idempotency::Idempotent, |attempt| {
            let first = (attempt == 1).then(|| {
                Decoded::<E>::from_response(
                    StatusCode::from_u16(status).unwrap(),
                    &headers,
                    body.as_bytes(),
                )
                .unwrap()
            });
            async move {
                match first {
                    Some(decoded) => Err(decoded),
                    None => Ok(()),
                }
            }
        }));
        assert!(result.is_ok());
        sleep.slept()
    }

    #[test]
    fn googles_retry_info_is_waited_and_wins_over_a_shorter_header() {
        assert_eq!(
            waits::<GoogleError>(429, &[], QUOTA),
            [Duration::from_secs(30)]
        );
        assert_eq!(
            waits::<GoogleError>(429, &[("retry-after", "5".into())], QUOTA),
            [Duration::from_secs(30)]
        );
        // A longer header wins over the body.
        assert_eq!(
            waits::<GoogleError>(429, &[("retry-after", "45".into())], QUOTA),
            [Duration::from_secs(45)]
        );
        // The hint is the variant's field too, and written back as it came.
        let decoded = Decoded::<GoogleError>::from_response(
            StatusCode::TOO_MANY_REQUESTS,
            &HeaderMap::new(),
            QUOTA.as_bytes(),
        )
        .unwrap();
        assert_eq!(decoded.error.retry_after(), Some(Duration::from_secs(30)));
        assert_eq!(String::from_utf8(decoded.error.to_body()).unwrap(), QUOTA);
    }

    #[test]
    fn slacks_429_waits_its_retry_after() {
        assert_eq!(
            waits::<SlackError>(
                429,
                &[("retry-after", "30".into())],
                r#"{"ok":false,"error":"ratelimited"}"#
            ),
            [Duration::from_secs(30)]
        );
    }
}

mod body_hint_in_seconds {
    use super::*;

    #[derive(Debug, PartialEq, thiserror::Error, ApiError)]
    #[api_error(format(json = r#"{"message":"{message}","retry_after":{retry_after?}}"#))]
    enum Discord {
        #[error("You are being rate limited.")]
        #[status(429)]
        RateLimited {
            #[api_error(retry_after)]
            retry_after: Option<Duration>,
        },
        #[api_error(unknown)]
        #[error("{0}")]
        Other(Unknown),
    }

    #[test]
    fn a_float_of_seconds_in_the_body_is_the_hint_and_is_written_back() {
        let body = r#"{"message":"You are being rate limited.","retry_after":64.57}"#;
        let decoded = Decoded::<Discord>::from_response(
            StatusCode::TOO_MANY_REQUESTS,
            &HeaderMap::new(),
            body.as_bytes(),
        )
        .unwrap();
        assert_eq!(
            decoded.error,
            Discord::RateLimited {
                retry_after: Some(Duration::from_secs_f64(64.57))
            }
        );
        assert_eq!(String::from_utf8(decoded.error.to_body()).unwrap(), body);
        let whole = Discord::RateLimited {
            retry_after: Some(Duration::from_secs(3)),
        };
        assert_eq!(
            String::from_utf8(whole.to_body()).unwrap(),
            r#"{"message":"You are being rate limited.","retry_after":3}"#
        );
        let none = Discord::RateLimited { retry_after: None };
        assert_eq!(
            String::from_utf8(none.to_body()).unwrap(),
            r#"{"message":"You are being rate limited."}"#
        );
        // A hint of the wrong kind is kept aside, not lost.
        let odd = r#"{"message":"m","retry_after":"soon"}"#;
        let decoded = Decoded::<Discord>::from_response(
            StatusCode::TOO_MANY_REQUESTS,
            &HeaderMap::new(),
            odd.as_bytes(),
        )
        .unwrap();
        assert_eq!(decoded.meta.retry_after, None);
        assert_eq!(
            decoded.meta.unbound,
            [("/retry_after".to_owned(), r#""soon""#.to_owned())]
        );
    }
}

mod classify_hook {
    use super::*;
    use apierror::decode::ResponseMeta;
    use apierror::retry::{Failure, RetryAfter};

    /// A vendor that says "retry in N seconds" in a header of its own and, in its
    /// body, whether the failure is transient.
    #[derive(Debug, thiserror::Error, ApiError)]
    #[api_error(format = "nested", classify = vendor_classify)]
    enum Vendor {
        #[error("conflict")]
        #[status(409)]
        Conflict,
        #[api_error(unknown)]
        #[error("{0}")]
        Other(Unknown),
    }

    fn vendor_classify(error: &Vendor, meta: &ResponseMeta) -> Option<Failure> {
        let transient = meta
            .unbound
            .iter()
            .any(|(pointer, value)| pointer == "/error/transient" && value == "true");
        let wait = meta
            .headers
            .as_ref()
            .and_then(|headers| headers.get("x-vendor-wait"))
            .and_then(|v| v.to_str().ok()?.parse().ok())
            .map(|s| RetryAfter::Delay(Duration::from_secs(s)));
        (matches!(error, Vendor::Conflict) && transient)
            .then(|| Failure::new(Retry::Backoff).with_retry_after(wait))
    }

    #[test]
    fn the_hook_sees_the_error_its_metadata_and_its_headers() {
        let body = br#"{"error":{"code":"conflict","message":"m","transient":true}}"#;
        let headers = headers(&[("x-vendor-wait", "12".into())]);
        let decoded =
            Decoded::<Vendor>::from_response(StatusCode::CONFLICT, &headers, body).unwrap();
        assert_eq!(
            decoded
                .meta
                .headers
                .as_ref()
                .unwrap()
                .get("x-vendor-wait")
                .unwrap(),
            "12"
        );
        let failure = decoded.failure().unwrap();
        assert_eq!(failure.class, Retry::Backoff);
        assert_eq!(
            failure.retry_after,
            Some(RetryAfter::Delay(Duration::from_secs(12)))
        );
        // Not transient: the declaration's own class.
        let body = br#"{"error":{"code":"conflict","message":"m"}}"#;
        let decoded =
            Decoded::<Vendor>::from_response(StatusCode::CONFLICT, &headers, body).unwrap();
        assert_eq!(decoded.failure().unwrap().class, Retry::Never);
        // Without a hook, no headers are kept.
        let decoded = Decoded::<Pinned>::from_response(
            StatusCode::NOT_FOUND,
            &headers,
            br#"{"error":"not_found","message":"m"}"#,
        )
        .unwrap();
        assert!(decoded.meta.headers.is_none());
    }

    #[test]
    fn kept_headers_are_bounded() {
        let mut many = HeaderMap::new();
        for i in 0..200 {
            many.append(
                apierror::http::HeaderName::from_bytes(format!("x-h{i}").as_bytes()).unwrap(),
                HeaderValue::from_static("v"),
            );
        }
        many.insert("x-big", HeaderValue::from_str(&"b".repeat(20_000)).unwrap());
        let decoded = Decoded::<Vendor>::from_response(
            StatusCode::CONFLICT,
            &many,
            br#"{"error":{"code":"conflict","message":"m"}}"#,
        )
        .unwrap();
        assert_eq!(
            decoded.meta.headers.as_ref().map(HeaderMap::len),
            Some(apierror::decode::KEPT_HEADERS)
        );
        let bytes: usize = decoded
            .meta
            .headers
            .iter()
            .flatten()
            .map(|(n, v)| n.as_str().len() + v.len())
            .sum();
        assert!(bytes <= apierror::decode::KEPT_BODY_BYTES);
    }
}
