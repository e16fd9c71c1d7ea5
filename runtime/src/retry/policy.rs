//! The retry policy: how many attempts, and how long to wait before each retry, as a
//! pure and total function.

use std::fmt;
use std::time::Duration;

use super::rng::{Rng, uniform};
use crate::retry_class::Retry;

/// How the exponential delay is randomised, so that clients that failed together do
/// not retry together.
///
/// Every variant draws from a half-open range: the delay is at least the lower end and
/// less than the upper end (exactly the lower end when the range is empty). The result
/// is then capped at [`RetryPolicy::max_delay`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Jitter {
    /// No randomness: exactly the exponential delay.
    None,
    /// Uniform in `[0, d)` where `d` is the exponential delay ("full jitter").
    #[default]
    Full,
    /// Uniform in `[d/2, d)` ("equal jitter"): never less than half the delay.
    Equal,
    /// Uniform in `[initial, 3 × previous)`, independent of the attempt number
    /// ("decorrelated jitter"); the first retry uses `previous = initial`.
    Decorrelated,
    /// Uniform in `[d − below, d + above)`: a window around the exponential delay.
    ///
    /// Both sides are explicit so that one-sided windows can be written too:
    /// [`Jitter::bounded`] is symmetric (`±d`, as in "1 s ± 500 ms"), and
    /// [`Jitter::additive`] only adds (`[d, d + extra)`, as in
    /// `min(2^n, 30) + random.uniform(0, 1)`).
    Bounded {
        /// How far below the exponential delay a draw may fall (saturating at zero).
        below: Duration,
        /// How far above the exponential delay a draw may reach (exclusive).
        above: Duration,
    },
}

impl Jitter {
    /// A symmetric window: uniform in `[d − spread, d + spread)`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use apierror::retry::Jitter;
    ///
    /// let half_second = Duration::from_millis(500);
    /// assert_eq!(
    ///     Jitter::bounded(half_second),
    ///     Jitter::Bounded { below: half_second, above: half_second },
    /// );
    /// ```
    pub const fn bounded(spread: Duration) -> Self {
        Jitter::Bounded {
            below: spread,
            above: spread,
        }
    }

    /// A one-sided window that only adds: uniform in `[d, d + extra)`.
    pub const fn additive(extra: Duration) -> Self {
        Jitter::Bounded {
            below: Duration::ZERO,
            above: extra,
        }
    }
}

/// Why a call stopped being retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StopReason {
    /// The error's class is [`Retry::Never`].
    NotRetryable,
    /// The policy's maximum number of attempts was reached.
    AttemptsExhausted,
    /// The next attempt would start after the policy's overall deadline.
    DeadlineExceeded,
    /// The request is not idempotent and was not declared safe to repeat.
    NotIdempotent,
    /// The shared retry budget has no retry left.
    BudgetExhausted,
    /// The circuit breaker is open (or its half-open probes are all taken): the call
    /// failed fast without reaching the server.
    CircuitOpen,
    /// The credentials were refreshed once already, no refresh was supplied, or the
    /// refresh failed.
    ReauthenticationFailed,
    /// The server asked to wait this long (`Retry-After`, or a rate limit's reset), longer
    /// than the policy waits for a hint ([`RetryPolicy::max_retry_after`]) or than its
    /// deadline leaves: retrying sooner would break the server's rule, so the call stops.
    RetryAfterTooLong(Duration),
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StopReason::NotRetryable => "the error is not retryable",
            StopReason::AttemptsExhausted => "no attempts left",
            StopReason::DeadlineExceeded => "the retry deadline would be exceeded",
            StopReason::NotIdempotent => "the request is not idempotent",
            StopReason::BudgetExhausted => "the retry budget is exhausted",
            StopReason::CircuitOpen => "the circuit breaker is open",
            StopReason::ReauthenticationFailed => "the credentials could not be refreshed",
            StopReason::RetryAfterTooLong(hint) => {
                return write!(
                    f,
                    "the server asked to wait {} s before a retry, longer than the policy allows",
                    hint.as_secs_f64()
                );
            }
        })
    }
}

/// What the policy decided after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Decision {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Give up.
    Stop(StopReason),
}

/// Where a call stands after a failed attempt: the input of [`RetryPolicy::decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct RetryState {
    /// Attempts made so far, the one that just failed included (1 after the first call).
    pub attempts: u32,
    /// Time since the first attempt started.
    pub elapsed: Duration,
    /// The delay waited before the attempt that just failed (zero after the first).
    pub previous_delay: Duration,
}

impl RetryState {
    /// The state after `attempts` attempts, `elapsed` since the first started, with
    /// `previous_delay` waited before the last.
    pub const fn new(attempts: u32, elapsed: Duration, previous_delay: Duration) -> Self {
        RetryState {
            attempts,
            elapsed,
            previous_delay,
        }
    }
}

