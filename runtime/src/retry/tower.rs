//! A `tower::retry::Policy` driven by the retry classification, for tower stacks.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::budget::RetryBudget;
use super::classify::{Classify, Idempotency};
use super::clock::{Clock, Sleep, SystemClock};
use super::policy::{Decision, RetryPolicy, RetryState};
use super::rng::{Rng, SplitMix64};
use crate::retry_class::Retry;

/// A request the tower policy can repeat: it can be cloned before it is sent, and it
/// knows whether repeating it is safe.
pub trait RetryableRequest: Sized {
    /// A copy to send again, or `None` when the request cannot be copied (a streaming
    /// body), which disables retries for it.
    fn try_clone_request(&self) -> Option<Self>;

    /// Whether repeating the request is safe.
    fn idempotency(&self) -> Idempotency;
}

impl<B: Clone> RetryableRequest for http::Request<B> {
    fn try_clone_request(&self) -> Option<Self> {
        Some(self.clone())
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::of(self.method())
    }
}

#[cfg(feature = "reqwest")]
impl RetryableRequest for reqwest::Request {
    fn try_clone_request(&self) -> Option<Self> {
        self.try_clone()
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::of(self.method())
    }
}

/// [`RetryPolicy`] as a [`tower::retry::Policy`]: responses and errors are classified
/// ([`Classify`]; an `http::Response` by its status and headers), retryable ones are
/// retried after the policy's delay (at least the server's `Retry-After`), within the
/// attempt limit, the deadline and an optional shared [`RetryBudget`].
///
/// Differences from [`RetryDriver`](super::RetryDriver): tower gives a policy no hook
/// before the first attempt, so the deadline runs from the end of the first attempt;
/// credentials cannot be refreshed from a policy, so [`Retry::Reauthenticate`] is not
/// retried; and a circuit breaker belongs in a service layer rather than here.
///
/// Tower clones the policy for every request, so the attempt count is per request while
/// sleep, clock, rng and budget are shared.
///
/// ```
/// use apierror::retry::{RetryPolicy, SplitMix64, TowerRetryPolicy, ManualSleep, ManualClock};
/// use tower::retry::RetryLayer;
///
/// let clock = ManualClock::new();
/// let policy = TowerRetryPolicy::new(RetryPolicy::new(), ManualSleep::new(clock.clone()))
///     .with_clock(clock)
///     .with_rng(SplitMix64::new(7));
/// let _layer = RetryLayer::new(policy);
/// ```
pub struct TowerRetryPolicy<S, C = SystemClock, R = SplitMix64> {
    policy: RetryPolicy,
    sleep: Arc<S>,
    clock: Arc<C>,
    rng: Arc<Mutex<R>>,
    budget: Option<Arc<RetryBudget>>,
    /// Overrides each request's own idempotency when set.
    idempotency: Option<Idempotency>,
    attempts: u32,
    previous_delay: Duration,
    started: Option<Instant>,
}

impl<S, C, R> Clone for TowerRetryPolicy<S, C, R> {
    fn clone(&self) -> Self {
        TowerRetryPolicy {
            policy: self.policy,
            sleep: Arc::clone(&self.sleep),
            clock: Arc::clone(&self.clock),
            rng: Arc::clone(&self.rng),
            budget: self.budget.clone(),
            idempotency: self.idempotency,
            attempts: self.attempts,
            previous_delay: self.previous_delay,
            started: self.started,
        }
    }
}

impl<S, C, R> fmt::Debug for TowerRetryPolicy<S, C, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TowerRetryPolicy")
            .field("policy", &self.policy)
            .field("budget", &self.budget)
            .field("idempotency", &self.idempotency)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

impl<S: Sleep> TowerRetryPolicy<S> {
    /// A tower policy for `policy` that waits with `sleep`, on the system clock, with an
    /// rng seeded from entropy and no budget.
    pub fn new(policy: RetryPolicy, sleep: S) -> Self {
        TowerRetryPolicy {
            policy,
            sleep: Arc::new(sleep),
            clock: Arc::new(SystemClock),
            rng: Arc::new(Mutex::new(SplitMix64::from_entropy())),
            budget: None,
            idempotency: None,
            attempts: 0,
            previous_delay: Duration::ZERO,
            started: None,
        }
    }
}

