//! The response future of [`RequestContextService`](super::RequestContextService).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use http::Response;
use pin_project_lite::pin_project;

use crate::server::request_id::X_REQUEST_ID;
use crate::server::scope::{self, Scope};

pin_project! {
    /// The response future of [`RequestContextService`](super::RequestContextService):
    /// the inner future, polled inside the request's scope, with `X-Request-Id` added to
    /// its response.
    pub struct RequestContextFuture<F> {
        #[pin]
        inner: F,
        scope: Arc<Scope>,
    }
}

impl<F> RequestContextFuture<F> {
    pub(super) fn new(inner: F, scope: Arc<Scope>) -> Self {
        RequestContextFuture { inner, scope }
    }
}

impl<F> fmt::Debug for RequestContextFuture<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestContextFuture")
            .field("request_id", self.scope.request_id())
            .finish_non_exhaustive()
    }
}

impl<F, ResBody, E> Future for RequestContextFuture<F>
where
    F: Future<Output = Result<Response<ResBody>, E>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let scope: &Arc<Scope> = this.scope;
        let inner = this.inner;
        let result = ready!(scope::enter(scope, || inner.poll(cx)));
        Poll::Ready(result.map(|mut response| {
            let headers = response.headers_mut();
            if let (false, Some(value)) = (
                headers.contains_key(X_REQUEST_ID),
                scope.request_id().to_header_value(),
            ) {
                headers.insert(X_REQUEST_ID, value);
            }
            response
        }))
    }
}
