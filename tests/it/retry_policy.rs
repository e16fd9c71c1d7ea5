//! Retry policy: the seeds' documented schedules reproduced exactly, the delay
//! invariants as properties, and the driver's decisions on an injected clock.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use apierror::Retry;
use apierror::retry::RetryAfter;
use apierror::retry::{
    Classify, Decision, Failure, Idempotency, Jitter, ManualClock, ManualSleep, RetryDriver,
    RetryEvent, RetryPolicy, RetryState, SplitMix64, StopReason,
};
use proptest::prelude::*;

use crate::support::block_on;

const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

const fn millis(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Seed 000 (Everflow): `min(2 ** attempt, 30) + random.uniform(0, 1)`, five retries.
fn everflow() -> RetryPolicy {
    RetryPolicy::new()
        .with_jitter(Jitter::additive(secs(1)))
        .with_max_delay(secs(30))
        .with_max_attempts(6)
}

/// Seed 001: `BASE_DELAY * 2 ** (attempt - 1)`, "1s, 2s, 4s", no jitter in the sample.
fn seed_001() -> RetryPolicy {
    RetryPolicy::new()
        .with_jitter(Jitter::None)
        .with_max_attempts(4)
}

/// Seed 004 (Flextell): 1, 2, 4, 8, 16 s ± 500 ms, five retries.
fn flextell() -> RetryPolicy {
    RetryPolicy::new()
        .with_jitter(Jitter::bounded(millis(500)))
        .with_max_delay(secs(30))
        .with_max_attempts(6)
}

/// The seed's table, as `[low, high)` per retry.
fn assert_within(policy: &RetryPolicy, table: &[(Duration, Duration)]) {
    for seed in 0..2_000 {
        let delays: Vec<_> = policy.schedule(SplitMix64::new(seed)).collect();
        assert_eq!(delays.len(), table.len(), "one delay per documented retry");
        for (n, (delay, (low, high))) in delays.iter().zip(table).enumerate() {
            assert!(
                low <= delay && delay < high,
                "seed {seed}, retry {}: {delay:?} outside [{low:?}, {high:?})",
                n + 1
            );
        }
    }
}

#[test]
fn seed_000_schedule_is_one_to_two_seconds_then_doubling() {
    let table = [1, 2, 4, 8, 16].map(|s| (secs(s), secs(s + 1)));
    assert_within(&everflow(), &table);
    let delays: Vec<_> = everflow().schedule(SplitMix64::new(42)).collect();
    assert_eq!(
        delays,
        [
            1_741_564_878,
            2_159_910_392,
            4_278_601_130,
            8_344_190_716,
            16_038_030_168
        ]
        .map(Duration::from_nanos)
    );
}

#[test]
fn seed_000_base_is_capped_at_thirty_seconds() {
    let policy = everflow().with_max_attempts(10);
    let mut rng = SplitMix64::new(1);
    for retry in 6..=9 {
        let delay = policy.delay(retry, Duration::ZERO, None, &mut rng);
        assert_eq!(delay, secs(30), "the cap bounds the jittered delay too");
    }
}

#[test]
fn seed_001_schedule_is_exactly_one_two_four_seconds() {
    let delays: Vec<_> = seed_001().schedule(SplitMix64::new(0)).collect();
    assert_eq!(delays, [secs(1), secs(2), secs(4)]);
    // The seed's sample code stops one attempt earlier (`attempt >= MAX_RETRIES` with
    // MAX_RETRIES = 3 counts the first call): that reading is `max_attempts(3)`.
    let strict: Vec<_> = seed_001()
        .with_max_attempts(3)
        .schedule(SplitMix64::new(0))
        .collect();
    assert_eq!(strict, [secs(1), secs(2)]);
}

#[test]
fn seed_004_schedule_is_doubling_plus_or_minus_half_a_second() {
    let table = [1_000, 2_000, 4_000, 8_000, 16_000].map(|ms| (millis(ms - 500), millis(ms + 500)));
    assert_within(&flextell(), &table);
    let delays: Vec<_> = flextell().schedule(SplitMix64::new(42)).collect();
    assert_eq!(
        delays,
        [
            1_241_564_878,
            1_659_910_392,
            3_778_601_130,
            7_844_190_716,
            15_538_030_168
        ]
        .map(Duration::from_nanos)
    );
}

#[test]
fn seed_004_throttled_waits_the_retry_after_hint() {
    let mut rng = SplitMix64::new(4);
    let state = RetryState::new(1, Duration::ZERO, Duration::ZERO);
    let decision = flextell().decide(Retry::Throttled, &state, Some(secs(30)), &mut rng);
    assert_eq!(decision, Decision::Retry(secs(30)));
}

#[test]
fn extreme_attempts_and_hints_neither_panic_nor_overflow() {
    let mut rng = SplitMix64::new(0);
    let hint = Some(Duration::from_secs(u64::MAX));
    for policy in [everflow(), seed_001(), flextell(), RetryPolicy::new()] {
        let delay = policy.delay(u32::MAX, Duration::MAX, hint, &mut rng);
        assert_eq!(delay, policy.max_delay().max(policy.max_retry_after()));
        let unhinted = policy.delay(u32::MAX, Duration::MAX, None, &mut rng);
        assert!(unhinted <= policy.max_delay());
        let state = RetryState::new(u32::MAX, Duration::MAX, Duration::MAX);
        assert_eq!(
            policy.decide(Retry::Backoff, &state, hint, &mut rng),
            Decision::Stop(StopReason::AttemptsExhausted)
        );
    }
}

fn jitter() -> impl Strategy<Value = Jitter> {
    prop_oneof![
        Just(Jitter::None),
        Just(Jitter::Full),
        Just(Jitter::Equal),
        Just(Jitter::Decorrelated),
        (any::<u64>(), any::<u64>()).prop_map(|(below, above)| Jitter::Bounded {
            below: Duration::from_nanos(below),
            above: Duration::from_nanos(above),
        }),
    ]
}

fn duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        (0u64..120_000).prop_map(Duration::from_millis),
        any::<u64>().prop_map(Duration::from_secs),
        Just(Duration::MAX),
        Just(Duration::ZERO),
    ]
}

