use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
enum Error {
    #[error("a")]
    #[status(1000)]
    Broken,
}

// Use sites compile against the fallback impl: the only error is the one above.
fn main() {
    let error = Error::Broken;
    let _ = error.status();
    let _ = error.code();
    let _ = error.retry();
    let _ = serde_json::to_string(&error);
    let _: Result<Error, _> = serde_json::from_str("{}");
}
