//! The `retry_delay` target: a `RetryPolicy` from any settings, asked for delays and
//! decisions for any attempt, previous delay, hint, elapsed time and random words.
//!
//! Byte layout (durations are a kind byte and its value, see `Bytes::duration`;
//! counts are a byte, or a marker byte and a `u32`, see `Bytes::count`):
//!
//! ```text
//! policy   initial delay (duration), multiplier (u32), max delay (duration),
//!          jitter [kind % 7][below duration][above duration], max attempts (count),
//!          deadline [flag][duration], max Retry-After (duration)
//! rng      [kind]: even = SplitMix64 [seed u64]; odd = four scripted words, each
//!          [kind: 0 = 0, 1 = u64::MAX, 2 = u64::MAX / 2, else a u64]
//! queries  until the input ends, at most 64: [retry count][previous duration]
//!          [hint flag][hint duration][class % 4][elapsed duration][attempts count]
//! ```

use std::time::Duration;

use apierror::Retry;
use apierror::retry::{Decision, Jitter, RetryPolicy, RetryState, Rng, SplitMix64, StopReason};

use super::input::Bytes;

/// The randomness a query draws from.
#[derive(Debug, Clone)]
enum Words {
    Seeded(SplitMix64),
    /// These words over and over: the edges of `uniform` (0, `u64::MAX`).
    Scripted([u64; 4], usize),
}

impl Rng for Words {
    fn next_u64(&mut self) -> u64 {
        match self {
            Words::Seeded(rng) => rng.next_u64(),
            Words::Scripted(words, at) => {
                let word = words[*at % words.len()];
                *at = at.wrapping_add(1);
                word
            }
        }
    }
}

/// The target.
pub fn run(data: &[u8]) {
    let mut bytes = Bytes::new(data);
    let policy = policy(&mut bytes);
    let rng = words(&mut bytes);
    check_backoff(&policy);
    check_schedule(&policy, &rng);
    for _ in 0..64 {
        if bytes.is_empty() {
            break;
        }
        let retry = bytes.count();
        let previous = bytes.duration();
        let hint = bytes.bool().then(|| bytes.duration());
        let class = bytes.pick(&[
            Retry::Never,
            Retry::Backoff,
            Retry::Throttled,
            Retry::Reauthenticate,
        ]);
        let elapsed = bytes.duration();
        let attempts = bytes.count();
        check_delay(&policy, retry, previous, hint, &rng);
        let state = RetryState::new(attempts, elapsed, previous);
        check_decide(&policy, class, &state, hint, &rng);
        check_attempts(&policy, class, hint, &rng);
    }
}

fn policy(bytes: &mut Bytes<'_>) -> RetryPolicy {
    let initial = bytes.duration();
    let multiplier = bytes.u32();
    let max_delay = bytes.duration();
    let kind = bytes.u8() % 7;
    let below = bytes.duration();
    let above = bytes.duration();
    let jitter = match kind {
        0 => Jitter::None,
        1 => Jitter::Full,
        2 => Jitter::Equal,
        3 => Jitter::Decorrelated,
        4 => Jitter::bounded(below),
        5 => Jitter::additive(above),
        _ => Jitter::Bounded { below, above },
    };
    let max_attempts = bytes.count();
    let deadline = bytes.bool().then(|| bytes.duration());
    let max_retry_after = bytes.duration();
    let mut policy = RetryPolicy::new()
        .with_initial_delay(initial)
        .with_multiplier(multiplier)
        .with_max_delay(max_delay)
        .with_jitter(jitter)
        .with_max_attempts(max_attempts)
        .with_max_retry_after(max_retry_after);
    if let Some(deadline) = deadline {
        policy = policy.with_deadline(deadline);
    }
    assert_eq!(policy.initial_delay(), initial);
    assert_eq!(policy.multiplier(), multiplier.max(1));
    assert_eq!(policy.max_delay(), max_delay);
    assert_eq!(policy.jitter(), jitter);
    assert_eq!(policy.max_attempts(), max_attempts.max(1));
    assert_eq!(policy.deadline(), deadline);
    assert_eq!(policy.max_retry_after(), max_retry_after);
    policy
}

