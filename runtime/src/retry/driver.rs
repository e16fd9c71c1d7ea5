//! The retry driver: runs an async call again and again under a policy, a circuit
//! breaker and a retry budget, on an injected clock, sleep and rng.

use std::fmt;
use std::future::{Future, Ready, poll_fn};
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;
use std::time::{Duration, SystemTime};

use super::breaker::{CircuitBreaker, Outcome};
use super::budget::RetryBudget;
use super::call::{Call, Next, Shared};
use super::classify::{Classify, Idempotency, IdempotencyKey};
use super::clock::Sleep;
use super::fleet::{FleetFuture, FleetStore, Report};
use super::gate::ThrottleGate;
use super::policy::{RetryPolicy, StopReason};
use super::rng::{Rng, SplitMix64};
use super::trace::{self, AttemptSpan, CallSpan};
use crate::clock::{Clock, SystemClock};
use crate::hint::failure::Failure;
use crate::retry_class::Retry;

/// What the driver is doing, as reported to its observer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryEvent {
    /// Attempt `attempt` (1-based) failed.
    #[non_exhaustive]
    Failed {
        /// The attempt that failed.
        attempt: u32,
        /// How it failed.
        failure: Failure,
        /// The response's status, if one arrived.
        status: Option<http::StatusCode>,
        /// The error's code, or a transport failure's kind.
        code: Option<String>,
        /// The response's request id.
        request_id: Option<String>,
        /// Whether the attempt was abandoned at the policy's attempt timeout.
        timed_out: bool,
    },
    /// The driver waits `delay`, then makes attempt `next_attempt`.
    #[non_exhaustive]
    Retrying {
        /// The attempt about to be made.
        next_attempt: u32,
        /// The wait before it.
        delay: Duration,
    },
    /// The service asked every caller to hold back (a 429's `Retry-After`, received by
    /// this call or another through the same [`ThrottleGate`]): the driver waits `wait`
    /// before attempt `next_attempt`.
    #[non_exhaustive]
    HeldBack {
        /// The attempt about to be made.
        next_attempt: u32,
        /// The wait before it.
        wait: Duration,
    },
    /// The driver refreshes the credentials, then makes attempt `next_attempt`.
    #[non_exhaustive]
    Reauthenticating {
        /// The attempt about to be made.
        next_attempt: u32,
    },
    /// Attempt `attempts` succeeded, after `waited` in all between attempts.
    #[non_exhaustive]
    Succeeded {
        /// Attempts made.
        attempts: u32,
        /// The time waited between attempts.
        waited: Duration,
    },
    /// The driver gave up after `attempts` attempts.
    #[non_exhaustive]
    GaveUp {
        /// Attempts made.
        attempts: u32,
        /// Why it stopped.
        reason: StopReason,
        /// The time waited between attempts.
        waited: Duration,
    },
}

/// A call that succeeded, with what it took.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Completed<T> {
    /// What the call returned.
    pub value: T,
    /// Attempts made, the successful one included.
    pub attempts: u32,
    /// The time waited between attempts.
    pub waited: Duration,
}

/// Where one call stands: what it has done so far.
struct Run<E> {
    attempts: u32,
    waited: Duration,
    last: Option<E>,
    /// The last failure's hint, as a delay from when it failed.
    retry_after: Option<Duration>,
}

/// A call that did not succeed: why the driver stopped, how many attempts it made, and
/// the last attempt's error (none when the circuit breaker refused the first attempt).
#[derive(Debug)]
pub struct RetryError<E> {
    reason: StopReason,
    attempts: u32,
    last: Option<E>,
    retry_after: Option<Duration>,
    resumes_at: Option<SystemTime>,
    waited: Duration,
    timed_out: bool,
}

impl<E> RetryError<E> {
    /// Why the driver stopped.
    pub fn reason(&self) -> StopReason {
        self.reason
    }

    /// Attempts made (0 when the breaker refused the first one).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The last attempt's error.
    pub fn last(&self) -> Option<&E> {
        self.last.as_ref()
    }

    /// Takes the last attempt's error.
    pub fn into_last(self) -> Option<E> {
        self.last
    }

