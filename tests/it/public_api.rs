//! The public API's promises that no single feature test shows: every error-like type
//! is a `std::error::Error` that can cross threads, and the types that will grow can be
//! built without naming every field.

use std::error::Error;
use std::time::Duration;

use apierror::axum::Rejection;
use apierror::decode::{DecodeErrorKind, MalformedBody, ResponseMeta};
use apierror::reqwest::ClientError;
use apierror::retry::{BreakerOpen, RateLimit, RetryError, RetryState};
use apierror::{Context, DecodeError, Decoded, Unknown};
use http::StatusCode;

fn is_error<E: Error + Send + Sync + 'static>() {}

#[test]
fn every_error_like_type_is_an_error() {
    is_error::<Unknown>();
    is_error::<DecodeError>();
    is_error::<DecodeErrorKind>();
    is_error::<MalformedBody>();
    is_error::<Rejection>();
    is_error::<BreakerOpen>();
    is_error::<Decoded<Unknown>>();
    is_error::<ClientError<Unknown>>();
    is_error::<RetryError<Unknown>>();
}

#[test]
fn growing_types_have_constructors() {
    let context = Context::new()
        .with_request_id("r")
        .with_timestamp("t")
        .with_problem_type("https://example.com/problems/x")
        .with_instance("/orders/7");
    assert_eq!(
        [
            context.request_id,
            context.timestamp,
            context.problem_type,
            context.instance
        ],
        [
            Some("r"),
            Some("t"),
            Some("https://example.com/problems/x"),
            Some("/orders/7")
        ]
    );
    assert_eq!(Context::new(), Context::EMPTY);

    let limit = RateLimit::new(Some(10), Some(0), Some(Duration::from_secs(90_000)));
    assert_eq!(
        limit.reset,
        Some(apierror::retry::MAX_RETRY_AFTER),
        "clamped"
    );

    let meta = ResponseMeta::new(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(meta.status, 429);
    assert!(meta.retry_after.is_none() && meta.body.is_empty());

    let state = RetryState::new(2, Duration::from_secs(3), Duration::from_secs(1));
    assert_eq!(
        (state.attempts, state.elapsed, state.previous_delay),
        (2, Duration::from_secs(3), Duration::from_secs(1))
    );

    let error = DecodeError::new(
        DecodeErrorKind::Unrecognized,
        Unknown::new(StatusCode::BAD_GATEWAY).with_body(b"<html>"),
    );
    assert_eq!(error.status(), Some(StatusCode::BAD_GATEWAY));
    assert_eq!(error.unknown().body(), b"<html>");
    assert_eq!(error.into_unknown().status(), 502);
}

#[test]
fn the_derive_docs_and_the_readme_hold_the_same_reference() {
    let readme = include_str!("../../README.md");
    let reference = include_str!("../../runtime/docs/derive.md");
    assert!(
        readme.contains(reference),
        "runtime/docs/derive.md (the derive's rustdoc) and the README's \"The declaration\" section differ"
    );
}