fn words(bytes: &mut Bytes<'_>) -> Words {
    if bytes.u8().is_multiple_of(2) {
        return Words::Seeded(SplitMix64::new(bytes.u64()));
    }
    let mut words = [0; 4];
    for word in &mut words {
        *word = match bytes.u8() {
            0 => 0,
            1 => u64::MAX,
            2 => u64::MAX / 2,
            _ => bytes.u64(),
        };
    }
    Words::Scripted(words, 0)
}

/// `duration` in nanoseconds, saturating.
fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

/// The backoff is capped, starts at the initial delay, counts retry 0 as 1, and never
/// shrinks from one retry to the next.
fn check_backoff(policy: &RetryPolicy) {
    let cap = policy.max_delay();
    assert_eq!(policy.backoff(0), policy.backoff(1));
    assert_eq!(
        nanos(policy.backoff(1)),
        nanos(policy.initial_delay()).min(nanos(cap))
    );
    let mut previous = Duration::ZERO;
    for retry in (1..=70).chain([u32::MAX - 1, u32::MAX]) {
        let backoff = policy.backoff(retry);
        assert!(backoff <= cap, "backoff {backoff:?} above the cap {cap:?}");
        assert!(backoff >= previous, "backoff shrank at retry {retry}");
        previous = backoff;
    }
}

/// One delay per retry, `max_attempts - 1` in all, each what `delay` gives in turn.
fn check_schedule(policy: &RetryPolicy, rng: &Words) {
    const SHOWN: usize = 64;
    let delays: Vec<Duration> = policy.schedule(rng.clone()).take(SHOWN).collect();
    let retries = usize::try_from(policy.max_attempts() - 1).unwrap_or(usize::MAX);
    assert_eq!(delays.len(), retries.min(SHOWN), "one delay per retry");
    let mut rng = rng.clone();
    let mut previous = Duration::ZERO;
    for (retry, delay) in (1..).zip(&delays) {
        let expected = policy.delay(retry, previous, None, &mut rng);
        assert_eq!(*delay, expected, "schedule at retry {retry}");
        assert!(*delay <= policy.max_delay());
        previous = expected;
    }
}

/// The inclusive range a jitter draws from before the cap.
fn jitter_range(policy: &RetryPolicy, retry: u32, previous: Duration) -> (u64, u64) {
    let base = nanos(policy.backoff(retry));
    let cap = nanos(policy.max_delay());
    // `[low, high)`, or exactly `low` when empty.
    let half_open = |low: u64, high: u64| (low, if high > low { high - 1 } else { low });
    match policy.jitter() {
        Jitter::None => (base, base),
        Jitter::Full => half_open(0, base),
        Jitter::Equal => half_open(base / 2, base),
        Jitter::Decorrelated => {
            let low = nanos(policy.initial_delay()).min(cap);
            let previous = nanos(previous).max(low);
            half_open(low, previous.saturating_mul(3))
        }
        Jitter::Bounded { below, above } => half_open(
            base.saturating_sub(nanos(below)),
            base.saturating_add(nanos(above)),
        ),
        other => panic!("a jitter this oracle does not know: {other:?}"),
    }
}