/// How often and how patiently to retry: exponential backoff with a cap and jitter,
/// a maximum number of attempts, an optional overall deadline, and the server's
/// `Retry-After` as a lower bound with its own cap.
///
/// Defaults: 1 s initial delay doubling up to 20 s, full jitter, 3 attempts, no deadline,
/// hints honoured up to 60 s.
///
/// The delay before retry `n` (the `n`-th call after the first) is
///
/// ```text
/// d      = min(initial × multiplierⁿ⁻¹, max_delay)     exponential, capped
/// d'     = min(jitter(d), max_delay)                    never above the cap
/// delay  = max(d', min(hint, max_retry_after))          never below the server's hint
/// ```
///
/// All arithmetic saturates: any attempt number and any hint give a delay, never a panic.
///
/// The schedules the seed vendors document:
///
/// ```
/// use std::time::Duration;
/// use apierror::retry::{Jitter, RetryPolicy, SplitMix64};
///
/// let secs = Duration::from_secs;
/// // Seed 001: 1 s, 2 s, 4 s.
/// let policy = RetryPolicy::new().with_jitter(Jitter::None).with_max_attempts(4);
/// let delays: Vec<_> = policy.schedule(SplitMix64::new(0)).collect();
/// assert_eq!(delays, [secs(1), secs(2), secs(4)]);
///
/// // Seed 004: 1, 2, 4, 8, 16 s, each ± 500 ms, 5 retries.
/// let policy = RetryPolicy::new()
///     .with_jitter(Jitter::bounded(Duration::from_millis(500)))
///     .with_max_delay(secs(30))
///     .with_max_attempts(6);
/// for (n, delay) in policy.schedule(SplitMix64::new(42)).enumerate() {
///     let base = secs(1 << n);
///     assert!(delay >= base - Duration::from_millis(500));
///     assert!(delay < base + Duration::from_millis(500));
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RetryPolicy {
    initial_delay: Duration,
    multiplier: u32,
    max_delay: Duration,
    jitter: Jitter,
    max_attempts: u32,
    deadline: Option<Duration>,
    max_retry_after: Duration,
    attempt_timeout: Option<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::new()
    }
}

impl RetryPolicy {
    /// The default policy (see the type's documentation).
    pub const fn new() -> Self {
        RetryPolicy {
            initial_delay: Duration::from_secs(1),
            multiplier: 2,
            max_delay: Duration::from_secs(20),
            jitter: Jitter::Full,
            max_attempts: 3,
            deadline: None,
            max_retry_after: Duration::from_secs(60),
            attempt_timeout: None,
        }
    }

    /// A policy that never retries: one attempt.
    pub const fn no_retries() -> Self {
        RetryPolicy::new().with_max_attempts(1)
    }

    /// Sets the delay before the first retry.
    #[must_use]
    pub const fn with_initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// Sets the factor the delay grows by per retry (at least 1; default 2).
    #[must_use]
    pub const fn with_multiplier(mut self, multiplier: u32) -> Self {
        self.multiplier = if multiplier == 0 { 1 } else { multiplier };
        self
    }

