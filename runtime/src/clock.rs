//! Layer 0, the ground floor: where the crate reads the time. The retry machinery
//! reads a monotonic instant (backoff, deadlines, the breaker) and the wall clock
//! (`Retry-After` dates); the servers read the wall clock for the timestamps in error
//! bodies. One trait for both, so that one [`ManualClock`] drives a whole test.
//! Re-exported by [`retry`](crate::retry).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// Where the crate reads the time: a monotonic instant for backoff, deadlines and the
/// circuit breaker, and the wall clock for `Retry-After` dates and the servers'
/// timestamps.
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

/// `duration` in nanoseconds, saturating at `u64::MAX` (about 584 years).
pub(crate) fn saturating_nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}
