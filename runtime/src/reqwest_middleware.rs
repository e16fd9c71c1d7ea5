//! reqwest-middleware integration: [`RetryMiddleware`], the crate's retry driver as a
//! `reqwest_middleware::Middleware`, a drop-in for reqwest-retry's
//! `RetryTransientMiddleware` that decodes each error into your enum to decide.
//!
//! Layer 6: an integration (on top of the rest).
//!
//! Every attempt goes down the rest of the stack; an error response is read (with the
//! bound [`ERROR_BODY_LIMIT`](crate::reqwest::ERROR_BODY_LIMIT)) and decoded into `E`, so
//! the declared retry signals, `Retry-After`, the rate-limit headers and the variant's
//! class decide, with the driver's policy, gate, breaker, budget, attempt timeout and
//! spans. What the caller gets:
//!
//! - a success, as it came;
//! - when the driver gives up after an error response, that response, rebuilt from the
//!   bytes read (status, headers, extensions, and the body's first 64 KiB), with a
//!   [`RetryReport`] in its extensions: decode it as without the middleware, with
//!   [`ResponseExt`](crate::reqwest::ResponseExt);
//! - when it gives up with no response to show (a transport error, an open breaker, a
//!   hold past the policy), `reqwest_middleware::Error::Middleware` holding a
//!   [`Stopped`], whose source is the last transport error; [`stopped`] finds it.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use apierror::reqwest::{ClientError, ResponseExt};
//! use apierror::reqwest_middleware::RetryMiddleware;
//! use apierror::retry::RetryPolicy;
//!
//! #[derive(Debug, thiserror::Error, apierror::ApiError)]
//! #[api_error(format = "flat")]
//! enum VendorError {
//!     #[error("slow down")]
//!     #[status(429)]
//!     RateLimitExceeded,
//!     #[api_error(unknown)]
//!     #[error("{0}")]
//!     Other(apierror::Unknown),
//! }
//!
//! let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
//!     .with(RetryMiddleware::<VendorError>::new(RetryPolicy::new()))
//!     .build();
//! let response = client.get("http://127.0.0.1:3000/items").send().await?;
//! match response.api_json::<Vec<String>, VendorError>().await {
//!     Ok(items) => println!("{items:?}"),
//!     Err(ClientError::Api(decoded)) => println!("{} ({:?})", decoded.error, decoded.meta.request_id),
//!     Err(other) => println!("{other}"),
//! }
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use ::reqwest::{Method, Request, Response};
use ::reqwest_middleware::{Middleware, Next};
use http::{Extensions, HeaderName, HeaderValue};

use crate::api_error::ApiError;
use crate::client::{api_error_of, is_error};
use crate::format::Format;
use crate::retry::{
    Classify, Clock, Failure, Idempotency, RetryDriver, RetryError, Rng, Sleep, SplitMix64,
    StopReason, Summary,
};
use crate::retry_class::Retry;

/// The crate's retry driver as a `reqwest_middleware::Middleware`, deciding by the error
/// `E` that each error response decodes to: see the [module](self).
///
/// Which requests are repeated: those whose method is idempotent (`GET`, `HEAD`,
/// `OPTIONS`, `TRACE`, `PUT`, `DELETE`), those that carry the idempotency key header, and,
/// with [`with_idempotency_key`](Self::with_idempotency_key), every request (a key is
/// minted per call and sent on each attempt); any request that provably never reached
/// the server. A request whose body cannot be cloned (a stream) is sent once.
pub struct RetryMiddleware<
    E,
    S = crate::retry::TokioSleep,
    C = crate::retry::TokioClock,
    R = SplitMix64,
> {
    driver: Arc<RetryDriver<S, C, R>>,
    key_header: HeaderName,
    mint_keys: bool,
    error: PhantomData<fn() -> E>,
}

impl<E, S, C, R> fmt::Debug for RetryMiddleware<E, S, C, R>
where
    S: fmt::Debug,
    C: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryMiddleware")
            .field("driver", &self.driver)
            .field("key_header", &self.key_header)
            .field("mint_keys", &self.mint_keys)
            .finish()
    }
}