/// `delay`: pure; the jitter's documented range, capped; the hint a floor with its own
/// cap: `max(backoff, min(hint, max_retry_after))`.
fn check_delay(
    policy: &RetryPolicy,
    retry: u32,
    previous: Duration,
    hint: Option<Duration>,
    rng: &Words,
) {
    let delay = policy.delay(retry, previous, hint, &mut rng.clone());
    assert_eq!(
        delay,
        policy.delay(retry, previous, hint, &mut rng.clone()),
        "pure"
    );
    let bare = policy.delay(retry, previous, None, &mut rng.clone());
    let cap = policy.max_delay();
    assert!(bare <= cap, "{bare:?} above the cap {cap:?}");
    let (low, high) = jitter_range(policy, retry, previous);
    let cap_nanos = nanos(cap);
    let got = nanos(bare);
    assert!(
        low.min(cap_nanos) <= got && got <= high.min(cap_nanos),
        "{:?}: {got} ns outside [{low}, {high}] capped at {cap_nanos}",
        policy.jitter()
    );
    match hint {
        Some(hint) => {
            let floor = hint.min(policy.max_retry_after());
            assert!(delay >= floor, "{delay:?} below the hint {floor:?}");
            assert!(
                delay <= cap.max(floor),
                "{delay:?} above the cap and the hint"
            );
            assert_eq!(delay, bare.max(floor));
        }
        None => assert_eq!(delay, bare),
    }
}

/// `decide`: `Never` stops at once; then the attempt limit; then a hint longer than the
/// policy waits for; then the deadline (the hint's fault when the hint alone passes it);
/// a retry waits `delay` (zero to reauthenticate), never less than the hint.
fn check_decide(
    policy: &RetryPolicy,
    class: Retry,
    state: &RetryState,
    hint: Option<Duration>,
    rng: &Words,
) {
    let decision = policy.decide(class, state, hint, &mut rng.clone());
    let wait = if class == Retry::Reauthenticate {
        Duration::ZERO
    } else {
        policy.delay(state.attempts, state.previous_delay, hint, &mut rng.clone())
    };
    let past_deadline = policy
        .deadline()
        .is_some_and(|deadline| state.elapsed.saturating_add(wait) > deadline);
    let hint = hint.filter(|_| class != Retry::Reauthenticate);
    let hint_past_deadline = hint.is_some_and(|hint| {
        policy
            .deadline()
            .is_some_and(|deadline| state.elapsed.saturating_add(hint) > deadline)
    });
    let expected = if class == Retry::Never {
        Decision::Stop(StopReason::NotRetryable)
    } else if state.attempts >= policy.max_attempts() {
        Decision::Stop(StopReason::AttemptsExhausted)
    } else if let Some(hint) = hint.filter(|hint| *hint > policy.max_retry_after()) {
        Decision::Stop(StopReason::RetryAfterTooLong(hint))
    } else if past_deadline && hint_past_deadline {
        Decision::Stop(StopReason::RetryAfterTooLong(hint.unwrap_or_default()))
    } else if past_deadline {
        Decision::Stop(StopReason::DeadlineExceeded)
    } else {
        Decision::Retry(wait)
    };
    assert_eq!(decision, expected, "{class:?} after {state:?}");
    if let (Decision::Retry(wait), Some(hint)) = (decision, hint) {
        assert!(wait >= hint, "{wait:?} before the server's {hint:?}");
    }
}

/// A call that keeps failing is made at most `max_attempts` times, and exactly that
/// often without a deadline and without a hint longer than the policy waits for.
fn check_attempts(policy: &RetryPolicy, class: Retry, hint: Option<Duration>, rng: &Words) {
    const SHOWN: u32 = 64;
    let mut rng = rng.clone();
    let mut state = RetryState::new(1, Duration::ZERO, Duration::ZERO);
    while let Decision::Retry(delay) = policy.decide(class, &state, hint, &mut rng) {
        state.attempts += 1;
        state.elapsed = state.elapsed.saturating_add(delay);
        state.previous_delay = delay;
        assert!(
            state.attempts <= policy.max_attempts(),
            "an attempt too many"
        );
        if let Some(deadline) = policy.deadline() {
            assert!(state.elapsed <= deadline, "a retry past the deadline");
        }
        if state.attempts > SHOWN {
            return;
        }
    }
    let hint_too_long =
        class != Retry::Reauthenticate && hint.is_some_and(|hint| hint > policy.max_retry_after());
    if class != Retry::Never && policy.deadline().is_none() && !hint_too_long {
        assert_eq!(state.attempts, policy.max_attempts(), "every attempt made");
    }
}
