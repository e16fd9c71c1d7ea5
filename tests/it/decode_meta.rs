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