impl<E> RetryMiddleware<E> {
    /// A middleware running `policy` on tokio's timer, without breaker or budget (give a
    /// driver of your own to [`with_driver`](Self::with_driver) for those).
    pub fn new(policy: crate::retry::RetryPolicy) -> Self {
        RetryMiddleware::with_driver(Arc::new(RetryDriver::tokio(policy)))
    }
}

impl<E, S, C, R> RetryMiddleware<E, S, C, R> {
    /// A middleware running `driver`: its policy, clock, sleep, breaker, budget, gate and
    /// observer, shared with whatever else runs it.
    pub fn with_driver(driver: Arc<RetryDriver<S, C, R>>) -> Self {
        RetryMiddleware {
            driver,
            key_header: HeaderName::from_static("idempotency-key"),
            mint_keys: false,
            error: PhantomData,
        }
    }

    /// Sends an idempotency key in `header` on every attempt of every request (one key
    /// per call, the same on each attempt), so that a `POST` is retried too; a request
    /// that already has the header keeps its own key. Only for servers that honour the
    /// header, like Stripe's `Idempotency-Key`.
    #[must_use]
    pub fn with_idempotency_key(mut self, header: HeaderName) -> Self {
        self.key_header = header;
        self.mint_keys = true;
        self
    }

    /// The driver.
    pub fn driver(&self) -> &Arc<RetryDriver<S, C, R>> {
        &self.driver
    }

    /// Whether `request` may be repeated without minting a key.
    fn idempotency(&self, request: &Request) -> Idempotency {
        let safe = matches!(
            *request.method(),
            Method::GET
                | Method::HEAD
                | Method::OPTIONS
                | Method::TRACE
                | Method::PUT
                | Method::DELETE
        );
        if safe || request.headers().contains_key(&self.key_header) {
            Idempotency::Idempotent
        } else {
            Idempotency::NotIdempotent
        }
    }
}

/// What a response that ended the retries says of them, in its extensions: why the driver
/// stopped, after how many attempts and how long waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryReport {
    /// Why the driver stopped.
    pub reason: StopReason,
    /// Attempts made.
    pub attempts: u32,
    /// Time waited between them.
    pub waited: Duration,
}

/// The middleware gave up with no response to show: why, and the last transport error
/// (the [`source`](std::error::Error::source)), if an attempt got that far.
#[derive(Debug)]
pub struct Stopped {
    reason: StopReason,
    attempts: u32,
    waited: Duration,
    resumes_at: Option<SystemTime>,
    last: Option<::reqwest_middleware::Error>,
}

impl Stopped {
    /// Why the driver stopped.
    pub fn reason(&self) -> StopReason {
        self.reason
    }

    /// Attempts made (none when the breaker was open or a hold too long).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Time waited between attempts.
    pub fn waited(&self) -> Duration {
        self.waited
    }

    /// When the service takes requests again, for a hold past the policy.
    pub fn resumes_at(&self) -> Option<SystemTime> {
        self.resumes_at
    }

    /// The last attempt's transport error, if there was one.
    pub fn last(&self) -> Option<&::reqwest_middleware::Error> {
        self.last.as_ref()
    }
}

impl fmt::Display for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "gave up after {} attempt(s): {}",
            self.attempts, self.reason
        )
    }
}

impl std::error::Error for Stopped {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.last.as_ref().map(|e| e as _)
    }
}

/// The [`Stopped`] a `reqwest_middleware::Error` holds, if the middleware gave up with
/// no response.
pub fn stopped(error: &::reqwest_middleware::Error) -> Option<&Stopped> {
    match error {
        ::reqwest_middleware::Error::Middleware(error) => error.downcast_ref::<Stopped>(),
        ::reqwest_middleware::Error::Reqwest(_) => None,
    }
}

impl Classify for ::reqwest_middleware::Error {
    /// A reqwest error as reqwest's; another middleware's error is [`Retry::Never`].
    fn failure(&self) -> Option<Failure> {
        match self {
            ::reqwest_middleware::Error::Reqwest(error) => error.failure(),
            ::reqwest_middleware::Error::Middleware(_) => Some(Failure::new(Retry::Never)),
        }
    }