    /// How long the server asked to wait after the last attempt (`Retry-After`, or a
    /// rate limit's reset), measured when that attempt failed: the earliest a caller may
    /// try again, whatever the reason the driver stopped.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// When the service takes requests again, by the system clock: set when the driver
    /// stopped because the server's hint (or the hold another call's hint put on every
    /// caller) asked for a longer wait than the policy allows
    /// ([`StopReason::RetryAfterTooLong`]).
    pub fn resumes_at(&self) -> Option<SystemTime> {
        self.resumes_at
    }

    /// The time waited between attempts, in all.
    pub fn waited(&self) -> Duration {
        self.waited
    }

    /// Whether the last attempt was abandoned at the policy's attempt timeout (it then
    /// left no error: [`last`](Self::last) is `None`).
    pub fn timed_out(&self) -> bool {
        self.timed_out
    }
}

impl<E> fmt::Display for RetryError<E> {
    /// Why the driver stopped; the last attempt's error is the
    /// [`source`](std::error::Error::source), never repeated here.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "gave up after {} attempt(s): {}",
            self.attempts, self.reason
        )?;
        if let Some(at) = self.resumes_at {
            write!(
                f,
                "; the service takes requests again at {}",
                httpdate::fmt_http_date(at)
            )?;
        }
        Ok(())
    }
}

impl<E: std::error::Error + 'static> std::error::Error for RetryError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.last
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

type Observer = Arc<dyn Fn(&RetryEvent) + Send + Sync>;

/// Runs async calls with retries.
///
/// Each call ([`run`](Self::run)) is attempted; a failure is classified
/// ([`Classify`]) and:
///
/// - [`Retry::Never`] stops at once;
/// - [`Retry::Backoff`] and [`Retry::Throttled`] wait the policy's delay (at least the
///   server's `Retry-After`, up to the policy's cap on hints) and retry;
/// - [`Retry::Reauthenticate`] calls the refresh given to
///   [`run_with_refresh`](Self::run_with_refresh) once, then retries at once;
///
/// within the policy's attempt limit and deadline, only for idempotent requests (or
/// requests that never reached the server), only while the shared [`RetryBudget`] has a
/// retry left, and only while the shared [`CircuitBreaker`] admits calls. Every attempt
/// asks the breaker first and reports its outcome to it; every call deposits in the
/// budget and every backoff retry withdraws from it.
///
/// Clock, sleep and rng are parameters: with [`ManualSleep`](super::ManualSleep) or a
/// paused tokio runtime a test runs the whole schedule instantly.
///
/// ```
/// use std::time::Duration;
/// use apierror::Retry;
/// use apierror::retry::{
///     Failure, Idempotency, Jitter, ManualClock, ManualSleep, RetryDriver, RetryPolicy,
///     SplitMix64, Classify,
/// };
///
/// struct Flaky;
/// impl Classify for Flaky {
///     fn failure(&self) -> Option<Failure> {
///         Some(Failure::new(Retry::Backoff))
///     }
/// }
///
/// let clock = ManualClock::new();
/// let sleep = ManualSleep::new(clock.clone());
/// let driver = RetryDriver::new(RetryPolicy::new().with_jitter(Jitter::None), sleep.clone())
///     .with_clock(clock)
///     .with_rng(SplitMix64::new(1));
///
/// let call = driver.run(Idempotency::Idempotent, |attempt| async move {
///     if attempt < 3 { Err(Flaky) } else { Ok(attempt) }
/// });
/// # let result: Result<u32, _> = block_on(call);
/// assert_eq!(result.ok(), Some(3));
/// assert_eq!(sleep.slept(), [Duration::from_secs(1), Duration::from_secs(2)]);
/// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     use std::task::{Context, Poll, Waker};
/// #     let mut f = std::pin::pin!(f);
/// #     loop {
/// #         if let Poll::Ready(v) = f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
/// #             return v;
/// #         }
/// #     }
/// # }
/// ```
pub struct RetryDriver<S, C = SystemClock, R = SplitMix64> {
    policy: RetryPolicy,
    sleep: S,
    clock: Arc<C>,
    rng: Mutex<R>,
    breaker: Option<Arc<CircuitBreaker>>,
    budget: Option<Arc<RetryBudget>>,
    gate: Arc<ThrottleGate>,
    fleet: Option<Fleet>,
    fleet_timeout: Duration,
    observer: Option<Observer>,
}

