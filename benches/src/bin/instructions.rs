//! Runs one target case `N` times, for an instruction count under callgrind:
//!
//! ```text
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/instructions decode/nested/apierror 10000
//! ```
//!
//! Cases: `encode/<body>/{serde,apierror}` and `decode/<body>/{serde,apierror,decoded}`
//! for `<body>` in `nested`, `problem`, `flat`; and `client/<case>/{serde,owned,kept,apierror,decoded}`
//! for each `apierror_benches::client::Case` (`nested`, `problem`, `flat`, `stripe`,
//! `github`, `slack`, `google`). `benches/instructions.sh` runs each at two
//! counts and reports the instructions per call (the difference over the extra calls, so
//! that start-up cancels) and the ratios against `serde`.

use std::hint::black_box;

use apierror_benches::client::Case;
use apierror_benches::targets::{self, Body, Encoders};
use http::HeaderMap;

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().expect("a case, such as decode/nested/apierror");
    let count: u64 = args.next().map_or(10_000, |n| n.parse().expect("a count"));
    let mut parts = case.split('/');
    let (Some(op), Some(body), Some(side)) = (parts.next(), parts.next(), parts.next()) else {
        panic!("a case is <op>/<body>/<side>: {case}");
    };
    if op == "client" {
        client(body, side, count);
        return;
    }
    let body = Body::ALL
        .into_iter()
        .find(|b| b.name() == body)
        .unwrap_or_else(|| panic!("no body {body}"));
    let bytes = body.bytes();
    let headers = HeaderMap::new();
    let encoders = Encoders::default();
    let mut buf = Vec::with_capacity(1024);
    let mut seen = 0u64;
    for _ in 0..count {
        match (op, side) {
            ("encode", "serde") => {
                buf.clear();
                encoders.serde(body, &mut buf);
                seen += buf.len() as u64;
            }
            ("encode", "apierror") => {
                buf.clear();
                encoders.apierror(body, &mut buf);
                seen += buf.len() as u64;
            }
            ("decode", "serde") => {
                seen += u64::from(targets::decode_serde(body, black_box(&bytes)));
            }
            ("decode", "apierror") => {
                seen += u64::from(targets::decode_apierror(body, &headers, black_box(&bytes)));
            }
            ("decode", "decoded") => {
                seen += u64::from(targets::decode_decoded(body, &headers, black_box(&bytes)));
            }
            _ => panic!("no case {case}"),
        }
    }
    black_box(seen);
}

/// Runs one client case `count` times.
fn client(name: &str, side: &str, count: u64) {
    let case = Case::ALL
        .into_iter()
        .find(|c| c.name() == name)
        .unwrap_or_else(|| panic!("no client case {name}"));
    let headers = HeaderMap::new();
    let body = case.body();
    let mut seen = 0u64;
    for _ in 0..count {
        seen += u64::from(match side {
            "serde" => case.serde(black_box(body)),
            "owned" => case.serde_owned(black_box(body)).unwrap_or_default(),
            "kept" => case.serde_kept(black_box(body)).unwrap_or_default(),
            "apierror" => case.apierror(&headers, black_box(body)),
            "decoded" => case.decoded(&headers, black_box(body)),
            _ => panic!("no side {side}"),
        });
    }
    black_box(seen);
}
