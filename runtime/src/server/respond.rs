//! A derived error as a response, whatever the framework: the request's context in the
//! body, and what a 5xx masks in the log.

// With tonic alone, no HTTP response is built (the chain and the probe serve it).
#![cfg_attr(not(any(feature = "axum", feature = "actix-web")), allow(dead_code))]

use std::error::Error;

use super::scope;
use crate::api_error::ApiError;
use crate::format::envelope::Context;
use crate::log_level::LogLevel;

/// The response for `error`, inside a framework's request-context middleware or not: its
/// status, `Content-Type`, `Retry-After` when it carries a delay, and its body in its
/// format, with the request id and timestamp of the current request. An error the
/// variant or the middleware says to log is logged, with `as_error` (the error's
/// `Display` and `source` chain) for a 5xx: that text goes to the log only, never to the
/// response.
pub(crate) fn respond<E: ApiError>(
    error: &E,
    as_error: Option<&dyn Error>,
) -> http::Response<Vec<u8>> {
    let scope = scope::current();
    let timestamp = scope.as_ref().map(|scope| scope.timestamp());
    let request_id = scope.as_ref().map(|scope| scope.request_id().as_str());
    let status = error.status();
    let default = status.is_server_error().then(|| {
        scope
            .as_ref()
            .map_or(LogLevel::Error, |scope| scope.log_level())
    });
    if let Some(level) = error
        .log_level()
        .or(default)
        .filter(|l| *l != LogLevel::Off)
    {
        let chain = as_error.map(chain);
        log(
            level,
            request_id,
            status.as_u16(),
            error.code(),
            chain.as_deref(),
        );
    }
    let context = Context {
        request_id,
        timestamp: timestamp.as_deref(),
        ..Context::EMPTY
    };
    error.to_response_with(&context)
}

/// Logs an error a response answers with, with OpenTelemetry's names for its status and
/// code (`http.response.status_code`, `error.type`), the request id, and the error's
/// chain (log only, never the response).
fn log(level: LogLevel, request_id: Option<&str>, status: u16, code: &str, chain: Option<&str>) {
    macro_rules! at {
        ($macro:ident) => {
            tracing::$macro!(
                request_id,
                http.response.status_code = status,
                error.type = code,
                error = chain,
                "request failed with {}",
                if status >= 500 { "a server error" } else { "a client error" },
            )
        };
    }
    match level {
        LogLevel::Error => at!(error),
        LogLevel::Warn => at!(warn),
        LogLevel::Info => at!(info),
        LogLevel::Debug => at!(debug),
        LogLevel::Off => {}
    }
}

/// An error's `Display` followed by each of its sources', `: `-separated, leaving out a
/// source whose text is already there (`#[error("db down: {0}")]` shows its source).
pub(crate) fn chain(error: &dyn Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    // Bounded, in case a hand-written `source` forms a cycle.
    for _ in 0..32 {
        let Some(error) = source else { break };
        let line = error.to_string();
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = error.source();
    }
    text
}

/// Finds out, where the concrete type is known, whether a derived type implements
/// `std::error::Error`, without requiring it to (autoref specialization).
///
/// `(&Probe(&value)).as_error()` (the leading `&` is what makes it work, whatever
/// `clippy::needless_borrow` says) is `Some` when the type implements `Error` (through
/// [`ViaError`]) and `None` otherwise (through [`ViaNone`]). In an impl that is generic
/// over the type, it is `Some` only when the impl's bounds prove `Error`.
pub(crate) mod probe {
    use std::error::Error;

    /// A value being asked whether it is an `Error`.
    #[derive(Debug)]
    pub struct Probe<'a, T: ?Sized>(pub &'a T);

    /// The answer for types that implement `Error`: the value itself.
    pub trait ViaError<'a> {
        /// The value as an error.
        fn as_error(&self) -> Option<&'a dyn Error>;
    }

    impl<'a, T: Error> ViaError<'a> for Probe<'a, T> {
        fn as_error(&self) -> Option<&'a dyn Error> {
            Some(self.0)
        }
    }

    /// The answer for every other type: none.
    pub trait ViaNone<'a> {
        /// No error.
        fn as_error(&self) -> Option<&'a dyn Error> {
            None
        }
    }

    impl<'a, T: ?Sized> ViaNone<'a> for &Probe<'a, T> {}
}

/// Logs a panic in a request's handler at error level, with the request id.
pub(crate) fn log_panic(payload: &(dyn std::any::Any + Send)) {
    let scope = scope::current();
    tracing::error!(
        request_id = scope.as_ref().map(|scope| scope.request_id().as_str()),
        panic = panic_message(payload),
        "request handler panicked",
    );
}

/// The text of a panic's payload: the `&str` or `String` that `panic!` was given.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
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
    use std::fmt;

    use super::probe::{Probe, ViaError as _, ViaNone as _};
    use super::*;

    #[derive(Debug)]
    struct Outer(std::io::Error);

    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("outer")
        }
    }

    impl Error for Outer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&self.0)
        }
    }

    struct NotAnError;

    #[test]
    fn chain_lists_every_source_once() {
        let error = Outer(std::io::Error::other("inner"));
        assert_eq!(chain(&error), "outer: inner");
        let error = Outer(std::io::Error::other("outer"));
        assert_eq!(chain(&error), "outer");
    }

    #[test]
    #[allow(clippy::needless_borrow, reason = "the borrow selects the impl")]
    fn probe_finds_error_impls() {
        let error = Outer(std::io::Error::other("inner"));
        assert_eq!(
            (&Probe(&error))
                .as_error()
                .map(ToString::to_string)
                .as_deref(),
            Some("outer")
        );
        assert!((&Probe(&NotAnError)).as_error().is_none());
    }
}
