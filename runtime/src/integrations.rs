//! The optional integrations' impls for a derived type, as the macro its generated code
//! calls: it expands to each enabled integration's impls and to nothing for the others.

/// Implements the optional integrations' traits for a derived type; expands to nothing
/// for integrations whose feature is off.
#[cfg(feature = "axum")]
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_integrations {
    (impl [$($generics:tt)*] $ty:ty where [$($bounds:tt)*]) => {
        #[automatically_derived]
        impl<$($generics)*> $crate::__private::axum::IntoResponse for $ty where $($bounds)* {
            fn into_response(self) -> $crate::__private::axum::Response {
                // Autoref picks the error's Display and source chain for logging when
                // the type implements std::error::Error, and nothing otherwise.
                use $crate::__private::axum::probe::*;
                let __error = (&$crate::__private::axum::Probe(&self)).as_error();
                $crate::__private::axum::into_response_with_source(&self, __error)
            }
        }
    };
}

/// Implements the optional integrations' traits for a derived type; expands to nothing
/// for integrations whose feature is off.
#[cfg(not(feature = "axum"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_integrations {
    (impl [$($generics:tt)*] $ty:ty where [$($bounds:tt)*]) => {};
}
