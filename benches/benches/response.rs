//! The whole server and client paths, in the `nested` format: `to_response` against a
//! hand-written `http::Response` built from `#[derive(Serialize)]` structs, and
//! `from_response` against a hand-written decoder into the same enum (`#[derive(Deserialize)]`
//! structs and a `match` on the code), for a known variant with details, a known variant
//! without, an unknown code (the fallback variant) and an HTML body from a proxy.
//!
//! `apierror_decoded` is `Decoded::<E>::from_response`, which also reads the response's
//! metadata (`Retry-After`, rate-limit headers, request id, the start of the body).

use std::hint::black_box;
use std::time::Duration;

use apierror::{ApiError, Decoded};
use apierror_benches::baseline::{self, Parts};
use apierror_benches::fixtures::{
    HTML_BODY, NestedError, RATE_LIMITED_BODY, STATUS, Sample, UNKNOWN_CODE_BODY, field_errors,
};
use criterion::{Criterion, criterion_group, criterion_main};
use http::{HeaderMap, HeaderValue, StatusCode, header};

/// Short runs: the machine is shared.
fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

fn to_response(c: &mut Criterion) {
    let fields = field_errors();
    let cases = [
        (
            "validation",
            NestedError::validation(fields.clone()),
            Parts::validation(&fields),
        ),
        (
            "static_message",
            NestedError::invalid_request(),
            Parts::invalid_request(),
        ),
    ];
    for (name, error, parts) in &cases {
        let mut group = c.benchmark_group(format!("to_response/{name}"));
        group.bench_function("serde_derive", |b| {
            b.iter(|| baseline::nested_response(black_box(parts)));
        });
        group.bench_function("apierror", |b| {
            b.iter(|| black_box(error).to_response());
        });
        group.finish();
    }
}

/// Headers a real error response carries; none of them is `Retry-After`.
fn response_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("160"));
    headers.insert(
        header::DATE,
        HeaderValue::from_static("Wed, 01 May 2024 12:00:00 GMT"),
    );
    headers.insert(header::SERVER, HeaderValue::from_static("nginx"));
    headers
}

fn from_response(c: &mut Criterion) {
    let headers = response_headers();
    let cases: [(&str, StatusCode, Vec<u8>); 4] = [
        ("known_details", STATUS, NestedError::validation_body()),
        (
            "known_unit",
            StatusCode::TOO_MANY_REQUESTS,
            RATE_LIMITED_BODY.to_vec(),
        ),
        (
            "unknown_code",
            StatusCode::FORBIDDEN,
            UNKNOWN_CODE_BODY.to_vec(),
        ),
        ("html_body", StatusCode::BAD_GATEWAY, HTML_BODY.to_vec()),
    ];
    for (name, status, body) in &cases {
        let status = *status;
        let mut group = c.benchmark_group(format!("from_response/{name}"));
        group.bench_function("serde_derive", |b| {
            b.iter(|| baseline::nested_from_response(status, black_box(body)));
        });
        group.bench_function("apierror", |b| {
            b.iter(|| NestedError::from_response(status, &headers, black_box(body)).unwrap());
        });
        group.bench_function("apierror_decoded", |b| {
            b.iter(|| {
                Decoded::<NestedError>::from_response(status, &headers, black_box(body)).unwrap()
            });
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = config();
    targets = to_response, from_response
}
criterion_main!(benches);