    /// Sets the cap on the backoff delay, jitter included. A server's hint may still
    /// ask for longer, up to [`max_retry_after`](Self::max_retry_after).
    #[must_use]
    pub const fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets the jitter.
    #[must_use]
    pub const fn with_jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// Sets the maximum number of attempts, the first call included (at least 1): `4`
    /// means one call and up to three retries.
    #[must_use]
    pub const fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = if attempts == 0 { 1 } else { attempts };
        self
    }

    /// Sets an overall deadline measured from the start of the first attempt: no retry
    /// is started whose delay would end after it.
    #[must_use]
    pub const fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Sets the longest server hint (`Retry-After`) a retry waits for. A longer hint
    /// stops the call ([`StopReason::RetryAfterTooLong`]): it is never waited for less.
    #[must_use]
    pub const fn with_max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// The delay before the first retry.
    pub const fn initial_delay(&self) -> Duration {
        self.initial_delay
    }

    /// The growth factor per retry.
    pub const fn multiplier(&self) -> u32 {
        self.multiplier
    }

    /// The cap on the backoff delay.
    pub const fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The jitter.
    pub const fn jitter(&self) -> Jitter {
        self.jitter
    }

    /// The maximum number of attempts, the first call included.
    pub const fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The overall deadline, if any.
    pub const fn deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// Sets how long one attempt may take: the driver abandons a slower one and
    /// classifies it [`Retry::Backoff`], like a transport timeout. An attempt never runs
    /// past the overall deadline either.
    #[must_use]
    pub const fn with_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// How long one attempt may take, if bounded.
    pub const fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt_timeout
    }

    /// The cap on server hints.
    pub const fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The exponential delay before retry `retry` (1-based; 0 counts as 1), capped and
    /// without jitter.
    pub fn backoff(&self, retry: u32) -> Duration {
        Duration::from_nanos(self.backoff_nanos(retry))
    }

    fn backoff_nanos(&self, retry: u32) -> u64 {
        let cap = saturating_nanos(self.max_delay);
        let exponent = retry.saturating_sub(1);
        let factor = u64::from(self.multiplier.max(1))
            .checked_pow(exponent)
            .unwrap_or(u64::MAX);
        saturating_nanos(self.initial_delay)
            .saturating_mul(factor)
            .min(cap)
    }

    /// The delay before retry `retry` (1-based: 1 is the first retry, after the first
    /// call failed), given the delay before the previous attempt (for decorrelated
    /// jitter) and the server's hint.
    ///
    /// Pure and total: it reads nothing but its arguments and `rng`, and returns a
    /// delay for every input. The result is at most `max(max_delay,
    /// min(hint, max_retry_after))` and at least `min(hint, max_retry_after)`.
    pub fn delay(
        &self,
        retry: u32,
        previous: Duration,
        hint: Option<Duration>,
        rng: &mut (impl Rng + ?Sized),
    ) -> Duration {
        let cap = saturating_nanos(self.max_delay);
        let base = self.backoff_nanos(retry);
        let jittered = match self.jitter {
            Jitter::None => base,
            Jitter::Full => uniform(rng, 0, base),
            Jitter::Equal => uniform(rng, base / 2, base),
            Jitter::Decorrelated => {
                let low = saturating_nanos(self.initial_delay).min(cap);
                let previous = saturating_nanos(previous).max(low);
                uniform(rng, low, previous.saturating_mul(3))
            }
            Jitter::Bounded { below, above } => uniform(
                rng,
                base.saturating_sub(saturating_nanos(below)),
                base.saturating_add(saturating_nanos(above)),
            ),
        };
        let backoff = Duration::from_nanos(jittered.min(cap));
        match hint {
            Some(hint) => backoff.max(hint.min(self.max_retry_after)),
            None => backoff,
        }
    }

    /// Decides what to do after a failed attempt of class `class`.
    ///
    /// [`Retry::Never`] stops at once; [`Retry::Backoff`] and [`Retry::Throttled`] wait
    /// [`delay`](Self::delay) (at least the hint); [`Retry::Reauthenticate`] retries at
    /// once (refreshing the credentials, and doing so only once, is the driver's job).
    /// Then the attempt limit and the deadline apply.
    ///
    /// A client never retries before the server's hint: a hint longer than
    /// [`max_retry_after`](Self::max_retry_after), or one that would end past the deadline,
    /// stops with [`StopReason::RetryAfterTooLong`] instead of a shorter wait. Raise
    /// `max_retry_after` to wait that long.
    pub fn decide(
        &self,
        class: Retry,
        state: &RetryState,
        hint: Option<Duration>,
        rng: &mut (impl Rng + ?Sized),
    ) -> Decision {
        if class == Retry::Never {
            return Decision::Stop(StopReason::NotRetryable);
        }
        if state.attempts >= self.max_attempts {
            return Decision::Stop(StopReason::AttemptsExhausted);
        }
        let hint = hint.filter(|_| class != Retry::Reauthenticate);
        if let Some(hint) = hint
            && hint > self.max_retry_after
        {
            return Decision::Stop(StopReason::RetryAfterTooLong(hint));
        }
        let delay = match class {
            Retry::Reauthenticate => Duration::ZERO,
            _ => self.delay(state.attempts, state.previous_delay, hint, rng),
        };
        if let Some(deadline) = self.deadline
            && state.elapsed.saturating_add(delay) > deadline
        {
            return Decision::Stop(match hint {
                Some(hint) if state.elapsed.saturating_add(hint) > deadline => {
                    StopReason::RetryAfterTooLong(hint)
                }
                _ => StopReason::DeadlineExceeded,
            });
        }
        Decision::Retry(delay)
    }

    /// The delays this policy would wait if every attempt failed without a hint: one per
    /// retry, `max_attempts − 1` in all.
    pub fn schedule<R: Rng>(&self, rng: R) -> Schedule<R> {
        Schedule {
            policy: *self,
            rng,
            retry: 0,
            previous: Duration::ZERO,
        }
    }
}

/// The iterator returned by [`RetryPolicy::schedule`].
#[derive(Debug, Clone)]
pub struct Schedule<R> {
    policy: RetryPolicy,
    rng: R,
    retry: u32,
    previous: Duration,
}

