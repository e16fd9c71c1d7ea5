//! A blocking client (ureq, no async runtime) calling a vendor through the blocking retry
//! driver: the same policy, `Retry-After` floor, breaker and decisions as the async one.
//!
//! ```text
//! cargo run --example blocking_client            # against a local stub (Flextell's format)
//! cargo run --example blocking_client -- URL     # against another server speaking it
//! ```
//!
//! The stub answers `GET /items` with 503 (`Retry-After: 1`), then 429 (`Retry-After: 1`),
//! then 200; and `POST /orders` with 503, then 201 (the same `Idempotency-Key` both times).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use apierror::retry::{CircuitBreaker, Idempotency, Jitter, RetryDriver, RetryEvent, RetryPolicy};
use apierror::ureq::{ClientError, call, send};
use apierror::{ApiError, Unknown};

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

fn main() {
    let base = std::env::args().nth(1).unwrap_or_else(serve_stub);
    println!("calling {base}\n");

    let policy = RetryPolicy::new()
        .with_initial_delay(Duration::from_millis(200))
        .with_jitter(Jitter::bounded(Duration::from_millis(100)))
        .with_max_attempts(4)
        .with_attempt_timeout(Duration::from_secs(5));
    let driver = RetryDriver::blocking(policy)
        .with_breaker(Arc::new(CircuitBreaker::new()))
        .with_observer(print_event);
    let agent = ureq::Agent::new_with_defaults();

    println!("GET /items: an outage hint, then throttling, then success");
    let items = driver.run_blocking(Idempotency::Idempotent, |attempt| {
        // A blocking call cannot be abandoned from outside: ureq gets the attempt's time.
        let request = agent
            .get(format!("{base}/items"))
            .config()
            .timeout_global(attempt.timeout)
            .build();
        let mut response = call::<VendorError>(request).inspect_err(print_error)?;
        response
            .body_mut()
            .read_to_string()
            .map_err(ClientError::Transport)
    });
    println!("  => {}", items.unwrap_or_else(|e| e.to_string()));

    println!("\nPOST /orders: one idempotency key for every attempt, so it is retried");
    let order = driver.run_blocking_keyed(|_, key| {
        let request = agent
            .post(format!("{base}/orders"))
            .header("idempotency-key", key.as_str());
        send::<VendorError>(request, r#"{"item":"a"}"#)
            .inspect_err(print_error)
            .map(|response| response.status())
    });
    println!(
        "  => {}",
        order.map_or_else(|e| e.to_string(), |s| s.to_string())
    );
}

fn print_event(event: &RetryEvent) {
    match event {
        RetryEvent::Retrying {
            next_attempt,
            delay,
            ..
        } => println!("  [retry] attempt {next_attempt} in {delay:?}"),
        RetryEvent::Succeeded {
            attempts, waited, ..
        } => println!("  [retry] succeeded at attempt {attempts} after waiting {waited:?}"),
        RetryEvent::GaveUp {
            attempts, reason, ..
        } => println!("  [retry] gave up after {attempts} attempt(s): {reason}"),
        _ => {}
    }
}

fn print_error(error: &ClientError<VendorError>) {
    match error {
        ClientError::Api(decoded) => println!(
            "  [error] {} {}: {} (Retry-After {:?})",
            decoded.meta.status.as_u16(),
            decoded.error.code(),
            decoded.error.message(),
            decoded.meta.retry_after,
        ),
        other => println!("  [error] {other}"),
    }
}

/// Serves the scripted answers on 127.0.0.1 from a thread, with the standard library
/// alone; returns the base URL.
fn serve_stub() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    let address = listener.local_addr().expect("the port's address");
    std::thread::spawn(move || {
        let mut items = 0;
        let mut orders = 0;
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let mut length = 0;
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) <= 2 {
                    break;
                }
                if let Some(value) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            let _ = std::io::Read::read_exact(&mut reader, &mut vec![0; length]);
            let (status, extra, body) = if line.starts_with("GET /items") {
                items += 1;
                match items {
                    1 => (
                        "503 Service Unavailable",
                        "Retry-After: 1\r\n",
                        r#"{"error":"service_unavailable","message":"down for maintenance"}"#,
                    ),
                    2 => (
                        "429 Too Many Requests",
                        "Retry-After: 1\r\n",
                        r#"{"error":"rate_limit_exceeded","message":"slow down"}"#,
                    ),
                    _ => ("200 OK", "", r#"["a","b"]"#),
                }
            } else {
                orders += 1;
                match orders {
                    1 => (
                        "503 Service Unavailable",
                        "",
                        r#"{"error":"service_unavailable","message":"try again"}"#,
                    ),
                    _ => ("201 Created", "", r#"{"id":1}"#),
                }
            };
            let _ = write!(
                &stream,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{extra}content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{address}")
}
