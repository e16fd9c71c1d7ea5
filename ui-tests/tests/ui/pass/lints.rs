//! Generated code is clean under strict rustc lints (clippy's are checked by
//! `tests/it/derive_lints.rs`, which CI runs through clippy).
#![deny(unused_qualifications, unused, missing_debug_implementations, rust_2018_idioms)]

use apierror::{ApiError, FieldErrors, Unknown};

/// Errors.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "problem")]
pub enum Error {
    /// Bad.
    #[error("bad")]
    #[status(400)]
    Bad,
    /// Invalid.
    #[error("invalid")]
    #[status(422)]
    #[api_error(message = "field {field} is invalid")]
    Invalid {
        /// Field.
        field: String,
        /// Details.
        #[api_error(details)]
        details: FieldErrors,
    },
    /// Other.
    #[error("{0}")]
    #[api_error(unknown)]
    Other(Unknown),
}

fn main() {
    let _ = Error::Bad.to_body();
}
