//! Client end to end: a real local server answers 503 with `Retry-After`, then 429,
//! then 200; the retry driver (on a paused tokio clock) waits the hinted times, retries
//! the right number of times and decodes every error on the way. Also seed 004's 401
//! `invalid_token` refresh, transport errors, the body bound, and the tower policy.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apierror::reqwest::{ClientError, ResponseExt, decode_error, send};
use apierror::retry::RetryAfter;
use apierror::retry::{
    BreakerState, CircuitBreaker, Classify, Idempotency, Jitter, RetryDriver, RetryEvent,
    RetryPolicy, SplitMix64, StopReason, TokioClock, TowerRetryPolicy,
};
use apierror::{ApiError, Retry, Unknown};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use http::{HeaderValue, StatusCode};
use tokio::net::TcpListener;
use tokio::time::Instant;
use tower::{ServiceBuilder, ServiceExt};

/// Seed 004 (Flextell): `{"error":"<code>","message":"…"}`.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat")]
enum VendorError {
    #[error("{message}")]
    #[status(401)]
    #[code("invalid_token")]
    #[retryable(reauthenticate)]
    InvalidToken {
        #[api_error(message)]
        message: String,
    },

    #[error("rate limited")]
    #[status(429)]
    RateLimitExceeded,

    #[error("unavailable")]
    #[status(503)]
    ServiceUnavailable,

    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

/// What the stub answers, in order; the last answer repeats.
#[derive(Clone)]
enum Answer {
    Error(fn() -> VendorError, Option<&'static str>),
    Ok(&'static str),
    /// 200 only with `Authorization: Bearer fresh`, else 401 `invalid_token`.
    NeedsFreshToken,
    /// An error status with a body of this many bytes.
    Huge(usize),
    /// No answer for a minute.
    Stall,
}

#[derive(Default)]
struct Script {
    answers: Mutex<VecDeque<Answer>>,
    arrivals: Mutex<Vec<Instant>>,
}

async fn answer(State(script): State<Arc<Script>>, request: Request) -> Response {
    script.arrivals.lock().unwrap().push(Instant::now());
    let next = {
        let mut answers = script.answers.lock().unwrap();
        if answers.len() > 1 {
            answers.pop_front()
        } else {
            answers.front().cloned()
        }
    };
    match next.expect("a scripted answer") {
        Answer::Error(error, retry_after) => error_response(&error(), retry_after),
        Answer::Ok(body) => Response::new(Body::from(body)),
        Answer::NeedsFreshToken => {
            let authorization = request.headers().get(http::header::AUTHORIZATION);
            if authorization == Some(&HeaderValue::from_static("Bearer fresh")) {
                Response::new(Body::from(r#"["fresh"]"#))
            } else {
                let message = "The bearer token is expired or malformed.".to_owned();
                error_response(&VendorError::InvalidToken { message }, None)
            }
        }
        Answer::Stall => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Response::new(Body::from("too late"))
        }
        Answer::Huge(len) => {
            let mut response = Response::new(Body::from(vec![b'x'; len]));
            *response.status_mut() = StatusCode::BAD_GATEWAY;
            response
        }
    }
}

fn error_response(error: &VendorError, retry_after: Option<&'static str>) -> Response {
    let (mut parts, body) = error.to_response().into_parts();
    if let Some(value) = retry_after {
        parts
            .headers
            .insert(http::header::RETRY_AFTER, HeaderValue::from_static(value));
    }
    parts
        .headers
        .insert("x-request-id", HeaderValue::from_static("req-42"));
    Response::from_parts(parts, Body::from(body))
}

/// Serves `answers` on 127.0.0.1 (a free port); returns the base URL and the script.
async fn serve(answers: impl IntoIterator<Item = Answer>) -> (String, Arc<Script>) {
    let script = Arc::new(Script::default());
    script.answers.lock().unwrap().extend(answers);
    let routes = Router::new()
        .fallback(answer)
        .with_state(Arc::clone(&script));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, routes).await });
    (format!("http://{address}"), script)
}

fn recorded() -> (
    Arc<Mutex<Vec<RetryEvent>>>,
    impl Fn(&RetryEvent) + Send + Sync + 'static,
) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&events);
    (events, move |event: &RetryEvent| {
        seen.lock().unwrap().push(event.clone());
    })
}

