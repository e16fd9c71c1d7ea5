//! How a derived enum's family is registered to be classified behind `dyn Error`: the
//! enum, its [`Decoded`] and its [`ClientError`]s. Above the retry machinery, which
//! keeps the registry, and beside the client types it downcasts to.

#[cfg(any(feature = "reqwest", feature = "ureq"))]
use super::ClientError;
use crate::api_error::ApiError;
use crate::decoded::Decoded;
use crate::hint::failure::Failure;
use crate::hint::retry_after::RetryAfter;
use crate::retry::classify::Classifier;
use crate::retry::{Classify, Summary};

/// Not a public API: how a derived enum's decoder registers its family once (through a
/// `Once`), when the enum is an `Error` (`(&RegisterProbe::<E>::new()).register()`, with
/// both traits in scope, registers an `Error` and does nothing for another type).
#[doc(hidden)]
pub mod register_probe {
    use std::marker::PhantomData;

    use crate::api_error::ApiError;

    /// The enum whose family is registered.
    pub struct RegisterProbe<E>(PhantomData<fn() -> E>);

    impl<E> RegisterProbe<E> {
        /// The probe.
        #[allow(clippy::new_without_default)]
        pub const fn new() -> Self {
            RegisterProbe(PhantomData)
        }
    }

    /// Chosen for an enum that is an `Error`.
    pub trait ViaError {
        /// Registers the enum's family.
        fn register(&self);
    }

    impl<E: ApiError + std::error::Error + 'static> ViaError for RegisterProbe<E> {
        fn register(&self) {
            super::register::<E>();
        }
    }

    /// Chosen otherwise: nothing to register, since no `dyn Error` holds one.
    pub trait ViaNone {
        /// Does nothing.
        fn register(&self) {}
    }

    impl<E> ViaNone for &RegisterProbe<E> {}
}

/// Registers `E`, `Decoded<E>` and `ClientError<E>` to be classified behind `dyn Error`.
fn register<E>()
where
    E: ApiError + std::error::Error + 'static,
{
    crate::retry::classify::register(Classifier {
        failure: failure_of::<E>,
        summary: summary_of::<E>,
    });
}

fn failure_of<E>(error: &(dyn std::error::Error + 'static)) -> Option<Failure>
where
    E: ApiError + std::error::Error + 'static,
{
    if let Some(decoded) = error.downcast_ref::<Decoded<E>>() {
        return decoded.failure();
    }
    if let Some(error) = error.downcast_ref::<E>() {
        let hint = error.retry_after().map(RetryAfter::Delay);
        return Some(Failure::new(error.retry()).with_retry_after(hint));
    }
    #[cfg(feature = "reqwest")]
    if let Some(error) = error.downcast_ref::<ClientError<E, ::reqwest::Error>>() {
        return error.failure();
    }
    #[cfg(feature = "ureq")]
    if let Some(error) = error.downcast_ref::<ClientError<E, ::ureq::Error>>() {
        return error.failure();
    }
    None
}

fn summary_of<'a, E>(error: &'a (dyn std::error::Error + 'static)) -> Option<Summary<'a>>
where
    E: ApiError + std::error::Error + 'static,
{
    if let Some(decoded) = error.downcast_ref::<Decoded<E>>() {
        return Some(decoded.summary());
    }
    if let Some(error) = error.downcast_ref::<E>() {
        return Some(Summary::new(Some(error.status()), Some(error.code()), None));
    }
    #[cfg(feature = "reqwest")]
    if let Some(error) = error.downcast_ref::<ClientError<E, ::reqwest::Error>>() {
        return Some(error.summary());
    }
    #[cfg(feature = "ureq")]
    if let Some(error) = error.downcast_ref::<ClientError<E, ::ureq::Error>>() {
        return Some(error.summary());
    }
    None
}