fn policy() -> impl Strategy<Value = RetryPolicy> {
    (
        duration(),
        0u32..10,
        duration(),
        jitter(),
        0u32..20,
        duration(),
    )
        .prop_map(
            |(initial, multiplier, max_delay, jitter, attempts, max_hint)| {
                RetryPolicy::new()
                    .with_initial_delay(initial)
                    .with_multiplier(multiplier)
                    .with_max_delay(max_delay)
                    .with_jitter(jitter)
                    .with_max_attempts(attempts)
                    .with_max_retry_after(max_hint)
            },
        )
}

proptest! {
    #[test]
    fn delay_is_never_above_the_cap_nor_below_the_hint(
        policy in policy(),
        retry in any::<u32>(),
        previous in duration(),
        hint in proptest::option::of(duration()),
        seed in any::<u64>(),
    ) {
        let delay = policy.delay(retry, previous, hint, &mut SplitMix64::new(seed));
        let floor = hint.map_or(Duration::ZERO, |hint| hint.min(policy.max_retry_after()));
        prop_assert!(delay >= floor, "{delay:?} below the hint {floor:?}");
        prop_assert!(delay <= policy.max_delay().max(floor), "{delay:?} above the cap");
        if hint.is_none() {
            prop_assert!(delay <= policy.max_delay());
        }
    }

    #[test]
    fn attempts_never_exceed_the_maximum(policy in policy(), seed in any::<u64>()) {
        let retries = policy.schedule(SplitMix64::new(seed)).count();
        prop_assert_eq!(retries, policy.max_attempts() as usize - 1);
        let calls = AtomicU32::new(0);
        let driver = RetryDriver::new(policy, ManualSleep::new(ManualClock::new()))
            .with_rng(SplitMix64::new(seed));
        let result: Result<(), _> = block_on(driver.run(Idempotency::Idempotent, |_| {
            calls.fetch_add(1, Ordering::Relaxed);
            async { Err(Fails(Retry::Backoff)) }
        }));
        let error = result.unwrap_err();
        prop_assert!(calls.load(Ordering::Relaxed) <= policy.max_attempts());
        prop_assert_eq!(error.attempts(), calls.load(Ordering::Relaxed));
    }

    #[test]
    fn decision_respects_attempts_and_deadline(
        policy in policy(),
        deadline in duration(),
        attempts in any::<u32>(),
        elapsed in duration(),
        hint in proptest::option::of(duration()),
        seed in any::<u64>(),
    ) {
        let policy = policy.with_deadline(deadline);
        let state = RetryState::new(attempts, elapsed, Duration::ZERO);
        let mut rng = SplitMix64::new(seed);
        match policy.decide(Retry::Backoff, &state, hint, &mut rng) {
            Decision::Retry(delay) => {
                prop_assert!(attempts < policy.max_attempts());
                prop_assert!(elapsed.saturating_add(delay) <= deadline);
            }
            Decision::Stop(reason) => prop_assert!(matches!(
                reason,
                StopReason::AttemptsExhausted | StopReason::DeadlineExceeded
            )),
            other => prop_assert!(false, "a decision this test does not know: {other:?}"),
        }
    }
}

