//! What travels beside a decoded error: status, `Retry-After`, rate limits, request id,
//! and the start of the raw body.

use std::time::Duration;

use apierror::retry::RetryAfter;
use apierror::{ApiError, Decoded, Unknown};
use http::{HeaderMap, StatusCode};

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested", rename_all = "SCREAMING_SNAKE_CASE")]
enum ServiceError {
    #[error("too many requests")]
    #[status(429)]
    RateLimitExceeded,
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

const BODY: &[u8] =
    br#"{"error":{"code":"RATE_LIMIT_EXCEEDED","message":"slow down","request_id":"req_body"}}"#;

#[test]
fn request_id_comes_from_the_body_when_no_header_names_it() {
    let decoded = Decoded::<ServiceError>::from_response(
        StatusCode::TOO_MANY_REQUESTS,
        &HeaderMap::new(),
        BODY,
    )
    .unwrap();
    assert!(matches!(decoded.error, ServiceError::RateLimitExceeded));
    assert_eq!(decoded.meta.request_id.as_deref(), Some("req_body"));
    assert_eq!(decoded.meta.body, BODY);
}

#[test]
fn headers_take_precedence_and_carry_retry_after_and_rate_limits() {
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", "req_header".parse().unwrap());
    headers.insert("retry-after", "30".parse().unwrap());
    headers.insert("x-ratelimit-remaining", "0".parse().unwrap());
    headers.insert("x-ratelimit-limit", "100".parse().unwrap());
    let decoded =
        Decoded::<ServiceError>::from_response(StatusCode::TOO_MANY_REQUESTS, &headers, BODY)
            .unwrap();
    assert_eq!(decoded.meta.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(decoded.meta.request_id.as_deref(), Some("req_header"));
    assert_eq!(
        decoded.meta.retry_after,
        Some(RetryAfter::Delay(Duration::from_secs(30)))
    );
    let limit = decoded.meta.rate_limit.unwrap();
    assert_eq!((limit.limit, limit.remaining), (Some(100), Some(0)));
}

#[test]
fn http_date_retry_after_is_read_in_every_form() {
    for value in [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
    ] {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", value.parse().unwrap());
        let decoded =
            Decoded::<ServiceError>::from_response(StatusCode::SERVICE_UNAVAILABLE, &headers, b"")
                .unwrap();
        let Some(RetryAfter::At(at)) = decoded.meta.retry_after else {
            panic!("{value}: {:?}", decoded.meta.retry_after);
        };
        assert_eq!(httpdate::fmt_http_date(at), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert!(matches!(decoded.error, ServiceError::Other(_)));
    }
}

#[test]
fn a_body_that_is_not_an_envelope_says_how_and_where() {
    use apierror::decode::{DecodeErrorKind, MalformedKind};

    #[derive(Debug, thiserror::Error, ApiError)]
    #[api_error(format = "nested")]
    enum Strict {
        #[error("gone")]
        #[status(410)]
        Gone,
    }
    let cases: [(&[u8], MalformedKind, &str); 4] = [
        (
            b"<html>502 Bad Gateway</html>",
            MalformedKind::InvalidJson,
            "invalid JSON (line 1, column 1)",
        ),
        (
            br#"{"error":{"code":"gone""#,
            MalformedKind::Truncated,
            "JSON that ends early (line 1, column 23)",
        ),
        (
            b"[1, 2]",
            MalformedKind::WrongShape,
            "JSON that is not this format's envelope",
        ),
        (b"\xff\xfe{}", MalformedKind::InvalidJson, "invalid JSON"),
    ];
    for (body, kind, text) in cases {
        let error =
            Strict::from_response(StatusCode::BAD_GATEWAY, &HeaderMap::new(), body).unwrap_err();
        let DecodeErrorKind::Malformed(malformed) = error.kind() else {
            panic!("{:?}: {error}", String::from_utf8_lossy(body));
        };
        assert_eq!(malformed.kind(), kind);
        assert!(error.to_string().contains(text), "{error}");
        assert_eq!(error.unknown().body(), body);
    }
}

#[test]
fn rate_limit_headers_prefer_x_prefixed_then_bare_then_structured() {
    let mut headers = HeaderMap::new();
    headers.insert(
        "ratelimit",
        "limit=1, remaining=2, reset=3".parse().unwrap(),
    );
    headers.insert("ratelimit-remaining", "20".parse().unwrap());
    headers.insert("x-ratelimit-remaining", "200".parse().unwrap());
    headers.insert("ratelimit-reset", "30".parse().unwrap());
    let meta = apierror::decode::ResponseMeta::read(StatusCode::TOO_MANY_REQUESTS, &headers, b"");
    let limit = meta.rate_limit.unwrap();
    assert_eq!(limit.remaining, Some(200));
    assert_eq!(limit.reset, Some(Duration::from_secs(30)));
    assert_eq!(limit.limit, Some(1));
    assert_eq!(
        apierror::retry::RateLimit::from_headers(&headers),
        Some(limit)
    );

    let mut structured = HeaderMap::new();
    structured.insert("ratelimit", r#""default";r=0;t=12"#.parse().unwrap());
    let limit = apierror::retry::RateLimit::from_headers(&structured).unwrap();
    assert_eq!(
        (limit.remaining, limit.reset),
        (Some(0), Some(Duration::from_secs(12)))
    );
    assert_eq!(
        apierror::retry::RateLimit::from_headers(&HeaderMap::new()),
        None
    );
}

/// A client's view of a vendor: unit variants, whose own messages are generic.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested", rename_all = "SCREAMING_SNAKE_CASE")]
enum Vendor {
    #[error("the service is unavailable")]
    #[status(503)]
    ServiceUnavailable,
    #[error("slow down")]
    #[status(429)]
    RateLimited {
        #[api_error(retry_after)]
        wait: Duration,
    },
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

#[test]
fn decoded_keeps_what_the_vendor_said_and_shows_its_message() {
    let body = br#"{"error":{"code":"SERVICE_UNAVAILABLE","message":"Maintenance until 06:00","request_id":"req_9","timestamp":"2026-12-02T05:00:00Z"}}"#;
    let decoded =
        Decoded::<Vendor>::from_response(StatusCode::SERVICE_UNAVAILABLE, &HeaderMap::new(), body)
            .unwrap();
    assert!(matches!(decoded.error, Vendor::ServiceUnavailable));
    assert_eq!(decoded.error.message(), "Service Unavailable");
    let meta = &decoded.meta;
    assert_eq!(meta.code.as_deref(), Some("SERVICE_UNAVAILABLE"));
    assert_eq!(meta.message.as_deref(), Some("Maintenance until 06:00"));
    assert_eq!(meta.timestamp.as_deref(), Some("2026-12-02T05:00:00Z"));
    assert_eq!(meta.request_id.as_deref(), Some("req_9"));
    assert_eq!(decoded.to_string(), "Maintenance until 06:00");
    // The variant's own words are one step down the chain, and only there.
    let source = std::error::Error::source(&decoded).unwrap();
    assert_eq!(source.to_string(), "the service is unavailable");

    // Without a message in the body, Display is the variant's and nothing repeats it.
    let body = br#"{"error":{"code":"SERVICE_UNAVAILABLE"}}"#;
    let decoded =
        Decoded::<Vendor>::from_response(StatusCode::SERVICE_UNAVAILABLE, &HeaderMap::new(), body)
            .unwrap();
    assert_eq!(decoded.meta.message, None);
    assert_eq!(decoded.to_string(), "the service is unavailable");
    assert!(std::error::Error::source(&decoded).is_none());
}

#[test]
fn what_an_unknown_error_keeps_is_bounded() {
    // Two-byte characters, so that a cut in the middle of one would show.
    let long = "é".repeat(150_000);
    let body =
        format!(r#"{{"error":{{"code":"{long}","message":"{long}","timestamp":"{long}"}}}}"#);
    let decoded = Decoded::<Vendor>::from_response(
        StatusCode::IM_A_TEAPOT,
        &HeaderMap::new(),
        body.as_bytes(),
    )
    .unwrap();
    let Vendor::Other(unknown) = &decoded.error else {
        panic!("{:?}", decoded.error);
    };
    let code = unknown.raw_code().unwrap();
    let message = unknown.raw_message().unwrap();
    assert_eq!(code.len(), apierror::decode::KEPT_TEXT_BYTES);
    assert!(code.chars().all(|c| c == 'é'));
    assert_eq!(message.len(), apierror::decode::KEPT_BODY_BYTES);
    assert!(unknown.body().len() <= apierror::decode::KEPT_BODY_BYTES);
    let meta = &decoded.meta;
    assert_eq!(meta.code.as_deref(), Some(code));
    assert_eq!(meta.message.as_deref(), Some(message));
    assert_eq!(
        meta.timestamp.as_ref().unwrap().len(),
        apierror::decode::KEPT_TEXT_BYTES
    );

    let built = Unknown::new(StatusCode::IM_A_TEAPOT)
        .with_code("c".repeat(1000))
        .with_message("m".repeat(100_000));
    assert_eq!(built.code().len(), apierror::decode::KEPT_TEXT_BYTES);
    assert_eq!(built.message().len(), apierror::decode::KEPT_BODY_BYTES);
}

#[test]
fn an_http_date_retry_after_is_measured_from_the_callers_clock() {
    let at = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", httpdate::fmt_http_date(at).parse().unwrap());
    let body = br#"{"error":{"code":"RATE_LIMITED"}}"#;
    let now = at - Duration::from_secs(90);
    let error =
        Vendor::from_response_at(StatusCode::TOO_MANY_REQUESTS, &headers, body, now).unwrap();
    assert!(
        matches!(error, Vendor::RateLimited { wait } if wait == Duration::from_secs(90)),
        "{error:?}"
    );
    let decoded =
        Decoded::<Vendor>::from_response_at(StatusCode::TOO_MANY_REQUESTS, &headers, body, now)
            .unwrap();
    assert!(
        matches!(decoded.error, Vendor::RateLimited { wait } if wait == Duration::from_secs(90))
    );
    assert_eq!(decoded.meta.retry_after, Some(RetryAfter::At(at)));
    // Past the date: no wait.
    let later = at + Duration::from_secs(5);
    let error =
        Vendor::from_response_at(StatusCode::TOO_MANY_REQUESTS, &headers, body, later).unwrap();
    assert!(matches!(error, Vendor::RateLimited { wait } if wait == Duration::ZERO));
}

#[test]
fn without_a_clock_an_http_date_retry_after_is_measured_from_the_system_clock() {
    // `from_response` reads the clock only when a date needs it: it must still read it.
    let at = std::time::SystemTime::now() + Duration::from_secs(3600);
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", httpdate::fmt_http_date(at).parse().unwrap());
    let body = br#"{"error":{"code":"RATE_LIMITED"}}"#;
    let about_an_hour = |wait: Duration| (3500..=3600).contains(&wait.as_secs());
    let error = Vendor::from_response(StatusCode::TOO_MANY_REQUESTS, &headers, body).unwrap();
    assert!(
        matches!(error, Vendor::RateLimited { wait } if about_an_hour(wait)),
        "{error:?}"
    );
    let decoded =
        Decoded::<Vendor>::from_response(StatusCode::TOO_MANY_REQUESTS, &headers, body).unwrap();
    assert!(
        matches!(decoded.error, Vendor::RateLimited { wait } if about_an_hour(wait)),
        "{:?}",
        decoded.error
    );
}

#[test]
fn the_longest_retry_after_saturates_instead_of_asking_for_no_wait() {
    let error = Vendor::RateLimited {
        wait: Duration::MAX,
    };
    let response = error.to_response();
    assert_eq!(
        response.headers()["retry-after"],
        u64::MAX.to_string().as_str()
    );
    let almost = Vendor::RateLimited {
        wait: Duration::from_secs(u64::MAX - 1) + Duration::from_nanos(1),
    };
    assert_eq!(
        almost.to_response().headers()["retry-after"],
        u64::MAX.to_string().as_str()
    );
}

#[test]
fn a_rate_limit_reset_is_clamped_like_retry_after() {
    for value in ["999999999", "1000000000"] {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-reset", value.parse().unwrap());
        let limit = apierror::retry::RateLimit::from_headers(&headers).unwrap();
        assert_eq!(
            limit.reset,
            Some(apierror::retry::MAX_RETRY_AFTER),
            "{value}"
        );
    }
    let mut headers = HeaderMap::new();
    headers.insert(
        "ratelimit",
        "limit=10, remaining=0, reset=999999999".parse().unwrap(),
    );
    let limit = apierror::retry::RateLimit::from_headers(&headers).unwrap();
    assert_eq!(limit.reset, Some(apierror::retry::MAX_RETRY_AFTER));
}
