//! The circuit breaker: stop calling a service that keeps failing, then probe it back.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use super::policy::saturating_nanos;
use crate::clock::{Clock, SystemClock};
use crate::hint::failure::Failure;
use crate::retry_class::Retry;

/// The three states of a [`CircuitBreaker`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BreakerState {
    /// Calls go through; consecutive retryable failures are counted.
    Closed,
    /// Calls fail fast without reaching the service, until the open period ends.
    Open,
    /// A limited number of probe calls go through; enough successes close the breaker,
    /// one failure opens it again.
    HalfOpen,
}

impl fmt::Display for BreakerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BreakerState::Closed => "closed",
            BreakerState::Open => "open",
            BreakerState::HalfOpen => "half-open",
        })
    }
}

/// A change of state, as reported to a breaker's listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct BreakerTransition {
    /// The state left.
    pub from: BreakerState,
    /// The state entered.
    pub to: BreakerState,
}

/// What a call's result means to the breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// The service answered: closes a streak of failures.
    Success,
    /// A retryable failure ([`Retry::Backoff`] or [`Retry::Throttled`]): counts
    /// towards opening.
    Failure,
    /// No verdict: the permit is released without counting (a cancelled call).
    Ignored,
}

impl Outcome {
    /// The outcome of an attempt classified as `failure` (`None` for a success).
    ///
    /// Only retryable failures count against the service: a client error (any 4xx but
    /// 408 and 429) or an expired credential shows that the service answered, so it
    /// counts as a success and never trips the breaker.
    pub fn of(failure: Option<&Failure>) -> Self {
        match failure.map(|failure| failure.class) {
            Some(Retry::Backoff | Retry::Throttled) => Outcome::Failure,
            None | Some(Retry::Never | Retry::Reauthenticate) => Outcome::Success,
        }
    }
}

/// The breaker refused a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct BreakerOpen {
    /// How long until the breaker lets a probe through; `None` when it is half-open and
    /// every probe slot is taken.
    pub retry_in: Option<Duration>,
}

impl fmt::Display for BreakerOpen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.retry_in {
            Some(wait) => write!(f, "the circuit breaker is open for another {wait:?}"),
            None => f.write_str("the circuit breaker is half-open and its probes are taken"),
        }
    }
}

impl std::error::Error for BreakerOpen {}

/// A consistent reading of a breaker's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct BreakerSnapshot {
    /// The state. An open breaker whose period has ended still reads `Open` until a
    /// call asks for a permit.
    pub state: BreakerState,
    /// Consecutive retryable failures while closed (0 otherwise).
    pub consecutive_failures: u32,
    /// Probe permits held while half-open (0 otherwise).
    pub probes_in_flight: u32,
    /// Successful probes while half-open (0 otherwise).
    pub probe_successes: u32,
}

type Listener = Arc<dyn Fn(BreakerTransition) + Send + Sync>;

/// A lock-free circuit breaker.
///
/// Closed, it counts consecutive retryable failures; after `failure_threshold` of them
/// (default 5) it opens for `open_duration` (default 30 s), refusing calls at once.
/// Then it turns half-open and admits up to `half_open_probes` concurrent probes
/// (default 1): `half_open_probes` successes close it, a failure reopens it. These are
/// seed 001's numbers.
///
/// Each call takes a [`BreakerPermit`] first and settles it with the call's
/// [`Outcome`]. A permit remembers the state generation it was issued in: the result
/// of a call started before a transition is ignored, so a slow call from a closed
/// period cannot reopen a breaker that was since probed back. Dropping an unsettled
/// probe permit (a cancelled call) frees its slot.
///
/// The whole state is one `AtomicU64` updated by compare-and-swap: the state, its
/// counters, and the end of the latest open period in milliseconds, which serves as the
/// generation. Each open period ends later than the one before, so a generation never
/// comes back (not before the breaker's clock reads 2^42 ms, about 139 years), however
/// long a call takes to report.
///
/// ```
/// use std::time::Duration;
/// use apierror::retry::{BreakerState, CircuitBreaker, ManualClock, Outcome};
///
/// let clock = ManualClock::new();
/// let breaker = CircuitBreaker::new().with_failure_threshold(2).with_clock(clock.clone());
/// for _ in 0..2 {
///     breaker.try_acquire().unwrap().settle(Outcome::Failure);
/// }
/// assert_eq!(breaker.state(), BreakerState::Open);
/// assert!(breaker.try_acquire().is_err());
///
/// clock.advance(Duration::from_secs(30));
/// let probe = breaker.try_acquire().unwrap();
/// assert!(breaker.try_acquire().is_err(), "one probe at a time");
/// probe.settle(Outcome::Success);
/// assert_eq!(breaker.state(), BreakerState::Closed);
/// ```
pub struct CircuitBreaker {
    word: AtomicU64,
    failure_threshold: u32,
    open_duration: Duration,
    half_open_probes: u32,
    /// The clock and the instant its readings count from: one given with
    /// [`with_clock`](Self::with_clock), else the first driver's the breaker is attached
    /// to, else (set at the first reading) the system clock.
    clock: OnceLock<(Arc<dyn Clock>, Instant)>,
    listener: Option<Listener>,
}

