//! The response future of [`CatchPanicService`](super::CatchPanicService).

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use ::axum::response::{IntoResponse, Response};
use pin_project_lite::pin_project;

use super::MakeError;

pin_project! {
    /// The response future of [`CatchPanicService`](super::CatchPanicService): the
    /// inner service's future, answered with the error's response if it panics.
    pub struct CatchPanicFuture<F, E> {
        // The inner future; `None` once it has finished or panicked.
        #[pin]
        inner: Option<F>,
        // The payload of a panic in the inner service's `call`, answered at the first
        // poll.
        panicked: Option<Box<dyn Any + Send>>,
        make_error: MakeError<E>,
    }
}

impl<F, E> CatchPanicFuture<F, E> {
    pub(super) fn running(inner: F, make_error: MakeError<E>) -> Self {
        CatchPanicFuture {
            inner: Some(inner),
            panicked: None,
            make_error,
        }
    }

    pub(super) fn panicked(payload: Box<dyn Any + Send>, make_error: MakeError<E>) -> Self {
        CatchPanicFuture {
            inner: None,
            panicked: Some(payload),
            make_error,
        }
    }
}

impl<F, E> fmt::Debug for CatchPanicFuture<F, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match (&self.inner, &self.panicked) {
            (Some(_), _) => "running",
            (None, Some(_)) => "panicked",
            (None, None) => "done",
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
        let mut this = self.project();
        let payload = if let Some(payload) = this.panicked.take() {
            payload
        } else {
            let Some(inner) = this.inner.as_mut().as_pin_mut() else {
                panic!("CatchPanicFuture polled after it returned a response")
            };
            match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
                Ok(Poll::Pending) => return Poll::Pending,
                Ok(Poll::Ready(output)) => {
                    this.inner.set(None);
                    return Poll::Ready(output);
                }
                // A panicked future is not polled again: it is dropped here.
                Err(payload) => {
                    this.inner.set(None);
                    payload
                }
            }
        };
        crate::server::respond::log_panic(payload.as_ref());
        Poll::Ready(Ok((this.make_error)().into_response()))
    }
}
