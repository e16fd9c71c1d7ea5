//! The retry machinery's per-call cost: circuit-breaker admission and retry-budget
//! withdrawal, on one thread and with two threads calling the same breaker or budget.
//!
//! Each group is one operation; `1_thread` is the baseline, `2_threads` is the wall time
//! per call when two threads each make the same number of calls at once (so equal times
//! mean no contention cost).

use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use apierror::retry::{CircuitBreaker, Outcome, RetryBudget};
use criterion::{Criterion, criterion_group, criterion_main};

/// Short runs: the machine is shared.
fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

/// Wall time for two threads to call `op` `iters` times each on `shared`, per call.
fn two_threads<T: Sync>(shared: &T, iters: u64, op: impl Fn(&T) + Sync) -> Duration {
    let barrier = Barrier::new(2);
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            barrier.wait();
            for _ in 0..iters {
                op(shared);
            }
        });
        barrier.wait();
        let start = Instant::now();
        for _ in 0..iters {
            op(shared);
        }
        worker.join().expect("the worker does not panic");
        start.elapsed()
    })
}

/// Benchmarks `op` on `shared` from one thread and from two.
fn one_and_two<T: Sync>(c: &mut Criterion, name: &str, shared: &T, op: impl Fn(&T) + Sync) {
    let mut group = c.benchmark_group(name);
    group.bench_function("1_thread", |b| b.iter(|| op(black_box(shared))));
    group.bench_function("2_threads", |b| {
        b.iter_custom(|iters| two_threads(shared, iters, |shared| op(black_box(shared))));
    });
    group.finish();
}

fn breaker(c: &mut Criterion) {
    let closed = CircuitBreaker::new();
    one_and_two(c, "breaker/admit_closed", &closed, |breaker| {
        breaker
            .try_acquire()
            .expect("a closed breaker admits")
            .settle(Outcome::Success);
    });

    // Every settle writes the state word: alternate failures and successes, with a
    // threshold the run never reaches.
    let counting = CircuitBreaker::new().with_failure_threshold(u32::MAX);
    one_and_two(c, "breaker/settle_failure_success", &counting, |breaker| {
        breaker
            .try_acquire()
            .expect("the threshold is never reached")
            .settle(Outcome::Failure);
        breaker
            .try_acquire()
            .expect("the threshold is never reached")
            .settle(Outcome::Success);
    });

    let open = CircuitBreaker::new()
        .with_failure_threshold(1)
        .with_open_duration(Duration::from_secs(3600));
    open.try_acquire()
        .expect("closed at first")
        .settle(Outcome::Failure);
    one_and_two(c, "breaker/reject_open", &open, |breaker| {
        assert!(breaker.try_acquire().is_err());
    });
}

fn budget(c: &mut Criterion) {
    // A request deposits a whole retry, its retry withdraws it: the balance stays put.
    let steady = RetryBudget::new(100, 10);
    one_and_two(c, "budget/deposit_withdraw", &steady, |budget| {
        budget.deposit();
        black_box(budget.try_withdraw());
    });

    let empty = RetryBudget::new(0, 1);
    while empty.try_withdraw() {}
    one_and_two(c, "budget/withdraw_refused", &empty, |budget| {
        assert!(!budget.try_withdraw());
    });
}

criterion_group! {
    name = benches;
    config = config();
    targets = breaker, budget
}
criterion_main!(benches);
