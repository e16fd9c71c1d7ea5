//! Fleet-wide state: a hold and a breaker that every replica of a service shares, kept in
//! a store (Redis, with the `redis` feature), beside each process's own
//! [`ThrottleGate`](super::ThrottleGate) and [`CircuitBreaker`](super::CircuitBreaker).
//!
//! The rules, which make a shared store never worse than none:
//!
//! - **A vendor's explicit hint holds the fleet.** A failure with a hint (a 429, or a 503
//!   with `Retry-After`) is published to the store as a hold of that length from now,
//!   measured on the store's own clock (a relative expiry), so no replica's clock skew
//!   shortens or stretches it; a longer hold is never shortened.
//! - **The fleet breaker opens only on several replicas.** Each replica reports its
//!   retryable failures and, after a streak, its next success. The breaker opens, for a
//!   relative period, only when at least a configured number of *distinct* replicas are
//!   each on a streak of failures at once: one sick replica (a bad network path, a broken
//!   deploy) cannot stop the rest. Once the period ends every replica may call again.
//! - **Retries spend a shared budget.** Where the store keeps one, every call deposits
//!   into it and every retry withdraws from it, so that under a total outage the whole
//!   fleet's retries add at most the budget's share of extra load; a retry the process
//!   would make is refused when the fleet's budget cannot pay for it.
//! - **Before each attempt**, the driver asks the store, in one round trip, how long the
//!   fleet is held and whether its breaker is open: it holds its own gate that long, and
//!   an open fleet breaker stops the call as an open local breaker would
//!   ([`StopReason::CircuitOpen`](super::StopReason::CircuitOpen)). Then it decides as it
//!   always does, so the per-call decisions are the in-process ones.
//! - **The store is bounded.** Each question has a time limit (50 ms by default,
//!   [`RetryDriver::with_fleet_timeout`](super::RetryDriver::with_fleet_timeout)); a store
//!   that is unreachable, slow or answers garbage is skipped for that attempt, and the
//!   call goes on with the process's own state. The outage is logged once
//!   (`tracing`, warn), and its end once (info); the store reconnects by itself.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use super::breaker::Outcome;

/// What a [`FleetStore`]'s question resolves to.
pub type FleetFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, FleetError>> + Send + 'a>>;

/// What every replica of one service shares: its hold and its breaker. See the
/// [module](self) for the rules.
///
/// Implemented by [`RedisStore`](super::RedisStore) (feature `redis`); any store with
/// relative expiries and atomic updates can implement it.
pub trait FleetStore: Send + Sync + fmt::Debug {
    /// Before an attempt, in one question: how long the fleet is still held back, and
    /// how long the fleet breaker is still open. On a call's `first` attempt, the call
    /// also pays its deposit into the fleet's retry budget, if the store keeps one.
    fn before_attempt(&self, first: bool) -> FleetFuture<'_, Admission>;

    /// After an attempt: what it means to the fleet breaker, and the hold its hint asks
    /// for (a longer hold already in place is kept).
    fn after_attempt(&self, report: Report) -> FleetFuture<'_, ()>;

    /// Before a retry the process's own decisions allow: whether the fleet's retry
    /// budget pays for it (and takes it). `None` (the default) for a store that keeps no
    /// budget: the retry is the process's to decide, without a question.
    fn withdraw(&self) -> Option<FleetFuture<'_, bool>> {
        None
    }
}

/// The fleet's answer before an attempt.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Admission {
    /// How long every replica is still held back by a vendor's hint.
    pub held: Option<Duration>,
    /// How long the fleet breaker is still open.
    pub open: Option<Duration>,
}

impl Admission {
    /// An admission with `held` and `open`.
    pub const fn new(held: Option<Duration>, open: Option<Duration>) -> Self {
        Admission { held, open }
    }
}

/// What one replica tells the fleet after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// What the attempt means to the breaker: a retryable failure counts, a success
    /// ends the replica's streak.
    pub outcome: Outcome,
    /// The hold the attempt's hint asks for (a 429's `Retry-After`, or a 503's).
    pub hold: Option<Duration>,
}

impl Report {
    /// A report of `outcome`, with the hold `hold`.
    pub const fn new(outcome: Outcome, hold: Option<Duration>) -> Self {
        Report { outcome, hold }
    }
}

/// The rule of a fleet breaker: it opens for `open_duration` when at least
/// `min_replicas` distinct replicas are each on a streak of `failure_threshold`
/// consecutive retryable failures, within `window` of each other.
///
/// The defaults: 5 failures (seed 001's local breaker), 2 replicas, 30 s open, a 60 s
/// window. With `min_replicas` at 1 any replica may open it for all, which is the rule
/// the ecosystems that decline distributed breakers fear; keep it at 2 or more.
///
/// ```
/// use std::time::Duration;
/// use apierror::retry::FleetBreaker;
///
/// let rule = FleetBreaker::new().with_min_replicas(3).with_open_duration(Duration::from_secs(10));
/// assert_eq!(rule.min_replicas, 3);
/// assert_eq!(rule.failure_threshold, 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FleetBreaker {
    /// Consecutive retryable failures that put a replica on a streak.
    pub failure_threshold: u32,
    /// Distinct replicas on a streak at once that open the breaker.
    pub min_replicas: u32,
    /// How long it stays open.
    pub open_duration: Duration,
    /// How long a replica's streak counts without a new failure.
    pub window: Duration,
}

impl FleetBreaker {
    /// The defaults: 5 failures, 2 replicas, 30 s open, a 60 s window.
    pub const fn new() -> Self {
        FleetBreaker {
            failure_threshold: 5,
            min_replicas: 2,
            open_duration: Duration::from_secs(30),
            window: Duration::from_secs(60),
        }
    }

    /// Sets the failures that put a replica on a streak (at least 1).
    #[must_use]
    pub const fn with_failure_threshold(mut self, failures: u32) -> Self {
        self.failure_threshold = if failures == 0 { 1 } else { failures };
        self
    }

    /// Sets the distinct replicas that open the breaker (at least 1).
    #[must_use]
    pub const fn with_min_replicas(mut self, replicas: u32) -> Self {
        self.min_replicas = if replicas == 0 { 1 } else { replicas };
        self
    }

    /// Sets how long it stays open.
    #[must_use]
    pub const fn with_open_duration(mut self, duration: Duration) -> Self {
        self.open_duration = duration;
        self
    }

    /// Sets how long a streak counts without a new failure.
    #[must_use]
    pub const fn with_window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }
}

impl Default for FleetBreaker {
    fn default() -> Self {
        Self::new()
    }
}

/// Why a fleet store did not answer: its own error, or no answer in time.
#[derive(Debug)]
pub struct FleetError(Box<dyn Error + Send + Sync>);

impl FleetError {
    /// A store's error.
    pub fn new(error: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        FleetError(error.into())
    }
}

impl fmt::Display for FleetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the fleet store did not answer: {}", self.0)
    }
}

impl Error for FleetError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(self.0.as_ref())
    }
}