/// The fleet store a driver shares holds and a breaker through, whether it is answering,
/// and whether this replica is on a streak of failures the store has heard of.
struct Fleet {
    store: Arc<dyn FleetStore>,
    down: AtomicBool,
    failing: AtomicBool,
}

/// How long a fleet store may take to answer before an attempt goes on without it.
const FLEET_TIMEOUT: Duration = Duration::from_millis(50);

impl<S: fmt::Debug, C: fmt::Debug, R> fmt::Debug for RetryDriver<S, C, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryDriver")
            .field("policy", &self.policy)
            .field("sleep", &self.sleep)
            .field("clock", &self.clock)
            .field("breaker", &self.breaker)
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}

impl<S: Sleep> RetryDriver<S> {
    /// A driver for `policy` that waits with `sleep`, on the system clock, with an rng
    /// seeded from entropy, without breaker or budget.
    pub fn new(policy: RetryPolicy, sleep: S) -> Self {
        RetryDriver {
            policy,
            sleep,
            clock: Arc::new(SystemClock),
            rng: Mutex::new(SplitMix64::from_entropy()),
            breaker: None,
            budget: None,
            gate: Arc::new(ThrottleGate::new()),
            fleet: None,
            fleet_timeout: FLEET_TIMEOUT,
            observer: None,
        }
    }
}

#[cfg(feature = "tokio")]
impl RetryDriver<super::clock::TokioSleep, crate::clock::TokioClock> {
    /// A driver for `policy` on tokio's timer and clock (so a paused runtime skips the
    /// waits), with an rng seeded from entropy, without breaker or budget.
    pub fn tokio(policy: RetryPolicy) -> Self {
        RetryDriver::new(policy, super::clock::TokioSleep)
            .with_clock(crate::clock::TokioClock::new())
    }
}

impl<S, C, R> RetryDriver<S, C, R> {
    /// Reads time from `clock` (backoff deadline, `Retry-After` dates). A
    /// [`CircuitBreaker`] attached without a clock of its own follows this one.
    pub fn with_clock<C2: Clock>(self, clock: C2) -> RetryDriver<S, C2, R> {
        RetryDriver {
            policy: self.policy,
            sleep: self.sleep,
            clock: Arc::new(clock),
            rng: self.rng,
            breaker: self.breaker,
            budget: self.budget,
            gate: self.gate,
            fleet: self.fleet,
            fleet_timeout: self.fleet_timeout,
            observer: self.observer,
        }
    }

    /// Draws jitter from `rng`.
    pub fn with_rng<R2: Rng>(self, rng: R2) -> RetryDriver<S, C, R2> {
        RetryDriver {
            policy: self.policy,
            sleep: self.sleep,
            clock: self.clock,
            rng: Mutex::new(rng),
            breaker: self.breaker,
            budget: self.budget,
            gate: self.gate,
            fleet: self.fleet,
            fleet_timeout: self.fleet_timeout,
            observer: self.observer,
        }
    }

    /// Guards every attempt with `breaker` (shared with other drivers calling the same
    /// service).
    #[must_use]
    pub fn with_breaker(mut self, breaker: Arc<CircuitBreaker>) -> Self {
        self.breaker = Some(breaker);
        self
    }

    /// Shares holds and a breaker with every replica through `store` (a
    /// [`RedisStore`](super::RedisStore), say): a failure with a hint holds the whole
    /// fleet, each attempt first waits out a hold any replica set, and a fleet breaker
    /// that enough distinct replicas opened stops the call. A store that does not answer
    /// within the fleet timeout (50 ms) is skipped: see [`fleet`](super::fleet) for the
    /// rules.
    #[must_use]
    pub fn with_fleet(mut self, store: Arc<dyn FleetStore>) -> Self {
        self.fleet = Some(Fleet {
            store,
            down: AtomicBool::new(false),
            failing: AtomicBool::new(false),
        });
        self
    }

    /// How long the fleet store may take to answer (default 50 ms); past it, the attempt
    /// goes on with this process's state.
    #[must_use]
    pub fn with_fleet_timeout(mut self, timeout: Duration) -> Self {
        self.fleet_timeout = timeout;
        self
    }

    /// Holds calls back with `gate`, shared with other drivers calling the same service,
    /// instead of this driver's own: a 429 any of them receives holds back all of them.
    #[must_use]
    pub fn with_gate(mut self, gate: Arc<ThrottleGate>) -> Self {
        self.gate = gate;
        self
    }