impl<R: Rng> Iterator for Schedule<R> {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        if self.retry.saturating_add(1) >= self.policy.max_attempts {
            return None;
        }
        self.retry += 1;
        let delay = self
            .policy
            .delay(self.retry, self.previous, None, &mut self.rng);
        self.previous = delay;
        Some(delay)
    }
}

/// `duration` in nanoseconds, saturating at `u64::MAX` (about 584 years).
pub(crate) use crate::clock::saturating_nanos;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retry::SplitMix64;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn exponential_without_jitter_is_exact_and_capped() {
        let policy = RetryPolicy::new()
            .with_jitter(Jitter::None)
            .with_max_delay(Duration::from_secs(10));
        let delays: Vec<_> = (1..=6).map(|n| policy.backoff(n)).collect();
        assert_eq!(
            delays,
            [1, 2, 4, 8, 10, 10].map(Duration::from_secs),
            "doubling from 1 s, capped at 10 s"
        );
        assert_eq!(policy.backoff(0), SECOND);
    }

    #[test]
    fn extreme_inputs_saturate() {
        let mut rng = SplitMix64::new(3);
        let huge = RetryPolicy::new()
            .with_initial_delay(Duration::MAX)
            .with_max_delay(Duration::MAX)
            .with_multiplier(u32::MAX)
            .with_max_retry_after(Duration::MAX);
        for jitter in [
            Jitter::None,
            Jitter::Full,
            Jitter::Equal,
            Jitter::Decorrelated,
            Jitter::bounded(Duration::MAX),
        ] {
            let policy = huge.with_jitter(jitter);
            let delay = policy.delay(u32::MAX, Duration::MAX, Some(Duration::MAX), &mut rng);
            assert_eq!(
                delay,
                Duration::MAX,
                "the hint is the floor, whatever the backoff"
            );
            let _ = policy.delay(0, Duration::ZERO, None, &mut rng);
        }
    }

    #[test]
    fn hint_is_a_floor_with_its_own_cap() {
        let mut rng = SplitMix64::new(5);
        let policy = RetryPolicy::new()
            .with_jitter(Jitter::None)
            .with_max_retry_after(Duration::from_secs(45));
        let hinted = policy.delay(1, Duration::ZERO, Some(Duration::from_secs(30)), &mut rng);
        assert_eq!(hinted, Duration::from_secs(30));
        let capped = policy.delay(1, Duration::ZERO, Some(Duration::from_secs(3600)), &mut rng);
        assert_eq!(capped, Duration::from_secs(45));
        let small = policy.delay(3, Duration::ZERO, Some(Duration::from_millis(10)), &mut rng);
        assert_eq!(
            small,
            Duration::from_secs(4),
            "a short hint does not shorten the backoff"
        );
    }

    #[test]
    fn decide_stops_on_never_attempts_and_deadline() {
        let mut rng = SplitMix64::new(9);
        let policy = RetryPolicy::new()
            .with_jitter(Jitter::None)
            .with_max_attempts(3)
            .with_deadline(Duration::from_secs(5));
        let state = |attempts, elapsed| RetryState {
            attempts,
            elapsed,
            previous_delay: Duration::ZERO,
        };
        assert_eq!(
            policy.decide(Retry::Never, &state(1, Duration::ZERO), None, &mut rng),
            Decision::Stop(StopReason::NotRetryable)
        );
        assert_eq!(
            policy.decide(Retry::Backoff, &state(1, Duration::ZERO), None, &mut rng),
            Decision::Retry(SECOND)
        );
        assert_eq!(
            policy.decide(
                Retry::Backoff,
                &state(2, Duration::from_secs(4)),
                None,
                &mut rng
            ),
            Decision::Stop(StopReason::DeadlineExceeded),
            "4 s elapsed + 2 s delay passes the 5 s deadline"
        );
        assert_eq!(
            policy.decide(Retry::Throttled, &state(3, Duration::ZERO), None, &mut rng),
            Decision::Stop(StopReason::AttemptsExhausted)
        );
        assert_eq!(
            policy.decide(
                Retry::Reauthenticate,
                &state(1, Duration::ZERO),
                None,
                &mut rng
            ),
            Decision::Retry(Duration::ZERO)
        );
    }

    #[test]
    fn schedule_has_one_delay_per_retry() {
        let policy = RetryPolicy::new().with_max_attempts(5);
        assert_eq!(policy.schedule(SplitMix64::new(1)).count(), 4);
        assert_eq!(
            RetryPolicy::no_retries()
                .schedule(SplitMix64::new(1))
                .count(),
            0
        );
        let zero = RetryPolicy::new().with_max_attempts(0);
        assert_eq!(zero.max_attempts(), 1);
    }
}
