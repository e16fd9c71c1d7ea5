//! Waiting for the retry machinery: a sleep, injectable (the clock it reads is
//! [`crate::clock`]'s, re-exported by [`retry`](crate::retry)).

use std::future::{Future, Ready, ready};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::clock::ManualClock;

/// How the retry machinery waits between attempts.
pub trait Sleep {
    /// The future returned by [`sleep`](Self::sleep).
    type Future: Future<Output = ()>;

    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> Self::Future;
}

impl<S: Sleep + ?Sized> Sleep for Arc<S> {
    type Future = S::Future;

    fn sleep(&self, duration: Duration) -> Self::Future {
        (**self).sleep(duration)
    }
}

/// A sleep that returns at once after advancing a [`ManualClock`], and records every
/// duration it was asked for: tests see the exact schedule and never wait.
///
/// ```
/// use std::time::Duration;
/// use apierror::retry::{ManualClock, ManualSleep, Sleep};
///
/// let clock = ManualClock::new();
/// let sleep = ManualSleep::new(clock.clone());
/// // The clock moves when the sleep is asked for; awaiting it completes at once.
/// let wait = sleep.sleep(Duration::from_secs(2));
/// assert_eq!(clock.elapsed(), Duration::from_secs(2));
/// assert_eq!(sleep.slept(), [Duration::from_secs(2)]);
/// # drop(wait);
/// ```
#[derive(Debug, Clone)]
pub struct ManualSleep {
    clock: ManualClock,
    slept: Arc<Mutex<Vec<Duration>>>,
}

impl ManualSleep {
    /// A sleep that advances `clock`.
    pub fn new(clock: ManualClock) -> Self {
        ManualSleep {
            clock,
            slept: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// Every duration slept so far, in order.
    pub fn slept(&self) -> Vec<Duration> {
        self.slept
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The clock this sleep advances.
    pub fn clock(&self) -> &ManualClock {
        &self.clock
    }
}

impl Sleep for ManualSleep {
    type Future = Ready<()>;

    /// Advances the clock and records `duration` when called, not when awaited.
    fn sleep(&self, duration: Duration) -> Ready<()> {
        self.slept
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(duration);
        self.clock.advance(duration);
        ready(())
    }
}

/// Tokio's timer: `tokio::time::sleep`, which a paused runtime
/// (`#[tokio::test(start_paused = true)]`) skips through instantly.
#[cfg(feature = "tokio")]
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

#[cfg(feature = "tokio")]
impl Sleep for TokioSleep {
    type Future = tokio::time::Sleep;

    fn sleep(&self, duration: Duration) -> tokio::time::Sleep {
        tokio::time::sleep(duration)
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::clock::Clock;

    #[test]
    fn manual_clock_saturates_instead_of_panicking() {
        let clock = ManualClock::new();
        let start = clock.now();
        clock.advance(Duration::MAX);
        clock.advance(Duration::MAX);
        assert!(clock.now() >= start);
        assert_eq!(clock.elapsed(), Duration::from_nanos(u64::MAX));
        let _ = clock.system_now();
    }

    #[test]
    fn manual_sleep_advances_both_readings() {
        let clock = ManualClock::starting_at(SystemTime::UNIX_EPOCH);
        let sleep = ManualSleep::new(clock.clone());
        drop(sleep.sleep(Duration::from_millis(1500)));
        assert_eq!(
            clock.system_now(),
            SystemTime::UNIX_EPOCH + Duration::from_millis(1500)
        );
        assert_eq!(sleep.slept(), [Duration::from_millis(1500)]);
    }
}