/// Seed 004's policy without jitter, so the waits are exact.
fn policy() -> RetryPolicy {
    RetryPolicy::new()
        .with_jitter(Jitter::None)
        .with_max_delay(Duration::from_secs(30))
        .with_max_attempts(6)
}

#[tokio::test(start_paused = true)]
async fn waits_the_hints_retries_and_decodes_every_error() {
    let (url, script) = serve([
        Answer::Error(|| VendorError::ServiceUnavailable, Some("7")),
        Answer::Error(|| VendorError::RateLimitExceeded, Some("3")),
        Answer::Ok(r#"["a","b"]"#),
    ])
    .await;
    let (events, observer) = recorded();
    let driver = RetryDriver::tokio(policy())
        .with_rng(SplitMix64::new(4))
        .with_observer(observer);
    let client = reqwest::Client::new();
    let decoded = Mutex::new(Vec::new());

    let start = Instant::now();
    let items: Vec<String> = driver
        .run(Idempotency::Idempotent, |_| async {
            let result = match client.get(format!("{url}/items")).send().await {
                Ok(response) => response.api_json::<Vec<String>, VendorError>().await,
                Err(error) => Err(ClientError::Transport(error)),
            };
            if let Err(ClientError::Api(error)) = &result {
                decoded.lock().unwrap().push((
                    error.meta.status,
                    error.error.code().to_owned(),
                    error.error.retry(),
                    error.meta.retry_after,
                    error.meta.request_id.clone(),
                ));
            }
            result
        })
        .await
        .unwrap();

    assert_eq!(items, ["a", "b"]);
    assert_eq!(
        *decoded.lock().unwrap(),
        [
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "service_unavailable".to_owned(),
                Retry::Backoff,
                Some(RetryAfter::Delay(Duration::from_secs(7))),
                Some("req-42".to_owned()),
            ),
            (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limit_exceeded".to_owned(),
                Retry::Throttled,
                Some(RetryAfter::Delay(Duration::from_secs(3))),
                Some("req-42".to_owned()),
            ),
        ]
    );
    let events = events.lock().unwrap();
    let waits: Vec<_> = events
        .iter()
        .filter_map(|event| match event {
            RetryEvent::Retrying {
                next_attempt,
                delay,
                ..
            } => Some((*next_attempt, *delay)),
            _ => None,
        })
        .collect();
    assert_eq!(
        waits,
        [(2, Duration::from_secs(7)), (3, Duration::from_secs(3))],
        "the hints, not the 1 s and 2 s backoff"
    );
    let arrivals = script.arrivals.lock().unwrap();
    assert_eq!(arrivals.len(), 3, "two retries");
    assert!(arrivals[1] - arrivals[0] >= Duration::from_secs(7));
    assert!(arrivals[2] - arrivals[1] >= Duration::from_secs(3));
    assert!(
        start.elapsed() >= Duration::from_secs(10),
        "on the paused clock"
    );
}

#[tokio::test(start_paused = true)]
async fn gives_up_after_the_last_attempt_with_the_decoded_error() {
    let (url, script) = serve([Answer::Error(|| VendorError::ServiceUnavailable, None)]).await;
    let client = reqwest::Client::new();
    let driver = RetryDriver::tokio(policy().with_max_attempts(3)).with_rng(SplitMix64::new(1));
    let error = driver
        .run(Idempotency::Idempotent, |_| {
            send::<VendorError>(client.get(&url))
        })
        .await
        .unwrap_err();
    assert_eq!(error.reason(), StopReason::AttemptsExhausted);
    assert_eq!(error.attempts(), 3);
    assert_eq!(script.arrivals.lock().unwrap().len(), 3);
    let Some(ClientError::Api(last)) = error.last() else {
        panic!("expected a decoded error, got {:?}", error.last());
    };
    assert!(matches!(last.error, VendorError::ServiceUnavailable));
}

