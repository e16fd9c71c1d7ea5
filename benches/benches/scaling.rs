//! Decode cost against body size: 1k, 8k and 64k members, in the shapes a hostile or
//! broken vendor can send (`apierror_benches::scaling` has them).
//!
//! Groups are `scaling/<shape>`, with `apierror/<n>` (the client path,
//! `E::from_response`) beside `parse_only/<n>` (`serde_json` skipping the same bytes
//! with `IgnoredAny`: the least any decoder must do). Throughput is in members, so a
//! linear decoder shows the same members per second at every size, and the ratio to
//! `parse_only` stays flat. `scaling-count` counts instructions for the same decodes.

use std::hint::black_box;
use std::time::Duration;

use apierror_benches::scaling::{SHAPES, SIZES};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde::de::IgnoredAny;

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

fn scaling(c: &mut Criterion) {
    for shape in &SHAPES {
        let mut group = c.benchmark_group(format!("scaling/{}", shape.name));
        for n in SIZES {
            let body = (shape.body)(n);
            assert!(
                body.len() <= apierror::decode::MAX_DECODED_BODY,
                "{}",
                body.len()
            );
            assert!((shape.decode)(body.as_bytes()) >= 1);
            group.throughput(Throughput::Elements(n as u64));
            group.bench_function(format!("parse_only/{n}"), |b| {
                b.iter(|| serde_json::from_slice::<IgnoredAny>(black_box(body.as_bytes())));
            });
            group.bench_function(format!("apierror/{n}"), |b| {
                b.iter(|| (shape.decode)(black_box(body.as_bytes())));
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = config();
    targets = scaling
}
criterion_main!(benches);
