//! The optional integrations' impls for a derived type, as the macro its generated code
//! calls: it expands to each enabled integration's impls and to nothing for the others.
//!
//! Layer 7: what the generated code names (the top).
//!
//! The derive passes what every integration may need: the impl's generics and bounds,
//! for each catalogue entry its details type (if any). Each integration
//! is its own macro, defined twice: with its feature on, and as nothing.

/// Implements the optional integrations' traits for a derived type.
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_integrations {
    (
        impl [$($generics:tt)*] $ty:ty where [$($bounds:tt)*]
        details [$([$($details:ty)?]),*]
        unknown [$unknown:literal]
    ) => {
        $crate::__private::impl_axum!(impl [$($generics)*] $ty where [$($bounds)*]);
        $crate::__private::impl_actix_web!(impl [$($generics)*] $ty where [$($bounds)*]);
        $crate::__private::impl_tonic!(impl [$($generics)*] $ty where [$($bounds)*]);
        $crate::__private::impl_utoipa!(
            impl [$($generics)*] $ty where [$($bounds)*]
            details [$([$($details)?]),*]
            unknown [$unknown]
        );
    };
}

/// `axum::response::IntoResponse`.
#[cfg(feature = "axum")]
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_axum {
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

/// `axum::response::IntoResponse`: the feature is off.
#[cfg(not(feature = "axum"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_axum {
    (impl [$($generics:tt)*] $ty:ty where [$($bounds:tt)*]) => {};
}

/// `actix_web::ResponseError`, for a type that is `Debug` and `Display` (as the trait
/// requires); a type that is not simply has no impl.
#[cfg(feature = "actix-web")]
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_actix_web {
    (impl [$($generics:tt)*] $ty:ty where [$($bounds:tt)*]) => {
        #[automatically_derived]
        impl<$($generics)*> $crate::__private::actix_web::ResponseError for $ty
        where
            $($bounds)*
            // Higher-ranked, so that a type without Debug or Display (its messages all
            // templates) is not an error: it only lacks this impl.
            for<'__apierror> Self: ::core::fmt::Debug + ::core::fmt::Display,
        {
            fn status_code(&self) -> $crate::__private::actix_web::StatusCode {
                $crate::__private::actix_web::status_code(
                    <Self as $crate::__private::ApiError>::status(self),
                )
            }

            fn error_response(&self) -> $crate::__private::actix_web::HttpResponse {
                // The error's Display and source chain for the log, when it is an Error.
                use $crate::__private::axum_probe::*;
                let __error = (&$crate::__private::axum_probe::Probe(self)).as_error();
                $crate::__private::actix_web::error_response(self, __error)
            }
        }
    };
}

/// `actix_web::ResponseError`: the feature is off.
#[cfg(not(feature = "actix-web"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_actix_web {
    (impl [$($generics:tt)*] $ty:ty where [$($bounds:tt)*]) => {};
}

/// `From<E> for tonic::Status`, so that `?` works in a tonic handler.
#[cfg(feature = "tonic")]
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_tonic {
    (impl [$($generics:tt)*] $ty:ty where [$($bounds:tt)*]) => {
        #[automatically_derived]
        impl<$($generics)*> ::core::convert::From<$ty> for $crate::__private::tonic::Status
        where
            $($bounds)*
        {
            fn from(error: $ty) -> Self {
                // The error's Display and source chain for the log, when it is an Error.
                use $crate::__private::axum_probe::*;
                let __error = (&$crate::__private::axum_probe::Probe(&error)).as_error();
                $crate::__private::tonic::into_status(&error, __error)
            }
        }
    };
}

/// `From<E> for tonic::Status`: the feature is off.
#[cfg(not(feature = "tonic"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_tonic {
    (impl [$($generics:tt)*] $ty:ty where [$($bounds:tt)*]) => {};
}

/// `utoipa::IntoResponses`, from the catalogue and each entry's details type.
#[cfg(feature = "utoipa")]
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_utoipa {
    (
        impl [$($generics:tt)*] $ty:ty where [$($bounds:tt)*]
        details [$([$($details:ty)?]),*]
        unknown [$unknown:literal]
    ) => {
        #[automatically_derived]
        impl<$($generics)*> $crate::__private::utoipa::IntoResponses for $ty where $($bounds)* {
            fn responses() -> $crate::__private::utoipa::Responses {
                // Autoref describes each details type: FieldErrors, its ToSchema, or any
                // JSON.
                #[allow(unused_imports)]
                use $crate::__private::utoipa::probe::*;
                let __details = [$(
                    $crate::__private::utoipa::details!($($details)?)
                ),*];
                let mut __responses = $crate::__private::utoipa::responses::<<Self as $crate::__private::ApiError>::Format>(
                    <Self as $crate::__private::ApiError>::CATALOGUE,
                    &__details,
                );
                if $unknown {
                    __responses.insert(
                        $crate::__private::String::from("default"),
                        $crate::__private::utoipa::default_response::<<Self as $crate::__private::ApiError>::Format>().into(),
                    );
                }
                __responses
            }
        }
    };
}

/// One entry's details description: none, or its type's.
#[cfg(feature = "utoipa")]
#[macro_export]
#[doc(hidden)]
macro_rules! __details_doc {
    () => {
        $crate::__private::utoipa::DetailsDoc::None
    };
    ($details:ty) => {
        (&&&$crate::__private::utoipa::SchemaProbe::<$details>::new()).doc()
    };
}

/// `utoipa::IntoResponses`: the feature is off.
#[cfg(not(feature = "utoipa"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_utoipa {
    ($($input:tt)*) => {};
}