#[tokio::test(start_paused = true)]
async fn seed_004_invalid_token_refreshes_once_and_retries() {
    let (url, script) = serve([Answer::NeedsFreshToken]).await;
    let client = reqwest::Client::new();
    let token = Arc::new(Mutex::new("stale".to_owned()));
    let (events, observer) = recorded();
    let driver = RetryDriver::tokio(policy()).with_observer(observer);
    let items = driver
        .run_with_refresh(
            Idempotency::of(&http::Method::GET),
            |_| {
                let bearer = token.lock().unwrap().clone();
                let request = client.get(&url).bearer_auth(bearer);
                async move {
                    send::<VendorError>(request)
                        .await?
                        .api_json::<Vec<String>, VendorError>()
                        .await
                }
            },
            || {
                *token.lock().unwrap() = "fresh".to_owned();
                async { true }
            },
        )
        .await
        .unwrap();
    assert_eq!(items, ["fresh"]);
    assert_eq!(script.arrivals.lock().unwrap().len(), 2);
    assert!(matches!(
        events.lock().unwrap()[..],
        [
            RetryEvent::Failed { attempt: 1, failure, .. },
            RetryEvent::Reauthenticating { next_attempt: 2, .. },
            RetryEvent::Succeeded { attempts: 2, .. },
        ] if failure.class == Retry::Reauthenticate
    ));
}

#[tokio::test(start_paused = true)]
async fn refused_connections_are_transient_and_never_sent() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = reqwest::Client::new();
    let driver = RetryDriver::tokio(policy().with_max_attempts(3));
    let error = driver
        .run(Idempotency::of(&http::Method::POST), |_| {
            send::<VendorError>(client.post(&url))
        })
        .await
        .unwrap_err();
    let failure = error.last().unwrap().failure().unwrap();
    assert_eq!(failure.class, Retry::Backoff);
    assert!(!failure.sent);
    assert_eq!(
        error.attempts(),
        3,
        "a POST that never reached the server is retried"
    );
}

