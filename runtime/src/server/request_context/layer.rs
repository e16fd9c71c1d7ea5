//! The layer of [`RequestContextService`](super::RequestContextService).

use tower::Layer;

use super::RequestContextService;
use crate::server::scope::Settings;

/// A tower layer that gives every request a [`RequestId`] and a clock, so that error
/// responses built while handling it carry both: for axum (`Router::layer`) and tonic
/// (`Server::builder().layer`).
///
/// For each request it
///
/// - takes the id from the request's `X-Request-Id` header when that is usable (see
///   [`RequestId::parse`]), or generates one;
/// - stores the id in the request's extensions (handlers can extract [`RequestId`]);
/// - while the inner service runs, lets every derived error's `IntoResponse` write the
///   id and the current time into its body, for formats that carry them (`nested` and
///   `problem` write `request_id` and `timestamp`), and tag its 5xx log line with the
///   id (over gRPC, the `Status` carries it in a `RequestInfo`);
/// - echoes the id in the response's `X-Request-Id` header, unless the inner service
///   set one.
///
/// ```
/// # #[cfg(feature = "axum")] {
/// use apierror::server::RequestContextLayer;
/// use axum::{Router, routing::get};
///
/// let app: Router = Router::new()
///     .route("/", get(|| async { "hello" }))
///     .layer(RequestContextLayer::new());
/// # }
/// ```
///
/// Responses built outside the inner service's future (in a task the handler spawned,
/// say) do not see the request; they are encoded without id and timestamp.
///
/// [`RequestId`]: crate::server::RequestId
/// [`RequestId::parse`]: crate::server::RequestId::parse
#[derive(Clone)]
pub struct RequestContextLayer {
    pub(super) settings: Settings,
}

crate::server::scope::context_builders!(
    RequestContextLayer,
    "The layer with the system clock and generated ids\n([`RequestId::generate`](crate::server::RequestId::generate))."
);

impl<S> Layer<S> for RequestContextLayer {
    type Service = RequestContextService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequestContextService {
            inner,
            layer: self.clone(),
        }
    }
}
