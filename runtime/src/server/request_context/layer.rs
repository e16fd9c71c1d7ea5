//! The layer of [`RequestContextService`](super::RequestContextService).

use std::fmt;
use std::sync::Arc;

use tower::Layer;

use super::RequestContextService;
use crate::log_level::LogLevel;
use crate::server::request_id::RequestId;
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
#[derive(Clone)]
pub struct RequestContextLayer {
    pub(super) settings: Settings,
}

impl RequestContextLayer {
    /// The layer with the system clock and generated ids ([`RequestId::generate`]).
    pub fn new() -> Self {
        RequestContextLayer {
            settings: Settings::new(),
        }
    }

    /// Reads the time for timestamps from `clock`'s wall clock instead of the system's
    /// (a [`ManualClock`](crate::retry::ManualClock) in tests: the same clock type the
    /// retry machinery reads).
    #[must_use]
    pub fn with_clock(mut self, clock: impl crate::retry::Clock + 'static) -> Self {
        self.settings.clock = Arc::new(clock);
        self
    }

    /// Logs a 5xx whose variant sets no level of its own at `level` (default
    /// [`LogLevel::Error`]); a variant's `#[api_error(log = "…")]` still wins.
    #[must_use]
    pub fn with_log_level(mut self, level: LogLevel) -> Self {
        self.settings.log_level = level;
        self
    }

    /// Takes ids for requests without a usable `X-Request-Id` from `ids` instead of
    /// generating random ones.
    #[must_use]
    pub fn with_request_ids(mut self, ids: impl Fn() -> RequestId + Send + Sync + 'static) -> Self {
        self.settings.ids = Arc::new(ids);
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
