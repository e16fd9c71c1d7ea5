use apierror::ApiError;

// Four mistakes, four errors, in one build.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested")]
enum Error {
    #[error("a")]
    #[status(700)]
    OutOfRange,
    #[error("b")]
    Missing,
    #[error("c")]
    #[status(404)]
    #[retryable]
    NotFound,
    #[error("d")]
    #[status(400)]
    #[code("not found")]
    BadCode,
}

fn main() {}
