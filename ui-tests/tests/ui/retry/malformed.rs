use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("a")]
    #[status(503)]
    #[retryable(true, false)]
    Unavailable,
}

fn main() {}
