//! Replicas sharing a vendor's holds through a fleet store: a hint one replica receives
//! holds the others back; a store that fails, stalls or answers nothing is skipped within
//! its time limit and logged once. The real-Redis tests start their own `redis-server`
//! and are ignored unless asked for (`--ignored`; `.ci/run` does).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use apierror::Retry;
use apierror::retry::{
    Admission, Classify, Clock, Failure, FleetBreaker, FleetError, FleetFuture, FleetStore,
    Idempotency, Jitter, ManualClock, ManualSleep, Outcome, Report, RetryAfter, RetryDriver,
    RetryPolicy, SplitMix64, StopReason,
};

use crate::support::block_on;

/// A throttled failure asking to wait `0` seconds.
#[derive(Debug, Clone, Copy)]
struct Throttled(u64);

impl Classify for Throttled {
    fn failure(&self) -> Option<Failure> {
        Some(
            Failure::new(Retry::Throttled)
                .with_retry_after(Some(RetryAfter::Delay(Duration::from_secs(self.0)))),
        )
    }
}

/// A fleet store in memory, on a manual clock: what Redis does, for the driver's side.
#[derive(Debug)]
struct Memory {
    clock: ManualClock,
    until: Mutex<Option<Instant>>,
}

impl FleetStore for Memory {
    fn before_attempt(&self, _: bool) -> FleetFuture<'_, Admission> {
        let now = self.clock.now();
        let held = (*self.until.lock().unwrap())
            .map(|until| until.saturating_duration_since(now))
            .filter(|left| !left.is_zero());
        Box::pin(std::future::ready(Ok(Admission::new(held, None))))
    }

    fn after_attempt(&self, report: Report) -> FleetFuture<'_, ()> {
        if let Some(wait) = report.hold {
            let until = self.clock.now() + wait;
            let mut held = self.until.lock().unwrap();
            if held.is_none_or(|held| held < until) {
                *held = Some(until);
            }
        }
        Box::pin(std::future::ready(Ok(())))
    }
}

/// A store whose breaker is open, and that counts what it was told.
#[derive(Debug, Default)]
struct Open {
    reports: Mutex<Vec<Report>>,
}

impl FleetStore for Open {
    fn before_attempt(&self, _: bool) -> FleetFuture<'_, Admission> {
        Box::pin(std::future::ready(Ok(Admission::new(
            None,
            Some(Duration::from_secs(10)),
        ))))
    }

    fn after_attempt(&self, report: Report) -> FleetFuture<'_, ()> {
        self.reports.lock().unwrap().push(report);
        Box::pin(std::future::ready(Ok(())))
    }
}

/// A store that fails every question, or never answers one.
#[derive(Debug)]
enum Broken {
    Fails,
    Stalls,
}

impl FleetStore for Broken {
    fn before_attempt(&self, _: bool) -> FleetFuture<'_, Admission> {
        match self {
            Broken::Fails => Box::pin(std::future::ready(Err(FleetError::new("refused")))),
            Broken::Stalls => Box::pin(std::future::pending()),
        }
    }

    fn after_attempt(&self, _: Report) -> FleetFuture<'_, ()> {
        match self {
            Broken::Fails => Box::pin(std::future::ready(Err(FleetError::new("refused")))),
            Broken::Stalls => Box::pin(std::future::pending()),
        }
    }
}

/// A replica's driver on the shared manual clock, with its own gate and `fleet`.
fn replica(
    clock: &ManualClock,
    fleet: Arc<dyn FleetStore>,
    attempts: u32,
) -> (RetryDriver<ManualSleep, ManualClock>, ManualSleep) {
    let sleep = ManualSleep::new(clock.clone());
    let driver = RetryDriver::new(
        RetryPolicy::new()
            .with_jitter(Jitter::None)
            .with_max_attempts(attempts),
        sleep.clone(),
    )
    .with_clock(clock.clone())
    .with_rng(SplitMix64::new(4))
    .with_fleet(fleet);
    (driver, sleep)
}

