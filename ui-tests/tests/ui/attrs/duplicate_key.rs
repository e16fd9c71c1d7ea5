use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {
    #[error("a")]
    #[status(500)]
    #[api_error(expose)]
    #[api_error(expose)]
    Internal,
}

fn main() {}
