//! An error classifies as what it is, also boxed behind `dyn Error` (where rustc's help
//! points a closure that returns mixed errors) and inside another error's sources; and
//! the errors a closure returns are small enough for clippy's `result_large_err`.

use std::time::Duration;

use apierror::http::{HeaderMap, StatusCode};
use apierror::retry::{
    Classify, Idempotency, ManualClock, ManualSleep, RetryDriver, RetryPolicy, SplitMix64,
    StopReason,
};
use apierror::{ApiError, Decoded, Retry, Unknown};

use crate::support::block_on;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat")]
enum ShopError {
    #[error("no such order")]
    #[status(404)]
    NotFound,
    #[error("down for maintenance")]
    #[status(503)]
    Unavailable,
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

fn decoded(status: u16, code: &str) -> Decoded<ShopError> {
    let body = format!(r#"{{"error":"{code}","message":"m"}}"#);
    Decoded::<ShopError>::from_response(
        StatusCode::from_u16(status).unwrap(),
        &HeaderMap::new(),
        body.as_bytes(),
    )
    .unwrap()
}

/// Runs a call that always fails with `make()`: the attempts made and why it stopped.
fn run(idempotency: Idempotency, make: impl Fn() -> BoxError) -> (u32, StopReason) {
    let clock = ManualClock::new();
    let driver = RetryDriver::new(
        RetryPolicy::new().with_max_attempts(3),
        ManualSleep::new(clock.clone()),
    )
    .with_clock(clock)
    .with_rng(SplitMix64::new(3));
    let error = block_on(driver.run(idempotency, |_| {
        let error = make();
        async move { Err::<(), _>(error) }
    }))
    .unwrap_err();
    (error.attempts(), error.reason())
}

/// An error of the caller's own that wraps another.
#[derive(Debug, thiserror::Error)]
#[error("while loading the order")]
struct Loading(#[source] BoxError);

#[test]
fn a_boxed_decoded_error_classifies_as_itself() {
    // A 404 is not retried, boxed or not, and not as a cause either.
    let _ = decoded(404, "not_found");
    assert_eq!(
        run(Idempotency::Idempotent, || Box::new(decoded(
            404,
            "not_found"
        ))),
        (1, StopReason::NotRetryable)
    );
    assert_eq!(
        run(Idempotency::Idempotent, || Box::new(Loading(Box::new(
            decoded(404, "not_found")
        )))),
        (1, StopReason::NotRetryable)
    );
    // The variant alone, boxed: its own class.
    assert_eq!(
        run(Idempotency::Idempotent, || Box::new(ShopError::NotFound)),
        (1, StopReason::NotRetryable)
    );
    // A 503 is retried.
    assert_eq!(
        run(Idempotency::Idempotent, || Box::new(decoded(
            503,
            "unavailable"
        ))),
        (3, StopReason::AttemptsExhausted)
    );
    assert_eq!(
        run(Idempotency::Idempotent, || Box::new(ShopError::Unavailable)),
        (3, StopReason::AttemptsExhausted)
    );
    let boxed: BoxError = Box::new(decoded(404, "not_found"));
    let summary = boxed.summary();
    assert_eq!(summary.status, Some(StatusCode::NOT_FOUND));
    assert_eq!(summary.code, Some("not_found"));
}

#[test]
fn an_error_of_no_known_type_is_retried_only_when_that_is_safe() {
    let unknown = || -> BoxError { Box::new(std::fmt::Error) };
    assert_eq!(
        run(Idempotency::Idempotent, unknown),
        (3, StopReason::AttemptsExhausted)
    );
    assert_eq!(
        run(Idempotency::NotIdempotent, unknown),
        (1, StopReason::NotIdempotent)
    );
    // A refused connection never reached the server: safe to repeat.
    let refused =
        || -> BoxError { Box::new(std::io::Error::from(std::io::ErrorKind::ConnectionRefused)) };
    assert_eq!(
        run(Idempotency::NotIdempotent, refused),
        (3, StopReason::AttemptsExhausted)
    );
    let denied =
        || -> BoxError { Box::new(std::io::Error::from(std::io::ErrorKind::PermissionDenied)) };
    assert_eq!(
        run(Idempotency::Idempotent, denied),
        (1, StopReason::NotRetryable)
    );
}

#[test]
fn a_box_and_an_arc_classify_as_what_they_hold() {
    let boxed = Box::new(decoded(503, "unavailable"));
    assert_eq!(boxed.failure().unwrap().class, Retry::Backoff);
    let shared = std::sync::Arc::new(decoded(404, "not_found"));
    assert_eq!(shared.failure().unwrap().class, Retry::Never);
}

#[test]
fn the_errors_a_closure_returns_are_small() {
    // clippy's `result_large_err` fires above 128 bytes.
    assert!(
        size_of::<Decoded<ShopError>>() <= 128,
        "{}",
        size_of::<Decoded<ShopError>>()
    );
    assert!(
        size_of::<apierror::reqwest::ClientError<ShopError>>() <= 128,
        "{}",
        size_of::<apierror::reqwest::ClientError<ShopError>>()
    );
    let _ = Duration::ZERO;
}
