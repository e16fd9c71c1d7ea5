//! The client's path timed: group `client/<case>` with `serde_derive` (the hand-written
//! baseline: borrowed structs and a `match`), `from_response` and `Decoded`, for each
//! [`Case`](apierror_benches::client::Case).

use std::hint::black_box;
use std::time::Duration;

use apierror_benches::client::Case;
use criterion::{Criterion, criterion_group, criterion_main};
use http::HeaderMap;

/// Short runs: the machine is shared.
fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

fn bench(c: &mut Criterion) {
    let headers = HeaderMap::new();
    for case in Case::ALL {
        let body = case.body();
        let mut group = c.benchmark_group(format!("client/{}", case.name()));
        group.bench_function("serde_derive", |b| {
            b.iter(|| case.serde(black_box(body)));
        });
        group.bench_function("from_response", |b| {
            b.iter(|| case.apierror(&headers, black_box(body)));
        });
        group.bench_function("Decoded", |b| {
            b.iter(|| case.decoded(&headers, black_box(body)));
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench
}
criterion_main!(benches);
