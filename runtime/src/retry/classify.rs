//! Classification: what a finished attempt says about repeating it.

use http::{Method, StatusCode};

use crate::api_error::ApiError;
use crate::decode::{DecodeError, ResponseMeta};
use crate::decoded::Decoded;
use crate::hint::failure::Failure;
use crate::hint::retry_after::RetryAfter;
use crate::retry_class::Retry;

/// What an attempt's outcome says about retrying: `None` for a success, a [`Failure`]
/// otherwise.
///
/// Implemented for decoded API errors ([`Decoded`]), for responses (an error status is
/// a failure of the status's default class), for `Result`s of those, and for transport
/// errors (`reqwest::Error` with the `reqwest` feature; any boxed error, as used by
/// tower stacks, is a transient [`Retry::Backoff`]).
pub trait Classify {
    /// The failure this outcome is, if it is one.
    fn failure(&self) -> Option<Failure>;

    /// What the outcome says for the driver's events and traces: the response's status,
    /// the error's code (or a transport failure's kind) and the request id. Empty unless
    /// the type knows them.
    fn summary(&self) -> Summary<'_> {
        Summary::default()
    }
}

/// What an attempt's outcome said, for events and traces (OpenTelemetry's
/// `http.response.status_code` and `error.type`, and the response's request id).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary<'a> {
    /// The response's status, if a response arrived.
    pub status: Option<StatusCode>,
    /// The error's code, or the kind of a transport failure (`timeout`, `connect`).
    pub code: Option<&'a str>,
    /// The response's request id.
    pub request_id: Option<&'a str>,
}

impl<'a> Summary<'a> {
    /// A response's summary: its status and the request id of its headers.
    pub(crate) fn of_response(status: StatusCode, headers: &'a http::HeaderMap) -> Self {
        Summary::new(
            Some(status),
            None,
            crate::decode::request_id_header(headers),
        )
    }

    /// A summary of these parts.
    pub const fn new(
        status: Option<StatusCode>,
        code: Option<&'a str>,
        request_id: Option<&'a str>,
    ) -> Self {
        Summary {
            status,
            code,
            request_id,
        }
    }
}

impl<E: ApiError> Classify for Decoded<E> {
    fn failure(&self) -> Option<Failure> {
        let retry_after = self
            .meta
            .retry_after
            .or_else(|| self.error.retry_after().map(RetryAfter::Delay));
        if let Some(failure) = self.error.__classify(&self.meta) {
            return Some(failure);
        }
        let pinned = self.error.__retry_pinned();
        Some(
            Failure::signalled(
                self.error.retry(),
                pinned,
                retry_after,
                self.meta.rate_limit,
            )
            .with_should_retry(self.meta.should_retry, pinned),
        )
    }

    fn summary(&self) -> Summary<'_> {
        Summary::new(
            Some(self.meta.status),
            Some(self.error.code()),
            self.meta.request_id.as_deref(),
        )
    }
}

impl Classify for DecodeError {
    /// The failure the response's status means by default ([`Retry::Never`] when the
    /// status is unknown).
    fn failure(&self) -> Option<Failure> {
        let class = self.status().map_or(Retry::Never, Retry::for_status);
        Some(Failure::new(class))
    }

    fn summary(&self) -> Summary<'_> {
        Summary::new(self.status(), Some(self.unknown().code()), None)
    }
}

impl Classify for ResponseMeta {
    /// The failure the response's status means by default, with its hint.
    fn failure(&self) -> Option<Failure> {
        Some(
            Failure::signalled(
                Retry::for_status(self.status),
                false,
                self.retry_after,
                self.rate_limit,
            )
            .with_should_retry(self.should_retry, false),
        )
    }

    fn summary(&self) -> Summary<'_> {
        Summary::new(
            Some(self.status),
            self.code.as_deref(),
            self.request_id.as_deref(),
        )
    }
}

impl<B> Classify for http::Response<B> {
    /// A 4xx or 5xx is a failure of the status's default class; anything else succeeds.
    fn failure(&self) -> Option<Failure> {
        response_failure(self.status(), self.headers())
    }

    fn summary(&self) -> Summary<'_> {
        Summary::of_response(self.status(), self.headers())
    }
}

/// What a response with `status` and `headers` says about repeating its request: a 4xx
/// or 5xx is a failure of the status's default class, with its hint.
pub(crate) fn response_failure(status: StatusCode, headers: &http::HeaderMap) -> Option<Failure> {
    (status.is_client_error() || status.is_server_error())
        .then(|| Failure::for_status(status, headers))
}

impl<T: Classify, E: Classify> Classify for Result<T, E> {
    fn failure(&self) -> Option<Failure> {
        match self {
            Ok(value) => value.failure(),
            Err(error) => error.failure(),
        }
    }

