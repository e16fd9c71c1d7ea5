//! A reqwest-middleware client whose retries decide by the vendor's decoded errors:
//! `RetryMiddleware` in place of reqwest-retry's `RetryTransientMiddleware`.
//!
//! ```text
//! cargo run --example middleware_client            # against a local stub (seed 004's format)
//! cargo run --example middleware_client -- URL     # against another server speaking it
//! ```
//!
//! The stub answers `GET /items` with 503 (`Retry-After: 1`), then 429 (`Retry-After: 1`),
//! then 200; and `GET /reports` with 503 every time.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use apierror::reqwest::{ClientError, ResponseExt};
use apierror::reqwest_middleware::{RetryMiddleware, RetryReport};
use apierror::retry::{Jitter, RetryDriver, RetryEvent, RetryPolicy};
use apierror::{ApiError, Unknown};
use axum::Router;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use tokio::net::TcpListener;

/// Flextell's errors (seed 004): `{"error":"<code>","message":"…"}`.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat")]
enum VendorError {
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

#[tokio::main]
async fn main() {
    let base = match std::env::args().nth(1) {
        Some(url) => url,
        None => serve_stub().await,
    };
    println!("calling {base}\n");

    let policy = RetryPolicy::new()
        .with_initial_delay(Duration::from_millis(200))
        .with_jitter(Jitter::bounded(Duration::from_millis(100)))
        .with_max_attempts(3);
    let driver = RetryDriver::tokio(policy).with_observer(|event| {
        if let RetryEvent::Retrying {
            next_attempt,
            delay,
            ..
        } = event
        {
            println!("  [retry] attempt {next_attempt} in {delay:?}");
        }
    });
    let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(RetryMiddleware::<VendorError>::with_driver(Arc::new(
            driver,
        )))
        .build();

    for path in ["/items", "/reports"] {
        println!("GET {path}");
        let response = match client.get(format!("{base}{path}")).send().await {
            Ok(response) => response,
            Err(error) => {
                println!("  => {error}");
                continue;
            }
        };
        if let Some(report) = response.extensions().get::<RetryReport>() {
            println!(
                "  [retry] stopped after {} attempt(s): {}",
                report.attempts, report.reason
            );
        }
        match response.api_json::<Vec<String>, VendorError>().await {
            Ok(items) => println!("  => {items:?}"),
            Err(ClientError::Api(decoded)) => println!(
                "  => {} {}: {}",
                decoded.meta.status.as_u16(),
                decoded.error.code(),
                decoded
            ),
            Err(other) => println!("  => {other}"),
        }
    }
}

/// Serves the scripted answers on 127.0.0.1; returns the base URL.
async fn serve_stub() -> String {
    let items = Arc::new(AtomicUsize::new(0));
    let routes = Router::new()
        .fallback(
            |State(items): State<Arc<AtomicUsize>>, request: Request| async move {
                let answer = |status, retry_after: Option<&'static str>, body: &'static str| {
                    let mut response: Response =
                        (status, [("content-type", "application/json")], body).into_response();
                    if let Some(seconds) = retry_after {
                        response
                            .headers_mut()
                            .insert("retry-after", http::HeaderValue::from_static(seconds));
                    }
                    response
                };
                if request.uri().path() != "/items" {
                    return answer(
                        StatusCode::SERVICE_UNAVAILABLE,
                        None,
                        r#"{"error":"service_unavailable","message":"Reports are rebuilding"}"#,
                    );
                }
                match items.fetch_add(1, Ordering::SeqCst) {
                    0 => answer(
                        StatusCode::SERVICE_UNAVAILABLE,
                        Some("1"),
                        r#"{"error":"service_unavailable","message":"down for maintenance"}"#,
                    ),
                    1 => answer(
                        StatusCode::TOO_MANY_REQUESTS,
                        Some("1"),
                        r#"{"error":"rate_limit_exceeded","message":"slow down"}"#,
                    ),
                    _ => answer(StatusCode::OK, None, r#"["a","b"]"#),
                }
            },
        )
        .with_state(items);
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free loopback port");
    let address = listener.local_addr().expect("the port's address");
    tokio::spawn(async move { axum::serve(listener, routes).await });
    format!("http://{address}")
}
