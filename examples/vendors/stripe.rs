//! Stripe: `{"error":{"code":"…","decline_code":"…","doc_url":"…","message":"…","param":"…","type":"…"}}`,
//! keyed by `type` and, for some errors, `code`; the request id comes in the `Request-Id`
//! header, and `Stripe-Should-Retry: true|false` says whether to retry, whatever the
//! status.

use apierror::{ApiError, Unknown};

/// Stripe's errors, keyed by (`type`, `code`): the most specific key a body matches wins,
/// so `InvalidRequest` is any `invalid_request_error` whose code no other variant names.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(
    format(
        json = r#"{"error":{"code":"{code?}","decline_code":"{decline_code?}","doc_url":"{doc_url?}","message":"{message}","param":"{param?}","request_log_url":"{request_log_url?}","type":"{type}"}}"#
    ),
    retry(should_retry = "Stripe-Should-Retry")
)]
pub enum StripeError {
    /// The card was declined; `decline_code` says why.
    #[error("{message}")]
    #[status(402)]
    #[api_error(key(type = "card_error", code = "card_declined"))]
    CardDeclined {
        /// What Stripe said.
        #[api_error(message)]
        message: String,
        /// Why the issuer declined.
        #[api_error(member)]
        decline_code: Option<String>,
        /// Where the code is documented.
        #[api_error(member)]
        doc_url: Option<String>,
        /// The parameter at fault.
        #[api_error(member)]
        param: Option<String>,
        /// The request's page in the dashboard.
        #[api_error(member)]
        request_log_url: Option<String>,
    },
    /// No such object.
    #[error("{message}")]
    #[status(404)]
    #[api_error(key(type = "invalid_request_error", code = "resource_missing"))]
    ResourceMissing {
        /// What Stripe said.
        #[api_error(message)]
        message: String,
        /// Where the code is documented.
        #[api_error(member)]
        doc_url: Option<String>,
        /// The parameter at fault.
        #[api_error(member)]
        param: Option<String>,
    },
    /// Too many requests.
    #[error("{message}")]
    #[status(429)]
    #[api_error(key(type = "invalid_request_error", code = "rate_limit"))]
    RateLimit {
        /// What Stripe said.
        #[api_error(message)]
        message: String,
    },
    /// Any other invalid request.
    #[error("{message}")]
    #[status(400)]
    #[api_error(key(type = "invalid_request_error"))]
    InvalidRequest {
        /// What Stripe said.
        #[api_error(message)]
        message: String,
        /// The parameter at fault.
        #[api_error(member)]
        param: Option<String>,
    },
    /// An idempotency key reused with other parameters.
    #[error("{message}")]
    #[status(409)]
    #[api_error(key(type = "idempotency_error"))]
    IdempotencyError {
        /// What Stripe said.
        #[api_error(message)]
        message: String,
    },
    /// Something went wrong on Stripe's side.
    #[error("{message}")]
    #[status(500)]
    #[api_error(key(type = "api_error"))]
    ApiError {
        /// What Stripe said.
        #[api_error(message)]
        message: String,
    },
    /// Any other error.
    #[api_error(unknown)]
    #[error("{0}")]
    Other(Unknown),
}
