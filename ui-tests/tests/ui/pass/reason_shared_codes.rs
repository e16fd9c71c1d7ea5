//! Seed 003: one reason under several statuses is fine when the format carries the status.
use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "reason")]
enum Error {
    #[error("a required parameter is missing")]
    #[status(400)]
    #[code("required")]
    MissingParameter,
    #[error("authentication required")]
    #[status(401)]
    #[code("required")]
    AuthenticationRequired,
}

fn main() {
    assert_eq!(Error::MissingParameter.code(), Error::AuthenticationRequired.code());
}
