//! `Extract`: runs an axum extractor and answers its rejection with the application's
//! error.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

use ::axum::extract::{FromRequest, FromRequestParts, Request};
use ::axum::response::IntoResponse;
use http::request::Parts;

use crate::server::{FromRejection, Rejection};

/// Runs the extractor `X`; if it rejects the request, answers with the application's
/// error `E` built by [`FromRejection`] instead of axum's plain-text rejection.
///
/// The shape is axum-extra's `WithRejection`; the difference is that `E` implements
/// one trait for every extractor rather than `From` each rejection type. It works with
/// `Json`, `Query`, `Path`, `Bytes`, `String`, and any extractor whose rejection
/// converts into [`Rejection`].
///
/// ```
/// use apierror::axum::{Extract, FromRejection, Rejection};
/// use axum::{Json, extract::Path, response::IntoResponse};
/// # use axum::response::Response;
///
/// # struct AppError;
/// # impl IntoResponse for AppError { fn into_response(self) -> Response { todo!() } }
/// # impl FromRejection for AppError { fn from_rejection(_: Rejection) -> Self { AppError } }
/// #[derive(serde::Deserialize)]
/// struct Rename { name: String }
///
/// async fn rename(
///     Extract(Path(id), _): Extract<Path<u64>, AppError>,
///     Extract(Json(body), _): Extract<Json<Rename>, AppError>,
/// ) -> Result<String, AppError> {
///     Ok(format!("{id} is now {}", body.name))
/// }
/// # let _: axum::Router = axum::Router::new().route("/{id}", axum::routing::put(rename));
/// ```
///
/// A type alias keeps signatures short:
/// `type Json<T> = apierror::axum::Extract<axum::Json<T>, AppError>;`.
pub struct Extract<X, E>(pub X, pub PhantomData<fn() -> E>);

impl<X, E> Extract<X, E> {
    /// The extractor's value.
    pub fn into_inner(self) -> X {
        self.0
    }
}

impl<X, E> Deref for Extract<X, E> {
    type Target = X;

    fn deref(&self) -> &X {
        &self.0
    }
}

impl<X, E> DerefMut for Extract<X, E> {
    fn deref_mut(&mut self) -> &mut X {
        &mut self.0
    }
}

impl<X: fmt::Debug, E> fmt::Debug for Extract<X, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Extract").field(&self.0).finish()
    }
}

impl<X: Clone, E> Clone for Extract<X, E> {
    fn clone(&self) -> Self {
        Extract(self.0.clone(), PhantomData)
    }
}

impl<S, X, E> FromRequest<S> for Extract<X, E>
where
    S: Send + Sync,
    X: FromRequest<S>,
    X::Rejection: Into<Rejection>,
    E: FromRejection + IntoResponse,
{
    type Rejection = E;

    async fn from_request(request: Request, state: &S) -> Result<Self, E> {
        match X::from_request(request, state).await {
            Ok(value) => Ok(Extract(value, PhantomData)),
            Err(rejection) => Err(E::from_rejection(rejection.into())),
        }
    }
}

impl<S, X, E> FromRequestParts<S> for Extract<X, E>
where
    S: Send + Sync,
    X: FromRequestParts<S>,
    X::Rejection: Into<Rejection>,
    E: FromRejection + IntoResponse,
{
    type Rejection = E;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, E> {
        match X::from_request_parts(parts, state).await {
            Ok(value) => Ok(Extract(value, PhantomData)),
            Err(rejection) => Err(E::from_rejection(rejection.into())),
        }
    }
}
