use apierror::ApiError;

// Six mistakes, six errors, in one build: a typo and a mistyped value in the
// attributes hide none of the others.
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
    #[error("e")]
    #[status(400)]
    #[api_error(mesage = "x")]
    Typo,
    #[error("f")]
    #[status(503)]
    #[api_error(expose = 5)]
    Unavailable,
}

fn main() {}
