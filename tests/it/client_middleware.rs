//! reqwest-middleware: `RetryMiddleware` in a real `ClientWithMiddleware` against a
//! loopback stub, on a paused tokio clock. It retries as the decoded error says (schedule,
//! `Retry-After`, a vendor's own signal), hands back the last error response byte for
//! byte with a report, and says why when it has no response to show.

use std::sync::Arc;
use std::time::Duration;

use apierror::reqwest::{ClientError, ResponseExt};
use apierror::reqwest_middleware::{RetryMiddleware, RetryReport, stopped};
use apierror::retry::{
    CircuitBreaker, Jitter, RetryDriver, RetryPolicy, SplitMix64, StopReason, TokioClock,
    TokioSleep,
};
use apierror::{ApiError, Unknown};
use apierror_examples::vendors::slack::SlackError;
use apierror_examples::vendors::stripe::StripeError;
use http::{HeaderName, StatusCode};
use reqwest_middleware::{ClientBuilder, ClientWithMiddleware};

use crate::support::{Answer, Seen, Stub};
use tokio::time::Instant;

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

    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

/// Serves `answers` in order on 127.0.0.1, each after `delay`; its URL and what it saw.
async fn serve(answers: Vec<Answer<&'static str>>, delay: Duration) -> (String, Seen) {
    let stub = Stub::serve(answers, delay).await;
    (stub.url, stub.seen)
}

/// No jitter, five attempts.
fn policy() -> RetryPolicy {
    RetryPolicy::new()
        .with_jitter(Jitter::None)
        .with_max_attempts(5)
}

fn client<E: ApiError + 'static>(middleware: RetryMiddleware<E>) -> ClientWithMiddleware {
    ClientBuilder::new(reqwest::Client::new())
        .with(middleware)
        .build()
}

fn driver(policy: RetryPolicy) -> RetryDriver<TokioSleep, TokioClock> {
    RetryDriver::tokio(policy).with_rng(SplitMix64::new(5))
}

const UNAVAILABLE: &str = r#"{"error":"service_unavailable","message":"down"}"#;

#[tokio::test(start_paused = true)]
async fn it_retries_on_the_policys_schedule_and_the_servers_hint() {
    let (url, seen) = serve(
        vec![
            (503, vec![], UNAVAILABLE),
            (503, vec![], UNAVAILABLE),
            (
                429,
                vec![("retry-after", "30")],
                r#"{"error":"rate_limit_exceeded","message":"slow"}"#,
            ),
        ],
        Duration::ZERO,
    )
    .await;
    let client = client(RetryMiddleware::<VendorError>::new(policy()));
    let start = Instant::now();
    let response = client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.extensions().get::<RetryReport>().is_none());
    assert_eq!(response.text().await.unwrap(), r#"["a"]"#);
    assert_eq!(seen.lock().unwrap().len(), 4);
    // 1 s and 2 s of backoff, then the 429's 30 s.
    assert_eq!(start.elapsed().as_secs(), 33);
}

#[tokio::test(start_paused = true)]
async fn after_the_last_attempt_the_error_response_comes_back_whole() {
    let (url, seen) = serve(
        vec![(503, vec![("x-request-id", "r-1")], UNAVAILABLE); 3],
        Duration::ZERO,
    )
    .await;
    let client = client(RetryMiddleware::<VendorError>::new(
        policy().with_max_attempts(2),
    ));
    let response = client.get(format!("{url}/items")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.url().path(), "/items");
    assert_eq!(
        response
            .extensions()
            .get::<RetryReport>()
            .map(|r| (r.reason, r.attempts)),
        Some((StopReason::AttemptsExhausted, 2))
    );
    assert_eq!(seen.lock().unwrap().len(), 2);
    // Decoded as without the middleware, from the bytes the server sent.
    let error = response.api_error::<VendorError>().await.unwrap_err();
    let ClientError::Api(decoded) = error else {
        panic!("not decoded: {error:?}");
    };
    assert!(matches!(decoded.error, VendorError::ServiceUnavailable));
    assert_eq!(decoded.meta.request_id.as_deref(), Some("r-1"));
    assert_eq!(decoded.meta.body, UNAVAILABLE.as_bytes());
}