    fn summary(&self) -> Summary<'_> {
        match self {
            Ok(value) => value.summary(),
            Err(error) => error.summary(),
        }
    }
}

impl Classify for std::convert::Infallible {
    fn failure(&self) -> Option<Failure> {
        match *self {}
    }
}

impl<T: Classify + ?Sized> Classify for Box<T> {
    fn failure(&self) -> Option<Failure> {
        (**self).failure()
    }

    fn summary(&self) -> Summary<'_> {
        (**self).summary()
    }
}

impl<T: Classify + ?Sized> Classify for std::sync::Arc<T> {
    fn failure(&self) -> Option<Failure> {
        (**self).failure()
    }

    fn summary(&self) -> Summary<'_> {
        (**self).summary()
    }
}

impl<T: Classify + ?Sized> Classify for &T {
    fn failure(&self) -> Option<Failure> {
        (**self).failure()
    }

    fn summary(&self) -> Summary<'_> {
        (**self).summary()
    }
}

/// An error of any type, as a closure returning mixed errors boxes it
/// (`Box<dyn Error + Send + Sync>`): classified as what it is. The error and then its
/// sources are tried in turn against the crate's error types (`DecodeError`, a
/// `reqwest::Error`, an `io::Error`, and, for every derived enum `E` that has decoded a
/// response, `E`, `Decoded<E>` and `ClientError<E>`); the first that is one classifies
/// it. An error of no known type is [`Retry::Backoff`] as sent: retried only when the
/// call is idempotent.
impl Classify for dyn std::error::Error + Send + Sync + 'static {
    fn failure(&self) -> Option<Failure> {
        Some(classify_any(self))
    }

    fn summary(&self) -> Summary<'_> {
        summarize_any(self)
    }
}

/// As for `dyn Error + Send + Sync`.
impl Classify for dyn std::error::Error + Send + 'static {
    fn failure(&self) -> Option<Failure> {
        Some(classify_any(self))
    }

    fn summary(&self) -> Summary<'_> {
        summarize_any(self)
    }
}

/// As for `dyn Error + Send + Sync`.
impl Classify for dyn std::error::Error + 'static {
    fn failure(&self) -> Option<Failure> {
        Some(classify_any(self))
    }

    fn summary(&self) -> Summary<'_> {
        summarize_any(self)
    }
}

