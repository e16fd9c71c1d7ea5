//! Runnable examples for `apierror`; see the `[[example]]` targets.
//!
//! [`vendors`] declares the five seed vendors' errors once, for the per-vendor examples and
//! the seed tests alike. [`oauth2`] builds a seventh wire format from public items, for
//! the `custom_format` example. [`widgets`] is the service of the `server` example.

pub mod oauth2;
pub mod vendors;
pub mod widgets;