impl fmt::Debug for CircuitBreaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CircuitBreaker")
            .field("snapshot", &self.snapshot())
            .field("failure_threshold", &self.failure_threshold)
            .field("open_duration", &self.open_duration)
            .field("half_open_probes", &self.half_open_probes)
            .finish_non_exhaustive()
    }
}

impl Default for CircuitBreaker {
    fn default() -> Self {
        CircuitBreaker::new()
    }
}

impl CircuitBreaker {
    /// A closed breaker with the defaults (5 failures, 30 s, 1 probe) on the system clock.
    pub fn new() -> Self {
        CircuitBreaker {
            word: AtomicU64::new(Word::CLOSED.pack()),
            failure_threshold: 5,
            open_duration: Duration::from_secs(30),
            half_open_probes: 1,
            clock: OnceLock::new(),
            listener: None,
        }
    }

    /// Sets how many consecutive retryable failures open the breaker (at least 1).
    #[must_use]
    pub fn with_failure_threshold(mut self, failures: u32) -> Self {
        self.failure_threshold = failures.clamp(1, THRESHOLD_MAX);
        self
    }

    /// Sets how long the breaker stays open before admitting probes.
    #[must_use]
    pub fn with_open_duration(mut self, duration: Duration) -> Self {
        self.open_duration = duration;
        self
    }

    /// Sets how many probes may be in flight while half-open, which is also how many
    /// must succeed to close (at least 1).
    #[must_use]
    pub fn with_half_open_probes(mut self, probes: u32) -> Self {
        self.half_open_probes = probes.clamp(1, HALF_MAX);
        self
    }

    /// Reads time from `clock`. Without one, the breaker follows the clock of the first
    /// [`RetryDriver`](super::RetryDriver) it is attached to (so a manual or paused
    /// driver clock moves it too), or the system clock if it is used on its own.
    #[must_use]
    pub fn with_clock(self, clock: impl Clock + 'static) -> Self {
        let origin = clock.now();
        let chosen = OnceLock::new();
        let _ = chosen.set((Arc::new(clock) as Arc<dyn Clock>, origin));
        CircuitBreaker {
            clock: chosen,
            ..self
        }
    }

    /// Follows `clock` unless the breaker already has one (its own, a driver's, or the
    /// system clock it started reading).
    pub(crate) fn adopt_clock(&self, clock: impl FnOnce() -> Arc<dyn Clock>) {
        if self.clock.get().is_none() {
            let clock = clock();
            let origin = clock.now();
            let _ = self.clock.set((clock, origin));
        }
    }

    /// Calls `listener` after every state change (from whichever thread caused it).
    #[must_use]
    pub fn with_listener(
        mut self,
        listener: impl Fn(BreakerTransition) + Send + Sync + 'static,
    ) -> Self {
        self.listener = Some(Arc::new(listener));
        self
    }

    /// The current state; see [`BreakerSnapshot::state`].
    pub fn state(&self) -> BreakerState {
        Word::unpack(self.word.load(Ordering::Acquire)).state
    }

