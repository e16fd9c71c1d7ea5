//! Circuit breaker: seed 001's numbers (5 failures, 30 s, limited half-open probes),
//! what trips it and what does not, stale and cancelled calls, and its invariants under
//! concurrent use.

use std::future::{Future, pending};
use std::pin::pin;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Waker};
use std::thread;
use std::time::Duration;

use apierror::Retry;
use apierror::retry::{
    BreakerPermit, BreakerState, BreakerTransition, CircuitBreaker, Classify, Failure, Idempotency,
    ManualClock, ManualSleep, Outcome, RetryDriver, RetryPolicy, Rng, SplitMix64, StopReason,
};

use crate::support::block_on;

#[derive(Debug)]
struct Fails(Retry);

impl Classify for Fails {
    fn failure(&self) -> Option<Failure> {
        Some(Failure::new(self.0))
    }
}

/// A breaker with seed 001's numbers on a manual clock, and a one-attempt driver using it.
fn seed_001_breaker() -> (
    Arc<CircuitBreaker>,
    RetryDriver<ManualSleep, ManualClock>,
    ManualClock,
) {
    let clock = ManualClock::new();
    let breaker = Arc::new(CircuitBreaker::new().with_clock(clock.clone()));
    let driver = RetryDriver::new(RetryPolicy::no_retries(), ManualSleep::new(clock.clone()))
        .with_clock(clock.clone())
        .with_breaker(Arc::clone(&breaker));
    (breaker, driver, clock)
}

#[test]
fn five_consecutive_failures_open_it_and_calls_then_fail_fast() {
    let (breaker, driver, clock) = seed_001_breaker();
    let calls = AtomicU32::new(0);
    let call = |class| {
        let calls = &calls;
        block_on(driver.run(Idempotency::Idempotent, move |_| async move {
            calls.fetch_add(1, Ordering::Relaxed);
            match class {
                Some(class) => Err(Fails(class)),
                None => Ok(()),
            }
        }))
    };
    for _ in 0..5 {
        assert_eq!(
            call(Some(Retry::Backoff)).unwrap_err().reason(),
            StopReason::AttemptsExhausted
        );
    }
    assert_eq!(breaker.state(), BreakerState::Open);

    let refused = call(None).unwrap_err();
    assert_eq!(refused.reason(), StopReason::CircuitOpen);
    assert_eq!(refused.attempts(), 0);
    assert!(refused.last().is_none());
    assert_eq!(
        calls.load(Ordering::Relaxed),
        5,
        "an open breaker does not call"
    );

    clock.advance(Duration::from_secs(30));
    call(None).unwrap();
    assert_eq!(calls.load(Ordering::Relaxed), 6, "the probe went through");
    assert_eq!(breaker.state(), BreakerState::Closed);
}

#[test]
fn client_errors_never_trip_it_but_throttling_does() {
    let (breaker, driver, _clock) = seed_001_breaker();
    for _ in 0..50 {
        let result: Result<(), _> = block_on(driver.run(Idempotency::Idempotent, |_| async {
            Err(Fails(Retry::Never))
        }));
        assert_eq!(result.unwrap_err().reason(), StopReason::NotRetryable);
    }
    assert_eq!(breaker.state(), BreakerState::Closed);
    assert_eq!(breaker.snapshot().consecutive_failures, 0);

    for _ in 0..5 {
        let _: Result<(), _> = block_on(driver.run(Idempotency::Idempotent, |_| async {
            Err(Fails(Retry::Throttled))
        }));
    }
    assert_eq!(
        breaker.state(),
        BreakerState::Open,
        "429s count as failures"
    );
}

#[test]
fn a_retry_that_would_wait_into_an_open_breaker_fails_fast() {
    let clock = ManualClock::new();
    let breaker = Arc::new(
        CircuitBreaker::new()
            .with_failure_threshold(1)
            .with_clock(clock.clone()),
    );
    let sleep = ManualSleep::new(clock.clone());
    let driver = RetryDriver::new(RetryPolicy::new(), sleep.clone())
        .with_clock(clock)
        .with_breaker(breaker);
    let result: Result<(), _> = block_on(driver.run(Idempotency::Idempotent, |_| async {
        Err(Fails(Retry::Backoff))
    }));
    let error = result.unwrap_err();
    assert_eq!(error.reason(), StopReason::CircuitOpen);
    assert_eq!(error.attempts(), 1);
    assert!(error.last().is_some(), "the error that opened it is kept");
    assert!(sleep.slept().is_empty(), "no pointless wait");
}

