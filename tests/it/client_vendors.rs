//! The four vendors' retry signals through a real reqwest client against a loopback stub:
//! the decoded error goes to the driver as it is, and the tracing output shows each
//! decision.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use apierror::ApiError;
use apierror::reqwest::send;
use apierror::retry::{Idempotency, RetryDriver, RetryPolicy, SplitMix64, StopReason};
use apierror_examples::vendors::github::GitHubError;
use apierror_examples::vendors::google::GoogleError;
use apierror_examples::vendors::slack::SlackError;
use apierror_examples::vendors::stripe::StripeError;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use tokio::net::TcpListener;
use tokio::time::Instant;

use crate::server_e2e::capture_logs;

/// One scripted answer: status, headers, body.
type Answer = (u16, Vec<(&'static str, String)>, &'static str);

/// The answers still to give.
type Script = Arc<Mutex<std::vec::IntoIter<Answer>>>;

/// Serves `answers` in order on 127.0.0.1 (then 200 `{}`), counting arrivals.
async fn serve(answers: Vec<Answer>) -> (String, Arc<Mutex<usize>>) {
    let script: Script = Arc::new(Mutex::new(answers.into_iter()));
    let arrivals = Arc::new(Mutex::new(0));
    let counted = Arc::clone(&arrivals);
    let routes = Router::new()
        .fallback(move |State(script): State<Script>| {
            let counted = Arc::clone(&counted);
            async move {
                *counted.lock().unwrap() += 1;
                let next = script.lock().unwrap().next();
                let (status, headers, body) = next.unwrap_or((200, Vec::new(), "{}"));
                let mut response = Response::new(Body::from(body));
                *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
                for (name, value) in headers {
                    response.headers_mut().insert(name, value.parse().unwrap());
                }
                response
            }
        })
        .with_state(script);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, routes).await });
    (format!("http://{address}"), arrivals)
}

/// Calls the stub through the driver: how it ended, the arrivals, the time waited.
async fn call<E: ApiError + std::fmt::Debug + Send + 'static>(
    answers: Vec<Answer>,
) -> (Result<(), StopReason>, usize, Duration) {
    let (url, arrivals) = serve(answers).await;
    let client = reqwest::Client::new();
    let driver = RetryDriver::tokio(RetryPolicy::new()).with_rng(SplitMix64::new(8));
    let start = Instant::now();
    let result = driver
        .run(Idempotency::Idempotent, |_| send::<E>(client.get(&url)))
        .await
        .map(drop)
        .map_err(|error| error.reason());
    let arrivals = *arrivals.lock().unwrap();
    (result, arrivals, start.elapsed())
}

fn unix_in(seconds: u64) -> String {
    (SystemTime::now() + Duration::from_secs(seconds))
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string()
}

#[tokio::test(start_paused = true)]
async fn github_slack_google_and_stripe_retry_as_they_ask() {
    let logs = capture_logs();

    // GitHub's primary limit: a 403 with no request left, until the reset.
    let (result, arrivals, waited) = call::<GitHubError>(vec![(
        403,
        vec![
            ("x-ratelimit-remaining", "0".into()),
            ("x-ratelimit-reset", unix_in(45)),
        ],
        r#"{"message":"API rate limit exceeded for 203.0.113.7.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api","status":"403"}"#,
    )])
    .await;
    assert_eq!((result, arrivals), (Ok(()), 2));
    // The reset is a Unix time in whole seconds: up to a second sooner than 45 s.
    assert!(
        waited > Duration::from_secs(43) && waited <= Duration::from_secs(45),
        "{waited:?}"
    );

    // GitHub's secondary limit: a 403 with retry-after.
    let (result, arrivals, waited) = call::<GitHubError>(vec![(
        403,
        vec![("retry-after", "60".into())],
        r#"{"message":"You have exceeded a secondary rate limit.","status":"403"}"#,
    )])
    .await;
    assert_eq!((result, arrivals), (Ok(()), 2));
    assert_eq!(waited.as_secs(), 60);

    // Slack's 429.
    let (result, arrivals, waited) = call::<SlackError>(vec![(
        429,
        vec![("retry-after", "30".into())],
        r#"{"ok":false,"error":"ratelimited"}"#,
    )])
    .await;
    assert_eq!((result, arrivals), (Ok(()), 2));
    assert_eq!(waited.as_secs(), 30);

    // Google's RetryInfo, over a shorter Retry-After.
    let (result, arrivals, waited) = call::<GoogleError>(vec![(
        429,
        vec![("retry-after", "5".into())],
        r#"{"error":{"code":429,"message":"Quota exceeded for quota metric 'Read requests'.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","domain":"googleapis.com","metadata":{"service":"pubsub.googleapis.com"}},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"30s"}]}}"#,
    )])
    .await;
    assert_eq!((result, arrivals), (Ok(()), 2));
    assert_eq!(waited.as_secs(), 30);

    // Stripe's 500 that says not to retry.
    let (result, arrivals, _) = call::<StripeError>(vec![(
        500,
        vec![("stripe-should-retry", "false".into())],
        r#"{"error":{"message":"An unknown error occurred","type":"api_error"}}"#,
    )])
    .await;
    assert_eq!((result, arrivals), (Err(StopReason::NotRetryable), 1));

    let text = logs.text();
    for decision in [
        "http.response.status_code=403",
        "retrying next_attempt=2 delay_ms=60000",
        "retrying next_attempt=2 delay_ms=30000",
        "http.response.status_code=500",
        "gave_up",
    ] {
        assert!(text.contains(decision), "{decision} in:\n{text}");
    }
}