    /// The gate a 429 holds callers back with.
    pub fn gate(&self) -> &Arc<ThrottleGate> {
        &self.gate
    }

    /// Pays for every backoff retry from `budget` (shared with other drivers).
    #[must_use]
    pub fn with_budget(mut self, budget: Arc<RetryBudget>) -> Self {
        self.budget = Some(budget);
        self
    }

    /// Calls `observer` with every [`RetryEvent`].
    #[must_use]
    pub fn with_observer(mut self, observer: impl Fn(&RetryEvent) + Send + Sync + 'static) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// The policy.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// The circuit breaker, if any.
    pub fn breaker(&self) -> Option<&Arc<CircuitBreaker>> {
        self.breaker.as_ref()
    }

    /// The retry budget, if any.
    pub fn budget(&self) -> Option<&Arc<RetryBudget>> {
        self.budget.as_ref()
    }

    /// A new key for one logical call, from the driver's rng.
    pub(super) fn idempotency_key(&self) -> IdempotencyKey
    where
        R: Rng,
    {
        let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
        IdempotencyKey::generate(&mut *rng)
    }

    fn emit(&self, event: &RetryEvent) {
        if let Some(observer) = &self.observer {
            observer(event);
        }
    }
}

/// The refresh of a call that has none.
pub(super) type NoRefresh = fn() -> Ready<bool>;

/// A call that takes the attempt's number alone, as one that is also told its time limit.
fn attempt_only<Fut>(mut call: impl FnMut(u32) -> Fut) -> impl FnMut(u32, Option<Duration>) -> Fut {
    move |attempt, _| call(attempt)
}

impl<S: Sleep, C: Clock + 'static, R: Rng> RetryDriver<S, C, R> {
    /// Runs `call` (given the 1-based attempt number) until it succeeds or the driver
    /// gives up. [`Retry::Reauthenticate`] failures are not retried: use
    /// [`run_with_refresh`](Self::run_with_refresh).
    ///
    /// # Errors
    ///
    /// [`RetryError`] with the reason and the last error when the driver gives up.
    pub async fn run<T, E, F, Fut>(
        &self,
        idempotency: Idempotency,
        call: F,
    ) -> Result<T, RetryError<E>>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Classify,
    {
        self.drive(idempotency, attempt_only(call), None::<NoRefresh>)
            .await
            .map(|completed| completed.value)
    }

    /// [`run`](Self::run), reporting on success what it took: the attempts made and the
    /// time waited between them (a failure reports them in [`RetryError`]).
    ///
    /// # Errors
    ///
    /// [`RetryError`] with the reason and the last error when the driver gives up.
    pub async fn run_completed<T, E, F, Fut>(
        &self,
        idempotency: Idempotency,
        call: F,
    ) -> Result<Completed<T>, RetryError<E>>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Classify,
    {
        self.drive(idempotency, attempt_only(call), None::<NoRefresh>)
            .await
    }

    /// Runs a call that carries an `Idempotency-Key`: one key is minted for the logical
    /// call and `call` gets it (with the attempt number) to send on every attempt, so the
    /// call is retried as idempotent even when its method is not (a `POST`). This is the
    /// opt-in; [`run`](Self::run) with [`Idempotency::NotIdempotent`] never repeats a
    /// request that reached the server.
    ///
    /// # Errors
    ///
    /// [`RetryError`] with the reason and the last error when the driver gives up.
    pub async fn run_keyed<T, E, F, Fut>(&self, mut call: F) -> Result<T, RetryError<E>>
    where
        F: FnMut(u32, &IdempotencyKey) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Classify,
    {
        let key = self.idempotency_key();
        self.drive(
            Idempotency::Idempotent,
            |attempt, _| call(attempt, &key),
            None::<NoRefresh>,
        )
        .await
        .map(|completed| completed.value)
    }