#[test]
fn a_cancelled_probe_frees_its_slot() {
    let (breaker, driver, clock) = seed_001_breaker();
    for _ in 0..5 {
        breaker.try_acquire().unwrap().settle(Outcome::Failure);
    }
    clock.advance(Duration::from_secs(30));
    {
        let mut call =
            pin!(driver.run(Idempotency::Idempotent, |_| pending::<Result<(), Fails>>()));
        let polled = call.as_mut().poll(&mut Context::from_waker(Waker::noop()));
        assert!(polled.is_pending());
        assert_eq!(breaker.snapshot().probes_in_flight, 1);
        assert!(breaker.try_acquire().is_err(), "the probe slot is taken");
    }
    assert_eq!(
        breaker.snapshot().probes_in_flight,
        0,
        "dropping the call released it"
    );
    breaker.try_acquire().unwrap().settle(Outcome::Success);
    assert_eq!(breaker.state(), BreakerState::Closed);
}

#[test]
fn results_of_calls_from_an_earlier_state_are_ignored() {
    let clock = ManualClock::new();
    let breaker = CircuitBreaker::new()
        .with_failure_threshold(2)
        .with_clock(clock.clone());
    let old = breaker.try_acquire().unwrap();
    breaker.try_acquire().unwrap().settle(Outcome::Failure);
    breaker.try_acquire().unwrap().settle(Outcome::Failure);
    assert_eq!(breaker.state(), BreakerState::Open);
    clock.advance(Duration::from_secs(30));
    breaker.try_acquire().unwrap().settle(Outcome::Success);
    assert_eq!(breaker.state(), BreakerState::Closed);
    breaker.try_acquire().unwrap().settle(Outcome::Failure);
    old.settle(Outcome::Failure);
    assert_eq!(
        breaker.snapshot().consecutive_failures,
        1,
        "the failure from before the breaker opened does not count"
    );
}

/// How many state changes the breaker's first design could tell apart: its 20-bit
/// generation repeated after this many, so a call that hung that long came back current.
const OLD_GENERATION_RANGE: u64 = 1 << 20;

/// A breaker open for 1 ms at a time on a manual clock, and a count of its state changes.
fn counting_breaker(threshold: u32, probes: u32) -> (CircuitBreaker, ManualClock, Arc<AtomicU64>) {
    let clock = ManualClock::new();
    let changes = Arc::new(AtomicU64::new(0));
    let counted = Arc::clone(&changes);
    let breaker = CircuitBreaker::new()
        .with_failure_threshold(threshold)
        .with_half_open_probes(probes)
        .with_open_duration(Duration::from_millis(1))
        .with_clock(clock.clone())
        .with_listener(move |_| {
            counted.fetch_add(1, Ordering::Relaxed);
        });
    (breaker, clock, changes)
}

/// Fails `probe`, waits out the open period and takes the first probe of the next
/// half-open period: two state changes.
fn fail_probe<'a>(
    breaker: &'a CircuitBreaker,
    clock: &ManualClock,
    probe: BreakerPermit<'a>,
) -> BreakerPermit<'a> {
    probe.settle(Outcome::Failure);
    clock.advance(Duration::from_millis(1));
    let next = breaker.try_acquire().expect("the open period is over");
    assert!(next.is_probe());
    next
}

/// A probe of the first half-open period hangs while the breaker changes state
/// 2^20 times, failing probe after probe (two probes allowed). The current period is
/// then half-open with both its probes out when the hung probe completes with
/// `outcome` (`None`: it is cancelled): that changes nothing, and no third probe gets in.
fn a_probe_held_across_a_million_state_changes(outcome: Option<Outcome>) {
    const PROBES: u32 = 2;
    let (breaker, clock, changes) = counting_breaker(1, PROBES);
    breaker.try_acquire().unwrap().settle(Outcome::Failure);
    clock.advance(Duration::from_millis(1));
    let stale = breaker.try_acquire().unwrap();
    assert!(stale.is_probe());
    assert_eq!(changes.load(Ordering::Relaxed), 2);

    let mut probe = breaker.try_acquire().unwrap();
    for _ in 0..OLD_GENERATION_RANGE / 2 {
        probe = fail_probe(&breaker, &clock, probe);
    }
    assert_eq!(changes.load(Ordering::Relaxed), 2 + OLD_GENERATION_RANGE);
    let second = breaker.try_acquire().unwrap();
    let full = breaker.snapshot();
    assert_eq!(
        (
            full.state,
            full.consecutive_failures,
            full.probes_in_flight,
            full.probe_successes
        ),
        (BreakerState::HalfOpen, 0, PROBES, 0)
    );
    assert!(breaker.try_acquire().is_err(), "two probes at most");

    let ending = if let Some(outcome) = outcome {
        stale.settle(outcome);
        format!("{outcome:?}")
    } else {
        drop(stale);
        "cancellation".to_owned()
    };
    let third = breaker.try_acquire();
    assert!(
        third.is_err(),
        "a third probe got in after the hung probe's {ending}"
    );
    assert_eq!(
        breaker.snapshot(),
        full,
        "the hung probe's {ending} counted in a later period"
    );

    // The current probes still decide.
    probe.settle(Outcome::Success);
    assert_eq!(breaker.snapshot().probe_successes, 1);
    second.settle(Outcome::Success);
    assert_eq!(breaker.state(), BreakerState::Closed);
    assert_eq!(changes.load(Ordering::Relaxed), 3 + OLD_GENERATION_RANGE);
}