/// An error of a fixed class.
#[derive(Debug)]
struct Fails(Retry);

impl Classify for Fails {
    fn failure(&self) -> Option<Failure> {
        Some(Failure::new(self.0))
    }
}

/// A connection refused: the request never reached the server.
#[derive(Debug)]
struct Refused;

impl Classify for Refused {
    fn failure(&self) -> Option<Failure> {
        Some(Failure::new(Retry::Backoff).with_sent(false))
    }
}

/// An error with a server hint.
#[derive(Debug)]
struct Hinted(Retry, RetryAfter);

impl Classify for Hinted {
    fn failure(&self) -> Option<Failure> {
        Some(Failure::new(self.0).with_retry_after(Some(self.1)))
    }
}

fn manual_driver(policy: RetryPolicy) -> (RetryDriver<ManualSleep, ManualClock>, ManualSleep) {
    let clock = ManualClock::starting_at(SystemTime::UNIX_EPOCH + secs(1_700_000_000));
    let sleep = ManualSleep::new(clock.clone());
    let driver = RetryDriver::new(policy, sleep.clone())
        .with_clock(clock)
        .with_rng(SplitMix64::new(42));
    (driver, sleep)
}

#[test]
fn driver_follows_seed_004_schedule_then_gives_up() {
    let (driver, sleep) = manual_driver(flextell());
    let result: Result<(), _> = block_on(driver.run(Idempotency::Idempotent, |_| async {
        Err(Fails(Retry::Backoff))
    }));
    let error = result.unwrap_err();
    assert_eq!(error.reason(), StopReason::AttemptsExhausted);
    assert_eq!(error.attempts(), 6, "one call and five retries");
    assert_eq!(
        sleep.slept(),
        flextell().schedule(SplitMix64::new(42)).collect::<Vec<_>>()
    );
}

#[test]
fn never_stops_at_once() {
    let (driver, sleep) = manual_driver(flextell());
    let result: Result<(), _> = block_on(driver.run(Idempotency::Idempotent, |_| async {
        Err(Fails(Retry::Never))
    }));
    assert_eq!(result.unwrap_err().reason(), StopReason::NotRetryable);
    assert!(sleep.slept().is_empty());
}

#[test]
fn throttled_waits_at_least_an_http_date_hint() {
    let (driver, sleep) = manual_driver(seed_001());
    let at = SystemTime::UNIX_EPOCH + secs(1_700_000_000 + 45);
    let result = block_on(driver.run(Idempotency::Idempotent, |attempt| async move {
        match attempt {
            1 => Err(Hinted(Retry::Throttled, RetryAfter::At(at))),
            _ => Ok(attempt),
        }
    }));
    assert_eq!(result.unwrap(), 2);
    assert_eq!(
        sleep.slept(),
        [secs(45)],
        "the date is 45 s after the clock's start"
    );
}

#[test]
fn non_idempotent_requests_are_not_retried_unless_safe() {
    let (driver, sleep) = manual_driver(seed_001());
    let post: Result<(), _> =
        block_on(driver.run(Idempotency::of(&http::Method::POST), |_| async {
            Err(Fails(Retry::Backoff))
        }));
    let error = post.unwrap_err();
    assert_eq!(error.reason(), StopReason::NotIdempotent);
    assert_eq!(error.attempts(), 1);
    assert!(sleep.slept().is_empty());

    let refused: Result<(), _> =
        block_on(driver.run(Idempotency::NotIdempotent, |_| async { Err(Refused) }));
    assert_eq!(
        refused.unwrap_err().attempts(),
        4,
        "a request that never reached the server is safe to repeat"
    );

    let declared_safe: Result<(), _> = block_on(driver.run(Idempotency::Idempotent, |_| async {
        Err(Fails(Retry::Backoff))
    }));
    assert_eq!(declared_safe.unwrap_err().attempts(), 4);
}

