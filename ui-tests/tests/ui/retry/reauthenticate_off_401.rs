use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("forbidden")]
    #[status(403)]
    #[retryable(reauthenticate)]
    Forbidden,
}

fn main() {}