    /// Like [`run`](Self::run), and on a [`Retry::Reauthenticate`] failure (seed 004's
    /// 401 `invalid_token`) awaits `refresh` once, then retries at once if it returned
    /// `true`. `call` should read the refreshed credentials when it builds the request.
    ///
    /// # Errors
    ///
    /// [`RetryError`] with the reason and the last error when the driver gives up.
    pub async fn run_with_refresh<T, E, F, Fut, G, GFut>(
        &self,
        idempotency: Idempotency,
        call: F,
        refresh: G,
    ) -> Result<T, RetryError<E>>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Classify,
        G: FnMut() -> GFut,
        GFut: Future<Output = bool>,
    {
        self.drive(idempotency, attempt_only(call), Some(refresh))
            .await
            .map(|completed| completed.value)
    }

    /// Runs the call: what every `run` method is, the blocking ones too. `call` gets the
    /// attempt's number and how long it may take (the attempt timeout, within the
    /// deadline); an attempt still pending then is abandoned.
    pub(super) async fn drive<T, E, F, Fut, G, GFut>(
        &self,
        idempotency: Idempotency,
        call: F,
        refresh: Option<G>,
    ) -> Result<Completed<T>, RetryError<E>>
    where
        F: FnMut(u32, Option<Duration>) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Classify,
        G: FnMut() -> GFut,
        GFut: Future<Output = bool>,
    {
        let span = CallSpan::new();
        span.enter(self.drive_in(&span, idempotency, call, refresh))
            .await
    }

    async fn drive_in<T, E, F, Fut, G, GFut>(
        &self,
        span: &CallSpan,
        idempotency: Idempotency,
        mut call: F,
        mut refresh: Option<G>,
    ) -> Result<Completed<T>, RetryError<E>>
    where
        F: FnMut(u32, Option<Duration>) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Classify,
        G: FnMut() -> GFut,
        GFut: Future<Output = bool>,
    {
        if let Some(breaker) = &self.breaker {
            breaker.adopt_clock(|| Arc::clone(&self.clock) as Arc<dyn Clock>);
        }
        let mut call_state = Call::start(self.shared(), self.clock.now(), idempotency);
        let mut run = Run {
            attempts: 0,
            waited: Duration::ZERO,
            last: None,
            retry_after: None,
        };
        loop {
            if self.follow_fleet(call_state.attempts() == 0).await {
                return Err(self.give_up(span, StopReason::CircuitOpen, run));
            }
            if let Err(reason) = self.hold_back(span, &call_state, &mut run).await {
                return Err(self.give_up(span, reason, run));
            }
            let permit = match self.breaker.as_deref().map(CircuitBreaker::try_acquire) {
                Some(Err(_)) => return Err(self.give_up(span, StopReason::CircuitOpen, run)),
                Some(Ok(permit)) => Some(permit),
                None => None,
            };
            call_state.attempt();
            run.attempts = call_state.attempts();
            let limit = self.attempt_limit(call_state.started());
            let attempt_span = span.attempt(run.attempts);
            let outcome = attempt_span
                .enter(self.attempt(call(run.attempts, limit), limit))
                .await;
            let error = match outcome {
                Some(Ok(value)) => {
                    if let Some(permit) = permit {
                        permit.settle(Outcome::Success);
                    }
                    self.report_to_fleet(Outcome::Success, None).await;
                    return Ok(self.completed(span, value, &run));
                }
                Some(Err(error)) => Some(error),
                // Timed out: the attempt is abandoned and counts as a transient failure.
                None => None,
            };
            let failure = self.failed(&attempt_span, error.as_ref(), &mut run);
            let hold = run
                .retry_after
                .filter(|_| matches!(failure.class, Retry::Throttled | Retry::Backoff));
            self.report_to_fleet(Outcome::of(Some(&failure)), hold)
                .await;
            if let Some(permit) = permit {
                permit.settle(Outcome::of(Some(&failure)));
            }
            run.last = error;
            let next = {
                let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
                call_state.after_failure(
                    self.shared(),
                    &failure,
                    run.retry_after,
                    self.clock.now(),
                    self.breaker
                        .as_deref()
                        .and_then(CircuitBreaker::remaining_open),
                    &mut *rng,
                )
            };
            // A retry this process would make still needs the fleet's budget.
            let next = match next {
                Next::Retry(_) if !self.fleet_pays().await => {
                    Next::Stop(StopReason::BudgetExhausted)
                }
                next => next,
            };
            match next {
                Next::Stop(reason) => return Err(self.give_up(span, reason, run)),
                Next::Reauthenticate => {
                    // Taken: the credentials are refreshed at most once per call.
                    let Some(mut refresh) = refresh.take() else {
                        return Err(self.give_up(span, StopReason::ReauthenticationFailed, run));
                    };
                    span.reauthenticating(run.attempts.saturating_add(1));
                    self.emit(&RetryEvent::Reauthenticating {
                        next_attempt: run.attempts.saturating_add(1),
                    });
                    if !refresh().await {
                        return Err(self.give_up(span, StopReason::ReauthenticationFailed, run));
                    }
                }
                Next::Retry(delay) => {
                    span.retrying(run.attempts.saturating_add(1), delay);
                    self.emit(&RetryEvent::Retrying {
                        next_attempt: run.attempts.saturating_add(1),
                        delay,
                    });
                    self.sleep.sleep(delay).await;
                    run.waited = run.waited.saturating_add(delay);
                }
            }
        }
    }

