//! The retry budget: a token bucket shared by all calls that caps retries at a fraction
//! of the requests made.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

/// Balance units per retry: a deposit of `retry_percent` units per request buys
/// `retry_percent / 100` of a retry.
const UNITS_PER_RETRY: u64 = 100;

/// A token bucket that bounds how much extra load retries add, shared across calls
/// (put it in an `Arc`). Lock-free: one `AtomicU64` updated by compare-and-swap.
///
/// Every request (first attempt) deposits `retry_percent` % of a retry; every retry
/// withdraws a whole one and is refused when the balance cannot pay for it. The bucket
/// starts full at `capacity` retries and never holds more, so over any run of `n`
/// requests at most `capacity + n × retry_percent / 100` retries are made: under a total
/// outage retries add at most `retry_percent` % of extra load (plus the initial
/// allowance). The balance is unsigned and withdrawals are checked: it is never
/// negative.
///
/// Defaults: 10 %, capacity 10 retries. Modelled on Finagle's and tower's retry budgets,
/// without their time windows (the capacity bounds bursts instead).
///
/// ```
/// use apierror::retry::RetryBudget;
///
/// let budget = RetryBudget::new(10, 1);
/// assert!(budget.try_withdraw(), "the initial allowance");
/// assert!(!budget.try_withdraw());
/// for _ in 0..10 {
///     budget.deposit();
/// }
/// assert!(budget.try_withdraw(), "ten requests earn one retry");
/// assert!(!budget.try_withdraw());
/// ```
pub struct RetryBudget {
    /// In units of 1/100 retry.
    balance: AtomicU64,
    deposit: u64,
    capacity: u64,
}

impl RetryBudget {
    /// A full budget allowing `retry_percent` % extra load from retries, holding at most
    /// `capacity` retries (at least 1: a bucket that cannot hold one retry could never
    /// pay for any).
    pub fn new(retry_percent: u32, capacity: u32) -> Self {
        let capacity = u64::from(capacity.max(1)) * UNITS_PER_RETRY;
        RetryBudget {
            balance: AtomicU64::new(capacity),
            deposit: u64::from(retry_percent),
            capacity,
        }
    }

    /// Records a request (a first attempt, not a retry): adds `retry_percent` % of a
    /// retry, up to the capacity.
    pub fn deposit(&self) {
        let _ = self
            .balance
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |balance| {
                Some(balance.saturating_add(self.deposit).min(self.capacity))
            });
    }

    /// Takes one retry from the budget; `false` (and nothing taken) when the balance is
    /// short.
    pub fn try_withdraw(&self) -> bool {
        self.balance
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |balance| {
                balance.checked_sub(UNITS_PER_RETRY)
            })
            .is_ok()
    }

    /// Whole retries available now.
    pub fn available(&self) -> u64 {
        self.balance.load(Ordering::Acquire) / UNITS_PER_RETRY
    }

    /// The balance in hundredths of a retry (for tests and metrics).
    pub fn balance_hundredths(&self) -> u64 {
        self.balance.load(Ordering::Acquire)
    }

    /// The most retries the budget holds.
    pub fn capacity(&self) -> u64 {
        self.capacity / UNITS_PER_RETRY
    }

    /// The percentage of extra load retries may add.
    pub fn retry_percent(&self) -> u64 {
        self.deposit
    }
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget::new(10, 10)
    }
}

impl fmt::Debug for RetryBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryBudget")
            .field("balance_hundredths", &self.balance_hundredths())
            .field("retry_percent", &self.deposit)
            .field("capacity", &self.capacity())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_outage_adds_at_most_ten_percent() {
        let budget = RetryBudget::new(10, 1);
        let mut retries = 0;
        for _ in 0..1000 {
            budget.deposit();
            while budget.try_withdraw() {
                retries += 1;
            }
        }
        // The initial retry, then one per ten requests (the first request's deposit
        // overflowed the full bucket).
        assert_eq!(retries, 1 + 99);
    }

    #[test]
    fn capacity_caps_savings() {
        let budget = RetryBudget::new(100, 3);
        for _ in 0..100 {
            budget.deposit();
        }
        assert_eq!(budget.available(), 3);
        let huge = RetryBudget::new(u32::MAX, u32::MAX);
        huge.deposit();
        assert_eq!(huge.capacity(), u64::from(u32::MAX));
    }
}
