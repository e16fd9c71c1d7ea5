//! A `tower::retry::Policy` driven by the retry classification, for tower stacks.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use super::budget::RetryBudget;
use super::call::{Call, Next, Shared};
use super::classify::{Classify, Idempotency};
use super::clock::Sleep;
use super::gate::ThrottleGate;
use super::policy::RetryPolicy;
use super::rng::{Rng, SplitMix64};
use crate::clock::{Clock, SystemClock};

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
/// credentials cannot be refreshed from a policy, so [`Retry::Reauthenticate`](crate::Retry::Reauthenticate) is not
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
    gate: Arc<ThrottleGate>,
    /// Overrides each request's own idempotency when set.
    idempotency: Option<Idempotency>,
    /// The current request's call, from its first result on.
    call: Option<Call>,
}

impl<S, C, R> Clone for TowerRetryPolicy<S, C, R> {
    fn clone(&self) -> Self {
        TowerRetryPolicy {
            policy: self.policy,
            sleep: Arc::clone(&self.sleep),
            clock: Arc::clone(&self.clock),
            rng: Arc::clone(&self.rng),
            budget: self.budget.clone(),
            gate: Arc::clone(&self.gate),
            idempotency: self.idempotency,
            call: self.call,
        }
    }
}

impl<S, C, R> fmt::Debug for TowerRetryPolicy<S, C, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TowerRetryPolicy")
            .field("policy", &self.policy)
            .field("budget", &self.budget)
            .field("idempotency", &self.idempotency)
            .field("attempts", &self.attempts())
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
            gate: Arc::new(ThrottleGate::new()),
            idempotency: None,
            call: None,
        }
    }
}

#[cfg(feature = "tokio")]
impl TowerRetryPolicy<super::clock::TokioSleep, crate::clock::TokioClock> {
    /// A tower policy for `policy` on tokio's timer and clock.
    pub fn tokio(policy: RetryPolicy) -> Self {
        TowerRetryPolicy::new(policy, super::clock::TokioSleep)
            .with_clock(crate::clock::TokioClock::new())
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
            gate: self.gate,
            idempotency: self.idempotency,
            call: self.call,
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
            gate: self.gate,
            idempotency: self.idempotency,
            call: self.call,
        }
    }

    /// Pays for every retry from `budget`; every request deposits in it.
    #[must_use]
    pub fn with_budget(mut self, budget: Arc<RetryBudget>) -> Self {
        self.budget = Some(budget);
        self
    }

    /// Holds requests back with `gate`, shared with the drivers and policies calling the
    /// same service: a throttled response's hint makes every retry through it wait.
    #[must_use]
    pub fn with_gate(mut self, gate: Arc<ThrottleGate>) -> Self {
        self.gate = gate;
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
        self.call.map_or(0, |call| call.attempts())
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
        let shared = Shared {
            policy: &self.policy,
            budget: self.budget.as_deref(),
            gate: &self.gate,
        };
        // The first result for this request starts its call (and its budget deposit).
        let idempotency = self.idempotency.unwrap_or_else(|| req.idempotency());
        let call = self
            .call
            .get_or_insert_with(|| Call::start(shared, now, idempotency));
        call.attempt();
        let failure = result.failure()?;
        let hint = failure
            .retry_after
            .map(|hint| hint.delay_from(self.clock.system_now()));
        let next = {
            let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
            call.after_failure(shared, &failure, hint, now, None, &mut *rng)
        };
        let Next::Retry(delay) = next else {
            // Credentials cannot be refreshed from a policy: a reauthentication stops too.
            return None;
        };
        // What the gate still holds after the delay is waited too, as the driver waits it
        // before its next attempt; a hold longer than the policy allows stops.
        let then = now.checked_add(delay).unwrap_or(now);
        let held = call.hold(shared, then).ok()?.unwrap_or_default();
        Some(self.sleep.sleep(delay.saturating_add(held)))
    }

    fn clone_request(&mut self, req: &Req) -> Option<Req> {
        req.try_clone_request()
    }
}