#[test]
fn reauthenticate_refreshes_once_and_retries_at_once() {
    let (driver, sleep) = manual_driver(flextell());
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&events);
    let driver = driver.with_observer(move |event| seen.lock().unwrap().push(event.clone()));
    let token = Arc::new(Mutex::new("expired"));
    let refreshes = AtomicU32::new(0);
    let result = block_on(driver.run_with_refresh(
        Idempotency::Idempotent,
        |_| {
            let token = *token.lock().unwrap();
            async move {
                if token == "fresh" {
                    Ok(token)
                } else {
                    Err(Fails(Retry::Reauthenticate))
                }
            }
        },
        || {
            refreshes.fetch_add(1, Ordering::Relaxed);
            *token.lock().unwrap() = "fresh";
            async { true }
        },
    ));
    assert_eq!(result.unwrap(), "fresh");
    assert_eq!(refreshes.load(Ordering::Relaxed), 1);
    assert!(sleep.slept().is_empty(), "no backoff before the retry");
    assert!(matches!(
        events.lock().unwrap()[..],
        [
            RetryEvent::Failed { attempt: 1, .. },
            RetryEvent::Reauthenticating {
                next_attempt: 2,
                ..
            },
            RetryEvent::Succeeded { attempts: 2, .. },
        ]
    ));

    // A second 401 after the refresh is final.
    let refreshes = AtomicU32::new(0);
    let result: Result<(), _> = block_on(driver.run_with_refresh(
        Idempotency::Idempotent,
        |_| async { Err(Fails(Retry::Reauthenticate)) },
        || {
            refreshes.fetch_add(1, Ordering::Relaxed);
            async { true }
        },
    ));
    let error = result.unwrap_err();
    assert_eq!(error.reason(), StopReason::ReauthenticationFailed);
    assert_eq!(error.attempts(), 2);
    assert_eq!(refreshes.load(Ordering::Relaxed), 1);

    // Without a refresh, a 401 is final at once.
    let result: Result<(), _> = block_on(driver.run(Idempotency::Idempotent, |_| async {
        Err(Fails(Retry::Reauthenticate))
    }));
    assert_eq!(result.unwrap_err().attempts(), 1);
}

#[test]
fn deadline_stops_before_a_wait_that_would_pass_it() {
    let (driver, sleep) =
        manual_driver(flextell().with_jitter(Jitter::None).with_deadline(secs(5)));
    let result: Result<(), _> = block_on(driver.run(Idempotency::Idempotent, |_| async {
        Err(Fails(Retry::Backoff))
    }));
    let error = result.unwrap_err();
    assert_eq!(error.reason(), StopReason::DeadlineExceeded);
    assert_eq!(
        sleep.slept(),
        [secs(1), secs(2)],
        "1 + 2 + 4 s would pass 5 s"
    );
}

/// Drivers sharing a `ThrottleGate` share a 429's hold: after one driver's call gets
/// `Retry-After: 5`, another driver's next call waits those 5 s before its first attempt.
#[test]
fn a_shared_gate_holds_back_another_drivers_calls() {
    use apierror::retry::ThrottleGate;

    let clock = ManualClock::starting_at(SystemTime::UNIX_EPOCH + secs(1_700_000_000));
    let gate = Arc::new(ThrottleGate::new());
    let driver = |sleep: &ManualSleep| {
        RetryDriver::new(RetryPolicy::no_retries(), sleep.clone())
            .with_clock(clock.clone())
            .with_gate(Arc::clone(&gate))
    };
    let (sleep_a, sleep_b) = (
        ManualSleep::new(clock.clone()),
        ManualSleep::new(clock.clone()),
    );
    let (a, b) = (driver(&sleep_a), driver(&sleep_b));
    let throttled: Result<(), _> = block_on(a.run(Idempotency::Idempotent, |_| async {
        Err(Hinted(Retry::Throttled, RetryAfter::Delay(secs(5))))
    }));
    assert_eq!(
        throttled.unwrap_err().reason(),
        StopReason::AttemptsExhausted
    );
    let calls = AtomicU32::new(0);
    let result = block_on(b.run(Idempotency::Idempotent, |_| async {
        calls.fetch_add(1, Ordering::Relaxed);
        Ok::<(), Fails>(())
    }));
    result.unwrap();
    assert_eq!(
        sleep_b.slept(),
        [secs(5)],
        "held back by the other driver's 429"
    );
    assert_eq!(calls.load(Ordering::Relaxed), 1);
}
