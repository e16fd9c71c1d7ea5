//! axum 0.8 integration: derived errors as responses, request ids in error bodies, and
//! extractor rejections in the application's envelope.
//!
//! Layer 6: an integration (on top of the rest).
//!
//! With the `axum` feature, every `#[derive(ApiError)]` type implements
//! [`IntoResponse`](::axum::response::IntoResponse): a handler returns it and the
//! response has the variant's status, the format's `Content-Type`, a `Retry-After`
//! header when the variant carries a delay, and the envelope as its body. A 5xx that is
//! not `#[api_error(expose)]` answers with its status's reason phrase; its `Display` and
//! `source` chain go to the log (`tracing`, error level, with the request id), never to
//! the client.
//!
//! [`RequestContextLayer`] gives each request a [`RequestId`] (the client's
//! `X-Request-Id`, or a generated one), writes it and a timestamp into error bodies for
//! formats that carry them, and echoes it in the response's `X-Request-Id`.
//!
//! [`Extract`] wraps an extractor (`Json`, `Query`, `Path`…) so that its rejection
//! becomes the application's error through [`FromRejection`]. Give the router's
//! `fallback` (no route: 404) and `method_not_allowed_fallback` (405; axum still adds
//! `Allow`) a variant each too, and [`CatchPanicLayer`] a 5xx variant for a handler that
//! panics, and clients see one error shape for every failure.
//!
//! ```
//! use apierror::axum::{Extract, FromRejection, Rejection, RequestContextLayer};
//! use apierror::{ApiError, FieldErrors};
//! use axum::{Json, Router, routing::post};
//!
//! #[derive(Debug, thiserror::Error, ApiError)]
//! #[api_error(format = "nested", rename_all = "SCREAMING_SNAKE_CASE")]
//! enum AppError {
//!     #[error("validation failed")]
//!     #[status(422)]
//!     ValidationError {
//!         #[api_error(details)]
//!         fields: FieldErrors,
//!     },
//!
//!     #[error("no such resource")]
//!     #[status(404)]
//!     NotFound,
//!
//!     #[error("method not allowed here")]
//!     #[status(405)]
//!     MethodNotAllowed,
//!
//!     #[error("database unreachable: {0}")]
//!     #[status(500)]
//!     Internal(#[source] std::io::Error),
//! }
//!
//! impl FromRejection for AppError {
//!     fn from_rejection(rejection: Rejection) -> Self {
//!         AppError::ValidationError { fields: rejection.into_fields() }
//!     }
//! }
//!
//! #[derive(serde::Deserialize)]
//! struct NewUser {
//!     email: String,
//! }
//!
//! async fn create_user(
//!     Extract(Json(user), _): Extract<Json<NewUser>, AppError>,
//! ) -> Result<String, AppError> {
//!     if !user.email.contains('@') {
//!         let fields = FieldErrors::new().with_field("email", "is not an email address");
//!         return Err(AppError::ValidationError { fields });
//!     }
//!     Ok(user.email)
//! }
//!
//! let app: Router = Router::new()
//!     .route("/users", post(create_user))
//!     .fallback(|| async { AppError::NotFound })
//!     .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
//!     .layer(RequestContextLayer::new());
//! ```

mod catch_panic;
mod extract;
mod rejection;
mod request_id;
pub(crate) mod response;

#[cfg(test)]
mod tests;

#[doc(no_inline)]
pub use crate::server::{
    FromRejection, MAX_REQUEST_ID_LEN, Rejection, RejectionKind, RequestContextFuture,
    RequestContextLayer, RequestContextService, RequestId, RequestPart, X_REQUEST_ID,
};
pub use catch_panic::{CatchPanicFuture, CatchPanicLayer, CatchPanicService};
pub use extract::Extract;