#[tokio::test(start_paused = true)]
async fn a_post_is_repeated_only_with_a_key() {
    let (url, seen) = serve(vec![(503, vec![], UNAVAILABLE); 4], Duration::ZERO).await;
    let plain = client(RetryMiddleware::<VendorError>::new(policy()));
    let response = plain.post(&url).body("{}").send().await.unwrap();
    assert_eq!(
        response.extensions().get::<RetryReport>().map(|r| r.reason),
        Some(StopReason::NotIdempotent)
    );
    assert_eq!(seen.lock().unwrap().len(), 1);

    // A key of the caller's: retried, with that key.
    let response = plain
        .post(&url)
        .header("idempotency-key", "mine")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        seen.lock().unwrap()[1..]
            .iter()
            .all(|(method, key)| method == "POST" && key.as_deref() == Some("mine"))
    );
    // Minted: one key for the call, on each attempt.
    let keyed = client(
        RetryMiddleware::<VendorError>::new(policy())
            .with_idempotency_key(HeaderName::from_static("idempotency-key")),
    );
    let (url, seen) = serve(vec![(503, vec![], UNAVAILABLE); 2], Duration::ZERO).await;
    let response = keyed.post(&url).body("{}").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let seen = seen.lock().unwrap();
    let keys: Vec<_> = seen.iter().map(|(_, key)| key.clone().unwrap()).collect();
    assert_eq!(keys.len(), 3);
    assert!(
        keys.iter().all(|key| *key == keys[0] && key.len() >= 16),
        "{keys:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn with_no_response_to_show_it_says_why() {
    // Nothing listens on a port that was just free: refused, never sent, retried.
    let address = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let refused = client(RetryMiddleware::<VendorError>::new(
        policy().with_max_attempts(3),
    ));
    let error = refused
        .post(format!("http://{address}"))
        .body("{}")
        .send()
        .await
        .unwrap_err();
    let why = stopped(&error).expect("the middleware's own error");
    assert_eq!(why.reason(), StopReason::AttemptsExhausted);
    assert_eq!(why.attempts(), 3);
    assert!(
        why.last()
            .is_some_and(reqwest_middleware::Error::is_connect)
    );
    assert!(std::error::Error::source(why).is_some());

    // An open breaker: no attempt at all.
    let (url, _) = serve(vec![(503, vec![], UNAVAILABLE); 2], Duration::ZERO).await;
    let breaker = Arc::new(
        CircuitBreaker::new()
            .with_failure_threshold(1)
            .with_open_duration(Duration::from_secs(60)),
    );
    let driver = Arc::new(driver(policy().with_max_attempts(1)).with_breaker(breaker));
    let guarded = client(RetryMiddleware::<VendorError>::with_driver(driver));
    let first = guarded.get(&url).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::SERVICE_UNAVAILABLE);
    let error = guarded.get(&url).send().await.unwrap_err();
    let why = stopped(&error).unwrap();
    assert_eq!((why.reason(), why.attempts()), (StopReason::CircuitOpen, 0));
}

#[tokio::test(start_paused = true)]
async fn an_attempt_past_its_timeout_is_abandoned_and_retried() {
    let (url, seen) = serve(Vec::new(), Duration::from_secs(10)).await;
    let client = client(RetryMiddleware::<VendorError>::new(
        policy()
            .with_max_attempts(2)
            .with_attempt_timeout(Duration::from_secs(1)),
    ));
    let start = Instant::now();
    let error = client.get(&url).send().await.unwrap_err();
    let why = stopped(&error).unwrap();
    assert_eq!(why.reason(), StopReason::AttemptsExhausted);
    assert_eq!(why.attempts(), 2);
    assert!(why.last().is_none());
    assert_eq!(seen.lock().unwrap().len(), 2);
    // Two attempts of 1 s, 1 s apart.
    assert_eq!(start.elapsed().as_secs(), 3);
}

#[tokio::test(start_paused = true)]
async fn vendors_signals_decide_and_their_2xx_errors_are_errors() {
    // Stripe's 500 that says not to retry: one attempt, the response back.
    let stripe = r#"{"error":{"message":"An unknown error occurred","type":"api_error"}}"#;
    let (url, seen) = serve(
        vec![(500, vec![("stripe-should-retry", "false")], stripe); 2],
        Duration::ZERO,
    )
    .await;
    let client_stripe = client(RetryMiddleware::<StripeError>::new(policy()));
    let response = client_stripe.get(&url).send().await.unwrap();
    assert_eq!(
        response.extensions().get::<RetryReport>().map(|r| r.reason),
        Some(StopReason::NotRetryable)
    );
    assert_eq!(response.text().await.unwrap(), stripe);
    assert_eq!(seen.lock().unwrap().len(), 1);

    // Slack's error with 200: not retried, handed back, decoded by `api_error`; its
    // success passes with its body.
    let slack = r#"{"ok":false,"error":"channel_not_found"}"#;
    let (url, seen) = serve(
        vec![(200, vec![], slack), (200, vec![], r#"{"ok":true}"#)],
        Duration::ZERO,
    )
    .await;
    let client_slack = client(RetryMiddleware::<SlackError>::new(policy()));
    let response = client_slack.get(&url).send().await.unwrap();
    let error = response.api_error::<SlackError>().await.unwrap_err();
    assert!(matches!(
        error,
        ClientError::Api(ref d) if matches!(d.error, SlackError::ChannelNotFound)
    ));
    let response = client_slack.get(&url).send().await.unwrap();
    assert_eq!(response.text().await.unwrap(), r#"{"ok":true}"#);
    assert_eq!(seen.lock().unwrap().len(), 2);

    // A success longer than any envelope the middleware reads to tell: handed back
    // whole, every byte.
    let big = format!(r#"{{"ok":true,"pad":"{}"}}"#, "x".repeat(1_200_000));
    let big: &'static str = Box::leak(big.into_boxed_str());
    let (url, _) = serve(vec![(200, vec![], big)], Duration::ZERO).await;
    let response = client_slack.get(&url).send().await.unwrap();
    assert_eq!(response.bytes().await.unwrap().len(), big.len());

    // Slack's 429 with `Retry-After`: waited, then the success.
    let (url, _) = serve(
        vec![(
            429,
            vec![("retry-after", "30")],
            r#"{"ok":false,"error":"ratelimited"}"#,
        )],
        Duration::ZERO,
    )
    .await;
    let start = Instant::now();
    let response = client_slack.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(start.elapsed().as_secs(), 30);
}

#[tokio::test(start_paused = true)]
async fn each_call_and_attempt_is_a_span_with_opentelemetrys_names() {
    let logs = crate::server_e2e::capture_logs();
    let (url, _) = serve(vec![(503, vec![], UNAVAILABLE)], Duration::ZERO).await;
    let client = client(RetryMiddleware::<VendorError>::new(policy()));
    let response = client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = logs.text();
    for needle in [
        "http.request.method=\"GET\"",
        "server.address=\"127.0.0.1\"",
        "http.response.status_code=503",
        "retrying next_attempt=2",
    ] {
        assert!(text.contains(needle), "{needle} in:\n{text}");
    }
}
