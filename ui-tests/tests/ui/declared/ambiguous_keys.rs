use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format(json = r#"{"error":{"code":"{code?}","type":"{type?}","message":"{message}"}}"#))]
enum Error {
    #[error("declined")]
    #[status(402)]
    #[api_error(key(type = "card_error"))]
    CardError,
    #[error("declined")]
    #[status(402)]
    #[code("card_declined")]
    Declined,
    #[error("limited")]
    #[status(429)]
    #[code("rate_limit")]
    #[api_error(key(type = "card_error"))]
    RateLimit,
    #[error("missing")]
    #[status(404)]
    #[code("resource_missing")]
    #[api_error(key(type = "invalid_request_error"))]
    ResourceMissing,
    #[error("missing too")]
    #[status(404)]
    #[api_error(key(type = "invalid_request_error", code = "resource_missing"))]
    AlsoMissing,
    #[error("missing too")]
    #[status(404)]
    #[code("gone")]
    #[api_error(key(code = "resource_missing"))]
    CodeTwice,
}

fn main() {}
