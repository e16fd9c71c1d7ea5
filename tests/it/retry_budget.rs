//! Retry budget: under a total outage retries add at most the configured fraction of
//! load, the balance is never negative, and both hold under concurrent use.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use apierror::Retry;
use apierror::retry::{
    Classify, Failure, Idempotency, ManualClock, ManualSleep, RetryBudget, RetryDriver,
    RetryPolicy, SplitMix64, StopReason,
};
use proptest::prelude::*;

use crate::support::block_on;

#[derive(Debug)]
struct Unavailable;

impl Classify for Unavailable {
    fn failure(&self) -> Option<Failure> {
        Some(Failure::new(Retry::Backoff))
    }
}

#[test]
fn total_outage_adds_at_most_ten_percent_of_load() {
    let budget = Arc::new(RetryBudget::default());
    let clock = ManualClock::new();
    let driver = RetryDriver::new(
        RetryPolicy::new().with_max_attempts(4),
        ManualSleep::new(clock.clone()),
    )
    .with_clock(clock)
    .with_rng(SplitMix64::new(0))
    .with_budget(Arc::clone(&budget));

    let requests = 1_000;
    let calls = AtomicU64::new(0);
    let mut exhausted = 0;
    for _ in 0..requests {
        let result: Result<(), _> = block_on(driver.run(Idempotency::Idempotent, |_| {
            calls.fetch_add(1, Ordering::Relaxed);
            async { Err(Unavailable) }
        }));
        if result.unwrap_err().reason() == StopReason::BudgetExhausted {
            exhausted += 1;
        }
    }
    let retries = calls.load(Ordering::Relaxed) - requests;
    // The initial allowance (10) plus 10 % of the requests.
    assert!(retries <= 10 + requests / 10, "{retries} retries");
    assert!(
        retries >= requests / 10,
        "the budget is spent, not hoarded: {retries}"
    );
    assert!(
        exhausted > 900,
        "most calls stopped on the budget: {exhausted}"
    );
}

#[test]
fn concurrent_deposits_and_withdrawals_never_overdraw() {
    const THREADS: u64 = 4;
    const REQUESTS: u64 = 25_000;
    let budget = Arc::new(RetryBudget::new(20, 5));
    let withdrawn = Arc::new(AtomicU64::new(0));
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let budget = Arc::clone(&budget);
            let withdrawn = Arc::clone(&withdrawn);
            thread::spawn(move || {
                for _ in 0..REQUESTS {
                    budget.deposit();
                    // Every request tries three retries, as in a total outage.
                    for _ in 0..3 {
                        if budget.try_withdraw() {
                            withdrawn.fetch_add(1, Ordering::Relaxed);
                        }
                        assert!(budget.balance_hundredths() <= 500);
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let withdrawn = withdrawn.load(Ordering::Relaxed);
    let requests = THREADS * REQUESTS;
    assert!(withdrawn <= 5 + requests * 20 / 100, "{withdrawn}");
    // A deposit is lost only to the cap, which can happen only before the first
    // withdrawal (one deposit per thread at most): otherwise the accounting balances.
    let expected = 500 + requests * 20 - withdrawn * 100;
    let balance = budget.balance_hundredths();
    assert!(
        balance <= expected && expected - balance <= THREADS * 20,
        "{balance} vs {expected}"
    );
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Deposit,
    Withdraw,
}

proptest! {
    #[test]
    fn balance_is_never_negative_and_retries_stay_within_the_fraction(
        percent in 0u32..=200,
        capacity in 0u32..50,
        ops in proptest::collection::vec(
            prop_oneof![Just(Op::Deposit), Just(Op::Withdraw)],
            0..500,
        ),
    ) {
        let budget = RetryBudget::new(percent, capacity);
        let cap = u64::from(capacity.max(1)) * 100;
        let mut model = cap;
        let (mut deposits, mut retries) = (0u64, 0u64);
        for op in ops {
            match op {
                Op::Deposit => {
                    budget.deposit();
                    deposits += 1;
                    model = (model + u64::from(percent)).min(cap);
                }
                Op::Withdraw => {
                    let granted = budget.try_withdraw();
                    prop_assert_eq!(granted, model >= 100);
                    if granted {
                        retries += 1;
                        model -= 100;
                    }
                }
            }
            prop_assert_eq!(budget.balance_hundredths(), model);
        }
        prop_assert!(retries * 100 <= cap + deposits * u64::from(percent));
    }
}
