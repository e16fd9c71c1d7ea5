//! Time for the retry machinery: a clock to read and a sleep to wait, both injectable.

use std::future::{Future, Ready, ready};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use super::policy::saturating_nanos;

/// Where the retry machinery reads the time: a monotonic instant for backoff, deadlines
/// and the circuit breaker, and the wall clock for `Retry-After` dates.
pub trait Clock: Send + Sync {
    /// The current monotonic time.
    fn now(&self) -> Instant;

    /// The current wall-clock time, to turn an HTTP-date into a delay.
    fn system_now(&self) -> SystemTime;
}

impl<C: Clock + ?Sized> Clock for Arc<C> {
    fn now(&self) -> Instant {
        (**self).now()
    }

    fn system_now(&self) -> SystemTime {
        (**self).system_now()
    }
}

impl<C: Clock + ?Sized> Clock for &C {
    fn now(&self) -> Instant {
        (**self).now()
    }

    fn system_now(&self) -> SystemTime {
        (**self).system_now()
    }
}

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

/// The operating system's clocks: `Instant::now()` and `SystemTime::now()`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn system_now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that moves only when told to, for tests. Clones share the same time.
///
/// Both readings start at the moment of creation and advance together, so a
/// `Retry-After` date is measured against the same timeline as backoff delays.
///
/// ```
/// use std::time::Duration;
/// use apierror::retry::{Clock, ManualClock};
///
/// let clock = ManualClock::new();
/// let start = clock.now();
/// clock.advance(Duration::from_secs(30));
/// assert_eq!(clock.now() - start, Duration::from_secs(30));
/// ```
#[derive(Debug, Clone)]
pub struct ManualClock {
    inner: Arc<ManualClockInner>,
}

#[derive(Debug)]
struct ManualClockInner {
    origin: Instant,
    system_origin: SystemTime,
    /// Nanoseconds since `origin`, saturating at about 584 years.
    offset: AtomicU64,
}

impl ManualClock {
    /// A clock reading the current time until advanced.
    pub fn new() -> Self {
        ManualClock::starting_at(SystemTime::now())
    }

    /// A clock whose wall-clock reading starts at `system` (its monotonic reading starts
    /// at the current instant).
    pub fn starting_at(system: SystemTime) -> Self {
        ManualClock {
            inner: Arc::new(ManualClockInner {
                origin: Instant::now(),
                system_origin: system,
                offset: AtomicU64::new(0),
            }),
        }
    }

    /// Moves the time forward by `duration` (saturating, never backwards).
    pub fn advance(&self, duration: Duration) {
        let step = saturating_nanos(duration);
        let _ = self
            .inner
            .offset
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |offset| {
                Some(offset.saturating_add(step))
            });
    }

    /// How far the clock has been advanced in total.
    pub fn elapsed(&self) -> Duration {
        Duration::from_nanos(self.inner.offset.load(Ordering::Acquire))
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        ManualClock::new()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        // Past what the platform's `Instant` can hold (centuries away) the clock stops.
        let elapsed = self.elapsed();
        self.inner
            .origin
            .checked_add(elapsed)
            .unwrap_or(self.inner.origin)
    }

    fn system_now(&self) -> SystemTime {
        let elapsed = self.elapsed();
        self.inner
            .system_origin
            .checked_add(elapsed)
            .unwrap_or(self.inner.system_origin)
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

/// Tokio's clock (`tokio::time::Instant`), which stands still and jumps with a paused
/// runtime. Its wall-clock reading is the wall clock at creation plus tokio's elapsed
/// time, so `Retry-After` dates follow the paused timeline too.
#[cfg(feature = "tokio")]
#[derive(Debug, Clone, Copy)]
pub struct TokioClock {
    origin: tokio::time::Instant,
    system_origin: SystemTime,
}

#[cfg(feature = "tokio")]
impl TokioClock {
    /// A clock starting now.
    pub fn new() -> Self {
        TokioClock {
            origin: tokio::time::Instant::now(),
            system_origin: SystemTime::now(),
        }
    }
}

#[cfg(feature = "tokio")]
impl Default for TokioClock {
    fn default() -> Self {
        TokioClock::new()
    }
}

#[cfg(feature = "tokio")]
impl Clock for TokioClock {
    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }

    fn system_now(&self) -> SystemTime {
        let elapsed = tokio::time::Instant::now().saturating_duration_since(self.origin);
        self.system_origin
            .checked_add(elapsed)
            .unwrap_or(self.system_origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
