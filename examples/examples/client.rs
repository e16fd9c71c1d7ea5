//! A client calling a vendor through the retry driver: prints every decoded error, every
//! retry decision and delay, and every change of the circuit breaker's state.
//!
//! ```text
//! cargo run --example client            # against a local stub of Flextell (seed 004)
//! cargo run --example client -- URL     # against another server speaking the same format
//! ```
//!
//! The stub answers:
//! - `GET /items`: 503 with `Retry-After: 1`, then 429 with `Retry-After: 1`, then 200;
//! - `GET /me`: 401 `invalid_token` until the bearer token is `fresh`;
//! - `GET /reports`: 503 five times (an outage), then 200.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apierror::reqwest::{ClientError, send};
use apierror::retry::{
    CircuitBreaker, Idempotency, Jitter, RetryDriver, RetryEvent, RetryPolicy, TokioClock,
    TokioSleep,
};
use apierror::{ApiError, Unknown};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use http::HeaderValue;
use tokio::net::TcpListener;

/// Flextell's errors (seed 004): `{"error":"<code>","message":"…"}`.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat")]
enum VendorError {
    /// The bearer token expired: refresh it and retry.
    #[error("{message}")]
    #[status(401)]
    #[code("invalid_token")]
    #[retryable(reauthenticate)]
    InvalidToken {
        /// The vendor's explanation.
        #[api_error(message)]
        message: String,
    },

    /// Too many requests: wait `Retry-After`.
    #[error("rate limited")]
    #[status(429)]
    RateLimitExceeded,

    /// A temporary outage: back off.
    #[error("the service is temporarily unavailable")]
    #[status(503)]
    ServiceUnavailable,

    /// Anything else the vendor sends.
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

type Call = Result<String, ClientError<VendorError>>;

#[tokio::main]
async fn main() {
    let base = match std::env::args().nth(1) {
        Some(url) => url,
        None => serve_stub().await,
    };
    println!("calling {base}\n");

    // Seed 004's shape (doubling, jitter, Retry-After as a floor), scaled down so the
    // demonstration takes seconds; seed 001's breaker with a short open period.
    let policy = RetryPolicy::new()
        .with_initial_delay(Duration::from_millis(200))
        .with_jitter(Jitter::bounded(Duration::from_millis(100)))
        .with_max_delay(Duration::from_secs(5))
        .with_max_attempts(4);
    let breaker = Arc::new(
        CircuitBreaker::new()
            .with_failure_threshold(5)
            .with_open_duration(Duration::from_secs(2))
            .with_clock(TokioClock::new())
            .with_listener(|t| println!("  [breaker] {} -> {}", t.from, t.to)),
    );
    let driver: RetryDriver<TokioSleep, TokioClock> = RetryDriver::tokio(policy)
        .with_breaker(Arc::clone(&breaker))
        .with_observer(print_event);
    let client = reqwest::Client::new();
    let get = |path: &'static str, token: &str| {
        let request = client.get(format!("{base}{path}")).bearer_auth(token);
        async move {
            let result: Call = match send::<VendorError>(request).await {
                Ok(response) => response.text().await.map_err(ClientError::Transport),
                Err(error) => Err(error),
            };
            if let Err(error) = &result {
                print_error(error);
            }
            result
        }
    };

    println!("GET /items: an outage hint, then throttling, then success");
    let items = driver
        .run(Idempotency::Idempotent, |_| get("/items", "fresh"))
        .await;
    report(&items.map_err(|e| e.to_string()));

    println!("\nGET /me with an expired token: refresh once, retry at once");
    let token = Arc::new(Mutex::new("expired".to_owned()));
    let me = driver
        .run_with_refresh(
            Idempotency::Idempotent,
            |_| {
                let bearer = token.lock().map(|t| t.clone()).unwrap_or_default();
                get("/me", &bearer)
            },
            || {
                println!("  [refresh] new token: fresh");
                if let Ok(mut token) = token.lock() {
                    "fresh".clone_into(&mut token);
                }
                async { true }
            },
        )
        .await;
    report(&me.map_err(|e| e.to_string()));

