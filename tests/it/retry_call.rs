//! The driver and the tower policy run one per-call state machine: driven through the
//! same failures, they make the same attempts at the same times, stop at the same point,
//! and leave the shared budget and gate as each other does.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use apierror::Retry;
use apierror::retry::{
    Classify, Clock, Failure, Idempotency, Jitter, ManualClock, ManualSleep, RetryAfter,
    RetryBudget, RetryDriver, RetryPolicy, SplitMix64, StopReason, ThrottleGate, TowerRetryPolicy,
};
use tower::retry::Policy;

use crate::support::block_on;

/// One scripted attempt: a failure of this class (with a hint, reaching the server or
/// not), or success.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    Fail(Retry, Option<u64>, bool),
    Succeed,
}

#[derive(Debug, Clone, Copy)]
struct Scripted(Retry, Option<u64>, bool);

impl Classify for Scripted {
    fn failure(&self) -> Option<Failure> {
        Some(
            Failure::new(self.0)
                .with_retry_after(self.1.map(|s| RetryAfter::Delay(Duration::from_secs(s))))
                .with_sent(self.2),
        )
    }
}

impl std::fmt::Display for Scripted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Scripted {}

/// What one way of driving made of a script: the time of each attempt, and the budget's
/// balance and the gate's hold after.
#[derive(Debug, PartialEq)]
struct Run {
    attempt_times: Vec<Duration>,
    balance: u64,
    held_for: Option<Duration>,
}

fn policy() -> RetryPolicy {
    RetryPolicy::new()
        .with_jitter(Jitter::Full)
        .with_max_attempts(5)
        .with_max_retry_after(Duration::from_secs(20))
        .with_deadline(Duration::from_secs(120))
}

fn budget() -> Arc<RetryBudget> {
    Arc::new(RetryBudget::new(20, 2))
}

fn through_driver(script: &[Step], idempotency: Idempotency) -> Run {
    let clock = ManualClock::new();
    let sleep = ManualSleep::new(clock.clone());
    let budget = budget();
    let gate = Arc::new(ThrottleGate::new());
    let driver = RetryDriver::new(policy(), sleep)
        .with_clock(clock.clone())
        .with_rng(SplitMix64::new(9))
        .with_budget(Arc::clone(&budget))
        .with_gate(Arc::clone(&gate));
    let times = Mutex::new(Vec::new());
    let result = block_on(driver.run(idempotency, |attempt| {
        times.lock().unwrap().push(clock.elapsed());
        let step = script[(attempt - 1) as usize];
        async move {
            match step {
                Step::Fail(class, hint, sent) => Err(Scripted(class, hint, sent)),
                Step::Succeed => Ok(()),
            }
        }
    }));
    drop(result);
    Run {
        attempt_times: times.into_inner().unwrap(),
        balance: budget.balance_hundredths(),
        held_for: gate.remaining(clock.now()),
    }
}

fn through_tower(script: &[Step], idempotency: Idempotency) -> Run {
    let clock = ManualClock::new();
    let sleep = ManualSleep::new(clock.clone());
    let budget = budget();
    let gate = Arc::new(ThrottleGate::new());
    let mut policy = TowerRetryPolicy::new(policy(), sleep)
        .with_clock(clock.clone())
        .with_rng(SplitMix64::new(9))
        .with_budget(Arc::clone(&budget))
        .with_gate(Arc::clone(&gate))
        .with_idempotency(idempotency);
    let mut request = http::Request::new(());
    let mut times = Vec::new();
    for step in script {
        times.push(clock.elapsed());
        let mut result: Result<OkResponse, Scripted> = match *step {
            Step::Fail(class, hint, sent) => Err(Scripted(class, hint, sent)),
            Step::Succeed => Ok(OkResponse),
        };
        match Policy::<_, _, Scripted>::retry(&mut policy, &mut request, &mut result) {
            Some(wait) => block_on(wait),
            None => break,
        }
    }
    Run {
        attempt_times: times,
        balance: budget.balance_hundredths(),
        held_for: gate.remaining(clock.now()),
    }
}

/// A successful response.
struct OkResponse;

impl Classify for OkResponse {
    fn failure(&self) -> Option<Failure> {
        None
    }
}

fn same_both_ways(script: &[Step], idempotency: Idempotency) -> Run {
    let driver = through_driver(script, idempotency);
    let tower = through_tower(script, idempotency);
    assert_eq!(driver, tower, "{script:?}");
    driver
}

