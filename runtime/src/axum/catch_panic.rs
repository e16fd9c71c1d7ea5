//! `CatchPanicLayer`: a panicking handler answers with the application's envelope.
//!
//! Laid out as tower's middleware are: the layer, the service (here), and the named
//! response future. The middleware has no error of its own: the inner service's passes
//! through.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::task::{Context, Poll};

use ::axum::response::{IntoResponse, Response};
use http::Request;
use tower::Service;

mod future;
mod layer;

pub use future::CatchPanicFuture;
pub use layer::CatchPanicLayer;

use layer::MakeError;

/// The service [`CatchPanicLayer`] wraps around an inner service.
pub struct CatchPanicService<S, E> {
    pub(super) inner: S,
    pub(super) make_error: MakeError<E>,
}

impl<S: Clone, E> Clone for CatchPanicService<S, E> {
    fn clone(&self) -> Self {
        CatchPanicService {
            inner: self.inner.clone(),
            make_error: Arc::clone(&self.make_error),
        }
    }
}

impl<S: fmt::Debug, E> fmt::Debug for CatchPanicService<S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CatchPanicService")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl<S, E, ReqBody> Service<Request<ReqBody>> for CatchPanicService<S, E>
where
    S: Service<Request<ReqBody>, Response = Response>,
    E: IntoResponse,
{
    type Response = Response;
    type Error = S::Error;
    type Future = CatchPanicFuture<S::Future, E>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let make_error = Arc::clone(&self.make_error);
        match catch_unwind(AssertUnwindSafe(|| self.inner.call(request))) {
            Ok(future) => CatchPanicFuture::running(future, make_error),
            Err(payload) => CatchPanicFuture::panicked(payload, make_error),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;
    use std::future::{Ready, ready};
    use std::task::Waker;

    use ::axum::body::Body;
    use http::StatusCode;

    use std::any::Any;
    use std::future::Future;

    use tower::Layer;

    use super::*;
    use crate::server::respond::panic_message;

    /// A stand-in for a derived error: a 500 whose body says so.
    struct Internal;

    impl IntoResponse for Internal {
        fn into_response(self) -> Response {
            (StatusCode::INTERNAL_SERVER_ERROR, "masked").into_response()
        }
    }

    fn layer() -> CatchPanicLayer<Internal> {
        CatchPanicLayer::new(|| Internal)
    }

    /// Polls `future` once; everything here is ready at once.
    fn poll_once<F: Future>(future: F) -> Poll<F::Output> {
        let mut cx = Context::from_waker(Waker::noop());
        std::pin::pin!(future).poll(&mut cx)
    }

    fn status(poll: Poll<Result<Response, Infallible>>) -> StatusCode {
        match poll {
            Poll::Ready(Ok(response)) => response.status(),
            Poll::Pending => panic!("the response was not ready"),
        }
    }

    #[test]
    fn a_panic_while_calling_the_service_answers_with_the_error() {
        let inner = tower::service_fn(|_: Request<Body>| -> Ready<Result<Response, Infallible>> {
            panic!("in call")
        });
        let mut service = layer().layer(inner);
        let future = service.call(Request::new(Body::empty()));
        assert_eq!(status(poll_once(future)), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn a_panic_while_polling_answers_with_the_error() {
        fn handler() -> Result<Response, Infallible> {
            panic!("in poll")
        }
        // An async block's body runs when it is polled, not when the service is called.
        let inner = tower::service_fn(|_: Request<Body>| async { handler() });
        let mut service = layer().layer(inner);
        let future = service.call(Request::new(Body::empty()));
        assert_eq!(status(poll_once(future)), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn responses_without_a_panic_pass_through() {
        let inner = tower::service_fn(|_: Request<Body>| {
            ready(Ok::<_, Infallible>(StatusCode::ACCEPTED.into_response()))
        });
        let mut service = layer().layer(inner);
        let future = service.call(Request::new(Body::empty()));
        assert_eq!(status(poll_once(future)), StatusCode::ACCEPTED);
    }

    #[test]
    fn panic_messages_are_read_from_str_and_string_payloads() {
        let from_str: Box<dyn Any + Send> = Box::new("static text");
        let from_string: Box<dyn Any + Send> = Box::new(String::from("formatted 7"));
        let other: Box<dyn Any + Send> = Box::new(7_u32);
        assert_eq!(panic_message(from_str.as_ref()), "static text");
        assert_eq!(panic_message(from_string.as_ref()), "formatted 7");
        assert_eq!(
            panic_message(other.as_ref()),
            "a panic with a payload that is not a string"
        );
    }
}
