use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("not found")]
    #[status(404)]
    #[retryable]
    NotFound,
}

fn main() {}