#[test]
fn a_hint_one_replica_receives_holds_back_the_others() {
    let clock = ManualClock::new();
    let store: Arc<dyn FleetStore> = Arc::new(Memory {
        clock: clock.clone(),
        until: Mutex::new(None),
    });
    let (first, _) = replica(&clock, Arc::clone(&store), 1);
    let (second, second_sleep) = replica(&clock, Arc::clone(&store), 1);

    // The first replica's only attempt is throttled for 30 s: it gives up, and the hold
    // goes to the fleet.
    let stopped = block_on(first.run(Idempotency::Idempotent, |_| async {
        Err::<(), _>(Throttled(30))
    }))
    .unwrap_err();
    assert_eq!(stopped.reason(), StopReason::AttemptsExhausted);

    // The second replica never saw the 429, and its own gate is open: it waits the
    // fleet's hold out before its first attempt.
    let attempts_at = Mutex::new(Vec::new());
    let start = clock.now();
    block_on(second.run(Idempotency::Idempotent, |_| {
        attempts_at
            .lock()
            .unwrap()
            .push(clock.now().duration_since(start));
        async { Ok::<_, Throttled>(()) }
    }))
    .unwrap();
    assert_eq!(second_sleep.slept(), [Duration::from_secs(30)]);
    assert_eq!(*attempts_at.lock().unwrap(), [Duration::from_secs(30)]);
}

#[test]
fn without_a_fleet_store_nothing_changes() {
    // The same two calls on drivers without a store: the second does not wait.
    let clock = ManualClock::new();
    let driver = || {
        let sleep = ManualSleep::new(clock.clone());
        let driver = RetryDriver::new(
            RetryPolicy::new()
                .with_jitter(Jitter::None)
                .with_max_attempts(1),
            sleep.clone(),
        )
        .with_clock(clock.clone());
        (driver, sleep)
    };
    let (first, _) = driver();
    let (second, second_sleep) = driver();
    let _ = block_on(first.run(Idempotency::Idempotent, |_| async {
        Err::<(), _>(Throttled(30))
    }));
    block_on(second.run(Idempotency::Idempotent, |_| async {
        Ok::<_, Throttled>(())
    }))
    .unwrap();
    assert!(second_sleep.slept().is_empty());
}

/// Three calls that each retry a throttled failure once, on `driver`: how long they took.
async fn three_throttled_calls<S, C>(driver: &RetryDriver<S, C>) -> Duration
where
    S: apierror::retry::Sleep,
    C: Clock + 'static,
{
    let start = tokio::time::Instant::now();
    for _ in 0..3 {
        // Each call still runs, and still retries on its own.
        let stopped = driver
            .run(Idempotency::Idempotent, |_| async {
                Err::<(), _>(Throttled(1))
            })
            .await
            .unwrap_err();
        assert_eq!(stopped.attempts(), 2);
    }
    start.elapsed()
}

fn tokio_driver() -> RetryDriver<apierror::retry::TokioSleep, apierror::retry::TokioClock> {
    RetryDriver::tokio(
        RetryPolicy::new()
            .with_jitter(Jitter::None)
            .with_max_attempts(2),
    )
}

#[test]
fn an_open_fleet_breaker_stops_the_call_before_any_attempt() {
    let clock = ManualClock::new();
    let store = Arc::new(Open::default());
    let (driver, _) = replica(&clock, Arc::clone(&store) as Arc<dyn FleetStore>, 3);
    let stopped = block_on(driver.run(Idempotency::Idempotent, |_| async {
        Ok::<_, Throttled>(())
    }))
    .unwrap_err();
    assert_eq!(stopped.reason(), StopReason::CircuitOpen);
    assert_eq!(stopped.attempts(), 0);
    // A replica that is not failing reports nothing: no round trip for a success.
    assert!(store.reports.lock().unwrap().is_empty());
}

#[test]
fn a_replica_reports_its_failures_and_the_success_that_ends_them() {
    let clock = ManualClock::new();
    let store = Arc::new(Open::default());
    let sleep = ManualSleep::new(clock.clone());
    let driver = RetryDriver::new(
        RetryPolicy::new()
            .with_jitter(Jitter::None)
            .with_max_attempts(3),
        sleep,
    )
    .with_clock(clock.clone())
    .with_fleet(Arc::new(Reporting(Arc::clone(&store))));
    let attempt = std::sync::atomic::AtomicU32::new(0);
    block_on(driver.run(Idempotency::Idempotent, |_| {
        let n = attempt.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        async move { if n < 2 { Err(Throttled(3)) } else { Ok(()) } }
    }))
    .unwrap();
    let reports = store.reports.lock().unwrap();
    let outcomes: Vec<(Outcome, Option<Duration>)> =
        reports.iter().map(|r| (r.outcome, r.hold)).collect();
    assert_eq!(
        outcomes,
        [
            (Outcome::Failure, Some(Duration::from_secs(3))),
            (Outcome::Failure, Some(Duration::from_secs(3))),
            (Outcome::Success, None),
        ]
    );
}

/// `Open`'s reports, with the breaker closed.
#[derive(Debug)]
struct Reporting(Arc<Open>);

