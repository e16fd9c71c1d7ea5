//! Allocations per operation, counted by a global allocator that wraps the system's.
//!
//! Every operation of the `formats` and `response` benches runs once to warm up, then
//! `RUNS` times while the allocator counts; the table gives calls to `alloc` (and
//! `alloc_zeroed`), calls to `realloc` and bytes requested, per operation. It ends by
//! checking the target: encoding a variant with a static message into a reused buffer
//! allocates nothing, in every format (the process exits with an error if not).
//!
//! Run it with `cargo bench -p apierror-benches --bench alloc`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

use apierror::{ApiError, Context, Decoded};
use apierror_benches::baseline::{self, HandWritten, Parts};
use apierror_benches::fixtures::{
    FieldsError, FlatError, HTML_BODY, NestedError, PlainError, ProblemError, RATE_LIMITED_BODY,
    ReasonError, STATUS, Sample, UNKNOWN_CODE_BODY, field_errors,
};
use apierror_benches::peers::{self, EnvelopeError, ProblemExtensions};
use http::{HeaderMap, StatusCode};

/// How many times each operation runs while counted.
const RUNS: u64 = 1000;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static REALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

/// The system allocator, counting calls and requested bytes.
struct Counting;

#[allow(unsafe_code)]
// SAFETY: every method forwards to `System` with the caller's arguments unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: forwarded from our caller, who upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` through this allocator, with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        REALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        // SAFETY: `ptr` came from `System` through this allocator, with this layout.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocator activity per operation.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Counts {
    allocs: f64,
    reallocs: f64,
    bytes: f64,
}

fn snapshot() -> [u64; 3] {
    [
        ALLOCS.load(Ordering::Relaxed),
        REALLOCS.load(Ordering::Relaxed),
        BYTES.load(Ordering::Relaxed),
    ]
}

/// Runs `op` once to warm up, then counts `RUNS` runs.
fn count<T>(mut op: impl FnMut() -> T) -> Counts {
    drop(black_box(op()));
    let before = snapshot();
    for _ in 0..RUNS {
        drop(black_box(op()));
    }
    let after = snapshot();
    #[allow(clippy::cast_precision_loss)]
    let per_op = |i: usize| (after[i] - before[i]) as f64 / RUNS as f64;
    Counts {
        allocs: per_op(0),
        reallocs: per_op(1),
        bytes: per_op(2),
    }
}

/// The rows of the table, and the static-encode rows the target is about.
#[derive(Default)]
struct Table {
    rows: Vec<(String, String, Counts)>,
    static_encodes: Vec<(String, Counts)>,
}

impl Table {
    fn row<T>(&mut self, operation: &str, implementation: &str, op: impl FnMut() -> T) -> Counts {
        let counts = count(op);
        self.rows
            .push((operation.to_owned(), implementation.to_owned(), counts));
        counts
    }

    fn print(&self) {
        println!("| operation | implementation | allocs/op | reallocs/op | bytes/op |");
        println!("|---|---|---:|---:|---:|");
        for (operation, implementation, counts) in &self.rows {
            println!(
                "| {operation} | {implementation} | {} | {} | {} |",
                number(counts.allocs),
                number(counts.reallocs),
                number(counts.bytes)
            );
        }
    }
}

/// A count as an integer when it is one (they nearly always are).
fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

