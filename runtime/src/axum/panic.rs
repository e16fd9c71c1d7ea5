//! `CatchPanicLayer`: a panicking handler answers with the application's envelope.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use ::axum::response::{IntoResponse, Response};
use http::Request;
use tower::{Layer, Service};

use super::scope;

/// What builds the error a panic answers with.
type MakeError<E> = Arc<dyn Fn() -> E + Send + Sync>;

/// A tower layer that turns a panic in the inner service (a handler, an extractor, a
/// middleware) into the response of an error of your enum, instead of a dropped
/// connection.
///
/// The panic's message is logged through `tracing` at error level, with the request id
/// when the layer runs inside [`RequestContextLayer`](super::RequestContextLayer); the
/// response is `make_error()`'s, so a non-`expose` 5xx variant keeps the message out of
/// the body. Add this layer *before* `RequestContextLayer` (nearer the routes), so that
/// the error body carries the request id and timestamp too:
///
/// ```
/// use apierror::ApiError;
/// use apierror::axum::{CatchPanicLayer, RequestContextLayer};
/// use axum::{Router, routing::get};
///
/// #[derive(Debug, thiserror::Error, ApiError)]
/// #[api_error(format = "nested")]
/// enum AppError {
///     #[error("a bug on our side")]
///     #[status(500)]
///     Internal,
/// }
///
/// let app: Router = Router::new()
///     .route("/", get(|| async { "hello" }))
///     .layer(CatchPanicLayer::new(|| AppError::Internal))
///     .layer(RequestContextLayer::new());
/// ```
///
/// Only the inner service's own polls are covered: a task the handler spawned panics on
/// its own.
pub struct CatchPanicLayer<E> {
    make_error: MakeError<E>,
}

impl<E> CatchPanicLayer<E> {
    /// A layer that answers a panic with `make_error()`'s response.
    pub fn new(make_error: impl Fn() -> E + Send + Sync + 'static) -> Self {
        CatchPanicLayer {
            make_error: Arc::new(make_error),
        }
    }
}

impl<E> Clone for CatchPanicLayer<E> {
    fn clone(&self) -> Self {
        CatchPanicLayer {
            make_error: Arc::clone(&self.make_error),
        }
    }
}

impl<E> fmt::Debug for CatchPanicLayer<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CatchPanicLayer").finish_non_exhaustive()
    }
}

impl<S, E> Layer<S> for CatchPanicLayer<E> {
    type Service = CatchPanicService<S, E>;

    fn layer(&self, inner: S) -> Self::Service {
        CatchPanicService {
            inner,
            make_error: Arc::clone(&self.make_error),
        }
    }
}

/// The service [`CatchPanicLayer`] wraps around an inner service.
pub struct CatchPanicService<S, E> {
    inner: S,
    make_error: MakeError<E>,
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
        let state = match catch_unwind(AssertUnwindSafe(|| self.inner.call(request))) {
            Ok(future) => State::Running(Box::pin(future)),
            Err(payload) => State::Panicked(payload),
        };
        CatchPanicFuture {
            state,
            make_error: Arc::clone(&self.make_error),
        }
    }
}

/// The response future of [`CatchPanicService`].
pub struct CatchPanicFuture<F, E> {
    state: State<F>,
    make_error: MakeError<E>,
}

enum State<F> {
    /// The inner future, not yet finished.
    Running(Pin<Box<F>>),
    /// The inner service panicked while being called; answered at the first poll.
    Panicked(Box<dyn Any + Send>),
    /// The response has been returned.
    Done,
}

impl<F, E> fmt::Debug for CatchPanicFuture<F, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Running(_) => "running",
            State::Panicked(_) => "panicked",
            State::Done => "done",
        };
        f.debug_struct("CatchPanicFuture")
            .field("state", &state)
            .finish_non_exhaustive()
    }
}

impl<F, E, Er> Future for CatchPanicFuture<F, E>
where
    F: Future<Output = Result<Response, Er>>,
    E: IntoResponse,
{
    type Output = Result<Response, Er>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let payload = match std::mem::replace(&mut this.state, State::Done) {
            State::Running(mut inner) => {
                match catch_unwind(AssertUnwindSafe(|| inner.as_mut().poll(cx))) {
                    Ok(Poll::Pending) => {
                        this.state = State::Running(inner);
                        return Poll::Pending;
                    }
                    Ok(Poll::Ready(output)) => return Poll::Ready(output),
                    // The inner future is dropped here: a panicked future is not polled
                    // again.
                    Err(payload) => payload,
                }
            }
            State::Panicked(payload) => payload,
            State::Done => panic!("CatchPanicFuture polled after it returned a response"),
        };
        let scope = scope::current();
        tracing::error!(
            request_id = scope.as_ref().map(|scope| scope.request_id().as_str()),
            panic = panic_message(payload.as_ref()),
            "request handler panicked",
        );
        Poll::Ready(Ok((this.make_error)().into_response()))
    }
}

/// The text of a panic's payload: the `&str` or `String` that `panic!` was given.
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(message) = payload.downcast_ref::<&'static str>() {
        message
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message
    } else {
        "a panic with a payload that is not a string"
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;
    use std::future::{Ready, ready};
    use std::task::Waker;

    use ::axum::body::Body;
    use http::StatusCode;

    use super::*;

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
