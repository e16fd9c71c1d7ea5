//! actix-web 4 integration: derived errors as responses, request ids in error bodies,
//! extractor errors in the application's envelope, and panics answered with one of its
//! variants. The same promises as the axum integration, through the same code
//! ([`crate::server`]).
//!
//! Layer 6: an integration (on top of the rest).
//!
//! With the `actix-web` feature, every `#[derive(ApiError)]` type implements
//! [`ResponseError`](::actix_web::ResponseError) (it must implement `Debug` and `Display`,
//! as thiserror's derive gives it): a handler returns `Result<_, AppError>` and the
//! response has the variant's status, the format's `Content-Type`, a `Retry-After`
//! header when the variant carries a delay, and the envelope as its body (none for a
//! 304). A 5xx that is not `#[api_error(expose)]` answers with its status's reason
//! phrase; its `Display` and `source` chain go to the log (`tracing`, with the request
//! id and OpenTelemetry's `http.response.status_code` and `error.type`), never to the
//! client.
//!
//! - [`RequestContext`] gives each request a [`RequestId`] (the client's `X-Request-Id`,
//!   or a generated one), writes it and a timestamp into error bodies for formats that
//!   carry them, and echoes it in the response's `X-Request-Id`.
//! - [`extractors`] sets the `Json`, `Query`, `Path` and `Form` extractors' error
//!   handlers, so that their errors become the application's through [`FromRejection`]
//!   (the same trait, and the same [`Rejection`] kinds, as on axum).
//! - [`CatchPanic`] answers a panicking handler with a variant of yours.
//!
//! ```
//! use apierror::actix_web::{CatchPanic, RequestContext};
//! use apierror::server::{FromRejection, Rejection};
//! use apierror::{ApiError, FieldErrors};
//! use actix_web::{App, web};
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
//!     #[error("a bug on our side")]
//!     #[status(500)]
//!     Internal,
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
//! async fn create_user(user: web::Json<NewUser>) -> Result<String, AppError> {
//!     if !user.email.contains('@') {
//!         let fields = FieldErrors::new().with_field("email", "is not an email address");
//!         return Err(AppError::ValidationError { fields });
//!     }
//!     Ok(user.into_inner().email)
//! }
//!
//! let app = App::new()
//!     .configure(apierror::actix_web::extractors::<AppError>)
//!     .route("/users", web::post().to(create_user))
//!     .wrap(CatchPanic::new(|| AppError::Internal))
//!     .wrap(RequestContext::new());
//! # drop(app);
//! ```

mod catch_panic;
mod context;
mod rejection;

use std::error::Error;

use ::actix_web::body::BoxBody;
use ::actix_web::http::StatusCode;
use ::actix_web::http::header::{HeaderName, HeaderValue};
use ::actix_web::{HttpMessage as _, HttpResponse, HttpResponseBuilder};

#[doc(no_inline)]
pub use crate::server::{
    FromRejection, MAX_REQUEST_ID_LEN, Rejection, RejectionKind, RequestId, RequestPart,
    X_REQUEST_ID,
};
pub use catch_panic::{CatchPanic, CatchPanicMiddleware};
pub use context::{RequestContext, RequestContextFuture, RequestContextMiddleware};
pub use rejection::{
    extractors, form_config, json_config, path_config, query_config, rejection_error,
};

use crate::api_error::ApiError;

/// The response for `error`, as its `ResponseError::error_response` gives it: see the
/// [module](self). `as_error` (the error's `Display` and `source` chain) is logged for a
/// 5xx, never sent.
pub fn error_response<E: ApiError>(
    error: &E,
    as_error: Option<&dyn Error>,
) -> HttpResponse<BoxBody> {
    into_actix(crate::server::respond::respond(error, as_error))
}

/// actix-web's status for `status`: actix-web 4 speaks `http` 0.2, this crate `http` 1.
pub fn status_code(status: http::StatusCode) -> StatusCode {
    StatusCode::from_u16(status.as_u16()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// An `http` 1 response as actix-web's, header by header; an empty body is no body (a
/// 304 or 204 has none, and nothing else is encoded empty).
fn into_actix(response: http::Response<Vec<u8>>) -> HttpResponse<BoxBody> {
    let (parts, body) = response.into_parts();
    let mut builder = HttpResponseBuilder::new(status_code(parts.status));
    for (name, value) in &parts.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_str().as_bytes()),
            HeaderValue::from_bytes(value.as_bytes()),
        ) {
            builder.append_header((name, value));
        }
    }
    if body.is_empty() {
        builder.finish()
    } else {
        builder.body(body)
    }
}

/// Takes the id [`RequestContext`] stored; without it, the request's own
/// `X-Request-Id` or, failing that, a fresh one. Never fails.
impl ::actix_web::FromRequest for RequestId {
    type Error = std::convert::Infallible;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(
        request: &::actix_web::HttpRequest,
        _: &mut ::actix_web::dev::Payload,
    ) -> Self::Future {
        let id = request
            .extensions()
            .get::<RequestId>()
            .cloned()
            .or_else(|| context::request_id_header(request.headers()))
            .unwrap_or_else(RequestId::generate);
        std::future::ready(Ok(id))
    }
}
