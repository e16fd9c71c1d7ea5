//! Fleet-wide state: a hold that every replica of a service honours, kept in a store
//! they share (Redis, with the `redis` feature), beside each process's own
//! [`ThrottleGate`](super::ThrottleGate).
//!
//! The rules, which make a shared store never worse than none:
//!
//! - **A vendor's explicit hint holds the fleet.** A failure with a hint (a 429, or a 503
//!   with `Retry-After`) is published to the store as a hold of that length from now,
//!   measured on the store's own clock (a relative expiry), so no replica's clock skew
//!   shortens or stretches it; a longer hold is never shortened.
//! - **Before each attempt**, the driver asks the store how long the fleet is still held
//!   (one round trip) and holds its own gate that long; then it decides as it always
//!   does, so the per-call decisions are the in-process ones.
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

/// What a [`FleetGate`]'s question resolves to.
pub type FleetFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, FleetError>> + Send + 'a>>;

/// A hold shared by every replica of one service: see the [module](self).
///
/// Implemented by [`RedisGate`](super::RedisGate) (feature `redis`); any store with
/// relative expiries can implement it.
pub trait FleetGate: Send + Sync + fmt::Debug {
    /// How long the fleet is still held back from now; `None` when it is not.
    fn held(&self) -> FleetFuture<'_, Option<Duration>>;

    /// Holds the fleet back for `wait` from now, unless it is held longer already.
    fn hold(&self, wait: Duration) -> FleetFuture<'_, ()>;
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