    /// A consistent reading of the state and its counters.
    pub fn snapshot(&self) -> BreakerSnapshot {
        let word = Word::unpack(self.word.load(Ordering::Acquire));
        let (failures, in_flight, successes) = match word.state {
            BreakerState::Closed => (word.counts, 0, 0),
            BreakerState::Open => (0, 0, 0),
            BreakerState::HalfOpen => (0, word.in_flight(), word.successes()),
        };
        let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        BreakerSnapshot {
            state: word.state,
            consecutive_failures: small(failures),
            probes_in_flight: small(in_flight),
            probe_successes: small(successes),
        }
    }

    /// How much longer an open breaker refuses calls (zero once its period is over and
    /// the next call would probe); `None` unless it is open.
    pub fn remaining_open(&self) -> Option<Duration> {
        let word = Word::unpack(self.word.load(Ordering::Acquire));
        (word.state == BreakerState::Open)
            .then(|| Duration::from_millis(word.epoch.saturating_sub(self.now_millis())))
    }

    /// Asks to make a call. Closed: always granted. Open: refused until the open period
    /// ends, when the first caller turns the breaker half-open and takes a probe.
    /// Half-open: granted while a probe slot is free, the slot being reserved
    /// atomically with the grant.
    ///
    /// # Errors
    ///
    /// [`BreakerOpen`] when the call must fail fast.
    pub fn try_acquire(&self) -> Result<BreakerPermit<'_>, BreakerOpen> {
        let mut current = self.word.load(Ordering::Acquire);
        loop {
            let word = Word::unpack(current);
            let next = match word.state {
                BreakerState::Closed => return Ok(self.permit(word.epoch, false)),
                BreakerState::Open => {
                    let now = self.now_millis();
                    if now < word.epoch {
                        return Err(BreakerOpen {
                            retry_in: Some(Duration::from_millis(word.epoch - now)),
                        });
                    }
                    Word::half_open(word.epoch, 1, 0)
                }
                BreakerState::HalfOpen => {
                    if word.in_flight() >= u64::from(self.half_open_probes) {
                        return Err(BreakerOpen { retry_in: None });
                    }
                    Word::half_open(word.epoch, word.in_flight() + 1, word.successes())
                }
            };
            match self.word.compare_exchange_weak(
                current,
                next.pack(),
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    self.notify(word.state, next.state);
                    return Ok(self.permit(next.epoch, true));
                }
                Err(actual) => current = actual,
            }
        }
    }

    fn permit(&self, epoch: u64, probe: bool) -> BreakerPermit<'_> {
        BreakerPermit {
            breaker: self,
            epoch,
            probe,
            settled: false,
        }
    }

    fn settle(&self, epoch: u64, probe: bool, outcome: Outcome) {
        // A period is a state and an epoch: a probe belongs to a half-open period, any
        // other permit to a closed one, and no period comes back once left.
        let issued_in = if probe {
            BreakerState::HalfOpen
        } else {
            BreakerState::Closed
        };
        let mut current = self.word.load(Ordering::Acquire);
        loop {
            let word = Word::unpack(current);
            if word.state != issued_in || word.epoch != epoch {
                // Issued in an earlier period: its result says nothing about this one.
                return;
            }
            let next = match (word.state, outcome) {
                (BreakerState::Closed, Outcome::Success) if word.counts > 0 => {
                    Word::closed(word.epoch)
                }
                (BreakerState::Closed, Outcome::Failure) => {
                    // Below the threshold, so within the counts' 20 bits.
                    let failures = word.counts + 1;
                    if failures >= u64::from(self.failure_threshold) {
                        self.opened(word)
                    } else {
                        Word {
                            counts: failures,
                            ..word
                        }
                    }
                }
                (BreakerState::HalfOpen, _) => {
                    let in_flight = word.in_flight().saturating_sub(1);
                    match outcome {
                        Outcome::Success => {
                            let successes = word.successes() + 1;
                            if successes >= u64::from(self.half_open_probes) {
                                // Same epoch, another state: still a new period.
                                Word::closed(word.epoch)
                            } else {
                                Word::half_open(word.epoch, in_flight, successes)
                            }
                        }
                        Outcome::Failure => self.opened(word),
                        Outcome::Ignored => {
                            Word::half_open(word.epoch, in_flight, word.successes())
                        }
                    }
                }
                _ => return,
            };
            match self.word.compare_exchange_weak(
                current,
                next.pack(),
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    self.notify(word.state, next.state);
                    return;
                }
                Err(actual) => current = actual,
            }
        }
    }

    /// The open state that follows `word`, ending `open_duration` from now.
    fn opened(&self, word: Word) -> Word {
        let until_nanos = self
            .now_nanos()
            .saturating_add(saturating_nanos(self.open_duration));
        // Round up so the breaker is never open for less than `open_duration`, and end
        // after the previous open period so that the epoch names this one alone. That
        // adds a millisecond only when the previous open period ended in this very
        // millisecond and `open_duration` is under one. The epoch saturates instead of
        // wrapping: an epoch repeats only when an open period follows one that ended at
        // `EPOCH_MAX`, so only once the clock reads 2^42 ms.
        let until = until_nanos
            .div_ceil(NANOS_PER_MILLI)
            .max(word.epoch + 1)
            .min(EPOCH_MAX);
        Word {
            state: BreakerState::Open,
            epoch: until,
            counts: 0,
        }
    }

    fn now_nanos(&self) -> u64 {
        let (clock, origin) = self
            .clock
            .get_or_init(|| (Arc::new(SystemClock) as Arc<dyn Clock>, Instant::now()));
        saturating_nanos(clock.now().saturating_duration_since(*origin))
    }

    fn now_millis(&self) -> u64 {
        (self.now_nanos() / NANOS_PER_MILLI).min(EPOCH_MAX)
    }

    fn notify(&self, from: BreakerState, to: BreakerState) {
        if from != to
            && let Some(listener) = &self.listener
        {
            listener(BreakerTransition { from, to });
        }
    }
}