/// Encoding and decoding format `E` (hand-written twin `H`), as in the `formats` bench.
fn format<E: Sample, H: HandWritten>(table: &mut Table) {
    let fields = field_errors();
    let error = E::validation(fields.clone());
    let parts = Parts::validation(&fields);
    let mut buf = Vec::with_capacity(1024);
    let format = E::FORMAT;

    let static_error = E::invalid_request();
    let static_parts = Parts::invalid_request();
    let operation = format!("encode_static/{format}");
    let counts = table.row(&operation, "apierror", || {
        buf.clear();
        static_error.write_body(&mut buf, &Context::EMPTY).unwrap();
    });
    table.static_encodes.push((format.to_owned(), counts));
    table.row(&operation, "serde_derive", || {
        buf.clear();
        H::encode(&mut buf, &static_parts).unwrap();
    });

    let operation = format!("encode/{format}");
    table.row(&operation, "apierror", || {
        buf.clear();
        error.write_body(&mut buf, &Context::EMPTY).unwrap();
    });
    table.row(&operation, "serde_derive", || {
        buf.clear();
        H::encode(&mut buf, &parts).unwrap();
    });
    table.row(&operation, "json_macro", || {
        buf.clear();
        H::encode_json(&mut buf, &parts).unwrap();
    });
    table.row(&operation, "apierror to_body (new Vec)", || error.to_body());
    if format == "problem" {
        let problem = peers::http_api_problem(&fields);
        table.row(&operation, "http-api-problem", || {
            buf.clear();
            serde_json::to_writer(&mut buf, &problem).unwrap();
        });
        let details = peers::problem_details(&fields);
        table.row(&operation, "problem_details", || {
            buf.clear();
            serde_json::to_writer(&mut buf, &details).unwrap();
        });
    }

    let body = E::validation_body();
    let headers = HeaderMap::new();
    let operation = format!("decode/{format}");
    table.row(&operation, "apierror", || {
        E::from_response(STATUS, &headers, &body).unwrap()
    });
    table.row(&operation, "serde_derive", || H::decode(&body).unwrap());
    table.row(&operation, "json_value", || H::decode_json(&body).unwrap());
    if format == "problem" {
        table.row(&operation, "http-api-problem", || {
            serde_json::from_slice::<http_api_problem::HttpApiProblem>(&body).unwrap()
        });
        table.row(&operation, "problem_details", || {
            serde_json::from_slice::<problem_details::ProblemDetails<ProblemExtensions>>(&body)
                .unwrap()
        });
    }
}

fn error_envelope_shape(table: &mut Table) {
    let fields = field_errors();
    let parts = Parts {
        code: "UNPROCESSABLE_ENTITY",
        ..Parts::validation(&fields)
    };
    let ours = EnvelopeError::UnprocessableEntity {
        fields: fields.clone(),
    };
    let theirs = peers::error_envelope(&fields);
    let mut buf = Vec::with_capacity(1024);
    let operation = "encode/error-envelope-shape";
    table.row(operation, "apierror", || {
        buf.clear();
        ours.write_body(&mut buf, &Context::EMPTY).unwrap();
    });
    table.row(operation, "serde_derive", || {
        buf.clear();
        baseline::encode_envelope_shape(&mut buf, &parts).unwrap();
    });
    table.row(operation, "error-envelope", || {
        buf.clear();
        serde_json::to_writer(&mut buf, &theirs).unwrap();
    });
}

fn responses(table: &mut Table) {
    let fields = field_errors();
    let validation = NestedError::validation(fields.clone());
    table.row("to_response/validation", "apierror", || {
        validation.to_response()
    });
    table.row("to_response/validation", "serde_derive", || {
        baseline::nested_response(&Parts::validation(&fields))
    });
    let invalid = NestedError::invalid_request();
    table.row("to_response/static_message", "apierror", || {
        invalid.to_response()
    });
    table.row("to_response/static_message", "serde_derive", || {
        baseline::nested_response(&Parts::invalid_request())
    });

    let headers = HeaderMap::new();
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
        let operation = format!("from_response/{name}");
        table.row(&operation, "apierror", || {
            NestedError::from_response(*status, &headers, body).unwrap()
        });
        table.row(&operation, "apierror_decoded", || {
            Decoded::<NestedError>::from_response(*status, &headers, body).unwrap()
        });
        table.row(&operation, "serde_derive", || {
            baseline::nested_from_response(*status, body)
        });
    }
}

fn main() {
    let mut table = Table::default();
    format::<PlainError, baseline::Plain>(&mut table);
    format::<NestedError, baseline::Nested>(&mut table);
    format::<FieldsError, baseline::Fields>(&mut table);
    format::<ReasonError, baseline::Reason>(&mut table);
    format::<FlatError, baseline::Flat>(&mut table);
    format::<ProblemError, baseline::Problem>(&mut table);
    error_envelope_shape(&mut table);
    responses(&mut table);
    table.print();

    let allocating: Vec<_> = table
        .static_encodes
        .iter()
        .filter(|(_, counts)| counts.allocs + counts.reallocs > 0.0)
        .collect();
    println!();
    if allocating.is_empty() {
        println!(
            "target met: encoding a static-message variant into a reused buffer allocates nothing (6 formats)"
        );
    } else {
        for (format, counts) in &allocating {
            println!("target missed: encode_static/{format} allocates: {counts:?}");
        }
        std::process::exit(1);
    }
}
