//! Compile-fail and compile-pass cases for `#[derive(ApiError)]`, run by trybuild.