/// Permission to make one call, from [`CircuitBreaker::try_acquire`]. Settle it with
/// the call's outcome; dropping it unsettled counts as [`Outcome::Ignored`].
#[derive(Debug)]
#[must_use = "settle the permit with the call's outcome"]
pub struct BreakerPermit<'a> {
    breaker: &'a CircuitBreaker,
    /// The epoch of the period it was issued in (closed, or half-open for a probe).
    epoch: u64,
    probe: bool,
    settled: bool,
}

impl BreakerPermit<'_> {
    /// Whether this is a half-open probe.
    pub fn is_probe(&self) -> bool {
        self.probe
    }

    /// Reports the call's outcome. Ignored if the breaker changed state since the
    /// permit was issued.
    pub fn settle(mut self, outcome: Outcome) {
        self.settled = true;
        self.breaker.settle(self.epoch, self.probe, outcome);
    }
}

impl Drop for BreakerPermit<'_> {
    fn drop(&mut self) {
        if !self.settled && self.probe {
            self.breaker
                .settle(self.epoch, self.probe, Outcome::Ignored);
        }
    }
}

const NANOS_PER_MILLI: u64 = 1_000_000;
const STATE_SHIFT: u32 = 62;
const EPOCH_SHIFT: u32 = 20;
/// 2^42 - 1 ms, about 139 years after the breaker's origin.
const EPOCH_MAX: u64 = (1 << (STATE_SHIFT - EPOCH_SHIFT)) - 1;
const COUNTS_MASK: u64 = (1 << EPOCH_SHIFT) - 1;
/// Closed failures are kept below the threshold, so the threshold may reach 2^20.
const THRESHOLD_MAX: u32 = 1 << EPOCH_SHIFT;
/// Half-open splits the counts into probes in flight (high) and successes (low).
const HALF_SHIFT: u32 = EPOCH_SHIFT / 2;
const HALF_MAX: u32 = (1 << HALF_SHIFT) - 1;

/// The unpacked state word: `state:2 | epoch:42 | counts:20`.
///
/// The epoch and the state name the current period. Open, the epoch is the end of the
/// open period, in milliseconds since the breaker's origin; closed or half-open, the
/// end of the open period that led there (0 in the first closed period). Every open
/// period ends after the previous one, and leads to at most one half-open period, that
/// to at most one closed period: ordered by epoch, then open, half-open, closed, the
/// periods only move forward ([`Word::period`]). So a permit's epoch and kind match
/// the word only during the period that issued it, and a word's value recurs only
/// within one period, where the same value means the same thing to a compare-and-swap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Word {
    state: BreakerState,
    epoch: u64,
    /// Closed: consecutive failures. Open: 0. Half-open: probes in flight and successes.
    counts: u64,
}