impl FleetStore for Reporting {
    fn before_attempt(&self, _: bool) -> FleetFuture<'_, Admission> {
        Box::pin(std::future::ready(Ok(Admission::default())))
    }

    fn after_attempt(&self, report: Report) -> FleetFuture<'_, ()> {
        self.0.after_attempt(report)
    }
}

#[tokio::test(start_paused = true)]
async fn a_store_that_fails_or_stalls_is_skipped_and_logged_once() {
    let logs = crate::server_e2e::capture_logs();
    let alone = three_throttled_calls(&tokio_driver()).await;
    for (store, name) in [(Broken::Fails, "fails"), (Broken::Stalls, "stalls")] {
        // The timeout may come before the store.
        let driver = tokio_driver()
            .with_fleet_timeout(Duration::from_millis(20))
            .with_fleet(Arc::new(store));
        let spent = three_throttled_calls(&driver).await;
        // Never worse than without a store, but for the time limit of each question
        // (one before each attempt, one after each failure: four a call).
        let bound = alone + Duration::from_millis(20 * 4 * 3);
        assert!(
            spent >= alone && spent <= bound,
            "{name}: {spent:?} against {alone:?}"
        );
    }
    let text = logs.text();
    assert_eq!(
        text.matches("the fleet store is not answering").count(),
        2,
        "once per store:\n{text}"
    );
}

/// A `redis-server` of the test's own on a free loopback port, stopped when dropped.
struct RedisServer {
    child: std::process::Child,
    port: u16,
}

impl RedisServer {
    fn start_on(port: u16) -> Self {
        let child = std::process::Command::new("redis-server")
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
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server on PATH");
        let server = RedisServer { child, port };
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return server;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("redis-server did not start on {port}");
    }

    fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Self::start_on(port)
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn signal(&self, signal: &str) {
        let status = std::process::Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A replica on tokio's clock (Redis expiries are real time) with a gate in `redis`.
async fn redis_replica(
    url: &str,
    service: &str,
) -> RetryDriver<apierror::retry::TokioSleep, apierror::retry::TokioClock> {
    let gate = apierror::retry::RedisStore::connect(url, service)
        .await
        .unwrap();
    RetryDriver::tokio(
        RetryPolicy::new()
            .with_jitter(Jitter::None)
            .with_max_attempts(1),
    )
    .with_fleet(Arc::new(gate))
}

#[tokio::test]
#[ignore = "needs redis-server"]
async fn replicas_share_a_hold_through_redis() {
    let redis = RedisServer::start();
    let first = redis_replica(&redis.url(), "vendor").await;
    let second = redis_replica(&redis.url(), "vendor").await;
    let other_service = redis_replica(&redis.url(), "another").await;
    let _ = first
        .run(Idempotency::Idempotent, |_| async {
            Err::<(), _>(Throttled(1))
        })
        .await;
    // A shorter hold never shortens it.
    let probe = apierror::retry::RedisStore::connect(&redis.url(), "vendor")
        .await
        .unwrap();
    probe
        .after_attempt(Report::new(
            Outcome::Failure,
            Some(Duration::from_millis(1)),
        ))
        .await
        .unwrap();
    let left = probe.before_attempt(false).await.unwrap().held.unwrap();
    assert!(left > Duration::from_millis(800), "{left:?}");
    let completed = second
        .run_completed(Idempotency::Idempotent, |_| async {
            Ok::<_, Throttled>(())
        })
        .await
        .unwrap();
    assert!(
        completed.waited >= Duration::from_millis(700),
        "held back {:?}",
        completed.waited
    );
    // Another service's replicas are not held.
    let completed = other_service
        .run_completed(Idempotency::Idempotent, |_| async {
            Ok::<_, Throttled>(())
        })
        .await
        .unwrap();
    assert_eq!(completed.waited, Duration::ZERO);
}

#[tokio::test]
#[ignore = "needs redis-server"]
async fn redis_killed_paused_or_restarted_never_stalls_a_call() {
    let redis = RedisServer::start();
    let port = redis.port;
    let url = redis.url();
    let replica = redis_replica(&url, "vendor")
        .await
        .with_fleet_timeout(Duration::from_millis(50));
    let call = || async {
        let start = Instant::now();
        replica
            .run(Idempotency::Idempotent, |_| async {
                Ok::<_, Throttled>(())
            })
            .await
            .unwrap();
        start.elapsed()
    };
    call().await;

    // Paused past the timeout: the call goes on within it (with some slack for a loaded
    // machine), then Redis comes back.
    redis.signal("-STOP");
    let spent = call().await;
    assert!(spent < Duration::from_millis(500), "paused: {spent:?}");
    redis.signal("-CONT");

    // Killed: the call goes on.
    drop(redis);
    let spent = call().await;
    assert!(spent < Duration::from_millis(500), "killed: {spent:?}");

    // Restarted on the same port: the store recovers by itself, holds work again.
    let _redis = RedisServer::start_on(port);
    let mut recovered = false;
    for _ in 0..50 {
        let Ok(gate) = apierror::retry::RedisStore::connect(&url, "vendor").await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let holder =
            RetryDriver::tokio(RetryPolicy::new().with_max_attempts(1)).with_fleet(Arc::new(gate));
        let _ = holder
            .run(Idempotency::Idempotent, |_| async {
                Err::<(), _>(Throttled(1))
            })
            .await;
        let waited = replica
            .run_completed(Idempotency::Idempotent, |_| async {
                Ok::<_, Throttled>(())
            })
            .await
            .unwrap()
            .waited;
        if waited > Duration::from_millis(300) {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        recovered,
        "the fleet hold never took effect after the restart"
    );
}

#[tokio::test]
#[ignore = "needs redis-server"]
async fn one_sick_replica_cannot_open_the_fleet_breaker_two_can() {
    /// A transient failure without a hint.
    #[derive(Debug)]
    struct Down;
    impl Classify for Down {
        fn failure(&self) -> Option<Failure> {
            Some(Failure::new(Retry::Backoff))
        }
    }

    let redis = RedisServer::start();
    let rule = FleetBreaker::new()
        .with_failure_threshold(2)
        .with_min_replicas(2)
        .with_open_duration(Duration::from_secs(5));
    let replica = |attempts| {
        let url = redis.url();
        async move {
            let store = apierror::retry::RedisStore::connect(&url, "vendor")
                .await
                .unwrap()
                .with_breaker(rule);
            RetryDriver::tokio(
                RetryPolicy::new()
                    .with_jitter(Jitter::None)
                    .with_initial_delay(Duration::from_millis(1))
                    .with_max_attempts(attempts),
            )
            .with_fleet(Arc::new(store))
        }
    };
    let sick = replica(2).await;
    let healthy = replica(1).await;
    let also_sick = replica(2).await;

    // One replica fails twice in a row: on a streak, alone. The others still call.
    let stopped = sick
        .run(Idempotency::Idempotent, |_| async { Err::<(), _>(Down) })
        .await
        .unwrap_err();
    assert_eq!(stopped.attempts(), 2);
    healthy
        .run(Idempotency::Idempotent, |_| async { Ok::<_, Down>(()) })
        .await
        .unwrap();

    // A second replica on a streak: the fleet breaker opens for everyone.
    let _ = also_sick
        .run(Idempotency::Idempotent, |_| async { Err::<(), _>(Down) })
        .await;
    let stopped = healthy
        .run(Idempotency::Idempotent, |_| async { Ok::<_, Down>(()) })
        .await
        .unwrap_err();
    assert_eq!(
        (stopped.reason(), stopped.attempts()),
        (StopReason::CircuitOpen, 0)
    );
}

#[tokio::test]
#[ignore = "needs redis-server"]
async fn the_fleet_shares_one_retry_budget() {
    /// A transient failure without a hint.
    #[derive(Debug)]
    struct Down;
    impl Classify for Down {
        fn failure(&self) -> Option<Failure> {
            Some(Failure::new(Retry::Backoff))
        }
    }

    let redis = RedisServer::start();
    let replica = || {
        let url = redis.url();
        async move {
            // No deposits, room for two retries: the fleet may retry twice in all.
            let store = apierror::retry::RedisStore::connect(&url, "vendor")
                .await
                .unwrap()
                .with_budget(0, 2);
            RetryDriver::tokio(
                RetryPolicy::new()
                    .with_jitter(Jitter::None)
                    .with_initial_delay(Duration::from_millis(1))
                    .with_max_attempts(5),
            )
            .with_fleet(Arc::new(store))
        }
    };
    let first = replica().await;
    let second = replica().await;
    let stopped = first
        .run(Idempotency::Idempotent, |_| async { Err::<(), _>(Down) })
        .await
        .unwrap_err();
    assert_eq!(
        (stopped.reason(), stopped.attempts()),
        (StopReason::BudgetExhausted, 3)
    );
    // The other replica's own decisions would retry; the fleet's budget is spent.
    let stopped = second
        .run(Idempotency::Idempotent, |_| async { Err::<(), _>(Down) })
        .await
        .unwrap_err();
    assert_eq!(
        (stopped.reason(), stopped.attempts()),
        (StopReason::BudgetExhausted, 1)
    );
}
