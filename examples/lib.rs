//! Runnable examples for `apierror`; see the `[[example]]` targets.
//!
//! [`vendors`] declares the five seed vendors' errors once, for the per-vendor examples and
//! the seed tests alike.

pub mod vendors;