    fn summary(&self) -> Summary<'_> {
        match self {
            ::reqwest_middleware::Error::Reqwest(error) => error.summary(),
            ::reqwest_middleware::Error::Middleware(_) => {
                Summary::new(None, Some("middleware"), None)
            }
        }
    }
}

/// What one attempt failed with: the transport error, or the error response read and
/// decoded, kept to be handed back if it is the last.
enum AttemptError<E> {
    Transport(::reqwest_middleware::Error),
    Answered {
        failure: Option<Failure>,
        response: http::Response<Vec<u8>>,
        error: PhantomData<fn() -> E>,
    },
}

impl<E> Classify for AttemptError<E> {
    fn failure(&self) -> Option<Failure> {
        match self {
            AttemptError::Transport(error) => error.failure(),
            AttemptError::Answered { failure, .. } => *failure,
        }
    }

    fn summary(&self) -> Summary<'_> {
        match self {
            AttemptError::Transport(error) => error.summary(),
            AttemptError::Answered { response, .. } => Summary::new(
                Some(response.status()),
                None,
                crate::decode::request_id_header(response.headers()),
            ),
        }
    }
}

/// Reads an error response (or a 2xx that is `E`'s error envelope) and decides on it;
/// passes any other response through.
async fn attempt_outcome<E: ApiError>(mut response: Response) -> Result<Response, AttemptError<E>> {
    let status = response.status();
    let marks = <E::Format as Format>::MARKS_ERRORS && status.is_success();
    if !is_error(status) && !marks {
        return Ok(response);
    }
    let limit = if marks {
        crate::reqwest::SUCCESS_BODY_LIMIT
    } else {
        crate::reqwest::ERROR_BODY_LIMIT
    };
    let mut bytes = Vec::new();
    let read = read_past(&mut response, limit, &mut bytes).await;
    if marks && (!matches!(read, Ok(false)) || !<E::Format as Format>::is_error_body(&bytes)) {
        // A success after all, handed back whole: a body past the bound is longer than
        // any envelope is decoded from, so the rest is read too (as the caller would).
        return match read {
            Ok(true) => match read_rest(&mut response, &mut bytes).await {
                Ok(()) => Ok(rebuild(&mut response, bytes)),
                Err(error) => Err(AttemptError::Transport(error.into())),
            },
            Ok(false) => Ok(rebuild(&mut response, bytes)),
            Err(error) => Err(AttemptError::Transport(error.into())),
        };
    }
    if matches!(read, Ok(true)) {
        // The error body handed back is its first `limit` bytes: its length is no longer
        // the one announced.
        bytes.truncate(limit);
        response.headers_mut().remove(http::header::CONTENT_LENGTH);
    }
    let failure = match api_error_of::<E, ()>(status, response.headers(), &bytes) {
        crate::client::ClientError::Api(decoded) => decoded.failure(),
        crate::client::ClientError::Undecodable { meta, .. } => meta.failure(),
        _ => None,
    };
    Err(AttemptError::Answered {
        failure,
        response: into_http(&mut response, bytes),
        error: PhantomData,
    })
}

