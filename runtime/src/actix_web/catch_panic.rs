//! `CatchPanic`: a panicking handler answered with a variant of the application's error.

use std::any::Any;
use std::fmt;
use std::future::{Future, Ready, ready};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use ::actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use ::actix_web::{Error, ResponseError};

/// What builds the error a panic answers with.
type MakeError<E> = Rc<dyn Fn() -> E>;

/// An actix-web middleware that turns a panic in the wrapped service (a handler, an
/// extractor, a middleware) into the response of an error of your enum, instead of a
/// dropped connection.
///
/// The panic's message is logged through `tracing` at error level, with the request id
/// inside [`RequestContext`](super::RequestContext); the response is `make_error()`'s,
/// so a non-`expose` 5xx keeps the message out of the body. Register it before
/// `RequestContext` (`.wrap(CatchPanic::new(..)).wrap(RequestContext::new())`), so that
/// the error body carries the request id and timestamp too.
pub struct CatchPanic<E> {
    make_error: MakeError<E>,
}

impl<E> CatchPanic<E> {
    /// A middleware that answers a panic with `make_error()`'s response.
    pub fn new(make_error: impl Fn() -> E + 'static) -> Self {
        CatchPanic {
            make_error: Rc::new(make_error),
        }
    }
}

impl<E> Clone for CatchPanic<E> {
    fn clone(&self) -> Self {
        CatchPanic {
            make_error: Rc::clone(&self.make_error),
        }
    }
}

impl<E> fmt::Debug for CatchPanic<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CatchPanic").finish_non_exhaustive()
    }
}

impl<S, B, E> Transform<S, ServiceRequest> for CatchPanic<E>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    E: ResponseError + 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = CatchPanicMiddleware<S, E>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(CatchPanicMiddleware {
            service,
            make_error: Rc::clone(&self.make_error),
        }))
    }
}

/// The service [`CatchPanic`] wraps around the application's.
pub struct CatchPanicMiddleware<S, E> {
    service: S,
    make_error: MakeError<E>,
}

impl<S, E> fmt::Debug for CatchPanicMiddleware<S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CatchPanicMiddleware")
            .finish_non_exhaustive()
    }
}

impl<S, B, E> Service<ServiceRequest> for CatchPanicMiddleware<S, E>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    E: ResponseError + 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = CatchPanicFuture<S::Future, E>;

    forward_ready!(service);

    fn call(&self, request: ServiceRequest) -> Self::Future {
        let state = match catch_unwind(AssertUnwindSafe(|| self.service.call(request))) {
            Ok(inner) => State::Running(Box::pin(inner)),
            Err(payload) => State::Panicked(payload),
        };
        CatchPanicFuture {
            state,
            make_error: Rc::clone(&self.make_error),
        }
    }
}

/// Where a [`CatchPanicFuture`] stands.
enum State<F> {
    Running(F),
    Panicked(Box<dyn Any + Send>),
    Done,
}

/// The response future of [`CatchPanicMiddleware`]: the wrapped service's, or the error
/// if it panics. (The error, not its response: the request is the wrapped service's once
/// called, and actix-web, or [`RequestContext`](super::RequestContext) around this,
/// answers it.)
pub struct CatchPanicFuture<F, E> {
    state: State<Pin<Box<F>>>,
    make_error: MakeError<E>,
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

impl<F, B, E> Future for CatchPanicFuture<F, E>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    E: ResponseError + 'static,
{
    type Output = Result<ServiceResponse<B>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Every field is `Unpin` (the inner future is boxed).
        let this = self.get_mut();
        let payload = match std::mem::replace(&mut this.state, State::Done) {
            State::Running(mut inner) => {
                match catch_unwind(AssertUnwindSafe(|| inner.as_mut().poll(cx))) {
                    Ok(Poll::Pending) => {
                        this.state = State::Running(inner);
                        return Poll::Pending;
                    }
                    Ok(Poll::Ready(output)) => return Poll::Ready(output),
                    // A panicked future is not polled again: it is dropped here.
                    Err(payload) => payload,
                }
            }
            State::Panicked(payload) => payload,
            State::Done => panic!("CatchPanicFuture polled after it returned a response"),
        };
        crate::server::respond::log_panic(payload.as_ref());
        Poll::Ready(Err((this.make_error)().into()))
    }
}