#[tokio::test(start_paused = true)]
async fn timeouts_are_transient() {
    let (url, script) = serve([Answer::Stall]).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let driver = RetryDriver::tokio(policy().with_max_attempts(3));
    let error = driver
        .run(Idempotency::Idempotent, |_| {
            send::<VendorError>(client.get(&url))
        })
        .await
        .unwrap_err();
    let Some(ClientError::Transport(timeout)) = error.last() else {
        panic!("expected a transport error, got {:?}", error.last());
    };
    assert!(timeout.is_timeout());
    let failure = error.last().unwrap().failure().unwrap();
    assert_eq!(failure.class, Retry::Backoff);
    assert!(failure.sent, "a timed-out request may have been processed");
    assert_eq!(error.reason(), StopReason::AttemptsExhausted);
    assert_eq!(script.arrivals.lock().unwrap().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn error_bodies_are_read_up_to_the_bound() {
    let (url, _script) = serve([Answer::Huge(4 * 1024 * 1024)]).await;
    let response = reqwest::get(&url).await.unwrap();
    let ClientError::Api(decoded) = decode_error::<VendorError>(response, 1024).await else {
        panic!("the unknown variant takes any body");
    };
    let VendorError::Other(unknown) = &decoded.error else {
        panic!(
            "a body cut at the bound is not an envelope: {:?}",
            decoded.error
        );
    };
    assert_eq!(unknown.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(decoded.meta.body.len(), 1024);
    assert_eq!(decoded.error.retry(), Retry::Backoff);
}

#[tokio::test(start_paused = true)]
async fn the_breaker_opens_on_an_outage_and_fails_fast() {
    let (url, script) = serve([Answer::Error(|| VendorError::ServiceUnavailable, None)]).await;
    let client = reqwest::Client::new();
    let transitions = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&transitions);
    let breaker = Arc::new(
        CircuitBreaker::new()
            .with_clock(TokioClock::new())
            .with_listener(move |t| seen.lock().unwrap().push((t.from, t.to))),
    );
    let driver = RetryDriver::tokio(policy().with_max_attempts(1)).with_breaker(breaker);
    for _ in 0..7 {
        let _ = driver
            .run(Idempotency::Idempotent, |_| {
                send::<VendorError>(client.get(&url))
            })
            .await;
    }
    assert_eq!(
        script.arrivals.lock().unwrap().len(),
        5,
        "two calls failed fast"
    );
    tokio::time::advance(Duration::from_secs(30)).await;
    let _ = driver
        .run(Idempotency::Idempotent, |_| {
            send::<VendorError>(client.get(&url))
        })
        .await;
    assert_eq!(script.arrivals.lock().unwrap().len(), 6, "one probe");
    assert_eq!(
        *transitions.lock().unwrap(),
        [
            (BreakerState::Closed, BreakerState::Open),
            (BreakerState::Open, BreakerState::HalfOpen),
            (BreakerState::HalfOpen, BreakerState::Open),
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn the_tower_policy_retries_on_the_hint() {
    let (url, script) = serve([
        Answer::Error(|| VendorError::ServiceUnavailable, Some("5")),
        Answer::Ok("done"),
    ])
    .await;
    let client = reqwest::Client::new();
    let service = ServiceBuilder::new()
        .retry(TowerRetryPolicy::tokio(policy()).with_rng(SplitMix64::new(2)))
        .service_fn(move |request: reqwest::Request| {
            let client = client.clone();
            async move { client.execute(request).await }
        });
    let start = Instant::now();
    let request = reqwest::Request::new(http::Method::GET, url.parse().unwrap());
    let response = service.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "done");
    assert_eq!(script.arrivals.lock().unwrap().len(), 2);
    assert!(start.elapsed() >= Duration::from_secs(5));

    // A POST is not repeated.
    let (url, script) = serve([Answer::Error(|| VendorError::ServiceUnavailable, None)]).await;
    let service = ServiceBuilder::new()
        .retry(TowerRetryPolicy::tokio(policy()))
        .service_fn(|request: reqwest::Request| async move {
            reqwest::Client::new().execute(request).await
        });
    let request = reqwest::Request::new(http::Method::POST, url.parse().unwrap());
    let response = service.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(script.arrivals.lock().unwrap().len(), 1);
}

/// Each level's `Display`, following `source()` from `error` down.
fn chain(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
    std::iter::successors(Some(error), |error| error.source())
        .map(ToString::to_string)
        .collect()
}

/// Serves one fixed flat-format 503 on 127.0.0.1; returns the base URL.
async fn serve_maintenance(code: &'static str) -> String {
    let routes = Router::new().fallback(move || async move {
        let body = format!(r#"{{"error":"{code}","message":"Maintenance until 06:00"}}"#);
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        response
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, routes).await });
    format!("http://{address}")
}

#[tokio::test(start_paused = true)]
async fn an_error_chain_through_retry_client_and_decoded_says_each_thing_once() {
    let driver = RetryDriver::tokio(policy().with_max_attempts(2)).with_rng(SplitMix64::new(1));
    let client = reqwest::Client::new();
    for (code, expected) in [
        // A known code: the vendor's words, then the variant's own.
        (
            "service_unavailable",
            &[
                "gave up after 2 attempt(s): no attempts left",
                "the server answered 503",
                "Maintenance until 06:00",
                "unavailable",
            ][..],
        ),
        // An unknown code: the `Unknown` variant's text already holds the message, so
        // the chain ends at what the server said.
        (
            "maintenance",
            &[
                "gave up after 2 attempt(s): no attempts left",
                "the server answered 503",
                "Maintenance until 06:00",
            ][..],
        ),
    ] {
        let url = serve_maintenance(code).await;
        let error = driver
            .run(Idempotency::Idempotent, |_| {
                send::<VendorError>(client.get(&url))
            })
            .await
            .unwrap_err();
        let levels = chain(&error);
        assert_eq!(levels, expected, "{code}");
        let all = levels.join("\n");
        for message in ["Maintenance until 06:00", "503", "gave up", "unavailable"] {
            assert!(
                all.matches(message).count() <= 1,
                "{message:?} more than once in {levels:#?}"
            );
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_transport_error_is_the_source_not_part_of_the_message() {
    // Nothing listens on this port once the listener is dropped.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let error = send::<VendorError>(reqwest::Client::new().get(format!("http://{address}")))
        .await
        .unwrap_err();
    let levels = chain(&error);
    assert_eq!(levels[0], "the request failed");
    assert!(levels.len() >= 2, "{levels:?}");
    let transport = levels[1].as_str();
    assert!(!levels[0].contains(transport));
}

/// Seed 004: "Do not retry sooner than this value." A 429 asking for an hour is never
/// retried early: the default policy (hints up to 60 s) stops and says how long the server
/// asked for; a policy that waits that long waits the whole hour, on the paused clock.
#[tokio::test(start_paused = true)]
async fn an_hour_long_retry_after_is_honoured_or_reported_never_cut_short() {
    let hour = Duration::from_secs(3600);
    let answers = || {
        [
            Answer::Error(|| VendorError::RateLimitExceeded, Some("3600")),
            Answer::Ok("[]"),
        ]
    };
    let client = reqwest::Client::new();

    let (url, script) = serve(answers()).await;
    let driver = RetryDriver::tokio(policy()).with_rng(SplitMix64::new(1));
    let error = driver
        .run(Idempotency::Idempotent, |_| {
            send::<VendorError>(client.get(&url))
        })
        .await
        .unwrap_err();
    assert_eq!(error.reason(), StopReason::RetryAfterTooLong(hour));
    assert_eq!(error.attempts(), 1);
    assert_eq!(error.retry_after(), Some(hour));
    assert_eq!(script.arrivals.lock().unwrap().len(), 1, "no early retry");
    assert!(error.to_string().contains("3600 s"), "{error}");

    let (url, script) = serve(answers()).await;
    let patient = RetryDriver::tokio(policy().with_max_retry_after(Duration::from_secs(7200)))
        .with_rng(SplitMix64::new(1));
    let response = patient
        .run(Idempotency::Idempotent, |_| {
            send::<VendorError>(client.get(&url))
        })
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let arrivals = script.arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 2);
    assert!(
        arrivals[1] - arrivals[0] >= hour,
        "{:?}",
        arrivals[1] - arrivals[0]
    );
}

/// One 429 holds back every caller: after a call through the driver receives
/// `429 Retry-After: 2`, calls that start while it waits send nothing before the two
/// seconds have passed on the driver's clock.
#[tokio::test(start_paused = true)]
async fn one_429_holds_back_every_caller_of_the_driver() {
    let (url, script) = serve([
        Answer::Error(|| VendorError::RateLimitExceeded, Some("2")),
        Answer::Ok("[]"),
    ])
    .await;
    let held = Arc::new(tokio::sync::Notify::new());
    let notify = Arc::clone(&held);
    let (events, observer) = recorded();
    let driver = Arc::new(
        RetryDriver::tokio(policy())
            .with_rng(SplitMix64::new(1))
            .with_observer(move |event| {
                observer(event);
                if matches!(event, RetryEvent::Retrying { .. }) {
                    notify.notify_one();
                }
            }),
    );
    let client = reqwest::Client::new();
    // One call through the shared driver, on its own task.
    let spawn_call = || {
        let (driver, client, url) = (Arc::clone(&driver), client.clone(), url.clone());
        tokio::spawn(async move {
            driver
                .run(Idempotency::Idempotent, |_| {
                    send::<VendorError>(client.get(&url))
                })
                .await
                .map(drop)
        })
    };
    let first = spawn_call();
    held.notified().await;
    let others: Vec<_> = (0..8).map(|_| spawn_call()).collect();
    first.await.unwrap().unwrap();
    for other in others {
        other.await.unwrap().unwrap();
    }
    let arrivals = script.arrivals.lock().unwrap().clone();
    assert_eq!(
        arrivals.len(),
        10,
        "the 429, its retry, and one request per other call"
    );
    for later in &arrivals[1..] {
        assert!(
            *later - arrivals[0] >= Duration::from_secs(2),
            "{:?}",
            *later - arrivals[0]
        );
    }
    let held_back = events
        .lock()
        .unwrap()
        .iter()
        .filter(|event| matches!(event, RetryEvent::HeldBack { .. }))
        .count();
    assert_eq!(held_back, 8, "every other call waited the hint out");
}

/// An attempt that outlives the policy's attempt timeout is abandoned and retried like
/// a transport timeout; no attempt runs past the overall deadline.
#[tokio::test(start_paused = true)]
async fn a_stalled_attempt_times_out_and_is_retried() {
    let (url, script) = serve([Answer::Stall, Answer::Ok("[]")]).await;
    let client = reqwest::Client::new();
    let (events, observer) = recorded();
    let driver = RetryDriver::tokio(policy().with_attempt_timeout(Duration::from_secs(5)))
        .with_rng(SplitMix64::new(1))
        .with_observer(observer);
    let started = Instant::now();
    let completed = driver
        .run_completed(Idempotency::Idempotent, |_| {
            send::<VendorError>(client.get(&url))
        })
        .await
        .unwrap();
    assert_eq!(completed.attempts, 2);
    assert_eq!(
        completed.waited,
        Duration::from_secs(1),
        "the backoff, not the timeout"
    );
    assert_eq!(completed.value.status(), 200);
    // 5 s of timeout, then the policy's first backoff (1 s without jitter).
    assert_eq!(started.elapsed(), Duration::from_secs(6));
    assert_eq!(script.arrivals.lock().unwrap().len(), 2);
    let events = events.lock().unwrap().clone();
    assert!(
        matches!(
            events[..],
            [
                RetryEvent::Failed { attempt: 1, failure, timed_out: true, .. },
                RetryEvent::Retrying { next_attempt: 2, .. },
                RetryEvent::Succeeded { attempts: 2, waited, .. },
            ] if failure.class == Retry::Backoff && waited == Duration::from_secs(1)
        ),
        "{events:?}"
    );

    let (url, _) = serve([Answer::Stall]).await;
    let driver = RetryDriver::tokio(policy().with_deadline(Duration::from_secs(7)));
    let started = Instant::now();
    let error = driver
        .run(Idempotency::Idempotent, |_| {
            send::<VendorError>(client.get(&url))
        })
        .await
        .unwrap_err();
    assert!(error.timed_out());
    assert!(error.last().is_none());
    assert_eq!(error.reason(), StopReason::DeadlineExceeded);
    assert!(
        started.elapsed() <= Duration::from_secs(7),
        "{:?}",
        started.elapsed()
    );
}

/// The observer learns each attempt's status, code and request id.
#[tokio::test(start_paused = true)]
async fn failed_events_say_what_the_response_said() {
    let (url, _) = serve([
        Answer::Error(|| VendorError::ServiceUnavailable, None),
        Answer::Ok("[]"),
    ])
    .await;
    let client = reqwest::Client::new();
    let (events, observer) = recorded();
    let driver = RetryDriver::tokio(policy())
        .with_rng(SplitMix64::new(1))
        .with_observer(observer);
    driver
        .run(Idempotency::Idempotent, |_| {
            send::<VendorError>(client.get(&url))
        })
        .await
        .unwrap();
    let events = events.lock().unwrap();
    let RetryEvent::Failed {
        status,
        code,
        request_id,
        timed_out,
        ..
    } = &events[0]
    else {
        panic!("{events:?}");
    };
    assert_eq!(*status, Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(code.as_deref(), Some("service_unavailable"));
    assert_eq!(request_id.as_deref(), Some("req-42"));
    assert!(!timed_out);
}

/// A `POST` is retried only with an idempotency key, and then with the same key on
/// every attempt; without one, a POST that reached the server is never repeated.
#[tokio::test(start_paused = true)]
async fn a_post_is_retried_with_one_idempotency_key_or_not_at_all() {
    use apierror::retry::IdempotencyKey;

    let keys: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
    let seen = Arc::clone(&keys);
    let routes = Router::new().fallback(move |request: Request| {
        let seen = Arc::clone(&seen);
        async move {
            let key = request
                .headers()
                .get(IdempotencyKey::HEADER)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned);
            let mut keys = seen.lock().unwrap();
            keys.push(key);
            if keys.len() == 1 || keys.len() == 3 {
                error_response(&VendorError::ServiceUnavailable, None)
            } else {
                Response::new(Body::from("[]"))
            }
        }
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, routes).await });
    let client = reqwest::Client::new();
    let driver = RetryDriver::tokio(policy()).with_rng(SplitMix64::new(7));

    driver
        .run_keyed(|_, key| {
            send::<VendorError>(
                client
                    .post(&url)
                    .header(IdempotencyKey::HEADER, key.as_str()),
            )
        })
        .await
        .unwrap();
    let error = driver
        .run(Idempotency::of(&http::Method::POST), |_| {
            send::<VendorError>(client.post(&url))
        })
        .await
        .unwrap_err();
    assert_eq!(error.reason(), StopReason::NotIdempotent);

    let keys = keys.lock().unwrap().clone();
    assert_eq!(keys.len(), 3, "two keyed attempts, one unkeyed: {keys:?}");
    let key = keys[0].clone().expect("the first attempt carries a key");
    assert_eq!(key.len(), 32);
    assert_eq!(
        keys[1].as_deref(),
        Some(key.as_str()),
        "the retry repeats the key"
    );
    assert_eq!(keys[2], None);
}

/// With the `tracing` feature, a 503 → 503 → 200 run is a `retry` span with an `attempt`
/// span per attempt, carrying OpenTelemetry's names with the right values.
#[tokio::test(start_paused = true)]
async fn a_retried_call_is_traced_with_semantic_convention_names() {
    let logs = crate::server_e2e::capture_logs();
    let (url, _) = serve([
        Answer::Error(|| VendorError::ServiceUnavailable, None),
        Answer::Error(|| VendorError::ServiceUnavailable, None),
        Answer::Ok("[]"),
    ])
    .await;
    let client = reqwest::Client::new();
    let driver = RetryDriver::tokio(policy()).with_rng(SplitMix64::new(1));
    driver
        .run(Idempotency::Idempotent, |_| {
            send::<VendorError>(client.get(&url))
        })
        .await
        .unwrap();
    let log = logs.text();
    let failed: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("attempt_failed"))
        .collect();
    assert_eq!(failed.len(), 2, "{log}");
    for (n, line) in failed.iter().enumerate() {
        assert!(line.contains("http.response.status_code=503"), "{line}");
        assert!(
            line.contains("error.type=\"service_unavailable\""),
            "{line}"
        );
        assert!(line.contains("request_id=\"req-42\""), "{line}");
        assert!(line.contains("http.request.method=\"GET\""), "{line}");
        assert!(line.contains("server.address=\"127.0.0.1\""), "{line}");
        assert!(line.contains(&format!("attempt={}", n + 1)), "{line}");
        assert_eq!(
            line.contains("http.request.resend_count=1"),
            n == 1,
            "resend count only on a resend: {line}"
        );
    }
    let retrying: Vec<&str> = log.lines().filter(|l| l.contains(" retrying ")).collect();
    assert_eq!(retrying.len(), 2, "{log}");
    assert!(retrying[0].contains("delay_ms=1000"), "{}", retrying[0]);
    assert!(retrying[1].contains("delay_ms=2000"), "{}", retrying[1]);
    let succeeded = log
        .lines()
        .find(|l| l.contains("succeeded"))
        .expect("a success event");
    assert!(succeeded.contains("attempts=3"), "{succeeded}");
    assert!(succeeded.contains("waited_ms=3000"), "{succeeded}");
}
