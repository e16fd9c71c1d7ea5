//! `RequestContextLayer`: gives each request an id and lets its error bodies carry it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::SystemTime;

use http::{Request, Response};
use tower::{Layer, Service};

use super::request_id::{RequestId, X_REQUEST_ID};
use super::scope::{self, Clock, Scope};

/// A source of request ids for requests that arrive without a usable one.
type IdSource = Arc<dyn Fn() -> RequestId + Send + Sync>;

/// A tower layer that gives every request a [`RequestId`] and a clock, so that error
/// responses built while handling it carry both.
///
/// For each request it
///
/// - takes the id from the request's `X-Request-Id` header when that is usable (see
///   [`RequestId::parse`]), or generates one;
/// - stores the id in the request's extensions (handlers can extract [`RequestId`]);
/// - while the inner service runs, lets every derived error's `IntoResponse` write the
///   id and the current time into its body, for formats that carry them (`nested` and
///   `problem` write `request_id` and `timestamp`), and tag its 5xx log line with the
///   id;
/// - echoes the id in the response's `X-Request-Id` header, unless the inner service
///   set one.
///
/// ```
/// use apierror::axum::RequestContextLayer;
/// use axum::{Router, routing::get};
///
/// let app: Router = Router::new()
///     .route("/", get(|| async { "hello" }))
///     .layer(RequestContextLayer::new());
/// ```
///
/// Responses built outside the inner service's future (in a task the handler spawned,
/// say) do not see the request; they are encoded without id and timestamp.
#[derive(Clone)]
pub struct RequestContextLayer {
    clock: Clock,
    ids: IdSource,
}

impl RequestContextLayer {
    /// The layer with the system clock and generated ids ([`RequestId::generate`]).
    pub fn new() -> Self {
        RequestContextLayer {
            clock: Arc::new(SystemTime::now),
            ids: Arc::new(RequestId::generate),
        }
    }

    /// Reads the time for timestamps from `clock` instead of the system clock.
    #[must_use]
    pub fn with_clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Takes ids for requests without a usable `X-Request-Id` from `ids` instead of
    /// generating random ones.
    #[must_use]
    pub fn with_request_ids(mut self, ids: impl Fn() -> RequestId + Send + Sync + 'static) -> Self {
        self.ids = Arc::new(ids);
        self
    }
}

impl Default for RequestContextLayer {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for RequestContextLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestContextLayer")
            .finish_non_exhaustive()
    }
}

impl<S> Layer<S> for RequestContextLayer {
    type Service = RequestContextService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequestContextService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`RequestContextLayer`] wraps around an inner service.
#[derive(Clone)]
pub struct RequestContextService<S> {
    inner: S,
    layer: RequestContextLayer,
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
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        let request_id =
            RequestId::from_headers(request.headers()).unwrap_or_else(|| (self.layer.ids)());
        request.extensions_mut().insert(request_id.clone());
        let scope = Arc::new(Scope::new(request_id, Arc::clone(&self.layer.clock)));
        let inner = scope::enter(&scope, || self.inner.call(request));
        ResponseFuture {
            inner: Box::pin(inner),
            scope,
        }
    }
}

/// The response future of [`RequestContextService`].
pub struct ResponseFuture<F> {
    inner: Pin<Box<F>>,
    scope: Arc<Scope>,
}

impl<F> fmt::Debug for ResponseFuture<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture")
            .field("request_id", self.scope.request_id())
            .finish_non_exhaustive()
    }
}

impl<F, ResBody, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<Response<ResBody>, E>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let result = ready!(scope::enter(&this.scope, || this.inner.as_mut().poll(cx)));
        Poll::Ready(result.map(|mut response| {
            let headers = response.headers_mut();
            if let (false, Some(value)) = (
                headers.contains_key(X_REQUEST_ID),
                this.scope.request_id().to_header_value(),
            ) {
                headers.insert(X_REQUEST_ID, value);
            }
            response
        }))
    }
}