const BACKOFF: Step = Step::Fail(Retry::Backoff, None, true);

#[test]
fn the_same_failures_give_the_same_attempts_waits_and_budget() {
    use Step::{Fail, Succeed};
    let secs = Duration::from_secs;
    // Backoff with full jitter: the same draws, the same delays.
    let run = same_both_ways(&[BACKOFF, BACKOFF, Succeed], Idempotency::Idempotent);
    assert_eq!(run.attempt_times.len(), 3);
    // A throttled hint holds the gate, and the next retry waits it out.
    let run = same_both_ways(
        &[Fail(Retry::Throttled, Some(7), true), BACKOFF, Succeed],
        Idempotency::Idempotent,
    );
    assert!(run.attempt_times[1] >= secs(7), "{run:?}");
    // The budget runs out: both stop at the same attempt, with the same balance.
    let run = same_both_ways(&[BACKOFF; 5], Idempotency::Idempotent);
    assert!(run.attempt_times.len() < 5, "{run:?}");
    // A hint longer than the policy waits stops both, and the gate holds for others.
    let run = same_both_ways(
        &[Fail(Retry::Throttled, Some(60), true), Succeed],
        Idempotency::Idempotent,
    );
    assert_eq!(run.attempt_times.len(), 1);
    assert_eq!(run.held_for, Some(secs(60)));
    // Not idempotent: only what never reached the server is repeated.
    let run = same_both_ways(
        &[Fail(Retry::Backoff, None, false), BACKOFF, Succeed],
        Idempotency::NotIdempotent,
    );
    assert_eq!(run.attempt_times.len(), 2);
    // Never: one attempt.
    let run = same_both_ways(&[Fail(Retry::Never, None, true)], Idempotency::Idempotent);
    assert_eq!(run.attempt_times.len(), 1);
}

#[test]
fn a_held_back_call_stops_when_the_hold_is_longer_than_the_policy_waits() {
    // Call 1 receives a 429 asking for an hour: it stops (the policy waits 60 s at most)
    // and the gate holds every caller for the hour.
    let clock = ManualClock::new();
    let sleep = ManualSleep::new(clock.clone());
    let driver = RetryDriver::new(RetryPolicy::new(), sleep.clone())
        .with_clock(clock.clone())
        .with_rng(SplitMix64::new(1));
    let first = block_on(driver.run(Idempotency::Idempotent, |_| async {
        Err::<(), _>(Scripted(Retry::Throttled, Some(3600), true))
    }));
    assert_eq!(
        first.unwrap_err().reason(),
        StopReason::RetryAfterTooLong(Duration::from_secs(3600))
    );
    // Call 2 stops at once, before any attempt and without waiting, for the same reason,
    // and says when the service takes requests again.
    clock.advance(Duration::from_secs(100));
    let attempts = Mutex::new(0);
    let second = block_on(driver.run(Idempotency::Idempotent, |_| {
        *attempts.lock().unwrap() += 1;
        async { Ok::<(), Scripted>(()) }
    }))
    .unwrap_err();
    assert_eq!(*attempts.lock().unwrap(), 0);
    assert_eq!(
        second.reason(),
        StopReason::RetryAfterTooLong(Duration::from_secs(3500))
    );
    assert_eq!(second.retry_after(), Some(Duration::from_secs(3500)));
    assert_eq!(
        second.resumes_at(),
        Some(clock.system_now() + Duration::from_secs(3500))
    );
    assert!(
        second.to_string().contains("takes requests again at"),
        "{second}"
    );
    assert!(sleep.slept().is_empty(), "{:?}", sleep.slept());
    // A hold within the policy's cap is waited out.
    let short = ManualClock::new();
    let short_sleep = ManualSleep::new(short.clone());
    let driver = RetryDriver::new(RetryPolicy::new(), short_sleep.clone())
        .with_clock(short.clone())
        .with_gate(Arc::new(ThrottleGate::new()));
    driver
        .gate()
        .hold_until(short.now() + Duration::from_secs(30));
    let third = block_on(driver.run(Idempotency::Idempotent, |_| async {
        Ok::<(), Scripted>(())
    }));
    assert!(third.is_ok());
    assert_eq!(short_sleep.slept(), [Duration::from_secs(30)]);
}