/// Classifies an error of a type the caller cannot name: see the impl for `dyn Error`.
fn classify_any(error: &(dyn std::error::Error + 'static)) -> Failure {
    std::iter::successors(Some(error), |error| error.source())
        .find_map(classify_known)
        .unwrap_or(Failure::new(Retry::Backoff))
}

/// The summary of the first error in the chain that has one.
fn summarize_any<'a>(error: &'a (dyn std::error::Error + 'static)) -> Summary<'a> {
    std::iter::successors(Some(error), |error| error.source())
        .find_map(|error| {
            if let Some(error) = error.downcast_ref::<DecodeError>() {
                return Some(error.summary());
            }
            registered()
                .iter()
                .find_map(|classifier| (classifier.summary)(error))
        })
        .unwrap_or_default()
}

/// The class of one error whose type the crate knows, if it is one.
fn classify_known(error: &(dyn std::error::Error + 'static)) -> Option<Failure> {
    if let Some(error) = error.downcast_ref::<DecodeError>() {
        return error.failure();
    }
    #[cfg(feature = "reqwest")]
    if let Some(error) = error.downcast_ref::<reqwest::Error>() {
        return error.failure();
    }
    if let Some(error) = error.downcast_ref::<std::io::Error>() {
        return Some(io_failure(error));
    }
    registered()
        .iter()
        .find_map(|classifier| (classifier.failure)(error))
}

/// An I/O error: transient, and never sent when the connection was refused.
fn io_failure(error: &std::io::Error) -> Failure {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::ConnectionRefused => Failure::new(Retry::Backoff).with_sent(false),
        ErrorKind::ConnectionReset
        | ErrorKind::ConnectionAborted
        | ErrorKind::BrokenPipe
        | ErrorKind::TimedOut
        | ErrorKind::UnexpectedEof
        | ErrorKind::Interrupted => Failure::new(Retry::Backoff),
        _ => Failure::new(Retry::Never),
    }
}

/// How an error of one derived enum's family is recognised behind `dyn Error`.
pub(crate) struct Classifier {
    pub(crate) failure: fn(&(dyn std::error::Error + 'static)) -> Option<Failure>,
    pub(crate) summary: for<'a> fn(&'a (dyn std::error::Error + 'static)) -> Option<Summary<'a>>,
}

/// The derived enums that have decoded a response, in the order they first did.
static REGISTERED: std::sync::RwLock<Vec<Classifier>> = std::sync::RwLock::new(Vec::new());

fn registered() -> std::sync::RwLockReadGuard<'static, Vec<Classifier>> {
    REGISTERED
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Adds a family's classifier (see [`client`](crate::client), which registers each
/// derived enum's family with the types it knows).
pub(crate) fn register(classifier: Classifier) {
    REGISTERED
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(classifier);
}

/// Whether a request may be repeated without changing the outcome.
///
/// Only idempotent requests are retried; a non-idempotent one (a `POST` without an
/// idempotency key, say) is retried only when the caller declares it safe by passing
/// [`Idempotency::Idempotent`], or when it provably never reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Idempotency {
    /// Repeating the request is safe.
    Idempotent,
    /// Repeating the request could apply it twice.
    NotIdempotent,
}

impl Idempotency {
    /// The idempotency of `method` (RFC 9110 §9.2.2: `GET`, `HEAD`, `OPTIONS`, `TRACE`,
    /// `PUT` and `DELETE` are idempotent).
    ///
    /// ```
    /// use apierror::retry::Idempotency;
    /// use http::Method;
    ///
    /// assert_eq!(Idempotency::of(&Method::PUT), Idempotency::Idempotent);
    /// assert_eq!(Idempotency::of(&Method::POST), Idempotency::NotIdempotent);
    /// ```
    pub fn of(method: &Method) -> Self {
        if method.is_idempotent() {
            Idempotency::Idempotent
        } else {
            Idempotency::NotIdempotent
        }
    }

    /// Whether repeating is safe.
    pub const fn is_idempotent(self) -> bool {
        matches!(self, Idempotency::Idempotent)
    }
}

impl From<&Method> for Idempotency {
    fn from(method: &Method) -> Self {
        Idempotency::of(method)
    }
}

/// One logical call's `Idempotency-Key` (the IETF draft's header): the same on every
/// attempt, so a server that honours it applies a repeated `POST` once.
/// [`RetryDriver::run_keyed`](super::RetryDriver::run_keyed) mints one per call and
/// retries the call as idempotent; a non-idempotent call without one is never retried
/// once it reached the server.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// The header that carries it.
    pub const HEADER: http::HeaderName = http::HeaderName::from_static("idempotency-key");

    /// A key of 128 random bits from `rng`, as 32 lowercase hex digits.
    pub fn generate(rng: &mut (impl super::Rng + ?Sized)) -> Self {
        let (high, low) = (rng.next_u64(), rng.next_u64());
        IdempotencyKey(format!("{high:016x}{low:016x}"))
    }

    /// A key the caller already has (one stored with the operation, say).
    pub fn new(key: impl Into<String>) -> Self {
        IdempotencyKey(key.into())
    }

    /// The key's text, for the header.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderMap;

    #[test]
    fn a_responses_summary_reads_any_request_id_header() {
        let mut response = http::Response::new(());
        *response.status_mut() = StatusCode::BAD_GATEWAY;
        response
            .headers_mut()
            .insert("request-id", http::HeaderValue::from_static("r-9"));
        let summary = response.summary();
        assert_eq!(summary.status, Some(StatusCode::BAD_GATEWAY));
        assert_eq!(summary.request_id, Some("r-9"));
    }
    use std::time::Duration;

    #[test]
    fn response_status_classifies_with_its_hint() {
        let response = http::Response::builder()
            .status(503)
            .header("retry-after", "7")
            .body(())
            .unwrap();
        assert_eq!(
            response.failure(),
            Some(
                Failure::new(Retry::Backoff)
                    .with_retry_after(Some(RetryAfter::Delay(Duration::from_secs(7))))
            )
        );
        let ok = http::Response::builder().status(200).body(()).unwrap();
        assert_eq!(ok.failure(), None);
        let redirect = http::Response::builder().status(304).body(()).unwrap();
        assert_eq!(redirect.failure(), None);
    }

    #[test]
    fn exhausted_rate_limit_is_a_hint_for_429_only() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-remaining", "0".parse().unwrap());
        headers.insert("x-ratelimit-reset", "12".parse().unwrap());
        let throttled = Failure::for_status(StatusCode::TOO_MANY_REQUESTS, &headers);
        assert_eq!(
            throttled.retry_after,
            Some(RetryAfter::Delay(Duration::from_secs(12)))
        );
        let unavailable = Failure::for_status(StatusCode::SERVICE_UNAVAILABLE, &headers);
        assert_eq!(unavailable.retry_after, None);
    }

    #[test]
    fn boxed_errors_are_transient() {
        let error: Box<dyn std::error::Error + Send + Sync> = "reset by peer".into();
        assert_eq!(error.failure(), Some(Failure::new(Retry::Backoff)));
    }
}
