//! The circuit breaker: stop calling a service that keeps failing, then probe it back.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::classify::Failure;
use super::clock::{Clock, SystemClock};
use super::policy::saturating_nanos;
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
pub struct BreakerTransition {
    /// The state left.
    pub from: BreakerState,
    /// The state entered.
    pub to: BreakerState,
}

/// What a call's result means to the breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
/// The whole state is one `AtomicU64` (state, a 20-bit generation, and the counters
/// or the end of the open period in milliseconds) updated by compare-and-swap.
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
    clock: Arc<dyn Clock>,
    origin: Instant,
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
            clock: Arc::new(SystemClock),
            origin: Instant::now(),
            listener: None,
        }
    }

    /// Sets how many consecutive retryable failures open the breaker (at least 1).
    #[must_use]
    pub fn with_failure_threshold(mut self, failures: u32) -> Self {
        self.failure_threshold = failures.clamp(1, u32::try_from(COUNT_MAX).unwrap_or(u32::MAX));
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

    /// Reads time from `clock` instead of the system clock.
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.origin = clock.now();
        self.clock = Arc::new(clock);
        self
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
            BreakerState::Closed => (word.payload, 0, 0),
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
            .then(|| Duration::from_millis(word.payload.saturating_sub(self.now_millis())))
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
                BreakerState::Closed => return Ok(self.permit(word.generation, false)),
                BreakerState::Open => {
                    let now = self.now_millis();
                    if now < word.payload {
                        return Err(BreakerOpen {
                            retry_in: Some(Duration::from_millis(word.payload - now)),
                        });
                    }
                    Word::half_open(word.next_generation(), 1, 0)
                }
                BreakerState::HalfOpen => {
                    if word.in_flight() >= u64::from(self.half_open_probes) {
                        return Err(BreakerOpen { retry_in: None });
                    }
                    Word::half_open(word.generation, word.in_flight() + 1, word.successes())
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
                    return Ok(self.permit(next.generation, true));
                }
                Err(actual) => current = actual,
            }
        }
    }

    fn permit(&self, generation: u64, probe: bool) -> BreakerPermit<'_> {
        BreakerPermit {
            breaker: self,
            generation,
            probe,
            settled: false,
        }
    }

    fn settle(&self, generation: u64, probe: bool, outcome: Outcome) {
        let mut current = self.word.load(Ordering::Acquire);
        loop {
            let word = Word::unpack(current);
            if word.generation != generation {
                // Issued in an earlier state: its result says nothing about this one.
                return;
            }
            let next = match (word.state, outcome) {
                (BreakerState::Closed, Outcome::Success) if word.payload > 0 => {
                    Word::CLOSED.with_generation(word.generation)
                }
                (BreakerState::Closed, Outcome::Failure) => {
                    let failures = (word.payload + 1).min(COUNT_MAX);
                    if failures >= u64::from(self.failure_threshold) {
                        self.opened(word)
                    } else {
                        Word {
                            payload: failures,
                            ..word
                        }
                    }
                }
                (BreakerState::HalfOpen, _) if probe => {
                    let in_flight = word.in_flight().saturating_sub(1);
                    match outcome {
                        Outcome::Success => {
                            let successes = word.successes() + 1;
                            if successes >= u64::from(self.half_open_probes) {
                                Word::CLOSED.with_generation(word.next_generation())
                            } else {
                                Word::half_open(word.generation, in_flight, successes)
                            }
                        }
                        Outcome::Failure => self.opened(word),
                        Outcome::Ignored => {
                            Word::half_open(word.generation, in_flight, word.successes())
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
        // Round up so the breaker is never open for less than `open_duration`.
        let until = until_nanos.div_ceil(NANOS_PER_MILLI).min(PAYLOAD_MASK);
        Word {
            state: BreakerState::Open,
            generation: word.next_generation(),
            payload: until,
        }
    }

    fn now_nanos(&self) -> u64 {
        saturating_nanos(self.clock.now().saturating_duration_since(self.origin))
    }

    fn now_millis(&self) -> u64 {
        (self.now_nanos() / NANOS_PER_MILLI).min(PAYLOAD_MASK)
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
    generation: u64,
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
        self.breaker.settle(self.generation, self.probe, outcome);
    }
}

impl Drop for BreakerPermit<'_> {
    fn drop(&mut self) {
        if !self.settled && self.probe {
            self.breaker
                .settle(self.generation, self.probe, Outcome::Ignored);
        }
    }
}

const NANOS_PER_MILLI: u64 = 1_000_000;
const STATE_SHIFT: u32 = 62;
const GENERATION_SHIFT: u32 = 42;
const GENERATION_MASK: u64 = (1 << 20) - 1;
const PAYLOAD_MASK: u64 = (1 << GENERATION_SHIFT) - 1;
/// Half-open splits the payload into probes in flight (high) and successes (low).
const HALF_SHIFT: u32 = 21;
const HALF_MAX: u32 = (1 << HALF_SHIFT) - 1;
const COUNT_MAX: u64 = PAYLOAD_MASK;

/// The unpacked state word: `state:2 | generation:20 | payload:42`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Word {
    state: BreakerState,
    generation: u64,
    /// Closed: consecutive failures. Open: end of the period, in milliseconds since the
    /// breaker's origin. Half-open: probes in flight and successes.
    payload: u64,
}

impl Word {
    const CLOSED: Word = Word {
        state: BreakerState::Closed,
        generation: 0,
        payload: 0,
    };

    fn half_open(generation: u64, in_flight: u64, successes: u64) -> Word {
        Word {
            state: BreakerState::HalfOpen,
            generation,
            payload: (in_flight.min(u64::from(HALF_MAX)) << HALF_SHIFT)
                | successes.min(u64::from(HALF_MAX)),
        }
    }

    fn with_generation(self, generation: u64) -> Word {
        Word { generation, ..self }
    }

    fn next_generation(self) -> u64 {
        (self.generation + 1) & GENERATION_MASK
    }

    fn in_flight(self) -> u64 {
        self.payload >> HALF_SHIFT
    }

    fn successes(self) -> u64 {
        self.payload & u64::from(HALF_MAX)
    }

    fn pack(self) -> u64 {
        let state = match self.state {
            BreakerState::Closed => 0,
            BreakerState::Open => 1,
            BreakerState::HalfOpen => 2,
        };
        (state << STATE_SHIFT)
            | ((self.generation & GENERATION_MASK) << GENERATION_SHIFT)
            | (self.payload & PAYLOAD_MASK)
    }

    fn unpack(word: u64) -> Word {
        let state = match word >> STATE_SHIFT {
            1 => BreakerState::Open,
            2 => BreakerState::HalfOpen,
            _ => BreakerState::Closed,
        };
        Word {
            state,
            generation: (word >> GENERATION_SHIFT) & GENERATION_MASK,
            payload: word & PAYLOAD_MASK,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retry::ManualClock;
    use std::sync::Mutex;

    fn breaker(clock: &ManualClock) -> CircuitBreaker {
        CircuitBreaker::new().with_clock(clock.clone())
    }

    #[test]
    fn word_round_trips() {
        for word in [
            Word::CLOSED,
            Word {
                state: BreakerState::Open,
                generation: GENERATION_MASK,
                payload: PAYLOAD_MASK,
            },
            Word::half_open(7, u64::from(HALF_MAX), 3),
        ] {
            assert_eq!(Word::unpack(word.pack()), word);
        }
        assert_eq!(
            Word {
                generation: GENERATION_MASK,
                ..Word::CLOSED
            }
            .next_generation(),
            0,
            "the generation wraps"
        );
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
}
