//! The layer of [`CatchPanicService`](super::CatchPanicService).

use std::fmt;
use std::sync::Arc;

use tower::Layer;

use super::CatchPanicService;

/// What builds the error a panic answers with.
pub(crate) type MakeError<E> = Arc<dyn Fn() -> E + Send + Sync>;

/// A tower layer that turns a panic in the inner service (a handler, an extractor, a
/// middleware) into the response of an error of your enum, instead of a dropped
/// connection.
///
/// The panic's message is logged through `tracing` at error level, with the request id
/// when the layer runs inside [`RequestContextLayer`](crate::axum::RequestContextLayer); the
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
