use apierror::{ApiError, Unknown};

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
enum Error {
    #[error("a")]
    #[status(400)]
    Bad,
    #[error("{0}")]
    #[status(500)]
    #[code("other")]
    #[retryable]
    #[api_error(unknown, message = "x", expose, decode_default)]
    Other(Unknown),
}

fn main() {}
