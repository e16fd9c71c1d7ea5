//! The per-request scope: what error responses built inside the layer can see.
//!
//! The layer makes its request's [`Scope`] current for exactly the duration of each
//! poll of the inner service's future, the way `tokio::task_local!` and
//! `tracing::Instrument` do, so an `IntoResponse` call anywhere in that future (a
//! handler's return value, an extractor's rejection) finds it. A stack discipline with a
//! drop guard keeps nested layers and panics from leaking a scope onto another request.

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

use super::request_id::RequestId;
use super::timestamp::rfc3339;
use crate::log_level::LogLevel;

/// A source of the current time.
pub(crate) type Clock = Arc<dyn crate::clock::Clock>;

/// One request's values.
pub(crate) struct Scope {
    request_id: RequestId,
    clock: Clock,
    log_level: LogLevel,
}

impl Scope {
    pub(crate) fn new(request_id: RequestId, clock: Clock, log_level: LogLevel) -> Self {
        Scope {
            request_id,
            clock,
            log_level,
        }
    }

    /// The level a 5xx without a level of its own is logged at.
    pub(crate) fn log_level(&self) -> LogLevel {
        self.log_level
    }

    pub(crate) fn request_id(&self) -> &RequestId {
        &self.request_id
    }

    /// The current time as an RFC 3339 timestamp, from the layer's clock.
    pub(crate) fn timestamp(&self) -> String {
        rfc3339(self.clock.system_now())
    }
}

impl fmt::Debug for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

/// A source of request ids for requests that arrive without a usable one.
pub(crate) type IdSource = Arc<dyn Fn() -> RequestId + Send + Sync>;

/// What a request-context middleware is configured with: the clock for timestamps, the
/// source of ids, and the level a 5xx is logged at.
#[derive(Clone)]
pub(crate) struct Settings {
    pub(crate) clock: Clock,
    pub(crate) ids: IdSource,
    pub(crate) log_level: LogLevel,
}

impl Settings {
    /// The system clock, generated ids ([`RequestId::generate`]), errors logged at
    /// error level.
    pub(crate) fn new() -> Self {
        Settings {
            clock: Arc::new(crate::clock::SystemClock),
            ids: Arc::new(RequestId::generate),
            log_level: LogLevel::Error,
        }
    }

    /// The scope of a request whose usable `X-Request-Id`, if any, is `from_client`.
    pub(crate) fn scope(&self, from_client: Option<RequestId>) -> Arc<Scope> {
        let request_id = from_client.unwrap_or_else(|| (self.ids)());
        Arc::new(Scope::new(
            request_id,
            Arc::clone(&self.clock),
            self.log_level,
        ))
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<Scope>>> = const { RefCell::new(None) };
}

impl RequestId {
    /// The id of the request being handled, when called inside the request-context
    /// middleware. (Defined beside the scope it reads, so that the id's own module
    /// stays below the scope's.)
    pub fn current() -> Option<Self> {
        current().map(|scope| scope.request_id().clone())
    }
}

/// The scope of the request being polled on this thread, if any.
pub(crate) fn current() -> Option<Arc<Scope>> {
    CURRENT
        .try_with(|current| current.borrow().clone())
        .ok()
        .flatten()
}

/// Runs `f` with `scope` current, restoring the previous scope afterwards, even if `f`
/// panics.
pub(crate) fn enter<R>(scope: &Arc<Scope>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Arc<Scope>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            let _ = CURRENT.try_with(|current| *current.borrow_mut() = previous);
        }
    }
    let previous = CURRENT
        .try_with(|current| current.borrow_mut().replace(Arc::clone(scope)))
        .ok()
        .flatten();
    let _restore = Restore(previous);
    f()
}

/// The builders both request-context middlewares (axum's layer, actix-web's middleware)
/// share, over their [`Settings`]: `new`, `with_clock`, `with_log_level`,
/// `with_request_ids`, and `Default` and `Debug`.
macro_rules! context_builders {
    ($ty:ident, $new_doc:literal) => {
        impl $ty {
            #[doc = $new_doc]
            pub fn new() -> Self {
                $ty {
                    settings: $crate::server::scope::Settings::new(),
                }
            }

            /// Reads the time for timestamps from `clock`'s wall clock instead of the
            /// system's (a [`ManualClock`](crate::retry::ManualClock) in tests: the same
            /// clock type the retry machinery reads).
            #[must_use]
            pub fn with_clock(mut self, clock: impl $crate::retry::Clock + 'static) -> Self {
                self.settings.clock = ::std::sync::Arc::new(clock);
                self
            }

            /// Logs a 5xx whose variant sets no level of its own at `level` (default
            /// [`LogLevel::Error`](crate::LogLevel::Error)); a variant's
            /// `#[api_error(log = "…")]` still wins.
            #[must_use]
            pub fn with_log_level(mut self, level: $crate::LogLevel) -> Self {
                self.settings.log_level = level;
                self
            }

            /// Takes ids for requests without a usable `X-Request-Id` from `ids` instead
            /// of generating random ones.
            #[must_use]
            pub fn with_request_ids(
                mut self,
                ids: impl Fn() -> $crate::server::RequestId + Send + Sync + 'static,
            ) -> Self {
                self.settings.ids = ::std::sync::Arc::new(ids);
                self
            }
        }

        impl Default for $ty {
            fn default() -> Self {
                Self::new()
            }
        }

        impl ::std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($ty)).finish_non_exhaustive()
            }
        }
    };
}
pub(crate) use context_builders;

#[cfg(test)]
mod tests {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::time::UNIX_EPOCH;

    use super::*;

    fn scope(id: &str) -> Arc<Scope> {
        Arc::new(Scope::new(
            RequestId::parse(id).unwrap(),
            Arc::new(crate::retry::ManualClock::starting_at(UNIX_EPOCH)),
            LogLevel::Error,
        ))
    }

    fn current_id() -> Option<String> {
        current().map(|scope| scope.request_id().as_str().to_owned())
    }

    #[test]
    fn scopes_nest_and_unwind() {
        assert_eq!(current_id(), None);
        enter(&scope("outer"), || {
            assert_eq!(current_id().as_deref(), Some("outer"));
            enter(&scope("inner"), || {
                assert_eq!(current_id().as_deref(), Some("inner"));
            });
            assert_eq!(current_id().as_deref(), Some("outer"));
            let panicked = catch_unwind(AssertUnwindSafe(|| {
                enter(&scope("panics"), || panic!("handler panicked"));
            }));
            assert!(panicked.is_err());
            assert_eq!(current_id().as_deref(), Some("outer"));
        });
        assert_eq!(current_id(), None);
    }

    #[test]
    fn timestamp_comes_from_the_clock() {
        assert_eq!(scope("a").timestamp(), "1970-01-01T00:00:00.000Z");
    }
}