#[cfg(feature = "tokio")]
impl TowerRetryPolicy<super::clock::TokioSleep, super::clock::TokioClock> {
    /// A tower policy for `policy` on tokio's timer and clock.
    pub fn tokio(policy: RetryPolicy) -> Self {
        TowerRetryPolicy::new(policy, super::clock::TokioSleep)
            .with_clock(super::clock::TokioClock::new())
    }
}

impl<S, C, R> TowerRetryPolicy<S, C, R> {
    /// Reads time from `clock`.
    pub fn with_clock<C2: Clock>(self, clock: C2) -> TowerRetryPolicy<S, C2, R> {
        TowerRetryPolicy {
            policy: self.policy,
            sleep: self.sleep,
            clock: Arc::new(clock),
            rng: self.rng,
            budget: self.budget,
            idempotency: self.idempotency,
            attempts: self.attempts,
            previous_delay: self.previous_delay,
            started: self.started,
        }
    }

    /// Draws jitter from `rng`.
    pub fn with_rng<R2: Rng>(self, rng: R2) -> TowerRetryPolicy<S, C, R2> {
        TowerRetryPolicy {
            policy: self.policy,
            sleep: self.sleep,
            clock: self.clock,
            rng: Arc::new(Mutex::new(rng)),
            budget: self.budget,
            idempotency: self.idempotency,
            attempts: self.attempts,
            previous_delay: self.previous_delay,
            started: self.started,
        }
    }

    /// Pays for every retry from `budget`; every request deposits in it.
    #[must_use]
    pub fn with_budget(mut self, budget: Arc<RetryBudget>) -> Self {
        self.budget = Some(budget);
        self
    }

    /// Treats every request through this policy as `idempotency`, whatever its method:
    /// [`Idempotency::Idempotent`] for APIs with idempotency keys,
    /// [`Idempotency::NotIdempotent`] to retry only requests that never reached the
    /// server.
    #[must_use]
    pub fn with_idempotency(mut self, idempotency: Idempotency) -> Self {
        self.idempotency = Some(idempotency);
        self
    }

    /// Attempts made for the current request (per clone).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl<Req, Res, E, S, C, R> tower::retry::Policy<Req, Res, E> for TowerRetryPolicy<S, C, R>
where
    Req: RetryableRequest,
    Res: Classify,
    E: Classify,
    S: Sleep,
    C: Clock,
    R: Rng,
{
    type Future = S::Future;

    fn retry(&mut self, req: &mut Req, result: &mut Result<Res, E>) -> Option<S::Future> {
        let now = self.clock.now();
        let started = if let Some(started) = self.started {
            started
        } else {
            // First result for this request: the request counts towards the budget.
            if let Some(budget) = &self.budget {
                budget.deposit();
            }
            self.started = Some(now);
            now
        };
        self.attempts = self.attempts.saturating_add(1);
        let failure = result.failure()?;
        let safe = self
            .idempotency
            .unwrap_or_else(|| req.idempotency())
            .is_idempotent();
        if failure.class == Retry::Reauthenticate || (failure.sent && !safe) {
            return None;
        }
        let state = RetryState {
            attempts: self.attempts,
            elapsed: now.saturating_duration_since(started),
            previous_delay: self.previous_delay,
        };
        let hint = failure
            .retry_after
            .map(|hint| hint.delay_from(self.clock.system_now()));
        let decision = {
            let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
            self.policy.decide(failure.class, &state, hint, &mut *rng)
        };
        let Decision::Retry(delay) = decision else {
            return None;
        };
        if let Some(budget) = &self.budget
            && !budget.try_withdraw()
        {
            return None;
        }
        self.previous_delay = delay;
        Some(self.sleep.sleep(delay))
    }

    fn clone_request(&mut self, req: &Req) -> Option<Req> {
        req.try_clone_request()
    }
}