#[test]
fn a_probe_that_succeeds_after_a_million_state_changes_is_stale() {
    a_probe_held_across_a_million_state_changes(Some(Outcome::Success));
}

#[test]
fn a_probe_that_fails_after_a_million_state_changes_is_stale() {
    a_probe_held_across_a_million_state_changes(Some(Outcome::Failure));
}

#[test]
fn a_probe_cancelled_after_a_million_state_changes_frees_no_slot() {
    a_probe_held_across_a_million_state_changes(None);
}

/// The same for a call admitted while closed: it fails after 2^20 state changes, the
/// breaker being closed again, and is not counted.
#[test]
fn a_call_that_fails_after_a_million_state_changes_is_stale() {
    let (breaker, clock, changes) = counting_breaker(2, 1);
    let stale = breaker.try_acquire().unwrap();
    assert!(!stale.is_probe());
    for _ in 0..2 {
        breaker.try_acquire().unwrap().settle(Outcome::Failure);
    }
    clock.advance(Duration::from_millis(1));
    let mut probe = breaker.try_acquire().unwrap();
    assert_eq!(changes.load(Ordering::Relaxed), 2);
    // 2 changes so far; then 2 per failed probe, 1 to close, and 3 for one more round
    // (closed, open, half-open, closed): 2^20 in all, where the old generation was back
    // to the one `stale` was admitted in.
    for _ in 0..(OLD_GENERATION_RANGE - 6) / 2 {
        probe = fail_probe(&breaker, &clock, probe);
    }
    probe.settle(Outcome::Success);
    for _ in 0..2 {
        breaker.try_acquire().unwrap().settle(Outcome::Failure);
    }
    clock.advance(Duration::from_millis(1));
    breaker.try_acquire().unwrap().settle(Outcome::Success);
    assert_eq!(changes.load(Ordering::Relaxed), OLD_GENERATION_RANGE);
    assert_eq!(breaker.state(), BreakerState::Closed);

    let before = breaker.snapshot();
    stale.settle(Outcome::Failure);
    assert_eq!(
        breaker.snapshot(),
        before,
        "the failure from 2^20 state changes ago counted"
    );
    breaker.try_acquire().unwrap().settle(Outcome::Failure);
    assert_eq!(breaker.snapshot().consecutive_failures, 1);
}

/// Settles `permit` with a random outcome, or drops it.
fn report(permit: BreakerPermit<'_>, rng: &mut SplitMix64) {
    match rng.next_u64() % 4 {
        0 => drop(permit),
        1 => permit.settle(Outcome::Success),
        _ => permit.settle(Outcome::Failure),
    }
}

