//! Turning a derived error into an axum response (see [`crate::server::respond`]).

use std::error::Error;

use ::axum::body::Body;
use ::axum::response::Response;

use crate::api_error::ApiError;

/// The response for `error`: its status, `Content-Type`, `Retry-After` when it carries
/// a delay, and its body in its format, with the request id and timestamp when called
/// inside [`RequestContextLayer`](super::RequestContextLayer).
///
/// A 5xx is logged (at error level unless its variant or the layer says otherwise) with
/// the request id, status and code.
pub fn into_response<E: ApiError>(error: &E) -> Response {
    into_response_with_source(error, None)
}

/// [`into_response`], also logging `as_error` (the error's `Display` and its `source`
/// chain) for a 5xx. That text goes to the log only, never to the response.
pub fn into_response_with_source<E: ApiError>(error: &E, as_error: Option<&dyn Error>) -> Response {
    crate::server::respond::respond(error, as_error).map(Body::from)
}
