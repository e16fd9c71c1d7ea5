//! What travels beside a decoded error: status, `Retry-After`, rate limits, request id,
//! and the start of the raw body.

use std::time::Duration;

use apierror::{ApiError, Decoded, RetryAfter, Unknown};
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
    use apierror::{DecodeErrorKind, MalformedKind};

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
        assert_eq!(error.response().body(), body);
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
    let meta = apierror::ResponseMeta::read(StatusCode::TOO_MANY_REQUESTS, &headers, b"");
    let limit = meta.rate_limit.unwrap();
    assert_eq!(limit.remaining, Some(200));
    assert_eq!(limit.reset, Some(Duration::from_secs(30)));
    assert_eq!(limit.limit, Some(1));
    assert_eq!(apierror::RateLimit::from_headers(&headers), Some(limit));

    let mut structured = HeaderMap::new();
    structured.insert("ratelimit", r#""default";r=0;t=12"#.parse().unwrap());
    let limit = apierror::RateLimit::from_headers(&structured).unwrap();
    assert_eq!(
        (limit.remaining, limit.reset),
        (Some(0), Some(Duration::from_secs(12)))
    );
    assert_eq!(apierror::RateLimit::from_headers(&HeaderMap::new()), None);
}
