//! Benchmarks for `apierror`: what the crate costs its users, measured side by side with
//! what they would otherwise write, in one run. `BENCHMARKS.md` at the repository root
//! holds the numbers and the commands that reproduce them.
//!
//! The library holds what the bench targets share:
//!
//! | module | job |
//! |---|---|
//! | [`client`] | the client's path: `from_response` against hand-written serde, for the target bodies and four vendors |
//! | [`fixtures`] | one error enum per wire format, declared as a user would, and the realistic validation error they carry |
//! | [`baseline`] | the same bodies written by hand: `#[derive(Serialize, Deserialize)]` structs and `json!` |
//! | [`peers`] | the same error built with `http-api-problem`, `problem_details` and `error-envelope` |
//! | [`scaling`] | bodies of 1k to 64k members in hostile shapes, and their decoders |
//!
//! The bench targets (`benches/`):
//!
//! | target | measures |
//! |---|---|
//! | `formats` | encode and decode of each format against the baselines and the peers |
//! | `response` | `to_response` and `from_response`: known variant, unknown code, HTML body |
//! | `retry` | circuit-breaker admission and retry-budget withdrawal, one thread and two |
//! | `alloc` | allocations per operation, under a counting global allocator |
//! | `scaling` | decode time against body size, 1k to 64k members |
//! | `targets` | the hand-written-serde targets: encode and decode of three bodies |
//! | `client` | `from_response` and `Decoded` against hand-written serde, per [`client::Case`] |
//!
//! `compile/run.sh` measures compile cost; `cargo run -p apierror-benches --bin
//! bench-report` turns criterion's results into the tables of `BENCHMARKS.md`, and the
//! `scaling-count` binary decodes one scaling body for an instruction count.

pub mod baseline;
pub mod client;
pub mod fixtures;
pub mod peers;
pub mod scaling;
pub mod targets;