/// Appends the body to `bytes` chunk by chunk until it holds more than `limit` bytes
/// (keeping whole chunks, so that the rest can follow); `true` if it went past.
async fn read_past(
    response: &mut Response,
    limit: usize,
    bytes: &mut Vec<u8>,
) -> Result<bool, ::reqwest::Error> {
    while let Some(chunk) = response.chunk().await? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > limit {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Appends the rest of the body to `bytes`.
async fn read_rest(response: &mut Response, bytes: &mut Vec<u8>) -> Result<(), ::reqwest::Error> {
    while let Some(chunk) = response.chunk().await? {
        bytes.extend_from_slice(&chunk);
    }
    Ok(())
}

/// The response's head (its URL too) with `body` as its body.
fn into_http(response: &mut Response, body: Vec<u8>) -> http::Response<Vec<u8>> {
    use ::reqwest::ResponseBuilderExt as _;
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = response.status();
    *rebuilt.version_mut() = response.version();
    *rebuilt.headers_mut() = std::mem::take(response.headers_mut());
    let extensions = rebuilt.extensions_mut();
    *extensions = std::mem::take(response.extensions_mut());
    // reqwest keeps a response's URL in an extension only its builder sets.
    if let Ok(with_url) = http::Response::builder()
        .url(response.url().clone())
        .body(())
    {
        extensions.extend(with_url.into_parts().0.extensions);
    }
    rebuilt
}

/// A `reqwest::Response` with the head of `response` and `body`.
fn rebuild(response: &mut Response, body: Vec<u8>) -> Response {
    Response::from(into_http(response, body))
}

impl<E, S, C, R> Middleware for RetryMiddleware<E, S, C, R>
where
    E: ApiError + 'static,
    S: Sleep + Send + Sync + 'static,
    S::Future: Send,
    C: Clock + 'static,
    R: Rng + Send + 'static,
{
    fn handle<'life0, 'life1, 'life2, 'async_trait>(
        &'life0 self,
        request: Request,
        extensions: &'life1 mut Extensions,
        next: Next<'life2>,
    ) -> Pin<Box<dyn Future<Output = ::reqwest_middleware::Result<Response>> + Send + 'async_trait>>
    where
        'life0: 'async_trait,
        'life1: 'async_trait,
        'life2: 'async_trait,
        Self: 'async_trait,
    {
        Box::pin(self.run(request, extensions, next))
    }
}

impl<E, S, C, R> RetryMiddleware<E, S, C, R>
where
    E: ApiError + 'static,
    S: Sleep + Send + Sync + 'static,
    S::Future: Send,
    C: Clock + 'static,
    R: Rng + Send + 'static,
{
    async fn run(
        &self,
        request: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> ::reqwest_middleware::Result<Response> {
        if request.try_clone().is_none() {
            // A streamed body can be sent once only.
            return next.run(request, extensions).await;
        }
        let idempotency = self.idempotency(&request);
        let keyed = self.mint_keys && !request.headers().contains_key(&self.key_header);
        // The extensions of the last attempt, put back for the caller.
        let last_extensions = Mutex::new(None);
        let attempt = |key: Option<HeaderValue>| {
            let mut request = request
                .try_clone()
                .expect("a body that cloned once clones again");
            if let Some(key) = key {
                request.headers_mut().insert(self.key_header.clone(), key);
            }
            let mut attempt_extensions = extensions.clone();
            let next = next.clone();
            let last_extensions = &last_extensions;
            async move {
                crate::retry::trace::request(request.method(), request.url().host_str());
                let sent = next.run(request, &mut attempt_extensions).await;
                *last_extensions
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(attempt_extensions);
                match sent {
                    Ok(response) => attempt_outcome::<E>(response).await,
                    Err(error) => Err(AttemptError::Transport(error)),
                }
            }
        };
        let result = if keyed {
            self.driver
                .run_keyed(|_, key| attempt(HeaderValue::from_str(key.as_str()).ok()))
                .await
        } else {
            self.driver.run(idempotency, |_| attempt(None)).await
        };
        if let Some(last) = last_extensions
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
        {
            *extensions = last;
        }
        result.or_else(gave_up)
    }
}

/// What the caller gets when the driver gives up: the last error response, rebuilt, with
/// a [`RetryReport`]; else a [`Stopped`] error.
fn gave_up<E>(stopped: RetryError<AttemptError<E>>) -> ::reqwest_middleware::Result<Response> {
    let report = RetryReport {
        reason: stopped.reason(),
        attempts: stopped.attempts(),
        waited: stopped.waited(),
    };
    let resumes_at = stopped.resumes_at();
    match stopped.into_last() {
        Some(AttemptError::Answered { mut response, .. }) => {
            response.extensions_mut().insert(report);
            Ok(Response::from(response))
        }
        last => Err(::reqwest_middleware::Error::middleware(Stopped {
            reason: report.reason,
            attempts: report.attempts,
            waited: report.waited,
            resumes_at,
            last: match last {
                Some(AttemptError::Transport(error)) => Some(error),
                _ => None,
            },
        })),
    }
}