/// Several threads acquire, settle with random outcomes or drop their permits, some of
/// them only many rounds later (stale by then), while they advance the clock; every
/// reading of the state keeps the limits, no probe slot leaks, and the reported
/// transitions add up to the final state.
#[test]
fn concurrent_use_keeps_the_invariants() {
    const THREADS: u64 = 4;
    const ROUNDS: u32 = 20_000;
    const THRESHOLD: u32 = 3;
    const PROBES: u32 = 2;
    const HELD: usize = 4;

    let clock = ManualClock::new();
    let transitions = Arc::new(Mutex::new(Vec::<BreakerTransition>::new()));
    let seen = Arc::clone(&transitions);
    let breaker = Arc::new(
        CircuitBreaker::new()
            .with_failure_threshold(THRESHOLD)
            .with_half_open_probes(PROBES)
            .with_open_duration(Duration::from_millis(5))
            .with_clock(clock.clone())
            .with_listener(move |t| seen.lock().unwrap().push(t)),
    );

    let workers: Vec<_> = (0..THREADS)
        .map(|seed| {
            let breaker = Arc::clone(&breaker);
            let clock = clock.clone();
            thread::spawn(move || {
                let mut rng = SplitMix64::new(seed);
                // Permits kept for a while, as by calls that hang.
                let mut held = Vec::new();
                for _ in 0..ROUNDS {
                    if rng.next_u64().is_multiple_of(8) {
                        clock.advance(Duration::from_millis(1));
                    }
                    if let Ok(permit) = breaker.try_acquire() {
                        let snapshot = breaker.snapshot();
                        assert!(snapshot.probes_in_flight <= PROBES, "{snapshot:?}");
                        if held.len() < HELD && rng.next_u64().is_multiple_of(16) {
                            held.push(permit);
                        } else {
                            report(permit, &mut rng);
                        }
                    }
                    if !held.is_empty() && rng.next_u64().is_multiple_of(32) {
                        let index = usize::try_from(rng.next_u64() % 1024).unwrap() % held.len();
                        report(held.swap_remove(index), &mut rng);
                    }
                    let snapshot = breaker.snapshot();
                    match snapshot.state {
                        BreakerState::Closed => {
                            assert!(snapshot.consecutive_failures < THRESHOLD, "{snapshot:?}");
                        }
                        BreakerState::HalfOpen => {
                            assert!(snapshot.probes_in_flight <= PROBES, "{snapshot:?}");
                            assert!(snapshot.probe_successes < PROBES, "{snapshot:?}");
                        }
                        BreakerState::Open => {}
                    }
                }
                for permit in held {
                    report(permit, &mut rng);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }

    let snapshot = breaker.snapshot();
    assert_eq!(
        snapshot.probes_in_flight, 0,
        "every probe was settled or released"
    );
    let transitions = transitions.lock().unwrap();
    assert!(
        transitions.len() > 10,
        "the breaker moved: {}",
        transitions.len()
    );
    for state in [
        BreakerState::Closed,
        BreakerState::Open,
        BreakerState::HalfOpen,
    ] {
        let entered = transitions.iter().filter(|t| t.to == state).count();
        let left = transitions.iter().filter(|t| t.from == state).count();
        let initially = usize::from(state == BreakerState::Closed);
        let finally = usize::from(state == snapshot.state);
        assert_eq!(initially + entered, left + finally, "{state:?}");
    }
    for t in transitions.iter() {
        assert!(
            matches!(
                (t.from, t.to),
                (BreakerState::Closed, BreakerState::Open)
                    | (BreakerState::Open, BreakerState::HalfOpen)
                    | (
                        BreakerState::HalfOpen,
                        BreakerState::Open | BreakerState::Closed
                    )
            ),
            "{t:?}"
        );
    }
}

/// A breaker attached without a clock of its own follows the driver's: with a manual
/// driver clock it opens, refuses, and after the open period on that clock admits a
/// probe (on the system clock it would stay open for 30 real seconds).
#[test]
fn a_breaker_without_its_own_clock_follows_the_drivers() {
    let clock = ManualClock::new();
    let breaker = Arc::new(CircuitBreaker::new().with_failure_threshold(1));
    let driver = RetryDriver::new(RetryPolicy::no_retries(), ManualSleep::new(clock.clone()))
        .with_clock(clock.clone())
        .with_breaker(Arc::clone(&breaker));
    let calls = AtomicU32::new(0);
    let call = |fail: bool| {
        let calls = &calls;
        block_on(driver.run(Idempotency::Idempotent, move |_| async move {
            calls.fetch_add(1, Ordering::Relaxed);
            if fail {
                Err(Fails(Retry::Backoff))
            } else {
                Ok(())
            }
        }))
    };
    assert_eq!(
        call(true).unwrap_err().reason(),
        StopReason::AttemptsExhausted
    );
    assert_eq!(breaker.state(), BreakerState::Open);
    assert_eq!(call(false).unwrap_err().reason(), StopReason::CircuitOpen);
    assert_eq!(breaker.remaining_open(), Some(Duration::from_secs(30)));

    clock.advance(Duration::from_secs(30));
    call(false).unwrap();
    assert_eq!(calls.load(Ordering::Relaxed), 2, "the probe went through");
    assert_eq!(breaker.state(), BreakerState::Closed);
}
