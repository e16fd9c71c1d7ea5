//! [`RequestId`] as an axum extractor.

use std::convert::Infallible;

use ::axum::extract::FromRequestParts;
use http::request::Parts;

use crate::server::RequestId;

/// Takes the id the layer stored; without the layer, the request's own `X-Request-Id`
/// or, failing that, a fresh one. Never rejects.
impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(parts
            .extensions
            .get::<RequestId>()
            .cloned()
            .or_else(|| RequestId::from_headers(&parts.headers))
            .unwrap_or_else(RequestId::generate))
    }
}