    /// Asks the fleet before an attempt: holds this process's gate as long as the fleet
    /// is held; `true` when the fleet breaker is open. A store that does not answer in
    /// time admits the attempt.
    async fn follow_fleet(&self, first: bool) -> bool {
        let Some(fleet) = &self.fleet else {
            return false;
        };
        let asked_at = self.clock.now();
        let Some(admission) = self
            .ask_fleet(fleet, fleet.store.before_attempt(first))
            .await
        else {
            return false;
        };
        if let Some(until) = admission.held.and_then(|wait| asked_at.checked_add(wait)) {
            self.gate.hold_until(until);
        }
        admission.open.is_some()
    }

    /// Whether the fleet's retry budget pays for a retry; a store that does not answer
    /// in time leaves the decision to this process's own budget.
    async fn fleet_pays(&self) -> bool {
        let Some((fleet, question)) = self
            .fleet
            .as_ref()
            .and_then(|fleet| Some((fleet, fleet.store.withdraw()?)))
        else {
            return true;
        };
        self.ask_fleet(fleet, question).await.unwrap_or(true)
    }

    /// Tells the fleet what an attempt meant: a retryable failure, the success that
    /// ends a streak the store has heard of (any other success stays here), and the hold
    /// a hint asks for.
    async fn report_to_fleet(&self, outcome: Outcome, hold: Option<Duration>) {
        let Some(fleet) = &self.fleet else {
            return;
        };
        let failing = outcome == Outcome::Failure;
        let was_failing = fleet.failing.swap(failing, Ordering::Relaxed);
        if hold.is_none() && !failing && !was_failing {
            return;
        }
        let report = Report::new(outcome, hold);
        let _ = self
            .ask_fleet(fleet, fleet.store.after_attempt(report))
            .await;
    }

    /// The store's answer to `question` within the fleet timeout, or `None`; logs the
    /// start and the end of an outage once each.
    async fn ask_fleet<T>(&self, fleet: &Fleet, question: FleetFuture<'_, T>) -> Option<T> {
        let answer = self.attempt(question, Some(self.fleet_timeout)).await;
        match answer {
            Some(Ok(value)) => {
                if fleet.down.swap(false, Ordering::Relaxed) {
                    trace::fleet(false, None);
                }
                Some(value)
            }
            failed => {
                if !fleet.down.swap(true, Ordering::Relaxed) {
                    let error = match &failed {
                        Some(Err(error)) => error.to_string(),
                        _ => format!("no answer within {:?}", self.fleet_timeout),
                    };
                    trace::fleet(true, Some(&error));
                }
                None
            }
        }
    }