impl Word {
    const CLOSED: Word = Word::closed(0);

    const fn closed(epoch: u64) -> Word {
        Word {
            state: BreakerState::Closed,
            epoch,
            counts: 0,
        }
    }

    fn half_open(epoch: u64, in_flight: u64, successes: u64) -> Word {
        Word {
            state: BreakerState::HalfOpen,
            epoch,
            counts: (in_flight.min(u64::from(HALF_MAX)) << HALF_SHIFT)
                | successes.min(u64::from(HALF_MAX)),
        }
    }

    fn in_flight(self) -> u64 {
        self.counts >> HALF_SHIFT
    }

    fn successes(self) -> u64 {
        self.counts & u64::from(HALF_MAX)
    }

    /// Where the word's period stands in the breaker's history: every state change
    /// makes it larger.
    #[cfg(test)]
    fn period(self) -> (u64, u8) {
        let rank = match self.state {
            BreakerState::Open => 0,
            BreakerState::HalfOpen => 1,
            BreakerState::Closed => 2,
        };
        (self.epoch, rank)
    }

    fn pack(self) -> u64 {
        let state = match self.state {
            BreakerState::Closed => 0,
            BreakerState::Open => 1,
            BreakerState::HalfOpen => 2,
        };
        (state << STATE_SHIFT)
            | ((self.epoch & EPOCH_MAX) << EPOCH_SHIFT)
            | (self.counts & COUNTS_MASK)
    }

