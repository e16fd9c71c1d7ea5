//! `ThrottleGate`: one server's "wait until T", held for every caller.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The time before which no caller of one service may send: set by a 429's
/// `Retry-After` (or a rate limit's reset), read before every attempt.
///
/// Every [`RetryDriver`](super::RetryDriver) has one, so concurrent and later calls
/// through the same driver wait out a 429 one of them received instead of each spending
/// an attempt to discover it (seed 000: "stagger … to avoid bursts of concurrent requests
/// hitting the rate limit"). Drivers calling the same service share one with
/// [`with_gate`](super::RetryDriver::with_gate).
///
/// ```
/// use std::time::{Duration, Instant};
/// use apierror::retry::ThrottleGate;
///
/// let gate = ThrottleGate::new();
/// let now = Instant::now();
/// gate.hold_until(now + Duration::from_secs(2));
/// gate.hold_until(now + Duration::from_secs(1)); // an earlier hold never shortens it
/// assert_eq!(gate.remaining(now), Some(Duration::from_secs(2)));
/// assert_eq!(gate.remaining(now + Duration::from_secs(2)), None);
/// ```
#[derive(Debug, Default)]
pub struct ThrottleGate {
    until: Mutex<Option<Instant>>,
}

impl ThrottleGate {
    /// An open gate.
    pub const fn new() -> Self {
        ThrottleGate {
            until: Mutex::new(None),
        }
    }

    /// Holds every caller back until `until`, unless a later hold is already in place.
    pub fn hold_until(&self, until: Instant) {
        let mut held = self.until.lock().unwrap_or_else(PoisonError::into_inner);
        if held.is_none_or(|held| held < until) {
            *held = Some(until);
        }
    }

    /// How long a caller must still wait at `now`; `None` once the hold has passed.
    pub fn remaining(&self, now: Instant) -> Option<Duration> {
        let held = *self.until.lock().unwrap_or_else(PoisonError::into_inner);
        held.map(|until| until.saturating_duration_since(now))
            .filter(|wait| !wait.is_zero())
    }
}
