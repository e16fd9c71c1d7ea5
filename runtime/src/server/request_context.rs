//! `RequestContextLayer`: gives each request an id and lets its error bodies carry it.
//!
//! Laid out as tower's middleware are: the layer, the service (here), and the named
//! response future. The middleware has no error of its own: the inner service's passes
//! through.

use std::fmt;
use std::task::{Context, Poll};

use http::{Request, Response};
use tower::Service;

mod future;
mod layer;

pub use future::RequestContextFuture;
pub use layer::RequestContextLayer;

use crate::server::RequestId;
use crate::server::scope;

/// The service [`RequestContextLayer`] wraps around an inner service.
#[derive(Clone)]
pub struct RequestContextService<S> {
    pub(super) inner: S,
    pub(super) layer: RequestContextLayer,
}

impl<S: fmt::Debug> fmt::Debug for RequestContextService<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestContextService")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for RequestContextService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = RequestContextFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        let scope = self
            .layer
            .settings
            .scope(RequestId::from_headers(request.headers()));
        request.extensions_mut().insert(scope.request_id().clone());
        let inner = scope::enter(&scope, || self.inner.call(request));
        RequestContextFuture::new(inner, scope)
    }
}