    fn unpack(word: u64) -> Word {
        let state = match word >> STATE_SHIFT {
            1 => BreakerState::Open,
            2 => BreakerState::HalfOpen,
            _ => BreakerState::Closed,
        };
        Word {
            state,
            epoch: (word >> EPOCH_SHIFT) & EPOCH_MAX,
            counts: word & COUNTS_MASK,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retry::{ManualClock, Rng, SplitMix64};
    use std::sync::Mutex;
    use std::thread;

    fn breaker(clock: &ManualClock) -> CircuitBreaker {
        CircuitBreaker::new().with_clock(clock.clone())
    }

    /// Where the breaker's current period stands ([`Word::period`]).
    fn period(breaker: &CircuitBreaker) -> (u64, u8) {
        Word::unpack(breaker.word.load(Ordering::Acquire)).period()
    }

    /// Probe permits out, by the epoch of the half-open period that issued them (few
    /// at a time: a list).
    #[derive(Default)]
    struct ProbesOut(Vec<(u64, u32)>);

    impl ProbesOut {
        fn admitted(&mut self, permit: &BreakerPermit<'_>, limit: u32) {
            if !permit.probe {
                return;
            }
            let index = self
                .0
                .iter()
                .position(|&(epoch, _)| epoch == permit.epoch)
                .unwrap_or_else(|| {
                    self.0.push((permit.epoch, 0));
                    self.0.len() - 1
                });
            let out = &mut self.0[index].1;
            *out += 1;
            assert!(*out <= limit, "{out} probes out in epoch {}", permit.epoch);
        }

        /// Call before the permit reports: the breaker frees its slot only then.
        fn reporting(&mut self, permit: &BreakerPermit<'_>) {
            if !permit.probe {
                return;
            }
            let index = self
                .0
                .iter()
                .position(|&(epoch, _)| epoch == permit.epoch)
                .unwrap();
            self.0[index].1 -= 1;
            if self.0[index].1 == 0 {
                self.0.swap_remove(index);
            }
        }
    }

    /// Settles `permit` with a random outcome, or drops it.
    fn report(permit: BreakerPermit<'_>, rng: &mut SplitMix64) {
        match rng.next_u64() % 4 {
            0 => drop(permit),
            1 => permit.settle(Outcome::Success),
            _ => permit.settle(Outcome::Failure),
        }
    }

    #[test]
    fn word_round_trips() {
        for word in [
            Word::CLOSED,
            Word {
                counts: COUNTS_MASK,
                ..Word::closed(EPOCH_MAX)
            },
            Word {
                state: BreakerState::Open,
                epoch: EPOCH_MAX,
                counts: 0,
            },
            Word::half_open(7, u64::from(HALF_MAX), u64::from(HALF_MAX) - 1),
        ] {
            assert_eq!(Word::unpack(word.pack()), word);
        }
        assert!(THRESHOLD_MAX - 1 <= u32::try_from(COUNTS_MASK).unwrap());
        let clock = ManualClock::new();
        let breaker = breaker(&clock)
            .with_failure_threshold(u32::MAX)
            .with_half_open_probes(u32::MAX);
        assert_eq!(breaker.failure_threshold, THRESHOLD_MAX);
        assert_eq!(breaker.half_open_probes, HALF_MAX);
    }

    #[test]
    fn opens_after_five_consecutive_failures_and_fails_fast_for_thirty_seconds() {
        let clock = ManualClock::new();
        let breaker = breaker(&clock);
        for _ in 0..4 {
            breaker.try_acquire().unwrap().settle(Outcome::Failure);
        }
        assert_eq!(breaker.snapshot().consecutive_failures, 4);
        breaker.try_acquire().unwrap().settle(Outcome::Failure);
        assert_eq!(breaker.state(), BreakerState::Open);
        assert_eq!(
            breaker.try_acquire().unwrap_err().retry_in,
            Some(Duration::from_secs(30))
        );
        clock.advance(Duration::from_millis(29_999));
        assert!(breaker.try_acquire().is_err());
        clock.advance(Duration::from_millis(1));
        let probe = breaker.try_acquire().unwrap();
        assert!(probe.is_probe());
        assert_eq!(breaker.state(), BreakerState::HalfOpen);
        probe.settle(Outcome::Failure);
        assert_eq!(
            breaker.state(),
            BreakerState::Open,
            "a failed probe reopens"
        );
    }

    #[test]
    fn a_success_ends_the_streak() {
        let clock = ManualClock::new();
        let breaker = breaker(&clock);
        for _ in 0..4 {
            breaker.try_acquire().unwrap().settle(Outcome::Failure);
        }
        breaker.try_acquire().unwrap().settle(Outcome::Success);
        for _ in 0..4 {
            breaker.try_acquire().unwrap().settle(Outcome::Failure);
        }
        assert_eq!(breaker.state(), BreakerState::Closed);
    }

    #[test]
    fn stale_results_and_cancelled_probes() {
        let clock = ManualClock::new();
        let transitions = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&transitions);
        let breaker = breaker(&clock)
            .with_failure_threshold(1)
            .with_half_open_probes(2)
            .with_listener(move |t| seen.lock().unwrap().push((t.from, t.to)));
        let slow = breaker.try_acquire().unwrap();
        breaker.try_acquire().unwrap().settle(Outcome::Failure);
        clock.advance(Duration::from_secs(30));
        let first = breaker.try_acquire().unwrap();
        let second = breaker.try_acquire().unwrap();
        assert!(breaker.try_acquire().is_err(), "two probes at most");
        drop(second);
        assert_eq!(
            breaker.snapshot().probes_in_flight,
            1,
            "a dropped probe frees its slot"
        );
        slow.settle(Outcome::Failure);
        assert_eq!(
            breaker.state(),
            BreakerState::HalfOpen,
            "a call from the closed period does not count"
        );
        first.settle(Outcome::Success);
        breaker.try_acquire().unwrap().settle(Outcome::Success);
        assert_eq!(breaker.state(), BreakerState::Closed);
        assert_eq!(
            *transitions.lock().unwrap(),
            [
                (BreakerState::Closed, BreakerState::Open),
                (BreakerState::Open, BreakerState::HalfOpen),
                (BreakerState::HalfOpen, BreakerState::Closed),
            ]
        );
    }

    #[test]
    fn client_errors_count_as_answers() {
        let never = Failure::new(Retry::Never);
        let throttled = Failure::new(Retry::Throttled);
        assert_eq!(Outcome::of(Some(&never)), Outcome::Success);
        assert_eq!(Outcome::of(Some(&throttled)), Outcome::Failure);
        assert_eq!(Outcome::of(None), Outcome::Success);
    }

    #[test]
    fn huge_durations_do_not_overflow() {
        let clock = ManualClock::new();
        let breaker = breaker(&clock)
            .with_failure_threshold(1)
            .with_open_duration(Duration::MAX);
        breaker.try_acquire().unwrap().settle(Outcome::Failure);
        clock.advance(Duration::MAX);
        let _ = breaker.try_acquire();
    }

    #[test]
    fn huge_durations_saturate_the_epoch() {
        let clock = ManualClock::new();
        let breaker = breaker(&clock)
            .with_failure_threshold(1)
            .with_open_duration(Duration::MAX);
        breaker.try_acquire().unwrap().settle(Outcome::Failure);
        assert_eq!(period(&breaker), (EPOCH_MAX, 0));
        clock.advance(Duration::MAX);
        let probe = breaker.try_acquire().unwrap();
        probe.settle(Outcome::Failure);
        assert_eq!(period(&breaker), (EPOCH_MAX, 0), "no overflow past 2^42 ms");
    }

    #[test]
    fn every_open_period_ends_after_the_previous_one() {
        // No open duration and a clock standing on a millisecond: each open period still
        // gets an epoch of its own, ending a millisecond after the previous one.
        let clock = ManualClock::new();
        let breaker = breaker(&clock)
            .with_failure_threshold(1)
            .with_open_duration(Duration::ZERO);
        assert_eq!(period(&breaker), (0, 2));
        breaker.try_acquire().unwrap().settle(Outcome::Failure);
        assert_eq!(period(&breaker), (1, 0));
        assert_eq!(
            breaker.try_acquire().unwrap_err().retry_in,
            Some(Duration::from_millis(1))
        );
        clock.advance(Duration::from_millis(1));
        breaker.try_acquire().unwrap().settle(Outcome::Failure);
        assert_eq!(period(&breaker), (2, 0));

        // Between two milliseconds, the open period ends at the next one, as before.
        clock.advance(Duration::from_micros(1_500));
        let probe = breaker.try_acquire().unwrap();
        assert_eq!(period(&breaker), (2, 1));
        probe.settle(Outcome::Failure);
        assert_eq!(period(&breaker), (3, 0));
        assert!(breaker.try_acquire().is_err());
        clock.advance(Duration::from_micros(500));
        breaker.try_acquire().unwrap().settle(Outcome::Success);
        assert_eq!(period(&breaker), (3, 2));
    }

    #[test]
    fn a_probe_still_out_when_the_breaker_closes_is_not_a_closed_call() {
        let clock = ManualClock::new();
        let breaker = breaker(&clock)
            .with_failure_threshold(1)
            .with_half_open_probes(2);
        breaker.try_acquire().unwrap().settle(Outcome::Failure);
        clock.advance(Duration::from_secs(30));
        let first = breaker.try_acquire().unwrap();
        let second = breaker.try_acquire().unwrap();
        first.settle(Outcome::Success);
        let late = breaker.try_acquire().unwrap();
        second.settle(Outcome::Success);
        assert_eq!(breaker.state(), BreakerState::Closed);
        assert_eq!(
            late.epoch,
            period(&breaker).0,
            "the closed period has the half-open period's epoch"
        );
        late.settle(Outcome::Failure);
        assert_eq!(breaker.state(), BreakerState::Closed);
        assert_eq!(breaker.snapshot().consecutive_failures, 0);
    }

    /// A random walk through more than 2^20 state changes, where the first design's
    /// 20-bit generation came back, with permits kept and reported much later: every
    /// change moves the period forward (so no permit's period ever comes back), nothing
    /// else does, and no period has more probes out than allowed.
    #[test]
    fn periods_only_move_forward_across_more_than_a_million_state_changes() {
        const PROBES: u32 = 2;
        const THRESHOLD: u32 = 2;
        const CHANGES: u64 = (1 << 20) + 1_000;
        let clock = ManualClock::new();
        let changes = Arc::new(AtomicU64::new(0));
        let counted = Arc::clone(&changes);
        let breaker = breaker(&clock)
            .with_failure_threshold(THRESHOLD)
            .with_half_open_probes(PROBES)
            .with_open_duration(Duration::ZERO)
            .with_listener(move |_| {
                counted.fetch_add(1, Ordering::Relaxed);
            });
        let mut rng = SplitMix64::new(20);
        let mut held = Vec::new();
        let mut out = ProbesOut::default();
        let mut last = (period(&breaker), 0);
        // After each call: at most one state change, which moves the period forward.
        let mut check = |breaker: &CircuitBreaker| {
            let now = (period(breaker), changes.load(Ordering::Relaxed));
            if now.1 == last.1 {
                assert_eq!(now.0, last.0);
            } else {
                assert_eq!(now.1, last.1 + 1);
                assert!(now.0 > last.0, "{:?} after {:?}", now.0, last.0);
            }
            let snapshot = breaker.snapshot();
            assert!(snapshot.consecutive_failures < THRESHOLD, "{snapshot:?}");
            assert!(snapshot.probes_in_flight <= PROBES, "{snapshot:?}");
            assert!(snapshot.probe_successes < PROBES, "{snapshot:?}");
            last = now;
            now.1
        };
        while check(&breaker) < CHANGES {
            // Open, wait: onto a millisecond or between two, to force epochs or not.
            if breaker.state() == BreakerState::Open {
                clock.advance(Duration::from_micros(rng.next_u64() % 7 * 250));
            }
            match rng.next_u64() % 8 {
                0 if !held.is_empty() => {
                    let index = usize::try_from(rng.next_u64() % 64).unwrap() % held.len();
                    let permit = held.swap_remove(index);
                    out.reporting(&permit);
                    report(permit, &mut rng);
                }
                _ => {
                    if let Ok(permit) = breaker.try_acquire() {
                        check(&breaker);
                        out.admitted(&permit, PROBES);
                        if held.len() < 8 && rng.next_u64().is_multiple_of(4) {
                            held.push(permit);
                        } else {
                            out.reporting(&permit);
                            report(permit, &mut rng);
                        }
                    }
                }
            }
        }
        for permit in held {
            out.reporting(&permit);
            drop(permit);
        }
        assert_eq!(breaker.snapshot().probes_in_flight, 0);
    }

    /// Threads share a breaker, keep some permits for a while and report them late;
    /// counted by the period that issued them, never more probes are out than allowed.
    #[test]
    fn concurrent_probes_stay_within_their_period_limit() {
        const THREADS: u64 = 4;
        const ROUNDS: u32 = 20_000;
        const PROBES: u32 = 3;
        let clock = ManualClock::new();
        let breaker = breaker(&clock)
            .with_failure_threshold(2)
            .with_half_open_probes(PROBES)
            .with_open_duration(Duration::from_millis(2));
        let out = Mutex::new(ProbesOut::default());
        let probes: u32 = thread::scope(|scope| {
            let workers: Vec<_> = (0..THREADS)
                .map(|seed| {
                    let (breaker, clock, out) = (&breaker, &clock, &out);
                    scope.spawn(move || {
                        let mut rng = SplitMix64::new(seed);
                        let mut held = Vec::new();
                        let mut probes = 0;
                        let reporting = |permit: BreakerPermit<'_>, rng: &mut SplitMix64| {
                            out.lock().unwrap().reporting(&permit);
                            report(permit, rng);
                        };
                        for _ in 0..ROUNDS {
                            if rng.next_u64().is_multiple_of(8) {
                                clock.advance(Duration::from_millis(1));
                            }
                            if let Ok(permit) = breaker.try_acquire() {
                                probes += u32::from(permit.is_probe());
                                out.lock().unwrap().admitted(&permit, PROBES);
                                if held.len() < 2 && rng.next_u64().is_multiple_of(4) {
                                    held.push(permit);
                                } else {
                                    reporting(permit, &mut rng);
                                }
                            }
                            if !held.is_empty() && rng.next_u64().is_multiple_of(4) {
                                reporting(held.remove(0), &mut rng);
                            }
                        }
                        for permit in held {
                            reporting(permit, &mut rng);
                        }
                        probes
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|worker| worker.join().unwrap())
                .sum()
        });
        assert!(probes > 1_000, "the breaker was half-open: {probes} probes");
        assert!(out.lock().unwrap().0.is_empty());
        assert_eq!(breaker.snapshot().probes_in_flight, 0);
    }
}
