//! The retry driver for blocking calls (ureq, a CLI's `std::net`): the same per-call
//! decisions, breaker, budget, gate and spans as the async driver, because it is the
//! async driver, polled on the calling thread, with a sleep that blocks it.

use std::future::{Future, Ready, ready};
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::Duration;

use super::classify::{Classify, Idempotency, IdempotencyKey};
use super::clock::Sleep;
use super::driver::{Completed, NoRefresh, RetryDriver, RetryError};
use super::policy::RetryPolicy;
use super::rng::Rng;
use crate::clock::Clock;

/// Waiting by blocking the calling thread (`std::thread::sleep`): the sleep of a
/// [`RetryDriver::blocking`] driver. The wait happens when the sleep is asked for, so
/// the future it returns is ready.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThreadSleep;

impl Sleep for ThreadSleep {
    type Future = Ready<()>;

    fn sleep(&self, duration: Duration) -> Ready<()> {
        thread::sleep(duration);
        ready(())
    }
}

/// One attempt of a blocking call: what [`RetryDriver::run_blocking`] hands the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attempt {
    /// The attempt's number, from 1.
    pub number: u32,
    /// How long the attempt may take: the policy's attempt timeout, within what is left
    /// of its deadline. A blocking call cannot be abandoned from outside, so give it to
    /// the client (ureq: `.config().timeout_global(attempt.timeout).build()`).
    pub timeout: Option<Duration>,
}

impl RetryDriver<ThreadSleep> {
    /// A driver for `policy` that waits by blocking the thread, on the system clock, with
    /// an rng seeded from entropy, without breaker or budget. Use it from threads that
    /// may block, never from an async task.
    pub fn blocking(policy: RetryPolicy) -> Self {
        RetryDriver::new(policy, ThreadSleep)
    }
}

impl<S: Sleep, C: Clock + 'static, R: Rng> RetryDriver<S, C, R> {
    /// Runs a blocking `call` until it succeeds or the driver gives up, as
    /// [`run`](Self::run) runs an async one: the same decisions, waits, breaker, budget,
    /// gate, observer and spans. It blocks the calling thread while it waits (with
    /// [`ThreadSleep`]; a [`ManualSleep`](super::ManualSleep) in tests waits no time).
    ///
    /// ```
    /// use std::time::Duration;
    /// use apierror::Retry;
    /// use apierror::retry::{Classify, Failure, Idempotency, Jitter, ManualClock, ManualSleep, RetryDriver, RetryPolicy};
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
    /// let policy = RetryPolicy::new()
    ///     .with_jitter(Jitter::None)
    ///     .with_attempt_timeout(Duration::from_secs(5));
    /// let driver = RetryDriver::new(policy, sleep.clone()).with_clock(clock);
    ///
    /// let result = driver.run_blocking(Idempotency::Idempotent, |attempt| {
    ///     assert_eq!(attempt.timeout, Some(Duration::from_secs(5)));
    ///     if attempt.number < 3 { Err(Flaky) } else { Ok(attempt.number) }
    /// });
    /// assert_eq!(result.ok(), Some(3));
    /// assert_eq!(sleep.slept(), [Duration::from_secs(1), Duration::from_secs(2)]);
    /// ```
    ///
    /// # Errors
    ///
    /// [`RetryError`] with the reason and the last error when the driver gives up.
    pub fn run_blocking<T, E, F>(
        &self,
        idempotency: Idempotency,
        call: F,
    ) -> Result<T, RetryError<E>>
    where
        F: FnMut(Attempt) -> Result<T, E>,
        E: Classify,
    {
        self.run_blocking_completed(idempotency, call)
            .map(|completed| completed.value)
    }

    /// [`run_blocking`](Self::run_blocking), reporting on success the attempts made and
    /// the time waited.
    ///
    /// # Errors
    ///
    /// [`RetryError`] with the reason and the last error when the driver gives up.
    pub fn run_blocking_completed<T, E, F>(
        &self,
        idempotency: Idempotency,
        call: F,
    ) -> Result<Completed<T>, RetryError<E>>
    where
        F: FnMut(Attempt) -> Result<T, E>,
        E: Classify,
    {
        block_on(self.drive(idempotency, blocking(call), None::<NoRefresh>))
    }

    /// The blocking [`run_keyed`](Self::run_keyed): one `Idempotency-Key` for the
    /// logical call, sent on every attempt, so that a `POST` is retried as idempotent.
    ///
    /// # Errors
    ///
    /// [`RetryError`] with the reason and the last error when the driver gives up.
    pub fn run_blocking_keyed<T, E, F>(&self, mut call: F) -> Result<T, RetryError<E>>
    where
        F: FnMut(Attempt, &IdempotencyKey) -> Result<T, E>,
        E: Classify,
    {
        let key = self.idempotency_key();
        self.run_blocking(Idempotency::Idempotent, |attempt| call(attempt, &key))
    }

    /// The blocking [`run_with_refresh`](Self::run_with_refresh): on a
    /// [`Retry::Reauthenticate`](crate::Retry::Reauthenticate) failure, `refresh` runs
    /// once, and the call is retried at once if it returned `true`.
    ///
    /// # Errors
    ///
    /// [`RetryError`] with the reason and the last error when the driver gives up.
    pub fn run_blocking_with_refresh<T, E, F, G>(
        &self,
        idempotency: Idempotency,
        call: F,
        mut refresh: G,
    ) -> Result<T, RetryError<E>>
    where
        F: FnMut(Attempt) -> Result<T, E>,
        E: Classify,
        G: FnMut() -> bool,
    {
        block_on(self.drive(idempotency, blocking(call), Some(move || ready(refresh()))))
            .map(|completed| completed.value)
    }
}

/// A blocking call as the driver's attempt: a future that is ready when first polled,
/// so the driver never starts its timer for it.
fn blocking<T, E>(
    mut call: impl FnMut(Attempt) -> Result<T, E>,
) -> impl FnMut(u32, Option<Duration>) -> Ready<Result<T, E>> {
    move |number, timeout| ready(call(Attempt { number, timeout }))
}

/// Polls `future` on this thread until it is ready, parking the thread while it waits
/// to be woken (only a sleep of the user's own returns pending).
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(Thread);

    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }

        fn wake_by_ref(self: &Arc<Self>) {
            self.0.unpark();
        }
    }

    let waker = Waker::from(Arc::new(Unpark(thread::current())));
    let mut context = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        thread::park();
    }
}