    println!("\nGET /reports during an outage: the breaker opens, then fails fast");
    for call in 1..=3 {
        println!(" call {call}");
        let reports = driver
            .run(Idempotency::Idempotent, |_| get("/reports", "fresh"))
            .await;
        report(&reports.map_err(|e| e.to_string()));
    }
    println!(" waiting for the open period to end");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let reports = driver
        .run(Idempotency::Idempotent, |_| get("/reports", "fresh"))
        .await;
    report(&reports.map_err(|e| e.to_string()));
    println!("\nbreaker: {:?}", breaker.snapshot());
}

fn print_event(event: &RetryEvent) {
    match event {
        RetryEvent::Failed {
            attempt,
            failure,
            status,
            code,
            request_id,
            ..
        } => println!(
            "  [retry] attempt {attempt} failed: {} {code:?} (request id {request_id:?}), class {:?}, hint {:?}",
            status.map_or(0, |s| s.as_u16()),
            failure.class,
            failure.retry_after
        ),
        RetryEvent::Retrying {
            next_attempt,
            delay,
            ..
        } => println!("  [retry] attempt {next_attempt} in {delay:?}"),
        RetryEvent::HeldBack {
            next_attempt, wait, ..
        } => println!("  [retry] held back {wait:?} before attempt {next_attempt}"),
        RetryEvent::Reauthenticating { next_attempt, .. } => {
            println!("  [retry] refreshing credentials before attempt {next_attempt}");
        }
        RetryEvent::Succeeded {
            attempts, waited, ..
        } => println!("  [retry] succeeded at attempt {attempts} after waiting {waited:?}"),
        RetryEvent::GaveUp {
            attempts,
            reason,
            waited,
            ..
        } => {
            println!(
                "  [retry] gave up after {attempts} attempt(s) and {waited:?} waiting: {reason}"
            );
        }
        other => println!("  [retry] {other:?}"),
    }
}

fn print_error(error: &ClientError<VendorError>) {
    match error {
        ClientError::Api(decoded) => println!(
            "  [error] {} {} {:?}: {} (request id {:?})",
            decoded.meta.status.as_u16(),
            decoded.error.code(),
            decoded.error.retry(),
            decoded.error.message(),
            decoded.meta.request_id,
        ),
        other => println!("  [error] {other}"),
    }
}

fn report(result: &Result<String, String>) {
    match result {
        Ok(body) => println!("  => ok: {body}"),
        Err(error) => println!("  => {error}"),
    }
}

/// How many times each path was called.
type Counts = Arc<Mutex<HashMap<String, u32>>>;

/// Starts the Flextell stub on a free local port and returns its URL.
async fn serve_stub() -> String {
    let routes = Router::new().fallback(stub).with_state(Counts::default());
    let listener = match TcpListener::bind("127.0.0.1:0").await {
        Ok(listener) => listener,
        Err(error) => panic!("cannot bind a local port: {error}"),
    };
    let url = listener
        .local_addr()
        .map(|address| format!("http://{address}"))
        .unwrap_or_default();
    tokio::spawn(async move { axum::serve(listener, routes).await });
    url
}

async fn stub(State(counts): State<Counts>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let count = counts
        .lock()
        .map(|mut counts| {
            let count = counts.entry(path.clone()).or_default();
            *count += 1;
            *count
        })
        .unwrap_or_default();
    let fresh = request.headers().get(http::header::AUTHORIZATION)
        == Some(&HeaderValue::from_static("Bearer fresh"));
    match (path.as_str(), count) {
        ("/items", 1) => error(&VendorError::ServiceUnavailable, Some("1"), count),
        ("/items", 2) => error(&VendorError::RateLimitExceeded, Some("1"), count),
        ("/me", _) if !fresh => error(
            &VendorError::InvalidToken {
                message: "The bearer token is expired or malformed.".to_owned(),
            },
            None,
            count,
        ),
        ("/reports", 1..=5) => error(&VendorError::ServiceUnavailable, None, count),
        _ => Response::new(Body::from(format!("{path} #{count}"))),
    }
}

fn error(error: &VendorError, retry_after: Option<&'static str>, count: u32) -> Response {
    let (mut parts, body) = error.to_response().into_parts();
    if let Some(value) = retry_after {
        parts
            .headers
            .insert(http::header::RETRY_AFTER, HeaderValue::from_static(value));
    }
    if let Ok(id) = HeaderValue::from_str(&format!("req-{count}")) {
        parts.headers.insert("x-request-id", id);
    }
    Response::from_parts(parts, Body::from(body))
}