    /// What the call's state machine shares with other calls.
    fn shared(&self) -> Shared<'_> {
        Shared {
            policy: &self.policy,
            budget: self.budget.as_deref(),
            gate: &self.gate,
        }
    }

    /// Reports a success and what it took.
    fn completed<T, E>(&self, span: &CallSpan, value: T, run: &Run<E>) -> Completed<T> {
        span.succeeded(run.attempts, run.waited);
        self.emit(&RetryEvent::Succeeded {
            attempts: run.attempts,
            waited: run.waited,
        });
        Completed {
            value,
            attempts: run.attempts,
            waited: run.waited,
        }
    }

    /// Waits out a hold a 429 put on every caller of the service (received by this call
    /// or another through the gate).
    ///
    /// # Errors
    ///
    /// When the hold is longer than the policy waits for a hint, or ends past the
    /// deadline ([`StopReason::RetryAfterTooLong`] with what remains of it).
    async fn hold_back<E>(
        &self,
        span: &CallSpan,
        call_state: &Call,
        run: &mut Run<E>,
    ) -> Result<(), StopReason> {
        let wait = match call_state.hold(self.shared(), self.clock.now()) {
            Ok(Some(wait)) => wait,
            Ok(None) => return Ok(()),
            Err(reason) => {
                if let StopReason::RetryAfterTooLong(wait) = reason {
                    // The earliest a caller may try again is when the hold ends.
                    run.retry_after = Some(wait);
                }
                return Err(reason);
            }
        };
        span.held_back(run.attempts.saturating_add(1), wait);
        self.emit(&RetryEvent::HeldBack {
            next_attempt: run.attempts.saturating_add(1),
            wait,
        });
        self.sleep.sleep(wait).await;
        run.waited = run.waited.saturating_add(wait);
        Ok(())
    }

    /// Classifies a failed attempt (`None`: it timed out, a transient failure), reports
    /// it to the attempt's span and the observer, and records its hint in `run`.
    fn failed<E: Classify>(
        &self,
        attempt_span: &AttemptSpan,
        error: Option<&E>,
        run: &mut Run<E>,
    ) -> Failure {
        let failure = match error {
            Some(error) => error.failure().unwrap_or(Failure::new(Retry::Never)),
            None => Failure::new(Retry::Backoff),
        };
        let summary = error.map(Classify::summary).unwrap_or_default();
        attempt_span.failed(&summary, error.is_none());
        // The event owns its strings: built only when someone listens.
        if let Some(observer) = &self.observer {
            observer(&RetryEvent::Failed {
                attempt: run.attempts,
                failure,
                status: summary.status,
                code: summary.code.map(str::to_owned),
                request_id: summary.request_id.map(str::to_owned),
                timed_out: error.is_none(),
            });
        }
        run.retry_after = failure
            .retry_after
            .map(|hint| hint.delay_from(self.clock.system_now()));
        failure
    }

    /// How long the next attempt may run: the policy's attempt timeout, and no further
    /// than the overall deadline.
    fn attempt_limit(&self, start: std::time::Instant) -> Option<Duration> {
        let left = self.policy.deadline().map(|deadline| {
            deadline.saturating_sub(self.clock.now().saturating_duration_since(start))
        });
        match (self.policy.attempt_timeout(), left) {
            (Some(timeout), Some(left)) => Some(timeout.min(left)),
            (timeout, left) => timeout.or(left),
        }
    }

    /// Runs one attempt, abandoning it after `limit` (`None`: it timed out). The timer
    /// is started only once the attempt is pending, so an attempt that finishes at once
    /// never waits on it.
    async fn attempt<T, E>(
        &self,
        attempt: impl Future<Output = Result<T, E>>,
        limit: Option<Duration>,
    ) -> Option<Result<T, E>> {
        let Some(limit) = limit else {
            return Some(attempt.await);
        };
        let mut attempt = pin!(attempt);
        let mut timer: Pin<&mut Option<S::Future>> = pin!(None);
        poll_fn(|cx| {
            if let Poll::Ready(result) = attempt.as_mut().poll(cx) {
                return Poll::Ready(Some(result));
            }
            if timer.as_ref().get_ref().is_none() {
                timer.set(Some(self.sleep.sleep(limit)));
            }
            match timer.as_mut().as_pin_mut() {
                Some(timer) => timer.poll(cx).map(|()| None),
                None => Poll::Pending,
            }
        })
        .await
    }

    fn give_up<E>(&self, span: &CallSpan, reason: StopReason, run: Run<E>) -> RetryError<E> {
        span.gave_up(run.attempts, &reason, run.waited);
        self.emit(&RetryEvent::GaveUp {
            attempts: run.attempts,
            reason,
            waited: run.waited,
        });
        let resumes_at = match reason {
            StopReason::RetryAfterTooLong(wait) => self.clock.system_now().checked_add(wait),
            _ => None,
        };
        RetryError {
            reason,
            resumes_at,
            attempts: run.attempts,
            timed_out: run.attempts > 0 && run.last.is_none(),
            last: run.last,
            retry_after: run.retry_after,
            waited: run.waited,
        }
    }
}
