//! Client-side retries: a pure delay policy, classification of failures, a circuit
//! breaker, a shared retry budget, and an async driver (plus a tower policy) combining
//! them on an injected clock, sleep and rng.
//!
//! Layer 5: built on the trait (retry, client, server, OpenAPI).
//!
//! The parts, each usable alone:
//!
//! | part | job |
//! |---|---|
//! | [`RetryPolicy`], [`Jitter`] | how many attempts, how long before each retry (pure, total) |
//! | [`Classify`], [`Failure`], [`Idempotency`] | what an attempt's outcome says about retrying |
//! | [`CircuitBreaker`] | stop calling a failing service, probe it back (lock-free) |
//! | [`RetryBudget`] | cap retries at a fraction of requests, across calls (lock-free) |
//! | [`ThrottleGate`] | hold every caller back until a 429's `Retry-After` has passed |
//! | [`RetryDriver`] | run an async call under all of the above, or a blocking one ([`RetryDriver::run_blocking`]) |
//! | `TowerRetryPolicy` (feature `tower`) | the policy and budget as a `tower::retry::Policy` |
//! | [`RetryAfter`], [`RateLimit`] | what a response asks of the client: a wait, a quota |
//! | [`Rng`], [`Clock`], [`Sleep`] | injected randomness and time; [`ManualClock`] and [`ManualSleep`] for tests, [`ThreadSleep`] for blocking calls, `TokioClock` and `TokioSleep` with the `tokio` feature |
//!
//! ```
//! use std::time::Duration;
//! use apierror::retry::{Jitter, RetryPolicy, SplitMix64};
//!
//! // Seed 000 (Everflow): min(2^n, 30) s plus uniform [0, 1) s, five retries.
//! let policy = RetryPolicy::new()
//!     .with_jitter(Jitter::additive(Duration::from_secs(1)))
//!     .with_max_delay(Duration::from_secs(30))
//!     .with_max_attempts(6);
//! let delays: Vec<_> = policy.schedule(SplitMix64::new(2024)).collect();
//! assert_eq!(delays.len(), 5);
//! for (n, delay) in delays.iter().enumerate() {
//!     let base = Duration::from_secs(1 << n);
//!     assert!(*delay >= base && *delay < base + Duration::from_secs(1));
//! }
//! ```

mod blocking;
mod breaker;
mod budget;
mod call;
pub(crate) mod classify;
mod clock;
mod driver;
pub mod fleet;
mod gate;
mod policy;
#[cfg(feature = "redis")]
mod redis_store;
mod rng;
#[cfg(feature = "tower")]
mod tower;
pub(crate) mod trace;

#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use crate::clock::TokioClock;
pub use crate::clock::{Clock, ManualClock, SystemClock};
pub use crate::hint::failure::Failure;
pub use crate::hint::rate_limit::RateLimit;
pub use crate::hint::retry_after::{MAX_RETRY_AFTER, RetryAfter};
pub use crate::hint::signals::{HintUnit, RetrySignals};
pub use blocking::{Attempt, ThreadSleep};
pub use breaker::{
    BreakerOpen, BreakerPermit, BreakerSnapshot, BreakerState, BreakerTransition, CircuitBreaker,
    Outcome,
};
pub use budget::RetryBudget;
pub use classify::{Classify, Idempotency, IdempotencyKey, Summary};
#[cfg(feature = "tokio")]
pub use clock::TokioSleep;
pub use clock::{ManualSleep, Sleep};
pub use driver::{Completed, RetryDriver, RetryError, RetryEvent};
pub use fleet::{Admission, FleetBreaker, FleetError, FleetFuture, FleetStore, Report};
pub use gate::ThrottleGate;
pub use policy::{Decision, Jitter, RetryPolicy, RetryState, Schedule, StopReason};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis_store::RedisStore;
pub use rng::{Rng, SplitMix64};
#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
pub use tower::{RetryableRequest, TowerRetryPolicy};
