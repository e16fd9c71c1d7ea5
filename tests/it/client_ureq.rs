//! ureq, blocking: a real ureq agent against a loopback stub. Errors are decoded with
//! their metadata and the body bound, Slack's 2xx errors are told from successes, and the
//! blocking retry driver runs the async driver's schedule (on a manual clock), holds,
//! idempotency rules and keys.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use apierror::retry::{
    Attempt, Classify, Idempotency, Jitter, ManualClock, ManualSleep, RetryDriver, RetryEvent,
    RetryPolicy, SplitMix64, StopReason,
};
use apierror::ureq::{ClientError, ResponseExt, call, send};
use apierror::{ApiError, Retry, Unknown};
use apierror_examples::vendors::slack::SlackError;
use http::StatusCode;

use crate::support::{Answer, Stub};

/// Seed 004's shape: `{"error":"<code>","message":"…"}`.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat")]
enum VendorError {
    #[error("rate limited")]
    #[status(429)]
    RateLimitExceeded,

    #[error("unavailable")]
    #[status(503)]
    ServiceUnavailable,

    #[error("{message}")]
    #[status(422)]
    #[code("invalid_item")]
    InvalidItem {
        #[api_error(message)]
        message: String,
    },

    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

/// Serves `answers` in order on a thread of its own (the test thread blocks in ureq).
fn serve(answers: Vec<Answer<String>>) -> Stub {
    Stub::serve_blocking(answers)
}

fn agent() -> ureq::Agent {
    ureq::Agent::new_with_defaults()
}

/// A driver on a manual clock, without jitter: its waits are the policy's own.
fn driver(policy: RetryPolicy) -> (RetryDriver<ManualSleep, ManualClock>, ManualSleep) {
    let clock = ManualClock::new();
    let sleep = ManualSleep::new(clock.clone());
    let driver = RetryDriver::new(policy.with_jitter(Jitter::None), sleep.clone())
        .with_clock(clock)
        .with_rng(SplitMix64::new(3));
    (driver, sleep)
}

fn flat(code: &str, message: &str) -> String {
    format!(r#"{{"error":"{code}","message":"{message}"}}"#)
}

#[test]
fn an_error_response_is_decoded_with_its_metadata() {
    let stub = serve(vec![(
        429,
        vec![("retry-after", "7"), ("x-request-id", "req-9")],
        flat("rate_limit_exceeded", "slow down"),
    )]);
    let error = call::<VendorError>(agent().get(&stub.url)).unwrap_err();
    let ClientError::Api(decoded) = &error else {
        panic!("not decoded: {error:?}");
    };
    assert!(matches!(decoded.error, VendorError::RateLimitExceeded));
    assert_eq!(decoded.meta.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(decoded.meta.request_id.as_deref(), Some("req-9"));
    assert_eq!(decoded.meta.message.as_deref(), Some("slow down"));
    assert_eq!(
        decoded
            .meta
            .retry_after
            .map(|r| r.delay_from(std::time::SystemTime::now())),
        Some(Duration::from_secs(7))
    );
    let failure = error.failure().unwrap();
    assert_eq!(failure.class, Retry::Throttled);
    assert_eq!(error.to_string(), "the server answered 429");

    // A variant with a field, and the success after it as JSON.
    let stub = serve(vec![(422, vec![], flat("invalid_item", "name is empty"))]);
    let error = send::<VendorError>(agent().post(&stub.url), "{}").unwrap_err();
    assert!(matches!(
        error,
        ClientError::Api(ref d) if matches!(&d.error, VendorError::InvalidItem { message } if message == "name is empty")
    ));
    let items: Vec<String> = call::<VendorError>(agent().get(&stub.url))
        .unwrap()
        .api_json::<Vec<String>, VendorError>()
        .unwrap();
    assert_eq!(items, ["a"]);
}

#[test]
fn a_response_got_without_call_is_checked_as_it_is() {
    let stub = serve(vec![(503, vec![], flat("service_unavailable", "down"))]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let response = agent.get(&stub.url).call().unwrap();
    let error = response.api_error::<VendorError>().unwrap_err();
    assert!(matches!(
        error,
        ClientError::Api(ref d) if matches!(d.error, VendorError::ServiceUnavailable)
    ));
    // ureq's own status error (its default) has the status's class.
    let stub = serve(vec![(503, vec![], String::new())]);
    let error = agent_default_get(&stub.url);
    assert_eq!(error.failure().unwrap().class, Retry::Backoff);
    assert_eq!(
        error.summary().status,
        Some(StatusCode::SERVICE_UNAVAILABLE)
    );
}

fn agent_default_get(url: &str) -> ureq::Error {
    agent().get(url).call().unwrap_err()
}

#[test]
fn bodies_are_read_within_their_bounds() {
    // An error body past the bound: decoded from its start, as the unknown variant.
    let huge = format!(
        r#"{{"error":"teapot","message":"{}"}}"#,
        "x".repeat(100_000)
    );
    let stub = serve(vec![(418, vec![], huge.clone())]);
    let error = call::<VendorError>(agent().get(&stub.url)).unwrap_err();
    let ClientError::Api(decoded) = error else {
        panic!("not decoded");
    };
    let VendorError::Other(unknown) = &decoded.error else {
        panic!("not unknown: {:?}", decoded.error);
    };
    assert_eq!(unknown.status(), StatusCode::IM_A_TEAPOT);
    assert!(huge.as_bytes().starts_with(unknown.body()));

    // A success body past the caller's bound.
    let stub = serve(vec![(200, vec![], format!("[\"{}\"]", "y".repeat(5_000)))]);
    let response = call::<VendorError>(agent().get(&stub.url)).unwrap();
    let error = response
        .api_json_within::<Vec<String>, VendorError>(1_000)
        .unwrap_err();
    assert!(matches!(
        error,
        ClientError::TooLarge {
            status: StatusCode::OK,
            limit: 1_000
        }
    ));
    // Not the expected JSON.
    let stub = serve(vec![(200, vec![], "{".to_owned())]);
    let response = call::<VendorError>(agent().get(&stub.url)).unwrap();
    let error = response
        .api_json_within::<Vec<String>, VendorError>(1_000)
        .unwrap_err();
    assert!(matches!(error, ClientError::InvalidBody { .. }));
    assert_eq!(error.failure().unwrap().class, Retry::Never);
}

#[test]
fn slacks_errors_sent_with_200_are_errors_and_its_successes_pass() {
    let stub = serve(vec![
        (
            200,
            vec![("content-type", "application/json")],
            r#"{"ok":false,"error":"channel_not_found"}"#.to_owned(),
        ),
        (
            200,
            vec![("content-type", "application/json; charset=utf-8")],
            r#"{"ok":true,"channel":"C1"}"#.to_owned(),
        ),
    ]);
    let error = call::<SlackError>(agent().get(&stub.url)).unwrap_err();
    assert!(matches!(
        error,
        ClientError::Api(ref d) if matches!(d.error, SlackError::ChannelNotFound)
    ));
    // The success's body was read to tell; it is handed back whole.
    let mut response = call::<SlackError>(agent().get(&stub.url)).unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.body().mime_type(), Some("application/json"));
    assert_eq!(
        response.body_mut().read_to_string().unwrap(),
        r#"{"ok":true,"channel":"C1"}"#
    );
    // Through `api_error` too, from a response got without `call`.
    let stub = serve(vec![(
        200,
        vec![],
        r#"{"ok":false,"error":"invalid_auth"}"#.to_owned(),
    )]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let error = agent
        .get(&stub.url)
        .call()
        .unwrap()
        .api_error::<SlackError>()
        .unwrap_err();
    assert!(matches!(
        error,
        ClientError::Api(ref d) if matches!(d.error, SlackError::InvalidAuth)
    ));
}

#[test]
fn the_blocking_driver_runs_the_policys_schedule_and_honours_retry_after() {
    let stub = serve(vec![
        (503, vec![], flat("service_unavailable", "down")),
        (503, vec![], flat("service_unavailable", "down")),
        (
            429,
            vec![("retry-after", "30")],
            flat("rate_limit_exceeded", "slow"),
        ),
    ]);
    let (driver, sleep) = driver(RetryPolicy::new().with_max_attempts(5));
    let agent = agent();
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&events);
    let driver = driver.with_observer(move |event| seen.lock().unwrap().push(event.clone()));
    let items = driver
        .run_blocking(Idempotency::Idempotent, |_| {
            let response = call::<VendorError>(agent.get(&stub.url))?;
            response.api_json_within::<Vec<String>, VendorError>(1_000)
        })
        .unwrap();
    assert_eq!(items, ["a"]);
    assert_eq!(stub.arrivals(), 4);
    // 1 s and 2 s of backoff, then the 429's 30 s (above the policy's 4 s).
    assert_eq!(
        sleep.slept(),
        [
            Duration::from_secs(1),
            Duration::from_secs(2),
            Duration::from_secs(30)
        ]
    );
    let events = events.lock().unwrap();
    assert!(matches!(
        events.last(),
        Some(RetryEvent::Succeeded { attempts: 4, .. })
    ));
}

#[test]
fn a_hint_longer_than_the_policy_waits_stops_and_holds_back_the_next_call() {
    let stub = serve(vec![(
        429,
        vec![("retry-after", "600")],
        flat("rate_limit_exceeded", "slow"),
    )]);
    let (driver, sleep) = driver(RetryPolicy::new());
    let agent = agent();
    let get = |_: Attempt| call::<VendorError>(agent.get(&stub.url));
    let stopped = driver
        .run_blocking(Idempotency::Idempotent, get)
        .unwrap_err();
    assert_eq!(
        stopped.reason(),
        StopReason::RetryAfterTooLong(Duration::from_secs(600))
    );
    assert!(matches!(
        stopped.last(),
        Some(ClientError::Api(d)) if matches!(d.error, VendorError::RateLimitExceeded)
    ));
    // The gate holds the next call back without sending it.
    let stopped = driver
        .run_blocking(Idempotency::Idempotent, get)
        .unwrap_err();
    assert!(matches!(stopped.reason(), StopReason::RetryAfterTooLong(_)));
    assert_eq!(stopped.attempts(), 0);
    assert_eq!(stub.arrivals(), 1);
    assert!(sleep.slept().is_empty());
}

#[test]
fn a_post_is_not_repeated_unless_it_carries_a_key() {
    let failing = || (503, vec![], flat("service_unavailable", "down"));
    let stub = serve(vec![failing(), failing()]);
    let (driver, _) = driver(RetryPolicy::new());
    let agent = agent();
    let stopped = driver
        .run_blocking(Idempotency::NotIdempotent, |_| {
            send::<VendorError>(agent.post(&stub.url), "{}")
        })
        .unwrap_err();
    assert_eq!(stopped.reason(), StopReason::NotIdempotent);
    assert_eq!(stub.arrivals(), 1);

    // With a key: retried, the same key on every attempt.
    let response = driver
        .run_blocking_keyed(|_, key| {
            send::<VendorError>(
                agent
                    .post(&stub.url)
                    .header("idempotency-key", key.as_str()),
                "{}",
            )
        })
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let seen = stub.seen.lock().unwrap();
    let keys: Vec<_> = seen[1..]
        .iter()
        .map(|(_, key)| key.clone().unwrap())
        .collect();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1]);
}

#[test]
fn a_refused_connection_was_never_sent_and_is_retried() {
    // A port that was just free: nothing listens there.
    let address = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("http://{address}");
    let error = call::<VendorError>(agent().get(&url))
        .map(drop)
        .unwrap_err();
    let failure = error.failure().unwrap();
    assert_eq!(failure.class, Retry::Backoff);
    assert!(!failure.sent, "{error:?}");

    let (driver, sleep) = driver(RetryPolicy::new().with_max_attempts(3));
    let stopped = driver
        .run_blocking(Idempotency::NotIdempotent, |_| {
            call::<VendorError>(agent().get(&url))
        })
        .unwrap_err();
    assert_eq!(stopped.reason(), StopReason::AttemptsExhausted);
    assert_eq!(stopped.attempts(), 3);
    assert_eq!(sleep.slept().len(), 2);
}

#[test]
fn each_attempt_is_told_its_time_and_ureqs_timeout_is_transient() {
    let (driver, _) = driver(
        RetryPolicy::new()
            .with_max_attempts(2)
            .with_attempt_timeout(Duration::from_millis(50)),
    );
    let seen = Mutex::new(Vec::new());
    let _ = driver.run_blocking(Idempotency::Idempotent, |attempt| {
        seen.lock().unwrap().push(attempt);
        Err::<(), _>(ureq::Error::Timeout(ureq::Timeout::Global))
    });
    let seen = seen.into_inner().unwrap();
    assert_eq!(
        seen.iter()
            .map(|a| (a.number, a.timeout))
            .collect::<Vec<_>>(),
        [
            (1, Some(Duration::from_millis(50))),
            (2, Some(Duration::from_millis(50)))
        ]
    );
    let timeout = ureq::Error::Timeout(ureq::Timeout::Global);
    assert_eq!(timeout.failure().unwrap().class, Retry::Backoff);
    assert!(timeout.failure().unwrap().sent);
    assert_eq!(timeout.summary().code, Some("timeout"));
    let connect = ureq::Error::Timeout(ureq::Timeout::Connect);
    assert!(!connect.failure().unwrap().sent);
    assert_eq!(
        ureq::Error::BadUri("x".into()).failure().unwrap().class,
        Retry::Never
    );
}

#[test]
fn the_thread_sleep_waits_on_the_thread() {
    let policy = RetryPolicy::new()
        .with_jitter(Jitter::None)
        .with_initial_delay(Duration::from_millis(1))
        .with_max_attempts(3);
    let driver = RetryDriver::blocking(policy);
    let completed = driver
        .run_blocking_completed(Idempotency::Idempotent, |attempt| {
            if attempt.number < 3 {
                Err(ureq::Error::ConnectionFailed)
            } else {
                Ok(attempt.number)
            }
        })
        .unwrap();
    assert_eq!(completed.value, 3);
    assert_eq!(completed.attempts, 3);
    assert_eq!(completed.waited, Duration::from_millis(3));
}
