//! Runnable examples for `apierror`; see the `[[example]]` targets.
