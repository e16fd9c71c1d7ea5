//! The driver's spans and events, with OpenTelemetry's semantic-convention names, when
//! the `tracing` feature is on; without it these compile to nothing.
//!
//! A span `retry` per logical call, and a span `attempt` per attempt inside it, with
//! `http.request.resend_count` (from the second attempt on), `http.request.method` and
//! `server.address` (filled by [`reqwest::send`](crate::reqwest::send) when the attempt
//! goes through it), and once it failed `http.response.status_code`, `error.type` (the
//! error's code, or a transport failure's kind) and the response's `request_id`, also
//! written as an `attempt_failed` event. Each decision is an event in the call's span:
//! `retrying` (with `delay_ms`), `held_back` (`wait_ms`), `reauthenticating`, `gave_up`
//! (`reason`, at warn level) and `succeeded`.

use std::future::Future;
use std::time::Duration;

use super::classify::Summary;

/// The span of one logical call.
#[derive(Clone)]
pub(crate) struct CallSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

/// The span of one attempt.
pub(crate) struct AttemptSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

#[cfg(feature = "tracing")]
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl CallSpan {
    pub(crate) fn new() -> Self {
        CallSpan {
            #[cfg(feature = "tracing")]
            span: tracing::info_span!("retry", attempts = tracing::field::Empty),
        }
    }

    /// `future`, run inside this span.
    pub(crate) fn enter<F: Future>(&self, future: F) -> impl Future<Output = F::Output> {
        #[cfg(feature = "tracing")]
        {
            tracing::Instrument::instrument(future, self.span.clone())
        }
        #[cfg(not(feature = "tracing"))]
        {
            future
        }
    }

    pub(crate) fn attempt(&self, attempt: u32) -> AttemptSpan {
        #[cfg(feature = "tracing")]
        {
            let span = tracing::info_span!(
                parent: &self.span,
                "attempt",
                attempt,
                http.request.resend_count = tracing::field::Empty,
                http.request.method = tracing::field::Empty,
                server.address = tracing::field::Empty,
                http.response.status_code = tracing::field::Empty,
                error.type = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            if attempt > 1 {
                span.record("http.request.resend_count", attempt - 1);
            }
            AttemptSpan { span }
        }
        #[cfg(not(feature = "tracing"))]
        {
            let _ = attempt;
            AttemptSpan {}
        }
    }

    pub(crate) fn retrying(&self, next_attempt: u32, delay: Duration) {
        #[cfg(feature = "tracing")]
        self.span.in_scope(|| {
            tracing::info!(next_attempt, delay_ms = millis(delay), "retrying");
        });
        let _ = (next_attempt, delay);
    }

    pub(crate) fn held_back(&self, next_attempt: u32, wait: Duration) {
        #[cfg(feature = "tracing")]
        self.span.in_scope(|| {
            tracing::info!(next_attempt, wait_ms = millis(wait), "held_back");
        });
        let _ = (next_attempt, wait);
    }

    pub(crate) fn reauthenticating(&self, next_attempt: u32) {
        #[cfg(feature = "tracing")]
        self.span
            .in_scope(|| tracing::info!(next_attempt, "reauthenticating"));
        let _ = next_attempt;
    }

    pub(crate) fn succeeded(&self, attempts: u32, waited: Duration) {
        #[cfg(feature = "tracing")]
        {
            self.span.record("attempts", attempts);
            self.span.in_scope(|| {
                tracing::info!(attempts, waited_ms = millis(waited), "succeeded");
            });
        }
        let _ = (attempts, waited);
    }

    pub(crate) fn gave_up(&self, attempts: u32, reason: &dyn std::fmt::Display, waited: Duration) {
        #[cfg(feature = "tracing")]
        {
            self.span.record("attempts", attempts);
            self.span.in_scope(|| {
                tracing::warn!(
                    attempts,
                    waited_ms = millis(waited),
                    reason = %reason,
                    "gave_up"
                );
            });
        }
        let _ = (attempts, reason, waited);
    }
}

impl AttemptSpan {
    /// `future`, run inside this span.
    pub(crate) fn enter<F: Future>(&self, future: F) -> impl Future<Output = F::Output> {
        #[cfg(feature = "tracing")]
        {
            tracing::Instrument::instrument(future, self.span.clone())
        }
        #[cfg(not(feature = "tracing"))]
        {
            future
        }
    }

    /// Records what a failed attempt's outcome said (`timed_out`: it was abandoned).
    pub(crate) fn failed(&self, summary: &Summary<'_>, timed_out: bool) {
        #[cfg(feature = "tracing")]
        {
            if let Some(status) = summary.status {
                self.span
                    .record("http.response.status_code", status.as_u16());
            }
            let kind = if timed_out {
                Some("timeout")
            } else {
                summary.code
            };
            if let Some(kind) = kind {
                self.span.record("error.type", kind);
            }
            if let Some(id) = summary.request_id {
                self.span.record("request_id", id);
            }
            self.span.in_scope(|| {
                tracing::info!(
                    http.response.status_code = summary.status.map(|s| s.as_u16()),
                    error.type = kind,
                    request_id = summary.request_id,
                    timed_out,
                    "attempt_failed"
                );
            });
        }
        let _ = (summary, timed_out);
    }
}

/// Records a request's method and server address on the current spans (the attempt's
/// and the call's), when the call runs inside the driver.
#[cfg(any(feature = "reqwest", feature = "ureq"))]
pub(crate) fn request(method: &http::Method, host: Option<&str>) {
    #[cfg(feature = "tracing")]
    {
        let span = tracing::Span::current();
        span.record("http.request.method", method.as_str());
        if let Some(host) = host {
            span.record("server.address", host);
        }
    }
    let _ = (method, host);
}

/// Logs, once per outage, that the fleet store stopped answering, and once that it is back.
pub(crate) fn fleet(down: bool, error: Option<&dyn std::fmt::Display>) {
    #[cfg(feature = "tracing")]
    {
        if down {
            tracing::warn!(
                error = error.map(tracing::field::display),
                "the fleet store is not answering; going on with this process's state"
            );
        } else {
            tracing::info!("the fleet store answers again");
        }
    }
    let _ = (down, error);
}
