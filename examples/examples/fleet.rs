//! A fleet of replicas against one vendor: 8 client processes, each with 50 concurrent
//! workers calling every 100 ms for 3 s, against a loopback stub that answers its first
//! request with 429 and `Retry-After: 2`, then 200. Counts what the stub receives during
//! the 2 s hold, with per-process gates and with the gate in Redis, and what a fleet
//! question costs.
//!
//! ```text
//! cargo run --release --example fleet                 # starts its own redis-server (from PATH)
//! cargo run --release --example fleet -- redis://…    # an existing Redis
//! ```

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use apierror::reqwest::{ClientError, send};
use apierror::retry::{
    FleetStore, Idempotency, Outcome, RedisStore, Report, RetryDriver, RetryPolicy,
};
use apierror::{ApiError, Unknown};
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::StatusCode;

const PROCESSES: usize = 8;
const WORKERS: usize = 50;
const RUN: Duration = Duration::from_secs(3);
const EVERY: Duration = Duration::from_millis(100);
const HOLD: Duration = Duration::from_secs(2);
/// Requests already on their way when the 429 was answered may still arrive this long
/// after it.
const GRACE: Duration = Duration::from_millis(100);

/// The vendor's errors.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "flat")]
enum VendorError {
    /// Over the rate limit.
    #[error("rate limited")]
    #[status(429)]
    RateLimitExceeded,
    /// Anything else.
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}

fn main() {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("replica") => {
            let stub = args.next().expect("the stub's URL");
            let redis = args.next().filter(|url| url != "-");
            replica(&stub, redis.as_deref());
        }
        redis => lead(redis),
    }
}

/// Runs the fleet twice, without and with Redis, and prints what the stub saw.
fn lead(redis: Option<&str>) {
    let (own, url) = redis.map_or_else(
        || {
            let (child, url) = start_redis();
            (Some(child), url)
        },
        |url| (None, url.to_owned()),
    );
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    println!(
        "{PROCESSES} processes × {WORKERS} workers, one call every {EVERY:?} each for {RUN:?}; the first answer is 429 with Retry-After: {}\n",
        HOLD.as_secs()
    );
    for (label, store) in [
        ("per-process gates", None),
        ("gate in Redis", Some(url.as_str())),
    ] {
        let seen = runtime.block_on(fleet(store));
        println!(
            "{label:>18}: {} requests, {} of them during the hold (after a {GRACE:?} grace)",
            seen.total, seen.during_hold
        );
    }
    let per_question = runtime.block_on(question_cost(&url));
    println!(
        "\nA fleet question before an attempt (hold and breaker, one script) on loopback Redis: {per_question:?} per attempt (median of 1000)"
    );
    if let Some(mut child) = own {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// The stub's state: when each request arrived, and how many came.
type Stub = (Arc<Mutex<Vec<Instant>>>, Arc<AtomicUsize>);

/// What the stub saw.
struct Seen {
    total: usize,
    during_hold: usize,
}

/// Serves the stub, runs the replicas, and counts.
async fn fleet(redis: Option<&str>) -> Seen {
    let arrivals: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let first = Arc::new(AtomicUsize::new(0));
    let routes = Router::new()
        .fallback(|State((arrivals, first)): State<Stub>| async move {
            arrivals.lock().expect("arrivals").push(Instant::now());
            if first.fetch_add(1, Ordering::SeqCst) == 0 {
                let mut response: Response = (
                    StatusCode::TOO_MANY_REQUESTS,
                    r#"{"error":"rate_limit_exceeded","message":"slow down"}"#,
                )
                    .into_response();
                response
                    .headers_mut()
                    .insert("retry-after", http::HeaderValue::from_static("2"));
                return response;
            }
            (StatusCode::OK, "{}").into_response()
        })
        .with_state((Arc::clone(&arrivals), Arc::clone(&first)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let stub = format!("http://{}", listener.local_addr().expect("an address"));
    let server = tokio::spawn(async move { axum::serve(listener, routes).await });
    if let Some(url) = redis {
        // A clean slate: no hold left from an earlier run.
        if let Ok(store) = RedisStore::connect(url, "fleet-demo").await {
            let _ = store
                .after_attempt(Report::new(
                    Outcome::Ignored,
                    Some(Duration::from_millis(1)),
                ))
                .await;
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    let exe = std::env::current_exe().expect("this example's path");
    let children: Vec<Child> = (0..PROCESSES)
        .map(|_| {
            Command::new(&exe)
                .args(["replica", &stub, redis.unwrap_or("-")])
                .stdout(Stdio::null())
                .spawn()
                .expect("a replica process")
        })
        .collect();
    for mut child in children {
        let _ = tokio::task::spawn_blocking(move || child.wait()).await;
    }
    server.abort();
    let arrivals = arrivals.lock().expect("arrivals").clone();
    let start = arrivals.first().copied();
    let during_hold = start.map_or(0, |start| {
        arrivals
            .iter()
            .filter(|at| {
                let since = at.duration_since(start);
                since > GRACE && since < HOLD
            })
            .count()
    });
    Seen {
        total: arrivals.len(),
        during_hold,
    }
}

/// One replica: `WORKERS` concurrent workers calling the stub through one driver.
fn replica(stub: &str, redis: Option<&str>) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let mut driver = RetryDriver::tokio(RetryPolicy::new().with_max_attempts(1));
        if let Some(url) = redis {
            let store = RedisStore::connect(url, "fleet-demo")
                .await
                .expect("Redis at start-up");
            driver = driver.with_fleet(Arc::new(store));
        }
        let driver = Arc::new(driver);
        let client = reqwest::Client::new();
        let end = Instant::now() + RUN;
        let workers: Vec<_> = (0..WORKERS)
            .map(|_| {
                let driver = Arc::clone(&driver);
                let client = client.clone();
                let stub = stub.to_owned();
                tokio::spawn(async move {
                    while Instant::now() < end {
                        let _: Result<_, _> = driver
                            .run(Idempotency::Idempotent, |_| {
                                send::<VendorError>(client.get(&stub))
                            })
                            .await
                            .map_err(|error| {
                                error
                                    .into_last()
                                    .map(|e: ClientError<VendorError>| e.to_string())
                            });
                        tokio::time::sleep(EVERY).await;
                    }
                })
            })
            .collect();
        for worker in workers {
            let _ = worker.await;
        }
    });
}

/// The median time of one fleet question against `url`.
async fn question_cost(url: &str) -> Duration {
    let store = RedisStore::connect(url, "fleet-cost").await.expect("Redis");
    let mut times = Vec::with_capacity(1000);
    for _ in 0..1000 {
        let start = Instant::now();
        let _ = store.before_attempt(false).await;
        times.push(start.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

/// Starts a `redis-server` on a free loopback port.
fn start_redis() -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server on PATH (or give a Redis URL)");
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    (child, format!("redis://127.0.0.1:{port}"))
}
