//! The performance targets' cases, timed: groups `decode/<body>` (`serde_derive`, the
//! baseline; `from_response`; `Decoded`) and `encode/<body>` (`serde_derive`,
//! `apierror` with the per-response context) for `nested`, `problem` and `flat`. See
//! `apierror_benches::targets` for the bodies and the baseline structs.

use std::hint::black_box;
use std::time::Duration;

use apierror_benches::targets::{self, Body, Encoders};
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
    let encoders = Encoders::default();
    for body in Body::ALL {
        let bytes = body.bytes();
        let mut group = c.benchmark_group(format!("decode/{}", body.name()));
        group.bench_function("serde_derive", |b| {
            b.iter(|| targets::decode_serde(body, black_box(&bytes)));
        });
        group.bench_function("from_response", |b| {
            b.iter(|| targets::decode_apierror(body, &headers, black_box(&bytes)));
        });
        group.bench_function("Decoded", |b| {
            b.iter(|| targets::decode_decoded(body, &headers, black_box(&bytes)));
        });
        group.finish();

        let mut buf = Vec::with_capacity(1024);
        let mut group = c.benchmark_group(format!("encode/{}", body.name()));
        group.bench_function("serde_derive", |b| {
            b.iter(|| {
                buf.clear();
                encoders.serde(body, &mut buf);
                black_box(&buf);
            });
        });
        group.bench_function("apierror", |b| {
            b.iter(|| {
                buf.clear();
                encoders.apierror(body, &mut buf);
                black_box(&buf);
            });
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
