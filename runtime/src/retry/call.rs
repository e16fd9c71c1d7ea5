//! One call's retry decisions, step by step: the state machine that the driver and the
//! tower policy both run, so that they decide, wait and spend the budget alike.

use std::time::{Duration, Instant};

use super::budget::RetryBudget;
use super::classify::Idempotency;
use super::gate::ThrottleGate;
use super::policy::{Decision, RetryPolicy, RetryState, StopReason};
use super::rng::Rng;
use crate::hint::failure::Failure;
use crate::retry_class::Retry;

/// What the call's decisions read and write beside its own state: the policy, the retry
/// budget and the gate shared by every caller of the service.
#[derive(Clone, Copy)]
pub(crate) struct Shared<'a> {
    pub(crate) policy: &'a RetryPolicy,
    pub(crate) budget: Option<&'a RetryBudget>,
    pub(crate) gate: &'a ThrottleGate,
}

/// What follows a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Wait this long, then attempt again (the budget has paid for it).
    Retry(Duration),
    /// Refresh the credentials, then attempt again at once.
    Reauthenticate,
    /// Give up.
    Stop(StopReason),
}

/// Where one call stands.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call {
    start: Instant,
    idempotency: Idempotency,
    attempts: u32,
    previous_delay: Duration,
}

impl Call {
    /// A call starting at `now`, repeatable as `idempotency` says: it deposits in the
    /// budget, which its retries draw on.
    pub(crate) fn start(shared: Shared<'_>, now: Instant, idempotency: Idempotency) -> Self {
        if let Some(budget) = shared.budget {
            budget.deposit();
        }
        Call {
            start: now,
            idempotency,
            attempts: 0,
            previous_delay: Duration::ZERO,
        }
    }

    /// When the call started.
    pub(crate) fn started(&self) -> Instant {
        self.start
    }

    /// Attempts made so far.
    pub(crate) fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Counts an attempt about to be made (or, for a policy that only sees results, just
    /// made).
    pub(crate) fn attempt(&mut self) {
        self.attempts = self.attempts.saturating_add(1);
    }

    /// How long the gate still holds callers back at `at` (before an attempt), or why the
    /// call stops instead: a hold is waited out only as long as the policy would wait for
    /// the hint that set it (its `max_retry_after`) and within the deadline.
    pub(crate) fn hold(
        &self,
        shared: Shared<'_>,
        at: Instant,
    ) -> Result<Option<Duration>, StopReason> {
        let Some(wait) = shared.gate.remaining(at) else {
            return Ok(None);
        };
        let elapsed = at.saturating_duration_since(self.start);
        let past_deadline = shared
            .policy
            .deadline()
            .is_some_and(|deadline| elapsed.saturating_add(wait) > deadline);
        if wait > shared.policy.max_retry_after() || past_deadline {
            return Err(StopReason::RetryAfterTooLong(wait));
        }
        Ok(Some(wait))
    }

    /// Decides what follows the failed attempt, at `now`: `hint` is the failure's
    /// `Retry-After` as a delay from `now`, and `open_for` how long the circuit breaker
    /// still refuses calls (if it does). A throttled failure's hint holds the gate for
    /// every caller; a backoff retry withdraws from the budget.
    pub(crate) fn after_failure(
        &mut self,
        shared: Shared<'_>,
        failure: &Failure,
        hint: Option<Duration>,
        now: Instant,
        open_for: Option<Duration>,
        rng: &mut (impl Rng + ?Sized),
    ) -> Next {
        if failure.class == Retry::Throttled
            && let Some(until) = hint.and_then(|hint| now.checked_add(hint))
        {
            shared.gate.hold_until(until);
        }
        if failure.class != Retry::Never && failure.sent && !self.idempotency.is_idempotent() {
            return Next::Stop(StopReason::NotIdempotent);
        }
        let state = RetryState::new(
            self.attempts,
            now.saturating_duration_since(self.start),
            self.previous_delay,
        );
        let delay = match shared.policy.decide(failure.class, &state, hint, rng) {
            Decision::Stop(reason) => return Next::Stop(reason),
            Decision::Retry(delay) => delay,
        };
        if failure.class == Retry::Reauthenticate {
            return Next::Reauthenticate;
        }
        if open_for.is_some_and(|open| open > delay) {
            return Next::Stop(StopReason::CircuitOpen);
        }
        if let Some(budget) = shared.budget
            && !budget.try_withdraw()
        {
            return Next::Stop(StopReason::BudgetExhausted);
        }
        self.previous_delay = delay;
        Next::Retry(delay)
    }
}
