//! Fuzz target bodies for `apierror`, as plain functions over raw bytes.
//!
//! Each `fuzz_targets/<name>.rs` is one line calling the function of that name; the
//! stable test `tests/it/fuzz_corpus.rs` includes this file (`#[path]`) and runs the
//! same functions over the seed corpus and deterministic mutations of it. So nothing
//! here may use `libfuzzer-sys` or any dependency the tests crate lacks, and the modules
//! name each other as `super::…`, never `crate::…` (in the test, `crate` is the test).
//!
//! Each function panics when the runtime breaks a promise its documentation makes;
//! checks that a [known bug](known_bugs::KNOWN_BUGS) trips are skipped while it is
//! listed. The byte layout of each input is documented in its module.

// The checks panic by design: that is how a target reports a broken promise.
#![allow(clippy::missing_panics_doc)]

pub mod input;
pub mod json;
pub mod known_bugs;
pub mod oracles;
pub mod subjects;
pub mod target_declared;
pub mod target_decode;
pub mod target_headers;
pub mod target_retry;
pub mod target_roundtrip;

/// Any status, headers and body, decoded into every format's enum and its twin without
/// an `unknown` variant; see [`target_decode`].
pub fn decode(data: &[u8]) {
    target_decode::run(data);
}

/// Any status and body, decoded by enums with declared formats; see
/// [`target_declared`].
pub fn declared(data: &[u8]) {
    target_declared::run(data);
}

/// `Retry-After` and the rate-limit and request-id headers; see [`target_headers`].
pub fn headers(data: &[u8]) {
    target_headers::run(data);
}

/// `RetryPolicy` delays and decisions from any settings; see [`target_retry`].
pub fn retry_delay(data: &[u8]) {
    target_retry::run(data);
}

/// Encode any value of a derived enum, decode it back; see [`target_roundtrip`].
pub fn roundtrip(data: &[u8]) {
    target_roundtrip::run(data);
}
