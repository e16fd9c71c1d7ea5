use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("expired")]
    #[status(401)]
    #[retryable(reauthenticat)]
    Expired,
}

fn main() {}
