//! Encoding and decoding each wire format: `apierror` against hand-written
//! `#[derive(Serialize, Deserialize)]` structs (the baseline, same bytes), a
//! `serde_json::Value` built with `json!`, and the peer crates where they write the shape.
//!
//! Groups are `encode/<format>`, `encode_static/<format>` (a variant with a static message
//! and no details) and `decode/<format>`; in each, `serde_derive` is the baseline.
//! Encoding writes into a reused buffer; decoding reads the body `apierror` wrote.

use std::hint::black_box;
use std::time::Duration;

use apierror::{ApiError, Context};
use apierror_benches::baseline::{self, HandWritten, Parts};
use apierror_benches::fixtures::{
    FieldsError, FlatError, NestedError, PlainError, ProblemError, ReasonError, STATUS, Sample,
    field_errors,
};
use apierror_benches::peers::{self, EnvelopeError, ProblemExtensions};
use criterion::{
    BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime,
};
use http::HeaderMap;

/// Short runs: the machine is shared. `--warm-up-time` and `--measurement-time` on the
/// command line override these.
fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

/// Benchmarks `write` into a cleared, reused buffer.
fn encode_into(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    mut write: impl FnMut(&mut Vec<u8>),
) {
    let mut buf = Vec::with_capacity(1024);
    group.bench_function(name, |b| {
        b.iter(|| {
            buf.clear();
            write(&mut buf);
            black_box(&buf);
        });
    });
}

/// The three ways to write and read format `E` (whose hand-written twin is `H`).
fn format<E: Sample, H: HandWritten>(c: &mut Criterion) {
    let fields = field_errors();
    let error = E::validation(fields.clone());
    let parts = Parts::validation(&fields);

    let mut group = c.benchmark_group(format!("encode/{}", E::FORMAT));
    encode_into(&mut group, "serde_derive", |buf| {
        H::encode(buf, black_box(&parts)).unwrap();
    });
    encode_into(&mut group, "apierror", |buf| {
        black_box(&error).write_body(buf, &Context::EMPTY).unwrap();
    });
    encode_into(&mut group, "json_macro", |buf| {
        H::encode_json(buf, black_box(&parts)).unwrap();
    });
    if E::FORMAT == "problem" {
        let problem = peers::http_api_problem(&fields);
        encode_into(&mut group, "http-api-problem", |buf| {
            serde_json::to_writer(buf, black_box(&problem)).unwrap();
        });
        let details = peers::problem_details(&fields);
        encode_into(&mut group, "problem_details", |buf| {
            serde_json::to_writer(buf, black_box(&details)).unwrap();
        });
    }
    group.finish();

    let static_error = E::invalid_request();
    let static_parts = Parts::invalid_request();
    let mut group = c.benchmark_group(format!("encode_static/{}", E::FORMAT));
    encode_into(&mut group, "serde_derive", |buf| {
        H::encode(buf, black_box(&static_parts)).unwrap();
    });
    encode_into(&mut group, "apierror", |buf| {
        black_box(&static_error)
            .write_body(buf, &Context::EMPTY)
            .unwrap();
    });
    group.finish();

    let body = E::validation_body();
    let headers = HeaderMap::new();
    let mut group = c.benchmark_group(format!("decode/{}", E::FORMAT));
    group.bench_function("serde_derive", |b| {
        b.iter(|| H::decode(black_box(&body)).unwrap());
    });
    group.bench_function("apierror", |b| {
        b.iter(|| E::from_response(STATUS, &headers, black_box(&body)).unwrap());
    });
    group.bench_function("json_value", |b| {
        b.iter(|| H::decode_json(black_box(&body)).unwrap());
    });
    if E::FORMAT == "problem" {
        group.bench_function("http-api-problem", |b| {
            b.iter(|| {
                serde_json::from_slice::<http_api_problem::HttpApiProblem>(black_box(&body))
                    .unwrap()
            });
        });
        group.bench_function("problem_details", |b| {
            b.iter(|| {
                serde_json::from_slice::<problem_details::ProblemDetails<ProblemExtensions>>(
                    black_box(&body),
                )
                .unwrap()
            });
        });
    }
    group.finish();
}

/// `error-envelope`'s shape, written by that crate and by `apierror` through a custom
/// `Format` (same bytes). `error-envelope` has no decoder.
fn error_envelope_shape(c: &mut Criterion) {
    let fields = field_errors();
    let parts = Parts {
        code: "UNPROCESSABLE_ENTITY",
        ..Parts::validation(&fields)
    };
    let ours = EnvelopeError::UnprocessableEntity {
        fields: fields.clone(),
    };
    let theirs = peers::error_envelope(&fields);

    let mut group = c.benchmark_group("encode/error-envelope-shape");
    encode_into(&mut group, "serde_derive", |buf| {
        baseline::encode_envelope_shape(buf, black_box(&parts)).unwrap();
    });
    encode_into(&mut group, "apierror", |buf| {
        black_box(&ours).write_body(buf, &Context::EMPTY).unwrap();
    });
    encode_into(&mut group, "error-envelope", |buf| {
        serde_json::to_writer(buf, black_box(&theirs)).unwrap();
    });
    group.finish();
}

fn formats(c: &mut Criterion) {
    format::<PlainError, baseline::Plain>(c);
    format::<NestedError, baseline::Nested>(c);
    format::<FieldsError, baseline::Fields>(c);
    format::<ReasonError, baseline::Reason>(c);
    format::<FlatError, baseline::Flat>(c);
    format::<ProblemError, baseline::Problem>(c);
    error_envelope_shape(c);
}

criterion_group! {
    name = benches;
    config = config();
    targets = formats
}
criterion_main!(benches);
