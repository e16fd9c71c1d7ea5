//! `RequestContext`: actix-web's request-context middleware, the counterpart of axum's
//! `RequestContextLayer`, on the same scope.

use std::fmt;
use std::future::{Future, Ready, ready};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use ::actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use ::actix_web::error::InternalError;
use ::actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use ::actix_web::{Error, HttpMessage};
use pin_project_lite::pin_project;

use crate::server::RequestId;
use crate::server::scope::{self, Scope, Settings};

/// The request's usable `X-Request-Id`, if it has one.
pub(super) fn request_id_header(headers: &HeaderMap) -> Option<RequestId> {
    headers
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .and_then(RequestId::parse)
}

/// An actix-web middleware that gives every request a [`RequestId`] and a clock, so that
/// error responses built while handling it carry both. For each request it
///
/// - takes the id from the request's `X-Request-Id` when that is usable (see
///   [`RequestId::parse`]), or generates one;
/// - stores the id in the request's extensions (handlers can extract [`RequestId`]);
/// - while the wrapped service runs, lets every derived error's `ResponseError` write the
///   id and the current time into its body, for formats that carry them (`nested` and
///   `problem`), and tag its log line with the id;
/// - echoes the id in the response's `X-Request-Id`, unless the service set one.
///
/// Register it last (`App::wrap` runs the last-registered middleware first), so that it
/// wraps everything else, [`CatchPanic`](super::CatchPanic) included.
///
/// ```
/// use actix_web::{App, web};
/// use apierror::actix_web::{RequestContext, RequestId};
///
/// let app = App::new()
///     .route("/", web::get().to(|id: RequestId| async move { format!("request {id}") }))
///     .wrap(RequestContext::new());
/// # drop(app);
/// ```
#[derive(Clone)]
pub struct RequestContext {
    settings: Settings,
}

crate::server::scope::context_builders!(
    RequestContext,
    "The middleware with the system clock and generated ids\n([`RequestId::generate`](crate::server::RequestId::generate))."
);

impl<S, B> Transform<S, ServiceRequest> for RequestContext
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = RequestContextMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RequestContextMiddleware {
            service,
            settings: self.settings.clone(),
        }))
    }
}

/// The service [`RequestContext`] wraps around the application's.
pub struct RequestContextMiddleware<S> {
    service: S,
    settings: Settings,
}

impl<S> fmt::Debug for RequestContextMiddleware<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestContextMiddleware")
            .finish_non_exhaustive()
    }
}

impl<S, B> Service<ServiceRequest> for RequestContextMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = RequestContextFuture<S::Future>;

    forward_ready!(service);

    fn call(&self, request: ServiceRequest) -> Self::Future {
        let scope = self.settings.scope(request_id_header(request.headers()));
        request.extensions_mut().insert(scope.request_id().clone());
        let inner = scope::enter(&scope, || self.service.call(request));
        RequestContextFuture { inner, scope }
    }
}

pin_project! {
    /// The response future of [`RequestContextMiddleware`]: the inner future, polled
    /// inside the request's scope, with `X-Request-Id` added to its response.
    pub struct RequestContextFuture<F> {
        #[pin]
        inner: F,
        scope: Arc<Scope>,
    }
}

impl<F, B> Future for RequestContextFuture<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let scope: &Arc<Scope> = this.scope;
        let inner = this.inner;
        let result = std::task::ready!(scope::enter(scope, || inner.poll(cx)));
        Poll::Ready(match result {
            Ok(mut response) => {
                echo(scope, response.headers_mut());
                Ok(response)
            }
            // An error of an inner middleware (or `CatchPanic`'s): answered here, inside
            // the scope, so that its body and header carry the request id too.
            Err(error) => {
                let mut response = scope::enter(scope, || error.error_response());
                echo(scope, response.headers_mut());
                Err(InternalError::from_response(Answered(error.to_string()), response).into())
            }
        })
    }
}

/// Adds the request id as `X-Request-Id`, unless the response has one.
fn echo(scope: &Scope, headers: &mut HeaderMap) {
    let name = HeaderName::from_static("x-request-id");
    if !headers.contains_key(&name)
        && let Ok(value) = HeaderValue::from_str(scope.request_id().as_str())
    {
        headers.insert(name, value);
    }
}

/// What an error answered inside the scope says of itself, for actix-web's logs.
#[derive(Debug)]
struct Answered(String);

impl fmt::Display for Answered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
